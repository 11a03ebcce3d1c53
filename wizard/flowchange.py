"""The flow changed under a session: what becomes of its answers and its place.

One rule for both ways a session meets a newer version of its flow: resuming
a saved session (:meth:`wizard.store.disk.Store.restore`) and a flow file saved
again while the wizard runs (``wizard run FLOW --watch``). :func:`migrate`
takes what is known of the session as it was (:class:`Before`) and the new
flow, and returns a :class:`FlowChange`: the new session, what happened to
each answer, and the notices (Simplified Chinese, one sentence per kind of
change) that every caller shows as they are.

What happens to an answer:

- its field is still there and accepts it unchanged: kept;
- the field would store it differently now (a multi-line answer whose field
  became one-line text …): kept exactly as typed, never joined or cut, and
  the user is asked to look at it;
- the field no longer accepts it (a stricter format, a smaller maximum, a
  choice that is no longer offered): it is no longer an answer; what it was
  goes back into the field as a draft, to be checked and confirmed again;
- some of a multiple choice's options are gone: the others are kept;
- its field is gone: the answer stays in the session (see
  :meth:`Session.stale_answers`) and in the saved file until it is erased,
  but counts for nothing. The flow format has no way to say that a field was
  renamed: a new id is a removed field and a new, empty one. When the new
  field has the old one's label the user is told to fill it in again.

Pure: no I/O, no UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from wizard.answers.fields import validate
from wizard.flow.conditions import Answer
from wizard.flow.model import CHOICE_TYPES, Field, FieldType, Flow
from wizard.flow.record import field, record
from wizard.session import CHECKLIST, REVIEW, Session
from wizard.store.format import plain_title
from wizard.text.safety import clean_text


@record
class Before:
    """A session as it was, and what is known of the flow it was filled in for."""

    answers: Mapping[str, Answer]
    position: str
    drafts: Mapping[str, str] = field(default_factory=dict)
    script: str = "zh-Hans"
    ticked: frozenset[str] = frozenset()
    step_order: tuple[str, ...] = ()  # the old flow's steps, in order: to find the nearest one
    labels: Mapping[str, str] = field(default_factory=dict)  # field id → its label (source) in the old flow
    announced: frozenset[str] = frozenset()  # answers of removed fields the user was already told about

    @classmethod
    def of(cls, session: Session) -> Before:
        """A running session (the flow it holds is the old one)."""
        old = session.flow
        return cls(
            answers=dict(session.answers),
            position=session.position,
            drafts=dict(session.drafts),
            script=session.script,
            ticked=frozenset(session.ticked),
            step_order=tuple(s.id for s in old.steps),
            labels={f.id: f.label.source for s in old.steps for f in s.fields},
            announced=frozenset(session.stale_answers()),
        )


@record
class FlowChange:
    """What :func:`migrate` did. Field ids in flow order of the answers; ``notices`` to show as they are."""

    session: Session
    kept: tuple[str, ...] = ()  # accepted by the new flow as they were
    as_typed: tuple[str, ...] = ()  # kept as typed although the new field would store them differently
    refused: tuple[str, ...] = ()  # no longer accepted: now a draft to check
    options_gone: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # chosen values no longer offered
    removed: tuple[str, ...] = ()  # the field is gone (kept aside, counts for nothing)
    renamed: tuple[tuple[str, str], ...] = ()  # (old id, new id): a removed field whose label a new, empty one has
    moved_from: str | None = None  # the step the session stood on, now gone
    notices: tuple[str, ...] = ()


def _label(f: Field | None, before: Before, key: str) -> str:
    if f is not None:
        shown = plain_title(f.label.source)
    else:
        label = before.labels.get(key)
        shown = plain_title(label) if label else ""
    return shown or clean_text(key, multiline=False)


def _as_draft(raw: Answer) -> str:
    """An answer put back into its field as text, to be checked again."""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, list):
        return "、".join(raw)
    return raw


def migrate(before: Before, flow: Flow, today: date) -> FlowChange:
    """The session ``before`` on the new ``flow``: answers checked again, the nearest place, notices."""
    answers: dict[str, Answer] = {}
    drafts: dict[str, str] = {}
    kept: list[str] = []
    as_typed: list[str] = []
    refused: list[str] = []
    gone_options: dict[str, tuple[str, ...]] = {}
    removed: list[str] = []
    for key, raw in before.answers.items():
        if raw == "" or raw == []:
            continue  # an emptied answer: nothing to keep
        f = flow.field(key)
        if f is None:
            answers[key] = raw
            removed.append(key)
            continue
        if f.type in CHOICE_TYPES:
            chosen = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
            gone = tuple(v for v in chosen if f.option(v) is None)
            if gone:
                gone_options[key] = gone
                if f.type is FieldType.MULTISELECT and len(gone) < len(chosen):
                    raw = [v for v in chosen if v not in gone]  # the options still offered stay chosen
        verdict = validate(f, raw, today)
        if verdict.value is None:
            refused.append(key)
            drafts[key] = _as_draft(before.answers[key])
        elif verdict.value != raw and isinstance(raw, str) and f.type not in CHOICE_TYPES:
            answers[key] = raw  # never joined, cut or reformatted behind the user's back
            as_typed.append(key)
        else:
            answers[key] = verdict.value
            if key not in gone_options:
                kept.append(key)
    for key, text in before.drafts.items():
        if flow.field(key) is not None:
            drafts[key] = text  # typed after the answer was accepted: newer

    session = Session(
        flow=flow,
        answers=answers,
        position="",
        today=today,
        script=before.script,
        ticked=set(before.ticked),
        drafts=drafts,
    )
    position, moved = nearest_position(session, before.position, before.step_order)
    session.position = position

    new_removed = [k for k in removed if k not in before.announced]  # told once, not at every change
    renamed = _renamed(new_removed, before, flow, answers)
    notices = _notices(
        flow, before, refused=refused, gone_options=gone_options, as_typed=as_typed, moved=moved, session=session
    )
    if new_removed:
        listed = "、".join(_label(None, before, k) for k in new_removed)
        notices.append(
            f"这些回答已不适用于新版流程：{listed}；它们仍保存在记录中，直到您删除这份记录。"
            "（改了名称的项目也算在内：新版流程把它当作新的一项。）"
        )
    if renamed:
        listed = "、".join(_label(flow.field(new), before, new) for _, new in renamed)
        notices.append(f"这些项目在新版流程中是新的一项，原来的回答没有带过去，请重新填写：{listed}。")
    return FlowChange(
        session=session,
        kept=tuple(kept),
        as_typed=tuple(as_typed),
        refused=tuple(refused),
        options_gone=gone_options,
        removed=tuple(removed),
        renamed=tuple(renamed),
        moved_from=before.position if moved else None,
        notices=tuple(notices),
    )


def _renamed(removed: list[str], before: Before, flow: Flow, answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
    """Removed fields whose label a new field without an answer has (most likely the same question)."""
    old_ids = set(before.labels) | set(before.answers)
    out: list[tuple[str, str]] = []
    for key in removed:
        label = before.labels.get(key)
        if not label:
            continue
        for step in flow.steps:
            match = next(
                (f for f in step.fields if f.id not in old_ids and f.id not in answers and f.label.source == label),
                None,
            )
            if match is not None:
                out.append((key, match.id))
                break
    return out


def _notices(
    flow: Flow,
    before: Before,
    *,
    refused: list[str],
    gone_options: Mapping[str, tuple[str, ...]],
    as_typed: list[str],
    moved: bool,
    session: Session,
) -> list[str]:
    notices: list[str] = []
    to_check = [k for k in before.answers if k in refused or k in gone_options]
    if to_check:
        items = []
        for key in to_check:
            name = _label(flow.field(key), before, key)
            gone = gone_options.get(key)
            if gone:
                name += f"（“{'”“'.join(gone)}”已不是可选项{'，已去掉' if key not in refused else ''}）"
            items.append(name)
        notices.append(f"这些回答不符合新版流程的要求，请检查后重新确认：{'、'.join(items)}。")
    if as_typed:
        listed = "、".join(_label(flow.field(k), before, k) for k in as_typed)
        notices.append(f"这些回答的填写要求在新版流程中变了，原来的内容原样保留，请到那一步检查：{listed}。")
    if moved:
        step = flow.step(session.position)
        where = plain_title(step.title.source) if step is not None else ""
        notices.append(
            f"您上次所在的步骤已不在新版流程中，已回到“{where}”。" if where else "您上次所在的步骤已不在新版流程中。"
        )
    return notices


def nearest_position(session: Session, position: str, step_order: tuple[str, ...] = ()) -> tuple[str, bool]:
    """Where to stand on the new flow (``session`` holds it): ``(position, moved)``.

    The same step if it still applies. A step still there that no longer applies: the nearest
    one before it that does. A step that is gone (``moved``): the nearest one still there, in
    the old flow's order (``step_order``), earlier ones first, so the user skips nothing; else the
    first step that applies.
    """
    if position in (REVIEW, CHECKLIST):
        return position, False
    flow = session.flow
    applying = [s.id for s in session.visible_steps()]
    first = applying[0] if applying else REVIEW
    if flow.step(position) is not None:
        if position in applying:
            return position, False
        for s in reversed(flow.steps[: flow.step_index(position)]):
            if s.id in applying:
                return s.id, False
        return first, False
    order = list(step_order)
    if position in order:
        i = order.index(position)
        for sid in [*reversed(order[:i]), *order[i + 1 :]]:
            if sid in applying:
                return sid, True
    return first, True

"""A user's way through a flow: answers, which steps apply, checks, progress.

Pure: no I/O, no UI. Every view (Textual app, plain mode, ``wizard
checklist``, path tests) asks this module which steps and fields apply, so
that rule lives in one place.

Answers are never dropped: an answer to a field that is hidden (its step or
itself no longer applies) stays in :attr:`Session.answers` and comes back
when the field is shown again; it is only left out of :meth:`effective`, the
answers that count for conditions, templates and the checklist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from wizard.answers.fields import RawAnswer, Verdict, display_value, validate
from wizard.flow.conditions import Answer, evaluate
from wizard.flow.model import CHOICE_TYPES, Check, CheckLevel, Compose, Field, FieldType, Flow, Note, Option, Step
from wizard.flow.model import Text as FlowText
from wizard.flow.record import field, record
from wizard.flow.templates import MISSING, render
from wizard.shown import Overlay, Shown, TrackedAnswers
from wizard.text.render import PLAIN, TextRenderer

REVIEW = "__review__"
REVIEW_TITLE = "检查您的答案"  # the review page's title, in every view and in the sessions list
CHECKLIST = "__checklist__"
TIP = "tip"
WARNING = "warning"


@record
class StepResult:
    """The outcome of validating one step's answers."""

    values: dict[str, Answer | None]
    errors: dict[str, str]
    warnings: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def first_error(self) -> str | None:
        return next(iter(self.errors), None)


@record(frozen=False)
class Session:
    flow: Flow
    answers: dict[str, Answer] = field(default_factory=dict)
    position: str = ""
    today: date = field(default_factory=date.today)
    script: str = "zh-Hans"
    ticked: set[str] = field(default_factory=set)  # checklist item keys the user ticked
    drafts: dict[str, str] = field(default_factory=dict)  # raw text typed per field id, kept even when invalid
    #: what applies, kept up to date as answers change (:mod:`wizard.shown`); made on first use
    shown_cache: Shown | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.answers, TrackedAnswers):
            self.answers = TrackedAnswers(self.answers)
        if not self.position or (self.position not in (REVIEW, CHECKLIST) and self.flow.step(self.position) is None):
            first = self.visible_steps()
            self.position = first[0].id if first else REVIEW

    # --- what applies ------------------------------------------------------------

    def shown(self) -> Shown:
        """What applies now: made again when the flow, the day or the answers dict was replaced."""
        answers = self.answers
        if not isinstance(answers, TrackedAnswers):  # replaced by a plain dict
            answers = self.answers = TrackedAnswers(answers)
        cache = self.shown_cache
        if cache is None or cache.flow is not self.flow or cache.today != self.today or cache.answers is not answers:
            cache = self.shown_cache = Shown(self.flow, answers, self.today)
        else:
            cache.refresh()
        return cache

    def effective(self) -> Mapping[str, Answer]:
        """The answers that count: those of fields shown on the user's path (read-only)."""
        return self.shown().effective

    def visible_steps(self) -> list[Step]:
        return list(self.shown().visible_steps())

    def scope(self, pending: Mapping[str, Answer | None] | None = None) -> Mapping[str, Answer]:
        """The answers conditions read on a step being filled in: the effective answers, with what
        is on the page now in place of them (``None``: the field is empty on the page)."""
        eff = self.effective()
        return Overlay(eff, pending) if pending else eff

    def visible_fields(self, step: Step, pending: Mapping[str, Answer | None] | None = None) -> list[Field]:
        """The step's fields that apply, given the answers (and what is being typed now)."""
        scope = self.scope(pending)
        return [f for f in step.fields if f.when is None or evaluate(f.when, scope, self.today)]

    def field_shown(self, f: Field, pending: Mapping[str, Answer | None] | None = None) -> bool:
        """One field of a step that applies: shown, given the answers (and what is typed now)?"""
        return f.when is None or evaluate(f.when, self.scope(pending), self.today)

    def visible_options(self, f: Field, pending: Mapping[str, Answer | None] | None = None) -> list[Option]:
        scope = self.scope(pending)
        return [o for o in f.options if evaluate(o.when, scope, self.today)]

    def notes(self, step: Step, pending: Mapping[str, Answer | None] | None = None) -> list[tuple[str, Note]]:
        """The step's tips, then its warnings, that apply now: ``(TIP | WARNING, note)``.

        ``pending`` is what is on the page: a tip that depends on an answer given on the same
        step appears as soon as that answer is given, in every view.
        """
        scope = self.scope(pending)
        kinds = [(TIP, n) for n in step.tips] + [(WARNING, n) for n in step.warnings]
        return [(kind, n) for kind, n in kinds if evaluate(n.when, scope, self.today)]

    # --- moving ----------------------------------------------------------------------

    def progress(self, step_id: str | None = None) -> tuple[int, int]:
        """(1-based position, number of steps that apply)."""
        shown = self.shown()
        total = shown.count()
        at = shown.position(step_id or self.position)
        return (total, total) if at is None else (at + 1, total)

    def next_id(self, step_id: str | None = None) -> str:
        """The step after ``step_id`` that applies, or :data:`REVIEW`."""
        sid = step_id or self.position
        if sid in (REVIEW, CHECKLIST):
            return CHECKLIST
        start = self.flow.step_index(sid)
        shown = self.shown()
        for i in range(start + 1, len(self.flow.steps)):
            if shown.step_applies(i):
                return self.flow.steps[i].id
        return REVIEW

    def previous_id(self, step_id: str | None = None) -> str | None:
        sid = step_id or self.position
        shown = self.shown()
        if sid == CHECKLIST:
            return REVIEW
        if sid == REVIEW:
            steps = shown.visible_steps()
            return steps[-1].id if steps else None
        for i in range(self.flow.step_index(sid) - 1, -1, -1):
            if shown.step_applies(i):
                return self.flow.steps[i].id
        return None

    def back_from(self, position: str | None = None, *, asks_only: bool = False) -> str | None:
        """Where Back goes: the step before ``position`` that applies (None on the first one).

        ``asks_only`` passes over steps that ask nothing, for a view that does not stop on them
        (plain mode reads such a step out and moves on, so Back to it would come straight back).
        """
        previous = self.previous_id(position)
        while previous is not None and asks_only:
            before = self.flow.step(previous)
            if before is not None and self.visible_fields(before):
                break
            previous = self.previous_id(previous)
        return previous

    def next_after(self, step_id: str, *, changing: bool = False) -> str:
        """Where Next goes once ``step_id`` is done.

        Normally the next step that applies (or the review). When the step was opened from the
        review to change an answer (``changing``), back to the review, unless the change made a
        step incomplete (a step that now applies, a field now shown): then that step first.
        """
        if not changing:
            return self.next_id(step_id)
        incomplete = self.first_incomplete()
        return REVIEW if incomplete is None else incomplete

    def go(self, position: str) -> None:
        if position in (REVIEW, CHECKLIST) or self.flow.step(position) is not None:
            self.position = position

    def step_status(self, step: Step) -> str:
        """'done', 'current' or 'todo' for the step list."""
        if step.id == self.position:
            return "current"
        if self.position in (REVIEW, CHECKLIST):
            return "done"
        here = self.flow.step_index(self.position)
        return "done" if self.flow.step_index(step.id) < here else "todo"

    # --- answering ------------------------------------------------------------------

    def set_answer(self, field_id: str, value: Answer | None) -> None:
        if value is None:
            self.answers.pop(field_id, None)
        else:
            self.answers[field_id] = value

    def validate_step(self, step: Step, raw: Mapping[str, RawAnswer]) -> StepResult:
        """Validate what the user entered on a step; hidden fields are not checked."""
        values: dict[str, Answer | None] = {}
        errors: dict[str, str] = {}
        warnings: dict[str, str] = {}
        pending: dict[str, Answer | None] = {}
        scope = Overlay(self.effective(), pending)  # reads ``pending`` as it grows
        for f in step.fields:
            if not evaluate(f.when, scope, self.today):
                continue
            verdict = self._verdict(f, raw.get(f.id, self.answers.get(f.id)), scope)
            pending[f.id] = verdict.value
            values[f.id] = verdict.value
            if verdict.error:
                errors[f.id] = verdict.error
            if verdict.warning:
                warnings[f.id] = verdict.warning
        return StepResult(values, errors, warnings)

    def validate_field(self, f: Field, raw: RawAnswer) -> Verdict:
        """One field checked as :meth:`validate_step` checks it, the answers given so far around it:
        for a view that asks one field at a time (the step is validated whole when it is done)."""
        return self._verdict(f, raw, self.effective())

    def _verdict(self, f: Field, raw: RawAnswer, scope: Mapping[str, Answer]) -> Verdict:
        verdict: Verdict = validate(f, raw, self.today)
        if verdict.value is not None and isinstance(verdict.value, str) and f.options:
            opt = f.option(verdict.value)
            if opt is not None and not evaluate(opt.when, scope, self.today):
                return Verdict(None, "这个选项不适用于您之前的回答，请重新选择")
        return verdict

    def commit_step(self, result: StepResult) -> None:
        """Store a step's validated answers; what was typed for them is no longer a draft."""
        for fid, value in result.values.items():
            self.set_answer(fid, value)
            self.drafts.pop(fid, None)

    def check_step(self, step: Step) -> StepResult:
        """A step as saved: its answers, with the drafts (typed, not accepted) in place of them."""
        drafts = {f.id: self.drafts[f.id] for f in step.fields if f.id in self.drafts}
        return self.validate_step(step, drafts)

    def first_incomplete(self) -> str | None:
        """The first step that applies and has an answer missing or refused (None: all complete)."""
        for s in self.visible_steps():
            if not self.check_step(s).ok:
                return s.id
        return None

    # --- checks and text ------------------------------------------------------------

    def fired_checks(self, upto_step: str | None = None) -> list[Check]:
        """Checks whose condition holds, evaluated after their step (or all, at the end)."""
        holding = self.shown().holding_checks()
        if upto_step in (None, REVIEW, CHECKLIST):
            return holding
        limit = self.flow.step_index(upto_step or "")
        return [check for check in holding if self.flow.step_index(check.step) <= limit]

    def blocking_checks(self, upto_step: str | None = None) -> list[Check]:
        return [c for c in self.fired_checks(upto_step) if c.level is CheckLevel.STOP]

    def warnings_after(self, step_id: str) -> list[Check]:
        """The warn checks shown once, when ``step_id`` is done: those of that step that hold."""
        return [c for c in self.fired_checks(step_id) if c.step == step_id and c.level is CheckLevel.WARN]

    def value_of(self, name: str, eff: Mapping[str, Answer] | None = None) -> str | None:
        """The text inserted for ``{name}``: an answer as typed, or a composed text."""
        eff = self.effective() if eff is None else eff
        comp = self.flow.composed(name)
        if comp is not None:
            return self.composed_text(comp, eff)
        return display_value(self.flow.field(name), eff.get(name))

    def composed_text(self, comp: Compose, eff: Mapping[str, Answer] | None = None) -> str:
        """A composed text (never converted: it is pasted on the site as it is)."""
        eff = self.effective() if eff is None else eff

        def lookup(n: str) -> str | None:
            return display_value(self.flow.field(n), eff.get(n))

        return "".join(render(p.text, lookup, missing=MISSING) for p in comp.parts if evaluate(p.when, eff, self.today))

    def answer_text(
        self,
        f: Field,
        value: Answer | None,
        renderer: TextRenderer = PLAIN,
        label: Callable[[FlowText], str] | None = None,
    ) -> str | None:
        """An answer as the review pages show it (None when empty): a choice by its option's label,
        a confirmation as 已确认 / 未确认, typed text exactly as typed (never converted).

        ``label`` draws an option's label as the view draws flow text (its Markdown dialect);
        without it, the renderer's words. Not the text inserted into templates and pasted on the
        site: that is :meth:`value_of`.
        """
        if value is None or value == [] or value == "":
            return None
        if f.type is FieldType.CONFIRM:
            return renderer.ui("已确认" if value is True else "未确认")
        if f.type in CHOICE_TYPES:
            if label is None:
                eff = self.effective()

                def label(t: FlowText) -> str:
                    return renderer.text(t, lambda n: self.value_of(n, eff))

            chosen = value if isinstance(value, list) else [str(value)]
            words = []
            for v in chosen:
                opt = f.option(v)
                words.append(label(opt.label) if opt is not None else v)
            return "、".join(words)
        return display_value(f, value)

    def stale_answers(self) -> dict[str, Answer]:
        """Answers to fields that no longer exist in the flow (kept until erased)."""
        return {k: v for k, v in self.answers.items() if self.flow.field(k) is None}

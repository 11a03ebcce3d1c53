"""The personalised checklist: what the user does on the site, in order.

:func:`build` turns a session into a :class:`Checklist` (plain data, already
rendered in the reader's script, user values as typed). Exporters
(:mod:`wizard.export`) and the views only format it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from wizard import deadlines as calendar
from wizard.answers.validators import count_chars
from wizard.flow.conditions import Answer, evaluate
from wizard.flow.model import DeadlineUnit
from wizard.flow.record import field, record
from wizard.session import Session
from wizard.text.render import PLAIN, TextRenderer


@record
class Item:
    key: str  # stable id: "<step id>.<index>"
    text: str
    value: str | None  # the user's value to paste, if any
    link: str | None
    line: int
    # ``text`` in the Markdown dialect with answers and site labels escaped (see TextRenderer.source):
    # what the exports parse, so that an answer is never read as Markdown. None: ``text`` is all the author's.
    source: str | None = field(default=None, compare=False, repr=False)


@record
class Section:
    step_id: str
    title: str
    link: str | None
    items: tuple[Item, ...]
    title_source: str | None = field(default=None, compare=False, repr=False)  # like Item.source


@record
class CheckResult:
    id: str
    level: str  # "stop" or "warn"
    message: str
    source: str | None = field(default=None, compare=False, repr=False)  # like Item.source


@record
class ComposedText:
    id: str
    label: str
    site_label: str | None
    text: str
    length: int
    max_length: int | None
    advice: str | None  # shown when over the limit
    advice_source: str | None = field(default=None, compare=False, repr=False)  # like Item.source

    @property
    def over(self) -> bool:
        return self.max_length is not None and self.length > self.max_length


@record
class DeadlineDate:
    """A deadline worked out from the user's answers (see :mod:`wizard.deadlines`)."""

    id: str
    label: str
    end: date  # the last day
    estimate: bool  # the date rests on days the holiday calendar does not cover
    text: str  # 「2026年10月12日（星期一）前」, 「（估算）」 added for an estimate
    basis: str  # how it was counted: 「从2026年9月24日起算7个工作日，当天不计」
    start: date  # the day it counts from


@record
class Checklist:
    flow_id: str
    flow_title: str
    flow_version: str
    reviewed: str
    sections: tuple[Section, ...]
    checks: tuple[CheckResult, ...]
    composed: tuple[ComposedText, ...]
    deadlines: tuple[DeadlineDate, ...] = ()
    calendar_note: str | None = None  # which years the holiday calendar covers; set when there are deadlines

    @property
    def blocked(self) -> bool:
        return any(c.level == "stop" for c in self.checks)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.sections for i in s.items)


def build(session: Session, renderer: TextRenderer = PLAIN) -> Checklist:
    flow = session.flow
    eff = session.effective()

    def value(name: str) -> str | None:
        return session.value_of(name, eff)

    sections: list[Section] = []
    for step in session.visible_steps():
        items = []
        for i, item in enumerate(step.checklist):
            if not evaluate(item.when, eff, session.today):
                continue
            shown = renderer.text(item.value, value) if item.value is not None else None
            if item.value is not None and all(value(r) in (None, "") for r in item.value.refs) and item.value.refs:
                shown = renderer.missing
            text, source = renderer.text(item.text, value), renderer.source(item.text, value)
            items.append(Item(f"{step.id}.{i}", text, shown, item.link, item.line, source))
        if items:
            title, title_source = renderer.text(step.title, value), renderer.source(step.title, value)
            sections.append(Section(step.id, title, step.link, tuple(items), title_source))
    checks = tuple(
        CheckResult(c.id, c.level.value, renderer.text(c.message, value), renderer.source(c.message, value))
        for c in session.fired_checks()
    )
    composed = []
    # A stopped case gets no text to paste: it would be filled with gaps and invite a doomed filing.
    stopped = any(c.level == "stop" for c in checks)
    for comp in () if stopped else flow.compose:
        text = session.composed_text(comp, eff)
        length = count_chars(text)
        over = comp.max_length is not None and length > comp.max_length
        composed.append(
            ComposedText(
                comp.id,
                renderer.text(comp.label, value),
                comp.site_label,
                text,
                length,
                comp.max_length,
                renderer.text(comp.over_limit, value) if over and comp.over_limit else None,
                renderer.source(comp.over_limit, value) if over and comp.over_limit else None,
            )
        )
    dates = deadline_dates(session, renderer, eff)
    return Checklist(
        flow.id,
        renderer.text(flow.title),
        flow.version,
        flow.reviewed,
        tuple(sections),
        checks,
        tuple(composed),
        dates,
        renderer.ui(calendar.coverage_note()) if dates else None,
    )


_UNIT_WORDS = {
    DeadlineUnit.WORKING_DAYS: "个工作日",
    DeadlineUnit.DAYS: "日",
    DeadlineUnit.MONTHS: "个月",
    DeadlineUnit.YEARS: "年",
}


def deadline_dates(
    session: Session, renderer: TextRenderer = PLAIN, eff: Mapping[str, Answer] | None = None
) -> tuple[DeadlineDate, ...]:
    """The flow's deadlines that apply (``when`` holds, the date counted from is known), in flow order."""
    flow = session.flow
    if not flow.deadlines:
        return ()
    eff = session.effective() if eff is None else eff
    ids = {dl.id for dl in flow.deadlines}
    found: dict[str, DeadlineDate] = {}
    for dl in flow.deadlines:
        if not evaluate(dl.when, eff, session.today):
            continue
        base = found.get(dl.start)
        if base is not None:
            start, estimate = base.end, base.estimate
        elif dl.start in ids:
            continue  # counts from a deadline that does not apply
        else:
            answer = eff.get(dl.start)
            try:
                start, estimate = date.fromisoformat(answer if isinstance(answer, str) else ""), False
            except ValueError:
                continue  # not answered (or not shown): no date to count from
        result = calendar.due(start, dl.amount, dl.unit)
        if result is None:
            continue
        shown = calendar.Due(result.date, result.estimate or estimate)
        basis = f"从{calendar.format_day(start)}起算{dl.amount}{_UNIT_WORDS[dl.unit]}，当天不计"
        found[dl.id] = DeadlineDate(
            dl.id,
            renderer.text(dl.label, lambda n: session.value_of(n, eff)),
            shown.date,
            shown.estimate,
            renderer.ui(calendar.format_due(shown)),
            renderer.ui(basis),
            start,
        )
    return tuple(found.values())

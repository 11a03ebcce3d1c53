"""The personalised checklist: what the user does on the site, in order.

:func:`build` turns a session into a :class:`Checklist` (plain data, already
rendered in the reader's script, user values as typed). Exporters
(:mod:`wizard.export`) and the views only format it.
"""

from __future__ import annotations

from wizard.flow.conditions import evaluate
from wizard.flow.record import record
from wizard.render import PLAIN, TextRenderer
from wizard.session import Session
from wizard.validators import count_chars


@record
class Item:
    key: str  # stable id: "<step id>.<index>"
    text: str
    value: str | None  # the user's value to paste, if any
    link: str | None
    line: int


@record
class Section:
    step_id: str
    title: str
    link: str | None
    items: tuple[Item, ...]


@record
class CheckResult:
    id: str
    level: str  # "stop" or "warn"
    message: str


@record
class ComposedText:
    id: str
    label: str
    site_label: str | None
    text: str
    length: int
    max_length: int | None
    advice: str | None  # shown when over the limit

    @property
    def over(self) -> bool:
        return self.max_length is not None and self.length > self.max_length


@record
class Checklist:
    flow_id: str
    flow_title: str
    flow_version: str
    reviewed: str
    sections: tuple[Section, ...]
    checks: tuple[CheckResult, ...]
    composed: tuple[ComposedText, ...]

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
            items.append(Item(f"{step.id}.{i}", renderer.text(item.text, value), shown, item.link, item.line))
        if items:
            sections.append(Section(step.id, renderer.text(step.title, value), step.link, tuple(items)))
    checks = tuple(CheckResult(c.id, c.level.value, renderer.text(c.message, value)) for c in session.fired_checks())
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
            )
        )
    return Checklist(
        flow.id,
        renderer.text(flow.title),
        flow.version,
        flow.reviewed,
        tuple(sections),
        checks,
        tuple(composed),
    )

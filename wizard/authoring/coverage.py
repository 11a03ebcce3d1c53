"""Coverage of a flow by its path tests: what no case ever reached, which conditions never went both ways.

After each case, :meth:`Coverage.record` looks at where the walk went
(:class:`~wizard.authoring.pathtest.Walk`) and evaluates every condition of
the flow *where the wizard evaluates it*, with the session's effective
answers (:meth:`Session.effective`) and :func:`wizard.flow.conditions.evaluate`:

- a step's ``when``: for every step, in every case (the step list and the
  progress count "第 3 / 8 步" ask it at every step, see
  :meth:`Session.visible_steps`);
- a field's, tip's or warning's ``when``: on the steps the walk went through;
- an option's ``when``: for the fields that were shown;
- a checklist item's ``when``: on the steps that apply (as
  :func:`wizard.checklist.build` does, in every case);
- a check's ``when``: when the walk reached its step's turn (as
  :meth:`Session.fired_checks` does);
- a composed text part's ``when``: in every case (the checklist holds the
  composed texts).

:meth:`Coverage.gaps` then lists, at the line where each was written, the
steps, fields and checklist items that no case reached and the conditions
that were never true or never false. A condition whose element was never
reached is not listed again (the element is).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from wizard.authoring.pathtest import CaseRun
from wizard.flow.conditions import describe, evaluate
from wizard.flow.model import AllOf, AnyOf, Condition, Flow, NotOf


@dataclass(frozen=True)
class Gap:
    line: int
    message: str


@dataclass
class Site:
    """One condition of the flow (or, with ``parts``, one piece of a combined condition)."""

    cond: Condition
    owner: str  # "the condition of tip 2 of step 'x'"
    line: int
    context: str  # evaluated in a case when this key was reached (see Coverage.record)
    within: str = ""  # the element it belongs to: not listed when that element is listed
    guards: str = ""  # the element it shows: "never true" is that element's gap
    part: bool = False
    true: int = 0
    false: int = 0


@dataclass
class Element:
    key: str
    line: int
    message: str
    parent: str = ""  # not listed when the parent is itself not reached
    reached: int = 0


def _parts(cond: Condition) -> Iterator[Condition]:
    """The pieces inside a combined condition (all/any/not), each one level down, recursively."""
    if isinstance(cond, (AllOf, AnyOf)):
        for item in cond.items:
            yield item
            yield from _parts(item)
    elif isinstance(cond, NotOf):
        yield cond.item
        yield from _parts(cond.item)


def _line(cond: Condition, fallback: int) -> int:
    return cond.line or fallback


@dataclass
class Coverage:
    flow: Flow
    parts: bool = False  # also each comparison inside all/any/not
    sites: list[Site] = field(default_factory=list)
    elements: dict[str, Element] = field(default_factory=dict)
    cases: int = 0

    def __post_init__(self) -> None:
        for step in self.flow.steps:
            skey = f"step:{step.id}"
            self._element(skey, step.line, f"step '{step.id}' was never shown")
            self._site(step.when, f"the condition of step '{step.id}'", step.line, f"when:{step.id}", "", skey)
            for kind, notes in (("tip", step.tips), ("warning", step.warnings)):
                for i, note in enumerate(notes, 1):
                    owner = f"the condition of {kind} {i} of step '{step.id}'"
                    self._site(note.when, owner, note.line, skey, skey)
            for f in step.fields:
                fkey = f"field:{f.id}"
                self._element(fkey, f.line, f"field '{f.id}' of step '{step.id}' was never shown", skey)
                self._site(f.when, f"the condition of field '{f.id}'", f.line, skey, skey, fkey)
                for opt in f.options:
                    owner = f"the condition of option '{opt.value}' of field '{f.id}'"
                    self._site(opt.when, owner, opt.line, fkey, fkey)
            for i, item in enumerate(step.checklist):
                ikey = f"item:{step.id}.{i}"
                message = f"checklist item {i + 1} of step '{step.id}' never appeared in a checklist"
                self._element(ikey, item.line, message, skey)
                owner = f"the condition of checklist item {i + 1} of step '{step.id}'"
                self._site(item.when, owner, item.line, f"items:{step.id}", skey, ikey)
        for check in self.flow.checks:
            self._site(check.when, f"the condition of check '{check.id}'", check.line, f"check:{check.id}")
        for comp in self.flow.compose:
            for i, p in enumerate(comp.parts, 1):
                owner = f"the condition of part {i} of composed text '{comp.id}'"
                self._site(p.when, owner, p.line, "checklist")

    def _element(self, key: str, line: int, message: str, parent: str = "") -> None:
        self.elements[key] = Element(key, line, message, parent)

    def _site(
        self, cond: Condition | None, owner: str, line: int, context: str, within: str = "", guards: str = ""
    ) -> None:
        if cond is None:
            return
        self.sites.append(Site(cond, owner, _line(cond, line), context, within, guards))
        if self.parts:
            for piece in _parts(cond):
                described = f"'{describe(piece)}' in {owner}"
                self.sites.append(Site(piece, described, _line(piece, line), context, within, part=True))

    # --- recording -----------------------------------------------------------------

    def record(self, run: CaseRun) -> None:
        """Count what one case reached and which way each condition went where it was evaluated."""
        self.cases += 1
        session = run.session
        flow = self.flow
        walked = run.walk
        end = len(flow.steps) if walked.complete else flow.step_index(walked.last or "")
        reached: set[str] = set()
        # the step list and the progress count ("第 3 / 8 步") ask every step's condition at every step
        reached.update(f"when:{step.id}" for step in flow.steps)
        for sid in walked.steps:
            shown = flow.step(sid)
            if shown is None:  # pragma: no cover - the walk only holds steps of the flow
                continue
            reached.add(f"step:{sid}")
            reached.update(f"field:{f.id}" for f in session.visible_fields(shown))
        # the checklist (built for every case) asks the items of every step that applies
        reached.add("checklist")
        reached.update(f"items:{step.id}" for step in session.visible_steps())
        reached.update(f"item:{item.key}" for item in run.checklist.items)
        for check in flow.checks:
            if walked.complete or flow.step_index(check.step) <= end:
                reached.add(f"check:{check.id}")
        for key in reached:
            element = self.elements.get(key)
            if element is not None:
                element.reached += 1
        eff = session.effective()
        for site in self.sites:
            if site.context not in reached:
                continue
            if evaluate(site.cond, eff, session.today):
                site.true += 1
            else:
                site.false += 1

    # --- reporting -----------------------------------------------------------------

    def gaps(self) -> list[Gap]:
        out: list[Gap] = []
        missing = {k for k, e in self.elements.items() if not e.reached}
        for element in self.elements.values():
            if element.key in missing and element.parent not in missing:
                out.append(Gap(element.line, element.message))
        for site in self.sites:
            if site.within in missing or site.guards in missing:
                continue  # never evaluated or never true: the element is listed instead
            what = site.owner if site.part else f"{site.owner} ({describe(site.cond)})"
            if not site.true and not site.false:
                out.append(Gap(site.line, f"{what} was never evaluated: no case got that far"))
            elif not site.true:
                out.append(Gap(site.line, f"{what} was never true"))
            elif not site.false:
                out.append(Gap(site.line, f"{what} was never false"))
        out.sort(key=lambda g: g.line)
        return out

    def totals(self) -> tuple[int, int]:
        """(covered, total): each element reached, each condition's true and false."""
        total = len(self.elements) + 2 * len(self.sites)
        covered = sum(1 for e in self.elements.values() if e.reached)
        covered += sum((1 if s.true else 0) + (1 if s.false else 0) for s in self.sites)
        return covered, total

"""Running path test cases against a flow: walk it as the wizard would, compare with what was expected.

A case's answers are validated by :mod:`wizard.answers.file` (the same validators
as every view). The flow is then *walked* with a
:class:`~wizard.session.Session`, one step at a time, as a person pressing
Next would: each step's visible fields are validated
(:meth:`Session.validate_step`), and the walk ends

- at the end of the flow;
- after a step at which a ``stop`` check fires (the wizard does not let the
  person go on);
- at a step whose answers the wizard would refuse (a required field left
  empty, an option that does not apply): the case fails.

The checklist is built by :func:`wizard.checklist.build` from the same
session, as ``wizard checklist --answers`` prints it (for a case stopped by a
check too: the export then shows the stop message above the checklist).

Nothing here decides which steps apply or what a field accepts: that is
the session's and the validators' job.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wizard.answers.file import AnswersFile, check_pairs, load_answers
from wizard.authoring.casefile import Case, Fragment
from wizard.checklist import Checklist, build
from wizard.errors import Diagnostic, Location, Severity, did_you_mean
from wizard.flow.conditions import Answer
from wizard.flow.model import Check, Flow
from wizard.flow.templates import TemplateSyntaxError, parse_text
from wizard.session import CHECKLIST, REVIEW, Session
from wizard.text.render import PLAIN


@dataclass
class Walk:
    """The steps a person with these answers goes through, and why the walk ended."""

    steps: list[str] = field(default_factory=list)
    stopped_by: tuple[Check, ...] = ()  # stop checks that fired after the last step
    stuck_errors: dict[str, str] = field(default_factory=dict)  # field id → message at the last step

    @property
    def complete(self) -> bool:
        return not self.stopped_by and not self.stuck_errors

    @property
    def last(self) -> str | None:
        return self.steps[-1] if self.steps else None


def walk(session: Session) -> Walk:
    """Press Next from the first step until the end, a stop check, or a step the wizard refuses."""
    flow = session.flow
    out = Walk()
    visible = session.visible_steps()
    position = visible[0].id if visible else REVIEW
    while position not in (REVIEW, CHECKLIST) and len(out.steps) <= len(flow.steps):
        step = flow.step(position)
        if step is None:  # pragma: no cover - next_id only returns ids of the flow
            break
        session.go(position)
        out.steps.append(step.id)
        result = session.validate_step(step, {})
        if not result.ok:
            out.stuck_errors = dict(result.errors)
            return out
        session.commit_step(result)
        blocking = session.blocking_checks(step.id)
        if blocking:
            out.stopped_by = tuple(blocking)
            return out
        position = session.next_id(step.id)
    session.go(REVIEW)
    return out


@dataclass
class CaseRun:
    """One case run: what happened, and every way it differed from what was expected."""

    case: Case
    session: Session
    walk: Walk
    checklist: Checklist
    fired: list[Check]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # context shown with a failure

    @property
    def passed(self) -> bool:
        return not self.problems


def case_answers(flow: Flow, case: Case, test_path: str) -> AnswersFile:
    """The case's answers: its ``answers_file`` (if any), then its own ``answers`` on top, validated."""
    out = AnswersFile()
    if case.answers_file is not None:
        if not Path(case.answers_file).is_file():
            out.diagnostics.append(Diagnostic(Severity.ERROR, Location(case.answers_file), "no such answers file"))
        else:
            loaded = load_answers(flow, case.answers_file, case.today)
            out.answers.update(loaded.answers)
            out.diagnostics.extend(loaded.diagnostics)
    if case.answers:
        checked = check_pairs(flow, list(case.answers), test_path, case.today)
        for key, _ in case.answers:
            out.answers.pop(key.value, None)  # the case's own answer replaces (or, when empty, removes) the file's
        out.answers.update(checked.answers)
        out.diagnostics.extend(checked.diagnostics)
    return out


def steps_diff(expected: list[str], actual: list[str]) -> list[str]:
    """A listing of both step lists, unified-diff style: '  ' both, '- ' expected only, '+ ' shown only."""
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines.extend(f"  {s}" for s in expected[a1:a2])
            continue
        lines.extend(f"- {s}" for s in expected[a1:a2])
        lines.extend(f"+ {s}" for s in actual[b1:b2])
    return lines


def _render_fragment(fragment: Fragment, session: Session, eff: Mapping[str, Answer]) -> tuple[str | None, str]:
    """A fragment with its ``{field_id}`` references filled in as the checklist shows them."""
    try:
        text = parse_text(fragment.text, fragment.line, fragment.col)
    except TemplateSyntaxError as exc:
        return None, exc.message
    known = [f.id for f in session.flow.all_fields] + [c.id for c in session.flow.compose]
    for name in text.refs:
        if name not in known:
            hint = did_you_mean(name, known)
            return None, f"'{{{name}}}' is not a field of the flow" + (f"; {hint}" if hint else "")
    return PLAIN.text(text, lambda n: session.value_of(n, eff)), ""


def checklist_texts(checklist: Checklist) -> list[str]:
    """Every piece of text of a checklist, as it is shown: titles, items, values, checks, composed texts, deadlines."""
    out: list[str] = []
    for section in checklist.sections:
        out.append(section.title)
        for item in section.items:
            out.append(item.text)
            if item.value is not None:
                out.append(item.value)
    out.extend(c.message for c in checklist.checks)
    for comp in checklist.composed:
        out.extend([comp.label, comp.text])
        if comp.advice:
            out.append(comp.advice)
    for due in checklist.deadlines:
        out.append(f"{due.label}：{due.text}")
    return out


class Runner:
    """Runs the cases of one test file against one flow."""

    def __init__(self, flow: Flow, test_path: str) -> None:
        self.flow = flow
        self.test_path = test_path
        self.seen_texts: list[str] = []  # every checklist text of every case run so far
        self.exclusions: list[tuple[Fragment, str]] = []  # (fragment, as rendered in its case)

    def vacuous(self) -> list[str]:
        """Exclusions found in no case's checklist at all: they could never fail, so they test nothing."""
        out = []
        for fragment, rendered in self.exclusions:
            if not any(rendered in t for t in self.seen_texts):
                out.append(
                    f"{self.where(fragment.line, fragment.col)}: checklist_excludes 「{fragment.text}」 is in no "
                    "case's checklist, so it can never fail (has the flow's wording changed?)"
                )
        return out

    def where(self, line: int, col: int = 0) -> str:
        return str(Location(self.test_path, line, col))

    def run(self, case: Case) -> CaseRun:
        flow = self.flow
        loaded = case_answers(flow, case, self.test_path)
        problems: list[str] = [f"bad answer: {d.format()}" for d in loaded.diagnostics if d.is_error]
        session = Session(flow, dict(loaded.answers), today=case.today)
        walked = walk(session)
        fired = session.fired_checks(None if walked.complete else walked.last)
        checklist = build(session, PLAIN)
        run = CaseRun(case, session, walked, checklist, fired, problems)
        self.seen_texts.extend(checklist_texts(checklist))
        if walked.stuck_errors:
            step = walked.last
            detail = "; ".join(f"{fid}: {msg}" for fid, msg in walked.stuck_errors.items())
            run.problems.append(f"the wizard would not go past step '{step}': {detail}")
        elif walked.stopped_by:
            names = ", ".join(f"'{c.id}'" for c in walked.stopped_by)
            run.notes.append(f"the walk stopped after step '{walked.last}': stop check {names} fired")
        self.compare(run)
        return run

    def compare(self, run: CaseRun) -> None:
        expect = run.case.expect
        flow = self.flow
        if expect.steps is not None:
            expected = list(expect.steps)
            if expected != run.walk.steps:
                lines = ["steps differ (- expected, + shown):"]
                lines.extend(f"    {line}" for line in steps_diff(expected, run.walk.steps))
                known = [s.id for s in flow.steps]
                for sid in expected:
                    if flow.step(sid) is None:
                        hint = did_you_mean(sid, known)
                        lines.append(f"    (the flow has no step '{sid}'" + (f"; {hint})" if hint else ")"))
                run.problems.append("\n".join(lines))
        if expect.checks is not None:
            wanted = set(expect.checks)
            got = {c.id for c in run.fired}
            if wanted != got:
                known = [c.id for c in flow.checks]
                lines = ["checks differ:"]
                for cid in expect.checks:
                    if cid in got:
                        continue
                    line = f"    expected but did not fire: {cid}"
                    if cid not in known:
                        hint = did_you_mean(cid, known)
                        line += f" (the flow has no check '{cid}'" + (f"; {hint})" if hint else ")")
                    lines.append(line)
                lines.extend(f"    fired but not expected: {c.id}" for c in run.fired if c.id not in wanted)
                run.problems.append("\n".join(lines))
        if expect.about_checklist:
            self.compare_checklist(run)

    def compare_checklist(self, run: CaseRun) -> None:
        expect = run.case.expect
        texts = checklist_texts(run.checklist)
        eff = run.session.effective()
        for fragment, wanted in [(f, True) for f in expect.contains] + [(f, False) for f in expect.excludes]:
            key = "checklist_contains" if wanted else "checklist_excludes"
            rendered, error = _render_fragment(fragment, run.session, eff)
            if rendered is None:
                run.problems.append(f"{self.where(fragment.line, fragment.col)}: {key}: {error}")
                continue
            found = any(rendered in t for t in texts)
            if not wanted:
                self.exclusions.append((fragment, rendered))
            shown = rendered if rendered == fragment.text else f"{fragment.text} → {rendered}"
            if wanted and not found:
                run.problems.append(f"checklist: not found: 「{shown}」 ({self.where(fragment.line)})")
            elif not wanted and found:
                run.problems.append(
                    f"checklist: found, but should not be there: 「{shown}」 ({self.where(fragment.line)})"
                )
        if expect.within_limit is not None:
            limited = [c for c in run.checklist.composed if c.max_length is not None]
            if not limited:
                run.problems.append("compose_within_limit: the flow has no composed text with a max_length")
            elif expect.within_limit:
                for c in limited:
                    if c.over:
                        run.problems.append(
                            f"composed text '{c.id}' is {c.length} characters, over its limit of {c.max_length}"
                        )
            elif not any(c.over for c in limited):
                lengths = ", ".join(f"'{c.id}' {c.length}/{c.max_length}" for c in limited)
                run.problems.append(f"expected a composed text over its limit, but all are within ({lengths})")

"""The incremental rule of what applies (:mod:`wizard.shown`) agrees with the whole-flow walk.

Random edits (answers set, replaced, removed, the dict cleared or updated) on the shipped flows
and on generated ones: after each, the session's effective answers, the steps that apply,
positions and the checks that hold are those a fresh walk of the flow finds. And the work per
answer is bounded: a long chain costs conditions evaluated in proportion to what changed, not
to the length of the flow (counted, never timed).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import sys
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from wizard import session as session_module
from wizard import shown as shown_module
from wizard.flow.conditions import evaluate, parse_expression
from wizard.flow.loader import load_flow, parse_flow
from wizard.flow.model import Field, FieldType, Flow
from wizard.session import Session
from wizard.shown import Overlay, TrackedAnswers, walk

sys.path.insert(0, str(ROOT / "benchmarks"))
import genflow

TODAY = date(2026, 12, 7)
FLOWS = sorted((ROOT / "flows").glob("*.yaml"))


def _flow_of(text: str) -> Flow:
    flow, diagnostics = parse_flow(text.encode(), "gen.yaml")
    assert flow is not None, diagnostics
    return flow


def _loaded() -> list[Flow]:
    assert len(FLOWS) >= 3, FLOWS
    return [load_flow(p) for p in FLOWS] + [_flow_of(genflow.generate(20)), _flow_of(genflow.chain(30))]


LOADED = _loaded()


def _values(f: Field) -> st.SearchStrategy[object]:
    t = f.type
    if t is FieldType.SELECT:
        return st.sampled_from([o.value for o in f.options] + ["不是选项"])
    if t is FieldType.MULTISELECT:
        return st.lists(st.sampled_from([o.value for o in f.options]), unique=True, max_size=3)
    if t is FieldType.CONFIRM:
        return st.booleans()
    if t is FieldType.DATE:
        return st.dates(date(2019, 1, 1), date(2026, 12, 31)).map(date.isoformat)
    if t is FieldType.MONEY:
        return st.sampled_from(["0", "99.5", "5000", "5001", "120000"])
    return st.sampled_from(["", "甲", "一段文字", "12345"])


@st.composite
def edits(draw: st.DrawFn) -> tuple[Flow, list[tuple[str, str, object]]]:
    flow = draw(st.sampled_from(LOADED))
    fields = list(flow.all_fields)
    out: list[tuple[str, str, object]] = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(["set", "set", "set", "set", "pop", "del", "update", "clear", "setdefault"]))
        f = draw(st.sampled_from(fields))
        out.append((kind, f.id, draw(_values(f))))
    return flow, out


def _apply(answers: dict[str, object], kind: str, key: str, value: object) -> None:
    if kind == "set":
        answers[key] = value
    elif kind == "pop":
        answers.pop(key, None)
    elif kind == "del":
        if key in answers:
            del answers[key]  # noqa: RUF051 (the delete path of the tracked dict is under test)
    elif kind == "update":
        answers.update({key: value})
    elif kind == "clear":
        answers.clear()
    else:
        answers.setdefault(key, value)


def _expected(session: Session) -> tuple[object, ...]:
    flow, today = session.flow, session.today
    eff = walk(flow, session.answers, today)
    steps = [s.id for s in flow.steps if evaluate(s.when, eff, today)]
    checks = [c for c in flow.checks if evaluate(c.when, eff, today)]
    return eff, steps, checks


def _actual(session: Session) -> tuple[object, ...]:
    return dict(session.effective()), [s.id for s in session.visible_steps()], session.fired_checks()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_every_edit_leaves_the_same_result_as_a_fresh_walk(case: tuple[Flow, list[tuple[str, str, object]]]) -> None:
    flow, changes = case
    session = Session(flow, today=TODAY)
    for kind, key, value in changes:
        _apply(session.answers, kind, key, value)  # type: ignore[arg-type]
        assert _actual(session) == _expected(session)
        steps = session.visible_steps()
        for n, step in enumerate(steps):
            assert session.progress(step.id) == (n + 1, len(steps))
        if steps:
            assert session.next_id(steps[0].id) == (steps[1].id if len(steps) > 1 else "__review__")
            assert session.previous_id(steps[-1].id) == (steps[-2].id if len(steps) > 1 else None)


def test_a_replaced_answers_dict_day_or_flow_is_seen() -> None:
    flow = _flow_of(genflow.chain(5))
    session = Session(flow, today=TODAY)
    session.answers["f0"] = "是"
    assert [s.id for s in session.visible_steps()] == ["s0", "s1"]
    session.answers = {"f0": "是", "f1": "是"}  # a plain dict put in place of the answers
    assert [s.id for s in session.visible_steps()] == ["s0", "s1", "s2"]
    session.answers["f2"] = "是"
    assert [s.id for s in session.visible_steps()] == ["s0", "s1", "s2", "s3"]
    other = _flow_of(genflow.chain(2))
    session.flow = other
    assert [s.id for s in session.visible_steps()] == ["s0", "s1"]


def test_two_sessions_on_one_answers_dict_both_follow_it() -> None:
    flow = _flow_of(genflow.chain(6))
    first = Session(flow, today=TODAY)
    second = Session(flow, answers=first.answers, today=TODAY)
    for i in range(5):
        first.answers[f"f{i}"] = "是"
        assert len(first.visible_steps()) == i + 2
    # the second reads after many changes, some of them past a cut of the log
    for _ in range(300):
        first.answers["f4"] = "否"
        first.answers["f4"] = "是"
        first.visible_steps()
    assert [s.id for s in second.visible_steps()] == [f"s{i}" for i in range(6)]
    first.answers["f0"] = "否"
    assert [s.id for s in second.visible_steps()] == ["s0"]
    assert [s.id for s in first.visible_steps()] == ["s0"]


def test_copies_and_pickles_are_plain_answers() -> None:
    answers = TrackedAnswers({"a": "1"})
    answers["b"] = "2"
    for clone in (copy.copy(answers), copy.deepcopy(answers), pickle.loads(pickle.dumps(answers))):
        assert clone == {"a": "1", "b": "2"}
        assert isinstance(clone, TrackedAnswers)
        assert clone.log == []


def test_overlay_reads_the_page_over_the_answers() -> None:
    view = Overlay({"a": "1", "b": "2"}, {"b": None, "c": "3"})
    assert dict(view) == {"a": "1", "c": "3"}
    assert "b" not in view and view.get("b") is None and view.get("c") == "3"
    assert len(view) == 2
    with pytest.raises(KeyError):
        view["b"]


def test_a_flow_reading_a_later_answer_is_walked_in_full() -> None:
    text = (
        'id: t\ntitle: t\nversion: "1"\nreviewed: 2025-01-01\nsteps:\n'
        "  - id: a\n    title: A\n    fields: [{id: x, type: select, label: X, options: [是, 否]}]\n"
        "  - id: b\n    title: B\n    fields: [{id: y, type: select, label: Y, options: [是, 否]}]\n"
    )
    valid = _flow_of(text)
    # step a reads y, asked later: the linter refuses that; a session built on it still follows the walk
    first = dataclasses.replace(valid.steps[0], when=parse_expression("y == 是"))
    flow = dataclasses.replace(valid, steps=(first, valid.steps[1]))
    session = Session(flow, today=TODAY)
    assert session.shown().ordered is False
    session.answers.update({"x": "是", "y": "是"})
    assert _actual(session) == _expected(session)
    assert dict(session.effective()) == {"y": "是"}  # step a is seen before y is answered


class _Counting:
    """Counts the conditions evaluated by the session and :mod:`wizard.shown`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        for module in (shown_module, session_module):
            real = module.evaluate

            def counted(*args: object, real: Callable[..., bool] = real) -> bool:
                self.calls += 1
                return real(*args)

            monkeypatch.setattr(module, "evaluate", counted)


@pytest.mark.parametrize("steps", [200, 2000])
def test_answering_a_long_chain_costs_what_each_answer_touches(monkeypatch: pytest.MonkeyPatch, steps: int) -> None:
    flow = _flow_of(genflow.chain(steps))
    session = Session(flow, today=TODAY)
    counter = _Counting(monkeypatch)
    for i in range(steps):
        session.answers[f"f{i}"] = "是"
        assert session.progress(f"s{i}") == (i + 1, min(i + 2, steps))
        session.fired_checks()
        session.next_id(f"s{i}")
    # each answer: its field, the next step's condition, the next field (unanswered): a handful
    assert counter.calls <= 4 * steps


def test_generated_flow_costs_grow_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    counts = []
    for steps in (100, 1000):
        flow = _flow_of(genflow.generate(steps))
        session = Session(flow, today=TODAY)
        counter = _Counting(monkeypatch)
        for f in flow.all_fields:
            if f.type is FieldType.SELECT:
                session.answers[f.id] = f.options[0].value
            elif f.type is FieldType.TEXT:
                session.answers[f.id] = "文字"
            session.effective()
            session.fired_checks()
        counts.append(counter.calls)
    assert counts[1] <= 12 * counts[0]  # ten times the flow: about ten times the work, not a hundred

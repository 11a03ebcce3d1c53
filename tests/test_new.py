"""``wizard new``: the starter flow is valid, fully tested, shows every key, and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.cli import main
from wizard.flow import loader, yamlsafe
from wizard.flow.loader import check_file
from wizard.flow.model import AllOf, Compare, Condition, FieldType, NotOf, Op
from wizard.flow.yamlsafe import Map, Seq, YamlNode


def new(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    code = main(["new", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_writes_a_flow_and_its_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = new(capsys, tmp_path / "my-flow.yaml")
    assert code == 0
    flow_path = tmp_path / "my-flow.yaml"
    tests_path = tmp_path / "tests" / "my-flow.yaml"
    assert flow_path.is_file() and tests_path.is_file()
    assert f"wrote {flow_path}" in out and f"wrote {tests_path}" in out
    assert "docs/flow-format.md" in out
    assert "docs/flow-format.md" in flow_path.read_text(encoding="utf-8")


def test_new_flow_validates_without_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new(capsys, tmp_path / "demo.yaml")
    flow, diagnostics = check_file(tmp_path / "demo.yaml")
    assert flow is not None
    assert [d.format() for d in diagnostics] == []
    assert flow.id == "demo"
    assert main(["validate", str(tmp_path / "demo.yaml")]) == 0


@pytest.mark.parametrize("option", ["--coverage", "--coverage-parts"])
def test_new_flow_passes_its_tests_with_full_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    new(capsys, tmp_path / "demo.yaml")
    code = main(["test", str(tmp_path / "demo.yaml"), option])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    lines = out.splitlines()
    assert sum(line.startswith("PASS ") for line in lines) == 4
    assert "4 passed, 0 failed" in lines
    assert lines[-1].startswith("coverage: full")


def test_new_flow_tests_can_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The starter's cases are real: change the flow and they notice."""
    new(capsys, tmp_path / "demo.yaml")
    flow_path = tmp_path / "demo.yaml"
    text = flow_path.read_text(encoding="utf-8")
    flow_path.write_text(text.replace("older_than 3 years", "older_than 5 years"), encoding="utf-8")
    code = main(["test", str(flow_path)])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "FAIL 超过三年，不再受理" in out
    assert "expected but did not fire: too_old" in out


def _keys(node: YamlNode | None, path: str, found: dict[str, set[str]]) -> None:
    """Collect, for each kind of mapping in a flow, the keys used."""
    if isinstance(node, Seq):
        for item in node.items:
            _keys(item, path, found)
        return
    if not isinstance(node, Map):
        return
    found.setdefault(path, set()).update(k.value for k, _ in node.items)
    children = {
        "top": {"sources": "source", "steps": "step", "checks": "check", "compose": "compose"},
        "step": {"tips": "note", "warnings": "note", "fields": "field", "checklist": "item"},
        "field": {"options": "option"},
        "compose": {"parts": "part"},
    }.get(path, {})
    for key, value in node.items:
        if key.value in children:
            _keys(value, children[key.value], found)


def _ops(cond: Condition | None, out: set[str]) -> None:
    if cond is None:
        return
    if isinstance(cond, Compare):
        out.add(cond.op.value)
    elif isinstance(cond, NotOf):
        out.add("not")
        _ops(cond.item, out)
    else:
        out.add("all" if isinstance(cond, AllOf) else "any")
        for item in cond.items:
            _ops(item, out)


def test_new_flow_shows_every_key_and_every_field_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new(capsys, tmp_path / "demo.yaml")
    data = (tmp_path / "demo.yaml").read_bytes()
    tree, problems = yamlsafe.read(data, "demo.yaml")
    assert tree is not None and not problems
    found: dict[str, set[str]] = {}
    _keys(tree, "top", found)
    expected = {
        "top": loader.TOP_KEYS,
        "step": loader.STEP_KEYS,
        "field": loader.FIELD_KEYS,
        "option": loader.OPTION_KEYS,
        "note": loader.NOTE_KEYS,
        "item": loader.ITEM_KEYS,
        "check": loader.CHECK_KEYS,
        "compose": loader.COMPOSE_KEYS,
        "part": loader.PART_KEYS,
        "source": loader.SOURCE_KEYS,
    }
    for kind, keys in expected.items():
        assert set(keys) <= found.get(kind, set()), (kind, set(keys) - found.get(kind, set()))

    flow, _ = check_file(tmp_path / "demo.yaml")
    assert flow is not None
    assert {f.type for f in flow.all_fields} == set(FieldType)
    conditions: list[Condition | None] = []
    for step in flow.steps:
        conditions.append(step.when)
        conditions.extend(n.when for n in (*step.tips, *step.warnings))
        conditions.extend(i.when for i in step.checklist)
        for f in step.fields:
            conditions.append(f.when)
            conditions.extend(o.when for o in f.options)
    conditions.extend(c.when for c in flow.checks)
    conditions.extend(p.when for c in flow.compose for p in c.parts)
    ops: set[str] = set()
    for cond in conditions:
        _ops(cond, ops)
    assert {"all", "any", "not", Op.EQ.value, Op.CONTAINS.value, Op.OLDER_THAN.value, Op.GT.value} <= ops
    assert {Op.IS_SET.value, Op.IS_EMPTY.value} <= ops
    texts = [s.body for s in flow.steps] + [i.text for s in flow.steps for i in s.checklist]
    assert any(t.site_labels for t in texts)
    assert any(t.refs for t in texts)
    assert {c.level.value for c in flow.checks} == {"stop", "warn"}


def test_new_refuses_to_overwrite_the_flow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow_path = tmp_path / "demo.yaml"
    flow_path.write_text("mine\n", encoding="utf-8")
    code, out, err = new(capsys, flow_path)
    assert code == 1
    assert f"{flow_path} already exists; nothing was written" in err
    assert flow_path.read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "tests" / "demo.yaml").exists()
    assert out == ""


def test_new_refuses_to_overwrite_the_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tests").mkdir()
    tests_path = tmp_path / "tests" / "demo.yaml"
    tests_path.write_text("mine\n", encoding="utf-8")
    code, _, err = new(capsys, tmp_path / "demo.yaml")
    assert code == 1
    assert "already exists" in err
    assert not (tmp_path / "demo.yaml").exists()
    assert tests_path.read_text(encoding="utf-8") == "mine\n"


def test_new_adds_the_suffix_and_makes_a_valid_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = new(capsys, tmp_path / "sub" / "My_Flow.v2")
    assert code == 2  # ".v2" is a suffix that is not .yaml
    code, _, _ = new(capsys, tmp_path / "sub" / "My_Flow")
    assert code == 0
    flow, diagnostics = check_file(tmp_path / "sub" / "My_Flow.yaml")
    assert flow is not None and not diagnostics
    assert flow.id == "my-flow"


def test_new_rejects_odd_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = new(capsys, tmp_path / "a b#c.yaml")
    assert code == 2
    assert "file name" in err
    assert list(tmp_path.iterdir()) == []

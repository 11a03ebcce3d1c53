"""The flow loader: hostile files, positions, YAML 1.1 guessing, all problems at once.

The corpus in ``tests/corpus`` (described by ``index.json``: the line each
file's problem is on, and words of the message) is run through the real
command, ``wizard validate``, one process per file, so that a crash of the
YAML library would fail the test instead of the test run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from wizard.errors import FlowLoadError, Severity
from wizard.flow import yamlsafe
from wizard.flow.loader import check_file, load_flow, parse_flow
from wizard.flow.model import FieldType, Literal, Ref, SiteLabel

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
DATA = ROOT / "tests" / "data"
INDEX: dict[str, dict[str, object]] = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
HANG_GUARD = 2.0  # seconds: a subprocess taking longer is treated as hung (not a timing assertion)

HEAD = 'id: t\ntitle: 测试\nversion: "1"\nreviewed: 2025-01-01\n'


# --- the corpus, through the real command -------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    line: int
    message: str


@dataclass(frozen=True)
class Outcome:
    returncode: int | None  # None: killed by the hang guard
    output: str


def _generated(folder: Path) -> list[Case]:
    """The cases too big to commit: written at test time."""
    big = folder / "ten-megabytes.yaml"
    with big.open("wb") as fh:
        fh.write(HEAD.encode())
        fh.write(b"description: " + b"x" * (10 * 1024 * 1024) + b"\n")
    deep = folder / "deep-50000.yaml"
    deep.write_bytes(b"[" * 50_000)
    deep_map = folder / "deep-20000-braces.yaml"
    deep_map.write_bytes(b"a: " + b"{a: " * 20_000)
    wide = folder / "too-many-values.yaml"
    wide.write_bytes(HEAD.encode() + b"description: [" + b"1," * 250_000 + b"1]\n")
    return [
        Case("ten-megabytes.yaml", big, 1, "too large"),
        Case("deep-50000.yaml", deep, 1, "nesting deeper than"),
        Case("deep-20000-braces.yaml", deep_map, 1, "nesting deeper than"),
        Case("too-many-values.yaml", wide, 5, "too many values"),
    ]


def _corpus_cases() -> list[str]:
    return [*sorted(INDEX), "ten-megabytes.yaml", "deep-50000.yaml", "deep-20000-braces.yaml", "too-many-values.yaml"]


def _run(path: Path) -> Outcome:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "wizard", "validate", str(path)],
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
            cwd=str(ROOT),
        )
    except subprocess.TimeoutExpired:
        return Outcome(None, "")
    return Outcome(done.returncode, done.stdout + done.stderr)


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Case, Outcome]]]:
    folder = tmp_path_factory.mktemp("generated-corpus")
    cases = [
        Case(name, CORPUS / name, int(str(spec["line"])), str(spec["message"])) for name, spec in INDEX.items()
    ] + _generated(folder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda c: _run(c.path), cases))
    yield {c.name: (c, o) for c, o in zip(cases, outcomes, strict=True)}


def test_corpus_has_at_least_forty_files() -> None:
    files = [p for p in CORPUS.iterdir() if p.name != "index.json" and p.name != "README.md"]
    assert len(files) >= 40
    assert sorted(p.name for p in files) == sorted(INDEX), "every corpus file is described in index.json"


@pytest.mark.parametrize("name", _corpus_cases())
def test_hostile_file_is_refused_with_its_line(name: str, corpus_results: dict[str, tuple[Case, Outcome]]) -> None:
    case, outcome = corpus_results[name]
    assert outcome.returncode is not None, f"{name}: wizard validate hung (killed after {HANG_GUARD} s)"
    assert outcome.returncode == 1, f"{name}: exit {outcome.returncode}\n{outcome.output}"
    assert "Traceback" not in outcome.output
    pattern = re.compile(rf"^{re.escape(str(case.path))}:{case.line}:\d+: error: .*{re.escape(case.message)}", re.M)
    assert pattern.search(outcome.output), f"{name}: no error on line {case.line}:\n{outcome.output}"


# --- YAML reading ------------------------------------------------------------------------


def _parse(text: str, path: str = "f.yaml") -> tuple[object, list[str]]:
    flow, diagnostics = parse_flow(text.encode("utf-8"), path)
    return flow, [d.format() for d in diagnostics]


def test_yaml_11_guessing_is_off() -> None:
    text = (
        HEAD
        + "steps:\n  - id: a\n    title: A\n    fields:\n"
        + "      - id: answer\n        type: select\n        label: NO\n"
        + "        options: [NO, yes, 0123, '1:20', 0x1F, 2024-01-01, null, ~, 1e3]\n"
    )
    flow, messages = _parse(text)
    assert messages == []
    assert flow is not None
    f = flow.steps[0].fields[0]  # type: ignore[attr-defined]
    assert f.label.source == "NO"
    assert [o.value for o in f.options] == ["NO", "yes", "0123", "1:20", "0x1F", "2024-01-01", "null", "~", "1e3"]


def test_full_flow_loads_into_the_model() -> None:
    flow = load_flow(DATA / "format-full.yaml")
    assert flow.id == "test-full"
    assert flow.version == "1.2"
    assert flow.reviewed == "2025-01-15"
    assert [s.id for s in flow.steps] == ["start", "purchase", "merchant"]
    agree = flow.field("agree")
    assert agree is not None and agree.type is FieldType.CONFIRM and agree.required
    amount = flow.field("amount")
    assert amount is not None and str(amount.min) == "0" and str(amount.max) == "1000000"
    story = flow.field("story")
    assert story is not None and story.max_length == 400
    body = flow.steps[0].body
    assert SiteLabel("我要投诉") in body.segments
    assert any(isinstance(s, Literal) and "{ 和 }" in s.text for s in body.segments)
    assert flow.steps[2].body.refs == ("channel",)
    assert flow.checks[0].step == "purchase", "a check without step: runs after the step of the last field it reads"
    assert flow.checks[1].step == "purchase"
    assert flow.compose[0].max_length == 500
    assert flow.sources[0].url == "https://www.12315.cn/"


def test_crlf_and_bom_files_load_with_the_same_positions() -> None:
    text = HEAD + "steps:\n  - id: a\n    title: A {nope}\n"
    _, lf = _parse(text)
    _, crlf = parse_flow(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "f.yaml")
    assert lf == [d.format() for d in crlf]
    assert lf == ["f.yaml:7:14: error: unknown field 'nope' (at steps[0].title)"]


def test_forbidden_character_in_a_block_scalar_is_reported_where_it_stands() -> None:
    text = HEAD + "steps:\n  - id: a\n    title: A\n    body: |\n      第一行\n      第二行\u202e\n"
    _, messages = _parse(text)
    assert len(messages) == 1
    assert messages[0].startswith("f.yaml:10:10: error: forbidden character U+202E")
    assert messages[0].endswith("(at steps[0].body)")


def test_forbidden_characters_are_all_reported_and_the_rest_still_checked() -> None:
    text = HEAD + "steps:\n  - id: a\n    title: A\x1b\n    body: 第\u200b一 {nope}\n"
    _, messages = _parse(text)
    assert [m.split(": error: ")[0] for m in messages] == ["f.yaml:7:13", "f.yaml:8:12", "f.yaml:8:15"]
    assert "ESC" in messages[0] and "ZERO WIDTH SPACE" in messages[1]
    assert "unknown field 'nope'" in messages[2], "positions after a removed character stay exact"


def test_escaped_control_character_points_at_the_escape() -> None:
    _, messages = _parse(HEAD + 'steps:\n  - id: a\n    title: "ab\\u202ecd"\n')
    assert messages == [
        "f.yaml:7:15: error: forbidden character U+202E RIGHT-TO-LEFT OVERRIDE; flows may not contain "
        "control, direction-override or invisible characters (at steps[0].title)"
    ]


def test_positions_inside_folded_and_quoted_multiline_text() -> None:
    text = HEAD + "steps:\n  - id: a\n    title: A\n    body: >\n      一行\n      二行 {x}\n"
    text += '    tips:\n      - "第一\n        第二 {y}"\n'
    _, messages = _parse(text)
    assert [m.split(": error: ")[0] for m in messages] == ["f.yaml:10:10", "f.yaml:13:12"]


def test_condition_problems_point_at_the_operator_or_the_field() -> None:
    text = HEAD + (
        "steps:\n  - id: a\n    title: A\n    fields:\n      - id: amount\n        type: money\n        label: 金额\n"
        "  - id: b\n    title: B\n    when: amount > 5 and amount contains x\n"
        "  - id: c\n    title: C\n    when: amount >> 5\n"
    )
    _, messages = _parse(text)
    assert messages[0].startswith("f.yaml:14:26: error: 'contains' needs a multiselect field")
    assert messages[1].startswith("f.yaml:17:19: error: condition: expected a value, found '>'")


def test_all_problems_of_a_file_are_reported_at_once_without_follow_on_noise() -> None:
    text = HEAD + (
        "titel: x\n"
        "steps:\n"
        "  - id: a\n    title: A\n    fields:\n"
        "      - id: kind\n        type: selct\n        label: 类型\n"  # broken field: dropped
        "      - id: ch\n        type: select\n        label: c\n        options: [a, b]\n"
        "  - id: b\n    title: B {kind}\n    when: ch == c\n"  # kind: no second error; ch == c: reported
        "checks:\n  - id: k\n    level: warn\n    when: kind == x\n    message: m\n"
    )
    _, messages = _parse(text)
    assert len(messages) == 3, messages
    assert "unknown key 'titel'" in messages[0] and "did you mean 'title'" in messages[0]
    assert "unknown field type 'selct'" in messages[1] and "steps[0].fields[0].type" in messages[1]
    assert "'c' is not an option of 'ch'" in messages[2] and messages[2].startswith("f.yaml:19:11:")


def test_key_paths_count_elements_that_could_not_be_built() -> None:
    text = HEAD + (
        "steps:\n  - id: a\n    titel: A\n"
        "  - id: b\n    title: B\n    fields:\n      - id: x\n        type: text\n        label: X\n"
        "        options: [a]\n"
    )
    _, messages = _parse(text)
    assert any("(at steps[1].fields[0])" in m and "only applies to select" in m for m in messages), messages


def test_duplicate_keys_are_each_reported_once() -> None:
    text = HEAD + "steps:\n  - id: a\n    title: A\n    title: B\n    title: C\n"
    _, messages = _parse(text)
    assert messages == [
        "f.yaml:8:5: error: duplicate key 'title' (first at line 7); YAML would silently keep only the last one",
        "f.yaml:9:5: error: duplicate key 'title' (first at line 7); YAML would silently keep only the last one",
    ]


def test_alias_is_reported_once_and_not_again_as_a_wrong_value() -> None:
    text = HEAD + "x: &a A\nsteps:\n  - id: a\n    title: *a\n"
    _, messages = _parse(text)
    assert [m.split(": error: ")[1][:7] for m in messages] == ["unknown", "anchors", "aliases"]


def test_did_you_mean_for_keys_types_and_references() -> None:
    text = HEAD + (
        "steps:\n  - id: a\n    title: A\n    fields:\n"
        "      - id: merchant_name\n        type: txt\n        lable: 名称\n"
    )
    _, messages = _parse(text)
    assert any("did you mean 'text'" in m for m in messages)
    assert any("unknown key 'lable'" in m and "did you mean 'label'" in m for m in messages)


def test_missing_unreadable_and_folder_paths_are_errors_of_that_file(tmp_path: Path) -> None:
    _, missing = check_file(tmp_path / "nope.yaml")
    assert [d.format() for d in missing] == [f"{tmp_path / 'nope.yaml'}: error: no such file"]
    _, folder = check_file(tmp_path)
    assert folder[0].severity is Severity.ERROR and "folder" in folder[0].message


def test_load_flow_raises_the_project_error_with_every_diagnostic() -> None:
    with pytest.raises(FlowLoadError) as info:
        load_flow(CORPUS / "duplicate-step-id.yaml")
    assert info.value.diagnostics and all(d.is_error for d in info.value.diagnostics)


def test_warnings_do_not_stop_a_flow_from_loading() -> None:
    text = HEAD + "steps:\n  - id: a\n    title: A\n    link: https://example.com/\n"
    flow, messages = _parse(text)
    assert flow is not None
    assert messages == [
        "f.yaml:8:11: warning: link 'https://example.com/' is not on an official domain "
        "(12315.cn, samr.gov.cn, gsxt.gov.cn, gov.cn) (at steps[0].link)"
    ]


def test_references_keep_their_offsets() -> None:
    flow = load_flow(DATA / "format-full.yaml")
    body = flow.steps[2].body
    ref = next(s for s in body.segments if isinstance(s, Ref))
    assert body.source[ref.offset : ref.offset + len("{channel}")] == "{channel}"


def test_answers_reader_keeps_its_contract() -> None:
    """``yamlsafe.read`` (answers files): odd characters are reported but do not stop the read."""
    tree, problems = yamlsafe.read("a: 某某\u202e店\nb: [1, 2]\n".encode(), "answers.yaml")
    assert tree is not None
    assert [d.format().split(": error")[0] for d in problems] == ["answers.yaml:1:6"]
    tree, problems = yamlsafe.read(b"a: 1\na: 2\n", "answers.yaml")
    assert tree is None and "duplicate key" in problems[0].message


SEVERAL_PROBLEMS = {"anchor-alias.yaml", "billion-laughs.yaml", "self-alias.yaml"}  # each anchor and alias counts


@pytest.mark.parametrize("name", sorted(set(INDEX) - SEVERAL_PROBLEMS))
def test_one_problem_is_reported_once_without_follow_on_errors(name: str) -> None:
    _, diagnostics = check_file(CORPUS / name)
    assert len(diagnostics) == 1, [d.format() for d in diagnostics]


def test_unknown_keys_carry_their_own_key_path() -> None:
    _, messages = _parse(HEAD + "titel: x\nsteps:\n  - id: a\n    title: A\n    bodyy: b\n")
    assert messages == [
        "f.yaml:5:1: error: unknown key 'titel' (at titel); did you mean 'title'?",
        "f.yaml:9:5: error: unknown key 'bodyy' (at steps[0].bodyy); did you mean 'body'?",
    ]


def test_only_the_event_stream_of_yaml_is_used() -> None:
    """libyaml's composer crashes on deep nesting: no module may build YAML nodes or objects with it."""
    assert yamlsafe._PARSER.__name__ == "CParser", "libyaml's event parser is used when PyYAML has it"
    banned = re.compile(r"yaml\.(safe_load|load|full_load|unsafe_load|compose|safe_load_all|load_all)\(|CLoader|CSafe")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "wizard").rglob("*.py"))
        if banned.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

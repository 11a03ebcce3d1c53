"""Fuzzing the loader and the linter: whatever the bytes, a list of diagnostics comes back.

Nothing may escape ``parse_flow`` but the project's own :class:`WizardError`
(and in practice nothing does: every problem is a diagnostic). A flow is
returned only when there is no error, and every diagnostic has a position
that exists in the file.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.errors import WizardError
from wizard.flow.conditions import ConditionSyntaxError, parse_expression
from wizard.flow.loader import FIELD_KEYS, STEP_KEYS, TOP_KEYS, parse_flow
from wizard.flow.templates import TemplateSyntaxError, parse_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [
    (ROOT / "tests" / "data" / "format-full.yaml").read_bytes(),
    (ROOT / "tests" / "data" / "format-minimal.yaml").read_bytes(),
]
CONDITION_WORDS = [
    *"abx1()[],'\"",
    *["==", "!=", "<", "<=", ">", ">=", "in", "not", "and", "or", "contains", "is", "set", "empty"],
    *["older_than", "within", "3", "-1", "2.5", "NaN", "years", "个月", "网购"],
]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    *TOP_KEYS,
    *STEP_KEYS,
    *FIELD_KEYS,
    "text",
    "select",
    "multiselect",
    "confirm",
    "date",
    "money",
    "all",
    "any",
    "not",
    "and",
    "or",
    "==",
    "!=",
    "older_than 3 years",
    "contains",
    "is set",
    "true",
    "false",
    "NO",
    "0123",
    "1:20",
    "{merchant_name}",
    "{{",
    "}}",
    "[[我要投诉]]",
    "https://www.12315.cn/",
    "http://evil.example/",
    "网购",
    "实体店",
    "&a",
    "*a",
    "!!str",
    "---",
    "? ",
    "- ",
    ": ",
    "|",
    ">",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "\n",
    "\n  ",
    "\n    ",
    "\t",
    "\x1b",
    "\u202e",
    "\u200b",
    "\r",
    "\x00",
    "\\e",
]


def check(data: bytes) -> None:
    try:
        flow, diagnostics = parse_flow(data, "fuzz.yaml")
    except WizardError:
        return
    errors = [d for d in diagnostics if d.is_error]
    assert (flow is None) == bool(errors)
    lines = data.count(b"\n") + 1
    for d in diagnostics:
        assert d.location.path == "fuzz.yaml"
        assert 0 <= d.location.line <= lines + 1, d.format()
        assert d.location.col >= 0
        assert d.format()


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=80))
def test_yaml_ish_text(tokens: list[str]) -> None:
    check("".join(tokens).encode("utf-8", "surrogatepass"))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate-line", "swap-lines", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(WORDS)).encode("utf-8", "surrogatepass")
        elif kind == "replace":
            data[at : at + draw(st.integers(1, 8))] = draw(st.binary(max_size=8))
        elif kind == "truncate":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate-line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_valid_flows(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.lists(st.sampled_from(CONDITION_WORDS) | st.text(max_size=3), max_size=30))
def test_condition_parser_raises_only_its_own_error(tokens: list[str]) -> None:
    try:
        parse_expression(" ".join(tokens))
    except ConditionSyntaxError as exc:
        assert 0 <= exc.offset <= len(" ".join(tokens))


@FUZZ
@given(st.text(alphabet=st.sampled_from("{}[]ab_1 \n中"), max_size=40))
def test_text_parser_raises_only_its_own_error(source: str) -> None:
    try:
        t = parse_text(source)
    except TemplateSyntaxError as exc:
        assert 0 <= exc.offset < len(source)
    else:
        assert all(source[r.offset] == "{" for r in t.segments if hasattr(r, "offset"))

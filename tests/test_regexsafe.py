"""The static backtracking check of ``pattern:`` (wizard/flow/regexsafe.py).

Soundness is argued by construction in the module's docstring; these tests pin the
corpus: every classic bad shape is refused (also inside any context), every pattern
the project ships or documents is accepted. Nothing here is timed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.flow.regexsafe import BACKREF, EMPTY, NESTED, OVERLAP, SLOW, WORK_BUDGET, check_pattern, pattern_work

ROOT = Path(__file__).resolve().parents[1]

BAD = {
    "(a|a)*": OVERLAP,
    "(?:a|a)*": OVERLAP,
    "((a+))+": NESTED,
    "(a|aa)+": OVERLAP,
    "(a*)*": EMPTY,
    "(\\w|\\d)+": OVERLAP,
    "(a|\\w)+": OVERLAP,
    "(\\s|.)+": OVERLAP,
    "(?i:a|A)+": OVERLAP,
    "(.*a){20}": NESTED,
    "(a+)+$": NESTED,
    "(\\d+)*x": NESTED,
    "([a-z]+)*": NESTED,
    "(x+x+)+y": NESTED,
    "(a?b)+": NESTED,
    "(a|b|ab)*": OVERLAP,
    "(ab|a)+c": OVERLAP,
    "(.*)*": EMPTY,
    "(a|)+": EMPTY,
    "(\\b)+": EMPTY,
    "(a)\\1": BACKREF,
    "(?P<n>a)(?P=n)+": BACKREF,
    "(a)?(?(1)b|c)": BACKREF,
    ".*x.*": SLOW,
    "\\d*\\d*": SLOW,
    ".*.*=.*": SLOW,
    "\\d{0,15}" * 10: SLOW,
    "(a+)?a+": SLOW,
}

GOOD = [
    "[0-9]{6,30}",
    "\\d{17}[\\dXx]",
    "1[3-9]\\d{9}",
    "[\\u4e00-\\u9fa5]+",
    "\\w+@\\w+\\.\\w+",
    "(ab)+",
    "(a|b)+",
    "(?:0\\d{2,3}-)?\\d{7,8}",
    "(\\d{11}|\\d{3,4}-\\d{7,8})",
    "[A-Z]{2}\\d{6}",
    ".*",
    "(?i)[a-z0-9]+",
    "[^@]+@[a-z.]+",
]


@pytest.mark.parametrize(("pattern", "rule"), BAD.items(), ids=list(BAD))
def test_known_bad_pattern_is_refused_by_its_rule(pattern: str, rule: object) -> None:
    re.compile(pattern)  # each compiles: the refusal is the safety check's, not the compiler's
    assert check_pattern(pattern) == rule


@pytest.mark.parametrize("pattern", GOOD)
def test_known_good_pattern_is_accepted(pattern: str) -> None:
    assert check_pattern(pattern) is None
    assert pattern_work(pattern) <= WORK_BUDGET


def _shipped_patterns() -> list[str]:
    found: list[str] = []
    for base in ("flows", "docs", "tests/data", "wizard"):
        for path in (ROOT / base).rglob("*"):
            if path.suffix in (".yaml", ".yml", ".md") and path.is_file():
                for m in re.finditer(r"^\s*pattern:\s*\"([^\"]*)\"", path.read_text("utf-8"), re.M):
                    found.append(m.group(1).replace("\\\\", "\\"))
    return found


def test_every_shipped_and_documented_pattern_is_accepted() -> None:
    patterns = _shipped_patterns()
    assert "[0-9]{6,30}" in patterns  # the example in docs/flow-format.md: the scan finds them
    assert [p for p in patterns if check_pattern(p) is not None] == []


_SAFE_PIECES = st.sampled_from(["a", "\\d", "[0-9]", "-", "x{3}", "(?:ab)", "^", "[^@]"])


@given(st.lists(_SAFE_PIECES, max_size=4), st.sampled_from(sorted(BAD)), st.lists(_SAFE_PIECES, max_size=4))
def test_a_bad_shape_stays_refused_in_any_context(before: list[str], bad: str, after: list[str]) -> None:
    pattern = "".join(before) + "(?:" + bad + ")" + "".join(after)
    if "\\1" in bad or "(?P=" in bad or "(?(1)" in bad:
        return  # group numbers/names are not closed under wrapping
    assert check_pattern(pattern) is not None
    assert check_pattern(f"(?:{pattern}|zz)") is not None


def test_lint_reports_the_refusal_with_its_line_and_hint() -> None:
    from wizard.flow.loader import parse_flow

    body = (
        'id: t\ntitle: T\nversion: "1"\nreviewed: 2025-01-01\nsteps:\n  - id: a\n    title: A\n    fields:\n'
        "      - {id: x, type: text, label: X, pattern: '(a|aa)+'}\n"
    )
    _, diagnostics = parse_flow(body.encode(), "t.yaml")
    found = [d for d in diagnostics if "alternatives that can start with the same character" in d.message]
    assert found and found[0].location.line == 9 and found[0].hint

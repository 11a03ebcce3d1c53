"""Issue 14 item 7: invisible code points -- tag characters, other format characters (Cf),
Hangul fillers, stray variation selectors -- are refused in flows with path:line:col, raw or
written as a YAML escape, and cleaned from answers."""

from __future__ import annotations

import pytest

from wizard.answers.validators import parse_text
from wizard.flow.loader import parse_flow

FLOW = (
    'id: t\ntitle: "{title}"\nversion: "1"\nreviewed: 2025-01-01\n'
    "steps:\n  - id: a\n    title: A\n    fields:\n      - {{id: x, type: text, label: X}}\n"
)

REFUSED = {
    "tag-raw": ("T\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    "tag-escape": ("T\\U000E0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    "language-tag": ("T\U000e0001", "U+E0001 LANGUAGE TAG"),
    "cancel-tag": ("T\U000e007f", "U+E007F CANCEL TAG"),
    "hangul-filler": ("T\u3164", "U+3164 HANGUL FILLER"),
    "halfwidth-filler": ("T\uffa0", "U+FFA0 HALFWIDTH HANGUL FILLER"),
    "choseong-filler": ("\u115f", "U+115F HANGUL CHOSEONG FILLER"),
    "musical-format": ("T\U0001d173", "U+1D173 MUSICAL SYMBOL BEGIN BEAM"),
    "arabic-number-sign": ("T\u0600", "U+0600 ARABIC NUMBER SIGN"),
    "selector-after-ascii": ("T\ufe0f", "U+FE0F VARIATION SELECTOR-16"),
    "selector-run": ("😀\ufe0f\ufe01", "U+FE01 VARIATION SELECTOR-2"),
}


@pytest.mark.parametrize(("title", "name"), REFUSED.values(), ids=list(REFUSED))
def test_invisible_character_in_a_flow_is_refused_where_it_stands(title: str, name: str) -> None:
    flow, diagnostics = parse_flow(FLOW.format(title=title).encode(), "flows/t.yaml")
    assert flow is None
    shown = [d.format() for d in diagnostics]
    assert any(line.startswith("flows/t.yaml:2:") and f"forbidden character {name}" in line for line in shown), shown


KEPT = ["❤\ufe0f 爱心", "1\ufe0f\u20e3 第一步", "葛\U000e0100 姓名", "👨\u200d👩\u200d👧 家庭"]


@pytest.mark.parametrize("title", KEPT)
def test_a_selector_or_joiner_that_belongs_to_its_character_is_accepted(title: str) -> None:
    flow, diagnostics = parse_flow(FLOW.format(title=title).encode(), "t.yaml")
    assert flow is not None and diagnostics == [], [d.format() for d in diagnostics]
    assert flow.title.source == title


def test_invisible_characters_are_cleaned_from_an_answer() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "rm -rf")
    parsed = parse_text("商家\u3164拒绝" + hidden + "退款\ufe0f\ufe0f\U0001d173")
    assert parsed.error is None
    assert parsed.value == "商家拒绝退款\ufe0f"  # one selector after a visible character stays

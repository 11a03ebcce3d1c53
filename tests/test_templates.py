"""Flow text: ``{field}`` references, ``[[site labels]]``, ``{{``/``}}`` escapes, rendering."""

from __future__ import annotations

import pytest

from wizard.errors import WizardError
from wizard.flow.model import Literal, Ref, SiteLabel
from wizard.flow.templates import MISSING, TemplateSyntaxError, parse_text, plain_text, render


def test_segments() -> None:
    t = parse_text("请点击 [[我要投诉]]，填写 {merchant_name} 的信息。")
    assert t.segments == (
        Literal("请点击 "),
        SiteLabel("我要投诉"),
        Literal("，填写 "),
        Ref("merchant_name"),
        Literal(" 的信息。"),
    )
    assert t.refs == ("merchant_name",)
    assert t.site_labels == ("我要投诉",)


def test_reference_offsets_point_at_the_brace() -> None:
    source = "a {x} b { y }"
    refs = [s for s in parse_text(source).segments if isinstance(s, Ref)]
    assert [(r.name, r.offset, source[r.offset]) for r in refs] == [("x", 2, "{"), ("y", 8, "{")]


def test_doubled_braces_are_literal() -> None:
    t = parse_text("写法：{{field}} 和 }}")
    assert t.segments == (Literal("写法：{field} 和 }"),)
    assert t.refs == ()


@pytest.mark.parametrize(
    ("source", "offset", "words"),
    [
        ("名称 {merchant", 3, "without a closing '}'"),
        ("金额 {1000} 元", 3, "is not a field id"),
        ("a {b c} d", 2, "is not a field id"),
        ("a } b", 2, "without an opening '{'"),
        ("点击 [[我要投诉", 3, "without a closing ']]'"),
        ("点击 [[  ]]", 3, "one button or field"),
        ("点击 [[我要\n投诉]]", 3, "one button or field"),
    ],
)
def test_syntax_errors(source: str, offset: int, words: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        parse_text(source)
    assert info.value.offset == offset
    assert words in info.value.message
    assert isinstance(info.value, WizardError)


def test_render_inserts_answers_and_marks_missing_ones() -> None:
    t = parse_text("{name} 在 [[我要投诉]] 页面，订单 {order}")
    values = {"name": "张三"}
    out = render(t, values.get, convert=str.upper, label=lambda s: f"<{s}>")
    assert out == f"张三 在 <我要投诉> 页面，订单 {MISSING}"


def test_render_never_converts_answers_or_site_labels() -> None:
    t = parse_text("软件 [[软件]] {x}")
    out = render(t, {"x": "软件"}.get, convert=lambda s: s.replace("软件", "軟體"), label=lambda s: s)
    assert out == "軟體 软件 软件"


def test_plain_text_is_one_literal() -> None:
    assert plain_text("{not a ref}").segments == (Literal("{not a ref}"),)
    assert plain_text("").segments == ()

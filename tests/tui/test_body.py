"""The step body's own Markdown reader: the subset flows use, drawn as Rich renderables."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text as RichText

from wizard.flow.model import Text as FlowText
from wizard.flow.templates import parse_text
from wizard.text.render import PLAIN
from wizard.tui.body import BULLET, render_body
from wizard.tui.text import HangingRows


def _parse(source: str) -> FlowText:
    return parse_text(source)


def draw(source: str, values: dict[str, str] | None = None, width: int = 60) -> tuple[str, list[str]]:
    body = render_body(_parse(source), PLAIN, (values or {}).get)
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(body.renderable)
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    return "\n".join(lines).strip("\n"), body.links


def spans(renderable: RenderableType) -> list[tuple[str, str]]:
    """(text, style) of every styled piece of a paragraph."""
    assert isinstance(renderable, RichText)
    return [(renderable.plain[s.start : s.end], str(s.style)) for s in renderable.spans]


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    shown, _ = draw("第一段。\n\n\n第二段。")
    assert shown == "第一段。\n\n第二段。"


def test_a_soft_break_joins_chinese_without_a_space_and_latin_with_one() -> None:
    shown, _ = draw("请先登录\n再继续。\nSee the\nsite.")
    assert shown == "请先登录再继续。 See the site."


def test_two_trailing_spaces_or_a_backslash_break_the_line() -> None:
    assert draw("第一行  \n第二行\\\n第三行")[0] == "第一行\n第二行\n第三行"


def test_bullet_and_numbered_lists_keep_a_hanging_indent() -> None:
    shown, _ = draw("说明：\n\n- 一" + "很长的文字" * 8 + "\n- 二\n\n1. 甲\n2. 乙", width=30)
    lines = shown.splitlines()
    assert lines[0] == "说明："
    assert lines[2].startswith(f"{BULLET} 一很长")
    assert lines[3].startswith("  ") and not lines[3].startswith("   "), "the wrapped line is under the text"
    assert f"{BULLET} 二" in lines
    assert "1. 甲" in lines and "2. 乙" in lines


def test_numbered_marks_of_one_list_line_up() -> None:
    source = "\n".join(f"{n}. 第{n}项" for n in range(8, 12))
    lines = draw(source)[0].splitlines()
    assert lines[0] == " 8. 第8项" or lines[0] == "8.  第8项"
    assert {line.index("第") for line in lines} == {4}


def test_a_list_item_takes_indented_and_lazy_continuation_lines() -> None:
    shown, _ = draw("- 第一项\n  接着写\n- 第二项\n紧接着")
    assert shown.splitlines() == [f"{BULLET} 第一项接着写", f"{BULLET} 第二项紧接着"]


def test_bold_and_emphasis() -> None:
    body = render_body(_parse("请在**七日内**联系，*尽快*处理。"), PLAIN, {}.get)
    assert isinstance(body.renderable, RichText)
    assert body.renderable.plain == "请在七日内联系，尽快处理。"
    styled = spans(body.renderable)
    assert ("七日内", "bold") in styled and ("尽快", "italic") in styled


def test_an_unmatched_or_spaced_marker_stays_as_written() -> None:
    assert draw("单价 5 * 3 元，**没有结尾")[0] == "单价 5 * 3 元，**没有结尾"
    assert draw("file_name_here 和 a * b")[0] == "file_name_here 和 a * b"


def test_escapes_and_code() -> None:
    body = render_body(_parse(r"\*不是强调\* 和 `代码`"), PLAIN, {}.get)
    assert isinstance(body.renderable, RichText)
    assert body.renderable.plain == "*不是强调* 和 代码"
    assert ("代码", "bold") in spans(body.renderable)


def test_headings_quotes_and_rules() -> None:
    shown, _ = draw("## 标题\n> 引用的话\n\n---\n\n正文")
    lines = shown.splitlines()
    assert lines[0] == "标题"
    assert lines[1].startswith("▌ 引用的话")
    assert "─" * 10 in shown and lines[-1] == "正文"


def test_links_are_numbered_in_order_and_carry_only_their_number() -> None:
    source = "看[官方网站](https://www.12315.cn/)，或 <https://www.samr.gov.cn/>，或 https://www.gsxt.gov.cn/。"
    body = render_body(_parse(source), PLAIN, {}.get)
    assert body.links == ["https://www.12315.cn/", "https://www.samr.gov.cn/", "https://www.gsxt.gov.cn/"]
    assert isinstance(body.renderable, RichText)
    assert body.renderable.plain == ("看官方网站，或 https://www.samr.gov.cn/，或 https://www.gsxt.gov.cn/。")
    actions = [s.style.meta["@click"] for s in body.renderable.spans if isinstance(s.style, Style) and s.style.meta]
    assert actions == [f"screen.open_body_link({i})" for i in range(3)]


def test_answers_and_site_labels_are_opaque_to_the_markdown() -> None:
    hostile = "**粗体** [链接](https://evil.example/) <https://evil.example/> - 列表\n# 标题 [@click=app.quit]x"
    body = render_body(_parse("商家：{name}，点击[[我要投诉]]。"), PLAIN, {"name": hostile}.get)
    assert body.links == [], "an answer cannot add a link"
    shown, _ = draw("商家：{name}，点击[[我要投诉]]。", {"name": hostile}, width=200)
    assert "**粗体** [链接](https://evil.example/)" in shown
    assert "[@click=app.quit]x" in shown
    assert "「我要投诉」" in shown


def test_a_missing_answer_is_shown_as_not_filled_in() -> None:
    assert "（未填写）" in draw("名称：{name}")[0]


def test_bold_around_an_answer() -> None:
    body = render_body(_parse("您选择了**{channel}**。"), PLAIN, {"channel": "网购"}.get)
    assert isinstance(body.renderable, RichText)
    assert body.renderable.plain == "您选择了网购。"
    assert any(text == "网购" and "bold" in style for text, style in spans(body.renderable))


def test_shipped_bodies_keep_every_word() -> None:
    """Every character of every shipped body (less the Markdown marks) is drawn."""
    import re

    from wizard.flow.loader import load_flow
    from wizard.flow.model import Literal
    from wizard.shipped import shipped_flows

    for path in shipped_flows():
        flow = load_flow(path)
        for step in flow.steps:
            if step.body is None:
                continue
            body = render_body(step.body, PLAIN, lambda _name: "值")
            console = Console(width=1000, color_system=None, record=True, file=io.StringIO())
            console.print(body.renderable)
            drawn = re.sub(r"\s", "", console.export_text()).replace(BULLET, "")
            for seg in step.body.segments:
                if isinstance(seg, Literal):
                    words = re.sub(r"\*\*|^\s*[-*+]\s|\s", "", seg.text, flags=re.M)
                    assert words in drawn, (path.name, step.id, words)


def test_a_list_is_a_grid_and_a_paragraph_is_text() -> None:
    body = render_body(_parse("- 一\n- 二"), PLAIN, {}.get)
    assert isinstance(body.renderable, HangingRows)
    assert body.renderable.row_count == 2

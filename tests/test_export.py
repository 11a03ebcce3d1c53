"""The checklist exporters: every format on the example answers, and hostile answers.

Markdown output is parsed with markdown-it-py (CommonMark + GFM tables,
strikethrough and autolinks) and HTML output with :mod:`html.parser`, so the
tests check the structure a reader's software would see, not substrings.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.conftest import FLOWS, ROOT
from wizard import export
from wizard.answers.file import load_answers
from wizard.checklist import Checklist, CheckResult, ComposedText, Item, Section, build
from wizard.flow.loader import load_flow
from wizard.flow.model import Flow
from wizard.session import Session
from wizard.text.safety import BIDI_CONTROLS, INVISIBLE
from wizard.text.script import renderer_for

DATA = ROOT / "tests" / "data"
TEST_FLOW = DATA / "export-flow.yaml"
TODAY = date(2026, 11, 25)
SCHEMA = json.loads((ROOT / "wizard" / "schema" / "checklist.schema.json").read_text(encoding="utf-8"))

SHIPPED_EXAMPLES = sorted((FLOWS / "examples" / "12315-complaint").glob("*.yaml"))
CASES = [(FLOWS / "12315-complaint.yaml", p) for p in SHIPPED_EXAMPLES] + [
    (TEST_FLOW, DATA / "export-answers.yaml"),
    (TEST_FLOW, DATA / "hostile-answers.yaml"),
    (TEST_FLOW, DATA / "hostile-answers-lead.yaml"),
]
HOSTILE = [c for c in CASES if "hostile" in c[1].name]


def _id(case: tuple[Path, Path]) -> str:
    return case[1].stem


@functools.lru_cache(maxsize=8)
def _flow(path: Path) -> Flow:
    return load_flow(path)


def checklist_for(flow_path: Path, answers_path: Path, script: str = "zh-Hans") -> tuple[Checklist, Session]:
    flow = _flow(flow_path)
    loaded = load_answers(flow, answers_path, TODAY)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    session = Session(flow, answers=dict(loaded.answers), today=TODAY, script=script)
    return build(session, renderer_for(script)), session


def control_chars(text: str) -> list[str]:
    """Characters no output may hold: C0 (but newline), DEL, C1, bidi, invisible, lone surrogates."""
    bad = []
    for ch in text:
        cp = ord(ch)
        if ch == "\n":
            continue
        if cp < 0x20 or 0x7F <= cp <= 0x9F or ch in BIDI_CONTROLS or ch in INVISIBLE or 0xD800 <= cp <= 0xDFFF:
            bad.append(unicodedata.name(ch, f"U+{cp:04X}"))
    return bad


def markdown_tokens(text: str) -> list[Token]:
    md = MarkdownIt("gfm-like")
    md.linkify.set({"fuzzy_link": False})  # like GitHub: only www. and scheme:// text becomes a link
    tokens = md.parse(text)
    flat: list[Token] = []
    for t in tokens:
        flat.append(t)
        flat.extend(t.children or [])
    return flat


def shown(inline: Token) -> str:
    """The text a reader sees in an inline token (escapes resolved)."""
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def test_shipped_examples_exist() -> None:
    assert (FLOWS / "12315-complaint.yaml").is_file()
    assert len(SHIPPED_EXAMPLES) >= 3


# --- every format on every example -------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=_id)
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_no_control_characters_in_any_format(case: tuple[Path, Path], fmt: str) -> None:
    checklist, session = checklist_for(*case)
    out = export.render(checklist, fmt, ticked=session.ticked, generated=TODAY)
    assert control_chars(out) == []
    assert "\x1b" not in out and "\x9b" not in out


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_markdown_structure(case: tuple[Path, Path]) -> None:
    checklist, _ = checklist_for(*case)
    ticked = {checklist.items[0].key}
    out = export.to_markdown(checklist, ticked=ticked, generated=TODAY)
    tokens = markdown_tokens(out)

    # nothing executable, no raw HTML, no images; links only to safe https addresses we put there
    assert [t for t in tokens if t.type in ("html_inline", "html_block", "image")] == []
    hrefs = [str(t.attrs.get("href")) for t in tokens if t.type == "link_open"]
    assert all(h.startswith("https://") for h in hrefs), hrefs
    assert not any("javascript" in h.lower() for h in hrefs)

    # headings: the title, one per step with items, and the composed texts
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == 1 + len(checklist.sections) + (1 + len(checklist.composed) if checklist.composed else 0)
    h2 = [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    for n, section in enumerate(checklist.sections, 1):
        assert h2[n - 1] == f"{n}. {export.readable(section.title)}"

    # one task-list line per item, ticked where asked
    task_lines = [line for line in out.splitlines() if re.match(r"- \[[ x]\] ", line)]
    assert len(task_lines) == len(checklist.items)
    assert sum(line.startswith("- [x] ") for line in task_lines) == 1
    source = out.splitlines()
    parsed_tasks = [
        t for t in tokens if t.type == "list_item_open" and t.map and re.match(r"- \[[ x]\] ", source[t.map[0]])
    ]
    assert len(parsed_tasks) == len(checklist.items)  # each task line is parsed as its own list item
    assert len({t.level for t in parsed_tasks}) == 1  # none nested inside another

    # every value shows exactly, in a code span (one line) or a fenced block (several lines)
    spans = [t.content for t in tokens if t.type == "code_inline"]
    fences = [t.content.rstrip("\n") for t in tokens if t.type == "fence"]
    for item in checklist.items:
        if item.value is None or item.value == renderer_for("zh-Hans").missing:
            continue
        if "\n" in item.value:
            assert item.value in fences
        else:
            assert item.value in spans
    for t in checklist.composed:
        assert t.text in fences


@pytest.mark.parametrize("case", HOSTILE, ids=_id)
def test_markdown_text_shows_hostile_text_literally(case: tuple[Path, Path]) -> None:
    checklist, _ = checklist_for(*case)
    out = export.to_markdown(checklist, generated=TODAY)
    tokens = markdown_tokens(out)
    rendered = "".join(t.content for t in tokens if t.type in ("text", "code_inline"))
    for section in checklist.sections:
        for item in section.items:
            assert " ".join(item.text.split("\n")) in rendered
    # nothing but our own emphasis: no strikethrough, emphasis or tables from user text
    assert [t.type for t in tokens if t.type in ("s_open", "em_open", "table_open")] == []


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_text_is_numbered_and_plain(case: tuple[Path, Path]) -> None:
    checklist, _ = checklist_for(*case)
    out = export.to_text(checklist, generated=TODAY)
    lines = out.splitlines()
    for n, section in enumerate(checklist.sections, 1):
        assert f"{n}. {export.readable(section.title)}" in lines
        for m, _item in enumerate(section.items, 1):
            assert any(line.startswith(f"   {n}.{m} ") for line in lines), (n, m)
    for check in checklist.checks:
        assert export.readable(check.message).split("\n")[0] in out


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_json_matches_schema_and_round_trips(case: tuple[Path, Path]) -> None:
    checklist, _ = checklist_for(*case)
    data = json.loads(export.to_json(checklist, ticked={checklist.items[-1].key}, generated=TODAY))
    jsonschema.validate(data, SCHEMA)
    assert data["version"] == export.JSON_VERSION
    assert data["flow"]["id"] == checklist.flow_id
    assert data["generated"] == TODAY.isoformat()
    assert data["blocked"] == checklist.blocked
    assert [s["step_id"] for s in data["sections"]] == [s.step_id for s in checklist.sections]
    items = [i for s in data["sections"] for i in s["items"]]
    assert [i["key"] for i in items] == [i.key for i in checklist.items]
    assert [i["ticked"] for i in items].count(True) == 1 and items[-1]["ticked"]
    missing = renderer_for("zh-Hans").missing
    for got, item in zip(items, checklist.items, strict=True):
        assert got["value"] == (None if item.value == missing else item.value)
        assert got["missing"] == (item.value == missing)
    assert [(c["id"], c["level"]) for c in data["checks"]] == [(c.id, c.level) for c in checklist.checks]
    assert [(c["text"], c["over"]) for c in data["composed"]] == [(c.text, c.over) for c in checklist.composed]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "section", "ul", "ol",
    "li", "span", "code", "pre", "a", "br", "footer",
}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=_id)
@pytest.mark.parametrize("script", ["zh-Hans", "zh-TW"])
def test_html_is_self_contained_and_escaped(case: tuple[Path, Path], script: str) -> None:
    checklist, _ = checklist_for(*case, script=script)
    out = export.to_html(checklist, script=script, generated=TODAY)
    page = _Page()
    page.feed(out)
    page.close()
    tags = {t for t, _ in page.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    html_attrs = next(a for t, a in page.tags if t == "html")
    assert html_attrs["lang"] == script
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "src" not in attrs
        if tag == "a":
            assert str(attrs["href"]).startswith("https://")
    assert "@media print" in out and "<script" not in out.lower().replace("&lt;script", "")
    assert not re.search(r"url\(|@import|https?://[^\"<\s]*\.(css|js|woff2?|ttf)", out)
    text = "".join(page.text)
    for item in checklist.items:
        for part in item.text.split("\n"):
            assert part in text
        if item.value:
            assert item.value in text


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_stop_checks_come_first_and_prominent(fmt: str) -> None:
    example = FLOWS / "examples" / "12315-complaint" / "over-three-years.yaml"
    checklist, _ = checklist_for(FLOWS / "12315-complaint.yaml", example)
    assert checklist.blocked
    out = export.render(checklist, fmt, generated=TODAY)
    stop = next(c for c in checklist.checks if c.level == "stop")
    heading = export.STOP_HEADING
    first_step = export.readable(checklist.sections[0].title) if checklist.sections else None
    if fmt == "json":
        data = json.loads(out)
        assert data["blocked"] is True
        assert {"id": stop.id, "level": "stop", "message": stop.message} in data["checks"]
        return
    assert heading in out
    assert out.index(heading) < (out.index(first_step) if first_step and first_step in out else len(out))
    assert export.readable(stop.message)[:20] in out
    if fmt == "markdown":
        assert "> **" + export.md_inline(heading) + "**" in out
    if fmt == "html":
        assert '<section class="stop" role="alert">' in out


# --- the exporter boundary: control characters from a saved session or a flow -------------

DIRTY = "a\x1b[31mb\x07c\x9b2Jd\u202ee\u200bf\x00g"


def dirty_checklist() -> Checklist:
    item = Item("s.0", f"text {DIRTY}", f"value {DIRTY}\nline2 {DIRTY}", "https://www.12315.cn/", 1)
    return Checklist(
        flow_id="t",
        flow_title=f"title {DIRTY}",
        flow_version=f"1 {DIRTY}",
        reviewed="2025-01-01",
        sections=(Section("s", f"step {DIRTY}", f"https://www.12315.cn/{DIRTY}", (item,)),),
        checks=(CheckResult("c", "stop", f"stop {DIRTY}"), CheckResult("w", "warn", f"warn {DIRTY}")),
        composed=(ComposedText("x", f"label {DIRTY}", f"site {DIRTY}", f"text {DIRTY}", 10, 5, f"advice {DIRTY}"),),
    )


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_control_characters_are_removed_at_the_boundary(fmt: str) -> None:
    out = export.render(dirty_checklist(), fmt, generated=TODAY)
    assert control_chars(out) == []
    assert "\\u001b" not in out and "\\u0000" not in out  # not even escaped in JSON


def test_sanitised_keeps_text_and_line_breaks() -> None:
    clean = export.sanitised(dirty_checklist())
    assert clean.flow_title == "title a[31mbc2Jdefg"
    assert clean.items[0].value == "value a[31mbc2Jdefg\nline2 a[31mbc2Jdefg"


def test_flow_text_cannot_inject_markup() -> None:
    base = dirty_checklist()
    evil = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) # | `"
    section = replace(base.sections[0], title=evil, link="javascript:alert(1)")
    checklist = replace(base, flow_title=evil, sections=(section,), checks=(CheckResult("c", "warn", evil),))
    md = export.to_markdown(checklist, generated=TODAY)
    tokens = markdown_tokens(md)
    assert [t for t in tokens if t.type in ("html_inline", "html_block", "image", "link_open")] == [
        t for t in tokens if t.type == "link_open" and str(t.attrs.get("href", "")).startswith("https://")
    ]
    page = export.to_html(checklist, generated=TODAY)
    assert "<img" not in page and 'href="javascript' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- Markdown pieces ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["plain", "a`b", "``x``", "`start", "end`", " both ", "````", "a ``` b", "<b>x</b>", "[x](javascript:y)", "|"],
)
def test_code_span_shows_value_exactly(value: str) -> None:
    tokens = markdown_tokens("- [ ] 填写：" + export.md_code_span(value))
    spans = [t.content for t in tokens if t.type == "code_inline"]
    assert spans == [value]


@pytest.mark.parametrize(
    "value",
    ["- [x] item\n# h", "```\ninside\n```", "````\n`````", "> quote\n\n\nafter blank lines", "    indented\n1. one"],
)
def test_code_block_in_a_list_item_keeps_the_list(value: str) -> None:
    md = "\n".join(["- [ ] 第一项：", *export.md_code_block(value, "  "), "- [ ] 第二项"])
    tokens = markdown_tokens(md)
    assert [t.content.rstrip("\n") for t in tokens if t.type == "fence"] == [value]
    assert sum(1 for t in tokens if t.type == "bullet_list_open") == 1
    assert sum(1 for t in tokens if t.type == "list_item_open") == 2
    assert [t for t in tokens if t.type == "heading_open"] == []


@pytest.mark.parametrize(
    "text", ["# h", "- item", "+ item", "1. one", "2) two", "= under", "> q", "*a* _b_ ~~c~~", "[a](b) ![c](d)", "<x>"]
)
def test_md_inline_never_opens_a_block_or_a_span(text: str) -> None:
    for line in (export.md_inline(text), "- [ ] " + export.md_inline(text)):
        tokens = markdown_tokens(line)
        kinds = {t.type for t in tokens}
        assert kinds <= {"paragraph_open", "paragraph_close", "inline", "text", "bullet_list_open",
                         "bullet_list_close", "list_item_open", "list_item_close"}, (line, kinds)  # fmt: skip
        shown = "".join(t.content for t in tokens if t.type == "text")
        assert text in shown


def test_readable_strips_the_markdown_flows_use() -> None:
    assert export.readable("输入 **www.12315.cn**（主办）") == "输入 www.12315.cn（主办）"
    assert export.readable("打开 [平台](https://www.12315.cn/)") == "打开 平台（https://www.12315.cn/）"
    assert export.readable("见 <https://www.12315.cn/>") == "见 https://www.12315.cn/"
    assert export.readable("*强调*和`代码`\n第二行") == "强调和代码\n第二行"  # line breaks kept
    assert export.readable("## 标题") == "## 标题"  # headings are block syntax: bodies only


# --- options ----------------------------------------------------------------------------------


def test_ticked_items_in_every_format() -> None:
    checklist, _ = checklist_for(TEST_FLOW, DATA / "export-answers.yaml")
    key = checklist.items[1].key
    assert "- [x] " in export.to_markdown(checklist, ticked={key}, generated=TODAY)
    assert "（已完成）" in export.to_text(checklist, ticked={key}, generated=TODAY)
    assert 'class="item ticked"' in export.to_html(checklist, ticked={key}, generated=TODAY)
    assert "- [x] " not in export.to_markdown(checklist, generated=TODAY)


def test_traditional_reader_gets_converted_words_and_untouched_answers() -> None:
    checklist, _ = checklist_for(TEST_FLOW, DATA / "export-answers.yaml", script="zh-TW")
    out = export.to_text(checklist, script="zh-TW", generated=TODAY)
    assert "請注意" in out  # the exporter's own words, converted
    assert "杭州某某电子商务有限公司" in out  # the user's answer, as typed
    assert "「我要投诉」" in out  # a site label, as on the site


def test_defaults_for_the_tui() -> None:
    """The Textual app calls ``to_markdown(checklist)`` and ``to_text(checklist)`` with nothing else."""
    checklist, _ = checklist_for(TEST_FLOW, DATA / "export-answers.yaml")
    assert export.to_markdown(checklist).startswith("# ")
    assert export.to_text(checklist).startswith(checklist.flow_title)


def test_unknown_format_is_refused() -> None:
    checklist, _ = checklist_for(TEST_FLOW, DATA / "export-answers.yaml")
    with pytest.raises(ValueError, match="unknown format"):
        export.render(checklist, "pdf")


def test_the_documented_example_matches_the_schema() -> None:
    doc = (ROOT / "docs" / "checklist-json.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)\n```", doc, re.DOTALL)
    assert example is not None
    data = json.loads(example.group(1))
    jsonschema.validate(data, SCHEMA)
    keys = set(SCHEMA["properties"])
    for key in keys:
        assert f"| `{key}` |" in doc, key  # every top-level key is documented

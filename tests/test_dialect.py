"""One Markdown dialect and one link rule for every view (issue 16; issue 14, item 5).

The dialect is parsed by :mod:`wizard.text.markup` alone: the full-screen app draws step bodies with it
(``tests/tui/test_body.py``), and here the exports (HTML, Markdown, text) and plain mode are shown
to read the same texts the same way: ``*强调*`` and ``**粗体**`` become <em>/<strong> in HTML, stay
Markdown in Markdown and lose their asterisks in text and plain mode, while an answer is never
read as Markdown. A link is live (or announced as a link) only when
:func:`wizard.text.safety.live_link` says so, the rule of the app's link dialog.
"""

from __future__ import annotations

import io
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from wizard import export
from wizard.checklist import Checklist, build
from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.plain import run_plain
from wizard.session import Session
from wizard.text import markup
from wizard.text.render import PLAIN
from wizard.text.safety import check_url, link_problem, live_link

TODAY = date(2026, 11, 25)

LOOKALIKES = [
    "https://www.12315.cn.evil.com/",
    "https://12315.cn.evil.com/login",
    "https://www.12315.cn@evil.com/",
    "https://12315.cn@evil.com/",
    "https://www.xn--12315-9k1b.cn/",
    "https://www.12315cn.com/",
    "https://evil12315.cn/",
    "https://gov.cn.evil.com/",
    "https://www.samr.gov.cn.evil.com/",
    "https://1.2.3.4/",
    "https://www.12315.cn:8443/",
    "http://www.12315.cn/",
    "javascript:alert(1)",
    "-https://www.12315.cn/",
    "https://example.com/",
]
OFFICIAL = ["https://www.12315.cn/", "https://12315.cn/a?b=1", "https://www.samr.gov.cn/", "https://www.gsxt.gov.cn/"]

FLOW_YAML = """\
id: dialect-test
title: 方言测试
version: "1"
reviewed: "2026-11-01"
steps:
  - id: one
    title: 第一步：**粗体**标题
    body: |
      请*强调*阅读，**务必**保留凭证。
      见 [官方网站](https://www.12315.cn/) 或 [假网站](https://www.12315.cn.evil.com/)。

      - 第一项 `代码`
      - 第二项
    link: https://www.12315.cn.evil.com/
    fields:
      - id: name
        type: text
        label: 商家**全称**
        required: true
    checklist:
      - text: 点击[[我要投诉]]，*强调*填写**粗体**：{name}
      - text: 打开官方网站
        link: https://www.12315.cn/
      - text: 别打开这个网站
        link: https://www.12315.cn.evil.com/
      - text: 看 [假网站](https://www.12315-cn.com/) 和 https://www.12315.cn.evil.com/x 与 [真网站](https://www.12315.cn/)
checks:
  - id: note
    level: warn
    when: name is set
    message: 请*核对*商家「{name}」的**全称**。
"""

HOSTILE_NAME = "**假粗体** *假强调* `假代码` [链接](https://www.12315.cn/) https://www.12315.cn/ <b>"


def _flow(tmp_path: Path) -> Flow:
    path = tmp_path / "dialect.yaml"
    path.write_text(FLOW_YAML, encoding="utf-8")
    flow, diagnostics = parse_flow(path.read_bytes(), str(path))
    assert flow is not None, [d.format() for d in diagnostics]
    return flow


def _checklist(tmp_path: Path, name: str = "某某公司") -> Checklist:
    return build(Session(_flow(tmp_path), answers={"name": name}, today=TODAY), PLAIN)


def _md_tokens(text: str) -> list[Token]:
    md = MarkdownIt("gfm-like")
    md.linkify.set({"fuzzy_link": False})  # like GitHub: www. and scheme:// text becomes a link
    flat: list[Token] = []
    for t in md.parse(text):
        flat.append(t)
        flat.extend(t.children or [])
    return flat


class _Html(HTMLParser):
    """Tags with the text directly inside them, and every href."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.inside: list[tuple[str, str]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.inside.append((self.stack[-1], data))


def _html(page: str) -> _Html:
    parser = _Html()
    parser.feed(page)
    return parser


# --- the link rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LOOKALIKES)
def test_a_lookalike_is_never_live(url: str) -> None:
    assert not live_link(url)
    assert link_problem(url)
    assert not (check_url(url).ok and check_url(url).official)


@pytest.mark.parametrize("url", OFFICIAL)
def test_an_official_https_link_is_live(url: str) -> None:
    assert live_link(url)
    assert link_problem(url) is None


def test_the_app_and_the_exports_share_the_rule() -> None:
    """The link dialog and every export ask the same function (no second copy of the rule)."""
    from wizard.tui import links

    assert links.live_link is live_link
    assert markup.link_words.__module__ == "wizard.text.markup"
    for url in LOOKALIKES + OFFICIAL:
        assert (export._safe_link(url) is not None) is live_link(url)


@pytest.mark.parametrize("url", LOOKALIKES)
def test_no_lookalike_is_live_in_html_or_markdown(url: str) -> None:
    text = f"打开 [官方网站]({url}) 或 {url}" if url.startswith("https://") else f"打开 [官方网站]({url})"
    md = export.md_text(text)
    hrefs = [str(t.attrs.get("href", "")) for t in _md_tokens(md) if t.type == "link_open"]
    assert hrefs == [], (md, hrefs)
    html = export.html_spans(markup.spans_of(text))
    assert _html(html).hrefs == [], html
    if any(sp.url for sp in markup.spans_of(text)):  # "javascript:alert(1)" is no link of the dialect at all
        assert "不是官方网站" in export.readable(text)
    else:
        assert export.readable(text) == text


def test_exports_make_only_official_links_live(tmp_path: Path) -> None:
    checklist = _checklist(tmp_path)
    page = export.to_html(checklist, generated=TODAY)
    hrefs = set(_html(page).hrefs)
    assert hrefs == {"https://www.12315.cn/"}, hrefs
    assert "www.12315.cn.evil.com" in page and "不是官方网站" in page
    md = export.to_markdown(checklist, generated=TODAY)
    md_hrefs = {str(t.attrs.get("href", "")) for t in _md_tokens(md) if t.type == "link_open"}
    assert md_hrefs == {"https://www.12315.cn/"}, md_hrefs
    assert "www.12315.cn.evil.com" in md
    text = export.to_text(checklist, generated=TODAY)
    assert "网址：https://www.12315.cn/" in text
    assert "网址：https://www.12315.cn.evil.com" not in text
    assert "非官方网址（不是官方网站" in text


def test_markdown_text_is_never_autolinked_by_a_renderer() -> None:
    """Plain text in a Markdown export holds no www./scheme:// or e-mail GitHub would make a link."""
    for text in ("见 www.12315.cn.evil.com 页面", "https://www.12315.cn.evil.com/", "a@evil.com", "打开 WWW.EVIL.COM"):
        md = export.md_inline(text)
        assert [t for t in _md_tokens(md) if t.type == "link_open"] == [], md
        shown = "".join(t.content for t in _md_tokens(md) if t.type == "text")
        assert shown == text


def _plain_run(flow: Flow, lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("WIZARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    out = io.StringIO()
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    run_plain(flow, Path(flow.path), script="zh-Hans", resume="fresh", stdin=io.BytesIO(data), stdout=out, today=TODAY)
    return out.getvalue()


def test_plain_mode_announces_only_official_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _plain_run(_flow(tmp_path), ["某某公司", ""], tmp_path, monkeypatch)
    assert "网址：https://www.12315.cn.evil.com" not in out
    assert "非官方网址（不是官方网站，不是链接，请谨慎）：https://www.12315.cn.evil.com/" in out
    assert "官方网站（https://www.12315.cn/）" in out
    assert "假网站（https://www.12315.cn.evil.com/（不是官方网站，不是链接，请谨慎））" in out


# --- one dialect -----------------------------------------------------------------------------------


def test_html_draws_emphasis_and_strong(tmp_path: Path) -> None:
    page = export.to_html(_checklist(tmp_path), generated=TODAY)
    inside = _html(page).inside
    assert ("em", "强调") in inside and ("strong", "粗体") in inside  # a checklist item
    assert ("em", "核对") in inside and ("strong", "全称") in inside  # a check message
    assert ("strong", "粗体") in inside  # the step title
    assert "*强调*" not in page and "**粗体**" not in page


def test_markdown_keeps_emphasis_and_strong_as_markdown(tmp_path: Path) -> None:
    md = export.to_markdown(_checklist(tmp_path), generated=TODAY)
    assert "*强调*" in md and "**粗体**" in md
    tokens = _md_tokens(md)
    kinds = [t.type for t in tokens]
    assert "em_open" in kinds and "strong_open" in kinds
    after_em = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "em_open"]
    after_strong = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "strong_open"]
    assert "强调" in after_em and "核对" in after_em
    assert "粗体" in after_strong and "全称" in after_strong


def test_text_shows_no_literal_asterisks(tmp_path: Path) -> None:
    text = export.to_text(_checklist(tmp_path), generated=TODAY)
    assert "*" not in text
    assert "点击「我要投诉」，强调填写粗体：某某公司" in text
    assert "请核对商家「某某公司」的全称。" in text
    assert "第一步：粗体标题" in text


def test_plain_mode_shows_the_body_without_marks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _plain_run(_flow(tmp_path), ["某某公司", ""], tmp_path, monkeypatch)
    assert "请强调阅读，务必保留凭证。" in out
    assert "- 第一项 代码" in out and "- 第二项" in out
    assert "问题 1 / 1：商家全称（必填）" in out
    assert "*" not in out and "`" not in out


def test_an_answer_is_never_read_as_markdown_in_any_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checklist = _checklist(tmp_path, HOSTILE_NAME)
    text = export.to_text(checklist, generated=TODAY)
    assert f"点击「我要投诉」，强调填写粗体：{HOSTILE_NAME}" in text
    page = export.to_html(checklist, generated=TODAY)
    parsed = _html(page)
    assert ("em", "假强调") not in parsed.inside and ("strong", "假粗体") not in parsed.inside
    assert ("code", "假代码") not in parsed.inside
    assert set(parsed.hrefs) == {"https://www.12315.cn/"}  # only the flow's own links
    assert parsed.hrefs.count("https://www.12315.cn/") == 2  # an item's link and [真网站] (the step's is a look-alike)
    md = export.to_markdown(checklist, generated=TODAY)
    shown = "".join(t.content for t in _md_tokens(md) if t.type in ("text", "code_inline"))
    assert HOSTILE_NAME in shown
    out = _plain_run(_flow(tmp_path), [HOSTILE_NAME, ""], tmp_path, monkeypatch)
    assert f"请核对商家「{HOSTILE_NAME}」的全称。" in out


def test_escape_round_trips() -> None:
    for s in (HOSTILE_NAME, "a\\b", "c:\\d", "snake_case_name", "`", "\\*"):
        assert markup.plain_text(markup.escape(s), lambda url: "?" + url) == s

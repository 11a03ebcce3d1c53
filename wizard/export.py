"""The checklist as Markdown, plain text, JSON or HTML.

The exporters only *format* a :class:`~wizard.checklist.Checklist`; what the
checklist says (which steps, items, checks and composed texts apply) is
decided by :func:`wizard.checklist.build` and the session. Every string is
passed through :func:`wizard.text.safety.clean_text` again at this boundary (a
saved session or a flow file could still carry control characters), and
then escaped for the target format:

- Markdown: a GitHub task list under one heading per site step. Flow text
  and user text are backslash-escaped, so no character can open a link, an
  HTML tag, a heading or a list; the user's values sit in code spans (a
  fence longer than any run of backticks inside) or, when they span several
  lines, in fenced code blocks inside the list item.
- Text: numbered (``1.``, ``1.1``), no markup, for printing or pasting into
  a chat.
- JSON: the stable structure documented in ``docs/checklist-json.md``
  (schema: ``wizard/schema/checklist.schema.json``).
- HTML: one self-contained printable page: inline CSS, no script, no
  external asset, everything escaped with :func:`html.escape`.
- iCalendar (``ics``): one all-day event per deadline (:func:`to_ics`),
  built with :mod:`icalendar`.

The deadlines (「期限」) come first in the text, Markdown and HTML forms, with
the sentence saying which years the holiday calendar covers, once.

``json``, ``html`` and ``icalendar`` are imported only by their exporters, so
that ``wizard checklist --format text`` stays light.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from datetime import date

from wizard.checklist import Checklist, CheckResult, ComposedText, DeadlineDate, Item, Section
from wizard.flow.record import record
from wizard.text import markup
from wizard.text.render import TextRenderer
from wizard.text.safety import SUSPECT_CHARS, clean_text, live_link

FORMATS = ("markdown", "text", "json", "html")  # the checklist itself
CALENDAR_FORMAT = "ics"  # only the deadlines, as calendar events
ALL_FORMATS = (*FORMATS, CALENDAR_FORMAT)
JSON_FORMAT = "wizard-12315-checklist"
JSON_VERSION = 1
DEFAULT_SCRIPT = "zh-Hans"
HTML_LANG = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "zh-TW": "zh-TW", "zh-HK": "zh-HK"}


# --- the boundary: clean every string ------------------------------------------------


def _clean(s: str, multiline: bool = True) -> str:
    """:func:`clean_text`, with the common case (nothing to remove or change) found by one regex search."""
    if "\t" in s or (not multiline and "\n" in s) or SUSPECT_CHARS.search(s) is not None:
        return clean_text(s, multiline=multiline)
    return s


def _line(s: str) -> str:
    return _clean(s, multiline=False).strip()


def _block(s: str | None) -> str | None:
    return None if s is None else _clean(s)


def _link(s: str | None) -> str | None:
    return None if s is None else _line(s) or None


def sanitised(checklist: Checklist) -> Checklist:
    """A copy with every string cleaned of control, bidi and invisible characters."""

    def item(i: Item) -> Item:
        return Item(
            key=_line(i.key),
            text=_clean(i.text),
            value=_block(i.value),
            link=_link(i.link),
            line=i.line,
            source=_block(i.source),
        )

    def section(s: Section) -> Section:
        return Section(
            step_id=_line(s.step_id),
            title=_line(s.title),
            link=_link(s.link),
            items=tuple(item(i) for i in s.items),
            title_source=None if s.title_source is None else _line(s.title_source),
        )

    def check(c: CheckResult) -> CheckResult:
        return CheckResult(id=_line(c.id), level=_line(c.level), message=_clean(c.message), source=_block(c.source))

    def composed(c: ComposedText) -> ComposedText:
        return ComposedText(
            id=_line(c.id),
            label=_line(c.label),
            site_label=_link(c.site_label),
            text=_clean(c.text),
            length=c.length,
            max_length=c.max_length,
            advice=_block(c.advice),
            advice_source=_block(c.advice_source),
        )

    def deadline(t: DeadlineDate) -> DeadlineDate:
        return DeadlineDate(
            id=_line(t.id),
            label=_line(t.label),
            end=t.end,
            estimate=t.estimate,
            text=_line(t.text),
            basis=_line(t.basis),
            start=t.start,
        )

    return Checklist(
        flow_id=_line(checklist.flow_id),
        flow_title=_line(checklist.flow_title),
        flow_version=_line(checklist.flow_version),
        reviewed=_line(checklist.reviewed),
        sections=tuple(section(s) for s in checklist.sections),
        checks=tuple(check(c) for c in checklist.checks),
        composed=tuple(composed(c) for c in checklist.composed),
        deadlines=tuple(deadline(t) for t in checklist.deadlines),
        calendar_note=None if checklist.calendar_note is None else _line(checklist.calendar_note),
    )


# --- flow text in the one Markdown dialect -------------------------------------------------
#
# Flow texts (titles, checklist items, check messages, labels, advice) are written in the dialect
# of :mod:`wizard.text.markup`, the parser the full-screen app draws bodies with. Each format draws its
# spans: HTML as <strong>/<em>/<code>, Markdown as Markdown again (escaped), text as plain words.
# A link is live (an <a href>, a Markdown link) or announced as one (「网址：」) only when
# :func:`wizard.text.safety.live_link` says so, the rule of the app; any other address is plain text
# marked 「不是官方网站」.

NOT_OFFICIAL = "不是官方网站，不是链接，请谨慎"
LINK_PREFIX = "网址："
UNOFFICIAL_PREFIX = "非官方网址（" + NOT_OFFICIAL + "）："


def _same(s: str) -> str:
    return s


def readable(text: str, ui: Callable[[str], str] = _same) -> str:
    """Flow text written in the dialect, as plain words: no asterisks or backticks, links as
    ``text（url）``; an address that may not be live is marked (in the reader's script, via ``ui``)."""
    return markup.plain_text(text, lambda url: f"{url}（{ui(NOT_OFFICIAL)}）")


def link_line(url: str, ui: Callable[[str], str] = _same) -> str:
    """「网址：…」 for a live link; 「非官方网址（…）：…」 for any other (text and plain mode)."""
    return (ui(LINK_PREFIX) if live_link(url) else ui(UNOFFICIAL_PREFIX)) + url


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _source(text: str, source: str | None) -> str:
    """A checklist text in the dialect: its source (answers escaped) when it has one."""
    return text if source is None else source


def _md_with_colon(source: str, value: str | None) -> str:
    """:func:`_with_colon` for a text in the dialect (an escaped ``\\:`` counts as a colon)."""
    if value is None:
        return source
    while source.endswith(("：", ":")):
        source = source[:-2] if source.endswith("\\:") else source[:-1]
    return source + "："


def _with_colon(text: str, value: str | None) -> str:
    """「填写订单号」 + value → 「填写订单号：」 (one colon, whatever the author wrote)."""
    return text.rstrip("：:") + "：" if value is not None else text


def _safe_link(url: str | None) -> str | None:
    """The link if it may be live (:func:`wizard.text.safety.live_link`: official https), else None."""
    return url if url and live_link(url) else None


# --- what every format shares ----------------------------------------------------------

STOP_HEADING = "请先处理：以下问题不解决，投诉可能不被受理"
WARN_HEADING = "请注意"
COMPOSED_HEADING = "需要粘贴的文字"
DEADLINES_HEADING = "期限"
PRIVACY = "本清单含有您的个人信息，请妥善保管，不要发到公开的地方。"
TITLE_SUFFIX = " —— 您的清单"


@record
class _Doc:
    """A cleaned checklist and what every exporter needs beside it."""

    c: Checklist
    renderer: TextRenderer
    ticked: frozenset[str]
    script: str
    generated: date

    def w(self, s: str) -> str:
        """The exporter's own words, in the reader's script."""
        return self.renderer.ui(s)

    def missing(self, item: Item) -> bool:
        """True when the item's value is the 「（未填写）」 marker, not an answer."""
        return item.value is not None and item.value == self.renderer.missing

    def done(self, item: Item) -> bool:
        return item.key in self.ticked

    @property
    def title(self) -> str:
        return readable(self.c.flow_title) + self.w(TITLE_SUFFIX)

    @property
    def meta(self) -> str:
        c = self.c
        return self.w(f"流程版本 {c.flow_version}（内容核对于 {c.reviewed}），清单生成于 {self.generated.isoformat()}")

    @property
    def stops(self) -> list[CheckResult]:
        return [k for k in self.c.checks if k.level == "stop"]

    @property
    def warns(self) -> list[CheckResult]:
        return [k for k in self.c.checks if k.level != "stop"]

    def length_note(self, t: ComposedText) -> str:
        if t.max_length is None:
            return self.w(f"共 {t.length} 字")
        if t.over:
            return self.w(f"共 {t.length} 字，超出上限（{t.max_length} 字）{t.length - t.max_length} 字")
        return self.w(f"共 {t.length} 字（上限 {t.max_length} 字）")

    def composed_title(self, t: ComposedText) -> str:
        title = readable(t.label)
        if t.site_label and t.site_label not in title:
            title += self.w("（粘贴到网站上的") + f"「{t.site_label}」" + self.w("）")
        return title

    def source(self, item: Item) -> str:
        """The item's text in the dialect (answers escaped)."""
        return _source(item.text, item.source)

    def item_link(self, section: Section, item: Item) -> str | None:
        """The item's own link, unless it repeats the step's."""
        return item.link if item.link and item.link != section.link else None


def _doc(
    checklist: Checklist,
    ticked: Collection[str],
    script: str,
    generated: date | None,
    renderer: TextRenderer | None,
) -> _Doc:
    if renderer is None:
        from wizard.text.script import renderer_for

        renderer = renderer_for(script)
    return _Doc(sanitised(checklist), renderer, frozenset(ticked), script, generated or date.today())


# --- plain text ------------------------------------------------------------------------------


def _hang(text: str, first: str, rest: str) -> list[str]:
    """``text`` with ``first`` before its first line and ``rest`` before the others."""
    lines = text.split("\n")
    return [first + lines[0]] + [rest + line if line else "" for line in lines[1:]]


def to_text(
    checklist: Checklist,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """Plain numbered text: ``1.`` per step, ``1.1`` per item; site labels as 「…」; no markup."""
    d = _doc(checklist, ticked, script, generated, renderer)
    out: list[str] = [d.title, d.meta, d.w(PRIVACY)]
    if d.stops:
        out += ["", d.w("！！") + d.w(STOP_HEADING) + d.w("：")]
        for k in d.stops:
            out += _hang(readable(_source(k.message, k.source), d.w), "  ！ ", "     ")
    if d.warns:
        out += ["", d.w(WARN_HEADING) + d.w("：")]
        for k in d.warns:
            out += _hang(readable(_source(k.message, k.source), d.w), "  · ", "    ")
    if d.c.deadlines:
        out += ["", d.w(DEADLINES_HEADING) + d.w("：")]
        for dl in d.c.deadlines:
            out += [f"  · {readable(dl.label)}：{dl.text}", f"    {dl.basis}"]
        if d.c.calendar_note:
            out.append("  " + d.c.calendar_note + d.w("。"))
    for n, section in enumerate(d.c.sections, 1):
        out += ["", f"{n}. {readable(_source(section.title, section.title_source), d.w)}"]
        if section.link:
            out.append("   " + link_line(section.link, d.w))
        for m, item in enumerate(section.items, 1):
            number = f"   {n}.{m} "
            pad = " " * len(number)
            text = readable(_source(item.text, item.source), d.w)
            done = d.w("（已完成）") if d.done(item) else ""
            if item.value is not None and "\n" not in item.value:
                out += _hang(f"{_with_colon(text, item.value)}{item.value}{done}", number, pad)
            else:
                out += _hang(_with_colon(text, item.value) + done, number, pad)
                if item.value is not None:
                    out += _hang(item.value, pad, pad)
            link = d.item_link(section, item)
            if link:
                out.append(pad + link_line(link, d.w))
    if d.c.composed:
        out += ["", d.w(COMPOSED_HEADING) + d.w("：")]
        for t in d.c.composed:
            out += ["", f"{d.composed_title(t)}：{d.length_note(t)}"]
            if t.over and t.advice:
                out += _hang(readable(_source(t.advice, t.advice_source), d.w), d.w("注意："), "   ")
            out += _hang(t.text, "   ", "   ")
    return "\n".join(out).rstrip() + "\n"


# --- Markdown -------------------------------------------------------------------------------

# Every ASCII character that can open or close an inline construct (emphasis,
# code, links, images, autolinks, raw HTML, entities, GFM strikethrough,
# tables, math) is backslash-escaped; CommonMark allows escaping any ASCII
# punctuation and then shows the character itself.
_MD_SPECIAL = "\\`*_[]<>#|!~&$"
_MD_ESCAPED = {ord(ch): "\\" + ch for ch in _MD_SPECIAL}  # for str.translate
# at the start of a line these could open a list or a setext heading (compiled on first use)
_MD_LINE_START = r"^(?:([-+=])|(\d{1,9})([.)]))"


# what GitHub's extended autolinks would make live in plain text: a scheme's "://", "www.", an e-mail "@"
_MD_AUTOLINK_START = r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<![a-z0-9.])(www)(\.)|(@)"


def _md_escape(text: str) -> str:
    """Inline text with every structure character escaped, and nothing a renderer would make a link."""
    escaped = text.translate(_MD_ESCAPED)
    if ":" in escaped or "@" in escaped or "www" in escaped.lower():
        escaped = re.sub(
            _MD_AUTOLINK_START,
            lambda m: "\\:" if m[1] else (f"{m[2]}\\." if m[2] else "\\@"),
            escaped,
        )
    return escaped


def _md_line_start(escaped: str) -> str:
    first = escaped[:1]
    if first not in ("-", "+", "=") and not first.isdecimal():  # what _MD_LINE_START can match
        return escaped
    return re.sub(_MD_LINE_START, lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", escaped)


def md_inline(text: str) -> str:
    """Text for one Markdown line: newlines become spaces, structure characters are escaped."""
    return _md_line_start(_md_escape(_one_line(text)))


def md_text(text: str, ui: Callable[[str], str] = _same) -> str:
    """Flow text in the dialect as one Markdown line: emphasis, strong and code stay Markdown,
    everything else is escaped; only a live link is a Markdown link, any other address is a code
    span marked 「不是官方网站」."""
    out: list[str] = []
    strong = emphasis = False
    for sp in markup.spans_of(_one_line(text)):
        if (sp.strong, sp.emphasis) != (strong, emphasis):
            out.append(("*" if emphasis else "") + ("**" if strong else ""))
            strong, emphasis = sp.strong, sp.emphasis
            out.append(("**" if strong else "") + ("*" if emphasis else ""))
        if sp.kind == markup.CODE:
            out.append(md_code_span(sp.text))
        elif sp.url is not None:
            live = _safe_link(sp.url)
            if live and not re.search(r"[<>\s]", live):
                out.append(f"<{live}>" if sp.kind == markup.AUTOLINK else f"[{_md_escape(sp.text)}](<{live}>)")
            else:
                note = md_code_span(sp.url) + _md_escape(ui("（" + NOT_OFFICIAL + "）"))
                same = sp.kind == markup.AUTOLINK or sp.text == sp.url
                out.append(note if same else _md_escape(sp.text) + _md_escape("（") + note + _md_escape("）"))
        else:
            out.append(_md_escape(sp.text))
    out.append(("*" if emphasis else "") + ("**" if strong else ""))
    return _md_line_start("".join(out))


def md_code_span(value: str) -> str:
    """A CommonMark code span showing ``value`` exactly (line breaks become spaces)."""
    flat = " ".join(value.split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = flat.startswith("`") or flat.endswith("`") or (flat[:1] == " " and flat[-1:] == " " and flat.strip(" "))
    return f"{fence} {flat} {fence}" if pad else f"{fence}{flat}{fence}"


def md_code_block(value: str, indent: str = "") -> list[str]:
    """A fenced code block showing ``value`` exactly, each line indented by ``indent``."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * max(3, longest + 1)
    body = [indent + line if line else "" for line in value.split("\n")]
    return [indent + fence + "text", *body, indent + fence]


def _md_link(url: str, ui: Callable[[str], str] = _same) -> str:
    """A live link as ``<url>``; any other address as a code span marked 「不是官方网站」 (never a link)."""
    safe = _safe_link(url)
    if safe and not re.search(r"[<>\s]", safe):
        return f"<{safe}>"
    return md_code_span(url) + _md_escape(ui("（" + NOT_OFFICIAL + "）"))


def to_markdown(
    checklist: Checklist,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """A GitHub task list with a heading per site step; all flow and user text escaped."""
    d = _doc(checklist, ticked, script, generated, renderer)
    out: list[str] = ["# " + md_inline(d.title), "", md_inline(d.meta), "", md_inline(d.w(PRIVACY))]
    if d.stops:
        out += ["", "> **" + md_inline(d.w(STOP_HEADING)) + "**", ">"]
        out += ["> - " + md_text(_source(k.message, k.source), d.w) for k in d.stops]
    if d.warns:
        out += ["", "**" + md_inline(d.w(WARN_HEADING)) + "**", ""]
        out += ["- " + md_text(_source(k.message, k.source), d.w) for k in d.warns]
    if d.c.deadlines:
        out += ["", "**" + md_inline(d.w(DEADLINES_HEADING)) + "**", ""]
        for dl in d.c.deadlines:
            out.append(f"- {md_inline(readable(dl.label))}：**{md_inline(dl.text)}**，{md_inline(dl.basis)}")
        if d.c.calendar_note:
            out += ["", md_inline(d.c.calendar_note + d.w("。"))]
    for n, section in enumerate(d.c.sections, 1):
        out += ["", f"## {n}\\. " + md_text(_source(section.title, section.title_source), d.w), ""]
        if section.link:
            out += [md_inline(d.w("网址：")) + _md_link(section.link, d.w), ""]
        for item in section.items:
            line = f"- {'[x]' if d.done(item) else '[ ]'} " + md_text(_source(item.text, item.source), d.w)
            block: list[str] = []
            if item.value is not None:
                line = line.rstrip("：:") + "："
                if d.missing(item):
                    line += md_inline(item.value)
                elif "\n" in item.value:
                    block = md_code_block(item.value, "  ")
                else:
                    line += md_code_span(item.value)
            link = d.item_link(section, item)
            if link:
                line += " " + _md_link(link, d.w)
            out += [line, *block]
    if d.c.composed:
        out += ["", "## " + md_inline(d.w(COMPOSED_HEADING))]
        for t in d.c.composed:
            out += ["", "### " + md_inline(d.composed_title(t)), "", md_inline(d.length_note(t)), ""]
            if t.over and t.advice:
                out += [md_inline(d.w("注意：")) + md_text(_source(t.advice, t.advice_source), d.w), ""]
            out += md_code_block(t.text)
    return "\n".join(out).rstrip() + "\n"


# --- JSON -------------------------------------------------------------------------------------


def to_data(
    checklist: Checklist,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> dict[str, object]:
    """The JSON structure as Python data (documented in ``docs/checklist-json.md``)."""
    d = _doc(checklist, ticked, script, generated, renderer)
    c = d.c
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "flow": {"id": c.flow_id, "title": c.flow_title, "version": c.flow_version, "reviewed": c.reviewed},
        "script": script,
        "generated": d.generated.isoformat(),
        "blocked": c.blocked,
        "checks": [{"id": k.id, "level": k.level, "message": k.message} for k in c.checks],
        "sections": [
            {
                "step_id": s.step_id,
                "title": s.title,
                "link": s.link,
                "items": [
                    {
                        "key": i.key,
                        "text": i.text,
                        "value": None if d.missing(i) else i.value,
                        "missing": d.missing(i),
                        "link": i.link,
                        "ticked": d.done(i),
                    }
                    for i in s.items
                ],
            }
            for s in c.sections
        ],
        "composed": [
            {
                "id": t.id,
                "label": t.label,
                "site_label": t.site_label,
                "text": t.text,
                "length": t.length,
                "max_length": t.max_length,
                "over": t.over,
                "advice": t.advice,
            }
            for t in c.composed
        ],
        "deadlines": [
            {
                "id": t.id,
                "label": t.label,
                "date": t.end.isoformat(),
                "estimate": t.estimate,
                "text": t.text,
                "basis": t.basis,
                "from": t.start.isoformat(),
            }
            for t in c.deadlines
        ],
        "calendar_note": c.calendar_note,
    }


def to_json(
    checklist: Checklist,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """The checklist as JSON text (UTF-8, not ASCII-escaped, indented)."""
    import json

    data = to_data(checklist, ticked=ticked, script=script, generated=generated, renderer=renderer)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- HTML ---

_HTML_TAGS = ((lambda sp: sp.strong, "strong"), (lambda sp: sp.emphasis, "em"))


def html_spans(spans: Sequence[markup.Span], ui: Callable[[str], str] = _same) -> str:
    """Spans as HTML, every text escaped: <strong>, <em>, <code>, line breaks as <br>; a link is an
    ``<a href>`` only when it may be live, any other address plain text marked 「不是官方网站」."""
    from html import escape

    def e(s: str) -> str:
        return "<br>".join(escape(part, quote=True) for part in s.split("\n"))

    out: list[str] = []
    for sp in spans:
        if sp.kind == markup.CODE:
            piece = f"<code>{e(sp.text)}</code>"
        elif sp.url is not None:
            live = _safe_link(sp.url)
            if live:
                piece = f'<a href="{escape(live, quote=True)}" rel="noopener noreferrer">{e(sp.text)}</a>'
            else:
                note = f'<span class="unofficial">{e(sp.url)}</span>' + e(ui("（" + NOT_OFFICIAL + "）"))
                same = sp.kind == markup.AUTOLINK or sp.text == sp.url
                piece = note if same else e(sp.text) + e("（") + note + e("）")
        else:
            piece = e(sp.text)
        for on, tag in reversed(_HTML_TAGS):
            if on(sp):
                piece = f"<{tag}>{piece}</{tag}>"
        out.append(piece)
    return "".join(out)


_CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #111; background: #fff; }
:lang(zh-Hant), :lang(zh-TW) { font-family: "Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC",
  "Microsoft JhengHei", sans-serif; }
:lang(zh-HK) { font-family: "Noto Sans CJK HK", "Source Han Sans HK", "PingFang HK", "Microsoft JhengHei",
  sans-serif; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
.meta, .privacy, .basis { color: #444; margin: .25rem 0; }
.due { font-weight: bold; }
.stop { border: 3px solid #b00020; padding: .5rem 1rem; margin: 1rem 0; }
.stop h2 { color: #b00020; border: none; margin-top: .25rem; }
.warn { border: 2px solid #8a6d00; padding: .5rem 1rem; margin: 1rem 0; }
.warn h2 { border: none; margin-top: .25rem; }
ol.items { list-style: none; padding-left: 0; }
ol.items li { display: flex; gap: .5rem; margin: .4rem 0; break-inside: avoid; page-break-inside: avoid; }
.box { flex: none; width: 1rem; height: 1rem; margin-top: .3rem; border: 2px solid #111; text-align: center;
  line-height: 1rem; font-size: .9rem; }
.num { flex: none; min-width: 2.2rem; font-variant-numeric: tabular-nums; }
code, pre { font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; background: #f2f2f2;
  border: 1px solid #ccc; border-radius: 3px; }
code { padding: 0 .25rem; white-space: pre-wrap; word-break: break-all; }
pre { padding: .5rem; white-space: pre-wrap; word-break: break-all; margin: .25rem 0; }
a { color: #0645ad; word-break: break-all; }
footer { margin-top: 2rem; color: #555; font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  a { color: #000; text-decoration: none; }
  code, pre { background: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .stop, .warn, section.composed pre { break-inside: avoid; page-break-inside: avoid; }
}
"""


def to_html(
    checklist: Checklist,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """One printable page: inline CSS, no script, no external asset, all text escaped."""
    from html import escape

    d = _doc(checklist, ticked, script, generated, renderer)

    def e(s: str) -> str:
        return escape(s, quote=True)

    def link(url: str) -> str:
        safe = _safe_link(url)
        if safe:
            return f'<a href="{e(safe)}" rel="noopener noreferrer">{e(safe)}</a>'
        return f'<span class="unofficial">{e(url)}</span>{e(d.w("（" + NOT_OFFICIAL + "）"))}'

    def lines(s: str) -> str:
        return "<br>".join(e(part) for part in s.split("\n"))

    def flow(s: str) -> str:
        """Flow text in the dialect: <strong>, <em>, <code>; an <a href> only for a live link."""
        return html_spans(markup.spans_of(s), d.w)

    csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{HTML_LANG.get(script, DEFAULT_SCRIPT)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(d.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(d.title)}</h1>",
        f'<p class="meta">{e(d.meta)}</p>',
        f'<p class="privacy">{e(d.w(PRIVACY))}</p>',
        "</header>",
    ]
    for kind, checks, heading in (("stop", d.stops, STOP_HEADING), ("warn", d.warns, WARN_HEADING)):
        if checks:
            role = ' role="alert"' if kind == "stop" else ""
            out += [f'<section class="{kind}"{role}>', f"<h2>{e(d.w(heading))}</h2>", "<ul>"]
            out += [f"<li>{flow(_source(k.message, k.source))}</li>" for k in checks]
            out += ["</ul>", "</section>"]
    if d.c.deadlines:
        out += ['<section class="deadlines">', f"<h2>{e(d.w(DEADLINES_HEADING))}</h2>", "<ul>"]
        for dl in d.c.deadlines:
            out.append(
                f'<li>{e(readable(dl.label))}：<span class="due">{e(dl.text)}</span>'
                f'<br><span class="basis">{e(dl.basis)}</span></li>'
            )
        out.append("</ul>")
        if d.c.calendar_note:
            out.append(f'<p class="meta">{e(d.c.calendar_note + d.w("。"))}</p>')
        out.append("</section>")
    for n, section in enumerate(d.c.sections, 1):
        out += ['<section class="step">', f"<h2>{n}. {flow(_source(section.title, section.title_source))}</h2>"]
        if section.link:
            out.append(f'<p class="link">{e(d.w("网址："))}{link(section.link)}</p>')
        out.append('<ol class="items">')
        for m, item in enumerate(section.items, 1):
            done = d.done(item)
            state = d.w("已完成") if done else d.w("未完成")
            parts = [
                f'<li class="item{" ticked" if done else ""}">',
                f'<span class="box" role="img" aria-label="{e(state)}">{"✓" if done else ""}</span>',
                f'<span class="num">{n}.{m}</span>',
                f'<span class="body"><span class="text">{flow(_md_with_colon(d.source(item), item.value))}</span>',
            ]
            if item.value is not None and d.missing(item):
                parts.append(f' <span class="missing">{e(item.value)}</span>')
            elif item.value is not None and "\n" in item.value:
                parts.append(f'<pre class="value">{e(item.value)}</pre>')
            elif item.value is not None:
                parts.append(f' <code class="value">{e(item.value)}</code>')
            item_link = d.item_link(section, item)
            if item_link:
                parts.append(f'<br><span class="link">{e(d.w("网址："))}{link(item_link)}</span>')
            parts.append("</span></li>")
            out.append("".join(parts))
        out += ["</ol>", "</section>"]
    if d.c.composed:
        out += ['<section class="composed">', f"<h2>{e(d.w(COMPOSED_HEADING))}</h2>"]
        for t in d.c.composed:
            out += [f"<h3>{e(d.composed_title(t))}</h3>", f"<p>{e(d.length_note(t))}</p>"]
            if t.over and t.advice:
                out.append(f'<p class="advice">{e(d.w("注意："))}{flow(_source(t.advice, t.advice_source))}</p>')
            out.append(f"<pre>{e(t.text)}</pre>")
        out.append("</section>")
    footer = d.w("由 12315 投诉向导生成。网站上的按钮和栏目名称用「」标出，请在网站上找同样的字。")
    out += [f"<footer>{e(footer)}</footer>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(
    checklist: Checklist,
    fmt: str,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """The checklist in one of :data:`FORMATS`, or its deadlines as a calendar (:data:`CALENDAR_FORMAT`)."""
    exporters = {"markdown": to_markdown, "text": to_text, "json": to_json, "html": to_html, "ics": to_ics}
    exporter = exporters.get(fmt)
    if exporter is None:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(ALL_FORMATS)}")
    return exporter(checklist, ticked=ticked, script=script, generated=generated, renderer=renderer)


# --- iCalendar -------------------------------------------------------------------------------

ICS_PRODID = "-//wizard-12315//12315 投诉向导//ZH"
ICS_UID_DOMAIN = "wizard-12315.invalid"


def ics_uid(flow_id: str, deadline: DeadlineDate) -> str:
    """A UID that stays the same when the same case is exported again (so a calendar updates the event).

    It names the flow, the deadline and the day counted from: two cases filed on
    different days get different events. It holds no answer other than that date.
    """
    return f"{flow_id}.{deadline.id}.{deadline.start:%Y%m%d}@{ICS_UID_DOMAIN}"


def to_ics(
    checklist: Checklist,
    *,
    ticked: Collection[str] = (),
    script: str = DEFAULT_SCRIPT,
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """An iCalendar file: one all-day event per deadline (none when the checklist has no deadlines)."""
    from datetime import datetime, time, timedelta, timezone

    import icalendar

    d = _doc(checklist, ticked, script, generated, renderer)
    cal = icalendar.Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", readable(d.c.flow_title) + d.w("：期限"))
    stamp = datetime.combine(d.generated, time(0, 0), tzinfo=timezone.utc)
    for dl in d.c.deadlines:
        event = icalendar.Event()
        event.add("uid", ics_uid(d.c.flow_id, dl))
        event.add("dtstamp", stamp)
        event.add("dtstart", dl.end)
        event.add("dtend", dl.end + timedelta(days=1))  # all-day: DTEND is the next day, not included
        event.add("summary", readable(dl.label) + d.w("（截止日，估算）" if dl.estimate else "（截止日）"))
        lines = [readable(dl.label), dl.text, dl.basis]
        if dl.estimate and d.c.calendar_note:
            lines.append(d.c.calendar_note + d.w("。"))
        lines.append(d.w("由 12315 投诉向导生成（") + readable(d.c.flow_title) + d.w("）。"))
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return str(cal.to_ical(), "utf-8")

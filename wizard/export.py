"""The checklist as Markdown, plain text, JSON or HTML.

The exporters only *format* a :class:`~wizard.checklist.Checklist`; what the
checklist says (which steps, items, checks and composed texts apply) is
decided by :func:`wizard.checklist.build` and the session. Every string is
passed through :func:`wizard.safety.clean_text` again at this boundary (a
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

``json`` and ``html`` are imported only by their exporters, so that
``wizard checklist --format text`` stays light.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from wizard.checklist import Checklist, CheckResult, ComposedText, Item, Section
from wizard.flow.record import record
from wizard.render import TextRenderer
from wizard.safety import SUSPECT_CHARS, check_url, clean_text

FORMATS = ("markdown", "text", "json", "html")
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
        return Item(key=_line(i.key), text=_clean(i.text), value=_block(i.value), link=_link(i.link), line=i.line)

    def section(s: Section) -> Section:
        return Section(
            step_id=_line(s.step_id),
            title=_line(s.title),
            link=_link(s.link),
            items=tuple(item(i) for i in s.items),
        )

    def check(c: CheckResult) -> CheckResult:
        return CheckResult(id=_line(c.id), level=_line(c.level), message=_clean(c.message))

    def composed(c: ComposedText) -> ComposedText:
        return ComposedText(
            id=_line(c.id),
            label=_line(c.label),
            site_label=_link(c.site_label),
            text=_clean(c.text),
            length=c.length,
            max_length=c.max_length,
            advice=_block(c.advice),
        )

    return Checklist(
        flow_id=_line(checklist.flow_id),
        flow_title=_line(checklist.flow_title),
        flow_version=_line(checklist.flow_version),
        reviewed=_line(checklist.reviewed),
        sections=tuple(section(s) for s in checklist.sections),
        checks=tuple(check(c) for c in checklist.checks),
        composed=tuple(composed(c) for c in checklist.composed),
    )


# --- flow text to readable text -------------------------------------------------------

# Each pattern is compiled by :mod:`re` (and kept in its cache) the first time a text holds the
# characters it needs: most texts hold none, and a checklist need not pay for compiling them all.
_MD_LINK = r"\[([^\[\]\n]+)\]\(([^()\s]+)\)"  # needs "]("
_AUTOLINK = r"<(https?://[^<>\s]+)>"  # needs "<http"
_STRONG = r"\*\*(?=\S)(.+?)(?<=\S)\*\*"  # needs "**"
_CODE = r"`([^`\n]+)`"  # needs "`"
_HEADING = r"(?m)^[ ]{0,3}#{1,6}[ \t]+"  # needs "#"


def readable(text: str) -> str:
    """Flow text written with a little Markdown, as plain words.

    ``**bold**`` → bold, ```code``` → code, ``[text](url)`` → ``text（url）``,
    ``<https://…>`` → the address, heading marks dropped. Anything else is
    left as written.
    """
    if "](" in text:
        text = re.sub(_MD_LINK, lambda m: m[1] if m[1] == m[2] else f"{m[1]}（{m[2]}）", text)
    if "<http" in text:
        text = re.sub(_AUTOLINK, r"\1", text)
    if "**" in text:
        text = re.sub(_STRONG, r"\1", text)
    if "`" in text:
        text = re.sub(_CODE, r"\1", text)
    if "#" in text:
        text = re.sub(_HEADING, "", text)
    return text


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _with_colon(text: str, value: str | None) -> str:
    """「填写订单号」 + value → 「填写订单号：」 (one colon, whatever the author wrote)."""
    return text.rstrip("：:") + "：" if value is not None else text


def _safe_link(url: str | None) -> str | None:
    """The link if it may be shown as a link (https, a real host), else None."""
    if not url:
        return None
    return url if check_url(url).ok else None


# --- what every format shares ----------------------------------------------------------

STOP_HEADING = "请先处理：以下问题不解决，投诉可能不被受理"
WARN_HEADING = "请注意"
COMPOSED_HEADING = "需要粘贴的文字"
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
        from wizard.script import renderer_for

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
            out += _hang(readable(k.message), "  ！ ", "     ")
    if d.warns:
        out += ["", d.w(WARN_HEADING) + d.w("：")]
        for k in d.warns:
            out += _hang(readable(k.message), "  · ", "    ")
    for n, section in enumerate(d.c.sections, 1):
        out += ["", f"{n}. {readable(section.title)}"]
        if section.link:
            out.append("   " + d.w("网址：") + section.link)
        for m, item in enumerate(section.items, 1):
            number = f"   {n}.{m} "
            pad = " " * len(number)
            text = item.text
            done = d.w("（已完成）") if d.done(item) else ""
            if item.value is not None and "\n" not in item.value:
                out += _hang(f"{_with_colon(text, item.value)}{item.value}{done}", number, pad)
            else:
                out += _hang(_with_colon(text, item.value) + done, number, pad)
                if item.value is not None:
                    out += _hang(item.value, pad, pad)
            link = d.item_link(section, item)
            if link:
                out.append(pad + d.w("网址：") + link)
    if d.c.composed:
        out += ["", d.w(COMPOSED_HEADING) + d.w("：")]
        for t in d.c.composed:
            out += ["", f"{d.composed_title(t)}：{d.length_note(t)}"]
            if t.over and t.advice:
                out += _hang(readable(t.advice), d.w("注意："), "   ")
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


def md_inline(text: str) -> str:
    """Text for one Markdown line: newlines become spaces, structure characters are escaped."""
    escaped = _one_line(text).translate(_MD_ESCAPED)
    first = escaped[:1]
    if first not in ("-", "+", "=") and not first.isdecimal():  # what _MD_LINE_START can match
        return escaped
    return re.sub(_MD_LINE_START, lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", escaped)


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


def _md_link(url: str) -> str:
    safe = _safe_link(url)
    return f"<{safe}>" if safe and not re.search(r"[<>\s]", safe) else md_inline(url)


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
        out += ["> - " + md_inline(readable(k.message)) for k in d.stops]
    if d.warns:
        out += ["", "**" + md_inline(d.w(WARN_HEADING)) + "**", ""]
        out += ["- " + md_inline(readable(k.message)) for k in d.warns]
    for n, section in enumerate(d.c.sections, 1):
        out += ["", f"## {n}\\. " + md_inline(readable(section.title)), ""]
        if section.link:
            out += [md_inline(d.w("网址：")) + _md_link(section.link), ""]
        for item in section.items:
            line = f"- {'[x]' if d.done(item) else '[ ]'} " + md_inline(item.text)
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
                line += " " + _md_link(link)
            out += [line, *block]
    if d.c.composed:
        out += ["", "## " + md_inline(d.w(COMPOSED_HEADING))]
        for t in d.c.composed:
            out += ["", "### " + md_inline(d.composed_title(t)), "", md_inline(d.length_note(t)), ""]
            if t.over and t.advice:
                out += [md_inline(d.w("注意：") + readable(t.advice)), ""]
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


# --- HTML ---------------------------------------------------------------------------------------

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
.meta, .privacy { color: #444; margin: .25rem 0; }
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
        return f'<a href="{e(safe)}" rel="noopener noreferrer">{e(safe)}</a>' if safe else e(url)

    def lines(s: str) -> str:
        return "<br>".join(e(part) for part in s.split("\n"))

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
            out += [f"<li>{lines(readable(k.message))}</li>" for k in checks]
            out += ["</ul>", "</section>"]
    for n, section in enumerate(d.c.sections, 1):
        out += ['<section class="step">', f"<h2>{n}. {e(readable(section.title))}</h2>"]
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
                f'<span class="body"><span class="text">{lines(_with_colon(item.text, item.value))}</span>',
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
                out.append(f'<p class="advice">{e(d.w("注意：") + readable(t.advice))}</p>')
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
    """The checklist in one of :data:`FORMATS`."""
    exporters = {"markdown": to_markdown, "text": to_text, "json": to_json, "html": to_html}
    exporter = exporters.get(fmt)
    if exporter is None:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return exporter(checklist, ticked=ticked, script=script, generated=generated, renderer=renderer)

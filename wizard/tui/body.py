"""A step body, written in a little Markdown, drawn as one renderable (no Markdown widget).

Flow bodies use what ``docs/flow-format.md`` promises: paragraphs, ``-``/``*``/``+``
and numbered lists, ``**bold**`` and ``*emphasis*``, ```code```, links
``[text](https://…)``, ``<https://…>`` and bare ``https://…`` addresses, plus
headings, quotes and ``---`` rules. That subset is drawn here as a Rich
:class:`~rich.console.Group` of :class:`~rich.text.Text` paragraphs and hanging rows (a list
keeps its hanging indent), shown in a single ``Static``. Textual's ``Markdown``
widget mounts a widget per block and costs ~30 ms of import (markdown-it, pygments)
before the first step can be painted; this is one widget and no parser import.

Everything stays data: the author's literals are scanned for the syntax above
and nothing else, site labels and answers are opaque (an answer can never add
emphasis, a list or a link), and links become a click action holding only the
link's *number* (``screen.open_body_link(2)``), never the address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text as RichText

from wizard.flow.model import Literal, Ref, SiteLabel
from wizard.flow.model import Text as FlowText
from wizard.render import TextRenderer
from wizard.safety import clean_text
from wizard.tui.text import LABEL_STYLE, MISSING_STYLE, VALUE_STYLE, HangingRows, Lookup

LINK_STYLE = "underline"
STRONG_STYLE = "bold"
EMPHASIS_STYLE = "italic"
CODE_STYLE = "bold"
HEADING_STYLE = "bold underline"
QUOTE_MARK = "▌ "
BULLET = "•"
RULE = "─" * 24

# A run of a line: ("md", the author's text) or (a style, opaque text: a site label or an answer).
MD = "md"
Run = tuple[str, str]

_BULLET = re.compile(r"^ {0,3}([-*+])[ \t]+")
_ORDERED = re.compile(r"^ {0,3}(\d{1,9})[.)][ \t]+")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+")
_QUOTE = re.compile(r"^ {0,3}> ?")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_CONTINUATION = re.compile(r"^(?: {2,}|\t)")

# Inline syntax, in the order tried at each position.
_INLINE = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?P<link>\[(?P<ltext>[^\[\]\n]+)\]\((?P<lurl>[^()\s]+)\))"
    r"|(?P<auto><https://[^<>\s]+>)"
    r"|(?P<bare>https://[^\s<>()（）「」，。、；\"'\[\]]+)"
    r"|(?P<delim>\*\*|__|\*|_)"
)


@dataclass
class Body:
    """A body ready to show: the renderable and the links it holds (index = click action argument)."""

    renderable: RenderableType
    links: list[str] = field(default_factory=list)


@dataclass
class _Block:
    kind: str  # para | bullet | ordered | heading | quote | rule
    mark: str
    lines: list[list[Run]]
    loose_before: bool  # a blank line came before it


def body_runs(text: FlowText, renderer: TextRenderer, values: Lookup) -> list[Run]:
    """The body as runs: the author's converted literals, and opaque labels and answers."""
    runs: list[Run] = []
    for seg in text.segments:
        if isinstance(seg, Literal):
            runs.append((MD, clean_text(renderer.ui(seg.text))))
        elif isinstance(seg, SiteLabel):
            runs.append((LABEL_STYLE, clean_text(renderer.label(seg.text), multiline=False)))
        elif isinstance(seg, Ref):
            value = values(seg.name)
            if value is None or value == "":
                runs.append((MISSING_STYLE, clean_text(renderer.missing)))
            else:
                runs.append((VALUE_STYLE, clean_text(value)))
    return runs


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Split at the line breaks of the author's text (an answer's own line breaks stay inside it)."""
    lines: list[list[Run]] = [[]]
    for kind, s in runs:
        if kind != MD:
            lines[-1].append((kind, s))
            continue
        parts = s.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append((MD, part))
    return lines


def _blank(line: list[Run]) -> bool:
    return all(kind == MD and not s.strip() for kind, s in line)


def _strip_head(line: list[Run], length: int) -> list[Run]:
    kind, s = line[0]
    rest = s[length:]
    return ([(kind, rest)] if rest else []) + line[1:]


def _blocks(lines: list[list[Run]]) -> list[_Block]:
    blocks: list[_Block] = []
    gap = False
    current: _Block | None = None
    for line in lines:
        if _blank(line):
            gap = bool(blocks)
            current = None
            continue
        head = line[0][1] if line[0][0] == MD else ""
        started: _Block | None = None
        if head:
            if _RULE.match(head) and len(line) == 1:
                started = _Block("rule", "", [], gap)
            elif m := _BULLET.match(head):
                started = _Block("bullet", BULLET, [_strip_head(line, m.end())], gap)
            elif m := _ORDERED.match(head):
                started = _Block("ordered", f"{m.group(1)}.", [_strip_head(line, m.end())], gap)
            elif m := _HEADING.match(head):
                started = _Block("heading", "", [_strip_head(line, m.end())], gap)
            elif m := _QUOTE.match(head):
                stripped = _strip_head(line, m.end())
                if current is not None and current.kind == "quote":
                    current.lines.append(stripped)
                    continue
                started = _Block("quote", "", [stripped], gap)
        if started is not None:
            blocks.append(started)
            current = None if started.kind in ("rule", "heading") else started
            gap = False
            continue
        if current is not None and (current.kind == "para" or current.kind in ("bullet", "ordered", "quote")):
            # a paragraph goes on; a list item or a quote takes an indented or lazy continuation line
            if head and _CONTINUATION.match(head) and current.kind != "para":
                line = [(MD, head.lstrip()), *line[1:]]
            current.lines.append(line)
            continue
        current = _Block("para", "", [line], gap)
        blocks.append(current)
        gap = False
    return blocks


def _wide(ch: str) -> bool:
    return cell_len(ch) == 2


def _join(lines: list[list[Run]]) -> list[Run]:
    """Lines of one block joined: a soft break is a space, except between two wide (CJK) characters;
    two trailing spaces or a backslash make a hard break."""
    out: list[Run] = []
    for i, line in enumerate(lines):
        line = list(line)
        if not i and line and line[0][0] == MD:
            line[0] = (MD, line[0][1].lstrip(" \t"))
        if i and out:
            kind, prev = out[-1]
            hard = kind == MD and (prev.endswith("  ") or prev.endswith("\\"))
            if kind == MD:
                prev = prev.rstrip(" ").removesuffix("\\") if hard else prev.rstrip(" ")
                out[-1] = (MD, prev)
            if line and line[0][0] == MD:
                line[0] = (MD, line[0][1].lstrip(" \t"))
            before = out[-1][1][-1:] if out[-1][1] else ""
            after = line[0][1][:1] if line and line[0][1] else ""
            if hard:
                out.append((MD, "\n"))
            elif before and after and not (_wide(before) and _wide(after)):
                out.append((MD, " "))
        out.extend(line)
    return out


@dataclass
class _Delim:
    run: int
    start: int
    token: str
    opens: bool
    closes: bool


def _flanking(before: str, after: str, token: str) -> tuple[bool, bool]:
    opens = bool(after) and not after.isspace()
    closes = bool(before) and not before.isspace()
    if token[0] == "_":  # no intraword underscores (snake_case, file_names)
        opens = opens and not (before.isalnum())
        closes = closes and not (after.isalnum())
    return opens, closes


def _tokens(runs: list[Run]) -> Iterator[tuple[int, re.Match[str]]]:
    for i, (kind, s) in enumerate(runs):
        if kind == MD:
            for m in _INLINE.finditer(s):
                yield i, m


def _active_delimiters(runs: list[Run]) -> set[tuple[int, int]]:
    """The emphasis markers that really open or close (paired in order); the others are literal."""
    delims: list[_Delim] = []
    flat = [s if kind == MD else "x" for kind, s in runs]  # an opaque run counts as a word
    for i, m in _tokens(runs):
        token = m.group("delim")
        if token is None:
            continue
        s = flat[i]
        before = s[m.start() - 1] if m.start() else (flat[i - 1][-1:] if i else "")
        after = s[m.end()] if m.end() < len(s) else (flat[i + 1][:1] if i + 1 < len(flat) else "")
        opens, closes = _flanking(before, after, token)
        delims.append(_Delim(i, m.start(), token, opens, closes))
    active: set[tuple[int, int]] = set()
    open_at: dict[str, _Delim] = {}
    for d in delims:
        opener = open_at.get(d.token)
        if opener is not None and d.closes:
            active.add((opener.run, opener.start))
            active.add((d.run, d.start))
            del open_at[d.token]
        elif d.opens:
            open_at[d.token] = d
    return active


class _Inline:
    """Renders the runs of one block into a Text, collecting links."""

    def __init__(self, links: list[str], action: Callable[[int], str]) -> None:
        self.links = links
        self.action = action

    def _link_style(self, url: str) -> Style:
        self.links.append(url)
        return Style(underline=True, meta={"@click": self.action(len(self.links) - 1)})

    def render(self, runs: list[Run], style: str = "") -> RichText:
        out = RichText(style=style)
        active = _active_delimiters(runs)
        strong = emphasis = False
        for i, (kind, s) in enumerate(runs):
            if kind != MD:
                out.append(s, style=self._styled(kind, strong, emphasis))
                continue
            pos = 0
            for m in _INLINE.finditer(s):
                if m.start() > pos:
                    out.append(s[pos : m.start()], style=self._styled("", strong, emphasis))
                pos = m.end()
                current = self._styled("", strong, emphasis)
                if m.group("escape"):
                    out.append(m.group()[1], style=current)
                elif m.group("code"):
                    out.append(m.group()[1:-1], style=f"{current} {CODE_STYLE}".strip())
                elif m.group("link"):
                    link = self._link_style(m.group("lurl"))
                    out.append(m.group("ltext"), style=Style.parse(current) + link if current else link)
                elif m.group("auto"):
                    url = m.group()[1:-1]
                    out.append(url, style=self._link_style(url))
                elif m.group("bare"):
                    url = m.group().rstrip(".,;:!?")
                    out.append(url, style=self._link_style(url))
                    pos = m.start() + len(url)
                elif (i, m.start()) in active:
                    if m.group("delim") in ("**", "__"):
                        strong = not strong
                    else:
                        emphasis = not emphasis
                else:
                    out.append(m.group(), style=current)
            if pos < len(s):
                out.append(s[pos:], style=self._styled("", strong, emphasis))
        return out

    @staticmethod
    def _styled(base: str, strong: bool, emphasis: bool) -> str:
        parts = [base] if base else []
        if strong:
            parts.append(STRONG_STYLE)
        if emphasis:
            parts.append(EMPHASIS_STYLE)
        return " ".join(parts)


def _default_action(index: int) -> str:
    return f"screen.open_body_link({index})"


def render_body(
    text: FlowText | None,
    renderer: TextRenderer,
    values: Lookup,
    *,
    action: Callable[[int], str] = _default_action,
) -> Body:
    """The body as one renderable, and its links in order (the click action carries the index)."""
    body = Body(RichText())
    if text is None:
        return body
    inline = _Inline(body.links, action)
    parts: list[RenderableType] = []
    grid: HangingRows | None = None  # the list being built
    for block in _blocks(_lines(body_runs(text, renderer, values))):
        if parts and block.loose_before:
            parts.append(RichText(""))
        if block.kind in ("bullet", "ordered"):
            if grid is None or block.loose_before:
                grid = HangingRows([])
                parts.append(grid)
            grid.add_row(RichText(block.mark), inline.render(_join(block.lines)))
            continue
        grid = None
        if block.kind == "rule":
            parts.append(RichText(RULE, style="dim"))
        elif block.kind == "heading":
            parts.append(inline.render(_join(block.lines), HEADING_STYLE))
        elif block.kind == "quote":
            quote = inline.render(_join(block.lines), "italic")
            parts.append(HangingRows([(RichText(QUOTE_MARK, style="dim"), quote)], gap=0))
        else:
            parts.append(inline.render(_join(block.lines)))
    body.renderable = parts[0] if len(parts) == 1 else Group(*parts)
    return body

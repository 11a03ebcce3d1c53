"""The one Markdown dialect of flow text, parsed into plain data for every view.

``docs/flow-format.md`` ("Text: answers, site labels, braces, Markdown")
promises a little Markdown: paragraphs, ``-``/``*``/``+`` and numbered lists,
``**bold**`` and ``*emphasis*``, ```code```, links ``[text](https://…)``,
``<https://…>`` and bare ``https://…`` addresses, ``#`` headings, ``>`` quotes
and ``---`` rules, ``\\`` escapes and hard breaks. This module is the only
parser of that dialect. It turns *runs* (the author's Markdown, or opaque
text: a site label, an answer) into :class:`Block` s of :class:`Span` s, and
each view draws those:

- the full-screen app (:mod:`wizard.tui.body`) as Rich text;
- the exports (:mod:`wizard.export`): HTML tags, Markdown again, plain text;
- plain mode (:mod:`wizard.plain`): plain text (:func:`plain_text`).

An opaque run is never read as Markdown: an answer can add no emphasis, list
or link. Whether a link may be *live* is not decided here but by
:func:`wizard.text.safety.live_link`, the rule every view shares.

Domain layer: no Textual, no Rich.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence

from wizard.flow.model import Literal, Ref, SiteLabel
from wizard.flow.model import Text as FlowText
from wizard.flow.record import record
from wizard.text.render import TextRenderer
from wizard.text.safety import clean_text

#: The kind of a run holding the author's Markdown; any other kind is opaque text.
MD = "md"
#: Kinds of opaque runs made by :func:`runs_of` (the TUI maps them to its styles).
LABEL = "label"
VALUE = "value"
MISSING = "missing"

#: Span kinds besides the opaque run kinds.
TEXT = "text"
CODE = "code"
LINK = "link"  # [text](url): the text is the author's
AUTOLINK = "autolink"  # <https://…> or a bare https://…: the text is the address

Run = tuple[str, str]

BULLET = "•"

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
#: A text holding none of these characters has no inline syntax (one search instead of a parse).
_INLINE_CHARS = re.compile(r"[\\`\[<*_]|https://")


@record
class Span:
    """A piece of inline text and how it is marked.

    ``kind``: :data:`TEXT`, :data:`CODE`, :data:`LINK`, :data:`AUTOLINK`, or
    the kind of an opaque run (:data:`LABEL`, :data:`VALUE`, :data:`MISSING`
    or the caller's own). ``url``: the address of a link (only for the two
    link kinds).
    """

    text: str
    kind: str = TEXT
    strong: bool = False
    emphasis: bool = False
    url: str | None = None


@record
class Block:
    """A paragraph, a list item, a heading, a quote or a rule, with its inline spans.

    ``kind``: ``para``, ``bullet``, ``ordered``, ``heading``, ``quote`` or
    ``rule``. ``mark``: :data:`BULLET` or ``"3."`` for list items.
    ``loose_before``: a blank line came before it. A hard line break is a
    :data:`TEXT` span ``"\\n"``.
    """

    kind: str
    mark: str
    spans: tuple[Span, ...]
    loose_before: bool


def runs_of(
    text: FlowText | None,
    renderer: TextRenderer,
    values: Callable[[str], str | None],
) -> list[Run]:
    """A flow text as runs: the author's converted literals, and opaque labels and answers (cleaned)."""
    runs: list[Run] = []
    if text is None:
        return runs
    for seg in text.segments:
        if isinstance(seg, Literal):
            runs.append((MD, clean_text(renderer.ui(seg.text))))
        elif isinstance(seg, SiteLabel):
            runs.append((LABEL, clean_text(renderer.label(seg.text), multiline=False)))
        elif isinstance(seg, Ref):
            value = values(seg.name)
            if value is None or value == "":
                runs.append((MISSING, clean_text(renderer.missing)))
            else:
                runs.append((VALUE, clean_text(value)))
    return runs


# --- blocks ----------------------------------------------------------------------------------


class _Open:
    """A block being read: its lines of runs."""

    __slots__ = ("kind", "lines", "loose_before", "mark")

    def __init__(self, kind: str, mark: str, lines: list[list[Run]], loose_before: bool) -> None:
        self.kind = kind
        self.mark = mark
        self.lines = lines
        self.loose_before = loose_before


def _lines(runs: Sequence[Run]) -> list[list[Run]]:
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


def _open_blocks(lines: list[list[Run]]) -> list[_Open]:
    blocks: list[_Open] = []
    gap = False
    current: _Open | None = None
    for line in lines:
        if _blank(line):
            gap = bool(blocks)
            current = None
            continue
        head = line[0][1] if line[0][0] == MD else ""
        started: _Open | None = None
        if head:
            if _RULE.match(head) and len(line) == 1:
                started = _Open("rule", "", [], gap)
            elif m := _BULLET.match(head):
                started = _Open("bullet", BULLET, [_strip_head(line, m.end())], gap)
            elif m := _ORDERED.match(head):
                started = _Open("ordered", f"{m.group(1)}.", [_strip_head(line, m.end())], gap)
            elif m := _HEADING.match(head):
                started = _Open("heading", "", [_strip_head(line, m.end())], gap)
            elif m := _QUOTE.match(head):
                stripped = _strip_head(line, m.end())
                if current is not None and current.kind == "quote":
                    current.lines.append(stripped)
                    continue
                started = _Open("quote", "", [stripped], gap)
        if started is not None:
            blocks.append(started)
            current = None if started.kind in ("rule", "heading") else started
            gap = False
            continue
        if current is not None:
            # a paragraph goes on; a list item or a quote takes an indented or lazy continuation line
            if head and _CONTINUATION.match(head) and current.kind != "para":
                line = [(MD, head.lstrip()), *line[1:]]
            current.lines.append(line)
            continue
        current = _Open("para", "", [line], gap)
        blocks.append(current)
        gap = False
    return blocks


def _wide(ch: str) -> bool:
    """A character two cells wide (CJK, full-width punctuation, most emoji)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


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


# --- inline ----------------------------------------------------------------------------------


class _Delim:
    __slots__ = ("closes", "opens", "run", "start", "token")

    def __init__(self, run: int, start: int, token: str, opens: bool, closes: bool) -> None:
        self.run = run
        self.start = start
        self.token = token
        self.opens = opens
        self.closes = closes


def _flanking(before: str, after: str, token: str) -> tuple[bool, bool]:
    opens = bool(after) and not after.isspace()
    closes = bool(before) and not before.isspace()
    if token[0] == "_":  # no intraword underscores (snake_case, file_names)
        opens = opens and not (before.isalnum())
        closes = closes and not (after.isalnum())
    return opens, closes


def _tokens(runs: Sequence[Run]) -> Iterator[tuple[int, re.Match[str]]]:
    for i, (kind, s) in enumerate(runs):
        if kind == MD:
            for m in _INLINE.finditer(s):
                yield i, m


def _active_delimiters(runs: Sequence[Run]) -> set[tuple[int, int]]:
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


def inline(runs: Sequence[Run]) -> list[Span]:
    """One block's runs as spans (emphasis paired, escapes resolved, links found)."""
    out: list[Span] = []
    active = _active_delimiters(runs)
    strong = emphasis = False

    def text(s: str, kind: str = TEXT) -> None:
        if s:
            out.append(Span(s, kind, strong, emphasis))

    for i, (kind, s) in enumerate(runs):
        if kind != MD:
            text(s, kind)
            continue
        pos = 0
        for m in _INLINE.finditer(s):
            if m.start() > pos:
                text(s[pos : m.start()])
            pos = m.end()
            if m.group("escape"):
                text(m.group()[1])
            elif m.group("code"):
                text(m.group()[1:-1], CODE)
            elif m.group("link"):
                out.append(Span(m.group("ltext"), LINK, strong, emphasis, m.group("lurl")))
            elif m.group("auto"):
                url = m.group()[1:-1]
                out.append(Span(url, AUTOLINK, strong, emphasis, url))
            elif m.group("bare"):
                url = m.group().rstrip(".,;:!?")
                out.append(Span(url, AUTOLINK, strong, emphasis, url))
                pos = m.start() + len(url)
            elif (i, m.start()) in active:
                if m.group("delim") in ("**", "__"):
                    strong = not strong
                else:
                    emphasis = not emphasis
            else:
                text(m.group())
        if pos < len(s):
            text(s[pos:])
    return out


def blocks(runs: Sequence[Run]) -> list[Block]:
    """A body's runs as blocks (see the module docstring for the syntax)."""
    return [
        Block(b.kind, b.mark, tuple(inline(_join(b.lines))) if b.kind != "rule" else (), b.loose_before)
        for b in _open_blocks(_lines(runs))
    ]


def spans_of(s: str) -> list[Span]:
    """A one-paragraph text written in the dialect (a title, a checklist item, a message) as spans.

    Its line breaks are kept in the spans' text; the text is all the author's (see
    :func:`runs_of` to keep answers opaque).
    """
    if _INLINE_CHARS.search(s) is None:
        return [Span(s)] if s else []
    return inline([(MD, s)])


# --- plain text ------------------------------------------------------------------------------


def link_words(span: Span, unofficial: Callable[[str], str]) -> str:
    """A link as plain words: 「text（url）」, or the address alone; an address that may not be
    live is passed to ``unofficial`` (which says so) instead of being shown as a link."""
    from wizard.text.safety import live_link

    url = span.url or span.text
    if not live_link(url):
        shown = unofficial(url)
        return shown if span.kind == AUTOLINK or span.text == url else f"{span.text}（{shown}）"
    return url if span.kind == AUTOLINK or span.text == url else f"{span.text}（{url}）"


def plain_spans(spans: Sequence[Span], unofficial: Callable[[str], str]) -> str:
    """Spans as plain words: no asterisks, no backticks, links as 「text（url）」."""
    return "".join(link_words(sp, unofficial) if sp.url is not None else sp.text for sp in spans)


def plain_blocks(parsed: Sequence[Block], unofficial: Callable[[str], str]) -> str:
    """Blocks as plain lines: list items as ``- …`` / ``1. …``, a blank line where the source had one."""
    out: list[str] = []
    for b in parsed:
        if out and b.loose_before:
            out.append("")
        words = plain_spans(b.spans, unofficial)
        if b.kind == "bullet":
            out.append("- " + words.replace("\n", "\n  "))
        elif b.kind == "ordered":
            out.append(f"{b.mark} " + words.replace("\n", "\n" + " " * (len(b.mark) + 1)))
        elif b.kind == "quote":
            out.append("> " + words.replace("\n", "\n> "))
        elif b.kind == "rule":
            out.append("———")
        else:
            out.append(words)
    return "\n".join(out)


def plain_text(s: str, unofficial: Callable[[str], str]) -> str:
    """A one-paragraph text in the dialect as plain words (see :func:`plain_spans`)."""
    return plain_spans(spans_of(s), unofficial)


# --- escaping --------------------------------------------------------------------------------

# every character the inline syntax reads; ":" so that an address in the text is no bare link
_SPECIAL = re.compile(r"[\\`*_\[\]<>():]")


def escape(s: str) -> str:
    """``s`` written so that the dialect reads every character of it literally (backslash escapes).

    Used for the opaque parts (answers, site labels) of a text that is parsed as one string
    (:meth:`wizard.text.render.TextRenderer.source`): ``plain_text(escape(s), …) == s``.
    """
    return _SPECIAL.sub(lambda m: "\\" + m[0], s) if _SPECIAL.search(s) else s

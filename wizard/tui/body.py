"""A step body, written in a little Markdown, drawn as one renderable (no Markdown widget).

The dialect (``docs/flow-format.md``) is parsed by :mod:`wizard.text.markup`, the one
parser every view shares (the exports and plain mode read the same blocks and
spans); this module only draws them: a Rich :class:`~rich.console.Group` of
:class:`~rich.text.Text` paragraphs and hanging rows (a list keeps its hanging
indent), shown in a single ``Static``. Textual's ``Markdown`` widget mounts a
widget per block and costs ~30 ms of import (markdown-it, pygments) before the
first step can be painted; this is one widget and no parser import.

Everything stays data: site labels and answers are opaque runs (an answer can
never add emphasis, a list or a link), and links become a click action holding
only the link's *number* (``screen.open_body_link(2)``), never the address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text as RichText

from wizard.flow.model import Text as FlowText
from wizard.text import markup
from wizard.text.markup import BULLET, MD, Run, Span
from wizard.text.render import TextRenderer
from wizard.tui.text import LABEL_STYLE, MISSING_STYLE, VALUE_STYLE, HangingRows, Lookup

__all__ = ["BULLET", "MD", "Body", "body_runs", "render_body"]

LINK_STYLE = "underline"
STRONG_STYLE = "bold"
EMPHASIS_STYLE = "italic"
CODE_STYLE = "bold"
HEADING_STYLE = "bold underline"
QUOTE_MARK = "▌ "
RULE = "─" * 24

#: The style of each opaque run kind of :func:`wizard.text.markup.runs_of`.
_KIND_STYLES = {markup.LABEL: LABEL_STYLE, markup.VALUE: VALUE_STYLE, markup.MISSING: MISSING_STYLE}


@dataclass
class Body:
    """A body ready to show: the renderable and the links it holds (index = click action argument)."""

    renderable: RenderableType
    links: list[str] = field(default_factory=list)


def body_runs(text: FlowText, renderer: TextRenderer, values: Lookup) -> list[Run]:
    """The body as runs: the author's converted literals, and opaque labels and answers."""
    return markup.runs_of(text, renderer, values)


class _Inline:
    """Draws the spans of one block into a Text, collecting links."""

    def __init__(self, links: list[str], action: Callable[[int], str]) -> None:
        self.links = links
        self.action = action

    def _link_style(self, url: str) -> Style:
        self.links.append(url)
        return Style(underline=True, meta={"@click": self.action(len(self.links) - 1)})

    def render(self, spans: list[Span] | tuple[Span, ...], style: str = "") -> RichText:
        out = RichText(style=style)
        for sp in spans:
            current = _styled(_KIND_STYLES.get(sp.kind, ""), sp.strong, sp.emphasis)
            if sp.kind == markup.CODE:
                out.append(sp.text, style=f"{current} {CODE_STYLE}".strip())
            elif sp.kind == markup.LINK and sp.url is not None:
                link = self._link_style(sp.url)
                out.append(sp.text, style=Style.parse(current) + link if current else link)
            elif sp.kind == markup.AUTOLINK and sp.url is not None:
                out.append(sp.text, style=self._link_style(sp.url))
            else:
                out.append(sp.text, style=current)
        return out


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
    for block in markup.blocks(markup.runs_of(text, renderer, values)):
        if parts and block.loose_before:
            parts.append(RichText(""))
        if block.kind in ("bullet", "ordered"):
            if grid is None or block.loose_before:
                grid = HangingRows([])
                parts.append(grid)
            grid.add_row(RichText(block.mark), inline.render(block.spans))
            continue
        grid = None
        if block.kind == "rule":
            parts.append(RichText(RULE, style="dim"))
        elif block.kind == "heading":
            parts.append(inline.render(block.spans, HEADING_STYLE))
        elif block.kind == "quote":
            quote = inline.render(block.spans, "italic")
            parts.append(HangingRows([(RichText(QUOTE_MARK, style="dim"), quote)], gap=0))
        else:
            parts.append(inline.render(block.spans))
    body.renderable = parts[0] if len(parts) == 1 else Group(*parts)
    return body

"""Flow text and user text as :class:`rich.text.Text`, never as markup.

Everything shown on screen that comes from a flow file or from the user goes
through this module. Flow :class:`~wizard.flow.model.Text` is rendered
segment by segment (never joined into a markup string):

- literals are converted to the reader's script by the renderer;
- site labels keep their exact words, in 「」, highlighted (the renderer adds
  the converted reading in Traditional scripts);
- answers are inserted as typed (cleaned of control characters), never
  converted.

The body of a step (a little Markdown) is drawn by :mod:`wizard.tui.body`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text as RichText

from wizard.flow.model import Literal, Ref, SiteLabel
from wizard.flow.model import Text as FlowText
from wizard.text.render import TextRenderer
from wizard.text.safety import clean_text

LABEL_STYLE = "bold reverse"
VALUE_STYLE = "bold"
MISSING_STYLE = "italic"

Lookup = Callable[[str], "str | None"]


def _none(_name: str) -> str | None:
    return None


def plain(s: str | None, style: str = "", *, multiline: bool = True) -> RichText:
    """User or flow text shown literally (control characters removed)."""
    return RichText(clean_text(s or "", multiline=multiline), style=style)


def flow_text(
    text: FlowText | None,
    renderer: TextRenderer,
    values: Lookup | None = None,
    *,
    style: str = "",
) -> RichText:
    """A flow text as rich Text, segment by segment."""
    out = RichText(style=style)
    if text is None:
        return out
    lookup = values or _none
    for seg in text.segments:
        if isinstance(seg, Literal):
            out.append(clean_text(renderer.ui(seg.text)))
        elif isinstance(seg, SiteLabel):
            out.append(clean_text(renderer.label(seg.text)), style=LABEL_STYLE)
        elif isinstance(seg, Ref):
            value = lookup(seg.name)
            if value is None or value == "":
                out.append(clean_text(renderer.missing), style=MISSING_STYLE)
            else:
                out.append(clean_text(value), style=VALUE_STYLE)
    return out


class HangingRows:
    """Rows of a mark and a text: the marks in a column as wide as the widest, each text wrapped
    beside its mark and folded under itself (a hanging indent).

    Draws what a two-column ``Table.grid`` (no-wrap marks, a folding text column) draws, at a
    fraction of the cost: a table measures every cell and distributes widths on each render, and
    Textual renders every renderable at least twice (to measure its height, then to draw it).
    Textual breaks lines at spaces, so 「⚠ 注意：……」 written as one text would leave the mark alone
    on its line when the Chinese text after the space is long; this keeps them side by side.
    """

    def __init__(
        self,
        rows: Sequence[tuple[RichText, RenderableType]],
        *,
        gap: int = 1,
        mark_width: int | None = None,
    ) -> None:
        self.rows = list(rows)
        self.gap = gap
        widest = max((cell_len(mark.plain) for mark, _body in self.rows), default=0)
        self.mark_width = max(widest, mark_width or 0)

    def add_row(self, mark: RichText, body: RenderableType) -> None:
        self.rows.append((mark, body))
        self.mark_width = max(self.mark_width, cell_len(mark.plain))

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.mark_width + self.gap
        width = max(1, options.max_width - indent)
        blank = Segment(" " * indent)
        inner = options.update(width=width, height=None)
        for mark, body in self.rows:
            if isinstance(body, RichText):
                lines = [list(line.render(console, end="")) for line in body.wrap(console, width, overflow="fold")]
            else:
                lines = console.render_lines(body, inner, pad=False)
            if not lines:
                lines = [[]]
            head = mark.copy()
            head.truncate(self.mark_width, pad=True)
            head.append(" " * self.gap)
            for i, line in enumerate(lines):
                if i:
                    yield blank
                else:
                    yield from head.render(console, end="")
                yield from line
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self.mark_width + self.gap
        widest = max((Measurement.get(console, options, body).maximum for _mark, body in self.rows), default=0)
        return Measurement(min(options.max_width, indent + 1), min(options.max_width, indent + max(1, widest)))


def hanging(mark: str, body: RichText, *, style: str = "") -> HangingRows:
    """``mark`` followed by ``body`` wrapped with a hanging indent."""
    return HangingRows([(RichText(mark, style=style), body)])

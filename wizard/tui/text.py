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

from collections.abc import Callable

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text as RichText

from wizard.flow.model import Literal, Ref, SiteLabel
from wizard.flow.model import Text as FlowText
from wizard.render import TextRenderer
from wizard.safety import clean_text

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


def hanging(mark: str, body: RichText, *, style: str = "") -> Table:
    """``mark`` followed by ``body`` wrapped with a hanging indent.

    Textual breaks lines at spaces, so 「⚠ 注意：……」 would leave the mark alone
    on its line when the Chinese text after the space is long; a two-column
    grid keeps them side by side and folds the text under itself.
    """
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=max(1, cell_len(mark)), no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(RichText(mark, style=style), body)
    return grid

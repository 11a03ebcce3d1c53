"""Where things were written: character offsets in a flow file → 1-based line and column.

The YAML reader works on a *cleaned* copy of the file (forbidden characters
removed, see :mod:`wizard.flow.yamlsafe`), so every position it sees is first
mapped back to the file as written. A :class:`Span` remembers where one YAML
scalar was written, so that a problem found later at some offset *inside the
value* (a template reference, a Markdown link, a condition operator) can be
reported at its exact line and column, even in a ``|`` block or a folded
multi-line string. Nothing here imports the rest of the project.
"""

from __future__ import annotations

from bisect import bisect_right

from wizard.flow.record import field, record

#: How far ahead (in characters of the file) a value character is looked for
#: when lining a value up with its source; bounds the work for strings full
#: of escapes.
_WINDOW = 512


@record(eq=False)
class SourceText:
    """The file as written, plus the offsets of characters removed before parsing."""

    text: str
    removed: tuple[int, ...] = ()  # sorted offsets (into ``text``) of removed characters
    _starts: list[int] = field(default_factory=list, repr=False)
    _keys: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # removed[j] sits at offset removed[j] - j of the cleaned text
        self._keys.extend(r - j for j, r in enumerate(self.removed))
        starts = self._starts
        starts.append(0)
        find = self.text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)

    def original(self, index: int) -> int:
        """An offset in the cleaned text → the offset in the file as written."""
        return index + bisect_right(self._keys, index)

    def line_col(self, index: int) -> tuple[int, int]:
        """A 0-based offset in the file as written → (line, col), both 1-based."""
        index = max(0, min(index, len(self.text)))
        line = bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1

    def index(self, line: int, col: int) -> int:
        """(line, col), 1-based → the offset in the file as written (-1 when out of range)."""
        if not 1 <= line <= len(self._starts):
            return -1
        return self._starts[line - 1] + col - 1

    def position(self, cleaned_index: int) -> tuple[int, int]:
        return self.line_col(self.original(cleaned_index))


class Span:
    """Where one scalar was written: ``[start, end)`` in the cleaned text, and its YAML style.

    A plain class (not a record): one is made for every scalar of a file, and spans are
    compared by identity anyway. Treat it as immutable.
    """

    __slots__ = ("end", "source", "start", "style")

    def __init__(self, source: SourceText, start: int, end: int, style: str = "") -> None:
        self.source = source
        self.start = start
        self.end = end
        self.style = style  # '' plain, "'" or '"' quoted, '|' literal block, '>' folded block

    def __repr__(self) -> str:
        return f"Span(start={self.start}, end={self.end}, style={self.style!r})"

    def locate(self, value: str, offset: int) -> tuple[int, int]:
        """(line, col) of ``value[offset]`` where it was written.

        The value is lined up with its source character by character:
        indentation, quotes, block headers and folded line breaks are
        skipped. A character that has no counterpart (it came from an
        escape such as ``\\e``) is placed just after the last one that had.
        """
        source = self.source
        raw = source.text
        start = source.original(self.start)
        end = min(len(raw), source.original(max(self.start, self.end - 1)) + 1)
        r = start
        if self.style in ("|", ">"):
            newline = raw.find("\n", start, end)
            r = newline + 1 if newline >= 0 else end
        elif self.style in ("'", '"'):
            r = start + 1
        offset = max(0, offset)
        matched: tuple[int, int] | None = None  # (value offset, file offset)
        for v in range(min(offset + 1, len(value))):
            ch = value[v]
            if r < end and raw[r] == ch:
                found = r
            elif ch.isspace():
                continue
            else:
                found = raw.find(ch, r, min(end, r + _WINDOW))
                if found < 0:
                    continue
            matched = (v, found)
            r = found + 1
        if matched is None:
            return source.line_col(start)
        v, found = matched
        line, col = source.line_col(found)
        return line, col + (offset - v)

"""Flow text to display strings, in the reader's script.

A :class:`TextRenderer` holds the script converter (identity for zh-Hans)
and knows the three rules every view follows:

- flow literals are converted to the reader's script;
- site labels are shown exactly as on 12315.cn, with the converted reading
  beside them when it differs: 「我要投诉」（我要投訴）;
- answers are inserted exactly as the user typed them, never converted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from wizard.flow.model import Literal, Ref, SiteLabel, Text
from wizard.flow.record import record
from wizard.flow.templates import MISSING


def _same(s: str) -> str:
    return s


@record
class TextRenderer:
    convert: Callable[[str], str] = _same

    def ui(self, s: str) -> str:
        """The app's own interface text."""
        return self.convert(s)

    def label(self, s: str) -> str:
        converted = self.convert(s)
        return f"「{s}」" if converted == s else f"「{s}」（{converted}）"

    @property
    def missing(self) -> str:
        return self.convert(MISSING)

    def text(
        self,
        text: Text | None,
        values: Callable[[str], str | None] | Mapping[str, str] | None = None,
    ) -> str:
        return self._join(text, values, _as_is)

    def source(
        self,
        text: Text | None,
        values: Callable[[str], str | None] | Mapping[str, str] | None = None,
    ) -> str:
        """Like :meth:`text`, in the Markdown dialect of :mod:`wizard.text.markup`: the author's literals
        as written, site labels and answers escaped so that not one of their characters is read as
        Markdown (``**`` in an answer stays two asterisks, ``https://`` in it is no link)."""
        from wizard.text.markup import escape

        return self._join(text, values, escape)

    def _join(
        self,
        text: Text | None,
        values: Callable[[str], str | None] | Mapping[str, str] | None,
        escape: Callable[[str], str],
    ) -> str:
        """The segments in the reader's script; ``escape`` applies to site labels and answers only."""
        if text is None:
            return ""
        lookup = _lookup(values)
        out: list[str] = []
        for seg in text.segments:
            if isinstance(seg, Literal):
                out.append(self.convert(seg.text))
            elif isinstance(seg, SiteLabel):
                out.append(escape(self.label(seg.text)))
            elif isinstance(seg, Ref):
                value = lookup(seg.name)
                out.append(escape(self.missing if value is None or value == "" else value))
        return "".join(out)


def _as_is(s: str) -> str:
    return s


def _lookup(
    values: Callable[[str], str | None] | Mapping[str, str] | None,
) -> Callable[[str], str | None]:
    if values is None:
        return lambda _name: None
    if callable(values):
        return values
    return values.get


PLAIN = TextRenderer()

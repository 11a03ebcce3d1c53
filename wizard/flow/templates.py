"""Flow text: answer references ``{field_id}`` and site labels ``[[我要投诉]]``.

Every piece of text in a flow is parsed once, at load time, into a
:class:`~wizard.flow.model.Text` of segments, so that references are checked
before anyone runs the flow and views never parse author text again:

- ``{merchant_name}`` inserts an answer (or a composed text); a missing
  answer is shown as 「（未填写）」.
- ``[[我要投诉]]`` marks the exact words of a button or field on 12315.cn:
  highlighted, never converted between scripts.
- ``{{`` and ``}}`` write literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wizard.errors import WizardError
from wizard.flow.model import Literal, Ref, Segment, SiteLabel, Text
from wizard.flow.source import Span

MISSING = "（未填写）"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class TemplateSyntaxError(WizardError):
    """Text that cannot be parsed; ``offset`` is the 0-based character offset in the text."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def parse_text(source: str, line: int = 0, col: int = 0, span: Span | None = None) -> Text:
    """Split author text into literal, reference and site-label segments.

    ``span`` (where the text was written) lets later checks point at the
    exact line and column of a reference.
    """
    segments: list[Segment] = []
    buf: list[str] = []
    i = 0
    n = len(source)

    def flush() -> None:
        if buf:
            segments.append(Literal("".join(buf)))
            buf.clear()

    while i < n:
        ch = source[i]
        if source.startswith("{{", i) or source.startswith("}}", i):
            buf.append(ch)
            i += 2
            continue
        if ch == "{":
            end = source.find("}", i + 1)
            if end < 0:
                raise TemplateSyntaxError(i, "'{' without a closing '}' (write '{{' for a literal brace)")
            name = source[i + 1 : end].strip()
            if not _NAME.match(name):
                raise TemplateSyntaxError(
                    i,
                    f"'{{{name}}}' is not a field id (letters, digits and _; write '{{{{' for a brace)",
                )
            flush()
            segments.append(Ref(name, i))
            i = end + 1
            continue
        if ch == "}":
            raise TemplateSyntaxError(i, "'}' without an opening '{' (write '}}' for a literal brace)")
        if source.startswith("[[", i):
            end = source.find("]]", i + 2)
            if end < 0:
                raise TemplateSyntaxError(i, "'[[' without a closing ']]'")
            label = source[i + 2 : end]
            if not label.strip() or "\n" in label or "[[" in label:
                raise TemplateSyntaxError(i, "a site label [[...]] must hold the words of one button or field")
            flush()
            segments.append(SiteLabel(label))
            i = end + 2
            continue
        buf.append(ch)
        i += 1
    flush()
    return Text(source, tuple(segments), line, col, span)


def plain_text(source: str) -> Text:
    """Text that holds no references or labels (ids, URLs): one literal."""
    return Text(source, (Literal(source),) if source else ())


def render(
    text: Text,
    value_of: Callable[[str], str | None],
    *,
    convert: Callable[[str], str] = lambda s: s,
    label: Callable[[str], str] = lambda s: f"「{s}」",
    missing: str = MISSING,
) -> str:
    """Join the segments: literals converted, labels formatted, answers inserted as typed."""
    out: list[str] = []
    for seg in text.segments:
        if isinstance(seg, Literal):
            out.append(convert(seg.text))
        elif isinstance(seg, SiteLabel):
            out.append(label(seg.text))
        else:
            value = value_of(seg.name)
            out.append(convert(missing) if value is None or value == "" else value)
    return "".join(out)

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


#: What ends a run of literal text, in order of precedence at one position.
_SPECIAL = re.compile(r"\{\{|\}\}|\{|\}|\[\[")


def parse_text(source: str, line: int = 0, col: int = 0, span: Span | None = None) -> Text:
    """Split author text into literal, reference and site-label segments.

    ``span`` (where the text was written) lets later checks point at the
    exact line and column of a reference.
    """
    if "{" not in source and "}" not in source and "[[" not in source:  # most text: one literal
        return Text(source, (Literal(source),) if source else (), line, col, span)
    segments: list[Segment] = []
    buf: list[str] = []
    i = 0
    n = len(source)
    search = _SPECIAL.search
    while i < n:
        m = search(source, i)
        if m is None:
            buf.append(source[i:])
            break
        start = m.start()
        if start > i:
            buf.append(source[i:start])
        token = m.group()
        if token in ("{{", "}}"):
            buf.append(token[0])
            i = start + 2
        elif token == "{":
            end = source.find("}", start + 1)
            if end < 0:
                raise TemplateSyntaxError(start, "'{' without a closing '}' (write '{{' for a literal brace)")
            name = source[start + 1 : end].strip()
            if not _NAME.match(name):
                raise TemplateSyntaxError(
                    start,
                    f"'{{{name}}}' is not a field id (letters, digits and _; write '{{{{' for a brace)",
                )
            if buf:
                segments.append(Literal("".join(buf)))
                buf.clear()
            segments.append(Ref(name, start))
            i = end + 1
        elif token == "}":
            raise TemplateSyntaxError(start, "'}' without an opening '{' (write '}}' for a literal brace)")
        else:  # "[["
            end = source.find("]]", start + 2)
            if end < 0:
                raise TemplateSyntaxError(start, "'[[' without a closing ']]'")
            label = source[start + 2 : end]
            if not label.strip() or "\n" in label or "[[" in label:
                raise TemplateSyntaxError(start, "a site label [[...]] must hold the words of one button or field")
            if buf:
                segments.append(Literal("".join(buf)))
                buf.clear()
            segments.append(SiteLabel(label))
            i = end + 2
    if buf:
        segments.append(Literal("".join(buf)))
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

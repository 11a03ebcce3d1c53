"""A hardened YAML reader that keeps positions beside the data.

Flow files come from strangers, so this module never hands raw input to a
recursive composer. It reads the *event stream* (libyaml's C parser when
available, which refuses excessive nesting by itself) and builds a small tree
iteratively, refusing as it goes everything a flow never needs: anchors and
aliases, tags, several documents, duplicate keys, non-scalar keys, nesting
deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes.

Scalars are kept exactly as written (strings): there is no YAML 1.1 guessing
(``NO`` stays ``"NO"``, ``0123`` stays ``"0123"``). The flow loader decides
what a scalar means from where it stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import yaml

from wizard.errors import Diagnostic, Location, Severity
from wizard.safety import forbidden_chars

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 200_000

try:  # libyaml's event parser: fast, and its scanner caps nesting itself.
    from yaml import CParser as _Parser  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _PyParser  # noqa: F401

    _Parser = None


@dataclass
class Node:
    line: int
    col: int


@dataclass
class Scalar(Node):
    value: str
    plain: bool = True  # written without quotes or block style
    end_line: int = 0


@dataclass
class Seq(Node):
    items: list[YamlNode] = field(default_factory=list)


@dataclass
class Map(Node):
    items: list[tuple[Scalar, YamlNode]] = field(default_factory=list)

    def get(self, key: str) -> YamlNode | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None

    def key_node(self, key: str) -> Scalar | None:
        for k, _ in self.items:
            if k.value == key:
                return k
        return None


YamlNode = Union[Scalar, Seq, Map]  # noqa: UP007 - a runtime alias; 3.10 lacks | on classes here


class YamlProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _line_col(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: strict UTF-8, size cap, no NUL, CRLF accepted."""

    def err(msg: str, line: int = 1, col: int = 1) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(Severity.ERROR, Location(path, line, col), msg)]

    if len(data) > MAX_BYTES:
        return err(f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return err("file is UTF-16 encoded; save it as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(head, len(head))
        return err(f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8", line, col)
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text, nul)
        return err("NUL byte in file (is this a binary file?)", line, col)
    if not text.strip():
        return err("file is empty: a flow needs at least id, title and steps")
    text = text.replace("\r\n", "\n")
    return text, []


def _mark(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    if mark is None:
        return 0, 0
    return mark.line + 1, mark.column + 1


def _problem(path: str, line: int, col: int, message: str) -> YamlProblem:
    return YamlProblem(Diagnostic(Severity.ERROR, Location(path, line, col), message))


def _events(text: str) -> object:
    if _Parser is not None:
        return yaml.parse(text, Loader=_Parser)
    return yaml.parse(text, Loader=yaml.SafeLoader)


def parse(text: str, path: str) -> YamlNode:
    """Build the tree from the event stream; raise :class:`YamlProblem` on the first problem."""
    stack: list[YamlNode] = []
    pending_key: list[Scalar | None] = []  # for each open Map: the key awaiting its value
    seen_keys: list[dict[str, Scalar]] = []
    root: YamlNode | None = None
    documents = 0
    count = 0

    def attach(node: YamlNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        assert isinstance(parent, Map)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise _problem(path, node.line, node.col, "a key must be a plain word, not a list or mapping")
            first = seen_keys[-1].get(node.value)
            if first is not None:
                raise _problem(
                    path,
                    node.line,
                    node.col,
                    f"duplicate key '{node.value}' (first at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
            seen_keys[-1][node.value] = node
            pending_key[-1] = node
        else:
            parent.items.append((key, node))
            pending_key[-1] = None

    try:
        for event in _events(text):  # type: ignore[attr-defined,unused-ignore]
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            line, col = _mark(event)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _problem(path, line, col, "a second YAML document ('---'); a flow file holds one")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise _problem(path, line, col, "aliases (*name) are not allowed in flow files")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _problem(path, line, col, f"anchors (&{anchor}) are not allowed in flow files")
            tag = getattr(event, "tag", None)
            if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == "!" and not event.implicit[0]):
                raise _problem(path, line, col, f"tags ({tag}) are not allowed in flow files")
            count += 1
            if count > MAX_NODES:
                raise _problem(path, line, col, f"too many values (over {MAX_NODES:,})")
            if isinstance(event, yaml.ScalarEvent):
                end = event.end_mark.line + 1 if event.end_mark is not None else line
                attach(Scalar(line, col, event.value, plain=event.style is None, end_line=end))
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _problem(path, line, col, f"nesting deeper than {MAX_DEPTH} levels")
                node: YamlNode = Seq(line, col) if isinstance(event, yaml.SequenceStartEvent) else Map(line, col)
                attach(node)
                stack.append(node)
                if isinstance(node, Map):
                    pending_key.append(None)
                    seen_keys.append({})
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                closed = stack.pop()
                if isinstance(closed, Map):
                    pending_key.pop()
                    seen_keys.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise _problem(path, line, col, f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        char = exc.character
        code = f"U+{ord(char):04X}" if isinstance(char, str) else f"0x{char:02x}"
        raise _problem(path, line, col, f"control character {code} is not allowed") from None
    except yaml.YAMLError as exc:
        raise _problem(path, 1, 1, f"YAML error: {exc}") from None
    except RecursionError:
        raise _problem(path, 1, 1, "nesting too deep") from None
    if root is None:
        raise _problem(path, 1, 1, "file is empty: a flow needs at least id, title and steps")
    return root


def scalar_problems(node: YamlNode, path: str) -> list[Diagnostic]:
    """Every control, bidirectional or invisible character in any scalar."""
    found: list[Diagnostic] = []
    todo: list[YamlNode] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, Scalar):
            bad = forbidden_chars(current.value)
            if bad:
                offset, name = bad[0]
                line = current.line
                if not current.plain:
                    line += current.value.count("\n", 0, offset)
                found.append(
                    Diagnostic(
                        Severity.ERROR,
                        Location(path, line, current.col),
                        f"forbidden character {name} in text; flows may not contain "
                        "control, direction-override or invisible characters",
                    )
                )
        elif isinstance(current, Seq):
            todo.extend(current.items)
        else:
            for key, value in current.items:
                todo.append(key)
                todo.append(value)
    found.sort(key=lambda d: (d.location.line, d.location.col))
    return found


def read(data: bytes, path: str) -> tuple[YamlNode | None, list[Diagnostic]]:
    """Decode and parse; the tree, or None and the reasons."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    try:
        tree = parse(text, path)
    except YamlProblem as exc:
        return None, [exc.diagnostic]
    return tree, scalar_problems(tree, path)

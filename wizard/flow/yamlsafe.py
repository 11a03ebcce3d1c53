"""A hardened YAML reader that keeps positions beside the data.

Flow files come from strangers, so this module never hands raw input to a
recursive composer (libyaml's C composer crashes the process on very deep
nesting). It reads only the *event stream* (libyaml's C parser when
available; its scanner refuses excessive nesting by itself) and builds a
small tree iteratively, refusing as it goes everything a flow never needs:
anchors and aliases, tags, several documents, duplicate keys, non-scalar
keys, nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES`
values.

Before parsing, the whole file is searched for control, bidirectional and
invisible characters (comments included): each is reported at its exact
line and column and removed, so that the rest of the file can still be
checked. Positions are always those of the file as written.

Scalars are kept exactly as written (strings): there is no YAML 1.1 guessing
(``NO`` stays ``"NO"``, ``0123`` stays ``"0123"``). The flow loader decides
what a scalar means from where it stands.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator

import yaml

from wizard.errors import Diagnostic, Location, Severity
from wizard.flow.record import record
from wizard.flow.source import SourceText, Span
from wizard.text.safety import SUSPECT_CHARS, VARIATION_SELECTORS, ZWJ, forbidden_chars

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 50_000
MAX_REPORTED_CHARS = 20  # forbidden characters reported one by one; the rest are counted

try:  # libyaml's event parser: fast, and its scanner caps nesting itself.
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined,unused-ignore]

    _PARSER: type = _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _PyParser  # noqa: F401

    _PARSER = yaml.SafeLoader


class Node:
    """A node of the YAML tree, with where it was written (1-based).

    Plain classes with ``__slots__`` (not records): a flow file holds tens of
    thousands of nodes, and these are built at C speed and compared by
    identity; they live only while a file is read.
    """

    __slots__ = ("col", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in _SLOTS[type(self)])
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:  # field by field, as the dataclasses these once were
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _SLOTS[type(self)])

    __hash__ = None  # type: ignore[assignment] # mutable: not hashable


class Scalar(Node):
    __slots__ = ("bogus", "plain", "span", "value")

    def __init__(
        self, line: int, col: int, value: str, plain: bool = True, span: Span | None = None, bogus: bool = False
    ) -> None:
        self.line = line
        self.col = col
        self.value = value
        self.plain = plain  # written without quotes or block style
        self.span = span
        self.bogus = bogus  # stands for something already reported (an alias, a tag): never report it again


class Seq(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, col: int, items: list[YamlNode] | None = None) -> None:
        self.line = line
        self.col = col
        self.items: list[YamlNode] = [] if items is None else items


class Map(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, col: int, items: list[tuple[Scalar, YamlNode]] | None = None) -> None:
        self.line = line
        self.col = col
        self.items: list[tuple[Scalar, YamlNode]] = [] if items is None else items

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


_SLOTS = {
    Scalar: ("line", "col", "value", "plain", "span", "bogus"),
    Seq: ("line", "col", "items"),
    Map: ("line", "col", "items"),
}
YamlNode = Scalar | Seq | Map


TYPE_CHECKING = False  # typing costs a few ms to import: only type checkers read this block
if TYPE_CHECKING:
    from typing import Protocol

    class _Mark(Protocol):
        @property
        def index(self) -> int: ...

        @property
        def line(self) -> int: ...

        @property
        def column(self) -> int: ...


class YamlProblem(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@record(frozen=False)
class Document:
    """What :func:`read_document` found: the tree (None when unusable), the source, every problem."""

    tree: YamlNode | None
    source: SourceText | None
    diagnostics: list[Diagnostic]

    @property
    def fatal(self) -> bool:
        return self.tree is None


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
        # the readers stop at MAX_BYTES + 1, so the real size is not known here: never state one
        return err(f"file is too large (more than {MAX_BYTES:,} bytes, the limit)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return err("file is UTF-16 encoded; save it as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start].decode("utf-8", errors="replace").replace("\r\n", "\n")
        line, col = _line_col(head, len(head))
        return err(f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8", line, col)
    text = text.replace("\r\n", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text, nul)
        return err("NUL byte in file (is this a binary file?)", line, col)
    if not text.strip():
        return err("file is empty: a flow needs at least id, title and steps")
    return text, []


#: Every character :func:`wizard.text.safety.forbidden_chars` may report (tab and LF excepted); all
#: but ZWJ are forbidden wherever they stand. Finding them with one regex keeps clean files fast.
_CANDIDATES = SUSPECT_CHARS


def _forbidden_in(text: str) -> list[tuple[int, str]]:
    """Offsets and names of the forbidden characters of a whole file (ZWJ only outside emoji)."""
    found: list[tuple[int, str]] = []
    for m in _CANDIDATES.finditer(text):
        i = m.start()
        ch = m.group()
        if ch == ZWJ or ch in VARIATION_SELECTORS:
            start = max(0, i - 1)
            if all(off != i - start for off, _ in forbidden_chars(text[start : i + 2])):
                continue  # joins an emoji sequence, or selects a variant of the character before
        names = forbidden_chars(ch)
        found.append((i, names[0][1] if names else f"U+{ord(ch):04X}"))
    return found


def _forbidden_message(name: str) -> str:
    return f"forbidden character {name}; flows may not contain control, direction-override or invisible characters"


def clean_source(text: str, path: str) -> tuple[str, SourceText, list[Diagnostic]]:
    """Find every forbidden character in the file, report it where it stands, and remove it.

    A lone CR (an old Mac line end) is reported and removed like the others.
    Returns the cleaned text to parse, the :class:`SourceText` that maps
    positions back, and the diagnostics.
    """
    found = _forbidden_in(text)
    if not found:
        return text, SourceText(text), []
    source = SourceText(text)
    diagnostics: list[Diagnostic] = []
    removed: list[int] = []
    for n, (offset, name) in enumerate(found):
        if n < MAX_REPORTED_CHARS:
            line, col = source.line_col(offset)
            message = (
                "a lone CR line end; save the file with LF (or CRLF) line ends"
                if name == "CR"
                else _forbidden_message(name)
            )
            diagnostics.append(Diagnostic(Severity.ERROR, Location(path, line, col), message))
        removed.append(offset)
    if len(found) > MAX_REPORTED_CHARS:
        line, col = source.line_col(found[MAX_REPORTED_CHARS][0])
        more = len(found) - MAX_REPORTED_CHARS
        diagnostics.append(
            Diagnostic(Severity.ERROR, Location(path, line, col), f"{more:,} more forbidden characters not listed")
        )
    pieces: list[str] = []
    last = 0
    for offset in removed:
        pieces.append(text[last:offset])
        last = offset + 1
    pieces.append(text[last:])
    cleaned = "".join(pieces)
    return cleaned, SourceText(source.text, tuple(removed)), diagnostics


def _discard_key() -> Scalar:
    return Scalar(0, 0, "", bogus=True)


_DISCARD = _discard_key()  # the "key" of a value that is thrown away (after a duplicate or bad key)


class _Reader:
    """Builds the tree from the event stream, collecting the problems it can go on after."""

    def __init__(self, text: str, source: SourceText, path: str) -> None:
        self.text = text
        self.source = source
        self.path = path
        self.problems: list[Diagnostic] = []
        self.stack: list[YamlNode] = []
        self.pending_key: list[Scalar | None] = []  # for each open Map: the key awaiting its value
        self.seen_keys: list[dict[str, Scalar]] = []
        self.root: YamlNode | None = None
        self.aliases: set[str] = set()
        self.exact = not source.removed

    def report(self, line: int, col: int, message: str) -> None:
        self.problems.append(Diagnostic(Severity.ERROR, Location(self.path, line, col), message))

    def fatal(self, line: int, col: int, message: str) -> YamlProblem:
        return YamlProblem(Diagnostic(Severity.ERROR, Location(self.path, line, col), message))

    def attach(self, node: YamlNode) -> None:
        if not self.stack:
            if self.root is None:
                self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        assert isinstance(parent, Map)
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                self.report(node.line, node.col, "a key must be a plain word, not a list or mapping")
                self.pending_key[-1] = _DISCARD
                return
            if node.bogus:
                self.pending_key[-1] = _DISCARD
                return
            first = self.seen_keys[-1].get(node.value)
            if first is not None:
                self.report(
                    node.line,
                    node.col,
                    f"duplicate key '{node.value}' (first at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
                self.pending_key[-1] = _DISCARD
                return
            self.seen_keys[-1][node.value] = node
            self.pending_key[-1] = node
        else:
            if key is not _DISCARD:
                parent.items.append((key, node))
            self.pending_key[-1] = None

    def position(self, mark: _Mark | None) -> tuple[int, int]:
        if mark is None:
            return 0, 0
        if self.exact:  # nothing was removed: libyaml's own line and column are the file's
            return mark.line + 1, mark.column + 1
        return self.source.position(mark.index)

    def run(self) -> YamlNode | None:
        parser = _PARSER(self.text)  # what yaml.parse does, without a generator around each event
        try:
            return self._events(parser.check_event, parser.get_event)
        finally:
            parser.dispose()

    def _events(self, more: Callable[[], bool], take: Callable[[], yaml.Event]) -> YamlNode | None:
        documents = 0
        count = 0
        exact = self.exact
        while more():
            event = take()
            kind = event.__class__
            if kind in _SKIPPED:
                continue
            mark: _Mark | None = event.start_mark
            if exact and mark is not None:  # nothing was removed: libyaml's own line and column are the file's
                line, col = mark.line + 1, mark.column + 1
            else:
                line, col = self.position(mark)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.report(line, col, "a second YAML document ('---'); a flow file holds one")
                    break
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.aliases:  # once per name: a billion laughs is one problem
                    self.aliases.add(event.anchor or "")
                    self.report(line, col, f"aliases (*{event.anchor}) are not allowed in flow files")
                self.attach(Scalar(line, col, "", bogus=True))
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self.report(line, col, f"anchors (&{anchor}) are not allowed in flow files")
            tag = getattr(event, "tag", None)
            tagged = tag is not None and not (
                isinstance(event, yaml.ScalarEvent) and tag == "!" and not event.implicit[0]
            )
            if tagged:
                self.report(line, col, f"tags ({tag}) are not allowed in flow files")
            count += 1
            if count > MAX_NODES:
                raise self.fatal(line, col, f"too many values (over {MAX_NODES:,})")
            if isinstance(event, yaml.ScalarEvent):
                end: _Mark | None = event.end_mark
                start_index = mark.index if mark is not None else 0
                end_index = end.index if end is not None else start_index
                style = event.style or ""
                span = Span(self.source, start_index, end_index, style)
                self.attach(Scalar(line, col, event.value, not style, span, tagged))
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                if len(self.stack) >= MAX_DEPTH:
                    raise self.fatal(line, col, f"nesting deeper than {MAX_DEPTH} levels")
                node: YamlNode = Seq(line, col) if kind is yaml.SequenceStartEvent else Map(line, col)
                # a tagged list or mapping is read (to go on) but left out: its tag was reported
                self.attach(Scalar(line, col, "", bogus=True) if tagged else node)
                self.stack.append(node)
                if kind is yaml.MappingStartEvent:
                    self.pending_key.append(None)
                    self.seen_keys.append({})
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                closed = self.stack.pop()
                if isinstance(closed, Map):
                    self.pending_key.pop()
                    self.seen_keys.pop()
        return self.root


_SKIPPED = frozenset({yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent})


def parse_document(text: str, source: SourceText, path: str) -> tuple[YamlNode | None, list[Diagnostic]]:
    """Build the tree from the cleaned ``text``; None and the reason when the YAML cannot be read.

    Problems the reader can go on after (duplicate keys, aliases, anchors,
    tags, a second document) come back with the tree.
    """
    reader = _Reader(text, source, path)

    def fatal(index: int | None, message: str) -> tuple[None, list[Diagnostic]]:
        if index is not None:
            # a problem found at the very end (a truncated file): show it where the text ends
            index = min(index, len(text.rstrip()))
        line, col = source.position(index) if index is not None else (1, 1)
        return None, [*reader.problems, Diagnostic(Severity.ERROR, Location(path, line, col), message)]

    try:
        root = reader.run()
    except YamlProblem as exc:
        return None, [*reader.problems, exc.diagnostic]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        message = f"YAML syntax error: {problem}"
        if "nesting depth" in problem:  # libyaml's own cap, far above ours
            message = f"nesting deeper than {MAX_DEPTH} levels"
        return fatal(mark.index if mark is not None else None, message)
    except yaml.reader.ReaderError as exc:
        char = exc.character
        code = f"U+{ord(char) if isinstance(char, str) else char:04X}"
        return fatal(exc.position, f"character {code} is not allowed in YAML")
    except yaml.YAMLError as exc:
        return fatal(None, f"YAML error: {exc}")
    except RecursionError:
        return fatal(None, "nesting too deep")
    if root is None:
        return fatal(None, "file is empty: a flow needs at least id, title and steps")
    return root, reader.problems


def walk(node: YamlNode, path: str = "") -> Iterator[tuple[str, YamlNode]]:
    """Every node with its key path (``steps[3].fields[1].type``), keys included, iteratively."""
    todo: list[tuple[str, YamlNode]] = [(path, node)]
    while todo:
        where, current = todo.pop()
        yield where, current
        if isinstance(current, Seq):
            todo.extend((f"{where}[{i}]", item) for i, item in reversed(list(enumerate(current.items))))
        elif isinstance(current, Map):
            for key, value in reversed(current.items):
                inner = f"{where}.{key.value}" if where else key.value
                todo.append((inner, value))
                todo.append((inner, key))


def key_paths(tree: YamlNode) -> list[tuple[int, int, str]]:
    """(start, end, key path) of every scalar, by start offset in the cleaned text."""
    out = [
        (node.span.start, node.span.end, where)
        for where, node in walk(tree)
        if isinstance(node, Scalar) and node.span is not None
    ]
    out.sort()
    return out


def with_key_paths(diagnostics: list[Diagnostic], tree: YamlNode | None, source: SourceText) -> list[Diagnostic]:
    """Give each diagnostic that has none the key path of the scalar it falls in."""
    if tree is None or not diagnostics:
        return diagnostics
    spans = key_paths(tree)
    if not spans:
        return diagnostics
    starts = [source.original(s) for s, _, _ in spans]
    ends = [source.original(max(s, e - 1)) + 1 for s, e, _ in spans]
    out: list[Diagnostic] = []
    for d in diagnostics:
        if d.key_path or d.location.line <= 0:
            out.append(d)
            continue
        index = source.index(d.location.line, d.location.col)
        i = bisect_right(starts, index) - 1
        if i >= 0 and index < ends[i]:
            d = Diagnostic(d.severity, d.location, d.message, spans[i][2], d.hint)
        out.append(d)
    return out


def escaped_chars(tree: YamlNode, path: str) -> list[Diagnostic]:
    """Forbidden characters that come from escapes (``"\\e"``, ``"\\u202e"``) in quoted scalars.

    Characters written as themselves were already reported and removed by
    :func:`clean_source`; whatever is left in a value was spelt as an escape.
    """
    found: list[Diagnostic] = []
    if not any(_escaped(node) for node in _scalars(tree)):
        return found  # the usual case, found without building every key path
    for where, node in walk(tree):
        if not isinstance(node, Scalar) or not _escaped(node):
            continue
        bad = forbidden_chars(node.value)
        if not bad:
            continue
        offset, name = bad[0]
        line, col = node.span.locate(node.value, offset) if node.span is not None else (node.line, node.col)
        found.append(Diagnostic(Severity.ERROR, Location(path, line, col), _forbidden_message(name), where))
    return found


def _escaped(node: Scalar) -> bool:
    """Whether a scalar holds a forbidden character that can only have come from an escape."""
    if node.bogus or (node.span is not None and node.span.style != '"'):
        return False  # only a double-quoted scalar has escapes; the rest was cleaned with the source
    return bool(forbidden_chars(node.value))


def _scalars(node: YamlNode) -> Iterator[Scalar]:
    """Every scalar of a tree, keys included, in no particular order."""
    todo: list[YamlNode] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, Scalar):
            yield current
        elif isinstance(current, Seq):
            todo.extend(current.items)
        else:
            for key, value in current.items:
                yield key
                todo.append(value)


def read_document(data: bytes, path: str) -> Document:
    """Decode, clean and parse; every problem found, and the tree when there is one."""
    text, problems = decode(data, path)
    if text is None:
        return Document(None, None, problems)
    cleaned, source, problems = clean_source(text, path)
    tree, more = parse_document(cleaned, source, path)
    problems = with_key_paths(problems, tree, source)
    problems.extend(more)
    if tree is not None:
        problems.extend(escaped_chars(tree, path))
    return Document(tree, source, problems)


def read(data: bytes, path: str) -> tuple[YamlNode | None, list[Diagnostic]]:
    """Decode and parse for a file whose text may hold odd characters (an answers file).

    Returns None and the reasons when the YAML itself is unusable (syntax,
    duplicate keys, aliases, tags, several documents, characters YAML does
    not allow); otherwise the tree and the list of scalars holding control,
    bidirectional or invisible characters, which the caller may treat as
    warnings (the validators remove them).
    """
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    source = SourceText(text)
    tree, problems = parse_document(text, source, path)
    if tree is None or problems:
        return None, problems
    return tree, scalar_problems(tree, path)


def scalar_problems(node: YamlNode, path: str) -> list[Diagnostic]:
    """Every scalar holding a control, bidirectional or invisible character, at that character."""
    found: list[Diagnostic] = []
    for where, current in walk(node):
        if not isinstance(current, Scalar):
            continue
        bad = forbidden_chars(current.value)
        if bad:
            offset, name = bad[0]
            span = current.span
            line, col = span.locate(current.value, offset) if span is not None else (current.line, current.col)
            found.append(Diagnostic(Severity.ERROR, Location(path, line, col), _forbidden_message(name), where))
    found.sort(key=lambda d: (d.location.line, d.location.col))
    return found

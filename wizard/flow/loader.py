"""YAML flow file → :class:`~wizard.flow.model.Flow`, with every problem located.

Structure is checked here (known keys, types of values, required keys);
meaning (references, ids, reachability) is checked by :mod:`wizard.flow.lint`.
:func:`load_flow` runs both and returns the flow together with all
diagnostics, or raises :class:`~wizard.errors.FlowLoadError` when there is an
error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from wizard.errors import Diagnostic, FlowLoadError, Location, Severity, did_you_mean
from wizard.flow import yamlsafe
from wizard.flow.conditions import ConditionSyntaxError, parse_expression
from wizard.flow.lint import Broken, lint
from wizard.flow.model import (
    EMPTY_TEXT,
    AllOf,
    AnyOf,
    Check,
    CheckLevel,
    ChecklistItem,
    Compose,
    ComposePart,
    Condition,
    Deadline,
    DeadlineUnit,
    Field,
    FieldType,
    Flow,
    Marks,
    Note,
    NotOf,
    Option,
    Source,
    Step,
    Text,
    condition_fields,
)
from wizard.flow.record import field, record, replace
from wizard.flow.templates import TemplateSyntaxError, parse_text, plain_text
from wizard.flow.yamlsafe import Map, Scalar, Seq, YamlNode

ID_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
FLOW_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
MAX_TEXT = 20_000

TOP_KEYS = (
    "id",
    "title",
    "version",
    "reviewed",
    "description",
    "sources",
    "steps",
    "checks",
    "compose",
    "deadlines",
)
STEP_KEYS = ("id", "title", "body", "link", "tips", "warnings", "fields", "checklist", "when")
FIELD_KEYS = (
    "id",
    "type",
    "label",
    "help",
    "required",
    "placeholder",
    "options",
    "min",
    "max",
    "max_length",
    "pattern",
    "pattern_message",
    "allow_future",
    "site_label",
    "paste",
    "when",
)
OPTION_KEYS = ("value", "label", "when")
NOTE_KEYS = ("text", "when")
ITEM_KEYS = ("text", "value", "link", "when")
CHECK_KEYS = ("id", "level", "when", "message", "step")
COMPOSE_KEYS = ("id", "label", "parts", "max_length", "site_label", "over_limit")
PART_KEYS = ("text", "when")
SOURCE_KEYS = ("title", "url")
DEADLINE_UNITS = tuple(u.value for u in DeadlineUnit)
DEADLINE_KEYS = ("id", "label", "from", *DEADLINE_UNITS, "when")

TYPE_CHECKING = False  # typing costs a few ms to import: only type checkers read this block
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")


@record(frozen=False)
class _Ctx:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, node: YamlNode | None, message: str, key_path: str = "", hint: str = "", offset: int = -1) -> None:
        self._add(Severity.ERROR, node, message, key_path, hint, offset)

    def warning(
        self, node: YamlNode | None, message: str, key_path: str = "", hint: str = "", offset: int = -1
    ) -> None:
        self._add(Severity.WARNING, node, message, key_path, hint, offset)

    def _add(
        self, severity: Severity, node: YamlNode | None, message: str, key_path: str, hint: str, offset: int
    ) -> None:
        if isinstance(node, Scalar) and node.bogus:
            return  # stands for an alias, already reported
        line, col = _at(node, offset)
        self.diagnostics.append(Diagnostic(severity, Location(self.path, line, col), message, key_path, hint))


def _at(node: YamlNode | None, offset: int = -1) -> tuple[int, int]:
    """Where a node was written, or where ``offset`` of a scalar's value was."""
    if node is None:
        return 0, 0
    if offset >= 0 and isinstance(node, Scalar) and node.span is not None:
        return node.span.locate(node.value, offset)
    return node.line, node.col


def _marks(node: YamlNode, where: str) -> Marks:
    if not isinstance(node, Map):
        return Marks((), where)
    return Marks(tuple((key.value, value.line, value.col) for key, value in node.items), where)


_KIND = {Scalar: "a single value", Seq: "a list", Map: "a mapping (key: value)"}


def _kind(node: YamlNode) -> str:
    return _KIND[type(node)]


class _Builder:
    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx
        # ids of fields, steps and composed texts that could not be built (or only in part):
        # their problems are reported here, so lint keeps quiet about them
        self.broken: set[str] = set()
        self.dropped_steps = False

    # --- generic helpers -------------------------------------------------------

    def mapping(self, node: YamlNode, where: str, allowed: tuple[str, ...]) -> Map | None:
        if isinstance(node, Scalar) and node.bogus:
            return None
        if not isinstance(node, Map):
            self.ctx.error(node, f"expected a mapping (key: value), found {_kind(node)}", where)
            return None
        for key, _ in node.items:
            if key.value not in allowed:
                self.ctx.error(
                    key,
                    f"unknown key '{key.value}'",
                    f"{where}.{key.value}" if where else key.value,
                    did_you_mean(key.value, allowed) or f"allowed keys: {', '.join(allowed)}",
                )
        return node

    def required(self, m: Map, key: str, where: str) -> YamlNode | None:
        node = m.get(key)
        if node is None:
            self.ctx.error(m, f"missing required key '{key}'", where)
        return node

    def string(self, node: YamlNode | None, where: str, *, allow_empty: bool = False) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar):
            self.ctx.error(node, f"expected text, found {_kind(node)}", where)
            return None
        if not allow_empty and not node.value.strip():
            self.ctx.error(node, "expected text, found an empty value", where)
            return None
        if len(node.value) > MAX_TEXT:
            self.ctx.error(node, f"text longer than {MAX_TEXT:,} characters", where)
            return None
        return node.value

    def text(self, node: YamlNode | None, where: str) -> Text | None:
        value = self.string(node, where)
        if value is None or node is None:
            return None
        span = node.span if isinstance(node, Scalar) else None
        try:
            return parse_text(value, node.line, node.col, span)
        except TemplateSyntaxError as exc:
            self.ctx.error(node, exc.message, where, offset=exc.offset)
            return None

    def ident(self, node: YamlNode | None, where: str, regex: re.Pattern[str] = ID_RE) -> str | None:
        value = self.string(node, where)
        if value is None:
            return None
        if not regex.match(value):
            rule = (
                "lower-case letters, digits and '-'"
                if regex is FLOW_ID_RE
                else "letters, digits and '_', not starting with a digit"
            )
            self.ctx.error(node, f"'{value}' is not a valid id ({rule})", where)
            return None
        return value

    def boolean(self, node: YamlNode | None, where: str) -> bool | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and node.plain and node.value.lower() in ("true", "false"):
            return node.value.lower() == "true"
        shown = node.value if isinstance(node, Scalar) else _kind(node)
        self.ctx.error(node, f"expected true or false, found '{shown}'", where)
        return None

    def integer(self, node: YamlNode | None, where: str, minimum: int = 0) -> int | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and node.plain and re.fullmatch(r"[0-9]{1,9}", node.value):
            value = int(node.value)
            if value >= minimum:
                return value
        shown = node.value if isinstance(node, Scalar) else _kind(node)
        self.ctx.error(node, f"expected a whole number ≥ {minimum}, found '{shown}'", where)
        return None

    def decimal(self, node: YamlNode | None, where: str) -> Decimal | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and node.plain and re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,6})?", node.value):
            try:
                return Decimal(node.value)
            except InvalidOperation:  # pragma: no cover - the regex admits only numbers
                pass
        shown = node.value if isinstance(node, Scalar) else _kind(node)
        self.ctx.error(node, f"expected a number, found '{shown}'", where)
        return None

    def seq(self, node: YamlNode | None, where: str) -> list[YamlNode]:
        if node is None or (isinstance(node, Scalar) and node.bogus):
            return []
        if not isinstance(node, Seq):
            self.ctx.error(node, f"expected a list, found {_kind(node)}", where)
            return []
        return node.items

    def url(self, node: YamlNode | None, where: str) -> str | None:
        value = self.string(node, where)
        return value  # allow-list checks are semantic: see lint

    # --- conditions ----------------------------------------------------------

    def condition(self, node: YamlNode | None, where: str, depth: int = 0) -> Condition | None:
        if node is None:
            return None
        if depth > 16:
            self.ctx.error(node, "conditions nested too deeply", where)
            return None
        if isinstance(node, Scalar):
            if node.bogus:
                return None
            span = node.span
            expr = node.value

            def locate(offset: int) -> tuple[int, int]:
                return span.locate(expr, offset) if span is not None else (node.line, node.col)

            try:
                return parse_expression(expr, node.line, node.col, locate)
            except ConditionSyntaxError as exc:
                self.ctx.error(node, f"condition: {exc.message}", where, offset=exc.offset)
                return None
        if isinstance(node, Seq):
            self.ctx.error(node, "a condition is an expression or a mapping with all/any/not", where)
            return None
        if len(node.items) != 1 or node.items[0][0].value not in ("all", "any", "not"):
            keys = ", ".join(k.value for k, _ in node.items)
            hint = ""
            if len(node.items) == 1:
                hint = did_you_mean(node.items[0][0].value, ("all", "any", "not"))
            self.ctx.error(
                node,
                f"a condition mapping has exactly one key: all, any or not (found {keys})",
                where,
                hint,
            )
            return None
        key, value = node.items[0]
        if key.value == "not":
            inner = self.condition(value, f"{where}.not", depth + 1)
            return NotOf(inner, node.line, node.col) if inner is not None else None
        items: list[Condition] = []
        raw = self.seq(value, f"{where}.{key.value}")
        if isinstance(value, Seq) and not raw:
            self.ctx.error(value, f"'{key.value}' needs at least one condition", where)
        ok = True
        for i, item in enumerate(raw):
            c = self.condition(item, f"{where}.{key.value}[{i}]", depth + 1)
            if c is None:
                ok = False
            else:
                items.append(c)
        if not ok or not items:
            return None
        cls = AllOf if key.value == "all" else AnyOf
        return cls(tuple(items), node.line, node.col)

    # --- elements -----------------------------------------------------------

    def note(self, node: YamlNode, where: str) -> Note | None:
        if isinstance(node, Scalar):
            t = self.text(node, where)
            return Note(t, None, node.line, node.col, _marks(node, where)) if t else None
        m = self.mapping(node, where, NOTE_KEYS)
        if m is None:
            return None
        t = self.text(self.required(m, "text", where), f"{where}.text")
        when = self.condition(m.get("when"), f"{where}.when")
        return Note(t, when, node.line, node.col, _marks(m, where)) if t else None

    def item(self, node: YamlNode, where: str) -> ChecklistItem | None:
        if isinstance(node, Scalar):
            t = self.text(node, where)
            return ChecklistItem(t, line=node.line, col=node.col, marks=_marks(node, where)) if t else None
        m = self.mapping(node, where, ITEM_KEYS)
        if m is None:
            return None
        t = self.text(self.required(m, "text", where), f"{where}.text")
        value = self.text(m.get("value"), f"{where}.value")
        link = self.url(m.get("link"), f"{where}.link")
        when = self.condition(m.get("when"), f"{where}.when")
        return ChecklistItem(t, value, link, when, node.line, node.col, _marks(m, where)) if t else None

    def option(self, node: YamlNode, where: str) -> Option | None:
        if isinstance(node, Scalar):
            value = self.string(node, where)
            return (
                Option(value, plain_text(value), None, node.line, node.col, _marks(node, where))
                if value is not None
                else None
            )
        m = self.mapping(node, where, OPTION_KEYS)
        if m is None:
            return None
        value = self.string(self.required(m, "value", where), f"{where}.value")
        label_node = m.get("label")
        label = self.text(label_node, f"{where}.label") if label_node is not None else None
        when = self.condition(m.get("when"), f"{where}.when")
        if value is None:
            return None
        return Option(value, label or plain_text(value), when, node.line, node.col, _marks(m, where))

    def field(self, node: YamlNode, where: str) -> Field | None:
        m = self.mapping(node, where, FIELD_KEYS)
        if m is None:
            return None
        fid = self.ident(self.required(m, "id", where), f"{where}.id")
        type_node = self.required(m, "type", where)
        ftype: FieldType | None = None
        raw_type = self.string(type_node, f"{where}.type")
        if raw_type is not None:
            try:
                ftype = FieldType(raw_type)
            except ValueError:
                names = [t.value for t in FieldType]
                self.ctx.error(
                    type_node,
                    f"unknown field type '{raw_type}'",
                    f"{where}.type",
                    did_you_mean(raw_type, names) or f"types: {', '.join(names)}",
                )
        label = self.text(self.required(m, "label", where), f"{where}.label")
        options: list[Option] = []
        options_node = m.get("options")
        partial = options_node is not None and not isinstance(options_node, Seq)
        for i, opt in enumerate(self.seq(options_node, f"{where}.options")):
            o = self.option(opt, f"{where}.options[{i}]")
            if o is not None:
                options.append(o)
            else:
                partial = True
        pattern = self.string(m.get("pattern"), f"{where}.pattern")
        site_label = self.string(m.get("site_label"), f"{where}.site_label")
        help_text = self.text(m.get("help"), f"{where}.help")
        placeholder = self.text(m.get("placeholder"), f"{where}.placeholder")
        pattern_message = self.text(m.get("pattern_message"), f"{where}.pattern_message")
        required = self.boolean(m.get("required"), f"{where}.required")
        allow_future = self.boolean(m.get("allow_future"), f"{where}.allow_future")
        paste = self.boolean(m.get("paste"), f"{where}.paste")
        min_v = self.decimal(m.get("min"), f"{where}.min")
        max_v = self.decimal(m.get("max"), f"{where}.max")
        max_length = self.integer(m.get("max_length"), f"{where}.max_length", minimum=1)
        when = self.condition(m.get("when"), f"{where}.when")
        if fid is not None and (partial or ftype is None or label is None):
            self.broken.add(fid)
        if fid is None or ftype is None or label is None:
            return None
        return Field(
            id=fid,
            type=ftype,
            label=label,
            help=help_text or EMPTY_TEXT,
            required=bool(required),
            placeholder=placeholder or EMPTY_TEXT,
            options=tuple(options),
            min=min_v,
            max=max_v,
            max_length=max_length,
            pattern=pattern,
            pattern_message=pattern_message or EMPTY_TEXT,
            allow_future=True if allow_future is None else allow_future,
            site_label=site_label,
            paste=bool(paste),
            when=when,
            line=node.line,
            col=node.col,
            marks=_marks(m, where),
        )

    def step(self, node: YamlNode, where: str) -> Step | None:
        m = self.mapping(node, where, STEP_KEYS)
        if m is None:
            self.dropped_steps = True
            return None
        sid = self.ident(self.required(m, "id", where), f"{where}.id")
        title = self.text(self.required(m, "title", where), f"{where}.title")
        body = self.text(m.get("body"), f"{where}.body")
        link = self.url(m.get("link"), f"{where}.link")
        tips = self._list(m.get("tips"), f"{where}.tips", self.note)
        warnings = self._list(m.get("warnings"), f"{where}.warnings", self.note)
        fields = self._list(m.get("fields"), f"{where}.fields", self.field)
        items = self._list(m.get("checklist"), f"{where}.checklist", self.item)
        when = self.condition(m.get("when"), f"{where}.when")
        if sid is None or title is None:
            self.dropped_steps = True
            self.broken.update(f.id for f in fields)
            if sid is not None:
                self.broken.add(sid)
            return None
        return Step(
            sid,
            title,
            body or EMPTY_TEXT,
            link,
            tips,
            warnings,
            fields,
            items,
            when,
            node.line,
            node.col,
            _marks(m, where),
        )

    def check(self, node: YamlNode, where: str) -> Check | None:
        m = self.mapping(node, where, CHECK_KEYS)
        if m is None:
            return None
        cid = self.ident(self.required(m, "id", where), f"{where}.id")
        level_node = self.required(m, "level", where)
        level_raw = self.string(level_node, f"{where}.level")
        level: CheckLevel | None = None
        if level_raw is not None:
            try:
                level = CheckLevel(level_raw)
            except ValueError:
                self.ctx.error(
                    level_node,
                    f"level must be 'stop' or 'warn', found '{level_raw}'",
                    f"{where}.level",
                )
        when_node = self.required(m, "when", where)
        when = self.condition(when_node, f"{where}.when")
        message = self.text(self.required(m, "message", where), f"{where}.message")
        step = self.ident(m.get("step"), f"{where}.step") if m.get("step") is not None else ""
        if cid is None or level is None or when is None or message is None or step is None:
            return None
        return Check(cid, level, when, message, step, node.line, node.col, _marks(m, where))

    def part(self, node: YamlNode, where: str) -> ComposePart | None:
        if isinstance(node, Scalar):
            t = self.text(node, where)
            return ComposePart(t, None, node.line, node.col, _marks(node, where)) if t else None
        m = self.mapping(node, where, PART_KEYS)
        if m is None:
            return None
        t = self.text(self.required(m, "text", where), f"{where}.text")
        when = self.condition(m.get("when"), f"{where}.when")
        return ComposePart(t, when, node.line, node.col, _marks(m, where)) if t else None

    def compose(self, node: YamlNode, where: str) -> Compose | None:
        m = self.mapping(node, where, COMPOSE_KEYS)
        if m is None:
            return None
        cid = self.ident(self.required(m, "id", where), f"{where}.id")
        label = self.text(self.required(m, "label", where), f"{where}.label")
        parts_node = self.required(m, "parts", where)
        parts = self._list(parts_node, f"{where}.parts", self.part)
        if isinstance(parts_node, Seq) and not parts_node.items:
            self.ctx.error(parts_node, "'parts' needs at least one piece of text", f"{where}.parts")
        max_length = self.integer(m.get("max_length"), f"{where}.max_length", minimum=1)
        site_label = self.string(m.get("site_label"), f"{where}.site_label")
        over = self.text(m.get("over_limit"), f"{where}.over_limit")
        if cid is not None and (label is None or len(parts) != len(self.seq(parts_node, ""))):
            self.broken.add(cid)
        if cid is None or label is None:
            return None
        return Compose(
            cid, label, parts, max_length, site_label, over or EMPTY_TEXT, node.line, node.col, _marks(m, where)
        )

    def deadline(self, node: YamlNode, where: str) -> Deadline | None:
        m = self.mapping(node, where, DEADLINE_KEYS)
        if m is None:
            return None
        did = self.ident(self.required(m, "id", where), f"{where}.id")
        label = self.text(self.required(m, "label", where), f"{where}.label")
        start = self.ident(self.required(m, "from", where), f"{where}.from")
        units = [(DeadlineUnit(key.value), value) for key, value in m.items if key.value in DEADLINE_UNITS]
        amount: int | None = None
        if not units:
            self.ctx.error(m, f"a deadline needs one of {', '.join(DEADLINE_UNITS)} (how long it runs)", where)
        elif len(units) > 1:
            names = ", ".join(u.value for u, _ in units)
            self.ctx.error(units[1][1], f"a deadline counts one unit, found {names}", where)
        else:
            amount = self.integer(units[0][1], f"{where}.{units[0][0].value}", minimum=1)
        when = self.condition(m.get("when"), f"{where}.when")
        if did is None or label is None or start is None or amount is None:
            if did is not None:
                self.broken.add(did)  # reported here: a later deadline counting from it stays quiet
            return None
        return Deadline(did, label, start, amount, units[0][0], when, node.line, node.col, _marks(m, where))

    def source(self, node: YamlNode, where: str) -> Source | None:
        if isinstance(node, Scalar):
            value = self.string(node, where)
            return Source(value, None, node.line, node.col, _marks(node, where)) if value else None
        m = self.mapping(node, where, SOURCE_KEYS)
        if m is None:
            return None
        title = self.string(self.required(m, "title", where), f"{where}.title")
        url = self.url(m.get("url"), f"{where}.url")
        return Source(title, url, node.line, node.col, _marks(m, where)) if title else None

    def _list(self, node: YamlNode | None, where: str, build: Callable[[YamlNode, str], T | None]) -> tuple[T, ...]:
        out: list[T] = []
        for i, child in enumerate(self.seq(node, where)):
            built = build(child, f"{where}[{i}]")
            if built is not None:
                out.append(built)
        return tuple(out)

    def flow(self, root: YamlNode, path: str) -> Flow | None:
        m = self.mapping(root, "", TOP_KEYS)
        if m is None:
            return None
        fid = self.ident(self.required(m, "id", ""), "id", FLOW_ID_RE)
        title = self.text(self.required(m, "title", ""), "title")
        version = self.string(self.required(m, "version", ""), "version")
        reviewed_node = self.required(m, "reviewed", "")
        reviewed = self.string(reviewed_node, "reviewed")
        if reviewed is not None:
            try:
                if not DATE_RE.match(reviewed):
                    raise ValueError(reviewed)
                when = date.fromisoformat(reviewed)
            except ValueError:
                self.ctx.error(
                    reviewed_node,
                    f"reviewed must be a date written YYYY-MM-DD, found '{reviewed}'",
                    "reviewed",
                )
                reviewed = None
            else:
                if when > date.today():
                    self.ctx.warning(reviewed_node, f"reviewed date {reviewed} is in the future", "reviewed")
        description = self.text(m.get("description"), "description")
        sources = self._list(m.get("sources"), "sources", self.source)
        steps_node = self.required(m, "steps", "")
        steps = self._list(steps_node, "steps", self.step)
        if steps_node is not None and not isinstance(steps_node, Seq):
            self.dropped_steps = True
        checks = self._list(m.get("checks"), "checks", self.check)
        compose = self._list(m.get("compose"), "compose", self.compose)
        deadlines = self._list(m.get("deadlines"), "deadlines", self.deadline)
        where = {f.id: s.id for s in steps for f in s.fields}
        order = {s.id: i for i, s in enumerate(steps)}
        checks = tuple(_infer_check_step(c, steps, where, order) for c in checks)
        # A flow with missing or broken metadata is still built (with empty values) so that
        # lint can report the problems of its steps in the same run; it is never returned.
        return Flow(
            fid or "",
            title or EMPTY_TEXT,
            version or "",
            reviewed or "",
            description or EMPTY_TEXT,
            sources,
            steps,
            checks,
            compose,
            path,
            _marks(m, ""),
            deadlines,
        )


def _infer_check_step(check: Check, steps: tuple[Step, ...], where: dict[str, str], order: dict[str, int]) -> Check:
    """A check without ``step:`` is evaluated after the step of the last field it reads.

    ``where`` (field id → step id) and ``order`` (step id → index) are built once by the caller.
    """
    if check.step:
        return check
    last = ""
    for name in condition_fields(check.when):
        sid = where.get(name)
        if sid is not None and (not last or order[sid] > order[last]):
            last = sid
    if not last and steps:
        last = steps[0].id
    return replace(check, step=last)


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diagnostics, key=lambda d: (d.location.line, d.location.col, d.severity.value)):
        key = (d.location, d.message, d.severity)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def parse_flow(data: bytes, path: str) -> tuple[Flow | None, list[Diagnostic]]:
    """Build and lint a flow from bytes; never raises for bad input.

    Every problem found is returned, sorted by position: those of the YAML
    itself, of the structure, and (even when the structure has errors) of
    the meaning, except where a broken part would only cause follow-on
    noise. The flow is returned only when there is no error.
    """
    document = yamlsafe.read_document(data, path)
    if document.tree is None:
        return None, _sorted(document.diagnostics)
    ctx = _Ctx(path, list(document.diagnostics))
    builder = _Builder(ctx)
    flow = builder.flow(document.tree, path)
    if flow is not None:
        ctx.diagnostics.extend(lint(flow, Broken(frozenset(builder.broken), builder.dropped_steps)))
    diagnostics = _sorted(ctx.diagnostics)
    if flow is None or any(d.is_error for d in diagnostics):
        return None, diagnostics
    return flow, diagnostics


def read_bytes(path: str | Path) -> tuple[bytes | None, list[Diagnostic]]:
    """Read a flow file, turning OS errors into diagnostics of that file."""
    shown = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            return None, [Diagnostic(Severity.ERROR, Location(shown), "is a folder, not a flow file")]
        with p.open("rb") as fh:
            data = fh.read(yamlsafe.MAX_BYTES + 1)
    except FileNotFoundError:
        return None, [Diagnostic(Severity.ERROR, Location(shown), "no such file")]
    except PermissionError:
        return None, [Diagnostic(Severity.ERROR, Location(shown), "permission denied")]
    except OSError as exc:
        return None, [Diagnostic(Severity.ERROR, Location(shown), f"cannot read: {exc.strerror or exc}")]
    return data, []


def check_file(path: str | Path) -> tuple[Flow | None, list[Diagnostic]]:
    data, problems = read_bytes(path)
    if data is None:
        return None, problems
    return parse_flow(data, str(path))


def load_flow(path: str | Path) -> Flow:
    """Load a flow or raise :class:`FlowLoadError` with every diagnostic."""
    flow, diagnostics = check_file(path)
    if flow is None:
        raise FlowLoadError([d for d in diagnostics if d.is_error] or diagnostics)
    return flow

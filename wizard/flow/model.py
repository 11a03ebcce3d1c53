"""The typed, immutable flow model that every view reads.

A flow is loaded once from YAML (see :mod:`wizard.flow.loader`) into these
frozen records (:mod:`wizard.flow.record`); nothing downstream sees YAML or dictionaries. Every
element keeps the ``line`` and ``col`` where it was written, so that later
checks (path tests, coverage) can point back into the file.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from wizard.flow.record import field, record
from wizard.flow.source import Span


class FieldType(str, Enum):
    TEXT = "text"
    TEXTAREA = "textarea"
    SELECT = "select"
    MULTISELECT = "multiselect"
    CONFIRM = "confirm"
    DATE = "date"
    MONEY = "money"
    PHONE = "phone"
    USCC = "uscc"
    NUMBER = "number"


NUMERIC_TYPES = frozenset({FieldType.MONEY, FieldType.NUMBER})
CHOICE_TYPES = frozenset({FieldType.SELECT, FieldType.MULTISELECT})
FREE_TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})

#: The most characters a text answer keeps: longer input is cut (see :mod:`wizard.answers.validators`), and a
#: field's ``max_length`` may not be above it (see :mod:`wizard.flow.lint`).
TEXT_HARD_CAP = 20_000


# --- text with references and site labels -------------------------------------


@record
class Literal:
    """Ordinary flow text (converted for Traditional readers)."""

    text: str


@record
class SiteLabel:
    """The exact words of a 12315.cn button or field: shown as written, never converted."""

    text: str


@record
class Ref:
    """An answer (or composed text) inserted by name: ``{merchant_name}``."""

    name: str
    offset: int = field(default=0, compare=False)  # where the ``{`` stands in the text's source


Segment = Literal | SiteLabel | Ref


@record
class Text:
    """A piece of flow text parsed into segments. ``source`` is what the author wrote."""

    source: str
    segments: tuple[Segment, ...]
    line: int = 0
    col: int = 0
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.segments if isinstance(s, Ref))

    def position(self, offset: int) -> tuple[int, int]:
        """(line, col) in the flow file of ``source[offset]``; the text's start when unknown."""
        if self.span is None:
            return self.line, self.col
        return self.span.locate(self.source, offset)

    @property
    def site_labels(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.segments if isinstance(s, SiteLabel))

    def __bool__(self) -> bool:
        return bool(self.source)


EMPTY_TEXT = Text("", ())


# --- conditions ---------------------------------------------------------------


class Op(str, Enum):
    ANSWERED = "answered"  # bare field name: confirm ticked / any answer given
    IS_SET = "is set"
    IS_EMPTY = "is empty"
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    NOT_IN = "not in"
    CONTAINS = "contains"
    OLDER_THAN = "older_than"
    WITHIN = "within"
    # a date compared with another date answer or today: ``Compare.other``, shifted by number/unit
    BEFORE = "before"
    AFTER = "after"
    ON = "on"
    ON_OR_BEFORE = "on or before"
    ON_OR_AFTER = "on or after"


#: The comparisons of one date with another (``received_date before harm_known_date - 6 months``).
DATE_RELATIONS = frozenset({Op.BEFORE, Op.AFTER, Op.ON, Op.ON_OR_BEFORE, Op.ON_OR_AFTER})

#: The right-hand side of a date comparison that means the day the flow is run, not a field.
TODAY = "today"


class TimeUnit(str, Enum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


@record
class Compare:
    field: str
    op: Op
    values: tuple[str, ...] = ()
    number: Decimal | None = None
    unit: TimeUnit | None = None
    line: int = 0
    col: int = 0
    # date relations only: the date compared with (a field id, or TODAY), shifted by the signed
    # ``number`` of ``unit`` when those are set; and where that date was written
    other: str | None = None
    other_line: int = 0
    other_col: int = 0

    @property
    def other_field(self) -> str | None:
        """The second field a date relation reads (None for ``today`` and other operators)."""
        return self.other if self.other is not None and self.other != TODAY else None


@record
class AllOf:
    items: tuple[Condition, ...]
    line: int = 0
    col: int = 0


@record
class AnyOf:
    items: tuple[Condition, ...]
    line: int = 0
    col: int = 0


@record
class NotOf:
    item: Condition
    line: int = 0
    col: int = 0


Condition = Compare | AllOf | AnyOf | NotOf


def condition_fields(cond: Condition | None) -> tuple[str, ...]:
    """Every field id a condition reads, in order of appearance."""
    if cond is None:
        return ()
    if isinstance(cond, Compare):
        other = cond.other_field
        return (cond.field,) if other is None else (cond.field, other)
    if isinstance(cond, NotOf):
        return condition_fields(cond.item)
    out: list[str] = []
    for item in cond.items:
        out.extend(condition_fields(item))
    return tuple(out)


# --- flow elements --------------------------------------------------------------


@record
class Marks:
    """Where each key of an element was written: key → (line, col) of its value."""

    items: tuple[tuple[str, int, int], ...] = ()
    path: str = ""  # the element's own key path, e.g. steps[3].fields[1]

    def of(self, key: str, default: tuple[int, int] = (0, 0)) -> tuple[int, int]:
        for name, line, col in self.items:
            if name == key:
                return line, col
        return default

    def __contains__(self, key: object) -> bool:
        return any(name == key for name, _, _ in self.items)


NO_MARKS = Marks()


@record
class Option:
    value: str
    label: Text
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class Field:
    id: str
    type: FieldType
    label: Text
    help: Text = EMPTY_TEXT
    required: bool = False
    placeholder: Text = EMPTY_TEXT
    options: tuple[Option, ...] = ()
    min: Decimal | None = None
    max: Decimal | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: Text = EMPTY_TEXT
    allow_future: bool = True
    site_label: str | None = None
    paste: bool = False  # the answer is pasted on the site: offer the Simplified form
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)

    def option(self, value: str) -> Option | None:
        for opt in self.options:
            if opt.value == value:
                return opt
        return None


@record
class Note:
    """A tip or a warning, shown when its condition holds."""

    text: Text
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class ChecklistItem:
    text: Text
    value: Text | None = None  # what the user copies and pastes on the site
    link: str | None = None
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class Step:
    id: str
    title: Text
    body: Text = EMPTY_TEXT
    link: str | None = None
    tips: tuple[Note, ...] = ()
    warnings: tuple[Note, ...] = ()
    fields: tuple[Field, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


class CheckLevel(str, Enum):
    STOP = "stop"
    WARN = "warn"


@record
class Check:
    id: str
    level: CheckLevel
    when: Condition
    message: Text
    step: str  # the step after which it is evaluated (explicit or inferred)
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class ComposePart:
    text: Text
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class Compose:
    id: str
    label: Text
    parts: tuple[ComposePart, ...]
    max_length: int | None = None
    site_label: str | None = None
    over_limit: Text = EMPTY_TEXT  # advice shown when the text is too long
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


class DeadlineUnit(str, Enum):
    """What a deadline counts; the value is the key written in the flow (``working_days: 7``)."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


#: The most units a deadline may count (lint refuses more): keeps every computation short.
DEADLINE_MAX = {"working_days": 1000, "days": 36_600, "months": 1200, "years": 100}


@record
class Deadline:
    """A date computed from an answer (or an earlier deadline): see ``docs/flow-format.md``, *deadlines*."""

    id: str
    label: Text
    start: str  # ``from:``: a date field's id or an earlier deadline's id
    amount: int
    unit: DeadlineUnit
    when: Condition | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class Source:
    title: str
    url: str | None = None
    line: int = 0
    col: int = 0
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


@record
class Flow:
    id: str
    title: Text
    version: str
    reviewed: str
    description: Text
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    checks: tuple[Check, ...] = ()
    compose: tuple[Compose, ...] = ()
    path: str = ""
    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)
    deadlines: tuple[Deadline, ...] = ()
    _fields: dict[str, tuple[Step, Field]] = field(default_factory=dict, compare=False, repr=False)
    _steps: dict[str, int] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        index = self._fields
        index.clear()
        for i, step in enumerate(self.steps):
            self._steps.setdefault(step.id, i)
            for f in step.fields:
                index.setdefault(f.id, (step, f))

    def field(self, field_id: str) -> Field | None:
        found = self._fields.get(field_id)
        return found[1] if found else None

    def step_of(self, field_id: str) -> Step | None:
        found = self._fields.get(field_id)
        return found[0] if found else None

    def step(self, step_id: str) -> Step | None:
        i = self._steps.get(step_id, -1)
        return self.steps[i] if i >= 0 else None

    def step_index(self, step_id: str) -> int:
        return self._steps.get(step_id, -1)

    def composed(self, compose_id: str) -> Compose | None:
        for c in self.compose:
            if c.id == compose_id:
                return c
        return None

    @property
    def all_fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.steps for f in s.fields)

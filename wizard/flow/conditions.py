"""The condition language: parsing and evaluation. No ``eval``.

A condition is written in a flow either as a short expression::

    when: purchase_channel == 网购
    when: amount > 500 and not is_food
    when: purchase_date older_than 3 years
    when: problems contains 虚假宣传
    when: platform in [淘宝, 天猫]
    when: received_date before purchase_date
    when: harm_known_date after received_date + 6 months
    when: delivery_date on or before today - 7 days

or as a YAML mapping with ``all:``, ``any:`` (lists) and ``not:``. Values are
bare words or quoted ('...' or "..."). Field references are resolved and
type-checked by the loader; this module only parses and evaluates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from wizard.errors import WizardError
from wizard.flow.model import DATE_RELATIONS, TODAY, AllOf, AnyOf, Compare, Condition, NotOf, Op, TimeUnit
from wizard.flow.record import record

Answer = str | bool | list[str]
Answers = Mapping[str, Answer]

MAX_EXPR_LENGTH = 500
MAX_EXPR_DEPTH = 16


class ConditionSyntaxError(WizardError):
    """A condition that cannot be parsed; ``offset`` is the 0-based character offset in the expression."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
  | (?P<quoted>'[^']*'|"[^"]*")
  | (?P<word>[^\s=!<>()\[\],'"]+)
  | (?P<bad>[\s\S])
    """,
    re.VERBOSE,
)

_UNITS = {
    "day": TimeUnit.DAYS,
    "days": TimeUnit.DAYS,
    "天": TimeUnit.DAYS,
    "month": TimeUnit.MONTHS,
    "months": TimeUnit.MONTHS,
    "个月": TimeUnit.MONTHS,
    "year": TimeUnit.YEARS,
    "years": TimeUnit.YEARS,
    "年": TimeUnit.YEARS,
}

FIELD_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

_DATE_WORDS = {"before": Op.BEFORE, "after": Op.AFTER, "on": Op.ON}
_NOT_A_DATE = frozenset({"and", "or", "not", "+", "-"})
_DATE_LITERAL = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z")
_GLUED_OFFSET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[+-]")


@record
class _Pos:
    line: int
    col: int

    def compare(
        self,
        field: str,
        op: Op,
        values: tuple[str, ...] = (),
        number: Decimal | None = None,
        unit: TimeUnit | None = None,
        other: tuple[str, _Pos] | None = None,
    ) -> Compare:
        if other is None:
            return Compare(field, op, values, number, unit, self.line, self.col)
        name, at = other
        return Compare(field, op, values, number, unit, self.line, self.col, name, at.line, at.col)


class _Tok:
    """One token (a plain class: tokens are many, short-lived and never compared)."""

    __slots__ = ("kind", "offset", "text")

    def __init__(self, kind: str, text: str, offset: int) -> None:
        self.kind = kind  # op, quoted, word
        self.text = text
        self.offset = offset


def _tokenize(expr: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    for m in _TOKEN.finditer(expr):
        kind = m.lastgroup or ""
        if kind == "space":
            continue
        if kind == "bad":  # what no token can start with: a quote that is never closed
            raise ConditionSyntaxError(m.start(), f"unexpected character {m.group()!r}")
        text = m.group()
        tokens.append(_Tok(kind, text[1:-1] if kind == "quoted" else text, m.start()))
    return tokens


Locate = Callable[[int], tuple[int, int]]


class _Parser:
    def __init__(self, expr: str, line: int, col: int, locate: Locate | None = None) -> None:
        self.expr = expr
        self.toks = _tokenize(expr)
        self.i = 0
        self.line = line
        self.col = col
        self.depth = 0
        self.locate = locate

    def pos(self, tok: _Tok) -> _Pos:
        """Where a token was written (the expression's start when unknown)."""
        if self.locate is None:
            return _Pos(self.line, self.col)
        line, col = self.locate(tok.offset)
        return _Pos(line, col)

    def peek(self, ahead: int = 0) -> _Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def at_word(self, *words: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == "word" and t.text in words

    def take(self) -> _Tok:
        t = self.peek()
        if t is None:
            raise ConditionSyntaxError(len(self.expr), "the condition ends too early")
        self.i += 1
        return t

    def expect(self, text: str) -> _Tok:
        t = self.take()
        if t.text != text or t.kind == "quoted":
            raise ConditionSyntaxError(t.offset, f"expected '{text}', found '{t.text}'")
        return t

    def parse(self) -> Condition:
        if not self.toks:
            raise ConditionSyntaxError(0, "empty condition")
        cond = self.or_expr()
        t = self.peek()
        if t is not None:
            raise ConditionSyntaxError(t.offset, f"unexpected '{t.text}'; use 'and' / 'or' to combine")
        return cond

    def or_expr(self) -> Condition:
        items = [self.and_expr()]
        while self.at_word("or"):
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else AnyOf(tuple(items), self.line, self.col)

    def and_expr(self) -> Condition:
        items = [self.not_expr()]
        while self.at_word("and"):
            self.take()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else AllOf(tuple(items), self.line, self.col)

    def not_expr(self) -> Condition:
        if self.at_word("not"):
            self.take()
            return NotOf(self.not_expr(), self.line, self.col)
        t = self.peek()
        if t is not None and t.kind == "op" and t.text == "(":
            self.take()
            self.depth += 1
            if self.depth > MAX_EXPR_DEPTH:
                raise ConditionSyntaxError(t.offset, "too many nested parentheses")
            inner = self.or_expr()
            self.expect(")")
            self.depth -= 1
            return inner
        return self.comparison()

    def value(self) -> _Tok:
        t = self.take()
        if t.kind == "op":
            raise ConditionSyntaxError(t.offset, f"expected a value, found '{t.text}'")
        return t

    def comparison(self) -> Condition:
        name = self.take()
        if name.kind != "word" or not FIELD_ID.match(name.text):
            raise ConditionSyntaxError(name.offset, f"expected a field id (letters, digits, _), found '{name.text}'")
        field = name.text
        t = self.peek()
        mk = self.pos(name)
        if t is None or (t.kind == "word" and t.text in ("and", "or")) or t.text == ")":
            return mk.compare(field, Op.ANSWERED)
        if t.kind == "word" and t.text == "is":
            self.take()
            negate = False
            if self.at_word("not"):
                self.take()
                negate = True
            what = self.take()
            if what.text not in ("set", "empty"):
                raise ConditionSyntaxError(what.offset, "expected 'is set' or 'is empty'")
            op = Op.IS_SET if (what.text == "set") != negate else Op.IS_EMPTY
            return mk.compare(field, op)
        if t.kind == "op" and t.text in ("==", "!="):
            self.take()
            v = self.value()
            return mk.compare(field, Op.EQ if t.text == "==" else Op.NE, (v.text,))
        if t.kind == "op" and t.text in ("<", "<=", ">", ">="):
            self.take()
            v = self.value()
            return mk.compare(field, Op(t.text), number=self.number(v))
        if t.kind == "word" and t.text in ("in", "not"):
            self.take()
            op = Op.IN
            if t.text == "not":
                self.expect("in")
                op = Op.NOT_IN
            return mk.compare(field, op, self.value_list())
        if t.kind == "word" and t.text == "contains":
            self.take()
            return mk.compare(field, Op.CONTAINS, (self.value().text,))
        if t.kind == "word" and t.text in ("older_than", "within"):
            self.take()
            number, unit = self.duration()
            op = Op.OLDER_THAN if t.text == "older_than" else Op.WITHIN
            return mk.compare(field, op, number=number, unit=unit)
        if t.kind == "word" and t.text in _DATE_WORDS:
            return self.date_relation(field, mk)
        raise ConditionSyntaxError(
            t.offset,
            f"unknown operator '{t.text}'; use ==, !=, <, <=, >, >=, in, not in, contains, "
            "is set, is empty, older_than, within, before, after, on, on or before, on or after",
        )

    def duration(self) -> tuple[Decimal, TimeUnit]:
        """A whole, non-negative number of days, months or years: ``6 months``."""
        n = self.value()
        number = self.number(n)
        if number != number.to_integral_value() or number < 0:
            raise ConditionSyntaxError(n.offset, "expected a whole number of days, months or years")
        unit_tok = self.take()
        unit = _UNITS.get(unit_tok.text) if unit_tok.kind == "word" else None
        if unit is None:
            raise ConditionSyntaxError(unit_tok.offset, "expected days, months or years")
        return number, unit

    def date_relation(self, field: str, mk: _Pos) -> Compare:
        """``FIELD before|after|on|on or before|on or after (FIELD|today) [+|- N days|months|years]``."""
        word = self.take()
        op = _DATE_WORDS[word.text]
        if word.text == "on" and self.at_word("or"):
            nxt = self.peek(1)
            if nxt is not None and nxt.kind == "word" and nxt.text in ("before", "after"):
                self.take()
                self.take()
                op = Op.ON_OR_BEFORE if nxt.text == "before" else Op.ON_OR_AFTER
        ref = self.take()
        if ref.kind != "word" or ref.text in _NOT_A_DATE or not FIELD_ID.match(ref.text):
            hint = ""
            if _DATE_LITERAL.match(ref.text):
                hint = " (a fixed date cannot be written here: compare with a date answer or today)"
            elif _GLUED_OFFSET.match(ref.text):
                hint = " (write offsets with spaces: received_date + 6 months)"
            raise ConditionSyntaxError(ref.offset, f"expected a date field or 'today', found '{ref.text}'{hint}")
        number: Decimal | None = None
        unit: TimeUnit | None = None
        sign = self.peek()
        if sign is not None and sign.kind == "word" and sign.text[:1] in ("+", "-"):
            if sign.text not in ("+", "-"):
                raise ConditionSyntaxError(
                    sign.offset, f"write a space after '{sign.text[0]}': {ref.text} {sign.text[0]} {sign.text[1:]} …"
                )
            self.take()
            number, unit = self.duration()
            if sign.text == "-":
                number = -number
        return mk.compare(field, op, number=number, unit=unit, other=(ref.text, self.pos(ref)))

    def number(self, tok: _Tok) -> Decimal:
        try:
            value = Decimal(tok.text)
        except InvalidOperation:
            raise ConditionSyntaxError(tok.offset, f"expected a number, found '{tok.text}'") from None
        if not value.is_finite():
            raise ConditionSyntaxError(tok.offset, f"expected a number, found '{tok.text}'")
        return value

    def value_list(self) -> tuple[str, ...]:
        self.expect("[")
        values = [self.value().text]
        while True:
            t = self.take()
            if t.text == "]" and t.kind == "op":
                return tuple(values)
            if t.text != "," or t.kind != "op":
                raise ConditionSyntaxError(t.offset, "expected ',' or ']' in the list")
            values.append(self.value().text)


def parse_expression(expr: str, line: int = 0, col: int = 0, locate: Locate | None = None) -> Condition:
    """Parse a condition expression; raises :class:`ConditionSyntaxError`.

    ``locate`` maps an offset in ``expr`` to where it was written, so that
    each comparison carries the line and column of its field name.
    """
    if len(expr) > MAX_EXPR_LENGTH:
        raise ConditionSyntaxError(0, f"condition longer than {MAX_EXPR_LENGTH} characters")
    return _Parser(expr, line, col, locate).parse()


# --- evaluation -----------------------------------------------------------------


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    if year < 1:
        return date.min
    if year > 9999:
        return date.max
    # clamp the day to the month's length (Feb 29 + 1 year -> Feb 28)
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    return date(year, month, 28)


def shift_date(d: date, amount: int, unit: TimeUnit) -> date:
    if unit is TimeUnit.DAYS:
        try:
            return date.fromordinal(max(1, min(date.max.toordinal(), d.toordinal() + amount)))
        except (ValueError, OverflowError):
            return date.max
    months = amount * 12 if unit is TimeUnit.YEARS else amount
    return _add_months(d, months)


def _is_set(value: Answer | None) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return True
    return len(value) > 0


def _decimal(value: Answer | None) -> Decimal | None:
    if not isinstance(value, str):
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _date(value: Answer | None) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _as_text(value: Answer) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(value)
    return value


def evaluate(cond: Condition | None, answers: Answers, today: date) -> bool:
    """True when the condition holds. A missing answer never satisfies a comparison."""
    if cond is None:
        return True
    if type(cond) is Compare:  # the common case first
        return _holds(cond, answers, today)
    if isinstance(cond, AllOf):
        for c in cond.items:
            if not evaluate(c, answers, today):
                return False
        return True
    if isinstance(cond, AnyOf):
        for c in cond.items:
            if evaluate(c, answers, today):
                return True
        return False
    if isinstance(cond, NotOf):
        return not evaluate(cond.item, answers, today)
    return _holds(cond, answers, today)


def _holds(cond: Compare, answers: Answers, today: date) -> bool:
    value = answers.get(cond.field)
    op = cond.op
    if op is Op.ANSWERED:
        return value is True if isinstance(value, bool) else _is_set(value)
    if op is Op.IS_SET:
        return _is_set(value)
    if op is Op.IS_EMPTY:
        return not _is_set(value)
    if not _is_set(value):
        return False
    assert value is not None
    if op is Op.EQ or op is Op.NE:
        equal = _as_text(value) == cond.values[0]
        return equal if op is Op.EQ else not equal
    if op is Op.IN or op is Op.NOT_IN:
        inside = _as_text(value) in cond.values
        return inside if op is Op.IN else not inside
    if op is Op.CONTAINS:
        return isinstance(value, list) and cond.values[0] in value
    if op is Op.LT or op is Op.LE or op is Op.GT or op is Op.GE:
        number = _decimal(value)
        limit = cond.number
        if number is None or limit is None:
            return False
        if op is Op.LT:
            return number < limit
        if op is Op.LE:
            return number <= limit
        if op is Op.GT:
            return number > limit
        return number >= limit
    if op is Op.OLDER_THAN or op is Op.WITHIN:
        when = _date(value)
        if when is None or cond.number is None or cond.unit is None:
            return False
        older = _shifted(when, int(cond.number), cond.unit) < today
        return older if op is Op.OLDER_THAN else not older
    if op in DATE_RELATIONS:
        return _relation(cond, _date(value), answers, today)
    return False  # pragma: no cover - every Op is handled above


def _relation(cond: Compare, left: date | None, answers: Answers, today: date) -> bool:
    """A date compared with another date answer (or today), shifted; a missing or bad date: False."""
    if left is None or cond.other is None:
        return False
    right = today if cond.other == TODAY else _date(answers.get(cond.other))
    if right is None:
        return False
    if cond.number is not None and cond.unit is not None:
        right = _shifted(right, int(cond.number), cond.unit)
    op = cond.op
    if op is Op.BEFORE:
        return left < right
    if op is Op.AFTER:
        return left > right
    if op is Op.ON:
        return left == right
    if op is Op.ON_OR_BEFORE:
        return left <= right
    return left >= right


@lru_cache(maxsize=1024)
def _shifted(d: date, amount: int, unit: TimeUnit) -> date:
    """:func:`shift_date`, remembered: the linter's search asks the same few dates again and again."""
    return shift_date(d, amount, unit)


def describe(cond: Condition | None) -> str:
    """The condition written back as an expression (for coverage reports and errors)."""
    if cond is None:
        return "always"
    if isinstance(cond, AllOf):
        return " and ".join(f"({describe(c)})" for c in cond.items)
    if isinstance(cond, AnyOf):
        return " or ".join(f"({describe(c)})" for c in cond.items)
    if isinstance(cond, NotOf):
        return f"not ({describe(cond.item)})"
    if cond.op is Op.ANSWERED:
        return cond.field
    if cond.op in (Op.IS_SET, Op.IS_EMPTY):
        return f"{cond.field} {cond.op.value}"
    if cond.op in (Op.IN, Op.NOT_IN):
        return f"{cond.field} {cond.op.value} [{', '.join(cond.values)}]"
    if cond.op in (Op.OLDER_THAN, Op.WITHIN):
        unit = cond.unit.value if cond.unit else ""
        return f"{cond.field} {cond.op.value} {cond.number} {unit}"
    if cond.op in DATE_RELATIONS:
        shift = ""
        if cond.number is not None and cond.unit is not None:
            shift = f" {'-' if cond.number < 0 else '+'} {abs(cond.number)} {cond.unit.value}"
        return f"{cond.field} {cond.op.value} {cond.other}{shift}"
    if cond.number is not None:
        return f"{cond.field} {cond.op.value} {cond.number}"
    return f"{cond.field} {cond.op.value} {cond.values[0] if cond.values else ''}"

"""The condition language: parsing (with positions), evaluation, and what it refuses."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.flow.conditions import (
    ConditionSyntaxError,
    describe,
    evaluate,
    parse_expression,
    shift_date,
)
from wizard.flow.model import TODAY as TODAY_WORD
from wizard.flow.model import AllOf, AnyOf, Compare, NotOf, Op, TimeUnit, condition_fields

TODAY = date(2025, 6, 15)


def holds(expr: str, **answers: object) -> bool:
    return evaluate(parse_expression(expr), answers, TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "op", "values", "number", "unit"),
    [
        ("channel == 网购", Op.EQ, ("网购",), None, None),
        ("channel != '网 购'", Op.NE, ("网 购",), None, None),
        ('channel == "a and b"', Op.EQ, ("a and b",), None, None),
        ("amount < 5", Op.LT, (), Decimal(5), None),
        ("amount <= 5.5", Op.LE, (), Decimal("5.5"), None),
        ("amount > 1000", Op.GT, (), Decimal(1000), None),
        ("amount >= -3", Op.GE, (), Decimal(-3), None),
        ("platform in [淘宝, 天猫]", Op.IN, ("淘宝", "天猫"), None, None),
        ("platform not in [淘宝]", Op.NOT_IN, ("淘宝",), None, None),
        ("problems contains 虚假宣传", Op.CONTAINS, ("虚假宣传",), None, None),
        ("bought older_than 3 years", Op.OLDER_THAN, (), Decimal(3), TimeUnit.YEARS),
        ("bought within 90 days", Op.WITHIN, (), Decimal(90), TimeUnit.DAYS),
        ("bought within 6 个月", Op.WITHIN, (), Decimal(6), TimeUnit.MONTHS),
        ("bought older_than 1 年", Op.OLDER_THAN, (), Decimal(1), TimeUnit.YEARS),
        ("name is set", Op.IS_SET, (), None, None),
        ("name is empty", Op.IS_EMPTY, (), None, None),
        ("name is not set", Op.IS_EMPTY, (), None, None),
        ("name is not empty", Op.IS_SET, (), None, None),
        ("agree", Op.ANSWERED, (), None, None),
    ],
)
def test_every_operator_parses(
    expr: str, op: Op, values: tuple[str, ...], number: Decimal | None, unit: TimeUnit | None
) -> None:
    c = parse_expression(expr)
    assert isinstance(c, Compare)
    assert (c.op, c.values, c.number, c.unit) == (op, values, number, unit)


def test_and_binds_tighter_than_or_and_parentheses_group() -> None:
    c = parse_expression("a or b and not c")
    assert isinstance(c, AnyOf) and isinstance(c.items[1], AllOf) and isinstance(c.items[1].items[1], NotOf)
    grouped = parse_expression("(a or b) and c")
    assert isinstance(grouped, AllOf) and isinstance(grouped.items[0], AnyOf)


def test_each_comparison_carries_the_position_of_its_field() -> None:
    c = parse_expression("a == 1 and   bb > 2", 7, 11, locate=lambda offset: (7, 11 + offset))
    assert isinstance(c, AllOf)
    assert [(x.line, x.col) for x in c.items if isinstance(x, Compare)] == [(7, 11), (7, 24)]


@pytest.mark.parametrize(
    ("expr", "offset", "words"),
    [
        ("", 0, "empty condition"),
        ("channel = 网购", 8, "unexpected character"),
        ("channel ==", 10, "ends too early"),
        ("channel == 网购 网店", 14, "use 'and' / 'or'"),
        ("1abc == x", 0, "expected a field id"),
        ("amount > lots", 9, "expected a number"),
        ("amount > NaN", 9, "expected a number"),
        ("bought older_than 3 weeks", 20, "days, months or years"),
        ("got after bought + 6 weeks", 21, "days, months or years"),
        ("got after bought + 1.5 months", 19, "whole number"),
        ("got after bought - -2 days", 19, "whole number"),
        ("got after bought +6 months", 17, "write a space after '+'"),
        ("got after bought+6", 10, "write offsets with spaces"),
        ("got after 2025-01-01", 10, "a fixed date cannot be written here"),
        ("got after 'bought'", 10, "expected a date field or 'today'"),
        ("got on or", 7, "expected a date field or 'today'"),
        ("got before", 10, "ends too early"),
        ("got before today +", 18, "ends too early"),
        ("got since bought", 4, "unknown operator 'since'"),
        ("bought older_than 2.5 years", 18, "whole number"),
        ("bought older_than -1 years", 18, "whole number"),
        ("platform in 淘宝", 12, "expected '['"),
        ("platform in [淘宝 天猫]", 16, "expected ',' or ']'"),
        ("name is here", 8, "'is set' or 'is empty'"),
        ("name like x", 5, "unknown operator 'like'"),
        ("(a or b", 7, "ends too early"),
        ("a == )", 5, "expected a value"),
        ("(" * 17 + "a" + ")" * 17, 16, "too many nested parentheses"),
        ("a == " + "x" * 600, 0, "longer than 500"),
    ],
)
def test_syntax_errors_say_where(expr: str, offset: int, words: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_expression(expr)
    assert info.value.offset == offset
    assert words in info.value.message


def test_equality_and_membership() -> None:
    assert holds("channel == 网购", channel="网购")
    assert not holds("channel == 网购", channel="实体店")
    assert holds("channel != 网购", channel="实体店")
    assert not holds("channel != 网购"), "a missing answer never satisfies a comparison"
    assert holds("platform in [淘宝, 天猫]", platform="天猫")
    assert holds("platform not in [淘宝, 天猫]", platform="京东")
    assert not holds("platform not in [淘宝]")


def test_numbers() -> None:
    assert holds("amount > 500", amount="500.01")
    assert not holds("amount > 500", amount="500")
    assert holds("amount >= 500", amount="500.00")
    assert holds("amount < 1000", amount="999")
    assert not holds("amount < 5", amount="not a number")
    assert not holds("amount < 5")


def test_dates_against_today() -> None:
    assert holds("bought older_than 3 years", bought="2022-06-14")
    assert not holds("bought older_than 3 years", bought="2022-06-15")
    assert holds("bought within 3 years", bought="2022-06-15")
    assert holds("bought within 30 days", bought="2025-05-16")
    assert not holds("bought within 30 days", bought="2025-05-15")
    assert not holds("bought within 30 days", bought="yesterday")


def test_confirm_multiselect_and_presence() -> None:
    assert holds("agree", agree=True)
    assert not holds("agree", agree=False)
    assert holds("agree == true", agree=True)
    assert holds("agree == false", agree=False)
    assert holds("problems contains 虚假宣传", problems=["质量问题", "虚假宣传"])
    assert not holds("problems contains 虚假宣传", problems=["质量问题"])
    assert holds("name is set", name="张三")
    assert holds("name is empty", name="")
    assert holds("name is empty")
    assert holds("problems is empty", problems=[])
    assert holds("note", note="有")


def test_combinations() -> None:
    expr = "channel == 网购 and (amount > 500 or not agree)"
    assert holds(expr, channel="网购", amount="600", agree=True)
    assert holds(expr, channel="网购", amount="100", agree=False)
    assert not holds(expr, channel="网购", amount="100", agree=True)
    assert not holds(expr, channel="实体店", amount="600")


def test_yaml_all_any_not_nodes_evaluate() -> None:
    a = parse_expression("x == 1")
    b = parse_expression("y == 2")
    assert evaluate(AllOf((a, b)), {"x": "1", "y": "2"}, TODAY)
    assert not evaluate(AllOf((a, b)), {"x": "1"}, TODAY)
    assert evaluate(AnyOf((a, b)), {"y": "2"}, TODAY)
    assert evaluate(NotOf(a), {}, TODAY)
    assert evaluate(None, {}, TODAY), "no condition: always shown"


def test_shift_date_clamps_month_ends_and_the_calendar_edges() -> None:
    assert shift_date(date(2024, 2, 29), 1, TimeUnit.YEARS) == date(2025, 2, 28)
    assert shift_date(date(2025, 1, 31), 1, TimeUnit.MONTHS) == date(2025, 2, 28)
    assert shift_date(date(2025, 3, 31), -1, TimeUnit.MONTHS) == date(2025, 2, 28)
    assert shift_date(date(9999, 12, 1), 5, TimeUnit.YEARS) == date.max
    assert shift_date(date(1, 1, 5), -3, TimeUnit.DAYS) == date(1, 1, 2)
    assert shift_date(date(1, 1, 5), -10, TimeUnit.DAYS) == date(1, 1, 1)


def test_describe_writes_a_condition_back() -> None:
    c = parse_expression("a == 1 and (b in [x, y] or not c is set)")
    assert describe(c) == "(a == 1) and ((b in [x, y]) or (not (c is set)))"
    assert describe(None) == "always"


# --- dates compared with dates ---------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "op", "other", "number", "unit"),
    [
        ("got before bought", Op.BEFORE, "bought", None, None),
        ("got after today", Op.AFTER, TODAY_WORD, None, None),
        ("got on bought", Op.ON, "bought", None, None),
        ("got on or before today", Op.ON_OR_BEFORE, TODAY_WORD, None, None),
        ("got on or after bought", Op.ON_OR_AFTER, "bought", None, None),
        ("found after got + 6 months", Op.AFTER, "got", Decimal(6), TimeUnit.MONTHS),
        ("got before found - 6 个月", Op.BEFORE, "found", Decimal(-6), TimeUnit.MONTHS),
        ("got on or before today - 7 days", Op.ON_OR_BEFORE, TODAY_WORD, Decimal(-7), TimeUnit.DAYS),
        ("got after bought + 1 year", Op.AFTER, "bought", Decimal(1), TimeUnit.YEARS),
    ],
)
def test_date_relations_parse(expr: str, op: Op, other: str, number: Decimal | None, unit: TimeUnit | None) -> None:
    c = parse_expression(expr)
    assert isinstance(c, Compare)
    assert (c.field, c.op, c.other, c.number, c.unit) == (expr.split()[0], op, other, number, unit)


def test_date_relations_combine_with_and_or() -> None:
    c = parse_expression("got on or after bought or got on bought and found after today")
    assert isinstance(c, AnyOf) and isinstance(c.items[1], AllOf)
    assert condition_fields(c) == ("got", "bought", "got", "bought", "found"), "today is not a field"


def test_the_second_date_carries_its_own_position() -> None:
    c = parse_expression("got after  bought + 6 months", 3, 9, locate=lambda offset: (3, 9 + offset))
    assert isinstance(c, Compare)
    assert (c.line, c.col, c.other_line, c.other_col) == (3, 9, 3, 20)


def test_dates_against_dates() -> None:
    assert holds("got before bought", got="2025-01-01", bought="2025-01-02")
    assert not holds("got before bought", got="2025-01-02", bought="2025-01-02")
    assert holds("got on bought", got="2025-01-02", bought="2025-01-02")
    assert holds("got on or before bought", got="2025-01-02", bought="2025-01-02")
    assert holds("got on or after bought", got="2025-01-02", bought="2025-01-02")
    assert not holds("got after bought", got="2025-01-02", bought="2025-01-02")
    assert holds("got after bought", got="2025-01-03", bought="2025-01-02")


def test_dates_compared_with_today() -> None:  # TODAY is 2025-06-15
    assert holds("got after today", got="2025-06-16")
    assert not holds("got after today", got="2025-06-15")
    assert holds("got on today", got="2025-06-15")
    assert holds("got on or before today - 7 days", got="2025-06-08")
    assert not holds("got on or before today - 7 days", got="2025-06-09")


def test_offsets_count_calendar_months_and_clamp_to_the_month_end() -> None:
    # 2024-08-31 + 6 months = 2025-02-28 (no 31st in February)
    within = "found on or before got + 6 months"
    assert holds(within, got="2024-08-31", found="2025-02-28")
    assert not holds(within, got="2024-08-31", found="2025-03-01")
    assert holds("found after got + 6 months", got="2023-08-31", found="2024-03-01")
    assert not holds("found after got + 6 months", got="2023-08-31", found="2024-02-29"), "2024 is a leap year"
    assert holds("got before found - 6 months", got="2024-08-27", found="2025-02-28")
    assert not holds("got before found - 6 months", got="2024-08-28", found="2025-02-28"), "02-28 - 6 months = 08-28"
    # the offset belongs on the date the period counts from: 09-30 + 6 months = 03-30, but 03-31 - 6 months = 09-30
    assert holds("found after got + 6 months", got="2024-09-30", found="2025-03-31")
    assert not holds("got before found - 6 months", got="2024-09-30", found="2025-03-31")
    assert holds("found after got + 1 year", got="2024-02-29", found="2025-03-01")
    assert not holds("found after got + 1 year", got="2024-02-29", found="2025-02-28")


def test_a_missing_or_unreadable_date_makes_a_relation_false() -> None:
    for answers in ({}, {"got": "2025-01-01"}, {"bought": "2025-01-01"}, {"got": "昨天", "bought": "2025-01-01"}):
        assert not holds("got before bought", **answers)
        assert not holds("got on or after bought", **answers)
        assert holds("not got before bought", **answers), "so its negation holds"
    assert not holds("got after today")
    assert not holds("got before bought", got="2025-01-01", bought=True)


def test_describe_writes_a_date_relation_back() -> None:
    for expr in (
        "got before bought",
        "got on or after today",
        "found after got + 6 months",
        "got on or before found - 6 months",
    ):
        assert describe(parse_expression(expr)) == expr
    assert describe(parse_expression("got before today - 7 天")) == "got before today - 7 days"


@given(
    st.dates(min_value=date(1, 1, 1), max_value=date(9998, 12, 31)),
    st.integers(min_value=-1200, max_value=1200),
)
def test_month_arithmetic_keeps_the_day_or_clamps_it_to_the_month_end(d: date, months: int) -> None:
    shifted = shift_date(d, months, TimeUnit.MONTHS)
    total = d.year * 12 + d.month - 1 + months
    if not 1 <= total // 12 <= 9999:
        assert shifted in (date.min, date.max)
        return
    assert shifted.year * 12 + shifted.month - 1 == total, "the calendar month moves by exactly `months`"
    last = calendar.monthrange(shifted.year, shifted.month)[1]
    assert shifted.day == min(d.day, last), "the same day of the month, or the month's last day"
    if d.day <= 28:
        assert shift_date(shifted, -months, TimeUnit.MONTHS) == d, "days 1-28 always come back"
    assert shift_date(d, months // 12, TimeUnit.YEARS) == shift_date(d, (months // 12) * 12, TimeUnit.MONTHS)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=0, max_value=36),
)
def test_before_and_after_with_an_offset_are_exact_opposites(got: date, found: date, months: int) -> None:
    answers = {"got": got.isoformat(), "found": found.isoformat()}
    ops = [
        evaluate(parse_expression(f"found {op} got + {months} months"), answers, TODAY)
        for op in ("before", "on", "after")
    ]
    assert ops.count(True) == 1, "exactly one of before, on, after"
    after = evaluate(parse_expression(f"found after got + {months} months"), answers, TODAY)
    assert after == (found > shift_date(got, months, TimeUnit.MONTHS))
    on_or_before = evaluate(parse_expression(f"found on or before got + {months} months"), answers, TODAY)
    assert on_or_before is not after


def test_every_example_in_the_docs_condition_table_parses() -> None:
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "flow-format.md").read_text(encoding="utf-8")
    section = docs.split("## Conditions (`when`)", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)`", section, re.MULTILINE)
    assert "harm_known_date after received_date + 6 months" in rows
    for expr in rows:
        parse_expression(expr)

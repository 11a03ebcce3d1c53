"""The condition language: parsing (with positions), evaluation, and what it refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wizard.flow.conditions import (
    ConditionSyntaxError,
    describe,
    evaluate,
    parse_expression,
    shift_date,
)
from wizard.flow.model import AllOf, AnyOf, Compare, NotOf, Op, TimeUnit

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

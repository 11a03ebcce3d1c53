"""Tests for wizard.answers.validators: one parser per answer type."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.answers.validators import (
    TEXT_HARD_CAP,
    USCC_ALPHABET,
    USCC_WEIGHTS,
    Parsed,
    count_chars,
    normalise_input,
    parse_date,
    parse_money,
    parse_number,
    parse_phone,
    parse_text,
    parse_uscc,
    uscc_check_char,
)

TODAY = date(2026, 11, 25)
EMPTY = Parsed(None, None, None)

# --- common ------------------------------------------------------------------------------


def test_normalise_input() -> None:
    assert normalise_input("  １２９９  ") == "1299"
    assert normalise_input("\u3000ＡＢＣ，－\u3000") == "ABC,-"
    assert normalise_input("1\u200b3\x1b8") == "138"


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "\n\t"])
def test_empty_input_is_not_an_error(raw: str) -> None:
    assert parse_money(raw) == EMPTY
    assert parse_number(raw) == EMPTY
    assert parse_phone(raw) == EMPTY
    assert parse_date(raw, TODAY) == EMPTY
    assert parse_uscc(raw) == EMPTY
    assert parse_text(raw) == EMPTY
    assert parse_text(raw, multiline=True) == EMPTY


# --- money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1299", "1299.00"),
        ("1,299.00", "1299.00"),
        ("¥1299", "1299.00"),
        ("￥1,299.5", "1299.50"),
        ("1299元", "1299.00"),
        ("1299.00 元", "1299.00"),
        ("RMB 1299", "1299.00"),
        ("rmb1299", "1299.00"),
        ("１２９９", "1299.00"),
        ("１，２９９．５", "1299.50"),
        ("1，299", "1299.00"),
        ("12,345,678.9", "12345678.90"),
        ("0.5", "0.50"),
        ("0", "0.00"),
        ("007", "7.00"),
        ("人民币 88 元", "88.00"),
        ("100000000", "100000000.00"),
    ],
)
def test_money_accepts(raw: str, value: str) -> None:
    assert parse_money(raw) == Parsed(value)


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("-5", "负数"),
        ("¥-5", "负数"),
        ("−5", "负数"),
        ("1e9", "请输入金额，例如 1299 或 1,299.00"),
        ("12.345", "两位小数"),
        ("abc", "请输入金额"),
        ("NaN", "请输入金额"),
        ("inf", "请输入金额"),
        ("Infinity", "请输入金额"),
        ("100000000.01", "不能超过"),
        ("999999999999", "不能超过"),
        ("12,99", "千位分隔符"),
        ("1.2.3", "请输入金额"),
        ("1 299", "请输入金额"),
        ("9" * 100, "请输入金额"),
    ],
)
def test_money_rejects(raw: str, message_part: str) -> None:
    result = parse_money(raw)
    assert result.value is None
    assert result.error is not None and message_part in result.error


def test_money_limits() -> None:
    assert parse_money("5", min=Decimal("10")).error == "金额不能小于 10 元"
    assert parse_money("10", min=Decimal("10")) == Parsed("10.00")
    assert parse_money("1000.01", max=Decimal("1000")).error == "金额不能大于 1,000 元"
    # An explicit max replaces the default cap.
    assert parse_money("200000000", max=Decimal("1000000000")) == Parsed("200000000.00")
    assert parse_money("0.001", min=Decimal("0.01")).error is not None


@given(st.integers(min_value=0, max_value=10**8 - 1), st.integers(min_value=0, max_value=99))
def test_money_round_trip(yuan: int, fen: int) -> None:
    canonical = f"{yuan}.{fen:02d}"
    assert parse_money(canonical) == Parsed(canonical)
    assert parse_money(f"¥{yuan:,}.{fen:02d}") == Parsed(canonical)
    assert parse_money(f"{yuan:,}.{fen:02d} 元") == Parsed(canonical)


# --- number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("3", "3"), ("2.5", "2.5"), ("2.50", "2.5"), ("-4", "-4"), ("+4", "4"), ("1,000", "1000")],
)
def test_number_accepts(raw: str, value: str) -> None:
    assert parse_number(raw) == Parsed(value)


def test_number_integer_and_limits() -> None:
    assert parse_number("3", integer=True) == Parsed("3")
    assert parse_number("3.0", integer=True) == Parsed("3")
    assert parse_number("2.5", integer=True).error == "请输入整数，例如 3"
    assert parse_number("0", min=Decimal("1")).error == "不能小于 1"
    assert parse_number("11", max=Decimal("10")).error == "不能大于 10"
    assert parse_number("-0") == Parsed("0")
    assert parse_number("３") == Parsed("3")


@pytest.mark.parametrize("raw", ["1e3", "nan", "inf", "abc", "1.2.3", "--1", "3个"])
def test_number_rejects(raw: str) -> None:
    result = parse_number(raw)
    assert result.value is None
    assert result.error == "请输入数字，例如 3 或 2.5"


# --- phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("(010) 1234-5678", "010-12345678"),
        ("（010）１２３４－５６７８", "010-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("0755-88888888", "0755-88888888"),
        ("0755 8888 8888", "0755-88888888"),
        ("021-1234567", "021-1234567"),
        ("0571—87654321", "0571-87654321"),
        ("+86 10 12345678", "010-12345678"),
        ("+86-755-88888888", "0755-88888888"),
        ("010-12345678-123", "010-12345678转123"),
        ("010-12345678转123", "010-12345678转123"),
        ("010-12345678 ext 88", "010-12345678转88"),
        ("0755-1234567-8888", "0755-1234567转8888"),
        ("12315", "12315"),
        ("10086", "10086"),
        ("400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        ("800 123 4567", "800-123-4567"),
        ("400-123-4567转2", "400-123-4567转2"),
    ],
)
def test_phone_accepts(raw: str, value: str) -> None:
    assert parse_phone(raw) == Parsed(value)


PHONE_ERROR = "请输入有效的手机号或固定电话，例如 13800138000 或 010-12345678"


@pytest.mark.parametrize(
    ("raw", "message_part"),
    [
        ("abc", PHONE_ERROR),
        ("12345678901", PHONE_ERROR),
        ("010-1234", PHONE_ERROR),
        ("0000-1234567", PHONE_ERROR),
        ("010-012345678", PHONE_ERROR),
        ("1380013800", "11 位"),
        ("138001380001", "11 位"),
        ("12345678", "区号"),
        ("13800138000转1", "分机"),
        ("+1 555 1234567", "中国大陆"),
        ("138 0013 800a", PHONE_ERROR),
        ("--", PHONE_ERROR),
    ],
)
def test_phone_rejects(raw: str, message_part: str) -> None:
    result = parse_phone(raw)
    assert result.value is None
    assert result.error is not None and message_part in result.error


# --- date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2026-11-25",
        "2026/11/25",
        "2026.11.25",
        "2026年11月25日",
        "2026年11月25号",
        "2026 年 11 月 25 日",
        "20261125",
        "２０２６－１１－２５",
        "２０２６年１１月２５日",
    ],
)
def test_date_formats(raw: str) -> None:
    assert parse_date(raw, TODAY, allow_future=False) == Parsed("2026-11-25")


def test_date_single_digits_and_leap_day() -> None:
    assert parse_date("2026-1-5", TODAY) == Parsed("2026-01-05")
    assert parse_date("2026年1月5日", TODAY) == Parsed("2026-01-05")
    assert parse_date("2024-02-29", TODAY) == Parsed("2024-02-29")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-02-30", "日期不存在：2026 年 2 月没有 30 日"),
        ("2025-02-29", "日期不存在：2025 年 2 月没有 29 日"),
        ("2026-04-31", "日期不存在：2026 年 4 月没有 31 日"),
        ("2026-13-01", "日期不存在：没有 13 月"),
        ("2026-00-10", "日期不存在：没有 0 月"),
        ("2026-01-00", "日期不存在：没有 0 日"),
        ("1899-12-31", "年份不能早于 1900 年"),
    ],
)
def test_date_impossible(raw: str, message: str) -> None:
    assert parse_date(raw, TODAY) == Parsed(None, message)


@pytest.mark.parametrize("raw", ["26-1-5", "2026-11/25", "明天", "2026-11", "2026115", "11/25/2026"])
def test_date_bad_format(raw: str) -> None:
    result = parse_date(raw, TODAY)
    assert result.value is None
    assert result.error is not None and "请输入日期" in result.error


def test_date_future_and_earliest() -> None:
    future = parse_date("2026-11-26", TODAY, allow_future=False)
    assert future.value is None
    assert future.error is not None and future.error.startswith("日期不能晚于今天")
    assert parse_date("2026-11-25", TODAY, allow_future=False) == Parsed("2026-11-25")
    assert parse_date("2027-01-01", TODAY, allow_future=True) == Parsed("2027-01-01")
    early = parse_date("2020-01-01", TODAY, True, earliest=date(2021, 1, 1))
    assert early.error == "日期不能早于 2021 年 1 月 1 日"
    assert parse_date("2021-01-01", TODAY, True, earliest=date(2021, 1, 1)) == Parsed("2021-01-01")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_date_round_trip(d: date) -> None:
    iso = d.isoformat()
    assert parse_date(iso, TODAY) == Parsed(iso)
    assert parse_date(f"{d.year}年{d.month}月{d.day}日", TODAY) == Parsed(iso)
    assert parse_date(iso.replace("-", ""), TODAY) == Parsed(iso)


# --- USCC ----------------------------------------------------------------------------------


def test_uscc_weights() -> None:
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(USCC_ALPHABET) == 31
    assert not set("IOZSV") & set(USCC_ALPHABET)


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91330100716105852F", "91440300708461136T", "914403001922038216"],
)
def test_uscc_valid(code: str) -> None:
    assert parse_uscc(code) == Parsed(code)
    assert uscc_check_char(code[:17]) == code[17]


def test_uscc_normalises() -> None:
    assert parse_uscc("9135 0100 m000 100y43") == Parsed("91350100M000100Y43")
    assert parse_uscc("91350100-M000100-Y43") == Parsed("91350100M000100Y43")
    assert parse_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == Parsed("91350100M000100Y43")


@pytest.mark.parametrize("code", ["91350211M0000XUF46", "91350100M0001TGQXM"])
def test_uscc_failed_check_is_a_warning(code: str) -> None:
    result = parse_uscc(code)
    assert result.value == code
    assert result.error is None
    assert result.warning is not None and result.warning.startswith("校验位不符")
    assert "gsxt.gov.cn" in result.warning


@pytest.mark.parametrize(
    ("code", "message_part"),
    [
        ("9135010OM000100Y43", "第 8 位的“O”"),
        ("91350100M000I00Y43", "第 13 位的“I”"),
        ("Z1350100M000100Y43", "第 1 位的“Z”"),
        ("91350100M000100Y4中", "第 18 位的“中”"),
        ("91350100M000100Y4", "应为 18 位，您输入了 17 位"),
        ("91350100M000100Y433", "您输入了 19 位"),
    ],
)
def test_uscc_errors(code: str, message_part: str) -> None:
    result = parse_uscc(code)
    assert result.value is None
    assert result.error is not None and message_part in result.error


def test_uscc_first_character_not_checked() -> None:
    first17 = "Y1350100M000100Y4"
    code = first17 + uscc_check_char(first17)
    assert parse_uscc(code) == Parsed(code)


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("123")
    with pytest.raises(ValueError):
        uscc_check_char("I" * 17)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_generated_codes_pass(first17: str) -> None:
    code = first17 + uscc_check_char(first17)
    assert parse_uscc(code) == Parsed(code)
    wrong = next(c for c in USCC_ALPHABET if c != code[17])
    assert parse_uscc(first17 + wrong).warning is not None


# --- text ----------------------------------------------------------------------------------


def test_text_single_line() -> None:
    assert parse_text("  某某旗舰店  ") == Parsed("某某旗舰店")
    assert parse_text("第一行\r\n第二行") == Parsed("第一行 第二行")
    assert parse_text("ＡＢＣ，好！") == Parsed("ＡＢＣ，好！")  # no full-width conversion
    assert parse_text("a\x1b[31mb\u202ec") == Parsed("a[31mbc")


def test_text_multiline() -> None:
    assert parse_text("\n 第一行\r\n\r\n第二行 \n", multiline=True) == Parsed("第一行\n\n第二行")
    assert parse_text("a\rb", multiline=True) == Parsed("a\nb")


def test_text_max_length() -> None:
    assert parse_text("一二三四五", max_length=5) == Parsed("一二三四五")
    assert parse_text("一二三四五六七", max_length=5) == Parsed(None, "已输入 7 字，超过上限 5 字，请删减 2 字")
    # Counted in code points: each emoji counts 1, surrounding spaces are trimmed.
    assert parse_text("  😀😀  ", max_length=2) == Parsed("😀😀")


def test_text_hard_cap() -> None:
    result = parse_text("字" * (TEXT_HARD_CAP + 10), multiline=True)
    assert result.value == "字" * TEXT_HARD_CAP
    assert result.error is None
    assert result.warning is not None
    over = parse_text("字" * (TEXT_HARD_CAP + 10), max_length=500)
    assert over.error == f"已输入 {TEXT_HARD_CAP + 10} 字，超过上限 500 字，请删减 {TEXT_HARD_CAP - 490} 字"


def test_text_pattern() -> None:
    order = re.compile(r"\d{6,20}")
    assert parse_text("12345678", pattern=order) == Parsed("12345678")
    assert parse_text("订单12345678", pattern=order) == Parsed(None, "格式不正确")
    assert parse_text("1234", pattern=order, pattern_message="订单号应为 6-20 位数字") == Parsed(
        None, "订单号应为 6-20 位数字"
    )


def test_count_chars() -> None:
    assert count_chars("") == 0
    assert count_chars("  我要投诉  ") == 4
    assert count_chars("a\r\nb") == 3
    assert count_chars("a\x1bb") == 2
    assert count_chars("a\n\nb", multiline=False) == 3


@given(st.text(max_size=200), st.booleans())
def test_text_never_crashes_and_agrees_with_count(raw: str, multiline: bool) -> None:
    result = parse_text(raw, max_length=50, multiline=multiline)
    n = count_chars(raw, multiline=multiline)
    if n == 0:
        assert result == EMPTY
    elif n > 50:
        assert result.value is None and result.error is not None
    else:
        assert result.value is not None and len(result.value) == n


@given(st.text(max_size=40))
def test_typed_parsers_never_crash(raw: str) -> None:
    for result in (
        parse_money(raw),
        parse_number(raw),
        parse_phone(raw),
        parse_date(raw, TODAY),
        parse_uscc(raw),
    ):
        assert (result.value is None) or (result.error is None)

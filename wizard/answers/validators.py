"""One pure parser per answer type.

Every parser takes the raw string the user typed (plus the field's rules) and
returns a :class:`Parsed`: the normalised value to store, a blocking error, or
a non-blocking warning (messages are in Simplified Chinese). Empty input gives
``Parsed(None, None, None)``: whether an answer is required is the caller's
business.

Typed fields (money, number, phone, USCC, date) go through
:func:`normalise_input`, which turns full-width ASCII into half-width. Free
text keeps exactly what was typed (apart from :func:`wizard.text.safety.clean_text`).

This module is part of the domain layer: it must not import Textual or Rich.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

from wizard.flow.model import TEXT_HARD_CAP  # longer input is cut to this, with a warning
from wizard.flow.record import record
from wizard.text.safety import clean_text

__all__ = [
    "DEFAULT_MAX_MONEY",
    "TEXT_HARD_CAP",
    "USCC_ALPHABET",
    "USCC_WEIGHTS",
    "Parsed",
    "count_chars",
    "normalise_input",
    "parse_date",
    "parse_money",
    "parse_number",
    "parse_phone",
    "parse_text",
    "parse_uscc",
    "uscc_check_char",
]


@record
class Parsed:
    """The outcome of parsing one answer.

    ``value`` is the normalised value to store (None when invalid or empty),
    ``error`` a blocking message, ``warning`` a non-blocking one.
    """

    value: str | None
    error: str | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


EMPTY = Parsed(None, None, None)


def _error(message: str) -> Parsed:
    return Parsed(None, message, None)


# --- common normalisation ---------------------------------------------------------

_FULLWIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20


def normalise_input(s: str) -> str:
    """Normalise a typed (non-free-text) answer.

    Removes control and invisible characters, converts full-width ASCII
    (U+FF01-U+FF5E) to half-width and the ideographic space U+3000 to a space,
    then trims whitespace. Only for money, number, phone, USCC and date fields:
    free text keeps its full-width punctuation.
    """
    return clean_text(s, multiline=False).translate(_FULLWIDTH_TABLE).strip()


def _dashes_to_ascii(s: str) -> str:
    # Hyphen, non-breaking hyphen, figure dash, en/em dash, horizontal bar, minus sign.
    return re.sub("[\u2010-\u2015\u2212\ufe63]", "-", s)


# --- money and numbers --------------------------------------------------------------

#: Amounts above this are rejected unless the field gives its own ``max``.
DEFAULT_MAX_MONEY = Decimal("100000000")

_MONEY_PREFIX_RE = re.compile(r"^(?:[¥￥]|RMB|CNY|人民币)\s*", re.IGNORECASE)
_MONEY_SUFFIX_RE = re.compile(r"\s*(?:元整|元|块钱|块|RMB|CNY)$", re.IGNORECASE)
_NUMBER_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_MAX_DIGITS = 40
_MONEY_HINT = "请输入金额，例如 1299 或 1,299.00"


def _format_number(d: Decimal) -> str:
    """Canonical plain notation without trailing zeros: ``3``, ``2.5``, ``-0.25``.

    Works on the exact digits (no context rounding), whatever the size.
    """
    if d == 0:
        return "0"
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _format_amount(d: Decimal) -> str:
    """``1,299`` or ``0.5`` with thousands separators: for messages, not for storage."""
    text = _format_number(d)
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{frac}"


def parse_money(raw: str, min: Decimal | None = None, max: Decimal | None = None) -> Parsed:
    """An amount in CNY, stored with two decimals: ``"1299.00"``.

    Accepts ``1299``, ``1,299.00``, ``¥1299``, ``￥1,299.5``, ``1299元``,
    ``RMB 1299`` and full-width digits or commas. Rejects negative amounts,
    more than two decimals, exponents, NaN/infinity, and amounts above ``max``
    (100,000,000 when no ``max`` is given).
    """
    s = _dashes_to_ascii(normalise_input(raw))
    if not s:
        return EMPTY
    negative = s.startswith("-")
    s = s.lstrip("-").strip()
    s = _MONEY_PREFIX_RE.sub("", s, count=1)
    s = _MONEY_SUFFIX_RE.sub("", s, count=1)
    if s.startswith("-"):
        negative = True
        s = s.lstrip("-").strip()
    if negative:
        return _error("金额不能为负数")
    if len(s) > _MAX_DIGITS:
        return _error(_MONEY_HINT)
    m = _NUMBER_RE.fullmatch(s)
    if m is None:
        if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
            return _error("千位分隔符位置不正确，" + _MONEY_HINT)
        return _error(_MONEY_HINT)
    decimals = m.group(1)
    if decimals is not None and len(decimals) > 2:
        return _error("金额最多保留两位小数（精确到分），例如 1299.50")
    plain = s.replace(",", "")
    amount = Decimal(plain)
    upper = DEFAULT_MAX_MONEY if max is None else max
    if amount > upper:
        if max is None:
            return _error(f"金额过大：不能超过 {_format_amount(upper)} 元，请检查是否多输入了数字")
        return _error(f"金额不能大于 {_format_amount(upper)} 元")
    if min is not None and amount < min:
        return _error(f"金额不能小于 {_format_amount(min)} 元")
    whole, _, cents = plain.partition(".")
    return Parsed(f"{whole.lstrip('0') or '0'}.{cents.ljust(2, '0')}")


def parse_number(
    raw: str,
    min: Decimal | None = None,
    max: Decimal | None = None,
    integer: bool = False,
) -> Parsed:
    """A plain number, stored canonically: ``"3"``, ``"2.5"``.

    Accepts an optional sign, thousands separators and (unless ``integer``)
    decimals. With ``integer=True`` a value such as ``3.0`` is accepted as
    ``"3"`` but ``2.5`` is rejected.
    """
    s = _dashes_to_ascii(normalise_input(raw))
    if not s:
        return EMPTY
    hint = "请输入整数，例如 3" if integer else "请输入数字，例如 3 或 2.5"
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:].strip()
    if len(s) > _MAX_DIGITS or _NUMBER_RE.fullmatch(s) is None:
        return _error(hint)
    number = Decimal(sign + s.replace(",", ""))
    if integer and number != number.to_integral_value():
        return _error(hint)
    if min is not None and number < min:
        return _error(f"不能小于 {_format_number(min)}")
    if max is not None and number > max:
        return _error(f"不能大于 {_format_number(max)}")
    return Parsed(_format_number(number))


# --- phone numbers -------------------------------------------------------------------

_PHONE_HINT = "请输入有效的手机号或固定电话，例如 13800138000 或 010-12345678"
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_SERVICE_RE = re.compile(r"12\d{3}|100\d{2}|95\d{3,6}")  # 12315, 12345, 10086, 95588…
_HOTLINE_RE = re.compile(r"([48]00)(\d{3})(\d{4})")
_EXTENSION_RE = re.compile(r"^(.*?)\s*(?:转|分机|ext\.?|x)\s*(\d{1,6})$", re.IGNORECASE)


def _landline(digits: str) -> str | None:
    """``"010-12345678"`` for a valid area code + local number, else None.

    Area codes 010 and 020-029 have three digits; every other one has four.
    """
    if not digits.startswith("0") or digits.startswith("00"):
        return None
    area_len = 3 if digits.startswith(("010", "02")) else 4
    area, local = digits[:area_len], digits[area_len:]
    if len(area) != area_len or not 7 <= len(local) <= 8 or local[0] == "0":
        return None
    if not (area + local).isdigit():
        return None
    return f"{area}-{local}"


def parse_phone(raw: str) -> Parsed:
    """A mainland mobile or landline number, or a service hotline.

    Stored as 11 plain digits for a mobile (``"13800138000"``), as
    ``"010-12345678"`` for a landline (``"010-12345678转123"`` with an
    extension), ``"400-123-4567"`` for 400/800 numbers and plain digits for
    short service numbers such as 12315.
    """
    s = _dashes_to_ascii(normalise_input(raw))
    if not s:
        return EMPTY
    extension = ""
    m = _EXTENSION_RE.match(s)
    if m is not None and m.group(1):
        s, extension = m.group(1), m.group(2)
    compact = re.sub(r"[\s()]", "", s)
    if not re.fullmatch(r"\+?[\d-]+", compact) or not any(c.isdigit() for c in compact):
        return _error(_PHONE_HINT)
    international = compact.startswith(("+86", "0086"))
    if compact.startswith("+") and not compact.startswith("+86"):
        return _error("只支持中国大陆的电话号码，" + _PHONE_HINT)
    if international:
        compact = compact[3:] if compact.startswith("+") else compact[4:]
        compact = compact.lstrip("-")
    groups = compact.split("-")
    if any(g == "" for g in groups):
        return _error(_PHONE_HINT)
    digits = "".join(groups)

    # Mobile (a bare 86 prefix is accepted as well).
    mobile = digits
    if not international and len(mobile) == 13 and mobile.startswith("86"):
        mobile = mobile[2:]
    if _MOBILE_RE.fullmatch(mobile):
        if extension:
            return _error("手机号不能带分机号，" + _PHONE_HINT)
        return Parsed(mobile)

    if not international:
        if _SERVICE_RE.fullmatch(digits) and not extension:
            return Parsed(digits)
        hotline = _HOTLINE_RE.fullmatch(digits)
        if hotline is not None:
            value = "-".join(hotline.groups())
            return Parsed(value + (f"转{extension}" if extension else ""))

    # Landline. "+86 10 12345678" drops the trunk 0 of the area code.
    if international and not digits.startswith("0"):
        groups[0] = "0" + groups[0]
        digits = "0" + digits
    candidates: list[tuple[str, str]] = []
    if len(groups) >= 3 and 7 <= len(groups[1]) <= 8:
        candidates.append((groups[0] + groups[1], "".join(groups[2:])))
    candidates.append((digits, ""))
    if len(groups) >= 2:
        candidates.append(("".join(groups[:-1]), groups[-1]))
    for main, dash_ext in candidates:
        if dash_ext and (extension or len(dash_ext) > 6):
            continue
        number = _landline(main)
        if number is not None:
            ext = extension or dash_ext
            return Parsed(number + (f"转{ext}" if ext else ""))

    if not digits.startswith("0") and 7 <= len(digits) <= 8 and not extension:
        return _error("固定电话请加上区号，例如 010-12345678")
    if digits.startswith("1") and not international and len(digits) in (9, 10, 12, 13):
        return _error(f"手机号应为 11 位，您输入了 {len(digits)} 位")
    return _error(_PHONE_HINT)


# --- dates -----------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_DATE_HINT = "请输入日期，例如 2026-11-25 或 2026年11月25日"


def _cn_date(d: date) -> str:
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def parse_date(
    raw: str,
    today: date,
    allow_future: bool = True,
    earliest: date | None = None,
) -> Parsed:
    """A calendar date, stored as ISO ``"2026-11-25"``.

    Accepts ``2026-11-25``, ``2026/11/25``, ``2026.11.25``, ``2026年11月25日``
    (or ``号``), ``20261125``, single-digit months and days, full-width digits.
    ``today`` is passed in so that the function stays pure.
    """
    s = _dashes_to_ascii(normalise_input(raw))
    if not s:
        return EMPTY
    parts: tuple[int, int, int] | None = None
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(s)
        if m is not None:
            groups = [g for g in m.groups() if g.isdigit()]
            parts = (int(groups[0]), int(groups[1]), int(groups[2]))
            break
    if parts is None:
        return _error(_DATE_HINT)
    year, month, day = parts
    if year < 1900:
        return _error("年份不能早于 1900 年")
    if not 1 <= month <= 12:
        return _error(f"日期不存在：没有 {month} 月")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if day == 0:
            return _error("日期不存在：没有 0 日")
        return _error(f"日期不存在：{year} 年 {month} 月没有 {day} 日")
    value = date(year, month, day)
    if not allow_future and value > today:
        return _error(f"日期不能晚于今天（{_cn_date(today)}）")
    if earliest is not None and value < earliest:
        return _error(f"日期不能早于 {_cn_date(earliest)}")
    return Parsed(value.isoformat())


# --- unified social credit code (GB 32100-2015) ---------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}
USCC_CHECK_WARNING = "校验位不符：请与营业执照或 gsxt.gov.cn 上的代码逐字核对（部分早期代码也会出现这种情况，可以继续）"


def uscc_check_char(first17: str) -> str:
    """The check character (18th) for the first 17 characters of a USCC.

    Raises ValueError when ``first17`` is not 17 characters of the USCC alphabet.
    """
    code = first17.upper()
    if len(code) != 17 or any(c not in USCC_ALPHABET for c in code):
        raise ValueError(f"not 17 USCC characters: {first17!r}")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def parse_uscc(raw: str) -> Parsed:
    """统一社会信用代码: 18 characters, stored upper-case without separators.

    A wrong check character is only a warning: the value is still stored.
    """
    s = re.sub(r"[\s\-]", "", _dashes_to_ascii(normalise_input(raw)).upper())
    if not s:
        return EMPTY
    for pos, ch in enumerate(s, start=1):
        if ch not in USCC_ALPHABET:
            message = f"第 {pos} 位的“{ch}”不是统一社会信用代码允许的字符"
            if ch in _USCC_LOOKALIKES:
                message += f"（代码中不使用字母 I、O、Z、S、V，是否应为“{_USCC_LOOKALIKES[ch]}”？）"
            return _error(message)
    if len(s) != 18:
        return _error(f"统一社会信用代码应为 18 位，您输入了 {len(s)} 位")
    if uscc_check_char(s[:17]) != s[17]:
        return Parsed(s, None, USCC_CHECK_WARNING)
    return Parsed(s)


# --- free text ---------------------------------------------------------------------------


def _prepare_text(raw: str, multiline: bool) -> str:
    return clean_text(raw, multiline=multiline).strip()


def count_chars(s: str, *, multiline: bool = True) -> int:
    """The length the UI shows live and that ``max_length`` is checked against.

    Counted in characters (Unicode code points, ``len`` of the cleaned and
    trimmed text): a Chinese character, a letter and a space each count 1; an
    emoji ZWJ sequence counts each of its code points.
    """
    return len(_prepare_text(s, multiline))


def parse_text(
    raw: str,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
    pattern_message: str | None = None,
    multiline: bool = False,
) -> Parsed:
    """Free text (``text`` or ``textarea``), sanitised with ``clean_text``.

    Leading/trailing whitespace is trimmed; inner newlines are kept when
    ``multiline`` (CRLF becomes LF), otherwise they become spaces. No
    full-width conversion is done. ``max_length`` is counted in characters
    (code points, see :func:`count_chars`). Text over :data:`TEXT_HARD_CAP`
    characters is cut, with a warning. ``pattern`` must match the whole text.
    """
    text = _prepare_text(raw, multiline)
    if not text:
        return EMPTY
    length = len(text)
    if max_length is not None and length > max_length:
        return _error(f"已输入 {length} 字，超过上限 {max_length} 字，请删减 {length - max_length} 字")
    warning: str | None = None
    if length > TEXT_HARD_CAP:
        text = _prepare_text(text[:TEXT_HARD_CAP], multiline)
        warning = f"内容过长，只保留了前 {TEXT_HARD_CAP} 字"
    if pattern is not None and pattern.fullmatch(text) is None:
        return _error(pattern_message or "格式不正确")
    return Parsed(text, None, warning)

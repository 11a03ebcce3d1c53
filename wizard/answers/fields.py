"""One validator per field type, shared by every view.

:func:`validate` turns what the user entered (a string, a list of option
values, or a bool) into the value stored in the session, with an error that
blocks or a warning that does not. The Textual app, the plain mode,
``wizard checklist --answers`` and the path tests all call this function, so
a value is accepted or refused the same way everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from wizard.answers import validators
from wizard.flow.conditions import Answer
from wizard.flow.model import Field, FieldType
from wizard.flow.record import record
from wizard.text.safety import clean_text

REQUIRED = "此项必填"
MUST_CONFIRM = "请勾选确认后再继续"
MAX_ANSWER_CHARS = validators.TEXT_HARD_CAP


@record
class Verdict:
    value: Answer | None  # what is stored; None when empty or invalid
    error: str | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


RawAnswer = str | bool | list[str] | None


def _as_string(raw: RawAnswer) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, list):
        return ",".join(raw)
    return str(raw)


def _choices(f: Field, raw: RawAnswer) -> Verdict:
    allowed = [o.value for o in f.options]
    if f.type is FieldType.SELECT:
        value = clean_text(_as_string(raw), multiline=False).strip()
        if not value:
            return Verdict(None)
        if value not in allowed:
            return Verdict(None, f"请从列表中选择：{'、'.join(allowed)}")
        return Verdict(value)
    items: list[str]
    if isinstance(raw, list):
        items = [clean_text(str(v), multiline=False).strip() for v in raw]
    else:
        text = _as_string(raw)
        items = [v.strip() for v in re.split(r"[,，、;；\n]", clean_text(text))]
    items = [v for v in items if v]
    unknown = [v for v in items if v not in allowed]
    if unknown:
        return Verdict(None, f"没有这个选项：{'、'.join(unknown)}")
    # keep the flow's order and drop duplicates
    chosen = [v for v in allowed if v in items]
    return Verdict(chosen or None)


def _confirm(raw: RawAnswer) -> Verdict:
    if isinstance(raw, bool):
        return Verdict(raw)
    text = clean_text(_as_string(raw), multiline=False).strip().lower()
    if not text:
        return Verdict(None)
    if text in ("true", "yes", "y", "1", "是", "已确认", "确认", "对"):
        return Verdict(True)
    if text in ("false", "no", "n", "0", "否", "不"):
        return Verdict(False)
    return Verdict(None, "请回答 是 或 否")


def validate(f: Field, raw: RawAnswer, today: date) -> Verdict:
    """Validate and normalise one answer, then apply ``required``."""
    verdict = _validate_type(f, raw, today)
    if verdict.error is None and f.required:
        if verdict.value is None:
            return Verdict(None, MUST_CONFIRM if f.type is FieldType.CONFIRM else REQUIRED)
        if f.type is FieldType.CONFIRM and verdict.value is False:
            return Verdict(False, MUST_CONFIRM)
    return verdict


def _validate_type(f: Field, raw: RawAnswer, today: date) -> Verdict:
    t = f.type
    if t in (FieldType.SELECT, FieldType.MULTISELECT):
        return _choices(f, raw)
    if t is FieldType.CONFIRM:
        return _confirm(raw)
    text = _as_string(raw)
    if t in (FieldType.TEXT, FieldType.TEXTAREA):
        pattern = _compiled(f.pattern) if f.pattern else None
        message = f.pattern_message.source if f.pattern_message else None
        p = validators.parse_text(text, f.max_length, pattern, message, multiline=t is FieldType.TEXTAREA)
    elif t is FieldType.MONEY:
        p = validators.parse_money(text, f.min, f.max)
    elif t is FieldType.NUMBER:
        p = validators.parse_number(text, f.min, f.max, integer=False)
    elif t is FieldType.PHONE:
        p = validators.parse_phone(text)
    elif t is FieldType.USCC:
        p = validators.parse_uscc(text)
    else:
        p = validators.parse_date(text, today, allow_future=f.allow_future)
    return Verdict(p.value, p.error, p.warning)


def display_value(f: Field | None, value: Answer | None) -> str | None:
    """How an answer is inserted into text: as the user (or the site's list) wrote it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value) if value else None
    return value or None


FORMAT_HINTS = {
    FieldType.DATE: "例如 2026-11-25 或 2026年11月25日",
    FieldType.MONEY: "例如 1299 或 1,299.00（元）",
    FieldType.PHONE: "例如 13800138000 或 010-12345678",
    FieldType.USCC: "18 位，营业执照上的“统一社会信用代码”",
    FieldType.NUMBER: "请输入数字",
}


def format_hint(f: Field) -> str:
    """What a typed answer should look like, in words ('' when any text will do, or for a choice).

    Every view shows this one hint: the grey text in an empty input, a line of plain mode's question.
    """
    return FORMAT_HINTS.get(f.type, "")


def format_limits(f: Field) -> list[str]:
    """The limits an answer must keep, in words: no date after today, bounds, a maximum length."""
    out: list[str] = []
    if f.type is FieldType.DATE and not f.allow_future:
        out.append("不能晚于今天")
    if f.type in (FieldType.MONEY, FieldType.NUMBER):
        if f.min is not None and f.max is not None:
            out.append(f"{f.min} 到 {f.max} 之间")
        elif f.min is not None:
            out.append(f"不小于 {f.min}")
        elif f.max is not None:
            out.append(f"不大于 {f.max}")
    if f.max_length and f.type in (FieldType.TEXT, FieldType.TEXTAREA):
        out.append(f"最多 {f.max_length} 字")
    return out

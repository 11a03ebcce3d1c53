"""Deadlines as real dates: Chinese working days and the counting rules of Order 121.

Pure domain (no UI, no I/O). The statutory holidays and the adjusted working
days (调休) come from :mod:`chinese_calendar` (the ``chinesecalendar``
package), imported on first use: a flow without deadlines never pays for it.

Counting follows Order 121 Art. 45 (and Civil Code Art. 201/203):

- the day the period starts from is not counted: 7 working days from a
  complaint filed on 2026-09-24 are the 7 working days *after* that day;
- a period that ends on a non-working day (a weekend that is not an
  adjusted working day, or a statutory holiday) ends on the next working day.

So "60 days of mediation counted from the day after acceptance" is
``due(accepted, 60, DAYS)``: the acceptance day is not counted, day 60 is
``accepted + 60``, moved to the next working day when that is a day off.

The library knows the official calendar only for the years it covers
(:func:`covered_years`, 2004–2026 in chinesecalendar 1.11). Any day outside
them is taken to be a working day exactly when it is Monday to Friday, and a
date computed through such a day is marked :attr:`Due.estimate`.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from wizard.flow.model import DEADLINE_MAX
from wizard.flow.model import DeadlineUnit as Unit
from wizard.flow.record import record

MAX_AMOUNT = DEADLINE_MAX  # the most units a deadline may count (lint refuses more)

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@record
class Due:
    """A computed deadline: the last day, and whether it rests on days the calendar does not cover."""

    date: date
    estimate: bool = False


@lru_cache(maxsize=1)
def _calendar() -> tuple[frozenset[date], frozenset[date], int, int]:
    """(days off, adjusted working days, first covered year, last covered year) from the library."""
    from chinese_calendar import constants  # type: ignore[import-untyped]

    off = frozenset(constants.holidays)
    on = frozenset(constants.workdays)
    years = [d.year for d in off | on]
    return off, on, min(years), max(years)


def covered_years() -> tuple[int, int]:
    """The first and last year whose holidays the calendar knows (both included)."""
    _, _, first, last = _calendar()
    return first, last


def is_covered(d: date) -> bool:
    first, last = covered_years()
    return first <= d.year <= last


def is_workday(d: date) -> bool:
    """True on a working day: Monday–Friday that is not a holiday, or an adjusted working day.

    Outside :func:`covered_years` it is Monday–Friday (an estimate; see :func:`is_covered`).
    """
    off, on, first, last = _calendar()
    if first <= d.year <= last:
        return d in on or (d.weekday() < 5 and d not in off)
    return d.weekday() < 5


def coverage_note() -> str:
    """The sentence a view shows once beside computed dates."""
    first, last = covered_years()
    return f"节假日数据覆盖 {first}–{last} 年，之后的日期为估算"


def _next_working_day(d: date) -> Due:
    """``d`` itself if it is a working day, else the first working day after it."""
    estimate = not is_covered(d)
    while not is_workday(d):
        d += timedelta(days=1)
        estimate = estimate or not is_covered(d)
    return Due(d, estimate)


def add_working_days(start: date, n: int) -> Due:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted); ``n`` ≥ 1."""
    if not 1 <= n <= MAX_AMOUNT["working_days"]:
        raise ValueError(f"working days must be 1–{MAX_AMOUNT['working_days']}, not {n}")
    d = start
    estimate = False
    left = n
    while left:
        d += timedelta(days=1)
        estimate = estimate or not is_covered(d)
        if is_workday(d):
            left -= 1
    return Due(d, estimate)


def _add_months(d: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day (Civil Code Art. 202)."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        if day <= d.day:
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return date(year, month, 28)  # pragma: no cover - every month has a 28th


def due(start: date, amount: int, unit: Unit) -> Due | None:
    """The last day of a period of ``amount`` ``unit`` from ``start``; None past the year 9999."""
    if not 1 <= amount <= MAX_AMOUNT[unit.value]:
        raise ValueError(f"{unit.value} must be 1–{MAX_AMOUNT[unit.value]}, not {amount}")
    try:
        if unit is Unit.WORKING_DAYS:
            return add_working_days(start, amount)
        if unit is Unit.DAYS:
            end = start + timedelta(days=amount)
        else:
            end = _add_months(start, amount * 12 if unit is Unit.YEARS else amount)
        return _next_working_day(end)
    except (OverflowError, ValueError):
        return None  # beyond date.max


def format_day(d: date) -> str:
    """``2026年9月24日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_date(d: date) -> str:
    """``2026年10月12日（星期一）``."""
    return f"{format_day(d)}（{WEEKDAYS[d.weekday()]}）"


def format_due(result: Due) -> str:
    """``2026年10月12日（星期一）前``, with ``（估算）`` when the date is an estimate."""
    return format_date(result.date) + "前" + ("（估算）" if result.estimate else "")

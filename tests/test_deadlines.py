"""Deadlines as dates: Chinese working days, Order 121 Art. 45, the flow's ``deadlines:``, exports, .ics."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import holidays
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FLOWS, ROOT
from wizard import deadlines, export
from wizard.checklist import Checklist, DeadlineDate, build
from wizard.deadlines import Due, Unit, add_working_days, covered_years, due, is_workday
from wizard.flow.loader import load_flow, parse_flow
from wizard.session import Session
from wizard.text.script import renderer_for

TODAY = date(2026, 11, 25)
FOLLOW_UP = FLOWS / "12315-follow-up.yaml"
COMPLAINT = FLOWS / "12315-complaint.yaml"
FIRST, LAST = covered_years()


# --- the calendar ------------------------------------------------------------------------------


def test_known_truth_mid_autumn_and_national_day_2026() -> None:
    # 9-25 中秋 and 9-26/27 (weekend) off, 9-28..30 three working days, 10-1..10-7 国庆 off,
    # 10-8, 10-9, Saturday 10-10 (调休, a working day) and Monday 10-12 make seven.
    assert add_working_days(date(2026, 9, 24), 7) == Due(date(2026, 10, 12), estimate=False)
    assert is_workday(date(2026, 10, 10)) and not is_workday(date(2026, 9, 25))
    assert not any(is_workday(date(2026, 10, d)) for d in range(1, 8))


def test_covered_years_come_from_the_library() -> None:
    assert (FIRST, LAST) == (
        min(chinese_calendar.holidays).year,
        max(chinese_calendar.holidays).year,
    )
    assert FIRST <= 2025 and LAST >= 2026
    assert deadlines.coverage_note() == f"节假日数据覆盖 {FIRST}–{LAST} 年，之后的日期为估算"
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(LAST + 1, 1, 5))


def test_beyond_the_calendar_weekdays_count_and_the_date_is_an_estimate() -> None:
    after = date(LAST, 12, 31)
    assert is_workday(date(LAST + 1, 1, 1)) is (date(LAST + 1, 1, 1).weekday() < 5)
    result = add_working_days(after, 3)
    assert result.estimate
    assert result.date == after + _weekdays_ahead(after, 3)
    inside = add_working_days(date(2026, 9, 24), 7)
    assert not inside.estimate
    before = add_working_days(date(FIRST - 1, 12, 1), 3)
    assert before.estimate


def _weekdays_ahead(start: date, n: int) -> timedelta:
    d = start
    while n:
        d += timedelta(days=1)
        n -= d.weekday() < 5
    return d - start


def test_is_workday_agrees_with_the_holidays_package_for_2025_and_2026() -> None:
    """Every day of 2025–2026: ``chinesecalendar`` (ours) against ``holidays.China``.

    ``holidays`` lists the statutory days off; since 0.6x it also knows the adjusted working
    days (调休: ``weekend_workdays``, and ``is_working_day`` uses them). Older releases lacked
    them, which is why both parts are compared separately: the statutory holidays must be days
    off in both, and the adjusted working days must be the same set. With both agreeing, the
    whole calendar is compared day by day.
    """
    other = holidays.China(years=(2025, 2026))
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range((date(2027, 1, 1) - date(2025, 1, 1)).days)]
    assert len(other) > 30  # the package has data for these years
    for d in other:
        assert not is_workday(d), f"{d} ({other[d]}) is a holiday in holidays.China"
    ours_adjusted = {d for d in days if d.weekday() >= 5 and is_workday(d)}
    theirs_adjusted = {d for d in other.weekend_workdays if d.year in (2025, 2026)}
    assert ours_adjusted == theirs_adjusted
    assert date(2026, 10, 10) in ours_adjusted
    assert [d for d in days if is_workday(d) != other.is_working_day(d)] == []


def test_is_workday_is_chinese_calendar_inside_the_covered_years() -> None:
    d = date(FIRST, 1, 1)
    while d.year <= LAST:
        assert is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=7 if d.month not in (1, 2, 4, 5, 6, 9, 10) else 1)


# --- counting rules (Art. 45) -------------------------------------------------------------------


def test_calendar_days_end_on_the_next_working_day() -> None:
    # accepted 2026-08-02: day 60 is 2026-10-01 (国庆), so mediation ends 2026-10-08
    assert due(date(2026, 8, 2), 60, Unit.DAYS) == Due(date(2026, 10, 8))
    # a day 60 that is a working day stays
    assert due(date(2026, 1, 5), 60, Unit.DAYS) == Due(date(2026, 3, 6))


def test_years_keep_the_day_or_take_the_months_last_day() -> None:
    assert due(date(2023, 3, 15), 3, Unit.YEARS) == Due(date(2026, 3, 16))  # 2026-03-15 is a Sunday
    leap = due(date(2024, 2, 29), 3, Unit.YEARS)
    assert leap is not None and leap.date == date(2027, 3, 1) and leap.estimate  # Feb 28 2027 is a Sunday
    # no Feb 31: the month's last day, Saturday 2026-02-28, which is an adjusted working day (调休)
    assert due(date(2026, 1, 31), 1, Unit.MONTHS) == Due(date(2026, 2, 28))
    assert due(date(2025, 3, 31), 1, Unit.MONTHS) == Due(date(2025, 4, 30))


def test_bad_amounts_and_overflow() -> None:
    with pytest.raises(ValueError):
        due(date(2026, 1, 1), 0, Unit.DAYS)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), deadlines.MAX_AMOUNT["working_days"] + 1)
    assert due(date(9999, 12, 1), 100, Unit.DAYS) is None
    assert due(date(9990, 1, 1), 100, Unit.YEARS) is None


def test_format() -> None:
    assert deadlines.format_due(Due(date(2026, 10, 12))) == "2026年10月12日（星期一）前"
    assert deadlines.format_due(Due(date(2027, 1, 4), True)) == "2027年1月4日（星期一）前（估算）"


DAYS = st.dates(min_value=date(FIRST - 2, 1, 1), max_value=date(LAST + 3, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=DAYS, n=st.integers(min_value=1, max_value=40))
def test_working_day_count_properties(start: date, n: int) -> None:
    result = add_working_days(start, n)
    assert is_workday(result.date)
    between = [start + timedelta(days=i) for i in range(1, (result.date - start).days + 1)]
    assert sum(is_workday(d) for d in between) == n  # exactly n working days after start, the last one included
    assert add_working_days(start, n + 1).date > result.date  # strictly monotone in n
    assert result.estimate == any(not deadlines.is_covered(d) for d in between)


@settings(max_examples=200, deadline=None)
@given(start=DAYS, n=st.integers(min_value=1, max_value=400), unit=st.sampled_from([Unit.DAYS, Unit.MONTHS]))
def test_calendar_period_properties(start: date, n: int, unit: Unit) -> None:
    n = n if unit is Unit.DAYS else n % 60 + 1
    result = due(start, n, unit)
    assert result is not None
    assert is_workday(result.date)
    plain_end = start + timedelta(days=n) if unit is Unit.DAYS else deadlines._add_months(start, n)
    assert result.date >= plain_end
    assert not any(is_workday(plain_end + timedelta(days=i)) for i in range((result.date - plain_end).days))


# --- the flow format --------------------------------------------------------------------------

HEAD = """\
id: t
title: T
version: "1"
reviewed: 2025-01-01
steps:
  - id: s
    title: S
    fields:
      - {id: filed, type: date, label: 提交日期}
      - {id: kind, type: select, label: 类型, options: [甲, 乙]}
"""


def problems(deadlines_yaml: str) -> list[str]:
    _, diagnostics = parse_flow((HEAD + textwrap.dedent(deadlines_yaml)).encode(), "f.yaml")
    return [f"{d.location.line}: {d.message}{'; ' + d.hint if d.hint else ''}" for d in diagnostics]


def test_a_valid_deadlines_section_loads() -> None:
    flow, diagnostics = parse_flow(
        (
            HEAD
            + textwrap.dedent("""\
            deadlines:
              - {id: a, label: 甲期限, from: filed, working_days: 7, when: kind == 甲}
              - {id: b, label: 乙期限, from: a, days: 60}
            """)
        ).encode(),
        "f.yaml",
    )
    assert diagnostics == [] and flow is not None
    assert [(d.id, d.start, d.amount, d.unit) for d in flow.deadlines] == [
        ("a", "filed", 7, Unit.WORKING_DAYS),
        ("b", "a", 60, Unit.DAYS),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- {id: a, label: L, from: filet, days: 1}", "unknown date field or deadline 'filet'; did you mean 'filed'?"),
        ("- {id: a, label: L, from: kind, days: 1}", "'from' needs a date field, but 'kind' is a select field"),
        ("- {id: a, label: L, from: a, days: 1}", "'a' is this deadline or one below it"),
        ("- {id: a, label: L, from: b, days: 1}\n- {id: b, label: L, from: filed, days: 1}", "one below it"),
        ("- {id: a, label: L, from: filed}", "a deadline needs one of working_days, days, months, years"),
        ("- {id: a, label: L, from: filed, days: 1, years: 1}", "a deadline counts one unit, found days, years"),
        ("- {id: a, label: L, from: filed, workdays: 7}", "unknown key 'workdays'; did you mean 'working_days'?"),
        ("- {id: a, label: L, from: filed, days: 0}", "expected a whole number ≥ 1, found '0'"),
        ("- {id: a, label: L, from: filed, working_days: 5000}", "working_days: 5000 is above the limit of 1,000"),
        ("- {id: a, label: L, from: filed, days: 1}\n- {id: a, label: M, from: filed, days: 2}", "duplicate deadline"),
        ("- {id: kind, label: L, from: filed, days: 1}", "deadline id 'kind' is also a field or compose id"),
        ("- {id: a, label: L, from: filed, days: 1, when: kind == 丙}", "'丙' is not an option of 'kind'"),
        ("- {id: a, label: '{nope}', from: filed, days: 1}", "unknown field 'nope'"),
    ],
)
def test_lint_reports_bad_deadlines(body: str, expected: str) -> None:
    found = problems("deadlines:\n" + textwrap.indent(body, "  ") + "\n")
    assert any(expected in p for p in found), found


def test_a_broken_deadline_is_reported_once_not_again_where_it_is_used() -> None:
    found = problems("deadlines:\n  - {id: a, label: L, from: filed}\n  - {id: b, label: L, from: a, days: 1}\n")
    assert len(found) == 1, found


# --- the checklist ----------------------------------------------------------------------------


def checklist(flow_path: Path, answers: dict[str, object], script: str = "zh-Hans") -> Checklist:
    session = Session(load_flow(flow_path), answers=dict(answers), today=TODAY, script=script)  # type: ignore[arg-type]
    return build(session, renderer_for(script))


PENDING = {"status": "待受理", "filed_date": "2026-09-24", "green_channel": "否"}
ACCEPTED = {"status": "已受理", "filed_date": "2026-11-01", "green_channel": "否", "accepted_date": "2026-11-06"}


def test_follow_up_acceptance_due_is_2026_10_12() -> None:
    cl = checklist(FOLLOW_UP, PENDING)
    assert [(d.id, d.end, d.text) for d in cl.deadlines] == [
        ("acceptance_due", date(2026, 10, 12), "2026年10月12日（星期一）前")
    ]
    assert cl.deadlines[0].basis == "从2026年9月24日起算7个工作日，当天不计"
    assert cl.calendar_note == f"节假日数据覆盖 {FIRST}–{LAST} 年，之后的日期为估算"


def test_a_deadline_counted_from_an_estimate_is_an_estimate() -> None:
    cl = checklist(FOLLOW_UP, ACCEPTED)
    mediation, notice = cl.deadlines
    assert (mediation.id, mediation.end, mediation.estimate) == ("mediation_due", date(2027, 1, 5), True)
    assert (notice.id, notice.start, notice.estimate) == ("mediation_end_notice_due", date(2027, 1, 5), True)
    assert notice.text.endswith("（估算）")


def test_no_deadline_without_its_date_or_when_its_condition_fails() -> None:
    assert checklist(FOLLOW_UP, {"status": "待受理", "green_channel": "否"}).deadlines == ()
    settled = checklist(FOLLOW_UP, {"status": "调解成功", "filed_date": "2026-09-24", "green_channel": "否"})
    assert settled.deadlines == () and settled.calendar_note is None
    # accepted_date given but hidden (status changed): not counted
    assert checklist(FOLLOW_UP, {**ACCEPTED, "status": "待受理"}).deadlines[0].id == "acceptance_due"


def test_complaint_flow_shows_the_three_year_limit() -> None:
    cl = checklist(COMPLAINT, {"harm_known_date": "2026-11-02"})
    (limit,) = cl.deadlines
    assert (limit.id, limit.end, limit.estimate) == ("complaint_limit", date(2029, 11, 2), True)
    assert checklist(COMPLAINT, {"harm_known_date": "2023-11-01"}).deadlines == ()  # older than 3 years


def test_traditional_readers_get_converted_labels() -> None:
    cl = checklist(FOLLOW_UP, PENDING, script="zh-TW")
    assert "處理單位" in cl.deadlines[0].label
    assert cl.deadlines[0].text == "2026年10月12日（星期一）前"


# --- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_document_format_shows_the_dates_and_the_coverage_sentence_once(fmt: str) -> None:
    out = export.render(checklist(FOLLOW_UP, ACCEPTED), fmt, generated=TODAY)
    assert "2027年1月5日（星期二）前（估算）" in out
    assert "2027年1月14日（星期四）前（估算）" in out
    assert out.count("节假日数据覆盖") == 1
    assert out.index("调解期限") < out.index("看懂期限")  # the dates come before the steps


def test_no_deadline_section_without_deadlines() -> None:
    settled = {"status": "调解成功", "filed_date": "2026-09-24", "green_channel": "否", "settle_kept": "已履行"}
    out = export.to_text(checklist(FOLLOW_UP, settled), generated=TODAY)
    assert "节假日数据覆盖" not in out and "期限：\n" not in out


def test_json_carries_the_deadlines_and_validates() -> None:
    data = json.loads(export.to_json(checklist(FOLLOW_UP, PENDING), generated=TODAY))
    assert data["deadlines"] == [
        {
            "id": "acceptance_due",
            "label": "处理单位告诉您是否受理的期限",
            "date": "2026-10-12",
            "estimate": False,
            "text": "2026年10月12日（星期一）前",
            "basis": "从2026年9月24日起算7个工作日，当天不计",
            "from": "2026-09-24",
        }
    ]
    assert data["calendar_note"].startswith("节假日数据覆盖")
    schema = json.loads((ROOT / "wizard" / "schema" / "checklist.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_deadline_text_is_cleaned_at_the_export_boundary() -> None:
    dirty = DeadlineDate(
        "d", "标签\x1b[31m\u202e", date(2026, 10, 12), False, "日期\x07", "依据\u200b", date(2026, 9, 24)
    )
    cl = checklist(FOLLOW_UP, PENDING)
    cl = Checklist(*[getattr(cl, n) for n in ("flow_id", "flow_title", "flow_version", "reviewed")],
                   cl.sections, cl.checks, cl.composed, (dirty,), "注\x00")  # fmt: skip
    for fmt in export.ALL_FORMATS:
        out = export.render(cl, fmt, generated=TODAY).replace("\r\n", "\n")
        assert not any(ch in out for ch in "\x1b\x07\x00\u202e\u200b"), fmt


# --- .ics ---------------------------------------------------------------------------------------


def parse_ics(text: str) -> list[dict[str, object]]:
    import icalendar

    cal = icalendar.Calendar.from_ical(text)
    return [
        {
            "uid": str(e["UID"]),
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "summary": str(e["SUMMARY"]),
            "description": str(e["DESCRIPTION"]),
        }
        for e in cal.walk("VEVENT")
    ]


def test_ics_has_one_all_day_event_per_deadline_with_the_right_dates() -> None:
    text = export.to_ics(checklist(FOLLOW_UP, ACCEPTED), generated=TODAY)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    events = parse_ics(text)
    assert [(e["start"], e["end"]) for e in events] == [
        (date(2027, 1, 5), date(2027, 1, 6)),
        (date(2027, 1, 14), date(2027, 1, 15)),
    ]
    assert all(type(e["start"]) is date for e in events)  # all-day, not a time
    assert events[0]["summary"] == "调解期限（检测、鉴定的时间不算，会相应顺延）（截止日，估算）"
    assert "从2026年11月6日起算60日，当天不计" in str(events[0]["description"])
    assert "节假日数据覆盖" in str(events[0]["description"])


def test_ics_uid_is_stable_and_differs_between_cases() -> None:
    first = parse_ics(export.to_ics(checklist(FOLLOW_UP, PENDING), generated=TODAY))
    again = parse_ics(export.to_ics(checklist(FOLLOW_UP, PENDING), generated=TODAY + timedelta(days=3)))
    other = parse_ics(export.to_ics(checklist(FOLLOW_UP, {**PENDING, "filed_date": "2026-09-25"}), generated=TODAY))
    assert first[0]["uid"] == again[0]["uid"] == "12315-follow-up.acceptance_due.20260924@wizard-12315.invalid"
    assert other[0]["uid"] != first[0]["uid"]


def test_cli_ics_format(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("status: 待受理\nfiled_date: 2026-09-24\ngreen_channel: 否\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "checklist", str(FOLLOW_UP), "--answers", str(answers), "--format", "ics"],
        capture_output=True,
        timeout=60,
        cwd=str(ROOT),
    )
    assert done.returncode == 0, done.stderr.decode()
    assert [e["start"] for e in parse_ics(done.stdout.decode())] == [date(2026, 10, 12)]
    answers.write_text("status: 调解成功\nfiled_date: 2026-09-24\ngreen_channel: 否\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "checklist", str(FOLLOW_UP), "--answers", str(answers), "--format", "ics"],
        capture_output=True,
        timeout=60,
        cwd=str(ROOT),
    )
    assert done.returncode == 1 and done.stdout == b""
    assert "没有可以算出的期限" in done.stderr.decode() and b"Traceback" not in done.stderr


def test_the_calendar_libraries_are_imported_only_when_needed() -> None:
    probe = (
        "import sys\n"
        "from wizard.flow.loader import load_flow\n"
        f"flow = load_flow({str(FOLLOW_UP)!r})\n"
        "assert 'wizard.deadlines' not in sys.modules, 'validating a flow needs no calendar'\n"
        "from wizard import checklist, export\n"
        "from wizard.session import Session\n"
        "export.to_text(checklist.build(Session(flow, answers={'status': '调解成功'})))\n"
        "assert 'chinese_calendar' not in sys.modules, 'calendar without deadlines'\n"
        "s = Session(flow, answers={'status': '待受理', 'filed_date': '2026-09-24', 'green_channel': '否'})\n"
        "export.to_text(checklist.build(s))\n"
        "assert 'chinese_calendar' in sys.modules\n"
        "assert 'icalendar' not in sys.modules, 'icalendar for a text export'\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr

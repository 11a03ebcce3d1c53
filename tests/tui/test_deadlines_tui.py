"""Deadlines on the checklist page and the .ics choice of the export dialog."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.conftest import FLOWS
from tests.tui.helpers import make_app, screen_text
from wizard.session import CHECKLIST
from wizard.tui.choices import ChoiceList
from wizard.tui.screens.checklist import ChecklistScreen
from wizard.tui.screens.export import ExportDialog

FOLLOW_UP = FLOWS / "12315-follow-up.yaml"
PENDING = {"status": "待受理", "filed_date": "2026-09-24", "green_channel": "否"}


async def test_checklist_page_shows_the_dates_and_the_coverage_once(tmp_path: Path) -> None:
    app = make_app(FOLLOW_UP, cwd=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        app.session.answers.update(PENDING)
        app.go(CHECKLIST)
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        shown = screen_text(app)
        assert "处理单位告诉您是否受理的期限：2026年10月12日（星期一）前" in shown
        assert "从2026年9月24日起算7个工作日，当天不计" in shown
        assert shown.count("节假日数据覆盖") == 1


async def test_export_dialog_offers_a_calendar_and_writes_it(tmp_path: Path) -> None:
    import icalendar

    app = make_app(FOLLOW_UP, cwd=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        app.session.answers.update(PENDING)
        app.go(CHECKLIST)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        choices = dialog.query_one("#export-format", ChoiceList)
        assert choices._values == ["markdown", "text", "ics"]
        choices.toggle_index(2)
        await pilot.pause()
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value.endswith(".ics")
        await pilot.press("enter")
        await pilot.pause()
        written = next(tmp_path.glob("*.ics"))
        cal = icalendar.Calendar.from_ical(written.read_bytes())
        assert [str(e.decoded("DTSTART")) for e in cal.walk("VEVENT")] == ["2026-10-12"]
        assert (written.stat().st_mode & 0o777) == 0o600


async def test_no_calendar_choice_without_deadlines(tmp_path: Path) -> None:
    app = make_app(FOLLOW_UP, cwd=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        app.session.answers.update({"status": "调解成功", "filed_date": "2026-09-24", "green_channel": "否"})
        app.go(CHECKLIST)
        await pilot.pause()
        assert "节假日数据覆盖" not in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-format", ChoiceList)._values == ["markdown", "text"]

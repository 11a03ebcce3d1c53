"""The checklist page: values inline, ticking, copying, links, export."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TextArea

from tests.tui.helpers import ALL_FIELDS_ANSWERS, make_app, next_step, preload, screen_text
from wizard.session import CHECKLIST, REVIEW
from wizard.tui.app import WizardApp
from wizard.tui.screens.checklist import COPY_NOTICE, ChecklistScreen, ChecklistView
from wizard.tui.screens.export import ExportDialog


async def _open_checklist(app: WizardApp, pilot: object) -> ChecklistView:
    preload(app, ALL_FIELDS_ANSWERS)
    app.go(REVIEW)
    await pilot.pause()  # type: ignore[attr-defined]
    await next_step(pilot)  # type: ignore[arg-type]
    assert app.session.position == CHECKLIST
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen.query_one(ChecklistView)


def _highlight(view: ChecklistView, words: str) -> None:
    for i, entry in enumerate(view.entries):
        if words in entry.body.plain:
            view.highlighted = i
            return
    raise AssertionError(words)


async def test_checklist_shows_the_users_values_inline() -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        view = await _open_checklist(app, pilot)
        text = screen_text(app)
        assert "在 「企业名称」 输入商家全称" in text
        assert "某某贸易有限公司" in text
        assert "京东" in text
        assert "共 60 字，网站上限 150 字" in text
        bodies = [e.body.plain for e in view.entries if e.item is not None]
        assert "在 「诉求」 中选择\n退货" in bodies


async def test_ticking_is_kept_in_the_session() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_checklist(app, pilot)
        assert app.focused is view
        await pilot.press("space")
        first = view.current()
        assert first is not None and first.item is not None
        assert first.item.key in app.session.ticked
        await pilot.press("down", "enter")
        assert len(app.session.ticked) == 2
        await pilot.press("space")
        assert len(app.session.ticked) == 1
        await pilot.press("ctrl+r")
        await pilot.pause()
        await next_step(pilot)
        view = app.screen.query_one(ChecklistView)
        assert "[✓]" in screen_text(app), "ticks survive leaving and coming back"


async def test_copy_tries_the_clipboard_and_always_shows_the_value() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_checklist(app, pilot)
        _highlight(view, "企业名称")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "某某贸易有限公司"
        box = app.screen.query_one("#copy-text", TextArea)
        assert box.display and box.parent is not None and box.parent.display
        assert box.text == "某某贸易有限公司"
        assert box.selected_text == "某某贸易有限公司"
        assert box.read_only
        assert any(n.message == COPY_NOTICE for n in app._notifications)
        assert COPY_NOTICE in screen_text(app)
        _highlight(view, "投诉内容（网站上的")
        await pilot.press("c")
        assert app.clipboard.startswith("2026-11-20，我在某某贸易有限公司购买商品")


async def test_export_writes_the_file_and_shows_the_full_path(tmp_path: Path) -> None:
    app = make_app(cwd=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_checklist(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == str(tmp_path / "all-清单-20261125-1403.md")
        path_input.value = "我的清单.md"
        await pilot.press("enter")
        await pilot.pause()
        written = tmp_path / "我的清单.md"
        assert written.is_file()
        content = written.read_text(encoding="utf-8")
        assert "某某贸易有限公司" in content and "京东" in content and "13800138000" not in content.split("京东")[0]
        assert (written.stat().st_mode & 0o777) == 0o600
        assert isinstance(app.screen, ChecklistScreen)
        status = app.screen.query_one("#export-status", Static)
        assert status.display
        assert str(written) in str(status.render())


async def test_export_problems_are_shown_not_raised(tmp_path: Path) -> None:
    (tmp_path / "已有.md").write_text("old", encoding="utf-8")
    app = make_app(cwd=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_checklist(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        error = dialog.query_one("#export-error", Static)
        for bad, words in (
            ("已有.md", "已经有同名文件"),
            ("没有这个文件夹/清单.md", "文件夹不存在"),
            ("", "请输入文件名"),
        ):
            path_input.value = bad
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog
            assert error.display and words in str(error.render())
        assert (tmp_path / "已有.md").read_text(encoding="utf-8") == "old"
        # the text format
        path_input.value = "清单.md"
        await pilot.press("tab", "down", "space")
        await pilot.pause()
        assert path_input.value == "清单.txt"
        await pilot.press("tab", "enter")  # to 「保存」
        await pilot.pause()
        assert (tmp_path / "清单.txt").is_file()
        assert app.is_running

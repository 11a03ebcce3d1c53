"""Dialogs speak the reader's script: titles and buttons converted, bodies (paths, links) left to the caller."""

from __future__ import annotations

from rich.text import Text

from tests.tui.helpers import make_app, screen_text
from wizard.tui.screens.base import WizardScreen
from wizard.tui.screens.dialogs import ChoiceDialog, ConfirmDialog


async def test_confirm_dialog_defaults_and_title_in_traditional() -> None:
    app = make_app(script="zh-TW")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            if app.script == "zh-TW" and isinstance(app.screen, WizardScreen):
                break
            await pilot.pause(0.05)
        assert app.script == "zh-TW"
        app.push_screen(ConfirmDialog("没有保存，仍然退出？", Text("导出到 下载/发票清单.txt")))
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        assert "沒有儲存，仍然退出？" in shown or "沒有保存，仍然退出？" in shown, shown
        assert "確定" in shown and "确定" not in shown, shown
        assert "导出到 下载/发票清单.txt" in shown, shown  # the body is the caller's: never converted here


async def test_choice_dialog_buttons_in_hong_kong_script() -> None:
    app = make_app(script="zh-HK")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            if app.script == "zh-HK" and isinstance(app.screen, WizardScreen):
                break
            await pilot.pause(0.05)
        app.push_screen(
            ChoiceDialog("继续上次的填写？", Text(""), [("resume", "继续上次的填写"), ("fresh", "重新开始")])
        )
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        assert "繼續上次的填寫" in shown and "重新開始" in shown, shown


async def test_simplified_reader_sees_simplified_dialog() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ConfirmDialog("完成并删除记录？", Text("")))
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        assert "完成并删除记录？" in shown and "确定" in shown and "取消" in shown, shown


async def test_resume_question_is_asked_in_the_readers_script() -> None:
    """A Traditional reader with a saved session: the first thing shown, the resume question, is Traditional."""
    from tests.tui.helpers import TODAY
    from tests.tui.test_app import FakeStore
    from wizard.session import Session

    base = make_app()
    saved = Session(base.flow, answers={"channel": "实体店"}, position="merchant", today=TODAY)
    app = make_app(store=FakeStore(saved), script="zh-TW")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        shown = screen_text(app)
        assert "發現上次未完成的填寫" in shown and "发现上次未完成的填写" not in shown, shown
        assert "繼續上次的填寫" in shown and "重新開始" in shown, shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.position == "merchant"

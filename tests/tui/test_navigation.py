"""Moving through the flow: Next, Back, conditional steps, progress, the step list."""

from __future__ import annotations

from tests.tui.helpers import (
    back_step,
    choose,
    editor,
    make_app,
    next_step,
    screen_text,
    type_into,
)
from wizard.session import REVIEW
from wizard.tui.screens.step import StepScreen


async def test_next_and_back_keep_every_answer() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)  # 实体店: the online step does not apply
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        assert app.session.position == "merchant"
        await type_into(pilot, "merchant_name", "某某贸易有限公司", keys=True)
        await type_into(pilot, "merchant_phone", "010-1234", keys=True)  # not valid yet: Back must keep it as typed
        await back_step(pilot)
        assert app.session.position == "start"
        assert editor(app, "channel").raw() == "实体店"
        assert editor(app, "is_consumer").raw() is True
        await next_step(pilot)
        assert app.session.position == "merchant"
        assert editor(app, "merchant_name").raw() == "某某贸易有限公司"
        assert editor(app, "merchant_phone").raw() == "010-1234"
        assert app.session.drafts["merchant_phone"] == "010-1234"


async def test_back_never_validates() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        await type_into(pilot, "merchant_uscc", "abc")
        await back_step(pilot)
        assert app.session.position == "start"
        assert "✗" not in screen_text(app)


async def test_hidden_then_shown_step_keeps_its_answers() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 0)  # 网购: the online step applies
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        assert app.session.position == "online"
        await choose(pilot, "platform", 2)
        await type_into(pilot, "order_no", "TB-998")
        await next_step(pilot)
        assert app.session.position == "merchant"
        await back_step(pilot)
        await back_step(pilot)
        assert app.session.position == "start"
        await choose(pilot, "channel", 1)  # 实体店: the online step is hidden now
        await next_step(pilot)
        assert app.session.position == "merchant", "a step whose condition is false is skipped going forward"
        here, total = app.session.progress()
        assert (here, total) == (2, 5)
        assert "第 2 / 5 步" in screen_text(app)
        await back_step(pilot)
        assert app.session.position == "start", "and going back"
        await choose(pilot, "channel", 0)  # 网购 again: the step and its answers are back
        await next_step(pilot)
        assert app.session.position == "online"
        assert editor(app, "platform").raw() == "拼多多"
        assert editor(app, "order_no").raw() == "TB-998"
        assert "第 2 / 6 步" in screen_text(app)


async def test_progress_marks_done_current_and_todo() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        text = screen_text(app)
        assert "第 2 / 5 步  ✓▸◦◦◦" in text
    wide = make_app()
    async with wide.run_test(size=(120, 40)) as pilot:
        text = screen_text(wide)
        assert "▸ 1. 先说说发生了什么" in text
        assert "◦ 2. 网购平台" not in text, "the online step does not apply until 网购 is chosen"
        await choose(pilot, "channel", 0)
        await pilot.pause()
        assert app.session is not None


async def test_enter_moves_to_the_next_field_then_to_the_next_step() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        await type_into(pilot, "merchant_name", "某某贸易有限公司")
        await pilot.press("enter")
        assert app.focused is editor(app, "merchant_uscc").control_widget
        await pilot.press("enter")
        assert app.focused is editor(app, "merchant_phone").control_widget
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.position == "purchase"


async def test_jump_to_a_step_from_the_step_list() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        await next_step(pilot)  # merchant_name missing: stays
        assert app.session.position == "merchant"
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.session.position == "start"
        assert isinstance(app.screen, StepScreen)


async def test_last_step_leads_to_the_review() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.go("contact")
        await pilot.pause()
        await type_into(pilot, "your_name", "张三")
        await type_into(pilot, "your_phone", "13800138000")
        await choose(pilot, "agree", 0)
        await next_step(pilot)
        assert app.session.position == REVIEW


async def test_a_step_opens_on_the_page_and_tab_starts_filling_in() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.go("merchant")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert app.focused is app.screen.query_one("#content")
        assert footer.startswith("Tab 开始填写")
        await pilot.press("tab")
        assert app.focused is editor(app, "merchant_name").control_widget
        assert "▸ 商家全称" in screen_text(app), "the focused field is marked without colour"
        assert not screen_text(app).splitlines()[-1].startswith("Tab 开始填写")


async def test_the_step_buttons_work_with_enter_space_and_a_click() -> None:
    from wizard.tui.widgets import NavButton

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        next_button = app.screen.query_one("#next", NavButton)
        next_button.focus()
        await pilot.pause()
        assert "下一步" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.position == "merchant"
        back_button = app.screen.query_one("#back", NavButton)
        back_button.focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.session.position == "start"
        app.screen.query_one("#next", NavButton).scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.click("#next")
        await pilot.pause()
        assert app.session.position == "merchant"

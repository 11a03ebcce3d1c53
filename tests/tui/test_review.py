"""The “check your answers” page."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.helpers import (
    ALL_FIELDS_ANSWERS,
    fill_all_fields_flow,
    make_app,
    next_step,
    preload,
    screen_text,
    type_into,
)
from wizard.session import CHECKLIST, REVIEW
from wizard.tui.screens.review import ChangeButton, ReviewScreen
from wizard.tui.screens.step import StepScreen


async def _at_review(app: object, pilot: object) -> None:
    """The answers of the test flow put in directly (the first test types them), then the review."""
    preload(app, ALL_FIELDS_ANSWERS)  # type: ignore[arg-type]
    app.go(REVIEW)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def _review_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ReviewScreen)
    return "\n".join(str(s.render()) for s in screen.query(Static))


async def test_review_lists_every_answer_and_marks_skipped_ones() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await fill_all_fields_flow(pilot)
        text = _review_text(app)
        for expected in ("网购", "京东", "A123", "某某贸易有限公司", "2026-11-20", "1299.00", "质量问题、虚假宣传"):
            assert expected in text
        assert "赔偿损失" not in text
        assert "退货" in text
        assert "已确认" in text
        assert text.count("未填写") == 3, "the optional uscc, phone and quantity were skipped"
        assert "其他问题是什么" not in text, "a field whose condition is false is not listed"


async def test_change_jumps_to_the_field_and_next_returns_to_the_review() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_review(app, pilot)
        button = next(b for b in app.screen.query(ChangeButton) if b.field_id == "amount")
        button.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert app.session.position == "purchase"
        assert app.focused is app.screen.query_one("#field-amount")
        assert "回到“检查答案”" in screen_text(app)
        await type_into(pilot, "amount", "2,000")
        await next_step(pilot)
        assert app.session.position == REVIEW, "Next after a change returns to the review"
        assert "2000.00" in _review_text(app)


async def test_review_sends_the_user_to_an_answer_that_needs_fixing() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_review(app, pilot)
        app.go("merchant")
        await pilot.pause()
        await type_into(pilot, "merchant_phone", "12")  # invalid, then jump away without Next
        app.jump_to(REVIEW)
        await pilot.pause()
        text = _review_text(app)
        assert "需要修改" in text and "12" in text
        await next_step(pilot)
        assert app.session.position == "merchant", "the checklist waits until every answer is valid"
        assert app.focused is app.screen.query_one("#field-merchant_phone")
        assert "请输入有效的手机号" in screen_text(app)


async def test_next_on_the_review_opens_the_checklist() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_review(app, pilot)
        await next_step(pilot)
        assert app.session.position == CHECKLIST
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.session.position == REVIEW

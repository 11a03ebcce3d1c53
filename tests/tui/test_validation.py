"""Validation on Next: every field type, errors next to the field, focus, warnings, stop checks."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui.helpers import choose, editor, make_app, next_step, screen_text, type_into
from wizard.tui.app import WizardApp


async def _at(app: WizardApp, pilot: object, step_id: str) -> None:
    app.go(step_id)
    await pilot.pause()  # type: ignore[attr-defined]


def _error_line(app: WizardApp, field_id: str) -> str:
    lines = list(editor(app, field_id).query(".field-error").results(Static))
    return str(lines[0].render()) if lines and lines[0].display else ""


# (step, field, bad value, expected error words, good value, stored value)
TYPED_CASES = [
    ("merchant", "merchant_name", "某" * 31, "超过上限 30 字", "某某贸易有限公司", "某某贸易有限公司"),
    ("merchant", "merchant_phone", "123", "请输入有效的手机号或固定电话", "010-1234 5678", "010-12345678"),
    ("merchant", "merchant_uscc", "9111000060003734", "应为 18 位", "91110000600037341L", "91110000600037341L"),
    ("purchase", "purchase_date", "2026-02-30", "日期不存在", "2026年11月20日", "2026-11-20"),
    ("purchase", "purchase_date", "2027-01-01", "不能晚于今天", "2026/11/25", "2026-11-25"),
    ("purchase", "amount", "一千块", "请输入金额", "¥1,299.00", "1299.00"),
    ("purchase", "amount", "-5", "不能为负数", "１２９９", "1299.00"),
    ("purchase", "quantity", "0", "不能小于 1", "3", "3"),
    ("online", "order_no", "", "", "A-1", "A-1"),
    ("contact", "your_phone", "1380013800", "手机号应为 11 位", "138 0013 8000", "13800138000"),
]


@pytest.mark.parametrize(("step", "field", "bad", "words", "good", "stored"), TYPED_CASES)
async def test_typed_fields_reject_bad_and_accept_good_values(
    step: str, field: str, bad: str, words: str, good: str, stored: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.set_answer("channel", "网购")
        app.session.set_answer("is_consumer", True)
        await _at(app, pilot, step)
        if bad:
            await type_into(pilot, field, bad)
            await next_step(pilot)
            assert app.session.position == step, "a bad value blocks Next"
            error = _error_line(app, field)
            assert error.startswith("✗ ")
            assert words in error
            assert editor(app, field).has_class("-invalid")
        await type_into(pilot, field, good)
        await next_step(pilot)
        ed_errors = [e for e in app.screen.query(".field-error") if e.display] if app.session.position == step else []
        if app.session.position == step:
            # another (required) field of the step still blocks: this field itself must be fine now
            assert _error_line(app, field) == "", ed_errors
        assert app.session.answers[field] == stored


async def test_errors_focus_the_first_invalid_field() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at(app, pilot, "purchase")
        await type_into(pilot, "amount", "abc")
        await type_into(pilot, "quantity", "zz")
        await next_step(pilot)
        assert app.session.position == "purchase"
        assert _error_line(app, "purchase_date") == "✗ 此项必填"
        assert "请输入金额" in _error_line(app, "amount")
        assert _error_line(app, "quantity")
        assert _error_line(app, "problems") == "✗ 此项必填"
        assert app.focused is editor(app, "purchase_date").control_widget
        assert "✗ 此项必填" in screen_text(app)


async def test_select_multiselect_and_confirm() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await next_step(pilot)
        assert app.session.position == "start"
        assert _error_line(app, "channel") == "✗ 此项必填"
        assert _error_line(app, "is_consumer") == "✗ 请勾选确认后再继续"
        await choose(pilot, "channel", 0, 2)  # a single select keeps only the last choice
        assert editor(app, "channel").raw() == "电视购物"
        await choose(pilot, "is_consumer", 0)
        assert _error_line(app, "is_consumer") == "", "fixing a field clears its error at once"
        await next_step(pilot)
        assert app.session.position == "merchant"
        assert app.session.answers["channel"] == "电视购物"
        assert app.session.answers["is_consumer"] is True
        app.go("purchase")
        await pilot.pause()
        await choose(pilot, "problems", 3, 0)
        assert editor(app, "problem_other").display, "a field shown by a condition on the same step appears at once"
        await type_into(pilot, "purchase_date", "2026-11-01")
        await type_into(pilot, "amount", "10")
        await next_step(pilot)
        assert _error_line(app, "problem_other") == "✗ 此项必填"
        await type_into(pilot, "problem_other", "发票不对")
        await next_step(pilot)
        assert app.session.answers["problems"] == ["质量问题", "其他"]
        assert app.session.position == "describe"


async def test_unticking_a_required_confirm_blocks() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0, 0)  # tick, untick
        await next_step(pilot)
        assert app.session.position == "start"
        assert _error_line(app, "is_consumer") == "✗ 请勾选确认后再继续"


async def test_character_count_turns_red_over_the_limit() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at(app, pilot, "describe")
        await type_into(pilot, "description", "好" * 10)
        counter = editor(app, "description").query_one(".field-counter", Static)
        assert str(counter.render()).startswith("10 / 120 字")
        assert not counter.has_class("-over")
        area = editor(app, "description").control_widget
        area.load_text("好" * 125)  # type: ignore[attr-defined]
        await pilot.pause()
        assert "125 / 120 字" in str(counter.render())
        assert "超出 5 字" in str(counter.render())
        assert counter.has_class("-over")
        await next_step(pilot)
        assert "超过上限 120 字，请删减 5 字" in _error_line(app, "description")


async def test_the_count_changes_with_the_edit_itself_not_a_message_later() -> None:
    """The count is drawn in the same frame as the typed text: it is updated inside the edit."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at(app, pilot, "describe")
        counter = editor(app, "description").query_one(".field-counter", Static)
        area = editor(app, "description").control_widget
        assert str(counter.render()).startswith("0 / 120 字")
        area.insert("好的")  # type: ignore[attr-defined]  # no await: no message has been handled yet
        assert str(counter.render()).startswith("2 / 120 字")
        assert app.session.drafts.get("description") == "好的"


async def test_uscc_check_digit_warns_and_a_second_next_proceeds() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at(app, pilot, "merchant")
        await type_into(pilot, "merchant_name", "某某贸易有限公司")
        await type_into(pilot, "merchant_uscc", "91110000600037341X")
        await next_step(pilot)
        assert app.session.position == "merchant", "the first Next shows the warning"
        warning = editor(app, "merchant_uscc").query_one(".field-warning", Static)  # mounted when first needed
        assert warning.display and "校验位不符" in str(warning.render())
        await next_step(pilot)
        assert app.session.position == "purchase", "a warning does not block"
        assert app.session.answers["merchant_uscc"] == "91110000600037341X"


async def test_stop_check_blocks_but_back_still_works() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await _at(app, pilot, "purchase")
        await type_into(pilot, "purchase_date", "2020-01-01")
        await type_into(pilot, "amount", "100")
        await choose(pilot, "problems", 0)
        await next_step(pilot)
        assert app.session.position == "purchase"
        stop = app.screen.query_one("#stop-box", Static)
        assert stop.display
        assert "⛔ 无法继续" in str(stop.render())
        assert "超过 3 年" in str(stop.render())
        await next_step(pilot)
        assert app.session.position == "purchase", "still blocked"
        await type_into(pilot, "purchase_date", "2026-10-01")
        assert not stop.display, "changing an answer clears the stop message"
        await next_step(pilot)
        assert app.session.position == "describe"


async def test_warn_check_is_shown_and_does_not_block() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at(app, pilot, "purchase")
        await type_into(pilot, "purchase_date", "2026-10-01")
        await type_into(pilot, "amount", "8000")
        await choose(pilot, "problems", 0)
        await next_step(pilot)
        assert app.session.position == "describe"
        messages = [n.message for n in app._notifications]
        assert any("金额较大" in m for m in messages)


async def test_tips_and_warnings_follow_their_conditions() -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        assert "电视购物的商家常常不在本地" not in screen_text(app)
        await choose(pilot, "channel", 2)
        assert "⚠ 注意： 电视购物的商家常常不在本地" in screen_text(app)
        await choose(pilot, "channel", 0)
        assert "电视购物的商家常常不在本地" not in screen_text(app)


async def test_a_tab_right_after_a_tick_goes_to_the_field_the_tick_revealed() -> None:
    """Space then Tab, queued together (a fast typist): the field shown by the tick gets the focus."""
    from textual import events

    from wizard.flow.loader import load_flow
    from wizard.shipped import default_flow

    path = default_flow()
    app = WizardApp(load_flow(path), path, store=None, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.go("select_merchant")
        await pilot.pause()
        channel = app.screen.query_one("#field-channel")
        channel.focus()
        await pilot.pause()
        assert not app.screen.query_one("#field-platform").parent.display  # type: ignore[union-attr]
        app.post_message(events.Key("space", " "))  # 网购 is the first option
        app.post_message(events.Key("tab", None))
        await pilot.pause()
        assert app.session.answers.get("channel") == "网购"
        assert app.focused is app.screen.query_one("#field-platform")

"""Helpers for driving the wizard with Textual's Pilot."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from wizard.flow.loader import load_flow
from wizard.tui.app import WizardApp
from wizard.tui.choices import ChoiceList
from wizard.tui.editors import FieldEditor
from wizard.tui.screens.step import StepScreen

HERE = Path(__file__).resolve().parent
ALL_FIELDS = HERE / "flows" / "all-fields.yaml"
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 14, 3)


def make_app(flow_path: Path = ALL_FIELDS, **kwargs: Any) -> WizardApp:
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("store", None)
    kwargs.setdefault("clock", lambda: NOW)
    kwargs.setdefault("show_save_time", False)
    return WizardApp(load_flow(flow_path), flow_path, **kwargs)


def screen_text(app: WizardApp) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


def editor(app: WizardApp, field_id: str) -> FieldEditor:
    screen = app.screen
    assert isinstance(screen, StepScreen), f"not on a step: {screen!r}"
    for candidate in screen.query(FieldEditor):
        if candidate.field.id == field_id:
            return candidate
    raise AssertionError(f"no editor for {field_id}")


def control(app: WizardApp, field_id: str) -> Widget:
    return app.screen.query_one(f"#field-{field_id}")


async def type_into(pilot: Pilot[Any], field_id: str, text: str, *, keys: bool = False) -> None:
    """Enter ``text`` in a text field: pasted at once (fast), or typed key by key with ``keys=True``."""
    widget = control(pilot.app, field_id)  # type: ignore[arg-type]
    widget.focus()
    if keys:
        if isinstance(widget, Input):
            widget.value = ""
        elif isinstance(widget, TextArea):
            widget.load_text("")
        await pilot.pause()
        await pilot.press(*["space" if ch == " " else ch for ch in text])
    elif isinstance(widget, Input):
        widget.value = text
    elif isinstance(widget, TextArea):
        widget.load_text(text)
    else:
        raise AssertionError(f"{field_id} is not a text field")
    await pilot.pause()


async def choose(pilot: Pilot[Any], field_id: str, *indexes: int) -> None:
    """Toggle the options at ``indexes`` of a select / multiselect / confirm with the keyboard."""
    widget = control(pilot.app, field_id)  # type: ignore[arg-type]
    assert isinstance(widget, ChoiceList)
    widget.focus()
    await pilot.pause()
    for index in indexes:
        widget.highlighted = index
        await pilot.press("space")
        await pilot.pause()


async def next_step(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+n")
    await pilot.pause()


async def back_step(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+r")
    await pilot.pause()


async def fill_all_fields_flow(pilot: Pilot[Any], *, channel: int = 0) -> None:
    """Answer every step of the test flow with valid values, ending on the review page."""
    app = pilot.app
    await choose(pilot, "channel", channel)
    await choose(pilot, "is_consumer", 0)
    await next_step(pilot)
    if channel == 0:
        await choose(pilot, "platform", 1)
        await type_into(pilot, "order_no", "A123")
        await next_step(pilot)
    await type_into(pilot, "merchant_name", "某某贸易有限公司")
    await next_step(pilot)
    await type_into(pilot, "purchase_date", "2026/11/20")
    await type_into(pilot, "amount", "¥1,299")
    await choose(pilot, "problems", 0, 1)
    await next_step(pilot)
    await type_into(pilot, "description", "买的手机屏幕有坏点，商家拒绝退货。")
    await choose(pilot, "request", 0)
    await next_step(pilot)
    await type_into(pilot, "your_name", "张三")
    await type_into(pilot, "your_phone", "138 0013 8000")
    await choose(pilot, "agree", 0)
    await next_step(pilot)
    assert app.session.position == "__review__", app.session.position  # type: ignore[attr-defined]


ALL_FIELDS_ANSWERS: dict[str, Any] = {
    "channel": "网购",
    "is_consumer": True,
    "platform": "京东",
    "order_no": "A123",
    "merchant_name": "某某贸易有限公司",
    "purchase_date": "2026-11-20",
    "amount": "1299.00",
    "problems": ["质量问题", "虚假宣传"],
    "description": "买的手机屏幕有坏点，商家拒绝退货。",
    "request": "退货",
    "your_name": "张三",
    "your_phone": "13800138000",
    "agree": True,
}


def preload(app: WizardApp, answers: dict[str, Any]) -> None:
    """Put answers in the session directly (validated like typed ones), for tests about later pages."""
    from wizard.answers.fields import validate

    for field_id, raw in answers.items():
        f = app.flow.field(field_id)
        assert f is not None, field_id
        verdict = validate(f, raw, app.today)
        assert verdict.error is None, (field_id, verdict.error)
        app.session.set_answer(field_id, verdict.value)


def preload_file(app: WizardApp, path: Path) -> None:
    """Answers from one of the flow's example answer files."""
    from wizard.answers.file import load_answers

    loaded = load_answers(app.flow, path, app.today)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    for field_id, value in loaded.answers.items():
        app.session.set_answer(field_id, value)

"""“Check your answers”: every answer by step, with a 修改 button on each."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from wizard.flow.conditions import Answer
from wizard.flow.model import CHOICE_TYPES, Field, FieldType, Step
from wizard.flow.model import Text as FlowText
from wizard.session import CHECKLIST, REVIEW_TITLE, StepResult
from wizard.session import REVIEW as REVIEW_POSITION
from wizard.tui.keys import REVIEW, bindings
from wizard.tui.screens.base import WizardScreen
from wizard.tui.text import MISSING_STYLE, flow_text, plain
from wizard.tui.widgets import KeyBar, StepList, TopBar


class ChangeButton(Button):
    """「修改」 next to one answer: jumps to its field, and Next comes back here."""

    def __init__(self, label: Text, step_id: str, field_id: str) -> None:
        super().__init__(label, classes="change", compact=True)
        self.step_id = step_id
        self.field_id = field_id


class ReviewScreen(WizardScreen):
    """The review page. Reach it with Next on the last step that applies (or Ctrl+G → 检查答案)."""

    BINDINGS = bindings(REVIEW)

    def __init__(self) -> None:
        super().__init__(classes="page review-page")
        self._problems: list[tuple[Step, StepResult]] = []

    def compose(self) -> ComposeResult:
        session, renderer = self.session, self.renderer
        yield TopBar(session, renderer)
        with Horizontal(id="main"):
            yield StepList(session, renderer)
            with VerticalScroll(id="content"):
                yield Static(Text(self.t(REVIEW_TITLE)), classes="step-title")
                intro = "请逐项核对。要修改某一项，请选中它旁边的「修改」（Tab 移动，Enter 按下）。"
                yield Static(Text(self.t(intro)), classes="hint")
                yield from self._checks()
                for step in session.visible_steps():
                    fields = session.visible_fields(step)
                    if not fields:
                        continue
                    result = session.check_step(step)
                    if not result.ok:
                        self._problems.append((step, result))
                    yield Static(flow_text(step.title, renderer, self.value_of), classes="review-step")
                    for f in fields:
                        yield self._row(step, f, result)
                with Horizontal(classes="nav"):
                    yield Button(Text(self.t("上一步")), id="back")
                    yield Button(Text(self.t("答案无误，生成清单")), id="next", variant="primary")
        yield KeyBar()

    def _checks(self) -> ComposeResult:
        for check in self.session.fired_checks():
            stop = check.level.value == "stop"
            mark = "⛔ " if stop else "⚠ "
            text = Text.assemble(mark, flow_text(check.message, self.renderer, self.value_of))
            yield Static(text, classes="check-stop" if stop else "check-warn")

    def _row(self, step: Step, f: Field, result: StepResult) -> Horizontal:
        label = flow_text(f.label, self.renderer, self.value_of)
        value = self._value_text(f, self.session.answers.get(f.id))
        error = result.errors.get(f.id)
        parts: list[Static] = [
            Static(label, classes="review-label"),
            Static(value, classes="review-value"),
        ]
        if error:
            draft = self.session.drafts.get(f.id)
            message = Text("✗ " + self.t("需要修改：") + self.t(error))
            if draft:
                message.append(self.t("（您输入的是：") + "")
                message.append_text(plain(draft, multiline=False))
                message.append(self.t("）"))
            parts.append(Static(message, classes="review-error"))
        button = ChangeButton(Text(self.t("修改")), step.id, f.id)
        return Horizontal(Vertical(*parts, classes="review-text"), button, classes="review-row")

    def _value_text(self, f: Field, value: Answer | None) -> Text:
        shown = self.session.answer_text(f, value, self.renderer, self._label)
        if shown is None:
            return Text(self.renderer.missing, style=MISSING_STYLE)  # as in every view: 「（未填写）」
        typed = f.type not in CHOICE_TYPES and f.type is not FieldType.CONFIRM
        return plain(shown, "bold" if typed else "")  # as typed: bold; the flow's own words: plain

    def _label(self, text: FlowText) -> str:
        return flow_text(text, self.renderer, self.value_of).plain

    def on_mount(self) -> None:
        buttons = self.query(ChangeButton)
        if self._problems:
            first_step, result = self._problems[0]
            for button in buttons:
                if button.step_id == first_step.id and button.field_id == result.first_error:
                    button.focus()
                    return
        self.query_one("#next", Button).focus(scroll_visible=False)

    @on(ChangeButton.Pressed)
    def _change(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        if isinstance(button, ChangeButton):
            self.wizard.go(button.step_id, focus_field=button.field_id, changing=True)

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_next(self) -> None:
        if self._problems:
            step, result = self._problems[0]
            self.notify(self.t("还有答案需要修改，已带您到第一处。"), severity="error", markup=False)
            self.wizard.go(step.id, focus_field=result.first_error, changing=True, show_errors=True)
            return
        if self.session.blocking_checks():
            self.notify(
                self.t("根据您的回答，现在还不能继续，请看页面上方标 ⛔ 的说明。"), severity="error", markup=False
            )
            self.query_one("#content", VerticalScroll).scroll_home(animate=False)
            return
        self.wizard.go(CHECKLIST)

    def action_back(self) -> None:
        previous = self.session.back_from(REVIEW_POSITION)
        if previous is not None:
            self.wizard.go(previous)

"""Small modal dialogs: confirm, notice, resume, step picker.

Every text shown here is passed in as :class:`rich.text.Text` (or built from
the app's own strings); nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static
from textual.widgets.button import ButtonVariant
from textual.widgets.option_list import Option

from wizard.text.render import TextRenderer


def _ui(screen: Widget, s: str) -> str:
    """The dialog's own words (title, buttons, hint) in the reader's script; bodies are converted by callers.

    Callers that already pass converted words get them back unchanged (converting
    Traditional text again is a no-op); those that pass Simplified (the quit and
    resume questions) are converted here. Bodies may hold paths and links, so
    they are never touched.
    """
    renderer = getattr(screen.app, "renderer", None)
    return renderer.ui(s) if isinstance(renderer, TextRenderer) else s


class ConfirmDialog(ModalScreen[bool]):
    """A question with two answers; dismisses with True for the first."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", key_display="Esc")]

    def __init__(self, title: str, body: Text, yes: str = "确定", no: str = "取消", *, danger: bool = False) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._yes = yes
        self._no = no
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(_ui(self, self._title)), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self._body)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(_ui(self, self._yes)), variant="error" if self._danger else "primary", id="yes")
                yield Button(Text(_ui(self, self._no)), id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self._danger else "#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no_pressed(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


class NoticeDialog(ModalScreen[None]):
    """A message with a single button."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "关闭", key_display="Esc")]

    def __init__(self, title: str, body: Text, *, warning: bool = False) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -warning" if self._warning else "dialog"):
            yield Static(Text(_ui(self, self._title)), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self._body)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(_ui(self, "知道了")), variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few labelled choices (by key); Esc gives None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", key_display="Esc")]

    def __init__(self, title: str, body: Text, choices: Sequence[tuple[str, str]], *, cancel: bool = True) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._choices = list(choices)
        self._cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(_ui(self, self._title)), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self._body)
            with Horizontal(classes="dialog-buttons"):
                for i, (key, label) in enumerate(self._choices):
                    yield ChoiceButton(key, Text(_ui(self, label)), variant="primary" if i == 0 else "default")

    def on_mount(self) -> None:
        self.query(ChoiceButton).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, ChoiceButton):
            self.dismiss(event.button.key)

    def action_cancel(self) -> None:
        if self._cancel:
            self.dismiss(None)


class ChoiceButton(Button):
    def __init__(self, key: str, label: Text, variant: ButtonVariant = "default") -> None:
        super().__init__(label, variant=variant)
        self.key = key


class PickerDialog(ModalScreen[str | None]):
    """A list to pick from with ↑↓ and Enter (steps to jump to, scripts)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", key_display="Esc")]

    def __init__(self, title: str, items: Sequence[tuple[str, Text]], current: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._items = list(items)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(Text(self._title), classes="dialog-title")  # converted by callers (or bilingual)
            yield OptionList(*(Option(prompt, id=key) for key, prompt in self._items), id="picker")
            yield Static(Text(_ui(self, "↑↓ 选择  Enter 确定  Esc 取消")), classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#picker", OptionList)
        options.focus()
        for i, (key, _prompt) in enumerate(self._items):
            if key == self._current:
                options.highlighted = i

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

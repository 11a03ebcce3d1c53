"""The help screen (F1 or ?): the keys, from :data:`wizard.tui.keys.KEYS`, and how the wizard works."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from wizard.text.render import TextRenderer
from wizard.tui.keys import BUILTIN_KEYS, CHECKLIST, GLOBAL, KEYS, REVIEW, STEP, written
from wizard.tui.text import HangingRows
from wizard.tui.widgets import KeyBar

ABOUT = (
    "本向导一步一步带您准备在全国12315平台（www.12315.cn）投诉所需的信息，"
    "最后生成一份清单：在网站上按顺序操作，把清单里的内容粘贴到对应的位置。\n"
    "您填写的内容会自动保存在这台电脑上，不会发送到任何地方。"
    "本向导只会在您确认后打开官方网站的链接。"
)


def key_table(renderer: TextRenderer, *, browser: bool = False) -> HangingRows:
    """Every key, grouped by where it works: the key (its browser key in a browser), and what it does."""
    rows: list[tuple[str, str, str]] = [(k.where, written(k, browser=browser), k.description) for k in KEYS]
    rows += [(GLOBAL, display, what) for display, what in BUILTIN_KEYS]
    grid = HangingRows([], gap=2)
    for i, where in enumerate((STEP, REVIEW, CHECKLIST, GLOBAL)):
        if i:
            grid.add_row(Text(), Text())
        grid.add_row(Text(renderer.ui(where), style="bold underline"), Text())
        for row_where, display, what in rows:
            if row_where == where:
                grid.add_row(Text("  " + display, style="bold"), Text(renderer.ui(what)))
    return grid


class HelpScreen(ModalScreen[None]):
    """Help. Reach it with F1 (or ? when the cursor is not in a text box) from any page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "关闭帮助", key_display="Esc"),
    ]

    def __init__(self, renderer: TextRenderer) -> None:
        super().__init__(classes="help-screen")
        self._renderer = renderer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static(Text(self._renderer.ui("帮助：按键说明")), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(Text(self._renderer.ui(ABOUT)), classes="hint")
                yield Static(key_table(self._renderer, browser=self.app.is_web), id="key-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

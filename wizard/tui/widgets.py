"""Small widgets shared by the screens: the top bar, the step list, the save indicator, the step buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Click
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from wizard.session import CHECKLIST, REVIEW, Session
from wizard.tui.keys import shown_key
from wizard.tui.text import HangingRows, flow_text

if TYPE_CHECKING:
    from wizard.text.render import TextRenderer

DONE = "✓"
CURRENT = "▸"
TODO = "◦"


def progress_text(session: Session, renderer: TextRenderer) -> Text:
    """「第 3 / 8 步」 for a step, or the name of the review / checklist page."""
    if session.position == REVIEW:
        return Text(renderer.ui("检查答案"))
    if session.position == CHECKLIST:
        return Text(renderer.ui("操作清单"))
    here, total = session.progress()
    return Text(renderer.ui(f"第 {here} / {total} 步"))


def step_marks(session: Session) -> Text:
    """One mark per step that applies: ✓ done, ▸ current, ◦ to do."""
    out = Text()
    for step in session.visible_steps():
        status = session.step_status(step)
        if status == "current":
            out.append(CURRENT, style="bold reverse")
        elif status == "done":
            out.append(DONE)
        else:
            out.append(TODO, style="dim")
    return out


class TopBar(Horizontal):
    """Flow title (wide screens), progress, step marks (narrow screens), and the save indicator."""

    def __init__(self, session: Session, renderer: TextRenderer) -> None:
        super().__init__(id="top-bar")
        self._session = session
        self._renderer = renderer

    def _texts(self) -> tuple[Text, Text]:
        title = flow_text(self._session.flow.title, self._renderer, self._session.value_of, style="bold")
        progress = progress_text(self._session, self._renderer)
        wide = Text.assemble(title, "  ", progress)
        narrow = Text.assemble(progress, "  ", step_marks(self._session))
        return wide, narrow

    def compose(self) -> ComposeResult:
        wide, narrow = self._texts()
        yield Static(wide, id="top-wide", classes="wide-only")
        yield Static(narrow, id="top-narrow", classes="narrow-only")
        yield SaveIndicator()

    def refresh_text(self, session: Session, renderer: TextRenderer) -> None:
        """Show another position (or the same in another script) without composing again."""
        self._session = session
        self._renderer = renderer
        wide, narrow = self._texts()
        self.query_one("#top-wide", Static).update(wide)
        self.query_one("#top-narrow", Static).update(narrow)


class SaveIndicator(Static):
    """「已保存 14:03」, or the warning when the last save failed; empty when nothing is saved."""

    def __init__(self) -> None:
        super().__init__("", id="save-indicator")

    def on_mount(self) -> None:
        self.watch(self.app, "save_status", self._show, init=True)

    def _show(self, status: tuple[str, bool]) -> None:
        text, ok = status
        self.update(Text(text))
        self.set_class(not ok, "-failed")


class StepList(Static):
    """The sidebar on wide screens: every step that applies, with done / current / to do."""

    def __init__(self, session: Session, renderer: TextRenderer) -> None:
        super().__init__(self._render_list(session, renderer), id="step-list", classes="wide-only")

    def refresh_list(self, session: Session, renderer: TextRenderer) -> None:
        self.update(self._render_list(session, renderer))

    @staticmethod
    def _render_list(session: Session, renderer: TextRenderer) -> HangingRows:
        grid = HangingRows([])
        grid.add_row(Text(renderer.ui("步骤"), style="bold"), Text())
        steps = session.visible_steps()
        for i, step in enumerate(steps, start=1):
            status = session.step_status(step)
            mark = {"done": DONE, "current": CURRENT}.get(status, TODO)
            style = {"current": "bold reverse", "todo": "dim"}.get(status, "")
            title = flow_text(step.title, renderer, session.value_of)
            title.stylize(style)
            grid.add_row(Text(f"{mark} {i}.", style=style), title)
        for position, name in ((REVIEW, "检查答案"), (CHECKLIST, "操作清单")):
            here = session.position == position
            done = position == REVIEW and session.position == CHECKLIST
            mark = CURRENT if here else DONE if done else TODO
            style = "bold reverse" if here else "" if done else "dim"
            grid.add_row(Text(mark, style=style), Text(renderer.ui(name), style=style))
        return grid


class KeyBar(Static):
    """The bottom line: the keys that work here (Textual's ``Footer``, made lighter).

    One widget instead of one per key, so that a page change styles a few
    nodes less; the descriptions are shown in the reader's script, and a
    click on a key presses it.
    """

    DEFAULT_CLASSES = "key-bar"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._show()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self._show()

    def refresh_keys(self) -> None:
        """Show the keys again (another page, or the descriptions in another script)."""
        self._show()

    def _show(self) -> None:
        renderer = getattr(self.app, "renderer", None)
        convert = renderer.ui if renderer is not None else (lambda s: s)
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        seen: set[str] = set()
        browser = self.app.is_web
        left = Text(no_wrap=True, overflow="ellipsis", end="")
        palette: Text | None = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.action in ("command_palette", "app.command_palette"):
                palette = self._item(key, binding.key_display or key, convert("命令"), key_style, description_style)
                continue
            if not binding.show or binding.action in seen or not shown_key(key, binding.action, browser=browser):
                continue
            seen.add(binding.action)
            display = binding.key_display or self.app.get_key_display(binding)
            if left:
                left.append("  ")
            left.append_text(self._item(key, display, convert(binding.description), key_style, description_style))
        if palette is not None:
            width = self.size.width or self.app.size.width
            gap = max(2, width - left.cell_len - palette.cell_len)
            left.append(" " * gap)
            left.append_text(palette)
        self.update(left)

    @staticmethod
    def _item(key: str, display: str, description: str, key_style: Style, description_style: Style) -> Text:
        item = Text()
        item.append(display, key_style + Style(meta={"key": key}))
        item.append(" " + description, description_style + Style(meta={"key": key}))
        return item

    def on_resize(self) -> None:
        self._show()

    def on_click(self, event: Click) -> None:
        key = event.style.meta.get("key") if event.style else None
        if isinstance(key, str):
            self.app.simulate_key(key)


class NavButton(Static, can_focus=True):
    """上一步 / 下一步 on the step page: a one-line button (Enter, Space or a click presses it).

    Textual's ``Button`` brings 7 kB of default CSS, parsed before the first step can be drawn,
    and is restyled several times while a page is built; these two are on every step.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "press", show=False),
        Binding("space", "press", show=False),
    ]

    DEFAULT_CSS = """
    NavButton {
        width: auto;
        height: 1;
        padding: 0 2;
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    NavButton.-primary {
        background: $primary;
        color: $foreground;
    }
    NavButton:hover {
        background: $primary-lighten-1;
    }
    NavButton:focus {
        text-style: bold reverse;
    }
    """

    class Pressed(Message):
        def __init__(self, button: NavButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> NavButton:
            return self.button

    def __init__(self, *, id: str, primary: bool = False) -> None:
        super().__init__("", id=id, classes="-primary" if primary else "", markup=False)
        self._label = ""

    def set_label(self, label: str) -> None:
        """Change the words (the app's own words only); nothing is redrawn when they are the same."""
        if label != self._label:
            self._label = label
            self.update(Text(label))

    def action_press(self) -> None:
        self.post_message(self.Pressed(self))

    def on_click(self, event: Click) -> None:
        event.stop()
        self.action_press()

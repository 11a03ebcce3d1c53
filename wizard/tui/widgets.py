"""Small widgets shared by the screens: the top bar, the step list, the save indicator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Static

from wizard.session import CHECKLIST, REVIEW, Session
from wizard.tui.text import flow_text

if TYPE_CHECKING:
    from wizard.render import TextRenderer

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

    def compose(self) -> ComposeResult:
        title = flow_text(self._session.flow.title, self._renderer, self._session.value_of, style="bold")
        progress = progress_text(self._session, self._renderer)
        wide = Text.assemble(title, "  ", progress)
        narrow = Text.assemble(progress, "  ", step_marks(self._session))
        yield Static(wide, id="top-wide", classes="wide-only")
        yield Static(narrow, id="top-narrow", classes="narrow-only")
        yield SaveIndicator()


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

    @staticmethod
    def _render_list(session: Session, renderer: TextRenderer) -> Table:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
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


class WizardFooter(Footer):
    """The Footer, compact, with the key descriptions in the reader's script."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        convert = getattr(self.app, "renderer", None)
        for widget in super().compose():
            description = getattr(widget, "description", None)
            if convert is not None and isinstance(description, str) and description:
                widget.description = convert.ui(description)  # type: ignore[attr-defined]
            yield widget

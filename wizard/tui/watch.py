"""Live reload for flow authors: ``wizard run FLOW --watch``.

:class:`FlowWatcher` polls the flow file every :data:`POLL_INTERVAL` seconds
with a timer of the app (no extra dependency): its modification time, size
and a hash of its content. The content decides: a save that keeps the size
and the time stamp is still seen, and a file saved again unchanged (or only
touched) is not reloaded. When the content changes it is loaded again with
the same loader as ``wizard validate``:

- a valid flow replaces the running one; its answers, drafts, ticks and
  position are carried over by the same rule as a resumed session
  (:func:`wizard.flowchange.migrate`), with the same notices;
- a flow with errors is *not* loaded: the wizard keeps the last good flow
  and shows every error with its line and column in :class:`FlowErrorsScreen`,
  which closes by itself once the file is fixed and saved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from wizard.errors import Diagnostic
from wizard.flow import yamlsafe
from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.flowchange import Before, migrate
from wizard.text.safety import clean_text, shown_path, visible
from wizard.tui.screens.base import WizardScreen

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp

POLL_INTERVAL = 0.5  # seconds
MAX_SHOWN = 12  # errors listed at once (the rest are counted)


@dataclass(frozen=True)
class FileState:
    """What identifies one version of the file: modification time, size and content hash."""

    mtime_ns: int
    size: int
    digest: str


def read_state(path: Path) -> tuple[FileState | None, bytes | None, str]:
    """The file's state and bytes, or None and why it cannot be read."""
    try:
        stat = path.stat()
        with path.open("rb") as fh:
            data = fh.read(yamlsafe.MAX_BYTES + 1)
    except FileNotFoundError:
        return None, None, "文件不存在（被移走或删除了？）"
    except OSError as exc:
        return None, None, f"无法读取：{exc.strerror or exc}"
    return FileState(stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest()), data, ""


def describe_problems(path: str, diagnostics: list[Diagnostic], reason: str = "") -> Text:
    """The errors as shown: one ``path:line:col: error: message`` per line, never as markup."""
    out = Text()
    if reason:
        out.append(f"{shown_path(path)}: {visible(reason)}", style="bold")
        return out
    errors = [d for d in diagnostics if d.is_error] or diagnostics
    for d in errors[:MAX_SHOWN]:
        out.append(clean_text(d.format(), multiline=False) + "\n")
    if len(errors) > MAX_SHOWN:
        out.append(f"……还有 {len(errors) - MAX_SHOWN} 个错误（运行 wizard validate 查看全部）\n")
    out.rstrip()
    return out


class FlowErrorsScreen(ModalScreen[None]):
    """The flow file has errors: what and where. Closes by itself when the file is fixed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭（继续使用上一个正确的版本）", key_display="Esc")
    ]

    def __init__(self, problems: Text) -> None:
        super().__init__(id="flow-errors")
        self._problems = problems
        self.fixed = False  # set when the file was fixed while another screen was on top of this one

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -warning"):
            yield Static(Text("流程文件有错误，没有重新加载"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self._problems, id="flow-errors-text")
            yield Static(
                Text("改好并保存文件后，这里会自动关闭并重新加载。按 Esc 关闭，继续使用上一个正确的版本。"),
                classes="dialog-hint",
            )

    def show(self, problems: Text) -> None:
        self._problems = problems
        if self.is_mounted:
            self.query_one("#flow-errors-text", Static).update(problems)

    @property
    def problems(self) -> Text:
        return self._problems

    def on_screen_resume(self) -> None:
        if self.fixed:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class FlowWatcher:
    """Polls one flow file and reloads it into a running :class:`~wizard.tui.app.WizardApp`."""

    def __init__(self, app: WizardApp, path: Path, interval: float = POLL_INTERVAL) -> None:
        self.app = app
        self.path = path
        self.interval = interval
        self.seen: FileState | None = None  # the version last looked at (loaded or refused)
        self.missing = 0  # polls in a row that found no file (saving by rename removes it briefly)
        self.errors: FlowErrorsScreen | None = None
        self.reloads = 0
        self.pending: Flow | None = None  # loaded while a dialog was open: put in place when it closes
        self.timer: Timer | None = None

    def start(self) -> None:
        self.seen, _, _ = read_state(self.path)
        self.timer = self.app.set_interval(self.interval, self.check, name="flow-watcher")

    def check(self) -> None:
        """Look at the file once; reload it, or show its errors, when it changed."""
        if self.pending is not None and isinstance(self.app.screen, WizardScreen):
            self._replace(self.pending)
        state, data, reason = read_state(self.path)
        if state is None or data is None:
            self.missing += 1
            if self.missing >= 2 and self.seen is not None:
                self.seen = None
                self._show_errors(describe_problems(str(self.path), [], reason))
            return
        self.missing = 0
        if self.seen is not None and state.digest == self.seen.digest:
            self.seen = state  # touched or saved unchanged: nothing to reload
            return
        self.seen = state
        flow, diagnostics = parse_flow(data, str(self.path))
        if flow is None:
            self._show_errors(describe_problems(str(self.path), diagnostics))
            return
        self._close_errors()
        self.apply(flow)

    def apply(self, flow: Flow) -> None:
        """Put the new flow in place, keeping the answers and (as near as possible) the position.

        While a dialog (help, export …) is open the page under it is left alone;
        the new flow takes its place at the first look after the dialog closes.
        """
        self.app.flow = flow  # a session started from now on (after the resume question) uses it
        self.reloads += 1
        self.pending = flow
        if isinstance(self.app.screen, WizardScreen):
            self._replace(flow)
        self.app.notify("流程文件已重新加载。", timeout=3, markup=False)

    def _replace(self, flow: Flow) -> None:
        self.pending = None
        old = self.app.session_or_none
        if old is None:
            return
        change = migrate(Before.of(old), flow, old.today)
        self.app.replace_session(change.session)
        self.app.show_notices(change.notices)

    # --- the errors screen ---------------------------------------------------------------

    def _show_errors(self, problems: Text) -> None:
        screen = self.errors
        if screen is not None and screen in self.app.screen_stack:
            screen.fixed = False
            screen.show(problems)
            return
        self.errors = FlowErrorsScreen(problems)
        self.app.push_screen(self.errors, self._closed)

    def _closed(self, _result: None) -> None:
        self.errors = None

    def _close_errors(self) -> None:
        screen = self.errors
        if screen is None or screen not in self.app.screen_stack:
            self.errors = None
            return
        if self.app.screen is screen:
            screen.dismiss(None)
        else:
            screen.fixed = True  # something was opened on top of it: it closes when it comes back
        self.errors = None

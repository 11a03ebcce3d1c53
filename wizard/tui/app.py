"""The Textual app: positions, saving, scripts, links, the command palette, and :func:`run_app`.

The app owns the :class:`~wizard.session.Session` and shows one page at a
time (a step, the review, the checklist); pages are rebuilt from the session
whenever the position or the script changes, so nothing is kept only in a
widget. What the user types is written into the session as they type
(``session.drafts`` for the raw text, ``session.answers`` when valid) and
saved through :mod:`wizard.tui.saving`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from wizard import shutdown
from wizard.errors import WizardError
from wizard.flow.model import Flow
from wizard.session import CHECKLIST, REVIEW, Session
from wizard.text.render import PLAIN, TextRenderer
from wizard.text.safety import shown_path
from wizard.text.script import SCRIPTS, renderer_for
from wizard.tui import saving
from wizard.tui.commands import StepCommands
from wizard.tui.keys import GLOBAL, bindings
from wizard.tui.screens.base import WizardScreen
from wizard.tui.screens.step import StepScreen
from wizard.tui.text import plain

SCRIPT_NAMES = {
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "zh-TW": "台灣正體",
    "zh-HK": "香港繁體",
}
WIDE = 100  # columns from which the step list is a sidebar
SAVE_DELAY = 0.5  # seconds between a change and its save (at most)
GC_PAUSE = 1.0  # seconds after start-up before the cyclic garbage collector runs again (see run_app)

StoreArg = saving.StoreLike | None | Literal["auto"]


class SaveWritten(Message):
    """A save written on the saver's thread (see :meth:`WizardApp.save_soon`)."""

    def __init__(self, number: int, status: saving.SaveStatus) -> None:
        super().__init__()
        self.number = number
        self.status = status


class WizardApp(App[int]):
    """The wizard on one flow."""

    CSS_PATH = "wizard.tcss"
    TITLE = "12315 投诉向导"
    BINDINGS = bindings(GLOBAL)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012 - Textual declares it so
    COMMANDS = App.COMMANDS | {StepCommands}
    COMMAND_PALETTE_DISPLAY = "Ctrl+P"
    ENABLE_COMMAND_PALETTE = True
    NOTIFICATION_TIMEOUT = 5

    save_status: reactive[tuple[str, bool]] = reactive(("", True))

    def __init__(
        self,
        flow: Flow,
        path: Path | None = None,
        *,
        script: str = "zh-Hans",
        resume: str = "ask",
        watch: bool = False,
        today: date | None = None,
        store: StoreArg = "auto",
        clock: Callable[[], datetime] = datetime.now,
        show_save_time: bool = True,
        cwd: Path | None = None,
    ) -> None:
        super().__init__()
        self.flow = flow
        self.flow_path = path
        self.script = script if script in SCRIPTS else "zh-Hans"
        self.resume_mode = resume
        self.watch_flow = watch
        self.today = today or date.today()
        self.clock = clock
        self.show_save_time = show_save_time
        self.cwd = cwd
        self._store_arg = store
        self.store: saving.StoreLike | None = None
        self.session_id: str | None = None
        self.renderer: TextRenderer = PLAIN
        self._session: Session | None = None
        self._save_timer: Timer | None = None
        self._saver = saving.BackgroundSaver()
        self._save_number = 0  # saves started; a status older than the one shown is not shown
        self._status_number = 0
        self.watcher: Any = None
        self.page_is_stale = False  # rebuild the page when the dialog on top of it closes
        self.exported_to: Path | None = None
        self.exit_code = 0

    # --- session ----------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("no session yet")
        return self._session

    @property
    def session_or_none(self) -> Session | None:
        return self._session

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self._store_arg == "auto":
            self.store, problem = saving.open_store()
            if problem:
                self.notify(problem, severity="warning", timeout=10, markup=False)
        else:
            self.store = self._store_arg
        saved = self._startup_store()
        if saved is not None and self.resume_mode != "fresh":
            if self.resume_mode == "resume":
                self._restore(saved)
            else:
                self._ask_resume(saved)
        else:
            self._start_fresh()
        if self.watch_flow:
            self._start_watching()

    def _startup_store(self) -> Any:
        store = self.store
        if store is None:
            return None
        try:
            for notice in store.startup():
                self.notify(str(notice), timeout=10, markup=False)
            if self.resume_mode == "fresh":
                return None  # not offered: no second reading of every saved file (startup() read them all)
            return store.latest_for(self.flow.id)
        except Exception as exc:
            self.notify(f"读取保存的进度时出错，本次从头开始：{exc}", severity="warning", timeout=10, markup=False)
            return None

    def _ask_resume(self, saved: Any) -> None:
        if self.script != "zh-Hans":
            # The question comes before the first page: a Traditional reader gets it in their
            # script (the converter is needed for the first page anyway). If OpenCC fails here,
            # the question stays in Simplified and the page load reports the failure.
            try:
                self.renderer = renderer_for(self.script)
            except WizardError:
                self.renderer = PLAIN
        ui = self.renderer.ui
        body = Text(ui("发现上次未完成的填写"))
        step = self.flow.step(str(getattr(saved, "position", "") or ""))
        if step is not None:
            where = self.renderer.text(step.title)
        else:
            where = ui(str(getattr(saved, "position_label", None) or getattr(saved, "position_title", "")))
        updated = getattr(saved, "updated", None)
        details = []
        if where:
            details.append(ui("停在：") + where)
        if isinstance(updated, datetime):
            details.append(ui("最后修改：") + f"{updated:%Y-%m-%d %H:%M}")
        if details:
            body.append("（")
            body.append_text(plain("，".join(details), multiline=False))
            body.append("）")
        body.append(ui("。\n\n继续上次的填写，还是重新开始？重新开始不会删除上次保存的内容。"))

        def answered(choice: str | None) -> None:
            if choice == "resume":
                self._restore(saved)
            else:
                self._start_fresh()

        from wizard.tui.screens.dialogs import ChoiceDialog

        self.push_screen(
            ChoiceDialog("继续上次的填写？", body, [("resume", "继续上次的填写"), ("fresh", "重新开始")], cancel=False),
            answered,
        )

    def _restore(self, saved: Any) -> None:
        store = self.store
        assert store is not None
        refused = store.claim(str(getattr(saved, "session_id", "")))
        if refused is not None:  # open in another wizard: leave its file alone, start a new one
            self.notify(str(refused), severity="warning", timeout=12, markup=False)
            self._start_fresh()
            return
        try:
            session, notes = store.restore(saved, self.flow, self.today)
        except Exception as exc:
            self.notify(f"无法恢复上次的填写，本次从头开始：{exc}", severity="warning", timeout=10, markup=False)
            self._start_fresh()
            return
        self.session_id = str(getattr(saved, "session_id", "")) or None
        self.show_notices(notes)
        self._begin(session)

    def show_notices(self, notices: Iterable[str]) -> None:
        """What changed with a resumed session or a reloaded flow, one notification each."""
        for note in notices:
            self.notify(note, title="提示", timeout=12, markup=False)

    def _start_fresh(self) -> None:
        if self.store is not None:
            try:
                self.session_id = self.store.new_session_id()
            except Exception as exc:
                self.notify(f"无法使用保存功能：{exc}", severity="warning", timeout=10, markup=False)
                self.store = None
        self._begin(Session(self.flow, today=self.today, script=self.script))

    def _begin(self, session: Session) -> None:
        self._session = session
        if session.script not in SCRIPTS:
            session.script = self.script
        if session.script == "zh-Hans":
            self.go(session.position)
        else:
            # the first page is shown once its script is ready (~0.1 s), so that it does not
            # appear in Simplified first and change under the reader's eyes
            self._load_renderer(session.script, announce=False)

    # --- moving -----------------------------------------------------------------------------

    def go(
        self,
        position: str,
        *,
        focus_field: str | None = None,
        changing: bool = False,
        show_errors: bool = False,
    ) -> None:
        """Show a position (a step id, REVIEW or CHECKLIST), rebuilt from the session.

        From one step to another (or the same step in another script, or from a reloaded flow),
        the step screen stays and only its content is rebuilt.
        """
        session = self.session
        session.go(position)
        screen: Screen[None]
        step = session.flow.step(session.position)
        if session.position == REVIEW:
            from wizard.tui.screens.review import ReviewScreen  # imported when first shown: a faster start

            screen = ReviewScreen()
        elif session.position == CHECKLIST:
            from wizard.tui.screens.checklist import ChecklistScreen

            screen = ChecklistScreen()
        elif step is not None:
            current = self.screen
            if isinstance(current, StepScreen):
                # another step on the step screen already shown: only its content pane is rebuilt
                current.show_step(step, focus_field=focus_field, changing=changing, show_errors=show_errors)
                self.save_soon()
                return
            screen = StepScreen(step, focus_field=focus_field, changing=changing, show_errors=show_errors)
        else:  # pragma: no cover - Session.go keeps positions valid
            return
        # the breakpoint class now, not after the first resize: one styling pass less per page
        screen.add_class("-wide" if self.size.width >= WIDE else "-narrow", update=False)
        if isinstance(self.screen, WizardScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.save_soon()

    def jump_to(self, position: str) -> None:
        """Jump from the palette or the step list; what is on screen is already in the session."""
        if self._session is None:
            return
        if position == CHECKLIST:
            position = REVIEW
        self.go(position)

    def rerender(self) -> None:
        """Rebuild the current page (script switched, flow reloaded), keeping the focused field.

        With a dialog open on top of the page, the page is rebuilt when the dialog closes.
        """
        screen = self.screen
        if not isinstance(screen, WizardScreen) and any(isinstance(s, WizardScreen) for s in self.screen_stack):
            self.page_is_stale = True
            return
        self.page_is_stale = False
        focus = screen.focused_field() if isinstance(screen, WizardScreen) else None
        changing = isinstance(screen, StepScreen) and screen.changing
        self.go(self.session.position, focus_field=focus, changing=changing)

    def action_jump(self) -> None:
        if self._session is None:
            return
        session = self.session
        items: list[tuple[str, Text]] = []
        for i, step in enumerate(session.visible_steps(), start=1):
            status = session.step_status(step)
            mark = {"done": "✓", "current": "▸"}.get(status, "◦")
            label = Text(f"{mark} {i}. ")
            label.append_text(plain(self.renderer.text(step.title, session.value_of), multiline=False))
            items.append((step.id, label))
        items.append((REVIEW, Text(self.renderer.ui("◦ 检查答案"))))

        from wizard.tui.screens.dialogs import PickerDialog

        def picked(position: str | None) -> None:
            if position is not None:
                self.jump_to(position)

        self.push_screen(PickerDialog(self.renderer.ui("跳到哪一步？"), items, session.position), picked)

    # --- saving -----------------------------------------------------------------------------

    def request_save(self) -> None:
        """Save soon (within SAVE_DELAY seconds); repeated calls share one save."""
        if self.store is None or self.session_id is None:
            return
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._timer_save)

    def _timer_save(self) -> None:
        self._save_timer = None
        self.save_soon()

    def _cancel_save_timer(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def save_soon(self) -> None:
        """Save now without waiting for the disk: encoded here, written on the saver's thread.

        A slow disk (a busy machine, a USB stick, a network home folder) can take a second to
        ``fsync``; the interface goes on meanwhile, and the 「已保存」 label changes when it is done.
        """
        self._cancel_save_timer()
        if self.store is None or self.session_id is None or self._session is None:
            return
        job = saving.prepare(self.store, self._session, self.session_id)
        self._save_number += 1
        number = self._save_number
        if not callable(job):  # saved already, or could not be encoded
            self._show_save(number, job)
            return
        self._saver.submit(lambda: self.post_message(SaveWritten(number, job())))  # post_message is thread-safe

    def on_save_written(self, message: SaveWritten) -> None:
        self._show_save(message.number, message.status)

    def save_now(self) -> None:
        """Save and wait for the disk (quitting, a stop, a test): the answers are on disk when it returns."""
        self._cancel_save_timer()
        if self.store is None or self.session_id is None or self._session is None:
            return
        self._saver.drop_and_wait()
        self._save_number += 1
        self._show_save(self._save_number, saving.save(self.store, self._session, self.session_id))

    def _show_save(self, number: int, status: saving.SaveStatus) -> None:
        if number < self._status_number:
            return  # a newer save has been shown already
        self._status_number = number
        if status.ok:
            shown = "已保存"
            if self.show_save_time and status.when is not None:
                shown += f" {status.when:%H:%M}"
            self.save_status = (self.renderer.ui(shown), True)
        else:
            message = status.message or "保存失败"
            self.save_status = (self.renderer.ui("⚠ 未能保存"), False)
            self.notify(message, severity="warning", timeout=8, markup=False)

    async def action_quit(self) -> None:
        self.save_now()
        if not self.save_status[1]:
            self._confirm_quit_unsaved()
            return
        self._release_session()
        self.exit(self.exit_code, return_code=self.exit_code)

    def _release_session(self) -> None:
        """Let another wizard open this session once this one has saved and is leaving."""
        if self.store is not None and self.session_id is not None:
            self.store.release(self.session_id)

    def _confirm_quit_unsaved(self) -> None:
        """The save just failed (disk full, read-only folder): leaving now would lose the latest answers."""
        from wizard.tui.screens.dialogs import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return
        body = Text(
            "最近填写的内容没能保存（磁盘已满或没有写入权限，见提示）。现在退出，这些内容会丢失。\n\n"
            "可以先腾出磁盘空间或检查文件夹，再按 Ctrl+Q 退出（会再试一次保存）；也可以先导出清单。"
        )

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit(self.exit_code, return_code=self.exit_code)

        self.push_screen(ConfirmDialog("没有保存，仍然退出？", body, yes="仍然退出", no="留下", danger=True), answered)

    def action_finish_and_erase(self) -> None:
        """「完成并删除记录」: delete the saved session (after the user has exported or confirmed)."""
        if self.store is None or self.session_id is None:
            self.notify(self.renderer.ui("没有保存的记录需要删除。"), markup=False)
            return
        exported = self.exported_to is not None
        body = Text(
            self.renderer.ui(
                "将删除这台电脑上保存的填写记录，删除后无法恢复。"
                + ("清单已经导出。" if exported else "您还没有导出清单：删除前可以先按 E 导出。")
            )
        )

        def answered(erase: bool | None) -> None:
            if not erase or self.store is None or self.session_id is None:
                return
            self._cancel_save_timer()
            self._saver.drop_and_wait()  # a save still being written would bring the file back
            erased = saving.erase(self.store, self.session_id)
            if erased:
                self.session_id = None  # nothing is saved any more from now on
                self.save_status = (self.renderer.ui("记录已删除"), True)
                self.notify(
                    self.renderer.ui("已删除保存的填写记录。现在可以按 Ctrl+Q 退出。"), timeout=10, markup=False
                )
            else:
                self.notify(self.renderer.ui("没能删除保存的记录，请稍后再试。"), severity="warning", markup=False)

        from wizard.tui.screens.dialogs import ConfirmDialog

        dialog = ConfirmDialog(
            self.renderer.ui("完成并删除记录？"),
            body,
            yes=self.renderer.ui("删除记录"),
            no=self.renderer.ui("取消"),
            danger=True,
        )
        self.push_screen(dialog, answered)

    def action_help_quit(self) -> None:
        """Ctrl+C (reflex to quit; it copies in text boxes): say how to quit, in Chinese."""
        self.notify(self.renderer.ui("要退出吗？请按 Ctrl+Q：会先保存，下次可以接着填。"), markup=False)

    def on_signal(self, signum: int) -> None:
        """SIGTERM / SIGHUP: save what there is and leave."""
        self.save_now()
        self.exit(128 + signum, return_code=128 + signum)

    def flush_for_exit(self) -> None:
        """Write what was typed, synchronously, from a signal handler (see :mod:`wizard.shutdown`).

        It interrupts the main thread anywhere, the event loop included: it starts no timer and
        posts nothing; a save still being written on the saver's thread is waited for (briefly,
        so that an older save cannot land after this one), then the session is written here.
        """
        if self.store is None or self.session_id is None or self._session is None:
            return
        self._saver.drop_and_wait(timeout=0.5)
        saving.save(self.store, self._session, self.session_id)

    def leave_for_signal(self, code: int) -> None:
        """Ask the event loop to end the app with ``code`` (from a signal handler: thread-safe call)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the app is not running")
        loop.call_soon_threadsafe(self._exit_for_signal, code)

    def _exit_for_signal(self, code: int) -> None:
        self.exit(code, return_code=code)

    # --- scripts, theme, help -------------------------------------------------------------

    def action_switch_script(self) -> None:
        current = self._session.script if self._session else self.script
        items = [(s, Text(f"{SCRIPT_NAMES[s]}（{s}）")) for s in SCRIPTS]

        from wizard.tui.screens.dialogs import PickerDialog

        def picked(script: str | None) -> None:
            if script is not None:
                self.set_script(script)

        self.push_screen(PickerDialog("选择文字 / 選擇文字", items, current), picked)

    def set_script(self, script: str) -> None:
        if script not in SCRIPTS:
            return
        self._load_renderer(script)

    @work(thread=True, exclusive=True, group="script", exit_on_error=False)
    def _load_renderer(self, script: str, announce: bool = True) -> None:
        try:
            renderer = renderer_for(script)
        except Exception as exc:  # OpenCC missing or broken: keep reading in Simplified, and say so
            self.call_from_thread(self._renderer_failed, script, str(exc))
            return
        self.call_from_thread(self._apply_renderer, script, renderer, announce)

    def _renderer_failed(self, script: str, reason: str) -> None:
        self.notify(f"无法切换到{SCRIPT_NAMES[script]}，继续使用简体：{reason}", severity="warning", markup=False)
        if self._session is not None and not any(isinstance(s, WizardScreen) for s in self.screen_stack):
            self._session.script = "zh-Hans"
            self.go(self._session.position)

    def _apply_renderer(self, script: str, renderer: TextRenderer, announce: bool = True) -> None:
        self.renderer = renderer
        self.script = script
        self.title = renderer.ui(self.TITLE)
        if self._session is not None:
            self._session.script = script
            screen = self.screen
            if isinstance(screen, StepScreen) and screen.step.id == self._session.position:
                screen.retext()  # the same page in the new script: nothing rebuilt, the focus stays
            else:
                self.rerender()
        if announce:
            self.notify(renderer.ui(f"文字：{SCRIPT_NAMES[script]}"), markup=False, timeout=3)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder="搜索命令：跳到步骤、导出清单、切换文字…", id="--command-palette")
            )

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_help(self) -> None:
        from wizard.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.renderer))

    def action_export_checklist(self) -> None:
        if self._session is None:
            return
        from wizard import checklist as checklist_model

        checklist = checklist_model.build(self.session, self.renderer)

        def done(path: Path | None) -> None:
            if path is None:
                return
            self.exported_to = path
            self.notify(f"清单已导出到：{shown_path(path)}", timeout=12, markup=False)
            from wizard.tui.screens.checklist import ChecklistScreen

            if isinstance(self.screen, ChecklistScreen):
                self.screen.exported(path)

        session = self.session
        from wizard.tui.screens.export import ExportDialog

        dialog = ExportDialog(
            checklist,
            self.clock(),
            self.cwd,
            ticked=sorted(session.ticked),
            script=session.script,
            renderer=self.renderer,
        )
        self.push_screen(dialog, done)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Our commands; Textual's "Screenshot" (it writes personal data to disk) is left out."""
        yield SystemCommand("跳到步骤…", "选择一个步骤并跳过去", self.action_jump)
        yield SystemCommand("导出清单", "把清单保存为 Markdown、纯文本或日历（.ics）文件", self.action_export_checklist)
        for script in SCRIPTS:
            yield SystemCommand(
                f"切换文字：{SCRIPT_NAMES[script]}",
                f"界面和说明改用{SCRIPT_NAMES[script]}（您填写的内容不变）",
                lambda s=script: self.set_script(s),
            )
        yield SystemCommand("切换浅色 / 深色", "切换界面的深浅色主题", self.action_toggle_theme)
        yield SystemCommand("选择配色主题", "从 Textual 的主题中选择", self.action_change_theme)
        if self.store is not None and self.session_id is not None:
            yield SystemCommand("完成并删除记录", "删除这台电脑上保存的填写记录", self.action_finish_and_erase)
        yield SystemCommand("帮助：按键说明", "显示全部按键", self.action_help)
        yield SystemCommand("保存并退出", "保存填写的内容并退出（下次可以接着填）", self.action_quit)

    # --- flow authors: --watch ----------------------------------------------------------------

    def _start_watching(self) -> None:
        """Reload the flow when its file changes (see :mod:`wizard.tui.watch`)."""
        if self.flow_path is None:
            return
        from wizard.tui.watch import FlowWatcher  # imported only with --watch: a faster start without it

        self.watcher = FlowWatcher(self, self.flow_path)
        self.watcher.start()

    def replace_session(self, session: Session) -> None:
        """Put another session in place (a reloaded flow) and show its position."""
        self._session = session
        self.rerender()


class _SignalAwareApp(WizardApp):
    """The app as ``wizard run`` opens it: on a real terminal, with signals handled."""

    def get_driver_class(self) -> Any:
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:  # not the browser's (wizard serve) nor another one asked for
            from wizard.tui.driver import HangupSafeDriver

            return HangupSafeDriver
        return driver

    def on_mount(self) -> None:  # Textual also calls WizardApp.on_mount (handlers run along the MRO)
        # `wizard run` starts with the cyclic garbage collector off (it would run several times during
        # the first paint); it is on again once the first page has long been shown.
        self.set_timer(GC_PAUSE, gc.enable)


def run_app(flow: Flow, path: Path, *, script: str, resume: str, watch: bool) -> int:
    """Run the wizard full screen; return the exit code. Never prints a traceback for a bad terminal."""
    app = _SignalAwareApp(flow, path, script=script, resume=resume, watch=watch)
    # SIGHUP (the terminal closed) and SIGTERM: save, give the terminal back if it is still there,
    # and be gone within 2 s whatever Textual is doing (wizard.shutdown)
    shutdown.install()
    shutdown.on_signal(app.flush_for_exit, app.leave_for_signal)
    try:
        code = app.run()
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"无法在这个终端中打开全屏界面：{exc}\n可以改用逐行提问模式：wizard run --plain", file=sys.stderr)
        return 1
    finally:
        shutdown.on_signal(None)
    if app.return_code:
        return app.return_code
    return int(code) if code is not None else 0

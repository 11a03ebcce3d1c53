"""One step of the flow: title, body, tips and warnings, fields, Next and Back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import QueryType
from textual.widget import Widget
from textual.widgets import Input, Static

from wizard.answers.fields import MUST_CONFIRM, REQUIRED, RawAnswer, validate
from wizard.flow.conditions import Answer
from wizard.flow.model import Check, Note, Step, condition_fields
from wizard.session import REVIEW
from wizard.text.safety import check_url
from wizard.tui.body import render_body
from wizard.tui.editors import FieldContext, FieldEditor, initial_raw
from wizard.tui.keys import STEP, bindings, display_of
from wizard.tui.links import follow_link
from wizard.tui.screens.base import WizardScreen
from wizard.tui.text import HangingRows, flow_text, hanging, plain
from wizard.tui.widgets import KeyBar, NavButton, StepList, TopBar


class PageScroll(VerticalScroll):
    """The scrolling page of a step; when it has the focus, the Footer says how to start filling in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "start_filling", "开始填写", key_display="Tab"),
    ]

    def __init__(self, *children: Widget, has_fields: bool, id: str) -> None:
        super().__init__(*children, id=id)
        self.has_fields = has_fields

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_filling":
            return self.has_fields and self.screen.focused is self
        return True

    def action_start_filling(self) -> None:
        self.screen.focus_next()

    def on_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()


class StepScreen(WizardScreen):
    """A step. Reach it by moving with Next/Back, the step list (Ctrl+G) or a review's 修改."""

    BINDINGS = bindings(STEP)

    def __init__(
        self,
        step: Step,
        *,
        focus_field: str | None = None,
        changing: bool = False,
        show_errors: bool = False,
    ) -> None:
        super().__init__(classes="page step-page")
        self.step = step
        self.changing = changing
        self._focus_field: str | None = None
        self._show_errors = False
        self._editors: list[FieldEditor] = []
        self._notes: list[tuple[Note, Static]] = []
        self._parts: list[Widget] = []  # this step's notes and field editors, in the content pane
        self._body_links: list[str] = []  # links written in the body, in order (their click actions hold the index)
        self._acknowledged: tuple[tuple[str, str], ...] | None = None
        self._watched: set[str] = set()
        self.page_ready = False  # the content pane of ``step`` is mounted
        self.pages_shown = 0  # how many steps this screen has shown (for a caller waiting for the next one)
        self._set_step(step, focus_field=focus_field, changing=changing, show_errors=show_errors)

    # --- building ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(self.session, self.renderer)
        with Horizontal(id="main"):
            yield StepList(self.session, self.renderer)
            yield PageScroll(*self._page_skeleton(), has_fields=bool(self.step.fields), id="content")
        yield KeyBar()

    def _page_skeleton(self) -> list[Widget]:
        """The content pane: what every step has (kept from one step to the next, updated in place)
        and, between them, this step's notes and fields (rebuilt for each step; not in a box of their
        own, so that their margins collapse with their neighbours' as before)."""
        self._title = Static("", classes="step-title")
        self._hint = Static("", classes="hint")
        self._body = Static("", classes="step-body")
        self._link = Static("", classes="step-link")
        self._nav_back = NavButton(id="back")
        self._nav_next = NavButton(id="next", primary=True)
        self._fill_fixed()
        return [
            self._title,
            self._hint,
            self._body,
            self._link,
            *self._page_parts(),
            Static("", id="stop-box"),
            Horizontal(self._nav_back, self._nav_next, classes="nav"),
        ]

    def _fill_fixed(self) -> None:
        """The title, the hint, the body, the link line and the buttons, for ``self.step``."""
        renderer, step = self.renderer, self.step
        self._title.update(flow_text(step.title, renderer, self.value_of))
        self._hint.display = self.changing
        if self.changing:
            key = display_of("next", STEP, browser=self.app.is_web)
            self._hint.update(Text(self.t(f"修改完成后按 {key} 回到“检查答案”。")))
        self._body_links = []
        self._body.display = step.body is not None and bool(step.body)
        if step.body:
            body = render_body(step.body, renderer, self.value_of)
            self._body_links = body.links
            self._body.update(body.renderable)
        self._link.display = bool(step.link)
        if step.link:
            self._link.update(self._link_line(step.link))
        self._nav_back.set_label(self.t("上一步"))
        self._nav_next.set_label(self.t("下一步"))

    def _page_parts(self) -> list[Widget]:
        """This step's notes and field editors; fills ``_editors`` and ``_notes``."""
        session, renderer, step = self.session, self.renderer, self.step
        self._editors = []
        self._notes = []
        out: list[Widget] = []
        self._parts = out
        for note in step.tips:
            widget = Static(self._note_text("提示", note), classes="note tip")
            self._notes.append((note, widget))
            out.append(widget)
        for note in step.warnings:
            widget = Static(self._note_text("注意", note), classes="note warning")
            self._notes.append((note, widget))
            out.append(widget)
        for f in step.fields:
            ctx = FieldContext(
                field=f,
                renderer=renderer,
                initial=initial_raw(f, session.answers.get(f.id), session.drafts.get(f.id)),
                options=tuple(session.visible_options(f)),
                values=self.value_of,
            )
            editor = FieldEditor(ctx, self._editor_changed)
            self._editors.append(editor)
            out.append(editor)
        self._refresh_visibility()  # decided before mounting: no second layout once they are on screen
        return out

    def show_step(
        self,
        step: Step,
        *,
        focus_field: str | None = None,
        changing: bool = False,
        show_errors: bool = False,
    ) -> None:
        """Show another step on this screen: only the content pane is rebuilt (the bars are updated).

        Much cheaper than a new screen (the top bar, the step list and the key bar are neither
        composed nor styled again). Until the new content is mounted, moving is ignored.
        """
        self._set_step(step, focus_field=focus_field, changing=changing, show_errors=show_errors)
        self.page_ready = False
        self.call_later(self._swap_page)

    def retext(self) -> None:
        """The same page in the reader's new script: texts replaced in place, nothing rebuilt.

        What is typed, ticked and focused stays; the layout follows the new texts. (A step change
        or a reloaded flow rebuilds the page instead: see :meth:`show_step`.)
        """
        self._fill_fixed()
        for note, widget in self._notes:
            widget.update(self._note_text("提示" if widget.has_class("tip") else "注意", note))
        renderer = self.renderer
        for editor in self._editors:
            editor.retext(renderer)
        if self._stop_shown:
            blocking = self.session.blocking_checks(self.step.id)
            if blocking:
                self._show_stop(blocking, notify=False)
        self.query_one(TopBar).refresh_text(self.session, renderer)
        self.query_one(StepList).refresh_list(self.session, renderer)
        self.refresh_bindings()
        self.query_one(KeyBar).refresh_keys()
        self.pages_shown += 1

    async def _swap_page(self) -> None:
        content = self.query_one("#content", PageScroll)
        stop = self.query_one("#stop-box", Static)
        old = self._parts
        content.has_fields = bool(self.step.fields)
        async with content.batch():
            self._fill_fixed()
            stop.update("")
            stop.remove_class("-shown")
            await content.remove_children(old)
            await content.mount_all(self._page_parts(), before=stop)
        content.scroll_home(animate=False, immediate=True)
        self.query_one(TopBar).refresh_text(self.session, self.renderer)
        self.query_one(StepList).refresh_list(self.session, self.renderer)
        self._page_mounted()
        self.refresh_bindings()
        self.query_one(KeyBar).refresh_keys()

    def _set_step(self, step: Step, *, focus_field: str | None, changing: bool, show_errors: bool) -> None:
        self.step = step
        self._focus_field = focus_field
        self._show_errors = show_errors
        self.changing = changing  # came from the review's 修改: Next returns to the review
        self._editors = []
        self._notes = []
        self._acknowledged = None
        self._layout_stale = False  # a field was shown or hidden since the last layout
        self._stop_shown = False  # the stop box (a blocking check) is shown
        # the answers this step's conditions read: only a change to one of them can show or hide something
        conditions = [f.when for f in step.fields] + [o.when for f in step.fields for o in f.options]
        conditions += [n.when for n in (*step.tips, *step.warnings)]
        self._watched = {name for cond in conditions for name in condition_fields(cond)}

    def _link_line(self, url: str) -> Text:
        verdict = check_url(url)
        out = Text(self.t("相关网页："))
        out.append_text(plain(verdict.host or url, "bold", multiline=False))
        out.append(self.t(f"（按 {display_of('open_link', STEP)} 打开）"))
        return out

    def _note_text(self, kind: str, note: Note) -> HangingRows:
        mark = self.t(kind) + "：" if kind == "提示" else "⚠ " + self.t(kind) + "："
        return hanging(mark, flow_text(note.text, self.renderer, self.value_of), style="bold")

    def on_mount(self) -> None:
        self._page_mounted()

    def _page_mounted(self) -> None:
        self._refresh_visibility()
        if self._show_errors:
            result = self.session.validate_step(self.step, {e.field.id: e.raw() for e in self._editors})
            for editor in self._editors:
                editor.set_messages(result.errors.get(editor.field.id), result.warnings.get(editor.field.id))
        if self._focus_field is None:
            # The page opens at the top with the focus on the page itself, so that the title and
            # the explanation are read first (a screen reader starts there too); Tab goes to the
            # first field, as the Footer says. Done now, not after a refresh, so that a quick Tab
            # is never undone.
            self.query_one("#content", PageScroll).focus(scroll_visible=False)
        else:
            self.call_after_refresh(self._focus_wanted)
        self.page_ready = True
        self.pages_shown += 1

    def _focus_wanted(self) -> None:
        """The field asked for (a review's 修改, an error), once the page is laid out."""
        wanted = next((e for e in self._visible_editors() if e.field.id == self._focus_field), None)
        if wanted is not None:
            wanted.focus_control()

    def focused_field(self) -> str | None:
        focused = self.focused
        for editor in self._editors:
            if focused is not None and (focused is editor.control_widget or editor in focused.ancestors):
                return editor.field.id
        return None

    # --- live changes -----------------------------------------------------------------------

    # --- Tab order while fields appear or disappear --------------------------------------------

    def _mark_layout_stale(self) -> None:
        """A field was just shown or hidden: until the next layout, Textual's focus order (sorted by
        where widgets were last drawn) does not know it. A Tab in that moment (Space then Tab,
        typed quickly) would skip a field that has just appeared; Tab follows the fields instead."""
        if not self._layout_stale:
            self._layout_stale = True
            self.call_after_refresh(self._layout_caught_up)

    def _layout_caught_up(self) -> None:
        self._layout_stale = False

    def _step_focus(self, direction: int) -> Widget | None:
        """The focus moved one field along ``direction`` among the fields shown, if it is in one."""
        current = self.focused_field()
        editors = self._visible_editors()
        ids = [e.field.id for e in editors]
        if current not in ids:
            return None
        index = ids.index(current) + direction
        if not 0 <= index < len(editors):
            return None
        editors[index].focus_control()
        return editors[index].control_widget

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        if self._layout_stale and selector == "*":
            moved = self._step_focus(+1)
            if moved is not None:
                return moved
        return super().focus_next(selector)

    def focus_previous(self, selector: str | type[QueryType] = "*") -> Widget | None:
        if self._layout_stale and selector == "*":
            moved = self._step_focus(-1)
            if moved is not None:
                return moved
        return super().focus_previous(selector)

    def _visible_editors(self) -> list[FieldEditor]:
        return [e for e in self._editors if e.display]

    def _pending(self) -> dict[str, Answer | None]:
        today = self.session.today
        return {e.field.id: validate(e.field, e.raw(), today).value for e in self._editors}

    def _refresh_visibility(self) -> None:
        session = self.session
        pending = self._pending()
        shown = {f.id for f in session.visible_fields(self.step, pending)}
        for editor in self._editors:
            if editor.display != (editor.field.id in shown):
                editor.display = editor.field.id in shown
                if editor.is_mounted:
                    self._mark_layout_stale()
        applying = {id(note) for _, note in session.notes(self.step, pending)}
        for note, widget in self._notes:
            if widget.display != (id(note) in applying):
                widget.display = not widget.display

    def _editor_changed(self, editor: FieldEditor) -> None:
        raw = editor.last_raw  # read by the editor for this change
        self._record(editor, raw)
        if editor.error or editor.warning:
            verdict = validate(editor.field, raw, self.session.today)
            if verdict.error is None:
                editor.set_messages(None, verdict.warning if editor.warning else None)
        if editor.field.id in self._watched:
            self._refresh_visibility()
        if self._stop_shown:
            self._stop_shown = False
            self.query_one("#stop-box", Static).remove_class("-shown")

    def _record(self, editor: FieldEditor, raw: RawAnswer) -> None:
        """Keep what was typed (as a draft) and the value when it is valid, then ask for a save."""
        session = self.session
        f = editor.field
        if editor.is_typed:
            session.drafts[f.id] = raw if isinstance(raw, str) else ""
        verdict = validate(f, raw, session.today)
        if verdict.error is None or verdict.error in (REQUIRED, MUST_CONFIRM):
            session.set_answer(f.id, verdict.value)
        self.wizard.request_save()

    @on(Input.Submitted)
    def _enter_in_input(self, event: Input.Submitted) -> None:
        event.stop()
        editors = self._visible_editors()
        for i, editor in enumerate(editors):
            if editor.control_widget is event.input:
                if i + 1 < len(editors):
                    editors[i + 1].focus_control()
                else:
                    self.action_next()
                return

    def action_open_body_link(self, index: object) -> None:
        """A link of the body clicked (its click action holds only its number)."""
        if isinstance(index, int) and 0 <= index < len(self._body_links):
            follow_link(self.wizard, self._body_links[index])

    # --- moving ----------------------------------------------------------------------------

    @on(NavButton.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(NavButton.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_next(self) -> None:
        if not self.page_ready:
            return  # the next page is being built: this press was meant for the page before
        session = self.session
        raw = {e.field.id: e.raw() for e in self._editors}
        result = session.validate_step(self.step, raw)
        for editor in self._editors:
            fid = editor.field.id
            editor.set_messages(result.errors.get(fid), result.warnings.get(fid))
        if result.errors:
            first = next(e for e in self._editors if e.field.id in result.errors)
            first.focus_control()
            count = len(result.errors)
            self.notify(self.t(f"有 {count} 项需要修改，请看标 ✗ 的说明。"), severity="error", markup=False)
            return
        snapshot = tuple(sorted((k, repr(v)) for k, v in raw.items()))
        if result.warnings and self._acknowledged != snapshot:
            self._acknowledged = snapshot
            first = next(e for e in self._editors if e.field.id in result.warnings)
            first.focus_control()
            key = display_of("next", STEP, browser=self.app.is_web)
            self.notify(
                self.t(f"请核对标 ⚠ 的内容。确认无误的话，再按一次 {key}（下一步）继续。"),
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        session.commit_step(result)
        blocking = session.blocking_checks(self.step.id)
        if blocking:
            self._show_stop(blocking)
            self.wizard.save_now()
            return
        for check in session.warnings_after(self.step.id):
            message = flow_text(check.message, self.renderer, self.value_of).plain
            self.notify(message, title=self.t("请注意"), severity="warning", timeout=10, markup=False)
        target = session.next_after(self.step.id, changing=self.changing)
        self.wizard.go(target, changing=self.changing and target != REVIEW, show_errors=self.changing)

    def _show_stop(self, checks: list[Check], *, notify: bool = True) -> None:
        box = self.query_one("#stop-box", Static)
        text = Text(self.t("⛔ 无法继续") + "\n", style="bold")
        for check in checks:
            text.append_text(flow_text(check.message, self.renderer, self.value_of))
            text.append("\n")
        back = display_of("back", STEP, browser=self.app.is_web)
        text.append(self.t(f"您可以修改本页的内容，或按 {back} 回到前面的步骤修改答案。"))
        box.update(text)
        box.add_class("-shown")
        self._stop_shown = True
        if notify:
            box.scroll_visible(animate=False)
            self.notify(self.t("根据您的回答，现在还不能继续，请看页面下方的说明。"), severity="error", markup=False)

    def action_back(self) -> None:
        if not self.page_ready:
            return
        previous = self.session.back_from(self.step.id)
        if previous is None:
            self.notify(self.t("这已经是第一步。"), markup=False)
            return
        self.wizard.go(previous)

    def links(self) -> list[str]:
        """The step's link, then the links of its body, each once."""
        return list(dict.fromkeys(([self.step.link] if self.step.link else []) + self._body_links))

    def action_open_link(self) -> None:
        links = self.links()
        if len(links) == 1:
            follow_link(self.wizard, links[0])
        elif links:
            from wizard.tui.screens.dialogs import PickerDialog  # imported when first needed: a faster start

            items = [(url, plain(f"{check_url(url).host or url}  {url}", multiline=False)) for url in links]

            def picked(url: str | None) -> None:
                if url is not None:
                    follow_link(self.wizard, url)

            self.app.push_screen(PickerDialog(self.t("打开哪个网页？"), items), picked)

    def action_steps(self) -> None:
        self.wizard.action_jump()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_link":
            return bool(self.links())
        return True

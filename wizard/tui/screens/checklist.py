"""The personalised checklist: what to do on 12315.cn, in order, with the user's values to paste."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from wizard import checklist as checklist_model
from wizard.checklist import Checklist, ComposedText, Item, Section
from wizard.session import REVIEW
from wizard.tui.choices import mark_grid
from wizard.tui.keys import CHECKLIST, bindings, display_of
from wizard.tui.links import follow_link
from wizard.tui.screens.base import WizardScreen
from wizard.tui.text import flow_text, plain
from wizard.tui.widgets import KeyBar, TopBar

PREVIEW_CHARS = 120
COPY_NOTICE = "已尝试复制到剪贴板；如果没有成功，请在下方选中文字手动复制"


@dataclass(frozen=True)
class Entry:
    """One line of the checklist: a section title, an item to tick, or a composed text."""

    body: Text
    item: Item | None = None
    section: Section | None = None
    composed: ComposedText | None = None

    @property
    def is_header(self) -> bool:
        return self.item is None and self.composed is None


class ChecklistView(OptionList):
    """The whole checklist in one list: ↑↓ move through every item, Space (or Enter) ticks."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "tick", "勾选", key_display="空格")]

    class Ticked(Message):
        def __init__(self, key: str, ticked: bool) -> None:
            super().__init__()
            self.key = key
            self.ticked = ticked

    def __init__(self, entries: list[Entry], ticked: set[str]) -> None:
        self.entries = entries
        self._ticked = ticked
        super().__init__(
            *(Option(self._prompt(e), disabled=e.is_header) for e in entries),
            id="checklist-view",
        )

    def _prompt(self, entry: Entry) -> RenderableType:
        if entry.is_header:
            return entry.body
        if entry.item is not None:
            return mark_grid("[✓]" if entry.item.key in self._ticked else "[ ]", entry.body)
        return mark_grid("", entry.body)

    def current(self) -> Entry | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self._toggle(self.highlighted)

    def _toggle(self, index: int) -> None:
        entry = self.entries[index]
        if entry.item is None:
            return
        key = entry.item.key
        now = key not in self._ticked
        if now:
            self._ticked.add(key)
        else:
            self._ticked.discard(key)
        self.replace_option_prompt_at_index(index, self._prompt(entry))
        self.post_message(self.Ticked(key, now))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._toggle(event.option_index)

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.action_first()


class ChecklistScreen(WizardScreen):
    """The checklist. Reach it with 「答案无误，生成清单」 (Ctrl+N) on the review page."""

    BINDINGS = bindings(CHECKLIST)

    def __init__(self) -> None:
        super().__init__(classes="page checklist-page")
        self.checklist: Checklist | None = None

    def compose(self) -> ComposeResult:
        cl = self.checklist = checklist_model.build(self.session, self.renderer)
        yield TopBar(self.session, self.renderer)
        with VerticalScroll(id="content"):
            yield Static(Text.assemble(self.t("操作清单："), plain(cl.flow_title)), classes="step-title")
            keys = (
                "按顺序在网站上操作，做完一项就勾选一项（↑↓ 选择，空格键勾选）。"
                f"{display_of('copy', CHECKLIST)} 复制选中项的内容，"
                f"{display_of('open_link', CHECKLIST)} 打开网页，"
                f"{display_of('export', CHECKLIST)} 导出清单。"
            )
            yield Static(Text(self.t(keys)), classes="hint")
            for check in cl.checks:
                stop = check.level == "stop"
                text = Text.assemble(self.t("⛔ 无法继续：") if stop else self.t("⚠ 注意："), plain(check.message))
                yield Static(text, classes="check-stop" if stop else "check-warn")
            if cl.deadlines:
                yield Static(Text(self.t("期限"), style="bold"), classes="deadlines-title")
                for due in cl.deadlines:
                    line = Text.assemble(plain(due.label), "：", plain(due.text, "bold"), "\n")
                    line.append_text(plain(due.basis))
                    yield Static(line, classes="deadline")
                if cl.calendar_note:
                    yield Static(plain(cl.calendar_note + self.t("。")), classes="deadline-note")
            yield ChecklistView(self._entries(cl), self.session.ticked)
            yield Static("", id="export-status")
            with Horizontal(classes="nav"):
                yield Button(Text(self.t("返回检查")), id="back")
                yield Button(Text(self.t("复制")), id="copy")
                yield Button(Text(self.t("导出清单")), id="export", variant="primary")
                if self.wizard.store is not None and self.wizard.session_id is not None:
                    yield Button(Text(self.t("完成并删除记录")), id="erase", variant="error")
        with Vertical(id="copy-box"):
            yield Static(Text(self.t(COPY_NOTICE)), id="copy-notice")
            yield TextArea("", read_only=True, soft_wrap=True, id="copy-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ChecklistView).focus(scroll_visible=False)

    # --- rendering ----------------------------------------------------------------------------

    def _entries(self, cl: Checklist) -> list[Entry]:
        entries: list[Entry] = []
        for section in cl.sections:
            entries.append(Entry(plain(section.title, "bold"), section=section))
            for item in section.items:
                entries.append(Entry(self._item_prompt(section, item), item=item, section=section))
        if cl.composed:
            entries.append(Entry(Text(self.t("要粘贴到网站上的文字"), style="bold")))
            for composed in cl.composed:
                entries.append(Entry(self._composed_text(composed), composed=composed))
        return entries

    def _item_prompt(self, section: Section, item: Item) -> Text:
        text = self._item_text(section, item)
        if item.value:
            value = plain(item.value)
            if len(value.plain) > PREVIEW_CHARS:
                value = value[:PREVIEW_CHARS]
                value.append(self.t(f"…（共 {len(item.value)} 字，按 {display_of('copy', CHECKLIST)} 复制全文）"))
            value.stylize("bold")
            text.append("\n")
            text.append_text(value)
        if item.link:
            text.append("\n")
            text.append(self.t(f"（有网页链接，按 {display_of('open_link', CHECKLIST)} 打开）"), style="dim")
        return text

    def _item_text(self, section: Section, item: Item) -> Text:
        """The item's text with site labels highlighted, re-rendered from the flow segment by segment."""
        step = self.session.flow.step(section.step_id)
        index = item.key.rsplit(".", 1)[-1]
        if step is not None and index.isdigit() and int(index) < len(step.checklist):
            model = step.checklist[int(index)]
            eff = self.session.effective()
            rich = flow_text(model.text, self.renderer, lambda n: self.session.value_of(n, eff))
            if rich.plain == plain(item.text).plain:
                return rich
        return plain(item.text)

    def _composed_text(self, composed: ComposedText) -> Text:
        out = plain(composed.label, "bold")
        if composed.site_label:
            out.append(self.t("（网站上的 "))
            out.append_text(plain(self.renderer.label(composed.site_label), "bold reverse"))
            out.append(self.t("）"))
        out.append("\n")
        if composed.max_length is not None:
            count = Text(self.t(f"共 {composed.length} 字，网站上限 {composed.max_length} 字"))
            if composed.over:
                count.append(self.t(f"，超出 {composed.length - composed.max_length} 字"), style="bold")
            out.append_text(count)
        else:
            out.append(self.t(f"共 {composed.length} 字"))
        out.append("\n")
        if composed.advice:
            out.append_text(plain("⚠ " + composed.advice, "bold"))
            out.append("\n")
        out.append_text(plain(composed.text))
        return out

    # --- ticking --------------------------------------------------------------------------------

    @on(ChecklistView.Ticked)
    def _ticked(self, _event: ChecklistView.Ticked) -> None:
        self.wizard.request_save()

    # --- copy, link, export -------------------------------------------------------------------

    def _focused_value(self) -> tuple[str | None, str | None]:
        """(value to copy, link) of the highlighted item or composed text."""
        entry = self.query_one(ChecklistView).current()
        if entry is None:
            return None, None
        if entry.composed is not None:
            return entry.composed.text, None
        value = entry.item.value if entry.item is not None else None
        link = entry.item.link if entry.item is not None else None
        return value, link or (entry.section.link if entry.section is not None else None)

    @on(Button.Pressed, "#copy")
    def _copy_pressed(self) -> None:
        self.action_copy()

    def action_copy(self) -> None:
        value, _link = self._focused_value()
        if not value:
            self.notify(self.t("请先用 ↑↓ 选中带有内容的一项（加粗显示的是要粘贴的内容）。"), markup=False)
            return
        self.app.copy_to_clipboard(value)
        area = self.query_one("#copy-text", TextArea)
        area.load_text(value)
        self.query_one("#copy-box").add_class("-shown")
        area.select_all()
        self.notify(self.t(COPY_NOTICE), markup=False, timeout=6)

    def action_open_link(self) -> None:
        _value, link = self._focused_value()
        if not link:
            self.notify(self.t("选中的这一项没有网页链接。"), markup=False)
            return
        follow_link(self.wizard, link)

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        self.wizard.action_export_checklist()

    def exported(self, path: Path) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text.assemble(self.t("✓ 已导出到："), plain(str(path), "bold", multiline=False)))
        status.add_class("-shown")
        status.scroll_visible(animate=False)

    @on(Button.Pressed, "#erase")
    def _erase_pressed(self) -> None:
        self.wizard.action_finish_and_erase()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.wizard.go(REVIEW)

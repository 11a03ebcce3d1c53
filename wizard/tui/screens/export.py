"""The export dialog: where to save the checklist, and in which format."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from wizard.checklist import Checklist
from wizard.text.render import PLAIN, TextRenderer
from wizard.tui import exporting
from wizard.tui.choices import ChoiceList

FORMAT_LABELS = {
    "markdown": "Markdown（.md，可用记事本或 Markdown 软件打开）",
    "text": "纯文本（.txt）",
    "ics": "日历（.ics，把期限导入手机或电脑的日历）",
}


class ExportDialog(ModalScreen[Path | None]):
    """Choose a file name and a format; dismisses with the full path written, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消", key_display="Esc")]

    def __init__(
        self,
        checklist: Checklist,
        now: datetime,
        cwd: Path | None = None,
        *,
        ticked: Collection[str] = (),
        script: str = "zh-Hans",
        renderer: TextRenderer | None = None,
    ) -> None:
        super().__init__()
        self._checklist = checklist
        self._ticked = tuple(ticked)
        self._script = script
        self._renderer = renderer
        self._now = now
        self._cwd = cwd
        self._format = "markdown"

    def compose(self) -> ComposeResult:
        default = exporting.default_path(self._checklist.flow_id, self._format, self._now, self._cwd)
        with Vertical(classes="dialog export-dialog"):
            yield Static(Text(self._t("导出清单")), classes="dialog-title")
            yield Static(Text(self._t("保存到（可以修改文件名或文件夹）：")), classes="field-label")
            yield Input(str(default), id="export-path")
            yield Static(Text(self._t("格式：")), classes="field-label")
            yield ChoiceList(
                [(key, Text(self._t(FORMAT_LABELS[key]))) for key in exporting.formats_for(self._checklist)],
                multiple=False,
                selected=[self._format],
                id="export-format",
            )
            yield Static(Text(self._t("文件里有您填写的个人信息，请妥善保管。")), classes="field-help")
            yield Static("", id="export-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(self._t("保存")), variant="primary", id="save")
                yield Button(Text(self._t("取消")), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(ChoiceList.Changed, "#export-format")
    def _format_changed(self, event: ChoiceList.Changed) -> None:
        chosen = event.choice_list.selected
        if not chosen or chosen[0] == self._format:
            return
        old_suffix = exporting.FORMATS[self._format]
        self._format = str(chosen[0])
        path_input = self.query_one("#export-path", Input)
        if path_input.value.endswith(old_suffix):
            path_input.value = path_input.value[: -len(old_suffix)] + exporting.FORMATS[self._format]

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#export-error", Static)
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show_error(self._t("请输入文件名。"))
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = (self._cwd or Path.cwd()) / path
        content = exporting.render(
            self._checklist,
            self._format,
            ticked=self._ticked,
            script=self._script,
            generated=self._now.date(),
            renderer=self._renderer,
        )
        try:
            written = exporting.write(path, content)
        except OSError as exc:
            self._show_error(exporting.error_message(exc, path))  # not converted: it holds the path
            return
        error.remove_class("-shown")
        self.dismiss(written)

    def _t(self, s: str) -> str:
        return (self._renderer or PLAIN).ui(s)

    def _show_error(self, message: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(Text("✗ " + message))
        error.add_class("-shown")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

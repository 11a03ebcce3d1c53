"""Text widgets that never hold a control, direction or invisible character.

What the user types or pastes is shown by the widget as it is held, before any
validation. Textual's ``Input`` and ``TextArea`` drop C0/C1 controls when they
draw, but keep direction overrides (U+202E, U+2066 …) and zero-width
characters, which then go to the terminal and can reorder or hide what is
shown. These subclasses clean every insertion with
:func:`wizard.text.safety.clean_text`, the same function the validators use, so
what is on screen is what will be stored.

A paste of several lines into a one-line ``Input`` keeps every line (joined
by spaces) instead of Textual's first line only: nothing pasted is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult

from wizard.text.safety import clean_text


class CleanInput(Input):
    """A one-line ``Input`` whose typed and pasted text is cleaned (line breaks become spaces)."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(clean_text(text, multiline=False), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        text = clean_text(event.text, multiline=False).strip()
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()


class CleanTextArea(TextArea):
    """A ``TextArea`` whose every edit (typing, pasting, the API) inserts cleaned text."""

    #: Called at once after each edit, before the screen is drawn again, so that what depends on
    #: the text (the live character count) is drawn in the same frame as the text itself (the
    #: ``Changed`` message comes later and would cost a second frame per key).
    on_edit: Callable[[], None] | None = None

    def edit(self, edit: Edit) -> EditResult:
        cleaned = clean_text(edit.text)
        result = super().edit(edit if cleaned == edit.text else replace(edit, text=cleaned))
        if self.on_edit is not None:
            self.on_edit()
        return result

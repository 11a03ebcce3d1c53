"""A keyboard-friendly list of options that wraps long Chinese labels.

Textual's ``SelectionList`` and ``RadioSet`` draw one line per option (long
labels are cut, or the tick marks land on the wrong line), so choices are an
:class:`~textual.widgets.OptionList` whose prompts are two-column grids: the
mark (``[✓]`` / ``(✓)``) and the label, wrapped with a hanging indent
(:class:`~wizard.tui.text.HangingRows`). ↑↓
move, Space or Enter ticks, a click ticks.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wizard.tui.text import HangingRows


def mark_grid(mark: str, body: RenderableType) -> HangingRows:
    """``mark`` in a narrow column, ``body`` wrapped beside it."""
    return HangingRows([(Text(mark), body)], mark_width=3)


class ChoiceList(OptionList):
    """Options with ticks; ``multiple=False`` keeps at most one ticked (a radio list)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "tick", "勾选", key_display="空格")]

    class Changed(Message):
        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        choices: Sequence[tuple[Hashable, Text]],
        *,
        multiple: bool,
        selected: Sequence[Hashable] = (),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self._values = [value for value, _label in choices]
        self._labels = [label for _value, label in choices]
        self._multiple = multiple
        chosen = [v for v in self._values if v in set(selected)]
        self._selected: list[Hashable] = chosen if multiple else chosen[-1:]
        #: Called at once when the ticks change (instead of posting ``Changed``), so that what the
        #: change shows or hides is settled before the next key (a Tab right after a tick).
        self.on_toggle: Callable[[], None] | None = None
        super().__init__(*(Option(self._prompt(i)) for i in range(len(self._values))), id=id, classes=classes)

    @property
    def selected(self) -> list[Hashable]:
        """Ticked values, in the order of the options."""
        return [v for v in self._values if v in self._selected]

    def _prompt(self, index: int) -> HangingRows:
        ticked = self._values[index] in self._selected
        if self._multiple:
            mark = "[✓]" if ticked else "[ ]"
        else:
            mark = "(✓)" if ticked else "( )"
        return mark_grid(mark, self._labels[index])

    def set_labels(self, labels: Sequence[Text]) -> None:
        """New words for the same options (another script); ticks and highlight stay."""
        self._labels = list(labels)
        for i in range(len(self._values)):
            self.replace_option_prompt_at_index(i, self._prompt(i))

    def toggle_index(self, index: int) -> None:
        value = self._values[index]
        if value in self._selected:
            self._selected.remove(value)
        elif self._multiple:
            self._selected.append(value)
        else:
            self._selected = [value]
        for i in range(len(self._values)):
            self.replace_option_prompt_at_index(i, self._prompt(i))
        if self.on_toggle is not None:
            self.on_toggle()
        else:
            self.post_message(self.Changed(self))

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.toggle_index(self.highlighted)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle_index(event.option_index)

    def on_focus(self) -> None:
        if self.highlighted is None and self._values:
            first_ticked = next((i for i, v in enumerate(self._values) if v in self._selected), 0)
            self.highlighted = first_ticked

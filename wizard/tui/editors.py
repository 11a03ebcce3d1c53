"""The field widget factory: one function per :class:`~wizard.flow.model.FieldType`.

Each factory turns a flow field into a :class:`Control` (the widget the user
edits and how to read what they entered). :class:`FieldEditor` wraps it with
the label, the help text, a live character count (text and textarea with
``max_length``) and the error / warning lines next to the field.

Nothing here validates: the step screen calls
:meth:`wizard.session.Session.validate_step` (which uses
:func:`wizard.answers.fields.validate`) and hands the messages back to the editors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from wizard.answers.fields import RawAnswer, format_hint
from wizard.answers.validators import count_chars
from wizard.flow.conditions import Answer
from wizard.flow.model import Field, FieldType, Option
from wizard.text.render import TextRenderer
from wizard.tui.choices import ChoiceList
from wizard.tui.cleaninput import CleanInput, CleanTextArea
from wizard.tui.suggest import SuggestLine
from wizard.tui.text import Lookup, flow_text, plain


@dataclass(frozen=True)
class FieldContext:
    """What a factory needs to build a control."""

    field: Field
    renderer: TextRenderer
    initial: RawAnswer  # what to show: the draft, else the stored answer
    options: tuple[Option, ...]  # the options that apply (select, multiselect)
    values: Lookup  # answers for {refs} inside labels

    @property
    def widget_id(self) -> str:
        return f"field-{self.field.id}"


@dataclass(frozen=True)
class Control:
    widget: Widget
    read: Callable[[], RawAnswer]


def _initial_text(ctx: FieldContext) -> str:
    raw = ctx.initial
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return ""
    if isinstance(raw, list):
        return "、".join(raw)
    return raw


def placeholder_of(ctx: FieldContext) -> str:
    """The grey hint inside a one-line input: the author's, else one for the field's type."""
    f = ctx.field
    shown = ctx.renderer.text(f.placeholder) if f.placeholder else ctx.renderer.ui(format_hint(f))
    return plain(shown, multiline=False).plain


def _input(ctx: FieldContext) -> Control:
    widget = CleanInput(
        _initial_text(ctx),
        placeholder=placeholder_of(ctx),
        id=ctx.widget_id,
        # answers are checked by wizard.answers.fields, not by Textual's validators: without this, every
        # Input restyles itself (-valid/-invalid) as soon as it is given its value, before mounting
        validate_on=(),
    )
    return Control(widget, lambda: widget.value)


def text_control(ctx: FieldContext) -> Control:
    return _input(ctx)


def textarea_control(ctx: FieldContext) -> Control:
    widget = CleanTextArea(
        _initial_text(ctx),
        soft_wrap=True,
        tab_behavior="focus",
        show_line_numbers=False,
        id=ctx.widget_id,
        classes="field-textarea",
    )
    return Control(widget, lambda: widget.text)


def date_control(ctx: FieldContext) -> Control:
    return _input(ctx)


def money_control(ctx: FieldContext) -> Control:
    return _input(ctx)


def phone_control(ctx: FieldContext) -> Control:
    return _input(ctx)


def uscc_control(ctx: FieldContext) -> Control:
    return _input(ctx)


def number_control(ctx: FieldContext) -> Control:
    return _input(ctx)


def _option_prompt(ctx: FieldContext, opt: Option) -> Text:
    return flow_text(opt.label, ctx.renderer, ctx.values)


def select_control(ctx: FieldContext) -> Control:
    current = [ctx.initial] if isinstance(ctx.initial, str) else []
    widget = ChoiceList(
        [(o.value, _option_prompt(ctx, o)) for o in ctx.options],
        multiple=False,
        selected=current,
        id=ctx.widget_id,
        classes="field-choices",
    )

    def read() -> RawAnswer:
        chosen = widget.selected
        return str(chosen[0]) if chosen else None

    return Control(widget, read)


def multiselect_control(ctx: FieldContext) -> Control:
    current = list(ctx.initial) if isinstance(ctx.initial, list) else []
    widget = ChoiceList(
        [(o.value, _option_prompt(ctx, o)) for o in ctx.options],
        multiple=True,
        selected=current,
        id=ctx.widget_id,
        classes="field-choices",
    )
    return Control(widget, lambda: [str(v) for v in widget.selected])


def confirm_control(ctx: FieldContext) -> Control:
    label = flow_text(ctx.field.label, ctx.renderer, ctx.values)
    widget = ChoiceList(
        [(True, label)],
        multiple=True,
        selected=[True] if ctx.initial is True else [],
        id=ctx.widget_id,
        classes="field-confirm",
    )
    return Control(widget, lambda: bool(widget.selected))


FACTORIES: dict[FieldType, Callable[[FieldContext], Control]] = {
    FieldType.TEXT: text_control,
    FieldType.TEXTAREA: textarea_control,
    FieldType.SELECT: select_control,
    FieldType.MULTISELECT: multiselect_control,
    FieldType.CONFIRM: confirm_control,
    FieldType.DATE: date_control,
    FieldType.MONEY: money_control,
    FieldType.PHONE: phone_control,
    FieldType.USCC: uscc_control,
    FieldType.NUMBER: number_control,
}

FOCUS_MARK = "▸ "

_KIND_HINT = {
    FieldType.SELECT: "单选",
    FieldType.MULTISELECT: "可多选",
}


def initial_raw(f: Field, answer: Answer | None, draft: str | None) -> RawAnswer:
    """What an editor starts with: the raw draft for typed fields, else the stored answer."""
    if f.type in (FieldType.SELECT, FieldType.MULTISELECT, FieldType.CONFIRM):
        return answer
    if draft is not None:
        return draft
    if answer is None or isinstance(answer, bool):
        return None
    if isinstance(answer, list):
        return "、".join(answer)
    return answer


class FieldEditor(Vertical):
    """One field: label, help, the control, the character count, and its error or warning."""

    def __init__(self, ctx: FieldContext, on_edit: Callable[[FieldEditor], None]) -> None:
        super().__init__(classes="field-editor")
        self.field = ctx.field
        self._ctx = ctx
        self._control = FACTORIES[ctx.field.type](ctx)
        self.last_raw: RawAnswer = None
        self._error: str | None = None
        self._warning: str | None = None
        self._suggest: SuggestLine | None = None
        #: The page's handler, called at once on every change (before the next key is handled, so
        #: that a Tab right after a tick sees the field the tick revealed).
        self.on_edit = on_edit
        if isinstance(self._control.widget, ChoiceList):
            self._control.widget.on_toggle = self._control_changed
        elif isinstance(self._control.widget, CleanTextArea):
            self._control.widget.on_edit = self._control_changed
        self._help_shown = False
        self._counter: Static | None = None  # the live character count, for fields with a max_length
        self._shown_count = -1
        if ctx.field.type in (FieldType.TEXT, FieldType.TEXTAREA):
            # pasted on the site: offer the Simplified form; any text: offer a pinyin clean-up
            self._suggest = SuggestLine(
                read=self._text,
                write=self._replace_text,
                focus=lambda: self.focus_control(scroll=False),
                renderer=ctx.renderer,
                simplified=ctx.field.paste or ctx.field.type is FieldType.TEXTAREA,
                script=lambda: str(getattr(self.app, "script", "zh-Hans")),
            )

    @property
    def control_widget(self) -> Widget:
        return self._control.widget

    @property
    def suggestion(self) -> SuggestLine | None:
        """The offer line under a text field (Simplified form, pinyin clean-up), if the field has one."""
        return self._suggest

    @property
    def is_typed(self) -> bool:
        """True for fields whose raw text is kept as a draft (everything but choices)."""
        return self.field.type not in (FieldType.SELECT, FieldType.MULTISELECT, FieldType.CONFIRM)

    def _label(self) -> Text:
        f = self.field
        renderer = self._ctx.renderer
        suffix = "必填" if f.required else "选填"
        if f.type is FieldType.CONFIRM:
            label = Text(renderer.ui("请确认"))
            label.append(renderer.ui(f"  （{suffix}，按空格键勾选）"), style="dim")
            return label
        label = flow_text(f.label, renderer, self._ctx.values)
        hint = _KIND_HINT.get(f.type)
        if hint and hint[-2:] in label.plain:
            hint = None  # the author already says 「（可多选）」
        label.append(f"  （{renderer.ui(hint + '，' + suffix if hint else suffix)}）", style="dim")
        return label

    def compose(self) -> ComposeResult:
        f = self.field
        renderer = self._ctx.renderer
        yield Static(self._label(), classes="field-label")
        if f.help:
            yield Static(flow_text(f.help, renderer, self._ctx.values), classes="field-help")
        self._help_shown = bool(f.help)
        yield self._control.widget
        if f.max_length is not None and f.type in (FieldType.TEXT, FieldType.TEXTAREA):
            self._shown_count = self._count()
            self._counter = Static(self._count_text(self._shown_count), classes="field-counter")
            yield self._counter
        # the suggestion line (``_suggest``) is mounted the first time there is text to look at
        # the error and warning lines are mounted when first needed (fewer widgets per page)

    # --- another script ------------------------------------------------------------------

    def retext(self, renderer: TextRenderer) -> None:
        """Show the same field in another script: every text replaced in place, nothing rebuilt
        (what is typed or ticked stays as it is, and is never converted)."""
        self._ctx = replace(self._ctx, renderer=renderer)
        ctx, f = self._ctx, self.field
        self._mark_focus(self.has_class("-focused"))  # the label
        if self._help_shown:
            self.query_one(".field-help", Static).update(flow_text(f.help, renderer, ctx.values))
        widget = self._control.widget
        if isinstance(widget, CleanInput):
            widget.placeholder = placeholder_of(ctx)
        elif isinstance(widget, ChoiceList):
            if f.type is FieldType.CONFIRM:
                widget.set_labels([flow_text(f.label, renderer, ctx.values)])
            else:
                widget.set_labels([_option_prompt(ctx, o) for o in ctx.options])
        if self._counter is not None:
            self._counter.update(self._count_text(self._shown_count), layout=False)
        if self._suggest is not None:
            self._suggest.retext(renderer)
        if self._error or self._warning:
            self._show_messages()

    # --- focus: a mark beside the label (visible without colour), and the whole field in view ----

    def on_descendant_focus(self) -> None:
        self._mark_focus(True)
        self.call_after_refresh(self.scroll_visible, animate=False)

    def on_descendant_blur(self) -> None:
        self._mark_focus(False)

    def _mark_focus(self, focused: bool) -> None:
        label = self._label()
        if focused:
            label = Text.assemble((FOCUS_MARK, "bold"), label)
        self.query_one(".field-label", Static).update(label)
        self.set_class(focused, "-focused")

    def on_mount(self) -> None:
        self.last_raw = self._control.read()
        if self._suggest is not None and self._text().strip():
            self._suggest_soon()  # a restored draft may still deserve an offer
        if self._error or self._warning:
            self._show_messages()

    # --- reading --------------------------------------------------------------------

    def raw(self) -> RawAnswer:
        return self._control.read()

    def _text(self) -> str:
        raw = self._control.read()
        return raw if isinstance(raw, str) else ""

    def _replace_text(self, text: str) -> None:
        """Replace the whole text (an accepted offer), as an edit the user can undo."""
        widget = self._control.widget
        if isinstance(widget, TextArea):
            widget.replace(text, (0, 0), widget.document.end)
        elif isinstance(widget, Input):
            widget.replace(text, 0, len(widget.value))

    def _count(self, raw: RawAnswer | None = None) -> int:
        raw = self._control.read() if raw is None else raw
        return count_chars(raw if isinstance(raw, str) else "", multiline=self.field.type is FieldType.TEXTAREA)

    def _count_text(self, count: int | None = None) -> Text:
        count = self._count() if count is None else count
        limit = self.field.max_length or 0
        text = Text(self._ctx.renderer.ui(f"{count} / {limit} 字"))
        if count > limit:
            text.append(self._ctx.renderer.ui(f"  超出 {count - limit} 字"), style="bold")
        return text

    def _update_counter(self, raw: RawAnswer | None = None) -> None:
        """The live count, once per key: counted once, and drawn without a new layout (one line either way)."""
        f = self.field
        if f.max_length is None or self._counter is None:
            return
        count = self._count(raw)
        if count == self._shown_count:
            return
        self._shown_count = count
        self._counter.update(self._count_text(count), layout=False)
        self._counter.set_class(count > f.max_length, "-over")

    @on(Input.Changed)
    @on(TextArea.Changed)  # also for load_text, which is not an edit
    def _changed(self, event: Message) -> None:
        event.stop()
        self._control_changed()

    def _control_changed(self) -> None:
        raw = self._control.read()
        if raw == self.last_raw:
            return
        self.last_raw = raw
        self._update_counter(raw)
        self._suggest_soon()
        self.on_edit(self)

    def _suggest_soon(self) -> None:
        """Look for an offer once typing pauses; the line is mounted the first time (most fields
        never get typed in, and a line per text field made every page slower to build)."""
        suggest = self._suggest
        if suggest is None:
            return
        if suggest.parent is None:
            self.mount(suggest, after=self._counter or self._control.widget)
        suggest.schedule()

    # --- messages ----------------------------------------------------------------------

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def warning(self) -> str | None:
        return self._warning

    def set_messages(self, error: str | None, warning: str | None) -> None:
        self._error = error
        self._warning = warning
        if self.is_mounted:
            self._show_messages()

    def _show_messages(self) -> None:
        renderer = self._ctx.renderer
        for kind, mark, message in (("field-error", "✗ ", self._error), ("field-warning", "⚠ ", self._warning)):
            found = self.query(f".{kind}").results(Static)
            line = next(iter(found), None)
            if line is None:
                if not message:
                    continue
                line = Static("", classes=kind)
                self.mount(line)
            line.update(Text(mark + renderer.ui(message)) if message else "")
            line.set_class(bool(message), "-shown")
        self.set_class(bool(self._error), "-invalid")
        self.set_class(bool(self._warning) and not self._error, "-warned")
        self._update_counter()

    def focus_control(self, *, scroll: bool = True) -> None:
        self._control.widget.focus(scroll_visible=False)
        if scroll:
            self.scroll_visible(animate=False)

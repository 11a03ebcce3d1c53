"""Offers under a text field: the Simplified form of Traditional input, and pinyin clean-up.

The 12315 site is in Simplified Chinese. When what the user typed or pasted in
a field that goes on the site (``paste: true``, and every textarea) holds
Traditional characters, the line under the field shows the Simplified form
(:func:`wizard.text.script.to_simplified`, in the reader's script's direction) and
two buttons: 「使用简体」 replaces the field's text, 「保留原样」 keeps it and
hides the offer. Text pasted from machine-converted pages with pinyin after
characters (「聯(lián)網(wǎng)」) gets a clean-up offer first
(:func:`wizard.text.script.strip_pinyin_annotations`). Nothing is ever replaced
without the user's choice.

The suggestion is computed after a short pause in typing, in a worker thread:
the first call loads an OpenCC converter (~0.1 s), which must never block the
interface. A result that arrives after the text changed again is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Static

from wizard.text.render import TextRenderer
from wizard.text.script import SCRIPTS, simplified_doubts, strip_pinyin_annotations, to_simplified
from wizard.tui.text import plain

PINYIN = "pinyin"
SIMPLIFIED = "simplified"

DEBOUNCE_SECONDS = 0.3


@dataclass(frozen=True)
class Offer:
    """A replacement offered for ``source`` (the field's text when it was computed)."""

    kind: str  # PINYIN or SIMPLIFIED
    source: str
    replacement: str
    doubts: tuple[str, ...] = ()


def offer_for(text: str, script: str, *, simplified: bool = True, skip: frozenset[str] = frozenset()) -> Offer | None:
    """What to offer for ``text``: the pinyin clean-up first, else the Simplified form (may load OpenCC)."""
    if not text.strip():
        return None
    if PINYIN not in skip:
        cleaned = strip_pinyin_annotations(text)
        if cleaned is not None:
            return Offer(PINYIN, text, cleaned)
    if simplified and SIMPLIFIED not in skip:
        converted = to_simplified(text, script if script in SCRIPTS else "zh-Hans")
        if converted is not None:
            return Offer(SIMPLIFIED, text, converted, simplified_doubts(text))
    return None


class SuggestLine(Vertical):
    """The offer under one field: a line of text and two buttons; hidden while there is nothing to offer."""

    DEFAULT_CSS: ClassVar[str] = """
    SuggestLine {
        height: auto;
        display: none;
        padding: 0 0 0 1;
    }
    SuggestLine.-shown {
        display: block;
    }
    SuggestLine .suggest-text {
        height: auto;
    }
    SuggestLine .suggest-buttons {
        height: auto;
    }
    SuggestLine Button {
        margin: 0 2 0 0;
    }
    """

    def __init__(
        self,
        *,
        read: Callable[[], str],
        write: Callable[[str], None],
        focus: Callable[[], None],
        renderer: TextRenderer,
        simplified: bool,
        script: Callable[[], str],
    ) -> None:
        super().__init__(classes="suggest-line")
        self._read = read
        self._write = write
        self._focus = focus
        self._renderer = renderer
        self._simplified = simplified
        self._script = script
        self._timer: Timer | None = None
        self._changed_at = 0.0
        self._dismissed: set[str] = set()
        self._built: tuple[Static, Button, Button] | None = None
        self.offer: Offer | None = None

    def _parts(self) -> tuple[Static, Button, Button]:
        """The offer's text and its two buttons, mounted the first time an offer is shown (most fields
        never get one, and a line of text with two buttons under every text field made each page
        slower to build)."""
        if self._built is None:
            t = self._renderer.ui
            text = Static("", classes="suggest-text")
            apply = Button(Text(t("使用简体")), classes="suggest-apply", compact=True, variant="primary")
            keep = Button(Text(t("保留原样")), classes="suggest-keep", compact=True)
            self.mount(text, Horizontal(apply, keep, classes="suggest-buttons"))
            self._built = (text, apply, keep)
        return self._built

    # --- computing, off the interface thread -------------------------------------------

    def schedule(self) -> None:
        """The field changed: look again once typing pauses.

        Called for every key, so it only notes the time: one timer waits, and when it fires
        early (typing went on) it waits again for what is left of the pause.
        """
        self._changed_at = time.monotonic()
        if self.offer is not None and self.offer.source != self._read():
            self._show(None)
        if self._timer is None:
            self._timer = self.set_timer(DEBOUNCE_SECONDS, self._pause_over)

    def _pause_over(self) -> None:
        left = self._changed_at + DEBOUNCE_SECONDS - time.monotonic()
        if left > 0.01:
            self._timer = self.set_timer(left, self._pause_over)
            return
        self.check_now()

    def check_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        text = self._read()
        self._compute(text, self._script(), frozenset(self._dismissed))

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _compute(self, text: str, script: str, skip: frozenset[str]) -> None:
        try:
            offer = offer_for(text, script, simplified=self._simplified, skip=skip)
        except Exception:  # OpenCC missing or broken: no offer, the field works as before
            offer = None
        self.app.call_from_thread(self._arrived, offer)

    def _arrived(self, offer: Offer | None) -> None:
        if not self.is_mounted:
            return
        if offer is not None and offer.source != self._read():
            return  # typed on meanwhile: a newer computation is on its way
        self._show(offer)

    def retext(self, renderer: TextRenderer) -> None:
        """The reader switched scripts: the offer (if one is shown) is written again in the new one."""
        self._renderer = renderer
        if self.offer is not None:
            self._show(self.offer)

    # --- showing and choosing ----------------------------------------------------------------

    def _show(self, offer: Offer | None) -> None:
        self.offer = offer
        if offer is None:
            self.remove_class("-shown")
            return
        t = self._renderer.ui
        text = Text()
        if offer.kind == PINYIN:
            text.append(t("检测到拼音注音，清理为："))
            apply, keep = t("清理"), t("保留")
        else:
            text.append(t("网站使用简体字。简体写法："))
            apply, keep = t("使用简体"), t("保留原样")
        text.append_text(plain(offer.replacement, "bold"))  # the user's text: never converted
        if offer.doubts:
            text.append("\n")
            text.append(t("请核对：") + "、".join(offer.doubts), style="bold")
            text.append(t("（这些字在简体中也常用，如人名地名，转换后可能不对）"))
        shown, apply_button, keep_button = self._parts()
        shown.update(text)
        apply_button.label = Text(apply)
        keep_button.label = Text(keep)
        self.add_class("-shown")
        focused = self.screen.focused
        if focused is not None and self.parent is not None and self.parent in focused.ancestors:
            self.call_after_refresh(self.scroll_visible, animate=False)  # the user is in this field

    @on(Button.Pressed, ".suggest-apply")
    def apply(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        offer = self.offer
        if offer is None:
            return
        if offer.source != self._read():  # stale: look again instead of overwriting newer text
            self.schedule()
            return
        self._show(None)
        self._focus()
        self._write(offer.replacement)
        self.schedule()  # after a clean-up, the Simplified form may be offered next

    @on(Button.Pressed, ".suggest-keep")
    def keep(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        offer = self.offer
        if offer is None:
            return
        self._dismissed.add(offer.kind)
        self._show(None)
        self._focus()
        if offer.kind == PINYIN:
            self.schedule()  # the Simplified form may still be worth offering

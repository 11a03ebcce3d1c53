"""What every page of the wizard shares: access to the app's session and renderer, the top bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from wizard.session import Session
from wizard.text.render import TextRenderer

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


class WizardScreen(Screen[None]):
    """A page of the wizard (a step, the review, the checklist)."""

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    @property
    def session(self) -> Session:
        return self.wizard.session

    @property
    def renderer(self) -> TextRenderer:
        return self.wizard.renderer

    def value_of(self, name: str) -> str | None:
        return self.session.value_of(name)

    def t(self, s: str) -> str:
        """The app's own interface text, in the reader's script."""
        return self.renderer.ui(s)

    def on_screen_resume(self) -> None:
        if self.wizard.page_is_stale:
            self.wizard.call_later(self.wizard.rerender)

    def focused_field(self) -> str | None:
        """The field id whose editor holds the focus, if any (to keep it across a re-render)."""
        return None

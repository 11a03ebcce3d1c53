"""Command palette (Ctrl+P): jump to a step that applies.

Step titles come from the flow, so hits are built as :class:`rich.text.Text`
(shown literally) and highlighted here, never passed through
``Matcher.highlight`` (which parses its argument as markup).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from wizard.session import REVIEW

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


class StepCommands(Provider):
    """「跳到第 n 步：…」 for every step that applies, and 「跳到：检查答案」."""

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def _targets(self) -> list[tuple[str, str]]:
        app = self.wizard
        if app.session_or_none is None:
            return []
        session = app.session_or_none
        renderer = app.renderer
        out: list[tuple[str, str]] = []
        for i, step in enumerate(session.visible_steps(), start=1):
            title = renderer.text(step.title, session.value_of)
            out.append((step.id, renderer.ui(f"跳到第 {i} 步：") + title))
        out.append((REVIEW, renderer.ui("跳到：检查答案")))
        return out

    async def discover(self) -> Hits:
        for position, label in self._targets():
            yield DiscoveryHit(Text(label), partial(self.wizard.jump_to, position), text=label)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for position, label in self._targets():
            score, offsets = matcher.fuzzy_search.match(query, label)
            if score > 0:
                shown = Text(label)
                for offset in offsets:
                    shown.stylize("bold underline", offset, offset + 1)
                yield Hit(score, shown, partial(self.wizard.jump_to, position), text=label)

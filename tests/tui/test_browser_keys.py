"""Browser mode (``wizard serve``): Next/Back/theme on keys browsers leave to the page, shown there.

Under textual-serve Textual's ``App.is_web`` is true; here it is set on the
app class for the test. The terminal's keys (Ctrl+N, Ctrl+R) keep working
and stay what a terminal shows.
"""

from __future__ import annotations

import pytest

from tests.tui.helpers import choose, make_app, screen_text
from wizard.tui.app import WizardApp
from wizard.tui.keys import KEYS, display_of, shown_key
from wizard.tui.screens.help import HelpScreen
from wizard.tui.screens.step import StepScreen

# what Chrome/Edge/Firefox on Windows and Linux keep for themselves, or use to leave the page
BROWSER_KEYS = {"ctrl+n", "ctrl+t", "ctrl+w", "ctrl+tab", "ctrl+shift+n", "ctrl+shift+t", "ctrl+shift+w", "ctrl+q"}
LEAVES_PAGE = {"ctrl+r", "f5", "alt+left", "alt+right", "ctrl+l", "f6"}


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(WizardApp, "is_web", True)


def position(app: WizardApp) -> str:
    screen = app.screen
    assert isinstance(screen, StepScreen)
    return screen.step.id


def test_main_actions_have_a_key_browsers_leave_alone() -> None:
    for spec in KEYS:
        if spec.action in ("next", "back", "toggle_theme"):
            key = spec.browser_keys or spec.keys
            assert key not in BROWSER_KEYS | LEAVES_PAGE, spec
            assert key not in ("alt+b", "alt+f")  # Textual reads ESC b / ESC f as Ctrl+Left / Ctrl+Right


@pytest.mark.usefixtures("in_browser")
async def test_alt_n_and_alt_p_move_in_a_browser_and_the_bar_shows_them() -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        first = position(app)
        last_line = screen_text(app).splitlines()[-1]
        assert "Alt+N 下一步" in last_line and "Alt+P 上一步" in last_line
        assert "Ctrl+N" not in last_line and "Ctrl+R" not in last_line
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await pilot.press("alt+n")
        await pilot.pause()
        second = position(app)
        assert second != first
        await pilot.press("alt+p")
        await pilot.pause()
        assert position(app) == first
        await pilot.press("ctrl+n")  # the terminal's key still works where the browser passes it (a Mac)
        await pilot.pause()
        assert position(app) == second


@pytest.mark.usefixtures("in_browser")
async def test_help_in_a_browser_lists_the_browser_keys() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Alt+N" in text and "Alt+P" in text and "Alt+T" in text
        assert "Ctrl+N" not in text and "Ctrl+T" not in text


async def test_terminal_shows_the_terminal_keys() -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)):
        last_line = screen_text(app).splitlines()[-1]
        assert "Ctrl+N 下一步" in last_line and "Alt+N" not in last_line


def test_hints_and_bar_choice() -> None:
    assert display_of("next", "步骤页", browser=True) == "Alt+N"
    assert display_of("next", "步骤页") == "Ctrl+N"
    assert shown_key("alt+n", "next", browser=True) and not shown_key("ctrl+n", "next", browser=True)
    assert shown_key("ctrl+n", "next", browser=False) and not shown_key("alt+n", "next", browser=False)
    assert shown_key("f1", "app.help", browser=True)

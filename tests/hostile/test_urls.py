"""Entrance 4: links. None of the hostile ones reaches ``webbrowser``; each is shown as text with a warning;
an official ``https`` link opens only after its host has been shown and the user agreed.

Flows cannot hold most of these links (the loader refuses them:
``test_yaml.py::test_link_in_flow``), so the app's one link handler,
:func:`wizard.tui.links.follow_link`, is driven directly with each of them,
and links in a step body are clicked with the mouse. ``webbrowser``
is replaced by a recorder for the whole app run: a single call with a bad
link fails the test.
"""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.hostile.common import FLOWS, bad_characters
from wizard.flow.loader import load_flow
from wizard.text.safety import check_url
from wizard.tui.app import WizardApp
from wizard.tui.links import follow_link, open_in_browser
from wizard.tui.screens.dialogs import ConfirmDialog, NoticeDialog, PickerDialog

LINKS_FLOW = FLOWS / "links.yaml"

#: Issue 9, entrance 4: (link, words of the reason shown)
HOSTILE_URLS: dict[str, tuple[str, str]] = {
    "javascript": ("javascript:alert(document.cookie)", "javascript"),
    "file": ("file:///etc/passwd", "file"),
    "data": ("data:text/html,<script>alert(1)</script>", "data"),
    "leading-dash-browser-option": ("--renderer-cmd-prefix=/tmp/evil", "“-”开头"),
    "leading-dash-before-https": ("-https://www.12315.cn/", "“-”开头"),
    "user-info-at-another-host": ("https://12315.cn@evil.example", "实际打开的是 evil.example"),
    "backslash-before-at": ("https://evil.example\\@12315.cn", "反斜杠"),
    "leading-space": (" https://www.12315.cn/", "空格"),
    "official-name-as-subdomain": ("https://12315.cn.evil.example/", "并不是官方网站"),
    "plain-http": ("http://www.12315.cn/", "https"),
    "punycode-look-alike": ("https://xn--12315-9k4b.cn/", "xn--"),
    "cyrillic-look-alike": ("https://www.12З15.cn/", "非英文字符"),
    "odd-port": ("https://www.12315.cn:8443/", "端口"),
    "ip-address": ("https://127.0.0.1/", "IP"),
    "escape-sequence-inside": ("https://www.12315.cn/\x1b]0;PWNED\x07", "控制字符"),
    "other-site": ("https://example.com/guide", "不是 12315 或政府官方网站"),
}

OFFICIAL = "https://www.12315.cn/"


def dialog_text(screen: Any) -> str:
    """What a dialog shows, as plain text (its rendered lines, joined)."""
    strips = screen._compositor.render_strips()
    return "\n".join("".join(s.text for s in strip).rstrip() for strip in strips)


@dataclass
class Journey:
    shown: dict[str, tuple[type, str]] = field(default_factory=dict)  # case → (dialog class, its text)
    opened: list[str] = field(default_factory=list)  # what reached webbrowser.open
    opened_before_yes: list[str] = field(default_factory=list)
    official_text: str = ""
    step_link_text: str = ""
    clicked: dict[str, tuple[type, str]] = field(default_factory=dict)
    running: bool = False


def _click_target(app: WizardApp, href: str) -> tuple[int, int] | None:
    """Where on screen the body link to ``href`` is drawn (its click action holds the link's number)."""
    links: list[str] = getattr(app.screen, "_body_links", [])
    if href not in links:
        return None
    action = f"screen.open_body_link({links.index(href)})"
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            meta = segment.style.meta if segment.style else {}
            if meta and meta.get("@click") == action:
                return x, y
            x += segment.cell_length
    return None


async def _close(pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await pilot.pause()


async def _journey(recorder: list[str]) -> Journey:
    out = Journey(opened=recorder)
    app = WizardApp(load_flow(LINKS_FLOW), LINKS_FLOW, store=None, today=date(2026, 11, 25))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for name, (url, _reason) in HOSTILE_URLS.items():
            follow_link(app, url)
            await pilot.pause()
            out.shown[name] = (type(app.screen), dialog_text(app.screen))
            await _close(pilot)
        # the official link: the host first, nothing opened until 「打开」
        follow_link(app, OFFICIAL)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        out.official_text = dialog_text(app.screen)
        out.opened_before_yes = list(recorder)
        await _close(pilot)  # Esc: not opened
        follow_link(app, OFFICIAL)
        await pilot.pause()
        app.screen.query_one("#yes").press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # the step's link: Ctrl+O (it is the first link offered), the same confirmation
        await pilot.press("ctrl+o")
        await pilot.pause()
        if isinstance(app.screen, PickerDialog):  # the body has links too: pick the step's own
            await pilot.press("enter")
            await pilot.pause()
        out.step_link_text = dialog_text(app.screen) if isinstance(app.screen, ConfirmDialog) else ""
        await _close(pilot)
        # Markdown links in the body, clicked
        for name, href in (
            ("other-site", "https://example.com/guide"),
            ("look-alike", "https://12315.cn.evil.example/"),
        ):
            target = _click_target(app, href)
            assert target is not None, f"no link to {href} on screen"
            await pilot.click(offset=target)
            await pilot.pause()
            out.clicked[name] = (type(app.screen), dialog_text(app.screen))
            await _close(pilot)
        # the last guard: the opener itself refuses anything not official
        for url in ("-https://www.12315.cn/", "https://example.com/", "javascript:alert(1)"):
            open_in_browser(app, url)
        await app.workers.wait_for_complete()
        out.running = app.is_running
    return out


@pytest.fixture(scope="module")
def journey() -> Iterator[Journey]:
    recorder: list[str] = []

    def fake_open(url: str, *args: Any, **kwargs: Any) -> bool:
        recorder.append(url)
        return True

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(webbrowser, "open", fake_open)
        mp.setattr(webbrowser, "open_new", fake_open)
        mp.setattr(webbrowser, "open_new_tab", fake_open)
        yield asyncio.run(_journey(recorder))


@pytest.mark.parametrize("name", list(HOSTILE_URLS))
def test_hostile_link_is_shown_as_text_with_a_warning(name: str, journey: Journey) -> None:
    url, reason = HOSTILE_URLS[name]
    kind, text = journey.shown[name]
    assert kind is NoticeDialog, f"{name}: expected the refusal notice, got {kind.__name__}"
    assert "这个链接不会被打开" in text
    assert reason in text, text
    shown = url.strip().replace("\x1b", "").replace("\x07", "")
    assert shown[:30] in text.replace("\n", ""), "the link itself, as text"
    assert not bad_characters(text)
    assert journey.opened_before_yes == [], "tried before the official link: nothing reached webbrowser"


def test_official_link_shows_the_host_before_opening(journey: Journey) -> None:
    assert journey.opened_before_yes == [], "nothing opened before the user agreed"
    assert "www.12315.cn" in journey.official_text and "即将在浏览器中打开官方网站" in journey.official_text
    assert "www.12315.cn" in journey.step_link_text, "Ctrl+O on a step link asks the same way"


def test_only_the_agreed_official_link_reached_the_browser(journey: Journey) -> None:
    assert journey.opened == [OFFICIAL]
    assert journey.running


@pytest.mark.parametrize("name", ["other-site", "look-alike"])
def test_clicked_markdown_link_goes_through_the_same_handler(name: str, journey: Journey) -> None:
    kind, text = journey.clicked[name]
    assert kind is NoticeDialog, f"a click on the {name} link opened {kind.__name__}"
    assert "这个链接不会被打开" in text


@pytest.mark.parametrize("name", list(HOSTILE_URLS))
def test_check_url_agrees(name: str) -> None:
    """The verdict behind each refusal (the full table of verdicts is tests/test_safety.py)."""
    url, _reason = HOSTILE_URLS[name]
    verdict = check_url(url)
    assert not verdict.official
    if name == "other-site" or name == "official-name-as-subdomain":
        assert verdict.ok and verdict.reason
    else:
        assert not verdict.ok

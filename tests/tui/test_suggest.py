"""The offers under text fields: Simplified form of Traditional input, pinyin clean-up; no OpenCC in zh-Hans."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, TextArea

from tests.tui.helpers import editor, make_app, preload_file, screen_text, type_into
from wizard.tui.suggest import PINYIN, SIMPLIFIED, SuggestLine

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "flows" / "12315-complaint.yaml"
EXAMPLE = ROOT / "flows" / "examples" / "12315-complaint" / "online-clothing-refund.yaml"

pytestmark = pytest.mark.skipif(not FLOW.is_file(), reason="the 12315 flow is not in this tree")

MERCHANT_TW = "台北市某某電子商務有限公司"
MERCHANT_SIMPLIFIED = "台北市某某电子商务有限公司"
PINYIN_PAGE = "電子商務通常是指在互聯(lián)網(wǎng)開放的網(wǎng)絡環境下"
PINYIN_CLEANED = "電子商務通常是指在互聯網開放的網絡環境下"


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run (debounce timer, worker thread) until ``condition`` holds; bounded, not timed."""
    for _ in range(400):
        if condition():
            await pilot.pause()  # drawn, and scrolled into view
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


def line(app: Any, field_id: str) -> SuggestLine:
    found = editor(app, field_id).suggestion
    assert found is not None, field_id
    return found


def shown(app: Any, field_id: str, kind: str) -> bool:
    s = line(app, field_id)
    return s.has_class("-shown") and s.offer is not None and s.offer.kind == kind


async def settle(pilot: Pilot[Any], suggest: SuggestLine) -> None:
    """Run the pending look-up now (no waiting on the debounce timer) and let its worker finish."""
    suggest.check_now()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def press_button(pilot: Pilot[Any], suggest: SuggestLine, cls: str) -> None:
    """Reach the button with the keyboard (focus, Enter)."""
    button = suggest.query_one(cls, Button)
    button.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def _open(pilot: Pilot[Any], position: str) -> None:
    app: Any = pilot.app
    await until(pilot, lambda: app.session_or_none is not None, "session")
    preload_file(app, EXAMPLE)
    app.go(position)
    await pilot.pause()


@pytest.mark.parametrize("script", ["zh-Hans", "zh-TW"])
async def test_traditional_merchant_name_gets_simplified_offer_and_use_replaces(script: str) -> None:
    app = make_app(FLOW, script=script)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.session_or_none is not None and app.script == script, "script ready")
        await _open(pilot, "select_merchant")
        await type_into(pilot, "merchant_name", MERCHANT_TW)
        await until(pilot, lambda: shown(app, "merchant_name", SIMPLIFIED), "the Simplified offer")
        suggest = line(app, "merchant_name")
        assert suggest.offer is not None and suggest.offer.replacement == MERCHANT_SIMPLIFIED
        assert MERCHANT_SIMPLIFIED in screen_text(app)
        # the field is not touched until the user chooses
        assert app.screen.query_one("#field-merchant_name", Input).value == MERCHANT_TW
        await press_button(pilot, suggest, ".suggest-apply")
        assert app.screen.query_one("#field-merchant_name", Input).value == MERCHANT_SIMPLIFIED
        assert app.session.drafts["merchant_name"] == MERCHANT_SIMPLIFIED
        assert not suggest.has_class("-shown")
        assert app.screen.focused is app.screen.query_one("#field-merchant_name", Input)


async def test_keep_as_typed_keeps_value_and_hides_offer() -> None:
    app = make_app(FLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "select_merchant")
        await type_into(pilot, "merchant_name", MERCHANT_TW)
        await until(pilot, lambda: shown(app, "merchant_name", SIMPLIFIED), "the Simplified offer")
        suggest = line(app, "merchant_name")
        await press_button(pilot, suggest, ".suggest-keep")
        assert app.screen.query_one("#field-merchant_name", Input).value == MERCHANT_TW
        assert not suggest.has_class("-shown")
        assert MERCHANT_SIMPLIFIED not in screen_text(app)
        # typing on does not bring the dismissed offer back
        await type_into(pilot, "merchant_name", MERCHANT_TW + "分")
        await settle(pilot, suggest)
        assert not suggest.has_class("-shown")
        assert app.screen.query_one("#field-merchant_name", Input).value == MERCHANT_TW + "分"


async def test_doubtful_characters_are_flagged() -> None:
    app = make_app(FLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "select_merchant")
        await type_into(pilot, "merchant_name", "乾安縣某某商行")
        await until(pilot, lambda: shown(app, "merchant_name", SIMPLIFIED), "the Simplified offer")
        assert line(app, "merchant_name").offer.doubts == ("乾",)  # type: ignore[union-attr]
        assert "请核对：乾" in screen_text(app)


async def test_pinyin_annotations_get_clean_up_offer_in_textarea() -> None:
    app = make_app(FLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "problem")
        await type_into(pilot, "problem_detail", PINYIN_PAGE)
        await until(pilot, lambda: shown(app, "problem_detail", PINYIN), "the pinyin clean-up offer")
        suggest = line(app, "problem_detail")
        assert suggest.offer is not None and suggest.offer.replacement == PINYIN_CLEANED
        assert "检测到拼音注音" in screen_text(app)
        area = app.screen.query_one("#field-problem_detail", TextArea)
        assert area.text == PINYIN_PAGE
        await press_button(pilot, suggest, ".suggest-apply")
        assert area.text == PINYIN_CLEANED
        # still Traditional: the Simplified form is offered next
        await until(pilot, lambda: shown(app, "problem_detail", SIMPLIFIED), "the Simplified offer after clean-up")
        assert suggest.offer is not None and suggest.offer.replacement == "电子商务通常是指在互联网开放的网络环境下"


async def test_keep_pinyin_leaves_text() -> None:
    app = make_app(FLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "problem")
        await type_into(pilot, "problem_detail", PINYIN_PAGE)
        await until(pilot, lambda: shown(app, "problem_detail", PINYIN), "the pinyin clean-up offer")
        await press_button(pilot, line(app, "problem_detail"), ".suggest-keep")
        assert app.screen.query_one("#field-problem_detail", TextArea).text == PINYIN_PAGE


async def test_simplified_text_gets_no_offer() -> None:
    app = make_app(FLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "select_merchant")
        await type_into(pilot, "merchant_name", "乾安县某某商行")
        await settle(pilot, line(app, "merchant_name"))
        assert not line(app, "merchant_name").has_class("-shown")
        # the same look-up does offer once a Traditional-only character is typed (乾 alone is not one)
        await type_into(pilot, "merchant_name", "乾安縣某某商行")
        await settle(pilot, line(app, "merchant_name"))
        assert shown(app, "merchant_name", SIMPLIFIED)


def test_zh_hans_start_loads_no_opencc() -> None:
    """In a fresh interpreter (other tests import OpenCC): the first step is shown without any converter."""
    code = textwrap.dedent(
        """
        import asyncio, sys
        from tests.tui.helpers import make_app
        from wizard.text.script import loaded_converters
        from wizard.tui.screens.step import StepScreen

        async def main():
            app = make_app(__import__("pathlib").Path(sys.argv[1]), script="zh-Hans")
            async with app.run_test(size=(80, 24)) as pilot:
                for _ in range(200):
                    if isinstance(app.screen, StepScreen):
                        break
                    await pilot.pause(0.05)
                assert isinstance(app.screen, StepScreen), app.screen
                await pilot.pause()
                await app.workers.wait_for_complete()
                print("converters", sorted(loaded_converters()))
                print("opencc", "opencc" in sys.modules)

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(FLOW)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "converters []" in done.stdout, done.stdout
    assert "opencc False" in done.stdout, done.stdout

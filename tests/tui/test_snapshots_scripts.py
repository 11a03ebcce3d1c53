"""Snapshots of the first step and the checklist for Traditional readers (zh-TW, zh-HK), at 80x24.

Reached like the Simplified ones in ``test_snapshots.py``: the app starts with
``script=``, the first page is shown once the script's converter is ready (a
worker thread); the checklist gets the answers of the example
``online-clothing-refund.yaml`` and is opened directly. Site labels stay as on
the site (「我要投诉」（我要投訴）) and answers stay as typed. Update with
``--snapshot-update`` after a deliberate change and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.helpers import make_app, preload_file
from wizard.session import CHECKLIST
from wizard.tui.screens.base import WizardScreen

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "flows" / "12315-complaint.yaml"
EXAMPLE = ROOT / "flows" / "examples" / "12315-complaint" / "online-clothing-refund.yaml"

pytestmark = pytest.mark.skipif(not FLOW.is_file(), reason="the 12315 flow is not in this tree")

SnapCompare = Callable[..., bool]


async def _ready(pilot: Pilot[Any], script: str) -> None:
    """Wait (bounded, not timed) until the page is drawn in ``script``."""
    app: Any = pilot.app
    for _ in range(400):
        if app.script == script and isinstance(app.screen, WizardScreen):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the app never showed a page in {script}")


def _snap(snap_compare: SnapCompare, script: str, position: str | None) -> None:
    app = make_app(FLOW, script=script)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _ready(pilot, script)
        if position is not None:
            preload_file(app, EXAMPLE)
            app.go(position)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("script", ["zh-TW", "zh-HK"])
def test_first_step(snap_compare: SnapCompare, script: str) -> None:
    """Step 1 (打开全国12315平台) as a Traditional reader sees it right after start."""
    _snap(snap_compare, script, None)


@pytest.mark.parametrize("script", ["zh-TW", "zh-HK"])
def test_checklist(snap_compare: SnapCompare, script: str) -> None:
    """操作清单 for the example answers, in the reader's script (answers and site labels unchanged)."""
    _snap(snap_compare, script, CHECKLIST)

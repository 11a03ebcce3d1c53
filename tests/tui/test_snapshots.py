"""Snapshots of every screen of the shipped 12315 complaint flow, at 80x24 and 120x40.

Each test says how its screen is reached. The answers come from the flow's
example file ``online-clothing-refund.yaml`` (an online purchase, so every
step applies); ``today`` is fixed and the save indicator shows no clock, so
the pictures do not change from run to run. Update them with
``pytest tests/tui/test_snapshots.py --snapshot-update`` after a deliberate
change to the look, and review the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.helpers import make_app, preload_file
from wizard.session import CHECKLIST, REVIEW

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "flows" / "12315-complaint.yaml"
EXAMPLE = ROOT / "flows" / "examples" / "12315-complaint" / "online-clothing-refund.yaml"
SIZES = ((80, 24), (120, 40))

pytestmark = pytest.mark.skipif(not FLOW.is_file(), reason="the 12315 flow is not in this tree")

SnapCompare = Callable[..., bool]


def _snap(snap_compare: SnapCompare, position: str | None, press: tuple[str, ...] = ()) -> None:
    for size in SIZES:
        app = make_app(FLOW)

        async def run_before(pilot: Pilot[Any], app: Any = app) -> None:
            if position is not None:
                preload_file(app, EXAMPLE)
                app.go(position)
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

        assert snap_compare(app, press=press, terminal_size=size, run_before=run_before), size


def test_step_01_open_platform(snap_compare: SnapCompare) -> None:
    """Step 1 (打开全国12315平台): the first screen after `wizard` starts, nothing answered yet."""
    _snap(snap_compare, None)


def test_step_02_click_complain(snap_compare: SnapCompare) -> None:
    """Step 2 (点击「我要投诉」): Ctrl+N on step 1."""
    _snap(snap_compare, "click_complain")


def test_step_03_login(snap_compare: SnapCompare) -> None:
    """Step 3 (登录或注册账户): Ctrl+N on step 2; the site asks for the login before the notice."""
    _snap(snap_compare, "login")


def test_step_04_read_notice(snap_compare: SnapCompare) -> None:
    """Step 4 (阅读《投诉须知》): Ctrl+N on step 3; the example's eligibility answers are filled in."""
    _snap(snap_compare, "read_notice")


def test_step_05_select_merchant(snap_compare: SnapCompare) -> None:
    """Step 5 (输入被投诉商家信息): Ctrl+N on step 4 with eligible answers (online purchase on 淘宝)."""
    _snap(snap_compare, "select_merchant")


def test_step_06_confirm_merchant(snap_compare: SnapCompare) -> None:
    """Step 6 (确认商家信息): Ctrl+N on step 5; the body shows the merchant name and code typed there."""
    _snap(snap_compare, "confirm_merchant")


def test_step_07_personal_details(snap_compare: SnapCompare) -> None:
    """Step 7 (核对您的个人信息): Ctrl+N on step 6; the address with its live character count."""
    _snap(snap_compare, "personal_details")


def test_step_08_purchase_details(snap_compare: SnapCompare) -> None:
    """Step 8 (填写交易信息): Ctrl+N on step 7."""
    _snap(snap_compare, "purchase_details")


def test_step_09_problem(snap_compare: SnapCompare) -> None:
    """Step 9 (发生了什么): Ctrl+N on step 8."""
    _snap(snap_compare, "problem")


def test_step_10_request(snap_compare: SnapCompare) -> None:
    """Step 10 (您的诉求): Ctrl+N on step 9."""
    _snap(snap_compare, "request")


def test_step_11_evidence(snap_compare: SnapCompare) -> None:
    """Step 11 (准备证据附件): Ctrl+N on step 10."""
    _snap(snap_compare, "evidence")


def test_step_12_submit(snap_compare: SnapCompare) -> None:
    """Step 12 (填写投诉内容并「提交」): Ctrl+N on step 11."""
    _snap(snap_compare, "submit")


def test_step_13_after_submit(snap_compare: SnapCompare) -> None:
    """Step 13 (提交之后): Ctrl+N on step 12, the last step."""
    _snap(snap_compare, "after_submit")


def test_review(snap_compare: SnapCompare) -> None:
    """检查答案: Ctrl+N on the last step (or Ctrl+G → 检查答案)."""
    _snap(snap_compare, REVIEW)


def test_checklist(snap_compare: SnapCompare) -> None:
    """操作清单: Ctrl+N (答案无误，生成清单) on the review page."""
    _snap(snap_compare, CHECKLIST)


def test_help(snap_compare: SnapCompare) -> None:
    """Help: F1 on step 1."""
    _snap(snap_compare, None, press=("f1",))

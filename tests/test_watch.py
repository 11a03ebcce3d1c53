"""``wizard run FLOW --watch``: the flow reloads on save, keeps answers and place, shows errors until fixed."""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from wizard.flow.loader import load_flow
from wizard.flowchange import nearest_position
from wizard.session import REVIEW, Session
from wizard.tui.app import WizardApp
from wizard.tui.screens.step import StepScreen
from wizard.tui.watch import FlowErrorsScreen, FlowWatcher

FLOW = textwrap.dedent(
    """\
    id: watch-demo
    title: 监视测试
    version: "1"
    reviewed: 2026-11-01
    steps:
      - id: first
        title: 第一步：购买情况
        fields:
          - id: shop
            type: text
            label: 店铺名称
      - id: second
        title: 第二步：商家信息
        fields:
          - id: merchant
            type: text
            label: 商家全称
      - id: third
        title: 第三步：提交
    """
)


def screen_text(app: WizardApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


def make_app(path: Path) -> WizardApp:
    return WizardApp(
        load_flow(path),
        path,
        watch=True,
        today=date(2026, 11, 25),
        store=None,
        clock=lambda: datetime(2026, 11, 25, 12, 0),
        show_save_time=False,
    )


def watcher(app: WizardApp) -> FlowWatcher:
    found = app.watcher
    assert isinstance(found, FlowWatcher)
    return found


def by_hand(app: WizardApp) -> FlowWatcher:
    """Pause the watcher's timer: the test calls ``check()`` itself, so each look happens exactly when said."""
    w = watcher(app)
    assert w.timer is not None
    w.timer.pause()
    return w


async def type_text(pilot: Pilot[Any], field_id: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#field-{field_id}", Input)
    widget.focus()
    widget.value = text
    await pilot.pause()


async def save_and_check(pilot: Pilot[Any], path: Path, text: str) -> None:
    """Save the file as an editor would, then let the watcher look (what its timer does every 0.5 s)."""
    path.write_text(text, encoding="utf-8")
    watcher(pilot.app).check()  # type: ignore[arg-type]
    await pilot.pause()
    await pilot.pause()


@pytest.fixture
def flow_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths in messages stay short: flow.yaml:12:5
    path = Path("flow.yaml")
    path.write_text(FLOW, encoding="utf-8")
    return path


async def test_edit_reload_error_fix(flow_file: Path) -> None:
    """A step's title changes on save; a syntax error is shown with line:col; fixing it clears it."""
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        by_hand(app)
        await type_text(pilot, "shop", "某某旗舰店")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session.position == "second"
        await type_text(pilot, "merchant", "某某贸易有限公司")
        assert "第二步：商家信息" in screen_text(app)

        # 1. the author renames the step: the new title is shown, nothing else moves
        await save_and_check(pilot, flow_file, FLOW.replace("第二步：商家信息", "第二步：被投诉的商家"))
        assert isinstance(app.screen, StepScreen)
        assert app.session.position == "second"
        assert "第二步：被投诉的商家" in screen_text(app)
        assert "第二步：商家信息" not in screen_text(app)
        assert app.session.answers["shop"] == "某某旗舰店"
        assert app.screen.query_one("#field-merchant", Input).value == "某某贸易有限公司"

        # 2. a syntax error: shown with line and column; the last good flow stays
        broken = FLOW.replace("title: 第二步：商家信息", "title: [第二步：商家信息")
        line = broken.splitlines().index("    title: [第二步：商家信息") + 1
        await save_and_check(pilot, flow_file, broken)
        assert isinstance(app.screen, FlowErrorsScreen)
        problems = app.screen.problems.plain
        assert problems.startswith(f"flow.yaml:{line + 1}:")  # libyaml reports the next line, where the ] is missing
        assert ": error: YAML syntax error" in problems
        shown = screen_text(app)
        assert "流程文件有错误，没有重新加载" in shown
        assert f"flow.yaml:{line + 1}:" in shown
        assert app.flow.step("second") is not None and app.flow.step("second").title.source == "第二步：被投诉的商家"  # type: ignore[union-attr]

        # 3. another broken version replaces the message (a semantic error this time)
        wrong_type = FLOW.replace("type: text\n        label: 商家全称", "type: txt\n        label: 商家全称")
        assert wrong_type != FLOW
        lines = wrong_type.splitlines()
        type_line = lines.index("        type: txt") + 1
        where = f"flow.yaml:{type_line}:{lines[type_line - 1].index('txt') + 1}"
        await save_and_check(pilot, flow_file, wrong_type)
        assert isinstance(app.screen, FlowErrorsScreen)
        assert f"{where}: error: unknown field type 'txt'" in app.screen.problems.plain
        assert where in screen_text(app)

        # 4. fixed: the message goes away and the new flow is in place, answers kept
        await save_and_check(pilot, flow_file, FLOW.replace("第二步：商家信息", "第二步：商家的全称"))
        assert isinstance(app.screen, StepScreen)
        assert app.session.position == "second"
        assert "第二步：商家的全称" in screen_text(app)
        assert "流程文件有错误" not in screen_text(app)
        assert app.session.answers["shop"] == "某某旗舰店"


async def test_removed_step_moves_to_the_nearest_one(flow_file: Path) -> None:
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        by_hand(app)
        await type_text(pilot, "shop", "某某旗舰店")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "merchant", "某某贸易有限公司")
        without_second = FLOW.replace(
            "  - id: second\n    title: 第二步：商家信息\n    fields:\n      - id: merchant\n"
            "        type: text\n        label: 商家全称\n",
            "",
        )
        assert "second" not in without_second
        await save_and_check(pilot, flow_file, without_second)
        assert app.session.position == "first"  # the earlier neighbour
        assert "第一步：购买情况" in screen_text(app)
        assert app.session.answers["merchant"] == "某某贸易有限公司"  # kept, though its field is gone
        assert app.screen.query_one("#field-shop", Input).value == "某某旗舰店"


async def test_the_timer_notices_a_save(flow_file: Path) -> None:
    """No explicit check: the watcher's own timer finds the change (waits for it, bounded)."""
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        assert watcher(app).timer is not None
        flow_file.write_text(FLOW.replace("第一步：购买情况", "第一步：您买了什么"), encoding="utf-8")
        for _ in range(400):  # up to ~20 s on a slow machine; normally one or two polls
            await pilot.pause(0.05)
            if watcher(app).reloads:
                break
        await pilot.pause()
        assert watcher(app).reloads == 1
        assert "第一步：您买了什么" in screen_text(app)


async def test_unchanged_content_is_not_reloaded(flow_file: Path) -> None:
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        by_hand(app)
        await save_and_check(pilot, flow_file, FLOW)  # saved again, same text: a new mtime only
        w = watcher(app)
        assert w.reloads == 0
        await save_and_check(pilot, flow_file, FLOW.replace("监视测试", "监视测试二"))
        assert w.reloads == 1


async def test_escape_keeps_the_last_good_flow(flow_file: Path) -> None:
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        by_hand(app)
        await save_and_check(pilot, flow_file, "steps: [\n")
        assert isinstance(app.screen, FlowErrorsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert app.session.position == "first"
        await save_and_check(pilot, flow_file, FLOW.replace("第一步：购买情况", "第一步：改好了"))
        assert isinstance(app.screen, StepScreen)
        assert "第一步：改好了" in screen_text(app)


async def test_reload_under_an_open_dialog_redraws_when_it_closes(flow_file: Path) -> None:
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        by_hand(app)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert not isinstance(help_screen, StepScreen)
        await save_and_check(pilot, flow_file, FLOW.replace("第一步：购买情况", "第一步：帮助之后"))
        assert app.screen is help_screen  # the help stays open; nothing is pushed over it
        await pilot.press("escape")
        await pilot.pause()
        watcher(app).check()  # the next poll redraws the page
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert "第一步：帮助之后" in screen_text(app)
        assert len(app.screen_stack) == 2  # the default screen and the step, nothing left behind


async def test_missing_file_is_reported_then_reloaded(flow_file: Path) -> None:
    app = make_app(flow_file)
    async with app.run_test(size=(100, 30)) as pilot:
        by_hand(app)
        flow_file.unlink()
        w = watcher(app)
        w.check()  # gone once: maybe an editor saving by rename, wait
        await pilot.pause()
        assert not isinstance(app.screen, FlowErrorsScreen)
        w.check()
        await pilot.pause()
        assert isinstance(app.screen, FlowErrorsScreen)
        assert "文件不存在" in app.screen.problems.plain
        await save_and_check(pilot, flow_file, FLOW.replace("第一步：购买情况", "第一步：回来了"))
        assert isinstance(app.screen, StepScreen)
        assert "第一步：回来了" in screen_text(app)


def test_nearest_position(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(FLOW, encoding="utf-8")
    old = tuple(s.id for s in load_flow(path).steps)
    path.write_text(FLOW.replace("  - id: third\n    title: 第三步：提交\n", ""), encoding="utf-8")
    shorter = load_flow(path)
    session = Session(shorter, today=date(2026, 11, 25))
    assert nearest_position(session, "second", old) == ("second", False)
    assert nearest_position(session, "third", old) == ("second", True)  # removed: the step before it
    assert nearest_position(session, REVIEW, old) == (REVIEW, False)
    path.write_text(FLOW.replace("id: first", "id: start"), encoding="utf-8")
    renamed = load_flow(path)
    assert nearest_position(Session(renamed, today=date(2026, 11, 25)), "first", old) == ("second", True)

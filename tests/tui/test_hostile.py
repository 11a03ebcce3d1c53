"""Markup in a flow and in what the user types is shown literally and runs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette

from tests.tui.helpers import HERE, choose, editor, make_app, next_step, screen_text, type_into
from wizard.session import CHECKLIST, REVIEW
from wizard.tui.app import WizardApp
from wizard.tui.commands import StepCommands

HOSTILE_FLOW = HERE / "flows" / "hostile.yaml"

QUIT = "[@click=app.quit]go"
SHOT = "[ @click=app.screenshot('x.svg','/tmp')]go"
BOLD = "[b]x[/i]"
CLOSE = "[/]"
LINK = '[link="https://evil.example"] x'
TYPED = f'{QUIT} {BOLD} {CLOSE} [link="https://evil.example"]x {SHOT}'


def _actions_on_screen(app: WizardApp) -> list[str]:
    """Every click action attached to what is drawn (Markdown links and Textual's own widgets have some)."""
    found: list[str] = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style else {}
            if meta and "@click" in meta:
                found.append(str(meta["@click"]))
    return found


def _assert_inert(app: WizardApp) -> None:
    for action in _actions_on_screen(app):
        assert "quit" not in action and "screenshot" not in action, action


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_flow_markup_is_shown_literally_everywhere(in_tmp: Path) -> None:
    shot_before = Path("/tmp/x.svg").exists()
    app = make_app(HOSTILE_FLOW, cwd=in_tmp)
    async with app.run_test(size=(240, 70)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for literal in (
            f"{QUIT} 标题",  # flow title, top bar
            f"{SHOT} 第一步",  # step title (and the step list)
            f"正文 {LINK} 和 {CLOSE} 以及 {QUIT}",  # Markdown body
            f"提示 {BOLD} {QUIT}",  # tip
            f"警告 {LINK}",  # warning
            f"标签 {QUIT}",  # label
            f"帮助 {CLOSE} {SHOT}",  # help
            f"占位 {BOLD}",  # placeholder
            f"选择 {BOLD}",  # select label
            QUIT,  # option shown by its value
            f"选项 {LINK}",  # option label
            f"确认 {SHOT}",  # confirm label
        ):
            assert literal in text, literal
        sidebar = "".join(line.split("▕")[0].strip() for line in text.splitlines()[1:8])
        assert f"▸ 1.{SHOT} 第一步".replace(" ", "") in sidebar.replace(" ", ""), "the step list, folded"
        _assert_inert(app)

        await type_into(pilot, "name", TYPED)
        await choose(pilot, "pick", 0)
        await choose(pilot, "sure", 0)
        assert TYPED[-60:] in screen_text(app), "the input shows what fits of it (the end), literally"
        _assert_inert(app)

        await next_step(pilot)  # the warn check fires: its message is a notification
        assert app.session.position == REVIEW
        assert any(n.message == f"检查 {QUIT}" for n in app._notifications)
        text = screen_text(app)
        assert TYPED in text and QUIT in text and f"检查 {QUIT}" in text
        _assert_inert(app)

        await next_step(pilot)
        assert app.session.position == CHECKLIST
        text = screen_text(app)
        for literal in (f"清单 {QUIT}", TYPED, f"清单二 {CLOSE}", f"组合 {BOLD}", f"{SHOT} 第一步"):
            assert literal in text, literal
        assert f"{TYPED} {SHOT}" in text, "the composed text"
        _assert_inert(app)

        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        provider = StepCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        assert any(h.text == f"跳到第 1 步：{SHOT} 第一步" for h in hits)
        await pilot.press(*"第一步")
        await pilot.pause()
        await pilot.pause()
        assert SHOT in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()

        assert app.is_running
    assert list(in_tmp.iterdir()) == [], "nothing was written"
    assert Path("/tmp/x.svg").exists() == shot_before


async def test_markup_typed_into_every_kind_of_text_field_stays_literal(in_tmp: Path) -> None:
    app = make_app(cwd=in_tmp)
    async with app.run_test(size=(240, 50)) as pilot:
        app.go("describe")
        await pilot.pause()
        await type_into(pilot, "description", TYPED + "\n" + SHOT)
        await next_step(pilot)
        assert app.session.position == "describe"  # request is still missing
        assert editor(app, "description").raw() == TYPED + "\n" + SHOT
        text = screen_text(app)
        assert f'{QUIT} {BOLD} {CLOSE} [link="https://evil.example"]x [' in text, "wrapped in the text area, literally"
        assert "@click=app.screenshot('x.svg','/tmp')]go" in text
        _assert_inert(app)
        app.go("merchant")
        await pilot.pause()
        await type_into(pilot, "merchant_name", QUIT, keys=True)
        assert editor(app, "merchant_name").raw() == QUIT
        assert QUIT in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session.answers["merchant_name"] == QUIT
        assert app.is_running
        _assert_inert(app)
    assert list(in_tmp.iterdir()) == []

"""App-wide behaviour: help, keys, command palette, scripts, themes, links, saving and resuming."""

from __future__ import annotations

import dataclasses
import webbrowser
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.command import CommandPalette, DiscoveryHit, Hit
from textual.widgets import Input

from tests.tui.helpers import (
    ALL_FIELDS_ANSWERS,
    TODAY,
    back_step,
    choose,
    editor,
    make_app,
    next_step,
    preload,
    screen_text,
    type_into,
)
from wizard.session import REVIEW, Session
from wizard.text import script as script_module
from wizard.text.render import TextRenderer
from wizard.tui import keys as keys_module
from wizard.tui.app import WizardApp
from wizard.tui.commands import StepCommands
from wizard.tui.editors import FieldEditor
from wizard.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, NoticeDialog, PickerDialog
from wizard.tui.screens.help import HelpScreen
from wizard.tui.screens.step import StepScreen

# --- help and keys ----------------------------------------------------------------------------


async def test_f1_and_question_mark_open_help_but_question_mark_types_in_inputs() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Ctrl+N" in text and "下一步" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        await pilot.press("question_mark")  # focus is on a choice list, not a text box
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        app.go("merchant")
        await pilot.pause()
        await pilot.press("tab")  # the page has the focus; Tab goes to the first field
        assert isinstance(app.focused, Input)
        await pilot.press("question_mark", "a")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen)
        assert editor(app, "merchant_name").raw() == "?a"


def test_next_and_back_keys_do_not_collide_with_text_editing() -> None:
    from textual.widgets import TextArea

    taken: set[str] = set()
    for widget in (Input, TextArea):
        for binding in widget.BINDINGS:
            keys = binding.key if hasattr(binding, "key") else binding[0]  # type: ignore[index]
            taken.update(k.strip() for k in keys.split(","))
    for spec in keys_module.KEYS:
        if spec.where in (keys_module.STEP, keys_module.GLOBAL):
            for key in spec.keys.split(","):
                assert key not in taken, f"{key} ({spec.label}) is used by Input/TextArea"


def test_key_table_for_the_readme_lists_every_key() -> None:
    table = keys_module.markdown_table()
    for spec in keys_module.KEYS:
        written = f"{spec.display}（浏览器中：{spec.browser_display}）" if spec.browser_display else spec.display
        assert f"| {written} | {spec.where} |" in table
    assert table.splitlines()[0] == "| 按键 | 哪里 | 作用 |"


async def test_footer_shows_next_and_back() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        last_line = screen_text(app).splitlines()[-1]
        assert "Ctrl+N 下一步" in last_line and "Ctrl+R 上一步" in last_line and "F1 帮助" in last_line


# --- command palette ------------------------------------------------------------------------------


async def test_palette_has_no_screenshot_and_offers_our_commands() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not any("screenshot" in t.lower() for t in titles)
        assert "导出清单" in titles and "跳到步骤…" in titles
        assert any(t.startswith("切换文字") for t in titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"screenshot")
        await pilot.pause()
        assert "Screenshot" not in screen_text(app)


async def test_palette_jumps_only_to_steps_that_apply() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        provider = StepCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        assert all(isinstance(h, DiscoveryHit) and isinstance(h.display, Text) for h in hits)
        labels = [h.text for h in hits]
        assert "跳到第 2 步：商家信息" in labels
        assert not any("网购平台" in (label or "") for label in labels)
        found = [h async for h in provider.search("购买")]
        assert found and all(isinstance(h, Hit) and isinstance(h.match_display, Text) for h in found)
        await choose(pilot, "channel", 0)
        labels = [h.text async for h in provider.discover()]
        assert "跳到第 2 步：网购平台" in labels
        target = next(h for h in [h async for h in provider.discover()] if h.text == "跳到第 4 步：购买情况")
        target.command()
        await pilot.pause()
        assert app.session.position == "purchase"


# --- scripts and themes ---------------------------------------------------------------------------


async def test_switching_script_rerenders_and_keeps_answers_and_position(monkeypatch: pytest.MonkeyPatch) -> None:
    table = str.maketrans({"说": "說", "发": "發", "么": "麼", "费": "費", "购": "購", "买": "買"})
    calls: list[str] = []

    def fake_renderer_for(script: str) -> TextRenderer:
        calls.append(script)
        return TextRenderer(lambda s: s.translate(table)) if script != "zh-Hans" else TextRenderer()

    monkeypatch.setattr(script_module, "renderer_for", fake_renderer_for)
    monkeypatch.setattr("wizard.tui.app.renderer_for", fake_renderer_for)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # zh-TW
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["zh-TW"]
        assert app.session.script == "zh-TW"
        assert app.session.position == "start"
        text = screen_text(app)
        assert "先說說發生了什麼" in text
        assert editor(app, "channel").raw() == "实体店", "stored option values and answers are never converted"


async def test_theme_toggles_between_dark_and_light() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark


async def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.no_color
        assert any(type(f).__name__ in ("NoColor", "Monochrome") for f in app._filters)


# --- links -------------------------------------------------------------------------------------


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def fake_open(url: str, *args: Any, **kwargs: Any) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return urls


async def test_official_link_opens_only_after_the_host_is_shown(opened: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o", "enter")  # the step's own link is the first one offered
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "www.12315.cn" in screen_text(app)
        assert opened == []
        await pilot.press("escape")
        await pilot.pause()
        assert opened == []
        await pilot.press("ctrl+o", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert opened == ["https://www.12315.cn/"]


def body_link_at(app: WizardApp, url: str) -> tuple[int, int]:
    """Where the body link to ``url`` is drawn (its click action holds the link's number)."""
    screen = app.screen
    assert isinstance(screen, StepScreen)
    action = f"screen.open_body_link({screen._body_links.index(url)})"
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            if segment.style and segment.style.meta.get("@click") == action:
                return x, y
            x += segment.cell_length
    raise AssertionError(f"no link to {url} on screen")


async def test_body_links_clicked_go_through_the_same_handler(opened: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.click(offset=body_link_at(app, "https://example.com/guide"))
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        assert "https://example.com/guide" in screen_text(app)
        assert "不会打开" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click(offset=body_link_at(app, "https://www.12315.cn/"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
    assert opened == ["https://www.12315.cn/"]


async def test_the_link_key_offers_every_link_of_the_step(opened: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StepScreen)
        assert screen.links() == ["https://www.12315.cn/", "https://example.com/guide"]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PickerDialog)
        text = screen_text(app)
        assert "www.12315.cn" in text and "example.com" in text
        await pilot.press("down", "enter")  # the second: not official, explained and not opened
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")  # the first: the official site, after its confirmation
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
    assert opened == ["https://www.12315.cn/"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://www.12315.cn/",
        "-https://www.12315.cn/",
        "--renderer-cmd-prefix=x",
        "https://12315.cn@evil.example/",
        "https://www.12315.cn.evil.example/",
        " https://www.12315.cn/",
    ],
)
async def test_unsafe_links_are_shown_and_never_opened(opened: list[str], url: str) -> None:
    from wizard.tui.links import follow_link

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        follow_link(app, url)
        await pilot.pause()
        assert isinstance(app.screen, NoticeDialog)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert opened == []


# --- saving and resuming (through the agreed wizard.store.disk API) --------------------------------------


@dataclasses.dataclass
class FakeResult:
    ok: bool
    when: datetime | None
    message: str | None = None


@dataclasses.dataclass
class FakeSaved:
    session_id: str
    position_title: str
    updated: datetime


class FakeStore:
    def __init__(self, saved: Session | None = None, *, fail: bool = False) -> None:
        self.saved_session = saved
        self.saves: list[dict[str, Any]] = []
        self.erased: list[str] = []
        self.fail = fail

    def startup(self) -> list[str]:
        return ["已删除 1 个超过 90 天的旧进度。"]

    def latest_for(self, flow_id: str) -> FakeSaved | None:
        if self.saved_session is None:
            return None
        return FakeSaved("s-old", "商家信息", datetime(2026, 11, 20, 9, 30))

    def restore(self, saved: FakeSaved, flow: Any, today: Any) -> tuple[Session, list[str]]:
        assert self.saved_session is not None
        return self.saved_session, ["这些答案已不再适用：旧字段"]

    def new_session_id(self) -> str:
        return "s-new"

    def claim(self, session_id: str) -> str | None:
        return None

    def release(self, session_id: str) -> None:
        pass

    def erase(self, session_id: str) -> bool:
        self.erased.append(session_id)
        return True

    def save(self, session: Session, session_id: str) -> FakeResult:
        return self.write(self.prepare(session, session_id))

    def prepare(self, session: Session, session_id: str) -> dict[str, Any]:
        return {
            "id": session_id,
            "position": session.position,
            "answers": dict(session.answers),
            "drafts": dict(session.drafts),
        }

    def write(self, prepared: dict[str, Any]) -> FakeResult:
        self.saves.append(prepared)
        if self.fail:
            return FakeResult(False, None, "磁盘已满，未能保存（上一次保存的内容还在）。")
        return FakeResult(True, datetime(2026, 11, 25, 14, 3))


async def test_resume_is_offered_and_restores_answers_and_position() -> None:
    base = make_app()
    saved = Session(base.flow, answers={"channel": "实体店", "is_consumer": True}, position="merchant", today=TODAY)
    saved.drafts["merchant_name"] = "半截公"
    store = FakeStore(saved)
    app = make_app(store=store, show_save_time=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        text = screen_text(app)
        assert "发现上次未完成的填写" in text and "商家信息" in text
        await pilot.press("enter")  # 继续上次的填写
        await pilot.pause()
        assert app.session.position == "merchant"
        assert editor(app, "merchant_name").raw() == "半截公"
        messages = [n.message for n in app._notifications]
        assert "这些答案已不再适用：旧字段" in messages
        assert "已删除 1 个超过 90 天的旧进度。" in messages
        assert app.session_id == "s-old"
        assert "已保存 14:03" in screen_text(app)


async def test_fresh_start_when_the_user_chooses_it() -> None:
    base = make_app()
    saved = Session(base.flow, answers={"channel": "实体店"}, position="merchant", today=TODAY)
    store = FakeStore(saved)
    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "enter")  # 重新开始
        await pilot.pause()
        assert app.session.position == "start"
        assert app.session.answers == {}
        assert app.session_id == "s-new"


async def test_every_change_is_saved_soon_and_on_step_change() -> None:
    store = FakeStore()
    app = make_app(store=store, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        app.save_now()  # what the timer does at most SAVE_DELAY after a change
        assert store.saves[-1]["answers"] == {"channel": "实体店"}
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        assert store.saves[-1]["position"] == "merchant"
        editor_input = app.screen.query_one("#field-merchant_phone", Input)
        editor_input.value = "010-12"
        await pilot.pause()
        assert app._save_timer is not None, "a save is scheduled after typing"
        app.save_now()
        assert store.saves[-1]["drafts"]["merchant_phone"] == "010-12"
        count = len(store.saves)
        await app.action_quit()
        assert len(store.saves) == count + 1


async def test_a_failed_save_is_shown_and_the_app_keeps_running() -> None:
    store = FakeStore(fail=True)
    app = make_app(store=store, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        app.save_now()
        await pilot.pause()
        assert "未能保存" in screen_text(app)
        assert any("磁盘已满" in n.message for n in app._notifications)
        assert app.is_running


async def test_signal_saves_and_exits() -> None:
    store = FakeStore()
    app = make_app(store=store, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        before = len(store.saves)
        app.on_signal(15)
        await pilot.pause()
    assert len(store.saves) > before
    assert store.saves[-1]["answers"] == {"channel": "实体店"}
    assert app.return_code == 143


async def test_without_a_store_nothing_is_shown() -> None:
    app = make_app(store=None)
    async with app.run_test(size=(80, 24)) as pilot:
        preload(app, ALL_FIELDS_ANSWERS)
        app.go(REVIEW)
        await pilot.pause()
        assert "已保存" not in screen_text(app)


def test_run_app_reports_a_bad_terminal_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.tui import app as app_module

    def broken_run(self: WizardApp, *args: Any, **kwargs: Any) -> int:
        raise OSError(25, "Inappropriate ioctl for device")

    monkeypatch.setattr(app_module.WizardApp, "run", broken_run)
    code = app_module.run_app(make_app().flow, Path("x.yaml"), script="zh-Hans", resume="fresh", watch=False)
    err = capsys.readouterr().err
    assert code == 1
    assert "无法在这个终端中打开全屏界面" in err and "Traceback" not in err


async def test_real_store_round_trip_resumes_answers_drafts_and_step() -> None:
    first = make_app(store="auto", resume="ask")
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert first.store is not None, "wizard.store.disk is available"
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        merchant = first.screen.query_one("#field-merchant_phone", Input)
        merchant.value = "010-12"  # not valid yet: kept as a draft
        await pilot.pause()
        await first.action_quit()
    second = make_app(store="auto", resume="ask")
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, ChoiceDialog)
        assert "商家信息" in screen_text(second)
        await pilot.press("enter")
        await pilot.pause()
        assert second.session.position == "merchant"
        assert second.session.answers["channel"] == "实体店"
        assert editor(second, "merchant_phone").raw() == "010-12"


async def test_script_switch_while_a_dialog_is_open_rebuilds_the_page_when_it_closes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        page = app.screen
        await pilot.press("f1")
        await pilot.pause()
        app._apply_renderer("zh-TW", TextRenderer(lambda s: s.replace("说", "說")))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), "the dialog stays open"
        assert isinstance(page, StepScreen)
        shown = page.pages_shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is page and page.pages_shown > shown, "the page was rebuilt"
        assert "先說說发生了什么" in screen_text(app)


async def test_ctrl_c_says_how_to_quit_in_chinese() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        assert any("Ctrl+Q" in n.message and "退出" in n.message for n in app._notifications)
        assert app.is_running


async def test_finish_and_erase_deletes_the_saved_session_after_confirmation() -> None:
    from wizard.tui.screens.checklist import ChecklistScreen

    store = FakeStore()
    app = make_app(store=store, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        preload(app, ALL_FIELDS_ANSWERS)
        app.go("__checklist__")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        app.screen.query_one("#erase").press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "您还没有导出清单" in screen_text(app)
        await pilot.press("enter")  # the focus starts on 「取消」 for a dangerous action
        await pilot.pause()
        assert store.erased == []
        app.screen.query_one("#erase").press()
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # 「删除记录」, left of 「取消」
        await pilot.pause()
        assert store.erased == ["s-new"]
        saves = len(store.saves)
        app.save_now()
        await app.action_quit()
        assert len(store.saves) == saves, "nothing is saved again after erasing"


async def test_starting_in_traditional_shows_the_first_page_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    pages: list[str] = []
    monkeypatch.setattr(
        "wizard.tui.app.renderer_for", lambda script: TextRenderer(lambda s: s.replace("说", "說").replace("么", "麼"))
    )
    app = make_app(script="zh-TW")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        pages = [type(s).__name__ for s in app.screen_stack]
        assert pages.count("StepScreen") == 1
        assert "先說說发生了什麼" in screen_text(app)
        assert app.session.script == "zh-TW"


async def test_a_broken_converter_leaves_the_wizard_in_simplified(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(script: str) -> TextRenderer:
        raise RuntimeError("no dictionary")

    monkeypatch.setattr("wizard.tui.app.renderer_for", broken)
    app = make_app(script="zh-HK")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "先说说发生了什么" in screen_text(app)
        assert any("无法切换到香港繁體" in n.message for n in app._notifications)
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


async def test_a_script_switch_rewrites_the_page_in_place_and_keeps_what_was_entered() -> None:
    """Real OpenCC: labels, help, placeholders, option labels, errors and notes are converted; the
    typed text, the ticks and the focus stay; the field widgets are the same ones (nothing rebuilt)."""
    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        assert app.session.position == "merchant"
        screen = app.screen
        assert isinstance(screen, StepScreen)
        before = list(screen.query(FieldEditor))
        await type_into(pilot, "merchant_phone", "12")  # not a valid number: an error after Next
        await next_step(pilot)
        assert "商家电话" in screen_text(app)
        control = editor(app, "merchant_phone").control_widget
        control.focus()
        await pilot.pause()
        shown_before = screen.pages_shown
        app.set_script("zh-TW")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen and list(screen.query(FieldEditor)) == before, "nothing rebuilt"
        assert screen.pages_shown == shown_before + 1
        text = screen_text(app)
        assert "商家電話" in text and "與營業執照上的名稱一字不差" in text
        assert "例如：某某貿易有限公司" in text  # an author's placeholder
        assert editor(app, "merchant_phone").raw() == "12", "what was typed is never converted"
        assert app.focused is control
        assert editor(app, "merchant_phone").error is not None  # the error is still shown, converted
        await back_step(pilot)
        assert app.session.script == "zh-TW"
        assert editor(app, "channel").raw() == "实体店"
        assert "[✓]" in screen_text(app) or "(✓)" in screen_text(app)

"""A flow that changed under a session: resume and ``--watch`` apply one rule (wizard.flowchange)
and show the same notices; a saved answer is never silently rewritten (issues #14, #16)."""

from __future__ import annotations

import textwrap
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from wizard.flow.conditions import Answer
from wizard.flow.loader import load_flow, parse_flow
from wizard.flow.model import Flow
from wizard.flowchange import Before, migrate, nearest_position
from wizard.session import REVIEW, Session
from wizard.store.disk import Store
from wizard.tui.app import WizardApp
from wizard.tui.watch import FlowWatcher

TODAY = date(2026, 11, 25)

FLOW = """\
id: change-demo
title: 改动测试
version: "{version}"
reviewed: 2026-11-01
steps:
  - id: story
    title: 经过
    fields:
      - id: detail
        type: {kind}
        label: 事情经过
"""


def flow(version: str, kind: str) -> Flow:
    loaded, problems = parse_flow(FLOW.format(version=version, kind=kind).encode(), "f.yaml")
    assert loaded is not None, [p.format() for p in problems]
    return loaded


def test_a_multi_line_answer_whose_field_became_one_line_text_is_kept_and_flagged(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.new_session_id()
    saved_text = "第一行\n第二行"
    assert store.save(Session(flow("1", "textarea"), answers={"detail": saved_text}, today=TODAY), sid).ok
    restored, notes = store.restore(store.list()[0], flow("2", "text"), TODAY)
    assert restored.answers["detail"] == saved_text  # not joined into one line
    assert any("事情经过" in n and "原样保留" in n for n in notes), notes


def test_an_unchanged_field_gives_no_notice(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.new_session_id()
    assert store.save(Session(flow("1", "textarea"), answers={"detail": "甲\n乙"}, today=TODAY), sid).ok
    restored, notes = store.restore(store.list()[0], flow("2", "textarea"), TODAY)
    assert restored.answers["detail"] == "甲\n乙"
    assert notes == []


# --- one rule for resume and --watch ----------------------------------------------------------------

V1 = textwrap.dedent(
    """\
    id: change-demo
    title: 改动测试
    version: "1"
    reviewed: 2026-11-01
    steps:
      - id: buy
        title: 购买
        fields:
          - id: channel
            type: select
            label: 购买渠道
            options:
              - value: 网购
                label: 网上购买
              - value: 地摊
                label: 路边摊
          - id: problems
            type: multiselect
            label: 遇到的问题
            options:
              - value: 假货
              - value: 缺斤少两
          - id: shop
            type: text
            label: 店铺名称
      - id: story
        title: 经过
        fields:
          - id: detail
            type: textarea
            label: 事情经过
      - id: extra
        title: 补充
        fields:
          - id: note
            type: text
            label: 补充说明
          - id: phone
            type: phone
            label: 联系电话
    """
)

ANSWERS: dict[str, Answer] = {
    "channel": "地摊",
    "problems": ["假货", "缺斤少两"],
    "shop": "某某旗舰店",
    "detail": "第一行\n第二行",
    "note": "没有了",
    "phone": "13800138000",
}

Change = Callable[[Path, str, str, str], Awaitable[tuple[Session, list[str]]]]


async def by_resume(tmp_path: Path, old: str, position: str, new: str) -> tuple[Session, list[str]]:
    store = Store(tmp_path / "sessions")
    session = Session(parsed(old), answers=dict(ANSWERS), position=position, today=TODAY)
    sid = store.new_session_id()
    assert store.save(session, sid).ok
    store.release(sid)  # as when the first wizard has quit
    again = Store(tmp_path / "sessions")
    return again.restore(again.list()[0], parsed(new), TODAY)


async def by_watch(tmp_path: Path, old: str, position: str, new: str) -> tuple[Session, list[str]]:
    path = tmp_path / "flow.yaml"
    path.write_text(old, encoding="utf-8")
    app = WizardApp(
        load_flow(path),
        path,
        watch=True,
        today=TODAY,
        store=None,
        clock=lambda: datetime(2026, 11, 25, 12, 0),
        show_save_time=False,
    )
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        watcher = app.watcher
        assert isinstance(watcher, FlowWatcher) and watcher.timer is not None
        watcher.timer.pause()
        app.replace_session(Session(app.flow, answers=dict(ANSWERS), position=position, today=TODAY))
        await pilot.pause()
        before = len(app._notifications)
        path.write_text(new, encoding="utf-8")
        watcher.check()
        await pilot.pause()
        await pilot.pause()
        messages = [n.message for n in app._notifications][before:]
        return app.session, [m for m in messages if m != "流程文件已重新加载。"]


@pytest.fixture(params=["resume", "watch"])
def change(request: pytest.FixtureRequest) -> Change:
    return by_resume if request.param == "resume" else by_watch


def parsed(text: str) -> Flow:
    loaded, problems = parse_flow(text.encode(), "f.yaml")
    assert loaded is not None, [p.format() for p in problems]
    return loaded


def without(text: str, part: str) -> str:
    assert part in text
    return text.replace(part, "")


async def test_nothing_changed_keeps_everything_quietly(tmp_path: Path, change: Change) -> None:
    session, notes = await change(tmp_path, V1, "extra", V1.replace('version: "1"', 'version: "2"'))
    assert session.answers == ANSWERS
    assert session.position == "extra"
    assert notes == []


async def test_a_removed_option_is_no_longer_chosen(tmp_path: Path, change: Change) -> None:
    new = without(V1, "          - value: 地摊\n            label: 路边摊\n")
    new = without(new, "          - value: 缺斤少两\n")
    session, notes = await change(tmp_path, V1, "extra", new)
    assert "channel" not in session.answers  # 地摊 is no longer offered
    assert session.drafts["channel"] == "地摊"  # what it was, to see when choosing again
    assert session.answers["problems"] == ["假货"]  # the option still offered stays chosen
    assert session.answers["shop"] == "某某旗舰店"
    [note] = notes
    assert "购买渠道（“地摊”已不是可选项）" in note
    assert "遇到的问题（“缺斤少两”已不是可选项，已去掉）" in note
    assert session.first_incomplete() == "buy"  # the review sends the user back to choose again


async def test_a_removed_field_keeps_its_answer_aside(tmp_path: Path, change: Change) -> None:
    new = without(V1, "      - id: note\n        type: text\n        label: 补充说明\n")
    session, notes = await change(tmp_path, V1, "extra", new)
    assert session.stale_answers() == {"note": "没有了"}  # kept (and saved) but counts for nothing
    assert "note" not in session.effective()
    assert session.position == "extra"
    [note] = notes
    assert note.startswith("这些回答已不适用于新版流程：补充说明；")


async def test_a_removed_step_moves_to_the_nearest_earlier_one(tmp_path: Path, change: Change) -> None:
    story = "  - id: story\n    title: 经过\n    fields:\n      - id: detail\n        type: textarea\n"
    story += "        label: 事情经过\n"
    new = without(V1, story)
    session, notes = await change(tmp_path, V1, "story", new)
    assert session.position == "buy"
    assert session.stale_answers() == {"detail": "第一行\n第二行"}
    assert notes[0].startswith("您上次所在的步骤已不在新版流程中，已回到“购买”")
    assert notes[1].startswith("这些回答已不适用于新版流程：事情经过；")
    assert len(notes) == 2


async def test_a_renamed_field_is_a_removed_one_and_a_new_one(tmp_path: Path, change: Change) -> None:
    """The flow format has no rename: a field with a new id starts empty, and the user is told so."""
    session, notes = await change(tmp_path, V1, "buy", V1.replace("id: shop", "id: shop_name"))
    assert "shop_name" not in session.answers
    assert session.stale_answers() == {"shop": "某某旗舰店"}
    assert len(notes) == 2
    assert notes[0].startswith("这些回答已不适用于新版流程：店铺名称；") and "改了名称" in notes[0]
    assert notes[1] == "这些项目在新版流程中是新的一项，原来的回答没有带过去，请重新填写：店铺名称。"


async def test_a_textarea_that_became_text_keeps_the_lines(tmp_path: Path, change: Change) -> None:
    new = V1.replace("type: textarea", "type: text")
    session, notes = await change(tmp_path, V1, "story", new)
    assert session.answers["detail"] == "第一行\n第二行"
    [note] = notes
    assert "事情经过" in note and "原样保留" in note


async def test_a_stricter_field_puts_the_answer_back_as_a_draft(tmp_path: Path, change: Change) -> None:
    new = V1.replace("type: phone", "type: uscc")
    session, notes = await change(tmp_path, V1, "extra", new)
    assert "phone" not in session.answers
    assert session.drafts["phone"] == "13800138000"
    [note] = notes
    assert note == "这些回答不符合新版流程的要求，请检查后重新确认：联系电话。"


def test_the_migration_value_says_what_happened() -> None:
    new = without(V1, "          - value: 缺斤少两\n").replace("id: shop", "id: shop_name")
    new = new.replace("type: textarea", "type: text").replace("type: phone", "type: uscc")
    old = Session(parsed(V1), answers=dict(ANSWERS), position="story", today=TODAY)
    result = migrate(Before.of(old), parsed(new), TODAY)
    assert result.kept == ("channel", "note")
    assert result.as_typed == ("detail",)
    assert result.refused == ("phone",)
    assert result.options_gone == {"problems": ("缺斤少两",)}
    assert result.removed == ("shop",)
    assert result.renamed == (("shop", "shop_name"),)
    assert result.moved_from is None
    assert len(result.notices) == 4


def test_an_answer_already_listed_as_removed_is_not_listed_again() -> None:
    new = V1.replace("id: shop", "id: shop_name")
    once = migrate(Before.of(Session(parsed(V1), answers=dict(ANSWERS), today=TODAY)), parsed(new), TODAY)
    assert len(once.notices) == 2
    twice = migrate(Before.of(once.session), parsed(new.replace('"1"', '"2"')), TODAY)
    assert twice.removed == ("shop",) and twice.notices == ()


def test_nearest_position() -> None:
    flow = parsed(V1)
    order = ("buy", "gone", "story", "extra")
    session = Session(flow, today=TODAY)
    assert nearest_position(session, "story", order) == ("story", False)
    assert nearest_position(session, "gone", order) == ("buy", True)  # the step before it
    assert nearest_position(session, "gone", ("gone", "story")) == ("story", True)  # none before: after
    assert nearest_position(session, "gone", ()) == ("buy", True)  # no history: the first step
    assert nearest_position(session, REVIEW, order) == (REVIEW, False)

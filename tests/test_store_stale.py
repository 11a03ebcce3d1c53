"""wizard.store.disk: answers that no longer apply are listed once, not at every resume."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.session import Session
from wizard.store.disk import SavedSession, Store
from wizard.store.format import dumps, record_from_bytes, session_to_dict

TODAY = date(2025, 6, 1)
STALE_NOTE = "这些回答已不适用于新版流程"

_HEAD = """
id: demo
title: 演示流程
version: "{version}"
reviewed: 2025-01-01
description: 测试
sources:
  - title: 测试
steps:
  - id: purchase
    title: 购买信息
    fields:
"""

_FIELDS = {
    "merchant": "      - id: merchant\n        type: text\n        label: 商家名称\n",
    "amount": "      - id: amount\n        type: money\n        label: 金额\n",
    "channel": "      - id: channel\n        type: text\n        label: 购买渠道\n",
    "phone": "      - id: phone\n        type: phone\n        label: 手机号码\n",
}


def _flow(version: str, *field_ids: str) -> Flow:
    text = _HEAD.format(version=version) + "".join(_FIELDS[f] for f in field_ids)
    flow, diagnostics = parse_flow(text.encode("utf-8"), "test.yaml")
    assert flow is not None, [d.format() for d in diagnostics]
    return flow


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIZARD_MAX_AGE_DAYS", raising=False)
    monkeypatch.delenv("WIZARD_STORE_TEST_HOOK", raising=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


def _saved(store: Store) -> SavedSession:
    saved = store.latest_for("demo")
    assert saved is not None
    return saved


def _stale_notes(notes: list[str]) -> list[str]:
    return [n for n in notes if n.startswith(STALE_NOTE)]


def _on_disk(store: Store, sid: str) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(store.path_of(sid).read_text("utf-8"))
    return obj


def _start(root: Path) -> str:
    """A session saved under v1 (all four fields answered)."""
    v1 = _flow("1", "merchant", "amount", "channel", "phone")
    store = Store(root)
    sid = store.new_session_id()
    answers: dict[str, Any] = {"merchant": "甲商店", "amount": "99.00", "channel": "网购", "phone": "13800138000"}
    assert store.save(Session(flow=v1, answers=answers, position="purchase", today=TODAY), sid).ok
    return sid


def test_restoring_twice_lists_the_stale_answers_the_first_time_only(root: Path) -> None:
    sid = _start(root)
    v2 = _flow("2", "merchant", "amount", "phone")  # `channel` removed

    first, notes = Store(root).restore(_saved(Store(root)), v2, TODAY)
    assert len(_stale_notes(notes)) == 1
    assert "购买渠道" in _stale_notes(notes)[0]
    assert first.stale_answers() == {"channel": "网购"}
    # remembered in the file right away, before any save (the app may be killed before it saves)
    assert _on_disk(Store(root), sid)["stale_notified"] == ["channel"]

    # a second resume by a new process, without any save in between: not repeated
    again, notes_again = Store(root).restore(_saved(Store(root)), v2, TODAY)
    assert _stale_notes(notes_again) == []
    # the answer is still kept (in the session and in the file) until the user erases it
    assert again.stale_answers() == {"channel": "网购"}
    assert _on_disk(Store(root), sid)["answers"]["channel"] == "网购"

    # saving and resuming again keeps both the answer and the mark
    store = Store(root)
    third, notes_third = store.restore(_saved(store), v2, TODAY)
    assert store.save(third, sid).ok
    on_disk = _on_disk(store, sid)
    assert on_disk["answers"]["channel"] == "网购"
    assert on_disk["stale_notified"] == ["channel"]
    assert _stale_notes(notes_third) == []
    _, notes_fourth = Store(root).restore(_saved(Store(root)), v2, TODAY)
    assert _stale_notes(notes_fourth) == []


def test_a_field_that_becomes_stale_later_is_listed_once_and_alone(root: Path) -> None:
    _start(root)
    v2 = _flow("2", "merchant", "amount", "phone")  # `channel` removed
    v3 = _flow("3", "merchant", "amount")  # then `phone` removed too

    _, notes = Store(root).restore(_saved(Store(root)), v2, TODAY)
    assert len(_stale_notes(notes)) == 1

    restored, notes = Store(root).restore(_saved(Store(root)), v3, TODAY)
    listed = _stale_notes(notes)
    assert len(listed) == 1
    assert "手机号码" in listed[0]
    assert "购买渠道" not in listed[0]  # already told under v2
    assert restored.stale_answers() == {"channel": "网购", "phone": "13800138000"}

    _, notes = Store(root).restore(_saved(Store(root)), v3, TODAY)
    assert _stale_notes(notes) == []


def test_a_field_that_comes_back_and_goes_again_is_listed_again(root: Path) -> None:
    sid = _start(root)
    v1 = _flow("1", "merchant", "amount", "channel", "phone")
    v2 = _flow("2", "merchant", "amount", "phone")

    _, notes = Store(root).restore(_saved(Store(root)), v2, TODAY)
    assert len(_stale_notes(notes)) == 1
    restored, notes = Store(root).restore(_saved(Store(root)), v1, TODAY)
    assert _stale_notes(notes) == []
    assert restored.answers["channel"] == "网购"
    assert "stale_notified" not in _on_disk(Store(root), sid)  # no longer stale: mark dropped
    _, notes = Store(root).restore(_saved(Store(root)), v2, TODAY)
    assert len(_stale_notes(notes)) == 1


def test_files_without_the_mark_still_load_and_a_bad_mark_is_refused() -> None:
    flow = _flow("1", "merchant")
    now = datetime.now(timezone.utc)
    obj = session_to_dict(Session(flow=flow, answers={"merchant": "甲"}), "0123456789abcdef", created=now, updated=now)
    assert "stale_notified" not in obj  # nothing stale: the key is not written (older readers see the same file)
    record, problem = record_from_bytes(dumps(obj))
    assert problem is None and record is not None
    assert record.stale_notified == frozenset()

    obj["stale_notified"] = ["gone", "not an id", 3]
    record, problem = record_from_bytes(dumps(obj))
    assert record is not None and record.stale_notified == frozenset({"gone"})

    obj["stale_notified"] = "gone"
    record, problem = record_from_bytes(dumps(obj))
    assert record is None and problem is not None

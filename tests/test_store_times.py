"""wizard.store.disk: out-of-range times in save files (issue 14 item 4) and the data folder's mode (item 9)."""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.session import Session
from wizard.store.disk import Store
from wizard.store.format import record_from_bytes

TODAY = date(2025, 6, 1)
IS_ROOT = os.geteuid() == 0
GOOD = "0123456789abcdef"
BAD = "fedcba9876543210"

FLOW = """
id: demo
title: 演示流程
version: "1"
reviewed: 2025-01-01
description: 测试
sources:
  - title: 测试
steps:
  - id: purchase
    title: 购买信息
    fields:
      - id: merchant
        type: text
        label: 商家名称
"""

# Times that parse but cannot be converted to UTC or to local time, or are absurd.
OUT_OF_RANGE = [
    "0001-01-01T00:00:00+05:00",  # UTC would be year 0
    "9999-12-31T23:00:00-05:00",  # UTC would be year 10000
    "0001-01-01T00:00:00+00:00",  # converts, but not a real save time
    "9999-12-31T23:59:59+00:00",  # local time may overflow east of UTC
]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIZARD_MAX_AGE_DAYS", raising=False)
    monkeypatch.delenv("WIZARD_STORE_TEST_HOOK", raising=False)


@pytest.fixture
def flow() -> Flow:
    parsed, diagnostics = parse_flow(FLOW.encode("utf-8"), "test.yaml")
    assert parsed is not None, [d.format() for d in diagnostics]
    return parsed


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions"


def _good_and_bad(root: Path, flow: Flow, key: str, value: str) -> bytes:
    """Save GOOD, then write BAD: a copy of it with ``key`` set to ``value``. Returns BAD's bytes."""
    store = Store(root)
    assert store.save(Session(flow=flow, answers={"merchant": "甲商店"}, position="purchase", today=TODAY), GOOD).ok
    obj = json.loads((root / f"{GOOD}.json").read_bytes())
    obj["id"] = BAD
    obj[key] = value
    data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    bad = root / f"{BAD}.json"
    bad.write_bytes(data)
    os.chmod(bad, 0o600)
    return data


@pytest.mark.parametrize("key", ["updated", "created"])
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_out_of_range_time_is_refused_as_a_format_problem(root: Path, flow: Flow, value: str, key: str) -> None:
    bad = _good_and_bad(root, flow, key, value)
    assert record_from_bytes((root / f"{GOOD}.json").read_bytes())[0] is not None
    record, problem = record_from_bytes(bad)
    assert record is None and problem is not None and "时间" in problem.reason


@pytest.mark.parametrize("key", ["updated", "created"])
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_one_file_with_an_out_of_range_time_does_not_break_the_others(
    root: Path, flow: Flow, key: str, value: str
) -> None:
    bad_bytes = _good_and_bad(root, flow, key, value)
    store = Store(root)
    notices = store.startup()
    listed = store.list()
    assert [s.session_id for s in listed] == [GOOD]
    assert any("无法使用" in n for n in notices)
    aside = store.set_aside_files()
    assert len(aside) == 1 and aside[0].startswith(f"{BAD}.json.corrupt-")
    assert (root / aside[0]).read_bytes() == bad_bytes  # set aside, not overwritten, not deleted
    assert not (root / f"{BAD}.json").exists()
    session, _notes = store.restore(listed[0], flow, TODAY)
    assert session.answers["merchant"] == "甲商店"
    assert store.erase(GOOD)
    assert store.list() == []
    assert (root / aside[0]).read_bytes() == bad_bytes


def test_listing_without_startup_sets_the_bad_file_aside(root: Path, flow: Flow) -> None:
    _good_and_bad(root, flow, "updated", OUT_OF_RANGE[0])
    store = Store(root)
    assert [s.session_id for s in store.list()] == [GOOD]
    assert store.pending_notices and len(store.set_aside_files()) == 1


def test_a_huge_max_age_does_not_break_start_up(root: Path, flow: Flow, monkeypatch: pytest.MonkeyPatch) -> None:
    _good_and_bad(root, flow, "updated", OUT_OF_RANGE[0])
    monkeypatch.setenv("WIZARD_MAX_AGE_DAYS", "999999")
    store = Store(root)
    store.startup()
    assert [s.session_id for s in store.list()] == [GOOD]
    assert Store(root).startup(max_age_days=10**9) == []


def test_a_set_aside_name_with_an_absurd_time_does_not_break_start_up(
    root: Path, flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _good_and_bad(root, flow, "updated", "2025-01-01T00:00:00+00:00")
    aside = f"{BAD}.json.corrupt-99991231T235959"
    os.rename(root / f"{BAD}.json", root / aside)
    monkeypatch.setenv("TZ", "America/New_York")  # west of UTC: the end of 9999 local is year 10000 UTC
    time.tzset()
    try:
        store = Store(root)
        assert store.startup(now=datetime(2025, 6, 1).astimezone()) == []
        assert [s.session_id for s in store.list()] == [GOOD]
        assert store.set_aside_files() == [aside]  # an unreadable stamp is kept (as today for a bad one)
    finally:
        monkeypatch.undo()
        time.tzset()


# --- the data folder's mode (item 9) -----------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_folder_is_created_0700(root: Path, flow: Flow) -> None:
    old = os.umask(0)
    try:
        store = Store(root)
        assert store.startup() == []
    finally:
        os.umask(old)
    assert _mode(root) == 0o700 and _mode(root.parent) == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777, 0o722])
def test_a_folder_others_can_write_is_refused_and_left_alone(root: Path, flow: Flow, mode: int) -> None:
    root.mkdir(parents=True)
    os.chmod(root, mode)
    store = Store(root)
    notices = store.startup()
    assert _mode(root) == mode  # never chmod-ed
    assert len(notices) == 1 and "无法使用保存位置" in notices[0] and "其他用户" in notices[0]
    result = store.save(Session(flow=flow, answers={"merchant": "甲"}, position="purchase", today=TODAY), GOOD)
    assert not result.ok and result.message and "其他用户" in result.message
    assert os.listdir(root) == []
    assert store.list() == []
    assert _mode(root) == mode


def test_the_refusal_names_the_folder_escaped(tmp_path: Path) -> None:
    root = tmp_path / "a\x1b[31mb"
    root.mkdir()
    os.chmod(root, 0o777)
    notices = Store(root).startup()
    assert len(notices) == 1 and "\x1b" not in notices[0] and "\\x1b" in notices[0]


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o705])
def test_a_folder_others_can_only_read_is_used_with_a_notice(root: Path, flow: Flow, mode: int) -> None:
    root.mkdir(parents=True)
    os.chmod(root, mode)
    store = Store(root)
    notices = store.startup()
    assert _mode(root) == mode  # never chmod-ed
    assert len(notices) == 1 and "其他用户" in notices[0] and "仍" in notices[0]
    assert store.save(Session(flow=flow, answers={"merchant": "甲"}, position="purchase", today=TODAY), GOOD).ok
    assert _mode(root / f"{GOOD}.json") == 0o600
    assert [s.session_id for s in store.list()] == [GOOD]
    assert _mode(root) == mode


def test_an_existing_0700_folder_gives_no_notice(root: Path) -> None:
    root.mkdir(parents=True)
    os.chmod(root, 0o700)
    assert Store(root).startup() == []
    assert _mode(root) == 0o700


@pytest.mark.skipif(not IS_ROOT, reason="giving a folder to another user needs root (chown)")
def test_a_folder_of_another_user_is_refused_and_left_alone(root: Path, flow: Flow) -> None:
    root.mkdir(parents=True)
    os.chmod(root, 0o700)
    os.chown(root, 65534, 65534)
    store = Store(root)
    notices = store.startup()
    assert len(notices) == 1 and "无法使用保存位置" in notices[0] and "其他用户" in notices[0]
    assert not store.save(Session(flow=flow, answers={"merchant": "甲"}, position="purchase", today=TODAY), GOOD).ok
    assert os.listdir(root) == [] and os.stat(root).st_uid == 65534 and _mode(root) == 0o700

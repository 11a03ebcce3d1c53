"""wizard.store.disk: saving, resuming, bad files, faults, modes, expiry and erasing."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.session import CHECKLIST, REVIEW, Session
from wizard.store.disk import SavedSession, SaveResult, Store
from wizard.store.format import FORMAT, dumps, record_from_bytes, session_to_dict
from wizard.text.safety import clean_text

TODAY = date(2025, 6, 1)
IS_ROOT = os.geteuid() == 0

FLOW_V1 = """
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
        required: true
      - id: amount
        type: money
        label: 金额
      - id: channel
        type: select
        label: 购买渠道
        options:
          - value: 网购
            label: 网购
          - value: 实体店
            label: 实体店
  - id: problem
    title: 遇到的问题
    fields:
      - id: detail
        type: textarea
        label: 事情经过
      - id: agree
        type: confirm
        label: 我确认属实
  - id: contact
    title: 联系方式
    fields:
      - id: phone
        type: phone
        label: 手机号码
"""

# v2: `merchant` renamed to `merchant_name`, `channel` removed, the step `problem` removed.
FLOW_V2 = """
id: demo
title: 演示流程
version: "2"
reviewed: 2025-03-01
description: 测试
sources:
  - title: 测试
steps:
  - id: purchase
    title: 购买信息
    fields:
      - id: merchant_name
        type: text
        label: 商家全称
      - id: amount
        type: money
        label: 金额
  - id: contact
    title: 联系方式
    fields:
      - id: phone
        type: phone
        label: 手机号码
"""

SECRET = "张三的私人投诉内容"


def _flow(text: str) -> Flow:
    flow, diagnostics = parse_flow(text.encode("utf-8"), "test.yaml")
    assert flow is not None, [d.format() for d in diagnostics]
    return flow


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIZARD_MAX_AGE_DAYS", raising=False)
    monkeypatch.delenv("WIZARD_STORE_TEST_HOOK", raising=False)


@pytest.fixture
def flow() -> Flow:
    return _flow(FLOW_V1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions"


@pytest.fixture
def store(root: Path) -> Store:
    return Store(root)


def _session(flow: Flow, **answers: Any) -> Session:
    base: dict[str, Any] = {"merchant": "甲商店", "amount": "99.00", "channel": "网购", "detail": SECRET}
    base.update(answers)
    return Session(flow=flow, answers=base, position="problem", today=TODAY, ticked={"purchase.0"})


def _saved(store: Store, flow_id: str = "demo") -> SavedSession:
    saved = store.latest_for(flow_id)
    assert saved is not None
    return saved


def _valid_obj(flow: Flow, sid: str, **changes: Any) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    obj = session_to_dict(_session(flow), sid, created=now, updated=now)
    obj.update(changes)
    return obj


def _write_raw(root: Path, name: str, content: bytes, mode: int = 0o600) -> Path:
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = root / name
    path.write_bytes(content)
    os.chmod(path, mode)
    return path


def _aside(root: Path) -> list[str]:
    return sorted(n for n in os.listdir(root) if ".corrupt-" in n)


def _temps(root: Path) -> list[str]:
    return sorted(n for n in os.listdir(root) if n.endswith(".tmp"))


# --- saving and restoring -------------------------------------------------------------------


def test_save_and_restore_round_trip(store: Store, flow: Flow) -> None:
    session = _session(flow, agree=True)
    session.script = "zh-TW"
    if hasattr(session, "drafts"):
        session.drafts["phone"] = "1380013"
    sid = store.new_session_id()
    result = store.save(session, sid)
    assert isinstance(result, SaveResult)
    assert result.ok and result.message is None and result.when is not None

    saved = _saved(store)
    assert saved.session_id == sid
    assert saved.flow_version == "1"
    assert saved.position == "problem"
    assert saved.position_title == "遇到的问题"
    assert saved.path == store.path_of(sid)
    restored, notes = store.restore(saved, flow, TODAY)
    assert notes == []
    assert restored.answers == session.answers
    assert restored.position == "problem"
    assert restored.ticked == {"purchase.0"}
    assert restored.script == "zh-TW"
    assert getattr(restored, "drafts", {}) == getattr(session, "drafts", {})


def test_review_and_checklist_positions_are_kept(store: Store, flow: Flow) -> None:
    for position in (REVIEW, CHECKLIST):
        session = _session(flow)
        session.go(position)
        sid = store.new_session_id()
        assert store.save(session, sid).ok
        (saved,) = store.find(sid)
        restored, _ = store.restore(saved, flow, TODAY)
        assert restored.position == position


def test_saving_again_keeps_created_and_moves_updated(store: Store, flow: Flow) -> None:
    sid = store.new_session_id()
    assert store.save(_session(flow), sid).ok
    first = json.loads(store.path_of(sid).read_text("utf-8"))
    session = _session(flow, merchant="乙商店")
    session.go("contact")
    assert store.save(session, sid).ok
    second = json.loads(store.path_of(sid).read_text("utf-8"))
    assert second["created"] == first["created"]
    assert second["answers"]["merchant"] == "乙商店"
    assert second["position"] == "contact"
    assert second["format"] == FORMAT == 1


def test_latest_for_picks_the_most_recent_session_of_that_flow(root: Path, flow: Flow) -> None:
    store = Store(root)
    older = store.new_session_id()
    newer = store.new_session_id()
    other = store.new_session_id()
    store.save(_session(flow), older)
    store.save(_session(flow), newer)
    store.save(_session(flow), other)
    for sid, minutes in ((older, 30), (newer, 10), (other, 1)):
        path = store.path_of(sid)
        obj = json.loads(path.read_text("utf-8"))
        obj["updated"] = (datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc) - timedelta(minutes=minutes)).isoformat()
        if sid == other:
            obj["flow_id"] = "another-flow"
        path.write_bytes(dumps(obj))
    assert _saved(store).session_id == newer
    assert _saved(store, "another-flow").session_id == other
    assert store.latest_for("no-such-flow") is None
    assert [s.session_id for s in store.list()] == [other, newer, older]


def test_session_ids_are_random_and_file_names_hold_nothing_else(store: Store, flow: Flow, root: Path) -> None:
    ids = {store.new_session_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"[0-9a-f]{16}", sid) for sid in ids)
    sid = store.new_session_id()
    store.save(_session(flow), sid)
    assert sorted(os.listdir(root)) == [f".{sid}.lock", f"{sid}.json"]  # the lock is named by the id only


def test_public_format_functions_round_trip(flow: Flow) -> None:
    now = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
    session = _session(flow, agree=True)
    data = dumps(session_to_dict(session, "0123456789abcdef", created=now, updated=now))
    record, problem = record_from_bytes(data)
    assert problem is None and record is not None
    assert record.session_id == "0123456789abcdef"
    assert record.answers == session.answers
    assert record.updated == now
    assert record.step_order == ("purchase", "problem", "contact")


def test_invalid_session_id_is_refused_not_written(store: Store, flow: Flow, root: Path) -> None:
    result = store.save(_session(flow), "../../etc/passwd")
    assert not result.ok and result.message
    assert os.listdir(root) == []
    assert store.erase("../x") is False


# --- file modes -----------------------------------------------------------------------------


def test_folder_is_0700_and_files_0600(root: Path, flow: Flow) -> None:
    old = os.umask(0)
    try:
        store = Store(root)
        sid = store.new_session_id()
        assert store.save(_session(flow), sid).ok
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(root.parent).st_mode) == 0o700  # folders it created itself
    assert stat.S_IMODE(os.stat(store.path_of(sid)).st_mode) == 0o600


def test_a_looser_existing_folder_is_never_chmodded(root: Path) -> None:
    root.mkdir(mode=0o700, parents=True)
    os.chmod(root, 0o755)
    Store(root).startup()
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o755  # more in tests/test_store_times.py


def test_a_session_file_with_mode_0644_is_tightened_and_still_used(store: Store, flow: Flow, root: Path) -> None:
    sid = store.new_session_id()
    store.save(_session(flow), sid)
    os.chmod(store.path_of(sid), 0o644)
    notices = Store(root).startup()
    assert len(notices) == 1 and "权限过宽" in notices[0] and sid in notices[0]
    assert stat.S_IMODE(os.stat(store.path_of(sid)).st_mode) == 0o600
    assert _saved(store).session_id == sid
    assert _aside(root) == []


# --- bad files are set aside, never overwritten -----------------------------------------------


def _bad_files(flow: Flow) -> dict[str, bytes]:
    valid = dumps(_valid_obj(flow, "0123456789abcdef"))
    return {
        "truncated": valid[: len(valid) // 2],
        "invalid-json": b"{ this is not json",
        "empty": b"",
        "invalid-utf8": b'{"format": 1, "x": "\xff\xfe"}',
        "wrong-version-newer": dumps(_valid_obj(flow, "0123456789abcdef", format=2)),
        "wrong-version-older": dumps(_valid_obj(flow, "0123456789abcdef", format=0)),
        "format-missing": dumps({k: v for k, v in _valid_obj(flow, "0123456789abcdef").items() if k != "format"}),
        "format-is-text": dumps(_valid_obj(flow, "0123456789abcdef", format="1")),
        "not-an-object": b"[1, 2, 3]",
        "answers-not-a-mapping": dumps(_valid_obj(flow, "0123456789abcdef", answers=["x"])),
        "answer-of-wrong-type": dumps(_valid_obj(flow, "0123456789abcdef", answers={"merchant": {"a": 1}})),
        "answer-a-number": dumps(_valid_obj(flow, "0123456789abcdef", answers={"amount": 12})),
        "bad-field-id": dumps(_valid_obj(flow, "0123456789abcdef", answers={"a b": "x"})),
        "bad-position": dumps(_valid_obj(flow, "0123456789abcdef", position="../x")),
        "bad-time": dumps(_valid_obj(flow, "0123456789abcdef", updated="yesterday")),
        "duplicate-keys": b'{"format": 1, "format": 1}',
        "nan": valid.replace(b'"format": 1', b'"format": NaN'),
        "deeply-nested": b"[" * 200_000,
    }


@pytest.mark.parametrize(
    "case",
    [
        "truncated",
        "invalid-json",
        "empty",
        "invalid-utf8",
        "wrong-version-newer",
        "wrong-version-older",
        "format-missing",
        "format-is-text",
        "not-an-object",
        "answers-not-a-mapping",
        "answer-of-wrong-type",
        "answer-a-number",
        "bad-field-id",
        "bad-position",
        "bad-time",
        "duplicate-keys",
        "nan",
        "deeply-nested",
    ],
)
def test_bad_file_is_set_aside_with_one_sentence(root: Path, flow: Flow, case: str) -> None:
    content = _bad_files(flow)[case]
    _write_raw(root, "0123456789abcdef.json", content)
    store = Store(root)
    notices = store.startup(now=datetime(2025, 6, 2, 8, 30, 0))
    assert len(notices) == 1
    assert notices[0].startswith("一份已保存的填写记录无法使用") and notices[0].count("。") == 1
    assert "0123456789abcdef.json.corrupt-20250602T083000" in notices[0]
    assert _aside(root) == ["0123456789abcdef.json.corrupt-20250602T083000"]
    assert (root / _aside(root)[0]).read_bytes() == content  # kept as it was
    assert store.latest_for("demo") is None
    # the wizard starts clean, and a new save never touches the set-aside file
    sid = store.new_session_id()
    assert store.save(_session(flow), sid).ok
    assert (root / _aside(root)[0]).read_bytes() == content


def test_newer_format_notice_says_so(root: Path, flow: Flow) -> None:
    _write_raw(root, "0123456789abcdef.json", _bad_files(flow)["wrong-version-newer"])
    (notice,) = Store(root).startup()
    assert "更新版本" in notice


def test_set_aside_never_overwrites_an_earlier_set_aside_file(root: Path, flow: Flow) -> None:
    now = datetime(2025, 6, 2, 8, 30, 0)
    _write_raw(root, "0123456789abcdef.json", b"first")
    Store(root).startup(now=now)
    _write_raw(root, "0123456789abcdef.json", b"second")
    Store(root).startup(now=now)
    names = _aside(root)
    assert len(names) == 2
    assert sorted((root / n).read_bytes() for n in names) == [b"first", b"second"]


def test_a_100_mb_file_is_set_aside_without_being_read(root: Path) -> None:
    root.mkdir(mode=0o700, parents=True)
    path = root / "0123456789abcdef.json"
    with open(path, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: costs no disk space
    os.chmod(path, 0o600)
    (notice,) = Store(root).startup()
    assert "文件过大" in notice
    (name,) = _aside(root)
    assert os.stat(root / name).st_size == 100 * 1024 * 1024


def test_a_symlink_to_a_valid_file_outside_is_never_followed(root: Path, flow: Flow, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes(dumps(_valid_obj(flow, "0123456789abcdef")))
    os.chmod(outside, 0o600)
    before = outside.read_bytes()
    root.mkdir(mode=0o700, parents=True)
    os.symlink(outside, root / "0123456789abcdef.json")
    store = Store(root)
    (notice,) = store.startup()
    assert "链接" in notice
    assert store.latest_for("demo") is None
    (name,) = _aside(root)
    assert os.path.islink(root / name)  # the link itself was moved, not its target
    assert outside.read_bytes() == before
    # erasing everything removes the link, not the file it points to
    store.erase_all()
    assert outside.read_bytes() == before


def test_a_symlink_replacing_a_session_is_not_written_through(root: Path, flow: Flow, tmp_path: Path) -> None:
    store = Store(root)
    sid = store.new_session_id()
    store.save(_session(flow), sid)
    outside = tmp_path / "victim.txt"
    outside.write_text("do not touch")
    store.path_of(sid).unlink()
    os.symlink(outside, store.path_of(sid))
    assert store.save(_session(flow, merchant="乙"), sid).ok
    assert outside.read_text() == "do not touch"
    assert not store.path_of(sid).is_symlink()


def test_a_fifo_or_folder_named_like_a_session_does_not_hang(root: Path) -> None:
    root.mkdir(mode=0o700, parents=True)
    os.mkfifo(root / "0123456789abcdef.json", 0o600)
    (root / "fedcba9876543210.json").mkdir(mode=0o700)
    notices = Store(root).startup()
    assert len(notices) == 2
    assert all("不是普通文件" in n for n in notices)
    assert len(_aside(root)) == 2


@pytest.mark.skipif(not IS_ROOT, reason="changing a file's owner needs root")
def test_a_file_owned_by_someone_else_is_set_aside(root: Path, flow: Flow) -> None:
    path = _write_raw(root, "0123456789abcdef.json", dumps(_valid_obj(flow, "0123456789abcdef")))
    os.chown(path, 12345, 12345)
    (notice,) = Store(root).startup()
    assert "不属于当前用户" in notice


def test_unrelated_files_in_the_folder_are_left_alone(root: Path, flow: Flow) -> None:
    _write_raw(root, "README.txt", b"mine")
    store = Store(root)
    assert store.startup() == []
    sid = store.new_session_id()
    store.save(_session(flow), sid)
    store.erase_all()
    assert sorted(os.listdir(root)) == ["README.txt"]


# --- hand-edited content is sanitised and validated again ---------------------------------------

ESCAPES = "\x1b[31m\x1b]52;c;aGk=\x07\x1b]8;;https://evil.example\x1b\\\x9b2J\u202e\u200b"


def test_escape_sequences_in_a_hand_edited_file_are_removed(root: Path, flow: Flow) -> None:
    obj = _valid_obj(flow, "0123456789abcdef")
    obj["answers"] = {
        "merchant": f"甲{ESCAPES}商店",
        "detail": f"第一行\n第二{ESCAPES}行",
        "channel": "网\u200b\x07购\u202e",
    }
    obj["drafts"] = {"phone": f"138{ESCAPES}"}
    obj["position_title"] = f"购买{ESCAPES}信息"
    obj["flow_title"] = f"演示{ESCAPES}"
    obj["flow_version"] = f"1{ESCAPES}"
    obj["ticked"] = [f"purchase.0{ESCAPES}"]
    _write_raw(root, "0123456789abcdef.json", dumps(obj))
    store = Store(root)
    assert store.startup() == []
    saved = _saved(store)
    session, notes = store.restore(saved, flow, TODAY)
    shown = [
        saved.position_title,
        saved.flow_title,
        saved.flow_version,
        *[str(v) for v in session.answers.values()],
        *getattr(session, "drafts", {}).values(),
        *session.ticked,
        *notes,
    ]
    for text in shown:
        assert not any((ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in text), repr(text)
        assert "\u202e" not in text and "\u200b" not in text
    assert session.answers["merchant"] == "甲[31m]52;c;aGk=]8;;https://evil.example\\2J商店"
    assert session.answers["detail"].startswith("第一行\n第二")  # type: ignore[union-attr]
    assert session.answers["channel"] == "网购"  # invisible characters gone: the option matches again
    assert saved.position_title == "购买[31m]52;c;aGk=]8;;https://evil.example\\2J信息"


def test_an_answer_the_field_does_not_accept_becomes_a_draft(root: Path, flow: Flow) -> None:
    obj = _valid_obj(flow, "0123456789abcdef")
    obj["answers"] = {"merchant": "甲商店", "amount": "一百块钱abc", "channel": "地摊"}
    _write_raw(root, "0123456789abcdef.json", dumps(obj))
    store = Store(root)
    session, notes = store.restore(_saved(store), flow, TODAY)
    assert session.answers == {"merchant": "甲商店"}
    assert len(notes) == 1 and "金额" in notes[0] and "购买渠道" in notes[0]
    if hasattr(session, "drafts"):
        assert session.drafts == {"amount": "一百块钱abc", "channel": "地摊"}


def test_restore_of_a_file_that_vanished_starts_clean(store: Store, flow: Flow) -> None:
    sid = store.new_session_id()
    store.save(_session(flow), sid)
    saved = _saved(store)
    store.path_of(sid).unlink()
    session, notes = store.restore(saved, flow, TODAY)
    assert session.answers == {}
    assert notes == ["无法读取这份填写记录，将从头开始。"]


# --- a flow that changed under a session ----------------------------------------------------------


def test_a_changed_flow_keeps_what_still_applies_and_lists_the_rest_once(store: Store, flow: Flow) -> None:
    sid = store.new_session_id()
    session = _session(flow, agree=True, phone="13800138000")
    session.go("problem")
    assert store.save(session, sid).ok

    v2 = _flow(FLOW_V2)
    restored, notes = store.restore(_saved(store), v2, TODAY)
    # still-present fields kept; removed or renamed ones kept aside as stale
    assert restored.answers["amount"] == "99.00"
    assert restored.answers["phone"] == "13800138000"
    assert "merchant_name" not in restored.answers
    assert set(restored.stale_answers()) == {"merchant", "channel", "detail", "agree"}
    assert restored.stale_answers()["detail"] == SECRET
    stale_notes = [n for n in notes if n.startswith("这些回答已不适用于新版流程")]
    assert len(stale_notes) == 1
    for label in ("商家名称", "购买渠道", "事情经过", "我确认属实"):
        assert stale_notes[0].count(label) == 1
    # the step `problem` is gone: back to the nearest earlier step still present
    assert restored.position == "purchase"
    assert any("已回到“购买信息”" in n for n in notes)

    # saved again under v2, the stale answers stay in the file (with their old labels)
    assert store.save(restored, sid).ok
    on_disk = json.loads(store.path_of(sid).read_text("utf-8"))
    assert on_disk["answers"]["detail"] == SECRET
    assert on_disk["flow_version"] == "2"
    store.release(sid)  # this wizard leaves: another may open the session
    again, notes_again = Store(store.root).restore(_saved(store), v2, TODAY)
    assert set(again.stale_answers()) == {"merchant", "channel", "detail", "agree"}
    assert not any(n.startswith("这些回答已不适用于新版流程") for n in notes_again)  # listed once only


def test_a_position_removed_with_no_earlier_step_falls_forward(root: Path, flow: Flow) -> None:
    obj = _valid_obj(flow, "0123456789abcdef", position="gone", step_order=["gone", "contact"])
    _write_raw(root, "0123456789abcdef.json", dumps(obj))
    store = Store(root)
    restored, _ = store.restore(_saved(store), flow, TODAY)
    assert restored.position == "contact"


def test_an_unknown_position_without_history_falls_back_to_the_first_step(root: Path, flow: Flow) -> None:
    obj = _valid_obj(flow, "0123456789abcdef", position="gone", step_order=[])
    _write_raw(root, "0123456789abcdef.json", dumps(obj))
    store = Store(root)
    restored, notes = store.restore(_saved(store), flow, TODAY)
    assert restored.position == "purchase"
    assert notes


# --- faults while saving -----------------------------------------------------------------------------


def _fd_in(root: Path, fd: int) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith(str(root.resolve()) + "/")
    except OSError:
        return False


def _failing(
    root: Path, real: Callable[..., Any], err: int, when: Callable[..., bool] | None = None
) -> Callable[..., Any]:
    def fake(*args: Any, **kwargs: Any) -> Any:
        if (when or (lambda *a, **k: _fd_in(root, a[0])))(*args, **kwargs):
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_disk_full_keeps_the_last_good_file_and_reports(
    store: Store, flow: Flow, root: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    sid = store.new_session_id()
    assert store.save(_session(flow), sid).ok
    before = store.path_of(sid).read_bytes()
    monkeypatch.setattr(os, call, _failing(root, getattr(os, call), errno.ENOSPC))
    result = store.save(_session(flow, merchant="乙商店"), sid)
    assert not result.ok and result.when is None
    assert result.message is not None and "磁盘已满" in result.message
    assert store.path_of(sid).read_bytes() == before
    assert _temps(root) == []
    monkeypatch.undo()
    # the caller retries on the next change, and it works once there is room
    assert store.save(_session(flow, merchant="乙商店"), sid).ok
    assert json.loads(store.path_of(sid).read_text("utf-8"))["answers"]["merchant"] == "乙商店"


@pytest.mark.parametrize("err", [errno.EROFS, errno.EACCES])
def test_read_only_folder_keeps_the_last_good_file_and_reports(
    store: Store, flow: Flow, root: Path, monkeypatch: pytest.MonkeyPatch, err: int
) -> None:
    sid = store.new_session_id()
    assert store.save(_session(flow), sid).ok
    before = store.path_of(sid).read_bytes()

    def creating(*args: Any, **kwargs: Any) -> bool:
        return bool(args[1] & os.O_CREAT)

    monkeypatch.setattr(os, "open", _failing(root, os.open, err, creating))
    result = store.save(_session(flow, merchant="乙商店"), sid)
    assert not result.ok
    assert result.message is not None and "只读" in result.message
    monkeypatch.undo()
    assert store.path_of(sid).read_bytes() == before
    assert _temps(root) == []


def test_other_write_errors_are_reported_with_their_code(
    store: Store, flow: Flow, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = store.new_session_id()
    monkeypatch.setattr(os, "write", _failing(root, os.write, errno.EIO))
    result = store.save(_session(flow), sid)
    assert not result.ok and result.message is not None and "EIO" in result.message
    monkeypatch.undo()
    assert [n for n in os.listdir(root) if not n.endswith(".lock")] == []  # the lock file is the session's


@pytest.mark.skipif(IS_ROOT, reason="root writes through permission bits")
def test_a_really_read_only_folder(store: Store, flow: Flow, root: Path) -> None:
    sid = store.new_session_id()
    assert store.save(_session(flow), sid).ok
    before = store.path_of(sid).read_bytes()
    os.chmod(root, 0o500)
    try:
        result = Store(root).save(_session(flow, merchant="乙商店"), sid)
        assert not result.ok and result.message is not None and "只读" in result.message
        assert store.path_of(sid).read_bytes() == before
    finally:
        os.chmod(root, 0o700)


_READ_ONLY_SCRIPT = """
import json, os, sys
from datetime import date
from pathlib import Path
from wizard.flow.loader import parse_flow
from wizard.session import Session
from wizard.store.disk import Store
root = Path(sys.argv[1])
flow, _ = parse_flow(sys.argv[2].encode(), "t.yaml")
store = Store(root)
sid = store.new_session_id()
first = store.save(Session(flow=flow, answers={"merchant": "甲"}, today=date(2025, 6, 1)), sid)
before = store.path_of(sid).read_bytes()
os.chmod(root, 0o500)
second = store.save(Session(flow=flow, answers={"merchant": "乙"}, today=date(2025, 6, 1)), sid)
os.chmod(root, 0o700)
print(json.dumps({"uid": os.geteuid(), "first": first.ok, "second": second.ok, "message": second.message,
                  "intact": store.path_of(sid).read_bytes() == before, "names": sorted(os.listdir(root))}))
"""


@pytest.mark.skipif(not IS_ROOT or shutil.which("unshare") is None, reason="needs root and unshare")
def test_a_really_read_only_folder_as_an_unprivileged_user(tmp_path: Path) -> None:
    """As root (CI), drop privileges in a user namespace so that mode 0500 really refuses writes."""
    root = tmp_path / "sessions"
    unprivileged = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    proc = subprocess.run(
        [*unprivileged, sys.executable, "-c", _READ_ONLY_SCRIPT, str(root), FLOW_V1],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0 and "unshare" in proc.stderr:
        pytest.skip(f"user namespaces unavailable: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["uid"] == 1000
    assert out["first"] is True and out["second"] is False
    assert "只读" in out["message"]
    assert out["intact"] is True
    names = [n for n in out["names"] if not n.endswith(".lock")]  # the first save's lock file stays
    assert len(names) == 1 and names[0].endswith(".json")


def test_an_unusable_data_folder_does_not_crash(tmp_path: Path, flow: Flow) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    store = Store(blocker / "sessions")
    notices = store.startup()
    assert len(notices) == 1 and notices[0].startswith("无法使用保存位置") and "不是文件夹" in notices[0]
    result = store.save(_session(flow), store.new_session_id())
    assert not result.ok and result.message
    assert store.list() == []
    assert store.latest_for("demo") is None
    assert store.erase_all() == 0


def test_the_folder_is_recreated_if_deleted_while_running(store: Store, flow: Flow, root: Path) -> None:
    root.rmdir()
    sid = store.new_session_id()
    assert store.save(_session(flow), sid).ok
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700


# --- temp files left by a crash -------------------------------------------------------------------


def test_a_temp_file_of_a_dead_process_is_removed_at_start(root: Path) -> None:
    _write_raw(root, ".0123456789abcdef.0badf00d.tmp", b'{"format": 1, "answ')
    assert Store(root).startup() == []
    assert os.listdir(root) == []


def test_a_temp_file_being_written_by_a_live_process_is_left_alone(root: Path) -> None:
    path = _write_raw(root, ".0123456789abcdef.0badf00d.tmp", b"")
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a saving process holds
        Store(root).startup()
        assert path.exists()
    finally:
        os.close(fd)
    Store(root).startup()
    assert not path.exists()


# --- expiry -------------------------------------------------------------------------------------------


def _aged(store: Store, flow: Flow, days: float) -> str:
    sid = store.new_session_id()
    store.save(_session(flow), sid)
    path = store.path_of(sid)
    obj = json.loads(path.read_text("utf-8"))
    obj["updated"] = (datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc) - timedelta(days=days)).isoformat()
    path.write_bytes(dumps(obj))
    return sid


NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def test_sessions_older_than_90_days_are_deleted_with_a_notice(store: Store, flow: Flow) -> None:
    old1 = _aged(store, flow, 91)
    old2 = _aged(store, flow, 400)
    recent = _aged(store, flow, 89)
    notices = store.startup(now=NOW)
    assert notices == ["已删除 2 份超过 90 天未更新的填写记录。"]
    assert not store.path_of(old1).exists() and not store.path_of(old2).exists()
    assert store.path_of(recent).exists()
    assert store.startup(now=NOW) == []


def test_max_age_from_the_parameter_and_the_environment(
    store: Store, flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = _aged(store, flow, 10)
    assert store.startup(now=NOW, max_age_days=30) == []
    monkeypatch.setenv("WIZARD_MAX_AGE_DAYS", "0")  # 0: never delete
    assert store.startup(now=NOW) == []
    monkeypatch.setenv("WIZARD_MAX_AGE_DAYS", "7")
    assert store.startup(now=NOW) == ["已删除 1 份超过 7 天未更新的填写记录。"]
    assert not store.path_of(sid).exists()


def test_an_invalid_max_age_in_the_environment_is_reported(
    store: Store, flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _aged(store, flow, 91)
    monkeypatch.setenv("WIZARD_MAX_AGE_DAYS", "ninety")
    notices = store.startup(now=NOW)
    assert "WIZARD_MAX_AGE_DAYS" in notices[0]
    assert notices[1] == "已删除 1 份超过 90 天未更新的填写记录。"


def test_set_aside_files_expire_too(root: Path) -> None:
    _write_raw(root, "0123456789abcdef.json.corrupt-20250101T000000", b"old")
    _write_raw(root, "fedcba9876543210.json.corrupt-20250520T000000", b"recent")
    notices = Store(root).startup(now=datetime(2025, 6, 1, 12, 0))
    assert notices == ["已删除 1 份超过 90 天未更新的填写记录。"]
    assert os.listdir(root) == ["fedcba9876543210.json.corrupt-20250520T000000"]


# --- erasing -------------------------------------------------------------------------------------------


def test_erase_one_session(store: Store, flow: Flow) -> None:
    keep = store.new_session_id()
    gone = store.new_session_id()
    store.save(_session(flow), keep)
    store.save(_session(flow), gone)
    assert store.erase(gone) is True
    assert not store.path_of(gone).exists() and store.path_of(keep).exists()
    assert store.erase(gone) is False
    assert [s.session_id for s in store.list()] == [keep]


def test_erase_all_removes_sessions_and_set_aside_files(store: Store, flow: Flow, root: Path) -> None:
    for _ in range(3):
        store.save(_session(flow), store.new_session_id())
    _write_raw(root, "0123456789abcdef.json", b"broken")
    store.startup()
    assert len(_aside(root)) == 1
    assert store.erase_all() == 4
    assert os.listdir(root) == []
    assert store.erase_all() == 0


# --- whatever a session holds, its save file reads back ----------------------------------------------

_answer_values = st.one_of(
    st.text(max_size=200),
    st.booleans(),
    st.lists(st.text(max_size=30), max_size=5),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    answers=st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True), _answer_values, max_size=8),
    drafts=st.dictionaries(st.text(max_size=10), st.text(max_size=100), max_size=4),
    ticked=st.sets(st.text(max_size=20), max_size=4),
)
def test_any_session_saves_to_a_file_that_reads_back(
    tmp_path_factory: pytest.TempPathFactory,
    flow: Flow,
    answers: dict[str, Any],
    drafts: dict[str, str],
    ticked: set[str],
) -> None:
    store = Store(tmp_path_factory.mktemp("prop"))
    session = Session(flow=flow, answers=dict(answers), today=TODAY, ticked=set(ticked))
    if hasattr(session, "drafts"):
        session.drafts.update(drafts)
    sid = store.new_session_id()
    assert store.save(session, sid).ok
    assert store.startup() == []
    record = store.load(sid)
    assert record is not None
    assert set(record.answers) == set(answers)
    for key, value in answers.items():
        got = record.answers[key]
        if isinstance(value, str):
            assert got == clean_text(value)
        elif isinstance(value, list):
            assert got == [clean_text(v, multiline=False) for v in value]
        else:
            assert got is value
    assert record.ticked == frozenset(clean_text(t, multiline=False) for t in ticked)


def test_a_lone_surrogate_or_a_foreign_value_never_breaks_saving(store: Store, flow: Flow) -> None:
    session = _session(flow, merchant="甲\ud800店")
    sid = store.new_session_id()
    assert store.save(session, sid).ok
    record = store.load(sid)
    assert record is not None and record.answers["merchant"] == "甲店"
    before = store.path_of(sid).read_bytes()
    broken = _session(flow)
    broken.answers["amount"] = object()  # type: ignore[assignment]
    result = store.save(broken, sid)
    assert not result.ok and result.message
    assert store.path_of(sid).read_bytes() == before

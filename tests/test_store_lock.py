"""Two wizards on one session (issue 14, item 8): the second is refused, never overwrites."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wizard.flow.loader import load_flow
from wizard.flow.model import Flow
from wizard.plain import run_plain
from wizard.session import Session
from wizard.store.disk import MSG_LOCKED, Store

FLOW = ROOT / "tests" / "data" / "export-flow.yaml"
TODAY = date(2024, 6, 1)

# Holds flock on the lock file given as argv[1] until its standard input closes.
HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(FLOW)


def saved_session(root: Path, flow: Flow) -> tuple[str, bytes]:
    """One session saved by a wizard that has since let go of it: its id and its bytes."""
    first = Store(root)
    first.startup()
    sid = first.new_session_id()
    session = Session(flow=flow, today=TODAY)
    assert first.save(session, sid).ok
    first.release(sid)
    return sid, first.path_of(sid).read_bytes()


@pytest.fixture
def holder(tmp_path: Path, flow: Flow) -> Iterator[tuple[Store, str, bytes, subprocess.Popen[str]]]:
    root = tmp_path / "sessions"
    sid, data = saved_session(root, flow)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root / f".{sid}.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield Store(root), sid, data, proc
    if proc.poll() is None:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()


def test_two_stores_in_one_process_cannot_hold_one_session(tmp_path: Path, flow: Flow) -> None:
    root = tmp_path / "sessions"
    sid, data = saved_session(root, flow)
    one, two = Store(root), Store(root)
    saved = one.latest_for(flow.id)
    assert saved is not None and saved.session_id == sid
    assert one.claim(sid) is None
    assert two.claim(sid) == MSG_LOCKED
    session, notes = two.restore(saved, flow, TODAY)
    assert notes == [MSG_LOCKED] and session.answers == {}
    result = two.save(Session(flow=flow, today=TODAY), sid)
    assert not result.ok and result.message == MSG_LOCKED
    assert one.path_of(sid).read_bytes() == data
    one.release(sid)  # the user switched sessions: the other wizard may have it now
    assert two.claim(sid) is None


def test_lock_held_by_another_process_refuses_resume_and_writes(
    holder: tuple[Store, str, bytes, subprocess.Popen[str]], flow: Flow
) -> None:
    store, sid, data, proc = holder
    notices = store.startup()
    saved = store.latest_for(flow.id)
    assert saved is not None and saved.session_id == sid
    assert [s.session_id for s in store.list()] == [sid]  # the lock file is not a session
    assert store.set_aside_files() == [] and not any("lock" in n for n in notices)
    session, notes = store.restore(saved, flow, TODAY)
    assert notes == [MSG_LOCKED]
    for _ in range(2):
        result = store.save(session, sid)
        assert not result.ok and result.message == MSG_LOCKED
        prepared = store.prepare(session, sid)
        assert not getattr(prepared, "ok", True)
    assert store.path_of(sid).read_bytes() == data
    # the holder ends: the kernel drops its lock
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait()
    assert store.claim(sid) is None
    assert store.save(session, sid).ok


def test_erase_removes_the_lock_file(tmp_path: Path, flow: Flow) -> None:
    root = tmp_path / "sessions"
    store = Store(root)
    sid = store.new_session_id()
    assert store.save(Session(flow=flow, today=TODAY), sid).ok
    lock = root / f".{sid}.lock"
    assert lock.exists() and lock.stat().st_mode & 0o777 == 0o600
    assert store.erase(sid)
    assert not lock.exists()
    other = store.new_session_id()
    assert store.save(Session(flow=flow, today=TODAY), other).ok
    assert store.erase_all() == 1
    assert sorted(p.name for p in root.iterdir()) == []


def test_plain_mode_tells_the_user_and_leaves_the_other_file_alone(
    holder: tuple[Store, str, bytes, subprocess.Popen[str]], flow: Flow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, sid, data, _ = holder
    monkeypatch.setenv("WIZARD_DATA_DIR", str(store.root))
    out = io.StringIO()
    code = run_plain(flow, FLOW, script="zh-Hans", resume="resume", stdin=io.BytesIO(b"1\n"), stdout=out, today=TODAY)
    assert code == 1  # input ended
    assert MSG_LOCKED in out.getvalue()
    assert "Traceback" not in out.getvalue()
    assert store.path_of(sid).read_bytes() == data
    others = [p for p in store.root.glob("*.json") if p.name != f"{sid}.json"]
    assert len(others) == 1  # what was typed went into a new session


def test_a_session_open_elsewhere_is_not_erased(
    holder: tuple[Store, str, bytes, subprocess.Popen[str]], flow: Flow
) -> None:
    store, sid, data, _ = holder
    assert store.erase(sid) is False
    other = store.new_session_id()
    assert store.save(Session(flow=flow, today=TODAY), other).ok
    assert store.erase_all() == 1  # the other one only
    assert store.kept_open == [sid]
    assert store.path_of(sid).read_bytes() == data
    assert not store.path_of(other).exists()


def test_wizard_sessions_erase_refuses_a_session_open_elsewhere(
    holder: tuple[Store, str, bytes, subprocess.Popen[str]],
) -> None:
    store, sid, data, proc = holder

    def sessions(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wizard", "sessions", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            env={**os.environ, "WIZARD_DATA_DIR": str(store.root), "PYTHONIOENCODING": "utf-8"},
        )

    one = sessions("--erase", sid)
    assert one.returncode == 1
    assert "正在另一个向导窗口中打开，没有删除" in one.stderr
    every = sessions("--erase-all")
    assert every.returncode == 1
    assert "另有 1 份正在另一个向导窗口中打开，没有删除" in every.stdout
    assert store.path_of(sid).read_bytes() == data
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait()
    assert sessions("--erase", sid).returncode == 0
    assert not store.path_of(sid).exists()

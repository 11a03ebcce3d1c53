"""SIGKILL at every point of a save: the next start finds the old or the new state, complete.

A helper process (``tests/store_kill/saver.py``) saves two known states
alternately; :mod:`wizard.store.disk` kills it with SIGKILL at a named point of
the N-th save (``WIZARD_STORE_TEST_HOOK``), or the test kills it at a random
moment. After every kill a fresh :class:`Store` starts up, and the test
checks that no temp file survives, nothing was set aside as corrupt, and the
session file holds exactly one of the two states: for a kill before the
``os.replace`` the previous one, after it the new one.
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from wizard.session import Session
from wizard.store.disk import Store

HERE = Path(__file__).resolve().parent
SAVER = HERE / "store_kill" / "saver.py"
SESSION_ID = "00112233aabbccdd"

BEFORE_REPLACE = ("before-write", "mid-write", "after-write", "after-fsync")
AFTER_REPLACE = ("after-replace", "after-dirsync")
KILLS_PER_POINT = 35  # 6 points x 35 = 210 targeted kills
RANDOM_KILLS = 40


def _load_saver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("store_kill_saver", SAVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


saver = _load_saver()


def _snapshot(session: Session) -> dict[str, object]:
    return {
        "answers": dict(session.answers),
        "position": session.position,
        "ticked": frozenset(session.ticked),
        "drafts": dict(getattr(session, "drafts", {})),
    }


def _state_on_disk(root: Path) -> str:
    """Start up like the wizard does and name the state found: 'A' or 'B'."""
    store = Store(root)
    notices = store.startup()
    assert notices == [], notices
    names = [n for n in os.listdir(root) if not n.endswith(".lock")]  # a dead wizard's lock file stays
    assert [n for n in names if n.endswith(".tmp")] == [], names
    assert [n for n in names if ".corrupt-" in n] == [], names
    assert names == [f"{SESSION_ID}.json"], names
    record = store.load(SESSION_ID)
    assert record is not None
    found = {
        "answers": record.answers,
        "position": record.position,
        "ticked": record.ticked,
        "drafts": record.drafts,
    }
    flow = saver.load_flow(saver.FLOW_PATH)
    known = {name: _snapshot(s) for name, s in saver.states(flow).items()}
    matches = [name for name, snap in known.items() if snap == found]
    assert len(matches) == 1, f"the file holds neither known state: {sorted(found)}"
    # and the wizard can resume it
    saved = store.latest_for("store-kill")
    assert saved is not None and saved.session_id == SESSION_ID
    session, notes = store.restore(saved, flow, saver.TODAY)
    assert notes == []
    assert _snapshot(session) == known[matches[0]]
    return matches[0]


def _other(name: str) -> str:
    return "B" if name == "A" else "A"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    data = tmp_path / "sessions"
    store = Store(data)
    flow = saver.load_flow(saver.FLOW_PATH)
    assert store.save(saver.states(flow)["A"], SESSION_ID).ok
    return data


@pytest.fixture
def server(root: Path) -> Iterator[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if k != "WIZARD_STORE_TEST_HOOK"}
    proc = subprocess.Popen(
        [sys.executable, str(SAVER), "serve", str(root), SESSION_ID],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    yield proc
    if proc.poll() is None:
        assert proc.stdin is not None
        proc.stdin.write("quit\n")
        proc.stdin.close()
        proc.wait(timeout=30)


def _ask(proc: subprocess.Popen[str], command: str) -> str:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(command + "\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def test_sigkill_at_every_save_point_leaves_old_or_new_state(root: Path, server: subprocess.Popen[str]) -> None:
    current = "A"
    kills = 0
    seen_after: dict[str, set[str]] = {}
    for i in range(KILLS_PER_POINT):
        for point in BEFORE_REPLACE + AFTER_REPLACE:
            nth = 1 + i % 3  # die during the 1st, 2nd or 3rd save of the run
            first = _other(current)
            reply = _ask(server, f"hook {point} {nth} {first}")
            assert reply == f"signal {signal.SIGKILL}", (point, nth, reply)
            kills += 1
            # save k writes `first` when k is odd, `current` when even
            last_done = nth - 1 if point in BEFORE_REPLACE else nth
            expected = current if last_done == 0 else (first if last_done % 2 else current)
            found = _state_on_disk(root)
            assert found == expected, (point, nth)
            seen_after.setdefault(point, set()).add(found)
            current = found
    assert kills >= 200
    assert set(seen_after) == set(BEFORE_REPLACE + AFTER_REPLACE)


def test_sigkill_at_random_moments_leaves_a_complete_state(root: Path, server: subprocess.Popen[str]) -> None:
    rng = random.Random(12315)
    current = "A"
    found_states: set[str] = set()
    for _ in range(RANDOM_KILLS):
        reply = _ask(server, f"random {rng.randrange(0, 20_000)} {_other(current)}")
        assert reply == f"signal {signal.SIGKILL}", reply
        current = _state_on_disk(root)
        found_states.add(current)
    assert found_states <= {"A", "B"}


@pytest.mark.parametrize("point", ["before-write", "after-fsync", "after-replace"])
def test_sigkill_in_a_fresh_process_via_environment(root: Path, point: str) -> None:
    """The hook as a real run would see it: a new interpreter, the variable in its environment."""
    env = dict(os.environ, WIZARD_STORE_TEST_HOOK=f"{point}:2")
    proc = subprocess.run(
        [sys.executable, str(SAVER), "once", str(root), SESSION_ID, "B"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode(errors="replace")
    # save 1 wrote B; save 2 (A) was cut before or after its replace
    assert _state_on_disk(root) == ("B" if point in ("before-write", "after-fsync") else "A")

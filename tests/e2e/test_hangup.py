"""End to end: the terminal closed (or SIGTERM) at any moment ends the real ``wizard``
and keeps what was typed (issue 14).

The installed ``wizard`` runs in a tmux pane (its pid written by a small
shell wrapper before it ``exec``\\ s, so the pid is the wizard's own). The
terminal is closed the way a user closes a window: ``tmux kill-server``
closes the pane's pseudo-terminal, the kernel hangs it up and sends
``SIGHUP``. Before issue 14, 2 processes in 12 hung up right after the first
paint kept running for ever (Textual's writer thread died on the dead
terminal and its full queue blocked the shutdown) and ignored ``SIGTERM``.

Each case is repeated, because the hang depended on timing. "Gone" is
polled for up to :data:`GONE` seconds: a hang lasts for ever, so the bound
only turns it into a failure and says nothing about speed (the promise is
2 s: ``wizard.shutdown.GRACE``).
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.hostile.common import SMALL_FLOW

from .test_tmux import DEADLINE, WIZARD, Terminal, pytestmark, terminal

__all__ = ["pytestmark", "terminal"]  # the markers and the fixture, shared with test_tmux

GONE = 10.0  # seconds before a process still there counts as hung (not a timing assertion)
PAINTED = "关于商家"  # the first step's title: the first page is on the screen


def _start(term: Terminal, pid_file: Path, *args: str, flow: str = str(SMALL_FLOW)) -> int:
    if pid_file.exists():
        pid_file.unlink()
    data = term.env["WIZARD_DATA_DIR"]
    script = 'echo $$ > "$1"; data="$2"; shift 2; exec env WIZARD_DATA_DIR="$data" "$@"'
    term.start(["sh", "-c", script, "sh", str(pid_file), data, str(WIZARD), "run", flow, *args])
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        text = pid_file.read_text() if pid_file.exists() else ""
        if text.endswith("\n") and text.strip().isdigit():
            return int(text)
        time.sleep(0.02)
    raise AssertionError("the wrapper did not write the wizard's pid")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the pid was reused by someone else's process
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its parent has not looked yet


def _assert_gone(pid: int, what: str) -> None:
    end = time.monotonic() + GONE
    while _running(pid) and time.monotonic() < end:
        time.sleep(0.05)
    if _running(pid):
        os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"the wizard was still running {GONE:.0f} s after {what}")


def _saved(data: Path) -> dict[str, object]:
    files = [p for p in data.glob("*.json") if p.is_file()]
    assert len(files) == 1, sorted(p.name for p in data.iterdir())
    obj: dict[str, object] = json.loads(files[0].read_text("utf-8"))
    return {**obj.get("drafts", {}), **obj.get("answers", {})}  # type: ignore[dict-item]


def _clear(data: Path) -> None:
    for p in data.iterdir():
        p.unlink()


@pytest.mark.parametrize("moment", ["starting", "first-paint"])
def test_terminal_closed_early_ends_the_app(moment: str, terminal: Terminal, tmp_path: Path) -> None:
    pid_file = tmp_path / "wizard.pid"
    for _ in range(12):  # the count: 2 of 12 hung
        pid = _start(terminal, pid_file, "--fresh", flow="12315-complaint")  # a long first page
        if moment == "first-paint":
            terminal.wait_for("第 1 / 13 步")
        terminal.kill()  # the window closed: the pane's terminal is hung up
        _assert_gone(pid, f"its terminal was closed ({moment})")
        assert not terminal.alive()


@pytest.mark.parametrize("how", ["hangup", "sigterm"])
def test_what_was_typed_is_saved_when_the_terminal_closes(how: str, terminal: Terminal, tmp_path: Path) -> None:
    pid_file = tmp_path / "wizard.pid"
    data = Path(terminal.env["WIZARD_DATA_DIR"])
    for i in range(3):
        _clear(data)
        pid = _start(terminal, pid_file, "--fresh")
        terminal.wait_for(PAINTED)
        terminal.keys("Tab")
        terminal.wait_for("▸ 商家名称")
        name = f"某某商店{i}号"
        terminal.type(name)
        terminal.wait_for(name)
        # at once: within the autosave's delay, so only the signal's own save can have it
        if how == "hangup":
            terminal.kill()
        else:
            os.kill(pid, signal.SIGTERM)
        _assert_gone(pid, how)
        assert _saved(data) == {"merchant": name}
        terminal.kill()
        assert not list(data.glob(".*.tmp"))


@pytest.mark.parametrize("how", ["hangup", "sigterm"])
def test_plain_mode_saves_and_ends_when_the_terminal_closes(how: str, terminal: Terminal, tmp_path: Path) -> None:
    pid_file = tmp_path / "wizard.pid"
    data = Path(terminal.env["WIZARD_DATA_DIR"])
    for i in range(3):
        _clear(data)
        pid = _start(terminal, pid_file, "--plain", "--fresh")
        terminal.wait_for("问题 1 / 3")
        terminal.type(f"某某商店{i}号")
        terminal.keys("Enter")
        terminal.wait_for("问题 2 / 3")
        terminal.type("第一行经过")  # a multi-line answer: one line typed, not yet ended
        terminal.keys("Enter")
        terminal.wait_for(lambda s: s.rstrip().endswith("…"))  # the prompt for the next line
        if how == "hangup":
            terminal.kill()
        else:
            os.kill(pid, signal.SIGTERM)
        _assert_gone(pid, how)
        assert _saved(data) == {"merchant": f"某某商店{i}号", "story": "第一行经过"}
        terminal.kill()

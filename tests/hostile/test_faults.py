"""Entrance 7: faults around the program: signals, a shrinking terminal, a dumb terminal, no home, a failing disk.

The real ``wizard`` runs under a pseudo-terminal for the terminal cases; the
disk cases drive the app with Pilot over the real store while its writes
fail. ``SIGKILL`` at save points is ``tests/test_store_kill.py`` (200+ kills
of a real process); this file checks the signals a user's system sends.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.hostile.common import SMALL_FLOW, assert_clean_output, base_env, tree, wizard
from tests.hostile.terminal import PtyApp, app_env, visible_text
from wizard.flow.loader import load_flow
from wizard.store.disk import Store
from wizard.tui.app import WizardApp
from wizard.tui.screens.dialogs import ConfirmDialog

RESTORED = b"\x1b[?1049l"  # the app left the alternate screen: the terminal is usable again

#: Runs the command line with no home at all: HOME unset and no entry in the user database.
NO_HOME = (
    "-c",
    "import pwd, sys\n"
    "def missing(uid):\n"
    "    raise KeyError(uid)\n"
    "pwd.getpwuid = missing\n"
    "from wizard.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n",
)


@pytest.fixture
def place(tmp_path: Path) -> Iterator[dict[str, Path]]:
    folders = {name: tmp_path / name for name in ("data", "home", "cwd", "tmp")}
    for folder in folders.values():
        folder.mkdir()
    yield folders


def _answers(data: Path) -> dict[str, Any]:
    (saved,) = data.glob("*.json")
    answers: dict[str, Any] = json.loads(saved.read_text(encoding="utf-8"))["answers"]
    return answers


def _start(place: dict[str, Path], **env: str) -> PtyApp:
    app = PtyApp(
        ["run", str(SMALL_FLOW)],
        env=app_env(place["data"], place["home"], TMPDIR=str(place["tmp"]), **env),
        cwd=place["cwd"],
    )
    app.wait_for_text("关于商家")
    app.wait_quiet()
    return app


# --- signals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP-terminal-closed"])
def test_signal_saves_and_exits_cleanly(signum: int, place: dict[str, Path]) -> None:
    with _start(place) as app:
        app.press("tab")
        app.wait_quiet()
        app.send("某某商店")
        app.wait_for_text("某某商店")
        app.signal(signum)  # at once: before the autosave's delay has passed
        code = app.wait_exit()
        raw = app.output
    assert code == 128 + signum
    assert raw.rfind(RESTORED) > raw.rfind(b"\x1b[?1049h"), "the terminal was given back"
    assert "Traceback" not in visible_text(raw)
    assert _answers(place["data"]) == {"merchant": "某某商店"}, "what was typed is saved"
    assert tree(place["cwd"]) == [] and tree(place["tmp"]) == []


# --- the terminal's size ---------------------------------------------------------------------------


def _columns_used(raw: bytes) -> int:
    return max((int(c) for _r, c in re.findall(rb"\x1b\[(\d+);(\d+)H", raw)), default=0)


def _last_frame_fits(raw: bytes, cols: int, rows: int) -> bool:
    """The last full repaint (it starts at row 1, column 1) stays within ``cols`` x ``rows``."""
    start = raw.rfind(b"\x1b[1;1H")
    if start < 0:
        return False
    moves = [(int(r), int(c)) for r, c in re.findall(rb"\x1b\[(\d+);(\d+)H", raw[start:])]
    return bool(moves) and max(c for _r, c in moves) <= cols and max(r for r, _c in moves) <= rows


def test_terminal_resized_to_20x8_and_back(place: dict[str, Path]) -> None:
    # COLUMNS/LINES would win over the pty's real size (shutil.get_terminal_size), so they are left out
    app = PtyApp(
        ["run", str(SMALL_FLOW)],
        env=app_env(place["data"], place["home"], size_in_env=False, TMPDIR=str(place["tmp"])),
        cwd=place["cwd"],
    )
    with app:
        app.wait_for_text("关于商家")
        app.wait_quiet()
        app.press("tab")
        app.send("甲")
        app.wait_for_text("甲")
        before = len(app.output)
        app.resize(20, 8)
        app.wait_for(lambda: _last_frame_fits(app.output[before:], 20, 8), "a whole screen drawn at 20x8")
        assert app.proc.poll() is None, "still running at 20x8"
        app.send("乙")  # typing still works while tiny
        app.wait_quiet()
        middle = len(app.output)
        app.resize(80, 24)
        app.wait_for(lambda: _columns_used(app.output[middle:]) > 20, "a redraw at 80x24")
        app.wait_for(lambda: "甲乙" in visible_text(app.output[middle:]), "the answer after resizing back")
        app.press("ctrl+q")
        code = app.wait_exit()
        raw = app.output
    assert code == 0
    assert "Traceback" not in visible_text(raw)
    assert _answers(place["data"]) == {"merchant": "甲乙"}, "nothing lost"


# --- TERM=dumb: the plain mode ---------------------------------------------------------------------


def test_term_dumb_chooses_the_plain_mode(place: dict[str, Path]) -> None:
    with PtyApp(
        ["run", str(SMALL_FLOW)],
        env=app_env(place["data"], place["home"], TMPDIR=str(place["tmp"]), TERM="dumb"),
        cwd=place["cwd"],
    ) as app:
        app.wait_for_text("第 1 / 2 步：关于商家")
        app.wait_for_text("问题 1 / 3：商家名称")
        app.send("某某商店\r")
        app.wait_for_text("问题 2 / 3：事情经过")
        app.send(b"\x04")  # Ctrl+D: the input ends
        code = app.wait_exit()
        raw = app.output
    assert code == 1
    text = visible_text(raw)
    assert "进度已保存" in text
    assert b"\x1b[?1049h" not in raw and b"\x1b[" not in raw, "no full screen, no cursor movement, no colour"
    assert _answers(place["data"]) == {"merchant": "某某商店"}


# --- no HOME ---------------------------------------------------------------------------------------


def test_no_home_with_a_data_folder_works(place: dict[str, Path]) -> None:
    env = base_env(place["data"], None)
    assert "HOME" not in env
    ran = wizard(["run", "--plain", str(SMALL_FLOW)], place["cwd"], env, "某某商店\n".encode())
    ran.assert_exited_cleanly(1)
    assert "进度已保存" in ran.stdout
    assert _answers(place["data"]) == {"merchant": "某某商店"}
    listed = wizard(["sessions"], place["cwd"], env)
    listed.assert_exited_cleanly(0)
    assert "hostile-small" in listed.stdout
    ran.assert_cwd_untouched()


@pytest.mark.parametrize("command", ["sessions", "run-plain"])
def test_no_home_and_no_data_folder_fails_clearly(command: str, place: dict[str, Path]) -> None:
    env = base_env(None, None)
    assert "HOME" not in env and "WIZARD_DATA_DIR" not in env
    args = ["sessions"] if command == "sessions" else ["run", "--plain", str(SMALL_FLOW)]
    ran = wizard(args, place["cwd"], env, "某某商店\n".encode(), python=NO_HOME)
    ran.assert_exited_cleanly(1)
    assert_clean_output(ran.output, command)
    assert "无法确定保存填写记录的位置" in ran.stderr and "WIZARD_DATA_DIR" in ran.stderr, ran.output
    ran.assert_cwd_untouched()
    assert not Path(place["cwd"], "~").exists()


def test_no_home_full_screen_app_runs_without_saving_and_says_so(place: dict[str, Path]) -> None:
    env = {k: v for k, v in app_env(None, None, TMPDIR=str(place["tmp"])).items()}
    with PtyApp(["run", str(SMALL_FLOW)], env=env, cwd=place["cwd"], python=NO_HOME) as app:
        app.wait_for_text("关于商家")
        app.wait_for_text("无法使用保存功能")
        app.wait_quiet()
        app.press("ctrl+q")
        code = app.wait_exit()
    assert code == 0
    assert tree(place["cwd"]) == [] and tree(place["tmp"]) == []


# --- disk full, read-only folder -------------------------------------------------------------------


def _in(root: Path, fd: int) -> bool:
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return False
    return target == str(root.resolve()) or target.startswith(str(root.resolve()) + "/")


def _failing_write(root: Path, real: Callable[..., Any]) -> Callable[..., Any]:
    def write(fd: int, data: Any) -> Any:
        if _in(root, fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    return write


def _failing_create(root: Path, real: Callable[..., Any]) -> Callable[..., Any]:
    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> Any:
        if flags & os.O_CREAT and kwargs.get("dir_fd") is not None and _in(root, kwargs["dir_fd"]):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(path, flags, *args, **kwargs)

    return open_


FAULTS = {
    "disk-full": ("write", _failing_write, "磁盘已满"),
    "read-only-folder": ("open", _failing_create, "只读"),
}


async def _until(pilot: Any, check: Callable[[], bool], what: str) -> None:
    for _ in range(200):  # a hang guard of about 20 s: the autosave waits 0.5 s
        if check():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_failing_disk_while_saving_warns_and_keeps_running(
    fault: str, place: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    call, make_fake, words = FAULTS[fault]
    root = place["data"] / "sessions"
    store = Store(root)
    app = WizardApp(load_flow(SMALL_FLOW), SMALL_FLOW, store=store, today=date(2026, 11, 25), cwd=place["cwd"])
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.screen.query_one("#field-merchant", Input)
        box.focus()
        await pilot.press(*"甲")
        await _until(pilot, lambda: app.save_status[1] and app.save_status[0].startswith("已保存"), "the first save")
        good = {p.name: p.read_bytes() for p in root.iterdir() if p.suffix != ".lock"}
        assert len(good) == 1

        monkeypatch.setattr(os, call, make_fake(root, getattr(os, call)))
        await pilot.press(*"乙")
        await _until(pilot, lambda: not app.save_status[1], "the failed save")
        assert app.is_running
        assert "未能保存" in app.save_status[0]
        assert any(words in str(n.message) for n in app._notifications), "a visible warning"
        assert {p.name: p.read_bytes() for p in root.iterdir() if p.suffix != ".lock"} == good, (
            "the last good save is intact, no temp file"
        )

        await pilot.press("ctrl+q")  # quitting now would lose 乙: the app asks first
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # 留下
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ConfirmDialog)

        monkeypatch.undo()
        await pilot.press(*"丙")  # the next change retries
        await _until(pilot, lambda: app.save_status[1], "the retried save")
        assert box.value == "甲乙丙"
        await pilot.press("ctrl+q")  # saved: leaves without asking
        await pilot.pause()
    assert app.return_code == 0
    assert _answers(root) == {"merchant": "甲乙丙"}, "nothing lost once the disk is back"
    assert tree(place["cwd"]) == []

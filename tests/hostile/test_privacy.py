"""Entrance 8: privacy. Nothing personal in file names, logs, the process list or the terminal's title;
the command palette offers no "Screenshot" that would write the screen (with personal data) to disk.

One real ``wizard`` under a pseudo-terminal is given personal answers (a
name, a mobile number, a merchant), saves them, and is then examined from
outside while it runs (``/proc``), through what it wrote to the terminal,
and through every file it left, with ``HOME``, ``TMPDIR`` and the current
folder pointed at empty folders of its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from tests.hostile.common import SMALL_FLOW, tree
from tests.hostile.terminal import PtyApp, app_env, osc_sequences, visible_text
from wizard.tui.exporting import default_path

PERSONAL = ("张三丰", "13812345678", "某某贸易有限公司")
SESSION_FILE = re.compile(r"(?:[0-9a-f]{16}\.json|\.[0-9a-f]{16}\.lock)\Z")  # a session and its lock file


@dataclass
class Run:
    place: dict[str, Path]
    raw: bytes = b""
    code: int | None = None
    cmdline: str = ""
    environ: str = ""
    thread_names: list[str] = field(default_factory=list)
    palette: str = ""
    still_running_after_palette: bool = False


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    base = tmp_path_factory.mktemp("privacy")
    place = {name: base / name for name in ("data", "home", "cwd", "tmp")}
    for folder in place.values():
        folder.mkdir()
    out = Run(place)
    env = app_env(place["data"], place["home"], TMPDIR=str(place["tmp"]))
    with PtyApp(["run", str(SMALL_FLOW)], env=env, cwd=place["cwd"]) as app:
        app.wait_for_text("关于商家")
        app.wait_quiet()
        app.press("tab")
        app.send(PERSONAL[2])
        app.press("tab")
        app.send(f"{PERSONAL[0]}的投诉")
        app.wait_for_text(PERSONAL[0])
        app.press("ctrl+n")
        app.wait_for_text("您的手机号")
        app.wait_quiet()
        app.press("tab")
        app.send(PERSONAL[1])
        app.wait_for_text(PERSONAL[1])
        app.wait_for(lambda: any(PERSONAL[1] in p.read_text("utf-8") for p in place["data"].glob("*.json")), "a save")
        pid = app.proc.pid
        out.cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
        out.environ = Path(f"/proc/{pid}/environ").read_bytes().decode("utf-8", "replace")
        out.thread_names = [
            Path(f"/proc/{pid}/task/{tid}/comm").read_text("utf-8", "replace")
            for tid in os.listdir(f"/proc/{pid}/task")
        ]
        # the command palette: search for Textual's "Screenshot" command, and run the best hit if any
        before = len(app.output)
        app.press("ctrl+p")
        app.wait_quiet()
        app.send("screensh")
        app.wait_for(lambda: "No matches found" in visible_text(app.output[before:]), "the search to finish")
        out.palette = visible_text(app.output[before:])
        app.press("enter")
        app.wait_quiet()
        out.still_running_after_palette = app.proc.poll() is None
        app.press("escape")
        app.wait_quiet()
        app.press("ctrl+q")
        out.code = app.wait_exit()
        out.raw = app.output
    yield out


def test_the_run_saved_the_personal_answers(run: Run) -> None:
    """The journey itself worked (so the checks below look at a real session)."""
    assert run.code == 0
    (saved,) = run.place["data"].glob("*.json")
    content = saved.read_text("utf-8")
    assert all(p in content for p in PERSONAL)


def test_file_names_hold_nothing_personal(run: Run) -> None:
    names = os.listdir(run.place["data"])
    assert names and all(SESSION_FILE.match(n) for n in names), names
    suggested = default_path("hostile-small", "markdown", datetime(2026, 11, 25, 14, 3), run.place["cwd"])
    assert suggested.name == "hostile-清单-20261125-1403.md", "the export's suggested name: flow and time only"


def test_nothing_is_written_outside_the_data_folder(run: Run) -> None:
    """No log, no cache, no screenshot, no temp file: HOME, TMPDIR and the current folder stay empty."""
    for where in ("home", "cwd", "tmp"):
        assert tree(run.place[where]) == [], f"written into {where}: {tree(run.place[where])}"


def test_the_process_list_holds_nothing_personal(run: Run) -> None:
    for what in (run.cmdline, run.environ, *run.thread_names):
        for personal in PERSONAL:
            assert personal not in what


def test_the_terminal_title_never_changes(run: Run) -> None:
    """OSC 0/1/2 set the window title, which window lists and taskbars show to anyone nearby."""
    titles = [o for o in osc_sequences(run.raw) if re.match(rb"\x1b\][012];", o)]
    assert titles == []


def test_command_palette_offers_no_screenshot(run: Run) -> None:
    assert "screensh" in run.palette, "the search was typed into the palette"
    assert "No matches found" in run.palette, "Textual's own answer when no command matches"
    assert "Save an SVG" not in run.palette and "Screenshot" not in run.palette
    assert run.still_running_after_palette
    for folder in run.place.values():
        assert not any(p.suffix == ".svg" for p in folder.rglob("*")), "no screenshot anywhere"

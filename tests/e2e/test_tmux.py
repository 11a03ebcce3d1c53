"""End to end: the installed ``wizard`` in a real terminal (tmux, 80x24), driven with the documented keys only.

The whole 12315 complaint flow is answered as in the example
``online-clothing-refund.yaml`` (dates moved relative to today), from the
first step to the checklist, which is then exported. The test reads the
screen with ``capture-pane`` and waits for what it expects with a generous
deadline; it never sleeps to assert.

Keys used (all in the help screen and the README): Tab, ↓, Space, typing,
Ctrl+N, E, Enter, Ctrl+Q.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from wizard.answers.file import load_answers
from wizard.flow.conditions import Answer
from wizard.flow.loader import load_flow
from wizard.flow.model import FieldType, Step
from wizard.session import REVIEW, Session
from wizard.text.render import PLAIN

ROOT = Path(__file__).resolve().parents[2]
FLOW = ROOT / "flows" / "12315-complaint.yaml"
EXAMPLE = ROOT / "flows" / "examples" / "12315-complaint" / "online-clothing-refund.yaml"
WIZARD = Path(sys.executable).parent / "wizard"
DEADLINE = 20.0

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not WIZARD.exists(), reason="the wizard command is not installed in this environment"),
    pytest.mark.skipif(not FLOW.is_file(), reason="the 12315 flow is not in this tree"),
]


class Terminal:
    """One tmux server of our own (its own socket), one 80x24 window running the wizard."""

    def __init__(self, socket: str, cwd: Path, env: dict[str, str]) -> None:
        self.socket = socket
        self.cwd = cwd
        self.env = env
        self.name = "wizard"

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-u", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            check=check,
            timeout=30,
        )

    def start(self, command: list[str]) -> None:
        self.tmux("new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", "-c", str(self.cwd), *command)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.name, check=False).returncode == 0

    def wait_for(self, what: str | Callable[[str], bool], deadline: float = DEADLINE) -> str:
        test = (lambda s: what in s) if isinstance(what, str) else what
        end = time.monotonic() + deadline
        shown = ""
        while time.monotonic() < end:
            shown = self.screen()
            if test(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"waited {deadline:.0f} s for {what!r}; the screen shows:\n{shown}")

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)  # a folder others can read gets a notice (issue 14 item 9)
    work = tmp_path / "work"
    work.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "WIZARD_DATA_DIR": str(data),
    }
    term = Terminal(f"wizard-e2e-{os.getpid()}", work, env)
    try:
        yield term
    finally:
        term.kill()


def _answers(today: date) -> dict[str, Answer]:
    flow = load_flow(FLOW)
    loaded = load_answers(flow, EXAMPLE, today)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    answers = dict(loaded.answers)
    answers["harm_known_date"] = (today - timedelta(days=13)).isoformat()
    answers["purchase_date"] = (today - timedelta(days=17)).isoformat()
    answers["received_date"] = (today - timedelta(days=15)).isoformat()
    return answers


def _flat(screen: str) -> str:
    """The screen without line breaks, spaces and box borders: text wrapped in a box reads as one line."""
    return "".join(ch for ch in screen if not ch.isspace() and ch not in "▊▎▔▁")


def _label(session: Session, field_id: str) -> str:
    f = session.flow.field(field_id)
    assert f is not None
    if f.type is FieldType.CONFIRM:
        return "请确认"
    return PLAIN.text(f.label, session.value_of)


def _fill_step(term: Terminal, session: Session, step: Step, answers: dict[str, Answer]) -> None:
    """Tab into the step's fields and answer each one that is shown, one field at a time.

    After each Tab the test waits for the focus mark 「▸ label」 before typing:
    keys sent in one burst would reach the field that had the focus when
    they arrived, as they would for a very fast typist.
    """
    pending: dict[str, Answer | None] = {}
    for f in step.fields:
        if f.id not in {v.id for v in session.visible_fields(step, pending)}:
            continue
        term.keys("Tab")  # from the page to the first field, then from field to field
        term.wait_for(f"▸ {_label(session, f.id)[:8]}")
        value = answers.get(f.id)
        if f.type in (FieldType.SELECT, FieldType.MULTISELECT):
            options = session.visible_options(f, pending)
            chosen = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
            at = 0
            for index in sorted(i for i, o in enumerate(options) if o.value in chosen):
                term.keys(*(["Down"] * (index - at)), "Space")
                shown = PLAIN.text(options[index].label)[:8]
                term.wait_for(lambda s, shown=shown: f"✓) {shown}" in s or f"✓] {shown}" in s)
                at = index
        elif f.type is FieldType.CONFIRM:
            if value is True:
                term.keys("Space")
                term.wait_for("[✓]")
        elif isinstance(value, str):
            term.type(value)
            tail = value[-6:]
            term.wait_for(lambda s, tail=tail: tail in _flat(s))  # long text wraps in the box
        if value is not None:
            pending[f.id] = value
            session.set_answer(f.id, value)


def test_whole_complaint_flow_to_an_exported_checklist(terminal: Terminal) -> None:
    today = date.today()
    answers = _answers(today)
    session = Session(load_flow(FLOW), today=today)
    terminal.start(["env", f"WIZARD_DATA_DIR={terminal.env['WIZARD_DATA_DIR']}", str(WIZARD), "run", "--fresh"])
    terminal.wait_for("第 1 / 13 步")
    terminal.wait_for("Ctrl+N 下一步")
    while session.position != REVIEW:
        step = session.flow.step(session.position)
        assert step is not None
        here, total = session.progress()
        terminal.wait_for(f"第 {here} / {total} 步")
        _fill_step(terminal, session, step, answers)
        terminal.keys("C-n")
        target = session.next_id(step.id)
        if target == REVIEW:
            expect = "检查您的答案"
        else:
            session.go(target)
            expect = "第 {} / {} 步".format(*session.progress())
        shown = terminal.wait_for(lambda s, e=expect: e in s or "再按一次" in s)
        if expect not in shown:  # a warning to confirm (e.g. a check digit): Next again
            terminal.keys("C-n")
            terminal.wait_for(expect)
        session.go(target)

    screen = terminal.wait_for("检查您的答案")
    assert "杭州某某服饰有限公司" in screen or "修改" in screen
    terminal.keys("C-n")
    terminal.wait_for("操作清单：")
    terminal.keys("e")
    terminal.wait_for("保存到")
    terminal.keys("Enter")
    terminal.wait_for("已导出到")
    exported = sorted(terminal.cwd.glob("12315-清单-*.md"))
    assert len(exported) == 1, list(terminal.cwd.iterdir())
    content = exported[0].read_text(encoding="utf-8")
    for value in ("杭州某某服饰有限公司", "91350100M000100Y43", "3712456789012345678", "某某牌女士羽绒服"):
        assert value in content, value
    assert (exported[0].stat().st_mode & 0o777) == 0o600

    terminal.keys("C-q")
    end = time.monotonic() + DEADLINE
    while terminal.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.alive(), "Ctrl+Q quits"

"""End to end: answers survive a SIGKILL of the real ``wizard`` and come back on resume (issue 5).

The installed ``wizard`` runs in tmux at 80x24 and is driven with the
documented keys only (Ctrl+N, Tab, ↓, Space, typing, Enter, Ctrl+R). After the
login step (3), two steps of the 12315 flow are answered (step 4, the notice: a
confirm, selects and a date; step 5: selects, the shop and the merchant's name
and code). When 「已保存」 is on the
screen and the save file holds the last thing typed, the wizard process is
killed with SIGKILL (its pid is written by a small shell wrapper before it
``exec``\\ s the wizard). A second ``wizard`` in a new tmux session with the same
``WIZARD_DATA_DIR`` asks whether to resume; Enter on the first (focused)
button resumes. The test then finds the same step with the merchant's name,
and step 4's answers one step back.

Every wait polls ``capture-pane`` (or the save file) against a deadline; no
sleep is an assertion.
"""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import date
from pathlib import Path

from wizard.flow.conditions import Answer
from wizard.flow.loader import load_flow
from wizard.flow.model import FieldType, Step
from wizard.session import Session
from wizard.text.render import PLAIN

from .test_tmux import DEADLINE, FLOW, WIZARD, Terminal, _answers, _fill_step, _flat, _label, pytestmark, terminal

__all__ = ["pytestmark", "terminal"]  # the markers and the fixture, shared with test_tmux

START = "Ctrl+N 下一步"


def _start_wizard(term: Terminal, pid_file: Path) -> int:
    """Start ``wizard`` in a new tmux session (same server, same data folder) through a wrapper
    that writes its pid, then exec's: the pid is the wizard's own."""
    if pid_file.exists():
        pid_file.unlink()
    data = term.env["WIZARD_DATA_DIR"]
    script = 'echo $$ > "$1"; exec env WIZARD_DATA_DIR="$2" "$3"'
    term.start(["sh", "-c", script, "sh", str(pid_file), data, str(WIZARD)])
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        text = pid_file.read_text() if pid_file.exists() else ""
        if text.endswith("\n") and text.strip().isdigit():
            return int(text)
        time.sleep(0.05)
    raise AssertionError("the wrapper did not write the wizard's pid")


def _saved_file(data: Path, check: dict[str, str]) -> dict[str, object]:
    """Wait until one save file holds every ``check`` answer (or draft); return it."""
    end = time.monotonic() + DEADLINE
    seen: object = None
    while time.monotonic() < end:
        files = sorted(p for p in data.glob("*.json") if p.is_file())
        if len(files) == 1:
            try:
                seen = json.loads(files[0].read_text("utf-8"))
            except (OSError, ValueError):  # never expected (atomic replace), but read again rather than fail
                seen = None
            if isinstance(seen, dict):
                answers = {**seen.get("drafts", {}), **seen.get("answers", {})}
                if all(answers.get(k) == v for k, v in check.items()):
                    return seen
        time.sleep(0.1)
    raise AssertionError(f"no save file holds {check!r} after {DEADLINE:.0f} s; last read: {seen!r}")


def _expect_step(term: Terminal, session: Session, step: Step, answers: dict[str, Answer]) -> None:
    """Tab through the step's fields and find each answer on the screen next to its field."""
    for f in session.visible_fields(step):
        term.keys("Tab")
        term.wait_for(f"▸ {_label(session, f.id)[:8]}")
        value = answers.get(f.id)
        if f.type in (FieldType.SELECT, FieldType.MULTISELECT):
            chosen = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
            for option in session.visible_options(f):
                if option.value in chosen:
                    shown = PLAIN.text(option.label)[:8]
                    term.wait_for(lambda s, shown=shown: f"✓) {shown}" in s or f"✓] {shown}" in s)
        elif f.type is FieldType.CONFIRM:
            if value is True:
                term.wait_for("[✓]")
        elif isinstance(value, str):
            term.wait_for(lambda s, value=value: value in _flat(s))


def test_answers_and_step_survive_a_sigkill_and_come_back_on_resume(terminal: Terminal, tmp_path: Path) -> None:
    today = date.today()
    answers = _answers(today)
    flow = load_flow(FLOW)
    session = Session(flow, today=today)
    data = Path(terminal.env["WIZARD_DATA_DIR"])
    pid_file = tmp_path / "wizard.pid"

    pid = _start_wizard(terminal, pid_file)
    terminal.wait_for("第 1 / 13 步")
    terminal.wait_for(START)
    for here in (2, 3):  # steps 1 and 2 ask nothing: Next
        terminal.keys("C-n")
        terminal.wait_for(f"第 {here} / 13 步")
        session.go(session.next_id(session.position))
    login = flow.step("login")
    notice = flow.step("read_notice")
    merchant = flow.step("select_merchant")
    assert login is not None and notice is not None and merchant is not None and session.position == login.id

    _fill_step(terminal, session, login, answers)  # the site asks for the login before the notice
    terminal.keys("C-n")
    terminal.wait_for("第 4 / 13 步")
    session.go(notice.id)
    _fill_step(terminal, session, notice, answers)
    terminal.keys("C-n")
    terminal.wait_for("第 5 / 13 步")
    session.go(merchant.id)
    _fill_step(terminal, session, merchant, answers)

    typed = {f.id: answers[f.id] for f in (*notice.fields, *merchant.fields) if isinstance(answers.get(f.id), str)}
    assert typed["merchant_name"] == "杭州某某服饰有限公司"
    terminal.wait_for("已保存")
    saved = _saved_file(data, {k: str(v) for k, v in typed.items() if k in ("merchant_name", "merchant_uscc")})
    assert saved["position"] == merchant.id

    os.kill(pid, signal.SIGKILL)
    end = time.monotonic() + DEADLINE
    while terminal.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.alive(), "the killed wizard's tmux session ends with it"

    _start_wizard(terminal, pid_file)
    terminal.wait_for("继续上次的填写？")
    terminal.wait_for(lambda s: "继续上次的填写" in s and "重新开始" in s)
    terminal.keys("Enter")  # the first button, focused: resume
    shown = terminal.wait_for("第 5 / 13 步")
    assert "继续上次的填写？" not in shown
    _expect_step(terminal, session, merchant, answers)
    assert "杭州某某服饰有限公司" in _flat(terminal.screen())

    terminal.keys("C-r")
    terminal.wait_for("第 4 / 13 步")
    session.go(notice.id)
    _expect_step(terminal, session, notice, answers)

    terminal.keys("C-q")
    end = time.monotonic() + DEADLINE
    while terminal.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not terminal.alive(), "Ctrl+Q quits"
    files = sorted(data.glob("*.json"))
    assert len(files) == 1, "one session, resumed, not a second one"
    final = json.loads(files[0].read_text("utf-8"))
    for key in ("notice_read", "filing_for", "harm_known_date", "personal_use", "handled_elsewhere"):
        assert final["answers"][key] == answers[key], key
    for key in ("channel", "platform", "shop_name", "merchant_name", "merchant_uscc"):
        assert final["answers"][key] == answers[key], key
    assert not list(data.glob("*.tmp")) and not list(data.glob(".*.tmp"))

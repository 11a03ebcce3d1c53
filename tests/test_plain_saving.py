"""When plain mode saves (issue 14, item 11): before it waits for a line, never after each answer
of input that is already there.

A person typing loses nothing: whenever the wizard waits for the next line, everything given
so far is on disk. Answers fed from a file or a pipe are saved at most every
:data:`wizard.plain.SAVE_INTERVAL` seconds and at the end, so a long flow is not written out
again after every answer. Saves are counted, never timed.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wizard import plain as plain_module
from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.plain import SAVE_INTERVAL, Console, _Saver, run_plain
from wizard.session import Session
from wizard.store.disk import Store

sys.path.insert(0, str(ROOT / "benchmarks"))
import genflow

TODAY = date(2026, 12, 7)
STEPS = 40


@pytest.fixture
def chain() -> Flow:
    flow, diagnostics = parse_flow(genflow.chain(STEPS).encode(), "chain.yaml")
    assert flow is not None, diagnostics
    return flow


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of answers in each save written (through :meth:`Store.save`)."""
    counts: list[int] = []
    real = Store.save

    def counted(self: Store, session: Session, session_id: str) -> object:
        counts.append(len(session.answers))
        return real(self, session, session_id)

    monkeypatch.setattr(Store, "save", counted)
    return counts


def _saved_answers() -> dict[str, object]:
    store = Store()
    latest = store.latest_for("bench-chain")
    assert latest is not None
    record = store.load(latest.session_id)
    assert record is not None
    return dict(record.answers)


class _Typed(io.BytesIO):
    """Lines a person types: nothing is waiting when the wizard asks (the descriptor of an empty
    pipe), and each read first notes what is saved on disk by then."""

    def __init__(self, data: bytes, empty_fd: int) -> None:
        super().__init__(data)
        self.empty_fd = empty_fd
        self.on_disk: list[int] = []

    def fileno(self) -> int:
        return self.empty_fd

    def readline(self, size: int | None = -1) -> bytes:
        try:
            self.on_disk.append(len(_saved_answers()))
        except AssertionError:  # nothing saved yet
            self.on_disk.append(-1)
        return super().readline(size)


@pytest.fixture
def empty_pipe() -> Iterator[int]:
    r, w = os.pipe()
    yield r
    os.close(r)
    os.close(w)


def test_input_from_a_file_is_saved_at_the_end_not_after_every_answer(
    chain: Flow, tmp_path: Path, writes: list[int]
) -> None:
    typed = tmp_path / "answers.txt"
    typed.write_bytes(b"1\n" * STEPS + b"\n")
    out = io.StringIO()
    with typed.open("rb") as stdin:
        code = run_plain(
            chain, Path("chain.yaml"), script="zh-Hans", resume="fresh", stdin=stdin, stdout=out, today=TODAY
        )
    assert code == 0, out.getvalue()[-500:]
    # the run is far shorter than SAVE_INTERVAL: one save at the end (the old code wrote 3 per step)
    assert len(writes) <= 2, writes
    assert writes[-1] == STEPS
    assert _saved_answers() == {f"f{i}": "是" for i in range(STEPS)}


def test_a_person_typing_has_every_answer_on_disk_before_the_next_question(
    chain: Flow, empty_pipe: int, writes: list[int]
) -> None:
    stdin = _Typed(b"1\n" * STEPS + b"\n", empty_pipe)
    out = io.StringIO()
    code = run_plain(chain, Path("chain.yaml"), script="zh-Hans", resume="fresh", stdin=stdin, stdout=out, today=TODAY)  # type: ignore[arg-type]
    assert code == 0, out.getvalue()[-500:]
    # before question n (0-based) is read, the n answers before it are saved
    assert stdin.on_disk[: STEPS + 1] == list(range(STEPS + 1))


def test_input_that_ends_early_is_saved(chain: Flow, tmp_path: Path, writes: list[int]) -> None:
    typed = tmp_path / "answers.txt"
    typed.write_bytes(b"1\n" * 7)
    out = io.StringIO()
    with typed.open("rb") as stdin:
        code = run_plain(
            chain, Path("chain.yaml"), script="zh-Hans", resume="fresh", stdin=stdin, stdout=out, today=TODAY
        )
    assert code == 1
    assert "进度已保存" in out.getvalue()
    assert _saved_answers() == {f"f{i}": "是" for i in range(7)}


class _FakeStore:
    def __init__(self) -> None:
        self.saved: list[int] = []

    def save(self, session: Session, session_id: str) -> object:
        self.saved.append(len(session.answers))
        return type("R", (), {"ok": True, "message": None})()

    def release(self, session_id: str) -> None:
        pass


class _Waiting(Console):
    def input_waiting(self) -> bool:
        return True


def test_saves_put_off_while_input_waits_are_made_at_least_every_interval(chain: Flow) -> None:
    now = [100.0]
    console = _Waiting(io.BytesIO(), io.StringIO())
    saver = _Saver(console, str, clock=lambda: now[0])
    store = _FakeStore()
    saver.store, saver.session_id = store, "0123456789abcdef"  # type: ignore[assignment]
    session = Session(chain, today=TODAY)
    for i in range(10):
        session.answers[f"f{i}"] = "是"
        saver.save(session)
        now[0] += SAVE_INTERVAL / 4
    # ten answers over 2.5 intervals: written about once per interval, the rest put off
    assert store.saved == [5, 9]
    assert saver.pending is session
    saver.flush()  # the wizard is about to wait for a line that is not there
    assert store.saved == [5, 9, 10] and saver.pending is None
    saver.save(session, now=True)  # a signal, the end of input, the checklist: written at once
    assert store.saved == [5, 9, 10, 10]


def test_the_signal_handler_writes_a_put_off_save(chain: Flow, monkeypatch: pytest.MonkeyPatch) -> None:
    console = _Waiting(io.BytesIO(), io.StringIO())
    saver = _Saver(console, str)
    store = _FakeStore()
    saver.store, saver.session_id = store, "0123456789abcdef"  # type: ignore[assignment]
    run = plain_module.PlainRun(chain, console, plain_module.renderer_for("zh-Hans"), "zh-Hans", TODAY, saver)
    run.session = Session(chain, today=TODAY)
    run.session.answers["f0"] = "是"
    run.save()
    assert store.saved == [] and saver.pending is run.session
    run.flush_for_exit()
    assert store.saved == [1]


def test_console_sees_waiting_input_on_a_pipe() -> None:
    r, w = os.pipe()
    try:
        console = Console(os.fdopen(r, "rb", closefd=False), io.StringIO())
        assert console.input_waiting() is False
        os.write(w, b"1\n")
        assert console.input_waiting() is True
        assert Console(io.BytesIO(b"1\n"), io.StringIO()).input_waiting() is False  # no descriptor: save
    finally:
        os.close(r)
        os.close(w)

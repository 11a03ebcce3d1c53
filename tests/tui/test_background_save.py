"""Saving on a thread: the interface never waits for a slow disk, and saves land in order."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.tui.helpers import choose, make_app, next_step
from wizard.session import Session
from wizard.store.disk import PreparedSave, SaveResult, Store
from wizard.tui.saving import BackgroundSaver, SaveStatus, prepare


class SlowStore(Store):
    """A real store whose writes wait until the test lets them go (a disk busy for a long time)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.gate = threading.Event()
        self.writing = threading.Event()
        self.written: list[str] = []

    def write(self, prepared: PreparedSave) -> SaveResult:
        self.writing.set()
        assert self.gate.wait(30), "the test never let the write go"
        result = super().write(prepared)
        self.written.append(prepared.data.decode())
        return result


async def test_a_step_change_does_not_wait_for_the_disk(tmp_path: Path) -> None:
    store = SlowStore(tmp_path / "sessions")
    app = make_app(store=store, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        # the write is held by the "disk", yet the next step is already on screen
        assert store.writing.wait(10)
        assert app.session.position == "merchant"
        assert app.screen.step.id == "merchant"  # type: ignore[attr-defined]
        assert not store.written
        store.gate.set()
        for _ in range(200):
            if store.written and app.save_status == ("已保存", True):
                break
            await pilot.pause(0.02)
        assert app.save_status == ("已保存", True)
        saved = store.list()
        assert len(saved) == 1 and saved[0].position == "merchant"


async def test_quitting_waits_for_the_write_in_progress_then_saves_the_latest(tmp_path: Path) -> None:
    store = SlowStore(tmp_path / "sessions")
    app = make_app(store=store, resume="fresh")
    async with app.run_test(size=(80, 24)) as pilot:
        await choose(pilot, "channel", 1)
        await choose(pilot, "is_consumer", 0)
        await next_step(pilot)
        assert store.writing.wait(10)
        threading.Timer(0.2, store.gate.set).start()  # the disk finishes while quitting waits
        await app.action_quit()
    assert store.list()[0].position == "merchant"
    assert len(store.written) == 2, "the write in progress, then the final save"


def test_only_the_newest_waiting_job_runs_and_jobs_run_in_order() -> None:
    saver = BackgroundSaver()
    gate = threading.Event()
    started = threading.Event()
    ran: list[int] = []

    def first() -> None:
        started.set()
        gate.wait(10)
        ran.append(1)

    saver.submit(first)
    assert started.wait(10)
    saver.submit(lambda: ran.append(2))  # replaced by the next one before it could run
    saver.submit(lambda: ran.append(3))
    gate.set()
    for _ in range(500):
        if saver.idle:
            break
        threading.Event().wait(0.01)
    assert saver.idle
    assert ran == [1, 3]


def test_drop_and_wait_forgets_the_waiting_job_and_waits_for_the_running_one() -> None:
    saver = BackgroundSaver()
    gate = threading.Event()
    started = threading.Event()
    ran: list[str] = []

    def slow() -> None:
        started.set()
        gate.wait(10)
        ran.append("slow")

    saver.submit(slow)
    assert started.wait(10)
    saver.submit(lambda: ran.append("dropped"))
    threading.Timer(0.1, gate.set).start()
    assert saver.drop_and_wait(timeout=10)
    assert ran == ["slow"]
    assert saver.idle


def test_a_failing_job_does_not_stop_the_saver() -> None:
    saver = BackgroundSaver()
    done = threading.Event()

    def broken() -> None:
        raise OSError("disk gone")

    saver.submit(broken)
    assert saver.drop_and_wait(timeout=10)
    saver.submit(done.set)
    assert done.wait(10)


def test_prepare_encodes_now_so_later_changes_are_not_written(tmp_path: Path) -> None:
    from tests.tui.helpers import ALL_FIELDS
    from wizard.flow.loader import load_flow

    store = Store(tmp_path / "sessions")
    session = Session(load_flow(ALL_FIELDS), answers={"channel": "实体店"})
    session_id = store.new_session_id()
    job = prepare(store, session, session_id)
    assert callable(job)
    session.answers["channel"] = "网购"  # changed after the save was started
    status = job()
    assert isinstance(status, SaveStatus) and status.ok
    record = store.load(session_id)
    assert record is not None and record.answers["channel"] == "实体店"


def test_prepare_reports_an_encoding_failure_without_a_job(tmp_path: Path) -> None:
    from tests.tui.helpers import ALL_FIELDS
    from wizard.flow.loader import load_flow

    store = Store(tmp_path / "sessions")
    session = Session(load_flow(ALL_FIELDS))
    status = prepare(store, session, "not a valid id!")
    assert isinstance(status, SaveStatus) and not status.ok and status.message

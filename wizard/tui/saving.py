"""The app's side of :mod:`wizard.store.disk`: opening the store, saving off the UI thread, erasing.

A failure of the store never reaches the user as an exception: it becomes a
:class:`SaveStatus` to show (or ``False`` for an erase). The app talks to any
object with :class:`StoreLike`'s methods (the tests give it a fake one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from wizard.flow.model import Flow
from wizard.flow.record import record
from wizard.session import Session


class SavedSessionLike(Protocol):
    session_id: str
    position_title: str
    updated: datetime


class SaveResultLike(Protocol):
    @property
    def ok(self) -> bool: ...

    @property
    def when(self) -> datetime | None: ...

    @property
    def message(self) -> str | None: ...


class StoreLike(Protocol):
    """What the app uses of :class:`wizard.store.disk.Store`."""

    def startup(self) -> list[str]: ...

    def latest_for(self, flow_id: str) -> Any: ...

    def restore(self, saved: Any, flow: Flow, today: date) -> tuple[Session, list[str]]: ...

    def new_session_id(self) -> str: ...

    def save(self, session: Session, session_id: str) -> SaveResultLike: ...

    def prepare(self, session: Session, session_id: str) -> Any: ...  # a save encoded now, or a failed result

    def write(self, prepared: Any) -> SaveResultLike: ...

    def erase(self, session_id: str) -> bool: ...

    def claim(self, session_id: str) -> str | None: ...  # None: this wizard holds the session

    def release(self, session_id: str) -> None: ...


@record
class SaveStatus:
    ok: bool
    when: datetime | None
    message: str | None


def open_store() -> tuple[StoreLike | None, str | None]:
    """The store, or ``(None, message)`` when its folder cannot be used."""
    from wizard.store.disk import Store

    try:
        return Store(), None
    except Exception as exc:
        return None, f"无法使用保存功能，本次填写不会自动保存：{exc}"


def _status(result: SaveResultLike) -> SaveStatus:
    return SaveStatus(result.ok, result.when, result.message or None)


def save(store: StoreLike, session: Session, session_id: str) -> SaveStatus:
    """Save once; a failure becomes a status to show, never an exception."""
    try:
        result = store.save(session, session_id)
    except Exception as exc:
        return SaveStatus(False, None, f"保存失败：{exc}")
    return _status(result)


SaveJob = Callable[[], SaveStatus]


def prepare(store: StoreLike, session: Session, session_id: str) -> SaveJob | SaveStatus:
    """Encode the session now; the job returned writes it and may run on another thread.

    The session is read only here, so the interface may go on changing it while the job runs.
    An encoding failure is returned as a status at once.
    """
    try:
        prepared = store.prepare(session, session_id)
    except Exception as exc:
        return SaveStatus(False, None, f"保存失败：{exc}")
    if _is_result(prepared):  # it could not be encoded: the store says why
        return _status(prepared)

    def job() -> SaveStatus:
        try:
            return _status(store.write(prepared))
        except Exception as exc:
            return SaveStatus(False, None, f"保存失败：{exc}")

    return job


def _is_result(prepared: object) -> bool:
    from wizard.store.disk import SaveResult

    return isinstance(prepared, SaveResult)


class BackgroundSaver:
    """Runs jobs (saves) on one thread, so that the interface never waits for the disk.

    Only the newest job matters: one submitted while another is running replaces any job still
    waiting. Jobs run one at a time and in order, so an older save never lands after a newer one.
    A job reports its own outcome (a view posts a message from it).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: Callable[[], object] | None = None
        self._running = False
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[], object]) -> None:
        with self._cond:
            self._waiting = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="wizard-saver", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def drop_and_wait(self, timeout: float = 30.0) -> bool:
        """Forget the waiting job and wait for the running one; False if it did not finish in time."""
        with self._cond:
            self._waiting = None
            return self._cond.wait_for(lambda: not self._running, timeout)

    @property
    def idle(self) -> bool:
        with self._cond:
            return self._waiting is None and not self._running

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._waiting is not None)
                job, self._waiting = self._waiting, None
                self._running = True
            try:
                if job is not None:
                    job()
            except Exception:  # a job reports its own failures; the thread must live on
                pass
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()


def erase(store: StoreLike, session_id: str) -> bool:
    """Delete the saved session; False (never an exception) when it could not be deleted."""
    try:
        return bool(store.erase(session_id))
    except Exception:  # reported to the user as "not deleted"
        return False

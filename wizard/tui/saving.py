"""The seam to :mod:`wizard.store` (autosave and resume), built by another issue.

The agreed API (``prepare``/``write`` are optional: without them a save is written at once)::

    store = Store()                               # WIZARD_DATA_DIR or platformdirs
    notices = store.startup()                     # list[str], shown once
    saved = store.latest_for(flow.id)             # SavedSession | None
    session, notes = store.restore(saved, flow, today)
    session_id = store.new_session_id()
    result = store.save(session, session_id)      # .ok, .when, .message
    prepared = store.prepare(session, session_id) # encoded now (or a failed result) ...
    result = store.write(prepared)                # ... written later, on the saver's thread

The module is imported dynamically: while it does not exist (or lacks the
class), the app runs without saving and says nothing about it.
"""

from __future__ import annotations

import importlib
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
    ok: bool
    when: datetime | None
    message: str | None


class StoreLike(Protocol):
    def startup(self) -> list[str]: ...

    def latest_for(self, flow_id: str) -> Any: ...

    def restore(self, saved: Any, flow: Flow, today: date) -> tuple[Session, list[str]]: ...

    def new_session_id(self) -> str: ...

    def save(self, session: Session, session_id: str) -> Any: ...

    def erase(self, session_id: str) -> bool: ...


@record
class SaveStatus:
    ok: bool
    when: datetime | None
    message: str | None


def open_store() -> tuple[StoreLike | None, str | None]:
    """The store, or ``(None, None)`` when saving is not built yet, or ``(None, message)`` when it fails."""
    try:
        module = importlib.import_module("wizard.store")
    except ImportError:
        return None, None
    cls = getattr(module, "Store", None)
    if cls is None:
        return None, None
    try:
        store: StoreLike = cls()
    except Exception as exc:
        return None, f"无法使用保存功能，本次填写不会自动保存：{exc}"
    return store, None


def _status(result: Any) -> SaveStatus:
    ok = bool(getattr(result, "ok", False))
    when = getattr(result, "when", None)
    message = getattr(result, "message", None)
    return SaveStatus(ok, when if isinstance(when, datetime) else None, str(message) if message else None)


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
    A store that cannot split encoding from writing is saved now (a status is returned), as is
    an encoding failure.
    """
    encode = getattr(store, "prepare", None)
    write = getattr(store, "write", None)
    if not callable(encode) or not callable(write):
        return save(store, session, session_id)
    try:
        prepared = encode(session, session_id)
    except Exception as exc:
        return SaveStatus(False, None, f"保存失败：{exc}")
    if hasattr(prepared, "ok"):  # it could not be encoded: the store says why
        return _status(prepared)

    def job() -> SaveStatus:
        try:
            return _status(write(prepared))
        except Exception as exc:
            return SaveStatus(False, None, f"保存失败：{exc}")

    return job


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

"""The seam to :mod:`wizard.store` (autosave and resume), built by another issue.

The agreed API::

    store = Store()                               # WIZARD_DATA_DIR or platformdirs
    notices = store.startup()                     # list[str], shown once
    saved = store.latest_for(flow.id)             # SavedSession | None
    session, notes = store.restore(saved, flow, today)
    session_id = store.new_session_id()
    result = store.save(session, session_id)      # .ok, .when, .message

The module is imported dynamically: while it does not exist (or lacks the
class), the app runs without saving and says nothing about it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from wizard.flow.model import Flow
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


@dataclass(frozen=True)
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


def save(store: StoreLike, session: Session, session_id: str) -> SaveStatus:
    """Save once; a failure becomes a status to show, never an exception."""
    try:
        result = store.save(session, session_id)
    except Exception as exc:
        return SaveStatus(False, None, f"保存失败：{exc}")
    ok = bool(getattr(result, "ok", False))
    when = getattr(result, "when", None)
    message = getattr(result, "message", None)
    return SaveStatus(ok, when if isinstance(when, datetime) else None, str(message) if message else None)


def erase(store: StoreLike, session_id: str) -> bool:
    """Delete the saved session; False (never an exception) when it could not be deleted."""
    try:
        return bool(store.erase(session_id))
    except Exception:  # reported to the user as "not deleted"
        return False

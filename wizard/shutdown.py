"""Leaving cleanly when the terminal goes away (``SIGHUP``) or the system asks (``SIGTERM``).

A view that has something to lose registers two callbacks with :func:`on_signal`:

- ``flush()`` writes what was typed to disk, synchronously. It runs inside the
  signal handler, on the main thread, wherever that thread was interrupted,
  so it must not wait for anything the interrupted code may hold (the store
  keeps no lock; :class:`wizard.tui.saving.BackgroundSaver` uses a
  re-entrant lock and is waited for with a timeout).
- ``leave(code)`` (optional) asks the view to end itself: the full-screen app
  gives the terminal back. It is only called while the terminal is still
  there; with the terminal gone there is nobody to give it back to, and the
  process ends with ``os._exit(128 + signal)`` at once, right after the flush.

Whatever happens, the process ends within :data:`GRACE` seconds of the
signal: a watchdog thread, started by :func:`install` and woken by the
handler, calls ``os._exit``, and an interval timer (``SIGALRM`` with its
default action) ends it even if no Python code can run any more. So a view
that hangs while leaving (Textual's writer thread blocked on a dead
terminal, a disk that does not answer) cannot keep the process alive.

A second signal while the first is being handled changes nothing: the
watchdog is already running. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import termios
import threading
from collections.abc import Callable

__all__ = ["GRACE", "install", "on_signal", "terminal_gone", "uninstall"]

#: Seconds from the signal to the forced exit (the promise is 2 s).
GRACE = 1.5
#: Seconds from the signal to SIGALRM's default action, if even the watchdog thread cannot run.
LAST_RESORT = 1.9
SIGNALS = (signal.SIGHUP, signal.SIGTERM)

Flush = Callable[[], None]
Leave = Callable[[int], None]


class _State:
    def __init__(self) -> None:
        self.flush: Flush | None = None
        self.leave: Leave | None = None
        self.handling = False
        self.code = 0
        self.woken = threading.Event()
        self.watchdog: threading.Thread | None = None
        self.previous: dict[int, object] = {}


_state = _State()


def install() -> bool:
    """Handle SIGHUP and SIGTERM from now on (main thread only; False elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if _state.watchdog is None:
        _state.watchdog = threading.Thread(target=_watch, name="wizard-exit-watchdog", daemon=True)
        _state.watchdog.start()
    for signum in SIGNALS:
        try:
            previous = signal.signal(signum, _handle)
        except (ValueError, OSError):
            return False
        _state.previous.setdefault(int(signum), previous)
    return True


def uninstall() -> None:
    """Put back the handlers :func:`install` replaced (for tests and embedders)."""
    for signum, previous in _state.previous.items():
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signum, previous)  # type: ignore[arg-type]
    _state.previous.clear()
    _state.flush = None
    _state.leave = None


def on_signal(flush: Flush | None, leave: Leave | None = None) -> None:
    """What to do on SIGHUP/SIGTERM: ``flush`` saves, ``leave(code)`` ends the view (see the module)."""
    _state.flush = flush
    _state.leave = leave


def terminal_gone(fd: int | None = None) -> bool:
    """True when ``fd`` (standard input by default) was a terminal that has been hung up.

    A hung-up terminal answers every request with EIO; a pipe or a file is not a
    terminal at all and is not "gone" (False).
    """
    if fd is None:
        stdin = sys.__stdin__
        if stdin is None:
            return True
        try:
            fd = stdin.fileno()
        except (ValueError, OSError):
            return True
    try:
        termios.tcgetattr(fd)
    except termios.error as exc:
        return bool(exc.args) and exc.args[0] in (5, 9)  # EIO (hung up), EBADF (closed)
    except (ValueError, OSError):
        return True
    return False


def _handle(signum: int, frame: object) -> None:
    if _state.handling:
        return
    _state.handling = True
    code = 128 + int(signum)
    _state.code = code
    with contextlib.suppress(BaseException):
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, LAST_RESORT)
    _state.woken.set()
    flush = _state.flush
    if flush is not None:
        with contextlib.suppress(BaseException):  # a failed save must not keep the process alive
            flush()
    leave = _state.leave
    if leave is not None and not terminal_gone():
        try:
            leave(code)
        except BaseException:
            pass
        else:
            return  # the view ends itself; the watchdog ends the process if it does not
    os._exit(code)


def _watch() -> None:
    _state.woken.wait()
    threading.Event().wait(GRACE)
    os._exit(_state.code or 1)

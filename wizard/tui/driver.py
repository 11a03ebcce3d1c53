"""Textual's Linux driver, made safe for a terminal that goes away.

Textual 8.2 writes the screen from a thread (``textual-output``) that takes
text from a queue of 30 writes. When the terminal is hung up, a write raises
``EIO``; the exception ends that thread, nobody empties the queue any more,
and the next 30 writes (or ``WriterThread.stop`` while the app shuts down)
block the event loop for ever. That was the wizard that "kept running"
after its terminal was closed (issue 14).

Here the driver's output stream swallows the error: the first write that
finds the terminal gone marks it gone, every later write is dropped, and the
process is sent ``SIGHUP`` (the same path as a terminal closed the ordinary
way, see :mod:`wizard.shutdown`: save, then exit). The writer thread lives on
and drains its queue, so Textual's own shutdown never blocks on it.
"""

from __future__ import annotations

import errno
import os
import signal
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver

#: Errors that mean the terminal is not there any more.
HUNG_UP = frozenset({errno.EIO, errno.EPIPE, errno.EBADF, errno.ENXIO, errno.ENODEV})


class TerminalOut:
    """A text stream in front of the terminal that never raises and notices a hang-up."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self._file.write(text)
            except (OSError, ValueError) as exc:
                self._failed(exc)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, OSError) and exc.errno not in HUNG_UP:
            return  # something passing (the text is lost, the screen is repainted later)
        self.gone = True
        os.kill(os.getpid(), signal.SIGHUP)


class HangupSafeDriver(LinuxDriver):
    """:class:`LinuxDriver` writing through :class:`TerminalOut`."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        if self._file is not None:
            self._file = TerminalOut(self._file)  # type: ignore[assignment]

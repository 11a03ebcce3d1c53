"""Run the real ``wizard`` under a pseudo-terminal and keep every byte it writes.

The child gets the pty as its controlling terminal (stdin, stdout and stderr),
so Textual's Linux driver sees a real terminal: it reads keys from it, writes
the screen to it and gets ``SIGWINCH`` when its size changes. A thread drains
the master side all the time, so the app never blocks on a full pty buffer.

Waiting is done by polling for a condition with a generous deadline; the
deadline only turns a hang into a failure, it is never what a test asserts.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

DEADLINE = 60.0  # seconds before a wait gives up (a hang guard, not a timing assertion)
POLL = 0.05

# What a terminal sends for a few keys.
KEYS: dict[str, bytes] = {
    "ctrl+n": b"\x0e",
    "ctrl+r": b"\x12",
    "ctrl+q": b"\x11",
    "ctrl+p": b"\x10",
    "ctrl+g": b"\x07",
    "tab": b"\t",
    "enter": b"\r",
    "escape": b"\x1b",
    "space": b" ",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "f1": b"\x1bOP",
}

_CSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")
_OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_OTHER_ESC = re.compile(rb"\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHMNOZ]")


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyApp:
    """One ``wizard`` process on its own pseudo-terminal."""

    def __init__(
        self,
        args: list[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        size: tuple[int, int] = (80, 24),
        python: tuple[str, ...] = ("-m", "wizard"),
    ) -> None:
        self.master, slave = os.openpty()
        _set_size(slave, *size)
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.proc = subprocess.Popen(
            [sys.executable, *python, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=str(cwd),
            env=dict(env),
            start_new_session=True,
            preexec_fn=_make_controlling_terminal,  # only setsid + TIOCSCTTY
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    # --- output ---------------------------------------------------------------------------

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed its side
                break
            if not data:
                break
            with self._lock:
                self._chunks.append(data)
        self._closed.set()

    @property
    def output(self) -> bytes:
        with self._lock:
            return b"".join(self._chunks)

    def text(self) -> str:
        """Everything written so far, escape sequences removed, decoded (for finding words)."""
        return visible_text(self.output)

    def wait_for(self, predicate: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if predicate():
                return
            if self.proc.poll() is not None and not predicate():
                raise AssertionError(f"the app exited ({self.proc.returncode}) before {what}:\n{self.tail()}")
            time.sleep(POLL)
        raise AssertionError(f"gave up waiting for {what}:\n{self.tail()}")

    def wait_for_text(self, words: str, deadline: float = DEADLINE) -> None:
        self.wait_for(lambda: words in self.text(), repr(words), deadline)

    def wait_quiet(self, quiet: float = 0.3, deadline: float = 5.0) -> None:
        """Let the app settle: return once it has written nothing for ``quiet`` seconds, or after ``deadline``.

        Never an assertion: a blinking cursor writes twice a second, so an app is
        never silent for long. Keys sent meanwhile are not lost (the pty queues
        them); this only keeps a test's steps in the order a person would take.
        """
        end = time.monotonic() + deadline
        last = -1
        since = time.monotonic()
        while time.monotonic() < end:
            n = len(self.output)
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(POLL)

    def tail(self, n: int = 1500) -> str:
        return self.text()[-n:]

    # --- input ----------------------------------------------------------------------------

    def send(self, data: bytes | str) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.send(KEYS.get(key, key.encode()))
            time.sleep(0.05)  # let the app read one key at a time (keys are not coalesced)

    def resize(self, cols: int, rows: int) -> None:
        _set_size(self.master, cols, rows)
        with _suppress_missing():
            os.killpg(self.proc.pid, signal.SIGWINCH)

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    # --- end ------------------------------------------------------------------------------

    def wait_exit(self, deadline: float = DEADLINE) -> int:
        try:
            code = self.proc.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the app did not exit:\n{self.tail()}") from None
        self._closed.wait(timeout=5)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            with _suppress_missing():
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._closed.wait(timeout=5)
        with _suppress_missing():
            os.close(self.master)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _suppress_missing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, (ProcessLookupError, OSError))


def _make_controlling_terminal() -> None:
    # start_new_session already called setsid(); make fd 0 (the pty) the controlling terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def visible_text(raw: bytes) -> str:
    """The output with escape sequences removed, decoded as UTF-8."""
    stripped = _OSC.sub(b"", raw)
    stripped = _CSI.sub(b"", stripped)
    stripped = _OTHER_ESC.sub(b"", stripped)
    return stripped.decode("utf-8", errors="replace")


def osc_sequences(raw: bytes) -> list[bytes]:
    """Every OSC sequence (``ESC ] ... BEL`` or ``ESC ] ... ESC \\``) the output holds."""
    return _OSC.findall(raw)


def app_env(data_dir: Path | None, home: Path | None, *, size_in_env: bool = True, **extra: str) -> dict[str, str]:
    """A small, predictable environment for the child: no inherited locale, colours or HOME surprises.

    ``COLUMNS``/``LINES`` (80x24) are set unless ``size_in_env`` is False: Python's
    ``shutil.get_terminal_size`` (which Textual uses) prefers them to the pty's
    real size, so a test that resizes the terminal must leave them out.
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TEXTUAL_ANIMATIONS": "none",
    }
    if size_in_env:
        env.update(COLUMNS="80", LINES="24")
    if data_dir is not None:
        env["WIZARD_DATA_DIR"] = str(data_dir)
    if home is not None:
        env["HOME"] = str(home)
    env.update(extra)
    return env

"""Saving and resuming sessions on disk: atomic, private, and hard to break.

One JSON file per session (format in :mod:`wizard.store.format`), named by a
random session id only, in one folder:

- the folder is ``$WIZARD_DATA_DIR``, else the platform's user data folder
  (``platformdirs``) + ``/sessions``; created 0700. An existing folder is never
  chmod-ed: another user's, or one others can write, is refused; one others can
  only read is used with a notice. Files are created 0600 with ``os.open`` + ``fchmod``.
- every operation works relative to a descriptor of the folder and opens
  files with ``O_NOFOLLOW``: a symlink planted in the folder is never
  followed, and nothing is read or written outside it.
- a save writes a temp file in the same folder (``O_CREAT|O_EXCL``, locked
  with ``flock`` while it is being written), fsyncs it, ``os.replace``\\ s it
  over the session file and fsyncs the folder; a crash at any point leaves
  either the old or the new file, complete. :meth:`Store.startup` removes
  temp files left by a dead process (an unlocked temp file).
- a file that cannot be used (truncated, invalid, wrong version, too large,
  a symlink, not a regular file, someone else's) is renamed
  ``<name>.corrupt-<YYYYmmddTHHMMSS>`` and never overwritten; the user is
  told in one sentence. A file whose mode is looser than 0600 is tightened
  to 0600 (with a notice), not set aside: its content is still good.
- one wizard per session: ``flock`` on ``.<id>.lock`` (0600), taken on resume or the
  first save and held until erase, :meth:`Store.release` or the process ends; another
  wizard's :meth:`Store.restore`/:meth:`Store.save` is refused with :data:`MSG_LOCKED`.
- disk full or a read-only folder while saving: :class:`SaveResult` with
  ``ok=False`` and a message; the last good file is untouched, the temp file
  removed, and the caller retries on the next change.

Nothing here logs, and nothing personal goes into a file name or a message:
notices name files by their random id only.

Typical use by a view::

    store = Store()
    for notice in store.startup():          # once, at start: clean up, expire, set aside
        show(notice)
    saved = store.latest_for(flow.id)
    if saved is not None and user_wants_to_resume(saved):
        session, notes = store.restore(saved, flow, date.today())
        session_id = saved.session_id
    else:
        session, session_id = Session(flow=flow), store.new_session_id()
    result = store.save(session, session_id)    # on every change; ok=False → warn, retry next change
    store.erase(session_id)                 # "finish and erase"

A save costs two ``fsync`` calls (about a millisecond on a local disk, far
more on a slow or network one): call it off the UI thread. ``Store`` keeps
no open files between calls, so one instance may be shared by a worker.

``WIZARD_STORE_TEST_HOOK`` exists for the crash tests only (see
:func:`_checkpoint`).

POSIX only (``O_NOFOLLOW``, ``dir_fd``, ``flock``).
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import fcntl
import json
import os
import re
import signal
import stat
import weakref
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from wizard.errors import WizardError
from wizard.flow.model import Flow
from wizard.flow.record import field, record
from wizard.flowchange import Before, migrate
from wizard.session import Session
from wizard.store.format import (
    MAX_FILE_BYTES,
    SESSION_ID_RE,
    FormatProblem,
    SessionRecord,
    dumps,
    plain_title,
    record_from_bytes,
    record_from_dict,
    session_to_dict,
)
from wizard.text.safety import shown_path

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "SaveResult",
    "SavedSession",
    "SessionRecord",
    "Store",
    "data_dir",
    "record_from_bytes",
    "record_from_dict",
    "session_to_dict",
]

APP_NAME = "wizard-12315"
DATA_DIR_ENV = "WIZARD_DATA_DIR"
MAX_AGE_ENV = "WIZARD_MAX_AGE_DAYS"
DEFAULT_MAX_AGE_DAYS = 90
TEST_HOOK_ENV = "WIZARD_STORE_TEST_HOOK"

SUFFIX = ".json"
_SESSION_NAME = re.compile(r"([0-9a-f]{16})\.json\Z")
_TEMP_NAME = re.compile(r"\.[0-9a-f]{16}\.[0-9a-f]{8}\.tmp\Z")
_LOCK_NAME = re.compile(r"\.([0-9a-f]{16})\.lock\Z")
_ASIDE_NAME = re.compile(r"(.+)\.corrupt-(\d{8}T\d{6})(?:-\d+)?\Z")

_O_NOFOLLOW = os.O_NOFOLLOW
_O_CLOEXEC = os.O_CLOEXEC
_O_DIRECTORY = os.O_DIRECTORY

LOCK_SUFFIX = ".lock"
MSG_LOCKED = (
    "这份填写记录正在另一个向导窗口中打开。为避免互相覆盖，这里不会修改它。请先关闭另一个窗口，或开始一份新的填写。"
)
MSG_DISK_FULL = "无法保存：磁盘已满。已填写的内容仍在本程序中，请腾出磁盘空间，程序会自动重试。"
MSG_READ_ONLY = "无法保存：保存位置是只读的或没有写入权限。已填写的内容仍在本程序中，程序会自动重试。"
MSG_OTHER = "无法保存：写入文件时出错（{code}）。已填写的内容仍在本程序中，程序会自动重试。"
MSG_NO_HOME = (
    "无法确定保存填写记录的位置（没有设置 HOME，也找不到当前用户的主文件夹）。"
    f"请用环境变量 {DATA_DIR_ENV} 指定一个文件夹，例如：{DATA_DIR_ENV}=/path/to/folder wizard"
)


# --- test hook: die at a named point of a save --------------------------------------------

_hook_point: str | None = None
_hook_count = 0
_hook_loaded = False


def _checkpoint(point: str) -> None:
    """For the crash tests only: with ``WIZARD_STORE_TEST_HOOK=POINT:N`` the process
    SIGKILLs itself the N-th time a save reaches ``POINT``. A no-op otherwise.

    Points, in order: ``before-write`` (temp file created, empty), ``mid-write``
    (half written), ``after-write``, ``after-fsync``, ``after-replace`` (before the
    folder is fsynced), ``after-dirsync``.
    """
    global _hook_point, _hook_count, _hook_loaded
    if not _hook_loaded:
        _hook_loaded = True
        spec = os.environ.get(TEST_HOOK_ENV, "")
        name, _, count = spec.partition(":")
        if name and count.isdigit():
            _hook_point, _hook_count = name, int(count)
    if _hook_point != point:
        return
    _hook_count -= 1
    if _hook_count <= 0:
        os.kill(os.getpid(), signal.SIGKILL)


# --- public values ------------------------------------------------------------------------


@record
class SavedSession:
    """A saved session as listed: nothing personal (no answers)."""

    session_id: str
    flow_id: str
    flow_version: str
    position: str  # step id, or REVIEW / CHECKLIST
    position_title: str  # the step's title as the author wrote it (sanitised)
    updated: datetime
    path: Path
    flow_title: str = ""
    created: datetime | None = None

    @property
    def position_label(self) -> str:
        """The step title for a one-line listing (site labels in 「」, references as …)."""
        return plain_title(self.position_title)


@record
class SaveResult:
    ok: bool
    when: datetime | None = None
    message: str | None = None


@record
class PreparedSave:
    """An encoded save waiting to be written (see :meth:`Store.prepare`)."""

    name: str
    data: bytes
    when: datetime


def data_dir() -> Path:
    """Where sessions are saved: ``$WIZARD_DATA_DIR``, else the user data folder + ``sessions``.

    Raises :class:`WizardError` (one sentence saying to set ``WIZARD_DATA_DIR``)
    when neither is known: no ``HOME`` and no entry in the user database.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    try:
        base = platformdirs.user_data_dir(APP_NAME)
    except (RuntimeError, KeyError, OSError):  # no HOME and no entry in the user database
        base = ""
    if not base or not Path(base).is_absolute():
        raise WizardError(MSG_NO_HOME)
    return Path(base) / "sessions"


def _random_hex(nbytes: int) -> str:
    """``nbytes`` random bytes from the OS, in hex: what ``secrets.token_hex`` returns, without
    importing :mod:`secrets` (it imports ``hmac`` and OpenSSL's hashes, ~3 ms at start-up)."""
    return os.urandom(nbytes).hex()


def _now() -> datetime:
    return datetime.now().astimezone()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _save_error(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return MSG_DISK_FULL
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return MSG_READ_ONLY
    code = errno.errorcode.get(exc.errno or 0, "未知错误")
    return MSG_OTHER.format(code=code)


def _folder_problem(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "磁盘已满"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "只读或没有写入权限"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "它不是文件夹"
    return f"出错：{errno.errorcode.get(exc.errno or 0, '未知错误')}"


class _FolderRefused(OSError):
    """The data folder is another user's or others can write it: nothing is read or written there."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EPERM, reason)
        self.reason = reason


def _folder_refusal(st: os.stat_result) -> str | None:
    """Why a data folder with this status must not be used, or None."""
    if st.st_uid != os.geteuid():
        return "属于其他用户，为安全起见不会使用"
    if stat.S_IMODE(st.st_mode) & 0o022:
        return "其他用户也可以在其中写入或删除文件，为安全起见不会使用，也不会更改它的权限"
    return None


def _write_all(fd: int, data: bytes) -> None:
    half = len(data) // 2
    view = memoryview(data)
    done = 0
    reached_half = False
    while done < len(data):
        if not reached_half and done >= half:
            reached_half = True
            _checkpoint("mid-write")
        limit = half if not reached_half else len(data)
        written = os.write(fd, view[done:limit])
        if written <= 0:
            raise OSError(errno.ENOSPC, "nothing written")
        done += written


@record(frozen=False)
class _Loaded:
    record: SessionRecord
    path: Path


@record(frozen=False)
class _Scan:
    loaded: list[_Loaded] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class Store:
    """The folder of saved sessions. Never raises for a bad file or a failing disk."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir()
        #: Notices produced outside :meth:`startup` (a file that went bad later).
        self.pending_notices: builtins.list[str] = []
        self._created: dict[str, datetime] = {}
        self._labels: dict[str, dict[str, str]] = {}
        #: Per session: ids of stale answers the user has been told about (see :meth:`restore`).
        self._notified: dict[str, frozenset[str]] = {}
        self._root_problem: str | None = None
        self._root_readable = False
        #: Session id -> open descriptor of its ``.<id>.lock`` file, ``flock``-ed by this store.
        self._locks: dict[str, int] = {}
        self.kept_open: builtins.list[str] = []  # sessions the last erase_all left (open elsewhere)
        weakref.finalize(self, _close_locks, self._locks)  # a store that is gone holds nothing
        self._prepare_root()

    # --- the folder --------------------------------------------------------------------

    def _prepare_root(self) -> bool:
        """Create the folder (0700) if missing; refuse one others can write. False if unusable.

        Only folders the wizard creates itself are given a mode: an existing folder is never
        chmod-ed (it may be shared on purpose). One that is another user's or that others can
        write is refused (``_root_problem`` says why); one that others can only read is used,
        and :meth:`startup` says so (the files in it are still 0600).
        """
        self._root_problem = None
        self._root_readable = False
        try:
            missing: builtins.list[Path] = []
            p = self.root
            while not p.exists() and p != p.parent:
                missing.append(p)
                p = p.parent
            private = (self.root, self.root.parent)  # the app's own folders
            for d in reversed(missing):
                try:
                    d.mkdir(mode=0o700 if d in private else 0o777)
                except FileExistsError:
                    continue
                if d in private:
                    os.chmod(d, 0o700)  # created just now by us: exactly 0700, whatever the umask
            fd = os.open(self.root, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
            try:
                st = os.fstat(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            self._root_problem = _folder_problem(exc)
            return False
        self._root_problem = _folder_refusal(st)
        self._root_readable = bool(stat.S_IMODE(st.st_mode) & 0o055)
        return self._root_problem is None

    @contextlib.contextmanager
    def _dir(self) -> Iterator[int]:
        try:
            fd = os.open(self.root, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
        except FileNotFoundError:
            self._prepare_root()
            fd = os.open(self.root, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
        try:
            refusal = _folder_refusal(os.fstat(fd))
            if refusal is not None:  # checked on the open folder every time, not only at start
                raise _FolderRefused(refusal)
            yield fd
        finally:
            os.close(fd)

    def _names(self, dfd: int) -> builtins.list[str]:
        try:
            return sorted(os.listdir(dfd))
        except OSError:
            return []

    def path_of(self, session_id: str) -> Path:
        return self.root / f"{session_id}{SUFFIX}"

    # --- reading one file ----------------------------------------------------------------

    def _read(self, dfd: int, name: str, now: datetime, notices: builtins.list[str]) -> SessionRecord | None:
        """Read and check one session file; set it aside (with a notice) if unusable."""
        m = _SESSION_NAME.match(name)
        if m is None:
            return None
        sid = m.group(1)
        try:
            st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._set_aside(dfd, name, f"无法读取（{errno.errorcode.get(exc.errno or 0, '?')}）", now, notices)
            return None
        if stat.S_ISLNK(st.st_mode):
            self._set_aside(dfd, name, "是一个指向别处的链接，不会被读取", now, notices)
            return None
        if not stat.S_ISREG(st.st_mode):
            self._set_aside(dfd, name, "不是普通文件", now, notices)
            return None
        if st.st_uid != os.geteuid():
            self._set_aside(dfd, name, "不属于当前用户", now, notices)
            return None
        if st.st_size > MAX_FILE_BYTES:
            self._set_aside(dfd, name, "文件过大", now, notices)
            return None
        try:
            fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | os.O_NONBLOCK, dir_fd=dfd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._set_aside(dfd, name, f"无法读取（{errno.errorcode.get(exc.errno or 0, '?')}）", now, notices)
            return None
        try:
            fst = os.fstat(fd)
            if (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(fst.st_mode):
                return None  # replaced while we looked: the next look sees the new file
            if stat.S_IMODE(fst.st_mode) & 0o077:
                try:
                    os.fchmod(fd, 0o600)
                    notices.append(f"填写记录 {sid} 的文件权限过宽（其他用户可能读到），已改为仅您本人可读写。")
                except OSError:
                    notices.append(f"填写记录 {sid} 的文件权限过宽（其他用户可能读到），且无法更改，请检查。")
            chunks: builtins.list[bytes] = []
            size = 0
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            self._set_aside(dfd, name, f"无法读取（{errno.errorcode.get(exc.errno or 0, '?')}）", now, notices)
            return None
        finally:
            os.close(fd)
        record, problem = record_from_bytes(b"".join(chunks), sid)
        if record is None:
            self._set_aside(dfd, name, _reason(problem), now, notices)
            return None
        return record

    def _set_aside(self, dfd: int, name: str, reason: str, now: datetime, notices: builtins.list[str]) -> None:
        """Rename a bad file to ``<name>.corrupt-<time>`` (never over an existing name)."""
        stamp = _aware(now).strftime("%Y%m%dT%H%M%S")
        base = f"{name}.corrupt-{stamp}"
        target = base
        n = 1
        while True:
            try:
                os.stat(target, dir_fd=dfd, follow_symlinks=False)
            except FileNotFoundError:
                break
            except OSError:
                break
            n += 1
            target = f"{base}-{n}"
        try:
            os.rename(name, target, src_dir_fd=dfd, dst_dir_fd=dfd)
        except OSError:
            notices.append(
                f"一份已保存的填写记录（{shown_path(name)}）无法使用：{reason}；它无法被移开，已跳过，不会被覆盖。"
            )
            return
        with contextlib.suppress(OSError):
            os.fsync(dfd)
        notices.append(f"一份已保存的填写记录无法使用：{reason}；已改名为 {shown_path(target)} 保留，不会被覆盖。")

    def _scan(self, now: datetime) -> _Scan:
        out = _Scan()
        try:
            with self._dir() as dfd:
                for name in self._names(dfd):
                    record = self._read(dfd, name, now, out.notices)
                    if record is not None:
                        out.loaded.append(_Loaded(record, self.root / name))
        except OSError:
            pass
        return out

    # --- start-up --------------------------------------------------------------------------

    def startup(self, now: datetime | None = None, max_age_days: int | None = None) -> builtins.list[str]:
        """Clean up after a crash, delete old sessions, set bad files aside.

        Returns one sentence per thing the user should know. Never raises.
        """
        now = _aware(now or _now())
        notices: builtins.list[str] = []
        if not self._prepare_root():
            where = shown_path(self.root)
            notices.append(f"无法使用保存位置 {where}（{self._root_problem}），本次填写的内容可能无法保存。")
            return notices
        if self._root_readable:
            where = shown_path(self.root)
            notices.append(
                f"保存位置 {where} 其他用户可以查看其中有哪些文件（文件夹未被更改）；"
                "填写记录本身仍然只有您本人可以读写。"
            )
        days, bad_env = _max_age(max_age_days)
        if bad_env:
            notices.append(f"环境变量 {MAX_AGE_ENV} 的值无效（应为天数），按 {DEFAULT_MAX_AGE_DAYS} 天处理。")
        try:
            with self._dir() as dfd:
                for name in self._names(dfd):
                    if _TEMP_NAME.match(name):
                        self._remove_stale_temp(dfd, name)
        except OSError:
            pass
        scan = self._scan(now)
        notices.extend(scan.notices)
        if days:
            try:
                cutoff = now - timedelta(days=days)
            except OverflowError:  # a huge WIZARD_MAX_AGE_DAYS: older than any time a file may hold
                cutoff = datetime.min.replace(tzinfo=timezone.utc)
            expired = 0
            try:
                with self._dir() as dfd:
                    for item in scan.loaded:
                        if item.record.updated < cutoff and _unlink(dfd, item.path.name):
                            expired += 1
                    for name in self._names(dfd):
                        m = _ASIDE_NAME.match(name)
                        if m and _aside_time(m.group(2), now) < cutoff and _unlink(dfd, name):
                            expired += 1
                    if expired:
                        with contextlib.suppress(OSError):
                            os.fsync(dfd)
            except OSError:
                pass
            if expired:
                notices.append(f"已删除 {expired} 份超过 {days} 天未更新的填写记录。")
        return notices

    def _remove_stale_temp(self, dfd: int, name: str) -> None:
        """Remove a temp file unless a live process holds its lock (it is saving right now)."""
        try:
            fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | os.O_NONBLOCK, dir_fd=dfd)
        except FileNotFoundError:
            return
        except OSError:
            _unlink(dfd, name)  # a symlink or unreadable: ours by name, never followed
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # being written by a live process
            _unlink(dfd, name)
        finally:
            os.close(fd)

    # --- one wizard per session ---------------------------------------------------------------

    def claim(self, session_id: str) -> str | None:
        """Lock a session for this store (None), or :data:`MSG_LOCKED` if another wizard has it.

        The lock is ``flock(LOCK_EX | LOCK_NB)`` on ``.<id>.lock`` (0600) in the folder, held
        until :meth:`release`, :meth:`erase`, a claim of another session, or the process ends
        (the kernel drops it on exit or crash). ``flock`` belongs to an open file description,
        so two stores in one process exclude each other too. A folder where no lock file can be
        made does not stop the wizard: saving reports its own error.
        """
        if not SESSION_ID_RE.match(session_id):
            return None
        if session_id in self._locks:
            return None
        try:
            with self._dir() as dfd:
                fd = os.open(
                    f".{session_id}{LOCK_SUFFIX}",
                    os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_CLOEXEC | os.O_NONBLOCK,
                    0o600,
                    dir_fd=dfd,
                )
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return MSG_LOCKED
        except OSError:
            os.close(fd)
            return None
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)
        for other in builtins.list(self._locks):  # one session per store: switching lets go of the last
            self.release(other)
        self._locks[session_id] = fd
        return None

    def release(self, session_id: str) -> None:
        """Let go of this store's lock on a session (if it holds one)."""
        fd = self._locks.pop(session_id, None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def _drop_lock_file(self, dfd: int, session_id: str) -> None:
        """Remove ``.<id>.lock`` unless another wizard holds it."""
        held = self.claim(session_id) is None and session_id in self._locks
        if held:
            _unlink(dfd, f".{session_id}{LOCK_SUFFIX}")
        self.release(session_id)

    # --- finding and restoring -------------------------------------------------------------

    def list(self) -> builtins.list[SavedSession]:
        """Every usable saved session, most recent first (bad files are set aside)."""
        scan = self._scan(_now())
        self.pending_notices.extend(scan.notices)
        out = [_saved(item) for item in scan.loaded]
        out.sort(key=lambda s: s.updated, reverse=True)
        return out

    def latest_for(self, flow_id: str) -> SavedSession | None:
        """The most recently changed session of a flow, or None."""
        for saved in self.list():
            if saved.flow_id == flow_id:
                return saved
        return None

    def find(self, id_or_prefix: str) -> builtins.list[SavedSession]:
        """Sessions whose id is ``id_or_prefix`` or starts with it (at least 4 characters)."""
        key = id_or_prefix.strip().lower()
        if len(key) < 4 or not re.fullmatch(r"[0-9a-f]+", key):
            return []
        sessions = self.list()
        exact = [s for s in sessions if s.session_id == key]
        return exact or [s for s in sessions if s.session_id.startswith(key)]

    def load(self, session_id: str) -> SessionRecord | None:
        """The sanitised content of one session file (None if missing or unusable)."""
        if not SESSION_ID_RE.match(session_id):
            return None
        try:
            with self._dir() as dfd:
                return self._read(dfd, f"{session_id}{SUFFIX}", _now(), self.pending_notices)
        except OSError:
            return None

    def restore(self, saved: SavedSession, flow: Flow, today: date) -> tuple[Session, builtins.list[str]]:
        """Rebuild a session for (possibly a newer version of) ``flow``.

        What becomes of the answers and the place is :func:`wizard.flowchange.migrate`'s rule (the
        same as for a flow reloaded by ``--watch``); ``notes`` are its notices, after any notice
        about the file itself.
        """
        notes: builtins.list[str] = []
        refused = self.claim(saved.session_id)
        if refused is not None:  # open in another wizard: never read into this one nor written
            return Session(flow=flow, today=today), [refused]
        record = self.load(saved.session_id)
        notes.extend(self.pending_notices)
        self.pending_notices.clear()
        if record is None:
            notes.append("无法读取这份填写记录，将从头开始。")
            return Session(flow=flow, today=today), notes

        change = migrate(
            Before(
                answers=record.answers,
                position=record.position,
                drafts=record.drafts,
                script=record.script,
                ticked=record.ticked,
                step_order=record.step_order,
                labels=record.labels,
                announced=record.stale_notified,
            ),
            flow,
            today,
        )
        session = change.session
        notes.extend(change.notices)
        self._created[saved.session_id] = record.created
        self._labels[saved.session_id] = dict(record.labels)
        notified = frozenset(change.removed)
        self._notified[saved.session_id] = notified
        if notified != record.stale_notified:
            self._remember_notified(saved.session_id, notified)
        return session, notes

    def _remember_notified(self, session_id: str, notified: frozenset[str]) -> None:
        """Write ``stale_notified`` into the session file at once, nothing else changed.

        So the notice is not repeated even if the app is killed before its next
        save. Best effort: on failure the next :meth:`save` writes it.
        """
        name = f"{session_id}{SUFFIX}"
        try:
            with self._dir() as dfd:
                fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | os.O_NONBLOCK, dir_fd=dfd)
                try:
                    if not stat.S_ISREG(os.fstat(fd).st_mode):
                        return
                    data = os.read(fd, MAX_FILE_BYTES + 1)
                finally:
                    os.close(fd)
                record, _ = record_from_bytes(data, session_id)
                if record is None:
                    return  # changed under us and no longer usable: leave it for the next read
                obj = json.loads(data.decode("utf-8"))
                if notified:
                    obj["stale_notified"] = sorted(notified)
                else:
                    obj.pop("stale_notified", None)
                self._write_atomic(dfd, name, dumps(obj))
        except (OSError, ValueError):
            pass

    # --- saving and erasing ------------------------------------------------------------------

    def new_session_id(self) -> str:
        """A random id (64 bits); it says nothing about the user."""
        while True:
            sid = _random_hex(8)
            if not self.path_of(sid).exists():  # locked by its first save (see :meth:`claim`)
                return sid

    def save(self, session: Session, session_id: str) -> SaveResult:
        """Write the session atomically. Never raises; ``ok=False`` with a message on failure."""
        prepared = self.prepare(session, session_id)
        if isinstance(prepared, SaveResult):
            return prepared
        return self.write(prepared)

    def prepare(self, session: Session, session_id: str) -> PreparedSave | SaveResult:
        """The bytes of a save, encoded now (a failure is a :class:`SaveResult`); :meth:`write` writes them.

        Split from :meth:`write` so that a view can encode on its own thread (the session is not
        read again) and leave the disk (two ``fsync``) to another thread. Never raises.
        """
        if not SESSION_ID_RE.match(session_id):
            return SaveResult(False, None, "无法保存：记录编号无效。")
        refused = self.claim(session_id)
        if refused is not None:
            return SaveResult(False, None, refused)
        when = _now()
        created = self._created.setdefault(session_id, when)
        try:
            obj = session_to_dict(
                session,
                session_id,
                created=created,
                updated=when,
                extra_labels=self._labels.get(session_id),
                stale_notified=self._notified.get(session_id, frozenset()),
            )
            data = dumps(obj)
        except (TypeError, ValueError):
            return SaveResult(False, None, "无法保存：内部错误（回答的数据类型不正确）。")
        if len(data) > MAX_FILE_BYTES:
            return SaveResult(False, None, "无法保存：填写的内容过多，超出了保存文件的大小上限。")
        return PreparedSave(f"{session_id}{SUFFIX}", data, when)

    def write(self, prepared: PreparedSave) -> SaveResult:
        """Write prepared bytes atomically (any thread; one write at a time). Never raises."""
        refused = self.claim(prepared.name[: -len(SUFFIX)])
        if refused is not None:
            return SaveResult(False, None, refused)
        try:
            with self._dir() as dfd:
                self._write_atomic(dfd, prepared.name, prepared.data)
        except _FolderRefused as exc:
            return SaveResult(False, None, f"无法保存：保存位置 {shown_path(self.root)} {exc.reason}。")
        except OSError as exc:
            return SaveResult(False, None, _save_error(exc))
        return SaveResult(True, prepared.when, None)

    def _write_atomic(self, dfd: int, name: str, data: bytes) -> None:
        temp = f".{name[: -len(SUFFIX)]}.{_random_hex(4)}.tmp"
        fd = os.open(
            temp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC,
            0o600,
            dir_fd=dfd,
        )
        replaced = False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.fchmod(fd, 0o600)
            _checkpoint("before-write")
            _write_all(fd, data)
            _checkpoint("after-write")
            os.fsync(fd)
            _checkpoint("after-fsync")
            os.replace(temp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            replaced = True
            _checkpoint("after-replace")
        finally:
            os.close(fd)
            if not replaced:
                _unlink(dfd, temp)
        try:
            os.fsync(dfd)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
                raise
        _checkpoint("after-dirsync")

    def erase(self, session_id: str) -> bool:
        """Delete one session file. True if it was there; False too when it is open in another
        wizard (:meth:`open_elsewhere`): that wizard would only write it again."""
        if not SESSION_ID_RE.match(session_id) or self.open_elsewhere(session_id):
            return False
        self._created.pop(session_id, None)
        self._labels.pop(session_id, None)
        self._notified.pop(session_id, None)
        try:
            with self._dir() as dfd:
                done = _unlink(dfd, f"{session_id}{SUFFIX}")
                self._drop_lock_file(dfd, session_id)
                if done:
                    with contextlib.suppress(OSError):
                        os.fsync(dfd)
                return done
        except OSError:
            return False

    def open_elsewhere(self, session_id: str) -> bool:
        """True when another wizard holds the session (its lock); this store then holds it."""
        return self.claim(session_id) is not None

    def erase_all(self) -> int:
        """Delete every session file, every set-aside file and every abandoned temp file.

        Returns how many sessions and set-aside files were deleted. A session open in another
        wizard is left alone; their ids are in :attr:`kept_open` afterwards.
        """
        count = 0
        self.kept_open = []
        self._created.clear()
        self._labels.clear()
        self._notified.clear()
        try:
            with self._dir() as dfd:
                names = self._names(dfd)
                sessions = {m.group(1) for n in names if (m := _SESSION_NAME.match(n))}
                for name in names:
                    if m := _SESSION_NAME.match(name):
                        if self.open_elsewhere(m.group(1)):
                            self.kept_open.append(m.group(1))
                            continue
                        count += _unlink(dfd, name)
                        self._drop_lock_file(dfd, m.group(1))  # the lock open_elsewhere took
                    elif _ASIDE_NAME.match(name):
                        count += _unlink(dfd, name)
                    elif _TEMP_NAME.match(name):
                        self._remove_stale_temp(dfd, name)
                    elif (m := _LOCK_NAME.match(name)) and m.group(1) not in sessions:
                        self._drop_lock_file(dfd, m.group(1))  # a lock left without its session
                with contextlib.suppress(OSError):
                    os.fsync(dfd)
        except OSError:
            pass
        return count

    def set_aside_files(self) -> builtins.list[str]:
        """Names of files set aside as unusable (kept until they expire or are erased)."""
        try:
            with self._dir() as dfd:
                return [n for n in self._names(dfd) if _ASIDE_NAME.match(n)]
        except OSError:
            return []


# --- helpers --------------------------------------------------------------------------------


def _close_locks(locks: dict[str, int]) -> None:
    for fd in locks.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    locks.clear()


def _reason(problem: FormatProblem | None) -> str:
    return problem.reason if problem is not None else "文件内容不完整或已损坏"


def _unlink(dfd: int, name: str) -> bool:
    try:
        os.unlink(name, dir_fd=dfd)
    except OSError:
        return False
    return True


def _max_age(given: int | None) -> tuple[int, bool]:
    """(days, env value was invalid). 0 days means sessions never expire."""
    if given is not None:
        return max(0, given), False
    raw = os.environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_AGE_DAYS, False
    if raw.isdigit() and len(raw) <= 6:
        return int(raw), False
    return DEFAULT_MAX_AGE_DAYS, True


def _aside_time(stamp: str, now: datetime) -> datetime:
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S").astimezone()
    except (ValueError, OverflowError, OSError):  # OverflowError: year 1 east of UTC
        return now


def _saved(item: _Loaded) -> SavedSession:
    r = item.record
    return SavedSession(
        session_id=r.session_id,
        flow_id=r.flow_id,
        flow_version=r.flow_version,
        position=r.position,
        position_title=r.position_title,
        updated=r.updated.astimezone(),
        path=item.path,
        flow_title=r.flow_title,
        created=r.created.astimezone(),
    )

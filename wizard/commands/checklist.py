"""``wizard checklist [FLOW] --answers FILE``: the personalised checklist without the UI.

Answers come from a plain YAML/JSON mapping (field id → value) or a saved
session file (``format: 1``); they are validated with the same per-type
validators as every view (:func:`wizard.answers.fields.validate`). A bad answer is
reported as ``FILE: field_id: message`` and nothing is printed (exit 1).
The checklist is built by :func:`wizard.checklist.build` and formatted by
:mod:`wizard.export`; this module re-implements no rule.

``cli.py`` imports this module for every command (to build the parser), so
everything beyond ``argparse`` is imported inside :func:`main`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from wizard.flow.record import field, record
from wizard.text.script import SCRIPTS

TYPE_CHECKING = False  # typing costs ~2 ms to import: only type checkers read this block
if TYPE_CHECKING:
    from datetime import date

    from wizard.errors import Diagnostic
    from wizard.flow.conditions import Answer
    from wizard.flow.model import Flow
    from wizard.session import Session

FORMATS = ("markdown", "text", "json", "html", "ics")  # the same as wizard.export.ALL_FORMATS (checked by a test)
MAX_ANSWERS_BYTES = 5 * 1024 * 1024


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("flow", nargs="?", metavar="FLOW", help="flow file or shipped flow id (default: 12315-complaint)")
    p.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help="answers: a YAML/JSON mapping of field id → value, or a saved session file",
    )
    p.add_argument("--format", choices=FORMATS, default="markdown", help="output format (default: markdown)")
    p.add_argument("--script", choices=SCRIPTS, help="文字：zh-Hans（简体）, zh-Hant, zh-TW, zh-HK")
    p.add_argument(
        "--output", "-o", metavar="PATH", help="write to this new file (mode 0600) instead of standard output"
    )
    p.add_argument(
        "--force", action="store_true", help="with --output: replace an existing plain file (never a link or device)"
    )


def answer_problem(d: Diagnostic) -> str:
    """``FILE: field_id: message`` (the answers loader puts the field id first in the message)."""
    from wizard.text.safety import visible

    text = f"{d.location.path}: {d.message}" if d.is_error else f"{d.location.path}: warning: {d.message}"
    return visible(f"{text}; {d.hint}" if d.hint else text)


def missing_required(session: Session) -> list[str]:
    """Ids of required fields on the user's path that have no answer.

    The same fields as ``session.visible_fields(step)`` for each of ``session.visible_steps()``,
    with the effective answers worked out once instead of once per step.
    """
    from wizard.flow.conditions import evaluate

    effective = session.effective()
    return [
        f.id
        for step in session.visible_steps()
        for f in step.fields
        if f.required and f.id not in effective and evaluate(f.when, effective, session.today)
    ]


class OutputRefused(OSError):
    """``--output`` names something the command will not replace (the message says why)."""


def _what_is_there(mode: int) -> str | None:
    """What an existing path is, in words, when it is not a plain file; None for a plain file."""
    import stat

    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "一个符号链接"
    if stat.S_ISDIR(mode):
        return "一个文件夹，不是文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "一个设备"
    if stat.S_ISFIFO(mode):
        return "一个管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    return "一个特殊文件"


def _refuse_existing(path: Path, force: bool) -> None:
    """Raise :class:`OutputRefused` unless ``path`` is absent, or a plain file and ``force`` is set.

    Checked with ``lstat``: a symbolic link is never followed, whatever it points to.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    what = _what_is_there(mode)
    if what is not None:
        raise OutputRefused(f"这里已经有{what}；清单只写到新文件或普通文件（--force 也不会替换它）")
    if not force:
        raise OutputRefused("文件已经存在，没有覆盖它（确实要覆盖，请加 --force）")


def write_private(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, mode 0600.

    An existing path is never replaced, unless it is a plain file and ``force``
    is set; a symbolic link, a device, a pipe or a folder never is (checked
    without following links). Without ``force`` the temporary file is *linked*
    into place, which fails if anything appeared there meanwhile; with it, it is
    renamed over the plain file (a rename replaces the name, never writes
    through a link). Raises OSError (with a message fit for the user) when the
    folder is missing, the path is taken, or the file cannot be written.
    """
    import tempfile

    from wizard.text.safety import shown_path

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OSError(f"文件夹 {shown_path(folder)} 不存在")
    _refuse_existing(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        if force:
            _refuse_existing(path, force)  # again, as late as possible: never rename over a link or a device
            os.replace(tmp, path)
        else:
            _link_new(tmp, path, text)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _link_new(tmp: str, path: Path, text: str) -> None:
    """Put the finished ``tmp`` at ``path``, which must not exist (no replacing, even in a race)."""
    import errno

    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        _refuse_existing(path, False)
        raise OutputRefused("文件已经存在，没有覆盖它（确实要覆盖，请加 --force）") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
    # a file system without hard links: create the file exclusively and write it in place
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        _refuse_existing(path, False)
        raise OutputRefused("文件已经存在，没有覆盖它（确实要覆盖，请加 --force）") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise


@record(frozen=False)
class Answers:
    """The answers to build the checklist from, and what a saved session adds."""

    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # lines for stderr, ``FILE: field_id: message``
    errors: int = 0
    ticked: frozenset[str] = frozenset()
    script: str | None = None


def _session_file(data: bytes) -> bool:
    """True when ``data`` is a saved session (JSON with ``format``, ``flow_id`` and ``answers``)."""
    if not data.lstrip()[:1] == b"{":
        return False
    import json

    from wizard.store.format import looks_like_session

    try:
        return looks_like_session(json.loads(data))
    except ValueError:
        return False


def _from_session(flow: Flow, data: bytes, shown: str, today: date) -> Answers:
    """Answers of a saved session file, validated again like the store does on restore."""
    from wizard.answers.fields import validate
    from wizard.store.format import record_from_bytes

    out = Answers()
    record, problem = record_from_bytes(data)
    if record is None:
        reason = problem.reason if problem is not None else "格式不对"
        out.problems.append(f"{shown}: 无法使用这个保存文件：{reason}")
        out.errors += 1
        return out
    if record.flow_id != flow.id:
        out.problems.append(f"{shown}: 这个保存文件属于流程 '{record.flow_id}'，不是 '{flow.id}'（请指定 FLOW）")
        out.errors += 1
        return out
    for key, raw in record.answers.items():
        f = flow.field(key)
        if f is None:
            out.problems.append(f"{shown}: warning: {key}: 新版流程中没有这一项，已忽略")
            continue
        verdict = validate(f, raw, today)
        if verdict.error and not (verdict.value is None and raw in (None, "")):
            out.problems.append(f"{shown}: {key}: {verdict.error}")
            out.errors += 1
            continue
        if verdict.warning:
            out.problems.append(f"{shown}: warning: {key}: {verdict.warning}")
        if verdict.value is not None:
            out.answers[key] = verdict.value
    out.ticked = record.ticked
    out.script = record.script
    return out


def read_answers(flow: Flow, path: str, today: date) -> Answers:
    """An answers file (YAML/JSON mapping) or a saved session file, validated."""
    from wizard.answers.file import check_answers, load_answers

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_ANSWERS_BYTES + 1)
    except OSError:
        data = None  # load_answers reports why, in the usual form
    if data is not None and len(data) <= MAX_ANSWERS_BYTES and _session_file(data):
        return _from_session(flow, data, path, today)
    loaded = load_answers(flow, path, today) if data is None else check_answers(flow, data, path, today)
    out = Answers(answers=dict(loaded.answers))
    for d in loaded.diagnostics:
        out.problems.append(answer_problem(d))
        out.errors += d.is_error
    return out


def main(args: argparse.Namespace) -> int:
    from datetime import date

    from wizard.checklist import build
    from wizard.commands.flowarg import open_flow
    from wizard.export import render
    from wizard.session import Session
    from wizard.text.script import detect_script, renderer_for

    if args.force and not args.output:
        print("--force 只和 --output 一起使用（替换已有的普通文件）。", file=sys.stderr)
        return 2
    flow, _ = open_flow(args.flow)
    if flow is None:
        return 1
    today = date.today()
    from wizard.text.safety import shown_path, visible

    given = read_answers(flow, args.answers, today)
    shown = shown_path(args.answers)
    for line in given.problems:
        print(line, file=sys.stderr)
    if given.errors:
        print(f"{shown}: {given.errors} 个错误，没有生成清单。", file=sys.stderr)
        return 1
    script = args.script or given.script or detect_script(os.environ)
    session = Session(flow, answers=given.answers, today=today, script=script, ticked=set(given.ticked))
    for field_id in missing_required(session):
        print(f"{shown}: warning: {field_id}: 必填项没有回答，清单中显示为「（未填写）」", file=sys.stderr)
    renderer = renderer_for(script)
    checklist = build(session, renderer)
    if args.format == "ics" and not checklist.deadlines:
        print(f"{shown}: 按这些回答没有可以算出的期限，没有生成日历文件（.ics）。", file=sys.stderr)
        return 1
    text = render(checklist, args.format, ticked=session.ticked, script=script, generated=today, renderer=renderer)
    if args.output:
        target = Path(args.output)
        try:
            write_private(target, text, force=args.force)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            print(f"无法写入 {shown_path(target)}：{visible(reason)}", file=sys.stderr)
            return 1
        print(f"清单已写入 {shown_path(target)}", file=sys.stderr)
        return 0
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0

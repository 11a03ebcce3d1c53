"""Writing the checklist to a file the user chose.

The text comes from :mod:`wizard.export` (``to_markdown`` / ``to_text`` /
``to_ics``), the same as ``wizard checklist`` prints. Files are created new (never
overwriting) with mode 0600: they hold personal data.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from datetime import date, datetime
from pathlib import Path

from wizard import export
from wizard.checklist import Checklist
from wizard.text.render import TextRenderer
from wizard.text.safety import shown_path, visible

FORMATS = {"markdown": ".md", "text": ".txt", "ics": ".ics"}  # ics: only for a checklist with deadlines


def default_path(flow_id: str, fmt: str, now: datetime, cwd: Path | None = None) -> Path:
    """``12315-清单-YYYYMMDD-HHMM.md`` in the current folder, or in the home folder if that is not writable."""
    prefix = flow_id.split("-")[0] or "wizard"
    name = f"{prefix}-清单-{now:%Y%m%d-%H%M}{FORMATS.get(fmt, '.md')}"
    folder = cwd if cwd is not None else Path.cwd()
    if not os.access(folder, os.W_OK):
        folder = Path.home()
    return folder / name


def render(
    checklist: Checklist,
    fmt: str,
    *,
    ticked: Collection[str] = (),
    script: str = "zh-Hans",
    generated: date | None = None,
    renderer: TextRenderer | None = None,
) -> str:
    """The file's text, from :mod:`wizard.export` (the same text as ``wizard checklist``)."""
    return export.render(checklist, fmt, ticked=ticked, script=script, generated=generated, renderer=renderer)


def formats_for(checklist: Checklist) -> list[str]:
    """The formats worth offering: a calendar file only when there are deadlines to put in it."""
    return [fmt for fmt in FORMATS if fmt != "ics" or checklist.deadlines]


def write(path: Path, content: str) -> Path:
    """Create ``path`` (not overwriting) with mode 0600; return the absolute path. Raises OSError."""
    full = path.expanduser()
    if not full.is_absolute():
        full = Path.cwd() / full
    fd = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)
    return full


def error_message(exc: OSError, path: Path) -> str:
    """A one-sentence Chinese explanation of why the file could not be written."""
    if isinstance(exc, FileExistsError):
        return f"已经有同名文件：{shown_path(path)}。请换一个文件名。"
    if isinstance(exc, FileNotFoundError):
        return f"文件夹不存在：{shown_path(path.parent)}"
    if isinstance(exc, PermissionError):
        return f"没有权限写入：{shown_path(path)}"
    if isinstance(exc, IsADirectoryError):
        return f"这是一个文件夹，不是文件名：{shown_path(path)}"
    return f"无法保存到 {shown_path(path)}：{visible(str(exc.strerror or exc))}"

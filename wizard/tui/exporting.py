"""Writing the checklist to a file the user chose.

The text comes from :mod:`wizard.export` (``to_markdown`` / ``to_text``)
when it exists; until then a minimal private formatter is used. Files are
created new (never overwriting) with mode 0600: they hold personal data.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from wizard.checklist import Checklist
from wizard.safety import clean_text

FORMATS = {"markdown": ".md", "text": ".txt"}


def default_path(flow_id: str, fmt: str, now: datetime, cwd: Path | None = None) -> Path:
    """``12315-清单-YYYYMMDD-HHMM.md`` in the current folder, or in the home folder if that is not writable."""
    prefix = flow_id.split("-")[0] or "wizard"
    name = f"{prefix}-清单-{now:%Y%m%d-%H%M}{FORMATS.get(fmt, '.md')}"
    folder = cwd if cwd is not None else Path.cwd()
    if not os.access(folder, os.W_OK):
        folder = Path.home()
    return folder / name


def _exporter(fmt: str) -> Callable[[Checklist], str]:
    try:
        module = importlib.import_module("wizard.export")
    except ImportError:
        module = None
    name = "to_markdown" if fmt == "markdown" else "to_text"
    func = getattr(module, name, None) if module is not None else None
    if callable(func):
        return func  # type: ignore[no-any-return]
    return _fallback_markdown if fmt == "markdown" else _fallback_text


def render(checklist: Checklist, fmt: str, ticked: set[str] | None = None) -> str:
    del ticked  # the exporters print a fresh list to tick on paper
    return _exporter(fmt)(checklist)


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
        return f"已经有同名文件：{path}。请换一个文件名。"
    if isinstance(exc, FileNotFoundError):
        return f"文件夹不存在：{path.parent}"
    if isinstance(exc, PermissionError):
        return f"没有权限写入：{path}"
    if isinstance(exc, IsADirectoryError):
        return f"这是一个文件夹，不是文件名：{path}"
    return f"无法保存到 {path}：{exc.strerror or exc}"


# --- minimal formatters, used only while wizard.export is missing ------------------------


def _md_escape(s: str) -> str:
    out = clean_text(s, multiline=False)
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def _fallback_markdown(checklist: Checklist) -> str:
    lines = [f"# {_md_escape(checklist.flow_title)}", ""]
    for check in checklist.checks:
        mark = "⛔" if check.level == "stop" else "⚠"
        lines.append(f"> {mark} {_md_escape(check.message)}")
        lines.append("")
    for section in checklist.sections:
        lines.append(f"## {_md_escape(section.title)}")
        lines.append("")
        for item in section.items:
            lines.append(f"- [ ] {_md_escape(item.text)}")
            if item.value:
                for value_line in clean_text(item.value).split("\n"):
                    lines.append(f"  > {_md_escape(value_line)}")
        lines.append("")
    for comp in checklist.composed:
        limit = f" / {comp.max_length}" if comp.max_length else ""
        lines.append(f"## {_md_escape(comp.label)}（{comp.length}{limit} 字）")
        lines.append("")
        for text_line in clean_text(comp.text).split("\n"):
            lines.append(f"> {_md_escape(text_line)}")
        if comp.advice:
            lines.append("")
            lines.append(f"⚠ {_md_escape(comp.advice)}")
        lines.append("")
    lines.append(f"流程版本 {_md_escape(checklist.flow_version)}，核对日期 {_md_escape(checklist.reviewed)}")
    return "\n".join(lines) + "\n"


def _fallback_text(checklist: Checklist) -> str:
    lines = [clean_text(checklist.flow_title, multiline=False), ""]
    for check in checklist.checks:
        lines.append(("【无法继续】" if check.level == "stop" else "【注意】") + clean_text(check.message))
    n = 0
    for section in checklist.sections:
        lines.append("")
        lines.append(clean_text(section.title, multiline=False))
        for item in section.items:
            n += 1
            lines.append(f"  {n}. [ ] {clean_text(item.text, multiline=False)}")
            if item.value:
                for value_line in clean_text(item.value).split("\n"):
                    lines.append(f"       {value_line}")
    for comp in checklist.composed:
        limit = f" / {comp.max_length}" if comp.max_length else ""
        lines.append("")
        lines.append(f"{clean_text(comp.label, multiline=False)}（{comp.length}{limit} 字）")
        lines.append(clean_text(comp.text))
        if comp.advice:
            lines.append(clean_text(comp.advice))
    lines.append("")
    lines.append(f"流程版本 {checklist.flow_version}，核对日期 {checklist.reviewed}")
    return "\n".join(lines) + "\n"

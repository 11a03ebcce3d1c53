"""The FLOW argument of the commands that open one flow: resolve it, load it, report why not."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard.flow.loader import check_file
from wizard.flow.model import Flow
from wizard.shipped import resolve_flow, shadow_notice
from wizard.text.safety import shown_path


def open_flow(name: str | None) -> tuple[Flow | None, Path]:
    """The flow named on the command line (a path or a shipped id; the default flow when None).

    When it cannot be loaded, every diagnostic and one sentence for the user go to stderr. When a
    local file and a shipped flow could be confused, one sentence on stderr says which file runs.
    """
    path = resolve_flow(name)
    flow, diagnostics = check_file(path)
    notice = shadow_notice(name, path, flow.id if flow is not None else None)
    if notice is not None:
        print(notice, file=sys.stderr)
    if flow is None:
        for d in diagnostics:
            print(d.format(), file=sys.stderr)
        print(f"无法打开流程文件 {shown_path(path)}（见上面的错误）。", file=sys.stderr)
    return flow, path

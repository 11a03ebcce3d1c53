"""The FLOW argument of the commands that open one flow: resolve it, load it, report why not."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard.flow.loader import check_file
from wizard.flow.model import Flow
from wizard.safety import visible
from wizard.shipped import resolve_flow


def open_flow(name: str | None) -> tuple[Flow | None, Path]:
    """The flow named on the command line (a path or a shipped id; the default flow when None).

    When it cannot be loaded, every diagnostic and one sentence for the user go to stderr.
    """
    path = resolve_flow(name)
    flow, diagnostics = check_file(path)
    if flow is None:
        for d in diagnostics:
            print(d.format(), file=sys.stderr)
        print(f"无法打开流程文件 {visible(str(path))}（见上面的错误）。", file=sys.stderr)
    return flow, path

"""Plain line-by-line mode (skeleton: filled in by the plain-mode issue)."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard.flow.model import Flow


def run_plain(flow: Flow, path: Path, *, script: str, resume: str) -> int:
    del flow, path, script, resume
    print("plain mode is not available yet", file=sys.stderr)
    return 2

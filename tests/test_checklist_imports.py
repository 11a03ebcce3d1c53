"""What ``wizard checklist`` imports: only what the asked format needs (issue #10).

``wizard checklist`` is measured against ``wizard validate`` (benchmarks/run.py);
these checks keep the modules it used to pay for out of its start-up. No
timing here: each command runs in a fresh interpreter and ``-X importtime``
lists every module it imported.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from contextlib import redirect_stdout

import pytest

from tests.conftest import FLOWS, ROOT
from wizard import cli

FLOW = FLOWS / "12315-complaint.yaml"
ANSWERS = FLOWS / "examples" / "12315-complaint" / "online-clothing-refund.yaml"
# Never needed to print a checklist: dataclasses (and the inspect/ast/dis it imports), typing,
# shutil (argparse imports it for the terminal width), threading, the UI, OpenCC for zh-Hans.
NEVER = {"dataclasses", "inspect", "typing", "shutil", "threading", "textual", "rich", "opencc"}


def imported(*args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wizard", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=str(ROOT),
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "wizard.checklist" in names or args[0] != "checklist", "the probe sees the imports"
    return names


@pytest.mark.parametrize(
    ("fmt", "needed", "not_needed"),
    [
        ("markdown", set(), {"json", "html"}),
        ("text", set(), {"json", "html"}),
        ("json", {"json"}, {"html"}),
        ("html", {"html"}, {"json"}),
    ],
)
def test_checklist_imports_only_what_its_format_needs(fmt: str, needed: set[str], not_needed: set[str]) -> None:
    names = imported("checklist", str(FLOW), "--answers", str(ANSWERS), "--format", fmt)
    assert "wizard.export" in names and "wizard.session" in names
    assert needed <= names
    assert not names & (NEVER | not_needed), sorted(names & (NEVER | not_needed))


def test_validate_imports_no_shutil_or_dataclasses() -> None:
    names = imported("validate", str(FLOW))
    assert "wizard.flow.loader" in names
    assert not names & NEVER, sorted(names & NEVER)


def test_a_traditional_script_still_loads_opencc() -> None:
    names = imported("checklist", str(FLOW), "--answers", str(ANSWERS), "--script", "zh-TW")
    assert "opencc" in names


def help_text(command: str | None) -> str:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        cli.build_parser(command).parse_args([command, "--help"] if command else ["--help"])
    return out.getvalue()


@pytest.mark.parametrize("columns", ["40", "100", "200", "0", "x"])
@pytest.mark.parametrize("command", [None, "checklist", "validate"])
def test_help_is_as_wide_as_argparse_makes_it(
    monkeypatch: pytest.MonkeyPatch, columns: str, command: str | None
) -> None:
    """The formatter that spares ``import shutil`` wraps help exactly as argparse's own."""
    monkeypatch.setenv("COLUMNS", columns)
    ours = help_text(command)
    monkeypatch.setattr(cli, "HelpFormatter", argparse.HelpFormatter)
    assert ours == help_text(command)


def test_help_follows_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = help_text("checklist")
    monkeypatch.setenv("COLUMNS", "200")
    assert narrow != help_text("checklist")
    assert len(narrow.splitlines()) > len(help_text("checklist").splitlines())

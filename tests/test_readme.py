"""The README stays true: its key table is the app's, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from wizard.cli import COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_key_table_is_the_apps_key_table() -> None:
    from wizard.tui.keys import markdown_table

    assert markdown_table() in README


def test_readme_names_every_command_and_only_real_ones() -> None:
    named = set(re.findall(r"`wizard (\w+)", README))
    assert set(COMMANDS) <= named | {"run"}
    assert named <= set(COMMANDS)


def test_readme_gives_the_two_set_up_commands() -> None:
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/wizard" in README
    assert "bash scripts/test" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in ci

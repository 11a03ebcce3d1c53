"""Paths with control characters are shown escaped in every message (issue 14, item 10).

A file or folder name may hold an escape character, a line break, a direction override or (from
an undecodable argument) a lone surrogate. Every message that names a path writes it with
:func:`wizard.text.safety.shown_path`: the reader sees ``\\x1b``, the terminal receives no control
character.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from wizard.text.safety import shown_path

TEST_FLOW = ROOT / "tests" / "data" / "export-flow.yaml"
ANSWERS = ROOT / "tests" / "data" / "export-answers.yaml"
EVIL = "a\x1b[2J\x1b]0;owned\x07b\nc\u202ed\x9b"
ESCAPED = "a\\x1b[2J\\x1b]0;owned\\x07b\\nc\\u202ed\\x9b"


def raw_controls(text: str) -> list[str]:
    return [ch for ch in text if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch == "\u202e")]


def wizard(cwd: Path, *args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_shown_path_escapes_every_control_character() -> None:
    assert shown_path(EVIL) == ESCAPED
    assert shown_path(Path("/tmp") / EVIL) == "/tmp/" + ESCAPED
    assert shown_path(os.fsencode("x\x1by")) == "x\\x1by"
    assert shown_path("bad\udcffname") == "bad\\udcffname"  # an undecodable byte from the command line
    assert shown_path("投诉/清单 1.md") == "投诉/清单 1.md"


def _assert_escaped(result: subprocess.CompletedProcess[str], *, code: int) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output
    assert raw_controls(output) == [], output
    assert ESCAPED in output, output


def test_checklist_output_in_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / EVIL / "x.md"
    _assert_escaped(wizard(tmp_path, "checklist", TEST_FLOW, "--answers", ANSWERS, "-o", target), code=1)


def test_checklist_output_written(tmp_path: Path) -> None:
    target = tmp_path / (EVIL.replace("\n", "") + ".md")
    result = wizard(tmp_path, "checklist", TEST_FLOW, "--answers", ANSWERS, "-o", target)
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stderr) == [] and "清单已写入" in result.stderr
    assert "\\x1b[2J" in result.stderr


def test_checklist_answers_and_flow_names(tmp_path: Path) -> None:
    _assert_escaped(wizard(tmp_path, "checklist", TEST_FLOW, "--answers", tmp_path / EVIL), code=1)
    _assert_escaped(wizard(tmp_path, "checklist", tmp_path / (EVIL + ".yaml"), "--answers", ANSWERS), code=1)


def test_validate_and_test_commands(tmp_path: Path) -> None:
    _assert_escaped(wizard(tmp_path, "validate", tmp_path / (EVIL + ".yaml")), code=1)
    result = wizard(tmp_path, "test", tmp_path / (EVIL + ".yaml"))
    assert result.returncode != 0
    assert raw_controls(result.stdout + result.stderr) == []
    assert ESCAPED in result.stdout + result.stderr


def test_new_command(tmp_path: Path) -> None:
    _assert_escaped(wizard(tmp_path, "new", tmp_path / (EVIL + ".txt")), code=2)


def test_sessions_names_the_data_folder_escaped(tmp_path: Path) -> None:
    folder = tmp_path / EVIL
    folder.mkdir()
    result = wizard(tmp_path, "sessions", env={"WIZARD_DATA_DIR": str(folder)})
    assert raw_controls(result.stdout + result.stderr) == [], result.stdout + result.stderr
    assert ESCAPED in result.stdout + result.stderr


def test_an_unusable_data_folder_is_named_escaped(tmp_path: Path) -> None:
    from wizard.store.disk import Store

    where = tmp_path / EVIL
    where.write_text("a file, not a folder", encoding="utf-8")
    notices = Store(where).startup()
    assert notices and all(raw_controls(n) == [] for n in notices)
    assert any(ESCAPED in n for n in notices), notices


@pytest.mark.parametrize(
    "exc", [FileExistsError(17, "x"), FileNotFoundError(2, "x"), PermissionError(13, "x"), OSError(5, "I/O")]
)
def test_tui_export_errors_name_the_path_escaped(exc: OSError) -> None:
    from wizard.tui.exporting import error_message

    message = error_message(exc, Path("/tmp") / EVIL / "x.md")
    assert raw_controls(message) == [] and ESCAPED in message


def test_watch_problem_names_the_path_escaped() -> None:
    from wizard.tui.watch import describe_problems

    text = describe_problems(str(Path("/tmp") / EVIL), [], reason="文件不见了")
    assert raw_controls(text.plain) == [] and ESCAPED in text.plain

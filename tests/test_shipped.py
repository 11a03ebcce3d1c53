"""A local file never shadows a shipped flow silently (issue 14, item 6).

A bare id (``12315-complaint``) is the shipped flow even when the current folder holds a file of
that name; ``./12315-complaint`` runs the file. A local flow whose ``id:`` is a shipped flow's is
run, with one sentence on stderr saying which file runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FLOWS, ROOT
from wizard.shipped import flows_dir, resolve_flow, shadow_notice

COMPLAINT = FLOWS / "12315-complaint.yaml"
ANSWERS = FLOWS / "examples" / "12315-complaint" / "online-clothing-refund.yaml"
OTHER_FLOW = ROOT / "tests" / "data" / "export-flow.yaml"


def wizard(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)},
    )


def test_a_bare_id_is_the_shipped_flow_even_with_a_local_file_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "12315-complaint").write_bytes(OTHER_FLOW.read_bytes())
    path = resolve_flow("12315-complaint")
    assert path.resolve() == (flows_dir() / "12315-complaint.yaml").resolve()
    notice = shadow_notice("12315-complaint", path, "12315-complaint")
    assert notice is not None
    assert "内置流程" in notice and "./12315-complaint" in notice
    assert resolve_flow("./12315-complaint") == Path("./12315-complaint")  # the file, when asked for


def test_no_notice_without_a_local_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = resolve_flow("12315-complaint")
    assert shadow_notice("12315-complaint", path, "12315-complaint") is None
    assert shadow_notice(str(COMPLAINT), COMPLAINT, "12315-complaint") is None  # the shipped file by path
    assert shadow_notice(None, path, "12315-complaint") is None  # the default flow


def test_a_local_flow_with_a_shipped_id_says_which_file_runs(tmp_path: Path) -> None:
    local = tmp_path / "my.yaml"
    local.write_bytes(COMPLAINT.read_bytes())  # a copy: same id, another file
    notice = shadow_notice(str(local), local, "12315-complaint")
    assert notice is not None
    assert str(local) in notice and "不是内置流程" in notice


def test_wizard_checklist_runs_the_shipped_flow_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "12315-complaint").write_bytes(OTHER_FLOW.read_bytes())  # another flow, dropped here
    result = wizard(tmp_path, "checklist", "12315-complaint", "--answers", ANSWERS, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"id": "12315-complaint"' in result.stdout
    assert "当前文件夹中也有名为 12315-complaint 的文件" in result.stderr
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(COMPLAINT.read_bytes())
    result = wizard(tmp_path, "checklist", copy, "--answers", ANSWERS, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert f"{copy} 的流程编号“12315-complaint”与内置流程相同" in result.stderr

"""``wizard validate``, ``wizard flows`` and ``wizard --version`` from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wizard import __version__
from wizard.cli import main
from wizard.shipped import shipped_flows

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "tests" / "corpus"
VALID = DATA / "format-full.yaml"
INVALID = CORPUS / "unknown-ref-condition.yaml"
HEAD = 'id: t\ntitle: 测试\nversion: "1"\nreviewed: 2025-01-01\n'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=60, cwd=str(ROOT)
    )


def test_valid_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{VALID}: ok (3 steps)\n"


def test_warnings_alone_still_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow = tmp_path / "warn.yaml"
    flow.write_text(HEAD + "steps:\n  - id: a\n    title: A\n    link: https://example.com/\n", encoding="utf-8")
    assert main(["validate", str(flow)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{flow}:8:11: warning: link 'https://example.com/' is not on an official domain")
    assert err == f"{flow}: ok (1 steps, 1 warning(s))\n"


def test_any_error_exits_1_and_every_file_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID), str(INVALID), str(CORPUS / "http-link.yaml")]) == 1
    out, err = capsys.readouterr()
    assert f"{INVALID}:15:11: error: unknown field 'chanel'" in out
    assert f"{CORPUS / 'http-link.yaml'}:8:11: error: link 'http://www.12315.cn/' is not allowed" in out
    assert f"{VALID}: ok" in err and f"{INVALID}: 1 error(s), 0 warning(s)" in err


def test_quiet_prints_only_problems(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-q", str(VALID)]) == 0
    assert capsys.readouterr() == ("", "")


def test_missing_file_and_folder_are_errors_of_that_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["validate", str(missing), str(tmp_path)]) == 1
    out, _ = capsys.readouterr()
    assert f"{missing}: error: no such file\n" in out
    assert f"{tmp_path}: error: is a folder, not a flow file\n" in out


@pytest.mark.parametrize("args", [["validate"], ["validate", "--nope", str(VALID)], ["nosuchcommand"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    done = run(*args)
    assert done.returncode == 2, done
    assert "usage:" in done.stderr
    assert "Traceback" not in done.stderr


def test_exit_codes_through_the_real_command() -> None:
    assert run("validate", str(VALID)).returncode == 0
    bad = run("validate", str(INVALID))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stdout + bad.stderr


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"wizard {__version__}"


def test_flows_lists_id_title_steps_and_path() -> None:
    flows = shipped_flows()
    if not flows:
        pytest.skip("flows/*.yaml not written yet")
    done = run("flows")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(flows)
    for line, path in zip(lines, flows, strict=True):
        fid, title, steps, shown = line.split("\t")
        assert fid == path.stem
        assert title and steps.endswith(" 步") and int(steps.split()[0]) >= 1
        assert Path(shown) == path


def test_every_shipped_flow_validates() -> None:
    flows = shipped_flows()
    if not flows:
        pytest.skip("flows/*.yaml not written yet")
    done = run("validate", *map(str, flows))
    assert done.returncode == 0, done.stdout + done.stderr
    assert " error: " not in done.stdout

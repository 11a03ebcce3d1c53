"""A non-editable install ships the flows, the schema and the styles, and works from any folder.

Builds a wheel of the working tree, installs it into a fresh virtual
environment (dependencies come from pip's cache or the package index), then
runs the installed ``wizard`` from an empty folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from wizard import __version__

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "flows").glob("*.yaml"))
STYLES = sorted((ROOT / "wizard" / "tui").rglob("*.tcss"))

pytestmark = pytest.mark.slow


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=str(cwd), capture_output=True, text=True, timeout=timeout, env=_clean_env())
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(out)], cwd=out)
    wheels = list(out.glob("wizard_12315-*.whl"))
    assert len(wheels) == 1, list(out.iterdir())
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv with the wheel installed (not editable)."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=home)
    return bin_dir


def test_wheel_ships_flows_schema_and_styles(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wizard/schema/flow.schema.json" in names
    assert "wizard/py.typed" in names
    for style in STYLES:
        assert style.relative_to(ROOT).as_posix() in names
    if not (ROOT / "flows" / "12315-complaint.yaml").exists():
        pytest.skip("flows/12315-complaint.yaml not written yet")
    assert "wizard/flows/12315-complaint.yaml" in names
    for flow in SHIPPED:
        assert f"wizard/flows/{flow.name}" in names


def test_installed_wizard_works_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    wizard = str(installed / "wizard")
    version = _run([wizard, "--version"], cwd=empty)
    assert version.stdout.strip() == f"wizard {__version__}"
    where = _run([str(installed / "python"), "-c", "import wizard, sys; print(wizard.__file__)"], cwd=empty)
    assert not where.stdout.strip().startswith(str(ROOT)), "the installed copy runs, not the working tree"
    if not SHIPPED:
        pytest.skip("flows/*.yaml not written yet")
    listing = _run([wizard, "flows"], cwd=empty)
    rows = [line.split("\t") for line in listing.stdout.splitlines()]
    assert sorted(row[0] for row in rows) == sorted(p.stem for p in SHIPPED)
    paths = [row[3] for row in rows]
    assert all(not p.startswith(str(ROOT)) and Path(p).is_file() for p in paths), paths
    checked = subprocess.run([wizard, "validate", *paths], cwd=str(empty), capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    default = _run(
        [str(installed / "python"), "-c", "from wizard.shipped import default_flow; print(default_flow())"], cwd=empty
    )
    assert Path(default.stdout.strip()).is_file()

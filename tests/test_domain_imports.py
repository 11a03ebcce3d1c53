"""The domain never imports Textual or Rich; ``wizard validate`` imports neither Textual nor OpenCC.

Each check runs in a fresh interpreter, so that what other tests imported
does not count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wizard"
UI_ONLY = ("textual", "rich")


def domain_modules() -> list[str]:
    """Every module of the package outside ``wizard/tui/`` (``__main__`` runs the program, so not it)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "tui" in parts[1:] or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


PROBE = """
import importlib, json, sys
heavy = {heavy!r}
culprits = {{}}
for name in {modules!r}:
    before = {{m for m in sys.modules if m.split(".")[0] in heavy}}
    importlib.import_module(name)
    after = {{m for m in sys.modules if m.split(".")[0] in heavy}}
    if after - before:
        culprits[name] = sorted({{m.split(".")[0] for m in after - before}})
print(json.dumps(culprits))
"""


def test_there_are_domain_modules() -> None:
    modules = domain_modules()
    assert "wizard.flow.loader" in modules and "wizard.session" in modules
    assert not any(m.startswith("wizard.tui") for m in modules)


def test_no_domain_module_imports_textual_or_rich() -> None:
    code = PROBE.format(heavy=UI_ONLY, modules=domain_modules())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{}", f"modules that import {UI_ONLY}: {done.stdout}"


@pytest.mark.parametrize("command", [["validate", "tests/data/format-full.yaml"], ["flows"], ["--version"]])
def test_light_commands_do_not_import_textual_rich_or_opencc(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wizard", *command],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(ROOT),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert "wizard" in imported and "yaml" in imported, "the probe sees the imports"
    assert not imported & {"textual", "rich", "opencc"}

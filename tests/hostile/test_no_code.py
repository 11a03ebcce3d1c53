"""Flows are data: nothing in ``wizard/`` can run code taken from a file.

Conditions and templates are read by the project's own small grammars
(``wizard/flow/conditions.py``, ``wizard/flow/templates.py``); YAML by the
hardened reader on libyaml's event stream. This test keeps it so: no call to
``eval``/``exec``/``compile``/``__import__``, no PyYAML loader that builds
objects, no pickle-like module, anywhere in the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.hostile.common import ROOT

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "Loader"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle"}


def _problems(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
            found.append(f"{node.func.id}() on line {node.lineno}")
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_YAML:
            if isinstance(node.value, ast.Name) and node.value.id == "yaml":
                found.append(f"yaml.{node.attr} on line {node.lineno}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.extend(f"import {n} on line {node.lineno}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES)
    return found


def test_no_dynamic_code_anywhere_in_the_package() -> None:
    problems = {}
    for path in sorted((ROOT / "wizard").rglob("*.py")):
        found = _problems(path)
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scan is not blind: a file with each forbidden thing is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nimport yaml\nyaml.load(x)\neval('1')\n", encoding="utf-8")
    assert len(_problems(bad)) == 3

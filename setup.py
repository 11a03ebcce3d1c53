"""Build hook: ship the top-level ``flows/`` folder inside the package.

``flows/`` at the top of the repository is the source of truth that flow
authors edit. A non-editable install copies it to ``wizard/flows`` so that
``wizard`` finds its default flow from any folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithFlows(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "flows"
        if not source.is_dir():
            return
        target = Path(self.build_lib) / "wizard" / "flows"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithFlows})

"""``wizard new PATH``: write a starter flow and its path tests (``tests/<name>`` next to it).

Refuses to overwrite anything: if either file exists, nothing is written and
the exit status is 1. A bad PATH (not ending in .yaml/.yml, odd characters)
is a usage error (2).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from wizard.authoring.starter import starter
from wizard.text.safety import shown_path, visible

_SAFE_NAME = re.compile(r"[\w.-]+\Z")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="the flow file to create, e.g. flows/my-flow.yaml")


def main(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.suffix:
        path = path.with_suffix(".yaml")
    if path.suffix not in (".yaml", ".yml"):
        print(f"wizard new: {shown_path(args.path)}: a flow file name ends in .yaml", file=sys.stderr)
        return 2
    if not _SAFE_NAME.match(path.name):
        print(
            f"wizard new: {shown_path(args.path)}: use letters, digits, '-', '_' and '.' in the file name",
            file=sys.stderr,
        )
        return 2
    made = starter(path, date.today())
    existing = [p for p in (made.flow_path, made.tests_path) if p.exists()]
    if existing:
        for p in existing:
            print(
                f"wizard new: {shown_path(p)} already exists; nothing was written (choose another name)",
                file=sys.stderr,
            )
        return 1
    written: list[Path] = []
    try:
        for target, text in ((made.flow_path, made.flow_text), (made.tests_path, made.tests_text)):
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never replace a file
                fh.write(text)
            written.append(target)
    except OSError as exc:
        for done in written:
            done.unlink(missing_ok=True)
        print(
            f"wizard new: cannot write {shown_path(exc.filename or path)}: {visible(str(exc.strerror or exc))}",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {shown_path(made.flow_path)}")
    print(f"wrote {shown_path(made.tests_path)}")
    print("every key of the flow format is explained in docs/flow-format.md; path tests in docs/flow-testing.md")
    print("next:")
    print(f"  wizard validate {shown_path(made.flow_path)}")
    print(f"  wizard test {shown_path(made.flow_path)} --coverage")
    print(f"  wizard run {shown_path(made.flow_path)} --watch")
    return 0

"""``wizard validate PATH...``: check flow files; never imports Textual or OpenCC."""

from __future__ import annotations

import argparse
import sys

from wizard.errors import Diagnostic, Location, Severity, WizardError
from wizard.flow.loader import check_file
from wizard.text.safety import shown_path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="flow files (YAML)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def main(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            flow, diagnostics = check_file(path)
        except WizardError as exc:  # the loader returns diagnostics; this is defence in depth
            flow, diagnostics = None, [Diagnostic(Severity.ERROR, Location(path), str(exc))]
        for d in diagnostics:
            print(d.format(), file=sys.stdout)
        shown = shown_path(path)  # a file name may hold control characters: quote them, never send them
        errors = sum(1 for d in diagnostics if d.is_error)
        warnings = len(diagnostics) - errors
        if errors:
            failed += 1
            print(f"{shown}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
        elif not args.quiet:
            steps = len(flow.steps) if flow else 0
            extra = f", {warnings} warning(s)" if warnings else ""
            print(f"{shown}: ok ({steps} steps{extra})", file=sys.stderr)
    return 1 if failed else 0

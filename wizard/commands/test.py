"""``wizard test FLOW [CASES] [--coverage]``: run a flow's path tests (see docs/flow-testing.md).

Exit status: 0 when every case passes (and, with ``--coverage``, nothing is
left uncovered); 1 when a case fails, the flow has errors, or (with
``--coverage``) something is not covered; 2 for a usage error or a broken
test file. Never imports Textual or OpenCC.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from wizard.authoring.casefile import (
    default_flow_for,
    default_tests_for,
    looks_like_case_file,
    read_case_file,
)
from wizard.authoring.coverage import Coverage
from wizard.authoring.pathtest import CaseRun, Runner
from wizard.flow.loader import check_file, read_bytes
from wizard.shipped import resolve_flow
from wizard.text.safety import shown_path, visible

USAGE_ERROR = 2


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("flow", metavar="FLOW", help="flow file or shipped flow id (a test file is accepted too)")
    p.add_argument(
        "cases",
        nargs="?",
        metavar="CASES",
        help="test file (default: tests/<flow file name> next to the flow)",
    )
    p.add_argument(
        "--coverage",
        action="store_true",
        help="also list what no case reached; exit 1 if anything is not covered",
    )
    p.add_argument(
        "--coverage-parts",
        action="store_true",
        help="with --coverage, also each comparison inside all/any/not (implies --coverage)",
    )


def _fail(message: str) -> int:
    print(f"wizard test: {message}", file=sys.stderr)
    return USAGE_ERROR


def _paths(flow_arg: str, cases_arg: str | None) -> tuple[Path, Path] | str:
    """(flow, test file) from the arguments, or an error message."""
    given = resolve_flow(flow_arg)
    data, problems = read_bytes(given)
    if data is None:
        return f"{problems[0].format()}" if problems else f"cannot read {shown_path(given)}"
    if looks_like_case_file(data, str(given)):
        if cases_arg is not None:
            return (
                f"{shown_path(given)} is a test file; give the flow first (wizard test FLOW CASES) "
                "or the test file alone"
            )
        found, _ = read_case_file(given)
        flow = Path(found.flow) if found is not None and found.flow else default_flow_for(given)
        return flow, given
    cases = Path(cases_arg) if cases_arg is not None else default_tests_for(given)
    if not cases.is_file():
        return (
            f"no test file at {shown_path(cases)}: write one (see docs/flow-testing.md), "
            "or give its path: wizard test FLOW CASES"
        )
    return given, cases


def _print_run(run: CaseRun, test_path: str, out: TextIO) -> None:
    if run.passed:
        print(f"PASS {run.case.name}", file=out)
        return
    print(f"FAIL {run.case.name} ({shown_path(test_path)}:{run.case.line})", file=out)
    for problem in run.problems + [f"({note})" for note in run.notes]:
        for line in problem.splitlines():
            print(f"    {line}", file=out)


def main(args: argparse.Namespace) -> int:
    found = _paths(args.flow, args.cases)
    if isinstance(found, str):
        return _fail(found)
    flow_path, test_path = found
    cases, problems = read_case_file(test_path)
    if cases is None:
        for d in problems:
            print(d.format(), file=sys.stderr)
        print(
            f"wizard test: {shown_path(test_path)} is not a valid test file (see docs/flow-testing.md)", file=sys.stderr
        )
        return USAGE_ERROR
    flow, diagnostics = check_file(flow_path)
    if flow is None:
        for d in diagnostics:
            print(d.format(), file=sys.stderr)
        print(
            f"wizard test: the flow {shown_path(flow_path)} has errors; fix them first (wizard validate)",
            file=sys.stderr,
        )
        return 1
    out = sys.stdout
    runner = Runner(flow, str(test_path))
    coverage = Coverage(flow, parts=bool(args.coverage_parts))
    passed = failed = 0
    for case in cases.cases:
        run = runner.run(case)
        _print_run(run, str(test_path), out)
        coverage.record(run)
        if run.passed:
            passed += 1
        else:
            failed += 1
    vacuous = runner.vacuous()
    for line in vacuous:
        print(line, file=out)
    summary = f"{passed} passed, {failed} failed"
    if vacuous:
        summary += f"; {len(vacuous)} checklist_excludes test nothing"
    print(summary, file=out)
    status = 1 if failed or vacuous else 0
    if args.coverage or args.coverage_parts:
        gaps = coverage.gaps()
        for gap in gaps:
            print(visible(f"{shown_path(flow_path)}:{gap.line}: not covered: {gap.message}"), file=out)
        covered, total = coverage.totals()
        if gaps:
            print(f"coverage: {len(gaps)} not covered ({covered}/{total} covered)", file=out)
            status = 1
        else:
            print(
                f"coverage: full ({total}/{total}: every step, field and checklist item reached, "
                "every condition both true and false)",
                file=out,
            )
    return status

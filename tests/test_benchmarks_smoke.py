"""The benchmark scripts run (``benchmarks/run.py --quick``) and report every figure. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

import genflow  # noqa: E402
import harness  # noqa: E402

from wizard.flow.loader import check_file  # noqa: E402

FIGURES = (
    "start-up: first step painted",
    "peak memory at first step (zh-Hans)",
    "wizard validate (whole process)",
    "validate generated flow, 10 steps",
    "validate generated flow, 100 steps",
    "validate 100 chained conditions",
    "validate 100 fields on one step",
    "growth: 100 / 10 steps",
    "plain mode through 100 generated steps",
    "plain mode through 100 chained steps",
    "plain mode through 50 fields on one step",
    "step change: Next → next step painted",
    "typing in the complaint text area",
    "switch to zh-TW (first time)",
    "wizard checklist (whole process)",
)


def run_bench(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    out = tmp_path / "rows.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--json", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    rows = json.loads(out.read_text("utf-8")) if out.exists() else []
    return proc, rows


@pytest.fixture(scope="module")
def quick_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    return run_bench(tmp_path_factory.mktemp("bench"))


def app_is_built() -> bool:
    return (ROOT / "wizard" / "tui" / "app.py").is_file()


def test_quick_run_measures_every_figure(
    quick_run: tuple[subprocess.CompletedProcess[str], list[dict[str, object]]],
) -> None:
    proc, rows = quick_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [r["figure"] for r in rows] == list(FIGURES)
    # The loader's and the commands' figures need only the domain; the others need the Textual app.
    always = {"wizard validate (whole process)", "wizard checklist (whole process)"}
    for row in rows:
        assert not row["error"], row
        figure = str(row["figure"])
        must_measure = (
            app_is_built() or figure in always or figure.startswith(("validate generated", "growth", "plain mode"))
        )
        if not must_measure and row["status"] == "n/a":
            assert str(row["note"]).startswith("n/a (not built yet: "), row
            continue
        assert isinstance(row["value"], float) and row["value"] > 0, row
        assert isinstance(row["baseline"], float) and row["baseline"] > 0, row
        assert row["runs"] >= 1, row
        assert row["status"] in ("pass", "FAIL"), row


def test_quick_run_prints_the_table(
    quick_run: tuple[subprocess.CompletedProcess[str], list[dict[str, object]]],
) -> None:
    proc, _ = quick_run
    header = proc.stdout.splitlines()[0].split()
    assert header == ["figure", "value", "baseline", "ratio", "budget", "runs", "result"]
    for figure in FIGURES:
        line = next(line for line in proc.stdout.splitlines() if line.startswith(figure))
        assert line.split()[-1] in (("pass", "FAIL") if app_is_built() else ("pass", "FAIL", "n/a")), line


def test_a_missing_subject_is_a_row_not_a_crash(tmp_path: Path) -> None:
    proc, rows = run_bench(tmp_path, "--only", "validate", "--only", "startup", "--flow", "flows/no-such-flow.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [r["status"] for r in rows] == ["n/a", "n/a", "n/a"]
    assert all(str(r["note"]).startswith("n/a (not built yet: flows/no-such-flow.yaml") for r in rows), rows
    assert all(r["value"] is None for r in rows)
    assert "n/a (not built yet: flows/no-such-flow.yaml)" in proc.stdout


@pytest.mark.parametrize("steps", [10, 30])
def test_generated_flows_are_valid_with_the_asked_number_of_steps(tmp_path: Path, steps: int) -> None:
    path = genflow.write(steps, tmp_path / f"g{steps}.yaml")
    flow, diagnostics = check_file(path)
    assert diagnostics == []
    assert flow is not None and len(flow.steps) == steps
    assert len({s.id for s in flow.steps}) == steps
    assert len(flow.checks) == 2 * steps // 10 and len(flow.compose) == steps // 10


def test_generator_refuses_sizes_it_cannot_make() -> None:
    for bad in (0, 15, -10):
        with pytest.raises(ValueError):
            genflow.generate(bad)


def test_interleave_alternates_the_two_sides() -> None:
    calls: list[str] = []

    def side(name: str) -> Callable[[], float]:
        def run() -> float:
            calls.append(name)
            return float(len(calls))

        return run

    a, b = harness.interleave(side("A"), side("B"), runs=3, warmup=1)
    assert calls == ["B", "A", "B", "A", "A", "B", "B", "A"]
    assert len(a) == len(b) == 3


def test_row_status_compares_the_ratio_with_the_budget() -> None:
    assert harness.fill(harness.Row("x", "ms", 1.5), [3.0, 2.9, 3.1], [2.0, 2.1, 1.9]).status == "pass"
    assert harness.fill(harness.Row("x", "ms", 1.3), [3.0], [2.0]).status == "FAIL"
    assert harness.Row("x", "ms", 1.3).status == "n/a"
    assert harness.Row("x", "ms", 1.3, error=True).status == "ERROR"
    table = harness.table([harness.fill(harness.Row("fig", "ms", 1.5), [3.0], [2.0])])
    assert "1.50x" in table and "pass" in table

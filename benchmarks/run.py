"""Run every performance benchmark and print the table: figure, value, baseline, ratio, budget, result.

    .venv/bin/python benchmarks/run.py            # the full run (under 3 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # a few runs of each, to check that they work
    .venv/bin/python benchmarks/run.py --only startup --only validate

Benchmarks are not tests: a missed budget prints FAIL and the exit code stays
0. The exit code is 1 only when a benchmark could not run (an ERROR row).
A figure whose subject is not built yet prints ``n/a (not built yet: …)``.
See benchmarks/README.md for the method and the findings.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import genflow
from harness import (
    ROOT,
    BenchError,
    NotBuilt,
    Row,
    child_env,
    fill,
    interleave,
    probe,
    table,
    time_process,
)

FLOW = "flows/12315-complaint.yaml"
ANSWERS = "flows/examples/12315-complaint/online-clothing-refund.yaml"
PY = sys.executable


@dataclass(frozen=True)
class Plan:
    """How many measurements of each side (the two columns: full run, --quick)."""

    startup: int
    validate: int
    scale: tuple[tuple[int, int, int], ...]  # (steps, runs, warm-up runs)
    plain: tuple[int, int, int]  # plain mode: (steps of the long flows, fields on one step, runs)
    step_procs: int
    step_presses: int
    type_procs: int
    type_keys: int
    script: int
    checklist: int
    warmup: int  # discarded pairs before each figure


FULL = Plan(
    startup=8,
    validate=15,
    scale=((100, 9, 1), (1_000, 5, 1), (10_000, 3, 1)),
    plain=(5_500, 1_000, 3),
    step_procs=3,
    step_presses=8,
    type_procs=3,
    type_keys=20,
    script=5,
    checklist=10,
    warmup=1,
)
QUICK = Plan(
    startup=1,
    validate=1,
    scale=((10, 1, 0), (100, 1, 0)),
    plain=(100, 50, 1),
    step_procs=1,
    step_presses=2,
    type_procs=1,
    type_keys=2,
    script=1,
    checklist=1,
    warmup=0,
)


class Context:
    def __init__(self, plan: Plan, workdir: Path, flow: str = FLOW, answers: str = ANSWERS) -> None:
        self.plan = plan
        self.workdir = workdir
        self.flow = flow
        self.answers = answers
        self.env = child_env(WIZARD_DATA_DIR=str(workdir / "data"), TEXTUAL_FPS="1000")

    def need(self, path: str) -> str:
        if not (ROOT / path).is_file():
            raise NotBuilt(path)
        return path


# --- the figures ----------------------------------------------------------------------------------


def bench_startup(ctx: Context) -> list[Row]:
    """Process start → first step painted (headless), and the peak memory at that moment."""
    start = Row("start-up: first step painted", "ms", 1.3)
    memory = Row("peak memory at first step (zh-Hans)", "MiB", 1.3)
    flow = ctx.need(ctx.flow)
    paint: dict[str, list[float]] = {"wizard": [], "bare": []}
    rss: dict[str, list[float]] = {"wizard": [], "bare": []}

    def run(app: str) -> Callable[[], float]:
        def once() -> float:
            result = probe(["start", "--app", app, "--flow", flow], ctx.env)
            ms = (float(result["paint"]) - float(result["spawn"])) * 1000  # type: ignore[arg-type]
            paint[app].append(ms)
            rss[app].append(float(result["peak_rss_mib"]))  # type: ignore[arg-type]
            return ms

        return once

    interleave(run("wizard"), run("bare"), ctx.plan.startup, ctx.plan.warmup)
    n = ctx.plan.startup
    fill(start, paint["wizard"][-n:], paint["bare"][-n:])
    fill(memory, rss["wizard"][-n:], rss["bare"][-n:])
    start.note = "process spawn → StepScreen of the first step mounted and refreshed; baseline Header+Static+Footer"
    memory.note = "ru_maxrss of the probe process at first paint"
    return [start, memory]


def bench_validate(ctx: Context) -> list[Row]:
    row = Row("wizard validate (whole process)", "ms", 1.5)
    flow = ctx.need(ctx.flow)
    subject = [PY, "-m", "wizard", "validate", flow]
    baseline = [PY, "-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1], 'rb'))", flow]
    a, b = interleave(
        lambda: time_process(subject, ctx.env),
        lambda: time_process(baseline, ctx.env),
        ctx.plan.validate,
        ctx.plan.warmup,
    )
    row.note = f"baseline: python -c yaml.safe_load({flow})"
    return [fill(row, a, b)]


def bench_scale(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    fastest: dict[int, float] = {}  # the best run of each size, for the growth
    for steps, runs, warmup in ctx.plan.scale:
        path = genflow.write(steps, ctx.workdir / f"generated-{steps}.yaml")
        result = _json_child([PY, str(ROOT / "benchmarks" / "scale.py"), str(path), str(runs), str(warmup)], ctx)
        row = fill(
            Row(f"validate generated flow, {steps:,} steps", "ms", 1.5),
            result["subject"],  # type: ignore[arg-type]
            result["baseline"],  # type: ignore[arg-type]
        )
        row.note = f"{int(result['bytes']):,} bytes; in process, size caps raised, GC off; baseline yaml.safe_load"  # type: ignore[call-overload]
        fastest[steps] = min(result["subject"])  # type: ignore[call-overload]
        rows.append(row)
    # Issue 14, item 11: a chain of conditions (each step shown only after the one before) and one
    # step of many fields, against yaml.safe_load of the same file in the same run.
    _, runs, warmup = ctx.plan.scale[-1]
    n = min(ctx.plan.scale[-1][0], 1_000)
    for name, text, what in (
        ("chain", genflow.chain(n), f"{n:,} chained conditions"),
        ("wide", genflow.wide(n), f"{n:,} fields on one step"),
    ):
        path = ctx.workdir / f"generated-{name}-{n}.yaml"
        path.write_text(text, encoding="utf-8")
        result = _json_child([PY, str(ROOT / "benchmarks" / "scale.py"), str(path), str(runs), str(warmup)], ctx)
        row = fill(Row(f"validate {what}", "ms", 1.5), result["subject"], result["baseline"])  # type: ignore[arg-type]
        row.note = "reachability settled by witness paths; baseline yaml.safe_load of the same file"
        rows.append(row)
    sizes = [s for s, _, _ in ctx.plan.scale]
    small, large = sizes[-2], sizes[-1]
    growth = Row(f"growth: {large:,} / {small:,} steps", "ms", 12.0 * (large / small) / 10)
    growth.value, growth.baseline, growth.runs = fastest[large], fastest[small], 1
    growth.note = (
        f"our loader only, best run of each size (the time the algorithm needs; a slower run only adds"
        f" the machine's noise); linear growth is {large // small}x"
    )
    rows.append(growth)
    return rows


def bench_plain(ctx: Context) -> list[Row]:
    """Issue 14, item 11: ``wizard run --plain`` through a long flow, fed from a file, in process;
    the baseline is validating the same file in the same process (see benchmarks/plainrun.py)."""
    steps, fields, runs = ctx.plan.plain
    rows: list[Row] = []
    for shape, size, what, budget in (
        ("generated", steps, f"{steps:,} generated steps", 3.0),
        ("chain", steps, f"{steps:,} chained steps", 3.0),
        ("wide", fields, f"{fields:,} fields on one step", 4.0),
    ):
        argv = [PY, str(ROOT / "benchmarks" / "plainrun.py"), shape, str(size), str(runs), str(ctx.plan.warmup)]
        result = _json_child(argv, ctx)
        row = fill(Row(f"plain mode through {what}", "ms", budget), result["subject"], result["baseline"])  # type: ignore[arg-type]
        row.note = "load + every question + checklist, answers from a file; baseline: validate the same file"
        rows.append(row)
    return rows


def bench_step(ctx: Context) -> list[Row]:
    row = Row("step change: Next → next step painted", "ms", 1.5)
    flow, answers = ctx.need(ctx.flow), ctx.need(ctx.answers)
    n = str(ctx.plan.step_presses)
    a, b = _interleaved_samples(
        ["step", "--app", "wizard", "--flow", flow, "--answers", answers, "--count", n],
        ["step", "--app", "bare", "--count", n],
        ctx.plan.step_procs,
        ctx,
        warmup=False,
    )
    row.note = "Pilot-style key ctrl+n; baseline switches to a new plain screen (Header+Static+Footer)"
    return [fill(row, a, b)]


def bench_type(ctx: Context) -> list[Row]:
    row = Row("typing in the complaint text area", "ms", 1.3)
    flow, answers = ctx.need(ctx.flow), ctx.need(ctx.answers)
    n = str(ctx.plan.type_keys)
    a, b = _interleaved_samples(
        ["type", "--app", "wizard", "--flow", flow, "--answers", answers, "--count", n],
        ["type", "--app", "bare", "--count", n],
        ctx.plan.type_procs,
        ctx,
        warmup=False,
    )
    row.note = "key → text and live count painted; baseline a bare TextArea"
    return [fill(row, a, b)]


def bench_script(ctx: Context) -> list[Row]:
    row = Row("switch to zh-TW (first time)", "ms", 1.5)
    flow = ctx.need(ctx.flow)
    a, b = _interleaved_samples(
        ["script", "--app", "wizard", "--flow", flow], ["opencc"], ctx.plan.script, ctx, warmup=False
    )
    row.note = "set_script → step repainted in zh-TW; baseline: import opencc + OpenCC('s2twp') in a fresh process"
    return [fill(row, a, b)]


def bench_checklist(ctx: Context) -> list[Row]:
    row = Row("wizard checklist (whole process)", "ms", 1.3)
    flow, answers = ctx.need(ctx.flow), ctx.need(ctx.answers)
    subject = [PY, "-m", "wizard", "checklist", flow, "--answers", answers]
    baseline = [PY, "-m", "wizard", "validate", flow]
    try:
        time_process(subject, ctx.env)
    except BenchError as exc:
        if "not available" in str(exc):
            raise NotBuilt("wizard checklist") from exc
        raise
    a, b = interleave(
        lambda: time_process(subject, ctx.env),
        lambda: time_process(baseline, ctx.env),
        ctx.plan.checklist,
        ctx.plan.warmup,
    )
    row.note = f"answers {Path(answers).name}; baseline: wizard validate of the same flow"
    return [fill(row, a, b)]


# --- helpers ----------------------------------------------------------------------------------------


def _interleaved_samples(
    subject: list[str], baseline: list[str], procs: int, ctx: Context, warmup: bool = True
) -> tuple[list[float], list[float]]:
    """Alternate probe processes of both sides; pool the samples each process reports."""
    a: list[float] = []
    b: list[float] = []
    if warmup and ctx.plan.warmup:
        probe(subject, ctx.env)
        probe(baseline, ctx.env)
    for i in range(procs):
        order = [(subject, a), (baseline, b)] if i % 2 else [(baseline, b), (subject, a)]
        for args, out in order:
            out.extend(float(x) for x in probe(args, ctx.env)["samples"])  # type: ignore[attr-defined]
    return a, b


def _json_child(argv: list[str], ctx: Context) -> dict[str, object]:
    import subprocess

    proc = subprocess.run(argv, env=ctx.env, cwd=ROOT, capture_output=True, check=False, timeout=300)
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("BENCH-RESULT "):
            result: dict[str, object] = json.loads(line[len("BENCH-RESULT ") :])
            return result
    tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
    raise BenchError(f"{Path(argv[1]).name} exited {proc.returncode}: {' | '.join(tail)}")


BENCHMARKS: dict[str, tuple[Callable[[Context], list[Row]], tuple[Row, ...]]] = {
    # name: (function, the rows it prints when it cannot run)
    "startup": (
        bench_startup,
        (Row("start-up: first step painted", "ms", 1.3), Row("peak memory at first step (zh-Hans)", "MiB", 1.3)),
    ),
    "validate": (bench_validate, (Row("wizard validate (whole process)", "ms", 1.5),)),
    "scale": (bench_scale, (Row("validate generated flows", "ms", 1.5),)),
    "plain": (bench_plain, (Row("plain mode through long flows", "ms", 3.0),)),
    "step": (bench_step, (Row("step change: Next → next step painted", "ms", 1.5),)),
    "type": (bench_type, (Row("typing in the complaint text area", "ms", 1.3),)),
    "script": (bench_script, (Row("switch to zh-TW (first time)", "ms", 1.5),)),
    "checklist": (bench_checklist, (Row("wizard checklist (whole process)", "ms", 1.3),)),
}


def precompile() -> None:
    """Write the bytecode of the package once, as ``pip install`` does, so no run pays for compiling."""
    compileall.compile_dir(str(ROOT / "wizard"), quiet=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the performance benchmarks and print the table.")
    parser.add_argument("--quick", action="store_true", help="a few runs of each, to check that they work")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), help="run only these (repeatable)")
    parser.add_argument("--json", metavar="PATH", help="also write every row with its samples as JSON")
    parser.add_argument("--flow", default=FLOW, help=f"the flow to measure (default: {FLOW})")
    parser.add_argument("--answers", default=ANSWERS, help=f"an answers file of that flow (default: {ANSWERS})")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    os.chdir(ROOT)
    sys.dont_write_bytecode = False
    precompile()
    started = time.monotonic()
    rows: list[Row] = []
    crashed = False
    workdir = Path(tempfile.mkdtemp(prefix="wizard-bench-"))
    try:
        for name in args.only or list(BENCHMARKS):
            fn, fallback = BENCHMARKS[name]
            t0 = time.monotonic()
            try:
                got = fn(Context(plan, workdir, args.flow, args.answers))
            except NotBuilt as exc:
                got = [_copy(r, note=f"n/a (not built yet: {exc})") for r in fallback]
            except (BenchError, OSError, ValueError, KeyError) as exc:
                crashed = True
                got = [_copy(r, note=f"ERROR: {exc}", error=True) for r in fallback]
            rows.extend(got)
            print(f"[{name}: {time.monotonic() - t0:.1f} s]", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(table(rows))
    kind = "quick run" if args.quick else "full run"
    print(f"\n{kind}: {time.monotonic() - started:.0f} s; python {sys.version.split()[0]}")
    if args.json:
        dump = [{**asdict(r), "ratio": r.ratio, "status": r.status} for r in rows]
        Path(args.json).write_text(json.dumps(dump, indent=1, ensure_ascii=False), "utf-8")
    return 1 if crashed else 0


def _copy(row: Row, note: str, error: bool = False) -> Row:
    return Row(row.figure, row.unit, row.budget, note=note, error=error)


if __name__ == "__main__":
    sys.exit(main())

"""The measuring machinery shared by every benchmark: interleaved runs, medians, the table.

A figure compares a *subject* (our program) with a *baseline* measured in the
same run, alternating A B A B … so that a noisy neighbour slows both alike;
the figure is the ratio of the two medians. Nothing here asserts on time:
a budget that is missed is printed as FAIL, never raised.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PROBE = BENCH / "probe.py"
RESULT_PREFIX = "BENCH-RESULT "


class NotBuilt(Exception):
    """The subject of a figure does not exist yet (printed as an n/a row)."""


class BenchError(Exception):
    """A benchmark could not run (a child failed): printed as an ERROR row, and the run exits 1."""


@dataclass
class Row:
    figure: str
    unit: str  # "ms" or "MiB"
    budget: float | None  # the largest acceptable ratio subject / baseline; None: reported only
    value: float | None = None  # median of the subject
    baseline: float | None = None  # median of the baseline
    runs: int = 0  # measurements of each side
    note: str = ""  # why there is no value, or what the numbers are
    error: bool = False
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def status(self) -> str:
        if self.error:
            return "ERROR"
        ratio = self.ratio
        if ratio is None:
            return "n/a"
        if self.budget is None:
            return "info"
        return "pass" if ratio <= self.budget else "FAIL"


def interleave(
    subject: Callable[[], float], baseline: Callable[[], float], runs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run baseline and subject alternately (B A B A …), after ``warmup`` discarded pairs."""
    for _ in range(warmup):
        baseline()
        subject()
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        # Alternate which side goes first too, so neither always runs on a cache the other warmed.
        if i % 2 == 0:
            b.append(baseline())
            a.append(subject())
        else:
            a.append(subject())
            b.append(baseline())
    return a, b


def fill(row: Row, subject: Sequence[float], baseline: Sequence[float]) -> Row:
    row.value = statistics.median(subject)
    row.baseline = statistics.median(baseline)
    row.runs = min(len(subject), len(baseline))
    row.samples = {"subject": list(subject), "baseline": list(baseline)}
    return row


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured child: no Textual dev tools, no saved sessions of the user."""
    env = dict(os.environ)
    for name in ("TEXTUAL", "TEXTUAL_DEVTOOLS_PORT", "TEXTUAL_DEBUG", "TEXTUAL_PRESS", "TEXTUAL_SCREENSHOT"):
        env.pop(name, None)
    env.setdefault("WIZARD_DATA_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "wizard-bench-data"))
    # Use the bytecode written by run.py's precompile, as an installed package would.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(extra)
    return env


def time_process(argv: Sequence[str], env: dict[str, str] | None = None, ok_codes: Sequence[int] = (0,)) -> float:
    """Wall time in ms of a whole process, from spawn to exit."""
    start = time.perf_counter()
    proc = subprocess.run(
        list(argv), env=env or child_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode not in ok_codes:
        raise BenchError(f"{' '.join(argv[1:])} exited {proc.returncode}: {_tail(proc.stderr)}")
    return elapsed


def probe(args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 60) -> dict[str, object]:
    """Run ``probe.py ARGS`` and return the JSON it reports; ``spawn`` is the parent's clock at spawn.

    The probe measures itself with ``time.monotonic()``, which on Linux is one
    clock for every process, so ``result["paint"] - result["spawn"]`` is the
    time from process start to first paint.
    """
    argv = [sys.executable, str(PROBE), *args]
    spawn = time.monotonic()
    try:
        proc = subprocess.run(
            argv,
            env=env or child_env(),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"probe {' '.join(args)} timed out after {timeout:.0f} s") from exc
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, object] = json.loads(line[len(RESULT_PREFIX) :])
            result["spawn"] = spawn
            if result.get("not_built"):
                raise NotBuilt(str(result["not_built"]))
            if result.get("error"):
                raise BenchError(f"probe {' '.join(args)}: {result['error']}")
            return result
    raise BenchError(f"probe {' '.join(args)} exited {proc.returncode} without a result: {_tail(proc.stderr)}")


def _tail(data: bytes, lines: int = 3) -> str:
    text = data.decode("utf-8", "replace").strip().splitlines()
    return " | ".join(text[-lines:]) or "(no output)"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def table(rows: Sequence[Row]) -> str:
    """The result table as aligned plain text (fits 120 columns)."""
    header = ("figure", "value", "baseline", "ratio", "budget", "runs", "result")
    body: list[tuple[str, ...]] = []
    notes: list[str] = []
    for row in rows:
        ratio = row.ratio
        body.append(
            (
                row.figure,
                _fmt(row.value, row.unit),
                _fmt(row.baseline, row.unit),
                f"{ratio:.2f}x" if ratio is not None else "-",
                f"<= {row.budget:g}x" if row.budget is not None else "-",
                str(row.runs) if row.runs else "-",
                row.status,
            )
        )
        if row.note:
            notes.append(f"- {row.figure}: {row.note}")
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(r))
        for r in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines)

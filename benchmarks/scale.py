"""Validation time of one generated flow, in process: our loader against ``yaml.safe_load``.

``python benchmarks/scale.py FILE RUNS [WARMUP]`` prints ``BENCH-RESULT {json}``
with the samples (ms) of both, measured alternately after ``WARMUP``
discarded pairs (default 1).

- subject: :func:`wizard.flow.loader.check_file` (read, decode, parse the
  event stream, build the model, lint), exactly what ``wizard validate``
  runs per file. The loader refuses files over ``yamlsafe.MAX_BYTES`` (1 MB)
  and with more than ``yamlsafe.MAX_NODES`` values, and a 10,000-step flow is
  over both, so both caps are raised *in this process only*;
- baseline: ``yaml.safe_load`` of the same file (PyYAML's pure-Python loader,
  which is what ``yaml.safe_load`` is).

Python's cyclic garbage collector is switched off while each side runs
(and a full collection is made between runs): with it on, both sides grow
faster than their input (``yaml.safe_load`` itself takes about 20 times as
long for 10 times the steps), which would hide whether *our* algorithm is
linear, and its pauses land on whichever side happens to cross a threshold.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from wizard.flow import loader, yamlsafe
from wizard.flow.model import Flow

RESULT_PREFIX = "BENCH-RESULT "


def measure(fn: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1000
    finally:
        gc.enable()


def uncapped_check(path: Path) -> Callable[[], Flow]:
    """``check_file`` of ``path`` with the loader's size caps raised in this process; exits if invalid."""
    yamlsafe.MAX_BYTES = max(yamlsafe.MAX_BYTES, path.stat().st_size + 1)
    yamlsafe.MAX_NODES = max(yamlsafe.MAX_NODES, 10_000_000)

    def check() -> Flow:
        flow, diagnostics = loader.check_file(path)
        if flow is None:
            raise SystemExit(f"{path}: not valid: {[d.format() for d in diagnostics][:3]}")
        return flow

    return check


def alternate(
    subject: Callable[[], object], baseline: Callable[[], object], runs: int, warmup: int
) -> tuple[list[float], list[float]]:
    """Samples (ms) of both, taken in turns (which goes first alternates) after ``warmup`` pairs."""
    for _ in range(warmup):
        measure(baseline)
        measure(subject)
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            b.append(measure(baseline))
            a.append(measure(subject))
        else:
            a.append(measure(subject))
            b.append(measure(baseline))
    return a, b


def main() -> None:
    path = Path(sys.argv[1])
    runs = int(sys.argv[2])
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    subject = uncapped_check(path)

    def baseline() -> object:
        with path.open("rb") as fh:
            return yaml.safe_load(fh)

    a, b = alternate(subject, baseline, runs, warmup)
    print(RESULT_PREFIX + json.dumps({"subject": a, "baseline": b, "bytes": path.stat().st_size}), flush=True)


if __name__ == "__main__":
    main()

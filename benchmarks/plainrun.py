"""Plain mode over a long generated flow, in process: the whole run against validating the file.

``python benchmarks/plainrun.py SHAPE SIZE RUNS [WARMUP]`` prints ``BENCH-RESULT {json}``
with the samples (ms) of both, measured alternately after ``WARMUP`` discarded pairs.

- ``SHAPE``: ``generated`` (:func:`genflow.generate`, ``SIZE`` steps of the complaint flow's
  mix), ``chain`` (``SIZE`` steps, each shown after the one before was answered 是) or
  ``wide`` (one step of ``SIZE`` text fields) — issue 14, item 11;
- subject: :func:`wizard.plain.run_plain` from start to the printed checklist, fed answers from
  a file (as ``wizard run --plain < answers`` is), saving to a temporary data folder. It loads
  the flow with :func:`wizard.flow.loader.check_file` first, as ``wizard run`` does;
- baseline: :func:`wizard.flow.loader.check_file` of the same file alone (the validation
  ``wizard validate`` runs). The ratio is what asking the whole flow costs on top of reading
  it once: a run that grows faster than the file shows up as a ratio that grows with ``SIZE``.

The loader's caps on values and bytes are raised in this process only (a 5,500-step flow is
over them: ``wizard run`` refuses it, see docs/flow-format.md), and the cyclic garbage
collector is off while each side runs, as in :mod:`scale`.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import genflow
from scale import RESULT_PREFIX, alternate, uncapped_check

from wizard.plain import run_plain

TODAY = date(2026, 12, 7)
# one block of genflow.generate: the answers of its ten steps, Enter where a field may stay empty
_BLOCK = ["1", "1", "A1", "某公司", "2026-11-01", "", "", "", "", "", "13800138000"]


def flow_and_input(shape: str, size: int) -> tuple[str, str]:
    """The flow text and the lines typed to go through all of it and print the checklist."""
    if shape == "generated":
        return genflow.generate(size), "\n".join(_BLOCK * (size // genflow.BLOCK_STEPS) + ["", "", ""]) + "\n"
    if shape == "chain":
        return genflow.chain(size), "1\n" * size + "\n\n\n"
    if shape == "wide":
        return genflow.wide(size), "文字\n" * size + "\n\n\n"
    raise SystemExit(f"unknown shape {shape!r}: generated, chain or wide")


def main() -> None:
    shape, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    work = Path(tempfile.mkdtemp(prefix="plainrun-"))
    text, typed = flow_and_input(shape, size)
    path = work / f"{shape}-{size}.yaml"
    path.write_text(text, encoding="utf-8")
    answers = work / "answers.txt"
    answers.write_text(typed, encoding="utf-8")
    validate = uncapped_check(path)
    os.environ["WIZARD_DATA_DIR"] = str(work / "data")
    out = io.StringIO()

    def subject() -> object:
        flow = validate()
        out.seek(0)
        out.truncate()
        with answers.open("rb") as stdin:
            code = run_plain(flow, path, script="zh-Hans", resume="fresh", stdin=stdin, stdout=out, today=TODAY)
        if code != 0:
            raise SystemExit(f"plain run ended with {code}: {out.getvalue()[-400:]}")
        return code

    a, b = alternate(subject, validate, runs, warmup)
    print(RESULT_PREFIX + json.dumps({"subject": a, "baseline": b, "bytes": path.stat().st_size}), flush=True)


if __name__ == "__main__":
    main()

"""What the hostile suite shares: the payloads of issue 9, running the real command, and the checks every case makes.

Every case checks four things: a clear message (or the text shown
literally), the process alive or exited cleanly (no signal, no traceback),
nothing written where it should not be (each command runs in an empty
folder of its own), and nothing lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from wizard.text.safety import BIDI_CONTROLS, INVISIBLE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FLOWS = HERE / "flows"
SMALL_FLOW = FLOWS / "small.yaml"
MARKUP_FLOW = FLOWS / "markup.yaml"
CORPUS = ROOT / "tests" / "corpus"

HANG_GUARD = 60.0  # seconds: a command taking longer counts as hung (a guard, not a timing assertion)

#: Entrance 1: Rich/Textual markup that must be shown as typed and do nothing.
MARKUP: dict[str, str] = {
    "close-tag": "[/]",
    "mismatched-tags": "[b]x[/i]",
    "click-quit": "[@click=app.quit]go",
    "click-screenshot-leading-space": "[ @click=app.screenshot('x.svg','/tmp')]go",
    "upper-case-tag": "[BOLD]",
    "variable": "[$var]",
    "link": '[link="https://evil.example"]x',
}

#: Entrance 2: terminal control sequences and invisible characters.
ESCAPES: dict[str, str] = {
    "esc-csi-colour": "\x1b[31m",
    "esc-clear-screen": "\x1b[2J",
    "osc52-clipboard": "\x1b]52;c;SGVsbG8=\x07",
    "osc8-hyperlink": "\x1b]8;;https://evil.example\x1b\\点我\x1b]8;;\x1b\\",
    "osc0-title": "\x1b]0;PWNED\x07",
    "c1-csi": "\x9b31m",
    "bel": "\x07",
    "rlo-override": "\u202e",
    "lri-isolate": "\u2066",
    "zero-width-space": "\u200b",
    "nul": "\x00",
}

#: Every escape at once, between words, as a pasted answer or a hand-edited save file would hold them.
ALL_ESCAPES = "".join(ESCAPES.values())

#: Markers that would only reach the terminal's interpreter if an injected sequence survived.
INJECTED_SEQUENCES = (b"\x1b]52;c;SGVsbG8=", b"\x1b]0;PWNED", b"\x1b]8;;https://evil.example", b"\x1b[31m")

_ZERO_WIDTH = frozenset(INVISIBLE | {"\u200b", "\u200c", "\u200d", "\ufeff"})


def bad_characters(text: str, *, allow: str = "\n") -> list[str]:
    """Names of the control, C1, bidirectional and zero-width characters in ``text`` (empty when clean)."""
    found = []
    for i, ch in enumerate(text):
        if ch in allow or (ch == "\u200d" and _joins_emoji(text, i)):
            continue
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS or ch in _ZERO_WIDTH:
            found.append(f"U+{ord(ch):04X}")
    return found


def _joins_emoji(text: str, i: int) -> bool:
    """A zero-width joiner inside an emoji sequence (👨‍👩‍👧, 🏳️‍🌈) is part of the picture."""
    if not 0 < i < len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    return (unicodedata.category(before) in ("So", "Sk") or before == "\ufe0f") and unicodedata.category(after) == "So"


def assert_clean_output(text: str, where: str) -> None:
    """No character of ``text`` (a command's output or a written file) can drive a terminal."""
    bad = bad_characters(text, allow="\n\t")
    assert not bad, f"{where}: control characters {bad[:10]} in:\n{text[:2000]!r}"


@dataclass(frozen=True)
class Ran:
    """One finished command."""

    args: tuple[str, ...]
    returncode: int | None  # None: killed by the hang guard
    stdout: str
    stderr: str
    cwd: Path

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def assert_exited_cleanly(self, *codes: int) -> None:
        assert self.returncode is not None, f"{self.args}: hung (killed after {HANG_GUARD} s)"
        assert self.returncode >= 0, f"{self.args}: killed by signal {-self.returncode}\n{self.output}"
        assert "Traceback" not in self.output, f"{self.args}: traceback\n{self.output}"
        if codes:
            assert self.returncode in codes, f"{self.args}: exit {self.returncode}, expected {codes}\n{self.output}"

    def assert_cwd_untouched(self, allowed: Iterable[str] = ()) -> None:
        left = sorted(set(os.listdir(self.cwd)) - set(allowed))
        assert left == [], f"{self.args}: wrote {left} into the current folder"


def base_env(data_dir: Path | None, home: Path | None, **extra: str) -> dict[str, str]:
    """The environment of a command: the test's own data folder and home, no locale, no terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "WIZARD_")) and k not in ("LANG", "HOME")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if data_dir is not None:
        env["WIZARD_DATA_DIR"] = str(data_dir)
    if home is not None:
        env["HOME"] = str(home)
    env.update(extra)
    return env


def wizard(
    args: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    stdin: bytes | None = None,
    python: Sequence[str] = ("-m", "wizard"),
) -> Ran:
    """Run ``python -m wizard ARGS`` (or ``python PYTHON... ARGS``) in ``cwd``; never raises for a hang."""
    cwd.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            [sys.executable, *python, *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            cwd=str(cwd),
            env=dict(env),
            timeout=HANG_GUARD,
        )
    except subprocess.TimeoutExpired:
        return Ran(tuple(args), None, "", "", cwd)
    return Ran(
        tuple(args),
        done.returncode,
        done.stdout.decode("utf-8", errors="replace"),
        done.stderr.decode("utf-8", errors="replace"),
        cwd,
    )


def run_batch(jobs: Mapping[str, tuple[Sequence[str], Path, Mapping[str, str], bytes | None]]) -> dict[str, Ran]:
    """Run many commands, two at a time (the machine has two cores)."""
    names = list(jobs)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda n: wizard(jobs[n][0], jobs[n][1], jobs[n][2], jobs[n][3]), names))
    return dict(zip(names, results, strict=True))


def tree(folder: Path) -> list[str]:
    """Every path under ``folder`` (relative), to prove nothing was written there."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))

"""Errors as values: diagnostics with a location, and the project's exception type.

Every problem found in a flow file (or an answers file, or a save file) is a
:class:`Diagnostic`. They are collected, then reported all at once as
``path:line:col: error: message``. Only :class:`WizardError` (and its
subclasses) ever escapes the domain code.
"""

from __future__ import annotations

from enum import Enum

from wizard.flow.record import record


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@record
class Location:
    """A 1-based position in a file. ``line``/``col`` are 0 when unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.col <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.col}"


@record
class Diagnostic:
    severity: Severity
    location: Location
    message: str
    key_path: str = ""
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """One line for a terminal: a control character in a file name, a key or a value
        quoted from a hostile file is shown as an escape (``\\x1b``), never sent."""
        from wizard.text.safety import visible

        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.key_path:
            text += f" (at {self.key_path})"
        if self.hint:
            text += f"; {self.hint}"
        return visible(text)


class WizardError(Exception):
    """The only exception type the domain lets escape."""


class FlowLoadError(WizardError):
    """A flow file could not be loaded; ``diagnostics`` says why and where."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0].format() if diagnostics else "invalid flow"
        super().__init__(first)


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str:
    """A "did you mean" hint for a misspelt key or reference, or ''."""
    import difflib

    # short words (two Chinese characters, say) differ by half with a single typo
    cutoff = 0.5 if len(word) <= 3 else 0.6
    matches = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=cutoff)
    return f"did you mean '{matches[0]}'?" if matches else ""

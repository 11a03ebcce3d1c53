"""Answers files: a plain YAML/JSON mapping of field id → value, read safely.

Used by ``wizard checklist --answers``, the shipped examples and the path
tests. Values are validated with the same per-type validators as the UI
(:func:`wizard.answers.fields.validate`); problems come back as diagnostics
``FILE: field_id: message``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from wizard.answers.fields import RawAnswer, validate
from wizard.errors import Diagnostic, Location, Severity, did_you_mean
from wizard.flow import yamlsafe
from wizard.flow.conditions import Answer
from wizard.flow.model import Flow
from wizard.flow.record import field, record
from wizard.flow.yamlsafe import Map, Scalar, Seq, YamlNode
from wizard.text.safety import visible


@record(frozen=False)
class AnswersFile:
    answers: dict[str, Answer] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def _raw(node: YamlNode) -> RawAnswer | None:
    if isinstance(node, Scalar):
        if node.plain and node.value in ("true", "false"):
            return node.value == "true"
        if node.plain and node.value in ("null", "~", ""):
            return None
        return node.value
    if isinstance(node, Seq) and all(isinstance(i, Scalar) for i in node.items):
        return [i.value for i in node.items if isinstance(i, Scalar)]
    return None


def answers_mapping(root: YamlNode, path: str) -> tuple[list[tuple[Scalar, YamlNode]], list[Diagnostic]]:
    """The id → value pairs of an answers file (or of a saved session's ``answers:``)."""
    if not isinstance(root, Map):
        return [], [
            Diagnostic(
                Severity.ERROR,
                Location(path, root.line, root.col),
                "expected a mapping of field id → answer",
            )
        ]
    inner = root.get("answers")
    if inner is not None and root.get("format") is not None:
        if not isinstance(inner, Map):
            return [], [
                Diagnostic(
                    Severity.ERROR,
                    Location(path, inner.line, inner.col),
                    "'answers' must be a mapping",
                )
            ]
        return inner.items, []
    return root.items, []


def check_answers(flow: Flow, data: bytes, path: str, today: date | None = None) -> AnswersFile:
    today = today or date.today()
    out = AnswersFile()
    tree, problems = yamlsafe.read(data, path)
    if tree is None:
        out.diagnostics.extend(problems)
        return out
    # control characters in answers are not fatal: they are removed by the validators
    pairs, problems = answers_mapping(tree, path)
    out.diagnostics.extend(problems)
    checked = check_pairs(flow, pairs, path, today)
    out.answers.update(checked.answers)
    out.diagnostics.extend(checked.diagnostics)
    return out


def check_pairs(flow: Flow, pairs: list[tuple[Scalar, YamlNode]], path: str, today: date) -> AnswersFile:
    """Validate id → value pairs already read (an answers file, or a path test's ``answers:``)."""
    out = AnswersFile()
    known = [f.id for f in flow.all_fields]
    for key, node in pairs:
        loc = Location(path, key.line, key.col)
        f = flow.field(key.value)
        if f is None:
            out.diagnostics.append(
                Diagnostic(
                    Severity.ERROR,
                    loc,
                    f"{visible(key.value)}: unknown field",  # a hostile key is quoted, never sent to the terminal
                    hint=did_you_mean(key.value, known),
                )
            )
            continue
        raw = _raw(node)
        if raw is None and not isinstance(node, Scalar):
            out.diagnostics.append(
                Diagnostic(Severity.ERROR, loc, f"{key.value}: expected a value or a list of values")
            )
            continue
        verdict = validate(f, raw, today)
        if verdict.error and not (verdict.value is None and raw in (None, "")):
            out.diagnostics.append(Diagnostic(Severity.ERROR, loc, f"{key.value}: {verdict.error}"))
            continue
        if verdict.warning:
            out.diagnostics.append(Diagnostic(Severity.WARNING, loc, f"{key.value}: {verdict.warning}"))
        if verdict.value is not None:
            out.answers[f.id] = verdict.value
    return out


def load_answers(flow: Flow, path: str | Path, today: date | None = None) -> AnswersFile:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        out = AnswersFile()
        out.diagnostics.append(Diagnostic(Severity.ERROR, Location(str(path)), f"cannot read: {exc.strerror or exc}"))
        return out
    return check_answers(flow, data, str(path), today)

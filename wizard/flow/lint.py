"""Semantic checks of a flow: ids, references, types, reachability, links.

Runs on a structurally valid :class:`~wizard.flow.model.Flow` and returns
diagnostics; it never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wizard.errors import Diagnostic, Location, Severity, did_you_mean
from wizard.flow.model import (
    CHOICE_TYPES,
    FREE_TEXT_TYPES,
    NUMERIC_TYPES,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Field,
    FieldType,
    Flow,
    NotOf,
    Op,
    Text,
)
from wizard.safety import check_url

MAX_PATTERN = 200
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


class _Linter:
    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.out: list[Diagnostic] = []
        # where each field is asked: (step index, position in the step)
        self.asked: dict[str, tuple[int, int]] = {}
        for si, step in enumerate(flow.steps):
            for fi, f in enumerate(step.fields):
                self.asked.setdefault(f.id, (si, fi))
        self.compose_ids = {c.id for c in flow.compose}

    def error(self, line: int, col: int, message: str, key_path: str = "", hint: str = "") -> None:
        self.out.append(Diagnostic(Severity.ERROR, Location(self.flow.path, line, col), message, key_path, hint))

    def warning(self, line: int, col: int, message: str, key_path: str = "", hint: str = "") -> None:
        self.out.append(Diagnostic(Severity.WARNING, Location(self.flow.path, line, col), message, key_path, hint))

    # --- ids -------------------------------------------------------------------

    def ids(self) -> None:
        seen: dict[str, int] = {}
        for i, step in enumerate(self.flow.steps):
            if step.id in seen:
                self.error(
                    step.line,
                    step.col,
                    f"duplicate step id '{step.id}' (first at line {seen[step.id]})",
                    f"steps[{i}].id",
                )
            seen.setdefault(step.id, step.line)
        fields: dict[str, int] = {}
        for where, f in self.fields():
            if f.id in fields:
                self.error(
                    f.line,
                    f.col,
                    f"duplicate field id '{f.id}' (first at line {fields[f.id]})",
                    f"{where}.id",
                )
            fields.setdefault(f.id, f.line)
        for i, c in enumerate(self.flow.compose):
            if c.id in fields:
                self.error(c.line, 0, f"compose id '{c.id}' is also a field id", f"compose[{i}].id")
            fields.setdefault(c.id, c.line)
        checks: dict[str, int] = {}
        for i, check in enumerate(self.flow.checks):
            if check.id in checks:
                self.error(check.line, 0, f"duplicate check id '{check.id}'", f"checks[{i}].id")
            checks.setdefault(check.id, check.line)

    def fields(self) -> Iterator[tuple[str, Field]]:
        for si, step in enumerate(self.flow.steps):
            for fi, f in enumerate(step.fields):
                yield f"steps[{si}].fields[{fi}]", f

    # --- fields ------------------------------------------------------------------

    def field_rules(self) -> None:
        for where, f in self.fields():
            if f.type in CHOICE_TYPES:
                if not f.options:
                    self.error(
                        f.line,
                        f.col,
                        f"a {f.type.value} field needs a non-empty 'options' list",
                        where,
                    )
                seen: set[str] = set()
                for j, opt in enumerate(f.options):
                    if opt.value in seen:
                        self.error(opt.line, 0, f"duplicate option '{opt.value}'", f"{where}.options[{j}]")
                    seen.add(opt.value)
            elif f.options:
                self.error(
                    f.line,
                    f.col,
                    f"'options' only applies to select and multiselect, not {f.type.value}",
                    where,
                )
            if f.max_length is not None and f.type not in FREE_TEXT_TYPES:
                self.error(
                    f.line,
                    f.col,
                    f"'max_length' only applies to text and textarea, not {f.type.value}",
                    where,
                )
            if (f.min is not None or f.max is not None) and f.type not in NUMERIC_TYPES:
                self.error(
                    f.line,
                    f.col,
                    f"'min'/'max' only apply to money and number, not {f.type.value}",
                    where,
                )
            if f.min is not None and f.max is not None and f.min > f.max:
                self.error(f.line, f.col, f"min ({f.min}) is greater than max ({f.max})", where)
            if f.type is FieldType.MONEY and f.min is not None and f.min < 0:
                self.error(f.line, f.col, "a money field cannot have a negative min", where)
            if not f.allow_future and f.type is not FieldType.DATE:
                self.error(f.line, f.col, f"'allow_future' only applies to date, not {f.type.value}", where)
            if f.pattern is not None:
                self.pattern(f, where)
            elif f.pattern_message:
                self.warning(f.line, f.col, "'pattern_message' without 'pattern' is never shown", where)

    def pattern(self, f: Field, where: str) -> None:
        assert f.pattern is not None
        if f.type not in FREE_TEXT_TYPES:
            self.error(
                f.line,
                f.col,
                f"'pattern' only applies to text and textarea, not {f.type.value}",
                where,
            )
            return
        if len(f.pattern) > MAX_PATTERN:
            self.error(f.line, f.col, f"pattern longer than {MAX_PATTERN} characters", f"{where}.pattern")
            return
        try:
            re.compile(f.pattern)
        except re.error as exc:
            self.error(f.line, f.col, f"pattern does not compile: {exc}", f"{where}.pattern")
            return
        if _NESTED_QUANTIFIER.search(f.pattern):
            self.error(
                f.line,
                f.col,
                "pattern repeats a group that itself repeats (like (a+)+): it can hang on long input",
                f"{where}.pattern",
            )

    # --- references ------------------------------------------------------------

    def ref_field(self, name: str, line: int, col: int, where: str, *, before: tuple[int, int] | None) -> Field | None:
        f = self.flow.field(name)
        if f is None:
            names = list(self.asked) + list(self.compose_ids)
            self.error(line, col, f"unknown field '{name}'", where, did_you_mean(name, names))
            return None
        if before is not None and self.asked[name] >= before:
            step = self.flow.steps[self.asked[name][0]]
            self.error(
                line,
                col,
                f"'{name}' is asked later (in step '{step.id}'), so it has no answer here",
                where,
            )
        return f

    def condition(self, cond: Condition | None, where: str, before: tuple[int, int] | None) -> None:
        if cond is None:
            return
        if isinstance(cond, (AllOf, AnyOf)):
            for c in cond.items:
                self.condition(c, where, before)
            return
        if isinstance(cond, NotOf):
            self.condition(cond.item, where, before)
            return
        f = self.ref_field(cond.field, cond.line, cond.col, where, before=before)
        if f is not None:
            self.compatible(cond, f, where)

    def compatible(self, c: Compare, f: Field, where: str) -> None:
        t = f.type
        bad = ""
        if c.op in (Op.LT, Op.LE, Op.GT, Op.GE) and t not in NUMERIC_TYPES:
            bad = f"'{c.op.value}' compares numbers, but '{f.id}' is a {t.value} field"
        elif c.op in (Op.OLDER_THAN, Op.WITHIN) and t is not FieldType.DATE:
            bad = f"'{c.op.value}' needs a date field, but '{f.id}' is a {t.value} field"
        elif c.op is Op.CONTAINS and t is not FieldType.MULTISELECT:
            bad = f"'contains' needs a multiselect field, but '{f.id}' is a {t.value} field"
        elif c.op in (Op.EQ, Op.NE, Op.IN, Op.NOT_IN) and t is FieldType.MULTISELECT:
            bad = f"'{f.id}' is a multiselect: use 'contains'"
        elif c.op in (Op.EQ, Op.NE) and t is FieldType.CONFIRM and c.values[0] not in ("true", "false"):
            bad = f"'{f.id}' is a confirm field: compare with true or false"
        if bad:
            self.error(c.line, c.col, bad, where)
            return
        if t in CHOICE_TYPES and c.op in (Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.CONTAINS):
            known = [o.value for o in f.options]
            for v in c.values:
                if v not in known:
                    self.error(
                        c.line,
                        c.col,
                        f"'{v}' is not an option of '{f.id}'",
                        where,
                        did_you_mean(v, known) or f"options: {', '.join(known)}",
                    )

    def text(
        self,
        text: Text | None,
        where: str,
        before: tuple[int, int] | None,
        allow_compose: bool = True,
    ) -> None:
        if text is None:
            return
        for name in text.refs:
            if name in self.compose_ids:
                if not allow_compose:
                    self.error(
                        text.line,
                        text.col,
                        f"'{{{name}}}' is a composed text; it cannot be used inside a composed text",
                        where,
                    )
                continue
            self.ref_field(name, text.line, text.col, where, before=before)
        self.markdown_links(text, where)

    def markdown_links(self, text: Text, where: str) -> None:
        for regex in (_MD_LINK, _AUTOLINK):
            for m in regex.finditer(text.source):
                line = text.line + text.source.count("\n", 0, m.start())
                self.link(m.group(1), line, text.col, where)

    def link(self, url: str | None, line: int, col: int, where: str) -> None:
        if url is None:
            return
        verdict = check_url(url)
        if not verdict.ok:
            self.error(
                line,
                col,
                f"link '{url}' is not allowed: {verdict.reason or 'only https links'}",
                where,
            )
        elif not verdict.official:
            self.warning(
                line,
                col,
                f"link '{url}' is not on an official domain (12315.cn, samr.gov.cn, gsxt.gov.cn, gov.cn)",
                where,
            )

    def references(self) -> None:
        flow = self.flow
        for si, step in enumerate(flow.steps):
            here = f"steps[{si}]"
            start = (si, 0)
            end = (si + 1, 0)
            self.condition(step.when, f"{here}.when", start)
            self.text(step.title, f"{here}.title", end)
            self.text(step.body, f"{here}.body", end)
            self.link(step.link, step.line, step.col, f"{here}.link")
            for kind, notes in (("tips", step.tips), ("warnings", step.warnings)):
                for j, note in enumerate(notes):
                    self.text(note.text, f"{here}.{kind}[{j}]", end)
                    self.condition(note.when, f"{here}.{kind}[{j}].when", end)
            for fi, f in enumerate(step.fields):
                fw = f"{here}.fields[{fi}]"
                for t, key in (
                    (f.label, "label"),
                    (f.help, "help"),
                    (f.placeholder, "placeholder"),
                ):
                    self.text(t, f"{fw}.{key}", (si, fi))
                self.condition(f.when, f"{fw}.when", (si, fi))
                for oi, opt in enumerate(f.options):
                    self.condition(opt.when, f"{fw}.options[{oi}].when", (si, fi))
            for ci, item in enumerate(step.checklist):
                iw = f"{here}.checklist[{ci}]"
                self.text(item.text, iw, None)
                self.text(item.value, f"{iw}.value", None)
                self.condition(item.when, f"{iw}.when", None)
                self.link(item.link, item.line, 0, f"{iw}.link")
        for i, check in enumerate(flow.checks):
            cw = f"checks[{i}]"
            self.condition(check.when, f"{cw}.when", None)
            self.text(check.message, f"{cw}.message", None)
            si = flow.step_index(check.step)
            if si < 0:
                self.error(
                    check.line,
                    0,
                    f"unknown step '{check.step}'",
                    f"{cw}.step",
                    did_you_mean(check.step, [s.id for s in flow.steps]),
                )
        for i, comp in enumerate(flow.compose):
            for j, part in enumerate(comp.parts):
                self.text(part.text, f"compose[{i}].parts[{j}]", None, allow_compose=False)
                self.condition(part.when, f"compose[{i}].parts[{j}].when", None)
        for i, src in enumerate(flow.sources):
            if src.url is not None:
                verdict = check_url(src.url)
                if not verdict.ok:
                    self.error(
                        0,
                        0,
                        f"source link '{src.url}' is not allowed: {verdict.reason}",
                        f"sources[{i}].url",
                    )

    # --- reachability --------------------------------------------------------------

    def reachability(self) -> None:
        for si, step in enumerate(self.flow.steps):
            if step.when is not None and not satisfiable(step.when):
                self.error(
                    step.line,
                    step.col,
                    f"step '{step.id}' can never be shown: its condition contradicts itself",
                    f"steps[{si}].when",
                )
                continue
            for fi, f in enumerate(step.fields):
                if f.when is not None and not satisfiable(f.when):
                    level = self.error if f.required else self.warning
                    level(
                        f.line,
                        f.col,
                        f"field '{f.id}' can never be shown: its condition contradicts itself",
                        f"steps[{si}].fields[{fi}].when",
                    )

    def run(self) -> list[Diagnostic]:
        if not self.flow.steps:
            self.error(1, 1, "a flow needs at least one step", "steps")
        self.ids()
        self.field_rules()
        self.references()
        self.reachability()
        return self.out


def _conjuncts(cond: Condition) -> list[Condition]:
    if isinstance(cond, AllOf):
        out: list[Condition] = []
        for c in cond.items:
            out.extend(_conjuncts(c))
        return out
    return [cond]


def satisfiable(cond: Condition) -> bool:
    """False when a condition is certainly never true (a conservative check)."""
    if isinstance(cond, AnyOf):
        return any(satisfiable(c) for c in cond.items)
    if isinstance(cond, NotOf):
        inner = cond.item
        return not (isinstance(inner, AnyOf) and not inner.items)
    parts = _conjuncts(cond)
    if any(not satisfiable(c) for c in parts if isinstance(c, AnyOf)):
        return False
    allowed: dict[str, set[str] | None] = {}
    excluded: dict[str, set[str]] = {}
    empty: set[str] = set()
    present: set[str] = set()
    for c in parts:
        if not isinstance(c, Compare):
            continue
        if c.op is Op.IS_EMPTY:
            empty.add(c.field)
        elif c.op in (Op.EQ, Op.IN):
            present.add(c.field)
            now = set(c.values)
            prev = allowed.get(c.field)
            allowed[c.field] = now if prev is None else prev & now
        elif c.op in (Op.NE, Op.NOT_IN):
            excluded.setdefault(c.field, set()).update(c.values)
        elif c.op is not Op.IS_SET:
            present.add(c.field)
        else:
            present.add(c.field)
    if empty & present:
        return False
    for name, values in allowed.items():
        if values is not None and not (values - excluded.get(name, set())):
            return False
    return True


def lint(flow: Flow) -> list[Diagnostic]:
    return _Linter(flow).run()

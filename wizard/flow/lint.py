"""Semantic checks of a flow: ids, references, types, reachability, links.

Runs on a built :class:`~wizard.flow.model.Flow` and returns diagnostics; it
never raises. The loader runs it even when the structure had errors, telling
it (with :class:`Broken`) which ids belong to parts it could not build, so
that a broken field is reported once, not again at every use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations, pairwise

from wizard.errors import Diagnostic, Location, Severity, did_you_mean
from wizard.flow.conditions import Answer, evaluate, shift_date
from wizard.flow.model import (
    CHOICE_TYPES,
    DATE_RELATIONS,
    DEADLINE_MAX,
    FREE_TEXT_TYPES,
    NUMERIC_TYPES,
    TEXT_HARD_CAP,
    TODAY,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Field,
    FieldType,
    Flow,
    Marks,
    NotOf,
    Op,
    Ref,
    Step,
    Text,
    TimeUnit,
)
from wizard.flow.record import record
from wizard.text.safety import check_url

MAX_PATTERN = 200
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_BARE_URL = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[!-~]*")
_LINK_FORMS = ((_MD_LINK, "]("), (_AUTOLINK, "<"), (_BARE_URL, "://"))  # each with what it cannot match without
_URL_TAIL = ".,;:!?)]}>'\""
OFFICIAL = "12315.cn, samr.gov.cn, gsxt.gov.cn, gov.cn"

#: How many answer combinations the reachability search tries, per condition and per flow,
#: before it gives up (and assumes the step or field can be shown).
SEARCH_PER_TARGET = 20_000
SEARCH_PER_FLOW = 200_000
#: Whole paths walked first (one per value index, and one answering nothing): what they show
#: needs no search (see ``_Search.witnessed``).
WITNESS_PATHS = 4


@record
class Broken:
    """What the loader could not build (and has reported): lint keeps quiet about it."""

    names: frozenset[str] = frozenset()  # ids of fields, steps and composed texts built only in part or not at all
    steps: bool = False  # some step could not be built at all


class _Linter:
    def __init__(self, flow: Flow, broken: Broken) -> None:
        self.flow = flow
        self.broken = broken
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

    @staticmethod
    def at(marks: Marks, key: str, line: int, col: int) -> tuple[int, int]:
        return marks.of(key, (line, col))

    # --- ids -------------------------------------------------------------------

    def ids(self) -> None:
        seen: dict[str, int] = {}
        for i, step in enumerate(self.flow.steps):
            line, col = self.at(step.marks, "id", step.line, step.col)
            if step.id in seen:
                self.error(
                    line,
                    col,
                    f"duplicate step id '{step.id}' (first at line {seen[step.id]})",
                    f"{_path(step.marks, f'steps[{i}]')}.id",
                )
            seen.setdefault(step.id, line)
        fields: dict[str, int] = {}
        for where, f in self.fields():
            line, col = self.at(f.marks, "id", f.line, f.col)
            if f.id in fields:
                self.error(line, col, f"duplicate field id '{f.id}' (first at line {fields[f.id]})", f"{where}.id")
            fields.setdefault(f.id, line)
        for i, c in enumerate(self.flow.compose):
            line, col = self.at(c.marks, "id", c.line, c.col)
            if c.id in fields:
                self.error(
                    line,
                    col,
                    f"compose id '{c.id}' is also a field id (first at line {fields[c.id]})",
                    f"{_path(c.marks, f'compose[{i}]')}.id",
                )
            fields.setdefault(c.id, line)
        checks: dict[str, int] = {}
        for i, check in enumerate(self.flow.checks):
            line, col = self.at(check.marks, "id", check.line, check.col)
            if check.id in checks:
                self.error(
                    line,
                    col,
                    f"duplicate check id '{check.id}' (first at line {checks[check.id]})",
                    f"{_path(check.marks, f'checks[{i}]')}.id",
                )
            checks.setdefault(check.id, line)

    def fields(self) -> Iterator[tuple[str, Field]]:
        for si, step in enumerate(self.flow.steps):
            for fi, f in enumerate(step.fields):
                yield _path(f.marks, f"steps[{si}].fields[{fi}]"), f

    # --- fields ------------------------------------------------------------------

    def field_rules(self) -> None:
        for where, f in self.fields():

            def at(key: str, f: Field = f) -> tuple[int, int]:
                return self.at(f.marks, key, f.line, f.col)

            kind = f.type.value
            if f.type in CHOICE_TYPES:
                if not f.options and f.id not in self.broken.names:
                    self.error(*at("options"), f"a {kind} field needs a non-empty 'options' list", f"{where}.options")
                seen: dict[str, str] = {}
                for j, opt in enumerate(f.options):
                    if opt.value in seen:
                        self.error(
                            opt.line,
                            opt.col,
                            f"duplicate option '{opt.value}' (first at {seen[opt.value]})",
                            _path(opt.marks, f"{where}.options[{j}]"),
                        )
                    seen.setdefault(opt.value, f"{opt.line}:{opt.col}")
            elif "options" in f.marks:
                self.error(*at("options"), f"'options' only applies to select and multiselect, not {kind}", where)
            if "max_length" in f.marks and f.type not in FREE_TEXT_TYPES:
                self.error(*at("max_length"), f"'max_length' only applies to text and textarea, not {kind}", where)
            elif f.max_length is not None and f.max_length > TEXT_HARD_CAP:
                self.error(
                    *at("max_length"), f"max_length {f.max_length} is above the limit of {TEXT_HARD_CAP:,}", where
                )
            for key in ("min", "max"):
                if key in f.marks and f.type not in NUMERIC_TYPES:
                    self.error(*at(key), f"'{key}' only applies to money and number, not {kind}", where)
            if f.min is not None and f.max is not None and f.min > f.max:
                self.error(*at("max"), f"max ({f.max}) is less than min ({f.min})", f"{where}.max")
            if f.type is FieldType.MONEY and f.min is not None and f.min < 0:
                self.error(*at("min"), "a money field cannot have a negative min", f"{where}.min")
            if "allow_future" in f.marks and f.type is not FieldType.DATE:
                self.error(*at("allow_future"), f"'allow_future' only applies to date, not {kind}", where)
            if f.pattern is not None:
                self.pattern(f, where)
            elif f.pattern_message and "pattern" not in f.marks:
                self.warning(*at("pattern_message"), "'pattern_message' without 'pattern' is never shown", where)

    def pattern(self, f: Field, where: str) -> None:
        assert f.pattern is not None
        line, col = self.at(f.marks, "pattern", f.line, f.col)
        here = f"{where}.pattern"
        if f.type not in FREE_TEXT_TYPES:
            self.error(line, col, f"'pattern' only applies to text and textarea, not {f.type.value}", here)
            return
        if len(f.pattern) > MAX_PATTERN:
            self.error(line, col, f"pattern longer than {MAX_PATTERN} characters", here)
            return
        try:
            re.compile(f.pattern)
        except re.error as exc:
            self.error(line, col, f"pattern does not compile: {exc}", here)
            return
        except (RecursionError, OverflowError, ValueError) as exc:  # absurd patterns
            self.error(line, col, f"pattern does not compile: {type(exc).__name__}", here)
            return
        from wizard.flow.regexsafe import check_pattern  # only flows with patterns pay for the analysis

        refusal = check_pattern(f.pattern)
        if refusal is not None:
            self.error(line, col, refusal.message, here, refusal.hint)

    # --- references ------------------------------------------------------------

    def ref_field(self, name: str, line: int, col: int, where: str, *, before: tuple[int, int] | None) -> Field | None:
        f = self.flow.field(name)
        if f is None:
            if name not in self.broken.names:
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
                "a condition may only use answers given before it",
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
        if cond.field in self.compose_ids:
            self.error(
                cond.line, cond.col, f"'{cond.field}' is a composed text, not a field: conditions use answers", where
            )
            return
        f = self.ref_field(cond.field, cond.line, cond.col, where, before=before)
        if f is not None:
            self.compatible(cond, f, where)
        if cond.op in DATE_RELATIONS:
            self.date_other(cond, where, before)

    def date_other(self, c: Compare, where: str, before: tuple[int, int] | None) -> None:
        """The right-hand side of a date relation: ``today`` or a date field asked before the condition."""
        line, col = (c.other_line, c.other_col) if c.other_line else (c.line, c.col)
        name = c.other_field
        if name is None:
            if self.flow.field(TODAY) is not None:
                self.warning(
                    line, col, "'today' here is the current date, not the field 'today'", where, "rename the field"
                )
            return
        if name in self.compose_ids:
            self.error(line, col, f"'{name}' is a composed text, not a field: conditions use answers", where)
            return
        g = self.ref_field(name, line, col, where, before=before)
        if g is not None and g.type is not FieldType.DATE:
            self.error(line, col, f"'{c.op.value}' compares dates, but '{g.id}' is a {g.type.value} field", where)

    def compatible(self, c: Compare, f: Field, where: str) -> None:
        t = f.type
        bad = ""
        if c.op in (Op.LT, Op.LE, Op.GT, Op.GE) and t not in NUMERIC_TYPES:
            bad = f"'{c.op.value}' compares numbers, but '{f.id}' is a {t.value} field"
        elif c.op in (Op.OLDER_THAN, Op.WITHIN) and t is not FieldType.DATE:
            bad = f"'{c.op.value}' needs a date field, but '{f.id}' is a {t.value} field"
        elif c.op in DATE_RELATIONS and t is not FieldType.DATE:
            bad = f"'{c.op.value}' compares dates, but '{f.id}' is a {t.value} field"
        elif c.op is Op.CONTAINS and t is not FieldType.MULTISELECT:
            bad = f"'contains' needs a multiselect field, but '{f.id}' is a {t.value} field"
        elif c.op in (Op.EQ, Op.NE, Op.IN, Op.NOT_IN) and t is FieldType.MULTISELECT:
            bad = f"'{f.id}' is a multiselect: use 'contains'"
        elif c.op in (Op.EQ, Op.NE) and t is FieldType.CONFIRM and c.values[0] not in ("true", "false"):
            bad = f"'{f.id}' is a confirm field: compare with true or false"
        elif c.op in (Op.IN, Op.NOT_IN) and t is FieldType.CONFIRM:
            bad = f"'{f.id}' is a confirm field: use '{f.id}' or 'not {f.id}'"
        if bad:
            self.error(c.line, c.col, bad, where)
            return
        if c.op in (Op.EQ, Op.NE, Op.IN, Op.NOT_IN) and t in NUMERIC_TYPES:
            self.warning(
                c.line,
                c.col,
                f"'{c.op.value}' compares '{f.id}' as written (money is kept as 500.00); "
                "compare numbers with <, <=, > or >=",
                where,
            )
        if (
            t in CHOICE_TYPES
            and c.op in (Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.CONTAINS)
            and f.id not in self.broken.names
        ):
            known = [o.value for o in f.options]
            for v in c.values:
                if v not in known:
                    self.error(
                        c.line,
                        c.col,
                        f"'{v}' is not an option of '{f.id}'",
                        where,
                        did_you_mean(v, known) or f"options: {', '.join(dict.fromkeys(known))}",
                    )

    def text(self, text: Text | None, where: str, before: tuple[int, int] | None, allow_compose: bool = True) -> None:
        if text is None or not text:
            return
        for seg in text.segments:
            if not isinstance(seg, Ref):
                continue
            line, col = text.position(seg.offset)
            if seg.name in self.compose_ids:
                if not allow_compose:
                    self.error(
                        line,
                        col,
                        f"'{{{seg.name}}}' is a composed text; it cannot be used inside a composed text",
                        where,
                    )
                continue
            self.ref_field(seg.name, line, col, where, before=before)
        self.links_in(text, where)

    def links_in(self, text: Text, where: str) -> None:
        """Markdown links, autolinks and bare ``scheme://`` addresses written in a text."""
        found: dict[int, str] = {}
        for regex, marker in _LINK_FORMS:
            if marker not in text.source:
                continue  # most text holds no link: skip the regex
            for m in regex.finditer(text.source):
                start = m.start(1) if regex.groups else m.start()
                url = m.group(1) if regex.groups else m.group().rstrip(_URL_TAIL)
                found.setdefault(start, url)
        for start, url in sorted(found.items()):
            line, col = text.position(start)
            self.link(url, line, col, where)

    def link(self, url: str | None, line: int, col: int, where: str) -> None:
        if url is None:
            return
        verdict = check_url(url)
        if not verdict.ok:
            self.error(line, col, f"link '{url}' is not allowed: {verdict.reason or 'only https links'}", where)
        elif not verdict.official:
            self.warning(line, col, f"link '{url}' is not on an official domain ({OFFICIAL})", where)

    def references(self) -> None:
        flow = self.flow
        self.text(flow.title, "title", None)
        self.text(flow.description, "description", None)
        for si, step in enumerate(flow.steps):
            here = _path(step.marks, f"steps[{si}]")
            start = (si, 0)
            end = (si + 1, 0)
            self.condition(step.when, f"{here}.when", start)
            self.text(step.title, f"{here}.title", end)
            self.text(step.body, f"{here}.body", end)
            self.link(step.link, *self.at(step.marks, "link", step.line, step.col), f"{here}.link")
            for kind, notes in (("tips", step.tips), ("warnings", step.warnings)):
                for j, note in enumerate(notes):
                    nw = _path(note.marks, f"{here}.{kind}[{j}]")
                    self.text(note.text, nw, end)
                    self.condition(note.when, f"{nw}.when", end)
            for fi, f in enumerate(step.fields):
                fw = _path(f.marks, f"{here}.fields[{fi}]")
                for t, key in (
                    (f.label, "label"),
                    (f.help, "help"),
                    (f.placeholder, "placeholder"),
                    (f.pattern_message, "pattern_message"),
                ):
                    self.text(t, f"{fw}.{key}", (si, fi))
                self.condition(f.when, f"{fw}.when", (si, fi))
                for oi, opt in enumerate(f.options):
                    ow = _path(opt.marks, f"{fw}.options[{oi}]")
                    self.text(opt.label, f"{ow}.label", (si, fi))
                    self.condition(opt.when, f"{ow}.when", (si, fi))
            for ci, item in enumerate(step.checklist):
                iw = _path(item.marks, f"{here}.checklist[{ci}]")
                self.text(item.text, iw, None)
                self.text(item.value, f"{iw}.value", None)
                self.condition(item.when, f"{iw}.when", None)
                self.link(item.link, *self.at(item.marks, "link", item.line, item.col), f"{iw}.link")
        for i, check in enumerate(flow.checks):
            cw = _path(check.marks, f"checks[{i}]")
            si = flow.step_index(check.step)
            # a check with an explicit step is evaluated right after it: it may only read answers given by then
            after = (si + 1, 0) if si >= 0 and "step" in check.marks else None
            self.condition(check.when, f"{cw}.when", after)
            self.text(check.message, f"{cw}.message", None)
            if si < 0 and check.step not in self.broken.names:
                self.error(
                    *self.at(check.marks, "step", check.line, check.col),
                    f"unknown step '{check.step}'",
                    f"{cw}.step",
                    did_you_mean(check.step, [s.id for s in flow.steps]),
                )
        for i, comp in enumerate(flow.compose):
            mw = _path(comp.marks, f"compose[{i}]")
            self.text(comp.label, f"{mw}.label", None)
            self.text(comp.over_limit, f"{mw}.over_limit", None)
            for j, part in enumerate(comp.parts):
                pw = _path(part.marks, f"{mw}.parts[{j}]")
                self.text(part.text, pw, None, allow_compose=False)
                self.condition(part.when, f"{pw}.when", None)
        for i, src in enumerate(flow.sources):
            self.link(
                src.url, *self.at(src.marks, "url", src.line, src.col), f"{_path(src.marks, f'sources[{i}]')}.url"
            )

    # --- deadlines -------------------------------------------------------------------

    def deadlines(self) -> None:
        """Ids, what each deadline counts from (a date field or a deadline above it), amounts, conditions."""
        earlier: dict[str, int] = {}
        later = {d.id for d in self.flow.deadlines}
        fields = {f.id for f in self.flow.all_fields}
        for i, dl in enumerate(self.flow.deadlines):
            where = _path(dl.marks, f"deadlines[{i}]")
            line, col = self.at(dl.marks, "id", dl.line, dl.col)
            if dl.id in earlier:
                self.error(
                    line, col, f"duplicate deadline id '{dl.id}' (first at line {earlier[dl.id]})", f"{where}.id"
                )
            elif dl.id in fields or dl.id in self.compose_ids:
                self.error(line, col, f"deadline id '{dl.id}' is also a field or compose id", f"{where}.id")
            self.text(dl.label, f"{where}.label", None)
            self.condition(dl.when, f"{where}.when", None)
            at_from = self.at(dl.marks, "from", dl.line, dl.col)
            if dl.start in earlier or dl.start in self.broken.names:
                pass
            elif dl.start in later:
                self.error(
                    *at_from,
                    f"'{dl.start}' is this deadline or one below it",
                    f"{where}.from",
                    "a deadline may count only from a date field or a deadline written above it",
                )
            else:
                f = self.flow.field(dl.start)
                if f is None:
                    names = [x.id for x in self.flow.all_fields if x.type is FieldType.DATE] + list(earlier)
                    self.error(
                        *at_from,
                        f"unknown date field or deadline '{dl.start}'",
                        f"{where}.from",
                        did_you_mean(dl.start, names),
                    )
                elif f.type is not FieldType.DATE:
                    self.error(
                        *at_from, f"'from' needs a date field, but '{f.id}' is a {f.type.value} field", f"{where}.from"
                    )
            limit = DEADLINE_MAX[dl.unit.value]
            if dl.amount > limit:
                self.error(
                    *self.at(dl.marks, dl.unit.value, dl.line, dl.col),
                    f"{dl.unit.value}: {dl.amount} is above the limit of {limit:,}",
                    f"{where}.{dl.unit.value}",
                )
            earlier.setdefault(dl.id, line)

    # --- reachability --------------------------------------------------------------

    def reachability(self) -> None:
        if any(d.is_error for d in self.out):
            return  # a search over broken references would only add noise
        search = _Search(self.flow)
        seen = search.witnessed()
        for si, step in enumerate(self.flow.steps):
            if step.when is not None and (step.id, "") not in seen and search.never(step, None) is True:
                self.error(
                    *self.at(step.marks, "when", step.line, step.col),
                    f"step '{step.id}' can never be shown: no answers make its condition true",
                    f"{_path(step.marks, f'steps[{si}]')}.when",
                )
                continue
            for fi, f in enumerate(step.fields):
                if f.when is None or (step.id, f.id) in seen or search.never(step, f) is not True:
                    continue
                report = self.error if f.required else self.warning
                what = "required field" if f.required else "field"
                report(
                    *self.at(f.marks, "when", f.line, f.col),
                    f"{what} '{f.id}' is hidden on every path: no answers make its condition true",
                    f"{_path(f.marks, f'steps[{si}].fields[{fi}]')}.when",
                )
        for i, check in enumerate(self.flow.checks):
            if any(evaluate(check.when, answers, search.today) for answers in search.witness_answers):
                continue  # a real path makes it apply: no search needed
            if search.never_true(check.when) is True:
                self.warning(
                    *self.at(check.marks, "when", check.line, check.col),
                    f"check '{check.id}' can never apply: no answers make its condition true",
                    f"{_path(check.marks, f'checks[{i}]')}.when",
                )

    def run(self) -> list[Diagnostic]:
        if not self.flow.steps and "steps" in self.flow.marks and not self.broken.steps:
            self.error(*self.flow.marks.of("steps", (1, 1)), "a flow needs at least one step", "steps")
        self.ids()
        self.field_rules()
        self.references()
        self.deadlines()
        self.reachability()
        return self.out


# --- the reachability search -----------------------------------------------------------


class _GiveUp(Exception):
    """The search ran out of budget: assume the condition can hold."""


def _compares(cond: Condition | None) -> Iterator[Compare]:
    if cond is None:
        return
    todo: list[Condition] = [cond]
    while todo:
        c = todo.pop()
        if isinstance(c, Compare):
            yield c
        elif isinstance(c, NotOf):
            todo.append(c.item)
        else:
            todo.extend(c.items)


class _Search:
    """Is there any way through the flow that shows a step or a field?

    Tries combinations of answers, field by field in the order they are
    asked, with the same rules as the session (a hidden field's answer does
    not count; a select answer counts only if its option is shown). Each
    field is given only the values that can make a difference to the
    conditions of the flow: each option mentioned, each side of each number
    or date threshold, empty. The search is bounded; past the bound it
    answers "can be shown".
    """

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.today = date.today()
        self.budget = SEARCH_PER_FLOW
        self.witness_answers: list[dict[str, Answer]] = []  # filled by witnessed()
        self.order: list[tuple[Step, Field]] = [(s, f) for s in flow.steps for f in s.fields]
        self.index: dict[str, int] = {f.id: i for i, (_, f) in enumerate(self.order)}  # built once: linear time
        self.mentions: dict[str, list[Compare]] = {}
        conditions: list[Condition | None] = []
        for s in flow.steps:
            conditions.append(s.when)
            conditions.extend(n.when for n in (*s.tips, *s.warnings))
            conditions.extend(i.when for i in s.checklist)
            for f in s.fields:
                conditions.append(f.when)
                conditions.extend(o.when for o in f.options)
        conditions.extend(c.when for c in flow.checks)
        conditions.extend(p.when for c in flow.compose for p in c.parts)
        for cond in conditions:
            for c in _compares(cond):
                self.mentions.setdefault(c.field, []).append(c)
                other = c.other_field
                if other is not None and other != c.field:
                    self.mentions.setdefault(other, []).append(c)
        # Date relations: the distances the flow's date comparisons care about, tried around today
        # by every date field that takes part in one (answers can then be ordered either way).
        self.relation_shifts: set[tuple[int, TimeUnit]] = {(0, TimeUnit.DAYS)}
        for found in self.mentions.values():
            for c in found:
                if c.op in DATE_RELATIONS and c.number is not None and c.unit is not None:
                    self.relation_shifts.update({(int(c.number), c.unit), (-int(c.number), c.unit)})
        self._values: dict[str, list[Answer | None]] = {}
        self._reads: dict[str, frozenset[str]] = {}
        self.truncated: set[str] = set()  # fields whose answers were not all tried: "never" is unsure

    def witnessed(self, paths: int = WITNESS_PATHS) -> set[tuple[str, str]]:
        """Steps ``(id, "")`` and fields ``(step id, field id)`` shown on a few whole paths.

        Path ``k`` answers every shown field with its ``k``-th value worth trying
        (:meth:`values`, cycling; the last path answers nothing), under the
        search's rules. Whatever a real path shows can be shown, so the search
        is only needed for the rest: ``paths`` walks of the flow, linear in its
        size, settle the common case of a long chain of conditions at once.
        """
        seen: set[tuple[str, str]] = set()
        self.witness_answers.clear()
        for k in range(paths):
            eff: dict[str, Answer] = {}
            self.witness_answers.append(eff)  # the answers of the whole path, for the checks
            for step in self.flow.steps:
                if not evaluate(step.when, eff, self.today):
                    continue
                seen.add((step.id, ""))
                for f in step.fields:
                    if not evaluate(f.when, eff, self.today):
                        continue
                    seen.add((step.id, f.id))
                    tried = [v for v in self.values(f)[1:] if v is not None]
                    if not tried or k == paths - 1:
                        continue
                    value = tried[k % len(tried)]
                    if isinstance(value, str) and f.type is FieldType.SELECT:
                        opt = f.option(value)
                        if opt is not None and not evaluate(opt.when, eff, self.today):
                            continue  # the option is not offered here: left unanswered
                    eff[f.id] = value
        return seen

    def never(self, step: Step, f: Field | None) -> bool | None:
        """True when the step (or the field in it) is shown on no path; None when unsure."""

        def target(eff: dict[str, Answer]) -> bool:
            return evaluate(step.when, eff, self.today) and (f is None or evaluate(f.when, eff, self.today))

        deps = {*_names(step.when), *(_names(f.when) if f is not None else ())}
        return self._none_of(target, deps, (step.when, f.when if f is not None else None))

    def never_true(self, cond: Condition) -> bool | None:
        def target(eff: dict[str, Answer]) -> bool:
            return evaluate(cond, eff, self.today)

        return self._none_of(target, set(_names(cond)), (cond,))

    def _none_of(
        self,
        target: Callable[[dict[str, Answer]], bool],
        deps: set[str],
        conds: tuple[Condition | None, ...] = (),
    ) -> bool | None:
        """``conds`` (all must hold for ``target``) let the search stop early on a branch that decides them false."""
        chosen = self._closure(deps)
        if chosen is None:
            return None
        for _, f in chosen:
            self.values(f)  # cached; marks the fields whose answers cannot all be tried
        if any(f.id in self.truncated for _, f in chosen):
            return None  # "never" could not be concluded, and "can be" changes no report: skip the search
        decided = [frozenset(f.id for _, f in chosen[:i]) for i in range(len(chosen) + 1)]
        conds = self._needed(conds)
        # At position i only a condition that reads the field decided last (chosen[i - 1]) can have
        # turned False: every other one gives what it gave one level up, where it was not False.
        reads = [set(_names(c)) for c in conds]
        check_at: list[tuple[Condition | None, ...]] = [()]
        check_at.extend(tuple(c for c, r in zip(conds, reads, strict=True) if f.id in r) for _, f in chosen)
        budget = min(self.budget, SEARCH_PER_TARGET)
        spent = 0
        # What is still read from position i on: a state that failed once fails again (memoised by
        # the answers that matter), which keeps the search from re-trying equivalent combinations.
        live: list[frozenset[str]] = [frozenset(deps)] * (len(chosen) + 1)
        for i in range(len(chosen) - 1, -1, -1):
            live[i] = live[i + 1] | self.reads(chosen[i][1].id)
        failed: set[tuple[object, ...]] = set()

        def search(i: int, eff: dict[str, Answer]) -> bool:
            nonlocal spent
            spent += 1
            if spent > budget:
                raise _GiveUp
            if i == len(chosen):
                return target(eff)
            if any(_partial(c, eff, decided[i], self.today) is False for c in check_at[i]):
                return False  # the answers given so far already rule the target out
            key = (i, *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in eff.items() if k in live[i]))
            if key in failed:
                return False
            if _search_from(i, eff):
                return True
            failed.add(key)
            return False

        def _search_from(i: int, eff: dict[str, Answer]) -> bool:
            step, f = chosen[i]
            shown = evaluate(step.when, eff, self.today) and evaluate(f.when, eff, self.today)
            # Answers before "no answer": conditions are mostly about what was answered, so a path
            # that shows the target is usually found at once (the search is exhaustive either way).
            values = [*self.values(f)[1:], None] if shown else [None]
            for value in values:
                if value is None:
                    if search(i + 1, eff):
                        return True
                    continue
                if isinstance(value, str) and f.type is FieldType.SELECT:
                    opt = f.option(value)
                    if opt is not None and not evaluate(opt.when, eff, self.today):
                        continue  # the option is not offered here
                if search(i + 1, {**eff, f.id: value}):
                    return True
            return False

        try:
            found = search(0, {})
        except (_GiveUp, RecursionError):
            return None
        finally:
            self.budget -= spent
        if not found and any(f.id in self.truncated for _, f in chosen):
            return None
        return not found

    def _needed(self, conds: tuple[Condition | None, ...]) -> tuple[Condition | None, ...]:
        """``conds`` and what they imply: a field compared in a plain conjunction must have been shown."""
        out = list(conds)
        seen: set[str] = set()
        todo = [c for c in conds if c is not None]
        while todo:
            cond = todo.pop()
            if isinstance(cond, AllOf):
                todo.extend(cond.items)
                continue
            if not isinstance(cond, Compare) or cond.op is Op.IS_EMPTY:
                continue  # any / not / "is empty" do not need the field answered
            for name in (cond.field, cond.other_field):  # a date relation needs both dates answered
                if name is None or name in seen:
                    continue
                seen.add(name)
                step, f = self.flow.step_of(name), self.flow.field(name)
                for shown in (step.when if step else None, f.when if f else None):
                    if shown is not None:
                        out.append(shown)
                        todo.append(shown)
        return tuple(out)

    def _closure(self, deps: set[str]) -> list[tuple[Step, Field]] | None:
        """The fields the target depends on (directly, or through their own conditions), in order."""
        index = self.index
        todo = list(deps)
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            if name not in index:
                return None  # an unknown field: reported elsewhere
            seen.add(name)
            todo.extend(self.reads(name))
        return sorted((self.order[index[n]] for n in seen), key=lambda sf: index[sf[1].id])

    def reads(self, field_id: str) -> frozenset[str]:
        """The fields read by whether a (known) field is shown: its step's, its own and its options' conditions."""
        found = self._reads.get(field_id)
        if found is None:
            step, f = self.order[self.index[field_id]]
            found = frozenset({*_names(step.when), *_names(f.when), *(n for o in f.options for n in _names(o.when))})
            self._reads[field_id] = found
        return found

    def values(self, f: Field) -> list[Answer | None]:
        """The answers worth trying for a field: one per region the flow's conditions tell apart."""
        cached = self._values.get(f.id)
        if cached is not None:
            return cached
        mentions = self.mentions.get(f.id, [])
        said = [v for c in mentions for v in c.values]
        out: list[Answer | None] = [None]
        t = f.type
        if t is FieldType.CONFIRM:
            out += [True, False]
        elif t is FieldType.SELECT:
            keep = [o.value for o in f.options if o.value in said or o.when is not None]
            other = next((o.value for o in f.options if o.value not in keep), None)
            out += keep + ([other] if other is not None else [])
        elif t is FieldType.MULTISELECT:
            options = [o.value for o in f.options]
            mentioned = [v for v in options if v in said]
            named = mentioned[:6]
            if len(mentioned) > len(named):
                self.truncated.add(f.id)  # combinations beyond the first six are not tried
            other = next((v for v in options if v not in mentioned), None)
            pool = named + ([other] if other is not None else [])
            for size in range(1, len(pool) + 1):
                out += [list(combo) for combo in combinations(pool, size)]
            # every option alone, and all of them together, whatever the cap
            out += [[v] for v in mentioned[6:]]
            if len(mentioned) > len(named):
                out.append(list(mentioned))
        elif t in NUMERIC_TYPES:
            points = sorted({c.number for c in mentions if c.number is not None})
            picks: set[Decimal] = set(points)
            if points:
                picks.add(points[0] - 1)
                picks.add(points[-1] + 1)
                picks.update((a + b) / 2 for a, b in pairwise(points))
            else:
                picks.add(Decimal(1))
            out += [str(p) for p in sorted(picks)]
            out += [v for v in said if v not in out]
        elif t is FieldType.DATE:
            days: set[date] = {self.today, self.today - timedelta(days=1)}
            if any(c.op in DATE_RELATIONS for c in mentions):
                # around today and each distance the flow compares dates at, a few days either way;
                # the search may still miss a combination (chains of offsets): it never says "never"
                self.truncated.add(f.id)
                for amount, unit in self.relation_shifts:
                    around = shift_date(self.today, amount, unit)
                    for delta in range(-2, 3):
                        try:
                            days.add(around + timedelta(days=delta))
                        except OverflowError:
                            continue
            for c in mentions:
                if c.number is None or c.unit is None or c.op in DATE_RELATIONS:
                    continue
                back = shift_date(self.today, -int(c.number), c.unit)
                for delta in (-2, 2):
                    try:
                        days.add(back + timedelta(days=delta))
                    except OverflowError:
                        continue
            out += [d.isoformat() for d in sorted(days)]
            out += [v for v in said if v not in out]
        else:
            out += ["\u0000other"] + [v for v in dict.fromkeys(said)]
        self._values[f.id] = out
        return out


def _partial(cond: Condition | None, eff: dict[str, Answer], decided: frozenset[str], today: date) -> bool | None:
    """A condition over answers of which only ``decided`` fields are known yet: True, False, or None (open)."""
    if cond is None:
        return True
    if isinstance(cond, Compare):
        other = cond.other_field
        if cond.field not in decided or (other is not None and other not in decided):
            return None
        return evaluate(cond, eff, today)
    if isinstance(cond, NotOf):
        inner = _partial(cond.item, eff, decided, today)
        return None if inner is None else not inner
    stop = isinstance(cond, AnyOf)  # AnyOf stops at the first True, AllOf at the first False
    result: bool | None = not stop
    for c in cond.items:
        r = _partial(c, eff, decided, today)
        if r is stop:
            return stop
        if r is None:
            result = None
    return result


def _path(marks: Marks, fallback: str) -> str:
    """An element's key path as written in the file (indexes count dropped elements too)."""
    return marks.path or fallback


def _names(cond: Condition | None) -> list[str]:
    out: list[str] = []
    for c in _compares(cond):
        out.append(c.field)
        other = c.other_field
        if other is not None:
            out.append(other)
    return out


def lint(flow: Flow, broken: Broken | None = None) -> list[Diagnostic]:
    return _Linter(flow, broken or Broken()).run()

"""Which steps, fields and checks apply, kept up to date answer by answer.

:class:`wizard.session.Session` asks this module for the effective answers
(those of fields shown on the user's path), the steps that apply and the
checks that hold. Recomputing them from scratch walks the whole flow, and a
view asks many times per answer, so a long flow became quadratic (issue 14,
item 11). Here they are computed once and then updated from what changed:

- :class:`TrackedAnswers` is the session's answers dict; it logs the ids it is
  changed at (any number of readers keep their own place in the log);
- :class:`Shown` re-evaluates only the steps, fields and checks whose
  conditions read a changed effective answer, in flow order, so a change
  costs what it touches, not the length of the flow.

The result is the same as the plain walk (:func:`walk`): a step's condition
sees the effective answers of earlier steps, a field's condition and its
chosen option's condition those of earlier steps and earlier fields of its
own step, a check's condition all of them. That equivalence needs every
condition to read answers given before it, which the linter demands of a
flow that runs; a flow that breaks it (only tests build such flows) is
walked in full after every change instead. Pure: no I/O, no UI.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType

from wizard.flow.conditions import Answer, evaluate
from wizard.flow.model import Check, Field, Flow, Step, condition_fields

_MISSING = object()


class TrackedAnswers(dict[str, Answer]):
    """A dict of answers that remembers which ids were changed (set, replaced or removed).

    Readers keep a position in :attr:`log` and read what changed since. A list answer changed
    in place (``answers[k].append(...)``) is not seen: replace the value instead.
    """

    def __init__(self, *args: object, **kwargs: Answer) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[str] = []
        self.start = 0  # the place of ``log[0]`` in the whole history (the log is cut now and then)

    @property
    def end(self) -> int:
        """The place after the last change, in the whole history."""
        return self.start + len(self.log)

    def cut(self) -> None:
        """Forget the log; a reader behind it reads everything again."""
        self.start += len(self.log)
        del self.log[:]

    def __setitem__(self, key: str, value: Answer) -> None:
        super().__setitem__(key, value)
        self.log.append(key)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.log.append(key)

    def pop(self, key: str, *default: object) -> object:  # type: ignore[override]
        had = key in self
        out = super().pop(key, *default)
        if had:
            self.log.append(key)
        return out

    def popitem(self) -> tuple[str, Answer]:
        key, value = super().popitem()
        self.log.append(key)
        return key, value

    def setdefault(self, key: str, default: Answer) -> Answer:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: object, **kwargs: Answer) -> None:
        changes = dict(*args, **kwargs)
        super().update(changes)
        self.log.extend(changes)

    def __ior__(self, other: object) -> TrackedAnswers:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        self.log.extend(self)
        super().clear()

    def __reduce__(self) -> tuple[object, ...]:  # copies and pickles are plain answers with an empty log
        return (TrackedAnswers, (dict(self),))


class Overlay(Mapping[str, Answer]):
    """TrackedAnswers with what is on a page in place of them (``None``: that field is empty on the page),
    without copying the answers."""

    __slots__ = ("base", "pending")

    def __init__(self, base: Mapping[str, Answer], pending: Mapping[str, Answer | None]) -> None:
        self.base = base
        self.pending = pending

    def __getitem__(self, key: str) -> Answer:
        if key in self.pending:
            value = self.pending[key]
            if value is None:
                raise KeyError(key)
            return value
        return self.base[key]

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        value = self.pending.get(key, _MISSING)
        if value is _MISSING:
            return self.base.get(key, default)
        return default if value is None else value

    def __contains__(self, key: object) -> bool:
        if key in self.pending:
            return self.pending[key] is not None  # type: ignore[index]
        return key in self.base

    def __iter__(self) -> Iterator[str]:
        for key in self.base:
            if key not in self.pending:
                yield key
        for key, value in self.pending.items():
            if value is not None:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


def walk(flow: Flow, answers: Mapping[str, Answer], today: date) -> dict[str, Answer]:
    """The effective answers by walking the whole flow: the rule :class:`Shown` keeps up to date."""
    eff: dict[str, Answer] = {}
    for step in flow.steps:
        if not evaluate(step.when, eff, today):
            continue
        for f in step.fields:
            if f.id in answers and _counts(f, answers[f.id], eff, today):
                eff[f.id] = answers[f.id]
    return eff


def _counts(f: Field, value: Answer, eff: Mapping[str, Answer], today: date) -> bool:
    """A given answer of a field on a step that applies counts: the field is shown, and a chosen
    single option is still offered."""
    if not evaluate(f.when, eff, today):
        return False
    if f.type.value == "select" and isinstance(value, str):
        opt = f.option(value)
        return opt is not None and evaluate(opt.when, eff, today)
    return True


class Shown:
    """The effective answers, the steps that apply and the checks that hold, for one answers dict.

    Call :meth:`refresh` before reading: it applies what changed in the answers since.
    """

    def __init__(self, flow: Flow, answers: TrackedAnswers, today: date) -> None:
        self.flow = flow
        self.answers = answers
        self.today = today
        self._read = answers.end
        steps = flow.steps
        # units in flow order: each step, then its fields
        self._unit_step: list[int] = []  # unit -> step index
        self._unit_field: list[Field | None] = []  # unit -> field (None: the step itself)
        self._field_unit: dict[str, int] = {}
        self.ordered = True  # every condition reads only answers given before it
        for i, step in enumerate(steps):
            self._unit_step.append(i)
            self._unit_field.append(None)
            for f in step.fields:
                if f.id in self._field_unit:
                    self.ordered = False  # a duplicate id (a lint error): walked in full
                self._field_unit.setdefault(f.id, len(self._unit_step))
                self._unit_step.append(i)
                self._unit_field.append(f)
        # who reads each field: units and checks
        self._readers: dict[str, list[int]] = {}
        self._check_readers: dict[str, list[int]] = {}
        for unit, reader in enumerate(self._unit_field):
            if reader is None:
                names: Iterable[str] = condition_fields(steps[self._unit_step[unit]].when)
            else:
                names = [*condition_fields(reader.when), *(n for o in reader.options for n in condition_fields(o.when))]
            for name in dict.fromkeys(names):
                at = self._field_unit.get(name)
                if at is None:
                    continue  # not a field of the flow: never an effective answer
                if at >= unit:
                    self.ordered = False
                self._readers.setdefault(name, []).append(unit)
        for c, check in enumerate(flow.checks):
            for name in dict.fromkeys(condition_fields(check.when)):
                self._check_readers.setdefault(name, []).append(c)
        self._steps: list[Step] | None = None  # the steps that apply, listed when asked
        self._tree = _Counts(0)
        self._rebuild()

    # --- reading ------------------------------------------------------------------------

    @property
    def effective(self) -> Mapping[str, Answer]:
        return self._view

    def visible_steps(self) -> list[Step]:
        """The steps that apply, in flow order (listed again only after one came or went)."""
        steps = self._steps
        if steps is None:
            steps = self._steps = [s for s, shown in zip(self.flow.steps, self._visible, strict=True) if shown]
        return steps

    def count(self) -> int:
        """How many steps apply."""
        return self._tree.total

    def position(self, step_id: str) -> int | None:
        """0-based place of a step among those that apply (None: it does not apply)."""
        index = self.flow.step_index(step_id)
        if index < 0 or not self._visible[index]:
            return None
        return self._tree.prefix(index) - 1

    def step_applies(self, index: int) -> bool:
        return self._visible[index]

    def holding_checks(self) -> list[Check]:
        """The checks whose condition holds, in flow order."""
        checks = self.flow.checks
        return [checks[c] for c in sorted(self._holding)]

    # --- updating -----------------------------------------------------------------------

    def refresh(self) -> None:
        answers = self.answers
        if self._read == answers.end:
            return
        behind = self._read < answers.start
        changed = answers.log[self._read - answers.start :]
        self._read = answers.end
        if len(answers.log) > 4 * max(len(answers), 64):  # a long session keeps a short log
            answers.cut()
        if behind or not self.ordered:
            self._rebuild()
            return
        units = {self._field_unit[k] for k in changed if k in self._field_unit}
        self._propagate(units)

    def _rebuild(self) -> None:
        self._eff = walk(self.flow, self.answers, self.today)
        self._view = MappingProxyType(self._eff)
        eff, today = self._eff, self.today
        self._visible = [evaluate(s.when, eff, today) for s in self.flow.steps]
        self._tree = _Counts(len(self._visible))
        for i, shown in enumerate(self._visible):
            if shown:
                self._tree.add(i, 1)
        self._holding = {c for c, check in enumerate(self.flow.checks) if evaluate(check.when, eff, today)}
        self._steps = None

    def _propagate(self, units: set[int]) -> None:
        heap = sorted(units)
        queued = set(units)
        eff, today, steps = self._eff, self.today, self.flow.steps
        changed_fields: list[str] = []
        while heap:
            unit = heapq.heappop(heap)
            queued.discard(unit)
            index = self._unit_step[unit]
            f = self._unit_field[unit]
            if f is None:
                shown = evaluate(steps[index].when, eff, today)
                if shown == self._visible[index]:
                    continue
                self._visible[index] = shown
                self._tree.add(index, 1 if shown else -1)
                self._steps = None
                todo: Iterable[int] = (self._field_unit[g.id] for g in steps[index].fields)
            else:
                if self._field_unit[f.id] != unit:
                    continue  # a second field of the same id: the first one decides (as the walk does)
                value = self.answers.get(f.id, _MISSING)
                counts = (
                    value is not _MISSING and self._visible[index] and _counts(f, value, eff, today)  # type: ignore[arg-type]
                )
                before = eff.get(f.id, _MISSING)
                if counts:
                    if before is value or (before is not _MISSING and before == value and type(before) is type(value)):
                        continue
                    eff[f.id] = value  # type: ignore[assignment]
                else:
                    if before is _MISSING:
                        continue
                    del eff[f.id]
                changed_fields.append(f.id)
                todo = self._readers.get(f.id, ())
            for nxt in todo:
                if nxt not in queued:
                    queued.add(nxt)
                    heapq.heappush(heap, nxt)
        checks = self.flow.checks
        for c in {c for name in changed_fields for c in self._check_readers.get(name, ())}:
            if evaluate(checks[c].when, eff, today):
                self._holding.add(c)
            else:
                self._holding.discard(c)


class _Counts:
    """How many steps apply before each place, updated one step at a time (a Fenwick tree):
    a step's number ("第 n / N 步") without counting the flow again after every answer."""

    __slots__ = ("total", "tree")

    def __init__(self, size: int) -> None:
        self.tree = [0] * (size + 1)
        self.total = 0

    def add(self, index: int, delta: int) -> None:
        self.total += delta
        i = index + 1
        while i < len(self.tree):
            self.tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """The sum over places ``0..index``."""
        out, i = 0, index + 1
        while i > 0:
            out += self.tree[i]
            i -= i & -i
        return out

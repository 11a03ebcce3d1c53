"""Is a flow's ``pattern:`` safe to run on any answer? A conservative, static check.

Python's ``re`` is a backtracking engine: a pattern such as ``(a+)+`` or
``(a|aa)+`` takes exponential time on a string that almost matches, and
``.*x.*`` takes quadratic time. Answers are at most
:data:`~wizard.flow.model.TEXT_HARD_CAP` characters, so the wizard refuses, when
the flow is read, every pattern whose worst case it cannot bound. Nothing is
timed: the argument is by construction.

The check reads the parse tree CPython itself compiles (``re._parser``, called
``sre_parse`` before Python 3.11). That module is private but has kept its tree
shape since Python 3.5; a change would make :func:`check_pattern` refuse (any
node it does not know is refused), never accept more.

Rules (each refusal names its rule):

1. *Repeated groups must be deterministic.* The body of a quantifier that is not
   a single character (``(…)*``, ``(?:…){2,}``) may not contain a quantifier
   (``((a+))+``, ``(.*a){20}``, ``(a?b)+``), may not match the empty string
   (``(a*)*``, ``(\\b)+``), may not contain an alternation whose branches can
   start with the same character or can be empty (``(a|a)*``, ``(a|ab)+``,
   ``(\\w|\\d)+``), nor a lookaround, back-reference or conditional group.
   With these, the body matches in at most one way from any position, so
   ``body{m,n}`` has at most one path per repetition count, like ``[ab]{m,n}``.
   Exponential backtracking needs a repeated sub-pattern that can match the
   same text in two ways, so it cannot happen.
2. *Back-references and conditional groups are refused anywhere* (matching
   them is NP-hard in general).
3. *A polynomial budget.* What is left is a sequence of atoms, each repeated a
   bounded or open number of times. Folding from the right, a variable
   repetition of ``r`` choices multiplies the work of what follows by ``r`` —
   unless it is *pinned*: followed (after only single characters) by a
   mandatory character it cannot match, as in ``[^@]+@`` or ``\\d+\\.``; then
   only the few last choices get past that character and it adds ``r``
   instead. Open repetitions count as ``TEXT_HARD_CAP`` choices. A pattern whose
   bound exceeds :data:`WORK_BUDGET` (``.*x.*``, ``\\d*\\d*``, ten ``\\d{0,15}``
   in a row) is refused.

Character sets are over-approximated (``\\d``, ``\\w``, ``\\s`` are taken to
include every non-ASCII character; with ``(?i)`` every letter is taken to
match every letter), which can only refuse more.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from wizard.flow.model import TEXT_HARD_CAP
from wizard.flow.record import record

if sys.version_info >= (3, 11):
    import re._constants as _c
    import re._parser as _parser
else:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _parser

#: The most backtracking steps a pattern may need, by the bound of rule 3, on an
#: answer of TEXT_HARD_CAP characters (CPython's matcher does tens of millions a second).
WORK_BUDGET = 2_000_000

_TOP = 0x10FFFF
_Intervals = tuple[tuple[int, int], ...]
_ALL: _Intervals = ((0, _TOP),)
_NON_ASCII: _Intervals = ((0x80, _TOP),)
_ASCII_LETTERS: _Intervals = ((0x41, 0x5A), (0x61, 0x7A))


@record
class Refusal:
    """Why a pattern is refused: an English sentence for the linter, and a hint."""

    message: str
    hint: str = ""


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


NESTED = Refusal(
    "pattern repeats a group that itself repeats (like (a+)+): it can hang on long input",
    "write the inner repetition out, or repeat single characters only, e.g. [0-9a-z]+",
)
EMPTY = Refusal(
    "pattern repeats a group that can match nothing (like (a*)*): it can hang on long input",
    "make every repeated group match at least one character",
)
OVERLAP = Refusal(
    "pattern repeats alternatives that can start with the same character (like (a|ab)+ or (\\w|\\d)+): "
    "it can hang on long input",
    "use one character class, e.g. [\\w]+, or alternatives that start differently",
)
LOOKAROUND = Refusal(
    "pattern repeats a group with a lookaround or an atomic group inside: it can hang on long input",
    "move the lookaround out of the repeated group",
)
BACKREF = Refusal(
    "pattern uses a back-reference or a conditional group (\\1, (?P=name), (?(1)…)): it can hang on long input",
    "",
)
SLOW = Refusal(
    "pattern has repetitions that can take the same characters (like .*x.* or \\d*\\d*): "
    "it can be very slow on long input",
    "put a character the first repetition cannot match after it, e.g. [^@]+@ or \\d+-",
)
UNKNOWN = Refusal("pattern uses a construct the safety check does not know: it is refused to be safe", "")


def check_pattern(pattern: str) -> Refusal | None:
    """``None`` if ``pattern`` (already known to compile) is safe to fullmatch, else why not."""
    try:
        parsed = _parser.parse(pattern)
        ci = bool(parsed.state.flags & _c.SRE_FLAG_IGNORECASE) or _any_ignorecase(parsed)
        _Analysis(ci).top(list(parsed.data))
    except _Refused as exc:
        return exc.refusal
    except (RecursionError, _c.error, ValueError, OverflowError):
        return UNKNOWN
    return None


def pattern_work(pattern: str) -> int:
    """The bound of rule 3 for a pattern that passes rules 1 and 2 (for tests and docs)."""
    parsed = _parser.parse(pattern)
    ci = bool(parsed.state.flags & _c.SRE_FLAG_IGNORECASE) or _any_ignorecase(parsed)
    a = _Analysis(ci, budget=None)
    return a.work(a.flatten(list(parsed.data)))


# --- interval sets of code points -------------------------------------------------


def _norm(parts: Sequence[tuple[int, int]]) -> _Intervals:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(parts):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _union(*sets: _Intervals) -> _Intervals:
    return _norm([p for s in sets for p in s])


def _complement(s: _Intervals) -> _Intervals:
    out: list[tuple[int, int]] = []
    nxt = 0
    for lo, hi in s:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= _TOP:
        out.append((nxt, _TOP))
    return tuple(out)


def _meets(a: _Intervals, b: _Intervals) -> bool:
    return any(alo <= bhi and blo <= ahi for alo, ahi in a for blo, bhi in b)


_DIGIT: _Intervals = ((0x30, 0x39),)
_SPACE: _Intervals = ((0x09, 0x0D), (0x20, 0x20))
_WORD: _Intervals = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))


def _category(cat: Any) -> tuple[_Intervals, _Intervals]:
    """(under, over) approximations of a ``\\d``-like category."""
    name = str(cat)
    ascii_part = {"DIGIT": _DIGIT, "SPACE": _SPACE, "WORD": _WORD}
    for key, part in ascii_part.items():
        if name == f"CATEGORY_{key}":
            return part, _union(part, _NON_ASCII)
        if name == f"CATEGORY_NOT_{key}":
            under = tuple((lo, hi) for lo, hi in _complement(part) if hi < 0x80)
            return under, _union(_complement(part))
    return (), _ALL


_SINGLE = frozenset(["LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"])
_REPEATS = frozenset(["MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"])


def _name(op: Any) -> str:
    return str(op)


def _any_ignorecase(items: Any) -> bool:
    for op, av in items:
        name = _name(op)
        if name == "SUBPATTERN":
            if av[1] & _c.SRE_FLAG_IGNORECASE or _any_ignorecase(av[3]):
                return True
        elif name in _REPEATS:
            if _any_ignorecase(av[2]):
                return True
        elif name == "BRANCH":
            if any(_any_ignorecase(b) for b in av[1]):
                return True
        elif name in ("ASSERT", "ASSERT_NOT"):
            if _any_ignorecase(av[1]):
                return True
        elif name == "ATOMIC_GROUP":
            if _any_ignorecase(av):
                return True
    return False


class _Analysis:
    def __init__(self, ignorecase: bool, budget: int | None = WORK_BUDGET) -> None:
        self.ci = ignorecase
        self.budget = budget

    # character sets -----------------------------------------------------------

    def chars(self, op: str, av: Any) -> _Intervals:
        """Over-approximation of the characters a single-character item can match."""
        if op == "LITERAL":
            s: _Intervals = ((av, av),)
        elif op == "NOT_LITERAL":
            s = _complement(((av, av),)) if not self.ci else _ALL
        elif op == "ANY":
            s = _ALL
        elif op == "CATEGORY":
            s = _category(av)[1]
        elif op == "IN":
            s = self.in_set(av)
        else:  # pragma: no cover - guarded by callers
            raise _Refused(UNKNOWN)
        return self.fold_case(s)

    def in_set(self, items: Any) -> _Intervals:
        negate = bool(items) and _name(items[0][0]) == "NEGATE"
        parts: list[_Intervals] = []
        for op, av in items[1:] if negate else items:
            name = _name(op)
            if name == "LITERAL":
                parts.append(((av, av),))
            elif name == "RANGE":
                parts.append(((av[0], av[1]),))
            elif name == "CATEGORY":
                under, over = _category(av)
                parts.append(under if negate else over)
            else:
                raise _Refused(UNKNOWN)
        s = _union(*parts)
        if negate:
            # the complement of an under-approximation over-approximates; case folding
            # can only shrink a negated class's complement, so with (?i) take everything
            return _ALL if self.ci else _complement(s)
        return s

    def fold_case(self, s: _Intervals) -> _Intervals:
        if self.ci and _meets(s, _union(_ASCII_LETTERS, _NON_ASCII)):
            return _union(s, _ASCII_LETTERS, _NON_ASCII)
        return s

    # rule 1 and 2: structure ----------------------------------------------------

    def top(self, items: list[Any]) -> None:
        self.walk(items)
        if self.budget is not None and self.work(self.flatten(items)) > self.budget:
            raise _Refused(SLOW)

    def walk(self, items: Any) -> None:
        """Check every repeated body, and refuse back-references anywhere."""
        for op, av in items:
            name = _name(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE"):
                raise _Refused(BACKREF)
            if name in _REPEATS:
                body = list(av[2])
                # at most once, (…)? is only the choice (…|): rule 3 counts it
                self.walk(body)
                if av[1] > 1 and not (len(body) == 1 and _name(body[0][0]) in _SINGLE):
                    self.deterministic(body, top=True)
            elif name == "SUBPATTERN":
                self.walk(av[3])
            elif name == "BRANCH":
                for b in av[1]:
                    self.walk(b)
            elif name in ("ASSERT", "ASSERT_NOT"):
                self.walk(av[1])
            elif name == "ATOMIC_GROUP":
                self.walk(av)
            elif name not in _SINGLE and name != "AT":
                raise _Refused(UNKNOWN)

    def deterministic(self, items: Any, *, top: bool = False) -> None:
        """Rule 1: a repeated body has no quantifier, cannot be empty, and chooses by its next character."""
        if top and self.nullable(items):
            raise _Refused(EMPTY)
        for op, av in items:
            name = _name(op)
            if name in _REPEATS:
                raise _Refused(NESTED)
            if name == "SUBPATTERN":
                self.deterministic(av[3])
            elif name == "BRANCH":
                branches = av[1]
                if any(self.nullable(b) for b in branches):
                    raise _Refused(OVERLAP)
                firsts = [self.first(b) for b in branches]
                for i, a in enumerate(firsts):
                    if any(_meets(a, b) for b in firsts[i + 1 :]):
                        raise _Refused(OVERLAP)
                for b in branches:
                    self.deterministic(b)
            elif name == "IN":
                # a class written as overlapping alternatives, (\w|\d), is merged into one
                # class by CPython; other engines reading the flow may not merge it
                parts = [self.fold_case(self.in_set([item])) for item in av if _name(item[0]) != "NEGATE"]
                for i, a in enumerate(parts):
                    if any(_meets(a, b) for b in parts[i + 1 :]):
                        raise _Refused(OVERLAP)
            elif name in ("ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
                raise _Refused(LOOKAROUND)
            elif name not in _SINGLE and name != "AT":
                raise _Refused(UNKNOWN)

    def nullable(self, items: Any) -> bool:
        for op, av in items:
            name = _name(op)
            if name in _SINGLE:
                return False
            if name == "SUBPATTERN":
                if not self.nullable(av[3]):
                    return False
            elif name == "BRANCH":
                if not any(self.nullable(b) for b in av[1]):
                    return False
            elif name in _REPEATS:
                if av[0] > 0 and not self.nullable(av[2]):
                    return False
            elif name == "ATOMIC_GROUP":
                if not self.nullable(av):
                    return False
            # AT and lookarounds consume nothing
        return True

    def first(self, items: Any) -> _Intervals:
        """Over-approximation of the characters a non-nullable, quantifier-free sequence starts with."""
        for op, av in items:
            name = _name(op)
            if name in _SINGLE:
                return self.chars(name, av)
            if name == "SUBPATTERN":
                if not self.nullable(av[3]):
                    return self.first(av[3])
            elif name == "BRANCH":
                return _union(*(self.first(b) for b in av[1]))
            elif name == "AT":
                continue
            else:
                return _ALL
        return _ALL

    def charset(self, items: Any) -> _Intervals:
        """Over-approximation of every character a sequence can consume."""
        parts: list[_Intervals] = []
        for op, av in items:
            name = _name(op)
            if name in _SINGLE:
                parts.append(self.chars(name, av))
            elif name == "SUBPATTERN":
                parts.append(self.charset(av[3]))
            elif name == "BRANCH":
                parts.extend(self.charset(b) for b in av[1])
            elif name in _REPEATS:
                parts.append(self.charset(av[2]))
            elif name == "ATOMIC_GROUP":
                parts.append(self.charset(av))
        return _union(*parts)

    # rule 3: the polynomial bound ---------------------------------------------------

    def flatten(self, items: Any) -> list[tuple[str, Any]]:
        """Inline plain groups (a group without a quantifier is only concatenation)."""
        out: list[tuple[str, Any]] = []
        for op, av in items:
            name = _name(op)
            if name == "SUBPATTERN":
                out.extend(self.flatten(av[3]))
            elif name == "ATOMIC_GROUP":
                out.extend(self.flatten(av))
            else:
                out.append((name, av))
        return out

    def work(self, seq: list[tuple[str, Any]]) -> int:
        """Bound on the backtracking steps of ``seq`` from one start position (rule 3)."""
        w = 1
        for i in range(len(seq) - 1, -1, -1):
            name, av = seq[i]
            if name in _SINGLE or name == "AT":
                w += 1
            elif name in _REPEATS:
                lo, hi, body = av
                if hi <= 1 and not (len(body) == 1 and _name(body[0][0]) in _SINGLE):
                    w = (self.work(self.flatten(body)) + 1) * w  # (…)? is the branch (…|)
                else:
                    hi = min(hi, TEXT_HARD_CAP)  # MAXREPEAT is larger than the cap
                    choices = max(hi - lo + 1, 1)
                    scan = hi * max(self.width(list(body)), 1)
                    past = (self.pinned(self.charset(body), seq[i + 1 :]) or choices) if choices > 1 else 1
                    w = scan + past * w
            elif name == "BRANCH":
                w = sum(self.work(self.flatten(b)) for b in av[1]) * w
            elif name in ("ASSERT", "ASSERT_NOT"):
                w += self.work(self.flatten(av[1]))
            else:
                raise _Refused(UNKNOWN)
            if self.budget is not None and w > self.budget:
                raise _Refused(SLOW)
        return w

    def pinned(self, taken: _Intervals, rest: list[tuple[str, Any]]) -> int:
        """How many of a repetition's choices can get past what follows, if that is few, else 0.

        A repetition taking only ``taken`` ends at or before the first character
        outside ``taken``; if, after ``k`` single characters, a mandatory character
        must be outside ``taken``, only the last ``k + 1`` choices can reach it.
        """
        k = 0
        for name, av in rest:
            if name == "AT":
                continue
            if name in _SINGLE:
                if not _meets(self.chars(name, av), taken):
                    return k + 1
                k += 1
                continue
            if name in _REPEATS and av[0] >= 1 and len(av[2]) == 1 and _name(av[2][0][0]) in _SINGLE:
                first_op, first_av = av[2][0]
                return 0 if _meets(self.chars(_name(first_op), first_av), taken) else k + 1
            return 0
        return 0

    def width(self, items: list[Any]) -> int:
        """Longest match of a quantifier-free body (rule 1 guarantees there is no quantifier)."""
        total = 0
        for op, av in items:
            name = _name(op)
            if name in _SINGLE:
                total += 1
            elif name == "SUBPATTERN":
                total += self.width(list(av[3]))
            elif name == "BRANCH":
                total += max(self.width(list(b)) for b in av[1])
        return total

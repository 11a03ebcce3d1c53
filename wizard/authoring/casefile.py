"""Path test files: the YAML cases that pin down what a flow does, read with their positions.

A test file sits next to a flow (``flows/tests/12315-complaint.yaml`` for
``flows/12315-complaint.yaml``)::

    flow: ../12315-complaint.yaml     # optional; default: same name one folder up
    today: 2026-11-25                 # the date the cases are run "on"
    cases:
      - name: 网购衣服七天无理由退货
        answers: {channel: 网购, platform: 淘宝}
        answers_file: ../examples/12315-complaint/online-clothing.yaml   # optional
        expect:
          steps: [open_platform, click_complaint]
          checks: []
          checklist_contains: ["七日无理由", "{order_number}"]
          checklist_excludes: ["退一赔十"]
          compose_within_limit: true

It is read with the hardened reader (:mod:`wizard.flow.yamlsafe`); every
problem comes back as a :class:`~wizard.errors.Diagnostic` with its line and
column. What the expectations mean is decided by :mod:`wizard.authoring.pathtest`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wizard.errors import Diagnostic, Location, Severity, did_you_mean
from wizard.flow import yamlsafe
from wizard.flow.loader import read_bytes
from wizard.flow.yamlsafe import Map, Scalar, Seq, YamlNode

TOP_KEYS = ("flow", "today", "cases")
CASE_KEYS = ("name", "today", "answers", "answers_file", "expect")
EXPECT_KEYS = ("steps", "checks", "checklist_contains", "checklist_excludes", "compose_within_limit")


@dataclass(frozen=True)
class Fragment:
    """A piece of text expected in (or absent from) the checklist, where it was written."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class Expect:
    steps: tuple[str, ...] | None = None
    checks: tuple[str, ...] | None = None
    contains: tuple[Fragment, ...] = ()
    excludes: tuple[Fragment, ...] = ()
    within_limit: bool | None = None

    @property
    def about_checklist(self) -> bool:
        return bool(self.contains or self.excludes) or self.within_limit is not None


@dataclass(frozen=True)
class Case:
    name: str
    line: int
    col: int
    today: date
    expect: Expect
    answers: tuple[tuple[Scalar, YamlNode], ...] = ()
    answers_file: str | None = None  # path as shown (joined to the test file's folder)


@dataclass(frozen=True)
class CaseFile:
    path: str
    flow: str | None  # the flow named by ``flow:``, joined to the test file's folder
    cases: tuple[Case, ...] = field(default_factory=tuple)


def default_flow_for(test_path: str | Path) -> Path:
    """The flow a test file belongs to when it names none: the same file name one folder up."""
    p = Path(test_path)
    return p.parent.parent / p.name


def default_tests_for(flow_path: str | Path) -> Path:
    """Where the path tests of a flow live: ``tests/<flow file name>`` next to it."""
    p = Path(flow_path)
    return p.parent / "tests" / p.name


def _kind(node: YamlNode) -> str:
    if isinstance(node, Scalar):
        return "a single value"
    if isinstance(node, Seq):
        return "a list"
    return "a mapping (key: value)"


def _joined(base: str, value: str) -> str:
    """A path written in a test file, relative to that file's folder, as it is shown in messages."""
    if os.path.isabs(value):
        return os.path.normpath(value)
    return os.path.normpath(os.path.join(os.path.dirname(base) or ".", value))


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def error(self, node: YamlNode | None, message: str, where: str = "", hint: str = "") -> None:
        line, col = (node.line, node.col) if node is not None else (0, 0)
        self.diagnostics.append(Diagnostic(Severity.ERROR, Location(self.path, line, col), message, where, hint))

    def mapping(self, node: YamlNode, where: str, allowed: tuple[str, ...]) -> Map | None:
        if not isinstance(node, Map):
            self.error(node, f"expected a mapping (key: value), found {_kind(node)}", where)
            return None
        for key, _ in node.items:
            if key.value not in allowed:
                hint = did_you_mean(key.value, allowed) or f"allowed keys: {', '.join(allowed)}"
                self.error(key, f"unknown key '{key.value}'", where, hint)
        return node

    def text(self, node: YamlNode | None, where: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar) or not node.value.strip():
            shown = "an empty value" if isinstance(node, Scalar) else _kind(node)
            self.error(node, f"expected text, found {shown}", where)
            return None
        return node.value

    def day(self, node: YamlNode | None, where: str) -> date | None:
        value = self.text(node, where)
        if value is None:
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.error(node, f"expected a date written YYYY-MM-DD, found '{value}'", where)
            return None

    def boolean(self, node: YamlNode, where: str) -> bool | None:
        if isinstance(node, Scalar) and node.plain and node.value.lower() in ("true", "false"):
            return node.value.lower() == "true"
        shown = node.value if isinstance(node, Scalar) else _kind(node)
        self.error(node, f"expected true or false, found '{shown}'", where)
        return None

    def words(self, node: YamlNode, where: str) -> tuple[Scalar, ...] | None:
        """A list of single values; one value on its own counts as a list of one."""
        if isinstance(node, Scalar):
            if node.plain and node.value in ("", "~", "null"):
                self.error(node, "expected a list; write [] for an empty list", where)
                return None
            return (node,)
        if isinstance(node, Map):
            self.error(node, f"expected a list, found {_kind(node)}", where)
            return None
        out: list[Scalar] = []
        ok = True
        for i, item in enumerate(node.items):
            if isinstance(item, Scalar) and item.value.strip():
                out.append(item)
            else:
                shown = "an empty value" if isinstance(item, Scalar) else _kind(item)
                self.error(item, f"expected a single value, found {shown}", f"{where}[{i}]")
                ok = False
        return tuple(out) if ok else None

    def expect(self, node: YamlNode, where: str) -> Expect | None:
        m = self.mapping(node, where, EXPECT_KEYS)
        if m is None:
            return None
        if not m.items:
            self.error(m, "'expect' is empty: say what should happen (steps, checks, checklist_contains …)", where)
            return None
        ok = True
        values: dict[str, tuple[Scalar, ...]] = {}
        for key in ("steps", "checks", "checklist_contains", "checklist_excludes"):
            child = m.get(key)
            if child is None:
                continue
            got = self.words(child, f"{where}.{key}")
            if got is None:
                ok = False
            else:
                values[key] = got
        within: bool | None = None
        limit_node = m.get("compose_within_limit")
        if limit_node is not None:
            within = self.boolean(limit_node, f"{where}.compose_within_limit")
            ok = ok and within is not None
        if not ok:
            return None

        def ids(key: str) -> tuple[str, ...] | None:
            return tuple(s.value.strip() for s in values[key]) if key in values else None

        def fragments(key: str) -> tuple[Fragment, ...]:
            return tuple(Fragment(s.value, s.line, s.col) for s in values.get(key, ()))

        return Expect(
            steps=ids("steps"),
            checks=ids("checks"),
            contains=fragments("checklist_contains"),
            excludes=fragments("checklist_excludes"),
            within_limit=within,
        )

    def case(self, node: YamlNode, where: str, today: date | None) -> Case | None:
        m = self.mapping(node, where, CASE_KEYS)
        if m is None:
            return None
        name_node = m.get("name")
        if name_node is None:
            self.error(m, "missing required key 'name' (a short description of the case)", where)
        name = self.text(name_node, f"{where}.name")
        case_today = self.day(m.get("today"), f"{where}.today") if m.get("today") is not None else today
        if case_today is None and m.get("today") is None:
            self.error(
                m,
                "no 'today' date: write 'today: YYYY-MM-DD' at the top of the file (or in the case) "
                "so that the case gives the same result on every day",
                where,
            )
        answers: tuple[tuple[Scalar, YamlNode], ...] = ()
        answers_node = m.get("answers")
        if answers_node is not None:
            if isinstance(answers_node, Map):
                answers = tuple(answers_node.items)
            else:
                self.error(answers_node, f"expected a mapping of field id → answer, found {_kind(answers_node)}", where)
                return None
        answers_file: str | None = None
        file_node = m.get("answers_file")
        if file_node is not None:
            value = self.text(file_node, f"{where}.answers_file")
            if value is None:
                return None
            answers_file = _joined(self.path, value.strip())
        expect_node = m.get("expect")
        if expect_node is None:
            self.error(m, "missing required key 'expect': a case must say what should happen", where)
            return None
        expect = self.expect(expect_node, f"{where}.expect")
        if name is None or case_today is None or expect is None:
            return None
        return Case(name, m.line, m.col, case_today, expect, answers, answers_file)

    def file(self, root: YamlNode) -> CaseFile | None:
        m = self.mapping(root, "", TOP_KEYS)
        if m is None:
            return None
        flow_node = m.get("flow")
        flow = self.text(flow_node, "flow") if flow_node is not None else None
        today = self.day(m.get("today"), "today") if m.get("today") is not None else None
        cases_node = m.get("cases")
        if cases_node is None:
            self.error(m, "missing required key 'cases' (the list of test cases)")
            return None
        if not isinstance(cases_node, Seq):
            self.error(cases_node, f"expected a list of cases, found {_kind(cases_node)}", "cases")
            return None
        if not cases_node.items:
            self.error(cases_node, "'cases' is empty: add at least one case", "cases")
        cases: list[Case] = []
        names: dict[str, int] = {}
        for i, item in enumerate(cases_node.items):
            case = self.case(item, f"cases[{i}]", today)
            if case is None:
                continue
            if case.name in names:
                self.error(item, f"two cases are named '{case.name}' (the first at line {names[case.name]})")
                continue
            names[case.name] = case.line
            cases.append(case)
        return CaseFile(self.path, _joined(self.path, flow.strip()) if flow else None, tuple(cases))


def parse_case_file(data: bytes, path: str) -> tuple[CaseFile | None, list[Diagnostic]]:
    """Read a test file; the cases, or None and every problem found."""
    tree, problems = yamlsafe.read(data, path)
    if tree is None or problems:
        return None, problems
    reader = _Reader(path)
    found = reader.file(tree)
    diagnostics = sorted(reader.diagnostics, key=lambda d: (d.location.line, d.location.col))
    if diagnostics:
        return None, diagnostics
    return found, []


def read_case_file(path: str | Path) -> tuple[CaseFile | None, list[Diagnostic]]:
    data, problems = read_bytes(path)
    if data is None:
        return None, problems
    return parse_case_file(data, str(path))


def looks_like_case_file(data: bytes, path: str) -> bool:
    """True when a YAML file is a test file (it has ``cases:`` and no ``steps:``) rather than a flow."""
    tree, _ = yamlsafe.read(data, path)
    return isinstance(tree, Map) and tree.get("cases") is not None and tree.get("steps") is None

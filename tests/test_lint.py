"""Semantic checks: ids, references, types, options, patterns, links, reachability."""

from __future__ import annotations

import textwrap

import pytest

from wizard.errors import Diagnostic
from wizard.flow.lint import Broken, lint
from wizard.flow.loader import parse_flow

HEAD = 'id: t\ntitle: 测试\nversion: "1"\nreviewed: 2025-01-01\n'


def check(body: str) -> list[Diagnostic]:
    """Diagnostics of a flow made of HEAD plus ``body`` (dedented)."""
    _, diagnostics = parse_flow((HEAD + textwrap.dedent(body)).encode(), "f.yaml")
    return diagnostics


def messages(body: str) -> list[str]:
    return [d.format() for d in check(body)]


def only(body: str) -> Diagnostic:
    found = check(body)
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


SELECT = """\
steps:
  - id: a
    title: A
    fields:
      - id: channel
        type: select
        label: 购买方式
        options: [网购, 实体店, 电视购物]
      - id: problems
        type: multiselect
        label: 问题
        options: [虚假宣传, 质量问题]
      - id: amount
        type: money
        label: 金额
      - id: bought
        type: date
        label: 日期
      - id: agree
        type: confirm
        label: 同意
"""


def test_a_clean_flow_has_no_diagnostics() -> None:
    assert messages(SELECT + "  - id: b\n    title: B {channel}\n    when: channel == 网购\n") == []


# --- ids -------------------------------------------------------------------------------


def test_duplicate_ids_point_at_the_second_and_name_the_first() -> None:
    d = only(
        """\
        steps:
          - id: a
            title: A
            fields:
              - id: x
                type: text
                label: X
          - id: b
            title: B
            fields:
              - id: x
                type: text
                label: Y
        """
    )
    assert d.format() == "f.yaml:15:13: error: duplicate field id 'x' (first at line 9) (at steps[1].fields[0].id)"


def test_duplicate_check_ids_and_compose_clashing_with_a_field() -> None:
    found = messages(
        SELECT
        + textwrap.dedent(
            """\
        checks:
          - {id: k, level: warn, when: agree, message: m}
          - {id: k, level: warn, when: agree, message: n}
        compose:
          - id: amount
            label: L
            parts: [x]
        """
        )
    )
    assert any("duplicate check id 'k'" in m for m in found)
    assert any("compose id 'amount' is also a field id" in m for m in found)


# --- references ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("chanel == 网购", "unknown field 'chanel' (at steps[1].when); did you mean 'channel'?"),
        ("channel == 网贩", "'网贩' is not an option of 'channel' (at steps[1].when); did you mean '网购'?"),
        ("amount older_than 3 years", "'older_than' needs a date field, but 'amount' is a money field"),
        ("bought > 5", "'>' compares numbers, but 'bought' is a date field"),
        ("channel contains 网购", "'contains' needs a multiselect field, but 'channel' is a select field"),
        ("problems == 虚假宣传", "'problems' is a multiselect: use 'contains'"),
        ("problems contains 假货", "'假货' is not an option of 'problems'"),
        ("agree == yes", "'agree' is a confirm field: compare with true or false"),
        ("channel in [网购, 邮购]", "'邮购' is not an option of 'channel'"),
    ],
)
def test_condition_references_are_checked(when: str, expected: str) -> None:
    d = only(SELECT + f"  - id: b\n    title: B\n    when: {when}\n")
    assert d.location.line == 28 and d.location.col == 11
    assert expected in d.format()


def test_conditions_may_only_use_answers_asked_before() -> None:
    found = messages(
        """\
        steps:
          - id: a
            title: A
            when: later is set
            fields:
              - id: first
                type: text
                label: F
                when: second is set
              - id: second
                type: text
                label: S
          - id: b
            title: B
            fields:
              - id: later
                type: text
                label: L
        """
    )
    assert [m.split(": error: ")[0] for m in found] == ["f.yaml:8:11", "f.yaml:13:15"]
    assert all("is asked later" in m for m in found)


def test_templates_may_use_answers_from_anywhere_in_checklists_and_checks() -> None:
    body = SELECT + (
        "    checklist:\n      - 金额 {amount}，渠道 {channel}\n"
        "checks:\n  - id: k\n    level: warn\n    when: amount > 100\n    message: 金额 {amount}\n"
    )
    assert messages(body) == []


def test_template_reference_positions_in_a_block_body() -> None:
    d = only(SELECT + "  - id: b\n    title: B\n    body: |\n      第一行\n\n      您在 {chanel} 购买。\n")
    assert d.format() == "f.yaml:31:10: error: unknown field 'chanel' (at steps[1].body); did you mean 'channel'?"


def test_unknown_check_step_and_composed_text_inside_a_composed_text() -> None:
    found = messages(
        SELECT
        + "checks:\n  - id: k\n    level: stop\n    when: agree\n    message: m\n    step: aa\n"
        + "compose:\n  - id: t\n    label: T\n    parts: ['{t}']\n"
    )
    assert any("unknown step 'aa'" in m and "did you mean 'a'?" in m for m in found)
    assert any("'{t}' is a composed text; it cannot be used inside a composed text" in m for m in found)


# --- field rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("type: select\n        options: []", "a select field needs a non-empty 'options' list"),
        ("type: multiselect", "a multiselect field needs a non-empty 'options' list"),
        ("type: select\n        options: [a, b, a]", "duplicate option 'a' (first at 12:19)"),
        ("type: text\n        options: [a]", "'options' only applies to select and multiselect, not text"),
        ("type: date\n        max_length: 3", "'max_length' only applies to text and textarea, not date"),
        ("type: textarea\n        max_length: 20001", "max_length 20001 is above the limit of 20,000"),
        ("type: text\n        min: 3", "'min' only applies to money and number, not text"),
        ("type: number\n        min: 3\n        max: 1", "max (1) is less than min (3)"),
        ("type: money\n        min: -1", "a money field cannot have a negative min"),
        ("type: text\n        allow_future: true", "'allow_future' only applies to date, not text"),
        ("type: money\n        pattern: x", "'pattern' only applies to text and textarea, not money"),
        ("type: text\n        pattern: '[a-'", "pattern does not compile"),
        ("type: text\n        pattern: '(\\d+)*x'", "pattern repeats a group that itself repeats"),
        ("type: text\n        pattern: '" + "a" * 201 + "'", "pattern longer than 200 characters"),
    ],
)
def test_field_rules(field: str, expected: str) -> None:
    body = f"steps:\n  - id: a\n    title: A\n    fields:\n      - id: x\n        label: X\n        {field}\n"
    found = messages(body)
    assert any(expected in m for m in found), found
    assert all(": error: " in m for m in found)


def test_pattern_message_without_pattern_is_a_warning() -> None:
    d = only(
        "steps:\n  - id: a\n    title: A\n    fields:\n      - {id: x, type: text, label: X, pattern_message: m}\n"
    )
    assert not d.is_error and "never shown" in d.message


def test_at_least_one_step() -> None:
    d = only("steps: []\n")
    assert d.format() == "f.yaml:5:8: error: a flow needs at least one step (at steps)"


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "line", "col"),
    [
        ("    link: {url}\n", 8, 11),
        ("    body: 见 [链接]({url})\n", 8, 18),
        ("    body: 见 <{url}>\n", 8, 14),
        ("    body: 网址 {url}。\n", 8, 14),
        ("    tips:\n      - text: |\n          第一行\n          [链接]({url})\n", 11, 16),
        ("    warnings: ['[链接]({url})']\n", 8, 22),
        ("    checklist:\n      - text: 打开\n        link: {url}\n", 10, 15),
    ],
)
def test_links_must_be_https_and_official_domains_are_preferred(where: str, line: int, col: int) -> None:
    body = "steps:\n  - id: a\n    title: A\n" + where
    ok = check(body.format(url="https://www.12315.cn/"))
    assert ok == []
    warn = only(body.format(url="https://shop.example.com/a"))
    assert (warn.is_error, warn.location.line, warn.location.col) == (False, line, col)
    assert "not on an official domain" in warn.message
    bad = only(body.format(url="http://www.12315.cn/"))
    assert (bad.is_error, bad.location.line, bad.location.col) == (True, line, col)


def test_source_links_are_checked() -> None:
    found = messages("sources:\n  - title: 来源\n    url: http://x.example.com/\nsteps:\n  - id: a\n    title: A\n")
    assert found == [
        "f.yaml:7:10: error: link 'http://x.example.com/' is not allowed: 不是加密的 https 链接 (at sources[0].url)"
    ]


# --- reachability ----------------------------------------------------------------------


def test_a_step_whose_condition_contradicts_itself_can_never_be_shown() -> None:
    d = only(SELECT + "  - id: b\n    title: B\n    when: channel == 网购 and channel == 实体店\n")
    assert d.is_error and "step 'b' can never be shown" in d.message
    assert (d.location.line, d.location.col) == (28, 11)


def test_reachability_follows_the_conditions_of_the_fields_it_reads() -> None:
    body = SELECT.replace(
        "      - id: problems",
        "      - id: shop\n        type: text\n        label: 店\n        when: channel == 网购\n      - id: problems",
    )
    d = only(body + "  - id: b\n    title: B\n    when: channel == 实体店 and shop is set\n")
    assert "can never be shown" in d.message


@pytest.mark.parametrize(
    "when",
    [
        "amount > 100 and amount < 200",
        "amount >= 100 and amount <= 100",
        "bought older_than 2 years and bought within 3 years",
        "problems contains 虚假宣传 and problems contains 质量问题",
        "not agree and channel is empty",
        "not (channel == 网购 or channel == 实体店)",
        "channel != 网购 and channel != 实体店 and channel is set",
    ],
)
def test_conditions_that_can_hold_are_not_reported(when: str) -> None:
    assert messages(SELECT + f"  - id: b\n    title: B\n    when: {when}\n") == []


@pytest.mark.parametrize(
    "when",
    [
        "amount > 200 and amount < 100",
        "bought older_than 3 years and bought within 2 years",
        "agree and not agree",
        "channel in [网购] and channel not in [网购, 实体店]",
        "channel is empty and channel == 网购",
    ],
)
def test_required_field_hidden_on_every_path_is_an_error(when: str) -> None:
    body = (
        SELECT + f"      - id: x\n        type: text\n        label: X\n        required: true\n        when: {when}\n"
    )
    d = only(body)
    assert d.is_error and "required field 'x' is hidden on every path" in d.message
    optional = only(body.replace("        required: true\n", ""))
    assert not optional.is_error and "field 'x' is hidden on every path" in optional.message


def test_a_check_that_can_never_apply_is_a_warning() -> None:
    d = only(SELECT + "checks:\n  - id: k\n    level: stop\n    when: amount < 0 and amount > 0\n    message: m\n")
    assert not d.is_error and "check 'k' can never apply" in d.message


def test_options_with_conditions_are_respected() -> None:
    body = SELECT + (
        "      - id: platform\n        type: select\n        label: 平台\n        options:\n"
        "          - value: 淘宝\n            when: channel == 网购\n          - 其他\n"
        "  - id: b\n    title: B\n    when: channel == 实体店 and platform == 淘宝\n"
    )
    assert "can never be shown" in only(body).message


def test_lint_on_its_own_is_quiet_about_broken_parts() -> None:
    flow_text = SELECT + "  - id: b\n    title: B {ghost}\n    when: ghost == 1\n"
    _, diagnostics = parse_flow((HEAD + flow_text).encode(), "f.yaml")
    assert len(diagnostics) == 2
    from wizard.flow.loader import _Builder, _Ctx  # the builder, to get a flow despite the errors
    from wizard.flow.yamlsafe import read_document

    tree = read_document((HEAD + flow_text).encode(), "f.yaml").tree
    assert tree is not None
    flow = _Builder(_Ctx("f.yaml")).flow(tree, "f.yaml")
    assert flow is not None
    assert lint(flow, Broken(frozenset({"ghost"}))) == []
    assert len(lint(flow)) == 2


def test_a_check_after_an_explicit_step_may_only_read_answers_given_by_then() -> None:
    body = SELECT + "  - id: b\n    title: B\n    fields:\n      - {id: later, type: text, label: L}\n"
    body += "checks:\n  - id: k\n    level: warn\n    when: later is set\n    message: m\n"
    assert messages(body) == []  # without step: evaluated after the step of 'later'
    d = only(body + "    step: a\n")
    assert "'later' is asked later (in step 'b')" in d.message and d.location.line == 33


def test_checks_on_any_of_many_multiselect_options_are_not_called_unreachable() -> None:
    """Eight `contains` checks on one multiselect: each can fire, none is flagged as never applying."""
    from pathlib import Path

    path = Path(__file__).parent / "data" / "multiselect-eight-options.yaml"
    flow, diagnostics = parse_flow(path.read_bytes(), str(path))
    assert flow is not None
    assert [d.format() for d in diagnostics] == []


# --- date relations ----------------------------------------------------------------------

DATES = """\
steps:
  - id: a
    title: A
    fields:
      - {id: bought, type: date, label: 购买日期}
      - {id: got, type: date, label: 收货日期}
      - {id: found, type: date, label: 发现日期}
      - {id: amount, type: money, label: 金额}
      - {id: channel, type: select, label: 渠道, options: [网购, 实体店]}
  - id: b
    title: B
"""


@pytest.mark.parametrize(
    ("when", "col", "expected"),
    [
        ("amount before bought", 11, "'before' compares dates, but 'amount' is a money field"),
        ("bought on or after amount", 30, "'on or after' compares dates, but 'amount' is a money field"),
        ("got after channel + 6 months", 21, "'after' compares dates, but 'channel' is a select field"),
        ("got after bougth", 21, "unknown field 'bougth' (at steps[1].when); did you mean 'bought'?"),
        ("got after today + 6 weeks", 31, "condition: expected days, months or years"),
        ("got after bought - 6", 31, "condition: the condition ends too early"),
    ],
)
def test_date_relations_are_checked_where_each_date_is_written(when: str, col: int, expected: str) -> None:
    d = only(DATES + f"    when: {when}\n")
    assert d.is_error and expected in d.format()
    assert (d.location.line, d.location.col) == (16, col), d.format()


def test_a_date_relation_may_only_compare_with_a_date_asked_before() -> None:
    body = DATES.replace(
        "      - {id: got,", "      - {id: got2, type: date, label: X, when: bought after got}\n      - {id: got,"
    )
    d = only(body)
    assert "'got' is asked later" in d.message
    d = only(DATES + "    when: bought before later\n    fields:\n      - {id: later, type: date, label: L}\n")
    assert "'later' is asked later" in d.message and d.location.col == 25


@pytest.mark.parametrize(
    "when",
    [
        "got before bought",
        "got on bought",
        "bought on or before today - 7 days",
        "got after today",
        "found after got + 6 months and got on or after bought",
        "got before found - 6 months and not got before bought and bought on or after today - 1 year",
        "found on or before got + 6 months and got older_than 6 months",
    ],
)
def test_date_relations_that_can_hold_are_not_reported(when: str) -> None:
    assert messages(DATES + f"    when: {when}\n") == []
    required = DATES + f"    fields:\n      - {{id: x, type: text, label: X, required: true, when: {when}}}\n"
    assert messages(required) == []
    check = DATES + f"checks:\n  - {{id: k, level: warn, message: m, when: {when}}}\n"
    assert messages(check) == []


def test_a_check_reading_two_dates_runs_after_the_later_one() -> None:
    body = DATES + "    fields:\n      - {id: later, type: date, label: L}\n"
    body += "checks:\n  - {id: k, level: warn, message: m, when: bought after later}\n"
    flow, diagnostics = parse_flow((HEAD + body).encode(), "f.yaml")
    assert diagnostics == [] and flow is not None
    assert flow.checks[0].step == "b"


# --- reachability stays near-linear (issue 14, item 11): operation counts, not wall time ----------


def _chain(n: int) -> bytes:
    head = 'id: chain\ntitle: 链\nversion: "1"\nreviewed: 2025-01-01\nsteps:\n'
    steps = ["  - id: s0\n    title: S0\n    fields:\n      - {id: f0, type: select, label: F0, options: [是, 否]}\n"]
    for i in range(1, n):
        steps.append(
            f'  - id: s{i}\n    title: S{i}\n    when: f{i - 1} == "是"\n    fields:\n'
            f"      - {{id: f{i}, type: select, label: F{i}, options: [是, 否]}}\n"
        )
    return (head + "".join(steps)).encode()


def _evaluations(n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    from wizard.flow import lint as lint_module

    counts = {"evaluate": 0, "never": 0}
    real_evaluate, real_never = lint_module.evaluate, lint_module._Search.never

    def evaluate(*args: object, **kwargs: object) -> bool:
        counts["evaluate"] += 1
        return real_evaluate(*args, **kwargs)  # type: ignore[arg-type]

    def never(self: object, *args: object) -> bool | None:
        counts["never"] += 1
        return real_never(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(lint_module, "evaluate", evaluate)
    monkeypatch.setattr(lint_module._Search, "never", never)
    flow, diagnostics = parse_flow(_chain(n), "chain.yaml")
    assert flow is not None and diagnostics == [], [d.format() for d in diagnostics]
    return counts["evaluate"], counts["never"]


def test_a_long_chain_of_conditions_is_settled_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    small, small_searches = _evaluations(100, monkeypatch)
    large, large_searches = _evaluations(1000, monkeypatch)
    assert small_searches == large_searches == 0  # every step is shown on a witness path
    assert large <= 11 * small  # ten times the steps, about ten times the condition evaluations


def test_a_step_no_witness_path_shows_is_still_searched_and_reported() -> None:
    body = (
        "steps:\n  - id: a\n    title: A\n    fields:\n      - {id: x, type: select, label: X, options: [是, 否]}\n"
        '  - id: b\n    title: B\n    when: x == "是" and x == "否"\n'
        "    fields:\n      - {id: y, type: text, label: Y}\n"
    )
    assert any("step 'b' can never be shown" in m for m in messages(body))

"""``wizard test``: path test files, the runner's verdicts and diffs, coverage, and the shipped flows' tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.shipped import flows_dir, shipped_flows

FLOW = textwrap.dedent(
    """\
    id: demo
    title: 演示流程
    version: "1"
    reviewed: 2026-11-01
    steps:
      - id: buy
        title: 购买
        tips:
          - text: 网购提示
            when: channel == 网购
        fields:
          - id: date
            type: date
            label: 购买日期
            required: true
          - id: channel
            type: select
            label: 购买方式
            required: true
            options:
              - 网购
              - 实体店
              - value: 电视购物
                when: date within 1 years
          - id: amount
            type: money
            label: 金额
      - id: online
        title: 网购订单
        when: channel == 网购
        fields:
          - id: order_no
            type: text
            label: 订单号
          - id: note
            type: text
            label: 备注
            when: amount > 1000
        checklist:
          - text: 订单号：{order_no}
            value: "{order_no}"
      - id: done
        title: 提交
        checklist:
          - 点击[[提交]]
          - text: 保留小票
            when: channel == 实体店
    checks:
      - id: too_old
        level: stop
        when: date older_than 3 years
        message: 超过三年
      - id: big
        level: warn
        when: amount > 5000
        message: 金额较大
    compose:
      - id: text
        label: 投诉内容
        max_length: 60
        parts:
          - "{date} 购买，金额 {amount} 元。"
          - text: "订单号 {order_no}。"
            when: order_no is set
    """
)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line holding ``needle``."""
    seen = 0
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return i
    raise AssertionError(f"{needle!r} not in text")


def write(folder: Path, flow: str, tests: str) -> tuple[Path, Path]:
    flow_path = folder / "demo.yaml"
    flow_path.write_text(flow, encoding="utf-8")
    (folder / "tests").mkdir(exist_ok=True)
    tests_path = folder / "tests" / "demo.yaml"
    tests_path.write_text(textwrap.dedent(tests), encoding="utf-8")
    return flow_path, tests_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["test", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


GOOD_CASES = """\
    today: 2026-11-25
    cases:
      - name: 网购
        answers: {channel: 网购, date: 2026-10-01, amount: 200, order_no: A123456}
        expect:
          steps: [buy, online, done]
          checks: []
          checklist_contains: ["订单号：{order_no}", "「提交」"]
          checklist_excludes: [保留小票]
          compose_within_limit: true
      - name: 实体店
        answers: {channel: 实体店, date: 2026-10-01}
        expect:
          steps: [buy, done]
          checklist_contains: [保留小票]
"""


def test_passing_cases_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow, _ = write(tmp_path, FLOW, GOOD_CASES)
    code, out, _ = run(capsys, str(flow))
    assert code == 0
    assert out.splitlines() == ["PASS 网购", "PASS 实体店", "2 passed, 0 failed"]


def test_failing_case_shows_the_diff_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 对的
            answers: {channel: 实体店, date: 2026-10-01}
            expect:
              steps: [buy, done]
          - name: 错的
            answers: {channel: 实体店, date: 2026-10-01, amount: 9000}
            expect:
              steps: [buy, online, done]
              checks: [too_old]
              checklist_contains: [网购订单, 保留小票]
              checklist_excludes: ["「提交」"]
    """
    flow, tests_path = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "PASS 对的"
    case_line = line_of(tests_path.read_text(encoding="utf-8"), "name: 错的")
    assert lines[1] == f"FAIL 错的 ({tests_path}:{case_line})"
    body = "\n".join(lines[2:])
    # the steps, unified-diff style: kept, expected only (-), shown only (+)
    assert "steps differ (- expected, + shown):\n          buy\n        - online\n          done" in body
    assert "expected but did not fire: too_old" in body
    assert "fired but not expected: big" in body
    assert "not found: 「网购订单」" in body
    assert "保留小票" not in body.split("not found")[-1]  # present, so not reported
    assert "found, but should not be there: 「「提交」」" in body
    assert lines[-1] == "1 passed, 1 failed"


def test_bad_answer_fails_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 错的金额
            answers:
              channel: 网购
              date: 2026-10-01
              amount: 很多
            expect:
              checks: []
    """
    flow, tests_path = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow))
    assert code == 1
    amount_line = line_of(tests_path.read_text(encoding="utf-8"), "amount: 很多")
    assert f"bad answer: {tests_path}:{amount_line}:7: error: amount:" in out


def test_required_field_left_empty_stops_the_walk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 没有日期
            answers: {channel: 网购}
            expect:
              steps: [buy]
    """
    flow, _ = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow))
    assert code == 1
    assert "the wizard would not go past step 'buy': date: 此项必填" in out


def test_stop_check_ends_the_walk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 太久
            answers: {channel: 网购, date: 2020-01-01, amount: 9000}
            expect:
              steps: [buy]
              checks: [too_old, big]
              checklist_contains: [超过三年, 「提交」]   # the checklist as `wizard checklist` prints it
          - name: 太久但以为能继续
            answers: {channel: 网购, date: 2020-01-01}
            expect:
              steps: [buy, online, done]
    """
    flow, _ = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow))
    assert code == 1
    assert "PASS 太久\n" in out
    assert "FAIL 太久但以为能继续" in out
    assert "        - online\n        - done\n" in out
    assert "(the walk stopped after step 'buy': stop check 'too_old' fired)" in out


def test_answers_file_with_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow, _ = write(
        tmp_path,
        FLOW,
        """\
        today: 2026-11-25
        cases:
          - name: 文件加改动
            answers_file: ../answers/online.yaml
            answers: {channel: 实体店, order_no: ~}
            expect:
              steps: [buy, done]
              checklist_contains: ["金额 {amount} 元", 保留小票]
              checklist_excludes: [订单号]
          - name: 文件原样
            answers_file: ../answers/online.yaml
            expect:
              checklist_contains: ["订单号：A1"]
        """,
    )
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "online.yaml").write_text(
        "channel: 网购\ndate: 2026-10-01\namount: 88\norder_no: A1\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, str(flow))
    assert (code, out.splitlines()[0]) == (0, "PASS 文件加改动"), out


def test_exclusion_found_in_no_checklist_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An exclusion that no case's checklist holds can never fail: it is flagged, and the run fails."""
    tests = """\
        today: 2026-11-25
        cases:
          - name: 网购
            answers: {channel: 网购, date: 2026-10-01, amount: 200, order_no: A1}
            expect:
              checklist_excludes: [保留小票, 退一赔十]
          - name: 实体店
            answers: {channel: 实体店, date: 2026-10-01}
            expect:
              steps: [buy, done]
    """
    flow, tests_path = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow))
    assert code == 1
    line = line_of(tests_path.read_text(encoding="utf-8"), "退一赔十")
    assert f"{tests_path}:{line}:" in out and "「退一赔十」 is in no case's checklist" in out
    assert "「保留小票」 is in no case" not in out  # the second case's checklist holds it
    assert out.splitlines()[-1] == "2 passed, 0 failed; 1 checklist_excludes test nothing"


def test_compose_over_its_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow, _ = write(
        tmp_path,
        FLOW,
        """\
        today: 2026-11-25
        cases:
          - name: 太长
            answers: {channel: 网购, date: 2026-10-01, amount: 1, order_no: ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN}
            expect:
              compose_within_limit: true
          - name: 确实太长
            answers: {channel: 网购, date: 2026-10-01, amount: 1, order_no: ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN}
            expect:
              compose_within_limit: false
        """,
    )
    code, out, _ = run(capsys, str(flow))
    assert code == 1
    # "2026-10-01 购买，金额 1.00 元。" is 24 characters, "订单号 " 4, the order number 40, "。" 1
    assert "composed text 'text' is 69 characters, over its limit of 60" in out
    assert "PASS 确实太长" in out


def test_test_file_given_as_flow_finds_the_flow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, tests_path = write(tmp_path, FLOW, GOOD_CASES)
    code, out, _ = run(capsys, str(tests_path))
    assert (code, out.splitlines()[-1]) == (0, "2 passed, 0 failed")


def test_explicit_cases_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow, _ = write(tmp_path, FLOW, "today: 2026-11-25\ncases: []\n")
    other = tmp_path / "other.yaml"
    other.write_text(textwrap.dedent(GOOD_CASES), encoding="utf-8")
    code, out, _ = run(capsys, str(flow), str(other))
    assert code == 0, out


def test_missing_test_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow = tmp_path / "demo.yaml"
    flow.write_text(FLOW, encoding="utf-8")
    code, _, err = run(capsys, str(flow))
    assert code == 2
    assert f"no test file at {tmp_path / 'tests' / 'demo.yaml'}" in err


@pytest.mark.parametrize(
    ("tests", "needle", "message"),
    [
        ("today: 2026-11-25\ncases:\n  - name: x\n    expct: {steps: [buy]}\n", "expct", "unknown key 'expct'"),
        ("today: 2026-13-01\ncases:\n  - name: x\n    expect: {steps: [buy]}\n", "today", "expected a date"),
        ("cases:\n  - name: x\n    expect: {steps: [buy]}\n", "name: x", "no 'today' date"),
        ("today: 2026-11-25\ncases:\n  - name: x\n", "name: x", "missing required key 'expect'"),
        ("today: 2026-11-25\ncases:\n  - name: x\n    expect: {}\n", "expect", "'expect' is empty"),
        (
            "today: 2026-11-25\ncases:\n  - name: x\n    expect: {compose_within_limit: yes}\n",
            "expect",
            "expected true or false",
        ),
        ("today: 2026-11-25\ncases:\n  - name: x\n    expect: [\n", "expect", "YAML syntax error"),
    ],
)
def test_broken_test_file_exits_2_with_its_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tests: str, needle: str, message: str
) -> None:
    flow, tests_path = write(tmp_path, FLOW, tests)
    code, _, err = run(capsys, str(flow))
    assert code == 2
    reported = [line for line in err.splitlines() if message in line]
    assert reported, err
    if "YAML syntax" not in message:
        assert reported[0].startswith(f"{tests_path}:{line_of(tests, needle)}:")


def test_broken_flow_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow, _ = write(tmp_path, FLOW.replace("type: money", "type: mony"), GOOD_CASES)
    code, _, err = run(capsys, str(flow))
    assert code == 1
    assert "unknown field type 'mony'" in err


# --- coverage ----------------------------------------------------------------------


def test_condition_never_false_is_reported_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every case buys online: the tip's and the online step's conditions are never false."""
    tests = """\
        today: 2026-11-25
        cases:
          - name: 网购
            answers: {channel: 网购, date: 2026-10-01, amount: 200, order_no: A123456}
            expect: {steps: [buy, online, done]}
    """
    flow, _ = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow), "--coverage")
    assert code == 1
    tip_line = line_of(FLOW, "when: channel == 网购", 1)
    step_line = line_of(FLOW, "when: channel == 网购", 2)
    gap = "not covered: the condition of {} (channel == 网购) was never false"
    assert f"{flow}:{tip_line}: " + gap.format("tip 1 of step 'buy'") in out
    assert f"{flow}:{step_line}: " + gap.format("step 'online'") in out
    assert out.splitlines()[-1].startswith("coverage: ")


def test_coverage_lists_each_kind_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 实体店
            answers: {channel: 实体店, date: 2026-10-01, amount: 10}
            expect: {steps: [buy, done]}
    """
    flow, _ = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow), "--coverage")
    assert code == 1
    gaps = [line for line in out.splitlines() if line.startswith(f"{flow}:")]
    expected = {
        line_of(FLOW, "- id: online"): "step 'online' was never shown",
        line_of(FLOW, "when: channel == 网购", 1): "tip 1 of step 'buy' (channel == 网购) was never true",
        line_of(FLOW, "when: date within 1 years"): "option '电视购物' of field 'channel' (date within 1 years) "
        "was never false",
        line_of(FLOW, "when: channel == 实体店"): "checklist item 2 of step 'done' (channel == 实体店) was never false",
        line_of(FLOW, "when: date older_than 3 years"): "check 'too_old' (date older_than 3 years) was never true",
        line_of(FLOW, "when: amount > 5000"): "check 'big' (amount > 5000) was never true",
        line_of(FLOW, "when: order_no is set"): "part 2 of composed text 'text' (order_no is set) was never true",
    }
    for line, message in expected.items():
        assert any(g.startswith(f"{flow}:{line}: not covered: ") and g.endswith(message) for g in gaps), (
            line,
            message,
            gaps,
        )
    # what lies inside a step never shown is not listed again (only the step is)
    assert not any("order_no" in g or "'note'" in g for g in gaps if "composed" not in g)
    assert len(gaps) == len(expected)


def test_field_and_checklist_item_never_reached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 网购但停下
            answers: {channel: 网购, date: 2020-01-01}
            expect: {steps: [buy]}
          - name: 网购
            answers: {channel: 网购, date: 2026-10-01, amount: 20}
            expect: {steps: [buy, online, done]}
    """
    flow, _ = write(tmp_path, FLOW, tests)
    _, out, _ = run(capsys, str(flow), "--coverage")
    assert f"{flow}:{line_of(FLOW, '- id: note')}: not covered: field 'note' of step 'online' was never shown" in out
    item_line = line_of(FLOW, "- text: 订单号：{order_no}")
    assert f"{flow}:{item_line}: not covered: checklist item 1 of step 'online' never appeared" not in out  # shown
    assert f"{flow}:{line_of(FLOW, '- text: 保留小票')}: not covered: checklist item 2 of step 'done'" in out


def test_full_coverage_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = """\
        today: 2026-11-25
        cases:
          - name: 网购大额
            answers: {channel: 网购, date: 2026-10-01, amount: 6000, order_no: A1, note: 急}
            expect: {steps: [buy, online, done], checks: [big]}
          - name: 电视购物
            answers: {channel: 电视购物, date: 2026-10-01, amount: 100}
            expect: {steps: [buy, done], checks: []}
          - name: 网购小额
            answers: {channel: 网购, date: 2026-10-01, amount: 100}
            expect: {steps: [buy, online, done], checks: []}
          - name: 实体店
            answers: {channel: 实体店, date: 2026-10-01}
            expect: {steps: [buy, done], checklist_contains: [保留小票]}
          - name: 实体店很久以前
            answers: {channel: 实体店, date: 2020-10-01}
            expect: {steps: [buy], checks: [too_old]}
    """
    flow, _ = write(tmp_path, FLOW, tests)
    code, out, _ = run(capsys, str(flow), "--coverage")
    assert code == 0, out
    assert out.splitlines()[-1].startswith("coverage: full")


def test_coverage_parts_looks_inside_all_any_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flow_text = FLOW.replace(
        "when: amount > 5000",
        "when:\n      any:\n        - amount > 5000\n        - channel == 电视购物",
    )
    tests = """\
        today: 2026-11-25
        cases:
          - name: 大额
            answers: {channel: 网购, date: 2026-10-01, amount: 6000}
            expect: {checks: [big]}
          - name: 小额
            answers: {channel: 网购, date: 2026-10-01, amount: 60}
            expect: {checks: []}
    """
    flow, _ = write(tmp_path, flow_text, tests)
    _, whole, _ = run(capsys, str(flow), "--coverage")
    assert "channel == 电视购物' in" not in whole
    _, parts, _ = run(capsys, str(flow), "--coverage-parts")
    line = line_of(flow_text, "- channel == 电视购物")
    assert f"{flow}:{line}: not covered: 'channel == 电视购物' in the condition of check 'big' was never true" in parts


# --- the shipped flows ----------------------------------------------------------------


@pytest.mark.parametrize("flow", shipped_flows(), ids=lambda p: p.stem)
def test_shipped_flow_passes_its_tests_with_full_coverage(flow: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = flows_dir() / "tests" / flow.name
    assert tests.is_file(), f"{flow.name} has no path tests at {tests}"
    code, out, err = run(capsys, str(flow), "--coverage")
    assert code == 0, out + err
    assert " 0 failed" in out
    assert out.splitlines()[-1].startswith("coverage: full"), out


def test_every_shipped_flow_is_tested() -> None:
    assert {p.stem for p in shipped_flows()} >= {"12315-complaint", "12315-follow-up", "12315-report"}

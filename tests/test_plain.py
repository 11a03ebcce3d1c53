"""Plain line-by-line mode (``wizard run --plain``): piping answers, going back, EOF, resume."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import FLOWS, ROOT
from wizard.answers.fields import display_value
from wizard.answers.file import load_answers
from wizard.flow.conditions import Answer
from wizard.flow.loader import load_flow
from wizard.flow.model import Field, FieldType, Flow
from wizard.plain import run_plain, sanitise_input
from wizard.session import Session

DATA = ROOT / "tests" / "data"
TEST_FLOW = DATA / "export-flow.yaml"
COMPLAINT = FLOWS / "12315-complaint.yaml"
EXAMPLES = FLOWS / "examples" / "12315-complaint"

# tests/data/export-flow.yaml answered line by line (same answers as tests/data/export-answers.yaml)
FULL_INPUT = [
    "1",  # 购买方式: 网购 (by number)
    "淘宝",  # 网购平台
    "2024年3月15日",  # 购买日期 (another accepted spelling)
    "6,999.00",  # 金额
    "杭州某某电子商务有限公司",
    "91110000600037341L",
    "1、3",  # 遇到的问题: 质量问题、拒绝退款
    "2024031512345678",  # 订单号 (step only for 网购)
    "138 0013 8000",
    "收到的手机屏幕有划痕。",
    "联系客服要求退货，被拒绝。",
    "",  # end of the multi-line answer
    "是",  # 我确认以上信息真实
    "",  # review: Enter to finish
]


def wizard(*args: str | Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *map(str, args)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def checklist_text(flow: Path, answers: Path) -> str:
    result = wizard("checklist", flow, "--answers", answers, "--format", "text", stdin="")
    assert result.returncode == 0, result.stderr
    return result.stdout


def plain(flow: Flow, lines: list[str] | bytes, resume: str = "fresh") -> tuple[int, str]:
    data = lines if isinstance(lines, bytes) else "".join(line + "\n" for line in lines).encode("utf-8")
    out = io.StringIO()
    code = run_plain(flow, Path(flow.path), script="zh-Hans", resume=resume, stdin=io.BytesIO(data), stdout=out)
    return code, out.getvalue()


def answer_lines(f: Field, value: Answer | None) -> list[str]:
    """What a user types for ``value`` (nothing typed for an unanswered optional field)."""
    if value is None:
        return [""]
    if f.type is FieldType.CONFIRM:
        return ["是" if value else "否"]
    shown = display_value(f, value) or ""
    if f.type is FieldType.TEXTAREA:
        return [*shown.split("\n"), ""]
    return [shown]


def typed_answers(flow: Flow, answers: dict[str, Answer]) -> list[str]:
    """The lines that answer every question plain mode asks, in order, then Enter at the review."""
    session = Session(flow, answers=dict(answers), today=date.today())
    lines: list[str] = []
    for step in session.visible_steps():
        for f in session.visible_fields(step):
            lines += answer_lines(f, answers.get(f.id))
    return [*lines, ""]


# --- the acceptance tests: piped through the real command -----------------------------------


def test_piped_answers_give_the_same_checklist_as_wizard_checklist() -> None:
    result = wizard("run", TEST_FLOW, "--plain", stdin="\n".join(FULL_INPUT) + "\n")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "Traceback" not in result.stderr
    expected = checklist_text(TEST_FLOW, DATA / "export-answers.yaml")
    assert result.stdout.endswith("\n" + expected)
    assert "第 1 / 4 步：打开全国12315平台" in result.stdout
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("example", ["online-clothing-refund", "food-ten-times"])
def test_piped_shipped_example_gives_the_same_checklist(example: str) -> None:
    flow = load_flow(COMPLAINT)
    answers_file = EXAMPLES / f"{example}.yaml"
    loaded = load_answers(flow, answers_file, date.today())
    assert loaded.ok
    lines = typed_answers(flow, loaded.answers)
    result = wizard("run", COMPLAINT, "--plain", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert result.stdout.endswith("\n" + checklist_text(COMPLAINT, answers_file))


def test_going_back_a_step_and_answering_again(tmp_path: Path) -> None:
    lines = [
        "1", "淘宝", "2024-03-15", "6999",  # 购买信息
        "杭州某某电子商务有限公司",  # 商家全称
        "<",  # back to 购买信息 (instead of the 统一社会信用代码)
        "", "",  # 购买方式 and 网购平台 kept
        "2024-05-01",  # a new 购买日期
        "",  # 金额 kept
        "",  # 商家全称 kept after going back
        "91110000600037341L", "1、3",
        "2024031512345678",
        "138 0013 8000", "收到的手机屏幕有划痕。", "联系客服要求退货，被拒绝。", "", "是",
        "",  # review
    ]  # fmt: skip
    result = wizard("run", TEST_FLOW, "--plain", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "当前：2024-03-15（直接回车保留）" in result.stdout
    assert "当前：杭州某某电子商务有限公司（直接回车保留）" in result.stdout
    changed = tmp_path / "changed.yaml"
    original = (DATA / "export-answers.yaml").read_text(encoding="utf-8")
    changed.write_text(original.replace("purchase_date: 2024-03-15", "purchase_date: 2024-05-01"), encoding="utf-8")
    expected = checklist_text(TEST_FLOW, changed)
    assert result.stdout.endswith("\n" + expected)
    checklist = result.stdout[result.stdout.index(expected) :]
    assert "2024-05-01" in checklist and "2024-03-15" not in checklist


def test_end_of_input_saves_and_resume_finishes() -> None:
    first = wizard("run", TEST_FLOW, "--plain", stdin="\n".join(FULL_INPUT[:5]) + "\n")
    assert first.returncode == 1
    assert "输入已结束。进度已保存" in first.stdout
    assert "Traceback" not in first.stderr
    data_dir = Path(os.environ["WIZARD_DATA_DIR"])
    assert len(list(data_dir.glob("*.json"))) == 1
    # resumed at 商家信息: the answered 商家全称 is kept with Enter
    rest = ["", *FULL_INPUT[5:]]
    second = wizard("run", TEST_FLOW, "--plain", "--resume", stdin="\n".join(rest) + "\n")
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr
    assert second.stdout.endswith("\n" + checklist_text(TEST_FLOW, DATA / "export-answers.yaml"))


# --- behaviour, in process ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def flow() -> Flow:
    return load_flow(TEST_FLOW)


def test_bad_answer_is_asked_again_with_the_reason(flow: Flow) -> None:
    code, out = plain(flow, ["3", "邮购", "1", "淘宝", "2024-02-30"])
    assert code == 1
    assert out.count("不对：请从列表中选择：网购、实体店") == 2
    assert "不对：日期不存在：2024 年 2 月没有 30 日" in out
    assert "输入已结束" in out


def test_help_and_rules_are_shown(flow: Flow) -> None:
    code, out = plain(flow, ["?", "？"])
    assert code == 1
    assert out.count("帮助：") == 2
    assert "<  回到上一步" in out
    assert "  1. 网购\n  2. 实体店\n" in out
    assert "问题 1 / 3：购买方式（必填）" in out
    assert "第 2 / 4 步：购买信息" in out
    assert "用浏览器打开 全国12315平台（https://www.12315.cn/），点击 「我要投诉」。" in out  # Markdown as words
    assert "**" not in out
    assert "提示：平台可能要求先登录" in out and "注意：超过三年的投诉通常不予受理。" in out


def test_required_fields_cannot_be_skipped_optional_ones_can(flow: Flow) -> None:
    code, out = plain(flow, ["", "2", "", "2024-03-15", "", "A 公司"])
    assert code == 1
    assert "不对：此项必填" in out
    assert "问题 1 / 3：商家全称" in out  # 金额 skipped, on to the next step


def test_stop_check_blocks_until_changed_and_q_quits(flow: Flow) -> None:
    code, out = plain(flow, ["2", "2019-01-01", "", "x", "<", "", "", "", "q"])
    assert code == 1
    assert out.count("！！无法继续：购买已超过三年，12315 通常不再受理。") == 2
    assert "请输入 < 回到这一步修改答案，或输入 q 退出。" in out
    assert "已退出。进度已保存" in out


def test_stop_check_lifts_when_the_answer_changes(flow: Flow) -> None:
    code, out = plain(flow, ["2", "2019-01-01", "", "<", "", "2025-01-01", "", "A 公司"])
    assert code == 1
    assert "！！无法继续" in out
    assert "问题 1 / 3：商家全称" in out


def test_warn_check_is_shown_after_its_step(flow: Flow) -> None:
    _, out = plain(flow, ["2", "2024-03-15", "6000"])
    assert "注意：金额较大（6000.00 元），建议同时保留好付款凭证。" in out


def test_required_confirm_must_be_yes(flow: Flow) -> None:
    lines = [*FULL_INPUT[:12], "否", "n", ""]
    code, out = plain(flow, lines)
    assert code == 1
    assert out.count("不对：请勾选确认后再继续") == 3


def test_multiselect_accepts_numbers_with_any_separator(flow: Flow) -> None:
    for typed in ("1,3", "1 3", "1、3", "１，３", "质量问题、拒绝退款", "3 1"):
        lines = ["2", "2024-03-15", "", "A 公司", "", typed, "138 0013 8000", "x", "", "是", ""]
        code, out = plain(flow, lines)
        assert code == 0, typed
        assert "遇到的问题：质量问题、拒绝退款" in out, typed


def test_escape_sequences_in_input_are_removed(flow: Flow) -> None:
    lines = [
        "2",
        "2024-03-15",
        "",
        "\x1b[31m杭州\x1b[0m某某\x1b]0;title\x07公司\u202e",
        "",
        "1",
        "138 0013 8000",
        "x",
        "",
        "是",
        "",
    ]
    code, out = plain(flow, lines)
    assert code == 0
    assert "杭州某某公司" in out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out


def test_undecodable_input_does_not_crash(flow: Flow) -> None:
    code, out = plain(flow, b"\xff\xfe\n1\n")
    assert code == 1
    assert "不对：" in out


def test_sanitise_input() -> None:
    assert sanitise_input("\x1b[A\x1b[Bab\u009b31mc\r\n".encode()) == "abc"
    assert sanitise_input(b"\x1bOPx\x1b[200~y\x1b[201~") == "xy"
    assert sanitise_input("  全角 \t ".encode()) == "全角"


def test_back_from_the_first_question_stays(flow: Flow) -> None:
    code, out = plain(flow, ["<"])
    assert code == 1
    assert "前面没有需要填写的步骤了。" in out


def test_review_can_change_a_step_and_return(flow: Flow) -> None:
    lines = [*FULL_INPUT[:-1], "3", "", "", "", "", "", "", ""]
    code, out = plain(flow, lines)
    assert code == 0, out[-1500:]
    assert out.count("检查您的答案：") == 2


def test_piped_run_with_a_saved_session_starts_afresh_and_says_so(flow: Flow) -> None:
    plain(flow, FULL_INPUT[:3])
    code, out = plain(flow, FULL_INPUT, resume="ask")
    assert code == 0
    assert "输入不是终端，从头开始" in out


def test_resume_on_a_terminal_asks(flow: Flow) -> None:
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    plain(flow, FULL_INPUT[:3])
    out = io.StringIO()
    stdin = Terminal(b"n\n")
    code = run_plain(flow, Path(flow.path), script="zh-Hans", resume="ask", stdin=stdin, stdout=out)
    assert code == 1
    assert "继续上次的填写？[Y/n]" in out.getvalue()
    assert "从头开始；上次的填写仍然保留。" in out.getvalue()


def test_a_save_failure_is_said_once_and_not_hidden(
    flow: Flow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("WIZARD_DATA_DIR", str(not_a_folder))
    lines = ["2", "2024-03-15", "", "A 公司", "", "1", "13800138000", "x", "", "是", ""]
    code, out = plain(flow, lines)
    assert code == 0
    assert out.count("注意：无法保存") == 1
    assert "已保存。" not in out
    assert "这次的填写没有保存下来" in out


NOTE_FLOW = """\
id: plain-notes
title: 提示测试
version: "1"
reviewed: 2026-11-01
steps:
  - id: intro
    title: 说明
    body: 先看说明。
  - id: find
    title: 找到商家了吗
    tips:
      - text: 搜不到时请核对全称
        when: found == 搜不到
    fields:
      - id: found
        type: select
        label: 搜索结果
        options:
          - value: 找到了
          - value: 搜不到
      - id: name
        type: text
        label: 商家全称
"""


def _run_note_flow(tmp_path: Path, extra: str, keys: str) -> str:
    path = tmp_path / "notes.yaml"
    path.write_text(NOTE_FLOW + extra, encoding="utf-8")
    flow = load_flow(path)
    out = io.StringIO()
    stdin = io.BytesIO(keys.encode())
    code = run_plain(flow, path, script="zh-Hans", resume="fresh", stdin=stdin, stdout=out, today=date(2026, 11, 25))
    text = out.getvalue()
    assert code == 0, text[-2000:]
    return text


def test_a_tip_that_depends_on_an_answer_of_the_same_step_is_read_out(tmp_path: Path) -> None:
    text = _run_note_flow(tmp_path, "", "2\n某某公司\n\n")
    tip = "提示：搜不到时请核对全称"
    assert text.count(tip) == 1  # once, not again at the end of the step
    # after the answer that makes it apply, before the next question of the same step
    assert text.index("问题 1 / 2") < text.index(tip) < text.index("问题 2 / 2")


def test_back_from_the_review_passes_over_a_step_that_asks_nothing(tmp_path: Path) -> None:
    outro = "  - id: outro\n    title: 最后的说明\n    body: 就这些。\n"
    text = _run_note_flow(tmp_path, outro, "1\n某某公司\n<\n\n\n\n")
    after_back = text[text.index("检查您的答案") :]
    # `<` on the review goes to the last step that asks something, not to the closing note
    assert "第 2 / 3 步：找到商家了吗" in after_back


HINT_FLOW = """\
id: hint-demo
title: 提示测试
version: "1"
reviewed: 2026-11-01
steps:
  - id: buy
    title: 购买
    fields:
      - id: channel
        type: select
        label: 购买渠道
        options:
          - value: 网购
            label: 网上购买
      - id: day
        type: date
        label: 购买日期
        allow_future: false
      - id: paid
        type: money
        label: 金额
        min: 1
      - id: phone
        type: phone
        label: 电话
      - id: code
        type: uscc
        label: 信用代码
        required: false
      - id: agree
        type: confirm
        label: 我确认属实
"""


def test_the_review_and_the_hints_are_the_full_screen_ones(tmp_path: Path) -> None:
    """Plain mode shows an answer as the full-screen review does (a choice by its label) and the
    same format hint as the grey text in a full-screen input (one rule each, in the domain)."""
    from wizard.text.render import PLAIN
    from wizard.tui.editors import FieldContext, placeholder_of

    path = tmp_path / "hints.yaml"
    path.write_text(HINT_FLOW, encoding="utf-8")
    flow = load_flow(path)
    keys = "1\n2026-11-01\n99\n13800138000\n\ny\n\n"
    out = io.StringIO()
    code = run_plain(
        flow,
        path,
        script="zh-Hans",
        resume="fresh",
        stdin=io.BytesIO(keys.encode()),
        stdout=out,
        today=date(2026, 11, 25),
    )
    text = out.getvalue()
    assert code == 0, text[-2000:]
    review = text[text.index("检查您的答案") :]
    assert "购买渠道：网上购买" in review  # the option's label, not its value 网购
    assert "我确认属实：已确认" in review
    for f in flow.steps[0].fields[1:5]:
        ctx = FieldContext(field=f, renderer=PLAIN, initial=None, options=(), values=lambda _n: None)
        hint = placeholder_of(ctx)
        assert hint and hint in text, f.id
    assert "例如 2026-11-25 或 2026年11月25日；不能晚于今天" in text
    assert "例如 1299 或 1,299.00（元）；不小于 1" in text

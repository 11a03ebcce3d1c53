"""Entrance 5 (and 2 for answers): what users type or paste, and answers files, through every path that stores them.

- :func:`wizard.answers.fields.validate`, which every view calls: huge pastes, emoji
  and combining marks, full-width digits, Chinese punctuation in numbers,
  negative and absurd amounts, impossible dates, USCCs written loosely,
  escape sequences. Stored sanitised and capped; Chinese text and emoji kept.
- the save file: what a view keeps as a draft (raw input) is written
  sanitised and capped too.
- answers files through the real ``wizard checklist`` command: hostile keys
  and values never reach the terminal or the exported file.

Typed and pasted answers in the full-screen app are in ``test_terminal.py``.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from tests.hostile.common import (
    ALL_ESCAPES,
    ESCAPES,
    SMALL_FLOW,
    Ran,
    assert_clean_output,
    bad_characters,
    base_env,
    run_batch,
    tree,
)
from wizard.answers.fields import MAX_ANSWER_CHARS, validate
from wizard.flow.loader import load_flow
from wizard.flow.model import Field, FieldType, Flow
from wizard.session import Session
from wizard.store.disk import Store

TODAY = date(2026, 11, 25)

FLOW_YAML = """\
id: hostile-answers
title: 答案测试
version: "1"
reviewed: "2026-11-01"
steps:
  - id: all
    title: 全部字段
    fields:
      - {id: name, type: text, label: 名称}
      - {id: story, type: textarea, label: 经过}
      - {id: short, type: textarea, label: 简述, max_length: 200}
      - {id: amount, type: money, label: 金额}
      - {id: count, type: number, label: 数量, min: 1, max: 1000}
      - {id: bought, type: date, label: 日期, allow_future: false}
      - {id: phone, type: phone, label: 电话}
      - {id: code, type: uscc, label: 代码}
      - id: way
        type: select
        label: 方式
        options: [网购, 实体店]
    checklist:
      - text: 名称
        value: "{name}"
      - text: 经过
        value: "{story}"
"""


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Flow:
    path = tmp_path_factory.mktemp("answers-flow") / "flow.yaml"
    path.write_text(FLOW_YAML, encoding="utf-8")
    return load_flow(path)


def _field(flow: Flow, field_id: str) -> Field:
    f = flow.field(field_id)
    assert f is not None
    return f


#: What is left of ALL_ESCAPES: the printable rest of each sequence, shown as text (nothing silently dropped).
CLEANED = "[31m[2J]52;c;SGVsbG8=]8;;https://evil.example\\点我]8;;\\]0;PWNED31m"

# (field, raw input, stored value or None, words of the message: error when nothing is stored, else warning)
CASES: dict[str, tuple[str, str, str | None, str]] = {
    "paste-100000-characters-capped": ("name", "投" * 100_000, "投" * MAX_ANSWER_CHARS, "只保留了前"),
    "paste-100000-characters-over-the-field-limit": ("short", "诉" * 100_000, None, "超过上限 200 字"),
    "emoji-and-zwj-sequences-kept": ("name", "好评😀👨‍👩‍👧🏳️‍🌈", "好评😀👨‍👩‍👧🏳️‍🌈", ""),
    "combining-marks-kept": ("name", "Cafe\u0301 e\u0308 a\u0323", "Cafe\u0301 e\u0308 a\u0323", ""),
    "chinese-punctuation-kept": (
        "story",
        "“商家”说：「不退款」；【订单】……——《合同》",
        "“商家”说：「不退款」；【订单】……——《合同》",
        "",
    ),
    "escapes-removed-text-kept": ("name", f"某某{ALL_ESCAPES}商店", f"某某{CLEANED}商店", ""),
    "escapes-removed-in-multiline": (
        "story",
        f"第一行\n第二{ESCAPES['osc52-clipboard']}行\r\n三",
        "第一行\n第二]52;c;SGVsbG8=行\n三",
        "",
    ),
    "full-width-digits-amount": ("amount", "１２９９．５０", "1299.50", ""),
    "full-width-comma-in-amount": ("amount", "１，２９９", "1299.00", ""),
    "yuan-sign-and-unit": ("amount", "¥1,299元", "1299.00", ""),
    "chinese-full-stop-as-decimal-point": ("amount", "1299。5", None, "请输入金额"),
    "chinese-numerals": ("amount", "一千二百元", None, "请输入金额"),
    "negative-amount": ("amount", "-5", None, "金额不能为负数"),
    "full-width-minus": ("amount", "－5", None, "金额不能为负数"),
    "absurd-amount": ("amount", "99999999999999999999", None, "金额过大"),
    "exponent-amount": ("amount", "1e308", None, "请输入金额"),
    "nan-amount": ("amount", "NaN", None, "请输入金额"),
    "infinity-amount": ("amount", "Infinity", None, "请输入金额"),
    "three-decimals": ("amount", "12.345", None, "两位小数"),
    "full-width-number": ("count", "１２", "12", ""),
    "number-below-min": ("count", "0", None, "不能小于 1"),
    "february-30": ("bought", "2026-02-30", None, "2026 年 2 月没有 30 日"),
    "february-30-in-chinese-full-width": ("bought", "２０２６年２月３０日", None, "2 月没有 30 日"),
    "month-13": ("bought", "2026-13-01", None, "没有 13 月"),
    "year-zero": ("bought", "0000-01-01", None, "1900"),
    "future-date": ("bought", "9999-12-31", None, "不能晚于今天"),
    "date-in-chinese": ("bought", "2026年2月28日", "2026-02-28", ""),
    "phone-full-width-with-spaces": ("phone", "１３８ ００１３ ８０００", "13800138000", ""),
    "phone-with-country-code": ("phone", "+86 138-0013-8000", "13800138000", ""),
    "phone-absurdly-long": ("phone", "1" * 10_000, None, "请输入有效的手机号"),
    "uscc-lower-case": ("code", "91350100m000100y43", "91350100M000100Y43", ""),
    "uscc-with-spaces": ("code", "9135 0100 M000 100Y 43", "91350100M000100Y43", ""),
    "uscc-full-width": ("code", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", ""),
    "uscc-bad-checksum-warns": ("code", "91350100M000100Y44", "91350100M000100Y44", "校验"),
    "select-with-escapes-is-not-an-option": ("way", f"网购{ESCAPES['osc0-title']}", None, "请从列表中选择"),
    "select-with-invisible-characters-matches": ("way", "网\u200b购\u202e", "网购", ""),
}


@pytest.mark.parametrize("name", list(CASES))
def test_typed_or_pasted_answer(name: str, flow: Flow) -> None:
    field_id, raw, expected, words = CASES[name]
    f = _field(flow, field_id)
    verdict = validate(f, raw, TODAY)
    stored = verdict.value
    if isinstance(stored, str):
        assert not bad_characters(stored), f"stored with control characters: {bad_characters(stored)}"
        assert len(stored) <= MAX_ANSWER_CHARS
    assert stored == expected
    message = verdict.error if stored is None else verdict.warning
    if words:
        assert message is not None and words in message, message
    else:
        assert verdict.error is None
    if verdict.error is not None:
        assert not bad_characters(verdict.error)


def test_a_draft_is_saved_sanitised_and_capped(flow: Flow, tmp_path: Path) -> None:
    """Raw input kept as a draft (a paste into a field with a limit) goes to disk like the reader gives it back."""
    session = Session(flow, today=TODAY)
    session.drafts["short"] = "诉" * 100_000 + ALL_ESCAPES
    session.drafts["phone"] = f"138{ALL_ESCAPES}"
    store = Store(tmp_path / "data")
    sid = store.new_session_id()
    assert store.save(session, sid).ok
    on_disk = store.path_of(sid).read_text(encoding="utf-8")
    saved = json.loads(on_disk)
    assert len(saved["drafts"]["short"]) == MAX_ANSWER_CHARS
    assert saved["drafts"]["phone"] == "138[31m[2J]52;c;SGVsbG8=]8;;https://evil.example\\点我]8;;\\]0;PWNED31m"
    for value in saved["drafts"].values():
        assert not bad_characters(value)
    assert "\\u001b" not in on_disk and "\\u009b" not in on_disk
    restored, _notes = store.restore(store.list()[0], flow, TODAY)
    assert restored.drafts["phone"] == saved["drafts"]["phone"], "nothing lost between saving and reading back"


# --- answers files through the real command -----------------------------------------------------------

HOSTILE_KEY = "\x1b]0;PWNED\x07"
ANSWER_FILES: dict[str, tuple[str, bool, str]] = {
    # name: (file content, accepted, words of the message)
    "escape-sequences-in-values": (
        'name: "某某\\e]52;c;SGVsbG8=\\a\\x9b31m\\u202e商店"\n'
        'story: "第一行\\n\\e]8;;https://evil.example\\e\\\\点我\\e]8;;\\e\\\\\\n\\e]0;PWNED\\a"\n'
        'amount: "１２９９"\n',
        True,
        "清单已写入",
    ),
    "escape-sequences-in-a-key": (
        '"\\e]0;PWNED\\a": 1\nname: 甲\n',
        False,
        "\\x1b]0;PWNED\\x07: unknown field",  # quoted visibly, never sent
    ),
    "raw-control-bytes-in-a-key": (f'"{HOSTILE_KEY}": 1\nname: 甲\n', False, "U+001B is not allowed in YAML"),
    "escape-sequences-in-a-select": ('way: "网购\\e[2J"\n', False, "way: 请从列表中选择"),
    "100000-character-value": ("name: " + "投" * 100_000 + "\n", True, "只保留了前"),
    "json-answers-with-escapes": (json.dumps({"name": f"甲{ALL_ESCAPES}", "way": "网购"}), True, "清单已写入"),
    "yaml-tag-in-answers": ("name: !!python/object/apply:os.system [id]\n", False, "tags"),
}


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Ran]]:
    base = tmp_path_factory.mktemp("hostile-answers")
    flow_path = base / "flow.yaml"
    flow_path.write_text(FLOW_YAML, encoding="utf-8")
    jobs = {}
    for name, (content, _ok, _words) in ANSWER_FILES.items():
        folder = base / name
        folder.mkdir()
        answers = folder / "answers.yaml"
        answers.write_text(content, encoding="utf-8")
        for fmt in ("markdown", "text", "json", "html"):
            out = folder / f"out.{fmt}"
            args = ["checklist", str(flow_path), "--answers", str(answers), "--format", fmt, "-o", str(out)]
            jobs[f"{name}/{fmt}"] = (args, folder / "cwd", base_env(folder / "data", folder / "home"), None)
    ran = run_batch(jobs)
    return {key: (base / key.split("/")[0], result) for key, result in ran.items()}


@pytest.mark.parametrize("fmt", ["markdown", "text", "json", "html"])
@pytest.mark.parametrize("name", list(ANSWER_FILES))
def test_answers_file_through_wizard_checklist(name: str, fmt: str, checklists: dict[str, tuple[Path, Ran]]) -> None:
    folder, ran = checklists[f"{name}/{fmt}"]
    from tests.hostile.common import Ran

    assert isinstance(ran, Ran)
    _content, accepted, words = ANSWER_FILES[name]
    ran.assert_exited_cleanly(0 if accepted else 1)
    assert_clean_output(ran.output, f"{name} ({fmt}) messages")
    assert words in ran.stderr, ran.stderr
    ran.assert_cwd_untouched()
    assert tree(folder / "data") == [], "wizard checklist saves nothing"
    out = folder / f"out.{fmt}"
    if not accepted:
        assert not out.exists(), "nothing is written for refused answers"
        assert "个错误，没有生成清单" in ran.stderr
        return
    assert f"清单已写入 {out}" in ran.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600, "the exported file holds personal data"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["answers.yaml", "cwd", f"out.{fmt}", *_others(fmt)])
    written = out.read_text(encoding="utf-8")
    assert_clean_output(written, f"{name} exported as {fmt}")
    if name == "100000-character-value":
        assert "投" * 1000 in written and "投" * (MAX_ANSWER_CHARS + 1) not in written
    elif name == "escape-sequences-in-values" and fmt == "text":
        assert "某某]52;c;SGVsbG8=31m商店" in written, "the rest of the sequence is shown as text"


def _others(fmt: str) -> list[str]:
    """The other formats' files of the same case (written by their own runs)."""
    return [f"out.{other}" for other in ("markdown", "text", "json", "html") if other != fmt]


def test_small_flow_is_valid() -> None:
    """The flow the terminal tests drive loads without problems (a guard for the other files)."""
    flow = load_flow(SMALL_FLOW)
    assert [f.type for f in flow.all_fields][:3] == [FieldType.TEXT, FieldType.TEXTAREA, FieldType.SELECT]

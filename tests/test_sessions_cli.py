"""``wizard sessions``: list (no personal data), erase one, erase all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.session import Session
from wizard.store.disk import Store
from wizard.store.format import dumps

FLOW = """
id: demo-flow
title: 演示流程
version: "3"
reviewed: 2025-01-01
description: 测试
sources:
  - title: 测试
steps:
  - id: purchase
    title: 在[[我要投诉]]页面填写{merchant}的信息
    fields:
      - id: merchant
        type: text
        label: 商家名称
      - id: phone
        type: phone
        label: 手机号码
  - id: problem
    title: 遇到的问题
    fields:
      - id: detail
        type: textarea
        label: 事情经过
"""

PERSONAL = ("王小明的小店", "13912345678", "收到的手机屏幕碎了", "我的私人经历")


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIZARD_MAX_AGE_DAYS", raising=False)
    monkeypatch.delenv("WIZARD_STORE_TEST_HOOK", raising=False)


@pytest.fixture
def flow() -> Flow:
    flow, diagnostics = parse_flow(FLOW.encode("utf-8"), "demo.yaml")
    assert flow is not None, [d.format() for d in diagnostics]
    return flow


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    return _isolated_data_dir


def _save(flow: Flow, position: str = "problem") -> str:
    store = Store()
    session = Session(
        flow=flow,
        answers={"merchant": PERSONAL[0], "phone": PERSONAL[1], "detail": PERSONAL[2]},
        position=position,
        today=date(2025, 6, 1),
    )
    if hasattr(session, "drafts"):
        session.drafts["detail"] = PERSONAL[3]
    sid = store.new_session_id()
    assert store.save(session, sid).ok
    return sid


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["sessions", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_id_flow_step_and_time_but_no_answers(flow: Flow, capsys: pytest.CaptureFixture[str]) -> None:
    first = _save(flow, "purchase")
    second = _save(flow, "problem")
    code, out, err = _run(capsys)
    assert code == 0 and err == ""
    for sid in (first, second):
        assert sid in out
    assert "demo-flow" in out
    assert "遇到的问题" in out
    assert "在「我要投诉」页面填写…的信息" in out  # the title, with its reference left out
    assert datetime.now().strftime("%Y-%m-%d") in out
    for text in PERSONAL:
        assert text not in out
    assert "\x1b" not in out


def test_list_when_there_is_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys)
    assert code == 0
    assert out.startswith("没有已保存的填写记录")


def test_list_reports_a_bad_file_and_hand_edited_titles_stay_text(
    flow: Flow, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _save(flow)
    path = data_dir / f"{sid}.json"
    obj = json.loads(path.read_text("utf-8"))
    obj["position_title"] = "步骤\x1b]52;c;aGk=\x07\x1b[2J"
    obj["flow_id"] = "demo-flow"
    path.write_bytes(dumps(obj))
    (data_dir / "0123456789abcdef.json").write_bytes(b'{"format": 1, "ans')
    os.chmod(data_dir / "0123456789abcdef.json", 0o600)
    code, out, _ = _run(capsys)
    assert code == 0
    assert "一份已保存的填写记录无法使用" in out
    assert "另有 1 份无法读取的记录" in out
    assert "步骤]52;c;aGk=[2J" in out
    assert "\x1b" not in out and "\x07" not in out


def test_erase_one_by_id_or_prefix(flow: Flow, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keep = _save(flow)
    gone = _save(flow)
    code, out, _ = _run(capsys, "--erase", gone)
    assert code == 0
    assert out.strip() == f"已删除填写记录 {gone}（demo-flow）。"
    assert not (data_dir / f"{gone}.json").exists()
    assert (data_dir / f"{keep}.json").exists()
    code, out, _ = _run(capsys, "--erase", keep[:6].upper())
    assert code == 0 and keep in out
    assert os.listdir(data_dir) == []


def test_erase_an_unknown_id_fails_clearly(flow: Flow, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid = _save(flow)
    code, _, err = _run(capsys, "--erase", "ffffffffffffffff")
    assert code == 1
    assert "没有编号为「ffffffffffffffff」的填写记录" in err
    code, _, err = _run(capsys, "--erase", "\x1b[31mabc")
    assert code == 1 and "\x1b" not in err
    assert (data_dir / f"{sid}.json").exists()


def test_erase_an_ambiguous_prefix_fails(data_dir: Path, flow: Flow, capsys: pytest.CaptureFixture[str]) -> None:
    sid = _save(flow)
    src = data_dir / f"{sid}.json"
    for twin in ("abcd000000000001", "abcd000000000002"):
        obj = json.loads(src.read_text("utf-8"))
        obj["session_id"] = twin
        (data_dir / f"{twin}.json").write_bytes(dumps(obj))
        os.chmod(data_dir / f"{twin}.json", 0o600)
    code, _, err = _run(capsys, "--erase", "abcd")
    assert code == 1 and "多份" in err
    assert (data_dir / "abcd000000000001.json").exists()


def test_erase_all(flow: Flow, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):
        _save(flow)
    code, out, _ = _run(capsys, "--erase-all")
    assert code == 0 and out.strip() == "已删除全部 3 份填写记录。"
    assert os.listdir(data_dir) == []
    code, out, _ = _run(capsys, "--erase-all")
    assert code == 0 and out.strip() == "没有需要删除的填写记录。"


def test_expired_sessions_are_deleted_when_listing(
    flow: Flow, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _save(flow)
    path = data_dir / f"{sid}.json"
    obj = json.loads(path.read_text("utf-8"))
    obj["updated"] = datetime(2000, 1, 1, tzinfo=timezone.utc).isoformat()
    path.write_bytes(dumps(obj))
    code, out, _ = _run(capsys)
    assert code == 0
    assert "已删除 1 份超过 90 天未更新的填写记录。" in out
    assert not path.exists()


def test_the_real_command_line(flow: Flow, data_dir: Path) -> None:
    sid = _save(flow)
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "sessions"],
        capture_output=True,
        text=True,
        env=dict(os.environ, WIZARD_DATA_DIR=str(data_dir)),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert sid in proc.stdout
    assert all(text not in proc.stdout for text in PERSONAL)


def test_erase_needs_at_least_four_characters(flow: Flow, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid = _save(flow)
    code, _, err = _run(capsys, "--erase", sid[:3])
    assert code == 1 and "至少前 4 位" in err
    assert (data_dir / f"{sid}.json").exists()

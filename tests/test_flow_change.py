"""A flow edited under a saved session never silently rewrites a saved answer (issue #14 item 12)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.session import Session
from wizard.store import Store

TODAY = date(2026, 11, 25)

FLOW = """\
id: change-demo
title: 改动测试
version: "{version}"
reviewed: 2026-11-01
steps:
  - id: story
    title: 经过
    fields:
      - id: detail
        type: {kind}
        label: 事情经过
"""


def flow(version: str, kind: str) -> Flow:
    loaded, problems = parse_flow(FLOW.format(version=version, kind=kind).encode(), "f.yaml")
    assert loaded is not None, [p.format() for p in problems]
    return loaded


def test_a_multi_line_answer_whose_field_became_one_line_text_is_kept_and_flagged(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.new_session_id()
    saved_text = "第一行\n第二行"
    assert store.save(Session(flow("1", "textarea"), answers={"detail": saved_text}, today=TODAY), sid).ok
    restored, notes = Store(tmp_path).restore(Store(tmp_path).list()[0], flow("2", "text"), TODAY)
    assert restored.answers["detail"] == saved_text  # not joined into one line
    assert any("事情经过" in n and "原样保留" in n for n in notes), notes


def test_an_unchanged_field_gives_no_notice(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.new_session_id()
    assert store.save(Session(flow("1", "textarea"), answers={"detail": "甲\n乙"}, today=TODAY), sid).ok
    restored, notes = Store(tmp_path).restore(Store(tmp_path).list()[0], flow("2", "textarea"), TODAY)
    assert restored.answers["detail"] == "甲\n乙"
    assert notes == []

"""Issue 14 item 12 in plain mode: a textarea that became ``text`` keeps a saved multi-line
answer as typed on resume, and the user is told (resume and --watch in the app are in
tests/test_flow_change.py)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.plain import run_plain
from wizard.session import Session
from wizard.store.disk import Store

TODAY = date(2026, 11, 25)
FLOW = """\
id: change-plain
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
  - id: more
    title: 补充
    fields:
      - id: extra
        type: text
        label: 补充说明
"""


def flow(tmp_path: Path, version: str, kind: str) -> Flow:
    text = FLOW.format(version=version, kind=kind)
    path = tmp_path / "change-plain.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, problems = parse_flow(text.encode(), str(path))
    assert loaded is not None, problems
    return loaded


def test_plain_resume_keeps_a_multi_line_answer_of_a_field_that_became_text_and_says_so(tmp_path: Path) -> None:
    store = Store()
    sid = store.new_session_id()
    saved = Session(flow(tmp_path, "1", "textarea"), answers={"detail": "第一行\n第二行"}, today=TODAY)
    assert store.save(saved, sid).ok
    store.release(sid)  # as when the first wizard has quit
    new = flow(tmp_path, "2", "text")
    out = io.StringIO()
    run_plain(new, Path(new.path), script="zh-Hans", resume="resume", stdin=io.BytesIO(b""), stdout=out, today=TODAY)
    shown = out.getvalue()
    assert "事情经过" in shown and "原样保留" in shown, shown
    reader = Store()
    [again] = reader.list()
    restored, _ = reader.restore(again, new, TODAY)
    assert restored.answers["detail"] == "第一行\n第二行"

"""``wizard sessions``: list saved sessions, or erase them.

The list shows only what identifies a session without revealing anything
the user typed: its random id, the flow, the title of the step where the
user was, and when it last changed. Answers are never printed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from wizard.text.safety import clean_text, shown_path

if TYPE_CHECKING:
    from wizard.store.disk import Store


def add_arguments(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--erase", metavar="ID", help="删除一份填写记录（编号，或编号的前几位）/ erase one session")
    group.add_argument(
        "--erase-all",
        action="store_true",
        help="删除全部填写记录（包括无法读取、被移到一边的文件）/ erase every session",
    )


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _fit(s: str, width: int) -> str:
    """Cut ``s`` to ``width`` terminal columns (with …) and pad it to exactly that width."""
    if _width(s) > width:
        out = ""
        for ch in s:
            if _width(out + ch) > width - 1:
                break
            out += ch
        s = out + "…"
    return s + " " * (width - _width(s))


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _list(store: Store) -> int:
    sessions = store.list()
    for notice in store.pending_notices:
        print(notice)
    store.pending_notices.clear()
    folder = shown_path(store.root)
    if not sessions:
        print(f"没有已保存的填写记录（保存位置：{folder}）。")
    else:
        print(f"已保存的填写记录（保存位置：{folder}）：")
        flows = [clean_text(s.flow_id, multiline=False) for s in sessions]
        flow_width = min(max(_width(f) for f in [*flows, "流程"]) + 2, 26)
        # the step title comes last: on a terminal it is cut to what is left of the line
        fixed = 18 + 18 + flow_width
        room = shutil.get_terminal_size((80, 24)).columns - fixed - 1 if sys.stdout.isatty() else 0
        print(f"{_fit('编号', 18)}{_fit('最后修改', 18)}{_fit('流程', flow_width)}上次所在步骤")
        for s, flow in zip(sessions, flows, strict=True):
            step = s.position_label or "—"
            if room > 4 and _width(step) > room:
                step = _fit(step, room).rstrip()
            print(f"{_fit(s.session_id, 18)}{_fit(_when(s.updated), 18)}{_fit(flow, flow_width)}{step}")
        print("继续填写：wizard run <流程> --resume；删除：wizard sessions --erase <编号>")
    aside = store.set_aside_files()
    if aside:
        print(
            f"另有 {len(aside)} 份无法读取的记录已被移到一边（文件名含 .corrupt-），"
            "到期后自动删除；wizard sessions --erase-all 会一并删除。"
        )
    return 0


def main(args: argparse.Namespace) -> int:
    from wizard.store.disk import Store

    store = Store()
    for notice in store.startup():
        print(notice)
    if args.erase_all:
        count = store.erase_all()
        if store.kept_open:
            print(f"已删除 {count} 份填写记录。")
            print(f"另有 {len(store.kept_open)} 份正在另一个向导窗口中打开，没有删除；请先关闭那个窗口再删除。")
            return 1
        if count:
            print(f"已删除全部 {count} 份填写记录。")
        else:
            print("没有需要删除的填写记录。")
        return 0
    if args.erase is not None:
        wanted = clean_text(str(args.erase), multiline=False).strip()
        if len(wanted) < 4:
            print("请写出完整的记录编号（至少前 4 位）。用 wizard sessions 查看已保存的记录及其编号。", file=sys.stderr)
            return 1
        matches = store.find(wanted)
        if not matches:
            print(f"没有编号为「{wanted}」的填写记录。用 wizard sessions 查看已保存的记录及其编号。", file=sys.stderr)
            return 1
        if len(matches) > 1:
            ids = "、".join(m.session_id for m in matches)
            print(f"编号「{wanted}」对应多份填写记录（{ids}），请写出完整编号。", file=sys.stderr)
            return 1
        target = matches[0]
        if store.open_elsewhere(target.session_id):
            print(
                f"填写记录 {target.session_id} 正在另一个向导窗口中打开，没有删除；请先关闭那个窗口再删除。",
                file=sys.stderr,
            )
            return 1
        if not store.erase(target.session_id):
            print(f"无法删除填写记录 {target.session_id}（文件无法删除，请检查保存位置的权限）。", file=sys.stderr)
            return 1
        print(f"已删除填写记录 {target.session_id}（{clean_text(target.flow_id, multiline=False)}）。")
        return 0
    return _list(store)

"""Entrance 6: save files edited, broken or planted by hand, through the real commands.

The store's own tests (``tests/test_store.py``) call :class:`wizard.store.disk.Store`
directly; here the same kinds of files meet the programs a user runs:
``wizard sessions`` (listing), ``wizard run --plain --resume`` (shown to the
user) and ``wizard checklist --answers`` (exported). Each bad file is set
aside or refused with one sentence, never followed outside the data folder,
never overwritten, and nothing of it reaches the terminal as a control
character. The full-screen app on a hostile save file is in
``test_terminal.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.hostile.common import (
    ALL_ESCAPES,
    SMALL_FLOW,
    Ran,
    assert_clean_output,
    base_env,
    run_batch,
    wizard,
)
from wizard.flow.loader import load_flow
from wizard.session import Session
from wizard.store.disk import Store

SID = "0123456789abcdef"
NAME = f"{SID}.json"


def valid_save(folder: Path, **answers: str) -> Path:
    """A real save file of the small flow, written by the store, in ``folder``."""
    flow = load_flow(SMALL_FLOW)
    store = Store(folder)
    session = Session(flow, answers=dict(answers) or {"merchant": "某某商店"}, today=date.today())
    assert store.save(session, SID).ok
    return store.path_of(SID)


def _bytes(content: bytes) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        data.mkdir(mode=0o700, parents=True)
        fd = os.open(data / NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)

    return make


def _edited(edit: Callable[[dict[str, object]], None]) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        path = valid_save(data)
        obj = json.loads(path.read_text(encoding="utf-8"))
        edit(obj)
        path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")

    return make


def _truncated(data: Path) -> None:
    path = valid_save(data)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def _huge(data: Path) -> None:
    data.mkdir(mode=0o700, parents=True)
    with open(data / NAME, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB without writing them


def _mode_0644(data: Path) -> None:
    os.chmod(valid_save(data), 0o644)


def _symlink_to(target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def make(data: Path) -> None:
        data.mkdir(mode=0o700, parents=True)
        os.symlink(target(data), data / NAME)

    return make


def _outside_session(data: Path) -> Path:
    """A valid save file (with someone's answers) outside the data folder."""
    outside = data.parent / "outside"
    path = valid_save(outside, merchant="别人的商店")
    return path


def _fifo(data: Path) -> None:
    data.mkdir(mode=0o700, parents=True)
    os.mkfifo(data / NAME, 0o600)


def _set(key: str, value: object) -> Callable[[dict[str, object]], None]:
    def edit(obj: dict[str, object]) -> None:
        obj[key] = value

    return edit


def _escapes(obj: dict[str, object]) -> None:
    obj["position_title"] = f"关于{ALL_ESCAPES}商家"
    obj["flow_title"] = f"测试{ALL_ESCAPES}向导"
    obj["flow_version"] = f"1{ALL_ESCAPES}"
    obj["answers"] = {"merchant": f"某某{ALL_ESCAPES}商店", "story": f"一\n二{ALL_ESCAPES}"}
    obj["drafts"] = {"phone": f"138{ALL_ESCAPES}"}
    obj["labels"] = {"merchant": f"商家{ALL_ESCAPES}名称"}


@dataclass(frozen=True)
class SaveCase:
    make: Callable[[Path], None]
    message: str  # words of the sentence ``wizard sessions`` prints
    set_aside: bool  # renamed to <name>.corrupt-<time>
    listed: bool  # still listed (usable)


SAVE_CASES: dict[str, SaveCase] = {
    "truncated": SaveCase(_truncated, "文件内容不完整或已损坏", True, False),
    "invalid-json": SaveCase(_bytes(b'{"format": 1, "answers": {'), "文件内容不完整或已损坏", True, False),
    "yaml-instead-of-json": SaveCase(_bytes(b"format: 1\nanswers: {}\n"), "文件内容不完整或已损坏", True, False),
    "not-utf8": SaveCase(_bytes(b'{"format": 1, "x": "\xff\xfe"}'), "编码错误", True, False),
    "empty": SaveCase(_bytes(b""), "文件是空的", True, False),
    "wrong-version-newer": SaveCase(_edited(_set("format", 2)), "更新版本的向导", True, False),
    "wrong-version-unknown": SaveCase(_edited(_set("format", 0)), "无法识别", True, False),
    "wrong-version-text": SaveCase(_edited(_set("format", "1")), "没有有效的格式版本", True, False),
    "100-megabytes": SaveCase(_huge, "文件过大", True, False),
    "mode-0644-tightened": SaveCase(_mode_0644, "文件权限过宽", False, True),
    "symlink-to-a-session-outside": SaveCase(_symlink_to(_outside_session), "指向别处的链接", True, False),
    "symlink-to-etc-passwd": SaveCase(_symlink_to(lambda _d: Path("/etc/passwd")), "指向别处的链接", True, False),
    "fifo-named-like-a-session": SaveCase(_fifo, "不是普通文件", True, False),
    "escape-sequences-inside": SaveCase(_edited(_escapes), "关于[31m[2J]52;c;SGVsbG8=", False, True),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Listed:
    data: Path
    ran: Ran
    outside_before: tuple[str, int] | None


@pytest.fixture(scope="module")
def listings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Listed]:
    base = tmp_path_factory.mktemp("hostile-saves")
    jobs = {}
    outside: dict[str, tuple[str, int] | None] = {}
    for name, case in SAVE_CASES.items():
        data = base / name / "data"
        case.make(data)
        target = base / name / "outside" / NAME
        outside[name] = (_digest(target), stat.S_IMODE(target.stat().st_mode)) if target.exists() else None
        jobs[name] = (["sessions"], base / name / "cwd", base_env(data, base / name / "home"), None)
    ran = run_batch(jobs)
    return {name: Listed(base / name / "data", ran[name], outside[name]) for name in SAVE_CASES}


@pytest.mark.parametrize("name", list(SAVE_CASES))
def test_wizard_sessions_on_a_bad_save_file(name: str, listings: dict[str, Listed]) -> None:
    case, listed = SAVE_CASES[name], listings[name]
    ran = listed.ran
    ran.assert_exited_cleanly(0)
    ran.assert_cwd_untouched()
    assert_clean_output(ran.output, name)
    assert case.message in ran.output, ran.output
    names = sorted(n for n in os.listdir(listed.data) if not n.endswith(".lock"))  # the saver's lock file
    if case.set_aside:
        assert len(names) == 1 and names[0].startswith(f"{NAME}.corrupt-"), names
        assert "已改名为" in ran.output and "不会被覆盖" in ran.output
    else:
        assert names == [NAME]
    assert (SID in ran.stdout.split("已保存的填写记录")[-1]) is case.listed
    if listed.outside_before is not None:
        target = listed.data.parent / "outside" / NAME
        assert (_digest(target), stat.S_IMODE(target.stat().st_mode)) == listed.outside_before, "never followed"
        assert "别人的商店" not in ran.output
    if name == "mode-0644-tightened":
        assert stat.S_IMODE((listed.data / NAME).stat().st_mode) == 0o600
    if name == "symlink-to-etc-passwd":
        assert os.path.islink(listed.data / names[0]), "the link itself is set aside, not what it points to"
        assert "root:" not in ran.output


def test_plain_resume_shows_a_hand_edited_file_sanitised(tmp_path: Path) -> None:
    """A hand-edited save file reaches the user (plain mode) as text, with nothing that drives the terminal."""
    data = tmp_path / "data"
    _edited(_escapes)(data)
    before = sorted(os.listdir(data))
    ran = wizard(["run", "--plain", "--resume", str(SMALL_FLOW)], tmp_path / "cwd", base_env(data, tmp_path), b"\n")
    ran.assert_exited_cleanly(1)  # the input ended: progress saved
    ran.assert_cwd_untouched()
    assert_clean_output(ran.output, "plain mode")
    assert "当前：某某[31m[2J]52;c;SGVsbG8=]8;;https://evil.example\\点我]8;;\\]0;PWNED31m商店" in ran.stdout
    assert "进度已保存" in ran.stdout
    assert sorted(os.listdir(data)) == before, "the same session, saved again in place"
    saved = json.loads((data / NAME).read_text(encoding="utf-8"))
    assert saved["answers"]["merchant"].startswith("某某[31m"), "nothing lost"
    for text in (saved["answers"]["merchant"], saved["answers"]["story"], *saved["drafts"].values()):
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text


@pytest.mark.parametrize("fmt", ["markdown", "text", "json", "html"])
def test_checklist_from_a_hand_edited_save_file_is_clean(fmt: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _edited(_escapes)(data)
    save = data / NAME
    ran = wizard(
        ["checklist", str(SMALL_FLOW), "--answers", str(save), "--format", fmt],
        tmp_path / "cwd",
        base_env(tmp_path / "other-data", tmp_path),
    )
    ran.assert_exited_cleanly(0)
    ran.assert_cwd_untouched()
    assert_clean_output(ran.output, f"checklist {fmt}")
    assert "SGVsbG8=" in ran.stdout, "the answer is in the checklist, as text"
    assert not (tmp_path / "other-data").exists()

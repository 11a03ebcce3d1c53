"""``wizard checklist``: the command line around the exporters."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import FLOWS, ROOT
from wizard import export
from wizard.answers.file import load_answers
from wizard.checklist import build
from wizard.commands import checklist as command
from wizard.flow.loader import load_flow
from wizard.session import Session
from wizard.text.script import renderer_for

DATA = ROOT / "tests" / "data"
TEST_FLOW = DATA / "export-flow.yaml"
ANSWERS = DATA / "export-answers.yaml"
COMPLAINT = FLOWS / "12315-complaint.yaml"
EXAMPLES = FLOWS / "examples" / "12315-complaint"


def wizard(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def expected(flow_path: Path, answers: Path, fmt: str, script: str = "zh-Hans") -> str:
    flow = load_flow(flow_path)
    today = date.today()
    loaded = load_answers(flow, answers, today)
    session = Session(flow, answers=dict(loaded.answers), today=today, script=script)
    renderer = renderer_for(script)
    return export.render(build(session, renderer), fmt, script=script, generated=today, renderer=renderer)


def test_formats_match_the_exporters() -> None:
    assert command.FORMATS == export.ALL_FORMATS


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_each_format_on_a_shipped_example(fmt: str) -> None:
    answers = EXAMPLES / "online-clothing-refund.yaml"
    result = wizard("checklist", "--answers", answers, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected(COMPLAINT, answers, fmt)
    assert "Traceback" not in result.stderr


def test_default_flow_and_default_format() -> None:
    answers = EXAMPLES / "seven-day-return.yaml"
    result = wizard("checklist", "--answers", answers)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected(COMPLAINT, answers, "markdown")


def test_fired_checks_appear_with_the_stop_first() -> None:
    result = wizard("checklist", "--answers", EXAMPLES / "over-three-years.yaml", "--format", "text")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[4].startswith("！！" + export.STOP_HEADING)
    assert "第十六条" in result.stdout


def test_bad_answer_is_reported_as_file_field_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("channel: 邮购\nphone: 12\npurchase_date: 2024-02-30\n", encoding="utf-8")
    result = wizard("checklist", TEST_FLOW, "--answers", bad)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"{bad}: channel: 请从列表中选择：网购、实体店" in lines
    assert any(line.startswith(f"{bad}: phone: ") for line in lines)
    assert f"{bad}: purchase_date: 日期不存在：2024 年 2 月没有 30 日" in lines
    assert "Traceback" not in result.stderr


def test_unknown_field_ids_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "typo.yaml"
    bad.write_text(ANSWERS.read_text(encoding="utf-8") + "merchant_nmae: 某某\n", encoding="utf-8")
    result = wizard("checklist", TEST_FLOW, "--answers", bad)
    assert result.returncode == 1
    assert f"{bad}: merchant_nmae: unknown field; did you mean 'merchant_name'?" in result.stderr.splitlines()


def test_missing_required_answers_are_warned_but_listed(tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text("channel: 实体店\npurchase_date: 2024-03-15\n", encoding="utf-8")
    result = wizard("checklist", TEST_FLOW, "--answers", partial, "--format", "text")
    assert result.returncode == 0, result.stderr
    assert f"{partial}: warning: merchant_name: 必填项没有回答，清单中显示为「（未填写）」" in result.stderr
    assert "（未填写）" in result.stdout


def test_saved_session_file_with_ticked_items(tmp_path: Path) -> None:
    from wizard.store.disk import Store

    flow = load_flow(TEST_FLOW)
    loaded = load_answers(flow, ANSWERS, date.today())
    session = Session(flow, answers=dict(loaded.answers), ticked={"purchase.0"}, script="zh-Hans")
    session.answers["removed_field"] = "旧版本的回答"
    store = Store()
    store.startup()
    sid = store.new_session_id()
    assert store.save(session, sid).ok
    result = wizard("checklist", TEST_FLOW, "--answers", store.path_of(sid), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "- [x] 在「购买日期」填写：`2024-03-15`" in result.stdout
    assert "removed_field: 新版流程中没有这一项，已忽略" in result.stderr
    other = wizard("checklist", COMPLAINT, "--answers", store.path_of(sid))
    assert other.returncode == 1
    assert "export-test" in other.stderr


def test_output_file_is_private_and_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "清单.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    args = ("checklist", TEST_FLOW, "--answers", ANSWERS, "--format", "html", "--output", target)
    refused = wizard(*args)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "old"
    result = wizard(*args, "--force")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert str(target) in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == expected(TEST_FLOW, ANSWERS, "html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["清单.html"]  # no temporary file left


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "read-only"])
def test_output_errors_are_clear(tmp_path: Path, where: str) -> None:
    if where == "missing-folder":
        target = tmp_path / "nope" / "x.md"
        reason = "不存在"
    elif where == "a-folder":
        target = tmp_path
        reason = "文件夹"
    else:
        if os.geteuid() == 0:
            pytest.skip("root can write into a read-only folder")
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "x.md"
        reason = "Permission denied"
    result = wizard("checklist", TEST_FLOW, "--answers", ANSWERS, "--output", target)
    assert result.returncode == 1
    assert result.stderr.startswith(f"无法写入 {target}：")
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


def test_script_choice_sets_the_html_language() -> None:
    result = wizard("checklist", TEST_FLOW, "--answers", ANSWERS, "--format", "html", "--script", "zh-HK")
    assert result.returncode == 0, result.stderr
    assert '<html lang="zh-HK">' in result.stdout


def test_json_output_is_valid_json() -> None:
    result = wizard("checklist", TEST_FLOW, "--answers", DATA / "hostile-answers.yaml", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["flow"]["id"] == "export-test"
    assert "\x1b" not in result.stdout


def test_checklist_never_imports_textual_or_rich() -> None:
    code = (
        "import sys\n"
        "from wizard.cli import main\n"
        f"rc = main(['checklist', {str(TEST_FLOW)!r}, '--answers', {str(ANSWERS)!r}, '--format', 'text'])\n"
        "heavy = sorted(m for m in ('textual', 'rich', 'opencc', 'json', 'html') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    heavy = result.stderr.strip().splitlines()[-1]
    assert "textual" not in heavy and "rich" not in heavy and "opencc" not in heavy, heavy


# --- -o never replaces what is there (issue 14, item 2) ------------------------------------------


def _checklist_to(target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return wizard("checklist", TEST_FLOW, "--answers", ANSWERS, "--format", "text", "--output", target, *extra)


def test_output_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "清单.txt"
    target.write_text("mine", encoding="utf-8")
    result = _checklist_to(target)
    assert result.returncode == 1
    assert "已经存在" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["清单.txt"]  # no temporary file left


def test_output_creates_a_new_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    result = _checklist_to(target)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == expected(TEST_FLOW, ANSWERS, "text")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("kind", ["symlink-to-file", "dangling-symlink", "fifo", "device"])
def test_output_never_replaces_a_link_or_a_device(tmp_path: Path, kind: str, force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    if kind == "device":
        target = Path("/dev/null")
        if not target.is_char_device():
            pytest.skip("no /dev/null character device here")
    else:
        target = tmp_path / "out.txt"
        if kind == "symlink-to-file":
            target.symlink_to(victim)
        elif kind == "dangling-symlink":
            target.symlink_to(tmp_path / "nowhere.txt")
        else:
            os.mkfifo(target)  # writing to it would block: it must not even be opened
    before = os.lstat(target)
    result = _checklist_to(target, *(["--force"] if force else []))
    assert result.returncode == 1
    assert result.stderr.startswith(f"无法写入 {target}：这里已经有")
    assert "--force 也不会替换它" in result.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "nowhere.txt").exists()
    if kind != "device":
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "victim.txt"]


def test_force_replaces_a_plain_file_through_a_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "清单.txt"
    target.write_text("old", encoding="utf-8")
    other = tmp_path / "hardlink.txt"
    os.link(target, other)  # a second name of the old file: the rename replaces the name, not the contents
    result = _checklist_to(target, "--force")
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == expected(TEST_FLOW, ANSWERS, "text")
    assert other.read_text(encoding="utf-8") == "old"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hardlink.txt", "清单.txt"]


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check before writing is not the only guard: the new file is linked into place, which fails
    if anything took the name meanwhile (a race with another program)."""
    import tempfile

    target = tmp_path / "x.txt"
    real = tempfile.mkstemp

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real(*args, **kwargs)  # type: ignore[call-overload]
        target.symlink_to(tmp_path / "elsewhere.txt")  # appears after the first check
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    with pytest.raises(command.OutputRefused, match="符号链接"):
        command.write_private(target, "text")
    assert target.is_symlink() and not (tmp_path / "elsewhere.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_force_without_output_is_a_usage_error() -> None:
    result = wizard("checklist", TEST_FLOW, "--answers", ANSWERS, "--force")
    assert result.returncode == 2 and "--output" in result.stderr and result.stdout == ""

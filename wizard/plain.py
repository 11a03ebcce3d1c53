"""Plain line-by-line mode: ``wizard run --plain`` (screen readers, dumb terminals, pipes).

Like charmbracelet/huh's accessible mode: the same flow and the same
:class:`~wizard.session.Session` as the full-screen app, asked one line at a
time on standard input and output, with no colours, no cursor movement and
no knowledge of the terminal's width.

- Each step is announced as 「第 3 / 8 步：标题」, followed by its body as
  plain text (the Markdown dialect of every view, :mod:`wizard.text.markup`, without
  its marks; links as ``text（url）``, an address that is not official marked
  「不是官方网站」 and never announced as 「网址：」) and its
  tips and warnings (``提示：`` / ``注意：``).
- Each applicable field is asked with its label, help and rules; a bad
  answer is refused with the reason from :func:`wizard.answers.fields.validate` and
  asked again. Choices are numbered: type the number or the exact option
  (several numbers for a multiselect, separated by commas, spaces or 、).
- On its own line, ``<`` goes back one step (answers are kept), ``?`` shows
  help; an empty line keeps the current answer (「当前：…」) or skips an
  optional field. Multi-line answers end with an empty line.
- A stop check after a step is explained; the user goes back with ``<`` or
  quits with ``q``. Warn checks are shown once, after their step.
- Every answer and every step is saved through :mod:`wizard.store.disk`
  before the wizard waits for the next line. While more input is already
  there (a pipe or a file fed in, a paste of several lines) saves are put
  off, at most :data:`SAVE_INTERVAL` seconds, and made at the end: a long
  flow fed from a file is not written out again after every answer
  (issue 14, item 11), and a person typing loses nothing.
  ``resume='ask'`` asks 「继续上次的填写？[Y/n]」 when standard input is a
  terminal; when it is a pipe the run starts afresh (the saved session is
  kept; pass ``--resume`` to continue it), so that piping the same answers
  always gives the same result.
- The end is a review of the answers (Enter to finish, a step number to
  change that step) and then the checklist, printed exactly as
  ``wizard checklist --format text`` prints it.

Exit codes: 0 when the checklist was printed; 1 when the input ended (EOF)
or the user quit before that (progress saved); 130 on Ctrl+C (progress
saved). Input is read as bytes and decoded leniently; escape sequences and
control characters typed or piped in are removed before anything else.
"""

from __future__ import annotations

import os
import re
import select
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from wizard import shutdown
from wizard.answers.fields import RawAnswer, format_hint, format_limits
from wizard.checklist import build
from wizard.export import NOT_OFFICIAL, link_line, to_text
from wizard.flow.model import Field, FieldType, Flow, Option, Step, Text
from wizard.session import CHECKLIST, REVIEW, REVIEW_TITLE, TIP, Session
from wizard.text import markup
from wizard.text.render import TextRenderer
from wizard.text.safety import clean_text
from wizard.text.script import renderer_for

if TYPE_CHECKING:
    from wizard.store.disk import Store

BACK = frozenset({"<", "＜"})
HELP = frozenset({"?", "？"})
QUIT = frozenset({"q", "Q", "退出"})
YES = frozenset({"", "y", "yes", "是", "继续", "好", "对"})
NO = frozenset({"n", "no", "否", "不", "不要"})
PROMPT = "> "
#: The longest a save is put off while input is already waiting (seconds).
SAVE_INTERVAL = 1.0

# escape sequences typed or pasted into the input (arrow keys, bracketed paste, OSC titles)
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[NO]."  # SS2, SS3 (F1-F4, keypad)
    r"|\x1b."  # any other two-character sequence
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_SPLIT = re.compile(r"[,，、;；\s]+")

HELP_TEXT = """帮助：
  输入答案后按回车。
  直接按回车：保留「当前」的答案；可以不填的问题直接跳过。
  <  回到上一步（已填的答案会保留）。
  ?  显示这段帮助和这一题的说明。
  选择题：输入编号（例如 2）或选项的文字。
  多选题：输入几个编号，用逗号、空格或顿号分开（例如 1,3 或 1 3）。
  多行文字：一行一行输入，最后输入一个空行结束。
  “是/否”题：输入 是 或 否（也可以输入 y 或 n）。
  Ctrl+D 或 Ctrl+C：保存后退出；下次运行 wizard run --plain 可以继续。"""


class InputEnded(Exception):
    """Standard input reached its end (EOF)."""


class UserQuit(Exception):
    """The user chose to stop (``q`` at a stop check)."""


def sanitise_input(raw: bytes) -> str:
    """A line as typed: decoded leniently, escape sequences and control characters removed."""
    text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
    return clean_text(_ESCAPES.sub("", text), multiline=False).strip()


@dataclass
class Console:
    """Plain lines out, sanitised lines in. Never reads the terminal size, never colours."""

    stdin: BinaryIO
    stdout: TextIO
    echo: bool = False  # repeat piped input after the prompt, so that a transcript reads well
    #: called before waiting for a line that is not there yet (a put-off save is made then)
    before_wait: Callable[[], None] | None = None

    def input_waiting(self) -> bool:
        """True when a line (or the end of input) can be read without waiting.

        Asks the operating system about the descriptor; a stream without one, or bytes already
        in Python's buffer only, count as not waiting (so the caller saves: the safe side).
        """
        try:
            fd = self.stdin.fileno()
            ready, _, _ = select.select([fd], [], [], 0)
        except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
            return False
        return bool(ready)

    def say(self, text: str = "") -> None:
        self.stdout.write(clean_text(text) + "\n")
        self.stdout.flush()

    def ask(self, prompt: str = PROMPT) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        if self.before_wait is not None and not self.input_waiting():
            self.before_wait()
        raw = self.stdin.readline()
        if not raw:
            self.stdout.write("\n")
            raise InputEnded
        line = sanitise_input(raw)
        if self.echo:
            self.stdout.write(line)
        if self.echo or not raw.endswith(b"\n"):
            self.stdout.write("\n")
        return line


class _Saver:
    """Autosave through :mod:`wizard.store.disk`; tells the user once when saving fails or recovers."""

    def __init__(self, console: Console, ui: Callable[[str], str], clock: Callable[[], float] = time.monotonic) -> None:
        self.console = console
        self.ui = ui
        self.store: Store | None = None
        self.session_id = ""
        self.failed = False
        self.clock = clock
        self.pending: Session | None = None  # a save put off while input is waiting
        self.last = clock()
        console.before_wait = self.flush

    def start(self, flow: Flow, today: date, resume: str, interactive: bool) -> Session | None:
        """The restored session, or None to start afresh."""
        from wizard.store.disk import Store  # imported when a run starts, not with the module

        store = Store()
        self.store = store
        for notice in store.startup():
            self.console.say(self.ui("提示：" + notice))
        saved = store.latest_for(flow.id)
        if saved is not None and resume == "ask" and not interactive:
            self.console.say(
                self.ui("提示：输入不是终端，从头开始；上次的填写仍然保留（用 --resume 继续上次的填写）。")
            )
        elif saved is not None and resume != "fresh":
            refused = store.claim(saved.session_id)
            if refused is not None:  # open in another wizard: leave its file alone, start a new one
                self.console.say(self.ui("注意：" + refused))
                self.session_id = store.new_session_id()
                return None
            if resume == "ask":
                when = saved.updated.astimezone().strftime("%Y-%m-%d %H:%M")
                self.console.say(
                    self.ui("找到上次的填写（") + when + self.ui("，停在“") + saved.position_label + self.ui("”）。")
                )
                while True:
                    answer = self.console.ask(self.ui("继续上次的填写？[Y/n] ")).lower()
                    if answer in YES or answer in NO:
                        break
                    self.console.say(self.ui("请输入 y（继续）或 n（从头开始）。"))
                if answer in NO:
                    self.console.say(self.ui("从头开始；上次的填写仍然保留。"))
                    self.session_id = store.new_session_id()
                    return None
            session, notes = store.restore(saved, flow, today)
            for note in notes:
                self.console.say(self.ui("提示：" + note))
            self.session_id = saved.session_id
            return session
        self.session_id = store.new_session_id()
        return None

    def save(self, session: Session, *, now: bool = False) -> None:
        """Save, or put the save off while the next line is already waiting (see the module notes)."""
        if self.store is None or not self.session_id:
            return
        if not now and self.clock() - self.last < SAVE_INTERVAL and self.console.input_waiting():
            self.pending = session
            return
        self.write(session)

    def close(self) -> None:
        """The run is over: let go of the session's lock (a later wizard in this process may open it)."""
        self.console.before_wait = None
        if self.store is not None and self.session_id:
            self.store.release(self.session_id)

    def flush(self) -> None:
        """Make a put-off save now."""
        if self.pending is not None:
            self.write(self.pending)

    def write(self, session: Session) -> None:
        assert self.store is not None
        self.pending = None
        self.last = self.clock()
        result = self.store.save(session, self.session_id)
        if not result.ok and not self.failed:
            self.console.say(self.ui("注意：" + (result.message or "无法保存进度。")))
        elif result.ok and self.failed:
            self.console.say(self.ui("提示：已恢复自动保存。"))
        self.failed = not result.ok

    @property
    def saved(self) -> bool:
        """True when the last save worked."""
        return self.store is not None and bool(self.session_id) and not self.failed


@dataclass
class PlainRun:
    """One run of the plain mode over a session."""

    flow: Flow
    console: Console
    renderer: TextRenderer
    script: str
    today: date
    saver: _Saver
    session: Session = field(init=False)
    from_review: bool = False
    shown_notes: set[int] = field(default_factory=set)  # the notes of the current step already read out
    #: A multi-line answer being typed: (field id, the lines so far), saved as a draft on a signal.
    typing: tuple[str, list[str]] | None = None

    # --- text --------------------------------------------------------------------

    def ui(self, s: str) -> str:
        return self.renderer.ui(s)

    def text(self, t: Text) -> str:
        """Flow text as plain words in the reader's script, answers inserted: the Markdown dialect of
        every view (:mod:`wizard.text.markup`) without its marks; an answer is never read as Markdown."""
        return markup.plain_spans(markup.inline(self._runs(t)), self.unofficial)

    def body(self, t: Text) -> str:
        """A step body or the flow's description (paragraphs, lists, quotes) as plain lines."""
        return markup.plain_blocks(markup.blocks(self._runs(t)), self.unofficial)

    def _runs(self, t: Text) -> list[markup.Run]:
        effective = self.session.effective()
        return markup.runs_of(t, self.renderer, lambda name: self.session.value_of(name, effective))

    def unofficial(self, url: str) -> str:
        """An address that may not be live (:func:`wizard.text.safety.live_link`): shown, never as a link."""
        return f"{url}（{self.ui(NOT_OFFICIAL)}）"

    def say(self, s: str = "") -> None:
        self.console.say(s)

    def ask(self) -> str:
        return self.console.ask(PROMPT)

    # --- the whole run ------------------------------------------------------------

    def run(self, resume: str) -> int:
        restored = self.saver.start(self.flow, self.today, resume, interactive=self.interactive)
        self.session = restored or Session(self.flow, today=self.today, script=self.script)
        self.session.script = self.script
        if self.session.position == CHECKLIST:
            self.session.go(REVIEW)
        self.say(self.text(self.flow.title))
        if self.flow.description and restored is None:
            self.say(self.body(self.flow.description).strip())
        self.say(self.ui("输入 ? 查看帮助，输入 < 回到上一步。"))
        self.save()
        while True:
            position = self.session.position
            if position == REVIEW:
                if self.review():
                    return self.finish()
                continue
            step = self.flow.step(position)
            if step is None:
                self.session.go(REVIEW)
                continue
            self.step(step)

    @property
    def interactive(self) -> bool:
        isatty: Callable[[], bool] | None = getattr(self.console.stdin, "isatty", None)
        return bool(isatty and isatty())

    def save(self, *, now: bool = False) -> None:
        self.saver.save(self.session, now=now)

    def flush_for_exit(self) -> None:
        """SIGHUP / SIGTERM (see :mod:`wizard.shutdown`): save now, a multi-line answer being typed
        included (as a draft). The line being typed is still in the terminal, out of reach."""
        if not hasattr(self, "session"):
            return
        self.keep_typing()
        self.save(now=True)

    def keep_typing(self) -> None:
        """A multi-line answer cut short: its lines so far become the field's draft (not saved here)."""
        if self.typing is not None and self.typing[1] and hasattr(self, "session"):
            fid, lines = self.typing
            self.session.drafts[fid] = "\n".join(lines)

    # --- one step -----------------------------------------------------------------

    def announce(self, step: Step) -> None:
        n, total = self.session.progress(step.id)
        self.say()
        self.say(self.ui(f"第 {n} / {total} 步：") + self.text(step.title))
        if step.link:
            self.say(link_line(step.link, self.ui))
        if step.body:
            self.say(self.body(step.body).strip())
        self.shown_notes = set()
        self.new_notes(step)

    def new_notes(self, step: Step) -> None:
        """The step's tips and warnings that apply now and were not read out yet on this step:
        one given on this step can make a tip apply (the same rule as the full-screen page)."""
        for kind, note in self.session.notes(step):
            if id(note) not in self.shown_notes:
                self.shown_notes.add(id(note))
                self.say(self.ui("提示：" if kind == TIP else "注意：") + self.text(note.text).strip())

    def step(self, step: Step) -> None:
        """Ask the step's fields, then check it; moves the session to the next position."""
        self.announce(step)
        # A condition reads only answers given before it (the linter sees to it), so an answer
        # never shows or hides a field before it: the fields are asked in one pass, each numbered
        # among those shown, without listing the step again after every answer.
        conditional = [f for f in step.fields if f.when is not None]
        always = len(step.fields) - len(conditional)
        number = 0
        for f in step.fields:
            self.new_notes(step)
            if not self.session.field_shown(f):
                continue
            number += 1
            count = always + sum(1 for g in conditional if self.session.field_shown(g))
            if self.ask_field(f, number, count) == "back":
                self.go_back(step)
                return
        self.new_notes(step)
        result = self.session.validate_step(step, {})
        while not result.ok:
            for fid, message in result.errors.items():
                wrong = self.flow.field(fid)
                if wrong is None:
                    continue
                self.say(self.ui("需要修改：") + self.text(wrong.label) + "：" + message)
                visible = self.session.visible_fields(step)
                number = visible.index(wrong) + 1 if wrong in visible else 1
                if self.ask_field(wrong, number, len(visible), force=True) == "back":
                    self.go_back(step)
                    return
            result = self.session.validate_step(step, {})
        self.session.commit_step(result)
        self.new_notes(step)
        self.save()
        if not self.checks(step):
            return  # asked again: the position is unchanged
        self.session.go(self.after(step))
        self.save()

    def after(self, step: Step) -> str:
        """Where to go when a step is done: the next step, or back to the review."""
        target = self.session.next_after(step.id, changing=self.from_review)
        if target == REVIEW:
            self.from_review = False
        return target

    def go_back(self, step: Step) -> None:
        """To the previous step that asks something (steps that only inform are passed over)."""
        previous = self.session.back_from(step.id, asks_only=True)
        if previous is None:
            self.say(self.ui("前面没有需要填写的步骤了。"))
            return  # the same step is asked again
        self.session.go(previous)
        self.save()

    def checks(self, step: Step) -> bool:
        """Show the checks evaluated after ``step``; False when a stop check holds (step asked again)."""
        for check in self.session.warnings_after(step.id):
            self.say(self.ui("注意：") + self.text(check.message).strip())
        stops = self.session.blocking_checks(step.id)
        if not stops:
            return True
        self.say()
        for check in stops:
            self.say(self.ui("！！无法继续：") + self.text(check.message).strip())
        self.say(self.ui("输入 < 回到这一步修改答案，输入 q 退出（进度已保存）。"))
        while True:
            answer = self.ask()
            if answer in BACK:
                if not self.session.visible_fields(step):
                    self.go_back(step)
                return False
            if answer in QUIT:
                raise UserQuit
            if answer in HELP:
                self.say(self.ui(HELP_TEXT))
            self.say(self.ui("请输入 < 回到这一步修改答案，或输入 q 退出。"))

    # --- one field ------------------------------------------------------------------

    def rules(self, f: Field) -> list[str]:
        """What the field accepts, in words."""
        lines: list[str] = []
        t = f.type
        if t is FieldType.SELECT:
            lines.append("请输入编号或选项的文字：")
        elif t is FieldType.MULTISELECT:
            lines.append("可以选几项：输入编号，用逗号、空格或顿号分开（例如 1,3）：")
        elif t is FieldType.CONFIRM:
            lines.append("请回答 是 或 否（y/n）" + ("；要继续必须回答“是”" if f.required else ""))
        else:
            parts = [format_hint(f)] if format_hint(f) else []
            if t is FieldType.TEXTAREA:
                parts.append("可以输入多行，最后输入一个空行结束")
            parts += format_limits(f)
            if parts:
                lines.append("；".join(parts))
        out = [self.ui(line) for line in lines]
        if f.placeholder and t not in (FieldType.SELECT, FieldType.MULTISELECT, FieldType.CONFIRM):
            example = self.text(f.placeholder).strip()
            out.append(example if example.startswith(self.ui("例如")) else self.ui("例如：") + example)
        return out

    def options(self, f: Field) -> list[Option]:
        return self.session.visible_options(f)

    def describe(self, f: Field, number: int, count: int) -> None:
        need = self.ui("（必填）") if f.required else self.ui("（可以不填，直接回车跳过）")
        self.say()
        self.say(self.ui(f"问题 {number} / {count}：") + self.text(f.label) + need)
        if f.site_label:
            self.say(self.ui("网站上的栏目：") + self.renderer.label(f.site_label))
        if f.help:
            self.say(self.text(f.help).strip())
        for line in self.rules(f):
            self.say(line)
        for i, opt in enumerate(self.options(f), 1):
            label = self.text(opt.label)
            self.say(f"  {i}. {label}" if label == opt.value else f"  {i}. {label}（{opt.value}）")
        current = self.current(f)
        if current is not None:
            self.say(self.ui("当前：") + current + self.ui("（直接回车保留）"))
        draft = self.session.drafts.get(f.id)
        if draft and current is None:
            self.say(self.ui("上次输入（没有通过检查）：") + draft)

    def current(self, f: Field) -> str | None:
        """The field's answer as the review shows it (a choice by its label), on one line."""
        shown = self.session.answer_text(f, self.session.answers.get(f.id), self.renderer, self.text)
        return shown.replace("\n", " / ") if shown else None

    def ask_field(self, f: Field, number: int, count: int, *, force: bool = False) -> str | None:
        """Ask until the answer is accepted; 'back' when the user typed ``<``."""
        if not force:
            self.describe(f, number, count)
        while True:
            raw = self.ask()
            if raw in BACK:
                return "back"
            if raw in HELP:
                self.say(self.ui(HELP_TEXT))
                self.describe(f, number, count)
                continue
            if raw and f.type is FieldType.TEXTAREA:
                self.typing = (f.id, [])
                try:
                    raw = self.more_lines(raw)
                except BaseException:  # input ended, Ctrl+C: the lines so far are kept as a draft
                    self.keep_typing()
                    raise
                finally:
                    self.typing = None
            error = self.answer(f, raw)
            if error is None:
                return None
            self.say(self.ui("不对：") + error + self.ui("。请重新输入（输入 ? 查看帮助）。"))

    def more_lines(self, first: str) -> str:
        lines = [first]
        if self.typing is not None:
            self.typing = (self.typing[0], lines)  # read by flush_for_exit if a signal comes meanwhile
        while True:
            line = self.console.ask("… ")
            if not line:
                return "\n".join(lines)
            lines.append(line)

    def answer(self, f: Field, raw: str) -> str | None:
        """Validate (as the session does for the whole step) and store one answer; the reason when refused."""
        current = self.session.answers.get(f.id)
        if not raw and current is None and not f.required:
            return None  # an optional field left empty
        value: RawAnswer = self.choice(f, raw) if raw else current
        verdict = self.session.validate_field(f, value)
        if verdict.error is not None:
            if raw:
                self.session.drafts[f.id] = raw
                self.save()
            return verdict.error
        if raw:
            self.session.drafts.pop(f.id, None)
            self.session.set_answer(f.id, verdict.value)
            self.save()
            if verdict.warning:
                self.say(self.ui("注意：") + verdict.warning)
        return None

    def choice(self, f: Field, raw: str) -> str | list[str]:
        """Numbers (and option labels) to option values; anything else as typed."""
        if f.type not in (FieldType.SELECT, FieldType.MULTISELECT):
            return raw
        options = self.options(f)

        def one(token: str) -> str | None:
            for opt in options:
                if token == opt.value:
                    return opt.value
            for opt in options:
                if token == self.text(opt.label):
                    return opt.value
            digits = token.translate(_FULLWIDTH_DIGITS)
            if digits.isdigit() and 1 <= int(digits) <= len(options):
                return options[int(digits) - 1].value
            return None

        if f.type is FieldType.SELECT:
            return one(raw) or raw
        whole = one(raw)
        if whole is not None:
            return [whole]
        chosen: list[str] = []
        for piece in re.split(r"[,，、;；]+", raw):
            piece = piece.strip()
            if not piece:
                continue
            found = one(piece)
            if found is not None:
                chosen.append(found)
                continue
            for token in _SPLIT.split(piece):
                if token:
                    chosen.append(one(token) or token)
        return chosen

    # --- the end ---------------------------------------------------------------------

    def review(self) -> bool:
        """Show every answer; True when the user confirms (Enter)."""
        steps = self.session.visible_steps()
        self.say()
        self.say(self.ui(REVIEW_TITLE + "："))
        for n, s in enumerate(steps, 1):
            self.say(f"{n}. {self.text(s.title)}")
            for f in self.session.visible_fields(s):
                shown = self.current(f) or self.renderer.missing
                self.say(f"   {self.text(f.label)}：{shown}")
        stops = self.session.blocking_checks()
        for check in stops:
            self.say(self.ui("！！无法继续：") + self.text(check.message).strip())
        incomplete = self.session.first_incomplete()
        if stops or incomplete is not None:
            self.say(self.ui(f"输入步骤编号（1–{len(steps)}）修改那一步，输入 < 回到上一步。"))
        else:
            self.say(self.ui(f"直接回车生成清单；输入步骤编号（1–{len(steps)}）修改那一步，输入 < 回到上一步。"))
        while True:
            answer = self.ask().translate(_FULLWIDTH_DIGITS)
            if answer == "" and not stops and incomplete is None:
                return True
            if answer in BACK:
                previous = self.session.back_from(REVIEW, asks_only=True)
                if previous is not None:
                    self.session.go(previous)
                    self.save()
                    return False
            if answer.isdigit() and 1 <= int(answer) <= len(steps):
                self.from_review = True
                self.session.go(steps[int(answer) - 1].id)
                self.save()
                return False
            if answer in HELP:
                self.say(self.ui(HELP_TEXT))
                continue
            if answer == "" and incomplete is not None:
                self.session.go(incomplete)
                self.save()
                return False
            self.say(self.ui(f"请直接回车，或输入 1–{len(steps)} 之间的步骤编号，或输入 <。"))

    def finish(self) -> int:
        self.session.go(CHECKLIST)
        self.save(now=True)
        checklist = build(self.session, self.renderer)
        text = to_text(
            checklist, ticked=self.session.ticked, script=self.script, generated=self.today, renderer=self.renderer
        )
        self.say()
        if self.saver.saved:
            self.say(self.ui("已保存。以后可以用 wizard run 回来修改，或用 wizard checklist 导出清单。"))
        else:
            self.say(self.ui("注意：这次的填写没有保存下来，请保存好下面的清单。"))
        self.say(self.ui("下面是您的清单："))
        self.say()
        self.console.stdout.write(text)
        self.console.stdout.flush()
        return 0


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def run_plain(
    flow: Flow,
    path: Path,
    *,
    script: str,
    resume: str,
    stdin: BinaryIO | None = None,
    stdout: TextIO | None = None,
    today: date | None = None,
) -> int:
    """Ask the flow line by line; see the module docstring for the exit codes."""
    del path  # the flow is already loaded; kept for the same call as the full-screen app
    source = stdin if stdin is not None else sys.stdin.buffer
    isatty = getattr(source, "isatty", None)
    console = Console(source, stdout if stdout is not None else sys.stdout, echo=not (isatty and isatty()))
    renderer = renderer_for(script)
    run = PlainRun(flow, console, renderer, script, today or date.today(), _Saver(console, renderer.ui))
    # SIGHUP (the terminal closed) and SIGTERM: what was typed is saved and the process ends at once
    shutdown.install()
    shutdown.on_signal(run.flush_for_exit, lambda code: _leave(console, code, saved=run.saver.saved))
    try:
        return run.run(resume)
    except InputEnded:
        return _stopped(run, "输入已结束。")
    except UserQuit:
        return _stopped(run, "已退出。")
    except KeyboardInterrupt:
        console.say()
        _stopped(run, "已中断。")
        return 130
    finally:
        shutdown.on_signal(None)
        run.saver.close()


def _leave(console: Console, code: int, *, saved: bool) -> None:
    """After a signal's save, on a terminal still there: one line to say so, then the end.

    Written straight to the descriptor (the interrupted code may be inside the stream's own
    write); a write that blocks is ended by the watchdog of :mod:`wizard.shutdown`.
    """
    try:
        fd = console.stdout.fileno()
        os.write(fd, ("\n已中断，进度已保存。\n" if saved else "\n已中断。\n").encode())
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(code)


def _stopped(run: PlainRun, why: str) -> int:
    if hasattr(run, "session"):
        run.save(now=True)
    try:  # the input ended because the terminal was closed: nobody to tell
        if run.saver.saved and hasattr(run, "session"):
            run.say(run.ui(why + "进度已保存，下次运行 wizard run --plain 可以继续（--resume）。"))
        else:
            run.say(run.ui(why))
    except OSError:
        pass
    return 1

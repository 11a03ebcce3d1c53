"""Every key the app answers to, in one table.

The screens build their ``BINDINGS`` from :data:`KEYS`, the help screen lists
it, and the README's key table is copied from it, so the three always agree.

Next and Back are ``ctrl+n`` and ``ctrl+r``: neither is bound by Textual's
``Input`` or ``TextArea`` (checked against their ``BINDINGS`` in Textual 8.2),
neither is a terminal control character that terminals swallow (unlike
``ctrl+s``/``ctrl+q`` flow control on some set-ups, ``ctrl+h`` = backspace,
``ctrl+i`` = tab, ``ctrl+m`` = enter), and ``ctrl+b`` was avoided because it is
tmux's prefix key.

In a browser (``wizard serve``; Textual's ``App.is_web``) some of them are
taken by the browser before the page sees them: Chrome, Edge and Firefox
on Windows and Linux keep Ctrl+N (new window), Ctrl+T (new tab), Ctrl+W
and Ctrl+Tab for themselves, and Ctrl+R / F5 reload the page when the
terminal does not have the focus (which, with the one-time address, ends
that page). So those actions also answer to a ``browser_keys`` key that
browsers leave to the page and xterm.js (textual-serve's terminal) sends
on: Alt+N, Alt+P and Alt+T (ESC + letter, read by Textual as ``alt+n``
…; not Alt+B or Alt+F, which Textual reads as Ctrl+Left / Ctrl+Right, nor
the Alt letters of the browsers' menus, F E V S B T H; Alt+T is Firefox's
Tools menu only when the page does not take the key, and xterm.js takes
it). The browser keys work in a terminal too; the key bar, the help and
the hints show them only in a browser. On a Mac, Ctrl+N and Ctrl+R reach
the page (the browser's keys use Cmd), so they keep working there.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from wizard.flow.record import record

# where a key works
GLOBAL = "全局"
STEP = "步骤页"
REVIEW = "检查页"
CHECKLIST = "清单页"


@record
class KeySpec:
    keys: str  # Textual key names, comma separated
    action: str
    label: str  # short label for the Footer
    description: str  # what the help screen says
    where: str
    display: str  # how the help screen, the Footer and the README write the key
    show: bool = True  # shown in the Footer
    priority: bool = False
    browser_keys: str = ""  # also bound: the key to use where a browser takes ``keys``
    browser_display: str = ""  # how it is written in a browser


KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "ctrl+n",
        "next",
        "下一步",
        "检查本页填写的内容，然后进入下一步",
        STEP,
        "Ctrl+N",
        browser_keys="alt+n",
        browser_display="Alt+N",
    ),
    KeySpec(
        "ctrl+r",
        "back",
        "上一步",
        "回到上一步（已填写的内容都会保留）",
        STEP,
        "Ctrl+R",
        browser_keys="alt+p",
        browser_display="Alt+P",
    ),
    KeySpec("ctrl+g", "steps", "步骤", "查看全部步骤，并跳到其中一步", STEP, "Ctrl+G", show=False),
    KeySpec(
        "ctrl+o",
        "open_link",
        "打开网页",
        "打开本步骤的官方网页（先显示网址，确认后才打开）",
        STEP,
        "Ctrl+O",
        show=False,  # the page itself says 「按 Ctrl+O 打开」 next to the link
    ),
    KeySpec(
        "ctrl+n",
        "next",
        "去清单",
        "答案无误，生成操作清单",
        REVIEW,
        "Ctrl+N",
        browser_keys="alt+n",
        browser_display="Alt+N",
    ),
    KeySpec(
        "ctrl+r", "back", "上一步", "回到最后一步", REVIEW, "Ctrl+R", browser_keys="alt+p", browser_display="Alt+P"
    ),
    KeySpec("c", "copy", "复制", "复制选中项要粘贴到网站上的内容", CHECKLIST, "C"),
    KeySpec("o", "open_link", "打开网页", "打开选中项的官方网页（先显示网址，确认后才打开）", CHECKLIST, "O"),
    KeySpec("e", "export", "导出", "把清单保存为 Markdown、纯文本或日历（.ics）文件", CHECKLIST, "E"),
    KeySpec(
        "ctrl+r",
        "back",
        "返回检查",
        "回到“检查答案”页",
        CHECKLIST,
        "Ctrl+R",
        browser_keys="alt+p",
        browser_display="Alt+P",
    ),
    KeySpec("f1", "help", "帮助", "显示这份按键说明", GLOBAL, "F1"),
    KeySpec("question_mark", "help", "帮助", "同 F1（光标在输入框里时输入问号）", GLOBAL, "?", show=False),
    KeySpec(
        "ctrl+l", "switch_script", "文字", "切换文字：简体 / 繁體 / 台灣正體 / 香港繁體", GLOBAL, "Ctrl+L", show=False
    ),
    KeySpec(
        "ctrl+t",
        "toggle_theme",
        "深浅色",
        "切换浅色 / 深色主题",
        GLOBAL,
        "Ctrl+T",
        show=False,
        browser_keys="alt+t",
        browser_display="Alt+T",
    ),
    KeySpec("ctrl+q", "quit", "退出", "保存并退出（下次可以接着填）", GLOBAL, "Ctrl+Q", priority=True),
    KeySpec(
        "ctrl+p",
        "command_palette",
        "命令",
        "命令面板：跳到步骤、导出清单、切换文字、切换深浅色",
        GLOBAL,
        "Ctrl+P",
        show=False,
        priority=True,
    ),
)

#: Keys provided by Textual itself, listed in the help screen and the README.
BUILTIN_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "每一步先显示说明：按 Tab 开始填写；之后在输入框、选项和按钮之间移动"),
    ("↑ ↓", "在选项之间移动"),
    ("空格 / Enter", "勾选或取消选项；按下按钮"),
    ("Enter", "在单行输入框里：跳到下一项（最后一项时进入下一步）"),
    ("Esc", "关闭对话框或帮助"),
)


def bindings(where: str) -> list[BindingType]:
    """The ``BINDINGS`` of a screen (or of the app, for :data:`GLOBAL`): each key, and its browser key."""
    out: list[BindingType] = []
    for k in KEYS:
        if k.where != where:
            continue
        out.append(Binding(k.keys, k.action, k.label, show=k.show, key_display=k.display, priority=k.priority))
        if k.browser_keys:
            out.append(
                Binding(
                    k.browser_keys, k.action, k.label, show=k.show, key_display=k.browser_display, priority=k.priority
                )
            )
    return out


def shown_key(key: str, action: str, *, browser: bool) -> bool:
    """Whether the key bar shows ``key`` for ``action``: the browser key in a browser, the other elsewhere."""
    action = action.removeprefix("app.")
    for k in KEYS:
        if k.action == action and k.browser_keys:
            if key in k.browser_keys.split(","):
                return browser
            if key in k.keys.split(","):
                return not browser
    return True


def display_of(action: str, where: str, *, browser: bool = False) -> str:
    """How the key for ``action`` is written, for hints such as 「按 Ctrl+N 继续」 (「按 Alt+N」 in a browser)."""
    for k in KEYS:
        if k.action == action and k.where == where:
            return k.browser_display if browser and k.browser_display else k.display
    raise KeyError(action)


def written(k: KeySpec, *, browser: bool) -> str:
    """How the help screen writes ``k``'s key."""
    return k.browser_display if browser and k.browser_display else k.display


def markdown_table() -> str:
    """The key table for the README (developers paste it; a test checks it matches)."""
    lines = ["| 按键 | 哪里 | 作用 |", "| --- | --- | --- |"]
    for k in KEYS:
        key = f"{k.display}（浏览器中：{k.browser_display}）" if k.browser_display else k.display
        lines.append(f"| {key} | {k.where} | {k.description} |")
    for display, what in BUILTIN_KEYS:
        lines.append(f"| {display} | {GLOBAL} | {what} |")
    return "\n".join(lines)

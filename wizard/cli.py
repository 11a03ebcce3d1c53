"""The command line. Imports Textual only for the commands that open the app.

Each command lives in ``wizard/commands/<name>.py`` with ``add_arguments``
and ``main``; this module only parses arguments and dispatches, so that
``wizard validate`` stays light.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from wizard import __version__
from wizard.errors import WizardError

COMMANDS: dict[str, str] = {
    "run": "打开向导（默认命令）/ open the wizard on a flow",
    "validate": "检查流程文件 / check flow files",
    "flows": "列出内置流程 / list the shipped flows",
    "checklist": "不打开界面，直接生成清单 / print the checklist for an answers file",
    "sessions": "列出或删除已保存的进度 / list or erase saved sessions",
    "test": "运行流程的路径测试 / run a flow's path tests",
    "new": "新建流程模板 / write a starter flow",
    "serve": "在浏览器中使用 / serve the wizard in a web browser",
}


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing :mod:`shutil` (and zlib, bz2, lzma)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):  # what shutil catches (a replaced or closed stream)
        return 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with the same width, minus the ~2 ms of ``import shutil``.

    argparse makes a formatter for every ``add_argument`` (to check the
    metavar) and imports :mod:`shutil` in it for the terminal width: that
    cost every command, even when no help is printed.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command's module is imported (the others' names stay listed)."""
    parser = argparse.ArgumentParser(
        prog="wizard",
        description="12315 投诉向导：一步一步教您在全国12315平台投诉商家。",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"wizard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, formatter_class=HelpFormatter)
        if only is None or name == only:
            module = importlib.import_module(f"wizard.commands.{name}")
            module.add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "run")
    # Import only the module of the command being run: `wizard validate` must not pay for the others.
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    module = importlib.import_module(f"wizard.commands.{args.command}")
    try:
        return int(module.main(args))
    except WizardError as exc:
        from wizard.text.safety import visible

        print(f"wizard: {visible(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0

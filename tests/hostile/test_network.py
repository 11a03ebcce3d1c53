"""The program makes no network connection of its own.

Two checks: every import of a networking module in ``wizard/`` is one of
the few known ones (the browser mode's local web server, and the link
handler that hands an approved official link to the user's browser); and
the real commands, run with every socket connection and name lookup made
to fail loudly (logged to a file), never try one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.hostile.common import ROOT, SMALL_FLOW, base_env, wizard
from tests.hostile.terminal import PtyApp, app_env

NETWORK_MODULES = {
    "socket",
    "ssl",
    "urllib.request",
    "http.client",
    "http.server",
    "ftplib",
    "smtplib",
    "xmlrpc.client",
    "requests",
    "httpx",
    "aiohttp",
    "websockets",
    "webbrowser",
    "textual_serve",
}

#: file → the networking modules it may import, and why.
ALLOWED = {
    "wizard/webserver.py": {"aiohttp", "textual_serve"},  # `wizard serve`: listens (127.0.0.1 by default)
    "wizard/tui/links.py": {"webbrowser"},  # hands an approved official https link to the user's browser
}


def _network_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            for module in NETWORK_MODULES:
                if name == module or name.startswith(module + "."):
                    found.add(module)
    return found


def test_only_known_modules_import_networking_code() -> None:
    seen = {}
    for path in sorted((ROOT / "wizard").rglob("*.py")):
        modules = _network_imports(path)
        if modules:
            seen[str(path.relative_to(ROOT))] = modules
    unexpected = {f: m - ALLOWED.get(f, set()) for f, m in seen.items() if m - ALLOWED.get(f, set())}
    assert unexpected == {}, f"networking code outside the known places: {unexpected}"
    assert set(seen) <= set(ALLOWED)


#: Runs the command line with every outgoing connection and name lookup failing, and logged.
OFFLINE = (
    "-c",
    "import os, socket, sys\n"
    "log = os.environ['NET_LOG']\n"
    "def refuse(*args, **kwargs):\n"
    "    with open(log, 'a', encoding='utf-8') as fh:\n"
    "        fh.write(repr(args) + '\\n')\n"
    "    raise OSError('network use refused by the test')\n"
    "socket.socket.connect = refuse\n"
    "socket.socket.connect_ex = refuse\n"
    "socket.socket.sendto = refuse\n"
    "socket.getaddrinfo = refuse\n"
    "socket.create_connection = refuse\n"
    "from wizard.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n",
)

COMMANDS = {
    "validate": (["validate", str(SMALL_FLOW)], b"", (0,)),
    "flows": (["flows"], b"", (0,)),
    "run-plain": (["run", "--plain", str(SMALL_FLOW)], "某某商店\n一\n\n1\n13800138000\n是\n\n".encode(), (0, 1)),
    "checklist": (["checklist", str(SMALL_FLOW), "--answers", "ANSWERS"], b"", (0,)),
    "sessions": (["sessions"], b"", (0,)),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_makes_no_connection(name: str, tmp_path: Path) -> None:
    args, stdin, codes = COMMANDS[name]
    answers = tmp_path / "answers.yaml"
    answers.write_text("merchant: 某某商店\n", encoding="utf-8")
    args = [str(answers) if a == "ANSWERS" else a for a in args]
    log = tmp_path / "net.log"
    env = base_env(tmp_path / "data", tmp_path / "home", NET_LOG=str(log))
    ran = wizard(args, tmp_path / "cwd", env, stdin, python=OFFLINE)
    ran.assert_exited_cleanly(*codes)
    assert not log.exists(), f"tried the network: {log.read_text()}"


def test_full_screen_app_makes_no_connection(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    env = app_env(tmp_path / "data", tmp_path / "home", NET_LOG=str(log))
    (tmp_path / "cwd").mkdir()
    with PtyApp(["run", str(SMALL_FLOW)], env=env, cwd=tmp_path / "cwd", python=OFFLINE) as app:
        app.wait_for_text("关于商家")
        app.wait_quiet()
        app.press("tab")
        app.send("某某商店")
        app.wait_for_text("某某商店")
        app.press("ctrl+n")
        app.wait_for_text("您的手机号")
        app.press("ctrl+q")
        assert app.wait_exit() == 0
    assert not log.exists(), f"tried the network: {log.read_text()}"

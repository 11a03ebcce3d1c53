"""Browser mode (``wizard serve``): the real server, the real app, in headless Chromium.

The terminal in the page is drawn by xterm.js on a canvas, so its text is
read from xterm's buffer: the test serves textual-serve's ``textual.js`` to
the browser with one statement added that keeps the page's terminal in
``window.__wizardTerminal`` (nothing is changed on disk or for users).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FLOWS, ROOT
from wizard.commands import serve
from wizard.flow.loader import load_flow
from wizard.session import Session
from wizard.text.render import PLAIN

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # no internet: any host name other than the local server fails to resolve
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
READ_TERMINAL = """() => {
  const t = window.__wizardTerminal;
  if (!t) return "";
  const b = t.buffer.active;
  const out = [];
  for (let y = 0; y < b.length; y++) { const l = b.getLine(y); if (l) out.push(l.translateToString(true)); }
  return out.join("\\n");
}"""
EXPOSE = re.compile(r"(const (\w+)=new (\w+)\((\w+),\{ping:(\w+)\}\);)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    port: int
    printed: list[str]  # every address printed so far (a new one after each use)

    @property
    def key(self) -> str:
        return self.url.split("key=", 1)[1]

    @property
    def latest_key(self) -> str:
        return self.printed[-1].split("key=", 1)[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "WIZARD_DATA_DIR": str(tmp_path_factory.mktemp("serve-data")), "PYTHONIOENCODING": "utf-8"}
    env.pop("TERM", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        start_new_session=True,
    )
    assert process.stdout is not None
    url = ""
    for line in process.stdout:  # the address is printed once the port is bound
        found = re.search(r"(http://127\.0\.0\.1:\d+/\?key=\S+)", line)
        if found:
            url = found.group(1)
            break
    if not url:
        process.kill()
        pytest.fail(f"wizard serve printed no address: {process.stderr.read() if process.stderr else ''}")
    printed = [url]

    def read_addresses() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found = re.search(r"(http://127\.0\.0\.1:\d+/\?key=\S+)", line)
            if found:
                printed.append(found.group(1))

    threading.Thread(target=read_addresses, daemon=True).start()
    yield Served(process, url, port, printed)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    return conn.getresponse()


# --- the acceptance test: first step, Next with the keyboard, screenshot ---------------------


def test_browser_shows_the_wizard_and_moves_to_the_next_step(served: Served) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    flow = load_flow(FLOWS / "12315-complaint.yaml")
    session = Session(flow)
    steps = session.visible_steps()
    total = session.progress()[1]
    first, second = PLAIN.text(steps[0].title), PLAIN.text(steps[1].title)

    requests: list[str] = []
    console_errors: list[str] = []
    patched: list[int] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

            def expose_terminal(route: object) -> None:
                response = route.fetch()  # type: ignore[attr-defined]
                body, count = EXPOSE.subn(r"\1window.__wizardTerminal=\2.terminal;", response.text())
                patched.append(count)
                route.fulfill(response=response, body=body)  # type: ignore[attr-defined]

            page.route("**/static/js/textual.js", expose_terminal)
            page.goto(served.url)
            assert page.url.endswith(f":{served.port}/"), "the key is dropped from the address bar"
            assert patched == [1], "textual.js changed: the test cannot find the page's terminal"

            page.wait_for_function(
                f"() => ({READ_TERMINAL})().includes({f'第 1 / {total} 步'!r})", timeout=90_000, polling=250
            )
            screen = page.evaluate(READ_TERMINAL)
            assert first in screen
            assert "Alt+N 下一步" in screen and "Ctrl+N" not in screen  # the key bar shows the browser's keys
            page.screenshot(path=str(ARTIFACTS / "serve-first-step.png"))

            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("Alt+n")  # Ctrl+N is the browser's own (new window) outside headless tests
            page.wait_for_function(
                f"() => ({READ_TERMINAL})().includes({f'第 2 / {total} 步'!r})", timeout=60_000, polling=250
            )
            screen = page.evaluate(READ_TERMINAL)
            assert second in screen
            page.screenshot(path=str(ARTIFACTS / "serve.png"))
            page.close()
        finally:
            browser.close()

    assert (ARTIFACTS / "serve.png").stat().st_size > 10_000
    local = f"http://127.0.0.1:{served.port}/"
    assert [u for u in requests if not u.startswith(local)] == []  # nothing from the internet
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


# --- who may connect ---------------------------------------------------------------------------


def test_page_and_websocket_need_the_one_time_passes(served: Served) -> None:
    """The real ``wizard serve``: more in tests/test_serve_passes.py (in-process, with WebSockets)."""
    assert get(served.port, "/").status == 403
    assert get(served.port, "/?key=wrong").status == 403
    key = served.latest_key
    with_key = get(served.port, f"/?key={key}")
    assert with_key.status == 303
    cookie_header = with_key.headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=Strict" in cookie_header
    assert get(served.port, f"/?key={key}").status == 403  # the key works once
    ticket = re.search(r"wizard_ticket=([^;]+)", cookie_header).group(1)  # type: ignore[union-attr]
    cookie = {"Cookie": f"wizard_ticket={ticket}"}
    page = get(served.port, "/", cookie)
    assert page.status == 200
    html = page.read().decode("utf-8")
    assert "fonts.googleapis.com" not in html and not re.search(r"(src|href)=\"https?://", html)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    token = re.search(r"/ws/([A-Za-z0-9_-]+)\"", html).group(1)  # type: ignore[union-attr]
    assert get(served.port, "/", cookie).status == 403  # the page opens once
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13"}
    upgrade["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ=="
    assert get(served.port, "/ws", {**upgrade, **cookie}).status == 403  # a cookie and no token
    assert get(served.port, "/ws/forged", upgrade).status == 403
    other_site = {**upgrade, "Origin": "http://evil.example"}
    assert get(served.port, f"/ws/{token}", other_site).status == 403
    assert get(served.port, "/static/js/textual.js").status == 200


def test_port_in_use_is_a_clear_error(served: Served) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "serve", "--port", str(served.port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 1
    assert f"无法在 127.0.0.1:{served.port} 上启动" in result.stderr
    assert "Traceback" not in result.stderr


# --- addresses and the optional extra, without a server ------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_addresses(host: str) -> None:
    assert serve.is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "example.com", "10.0.0.1"])
def test_other_addresses(host: str) -> None:
    assert not serve.is_loopback(host)


def args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_remote_address_is_refused_without_allow_remote(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve.main(args("--host", "0.0.0.0")) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_remote_address_with_allow_remote_warns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.webserver import server_class

    started: list[tuple[str, int, str]] = []
    monkeypatch.setattr(
        server_class(), "serve", lambda self, debug=False: started.append((self.host, self.port, self.command))
    )
    assert serve.main(args("--host", "0.0.0.0", "--port", "8123", "--allow-remote", "--script", "zh-TW")) == 0
    err = capsys.readouterr().err
    assert "警告" in err and "个人信息" in err and "未加密" in err
    host, port, command = started[0]
    assert (host, port) == ("0.0.0.0", 8123)
    assert command.endswith("12315-complaint.yaml --script zh-TW")
    assert " -m wizard run " in command


def test_missing_textual_serve_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(serve, "has_textual_serve", lambda: False)
    assert serve.main(args()) == 1
    assert "pip install 'wizard-12315[web]'" in capsys.readouterr().err


def test_bad_port_and_bad_flow(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert serve.main(args("--port", "70000")) == 2
    assert "65535" in capsys.readouterr().err
    assert serve.main(args(str(tmp_path / "missing.yaml"))) == 1
    assert "无法打开流程文件" in capsys.readouterr().err


def test_command_is_quoted_for_the_shell() -> None:
    command = serve.serve_command("/tmp/my flows/a;rm -rf x.yaml", "zh-Hans")
    assert "'/tmp/my flows/a;rm -rf x.yaml'" in command


def test_the_app_under_textual_serve_is_the_full_screen_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.commands import run

    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setenv("TERM", "dumb")
    assert run.wants_plain(argparse.Namespace(plain=False)) is False
    assert run.wants_plain(argparse.Namespace(plain=True)) is True

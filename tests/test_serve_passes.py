"""Browser mode's credential, at the HTTP/WebSocket level (no browser): one-time key, one-time page token.

A cookie for 127.0.0.1 is sent to every port of 127.0.0.1, so it must not be
enough on its own: the WebSocket needs the random token of one page, once,
and the key in the printed address opens one page, once. The server runs in
this process (aiohttp's test server); each WebSocket drives a tiny stand-in
for ``wizard run`` that speaks textual-serve's protocol.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from wizard.webserver import TICKET_COOKIE, TICKET_SECONDS, Passes, Verdict, server_class

# Textual's web driver prints this, then packets: b"D" + 4-byte size + the terminal's bytes.
FAKE_APP = r"""
import os, sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
payload = b"fake wizard ready"
out.write(b"D" + len(payload).to_bytes(4, "big") + payload)
out.flush()
while True:  # until textual-serve says quit (or closes stdin)
    data = os.read(0, 4096)
    if not data or b"quit" in data:
        break
"""


class Served:
    def __init__(self, client: TestClient, server: object, used: list[str]) -> None:
        self.client = client
        self.server = server
        self.used = used  # the addresses printed after each use of a key

    @property
    def key(self) -> str:
        return str(self.server.key)  # type: ignore[attr-defined]

    @property
    def origin(self) -> str:
        return f"http://{self.client.host}:{self.client.port}"

    async def ticket(self, key: str | None = None) -> str:
        """Use a key (the current one by default); the ticket cookie it sets."""
        response = await self.client.get("/", params={"key": key or self.key}, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/"
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        found = re.search(rf"{TICKET_COOKIE}=([^;]+)", cookie)
        assert found
        return found.group(1)

    async def page(self, ticket: str) -> aiohttp.ClientResponse:
        return await self.client.get("/", headers={"Cookie": f"{TICKET_COOKIE}={ticket}"}, allow_redirects=False)

    async def token(self) -> str:
        """A new page's token: key → ticket → page."""
        response = await self.page(await self.ticket())
        assert response.status == 200
        html = await response.text()
        found = re.search(r'data-session-websocket-url="ws://[^/"]+/ws/([A-Za-z0-9_-]+)"', html)
        assert found, html
        return found.group(1)

    async def websocket_status(self, path: str, headers: dict[str, str] | None = None) -> int:
        """101 when the WebSocket opens (it is closed again at once), else the refusal's status."""
        try:
            ws = await self.client.ws_connect(path, headers={"Origin": self.origin, **(headers or {})})
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await ws.close()
        return 101


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    script = tmp_path / "fake_app.py"
    script.write_text(FAKE_APP, encoding="utf-8")
    used: list[str] = []
    server = server_class()(
        shlex.join([sys.executable, str(script)]),
        host="127.0.0.1",
        port=0,
        title="向导",
        lang="zh-Hans",
        on_ready=lambda url: None,
        on_key_used=used.append,
    )
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    try:
        yield Served(client, server, used)
    finally:
        await client.close()


# --- the normal path ----------------------------------------------------------------------------


async def test_key_then_page_then_websocket_drives_the_app(served: Served) -> None:
    key = served.key
    ticket = await served.ticket()
    assert served.key != key and served.used == [served.server.url]  # type: ignore[attr-defined]
    response = await served.page(ticket)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert TICKET_COOKIE in response.headers.get("Set-Cookie", "")  # the spent ticket is deleted
    html = await response.text()
    assert key not in html and ticket not in html
    token = re.search(r"/ws/([A-Za-z0-9_-]+)\"", html).group(1)  # type: ignore[union-attr]
    ws = await served.client.ws_connect(f"/ws/{token}?width=80&height=24", headers={"Origin": served.origin})
    try:
        message = await ws.receive(timeout=60)
        assert message.type is aiohttp.WSMsgType.BINARY and message.data == b"fake wizard ready"
    finally:
        await ws.close()


async def test_each_new_address_opens_its_own_page(served: Served) -> None:
    first, second = await served.token(), await served.token()
    assert first != second
    assert await served.websocket_status(f"/ws/{second}") == 101
    assert await served.websocket_status(f"/ws/{first}") == 101
    assert len(served.used) == 2 and served.used[0] != served.used[1]


# --- refused ------------------------------------------------------------------------------------


async def test_websocket_with_the_cookie_but_no_token_is_refused(served: Served) -> None:
    ticket = await served.ticket()
    cookie = {"Cookie": f"{TICKET_COOKIE}={ticket}"}
    assert await served.websocket_status("/ws", cookie) == 403
    assert await served.websocket_status("/ws/", cookie) in (403, 404)
    assert await served.websocket_status("/ws/not-a-token", cookie) == 403
    # the ticket (the only cookie there is) was not spent by those attempts, and opens its page once
    assert (await served.page(ticket)).status == 200


async def test_websocket_without_a_token_is_refused(served: Served) -> None:
    assert await served.websocket_status("/ws") == 403
    assert await served.websocket_status("/ws?token=x") == 403


async def test_token_from_another_page_is_refused(served: Served, tmp_path: Path) -> None:
    used_token = await served.token()
    assert await served.websocket_status(f"/ws/{used_token}") == 101
    # another page, opened with a new address, cannot reuse the first page's token
    await served.token()
    assert await served.websocket_status(f"/ws/{used_token}") == 403
    # nor can a token given out by another server (another run of wizard serve)
    other = server_class()("true", host="127.0.0.1", port=0, title="t", lang="zh-Hans", on_ready=lambda url: None)
    other_client = TestClient(TestServer(await other._make_app()))
    await other_client.start_server()
    try:
        other_served = Served(other_client, other, [])
        foreign = await other_served.token()
    finally:
        await other_client.close()
    assert await served.websocket_status(f"/ws/{foreign}") == 403


async def test_websocket_from_another_origin_is_refused_and_keeps_the_token(served: Served) -> None:
    token = await served.token()
    for origin in ("http://evil.example", "http://127.0.0.1:1", "null"):
        assert await served.websocket_status(f"/ws/{token}", {"Origin": origin}) == 403
    assert await served.websocket_status(f"/ws/{token}") == 101


async def test_key_address_used_twice_is_refused_with_a_clear_page(served: Served) -> None:
    key = served.key
    await served.ticket(key)
    again = await served.client.get("/", params={"key": key}, allow_redirects=False)
    assert again.status == 403
    text = await again.text()
    assert "这个地址已经用过了" in text and "最新地址" in text
    assert "Set-Cookie" not in again.headers or "Max-Age=0" in again.headers["Set-Cookie"]
    # the address printed after the first use still works
    new_key = served.used[-1].split("key=", 1)[1]
    assert new_key == served.key
    assert (await served.client.get("/", params={"key": new_key}, allow_redirects=False)).status == 303


async def test_page_opens_once_per_ticket(served: Served) -> None:
    ticket = await served.ticket()
    assert (await served.page(ticket)).status == 200
    reload = await served.page(ticket)  # a reload, or another program that got hold of the cookie
    assert reload.status == 403
    assert "已经用过了" in await reload.text()


@pytest.mark.parametrize("cookie", ["", "wizard_ticket=", "wizard_ticket=forged", "wizard_key=anything"])
async def test_page_without_a_valid_ticket_is_refused(served: Served, cookie: str) -> None:
    response = await served.client.get("/", headers={"Cookie": cookie} if cookie else {}, allow_redirects=False)
    assert response.status == 403
    assert "key=" in await response.text()


@pytest.mark.parametrize("key", ["", "wrong", "x" * 5000, "\u202e"])
async def test_wrong_key_is_refused_and_keeps_the_real_one(served: Served, key: str) -> None:
    real = served.key
    response = await served.client.get("/", params={"key": key}, allow_redirects=False)
    assert response.status == 403
    assert served.key == real and served.used == []


async def test_downloads_are_refused(served: Served) -> None:
    ticket = await served.ticket()
    response = await served.client.get("/download/abc", headers={"Cookie": f"{TICKET_COOKIE}={ticket}"})
    assert response.status == 403


# --- the bookkeeping alone ------------------------------------------------------------------------


def clock(start: float = 0.0) -> tuple[Callable[[], float], Callable[[float], None]]:
    now = [start]

    def advance(seconds: float) -> None:
        now[0] += seconds

    return (lambda: now[0]), advance


def test_a_ticket_not_used_in_time_is_spent() -> None:
    read, advance = clock()
    passes = Passes(read)
    verdict, ticket = passes.use_key(passes.key)
    assert verdict is Verdict.OK
    advance(TICKET_SECONDS + 1)
    assert passes.open_page(ticket) == (Verdict.USED, "")


def test_every_pass_works_once() -> None:
    passes = Passes()
    key = passes.key
    verdict, ticket = passes.use_key(key)
    assert verdict is Verdict.OK and passes.key != key
    assert passes.use_key(key) == (Verdict.USED, "")
    verdict, token = passes.open_page(ticket)
    assert verdict is Verdict.OK
    assert passes.open_page(ticket) == (Verdict.USED, "")
    assert passes.open_websocket(token) is Verdict.OK
    assert passes.open_websocket(token) is Verdict.USED
    assert passes.open_websocket("never-given") is Verdict.WRONG
    assert passes.open_websocket(ticket) is Verdict.WRONG  # a ticket is no token
    assert passes.open_page(token) == (Verdict.WRONG, "")  # nor a token a ticket

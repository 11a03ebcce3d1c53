"""The browser mode's web server: textual-serve, with a page that needs no internet and one-time passes.

:class:`WizardServer` is textual-serve's ``Server`` (one ``wizard run``
process per browser tab, driven over a WebSocket) with three changes:

- its own page: textual-serve's template loads a font from
  fonts.googleapis.com; this page loads only textual-serve's own files
  (``/static``: textual.js, xterm.css and the Roboto Mono font it ships), so
  it works with no internet access. Chinese text uses the system's fonts.
- one-time passes (:class:`Passes`), because a cookie alone is no credential
  here: browsers send a cookie for 127.0.0.1 to every port of 127.0.0.1, so
  any other server on this computer that the browser visits would receive
  it. Instead:

  1. the address printed at start holds a random key that works once
     (``/?key=…``; a second use shows a page saying so, and the terminal
     prints a new address for the next tab);
  2. using it sets a one-time ticket cookie (HttpOnly, SameSite=Strict, one
     minute) and redirects to ``/``, so the key leaves the address bar;
  3. ``/`` with that ticket serves the page once, with a random page token
     in the WebSocket's address (``/ws/<token>``) and never in a cookie; the
     ticket is spent (a reload shows the same "already used" page);
  4. the WebSocket needs that token, once, and an ``Origin`` that is this
     server; a cookie, ``/ws`` without a token, a spent token or one this
     server never gave out is refused.

  A web page on another site, another server on this computer, or another
  user of it cannot drive the wizard and read the answers it shows.
  Downloads are refused: the wizard delivers no files to the browser
  (exports are written on the computer running ``wizard serve``).
- quiet logs: no access log (it would print the key), warnings only.

``wizard serve`` calls :func:`server_class` after checking that
textual-serve is installed; importing this module loads neither
textual-serve nor aiohttp (textual-serve imports Rich, which the modules
outside ``wizard/tui/`` never load).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.server import Server

#: The one-time ticket cookie set when the key is used, spent by the first page.
TICKET_COOKIE = "wizard_ticket"
#: How long a ticket waits for its page (the browser follows the redirect at once).
TICKET_SECONDS = 60

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<style>
@font-face {{
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: normal;
}}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
.textual-terminal {{ width: 100vw; height: 100vh; }}
.notice {{ display: none; position: fixed; inset: 0; z-index: 10; flex-direction: column; align-items: center;
  justify-content: center; gap: 1rem; padding: 2rem; color: #fff; background: #0c181f;
  font: 18px/1.6 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; text-align: center; }}
body.-closed .closed {{ display: flex; }}
</style>
<script src="/static/js/textual.js"></script>
</head>
<body>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
<div class="notice closed" role="alert">
<p>向导已经关闭。已填写的内容都自动保存在这台电脑上。</p>
<p>要再次打开，请使用运行 wizard serve 的终端里显示的最新地址（每个地址只能打开一次）。</p>
</div>
<noscript><p style="color:#fff">浏览器模式需要启用 JavaScript。也可以在终端里运行 wizard。</p></noscript>
</body>
</html>
"""

FORBIDDEN = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>需要完整地址</title></head>
<body><p>请使用 wizard serve 在终端里显示的最新地址（带 key=…）打开向导。</p>
<p>每个地址只能打开一次向导页面；刷新页面或再开一个标签页时，请用终端里显示的新地址。</p></body></html>
"""

USED = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>这个地址已经用过了</title></head>
<body><p>这个地址已经用过了：为了安全，每个地址只能打开一次向导页面（刷新页面也算一次）。</p>
<p>请回到运行 wizard serve 的终端，用那里显示的最新地址打开。已填写的内容都自动保存在这台电脑上。</p></body></html>
"""


class Verdict(enum.Enum):
    """What a pass was worth."""

    OK = "ok"
    USED = "used"  # a real pass, already spent: say so
    WRONG = "wrong"  # never given out (or expired)


def _digest(secret: str) -> str:
    """Passes are kept and looked up by their hash, so no lookup compares a secret itself."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class Passes:
    """One-time passes: key (in the address) → ticket (cookie) → page token (in the page) → one WebSocket.

    Pure bookkeeping, no aiohttp: the server asks, this answers. ``clock`` is
    :func:`time.monotonic` unless a test gives another.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.key = secrets.token_urlsafe(24)
        self._spent_keys: set[str] = set()
        self._tickets: dict[str, float] = {}  # digest -> when given out
        self._spent_tickets: set[str] = set()
        self._tokens: set[str] = set()  # page tokens whose WebSocket has not been opened
        self._spent_tokens: set[str] = set()

    def use_key(self, given: str) -> tuple[Verdict, str]:
        """Spend the key: ``(OK, ticket)`` and a new key for the next tab; ``(USED | WRONG, "")`` otherwise."""
        if secrets.compare_digest(given.encode("utf-8", "surrogatepass"), self.key.encode()):
            self._spent_keys.add(_digest(self.key))
            self.key = secrets.token_urlsafe(24)
            ticket = secrets.token_urlsafe(24)
            self._tickets[_digest(ticket)] = self._clock()
            return Verdict.OK, ticket
        return (Verdict.USED if _digest(given) in self._spent_keys else Verdict.WRONG), ""

    def open_page(self, ticket: str) -> tuple[Verdict, str]:
        """Spend a ticket on one page: ``(OK, page token)``, or ``(USED | WRONG, "")``."""
        digest = _digest(ticket)
        given_at = self._tickets.pop(digest, None)
        if given_at is None:
            return (Verdict.USED if digest in self._spent_tickets else Verdict.WRONG), ""
        self._spent_tickets.add(digest)
        if self._clock() - given_at > TICKET_SECONDS:
            return Verdict.USED, ""
        token = secrets.token_urlsafe(24)
        self._tokens.add(_digest(token))
        return Verdict.OK, token

    def open_websocket(self, token: str) -> Verdict:
        """Spend a page token on its one WebSocket."""
        digest = _digest(token)
        if digest in self._tokens:
            self._tokens.discard(digest)
            self._spent_tokens.add(digest)
            return Verdict.OK
        return Verdict.USED if digest in self._spent_tokens else Verdict.WRONG


@functools.lru_cache(maxsize=1)
def server_class() -> type[Server]:
    """:class:`WizardServer`, defined on first use so that importing this module loads no textual-serve."""
    from aiohttp import web
    from textual_serve.server import Server

    class WizardServer(Server):
        """textual-serve's server with an offline page, one-time passes and quiet logs."""

        def __init__(
            self,
            command: str,
            *,
            host: str,
            port: int,
            title: str,
            lang: str,
            on_ready: Callable[[str], None],
            on_key_used: Callable[[str], None] = lambda url: None,
        ) -> None:
            super().__init__(command, host=host, port=port, title=title)
            self.passes = Passes()
            self.lang = lang
            self.on_ready = on_ready
            self.on_key_used = on_key_used

        @property
        def key(self) -> str:
            """The key that opens the next page (a new one after each use)."""
            return self.passes.key

        @property
        def url(self) -> str:
            """The address to open: it carries the current key."""
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"http://{host}:{self.port}/?key={self.key}"

        @staticmethod
        def same_origin(request: web.Request) -> bool:
            origin = request.headers.get("Origin")
            return origin is None or origin == f"http://{request.host}"

        # --- routes --------------------------------------------------------------------------

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/{token}", self.handle_websocket)
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            if "key" in request.query:
                verdict, ticket = self.passes.use_key(request.query["key"])
                if verdict is not Verdict.OK:
                    return _refused(verdict)
                self.on_key_used(self.url)
                redirect = web.HTTPSeeOther("/")
                redirect.set_cookie(
                    TICKET_COOKIE, ticket, httponly=True, samesite="Strict", path="/", max_age=TICKET_SECONDS
                )
                _private(redirect)
                raise redirect
            verdict, token = self.passes.open_page(request.cookies.get(TICKET_COOKIE, ""))
            if verdict is not Verdict.OK:
                return _refused(verdict)
            try:
                font_size = min(max(int(request.query.get("fontsize", "16")), 8), 48)
            except ValueError:
                font_size = 16
            page = PAGE.format(
                lang=escape(self.lang),
                title=escape(self.title),
                websocket=escape(f"ws://{request.host}/ws/{token}"),
                font_size=font_size,
            )
            response = web.Response(text=page, content_type="text/html", charset="utf-8")
            response.del_cookie(TICKET_COOKIE, path="/")
            _private(response)
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
                f"img-src 'self' data:; connect-src 'self' ws://{request.host}; base-uri 'none'; form-action 'none'; "
                "frame-ancestors 'none'"
            )
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if not self.same_origin(request):
                raise web.HTTPForbidden(text="forbidden")
            if self.passes.open_websocket(request.match_info.get("token", "")) is not Verdict.OK:
                raise web.HTTPForbidden(text="forbidden")
            return await super().handle_websocket(request)

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            del request
            raise web.HTTPForbidden(text="forbidden")

        # --- start-up ------------------------------------------------------------------------

        def initialize_logging(self) -> None:
            logging.basicConfig(level="WARNING", format="%(message)s")
            logging.getLogger("aiohttp.access").setLevel(logging.ERROR)

        async def on_startup(self, app: web.Application) -> None:
            del app
            self.on_ready(self.url)

    return WizardServer


def create_server(
    command: str,
    *,
    host: str,
    port: int,
    title: str,
    lang: str,
    on_ready: Callable[[str], None],
    on_key_used: Callable[[str], None] = lambda url: None,
) -> Server:
    """The server for ``wizard serve``; :meth:`Server.serve` runs it until Ctrl+C.

    ``on_ready`` gets the first address once the port is bound; ``on_key_used``
    gets the next one each time an address has been used.
    """
    cls: Callable[..., Server] = server_class()
    return cls(command, host=host, port=port, title=title, lang=lang, on_ready=on_ready, on_key_used=on_key_used)


def _private(response: web.StreamResponse) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"


def _refused(verdict: Verdict) -> web.Response:
    from aiohttp import web

    text = USED if verdict is Verdict.USED else FORBIDDEN
    response = web.Response(status=403, text=text, content_type="text/html", charset="utf-8")
    response.del_cookie(TICKET_COOKIE, path="/")
    _private(response)
    return response

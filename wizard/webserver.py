"""The browser mode's web server: textual-serve, with a page that needs no internet and a key.

:class:`WizardServer` is textual-serve's ``Server`` (one ``wizard run``
process per browser tab, driven over a WebSocket) with three changes:

- its own page: textual-serve's template loads a font from
  fonts.googleapis.com; this page loads only textual-serve's own files
  (``/static``: textual.js, xterm.css and the Roboto Mono font it ships), so
  it works with no internet access. Chinese text uses the system's fonts.
- a key: the address printed at start holds a random key. Opening it sets a
  cookie (HttpOnly, SameSite=Strict) and redirects to ``/``; the page, the
  WebSocket and downloads are refused without the cookie, and the WebSocket
  also when the ``Origin`` is not this server. A web page on another site,
  or another user of the same computer, cannot drive the wizard and read
  the answers it shows.
- quiet logs: no access log (it would print the key), warnings only.

``wizard serve`` calls :func:`server_class` after checking that
textual-serve is installed; importing this module loads neither
textual-serve nor aiohttp (textual-serve imports Rich, which the modules
outside ``wizard/tui/`` never load).
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web
    from textual_serve.server import Server

COOKIE = "wizard_key"

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
.notice a {{ color: #fff; background: #5e0ba7; padding: .75rem 1.5rem; text-decoration: none; }}
</style>
<script src="/static/js/textual.js"></script>
</head>
<body>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
<div class="notice closed" role="alert">
<p>向导已经关闭。已填写的内容都自动保存在这台电脑上。</p>
<a href="/">重新打开向导</a>
</div>
<noscript><p style="color:#fff">浏览器模式需要启用 JavaScript。也可以在终端里运行 wizard。</p></noscript>
</body>
</html>
"""

FORBIDDEN = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>需要完整地址</title></head>
<body><p>请使用 wizard serve 在终端里显示的完整地址（带 key=…）打开向导。</p></body></html>
"""


@functools.lru_cache(maxsize=1)
def server_class() -> type[Server]:
    """:class:`WizardServer`, defined on first use so that importing this module loads no textual-serve."""
    from aiohttp import web
    from textual_serve.server import Server

    class WizardServer(Server):
        """textual-serve's server with an offline page, a key and quiet logs."""

        def __init__(
            self,
            command: str,
            *,
            host: str,
            port: int,
            title: str,
            lang: str,
            on_ready: Callable[[str], None],
        ) -> None:
            super().__init__(command, host=host, port=port, title=title)
            self.key = secrets.token_urlsafe(24)
            self.lang = lang
            self.on_ready = on_ready

        @property
        def url(self) -> str:
            """The address to open: it carries the key."""
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"http://{host}:{self.port}/?key={self.key}"

        # --- who may connect -----------------------------------------------------------

        def has_key(self, request: web.Request) -> bool:
            return secrets.compare_digest(request.cookies.get(COOKIE, ""), self.key)

        @staticmethod
        def same_origin(request: web.Request) -> bool:
            origin = request.headers.get("Origin")
            return origin is None or origin == f"http://{request.host}"

        # --- routes --------------------------------------------------------------------------

        async def handle_index(self, request: web.Request) -> web.Response:
            given = request.query.get("key", "")
            if given:
                if not secrets.compare_digest(given, self.key):
                    return _forbidden()
                redirect = web.HTTPSeeOther("/")
                redirect.set_cookie(COOKIE, self.key, httponly=True, samesite="Strict", path="/")
                _private(redirect)
                raise redirect
            if not self.has_key(request):
                return _forbidden()
            try:
                font_size = min(max(int(request.query.get("fontsize", "16")), 8), 48)
            except ValueError:
                font_size = 16
            page = PAGE.format(
                lang=escape(self.lang),
                title=escape(self.title),
                websocket=escape(f"ws://{request.host}/ws"),
                font_size=font_size,
            )
            response = web.Response(text=page, content_type="text/html", charset="utf-8")
            _private(response)
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
                f"img-src 'self' data:; connect-src 'self' ws://{request.host}; base-uri 'none'; form-action 'none'; "
                "frame-ancestors 'none'"
            )
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if not self.has_key(request) or not self.same_origin(request):
                raise web.HTTPForbidden(text="forbidden")
            return await super().handle_websocket(request)

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            if not self.has_key(request):
                raise web.HTTPForbidden(text="forbidden")
            return await super().handle_download(request)

        # --- start-up ------------------------------------------------------------------------

        def initialize_logging(self) -> None:
            logging.basicConfig(level="WARNING", format="%(message)s")
            logging.getLogger("aiohttp.access").setLevel(logging.ERROR)

        async def on_startup(self, app: web.Application) -> None:
            del app
            self.on_ready(self.url)

    return WizardServer


def create_server(
    command: str, *, host: str, port: int, title: str, lang: str, on_ready: Callable[[str], None]
) -> Server:
    """The server for ``wizard serve``; :meth:`Server.serve` runs it until Ctrl+C."""
    cls: Callable[..., Server] = server_class()
    return cls(command, host=host, port=port, title=title, lang=lang, on_ready=on_ready)


def _private(response: web.StreamResponse) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"


def _forbidden() -> web.Response:
    from aiohttp import web

    response = web.Response(status=403, text=FORBIDDEN, content_type="text/html", charset="utf-8")
    _private(response)
    return response

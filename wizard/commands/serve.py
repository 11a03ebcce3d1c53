"""``wizard serve [FLOW]``: the same Textual app in a web browser, through textual-serve.

- textual-serve is an optional extra (``pip install 'wizard-12315[web]'``);
  without it the command says how to install it and exits 1.
- Bound to 127.0.0.1 by default. Any address that is not this computer's
  loopback (another interface, ``0.0.0.0``, a host name other than
  ``localhost``) needs ``--host ADDRESS --allow-remote`` and prints a
  warning: the answers (personal data) then cross the network, unencrypted.
- Each browser tab runs its own ``python -m wizard run FLOW`` process; the
  answers are saved on the computer running ``wizard serve``, as usual.
- The printed address holds a random key that opens one page, once (see
  :mod:`wizard.webserver`); after each use a new address is printed for the
  next tab or a reload. The page loads nothing from the internet.

Exit codes: 0 after Ctrl+C, 1 when textual-serve is missing, the flow
cannot be loaded or the address cannot be used, 2 for a refused address.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from wizard.text.script import SCRIPTS

INSTALL_HINT = (
    "浏览器模式需要安装 textual-serve：pip install 'wizard-12315[web]'（在源代码目录中：pip install '.[web]'）"
)
REMOTE_WARNING = (
    "警告：向导将在 {host} 上接受其他电脑的连接。您填写的个人信息（姓名、电话、地址、投诉内容）"
    "会以未加密的 HTTP 在网络上传输，同一网络中的其他人可能看到。只在您信任的网络上这样做；"
    "用完请按 Ctrl+C 停止。"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("flow", nargs="?", metavar="FLOW", help="flow file or shipped flow id (default: 12315-complaint)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--script", choices=SCRIPTS, help="文字：zh-Hans（简体）, zh-Hant, zh-TW, zh-HK")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that other computers can reach (personal data then crosses the network)",
    )


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_command(path: str, script: str) -> str:
    """The shell command textual-serve runs for each browser tab."""
    return shlex.join([sys.executable, "-m", "wizard", "run", path, "--script", script])


def _ready(url: str) -> None:
    print("12315 投诉向导：浏览器模式", flush=True)
    print(f"请在浏览器中打开：{url}", flush=True)
    print("地址中的 key 是访问凭证，只能用一次，请不要发给别人。按 Ctrl+C 停止。", flush=True)


def _key_used(url: str) -> None:
    print(f"上面的地址已经用过了。刷新页面或再开一个标签页时，请用新地址：{url}", flush=True)


def has_textual_serve() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("textual_serve") is not None
    except (ImportError, ValueError):
        return False


def main(args: argparse.Namespace) -> int:
    if not has_textual_serve():
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    host = str(args.host).strip()
    if not host:
        print("--host 不能为空。", file=sys.stderr)
        return 2
    if not 1 <= args.port <= 65535:
        print(f"端口 {args.port} 无效：请用 1 到 65535 之间的数字。", file=sys.stderr)
        return 2
    remote = not is_loopback(host)
    if remote and not args.allow_remote:
        print(
            f"{host} 不是本机地址：其他电脑也能连接，个人信息会在网络上传输。"
            f"如果确实需要，请加上 --allow-remote：wizard serve --host {host} --allow-remote",
            file=sys.stderr,
        )
        return 2

    from wizard.commands.flowarg import open_flow
    from wizard.text.script import detect_script

    flow, path = open_flow(args.flow)
    if flow is None:
        return 1
    script = args.script or detect_script(os.environ)

    from wizard.text.render import PLAIN
    from wizard.webserver import create_server

    if remote:
        print(REMOTE_WARNING.format(host=host), file=sys.stderr, flush=True)
    server = create_server(
        serve_command(str(path.resolve()), script),
        host=host,
        port=args.port,
        title=PLAIN.text(flow.title),
        lang=script,
        on_ready=_ready,
        on_key_used=_key_used,
    )
    try:
        server.serve()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(
            f"无法在 {host}:{args.port} 上启动：{reason}（端口可能已被占用，可以换一个：--port 8001）", file=sys.stderr
        )
        return 1
    return 0

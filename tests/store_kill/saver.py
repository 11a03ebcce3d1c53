"""Crash-test helper: saves sessions in a loop until it is killed with SIGKILL.

Two ways to run it:

``saver.py once DATA_DIR SESSION_ID START``
    One fresh process: saves the two known states alternately (``START``
    first, ``A`` or ``B``) forever. With ``WIZARD_STORE_TEST_HOOK=POINT:N`` in
    the environment, :mod:`wizard.store.disk` SIGKILLs the process the N-th time
    a save reaches ``POINT``.

``saver.py serve DATA_DIR SESSION_ID``
    A fork server, so that hundreds of kills stay cheap: for each command
    line on stdin it forks a child that runs the same save loop, waits for
    the child to die and answers one line on stdout.

    - ``hook POINT N START`` → the child sets ``WIZARD_STORE_TEST_HOOK`` and
      dies by the store's own SIGKILL at that point.
    - ``random MICROSECONDS START`` → the server SIGKILLs the child after
      that delay (from when the child said it started).
    - ``quit``.

    The answer is ``signal <n>`` or ``exit <code>``.

The states are built by :func:`states`; the test imports this file to know them.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import date
from pathlib import Path

from wizard.flow.loader import load_flow
from wizard.flow.model import Flow
from wizard.session import Session
from wizard.store.disk import TEST_HOOK_ENV, Store

FLOW_PATH = Path(__file__).resolve().parent / "flow.yaml"
TODAY = date(2025, 6, 1)


def states(flow: Flow) -> dict[str, Session]:
    """Two complete, different states (B is much larger, so a torn write shows)."""
    a = Session(
        flow=flow,
        answers={"merchant": "甲商店", "amount": "99.00", "channel": "网购"},
        position="purchase",
        today=TODAY,
        ticked={"purchase.0"},
    )
    b = Session(
        flow=flow,
        answers={
            "merchant": "乙公司旗舰店",
            "amount": "1280.50",
            "channel": "实体店",
            "detail": "收到的商品与描述不符。" * 1500,
            "problems": ["质量问题", "虚假宣传"],
            "agree": True,
        },
        position="contact",
        today=TODAY,
        ticked={"problem.0", "problem.1"},
    )
    if hasattr(b, "drafts"):
        b.drafts["phone"] = "138001"
    return {"A": a, "B": b}


def _other(name: str) -> str:
    return "B" if name == "A" else "A"


def save_forever(store: Store, session_id: str, first: str, flow: Flow) -> None:
    known = states(flow)
    name = first
    while True:
        result = store.save(known[name], session_id)
        if not result.ok:
            os._exit(3)
        name = _other(name)


def _child(root: Path, session_id: str, first: str, ready_w: int | None) -> None:
    try:
        flow = load_flow(FLOW_PATH)
        store = Store(root)
        if ready_w is not None:
            os.write(ready_w, b"x")
            os.close(ready_w)
        save_forever(store, session_id, first, flow)
    finally:
        os._exit(4)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"


def serve(root: Path, session_id: str) -> int:
    import wizard.store.disk as store_module

    load_flow(FLOW_PATH)  # warm the imports once, before forking
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        sys.stdout.flush()
        if words[0] == "hook":
            point, count, first = words[1], words[2], words[3]
            pid = os.fork()
            if pid == 0:
                os.environ[TEST_HOOK_ENV] = f"{point}:{count}"
                store_module._hook_loaded = False
                _child(root, session_id, first, None)
            _, status = os.waitpid(pid, 0)
        elif words[0] == "random":
            delay, first = int(words[1]), words[2]
            ready_r, ready_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(ready_r)
                os.environ.pop(TEST_HOOK_ENV, None)
                store_module._hook_loaded = False
                _child(root, session_id, first, ready_w)
            os.close(ready_w)
            os.read(ready_r, 1)
            os.close(ready_r)
            time.sleep(delay / 1_000_000)
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        else:
            print(f"error unknown command {words[0]}", flush=True)
            continue
        print(_describe(status), flush=True)
    return 0


def main(argv: list[str]) -> int:
    mode, root, session_id = argv[0], Path(argv[1]), argv[2]
    if mode == "serve":
        return serve(root, session_id)
    if mode == "once":
        save_forever(Store(root), session_id, argv[3], load_flow(FLOW_PATH))
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""One measured child process: a Textual app (bare baseline or the wizard) run headless.

``python benchmarks/probe.py MODE --app bare|wizard [options]`` prints one line
``BENCH-RESULT {json}`` and exits. Modes:

- ``start``: run until the first screen (the bare app, or the first step of
  the flow) is painted, report ``paint`` (``time.monotonic()``, one clock for
  all processes on Linux) and the peak RSS so far, then exit.
- ``step``: press Next ``--count`` times; report each press → next step painted.
- ``type``: type ``--count`` characters into the complaint text area (bare:
  a lone ``TextArea``); report each key → painted.
- ``script``: the first switch to zh-TW in the running app → repainted.
- ``opencc``: (no app) import OpenCC and create an ``s2twp`` converter.

Every app runs with ``App.run(headless=True, size=(80, 24), auto_pilot=…)``:
the autopilot waits for the state it needs, then for the next repaint
(``call_after_refresh``), reads the clock, and exits the app. For the wizard,
``App.run`` is patched in this process only, so the app is started exactly
as ``wizard run FLOW --fresh`` starts it.

The wizard is driven through :mod:`wizard_hooks` (how to find the first step,
press Next, reach the complaint text area, switch script), kept apart so that
a change of the app's widgets touches one small file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

RESULT_PREFIX = "BENCH-RESULT "
SIZE = (80, 24)
_started = time.monotonic()


def report(**values: object) -> None:
    values.setdefault("started", _started)
    sys.__stdout__.write(RESULT_PREFIX + json.dumps(values) + "\n")
    sys.__stdout__.flush()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- waiting for the app --------------------------------------------------------------------------


async def drain(app: Any) -> None:
    """Wait until the app and every node of the current screen processed what was queued before.

    Only nodes with messages waiting are asked (a callback queued behind their messages): asking
    every node costs the harness ~1.4 ms on a 35-node step page against ~0.3 ms on the bare
    app's few nodes, a cost of the measuring that grows with the number of widgets. Repeated
    until no queue holds anything, since handling a message can queue others.
    """
    for _ in range(1000):
        busy = [node for node in [app, *app.screen.walk_children(with_self=True)] if _has_messages(node)]
        if not busy:
            return
        await _behind_queued(busy)
    raise TimeoutError("the app kept queueing messages")


async def _behind_queued(nodes: list[Any]) -> None:
    """Wait until each node has handled what was queued before now."""
    pending = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal pending
        pending -= 1
        if pending == 0:
            done.set()

    for node in nodes:
        if node.call_later(one_done):
            pending += 1
    if pending:
        await asyncio.wait_for(done.wait(), timeout=30)


def _has_messages(node: Any) -> bool:
    queue = getattr(node, "_message_queue", None)
    return queue is not None and not queue.empty()


IDLE_POLL = 0.0005  # seconds


async def until(app: Any, predicate: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Drain the app's queues until ``predicate()`` holds, then wait for the repaint after it."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await drain(app)
        if not predicate():
            # Still waiting (on a worker thread, a timer): wait in the event loop's select, which
            # releases the GIL. Spinning here instead starves the app's worker threads of the GIL
            # (the OpenCC converter took 0.8-2.5 s instead of 0.15 s), which no user ever sees.
            await asyncio.sleep(IDLE_POLL)
    await drain(app)  # messages posted by what made the predicate true (e.g. a live count)
    await app.screen.wait_for_refresh()


def key(app: Any, name: str, char: str | None = None) -> None:
    """Send a key as the terminal driver would."""
    from textual import events

    app.post_message(events.Key(name, char))


# --- the bare baselines ---------------------------------------------------------------------------

_PARAGRAPH = (
    "这是一个基准测试用的屏幕。它只有标题栏、一段文字和底栏，"
    "用来衡量 Textual 本身从启动到画出第一屏、切换屏幕和输入文字所需的时间。"
)


def bare_app(mode: str) -> Any:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import Footer, Header, Static, TextArea

    class Plain(Screen[None]):
        def __init__(self, n: int) -> None:
            super().__init__()
            self.n = n

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(f"第 {self.n} 屏\n\n{_PARAGRAPH}", id="body")
            yield Footer()

    class Bare(App[None]):
        BINDINGS: ClassVar[list[Binding]] = [Binding("ctrl+n", "next", "下一屏")]
        screen_number = 0

        def compose(self) -> ComposeResult:
            yield Header()
            if mode == "type":
                yield TextArea(id="text")
            else:
                yield Static(_PARAGRAPH, id="body")
            yield Footer()

        def on_mount(self) -> None:
            if mode == "type":
                self.query_one(TextArea).focus()

        def action_next(self) -> None:
            # A new plain screen each time, as a step change builds its widgets anew.
            self.screen_number += 1
            screen = Plain(self.screen_number)
            if len(self.screen_stack) > 1:
                self.switch_screen(screen)
            else:
                self.push_screen(screen)

    return Bare()


async def bare_pilot(app: Any, mode: str, count: int) -> dict[str, object]:
    await until(app, lambda: bool(app.query("#body, #text")), "the first screen")
    out: dict[str, object] = {"paint": time.monotonic(), "peak_rss_mib": peak_rss_mib()}
    if mode == "step":
        samples = []
        for _ in range(count):
            before = app.screen_number
            start = time.perf_counter()
            key(app, "ctrl+n")
            await until(
                app,
                lambda b=before: app.screen_number > b and bool(app.screen.query("#body")),  # type: ignore[misc]
                "the next screen",
            )
            samples.append((time.perf_counter() - start) * 1000)
        out["samples"] = samples
    elif mode == "type":
        from textual.widgets import TextArea

        area = app.query_one(TextArea)
        samples = []
        for i in range(count):
            n = len(area.text)
            start = time.perf_counter()
            key(app, "a" if i % 2 else "b", "a" if i % 2 else "b")
            await until(app, lambda n=n: len(area.text) > n, "the typed character")  # type: ignore[misc]
            samples.append((time.perf_counter() - start) * 1000)
        out["samples"] = samples
    return out


# --- the wizard -----------------------------------------------------------------------------------


def run_wizard(flow: str, script: str, pilot: Callable[[Any], Awaitable[dict[str, object]]]) -> None:
    """Start the wizard as ``wizard run FLOW --fresh`` does, with ``App.run`` made headless."""
    try:
        import wizard.tui.app  # noqa: F401
    except ImportError as exc:
        report(not_built=f"wizard.tui.app: {exc}")
        return
    from textual.app import App

    original = App.run
    outcome: dict[str, object] = {}

    def headless_run(self: Any, **kwargs: Any) -> Any:
        async def autopilot(p: Any) -> None:
            try:
                outcome.update(await pilot(p.app))
            except Exception as exc:  # reported to the parent, which prints an ERROR row
                outcome["error"] = f"{type(exc).__name__}: {exc}"
            p.app.exit()

        kwargs.update(headless=True, size=SIZE, auto_pilot=autopilot)
        return original(self, **kwargs)

    App.run = headless_run  # type: ignore[method-assign]
    import wizard.commands.run as run_command

    run_command.wants_plain = lambda args: False  # type: ignore[assignment]  # stdout is a pipe here
    from wizard.cli import main

    argv = ["run", flow, "--fresh"]
    if script:
        argv += ["--script", script]
    code = main(argv)
    if not outcome:
        outcome["error"] = f"wizard run exited {code} before the first step was painted"
    report(**outcome)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("start", "step", "type", "script", "opencc"))
    parser.add_argument("--app", choices=("bare", "wizard"), default="bare")
    parser.add_argument("--flow", default="flows/12315-complaint.yaml")
    parser.add_argument("--answers", default="flows/examples/12315-complaint/online-clothing-refund.yaml")
    parser.add_argument("--script", default="zh-Hans")
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()

    if args.mode == "opencc":
        start = time.perf_counter()
        import opencc

        converter = opencc.OpenCC("s2twp")
        converter.convert("软件")
        report(samples=[(time.perf_counter() - start) * 1000])
        return

    if args.app == "bare":
        app = bare_app(args.mode)
        outcome: dict[str, object] = {}

        async def autopilot(p: Any) -> None:
            try:
                outcome.update(await bare_pilot(p.app, args.mode, args.count))
            except Exception as exc:
                outcome["error"] = f"{type(exc).__name__}: {exc}"
            p.app.exit()

        app.run(headless=True, size=SIZE, auto_pilot=autopilot)
        report(**outcome)
        return

    sys.modules.setdefault("probe", sys.modules[__name__])  # wizard_hooks imports the helpers above
    import wizard_hooks

    hooks = wizard_hooks.Hooks(args.flow, args.answers, args.count)
    pilots = {"start": hooks.start, "step": hooks.step, "type": hooks.type, "script": hooks.script}
    run_wizard(args.flow, args.script, pilots[args.mode])


if __name__ == "__main__":
    main()

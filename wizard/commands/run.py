"""``wizard run [FLOW]`` (also plain ``wizard``): open the wizard on a flow.

Chooses the view: the full-screen Textual app, or the plain line-by-line mode
(``--plain``, or automatically when stdout is not a terminal or TERM=dumb).
Textual is imported only when the full-screen app is opened.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from wizard.commands.flowarg import open_flow
from wizard.text.script import SCRIPTS, detect_script


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("flow", nargs="?", metavar="FLOW", help="flow file or shipped flow id (default: 12315-complaint)")
    p.add_argument("--script", choices=SCRIPTS, help="文字：zh-Hans（简体）, zh-Hant, zh-TW, zh-HK")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true", help="continue the saved session without asking")
    mode.add_argument("--fresh", action="store_true", help="start over without asking (the saved session is kept)")
    p.add_argument("--plain", action="store_true", help="line-by-line questions (screen readers, pipes)")
    p.add_argument("--watch", action="store_true", help="reload the flow when its file changes (for flow authors)")


def resume_mode(args: argparse.Namespace) -> str:
    """'resume', 'fresh' or 'ask'."""
    if getattr(args, "resume", False):
        return "resume"
    if getattr(args, "fresh", False):
        return "fresh"
    return "ask"


def wants_plain(args: argparse.Namespace) -> bool:
    if getattr(args, "plain", False):
        return True
    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return False  # run by textual-serve (wizard serve): the browser is the terminal
    if os.environ.get("TERM", "") == "dumb":
        return True
    return not sys.stdout.isatty()


def main(args: argparse.Namespace) -> int:
    # Start-up makes tens of thousands of objects that live as long as the process (modules, classes,
    # the flow) and few cycles: the cyclic garbage collector is off until the app has painted its first
    # page (it ran ~15 times, ~9 ms, while the flow loaded and the page was built); the app turns it
    # on again a second after it started (WizardApp's run_app), the plain mode at once.
    gc.disable()
    try:
        flow, path = open_flow(args.flow)
        if flow is None:
            return 1
        script = args.script or detect_script(os.environ)
        if wants_plain(args):
            gc.enable()
            from wizard.plain import run_plain

            return run_plain(flow, path, script=script, resume=resume_mode(args))
        from wizard.tui.app import run_app

        # What exists now is moved out of the collector's reach for good, so that no later full
        # collection scans it again (one fell during the first paint: ~25 ms for the ~45,000 objects
        # of the imports). Such objects are still freed by reference counting; only a cycle among
        # them would never be collected.
        gc.freeze()
        return run_app(flow, path, script=script, resume=resume_mode(args), watch=bool(args.watch))
    finally:
        gc.enable()

"""How the probe drives the wizard's Textual app (``wizard.tui.app.WizardApp``).

Everything that depends on the app's widgets is here, so that a change in
the app touches one small file. Each method is an autopilot body: it gets the
running app, waits for what it needs, measures, and returns the figures.

- first step painted: the current screen is a mounted ``StepScreen`` of the
  flow's first step;
- step change: answers of an example file are put into the session (as if
  typed), then Next (``ctrl+n``) is pressed on each step; a press is timed
  from the key to the next step painted. A press that does not move on
  (a warning to confirm) is pressed again and not counted;
- typing: the step holding the complaint text area (``problem_detail``) is
  shown with the cursor in it; each key is timed until the text and its live
  count are updated and painted;
- script: ``set_script("zh-TW")``, what the script picker and the command
  palette call, timed until the step is painted again in Traditional
  characters.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from probe import drain, key, peak_rss_mib, until

TEXTAREA_FIELD = "problem_detail"
TYPED = "好的"  # typed alternately; an IME commits whole characters like these


class Hooks:
    def __init__(self, flow: str, answers: str, count: int) -> None:
        self.flow_path = flow
        self.answers_path = answers
        self.count = count

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _step_screen_cls() -> Any:
        from wizard.tui.screens.step import StepScreen

        return StepScreen

    @staticmethod
    def _page(app: Any) -> tuple[Any, int]:
        """What is shown now: the screen, and how many pages it has shown (a step screen keeps its
        instance from one step to the next and rebuilds only its content pane)."""
        screen = app.screen
        return screen, getattr(screen, "pages_shown", 0)

    def _showing(self, app: Any, step_id: str, old: tuple[Any, int] | None = None) -> bool:
        screen = app.screen
        return (
            self._page(app) != old
            and isinstance(screen, self._step_screen_cls())
            and screen.step.id == step_id
            and screen.is_mounted
            and getattr(screen, "page_ready", True)
        )

    async def _first_step(self, app: Any) -> None:
        await until(app, lambda: app.session_or_none is not None, "the session")
        first = app.session.position
        await until(app, lambda: self._showing(app, first), "the first step")

    async def _with_answers(self, app: Any, step_id: str | None = None, focus: str | None = None) -> None:
        """Put an example's answers in the session and show ``step_id`` (default: the first step) again."""
        from wizard.answers.file import load_answers

        loaded = load_answers(app.flow, self.answers_path, app.today)
        if not loaded.answers:
            raise RuntimeError(f"no answers in {self.answers_path}")
        app.session.answers.update(loaded.answers)
        target = step_id or app.session.visible_steps()[0].id
        old = self._page(app)
        app.go(target, focus_field=focus)
        await until(app, lambda: self._showing(app, target, old), f"step {target}")

    # --- figures -------------------------------------------------------------------------------

    async def start(self, app: Any) -> dict[str, object]:
        await self._first_step(app)
        return {"paint": time.monotonic(), "peak_rss_mib": peak_rss_mib()}

    async def step(self, app: Any) -> dict[str, object]:
        await self._first_step(app)
        await self._with_answers(app)
        step_cls = self._step_screen_cls()
        samples: list[float] = []
        presses = 0
        while len(samples) < self.count and presses < 4 * self.count + 10:
            old = self._page(app)
            if not isinstance(app.screen, step_cls):
                break  # reached the review: the run of steps is over
            position = app.session.position
            presses += 1
            start = time.perf_counter()
            notes = len(app._notifications)
            key(app, "ctrl+n")
            # the key is handled (it travels app → focused widget → back up to the app's binding):
            # the position changed, or a notification says why not (a warning to confirm, an error)
            deadline = time.monotonic() + 30
            while app.session.position == position and len(app._notifications) == notes:
                if time.monotonic() > deadline:
                    raise TimeoutError("timed out waiting for Next to be handled")
                await drain(app)
                await asyncio.sleep(0)
            if app.session.position == position:
                continue
            target = app.session.position
            if app.flow.step(target) is None:
                break
            await until(app, lambda t=target, o=old: self._showing(app, t, o), f"step {target}")  # type: ignore[misc]
            samples.append((time.perf_counter() - start) * 1000)
        if not samples:
            raise RuntimeError(f"Next never moved to another step (answers {self.answers_path})")
        return {"samples": samples}

    async def type(self, app: Any) -> dict[str, object]:
        await self._first_step(app)
        target = app.flow.step_of(TEXTAREA_FIELD)
        if target is None:
            raise RuntimeError(f"the flow has no field {TEXTAREA_FIELD}")
        await self._with_answers(app, target.id, focus=TEXTAREA_FIELD)
        from textual.widgets import Static, TextArea

        area = app.screen.query_one(f"#field-{TEXTAREA_FIELD}", TextArea)
        await until(app, lambda: app.focused is area, "the text area to have focus")
        counter = area.parent.query_one(".field-counter", Static)
        samples: list[float] = []
        for i in range(self.count):
            n = len(area.text)
            shown = str(counter.content)
            char = TYPED[i % len(TYPED)]
            start = time.perf_counter()
            key(app, char, char)
            await until(
                app,
                lambda n=n, s=shown: len(area.text) > n and str(counter.content) != s,  # type: ignore[misc]
                "the typed character and its count",
            )
            samples.append((time.perf_counter() - start) * 1000)
        return {"samples": samples}

    async def script(self, app: Any) -> dict[str, object]:
        await self._first_step(app)
        first = app.session.position
        old = self._page(app)
        start = time.perf_counter()
        app.set_script("zh-TW")
        # the converter is made on a worker thread: wait for it as the app's own loop does (idle),
        # not by polling, which takes the GIL from that thread every half millisecond
        await app.workers.wait_for_complete()
        await until(
            app, lambda: app.script == "zh-TW" and self._showing(app, first, old), "the step in zh-TW", timeout=60
        )
        return {"samples": [(time.perf_counter() - start) * 1000]}

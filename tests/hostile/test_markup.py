"""Entrance 1: Rich/Textual markup, in every place the app shows a flow's text or an answer.

A flow is written in which *every* text holds all seven markup strings of
issue 9 (``[/]``, ``[b]x[/i]``, ``[@click=app.quit]go``, the leading-space
screenshot action that ``textual.markup.escape`` misses, ``[BOLD]``,
``[$var]``, and a ``[link=...]``), tagged with the name of its place. One
Pilot run at 250x60 (so that content lines do not wrap) walks through every
screen and records what is drawn; each (place, markup) pair is then its own
named test: the text is on screen literally, and nothing drawn carries a
quit or screenshot action or a terminal hyperlink. Finally the markup is
clicked: the app keeps running and no ``x.svg`` appears.

``tests/tui/test_hostile.py`` checks the same promise from the app's side
with its own flow; this file is the exhaustive matrix.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from tests.hostile.common import MARKUP
from wizard.flow.loader import load_flow
from wizard.session import CHECKLIST, REVIEW
from wizard.tui.app import WizardApp

# In a flow, '"]x' would be read as part of the link (test_yaml.py checks that refusal): 点我 follows instead.
FLOW_MARKUP = {**MARKUP, "link": '[link="https://evil.example"]点我'}
ALL = " ".join(FLOW_MARKUP.values())
TYPED = " ".join(MARKUP.values())  # what the user types may hold the link exactly as in the issue
#: Typed into the three one-line fields (each shows its whole value), and all of it into the text area.
_TYPED_VALUES = list(MARKUP.values())
TYPED_PARTS = {"name": " ".join(_TYPED_VALUES[:3]), "other": _TYPED_VALUES[3], "third": " ".join(_TYPED_VALUES[4:])}


#: A placeholder shows one line (Textual wraps it and draws the first): the strings are shared out over three.
_VALUES = list(FLOW_MARKUP.values())
PLACEHOLDERS = {"占位甲": " ".join(_VALUES[:3]), "占位乙": _VALUES[3], "占位丙": " ".join(_VALUES[4:])}


def _q(place: str, text: str = ALL) -> str:
    """A YAML double-quoted scalar: the place's tag, then every markup string."""
    return json.dumps(f"{place}{text}", ensure_ascii=False)


FLOW = f"""\
id: hostile-markup-matrix
title: {_q("流程标题")}
version: "1"
reviewed: "2026-11-01"
steps:
  - id: first
    title: {_q("步骤标题")}
    body: {_q("正文")}
    tips:
      - {_q("提示")}
    warnings:
      - {_q("警告")}
    fields:
      - id: choice
        type: select
        label: {_q("单选标签")}
        help: {_q("帮助")}
        required: true
        options:
          - value: a
            label: {_q("选项甲")}
          - value: b
            label: {_q("选项乙")}
      - id: name
        type: text
        label: {_q("文字标签")}
        placeholder: {_q("占位甲", PLACEHOLDERS["占位甲"])}
      - id: other
        type: text
        label: 另一个
        placeholder: {_q("占位乙", PLACEHOLDERS["占位乙"])}
      - id: third
        type: text
        label: 第三个
        placeholder: {_q("占位丙", PLACEHOLDERS["占位丙"])}
      - id: many
        type: multiselect
        label: {_q("多选标签")}
        options:
          - value: m1
            label: {_q("多选项")}
      - id: sure
        type: confirm
        label: {_q("确认标签")}
        required: true
    checklist:
      - text: {_q("清单项")}
        value: "{{name}}"
  - id: second
    title: {_q("第二步")}
    fields:
      - id: detail
        type: textarea
        label: {_q("多行标签")}
    checklist:
      - text: {_q("清单二")}
        value: "{{detail}}"
checks:
  - id: stop_b
    level: stop
    step: first
    when: choice == b
    message: {_q("停止")}
  - id: warn_a
    level: warn
    step: first
    when: choice == a
    message: {_q("通知")}
compose:
  - id: summary
    label: {_q("组合标签")}
    max_length: 20
    over_limit: {_q("超长提示")}
    parts:
      - "{{name}}"
"""

# place → (capture it is drawn in, the tag before the markup)
PLACES: dict[str, tuple[str, str]] = {
    "flow-title-top-bar": ("step", "流程标题"),
    "step-title": ("step", "步骤标题"),
    "markdown-body": ("step", "正文"),
    "tip": ("step", "提示"),
    "warning": ("step", "警告"),
    "select-label": ("step", "单选标签"),
    "help": ("step", "帮助"),
    "option": ("step", "选项甲"),
    "text-label": ("step", "文字标签"),
    "placeholder": ("step", "占位"),  # three fields share the strings out (see PLACEHOLDERS)
    "multiselect-option": ("step", "多选项"),
    "confirm-label": ("step", "确认标签"),
    "step-list-sidebar": ("sidebar", "步骤标题"),
    "stop-check": ("stop", "停止"),
    "warn-check-notification": ("notification", "通知"),
    "step-picker": ("picker", "步骤标题"),
    "command-palette": ("palette", "步骤标题"),
    "review-step-title": ("review", "步骤标题"),
    "review-label": ("review", "文字标签"),
    "review-option": ("review", "选项甲"),
    "checklist-item": ("checklist", "清单项"),
    "checklist-composed-label": ("checklist", "组合标签"),
    "checklist-over-limit-advice": ("checklist", "超长提示"),
}

# answers typed by the user: (capture, text)
TYPED_PLACES: dict[str, str] = {
    "typed-into-input": "typed",
    "typed-shown-on-review": "review",
    "typed-shown-in-checklist": "checklist",
}


def expected(tag: str, markup: str) -> str:
    """The literal text a place must show, holding ``markup``."""
    if tag != "占位":
        return f"{tag}{ALL}"
    return next(f"{name}{text}" for name, text in PLACEHOLDERS.items() if FLOW_MARKUP[markup] in text)


_BORDERS = re.compile(r"[\s▊▎▕▏▔▁█▐▌▀▄▂▆▇]+")


def squash(text: str) -> str:
    """Without white space and box-drawing edges: wrapped text compares equal to the unwrapped."""
    return _BORDERS.sub("", text)


def _strips(app: WizardApp) -> list[Any]:
    return list(app.screen._compositor.render_strips())


def region_text(app: WizardApp, widget: Widget) -> str:
    """What is drawn inside ``widget``'s region, row by row."""
    r = widget.region
    strips = _strips(app)
    return "\n".join(strips[y].crop(r.x, r.right).text for y in range(r.y, min(r.bottom, len(strips))))


def content(app: WizardApp, *selectors: str) -> str:
    """What is drawn inside the widgets found by ``selectors`` (not the columns beside them)."""
    return "\n".join(region_text(app, app.screen.query_one(s)) for s in selectors)


def screen_text(app: WizardApp) -> str:
    return "\n".join(strip.text for strip in _strips(app))


def actions_and_links(app: WizardApp) -> list[str]:
    """Click actions and hyperlinks attached to what is drawn."""
    found = []
    for strip in _strips(app):
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:
                found.append(f"link:{style.link}")
            meta = style.meta
            if meta and "@click" in meta:
                found.append(f"click:{meta['@click']}")
    return found


def find_text(app: WizardApp, needle: str) -> tuple[int, int] | None:
    """The screen cell where ``needle`` starts, if drawn on one row."""
    for y, strip in enumerate(_strips(app)):
        x = 0
        for segment in strip:
            at = segment.text.find(needle)
            if at >= 0:
                from rich.cells import cell_len

                return x + cell_len(segment.text[:at]), y
            x += segment.cell_length
    return None


@dataclass
class Seen:
    captures: dict[str, str] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)
    notifications: list[str] = field(default_factory=list)
    typed_values: dict[str, str] = field(default_factory=dict)
    running_after_clicks: bool = False
    positions: list[str] = field(default_factory=list)


async def _focus(pilot: Pilot[Any], selector: str) -> Widget:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    return widget


async def _walk(flow_path: Path, cwd: Path) -> Seen:
    seen = Seen()
    app = WizardApp(load_flow(flow_path), flow_path, store=None, today=date(2026, 11, 25), cwd=cwd)

    def capture(name: str, text: str | None = None) -> None:
        seen.captures[name] = text if text is not None else screen_text(app)
        seen.actions.extend(actions_and_links(app))

    async with app.run_test(size=(250, 60), notifications=True) as pilot:
        await pilot.pause()
        capture("step", content(app, "#top-bar", "#content"))
        capture("sidebar", content(app, "#step-list"))

        for field_id, text in TYPED_PARTS.items():
            box = await _focus(pilot, f"#field-{field_id}")
            assert isinstance(box, Input)
            box.insert_text_at_cursor(text)  # as a paste would
            await pilot.pause()
            seen.typed_values[field_id] = box.value
        await _focus(pilot, "#field-choice")
        capture("typed", content(app, "#content"))

        await _focus(pilot, "#field-choice")
        await pilot.press("down", "space")  # 选项乙: the stop check
        await _focus(pilot, "#field-sure")
        await pilot.press("space")
        await pilot.press("ctrl+n")
        await pilot.pause()
        capture("stop", content(app, "#stop-box"))
        seen.positions.append(app.session.position)

        await _focus(pilot, "#field-choice")
        await pilot.press("up", "space")  # 选项甲: the warn check, as a notification
        await pilot.press("ctrl+n")
        await pilot.pause()
        seen.positions.append(app.session.position)
        seen.notifications = [str(n.message) for n in app._notifications]
        for _ in range(50):  # toasts are mounted after the screen switch; a hang guard only
            await pilot.pause(0.05)
            toasts = list(app.screen.query("Toast"))
            if any("通知" in region_text(app, t) for t in toasts):
                break
        capture("notification", "\n".join(region_text(app, t) for t in toasts))

        await pilot.press("ctrl+g")
        await pilot.pause()
        capture("picker", content(app, "#picker"))
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"步骤标题")
        for _ in range(50):  # the palette searches in the background; a hang guard only
            await pilot.pause(0.05)
            if "跳到第1步" in squash(screen_text(app)):
                break
        capture("palette", content(app, "CommandList"))
        await pilot.press("escape")
        await pilot.pause()

        detail = await _focus(pilot, "#field-detail")
        assert isinstance(detail, TextArea)
        detail.insert(TYPED + "\n" + TYPED)
        await pilot.press("ctrl+n")
        await pilot.pause()
        seen.positions.append(app.session.position)
        capture("review", content(app, "#content"))

        await pilot.press("ctrl+n")
        await pilot.pause()
        seen.positions.append(app.session.position)
        capture("checklist", content(app, "#content"))

        # click the would-be actions: nothing may run
        for needle in ("[@click=app.quit]go", "@click=app.screenshot"):
            at = find_text(app, needle)
            assert at is not None, needle
            await pilot.click(offset=(at[0] + len(needle) - 2, at[1]))
            await pilot.pause()
        seen.running_after_clicks = app.is_running
    return seen


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Seen, Path, bool]]:
    folder = tmp_path_factory.mktemp("markup")
    flow_path = folder / "flow.yaml"
    flow_path.write_text(FLOW, encoding="utf-8")
    cwd = folder / "cwd"
    cwd.mkdir()
    shot = Path("/tmp/x.svg")
    before = shot.stat().st_mtime_ns if shot.exists() else None
    old = os.getcwd()
    os.chdir(cwd)
    try:
        seen = asyncio.run(_walk(flow_path, cwd))
    finally:
        os.chdir(old)
    after = shot.stat().st_mtime_ns if shot.exists() else None
    yield seen, cwd, before == after


def test_the_walk_reached_every_screen(walk: tuple[Seen, Path, bool]) -> None:
    seen, _cwd, _same = walk
    assert seen.positions == ["first", "second", REVIEW, CHECKLIST]


@pytest.mark.parametrize("markup", list(FLOW_MARKUP))
@pytest.mark.parametrize("place", list(PLACES))
def test_flow_markup_is_shown_literally(place: str, markup: str, walk: tuple[Seen, Path, bool]) -> None:
    seen, _cwd, _same = walk
    capture, tag = PLACES[place]
    literal = expected(tag, markup)
    assert FLOW_MARKUP[markup] in literal
    shown = squash(seen.captures[capture])
    assert squash(literal) in shown, f"{place}: {literal} not shown literally in:\n{seen.captures[capture]}"


@pytest.mark.parametrize("markup", list(MARKUP))
@pytest.mark.parametrize("place", list(TYPED_PLACES))
def test_typed_markup_is_shown_literally(place: str, markup: str, walk: tuple[Seen, Path, bool]) -> None:
    seen, _cwd, _same = walk
    capture = TYPED_PLACES[place]
    if capture == "checklist":
        literal = TYPED  # the text area's value, pasted into the checklist
    else:
        literal = next(text for text in TYPED_PARTS.values() if MARKUP[markup] in text)
    assert squash(literal) in squash(seen.captures[capture]), f"{place}: not shown literally:\n{seen.captures[capture]}"
    assert seen.typed_values == TYPED_PARTS, "stored exactly as typed"


def test_notification_text_is_the_message_as_written(walk: tuple[Seen, Path, bool]) -> None:
    seen, _cwd, _same = walk
    assert f"通知{ALL}" in seen.notifications


def test_nothing_drawn_carries_an_action_or_a_hyperlink(walk: tuple[Seen, Path, bool]) -> None:
    """Only the body's own link actions (a link's number, handled by the step screen) may be there."""
    seen, _cwd, _same = walk
    for found in seen.actions:
        assert not found.startswith("link:"), f"a terminal hyperlink: {found}"
        assert "quit" not in found and "screenshot" not in found, found
        assert re.fullmatch(r"click:screen\.open_body_link\(\d+\)", found) or found.startswith("click:app."), found


def test_clicking_the_markup_runs_nothing(walk: tuple[Seen, Path, bool]) -> None:
    seen, cwd, screenshot_untouched = walk
    assert seen.running_after_clicks
    assert list(cwd.iterdir()) == [], "nothing written in the current folder"
    assert screenshot_untouched, "/tmp/x.svg was written"

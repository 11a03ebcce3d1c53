"""The one place where a link may leave the app.

Links come from step ``link:`` keys, Markdown links in step bodies and
checklist items. All of them go through :func:`follow_link`, which asks
:func:`wizard.text.safety.live_link` (the rule the exports and plain mode share):

- an ``https`` link to an official domain is opened only after the host has
  been shown and the user has agreed;
- anything else (other sites, ``http``, ``javascript:``, look-alikes …) is
  shown as plain text with the reason, and never opened.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App

from wizard.text.render import PLAIN, TextRenderer
from wizard.text.safety import check_url, link_problem, live_link
from wizard.tui.text import plain


def follow_link(app: App[Any], url: str) -> None:
    """Ask, then open an official link; explain and refuse anything else."""
    from wizard.tui.screens.dialogs import ConfirmDialog, NoticeDialog  # the dialogs load on first use

    verdict = check_url(url)
    renderer = getattr(app, "renderer", None)
    t = renderer.ui if isinstance(renderer, TextRenderer) else PLAIN.ui
    if live_link(url) and verdict.host:
        body = Text()
        body.append(t("即将在浏览器中打开官方网站：") + "\n\n")
        body.append_text(plain(verdict.host, "bold"))
        body.append("\n\n" + t("完整网址：") + "\n")
        body.append_text(plain(url, multiline=False))
        body.append("\n\n" + t("请核对网址；12315 不会向您要钱、银行卡号或验证码。"))

        def answered(yes: bool | None) -> None:
            if yes:
                open_in_browser(app, url)

        app.push_screen(ConfirmDialog(t("打开官方网页？"), body, yes=t("打开"), no=t("不打开")), answered)
        return
    body = Text()
    body.append(t("为了安全，本向导不会打开这个链接：") + "\n\n")
    body.append_text(plain(url, "bold", multiline=False))
    body.append("\n\n" + t("原因："))
    body.append_text(plain(t(link_problem(url) or "这不是 12315 或政府官方网站")))
    body.append("\n\n" + t("如果确实需要访问，请自己核对网址后手动输入。"))
    app.push_screen(NoticeDialog(t("这个链接不会被打开"), body, warning=True))


def open_in_browser(app: App[Any], url: str) -> None:
    """Open an already-approved official https URL without blocking the interface."""
    if not live_link(url):  # never reached with a bad URL; belt and braces
        return
    if app.is_web:
        app.open_url(url)
        return

    def worker() -> None:
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except (webbrowser.Error, OSError):
            opened = False
        if not opened:
            app.call_from_thread(
                app.notify,
                f"没能打开浏览器。请手动在浏览器中输入：{url}",
                severity="warning",
                timeout=10,
                markup=False,
            )

    app.run_worker(worker, thread=True, group="browser", exit_on_error=False)

"""Chinese scripts through OpenCC. (Skeleton: the OpenCC issue fills this in.)"""

from __future__ import annotations

from collections.abc import Mapping

from wizard.render import PLAIN, TextRenderer

SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
DEFAULT_SCRIPT = "zh-Hans"


def detect_script(environ: Mapping[str, str]) -> str:
    """zh_TW → zh-TW, zh_HK/zh_MO → zh-HK, anything else → zh-Hans (from LC_ALL, LC_MESSAGES, LANG)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            lang = value.split(".")[0].replace("-", "_")
            if lang.startswith("zh_TW"):
                return "zh-TW"
            if lang.startswith(("zh_HK", "zh_MO")):
                return "zh-HK"
            return DEFAULT_SCRIPT
    return DEFAULT_SCRIPT


def renderer_for(script: str) -> TextRenderer:
    """The renderer for a script; zh-Hans needs no converter."""
    del script
    return PLAIN

"""Chinese scripts through OpenCC. (Minimal: zh-Hans only; see the OpenCC issue.)"""

from __future__ import annotations

from wizard.render import PLAIN, TextRenderer

SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
DEFAULT_SCRIPT = "zh-Hans"


def renderer_for(script: str) -> TextRenderer:
    """The renderer for a script; zh-Hans needs no converter."""
    return PLAIN

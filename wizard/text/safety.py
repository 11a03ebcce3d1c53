"""Text sanitising and the URL allow-list.

Everything typed by the user or written in a flow file ends up on a terminal.
:func:`clean_text` removes the characters that could drive the terminal
(ESC/CSI/OSC sequences, C1 controls), reorder what is shown (bidirectional
controls) or hide text (zero-width characters), while leaving Chinese text,
emoji and ordinary punctuation untouched.

:func:`check_url` decides whether a link may be opened and whether it belongs
to an official site (12315 / SAMR / government).

This module is part of the domain layer: it must not import Textual or Rich.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

from wizard.flow.record import record

__all__ = [
    "OFFICIAL_DOMAINS",
    "UrlCheck",
    "check_url",
    "clean_text",
    "forbidden_chars",
    "is_clean",
    "link_problem",
    "live_link",
    "shown_path",
    "visible",
]

# --- character classes ----------------------------------------------------------

ZWJ = "\u200d"

#: Bidirectional formatting controls (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)

#: Zero-width and otherwise invisible characters (ZWJ is handled separately).
INVISIBLE = frozenset(
    "\u200b\u200c"  # ZERO WIDTH SPACE, ZERO WIDTH NON-JOINER
    "\u2060\u2061\u2062\u2063\u2064"  # WORD JOINER, invisible math operators
    "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated (invisible) format controls
    "\ufeff"  # ZERO WIDTH NO-BREAK SPACE / BOM
    "\u180e"  # MONGOLIAN VOWEL SEPARATOR
    "\u00ad"  # SOFT HYPHEN
    "\ufff9\ufffa\ufffb"  # interlinear annotation controls
)

#: Every other format character (Unicode category Cf, Unicode 15), the tag characters
#: U+E0000-E007F among them ("ASCII smuggling": invisible copies of ASCII), and the Hangul
#: fillers, letters that render as nothing. ``tests/test_safety.py`` checks this table
#: against ``unicodedata`` of the running Python; :func:`_is_removed` also asks it directly.
_FORMAT_RANGES = (
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE007F),
)  # fmt: skip
HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
INVISIBLE = INVISIBLE | HANGUL_FILLERS | {chr(c) for lo, hi in _FORMAT_RANGES for c in range(lo, hi + 1)}

LINE_SEPARATORS = frozenset("\u2028\u2029")

_VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")

#: Variation selectors (VS1-VS16, and VS17-VS256 for ideographs). One is kept right after a
#: visible non-ASCII character (an emoji's U+FE0F, an ideographic variant of a name) or after
#: ``0-9 # *`` in a keycap (``1️⃣``); anywhere else -- at the start, after ASCII, after a space
#: or another selector -- it is removed: a run of selectors is how data is hidden in an emoji.
VARIATION_SELECTORS = frozenset(chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)))
_KEYCAP_BASES = frozenset("0123456789#*")

#: Every character :func:`forbidden_chars` may report (CR only when alone, ZWJ only outside emoji):
#: a string without any of them is clean, found by one regex search instead of a loop.
SUSPECT_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
    + re.escape("".join(sorted(BIDI_CONTROLS | INVISIBLE | LINE_SEPARATORS | VARIATION_SELECTORS | {ZWJ})))
    + "]"
)

_C0_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()

_C1_NAMES = (
    "PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
    "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC"
).split()


def _is_removed(ch: str) -> bool:
    """True for a character that :func:`clean_text` always drops.

    Tab, CR, LF, the line/paragraph separators and ZWJ are handled by the
    caller and never reach this function.
    """
    cp = ord(ch)
    return (
        cp < 0x20
        or 0x7F <= cp <= 0x9F
        or 0xD800 <= cp <= 0xDFFF
        or ch in BIDI_CONTROLS
        or ch in INVISIBLE
        or (cp >= 0x80 and unicodedata.category(ch) == "Cf")
    )


def _keeps_selector(out: list[str], s: str, i: int) -> bool:
    """Whether the variation selector ``s[i]`` stays, after the kept text ``out``."""
    if not out:
        return False
    before = out[-1]
    if before in _KEYCAP_BASES:
        return i + 1 < len(s) and s[i + 1] == "\u20e3"
    if ord(before) < 0x80 or before in VARIATION_SELECTORS or before == ZWJ:
        return False
    return not before.isspace() and unicodedata.category(before)[0] in "LNPS"


def _joins_emoji(ch: str) -> bool:
    """A character that may stand on either side of a kept ZWJ."""
    if ord(ch) < 0x80:
        return False
    return ch in _VARIATION_SELECTORS or unicodedata.category(ch) in ("So", "Sk")


def _char_name(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x20:
        return _C0_NAMES[cp]
    if cp == 0x7F:
        return "DEL"
    if 0x80 <= cp <= 0x9F:
        return f"U+{cp:04X} {_C1_NAMES[cp - 0x80]}"
    if 0xD800 <= cp <= 0xDFFF:
        return f"U+{cp:04X} LONE SURROGATE"
    name = unicodedata.name(ch, "")
    return f"U+{cp:04X} {name}" if name else f"U+{cp:04X}"


def _scan(s: str, multiline: bool, report: list[tuple[int, str]] | None) -> str:
    """Clean ``s``; when ``report`` is given, append what was removed or changed."""
    out: list[str] = []
    last_was_break = False  # single-line mode: collapse runs of line breaks
    n = len(s)
    i = 0
    while i < n:
        ch = s[i]
        is_break = False
        emit: str | None
        if ch == "\r":
            if i + 1 < n and s[i + 1] == "\n":
                i += 1  # CRLF: let the LF stand for both, silently
                continue
            if report is not None:
                report.append((i, "CR"))
            is_break = True
        elif ch == "\n":
            is_break = True
        elif ch in LINE_SEPARATORS:
            if report is not None:
                report.append((i, _char_name(ch)))
            is_break = True
        if is_break:
            if multiline:
                emit = "\n"
            elif last_was_break:
                emit = None
            else:
                emit = " "
        elif ch == "\t":
            emit = " "
        elif ch == ZWJ:
            keep = (
                bool(out)
                and _joins_emoji(out[-1])
                and i + 1 < n
                and ord(s[i + 1]) >= 0x80
                and unicodedata.category(s[i + 1]) == "So"
            )
            emit = ch if keep else None
            if not keep and report is not None:
                report.append((i, _char_name(ch)))
        elif ch in VARIATION_SELECTORS:
            keep = _keeps_selector(out, s, i)
            emit = ch if keep else None
            if not keep and report is not None:
                report.append((i, _char_name(ch)))
        elif _is_removed(ch):
            emit = None
            if report is not None:
                report.append((i, _char_name(ch)))
        else:
            emit = ch
        if emit is not None:
            out.append(emit)
            last_was_break = is_break
        i += 1
    return "".join(out)


def clean_text(s: str, *, multiline: bool = True) -> str:
    """Remove every character that could control the terminal or hide text.

    * C0 controls (including ESC and NUL), DEL and C1 controls (U+0080-U+009F)
      are removed; ``\\t`` becomes a space; ``\\r\\n`` and ``\\r`` become ``\\n``;
      U+2028/U+2029 become ``\\n``.
    * Bidirectional controls and zero-width/invisible characters are removed.
    * ZWJ (U+200D) is kept only between two non-ASCII symbols, so emoji
      sequences such as 👨‍👩‍👧 survive.
    * Every other format character (category Cf: the tag characters
      U+E0000-E007F, U+2061 …) and the Hangul fillers (U+115F, U+1160, U+3164,
      U+FFA0) are removed.
    * A variation selector is kept only right after a visible non-ASCII
      character, or in a keycap (``1`` U+FE0F U+20E3); elsewhere it is removed.
    * Lone surrogates are removed. Combining marks and private-use characters
      are kept.
    * With ``multiline=False`` each line break (a run of consecutive line
      breaks counts as one) becomes a single space.

    The function is idempotent: ``clean_text(clean_text(s)) == clean_text(s)``.
    """
    if SUSPECT_CHARS.search(s) is None and "\t" not in s and (multiline or "\n" not in s):
        return s  # nothing to remove or change: one regex search instead of a loop per character
    return _scan(s, multiline, None)


def forbidden_chars(s: str) -> list[tuple[int, str]]:
    """Offsets (into ``s``) and short English names of the characters
    :func:`clean_text` (in multiline mode) would remove or change.

    ``\\r\\n`` and ``\\t`` are not reported; a lone ``\\r`` is (as ``"CR"``).
    Names look like ``"ESC"``, ``"NUL"``, ``"U+009B CSI"`` or
    ``"U+202E RIGHT-TO-LEFT OVERRIDE"``.
    """
    found: list[tuple[int, str]] = []
    if SUSPECT_CHARS.search(s) is not None:
        _scan(s, True, found)
    return found


def is_clean(s: str) -> bool:
    """True when :func:`clean_text` would return ``s`` unchanged (multiline mode)."""
    return clean_text(s) == s


def visible(s: str) -> str:
    """``s`` for a one-line message that must show what is wrong without acting on it.

    Every character :func:`clean_text` would remove or change, and every line
    break or tab, is written as an escape (``\\x1b``, ``\\x9b``, ``\\u202e``,
    ``\\n``), so that a file name or a key read from a file can be quoted in an
    error message: the reader sees which character is there, the terminal
    gets no control character. Other text (Chinese, emoji) is unchanged.
    """
    out: list[str] = []
    for ch in s:
        if ch in "\n\r\t" or ch == ZWJ or ch in LINE_SEPARATORS or _is_removed(ch):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def shown_path(path: object) -> str:
    """A file or folder name for a message: the one helper every message that names a path uses.

    A name may hold any byte but ``/`` and NUL: an escape character, a line
    break, a direction override, or (from an undecodable command-line
    argument) a lone surrogate. :func:`visible` writes each of them as an
    escape (``\\x1b``, ``\\n``, ``\\u202e``, ``\\udcff``), so the message shows
    which file is meant and the terminal receives no control character.
    """
    import os

    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return visible(str(path))


# --- URLs -----------------------------------------------------------------------

OFFICIAL_DOMAINS: tuple[str, ...] = ("12315.cn", "samr.gov.cn", "gsxt.gov.cn", "gov.cn")

MAX_URL_LENGTH = 2048

_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD_RE = re.compile(r"[a-z]{2,63}")
_HOST_CHARS_RE = re.compile(r"[A-Za-z0-9.\-]+")
_DANGEROUS_SCHEMES = ("javascript", "data", "file", "vbscript")


@record
class UrlCheck:
    """The verdict on one link.

    ``ok``: the link may be opened at all. ``official``: it belongs to one of
    :data:`OFFICIAL_DOMAINS`. ``host``: the normalised (lower-case, no trailing
    dot) host name when it could be determined safely. ``reason``: a Chinese
    explanation whenever the link is not ok or not official.
    """

    url: str
    ok: bool
    official: bool
    host: str | None
    reason: str | None


def _reject(url: str, reason: str, host: str | None = None) -> UrlCheck:
    return UrlCheck(url=url, ok=False, official=False, host=host, reason=reason)


def _check_host(raw_host: str) -> tuple[str | None, str | None]:
    """Validate a raw host; return ``(normalised host, None)`` or ``(None, reason)``."""
    if not raw_host:
        return None, "链接中缺少网址（域名）"
    if "%" in raw_host:
        return None, "网址的域名中含有编码字符（%），可能伪装真实网址"
    if raw_host.startswith("["):
        return None, "不允许打开直接使用 IP 地址的链接"
    if not _HOST_CHARS_RE.fullmatch(raw_host):
        if any(ord(ch) > 0x7F for ch in raw_host):
            return None, "网址的域名中含有非英文字符，可能是仿冒的相似网址"
        return None, "网址的域名中含有不允许的字符"
    host = raw_host.lower()
    if host.endswith("."):
        host = host[:-1]
    if not host or len(host) > 253:
        return None, "网址的域名格式不正确"
    labels = host.split(".")
    if any(label.startswith("xn--") for label in labels):
        return None, "网址使用了国际化域名编码（xn--），可能是仿冒的相似网址"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None, "不允许打开直接使用 IP 地址的链接"
    last = labels[-1]
    # Browsers parse a host whose last label is numeric (or hex) as IPv4.
    if last.isdigit() or re.fullmatch(r"0x[0-9a-f]*", last):
        return None, "不允许打开直接使用 IP 地址的链接"
    if len(labels) < 2:
        return None, "网址的域名不完整"
    if not all(_LABEL_RE.fullmatch(label) for label in labels) or not _TLD_RE.fullmatch(last):
        return None, "网址的域名格式不正确"
    return host, None


def _is_official(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS)


def check_url(url: str) -> UrlCheck:
    """Decide whether ``url`` may be opened, and whether it is an official site.

    Only ``https`` links with a plain ASCII host name, no user info, no port
    other than 443, no IP address and no punycode are ``ok``. A host is
    ``official`` when it equals one of :data:`OFFICIAL_DOMAINS` or is a
    subdomain of one (on a dot boundary).
    """
    if not isinstance(url, str):
        return _reject(repr(url), "链接不是文本")
    if not url:
        return _reject(url, "链接为空")
    if len(url) > MAX_URL_LENGTH:
        return _reject(url, "链接过长")
    if any(ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp") for ch in url):
        return _reject(url, "链接中含有空格或换行")
    if any(unicodedata.category(ch).startswith("C") for ch in url):
        return _reject(url, "链接中含有控制字符或不可见字符")
    if "\\" in url:
        return _reject(url, "链接中含有反斜杠（\\），可能伪装真实网址")
    if url.startswith("-"):
        return _reject(url, "链接以“-”开头，不是有效的网址")

    m = _SCHEME_RE.match(url)
    if m is None:
        return _reject(url, "不是有效的网址，网址应以 https:// 开头")
    scheme = m.group(1).lower()
    if scheme == "http":
        return _reject(url, "不是加密的 https 链接")
    if scheme in _DANGEROUS_SCHEMES:
        return _reject(url, f"不允许打开 {scheme}: 类型的链接")
    if scheme != "https":
        return _reject(url, "只允许打开 https:// 开头的链接")

    rest = url[m.end() :]
    if not rest.startswith("//"):
        return _reject(url, "不是有效的网址，网址应以 https:// 开头")
    authority = re.match(r"[^/?#]*", rest[2:])
    netloc = authority.group(0) if authority else ""

    if "@" in netloc:
        reason = "链接中含有 @，可能伪装真实网址"
        real_host, _ = _check_host(netloc.rsplit("@", 1)[1].split(":", 1)[0])
        if real_host is not None:
            reason += f"（实际打开的是 {real_host}）"
        return _reject(url, reason)

    raw_host, colon, port = netloc.partition(":")
    if raw_host.startswith("["):
        return _reject(url, "不允许打开直接使用 IP 地址的链接")
    host, problem = _check_host(raw_host)
    if host is None:
        return _reject(url, problem or "网址的域名格式不正确")
    if colon and port != "443":
        return _reject(url, "链接使用了非标准端口，不是普通的网站链接", host)

    # urlsplit is lenient; make sure it sees exactly what we checked.
    try:
        parts = urlsplit(url)
        parsed_port = parts.port
    except ValueError:
        return _reject(url, "链接格式异常", host)
    if (
        parts.scheme.lower() != "https"
        or parts.netloc != netloc
        or (parts.hostname or "").rstrip(".") != host
        or parsed_port not in (None, 443)
    ):
        return _reject(url, "链接格式异常", host)

    if _is_official(host):
        return UrlCheck(url=url, ok=True, official=True, host=host, reason=None)
    lookalike = next((d for d in OFFICIAL_DOMAINS[:3] if d in host), None)
    if lookalike is not None:
        reason = f"网址中含有“{lookalike}”字样，但实际并不是官方网站（{host}），请谨慎访问"
    else:
        reason = "这不是 12315 或政府官方网站，请谨慎访问"
    return UrlCheck(url=url, ok=True, official=False, host=host, reason=reason)


def live_link(url: str | None) -> bool:
    """The one rule every view follows for a link: may it be *live*?

    Live means opened (the app, after asking), written as a link (``<a href>``
    in HTML, ``<…>`` in Markdown) or announced as a link (「网址：…」 in plain
    mode and the text export). Only an ``https`` link that :func:`check_url`
    finds ``ok`` *and* ``official`` is: a look-alike (``www.12315.cn.evil.com``,
    ``12315.cn@evil.com``, punycode, an IP address, another port) never is.
    Every other address is shown as plain text, with :func:`link_problem`.
    """
    if not url or url.startswith("-"):
        return False
    verdict = check_url(url)
    return verdict.ok and verdict.official and verdict.host is not None


def link_problem(url: str | None) -> str | None:
    """None for a live link (:func:`live_link`); otherwise why it is not, in Chinese."""
    if url and live_link(url):
        return None
    if not url:
        return "链接为空"
    return check_url(url).reason or "这不是 12315 或政府官方网站"

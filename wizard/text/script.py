"""Chinese scripts: Simplified and Traditional readers, through OpenCC.

Flows are written once in Simplified Chinese. This module owns:

- the scripts a reader can choose (:data:`SCRIPTS`), their display names,
  and the choice from the locale (:func:`detect_script`);
- :func:`renderer_for`, the :class:`~wizard.text.render.TextRenderer` of a
  script. ``zh-Hans`` is the identity and loads no OpenCC at all (``opencc``
  is not even imported); the other scripts create their OpenCC converter on
  first use, once, under a lock, and cache every converted string, so that
  re-rendering a screen costs a dictionary look-up per string;
- helpers for what the user types, which is *never* converted silently:
  :func:`to_simplified` (the Simplified form of Traditional input, offered
  beside the field) and :func:`strip_pinyin_annotations` (text pasted from
  machine-converted pages: 「聯(lián)網(wǎng)」 → 「聯網」).

What is converted, and what is not, is decided by the renderer: flow
literals and interface text are converted; site labels, option values and
answers never are (see :mod:`wizard.text.render`).

Creating a converter takes ~0.1 s and ~28 MiB: views call
:func:`renderer_for` and :func:`to_simplified` off their interface thread.
"""

from __future__ import annotations

import _thread  # not threading: the locks are all this module needs, and threading costs ~1 ms to import
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

from wizard.errors import WizardError
from wizard.text.render import PLAIN, TextRenderer

SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
DEFAULT_SCRIPT = "zh-Hans"

_NAMES = {
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "zh-TW": "台灣正體",
    "zh-HK": "香港繁體",
}

# OpenCC configurations: Simplified → the reader's script, and back.
_TO_SCRIPT = {"zh-Hant": "s2t", "zh-TW": "s2twp", "zh-HK": "s2hk"}
_TO_SIMPLIFIED = {"zh-Hans": "t2s", "zh-Hant": "t2s", "zh-TW": "tw2sp", "zh-HK": "hk2s"}
_DETECT = "t2s"  # per character: is it a Traditional-only character?

# Characters that t2s changes but that are also standard Simplified characters
# in some words or names (乾 in 乾隆/乾安县, 於 as a surname, 徵 zhǐ, 麽 in 幺麽).
# Text whose only "Traditional" characters are these is treated as Simplified.
ALSO_SIMPLIFIED = frozenset("乾於徵麽")

# Words whose Taiwan-phrase reading (s2twp) is computing jargon that misleads in
# a consumer's complaint: 统一社会信用代码 would read 統一社會信用程式碼, 问题类型
# 問題型別, 保存证据 儲存證據, 批量 批次, 支持 支援. These get what plain s2tw gives (代碼, 類型 …):
# each is converted character by character with s2twp, which for these words is exactly s2tw's
# result (a test compares them) and saves creating a second converter (~0.1 s) on the switch.
TW_PLAIN_PHRASES = ("代码", "类型", "保存", "批量", "支持")
_TW_PLAIN = "|".join(map(re.escape, TW_PLAIN_PHRASES))  # compiled (and cached) by re when zh-TW is first used

_CONVERSION_CACHE = 8192


def _unknown(script: str) -> WizardError:
    return WizardError(f"未知的文字：{script!r}（可选：{'、'.join(SCRIPTS)}）")


def _check(script: str) -> None:
    if script not in SCRIPTS:
        raise _unknown(script)


# --- names and choice ------------------------------------------------------------


def script_name(script: str) -> str:
    """The name shown in the script switcher: 简体中文, 繁體中文, 台灣正體, 香港繁體."""
    _check(script)
    return _NAMES[script]


def next_script(script: str) -> str:
    """The script after ``script`` in :data:`SCRIPTS`, wrapping round (for a switch key)."""
    _check(script)
    return SCRIPTS[(SCRIPTS.index(script) + 1) % len(SCRIPTS)]


_ALIASES = {
    "zh-hans": "zh-Hans",
    "hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "简体": "zh-Hans",
    "简体中文": "zh-Hans",
    "zh-hant": "zh-Hant",
    "hant": "zh-Hant",
    "繁體": "zh-Hant",
    "繁體中文": "zh-Hant",
    "zh-tw": "zh-TW",
    "tw": "zh-TW",
    "zh-hant-tw": "zh-TW",
    "台灣正體": "zh-TW",
    "zh-hk": "zh-HK",
    "hk": "zh-HK",
    "zh-mo": "zh-HK",
    "zh-hant-hk": "zh-HK",
    "zh-hant-mo": "zh-HK",
    "香港繁體": "zh-HK",
}


def parse_script(value: str) -> str | None:
    """A script from what a user or a save file wrote (``zh-TW``, ``zh_tw``, ``hk`` …), or None."""
    key = value.strip().replace("_", "-").lower()
    return _ALIASES.get(key)


def _from_locale(value: str) -> str:
    """zh_TW → zh-TW, zh_HK/zh_MO → zh-HK, zh_Hant → zh-Hant, anything else → zh-Hans."""
    tag = re.split(r"[.@]", value.strip(), maxsplit=1)[0]
    parts = [p.lower() for p in re.split(r"[-_]", tag) if p]
    if not parts or parts[0] != "zh":
        return DEFAULT_SCRIPT
    subtags = parts[1:]
    if "hans" in subtags:
        return DEFAULT_SCRIPT
    if "tw" in subtags:
        return "zh-TW"
    if "hk" in subtags or "mo" in subtags:
        return "zh-HK"
    if "hant" in subtags:
        return "zh-Hant"
    return DEFAULT_SCRIPT


def detect_script(environ: Mapping[str, str]) -> str:
    """The script from the locale (``--script`` is the caller's and wins over this).

    The first non-empty of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` decides:
    ``zh_TW`` → zh-TW, ``zh_HK``/``zh_MO`` → zh-HK, ``zh_Hant`` (no region)
    → zh-Hant; other Chinese locales, other languages, ``C`` or nothing →
    zh-Hans. ``zh_Hant_TW``, ``zh-TW.UTF-8`` and ``zh_HK.Big5-HKSCS@stroke``
    forms are understood.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return _from_locale(value)
    return DEFAULT_SCRIPT


# --- converters ------------------------------------------------------------------


TYPE_CHECKING = False  # typing costs ~2 ms to import (`wizard checklist`): only type checkers read this block
if TYPE_CHECKING:
    from typing import Protocol

    class _Converter(Protocol):
        def convert(self, text: str) -> str: ...


_state_lock = _thread.allocate_lock()  # guards the dictionaries below (held briefly)
_converters: dict[str, _Converter] = {}
_creation_locks: dict[str, _thread.LockType] = {}
_use_locks: dict[str, _thread.LockType] = {}
_renderers: dict[str, TextRenderer] = {}


def _create(config: str) -> _Converter:
    try:
        import opencc
    except ImportError as exc:
        raise WizardError(f"无法加载繁简转换（opencc 未安装或已损坏）：{exc}") from exc
    try:
        converter: _Converter = opencc.OpenCC(f"{config}.json")
    except Exception as exc:  # the C library reports a missing/broken dictionary in several ways
        raise WizardError(f"无法加载繁简转换词典 {config}：{exc}") from exc
    return converter


def _converter(config: str) -> _Converter:
    """The OpenCC converter for a configuration, created once (thread-safe)."""
    found = _converters.get(config)
    if found is not None:
        return found
    with _state_lock:
        creating = _creation_locks.setdefault(config, _thread.allocate_lock())
    with creating:  # one thread creates it; others wait for that one
        found = _converters.get(config)
        if found is None:
            found = _create(config)
            with _state_lock:
                _use_locks[config] = _thread.allocate_lock()
                _converters[config] = found
    return found


def _convert_uncached(config: str, text: str) -> str:
    converter = _converter(config)
    with _use_locks[config]:
        return converter.convert(text)


def _converting(config: str) -> Callable[[str], str]:
    """A cached ``str -> str`` function for a configuration; creates the converter now."""
    _converter(config)

    @lru_cache(maxsize=_CONVERSION_CACHE)
    def convert(text: str) -> str:
        if not text or text.isascii():  # OpenCC leaves ASCII alone: URLs, numbers, ids
            return text
        return _convert_uncached(config, text)

    return convert


_conversions: dict[str, Callable[[str], str]] = {}


def _conversion(config: str) -> Callable[[str], str]:
    found = _conversions.get(config)
    if found is not None:
        return found
    made = _converting(config)
    with _state_lock:
        return _conversions.setdefault(config, made)


def loaded_converters() -> frozenset[str]:
    """The OpenCC configurations created so far in this process (``s2twp``, ``t2s`` …).

    Empty until a Traditional script is rendered or :func:`to_simplified` /
    :func:`traditional_characters` meet Han text. zh-TW creates ``s2twp``
    only; zh-Hant ``s2t``; zh-HK ``s2hk``.
    """
    with _state_lock:
        return frozenset(_converters)


def renderer_for(script: str) -> TextRenderer:
    """The renderer for a script.

    ``zh-Hans`` is :data:`wizard.text.render.PLAIN` and touches no OpenCC. The
    others create their converter on the first call (slow: call it off the
    interface thread) and return the same renderer afterwards. Raises
    :class:`WizardError` for an unknown script or an unusable OpenCC.
    """
    _check(script)
    if script == DEFAULT_SCRIPT:
        return PLAIN
    found = _renderers.get(script)
    if found is not None:
        return found
    made = TextRenderer(_taiwan() if script == "zh-TW" else _conversion(_TO_SCRIPT[script]))
    with _state_lock:
        return _renderers.setdefault(script, made)


def _taiwan() -> Callable[[str], str]:
    """s2twp, except for the phrases of :data:`TW_PLAIN_PHRASES`, which get no Taiwan idiom.

    A phrase is converted one character at a time: no phrase rule can apply to one character,
    so it gets the characters' Traditional forms, which is what ``s2tw`` gives for these words.
    """
    idiom = _conversion(_TO_SCRIPT["zh-TW"])

    def plain(phrase: str) -> str:
        return "".join(idiom(ch) for ch in phrase)

    @lru_cache(maxsize=_CONVERSION_CACHE)
    def convert(text: str) -> str:
        out: list[str] = []
        pos = 0
        for m in re.finditer(_TW_PLAIN, text):
            out.append(idiom(text[pos : m.start()]))
            out.append(plain(m.group()))
            pos = m.end()
        out.append(idiom(text[pos:]))
        return "".join(out)

    return convert


# --- what the user typed ------------------------------------------------------------


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x323AF
        or o == 0x3007  # 〇
    )


def traditional_characters(text: str) -> tuple[str, ...]:
    """The distinct Traditional-only characters in ``text``, in order (loads t2s if ``text`` has Han).

    A character counts when t2s changes it on its own and it is not also a
    standard Simplified character (:data:`ALSO_SIMPLIFIED`).
    """
    han = [ch for ch in dict.fromkeys(text) if _is_han(ch) and ch not in ALSO_SIMPLIFIED]
    if not han:
        return ()
    t2s = _conversion(_DETECT)
    return tuple(ch for ch in han if t2s(ch) != ch)


def to_simplified(text: str, script: str) -> str | None:
    """The Simplified form of what a reader typed, to offer beside the field; None if nothing to offer.

    Converted with t2s (zh-Hans, zh-Hant), tw2sp (zh-TW: Taiwan phrases too)
    or hk2s (zh-HK). Offered only when the text holds a Traditional-only
    character: text already in Simplified is left alone, even where OpenCC
    would change a word (乾安县 stays; 列印 is not turned into 打印). The
    caller shows it and lets the user choose; it is never applied silently.
    """
    _check(script)
    if not traditional_characters(text):
        return None
    simplified = _convert_uncached(_TO_SIMPLIFIED[script], text)  # typed text: not worth caching
    return None if simplified == text else simplified


def simplified_doubts(text: str) -> tuple[str, ...]:
    """Characters of ``text`` that are also standard Simplified and that conversion changes (乾 → 干).

    A name such as 乾安县 is spelt with 乾 in Simplified too: the view can
    ask the user to check those characters in the suggestion.
    """
    return tuple(ch for ch in dict.fromkeys(text) if ch in ALSO_SIMPLIFIED)


# --- pinyin annotations from machine-converted pages -----------------------------------

_SYLLABLES = frozenset(
    """
    a o e ai ei ao ou an en ang eng er
    yi ya yo ye yai yao you yan yin yang ying yong yu yue yuan yun
    wu wa wo wai wei wan wen wang weng
    ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu
    pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu
    ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu
    fa fo fei fou fan fen fang feng fu
    da de dai dei dao dou dan den dang deng dong di dia die diao diu dian ding du duo dui duan dun
    ta te tai tei tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun
    na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning
    nu nuo nuan nü nüe nue
    la lo le lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling
    lu luo luan lun lü lüe lue
    ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang
    ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang
    ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang
    ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun
    qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun
    xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun
    zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong zhu zhua zhuo zhuai zhui zhuan zhun zhuang
    cha che chi chai chao chou chan chen chang cheng chong chu chua chuo chuai chui chuan chun chuang
    sha she shi shai shei shao shou shan shen shang sheng shu shua shuo shuai shui shuan shun shuang
    re ri rao rou ran ren rang reng rong ru rua ruo rui ruan run
    za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun
    ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun
    sa se si sai sao sou san sen sang seng song su suo sui suan sun
    """.split()
)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_BASE = str.maketrans(_TONED, "aaaaeeeeiiiioooouuuuüüüü")
_MAX_SYLLABLE = max(len(s) for s in _SYLLABLES)

# An opening parenthesis (ASCII or full-width) right after a Han character,
# lower-case pinyin letters (with tone marks, possibly decomposed), spaces or
# apostrophes between syllables, and a closing parenthesis. Both patterns are compiled (and
# cached) by re on first use: a process that never cleans pasted text does not pay for them.
_ANNOTATION = r"[(（]([a-zü" + _TONED + r"\u0300-\u030c' ’·-]{1,48})[)）]"
_SEPARATORS = r"[ '’·-]+"


def _syllable_count(word: str) -> int | None:
    """The fewest pinyin syllables ``word`` splits into (≤ 1 tone mark each), or None if it does not."""
    n = len(word)
    best: list[int | None] = [0] + [None] * n
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            piece = word[i:j]
            if piece.translate(_BASE) in _SYLLABLES and sum(ch in _TONED for ch in piece) <= 1:
                there = best[j]
                if there is None or here + 1 < there:
                    best[j] = here + 1
    return best[n]


def _annotation(content: str, han_before: int) -> bool | None:
    """Whether the inside of the parentheses carries a tone mark, or None when it is not pinyin."""
    content = unicodedata.normalize("NFC", content)
    words = [w for w in re.split(_SEPARATORS, content) if w]
    if not words:
        return None
    total = 0
    for word in words:
        count = _syllable_count(word)
        if count is None:
            return None
        total += count
    if total > han_before:  # more syllables than the characters it could annotate
        return None
    return any(ch in _TONED for ch in content)


def strip_pinyin_annotations(text: str) -> str | None:
    """``text`` without the pinyin that machine-converted pages put after characters; None if none.

    「互聯(lián)網(wǎng)」 → 「互聯網」. An annotation is removed only when it
    directly follows a Han character, is all lower-case pinyin (at most as many
    syllables as the Han characters right before it), and carries a tone mark;
    once the text has such annotations, toneless ones (「的(de)」) go too.
    「苹果(Apple)」, 「单位(kg)」, 「(注：…)」 and, in text without tone-marked
    annotations, 「元(yuan)」 are kept.
    """
    found: list[tuple[int, int, bool]] = []
    for m in re.finditer(_ANNOTATION, text):
        start = m.start()
        run = 0
        while start - run - 1 >= 0 and _is_han(text[start - run - 1]):
            run += 1
        if run == 0:
            continue
        verdict = _annotation(m.group(1), run)
        if verdict is not None:
            found.append((m.start(), m.end(), verdict))
    if not any(toned for _, _, toned in found):
        return None
    out: list[str] = []
    pos = 0
    for start, end, _toned in found:
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)

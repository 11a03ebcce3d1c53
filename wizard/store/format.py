"""The on-disk format of a saved session (``format: 1``), with no file system access.

A save file is one UTF-8 JSON object::

    {
      "format": 1,
      "kind": "wizard-12315 session",
      "session_id": "3f2a9c0d1e2b4a5f",
      "flow_id": "12315-complaint",
      "flow_version": "2025.1",
      "flow_title": "向全国12315平台投诉商家",
      "position": "purchase",            # a step id, "__review__" or "__checklist__"
      "position_title": "购买信息",        # the step title as the author wrote it
      "step_order": ["start", "purchase", ...],   # to find the nearest step if it is removed
      "script": "zh-Hans",
      "created": "2025-01-02T06:03:04+00:00",
      "updated": "2025-01-02T06:13:44+00:00",
      "answers": {"merchant_name": "某某商店", "amount": "1280.00", "agree": true, "problems": ["质量问题"]},
      "labels": {"merchant_name": "商家名称", ...},   # field labels, to name answers of removed fields
      "drafts": {"phone": "1380013"},     # raw input not yet accepted
      "ticked": ["purchase.0", ...],
      "stale_notified": ["old_field"]     # optional: answers of removed fields the user was told of
    }

``stale_notified`` was added later without a new format number: it is optional
(older files load without it) and names answers whose field is no longer in
the flow and which the user has already been told about ("these answers no
longer apply"), so that a later resume does not repeat the notice.

:func:`session_to_dict` and :func:`dumps` write it; :func:`record_from_bytes`
reads it back into a :class:`SessionRecord`, refusing anything that is not
exactly this shape (wrong ``format``, wrong types, duplicate keys, invalid
UTF-8, ``NaN``) and sanitising every string with
:func:`wizard.text.safety.clean_text`, because a save file may have been edited by
hand. Answers are *not* validated against a flow here: the store does that on
restore with :func:`wizard.answers.fields.validate`.

``wizard checklist --answers`` may accept a save file through
:func:`record_from_bytes` (see :func:`looks_like_session`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from wizard.answers.fields import MAX_ANSWER_CHARS
from wizard.flow.conditions import Answer
from wizard.flow.model import Literal, SiteLabel
from wizard.flow.record import field, record
from wizard.flow.templates import TemplateSyntaxError, parse_text
from wizard.session import CHECKLIST, REVIEW, REVIEW_TITLE, Session
from wizard.text.safety import clean_text

__all__ = [
    "FORMAT",
    "KIND",
    "MAX_FILE_BYTES",
    "SESSION_ID_RE",
    "FormatProblem",
    "SessionRecord",
    "dumps",
    "looks_like_session",
    "plain_title",
    "position_title",
    "record_from_bytes",
    "record_from_dict",
    "session_to_dict",
]

FORMAT = 1
KIND = "wizard-12315 session"
MAX_FILE_BYTES = 5 * 1024 * 1024

#: Session ids are random hex; file names are ``<id>.json``.
SESSION_ID_RE = re.compile(r"[0-9a-f]{16}\Z")
_ID_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # the flow loader's rule for ids
_FLOW_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
_SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
_MAX_SHORT = 500  # flow version, titles
_MAX_ITEMS = 10_000  # answers, list items, ticked keys
_MAX_TICK_KEY = 500

CHECKLIST_TITLE = "投诉清单"


@record
class FormatProblem:
    """Why a save file cannot be used. ``reason`` completes a Chinese sentence."""

    reason: str
    newer: bool = False  # written by a newer version of the wizard


@record
class SessionRecord:
    """What a save file holds, sanitised (every string passed through ``clean_text``)."""

    session_id: str
    flow_id: str
    flow_version: str
    flow_title: str
    position: str
    position_title: str
    script: str
    created: datetime
    updated: datetime
    answers: dict[str, Answer] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)
    ticked: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)
    step_order: tuple[str, ...] = ()
    stale_notified: frozenset[str] = frozenset()


class _Bad(Exception):
    def __init__(self, reason: str, newer: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.newer = newer


# --- writing ------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def position_title(session: Session) -> str:
    """The title (as written by the flow's author) of where the user is."""
    if session.position == REVIEW:
        return REVIEW_TITLE
    if session.position == CHECKLIST:
        return CHECKLIST_TITLE
    step = session.flow.step(session.position)
    return step.title.source if step is not None else ""


def session_to_dict(
    session: Session,
    session_id: str,
    *,
    created: datetime,
    updated: datetime,
    extra_labels: Mapping[str, str] | None = None,
    stale_notified: Iterable[str] = (),
) -> dict[str, Any]:
    """The JSON object saved for ``session``.

    ``extra_labels`` names answers whose field is no longer in the flow
    (remembered from the file they were restored from). ``stale_notified``:
    ids of such answers the user has been told about; only ids still saved
    as answers of fields no longer in the flow are written.
    """
    flow = session.flow
    # only keys and values the reader accepts, so that a save never produces a file it would refuse
    answers: dict[str, Any] = {}
    for key, value in session.answers.items():
        if _ID_RE.match(key):
            answers[key] = list(value) if isinstance(value, list) else value
    labels: dict[str, str] = {}
    for key in answers:
        f = flow.field(key)
        if f is not None:
            labels[key] = f.label.source
        elif extra_labels and key in extra_labels:
            labels[key] = extra_labels[key]
    # raw input (a paste of any size, with any characters): stored as the reader would give it back
    drafts = {
        k: clean_text(v)[:MAX_ANSWER_CHARS]
        for k, v in session.drafts.items()
        if isinstance(k, str) and _ID_RE.match(k) and isinstance(v, str)
    }
    notified = sorted({k for k in stale_notified if k in answers and flow.field(k) is None})
    obj: dict[str, Any] = {
        "format": FORMAT,
        "kind": KIND,
        "session_id": session_id,
        "flow_id": flow.id,
        "flow_version": flow.version,
        "flow_title": flow.title.source,
        "position": session.position,
        "position_title": position_title(session),
        "step_order": [s.id for s in flow.steps],
        "script": session.script,
        "created": _iso(created),
        "updated": _iso(updated),
        "answers": answers,
        "labels": labels,
        "drafts": drafts,
        "ticked": sorted(session.ticked),
    }
    if notified:
        obj["stale_notified"] = notified
    return obj


def dumps(obj: Mapping[str, Any]) -> bytes:
    """Serialise a save-file object (UTF-8, readable by people, stable key order).

    One top-level key per line, and one entry per line in the objects under it (answers, labels,
    drafts), each written by the json module's C encoder: ``indent=`` would switch to its pure
    Python encoder, about ten times slower, and a long session is saved often.
    """
    try:
        return _layout(obj, ascii_only=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escape it (the reader then drops it)
        return _layout(obj, ascii_only=True).encode("ascii")


def _layout(obj: Mapping[str, Any], *, ascii_only: bool) -> str:
    encode = json.JSONEncoder(ensure_ascii=ascii_only, allow_nan=False, separators=(", ", ": ")).encode
    lines = []
    for key, value in obj.items():
        if not isinstance(key, str) or (isinstance(value, dict) and not all(isinstance(k, str) for k in value)):
            raise TypeError("save-file keys are text")
        if isinstance(value, dict) and value:
            inner = ",\n".join(f"  {encode(k)}: {encode(v)}" for k, v in value.items())
            lines.append(f" {encode(key)}: {{\n{inner}\n }}")
        else:
            lines.append(f" {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


# --- reading ------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Bad("文件中有重复的项目")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise _Bad("文件中有无效的数值")


def _decode(data: bytes) -> Any:
    if len(data) > MAX_FILE_BYTES:
        raise _Bad("文件过大")
    if not data.strip():
        raise _Bad("文件是空的")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Bad("文件不是有效的文本（编码错误）") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise _Bad("文件内容不完整或已损坏") from None


def _short(obj: Mapping[str, Any], key: str, *, required: bool = True, limit: int = _MAX_SHORT) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _Bad("文件格式不正确")
    return clean_text(value, multiline=False)[:limit]


def _ident(obj: Mapping[str, Any], key: str, regex: re.Pattern[str]) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not regex.match(value):
        raise _Bad("文件格式不正确")
    return value


#: Saved times outside these years are refused (the file is set aside): none is real, and one
#: near ``datetime.min``/``max`` overflows when converted to local time for listing.
_FIRST_YEAR = 2000
_LAST_YEAR = 9000


def _moment(obj: Mapping[str, Any], key: str) -> datetime:
    value = obj.get(key)
    if not isinstance(value, str):
        raise _Bad("文件格式不正确")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Bad("文件中的时间格式不正确") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:  # a time that cannot be shown (UTC or local) would break listing every session
        utc = moment.astimezone(timezone.utc)
        moment.astimezone()
    except (OverflowError, ValueError, OSError):
        raise _Bad("文件中的时间超出范围") from None
    if not _FIRST_YEAR <= utc.year <= _LAST_YEAR:
        raise _Bad("文件中的时间超出范围")
    return moment


def _answer(value: Any) -> Answer:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return clean_text(value)[:MAX_ANSWER_CHARS]
    if isinstance(value, list) and len(value) <= _MAX_ITEMS and all(isinstance(v, str) for v in value):
        return [clean_text(v, multiline=False)[:MAX_ANSWER_CHARS] for v in value]
    raise _Bad("文件中有无效的回答")


def _mapping(obj: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key, {})
    if not isinstance(value, dict) or len(value) > _MAX_ITEMS:
        raise _Bad("文件格式不正确")
    for k in value:
        if not _ID_RE.match(k):
            raise _Bad("文件中有无效的字段名")
    return value


def record_from_dict(obj: Any, session_id: str | None = None) -> tuple[SessionRecord | None, FormatProblem | None]:
    """Check and sanitise a decoded save-file object.

    ``session_id`` (from the file name) wins over the id written inside.
    """
    try:
        return _record(obj, session_id), None
    except _Bad as bad:
        return None, FormatProblem(bad.reason, bad.newer)


def _record(obj: Any, session_id: str | None) -> SessionRecord:
    if not isinstance(obj, dict):
        raise _Bad("文件格式不正确")
    fmt = obj.get("format")
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise _Bad("文件没有有效的格式版本")
    if fmt > FORMAT:
        raise _Bad(f"文件来自更新版本的向导（格式 {fmt}），本版本无法读取", newer=True)
    if fmt != FORMAT:
        raise _Bad(f"文件的格式版本（{fmt}）无法识别")
    sid = session_id or _ident(obj, "session_id", SESSION_ID_RE)
    if not SESSION_ID_RE.match(sid):
        raise _Bad("文件名不是有效的记录编号")
    position = _ident(obj, "position", _ID_RE)
    script = obj.get("script", "zh-Hans")
    if script not in _SCRIPTS:
        script = "zh-Hans"

    answers = {k: _answer(v) for k, v in _mapping(obj, "answers").items()}
    drafts: dict[str, str] = {}
    for k, v in _mapping(obj, "drafts").items():
        if not isinstance(v, str):
            raise _Bad("文件中有无效的草稿")
        drafts[k] = clean_text(v)[:MAX_ANSWER_CHARS]
    labels: dict[str, str] = {}
    for k, v in _mapping(obj, "labels").items():
        if not isinstance(v, str):
            raise _Bad("文件格式不正确")
        labels[k] = clean_text(v, multiline=False)[:_MAX_SHORT]

    ticked_raw = obj.get("ticked", [])
    if not isinstance(ticked_raw, list) or len(ticked_raw) > _MAX_ITEMS:
        raise _Bad("文件格式不正确")
    if not all(isinstance(t, str) for t in ticked_raw):
        raise _Bad("文件格式不正确")
    ticked = frozenset(clean_text(t, multiline=False)[:_MAX_TICK_KEY] for t in ticked_raw)

    order_raw = obj.get("step_order", [])
    if not isinstance(order_raw, list) or len(order_raw) > _MAX_ITEMS:
        raise _Bad("文件格式不正确")
    step_order = tuple(s for s in order_raw if isinstance(s, str) and _ID_RE.match(s))

    notified_raw = obj.get("stale_notified", [])  # optional: added after format 1 was first written
    if not isinstance(notified_raw, list) or len(notified_raw) > _MAX_ITEMS:
        raise _Bad("文件格式不正确")
    stale_notified = frozenset(s for s in notified_raw if isinstance(s, str) and _ID_RE.match(s))

    return SessionRecord(
        session_id=sid,
        flow_id=_ident(obj, "flow_id", _FLOW_ID_RE),
        flow_version=_short(obj, "flow_version"),
        flow_title=_short(obj, "flow_title", required=False),
        position=position,
        position_title=_short(obj, "position_title", required=False),
        script=script,
        created=_moment(obj, "created"),
        updated=_moment(obj, "updated"),
        answers=answers,
        drafts=drafts,
        ticked=ticked,
        labels=labels,
        step_order=step_order,
        stale_notified=stale_notified,
    )


def record_from_bytes(data: bytes, session_id: str | None = None) -> tuple[SessionRecord | None, FormatProblem | None]:
    """Decode and check a save file's bytes; never raises for bad input."""
    try:
        obj = _decode(data)
    except _Bad as bad:
        return None, FormatProblem(bad.reason, bad.newer)
    return record_from_dict(obj, session_id)


def looks_like_session(obj: object) -> bool:
    """True for a decoded object that claims to be a save file (has ``format`` and ``answers``)."""
    return isinstance(obj, dict) and "format" in obj and "answers" in obj and "flow_id" in obj


def plain_title(source: str) -> str:
    """Author text for a one-line listing: site labels in 「」, references as …, no markup."""
    try:
        text = parse_text(source)
    except TemplateSyntaxError:
        return clean_text(source, multiline=False)
    out: list[str] = []
    for seg in text.segments:
        if isinstance(seg, Literal):
            out.append(seg.text)
        elif isinstance(seg, SiteLabel):
            out.append(f"「{seg.text}」")
        else:
            out.append("…")
    return clean_text("".join(out), multiline=False).strip()

"""Entrances 2, 3 and 4 in flow files: YAML bombs and oddities, escapes and hostile links, through ``wizard validate``.

Issue 9's list of YAML cases, one named test each, every one run through the
real command in a process of its own (so that a crash of the YAML library
fails the test instead of the test run). Files that already exist in the
loader's corpus (``tests/corpus``, checked line by line by
``tests/test_loader.py``) are reused as they are; the others are written
here. Every case checks: the exit code, an ``error:`` (or ``warning:``) line
at the right line, no traceback and no signal, an output with no control
character (a message never echoes what it complains about), and nothing
written in the current folder or the data folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.common import CORPUS, Ran, assert_clean_output, base_env, run_batch, tree, wizard

HEAD = 'id: t\ntitle: 测试\nversion: "1"\nreviewed: 2025-01-01\n'
STEP = "steps:\n  - id: a\n    title: A\n"


@dataclass(frozen=True)
class FlowCase:
    make: Callable[[Path], Path]  # writes the file (or names a corpus file) and returns its path
    ok: bool  # True: the flow is accepted (exit 0)
    line: int  # the line of the expected diagnostic (0: no diagnostic expected)
    message: str  # words of the expected message
    severity: str = "error"


def corpus(name: str) -> Callable[[Path], Path]:
    return lambda _folder: CORPUS / name


def written(name: str, content: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make


def _ten_megabytes(folder: Path) -> Path:
    path = folder / "ten-megabytes.yaml"
    with path.open("wb") as fh:
        fh.write((HEAD + STEP).encode())
        fh.write(b"description: " + b"x" * (10 * 1024 * 1024) + b"\n")
    return path


YAML11 = (
    HEAD + "steps:\n  - id: a\n    title: NO\n    fields:\n      - id: f\n        type: select\n        label: yes\n"
    "        options:\n          - NO\n          - 0123\n          - 1:20\n          - yes\n          - 2024-01-01\n"
)

#: Issue 9, entrance 3, in the issue's order.
YAML_CASES: dict[str, FlowCase] = {
    "billion-laughs": FlowCase(corpus("billion-laughs.yaml"), False, 8, "anchors"),
    "self-referencing-alias": FlowCase(corpus("self-alias.yaml"), False, 8, "anchors"),
    "50000-deep-brackets": FlowCase(written("deep.yaml", "[" * 50_000), False, 1, "nesting deeper than"),
    "deep-block-nesting": FlowCase(corpus("deep-block.yaml"), False, 38, "nesting deeper than 32"),
    "ten-megabyte-file": FlowCase(_ten_megabytes, False, 1, "too large"),
    "one-megabyte-scalar": FlowCase(
        written("scalar.yaml", HEAD + "description: " + "x" * (1024 * 1024) + "\n" + STEP), False, 1, "too large"
    ),
    "long-scalar-under-the-file-cap": FlowCase(
        written("long.yaml", HEAD + "description: " + "字" * 300_000 + "\n" + STEP), False, 5, "longer than 20,000"
    ),
    "100000-item-list": FlowCase(
        written("list.yaml", HEAD + "description: [" + "1," * 99_999 + "1]\n" + STEP), False, 5, "too many values"
    ),
    "duplicate-top-level-key": FlowCase(corpus("duplicate-top-key.yaml"), False, 5, "duplicate key 'id'"),
    "duplicate-nested-key": FlowCase(corpus("duplicate-key.yaml"), False, 8, "duplicate key 'title'"),
    "python-object-apply-tag": FlowCase(corpus("python-tag.yaml"), False, 7, "tags"),
    "binary-tag": FlowCase(written("binary.yaml", HEAD + STEP + "    body: !!binary aGVsbG8=\n"), False, 8, "tags"),
    "custom-tag": FlowCase(corpus("local-tag.yaml"), False, 5, "tags"),
    "include-tag": FlowCase(
        written("include.yaml", HEAD + STEP + "    body: !include /etc/passwd\n"), False, 8, "tags"
    ),
    "second-document": FlowCase(corpus("two-documents.yaml"), False, 8, "second YAML document"),
    "invalid-utf8": FlowCase(corpus("bad-utf8.yaml"), False, 8, "invalid UTF-8"),
    "nul-byte": FlowCase(corpus("nul-byte.yaml"), False, 5, "NUL byte"),
    "utf16-bom": FlowCase(corpus("utf16.yaml"), False, 1, "UTF-16"),
    "crlf-line-endings-work": FlowCase(written("crlf.yaml", (HEAD + STEP).replace("\n", "\r\n")), True, 0, ""),
    "utf8-bom-works": FlowCase(written("bom.yaml", b"\xef\xbb\xbf" + (HEAD + STEP).encode()), True, 0, ""),
    "empty-file": FlowCase(corpus("empty.yaml"), False, 1, "file is empty"),
    "yaml11-scalars-kept-as-written": FlowCase(written("yaml11.yaml", YAML11), True, 0, ""),
}


def _title(escaped: str) -> Callable[[Path], Path]:
    """A flow whose step title holds ``escaped`` as written inside a double-quoted YAML string (line 7)."""
    return written("escape.yaml", HEAD + f'steps:\n  - id: a\n    title: "前{escaped}后"\n')


#: Issue 9, entrance 2, in flows: ESC written the three ways YAML allows, and the other characters.
ESCAPE_CASES: dict[str, FlowCase] = {
    "esc-as-backslash-e": FlowCase(_title(r"\e[31m"), False, 7, "forbidden character ESC"),
    "esc-as-x1b": FlowCase(_title(r"\x1b[2J"), False, 7, "forbidden character ESC"),
    "esc-as-u001b": FlowCase(_title(r"\u001b[31m"), False, 7, "forbidden character ESC"),
    "osc52-clipboard": FlowCase(_title(r"\e]52;c;SGVsbG8=\a"), False, 7, "forbidden character ESC"),
    "osc8-hyperlink": FlowCase(
        _title(r"\x1b]8;;https://www.12315.cn/\x1b\\点我\x1b]8;;\x1b\\"), False, 7, "forbidden character ESC"
    ),
    "osc0-title": FlowCase(_title(r"\u001b]0;PWNED\x07"), False, 7, "forbidden character ESC"),
    "c1-csi": FlowCase(_title(r"\x9b31m"), False, 7, "U+009B CSI"),
    "bel": FlowCase(_title(r"\a"), False, 7, "forbidden character BEL"),
    "rlo-override": FlowCase(_title(r"\u202e"), False, 7, "RIGHT-TO-LEFT OVERRIDE"),
    "lri-isolate": FlowCase(_title(r"\u2066"), False, 7, "LEFT-TO-RIGHT ISOLATE"),
    "zero-width-space": FlowCase(_title(r"\u200b"), False, 7, "ZERO WIDTH SPACE"),
    "raw-esc-byte": FlowCase(corpus("control-esc.yaml"), False, 7, "ESC"),
    "raw-c1-character": FlowCase(corpus("c1-control.yaml"), False, 7, "CSI"),
    "raw-bidi-override": FlowCase(corpus("bidi-override.yaml"), False, 7, "RIGHT-TO-LEFT OVERRIDE"),
    # entrance 1: the one markup string a flow cannot hold (the quote and bracket read as part of the link)
    "markup-link-to-another-site": FlowCase(_title('[link=\\"https://evil.example\\"]x'), False, 7, "is not allowed"),
}


def _link(url: str) -> Callable[[Path], Path]:
    """A step ``link:`` (line 8), single-quoted so that backslashes stay as written."""
    quoted = url.replace("'", "''")
    return written("link.yaml", HEAD + STEP + f"    link: '{quoted}'\n")


def _markdown(url: str) -> Callable[[Path], Path]:
    """A Markdown link in a step body (line 8)."""
    quoted = url.replace("'", "''")
    return written("markdown.yaml", HEAD + STEP + f"    body: '请看 [这里]({quoted}) 的说明'\n")


#: Issue 9, entrance 4, in flows: links the loader must refuse (or accept with a warning).
URL_CASES: dict[str, FlowCase] = {
    "javascript-scheme": FlowCase(_link("javascript:alert(1)"), False, 8, "不允许打开 javascript: 类型的链接"),
    "file-scheme": FlowCase(_link("file:///etc/passwd"), False, 8, "不允许打开 file: 类型的链接"),
    "data-scheme": FlowCase(_link("data:text/html,<script>alert(1)</script>"), False, 8, "不允许打开 data: 类型的链接"),
    "leading-dash-browser-option": FlowCase(_link("--renderer-cmd-prefix=/tmp/evil"), False, 8, "以“-”开头"),
    "user-info-at-another-host": FlowCase(
        _link("https://12315.cn@evil.example"), False, 8, "实际打开的是 evil.example"
    ),
    "backslash-before-at": FlowCase(_link("https://evil.example\\@12315.cn"), False, 8, "反斜杠"),
    "leading-space": FlowCase(_link(" https://www.12315.cn/"), False, 8, "空格"),
    "plain-http": FlowCase(_link("http://www.12315.cn/"), False, 8, "不是加密的 https 链接"),
    "punycode-look-alike": FlowCase(_link("https://xn--12315-9k4b.cn/"), False, 8, "xn--"),
    "cyrillic-look-alike": FlowCase(_link("https://www.12З15.cn/"), False, 8, "非英文字符"),
    "odd-port": FlowCase(_link("https://www.12315.cn:8443/"), False, 8, "非标准端口"),
    "official-name-as-subdomain-warns": FlowCase(
        _link("https://12315.cn.evil.example/"), True, 8, "not on an official domain", "warning"
    ),
    "markdown-javascript": FlowCase(_markdown("javascript:alert(document.cookie)"), False, 8, "is not allowed"),
    "markdown-file": FlowCase(_markdown("file:///etc/passwd"), False, 8, "is not allowed"),
    "markdown-http": FlowCase(_markdown("http://www.12315.cn/"), False, 8, "is not allowed"),
    "markdown-user-info": FlowCase(_markdown("https://www.12315.cn@evil.example/"), False, 8, "is not allowed"),
}

ALL_CASES = {**YAML_CASES, **ESCAPE_CASES, **URL_CASES}


@dataclass(frozen=True)
class Outcome:
    path: Path
    ran: Ran
    data: Path


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every case through ``wizard validate``, two processes at a time."""
    base = tmp_path_factory.mktemp("hostile-yaml")
    jobs = {}
    paths = {}
    for name, case in ALL_CASES.items():
        folder = base / name
        (folder / "files").mkdir(parents=True)
        path = case.make(folder / "files")
        paths[name] = path
        env = base_env(folder / "data", folder / "home")
        jobs[name] = (["validate", str(path)], folder / "cwd", env, None)
    ran = run_batch(jobs)
    yield {name: Outcome(paths[name], ran[name], base / name / "data") for name in ALL_CASES}


def _check(name: str, case: FlowCase, outcome: Outcome) -> None:
    ran = outcome.ran
    ran.assert_exited_cleanly(0 if case.ok else 1)
    assert_clean_output(ran.output, name)
    ran.assert_cwd_untouched()
    assert tree(outcome.data) == [], "validate writes nothing in the data folder"
    if case.line:
        where = re.escape(str(outcome.path))
        pattern = rf"^{where}:{case.line}:\d+: {case.severity}: .*{re.escape(case.message)}"
        assert re.search(pattern, ran.output, re.M), f"{name}: no {case.severity} on line {case.line}:\n{ran.output}"
    if case.message == "too large":
        assert "1,000,001" not in ran.output, "the message must not state a size the reader never measured"
    if not case.ok:
        assert "error(s)" in ran.stderr
    else:
        assert re.search(r": ok \(\d+ steps", ran.stderr), ran.output


@pytest.mark.parametrize("name", list(YAML_CASES))
def test_yaml_oddity(name: str, outcomes: dict[str, Outcome]) -> None:
    _check(name, YAML_CASES[name], outcomes[name])


@pytest.mark.parametrize("name", list(ESCAPE_CASES))
def test_escape_in_flow_is_refused_at_its_position(name: str, outcomes: dict[str, Outcome]) -> None:
    _check(name, ESCAPE_CASES[name], outcomes[name])


@pytest.mark.parametrize("name", list(URL_CASES))
def test_link_in_flow(name: str, outcomes: dict[str, Outcome]) -> None:
    _check(name, URL_CASES[name], outcomes[name])


def test_escape_is_located_at_the_backslash(outcomes: dict[str, Outcome]) -> None:
    """The column points at the escape as written (``    title: "前\\e``: column 14), not at the string."""
    for name in ("esc-as-backslash-e", "esc-as-x1b", "esc-as-u001b", "c1-csi", "rlo-override"):
        outcome = outcomes[name]
        assert f"{outcome.path}:7:14: error:" in outcome.ran.output, outcome.ran.output


def test_yaml11_scalars_are_shown_and_stored_as_written(tmp_path: Path) -> None:
    """``NO``, ``0123``, ``1:20``, ``yes``, ``2024-01-01`` stay text: shown as written and stored as chosen."""
    flow = tmp_path / "yaml11.yaml"
    flow.write_text(YAML11, encoding="utf-8")
    data = tmp_path / "data"
    ran = wizard(["run", "--plain", str(flow)], tmp_path / "cwd", base_env(data, tmp_path / "home"), b"2\n")
    ran.assert_exited_cleanly(0, 1)
    ran.assert_cwd_untouched()
    assert "第 1 / 1 步：NO" in ran.stdout
    for i, written_as in enumerate(["NO", "0123", "1:20", "yes", "2024-01-01"], start=1):
        assert f"  {i}. {written_as}\n" in ran.stdout, ran.stdout
    (saved,) = data.glob("*.json")
    assert json.loads(saved.read_text(encoding="utf-8"))["answers"] == {"f": "0123"}

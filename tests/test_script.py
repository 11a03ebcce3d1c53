"""Chinese scripts through OpenCC, with the real dictionaries.

What is converted (flow text, interface text), what never is (site labels,
option values, answers, URLs), the Simplified suggestion for Traditional
input, the pinyin clean-up, the locale, and that zh-Hans loads no OpenCC.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from wizard import checklist
from wizard.answers.fields import validate
from wizard.errors import WizardError
from wizard.flow.conditions import Answer
from wizard.flow.loader import load_flow
from wizard.flow.model import FieldType, Flow, Literal, SiteLabel, Text
from wizard.flow.templates import parse_text
from wizard.session import Session
from wizard.text import script
from wizard.text.render import PLAIN, TextRenderer
from wizard.text.script import (
    SCRIPTS,
    TW_PLAIN_PHRASES,
    detect_script,
    loaded_converters,
    next_script,
    parse_script,
    renderer_for,
    script_name,
    simplified_doubts,
    strip_pinyin_annotations,
    to_simplified,
    traditional_characters,
)

ROOT = Path(__file__).resolve().parent.parent
SMALL_FLOW = ROOT / "tests" / "data" / "script-flow.yaml"
COMPLAINT_FLOW = ROOT / "flows" / "12315-complaint.yaml"
TODAY = date(2026, 1, 2)
NAME = "乾安县某某商店"  # t2s would turn 乾 into 干: answers must never go through OpenCC
TRADITIONAL = ("zh-Hant", "zh-TW", "zh-HK")


def texts_of(node: object) -> Iterator[Text]:
    """Every Text in a flow (titles, bodies, labels, help, options, notes, checklist, checks, compose)."""
    if isinstance(node, Text):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from texts_of(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            if not f.name.startswith("_"):
                yield from texts_of(getattr(node, f.name))


@pytest.fixture(scope="module")
def small_flow() -> Flow:
    return load_flow(SMALL_FLOW)


def small_session(flow: Flow) -> Session:
    answers: dict[str, Answer] = {
        "merchant_name": NAME,
        "channel": "网络购物",
        "problems": ["虚假宣传", "软件无法使用"],
        "complaint": "我在网络上买的软件无法使用，客服不理。",
        "amount": "600",
    }
    return Session(flow, dict(answers), today=TODAY)


def render_all(flow: Flow, renderer: TextRenderer, session: Session) -> list[str]:
    eff = session.effective()
    return [renderer.text(t, lambda n: session.value_of(n, eff)) for t in texts_of(flow)]


# --- the small flow, every text, in each script ------------------------------------


def test_small_flow_has_every_kind_of_text(small_flow: Flow) -> None:
    sources = [t.source for t in texts_of(small_flow)]
    for expected in ("网络购物投诉向导", "商家名称以营业执照上的为准。", "在网络上购买的软件或商品", "投诉摘要"):
        assert expected in sources


EXPECTED_WORDS = {
    # script: (Simplified source text, how it must read)
    "zh-Hant": [
        ("网络购物投诉向导", "網絡購物投訴嚮導"),
        ("软件类商品请保留下载记录。", "軟件類商品請保留下載記錄。"),
        ("投诉内容", "投訴內容"),
    ],
    "zh-TW": [
        ("网络购物投诉向导", "網路購物投訴嚮導"),
        ("软件类商品请保留下载记录。", "軟體類商品請保留下載記錄。"),
        ("写清楚时间、地点和经过。信息越完整，处理越快。", "寫清楚時間、地點和經過。資訊越完整，處理越快。"),
        ("在网络上购买的软件或商品", "在網路上購買的軟體或商品"),
    ],
    "zh-HK": [
        ("网络购物投诉向导", "網絡購物投訴嚮導"),
        ("软件类商品请保留下载记录。", "軟件類商品請保留下載記錄。"),
        ("在网络上购买的软件或商品", "在網絡上購買的軟件或商品"),
    ],
    "zh-Hans": [
        ("网络购物投诉向导", "网络购物投诉向导"),
        ("软件类商品请保留下载记录。", "软件类商品请保留下载记录。"),
    ],
}


@pytest.mark.parametrize("name", SCRIPTS)
def test_flow_texts_are_converted_to_the_script(small_flow: Flow, name: str) -> None:
    renderer = renderer_for(name)
    by_source = {t.source: renderer.text(t) for t in texts_of(small_flow) if not t.refs}
    for source, expected in EXPECTED_WORDS[name]:
        assert by_source[source] == expected
    if name != "zh-Hans":
        joined = "".join(by_source.values())
        site_labels = "".join(label for t in texts_of(small_flow) for label in t.site_labels)
        # no Simplified-only character is left, except inside the site labels shown as on the site
        for ch in "软网诉说软络页买实视问题选费们":
            if ch in joined:
                assert ch in site_labels, f"{ch!r} left unconverted in {name}"


@pytest.mark.parametrize("name", SCRIPTS)
def test_site_labels_are_shown_as_on_the_site_with_the_reading_beside(small_flow: Flow, name: str) -> None:
    renderer = renderer_for(name)
    body = small_flow.steps[0].body
    shown = renderer.text(body)
    if name == "zh-Hans":
        assert shown == "在 「我要投诉」 页面填写被投诉的商家。网站地址 https://www.12315.cn/ 不会改变。"
    else:
        assert "「我要投诉」（我要投訴）" in shown
        assert shown.endswith("https://www.12315.cn/ 不會改變。")
    # a label whose reading is the same is not repeated
    assert renderer.text(parse_text("点击 [[提交]]")).endswith("「提交」")


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_site_label_in_the_flow_is_kept_verbatim(small_flow: Flow, name: str) -> None:
    renderer = renderer_for(name)
    for text in texts_of(small_flow):
        shown = renderer.text(text)
        for seg in text.segments:
            if isinstance(seg, SiteLabel):
                assert f"「{seg.text}」" in shown


@pytest.mark.parametrize("name", SCRIPTS)
def test_option_values_stay_and_only_labels_are_converted(small_flow: Flow, name: str) -> None:
    renderer = renderer_for(name)
    channel = small_flow.field("channel")
    assert channel is not None
    values = [o.value for o in channel.options]
    labels = [renderer.text(o.label) for o in channel.options]
    assert values == ["网络购物", "实体店", "电视购物"]
    if name == "zh-Hans":
        assert labels == ["在网络上购买的软件或商品", "在实体店购买", "电视购物"]
    else:
        assert labels[1] == "在實體店購買"
        assert labels[2] == "電視購物"  # a bare option: its value is shown converted, and stays stored as written
    # what the user picks is validated against the stored values, whatever the script
    assert validate(channel, "网络购物", TODAY).value == "网络购物"


@pytest.mark.parametrize("name", SCRIPTS)
def test_checklist_in_each_script(small_flow: Flow, name: str) -> None:
    session = small_session(small_flow)
    plain = checklist.build(session, PLAIN)
    built = checklist.build(session, renderer_for(name))
    items = {i.key: i for i in built.items}
    # the user's values, inserted or to paste, are exactly as typed
    assert items["details.1"].value == NAME
    assert "「网络购物」" in items["details.0"].text  # a select answer: the site's value, not converted
    assert items["details.2"].text.endswith("虚假宣传、软件无法使用")  # multiselect answers too
    # the composed text is pasted on the site: never converted
    assert [c.text for c in built.composed] == [c.text for c in plain.composed]
    summary = "我在网络购物购买商品，商家为乾安县某某商店。我在网络上买的软件无法使用，客服不理。"
    assert built.composed[0].text == summary
    assert built.composed[0].site_label == "投诉内容"
    assert [i.key for i in built.items] == [i.key for i in plain.items]
    if name == "zh-Hans":
        assert built == plain
        return
    assert built.flow_title != plain.flow_title
    assert built.sections[0].title == "投訴內容"
    assert items["details.0"].text.startswith(("點擊 「我要投诉」（我要投訴）", "點選 「我要投诉」（我要投訴）"))
    assert items["details.1"].text.startswith("在 「被投诉人名称」（被投訴人名稱） 一欄")
    assert built.checks[0].message.startswith("金額較大")
    assert built.composed[0].label == "投訴摘要"
    if name == "zh-TW":
        assert items["details.3"].text == "軟體問題請附上截圖。"
        assert "網路聊天記錄" in built.checks[0].message
    else:
        assert items["details.3"].text == "軟件問題請附上截圖。"
        assert "網絡聊天記錄" in built.checks[0].message


@pytest.mark.parametrize("name", TRADITIONAL)
def test_answers_are_never_converted(name: str) -> None:
    renderer = renderer_for(name)
    text = parse_text("商家：{merchant_name}；地址：{address}；说明：{note}")
    values = {"merchant_name": NAME, "address": "臺北市信義路", "note": "软件网络信息"}
    shown = renderer.text(text, values)
    assert f"商家：{NAME}；" in shown
    assert "地址：臺北市信義路；" in shown
    assert shown.endswith("：软件网络信息")
    assert shown.startswith("商家：") and "说明" not in shown  # the flow's own words are converted (說/説)
    # a missing answer is interface text: converted
    assert renderer.text(parse_text("{x}"), {}) == "（未填寫）"


def test_switching_back_and_forth_returns_the_exact_text(small_flow: Flow) -> None:
    session = small_session(small_flow)
    tw_first = render_all(small_flow, renderer_for("zh-TW"), session)
    hans = render_all(small_flow, renderer_for("zh-Hans"), session)
    hk = render_all(small_flow, renderer_for("zh-HK"), session)
    tw_again = render_all(small_flow, renderer_for("zh-TW"), session)
    hans_again = render_all(small_flow, renderer_for("zh-Hans"), session)
    assert tw_first == tw_again
    assert hans == hans_again == render_all(small_flow, PLAIN, session)
    assert tw_first != hans and hk != hans and hk != tw_first
    # in zh-Hans every text without references or labels is exactly what the author wrote
    for t, shown in zip(texts_of(small_flow), hans, strict=True):
        if all(isinstance(s, Literal) for s in t.segments):
            assert shown == t.source.replace("{{", "{").replace("}}", "}")
    cl_tw = checklist.build(session, renderer_for("zh-TW"))
    checklist.build(session, renderer_for("zh-Hans"))
    assert checklist.build(session, renderer_for("zh-TW")) == cl_tw


def test_urls_in_flow_text_are_not_converted() -> None:
    for name in TRADITIONAL:
        shown = renderer_for(name).text(parse_text("见 https://www.12315.cn/cuser/portal/index?x=a_b#top 网站"))
        assert "https://www.12315.cn/cuser/portal/index?x=a_b#top" in shown


def test_interface_text_is_converted() -> None:
    assert renderer_for("zh-TW").ui("下一步：保存并继续") == "下一步：保存並繼續"
    assert renderer_for("zh-Hans").ui("下一步：保存并继续") == "下一步：保存并继续"
    assert renderer_for("zh-HK").missing == "（未填寫）"


def test_taiwan_phrases_that_read_as_computing_jargon_are_kept_plain() -> None:
    tw = renderer_for("zh-TW")
    assert tw.ui("统一社会信用代码") == "統一社會信用代碼"  # s2twp alone: 統一社會信用程式碼
    assert tw.ui("问题类型") == "問題類型"  # s2twp alone: 問題型別
    assert tw.ui("请保存好证据") == "請保存好證據"  # s2twp alone: 儲存
    assert tw.ui("软件和网络信息") == "軟體和網路資訊"  # the Taiwan phrases still apply elsewhere
    assert set(TW_PLAIN_PHRASES) >= {"代码", "类型"}


def test_the_plain_taiwan_phrases_read_exactly_as_plain_s2tw_would_give_them() -> None:
    """zh-TW creates one converter; its per-character result for each phrase is s2tw's."""
    import opencc

    s2tw = opencc.OpenCC("s2tw.json")
    tw = renderer_for("zh-TW")
    for phrase in TW_PLAIN_PHRASES:
        assert tw.ui(phrase) == s2tw.convert(phrase), phrase
        assert tw.ui(f"请填写{phrase}。") == s2tw.convert(f"请填写{phrase}。"), phrase


# --- the renderer objects ---------------------------------------------------------


def test_zh_hans_is_the_identity_renderer() -> None:
    assert renderer_for("zh-Hans") is PLAIN
    assert PLAIN.ui("软件") == "软件"


def test_renderers_and_conversions_are_cached() -> None:
    for name in TRADITIONAL:
        assert renderer_for(name) is renderer_for(name)
    tw = renderer_for("zh-TW")
    info = tw.convert.cache_info  # type: ignore[attr-defined]
    tw.ui("这是一段只在这个测试里出现的文字")
    before = info()
    tw.ui("这是一段只在这个测试里出现的文字")
    after = info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses


def test_converters_are_created_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_converters", "_creation_locks", "_use_locks", "_conversions", "_renderers"):
        monkeypatch.setattr(script, name, {})
    created: list[str] = []

    class Fake:
        def convert(self, text: str) -> str:
            return text.replace("软", "軟")

    def slow_create(config: str) -> Fake:
        created.append(config)
        time.sleep(0.05)  # widen the window in which a second thread could also create it
        return Fake()

    monkeypatch.setattr(script, "_create", slow_create)
    start = threading.Barrier(6)
    got: list[TextRenderer] = []

    def worker() -> None:
        start.wait()
        got.append(renderer_for("zh-HK"))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert created == ["s2hk"]
    assert len(got) == 6 and all(r is got[0] for r in got)
    assert got[0].ui("软件") == "軟件"
    assert script.loaded_converters() == frozenset({"s2hk"})


def test_an_unusable_opencc_is_a_wizard_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_converters", "_creation_locks", "_use_locks", "_conversions", "_renderers"):
        monkeypatch.setattr(script, name, {})
    monkeypatch.setitem(sys.modules, "opencc", None)  # import opencc → ImportError
    with pytest.raises(WizardError, match="opencc"):
        renderer_for("zh-TW")
    assert loaded_converters() == frozenset()


def test_unknown_script_is_a_wizard_error() -> None:
    for call in (
        lambda: renderer_for("zh-XX"),
        lambda: to_simplified("軟體", "en"),
        lambda: script_name("zh_TW"),
        lambda: next_script(""),
    ):
        with pytest.raises(WizardError, match="未知的文字"):
            call()


def test_names_and_cycling() -> None:
    assert [script_name(s) for s in SCRIPTS] == ["简体中文", "繁體中文", "台灣正體", "香港繁體"]
    order = ["zh-Hans"]
    for _ in SCRIPTS:
        order.append(next_script(order[-1]))
    assert order == ["zh-Hans", "zh-Hant", "zh-TW", "zh-HK", "zh-Hans"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zh-TW", "zh-TW"),
        ("zh_tw", "zh-TW"),
        (" TW ", "zh-TW"),
        ("zh-Hant", "zh-Hant"),
        ("zh-HK", "zh-HK"),
        ("zh-MO", "zh-HK"),
        ("zh-Hans", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("简体", "zh-Hans"),
        ("en", None),
        ("", None),
        ("zh-XX", None),
    ],
)
def test_parse_script(value: str, expected: str | None) -> None:
    assert parse_script(value) == expected


# --- the locale ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "zh-Hans"),
        ({"LANG": ""}, "zh-Hans"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_SG.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-TW"),
        ({"LANG": "zh-TW.UTF-8"}, "zh-TW"),
        ({"LANG": "zh_TW"}, "zh-TW"),
        ({"LANG": "zh_Hant_TW.UTF-8"}, "zh-TW"),
        ({"LANG": "zh_HK.UTF-8"}, "zh-HK"),
        ({"LANG": "zh_HK.Big5-HKSCS@stroke"}, "zh-HK"),
        ({"LANG": "zh_MO.UTF-8"}, "zh-HK"),
        ({"LANG": "zh_Hant_HK"}, "zh-HK"),
        ({"LANG": "zh_Hant"}, "zh-Hant"),
        ({"LANG": "zh_Hans_HK.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh"}, "zh-Hans"),
        ({"LANG": "en_US.UTF-8"}, "zh-Hans"),
        ({"LANG": "en_HK.UTF-8"}, "zh-Hans"),
        ({"LANG": "C"}, "zh-Hans"),
        ({"LANG": "C.UTF-8"}, "zh-Hans"),
        ({"LANG": "zhx_TW"}, "zh-Hans"),
        # the first non-empty of LC_ALL, LC_MESSAGES, LANG decides
        ({"LC_ALL": "zh_TW.UTF-8", "LC_MESSAGES": "zh_HK.UTF-8", "LANG": "zh_CN.UTF-8"}, "zh-TW"),
        ({"LC_ALL": "", "LC_MESSAGES": "zh_HK.UTF-8", "LANG": "zh_TW.UTF-8"}, "zh-HK"),
        ({"LC_MESSAGES": "", "LANG": "zh_TW.UTF-8"}, "zh-TW"),
        ({"LC_ALL": "C", "LANG": "zh_TW.UTF-8"}, "zh-Hans"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_HK.UTF-8"}, "zh-Hans"),
    ],
)
def test_detect_script(environ: dict[str, str], expected: str) -> None:
    assert detect_script(environ) == expected


# --- what the user types: the Simplified suggestion ----------------------------------


def test_simplified_suggestion_for_a_traditional_merchant_name() -> None:
    name = "臺北市某某電子商務有限公司"
    suggestion = to_simplified(name, "zh-TW")
    assert suggestion is not None
    assert suggestion.startswith("台北市")
    assert "电子商务" in suggestion and suggestion.endswith("有限公司")
    assert not set("臺電務") & set(suggestion)
    assert to_simplified(name, "zh-Hant") == suggestion
    assert to_simplified(name, "zh-HK") == suggestion
    assert to_simplified(name, "zh-Hans") == suggestion  # Traditional input from a Simplified reader
    assert name == "臺北市某某電子商務有限公司"  # nothing is changed in place


def test_simplified_suggestion_follows_the_readers_region() -> None:
    assert to_simplified("這個軟體無法使用", "zh-TW") == "这个软件无法使用"  # tw2sp: Taiwan phrases back
    assert to_simplified("這個軟件無法使用", "zh-HK") == "这个软件无法使用"
    assert to_simplified("請退款", "zh-Hant") == "请退款"
    assert to_simplified("發票和網絡訂單", "zh-Hans") == "发票和网络订单"


@pytest.mark.parametrize("name", SCRIPTS)
def test_no_suggestion_for_simplified_text(name: str) -> None:
    for text in ("北京某某电子商务有限公司", NAME, "乾隆大药房", "", "ABC 123", "列印"):
        assert to_simplified(text, name) is None, text


def test_traditional_characters_and_doubts() -> None:
    assert traditional_characters("臺北市某某電子商務有限公司") == ("臺", "電", "務")
    assert traditional_characters(NAME) == ()
    assert traditional_characters("iPhone 15") == ()
    assert simplified_doubts("乾安縣某某商店") == ("乾",)
    assert simplified_doubts("臺北市某某電子商務有限公司") == ()


# --- pinyin annotations ------------------------------------------------------------


def test_pinyin_clean_up_on_a_real_machine_converted_page() -> None:
    page = "電子商務通常是指在互聯(lián)網(wǎng)開放的網(wǎng)絡環(huán)境下"
    assert strip_pinyin_annotations(page) == "電子商務通常是指在互聯網開放的網絡環境下"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發(fā)", "發"),
        ("產(chǎn)", "產"),
        ("聯(lián)", "聯"),
        ("生產(chǎn)日期", "生產日期"),
        ("發（fā）票", "發票"),  # full-width parentheses
        ("互聯網(hù lián wǎng)", "互聯網"),  # several syllables after several characters
        ("網絡(wǎngluò)", "網絡"),
        ("綠(lǜ)色", "綠色"),
        ("發(fa\u0304)", "發"),  # tone mark written as a combining character
        ("我的(de)發(fā)票", "我的發票"),  # toneless syllables go once the text has tone-marked ones
    ],
)
def test_pinyin_annotations_are_removed(text: str, expected: str) -> None:
    assert strip_pinyin_annotations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "苹果(Apple)手机",
        "苹果(apple)",
        "(注：以发票为准)",
        "发票（注：以实物为准）",
        "重量(kg)",
        "格式(pdf)",
        "价格(yuan)",  # valid pinyin but no tone mark anywhere: may be an English gloss
        "型号(a1)",
        "(fā)开头",  # not after a Han character
        "发 (fā)",  # not directly after
        "網(wǎngluò)",  # more syllables than the characters before it
        "是(shì fēi)",
        "ABC(ā)",
        "没有括号的文字",
        "",
    ],
)
def test_legitimate_parentheses_are_kept(text: str) -> None:
    assert strip_pinyin_annotations(text) is None


def test_pinyin_clean_up_keeps_legitimate_parentheses_in_the_same_text() -> None:
    text = "蘋果(Apple)手機發(fā)貨(注：三天內)，重量(kg)"
    assert strip_pinyin_annotations(text) == "蘋果(Apple)手機發貨(注：三天內)，重量(kg)"


# --- start-up in zh-Hans loads no OpenCC ------------------------------------------------

_START_PATH = """
import sys
from wizard import checklist
from wizard.flow.loader import load_flow
from wizard.text.script import DEFAULT_SCRIPT, detect_script, loaded_converters, renderer_for, script_name
from wizard.session import Session
import os

flow = load_flow(sys.argv[1])
name = sys.argv[2]
assert detect_script(os.environ) == DEFAULT_SCRIPT
renderer = renderer_for(name)
session = Session(flow, script=name)
step = flow.step(session.position)
shown = [renderer.text(step.title), renderer.text(step.body), script_name(name)]
for f in session.visible_fields(step):
    shown += [renderer.text(f.label), renderer.text(f.help), renderer.text(f.placeholder)]
    shown += [renderer.text(o.label) for o in session.visible_options(f)]
for note in step.tips + step.warnings:
    shown.append(renderer.text(note.text))
shown.append(renderer.ui("下一步"))
checklist.build(session, renderer)
assert shown[0], "the first step has a title"
print("opencc" in sys.modules, sorted(loaded_converters()))
"""


def _start(flow: Path, name: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = "zh_CN.UTF-8"
    result = subprocess.run(
        [sys.executable, "-c", _START_PATH, str(flow), name],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _start_flow() -> Path:
    return COMPLAINT_FLOW if COMPLAINT_FLOW.exists() else SMALL_FLOW


def test_starting_in_zh_hans_loads_no_opencc() -> None:
    assert _start(_start_flow(), "zh-Hans") == "False []"


def test_starting_in_zh_tw_loads_its_converter() -> None:
    """The control for the test above: the same start path in zh-TW does load OpenCC."""
    assert _start(_start_flow(), "zh-TW") == "True ['s2twp']"


# --- the shipped complaint flow, every text, in each script ----------------------------


def _answer_everything(flow: Flow) -> dict[str, object]:
    """A valid answer for every field, typed the way a user would."""
    raw: dict[FieldType, object] = {
        FieldType.TEXT: NAME,
        FieldType.TEXTAREA: f"{NAME}卖的软件无法使用，网络客服不理。",
        FieldType.CONFIRM: True,
        FieldType.DATE: "2025-12-01",
        FieldType.MONEY: "600",
        FieldType.NUMBER: "3",
        FieldType.PHONE: "13800138000",
        FieldType.USCC: "91350100M000100Y43",
    }
    answers: dict[str, object] = {}
    for f in flow.all_fields:
        value: object
        if f.type is FieldType.SELECT:
            value = f.options[0].value if f.options else None
        elif f.type is FieldType.MULTISELECT:
            value = [o.value for o in f.options[:2]]
        else:
            value = raw[f.type]
        verdict = validate(f, value, TODAY)  # type: ignore[arg-type]
        if verdict.value is not None:
            answers[f.id] = verdict.value
    return answers


@pytest.fixture(scope="module")
def complaint_flow() -> Flow:
    if not COMPLAINT_FLOW.exists():
        pytest.skip("flows/12315-complaint.yaml is not written yet")
    return load_flow(COMPLAINT_FLOW)


@pytest.mark.parametrize("name", TRADITIONAL)
def test_complaint_flow_in_each_script(complaint_flow: Flow, name: str) -> None:
    session = Session(complaint_flow, _answer_everything(complaint_flow), today=TODAY)  # type: ignore[arg-type]
    assert any(v == NAME for v in session.answers.values())
    renderer = renderer_for(name)
    eff = session.effective()

    def value(n: str) -> str | None:
        return session.value_of(n, eff)

    changed = 0
    for text in texts_of(complaint_flow):
        simplified = PLAIN.text(text, value)
        shown = renderer.text(text, value)
        changed += shown != simplified
        assert shown.count(NAME) == simplified.count(NAME)  # answers inserted as typed
        for label in text.site_labels:
            reading = renderer.convert(label)
            assert (f"「{label}」（{reading}）" if reading != label else f"「{label}」") in shown
    assert changed > len(list(texts_of(complaint_flow))) // 2
    assert renderer.text(complaint_flow.title) != PLAIN.text(complaint_flow.title)

    plain = checklist.build(session, PLAIN)
    built = checklist.build(session, renderer)
    assert [i.key for i in built.items] == [i.key for i in plain.items]
    assert [i.value for i in built.items] == [i.value for i in plain.items]  # what is pasted: never converted
    assert [c.text for c in built.composed] == [c.text for c in plain.composed]
    assert [i.link for i in built.items] == [i.link for i in plain.items]
    assert built != plain
    # and back: the Simplified rendering is the same before and after
    assert checklist.build(session, renderer_for("zh-Hans")) == plain


def test_complaint_flow_option_values_are_never_converted(complaint_flow: Flow) -> None:
    fields = [f for f in complaint_flow.all_fields if f.options]
    assert fields
    differing = 0
    for name in TRADITIONAL:
        renderer = renderer_for(name)
        for f in fields:
            for o in f.options:
                shown = renderer.text(o.label)
                assert validate(f, o.value if f.type is FieldType.SELECT else [o.value], TODAY).error is None
                if shown != o.value and o.label.source == o.value:
                    differing += 1
                    # what is displayed is not what is stored: the displayed text is refused as a value
                    assert validate(f, shown, TODAY).error is not None
    assert differing > 0

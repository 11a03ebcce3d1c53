"""The shipped flows' content: they load cleanly, and each example answers file
renders the checklist of its own branch and not that of the others.

The examples live in ``flows/examples/<flow-id>/*.yaml``. ``TODAY`` is fixed so
that the example dates (and the 3-year / 6-month / 60-day checks) give the same
result on any day the tests run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from wizard.answers.file import load_answers
from wizard.checklist import Checklist, build
from wizard.flow.conditions import evaluate
from wizard.flow.loader import check_file
from wizard.flow.model import Flow, Source, Text
from wizard.session import Session

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"
EXAMPLES = FLOWS / "examples"
TODAY = date(2026, 11, 25)
SHIPPED = sorted(FLOWS.glob("*.yaml"))


@dataclass(frozen=True)
class Expect:
    """What one example's checklist must (and must not) say."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    checks: frozenset[str] = field(default_factory=frozenset)  # ids of every check that fires
    stopped: bool = False
    steps: tuple[str, ...] | None = None  # the exact visible steps, when it matters


def expect(
    present: tuple[str, ...] = (),
    absent: tuple[str, ...] = (),
    checks: tuple[str, ...] = (),
    stopped: bool = False,
    steps: tuple[str, ...] | None = None,
) -> Expect:
    return Expect(present, absent, frozenset(checks), stopped, steps)


# Strings that only one branch of the complaint flow may produce.
FOOD = ("食品安全法", "第一百四十八条", "1000元")
FRAUD = ("第五十五条", "价款三倍", "500元")
NO_REASON = ("第二十五条", "七日无理由退货")
PLATFORM = ("第四十四条",)
DURABLE = ("第二十三条",)
QUALITY = ("第二十四条",)
ELIGIBLE_ONLY = ("选择企业", "提交", "我的投诉")

EXPECTED: dict[str, dict[str, Expect]] = {
    "12315-complaint": {
        "online-clothing-refund": expect(
            present=(*QUALITY, "退货并退还货款399.00元", "「电商平台」", "淘宝", "3712456789012345678", "勾选它"),
            absent=(*FOOD, *FRAUD, *NO_REASON, *PLATFORM, *DURABLE, "授权委托书"),
        ),
        "food-ten-times": expect(
            present=(*FOOD, "不足1000元的按1000元", "食品标签照片", "“实体店”", "发票或购物小票的照片"),
            absent=(*FRAUD, *NO_REASON, *PLATFORM, *DURABLE, *QUALITY, "退一赔三", "「电商平台」", "「订单号」"),
            checks=("ten_times_minimum",),
        ),
        "over-three-years": expect(
            present=("超过3年", "第十六条", "举报"),
            absent=ELIGIBLE_ONLY,
            checks=("over_three_years",),
            stopped=True,
            steps=("open_platform", "click_complain", "login", "read_notice"),
        ),
        "already-in-court": expect(
            present=("法院或仲裁机构",),
            absent=ELIGIBLE_ONLY,
            checks=("in_court_or_arbitration",),
            stopped=True,
            steps=("open_platform", "click_complain", "login", "read_notice"),
        ),
        "durable-tv-store": expect(
            present=(*DURABLE, *QUALITY, "由经营者举证", "更换合格商品", "免费维修", "“实体店”"),
            absent=(*FOOD, *FRAUD, *NO_REASON, *PLATFORM, "退还货款"),
        ),
        "live-stream-fraud": expect(
            present=(*FRAUD, "不足500元的按500元", "抖音", "宣传页面或直播截图", "店铺直播间购买了", "直播视频至少3年"),
            absent=(*FOOD, *NO_REASON, *PLATFORM, *DURABLE, *QUALITY, "退一赔十"),
            checks=("three_times_minimum",),
        ),
        "seven-day-return": expect(
            present=(*NO_REASON, "退还货款159.00元", "收货后7天内申请退货的记录", "拼多多"),
            absent=(*FOOD, *FRAUD, *PLATFORM, *DURABLE, *QUALITY),
        ),
        "platform-no-seller": expect(
            present=(*PLATFORM, *QUALITY, "由平台赔偿", "向平台索要卖家信息", "授权委托书", "某某优选小程序"),
            absent=(*FOOD, *FRAUD, *NO_REASON, *DURABLE, "「电商平台」：从列表选择"),
            checks=("filing_for_someone",),
        ),
        "prepaid-gym-card": expect(
            present=("第五十三条退还预付款2000.00元", "办卡合同或充值记录", "按告知书写的理由改正", "“实体店”"),
            absent=(*FOOD, *FRAUD, *NO_REASON, *PLATFORM, *DURABLE, *QUALITY, "「电商平台」", "「订单号」"),
            checks=("refiling_after_refusal",),
        ),
        "tv-shopping-custom-made": expect(
            present=(*NO_REASON, "（电视或电话购物）", "TV20261101-0088", "不适用7天无理由退货"),
            absent=(*FOOD, *FRAUD, *PLATFORM, *DURABLE, "「电商平台」", "勾选它"),
            checks=("no_reason_exception",),
        ),
    },
    "12315-follow-up": {
        "pending-overdue": expect(
            present=("「我的投诉」", "7个工作日内，应当告诉您是否受理", "1234567890", "拨打12315"),
            absent=("仲裁", "重新提交", "调解协议"),
            checks=("no_decision_overdue",),
            steps=("find_case", "deadlines", "answer_office"),
        ),
        "accepted-long-mediation": expect(
            present=("60日", "不接受方案", "调解时带上证据", "2026-09-08"),
            absent=("重新提交", "仲裁", "应当告诉您是否受理"),
            checks=("mediation_overdue",),
            steps=("find_case", "deadlines", "answer_office"),
        ),
        "mediation-failed-arbitration": expect(
            present=("没有仲裁协议", "第三十九条", "向有管辖权的人民法院起诉"),
            absent=("按仲裁协议约定的仲裁机构", "重新提交", "消费者协会申请调解"),
            checks=("arbitration_without_agreement",),
            steps=("find_case", "other_routes"),
        ),
        "refused-wrong-merchant": expect(
            present=("改正信息后重新提交", "消费者协会申请调解", "12315-complaint"),
            absent=("人民法院起诉", "仲裁机构", "60日"),
            steps=("find_case", "refused", "other_routes"),
        ),
        "settlement-not-kept": expect(
            present=("说明商家没有履行协议", "向有管辖权的人民法院起诉"),
            absent=("重新提交", "消费者协会申请调解"),
            checks=("settlement_not_kept",),
            steps=("find_case", "settled", "other_routes"),
        ),
        "not-filed": expect(
            present=("12315-complaint",),
            absent=("仲裁", "60日"),
            checks=("not_filed_yet",),
            stopped=True,
            steps=("find_case",),
        ),
    },
    "12315-report": {
        "expired-food-supermarket": expect(
            present=("销售过期、变质或不合格的食品", "商品标签照片", "某某牌酸奶", "“实体店”", "仍在继续"),
            absent=("《电子商务法》第十五条", "12315-complaint", "店铺首页截图", "「电商平台」"),
        ),
        "online-shop-no-licence": expect(
            present=("《电子商务法》第十五条", "店铺首页截图", "虚假宣传", "小红书"),
            absent=("不合格的食品", "12315-complaint", "「订单号」"),
            checks=("no_merchant_name",),
        ),
        "wants-refund-too": expect(
            present=("12315-complaint", "假冒商标", "5566778899001122", "91350100M000100Y43"),
            absent=("《电子商务法》第十五条", "不合格的食品", "报警"),
            checks=("wants_remedy",),
        ),
        "fake-12315-scam": expect(
            present=("报警（110）", "不要转账"),
            absent=("提交", "商品名称"),
            checks=("impersonation_scam",),
            stopped=True,
            steps=("report_or_complaint",),
        ),
        "fake-customer-service-app": expect(
            present=("删除对方发来的App", "报警（110）"),
            absent=("提交", "商品名称"),
            checks=("fake_customer_service",),
            stopped=True,
            steps=("report_or_complaint",),
        ),
    },
}


@cache
def load(flow_id: str) -> Flow:
    flow, diagnostics = check_file(FLOWS / f"{flow_id}.yaml")
    assert flow is not None, [d.format() for d in diagnostics]
    return flow


def session_for(flow: Flow, example: Path) -> Session:
    answers = load_answers(flow, example, TODAY)
    assert answers.diagnostics == [], [d.format() for d in answers.diagnostics]
    return Session(flow, answers=dict(answers.answers), today=TODAY)


def everything(checklist: Checklist) -> str:
    """All the text a checklist shows: sections, items, values, checks, composed texts."""
    parts: list[str] = []
    for section in checklist.sections:
        parts.append(section.title)
        for item in section.items:
            parts.append(item.text)
            if item.value:
                parts.append(item.value)
    parts.extend(c.message for c in checklist.checks)
    if not checklist.blocked:
        parts.extend(c.text for c in checklist.composed)
    return "\n".join(parts)


CASES = [(flow_id, name) for flow_id, names in EXPECTED.items() for name in names]
COMPLETE = [(flow_id, name) for flow_id, name in CASES if not EXPECTED[flow_id][name].stopped]


# --- the flows load --------------------------------------------------------------------


def test_the_three_flows_are_shipped() -> None:
    assert {p.stem for p in SHIPPED} >= {"12315-complaint", "12315-follow-up", "12315-report"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_flow_loads_with_no_diagnostics_at_all(path: Path) -> None:
    flow, diagnostics = check_file(path)
    assert [d.format() for d in diagnostics] == []
    assert flow is not None
    assert flow.id == path.stem
    assert flow.sources, "every flow cites its sources"
    date.fromisoformat(flow.reviewed)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_flow_has_at_least_three_examples_and_each_is_expected(path: Path) -> None:
    examples = sorted((EXAMPLES / path.stem).glob("*.yaml"))
    assert len(examples) >= 3
    # an example without expectations would be shipped untested
    assert {p.stem for p in examples} == set(EXPECTED[path.stem])


# --- each example renders its own branch ---------------------------------------------


@pytest.mark.parametrize(("flow_id", "name"), CASES, ids=[f"{f}/{n}" for f, n in CASES])
def test_example_checklist_shows_its_branch_and_not_the_others(flow_id: str, name: str) -> None:
    want = EXPECTED[flow_id][name]
    session = session_for(load(flow_id), EXAMPLES / flow_id / f"{name}.yaml")
    checklist = build(session)
    text = everything(checklist)

    assert {c.id for c in checklist.checks} == want.checks
    assert checklist.blocked is want.stopped
    for s in want.present:
        assert s in text, f"{s!r} missing from the checklist of {name}"
    for s in want.absent:
        assert s not in text, f"{s!r} (another branch) in the checklist of {name}"
    if want.steps is not None:
        assert tuple(s.id for s in session.visible_steps()) == want.steps


@pytest.mark.parametrize(("flow_id", "name"), COMPLETE, ids=[f"{f}/{n}" for f, n in COMPLETE])
def test_composed_text_of_a_complete_example_fits_the_site_and_has_no_gaps(flow_id: str, name: str) -> None:
    checklist = build(session_for(load(flow_id), EXAMPLES / flow_id / f"{name}.yaml"))
    for composed in checklist.composed:
        assert composed.max_length == 400
        assert 1 <= composed.length <= 400, composed.text
        assert not composed.over and composed.advice is None
        assert "（未填写）" not in composed.text, composed.text
    for item in checklist.items:
        assert item.value != "（未填写）", f"{item.key} shows an empty value"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_examples_reach_every_step_of_the_flow(path: Path) -> None:
    flow = load(path.stem)
    reached: set[str] = set()
    for example in sorted((EXAMPLES / path.stem).glob("*.yaml")):
        reached.update(s.id for s in session_for(flow, example).visible_steps())
    assert reached == {s.id for s in flow.steps}


# --- the complaint flow in detail ------------------------------------------------------


def test_before_any_answer_every_complaint_step_counts() -> None:
    flow = load("12315-complaint")
    session = Session(flow, today=TODAY)
    assert [s.id for s in session.visible_steps()] == [s.id for s in flow.steps]
    assert session.progress() == (1, len(flow.steps))


def test_complaint_checklist_lists_the_site_actions_in_the_sites_order() -> None:
    flow = load("12315-complaint")
    checklist = build(session_for(flow, EXAMPLES / "12315-complaint" / "online-clothing-refund.yaml"))
    text = "\n".join(i.text for i in checklist.items)
    # the site's order: 我要投诉 → log in → notice → merchant → confirm → details → submit
    order = [
        "「我要投诉」",
        "「请登录」",
        "「同意」",
        "「选择企业」",
        "「处理单位」",
        "「确认」",
        "「商品名称」",
        "「投诉内容」",
        "「提交」",
        "「我的投诉」",
    ]
    positions = [text.find(label) for label in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert [s.step_id for s in checklist.sections] == [s.id for s in flow.steps if s.checklist]
    values = {i.value for i in checklist.items if i.value}
    assert {"杭州某某服饰有限公司", "91350100M000100Y43", "某某牌女士羽绒服", "3712456789012345678"} <= values


def test_complaint_text_over_the_limit_gets_advice() -> None:
    flow = load("12315-complaint")
    session = session_for(flow, EXAMPLES / "12315-complaint" / "platform-no-seller.yaml")
    session.answers.update(
        {
            "shop_name": "某" * 50,
            "product_name": "品" * 50,
            "problem_detail": "经" * 150,
            "order_number": "1" * 64,
            "requests": ["退货退款", "换货", "维修", "补足数量"],
            "compensation": ["平台先行赔偿", "赔偿损失"],
        }
    )
    (composed,) = build(session).composed
    assert composed.over and composed.length > 400
    assert composed.advice is not None and "400" in composed.advice


def test_key_numbers_of_the_rules_appear_in_the_complaint_flow() -> None:
    text = (FLOWS / "12315-complaint.yaml").read_text(encoding="utf-8")
    for number in ("7个工作日", "60日", "3年", "400字", "500元", "1000元", "10个工作日", "40字", "4个", "5MB"):
        assert number in text, number
    for fmt in ("jpg", "jpeg", "png", "pdf", "mp3", "mp4"):
        assert fmt in text
    assert "https://www.12315.cn/" in text and "gsxt.gov.cn" in text


def test_complaint_flow_never_asks_for_an_id_number() -> None:
    flow = load("12315-complaint")
    for f in flow.all_fields:
        assert "身份证" not in f.label.source, f.id


def test_login_comes_right_after_the_complain_button_and_before_the_notice() -> None:
    steps = [s.id for s in load("12315-complaint").steps]
    assert steps[:4] == ["open_platform", "click_complain", "login", "read_notice"]
    assert steps.index("read_notice") < steps.index("select_merchant") < steps.index("confirm_merchant")


def test_what_the_site_may_show_differently_defers_to_the_site() -> None:
    complaint = (FLOWS / "12315-complaint.yaml").read_text(encoding="utf-8")
    report = (FLOWS / "12315-report.yaml").read_text(encoding="utf-8")
    # the case number's label, the real-name check, the complaint form's limits
    assert complaint.count("以网站页面为准") >= 3
    # the report entry button's wording is not invented
    assert "按钮名称以网站页面为准" in report
    assert "[[我要举报]]" not in report


# --- what users read: facts, not research notes ---------------------------------------

RESEARCH_NOTES = ("据公开资料", "尚未核实", "实测", "有人遇到过", "以这里为准", "有指南说", "据说", "网友")


def _texts(node: object) -> Iterator[str]:
    """Every text of a loaded flow that a user can read (titles, bodies, labels, tips, messages, sources)."""
    if isinstance(node, Text):
        yield node.source
    elif isinstance(node, Source):
        yield node.title
    elif isinstance(node, tuple):
        for item in node:
            yield from _texts(item)
    elif is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            if not f.name.startswith("_"):
                yield from _texts(getattr(node, f.name))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_research_notes_reach_the_user(path: Path) -> None:
    texts = list(_texts(load(path.stem)))
    assert len(texts) > 50  # the walk really reads the flow
    for text in texts:
        for note in RESEARCH_NOTES:
            assert note not in text, f"{note!r} in {text!r}"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_no_label_says_optional_itself(path: Path) -> None:
    """The wizard adds 「选填」/「必填」 to every label: a label that says it too shows it twice."""
    for f in load(path.stem).all_fields:
        assert "选填" not in f.label.source, f.id
        assert "必填" not in f.label.source, f.id


# --- the complaint flow's branches -------------------------------------------------------


def _complaint(**answers: object) -> Session:
    session = session_for(load("12315-complaint"), EXAMPLES / "12315-complaint" / "online-clothing-refund.yaml")
    for key, value in answers.items():
        if value is None:
            session.answers.pop(key, None)
        else:
            session.answers[key] = value  # type: ignore[assignment]
    return session


def test_an_earlier_12315_complaint_asks_whether_it_was_accepted() -> None:
    flow = load("12315-complaint")
    notice = flow.step("read_notice")
    assert notice is not None
    asked = {f.id for f in _complaint(handled_elsewhere="12315").visible_fields(notice)}
    assert "earlier_12315" in asked
    assert "earlier_12315" not in {f.id for f in _complaint().visible_fields(notice)}


@pytest.mark.parametrize("result", ["已受理", "待受理"])
def test_an_earlier_12315_complaint_accepted_or_pending_stops_at_the_notice(result: str) -> None:
    session = _complaint(handled_elsewhere="12315", earlier_12315=result)
    assert [c.id for c in session.blocking_checks()] == ["already_filed"]
    assert [s.id for s in session.visible_steps()] == ["open_platform", "click_complain", "login", "read_notice"]


def test_an_earlier_12315_complaint_that_was_refused_can_be_filed_again() -> None:
    session = _complaint(handled_elsewhere="12315", earlier_12315="不予受理")
    assert session.blocking_checks() == []
    assert "refiling_after_refusal" in {c.id for c in session.fired_checks()}
    assert [s.id for s in session.visible_steps()] == [s.id for s in load("12315-complaint").steps]
    checklist = build(session)
    assert not checklist.blocked and "按告知书写的理由改正" in everything(checklist)


def test_the_follow_up_flow_sends_refused_users_back_to_the_refused_answer() -> None:
    follow_up = (FLOWS / "12315-follow-up.yaml").read_text(encoding="utf-8")
    assert "「已在12315投诉过」时选「不予受理」" in follow_up
    option = load("12315-complaint").field("earlier_12315")
    assert option is not None and option.option("不予受理") is not None


def _shown_tips(session: Session, step_id: str) -> list[str]:
    step = session.flow.step(step_id)
    assert step is not None
    eff = session.effective()
    return [n.text.source for n in step.tips if evaluate(n.when, eff, TODAY)]


@pytest.mark.parametrize("category", ["服务", "装饰装修"])
@pytest.mark.parametrize("channel", ["网购", "电视电话购物"])
def test_services_are_never_offered_the_seven_day_no_reason_return(category: str, channel: str) -> None:
    flow = load("12315-complaint")
    requests, problems = flow.field("requests"), flow.field("problems")
    assert requests is not None and problems is not None
    service = _complaint(channel=channel, category=category, problems=["服务问题"], requests=["退还服务费用"])
    assert "七日无理由退货" not in {o.value for o in service.visible_options(requests)}
    assert "无理由退货被拒" not in {o.value for o in service.visible_options(problems)}
    assert not any("第二十五条" in t for t in _shown_tips(service, "request"))
    # the same purchase of goods is offered it (CPL Art. 25 covers goods)
    goods = _complaint(channel=channel, category="其他商品")
    assert "七日无理由退货" in {o.value for o in goods.visible_options(requests)}
    assert any("第二十五条" in t for t in _shown_tips(goods, "request"))


@pytest.mark.parametrize("flow_id", ["12315-complaint", "12315-report"])
def test_a_wechat_purchase_is_tencent_under_entertainment_on_the_site(flow_id: str) -> None:
    if flow_id == "12315-complaint":
        session = _complaint(platform="微信")
    else:
        session = session_for(load(flow_id), EXAMPLES / flow_id / "online-shop-no-licence.yaml")
        session.answers["platform"] = "微信"
    items = [(i.text, i.value) for i in build(session).items]
    assert ("「电商平台」：微信里买的，在「娱乐」类下选择「腾讯」", None) in [(t, v or None) for t, v in items]
    assert not any(v == "微信" for _, v in items), "「微信」 is not an entry of the site's list"


def test_the_green_channel_does_not_hand_the_case_to_the_regulator_by_itself() -> None:
    for flow_id in ("12315-complaint", "12315-follow-up"):
        texts = list(_texts(load(flow_id)))
        green = [t for t in texts if "10个工作日" in t]
        assert green, flow_id
        assert not any("仍由监管部门处理" in t or "不成再由监管部门处理" in t for t in green), flow_id
        assert any("不会自动转给监管部门" in t for t in green), flow_id


def test_platform_sellers_go_to_the_sellers_or_the_platforms_county() -> None:
    tips = _shown_tips(_complaint(), "confirm_merchant")
    art13 = [t for t in tips if "第十三条" in t]
    assert art13 and "卖家地址所在区县" in art13[0] and "平台经营者所在区县" in art13[0]
    flow = load("12315-complaint")
    confirm = flow.step("confirm_merchant")
    assert confirm is not None and any("[[确认]]" in i.text.source for i in confirm.checklist)


def test_the_notice_step_lists_every_refusal_ground_of_article_16() -> None:
    tips = _shown_tips(_complaint(), "read_notice")
    (art16,) = [t for t in tips if "第十六条" in t]
    for ground in (
        "不归市场监管部门管",
        "法院",
        "仲裁",
        "消协",
        "生活消费",
        "无法证明",
        "3年",
        "虚假",
        "冒用他人名义",
        "核实身份",
    ):
        assert ground in art16, ground


def test_a_prepaid_card_can_ask_for_the_rest_of_the_prepayment_back() -> None:
    session = session_for(load("12315-complaint"), EXAMPLES / "12315-complaint" / "prepaid-gym-card.yaml")
    (composed,) = build(session).composed
    assert "第五十三条退还预付款2000.00元" in composed.text
    assert any("第五十三条" in t for t in _shown_tips(session, "request"))
    requests = session.flow.field("requests")
    assert requests is not None
    assert "退还预付款" not in {o.value for o in _complaint().visible_options(requests)}


def test_a_live_stream_purchase_says_who_the_seller_is() -> None:
    tips = _shown_tips(_complaint(live_stream="是"), "select_merchant")
    assert any("不一定是主播" in t and "第二十条" in t for t in tips)
    assert not any("主播" in t for t in _shown_tips(_complaint(live_stream="否"), "select_merchant"))


def test_scams_with_apps_sent_by_customer_service_are_named() -> None:
    for flow_id in ("12315-complaint", "12315-follow-up", "12315-report"):
        assert any("「客服」" in t and "App" in t for t in _texts(load(flow_id))), flow_id
    session = session_for(load("12315-report"), EXAMPLES / "12315-report" / "fake-customer-service-app.yaml")
    assert [c.id for c in session.blocking_checks()] == ["fake_customer_service"]


# --- the report flow ---------------------------------------------------------------------


def _report(**answers: object) -> Session:
    session = session_for(load("12315-report"), EXAMPLES / "12315-report" / "expired-food-supermarket.yaml")
    session.answers.update(answers)  # type: ignore[arg-type]
    return session


def test_a_stopped_violation_warns_about_the_two_year_limit_not_one() -> None:
    fired = {c.id for c in _report(ongoing="已停止", discovered_date="2025-05-25").fired_checks()}
    assert "stopped_long_ago" not in fired  # 18 months: still inside the 2 years
    check = next(c for c in load("12315-report").checks if c.id == "stopped_long_ago")
    assert "2年" in check.message.source and "第三十六条" in check.message.source
    fired = {c.id for c in _report(ongoing="已停止", discovered_date="2024-11-01").fired_checks()}
    assert "stopped_long_ago" in fired


def test_the_report_flow_says_when_it_is_checked_and_that_the_reporter_is_protected() -> None:
    text = everything(build(_report()))
    assert "15个工作日" in text
    assert "保密" in text


def test_repealed_deadline_appears_nowhere_in_flows() -> None:
    files = [p for p in FLOWS.rglob("*") if p.is_file()]
    assert files
    for p in files:
        assert "45个工作日" not in p.read_text(encoding="utf-8"), p


# --- dates compared with dates -------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow_id", "example"),
    [("12315-complaint", "online-clothing-refund.yaml"), ("12315-report", "online-shop-no-licence.yaml")],
)
def test_a_date_in_the_future_is_refused_next_to_its_field(flow_id: str, example: str) -> None:
    flow = load(flow_id)
    session = session_for(flow, EXAMPLES / flow_id / example)  # every date of the flow is asked
    dates = [(s, f) for s in flow.steps for f in s.fields if f.type.value == "date"]
    assert dates
    for step, f in dates:
        assert not f.allow_future, f"{f.id} is about the past: a future date must be refused"
        result = session.validate_step(step, {f.id: "2026-11-26"})
        assert result.errors.get(f.id) == "日期不能晚于今天（2026 年 11 月 25 日）", f.id
        assert session.validate_step(step, {f.id: "2026-11-25"}).errors.get(f.id) is None


def test_date_order_checks_are_shown_right_after_the_purchase_details() -> None:
    flow = load("12315-complaint")
    for check_id in ("received_before_purchase", "harm_before_purchase"):
        check = next(c for c in flow.checks if c.id == check_id)
        assert check.step == "purchase_details", "evaluated once both dates are given"
    wrong = _complaint(received_date="2026-11-07", harm_known_date="2026-11-01")
    fired = {c.id for c in wrong.fired_checks("purchase_details")}
    assert {"received_before_purchase", "harm_before_purchase"} <= fired
    assert wrong.blocking_checks() == [], "a slip in a date is a warning, not a refusal"
    assert not {"received_before_purchase", "harm_before_purchase"} & {c.id for c in _complaint().fired_checks()}


@pytest.mark.parametrize(
    ("received", "found", "asked", "after"),
    [
        ("2026-03-05", "2026-09-05", True, False),  # the last day of the 6 months: ask, the dates may be early
        ("2026-03-05", "2026-09-06", False, True),  # one day later: the dates decide
        ("2025-08-31", "2026-02-28", True, False),  # no 31 February: the 6 months end on the 28th
        ("2025-08-31", "2026-03-01", False, True),
        ("2026-05-30", "2026-11-25", False, False),  # received less than 6 months ago: nothing to ask
    ],
)
def test_article_23s_six_months_are_counted_from_the_receipt_date(
    received: str, found: str, asked: bool, after: bool
) -> None:
    session = _complaint(
        category="耐用商品",
        problems=["质量问题"],
        received_date=received,
        harm_known_date=found,
        purchase_date=received,
    )
    step = session.flow.step("problem")
    assert step is not None
    assert ("found_in_6m" in {f.id for f in session.visible_fields(step)}) is asked
    assert ("durable_found_after_six_months" in {c.id for c in session.fired_checks()}) is after
    composed = everything(build(session))
    assert ("第二十三条应由经营者举证" in composed) is not after

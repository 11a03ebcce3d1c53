"""The session's rules, as every view uses them: what applies, notes, Next, Back, answers as text."""

from __future__ import annotations

import textwrap
from datetime import date

from wizard.flow.loader import parse_flow
from wizard.flow.model import Flow
from wizard.session import REVIEW, TIP, WARNING, Session

TODAY = date(2026, 11, 25)

FLOW = textwrap.dedent(
    """\
    id: session-demo
    title: 会话测试
    version: "1"
    reviewed: 2026-11-01
    steps:
      - id: intro
        title: 说明
        body: 只是说明。
      - id: buy
        title: 购买
        tips:
          - text: 总是显示的提示
          - text: 网购的提示
            when: channel == 网购
        warnings:
          - text: 金额大的注意
            when: amount > 500
        fields:
          - id: channel
            type: select
            label: 渠道
            required: true
            options:
              - value: 网购
                label: 网上购买
              - value: 门店
                label: 门店购买
          - id: amount
            type: money
            label: 金额
          - id: platform
            type: select
            label: 平台
            when: channel == 网购
            options:
              - value: 淘宝
              - value: 直播
                label: 直播间
                when: amount > 100
      - id: online
        title: 网购的一步
        when: channel == 网购
        fields:
          - id: order_no
            type: text
            label: 订单号
            required: true
      - id: end
        title: 结束
        fields:
          - id: agree
            type: confirm
            label: 我确认
    checks:
      - id: big
        level: warn
        when: amount > 500
        message: 金额较大
        step: buy
      - id: huge
        level: stop
        when: amount > 9000
        message: 金额太大
        step: buy
    """
)


def flow() -> Flow:
    loaded, problems = parse_flow(FLOW.encode(), "demo.yaml")
    assert loaded is not None, [p.format() for p in problems]
    return loaded


def session(**answers: object) -> Session:
    return Session(flow(), answers=dict(answers), today=TODAY)  # type: ignore[arg-type]


def test_notes_follow_answers_given_on_the_same_step() -> None:
    s = session()
    buy = s.flow.step("buy")
    assert buy is not None
    assert [n.text.source for _, n in s.notes(buy)] == ["总是显示的提示"]
    shown = s.notes(buy, {"channel": "网购", "amount": "600.00"})
    assert [(k, n.text.source) for k, n in shown] == [
        (TIP, "总是显示的提示"),
        (TIP, "网购的提示"),
        (WARNING, "金额大的注意"),
    ]
    # emptied on the page: the saved answer no longer counts
    s.answers["channel"] = "网购"
    assert "网购的提示" in [n.text.source for _, n in s.notes(buy)]
    assert "网购的提示" not in [n.text.source for _, n in s.notes(buy, {"channel": None})]


def test_conditional_fields_and_options() -> None:
    s = session(channel="门店")
    buy = s.flow.step("buy")
    assert buy is not None
    assert [f.id for f in s.visible_fields(buy)] == ["channel", "amount"]
    assert [f.id for f in s.visible_fields(buy, {"channel": "网购"})] == ["channel", "amount", "platform"]
    platform = s.flow.field("platform")
    assert platform is not None
    assert [o.value for o in s.visible_options(platform, {"amount": "50.00"})] == ["淘宝"]
    assert [o.value for o in s.visible_options(platform, {"amount": "101.00"})] == ["淘宝", "直播"]
    assert [o.value for o in s.visible_options(platform, {"amount": None})] == ["淘宝"]


def test_values_are_cleared_from_what_counts_when_a_condition_stops_holding() -> None:
    s = session(channel="网购", platform="直播", amount="200.00", order_no="A1")
    assert s.effective()["platform"] == "直播"
    assert [st.id for st in s.visible_steps()] == ["intro", "buy", "online", "end"]
    s.set_answer("amount", "50.00")  # the option 直播 no longer applies
    assert "platform" not in s.effective()
    assert s.answers["platform"] == "直播"  # kept: it comes back with the condition
    s.set_answer("channel", "门店")
    assert "order_no" not in s.effective() and s.answers["order_no"] == "A1"
    assert [st.id for st in s.visible_steps()] == ["intro", "buy", "end"]
    s.set_answer("channel", None)
    assert "channel" not in s.answers


def test_next_and_back_at_the_boundaries() -> None:
    s = session(channel="门店")
    assert s.position == "intro"  # the first step that applies
    assert s.back_from("intro") is None
    assert s.next_after("buy") == "end"  # `online` does not apply
    assert s.next_after("end") == REVIEW
    assert s.back_from("end") == "buy"
    assert s.back_from(REVIEW) == "end"
    assert s.back_from("buy") == "intro"
    assert s.back_from("buy", asks_only=True) is None  # `intro` asks nothing: plain mode does not stop there
    s.set_answer("channel", "网购")
    assert s.back_from("end") == "online"
    assert s.progress("end") == (4, 4)


def test_next_after_a_change_from_the_review() -> None:
    s = session(channel="门店", agree=True)
    assert s.next_after("buy", changing=True) == REVIEW  # complete: back to the review
    s.set_answer("channel", "网购")  # a step now applies and its required field is empty
    assert s.first_incomplete() == "online"
    assert s.next_after("buy", changing=True) == "online"
    assert s.next_after("buy") == "online"
    s.set_answer("order_no", "A1")
    assert s.next_after("buy", changing=True) == REVIEW


def test_required_optional_and_drafts_in_check_step() -> None:
    s = session()
    buy = s.flow.step("buy")
    end = s.flow.step("end")
    assert buy is not None and end is not None
    assert s.check_step(buy).errors == {"channel": "此项必填"}
    assert s.check_step(end).ok  # optional confirm left empty
    s.set_answer("channel", "门店")
    s.drafts["amount"] = "一百块"
    result = s.check_step(buy)
    assert list(result.errors) == ["amount"]  # the draft, not the missing answer, is checked
    s.commit_step(s.validate_step(buy, {"amount": "100"}))
    assert s.answers["amount"] == "100.00" and "amount" not in s.drafts


def test_warnings_after_only_their_own_step() -> None:
    s = session(channel="门店", amount="600.00")
    assert [c.id for c in s.warnings_after("buy")] == ["big"]
    assert s.warnings_after("end") == []
    s.set_answer("amount", "500.00")  # the boundary: not above 500
    assert s.warnings_after("buy") == []


def test_answer_text() -> None:
    s = session()
    channel = s.flow.field("channel")
    agree = s.flow.field("agree")
    amount = s.flow.field("amount")
    assert channel is not None and agree is not None and amount is not None
    assert s.answer_text(channel, "网购") == "网上购买"
    assert s.answer_text(channel, "不存在") == "不存在"
    assert s.answer_text(agree, True) == "已确认"
    assert s.answer_text(agree, False) == "未确认"
    assert s.answer_text(amount, "99.00") == "99.00"
    assert s.answer_text(amount, None) is None and s.answer_text(amount, "") is None


def test_go_moves_only_to_positions_that_exist() -> None:
    s = session()
    s.go("end")
    assert s.position == "end"
    s.go(REVIEW)
    assert s.position == REVIEW
    s.go("no-such-step")
    assert s.position == REVIEW  # unchanged


def test_a_stop_check_is_not_a_warning_after_its_step() -> None:
    s = session(channel="门店", amount="9999.00")
    assert [c.id for c in s.warnings_after("buy")] == ["big"]
    assert [c.id for c in s.blocking_checks("buy")] == ["huge"]

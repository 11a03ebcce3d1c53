"""The starter flow that ``wizard new`` writes, with its path tests.

The flow is small but uses every key of the flow format, every field type
and every kind of condition, with English comments for authors and Chinese
text for users. It validates with no warning, and its test file covers it
fully (``wizard test --coverage``); ``tests/test_new.py`` keeps it so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from string import Template

from wizard.authoring.casefile import default_tests_for

FLOW_TEMPLATE = Template(
    """\
# A starter flow written by `wizard new`. Change it into your own flow.
#
# Every key of the flow format appears below at least once, with a comment
# saying what it does; the full reference, with an example for every key, is
# docs/flow-format.md. The path tests of this flow are in $tests_name
# (how they work: docs/flow-testing.md).
#
#   wizard validate $flow_name              check it (every problem with line:column)
#   wizard test $flow_name --coverage       run its path tests
#   wizard run $flow_name --watch           try it; saving the file reloads it
#
# Text that users read is Simplified Chinese. Words in [[double brackets]] are
# the exact words of a button or box on 12315.cn (never changed, highlighted).
# {field_id} inserts the user's answer. Write {{ and }} for literal braces.

id: $flow_id                        # lower-case letters, digits and '-'
title: 示例：网购或到店购物的投诉   # the flow's name, shown at the top
version: "0.1"                      # your own version number (quote it)
reviewed: $today                    # the date someone last checked the facts
description: |                      # a short summary; Markdown is allowed
  一个示例流程：根据您的回答，一步一步告诉您在全国12315平台上要做什么。
sources:                            # where the facts come from
  - title: 全国12315平台
    url: https://www.12315.cn/
  - 《中华人民共和国消费者权益保护法》   # a source can be just a title

steps:
  # ---- step 1: a confirm field that must be ticked -------------------------
  - id: notice                      # letters, digits and _; used by tests and checks
    title: 阅读《投诉须知》
    link: https://www.12315.cn/     # an official page for this step
    body: |                         # Markdown; [[...]] marks words on the site
      打开[全国12315平台](https://www.12315.cn/)，点击[[我要投诉]]，
      阅读《投诉须知》后点击[[同意]]。
    tips:                           # tips: one line each, or text + when
      - 12315 不会向您收取任何费用，也不会索要验证码。
    fields:
      - id: agree
        type: confirm               # a box to tick; required = must be ticked
        label: 我已阅读《投诉须知》
        required: true
    checklist:                      # what this step adds to the final checklist
      - 在首页点击[[我要投诉]]，阅读须知后点击[[同意]]

  # ---- step 2: choices, a date, numbers; a tip and a warning with `when` ---
  - id: purchase
    title: 购买情况
    body: 请按订单或小票填写。
    tips:
      - text: 网购的商品，多数可以在收货后七日内无理由退货。
        when: channel == 网购       # shown only when the condition holds
    warnings:
      - text: 金额或数量较大，请保留好付款记录。
        when:                       # any: at least one of the list holds
          any:
            - amount > 5000
            - quantity > 10
    fields:
      - id: channel
        type: select                # pick one option
        label: 您是怎么买的？
        required: true
        options:
          - 网购                    # an option: its value (also its label)
          - value: 实体店
            label: 在实体店（商场、超市）购买
      - id: purchase_date
        type: date                  # accepts 2026-11-25, 2026/11/25, 2026年11月25日
        label: 购买日期
        required: true
        allow_future: false         # a date in the future is refused
      - id: amount
        type: money                 # yuan; accepts 1,299.00 and ¥1299
        label: 支付金额（元）
        required: true
        min: 0
        max: 1000000
      - id: quantity
        type: number
        label: 购买数量
        placeholder: "1"            # a hint shown in the empty box
        min: 1
        max: 999

  # ---- step 3: a step shown only for some answers --------------------------
  - id: online_order
    title: 找到网购订单
    when: channel == 网购           # the whole step is skipped otherwise
    fields:
      - id: platform
        type: select
        label: 购物平台
        required: true
        options: [淘宝, 京东, 拼多多, 其他平台]
      - id: order_no
        type: text
        label: 订单号
        help: 在购物平台的“我的订单”里可以找到。
        pattern: "[0-9A-Za-z]{6,32}"          # a regular expression the answer must match
        pattern_message: 订单号一般是 6 到 32 位数字或字母
        paste: true                 # the user pastes this on the site
    checklist:
      - text: 在“订单编号”处粘贴订单号
        value: "{order_no}"         # the user's value, offered for copying
        when: order_no is set

  # ---- step 4: text, phone, uscc; a checklist item with value and link ---
  - id: merchant
    title: 商家信息
    body: 请填写与营业执照一致的商家全称。
    fields:
      - id: merchant_name
        type: text
        label: 商家全称
        required: true
        max_length: 100
        site_label: 被投诉方名称     # the box on the site where this answer goes
        paste: true
      - id: merchant_uscc
        type: uscc                  # 统一社会信用代码 (18 characters, checked)
        label: 统一社会信用代码
        help: 可以在国家企业信用信息公示系统查到；不知道可以不填。
      - id: merchant_phone
        type: phone                 # mobile or landline, spaces and dashes allowed
        label: 商家电话
    checklist:
      - text: 在[[被投诉方名称]]处填写商家全称并点击[[选择企业]]
        value: "{merchant_name}"
        link: https://www.12315.cn/
      - text: 商家电话：{merchant_phone}
        when: merchant_phone is set
      - text: 准备好购物小票或发票的照片
        when:                       # not: the opposite of a condition
          not: channel == 网购

  # ---- step 5: several choices, an option with `when`, a long text ---------
  - id: problem
    title: 问题和诉求
    fields:
      - id: problems
        type: multiselect           # pick one or more
        label: 遇到了什么问题？
        required: true
        options: [质量问题, 虚假宣传, 拒绝退货]
      - id: request
        type: select
        label: 您希望商家怎么做？
        required: true
        options:
          - 退货退款
          - 换货
          - value: 七日无理由退货
            when: channel == 网购   # this option is offered only for online purchases
      - id: story
        type: textarea              # several lines; the box counts characters
        label: 商家是怎么宣传的？
        max_length: 150
        when: problems contains 虚假宣传
    checklist:
      - text: 在[[投诉内容]]处粘贴投诉内容，然后点击[[提交]]
        value: "{complaint_text}"   # a composed text (see compose below)

checks:                             # rules checked after a step
  - id: too_old
    level: stop                     # stop: the user cannot go on
    when: purchase_date older_than 3 years
    message: 购买已超过三年，12315 一般不再受理。您可以咨询律师或向法院起诉。
  - id: no_order_no
    level: warn                     # warn: a message, the user may go on
    step: online_order              # checked after this step (default: the step of the last field it reads)
    when:                           # all: every item of the list holds
      all:
        - channel == 网购
        - order_no is empty
    message: 没有订单号，商家可能查不到您的订单，请先在平台找到订单号。

compose:                            # texts built from the answers, to paste on the site
  - id: complaint_text
    label: 投诉内容
    site_label: 投诉内容            # the box on the site where it goes
    max_length: 200                 # the site's limit; the checklist warns when over
    over_limit: 内容太长，请删减“经过”部分。
    parts:                          # joined in order; a part may have a when
      - "我于 {purchase_date} 购买了商品，支付 {amount} 元。遇到的问题：{problems}。"
      - text: "商家宣传：{story}。"
        when: story is set
      - "我的诉求：{request}。"

deadlines:                          # dates worked out from a date answer, shown in the checklist
  - id: complaint_limit
    label: 投诉的3年期限
    from: purchase_date             # a date field (or a deadline above); that day is not counted
    years: 3                        # or working_days / days / months; a last day off moves to the next working day
    when: not purchase_date older_than 3 years
"""
)

TESTS_TEMPLATE = Template(
    """\
# Path tests for $flow_name, written by `wizard new` (how they work:
# docs/flow-testing.md). Run them with:
#
#   wizard test $flow_name --coverage
#
# Each case gives a person's answers and says what the wizard must do with
# them: the steps shown in order, the checks that fire, what the checklist
# says. --coverage also lists every step, field, checklist item and
# condition that no case reaches, or that is never true or never false.

flow: ../$flow_name                 # optional: the flow these cases test
today: $today                       # the date the cases are run "on", so they never go stale
cases:
  - name: 网购，有订单号，七日无理由退货
    answers:                        # field id: answer, as a user would type it
      agree: true
      channel: 网购
      purchase_date: $recent
      amount: 299.00
      quantity: 1
      platform: 淘宝
      order_no: "20261234567890"
      merchant_name: 某某服饰有限公司
      problems: [质量问题]
      request: 七日无理由退货
    expect:
      steps: [notice, purchase, online_order, merchant, problem]   # the steps shown, in order
      checks: []                    # the checks that fire: [] means none
      checklist_contains:           # pieces of text the checklist must hold
        - "{order_no}"              # {field_id} is replaced by the answer
        - 我的诉求：七日无理由退货
      checklist_excludes:           # pieces of text it must not hold
        - 购物小票
      compose_within_limit: true    # composed texts fit their max_length

  - name: 实体店，虚假宣传，金额较大
    answers:
      agree: true
      channel: 实体店
      purchase_date: $recent
      amount: 6800
      merchant_name: 某某电器商场有限公司
      merchant_uscc: 91350100M000100Y43
      merchant_phone: 0591-87654321
      problems: [虚假宣传, 拒绝退货]
      request: 退货退款
      story: 店员说是原装进口，实际是国产组装机
    expect:
      steps: [notice, purchase, merchant, problem]
      checks: []
      checklist_contains:
        - 商家电话：0591-87654321
        - 购物小票
        - 商家宣传：店员说是原装进口
      compose_within_limit: true

  - name: 网购，没有订单号（提醒，但可以继续）
    answers:
      agree: true
      channel: 网购
      purchase_date: $recent
      amount: 59
      quantity: 20
      platform: 拼多多
      merchant_name: 某某日用品店
      problems: [拒绝退货]
      request: 换货
    expect:
      steps: [notice, purchase, online_order, merchant, problem]
      checks: [no_order_no]
      checklist_excludes: ["订单编号"]    # the order number item shows only when there is one

  - name: 超过三年，不再受理
    answers:
      agree: true
      channel: 网购
      purchase_date: $old
      amount: 120
    expect:
      steps: [notice, purchase]     # the stop check ends the walk after this step
      checks: [too_old]
"""
)

_ID_CHARS = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class Starter:
    flow_path: Path
    tests_path: Path
    flow_text: str
    tests_text: str


def flow_id_for(path: Path) -> str:
    """A valid flow id from a file name: lower case, other characters become '-'."""
    stem = _ID_CHARS.sub("-", path.stem.lower()).strip("-")
    return stem[:64].strip("-") or "my-flow"


def starter(path: Path, today: date) -> Starter:
    """The starter flow for ``path`` and its test file (not written)."""
    tests = default_tests_for(path)
    values = {
        "flow_id": flow_id_for(path),
        "flow_name": path.name,
        "tests_name": f"tests/{path.name}",
        "today": today.isoformat(),
        "recent": (today - timedelta(days=20)).isoformat(),
        "old": (today - timedelta(days=4 * 365 + 10)).isoformat(),
    }
    return Starter(path, tests, FLOW_TEMPLATE.substitute(values), TESTS_TEMPLATE.substitute(values))

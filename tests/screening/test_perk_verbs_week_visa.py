"""Perks after one verb, a week's pay named right before it, the visit visa (issue 14, branch
r-perks2): the classes of screening/data/SOURCES.md "Perks after their verb, the week's pay before
the amount, the visit visa".

A verb that gives or covers ("will provide", "menanggung", "lo", "负责") shares itself with every
perk of the list after it; a list ending in "등 제공" is provided; "每周", "mỗi tuần", "일주일에" right
before an amount make it a week's pay, and only there. The lines are written for this test from
the class; none is a corpus text.
"""

from __future__ import annotations

import pytest

from screening import money
from screening.rules import default_rules, normalise_for_matching


def _found(rule_id: str, text: str) -> bool:
    rule = default_rules().get(rule_id)
    assert rule is not None
    return rule.search(normalise_for_matching(text))


@pytest.mark.parametrize("text", [
    "They will provide the visa, airline ticket, food and hotel stay.",
    "The employer will cover your visa, flight tickets and lodging.",
    "công ty sẽ lo vé máy bay, visa, chỗ ở",
    "perusahaan menanggung tiket, visa dan makan",
    "majikan sediakan tiket kapal terbang, visa dan penginapan",
    "sagot ng kumpanya ang visa, pamasahe at tirahan",
    "公司负责机票、签证、食宿",
    "公司負責機票、簽證、食宿",
    "숙소·비행기티켓·비자·생활비 등 제공",
    "항공권, 비자 등 회사 부담",
])
def test_perks_after_their_verb_are_provided(text: str) -> None:
    assert _found("perks_bundle", text)


@pytest.mark.parametrize("text", [
    "We do not provide visa, ticket or accommodation.",
    "You must arrange your own visa, ticket and accommodation.",
    "công ty không lo vé máy bay, visa",
    "perusahaan tidak menanggung tiket dan visa",
    "机票、签证自己负责",
    "自己负责机票、签证",
    "항공권·비자 등 본인 부담",
])
def test_perks_the_worker_pays_for_are_not_provided(text: str) -> None:
    assert not _found("perks_bundle", text)


@pytest.mark.parametrize(("text", "period"), [
    ("每周8000元", "week"),
    ("每週 8000元", "week"),
    ("一个星期8000元", "week"),
    ("mỗi tuần 10 triệu", "week"),
    ("일주일에 500만원", "week"),
    ("हर हफ्ते 20 हजार रुपये", "week"),
    ("setiap minggu Rp5 juta", "week"),
    ("kada linggo P5,000", "week"),
    ("ทุกสัปดาห์ 20,000 บาท", "week"),
    ("weekly $500", "week"),
    ("매일 30만원", "day"),
    ("setiap hari 500 ribu", "day"),
    # The working week named before a month's pay is not the pay's period.
    ("每周工作六天，月薪8000元", "month"),
    ("làm 6 ngày mỗi tuần, lương 8 triệu", None),
    ("mỗi tuần nghỉ 1 ngày, lương 8 triệu", None),
    ("일주일에 5일 근무, 월 300만원", "month"),
    ("kerja setiap hari, gaji 5 juta", None),
    ("Work 6 days weekly, salary $1,500", None),
])
def test_a_week_or_a_day_right_before_the_amount(text: str, period: str | None) -> None:
    pays = money.read_pay(text)
    assert [pay.period for pay in pays] == [period]


@pytest.mark.parametrize(("text", "period"), [
    # The working day before a clause break and a pay word: the pay after it is not a day's.
    ("8 hours a day, salary $1,500", None),
    ("làm 8 tiếng một ngày, lương 8 triệu", None),
    ("kerja 8 jam sehari, gaji 5 juta", None),
    ("8 oras kada araw, sahod 20,000", None),
    # A day off is not a day's rate.
    ("每周休息一天 8000元", None),
    ("mỗi tuần nghỉ một ngày 8 triệu", None),
    ("libur sehari, 5 juta", None),
    # A day's pay still: the pay word before the period, or no break between them.
    ("gaji sehari Rp 200 ribu", "day"),
    ("lương một ngày 500k", "day"),
    ("per day salary Rs 1000", "day"),
    ("$300 a day", "day"),
])
def test_the_working_day_is_not_the_pay_period(text: str, period: str | None) -> None:
    pays = money.read_pay(text)
    assert [pay.period for pay in pays] == [period]


def test_a_weekly_range_keeps_both_ends() -> None:
    [pay] = money.read_pay("每周5000-8000元")
    assert (pay.minimum, pay.amount, pay.period) == (5000, 8000, "week")
    [pay] = money.read_pay("mỗi tuần 10-15 triệu")
    assert (pay.minimum, pay.amount, pay.period) == (10_000_000, 15_000_000, "week")


@pytest.mark.parametrize("text", [
    "Lowongan kerja di Arab Saudi, berangkat dengan visa ziarah.",
    "Lowongan kerja ke Arab Saudi pakai visa umroh.",
    "नौकरी के लिए विजिट विसा पर भेजेंगे।",
])
def test_a_visit_or_pilgrim_visa_for_work(text: str) -> None:
    assert _found("tourist_visa_for_work", text)

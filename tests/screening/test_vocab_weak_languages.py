"""Each rule's vocabulary in the four languages the rules read worst (issue 14, branch r-vocab):
Chinese (Simplified and Traditional), Korean, Thai and Hindi.

The lines are written for this test from the words public warnings and job boards in that
language quote (screening/data/SOURCES.md, "Each rule's vocabulary in zh, ko, th, hi"), not
copied from a corpus row. Each line failed on the rules before this branch.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text


def _flags(text: str, lang: str) -> set[str]:
    return set(assess_text(text, lang=lang).flag_ids)


# (language, rule id, line): the rule must be found in the line.
FOUND = [
    # Chinese: pay bragged about in round figures and as "big money"; a salary several times home's
    ("zh_Hans", "pay_far_above_market", "招聘客服，底薪破万，详情咨询"),
    ("zh_Hans", "pay_far_above_market", "出国打工挣大钱，年薪几十万不是问题"),
    ("zh_Hans", "pay_far_above_market", "招聘业务员，待遇丰厚，欢迎加入"),
    ("zh_Hant", "pay_far_above_market", "招聘業務員，月薪破萬，工資是國內的好幾倍"),
    ("zh_Hant", "pay_far_above_market", "想去海外打工掙大錢的聯繫我"),
    # no schooling or experience asked, typing pinyin is enough
    ("zh_Hans", "vague_job_language_skills", "招聘文员，学历不限，会拼音就行"),
    ("zh_Hant", "vague_job_language_skills", "誠徵助理，經驗不限，有無經驗均可"),
    # board and lodging, a passport made for you
    ("zh_Hans", "perks_bundle", "招聘服务员，管吃管住，公司办护照"),
    ("zh_Hant", "perks_bundle", "招聘廚房幫工，包三餐，包住宿"),
    # the fare advanced by the company
    ("zh_Hans", "employer_pays_flight", "招聘操作员，机票公司垫付，到了从工资里扣"),
    ("zh_Hant", "employer_pays_flight", "招聘司機，包路費，到了就上班"),
    # leave any time, places close when full, passport in hand and go
    ("zh_Hans", "urgency_secrecy", "招聘客服，有护照随时出发，招满即止"),
    ("zh_Hant", "urgency_secrecy", "招聘助理，僅剩三個名額，額滿即止"),
    # start the day you arrive
    ("zh_Hans", "chat_only_interview", "招聘推广员，即可入职"),
    # the encrypted chat apps police warnings name
    ("zh_Hans", "messaging_app_only", "高薪招聘客服，有意者加蝙蝠详谈"),
    ("zh_Hant", "messaging_app_only", "招聘客服，工作詳情加蝙蝠詳談"),
    # collecting cash for "clients"
    ("zh_Hant", "fraud_work_described", "工作內容：幫客戶領錢，日結"),
    ("zh_Hans", "fraud_work_described", "兼职工作：协助收取现金并送到指定地点"),
    # "outside the border": abroad, unnamed (with board and lodging: the combination)
    ("zh_Hans", "abroad_perks_unlicensed", "招聘境外客服，包吃包住"),
]

# (language, rule id, line): an ordinary line with the same words must not find the rule.
NOT_FOUND = [
    ("zh_Hans", "abroad_perks_unlicensed", "招聘护士，负责境外输入病例的隔离观察，包吃包住"),
    ("zh_Hans", "pay_far_above_market", "招聘会计，待遇面议，五险一金"),
    ("zh_Hans", "urgency_secrecy", "招聘司机，随时欢迎来电咨询"),
    ("zh_Hant", "employer_pays_flight", "招聘會計，負責機票報價與訂位"),
]


@pytest.mark.parametrize(("lang", "rule_id", "text"), FOUND)
def test_the_vocabulary_is_read(lang: str, rule_id: str, text: str) -> None:
    assert rule_id in _flags(text, lang)


@pytest.mark.parametrize(("lang", "rule_id", "text"), NOT_FOUND)
def test_ordinary_wording_is_not_read(lang: str, rule_id: str, text: str) -> None:
    assert rule_id not in _flags(text, lang)

"""A sign the text denies is not a sign (issue 14, branch r-negation): confinement or beating
denied, an intermediary denied, a language test not needed. Each denial is scoped to the rule's
own phrase, so the sign asked beside it still fires. Sentences written from the class
(screening/data/SOURCES.md, "Signs denied"), none is a corpus row."""

from __future__ import annotations

import pytest

from screening.rules import default_rules, normalise_for_matching

HELD, VIA, TEST = "passport_held_or_confined", "recruited_via_friend", "chat_only_interview"

DENIED = [
    (HELD, "ko", "캄보디아 현지 회사 모집. 감금·폭행 같은 말도 안 되는 일은 없다."),
    (HELD, "ko", "캄보디아 현지 회사 모집. 여권 압수는 절대 없습니다."),
    (HELD, "en", "Job in Cambodia, you will not be locked in and no one will take your passport."),
    (HELD, "zh_Hans", "柬埔寨招聘客服，公司不会限制人身自由。"),
    (HELD, "zh_Hant", "柬埔寨招聘客服，員工絕不被囚禁。"),
    (HELD, "vi", "Tuyển nhân viên làm việc tại Campuchia, không bị giam giữ."),
    (HELD, "th", "รับสมัครงานที่กัมพูชา พนักงานไม่ถูกกักขัง"),
    (HELD, "id", "Lowongan kerja di Kamboja, karyawan tidak disekap."),
    (HELD, "tl", "Hiring sa Cambodia, hindi kayo nakakulong doon."),
    (HELD, "hi", "कंबोडिया में नौकरी, किसी को बंधक नहीं बनाया जाएगा।"),
    (VIA, "en", "Job in Dubai, salary 2000 USD, hired directly without going through a broker."),
    (VIA, "th", "รับสมัครงานเกาหลี สมัครตรง ไม่ต้องผ่านนายหน้า"),
    (VIA, "lo", "ຮັບສະຫມັກວຽກຢູ່ປະເທດໄທ ບໍ່ຕ້ອງຜ່ານນາຍໜ້າ"),
    (VIA, "ms", "Jawatan kosong di Singapura, tanpa melalui kawan atau ejen."),
    (VIA, "km", "ការងារនៅប្រទេសកូរ៉េ គ្មានមេខ្យល់"),
    (VIA, "my", "ကိုရီးယားအလုပ် ပွဲစားမလို"),
    (VIA, "hi", "दुबई में नौकरी, एजेंट के माध्यम से नहीं, सीधे भर्ती"),
    (TEST, "th", "รับสมัครงานภาคเกษตรที่เกาหลีใต้ วีซ่า E-8 ไม่ต้องสอบภาษา"),
    (TEST, "id", "Lowongan kerja musiman ke Korea, tanpa tes bahasa."),
    (TEST, "lo", "ວຽກກະສິກໍາຢູ່ເກົາຫລີ ບໍ່ຕ້ອງເສັງພາສາ"),
]

# A denial beside the sign itself: the sign outside the denied phrase still fires.
ASKED_BESIDE = [
    (HELD, "ko", "감금 같은 일은 없다. 다만 여권은 회사에서 보관합니다. 캄보디아 모집"),
    (HELD, "en", "Job in Cambodia. You will not be locked in, but the company keeps your passport."),
    (HELD, "vi", "Việc làm tại Campuchia, không bị giam giữ nhưng công ty giữ hộ chiếu."),
    (VIA, "en", "Job in Dubai, no need to go through an agent: I got it through a broker."),
    (VIA, "hi", "दुबई में नौकरी, एजेंट के माध्यम से भर्ती, एजेंट के माध्यम से ही आवेदन करें"),
    (VIA, "th", "งานเกาหลี ไม่ต้องผ่านนายหน้า เพื่อนชวนไปทํางานด้วยกัน"),
    (TEST, "th", "งานเกาหลี ไม่ต้องสอบภาษา ไม่ต้องสัมภาษณ์"),
    (TEST, "id", "Kerja ke Korea tanpa tes bahasa, tanpa wawancara, langsung berangkat."),
    # a real report of confinement is not a denial ("no way to escape")
    (HELD, "ko", "캄보디아 회사에 감금되어 있었는데 도망칠 방법이 없었다."),
]


@pytest.mark.parametrize(("rule_id", "lang", "text"), DENIED)
def test_a_denied_sign_does_not_fire(rule_id: str, lang: str, text: str) -> None:
    rules = default_rules()
    rule = rules.get(rule_id)
    # the sentence holds the rule's own phrase: only the denial keeps it from firing
    assert rule is not None and rule.search(normalise_for_matching(text))
    for use_prefilter in (True, False):
        found, _ = rules.match(text, use_prefilter=use_prefilter)
        assert rule_id not in [rule.id for rule in found], (use_prefilter, lang)


@pytest.mark.parametrize(("rule_id", "lang", "text"), ASKED_BESIDE)
def test_the_sign_beside_a_denial_still_fires(rule_id: str, lang: str, text: str) -> None:
    rules = default_rules()
    for use_prefilter in (True, False):
        found, _ = rules.match(text, use_prefilter=use_prefilter)
        assert rule_id in [rule.id for rule in found], (use_prefilter, lang)

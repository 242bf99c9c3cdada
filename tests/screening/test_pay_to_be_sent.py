"""Money handed over to be sent abroad or to get the job: `pay_to_be_sent` (issue 14, branch r-abroad).

Government warnings on fake overseas offers to ordinary destinations (Philippine DMW/POEA, Indonesia's
Kemnaker, Thailand's Department of Employment, Vietnam's DOLAB, Korean and Indian police, Chinese
police on 出国劳务 fraud; screening/data/SOURCES.md, "Money to be sent abroad") describe the lure as
"pay and you go": money asked of the worker in exchange for the departure, the visa or the job. The
lines below are written for this test in the words of those warnings; none is a corpus row. Each
reads below high on the rules without the class (built here from the shipped file by taking it out,
the model's flags aside) and at high with it, where it completes `fee_for_job_abroad` with the country named.

Lawful notices (EPS Korea, Vietnam's Law 69/2020 costs paid to the licensed body after a contract,
DMW-set fees, e-Migrate) must not read as the class, nor at high: two of them (a test fee and EPS
costs named with the job abroad) were rated high by `fees_or_deposit` with `fee_for_job_abroad`
until `cost_paid_to_official_body` (branch r-legit, tests/screening/test_lawful_costs.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening import assess
from screening.assess import RiskLevel, assess_text
from screening.rules import RuleSet, parse_rules

RULES_PATH = Path(__file__).resolve().parents[2] / "screening" / "data" / "red_flags.json"
CLASS = "pay_to_be_sent"
HIGH_OR_ABOVE = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def _without_class(document: dict[str, Any]) -> dict[str, Any]:
    """The shipped rules with the class taken out: its rule, its patterns in the job-context rule,
    and its places in combinations, masks and mitigations."""
    mine = next(rule for rule in document["rules"] if rule["id"] == CLASS)
    own = {pattern for patterns in mine["patterns"].values() for pattern in patterns}
    rules = []
    for rule in document["rules"]:
        if rule["id"] == CLASS:
            continue
        rule = dict(rule)
        if rule["id"] == "job_context":
            rule["patterns"] = {lang: [p for p in patterns if p not in own]
                                for lang, patterns in rule["patterns"].items()}
        for key in ("hides", "unless"):
            if key in rule:
                rule[key] = [member for member in rule[key] if member != CLASS]
        rules.append(rule)
    combinations = []
    for combination in document["combinations"]:
        combination = dict(combination)
        combination["all"] = [[member for member in part if member != CLASS]
                              if isinstance(part, list) else part for part in combination["all"]]
        combinations.append(combination)
    return {**document, "rules": rules, "combinations": combinations}


# The model's flags (a second opinion on the whole text, retrained whenever the corpus grows) may
# lift a line to high with or without the class: the class is measured on the rules alone.
MODEL_SIGNALS = (assess.SECOND_OPINION, assess.STRONG_OPINION, assess.ALONE_OPINION)


def _without_model(document: dict[str, Any]) -> dict[str, Any]:
    return {**document,
            "rules": [rule for rule in document["rules"] if rule.get("signal") not in MODEL_SIGNALS]}


@pytest.fixture(scope="module")
def old_rules() -> RuleSet:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return parse_rules(_without_class(document))


@pytest.fixture(scope="module")
def rules_alone() -> RuleSet:
    return parse_rules(_without_model(json.loads(RULES_PATH.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def old_rules_alone() -> RuleSet:
    document = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return parse_rules(_without_model(_without_class(document)))


LURES = [
    # DMW / POEA: payment remitted for the departure, visa or processing
    ("en", "Pay PHP 30,000 and I will send you to Japan as a caregiver."),
    ("en", "Just pay for your medical and visa and we will deploy you to Canada in 2 weeks."),
    ("tl", "Magbayad ka lang ng P40,000 at ide-deploy ka na sa Dubai sa loob ng isang buwan."),
    # Kemnaker: registration money taken, departure promised
    ("id", "Bayar Rp 15 juta langsung berangkat ke Taiwan, kerja di pabrik."),
    ("ms", "Bayar RM3,000 terus boleh berlepas ke Korea bulan depan untuk kerja kilang."),
    # DOLAB: money transferred 'để đi xuất khẩu lao động'
    ("vi", "Chỉ cần chuyển tiền để được đi xuất khẩu lao động Hàn Quốc trong tháng này."),
    ("vi", "Em chỉ cần nộp 50 triệu là được xuất cảnh sang Đài Loan trong tháng này."),
    # Thai Department of Employment: pay and you go; money collected on the claim of sending you
    ("th", "จ่าย 80,000 บาท ได้ไปทำงานเกษตรที่ออสเตรเลียแน่นอน"),
    ("th", "นายหน้าเรียกเก็บเงินโดยอ้างว่าจะส่งไปทำงานที่แคนาดา"),
    ("km", "បង់ប្រាក់ 3000 ដុល្លារ ដើម្បីបានទៅធ្វើការនៅប្រទេសកូរ៉េ"),
    ("lo", "ຈ່າຍເງິນ 20 ລ້ານກີບ ເພື່ອໄປເຮັດວຽກຢູ່ເກົາຫຼີ"),
    ("my", "ငွေ ၅ သိန်း ပေးရင် ဂျပန်ကို ပို့ပေးမယ်"),
    # Korean police: money for an overseas job or visa, '알선 명목으로'
    ("ko", "500만 원을 내면 호주 취업 비자를 받게 해 드립니다"),
    ("ko", "캐나다 취업을 알선해 주겠다며 800만 원을 받아 갔다"),
    # Chinese police: 交钱就能出国, 以出国务工为名收取
    ("zh_Hans", "只要交钱就能出国，去日本工厂上班，月薪两万。"),
    ("zh_Hant", "只要交錢就能出國，去日本工廠上班，月薪兩萬。"),
    ("zh_Hans", "他以出国务工为名收取三万元，说送去日本工作。"),
    # Indian police: 'विदेश भेजने के नाम पर', pay and we send you
    ("hi", "दो लाख रुपये जमा करो और हम तुम्हें दुबई भेज देंगे"),
]


@pytest.mark.parametrize(("lang", "text"), LURES)
def test_money_to_be_sent_abroad_is_read(lang: str, text: str, rules_alone: RuleSet,
                                         old_rules_alone: RuleSet) -> None:
    shipped = assess_text(text, lang=lang)
    assert CLASS in shipped.flag_ids, shipped.flag_ids
    assert shipped.risk in HIGH_OR_ABOVE, (shipped.risk, shipped.flag_ids)
    new = assess_text(text, lang=lang, rules=rules_alone)
    assert new.risk in HIGH_OR_ABOVE, (new.risk, new.flag_ids)
    old = assess_text(text, lang=lang, rules=old_rules_alone)
    # Since branch r-fee3 a plain sum paid for the job ("Bayar Rp 15 juta") is a fee by itself, so
    # without this class such a line may still be high, but through the fee rule only; since branch
    # r-band a job promised through a broker ("นายหน้า … อ้างว่าจะส่งไปทำงาน") is the bundle by itself.
    assert old.risk not in HIGH_OR_ABOVE or {"fees_or_deposit", "promise_with_lure_sign"} & set(
        old.flag_ids), (old.risk, old.flag_ids)


LAWFUL = [
    ("en", "EPS-TOPIK registration is open at the DMW. Applicants pay the test fee of USD 24 at the "
           "designated bank. Selected workers are deployed to Korea through HRD Korea."),
    ("en", "No placement fee shall be charged to workers deployed to Japan. Pay only at the "
           "registered office and ask for an official receipt."),
    ("vi", "Người lao động đi Hàn Quốc theo chương trình EPS nộp chi phí khoảng 630 USD, gồm vé máy "
           "bay và lệ phí visa, trực tiếp cho Trung tâm Lao động ngoài nước sau khi ký hợp đồng."),
    ("vi", "Người lao động chỉ nộp các khoản chi phí theo quy định sau khi ký hợp đồng, nộp trực tiếp "
           "cho doanh nghiệp có giấy phép và yêu cầu phiếu thu."),
    ("id", "Program G to G Korea: calon PMI membayar biaya ujian EPS-TOPIK Rp 370.000 dan "
           "diberangkatkan melalui BP2MI sesuai Perjanjian Kerja."),
    ("th", "ไปทำงานเกาหลีระบบ EPS ผ่านกรมการจัดหางาน ผู้สมัครจ่ายค่าสอบภาษาเกาหลีและค่าตรวจสุขภาพเองตามที่กฎหมายกำหนด"),
    ("zh_Hans", "赴日技能实习项目，正规外派企业，签订劳务合同后出国，费用按规定收取并开具发票。"),
    ("ko", "고용허가제 한국어능력시험 응시료는 본인이 부담하며, "
           "선발된 근로자는 한국산업인력공단을 통해 입국합니다."),
    ("tl", "Ang bayad para sa PDOS at medical ay ayon sa itinakda ng DMW; "
           "walang placement fee para sa Japan."),
    ("ms", "Pemohon membayar yuran pemeriksaan kesihatan RM 190 di klinik berdaftar "
           "sebelum permit kerja dikeluarkan."),
    ("lo", "ການໄປເຮັດວຽກເກົາຫຼີຜ່ານລະບົບ EPS ແມ່ນຜ່ານກະຊວງແຮງງານ ບໍ່ມີນາຍໜ້າ"),
    ("km", "ការងារនៅកូរ៉េតាមប្រព័ន្ធ EPS ត្រូវចុះឈ្មោះតាមក្រសួងការងារ មិនមានឈ្មួញកណ្ដាល"),
    ("hi", "ई-माइग्रेट पर पंजीकृत भर्ती एजेंट से ही संपर्क करें और हर भुगतान की रसीद लें।"),
]


@pytest.mark.parametrize(("lang", "text"), LAWFUL)
def test_lawful_costs_are_not_read_as_pay_and_go(lang: str, text: str, old_rules: RuleSet) -> None:
    new = assess_text(text, lang=lang)
    assert CLASS not in new.flag_ids, new.flag_ids
    old = assess_text(text, lang=lang, rules=old_rules)
    assert new.risk == old.risk, (old.risk, new.risk, new.flag_ids)
    assert new.risk not in HIGH_OR_ABOVE, (new.risk, new.flag_ids)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Job in Japan. No placement fee: you do not need to pay anything to be deployed."),
    ("tl", "Trabaho sa Japan, walang placement fee at walang processing fee."),
    ("vi", "Tuyển lao động đi Nhật, không thu phí môi giới và phí dịch vụ."),
])
def test_a_notice_that_nothing_is_charged_is_not_the_class(lang: str, text: str) -> None:
    assert CLASS not in assess_text(text, lang=lang).flag_ids

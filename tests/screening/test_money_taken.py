"""Amounts read for the right reason (issue 14, branch r-money).

Money collected from the person or handed over by them (收取, 交给, nộp, mentransfer, singil,
เรียกเก็บ, 받아 갔다, दिए, "paid", "pay the agency") is a fee, not pay: read as pay, it raised
`pay_far_above_market` and the explanation named the wrong reason ("the pay is far above what this
kind of job pays" for a sum the person paid). Real pay in the same languages, far above market where
the job is, must still be read and judged. The lines are written for these tests; none is a corpus
row.

A lawful trainee notice paying 月薪16萬日元 (160,000 yen a month, ordinary trainee pay in Japan) was
flagged by the Traditional-Chinese pattern for 月薪N萬 (written for Taiwan dollars); money.py reads the
yen and judges them against Japan's wage.
"""

from __future__ import annotations

import pytest

from screening.assess import assess_text
from screening.money import assess_pay, read_money, read_pay

TAKEN = [
    ("zh_Hans", "他以出国务工为名收取三万元，说送去日本工作。", "三万元"),
    ("zh_Hant", "他以出國務工為名收取三萬元，說送去日本工作。", "三萬元"),
    ("zh_Hans", "中介说去柬埔寨做客服，我把两万元交给了他。", "两万元"),
    ("en", "She handed Rs 400,000 to an agent who promised a job in Dubai.", "Rs 400,000"),
    ("en", "Job as a customer service agent in Bangkok; pay the recruitment agency 200,000 baht.",
     "200,000 baht"),
    ("en", "Workers were made to cough up fees of as much as USD 9000 each for jobs in Canada.",
     "USD 9000"),
    ("vi", "Anh ấy đã nộp 150 triệu đồng cho công ty để đi làm ở Nhật.", "150 triệu đồng"),
    ("vi", "Tổng chi phí đến chỗ làm ở Iceland gần 700 triệu đồng.", "700 triệu đồng"),
    ("id", "Para korban masing-masing mentransfer sekitar Rp 25 juta per orang ke perekrut.", "Rp 25 juta"),
    ("id", "Untuk bisa berangkat ke Korea ditarif Rp 65 juta hingga Rp 95 juta.",
     "Rp 65 juta hingga Rp 95 juta"),
    ("tl", "Siningil sila ng P80,000 para makaalis papuntang Japan.", "P80,000"),
    ("th", "นายหน้าเรียกเก็บ 80,000 บาท อ้างว่าจะส่งไปทำงานที่เกาหลี", "80,000 บาท"),
    ("ko", "캄보디아 취업을 알선해 주겠다며 800만 원을 받아 갔다.", "800만 원"),
    ("hi", "महिला ने एजेंट को 3 लाख रुपए दिए।", "3 लाख रुपए"),
    ("hi", "दुबई में नौकरी के लिए साढ़े तीन लाख रुपए देने होंगे।", "साढ़े तीन लाख रुपए"),
    # the verb at the end of the clause
    ("hi", "युवकों ने 5 लाख रुपये अलग-अलग दिनों में एजेंट के बैंक खाते में ट्रांसफर किए।", "5 लाख रुपये"),
    # a total right after fees adds up fees
    ("vi", "Tiền hồ sơ là 30 triệu, tiền vé máy bay là 5 triệu. Vậy là tổng cộng 80 triệu.", "80 triệu"),
    ("en", "The deposit was USD 500 and the visa fee USD 800, altogether USD 2,300.", "USD 2,300"),
]


@pytest.mark.parametrize(("lang", "text", "amount"), TAKEN)
def test_money_taken_is_a_fee_not_pay(lang: str, text: str, amount: str) -> None:
    read = [money for money in read_money(text, language=lang) if money.text == amount]
    assert read, read_money(text, language=lang)
    assert all(money.kind == "fee" for money in read), read
    assert read_pay(text, language=lang) == []
    assert "pay_far_above_market" not in assess_text(text, lang=lang).flag_ids


PAID = [
    # the lures' own pay, far above what the work pays where it is
    ("zh_Hans", "柬埔寨西港招聘客服，月薪3万元，包吃住，不需要经验。", "3万元"),
    ("zh_Hant", "柬埔寨招聘客服，月薪15萬台幣，包吃住。", "15萬台幣"),
    ("en", "Customer service job in Cambodia, salary $3,000 a month, free flight.", "$3,000 a month"),
    ("vi", "Tuyển nhân viên làm việc ở Campuchia, lương 40 triệu đồng/tháng, bao ăn ở.",
     "40 triệu đồng/tháng"),
    ("id", "Lowongan di Kamboja, gaji Rp 25 juta per bulan, tiket pesawat gratis.", "Rp 25 juta per bulan"),
    ("ms", "Kerja di Kemboja dengan bayaran lumayan sebanyak RM15,000 sebulan.", "RM15,000 sebulan"),
    ("tl", "Chat support sa Cambodia, sahod na ₱80,000 kada buwan.", "₱80,000 kada buwan"),
    ("th", "งานแอดมินที่กัมพูชา เงินเดือน 60,000 บาท ต่อเดือน ไม่ต้องมีประสบการณ์", "60,000 บาท ต่อเดือน"),
    ("ko", "캄보디아 해외 취업: 월 1000만 원 보장, 숙소 제공.", "1000만 원"),
    ("hi", "कंबोडिया में डेटा एंट्री की नौकरी, वेतन 2 लाख रुपये प्रति माह।", "2 लाख रुपये प्रति माह"),
    # pay and a fee in one offer: each read for what it is
    ("zh_Hans", "柬埔寨客服月薪3万元，先交押金5000元。", "3万元"),
    ("vi", "Đi Campuchia lương 40 triệu/tháng, chỉ cần nộp phí 5 triệu.", "40 triệu/tháng"),
]


@pytest.mark.parametrize(("lang", "text", "amount"), PAID)
def test_pay_far_above_market_is_still_read(lang: str, text: str, amount: str) -> None:
    assert [pay.text for pay in read_pay(text, language=lang)][:1] == [amount]
    verdict = assess_pay(text, language=lang)
    assert verdict is not None and verdict.far_above, verdict
    assert verdict.country == "KH", verdict
    assert "pay_far_above_market" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize("text", [
    "經商務部批准的對外勞務合作企業招聘赴日本技能實習生，月薪16萬日元，包住宿，依法簽約。",
    "日本技能實習生招募，月薪16萬円，包住宿。",
    "日本工廠技能實習，月入18萬日圓，合法派遣。",
])
def test_yen_pay_in_japan_is_judged_against_japan(text: str) -> None:
    verdict = assess_pay(text, language="zh_Hant")
    assert verdict is not None and verdict.country == "JP" and verdict.pay.currency == "JPY", verdict
    assert not verdict.far_above and verdict.ordinary, verdict
    assert "pay_far_above_market" not in assess_text(text, lang="zh_Hant").flag_ids


def test_taiwan_dollars_far_above_market_are_still_flagged() -> None:
    # the same pattern, written for Taiwan dollars, still fires on them
    assessment = assess_text("柬埔寨高薪招聘，月薪16萬，包吃包住，免經驗。", lang="zh_Hant")
    assert "pay_far_above_market" in assessment.flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Quy định: số khách tối thiểu 15 người/tháng. Doanh số bán hàng 50.000.000đ/tháng."),
    ("en", "Sales executive in Manila. Monthly sales target PHP 500,000 per month."),
    ("zh_Hans", "销售岗位要求：每月业绩30万元。"),
])
def test_a_sales_target_is_not_pay(lang: str, text: str) -> None:
    assert read_pay(text, language=lang) == []
    assert assess_pay(text, language=lang) is None


def test_pay_stated_before_a_sales_target_is_still_pay() -> None:
    text = "Đi Campuchia làm sale, lương cứng 40 triệu đồng/tháng, doanh số không bắt buộc."
    assert [pay.text for pay in read_pay(text, language="vi")] == ["40 triệu đồng/tháng"]
    verdict = assess_pay(text, language="vi")
    assert verdict is not None and verdict.far_above and verdict.country == "KH", verdict


# An amount's equivalent in brackets right after it is the same sum (issue 14, branch r-legit6): the
# press converts a deposit or a fee into dollars, and the dollar figure was read as pay (Viet Nam's
# refundable EPS deposit, "VND100 million (nearly US$5,000)", was judged as US$5,000 of pay in Korea).
CONVERTED = [
    ("en", "Selected workers under the EPS must deposit VND100 million (nearly US$5,000) prior to "
           "their departure for Korea.", "US$5,000", "fee"),
    ("en", "She paid a placement fee of Rs 2 lakh (about $2,400) for a job in Dubai.", "$2,400", "fee"),
    ("vi", "Người lao động đi Hàn Quốc nộp phí 100 triệu đồng (khoảng 4.000 USD).", "4.000 USD", "fee"),
    ("zh_Hans", "赴日本务工，中介费3万元(约合4000美元)。", "4000美元", "fee"),
    # pay stays pay, in either order
    ("en", "EPS workers in Korea earn 2,100,000 won (about US$1,500) a month.", "US$1,500", "pay"),
    ("id", "Gaji di Korea Rp 25 juta (sekitar US$1.600) per bulan.", "US$1.600", "pay"),
]


@pytest.mark.parametrize(("lang", "text", "amount", "kind"), CONVERTED)
def test_an_amount_in_brackets_after_another_is_the_same_sum(lang: str, text: str, amount: str,
                                                           kind: str) -> None:
    read = [money for money in read_money(text, language=lang) if money.text == amount]
    assert read, read_money(text, language=lang)
    assert [money.kind for money in read] == [kind]


def test_an_amount_in_brackets_after_a_clause_break_is_read_for_itself() -> None:
    # A bracket that opens a new statement is not a conversion: the pay after a fee stays pay.
    text = "Processing fee PHP 5,000. (Salary: USD 1,200 a month.)"
    kinds = {money.text: money.kind for money in read_money(text, language="en")}
    assert kinds.get("USD 1,200 a month") == "pay", kinds

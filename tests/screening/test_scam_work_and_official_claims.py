"""The scam work described plainly, and impersonated official channels (issue 14, branch r-work).

Each class is the vocabulary recruiters, victims and the news use for it, from the sources in
screening/data/SOURCES.md ("The scam work itself, and official claims"); the lines here are
written for this test from the class, none is a corpus row. Each class also has ordinary lines
that must not be caught with it.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text

HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


# Work that is fraud by its own words: enough without a job offer around it.
@pytest.mark.parametrize(("lang", "text"), [
    ("en", "They hired him to work as a scammer, he said."),
    ("en", "Your task: befriend lonely men online and build trust before the investment talk."),
    ("en", "Find new clients on dating apps and chat with them every day."),
    ("zh_Hans", "他在那边做狗推"),
    ("zh_Hans", "在交友软件上找客户聊天，每天有业绩"),
    ("zh_Hant", "他在那邊做狗推"),
    ("zh_Hant", "在交友軟體上找客戶聊天"),
    ("vi", "Nó làm việc cho công ty lừa đảo qua mạng"),
    ("vi", "Công việc là lừa đảo kiểu mổ lợn qua tin nhắn"),
    ("th", "ไปทำงานให้แก๊งหลอกลวงที่ชายแดน"),
    ("th", "งานคือหาลูกค้าจากแอปหาคู่"),
    ("id", "Ada loker jadi scammer, gaji dolar"),
    ("id", "Tugasnya cari klien di aplikasi kencan"),
    ("ms", "Dia ditawarkan jawatan sebagai penipu"),
    ("tl", "Trabaho bilang scammer ang inalok sa kanya"),
    ("ko", "스캠 조직에서 일하게 된다"),
    ("ko", "데이팅 앱에서 고객 유치하는 일"),
    ("hi", "वहाँ विदेशियों को ठगने का काम करना होगा"),
    ("km", "គេឱ្យទៅធ្វើការឱ្យក្រុមហ៊ុនបោកប្រាស់"),
    ("lo", "ໄປເຮັດວຽກໃຫ້ບໍລິສັດຫຼອກລວງ"),
    ("my", "အွန်လိုင်းလိမ်ကုမ္ပဏီမှာအလုပ်လုပ်ရမယ်"),
])
def test_the_fraud_work_in_plain_words_is_read(lang: str, text: str) -> None:
    assert "fraud_work_described" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "他去柬埔寨工作，做狗推"),
    ("th", "ไปทำงานให้แก๊งหลอกลวงที่ปอยเปต"),
    ("ko", "캄보디아 스캠 조직에서 일하게 된다"),
])
def test_the_fraud_work_in_a_compound_country_is_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "fraud_work_described" in assessment.flag_ids
    assert assessment.risk in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "肉联厂招聘杀猪工，月薪六千"),                 # slaughtering pigs, not 杀猪盘
    ("vi", "Tuyển thợ mổ lợn tại lò mổ, lương 9 triệu"),      # the same in Vietnamese
    ("vi", "Tuyển nhân viên bán hàng online, chốt đơn, lương 8 triệu"),  # sales jargon
    ("id", "Jual akun game murah"),                            # selling game accounts
    ("en", "Find new clients on LinkedIn and grow your network"),
    ("en", "Beware of romance scams: never send money to someone you met online."),
    ("en", "Romance scams target lonely women; scammers groom victims for weeks."),
    ("en", "I met people on dating apps when I moved to Bangkok."),
    ("zh_Hans", "我在探探上找对象"),
    ("vi", "Làm quen người mới qua app hẹn hò"),
    ("id", "Kenalan dengan pria di aplikasi kencan"),
    ("ko", "데이팅 앱 신규 회원 모집 이벤트"),
])
def test_ordinary_words_near_the_class_are_not_fraud_work(lang: str, text: str) -> None:
    assert "fraud_work_described" not in assess_text(text, lang=lang).flag_ids


# Work words that describe the compound's work only inside a job offer: vague work (weight 2).
@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Hiring betting promoters for our team"),
    ("en", "Chatting job with daily targets, apply now"),
    ("zh_Hans", "招聘网投专员"),
    ("zh_Hans", "招聘交易所推广"),
    ("zh_Hant", "誠徵網投專員"),
    ("vi", "Tuyển nhân viên nhắn tin làm quen với người nước ngoài"),
    ("th", "รับสมัครพนักงาน แชทกับชาวต่างชาติ"),
    ("id", "Dicari staf untuk chat dengan orang asing, gaji 10 juta"),
    ("ms", "Kerja sembang dengan warga asing, gaji bulanan"),
    ("tl", "Hiring: maghanap ng clients sa social media"),
    ("ko", "직원 모집: 해외 고객과 대화"),
    ("hi", "नौकरी: विदेशियों से चैट करना"),
    ("km", "ជ្រើសរើសបុគ្គលិក រកអតិថិជនតាមហ្វេសប៊ុក"),
    ("lo", "ຮັບສະໝັກພະນັກງານ ຫາລູກຄ້າທາງເຟສບຸກ"),
    ("my", "ဝန်ထမ်းခေါ်သည် ဖေ့စ်ဘွတ်မှာ ဖောက်သည်ရှာရမယ်"),
])
def test_the_compounds_work_in_a_job_offer_is_read(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "I chat with foreigners at the hostel every evening."),
    ("zh_Hans", "我在抖音上加好友聊天"),
    ("ko", "외국인과 채팅하면서 영어를 배웠어요"),
])
def test_the_same_words_outside_a_job_offer_are_not_flagged(lang: str, text: str) -> None:
    assert assess_text(text, lang=lang).flag_ids == []


# A claim of official status for a job in a compound country, or on a tourist visa.
@pytest.mark.parametrize(("lang", "text"), [
    ("en", "100% legal job with work permit in Myawaddy, apply now"),
    ("vi", "Việc làm hợp pháp 100% tại Campuchia, tuyển nhân viên"),
    ("th", "งานถูกกฎหมาย 100% ที่เมียวดี รับสมัครพนักงาน"),
    ("ko", "캄보디아 취업, 정부 인증, 직원 모집"),
    ("hi", "कंबोडिया में नौकरी, दूतावास द्वारा प्रमाणित"),
    ("lo", "ວຽກຢູ່ບໍ່ແກ້ວ ລັດຖະບານຮັບຮອງ ເງິນເດືອນດີ"),
    ("my", "မြဝတီမှာ အလုပ် အစိုးရက ခွင့်ပြုထားတယ် လစာကောင်း"),
    ("zh_Hans", "大使馆认证，去柬埔寨西港工作"),
    ("zh_Hant", "大使館認證，去柬埔寨西港工作"),
    ("id", "Lowongan resmi kerja di Kamboja"),
    ("ms", "Kerja di Kemboja diluluskan oleh kerajaan"),
    ("tl", "Trabaho sa Cambodia, aprubado ng embahada"),
    ("km", "ការងារនៅប៉ោយប៉ែត រដ្ឋាភិបាលទទួលស្គាល់"),
])
def test_an_official_claim_for_a_job_in_a_compound_country_is_read(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "official_claim_in_compound_country" in assessment.flag_ids
    assert assessment.risk in HIGH


def test_an_official_claim_with_a_tourist_visa_is_high() -> None:
    text = ("Approved by the embassy. You will travel on a tourist visa and the company converts it "
            "later. Hiring now.")
    assessment = assess_text(text, lang="en")
    assert "official_claim_on_tourist_visa" in assessment.flag_ids
    assert assessment.risk in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # A named authority beside a compound country is how legal notices read (the Cambodian
    # ministry sending workers to Korea): only the claim counts, not the name.
    ("km", "ក្រសួងការងារ ជ្រើសរើសពលករទៅធ្វើការនៅកូរ៉េ"),
    ("en", "Government programme for nurses to Germany, apply through DMW"),
    ("ms", "Program kerajaan untuk belia menganggur, daftar di JobsMalaysia"),
    ("ko", "정부 지원 사업으로 청년 일자리 모집, 서울 근무"),
])
def test_an_official_programme_for_ordinary_work_is_not_flagged_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    claims = {"official_claim_in_compound_country", "official_claim_on_tourist_visa"}
    assert not claims & set(assessment.flag_ids)
    assert assessment.risk not in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    # Licensed agencies name the body that licensed them; a state project hires openly. Whatever
    # else these lines score (the place and the pay), the claim combinations are not theirs.
    ("zh_Hans", "经商务部批准的对外劳务合作企业，招聘赴老挝工程师"),
    ("zh_Hans", "老挝政府项目招聘工程师，月薪一万"),
    ("tl", "Hiring: accredited ng POEA, trabaho sa Cambodia bilang engineer"),
])
def test_a_licensing_body_or_a_state_project_is_not_the_claim(lang: str, text: str) -> None:
    claims = {"official_claim_in_compound_country", "official_claim_on_tourist_visa"}
    assert not claims & set(assess_text(text, lang=lang).flag_ids)

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
    # Korean: pay bragged as guaranteed, doubled, in the hundred-millions; easy money
    ("ko", "pay_far_above_market", "해외 상담원 모집, 높은 급여 보장, 연봉 두 배"),
    ("ko", "pay_far_above_market", "억대 연봉 가능한 꿀 직장 모집합니다"),
    ("ko", "pay_far_above_market", "직원 모집: 편하게 돈 법니다"),
    # easy work; no language asked; a computer is all you need; customers are Koreans
    ("ko", "vague_job_language_skills", "직원 모집, 쉽고 편한 일"),
    ("ko", "vague_job_language_skills", "해외 근무 직원 모집, 영어 몰라도 됩니다"),
    ("ko", "vague_job_language_skills", "직원 모집: 컴퓨터만 할 줄 알면 누구나"),
    ("ko", "vague_job_language_skills", "직원 모집, 한국 고객 대상 업무"),
    # lodging with the subject particle, lodging and a car, living costs, a visa at once
    ("ko", "perks_bundle", "직원 모집, 숙소가 무료로 제공됩니다"),
    ("ko", "perks_bundle", "직원 모집, 숙소·차량 제공"),
    ("ko", "perks_bundle", "직원 모집, 기초생활비 지원"),
    ("ko", "perks_bundle", "직원 모집, 비자 즉시 발급"),
    ("ko", "perks_bundle", "직원 모집, 영주권까지 연계해 드립니다"),
    # the fare paid in advance
    ("ko", "employer_pays_flight", "직원 모집, 항공권 선지급"),
    # signed the same day, next week's flight, passport in hand and go
    ("ko", "urgency_secrecy", "직원 모집, 당일 계약 가능"),
    ("ko", "urgency_secrecy", "직원 모집, 다음 주 비행기 예약"),
    ("ko", "urgency_secrecy", "직원 모집, 여권이 있으시고 곧바로 오실 수 있는 분"),
    # no video interview, hired the same day
    ("ko", "chat_only_interview", "직원 모집, 대면 면접 불필요"),
    ("ko", "chat_only_interview", "직원 모집, 당일 합격 가능"),
    # other messengers, DMs
    ("ko", "messaging_app_only", "직원 모집, 위챗으로 연락 주세요"),
    ("ko", "messaging_app_only", "직원 모집, 자세한 건 DM 주세요"),
    # the company's address and registration withheld
    ("ko", "unverifiable_company", "직원 모집, 회사 주소 미공개"),
    # collecting cash: the phishing courier
    ("ko", "fraud_work_described", "고액 알바, 현금 수거 업무"),
    ("ko", "fraud_work_described", "간단한 서류 전달 알바 모집"),
    # a job offered as bait, as news tells it
    ("ko", "job_offer_as_bait", "고수익 일자리를 미끼로 청년들을 모집했다"),
    ("ko", "job_offer_as_bait", "조직은 취업을 빌미로 돈을 받았다"),
    ("ko", "job_offer_as_bait", "일자리를 주겠다며 속여 캄보디아로 유인했다"),
    # "abroad" as a place, with board and lodging: the combination
    ("ko", "abroad_perks_unlicensed", "외국에서 일할 직원 모집, 숙식 제공"),
    # Thai: "good money", several times Thai pay, rich fast
    ("th", "pay_far_above_market", "รับสมัครพนักงาน ได้เงินดี"),
    ("th", "pay_far_above_market", "รับสมัครพนักงาน ค่าจ้างมากกว่าที่ไทย 3 เท่า"),
    ("th", "pay_far_above_market", "รับสมัครพนักงาน รวยไว"),
    # no skill asked; beginners; the spellings people use (คาซิโน, คอลเซนเตอร์, แอ๊ดมิน, คริปโท)
    ("th", "vague_job_language_skills", "รับสมัครพนักงาน ไม่ต้องใช้ทักษะ"),
    ("th", "vague_job_language_skills", "รับสมัครพนักงาน มือใหม่ก็ทำได้"),
    ("th", "vague_job_language_skills", "รับสมัครพนักงานคาซิโน"),
    ("th", "vague_job_language_skills", "รับสมัครพนักงานคอลเซนเตอร์"),
    # the visa and passport paid, in both spellings of วีซ่า/วีซา
    ("th", "perks_bundle", "รับสมัครพนักงาน ฟรีวีซา"),
    ("th", "perks_bundle", "รับสมัครพนักงาน ออกค่าพาสปอร์ตให้"),
    ("th", "perks_bundle", "รับสมัครพนักงาน ค่าที่พักบริษัทออก"),
    # a free return ticket; the fare advanced
    ("th", "employer_pays_flight", "รับสมัครพนักงาน ตั๋วไปกลับฟรี"),
    ("th", "employer_pays_flight", "รับสมัครพนักงาน บริษัทสำรองจ่ายค่าตั๋ว"),
    # fly right away, passport in hand
    ("th", "urgency_secrecy", "รับสมัครพนักงาน มีพาสปอร์ตแล้วบินได้เลย"),
    ("th", "urgency_secrecy", "รับสมัครพนักงาน พร้อมบิน"),
    # sent to work for sure
    ("th", "chat_only_interview", "รับสมัครพนักงาน ส่งไปทำงานได้แน่นอน"),
    # other spellings and apps
    ("th", "messaging_app_only", "รับสมัครพนักงาน แอดเทลิแกรม"),
    ("th", "messaging_app_only", "รับสมัครพนักงาน ทักวอทส์แอป"),
    ("th", "passport_requested_early", "รับสมัครพนักงาน ส่งรูปพาสปอร์ทมาก่อน"),
    ("th", "tourist_visa_for_work", "รับสมัครพนักงาน เข้าด้วยวีซานักท่องเที่ยว"),
    ("th", "no_contract", "รับสมัครพนักงาน ไม่ต้องทำสัญญา"),
    # the job as bait, as the Department of Employment and Thai news word it
    ("th", "job_offer_as_bait", "มิจฉาชีพหลอกให้ไปทำงานที่ชายแดน"),
    ("th", "job_offer_as_bait", "โฆษณาชักชวนคนไปทำงาน โดยอ้างว่ามีค่าตอบแทนสูง"),
    # "abroad" in its other words, with board and lodging: the combination
    ("th", "abroad_perks_unlicensed", "รับสมัครพนักงานไปทำงานต่างแดน ที่พักฟรี อาหารฟรี"),
    # Hindi: good money, high or attractive pay, in Devanagari and in Latin-script Hinglish
    ("hi", "pay_far_above_market", "दुबई में नौकरी, अच्छा पैसा कमाने का मौका"),
    ("hi", "pay_far_above_market", "विदेश में नौकरी, उच्च वेतन"),
    ("hi", "pay_far_above_market", "होटल में नौकरी, अच्छी सैलरी"),
    ("hi", "pay_far_above_market", "Dubai job, achhi salary, jaldi contact karo"),
    ("hi", "pay_far_above_market", "Videsh me job, lakhon kamao"),
    # no schooling or experience asked; freshers; easy work
    ("hi", "vague_job_language_skills", "नौकरी: पढ़ाई की जरूरत नहीं"),
    ("hi", "vague_job_language_skills", "नौकरी: फ्रेशर भी चलेगा"),
    ("hi", "vague_job_language_skills", "तकनीकी सहायता की नौकरी"),
    ("hi", "vague_job_language_skills", "Job hai, qualification ki jaroorat nahi"),
    ("hi", "vague_job_language_skills", "Thailand me asaan naukri"),
    # the visa and ticket free, board free, in both spellings (फ्री/फ़्री, टिकट/टिकिट)
    ("hi", "perks_bundle", "नौकरी: वीजा टिकट फ्री"),
    ("hi", "perks_bundle", "नौकरी: खाना-पीना फ्री"),
    ("hi", "perks_bundle", "Job hai, free rehna"),
    ("hi", "perks_bundle", "Job hai, rahna khana free"),
    ("hi", "employer_pays_flight", "नौकरी: फ्री टिकिट"),
    ("hi", "employer_pays_flight", "Job hai, tikit ka paisa company dega"),
    # few seats, leave at once
    ("hi", "urgency_secrecy", "नौकरी: सिर्फ 5 सीट बची हैं"),
    ("hi", "urgency_secrecy", "Job hai, turant joining"),
    # the job "certain"
    ("hi", "chat_only_interview", "नौकरी पक्की, बस आ जाओ"),
    ("hi", "chat_only_interview", "Malaysia job, visa pakka"),
    ("hi", "messaging_app_only", "Job hai, telegram per sampark karo"),
    ("hi", "tourist_visa_for_work", "नौकरी: विजिटिंग वीजा पर जाना है"),
    ("hi", "no_contract", "Job hai, contract ki jarurat nahi"),
    ("hi", "compound_destination", "पोइपेत में नौकरी"),
    ("hi", "job_offer_as_bait", "Agent ne naukri ka jhansa dekar paise liye"),
    # only a passport is needed: no work visa (the class Thai had: ใช้แค่พาสปอร์ตอย่างเดียว)
    ("ko", "tourist_visa_for_work", "직원 모집, 여권만 있으면 됩니다"),
    ("zh_Hans", "tourist_visa_for_work", "招聘客服，只要有护照就能去"),
    ("zh_Hant", "tourist_visa_for_work", "招聘客服，只需護照即可"),
    ("hi", "tourist_visa_for_work", "नौकरी: सिर्फ पासपोर्ट चाहिए"),
    ("hi", "tourist_visa_for_work", "Job hai, sirf passport chahiye"),
    # Chinese: the police formula 谎称 with a visa or going abroad; a job "guaranteed"
    ("zh_Hans", "job_offer_as_bait", "朱某谎称能办理劳务签证，骗取钱财"),
    ("zh_Hant", "job_offer_as_bait", "對方佯稱可以辦理簽證。工作是月薪制"),
    ("zh_Hans", "chat_only_interview", "招聘学员，保证就业"),
    ("zh_Hant", "chat_only_interview", "招聘學員，代辦公司必會協助獲得工作"),
]

# (language, rule id, line): an ordinary line with the same words must not find the rule.
NOT_FOUND = [
    ("zh_Hans", "abroad_perks_unlicensed", "招聘护士，负责境外输入病例的隔离观察，包吃包住"),
    ("zh_Hans", "pay_far_above_market", "招聘会计，待遇面议，五险一金"),
    ("zh_Hans", "urgency_secrecy", "招聘司机，随时欢迎来电咨询"),
    ("zh_Hant", "employer_pays_flight", "招聘會計，負責機票報價與訂位"),
    ("ko", "vague_job_language_skills", "직원 모집, 편의점 업무, 주 5일 근무"),
    ("ko", "vague_job_language_skills", "직원 모집, 근무 중 불편한 일이 없도록 돕습니다"),
    ("ko", "abroad_perks_unlicensed", "외국인 근로자 모집, 숙식 제공"),
    ("ko", "abroad_perks_unlicensed", "외국계 항공사 지상직 모집, 숙식 제공"),
    ("ko", "urgency_secrecy", "직원 모집, 즉시 출근 가능자 우대"),
    ("th", "job_offer_as_bait", "รับสมัครพนักงานบัญชี ผู้สมัครอ้างอิงเอกสารได้"),
    ("th", "urgency_secrecy", "รับสมัครพนักงานขาย เริ่มงานเดือนหน้า"),
    ("hi", "chat_only_interview", "नौकरी: पक्की सड़क के पास दफ्तर"),
    ("hi", "urgency_secrecy", "नौकरी: 5 पदों के लिए आवेदन करें"),
    ("zh_Hans", "tourist_visa_for_work", "招聘导游，需持有效护照和签证"),
]


@pytest.mark.parametrize(("lang", "rule_id", "text"), FOUND)
def test_the_vocabulary_is_read(lang: str, rule_id: str, text: str) -> None:
    assert rule_id in _flags(text, lang)


@pytest.mark.parametrize(("lang", "rule_id", "text"), NOT_FOUND)
def test_ordinary_wording_is_not_read(lang: str, rule_id: str, text: str) -> None:
    assert rule_id not in _flags(text, lang)

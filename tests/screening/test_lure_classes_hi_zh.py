"""Lure classes read in Hindi and Chinese (issue 14, branch w-rules-a): a job offer narrated as
bait, and passports taken written the ways news and victims write it.

The lines are written for this test from the class (screening/data/SOURCES.md, "Classes of the
Hindi and Chinese lures"), not copied from a corpus row.
"""

from __future__ import annotations

import pytest

from screening.assess import RiskLevel, assess_text
from screening.money import read_money, read_pay

HIGH = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


@pytest.mark.parametrize(("lang", "text"), [
    ("hi", "एजेंट ने विदेश में नौकरी का झांसा देकर युवकों को भेजा"),
    ("hi", "कंपनी में नौकरी दिलाने के नाम पर दोनों से पैसे लिए गए"),
    ("hi", "अच्छी कमाई का लालच देकर उन्हें विदेश में काम के लिए ले गए"),
    ("hi", "गिरोह युवाओं को विदेश में नौकरी का सपना दिखाकर ले जाता था"),
    ("zh_Hans", "犯罪团伙以高薪招聘为诱饵，把求职者带出国"),
    ("zh_Hans", "他们以介绍工作为名，将多人骗到缅北"),
    ("zh_Hans", "对方谎称国外有高薪工作，他被骗到了柬埔寨"),
    ("zh_Hant", "詐團以高薪工作為誘餌，將求職者騙到柬埔寨"),
    ("zh_Hant", "對方佯稱泰國有高薪工作，結果被騙到緬甸"),
    ("en", "Young men were lured with promises of well-paid jobs abroad"),
    ("en", "They were sent there on the pretext of employment in a call centre"),
    # Burmese (machine-written, least certain): "lured with the promise of a good job",
    # "deceived, saying they would find him a job".
    ("my", "ထိုင်းမှာ အလုပ်ကောင်းရမယ်ဆိုပြီး မက်လုံးပေးကာ ခေါ်သွားခဲ့သည်"),
    ("my", "အလုပ်ရှာပေးမယ်ဆိုပြီး လိမ်ညာ၍ နယ်စပ်ကို ခေါ်သွားသည်"),
])
def test_a_job_offer_narrated_as_bait_is_read(lang: str, text: str) -> None:
    assert "job_offer_as_bait" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # An ordinary ad or notice that names a job and money, or the company's own offer, says no
    # such thing.
    ("hi", "नौकरी के लिए आवेदन करें: डेटा एंट्री ऑपरेटर, वेतन 15 हजार रुपये, काम का समय 10 से 6"),
    ("hi", "सरकारी नौकरी का सपना पूरा करें: कोचिंग में प्रवेश शुरू"),
    ("zh_Hans", "招聘客服，以工作能力为主要考核标准，月薪5000元"),
    ("zh_Hant", "誠徵行政助理，以工作經驗為優先，月薪32000元"),
    ("en", "We are hiring: customer service agents, promises of growth, salary negotiable"),
    ("my", "ဂျပန်နိုင်ငံ အလုပ်သမား ခေါ်ယူမှု၊ လစာ ယန်း ၂၀၀၀၀၀၊ အလုပ်ရှာဖွေရေး ဌာန"),
])
def test_ordinary_job_wording_is_not_bait(lang: str, text: str) -> None:
    assert "job_offer_as_bait" not in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    ("hi", "नौकरी का झांसा देकर युवकों को विदेश भेजा, वहां पहुंचते ही उनके पासपोर्ट और मोबाइल छीन लिए गए"),
    ("zh_Hans", "他们以介绍工作为名把人带出国，到了以后护照被没收"),
    ("zh_Hant", "他們以高薪工作為誘餌把人帶出國，到了以後護照和手機都被收走"),
])
def test_bait_with_passports_taken_is_high(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert {"job_offer_as_bait", "passport_held_or_confined"} <= set(assessment.flag_ids)
    assert assessment.risk in HIGH


@pytest.mark.parametrize(("lang", "text"), [
    ("hi", "वहां पहुंचते ही उनके पासपोर्ट और वीजा छीन लिए गए"),
    ("hi", "कंपनी ने उनका पासपोर्ट अपने कब्जे में ले लिया"),
    ("hi", "एजेंट ने फोन और पासपोर्ट जब्त कर लिए"),
    ("zh_Hans", "一到园区，护照被没收了"),
    ("zh_Hans", "护照和手机都被收走了"),
    ("zh_Hans", "公司扣留了我们的护照"),
    ("zh_Hant", "一到園區，護照被沒收了"),
    ("zh_Hant", "公司扣留了我們的護照"),
])
def test_passports_taken_is_read(lang: str, text: str) -> None:
    assert "passport_held_or_confined" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # Handing a passport over for a visa application, or a passport and phone kept safe by their
    # owner, is not having them taken.
    ("hi", "वीजा के लिए पासपोर्ट और फोटो कार्यालय में जमा करें, पासपोर्ट 7 दिन में लौटा दिया जाएगा"),
    ("zh_Hans", "办理签证需提交护照和照片，护照办完后退还本人"),
    ("zh_Hans", "请随身携带护照和手机，注意保管好个人物品"),
    ("zh_Hant", "辦理簽證需提交護照和照片，護照辦完後退還本人"),
])
def test_passport_for_a_visa_is_not_taken(lang: str, text: str) -> None:
    assert "passport_held_or_confined" not in assess_text(text, lang=lang).flag_ids


def test_a_passport_confiscated_in_hindi_is_not_read_as_its_negation() -> None:
    # The Hindi negation used to blank every "पासपोर्ट जब्त " ("नहीं" was optional), so a passport
    # taken was read as a promise that it would not be.
    assert "passport_held_or_confined" in assess_text(
        "नौकरी के बाद वहां पहुंचते ही पासपोर्ट जब्त कर लिया गया", lang="hi").flag_ids
    for negation in ("नौकरी: कंपनी आपका पासपोर्ट जब्त नहीं करेगी", "नौकरी: आपका पासपोर्ट नहीं रखा जाएगा"):
        assert "passport_held_or_confined" not in assess_text(negation, lang="hi").flag_ids


@pytest.mark.parametrize("text", [
    "ကမ္ဘောဒီးယားမှာ အလုပ်ရှိတယ်၊ လစာ ဒေါ်လာ ၁၅၀၀",  # a job in Cambodia, pay US$1,500
    "လာအိုမှာ အလုပ်ခေါ်နေတယ်၊ ကွန်ပျူတာ စာရိုက်၊ အတွေ့အကြုံ မလိုပါ",  # hiring in Laos: typing, no experience
])
def test_a_job_in_a_country_in_burmese_is_a_destination(text: str) -> None:
    # "မှာ" (at, in) begins like "မှ" (from), which marks the country a journey starts from.
    assert "compound_destination" in assess_text(text, lang="my").flag_ids


def test_a_country_left_from_in_burmese_is_not_the_destination() -> None:
    text = "ကမ္ဘောဒီးယားမှ ပြန်လာတဲ့ အလုပ်သမားတွေ၊ ဂျပန်မှာ အလုပ်၊ လစာ ယန်း ၂၀၀၀၀၀"
    assert "compound_destination" not in assess_text(text, lang="my").flag_ids


@pytest.mark.parametrize(("text", "amount"), [
    ("वेतन चार लाख रुपये महीना", 400_000),
    ("हर महीने साढ़े चार लाख रुपये का वेतन मिलेगा", 450_000),
    ("सैलरी साढ़े 3 लाख रुपये प्रति माह", 350_000),
    ("पचास हजार रुपये महीना सैलरी", 50_000),
    ("दो सौ रुपये रोज की दिहाड़ी", 200),
])
def test_hindi_amounts_in_words_are_read(text: str, amount: int) -> None:
    assert [pay.amount for pay in read_pay(text, language="hi")] == [amount]


def test_hindi_number_words_inside_other_words_are_not_amounts() -> None:
    # "अनेक" (many) ends in "एक" (one), "दोनों" (both) starts with "दो" (two).
    assert read_pay("अनेक हजार लोग आए", language="hi") == []
    assert [found.amount for found in read_money("दोनों से 12 लाख रुपये लिए", language="hi")] == [1_200_000]


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "朋友介绍去柬埔寨上班，说工作很轻松"),
    ("zh_Hant", "朋友介紹去柬埔寨上班，說工作很輕鬆"),
    ("zh_Hans", "老乡带我们去缅甸打工"),
])
def test_a_friend_taking_you_there_is_read(lang: str, text: str) -> None:
    assessment = assess_text(text, lang=lang)
    assert "recruited_via_friend" in assessment.flag_ids
    assert assessment.risk in HIGH  # with the destination: destination_with_chat_recruiter


@pytest.mark.parametrize(("lang", "text"), [
    ("zh_Hans", "招聘打字员，工作很轻松，在家就能做"),
    ("zh_Hant", "徵打字員，工作非常簡單，在家就能做"),
    ("hi", "नौकरी: काम बहुत आसान है, बस टाइप करना होगा"),
])
def test_easy_work_with_a_word_between_is_read(lang: str, text: str) -> None:
    assert "vague_job_language_skills" in assess_text(text, lang=lang).flag_ids


@pytest.mark.parametrize(("lang", "text"), [
    # Saying what the work is, or that it is hard, is not promising easy work.
    ("zh_Hans", "招聘仓库管理员，工作很辛苦，需要三年经验，月薪6000元"),
    ("hi", "नौकरी: काम मेहनत का है, अनुभव जरूरी है, वेतन 18 हजार रुपये"),
])
def test_ordinary_descriptions_of_the_work_are_not_vague(lang: str, text: str) -> None:
    assert "vague_job_language_skills" not in assess_text(text, lang=lang).flag_ids

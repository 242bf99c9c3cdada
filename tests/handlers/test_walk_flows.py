"""Flows walked as a person would (branch t-walk): the answers found there that read wrong or
contradicted each other, each kept by a test."""

from __future__ import annotations

import pytest
from sqlmodel import select

from handlers import talk
from locales.i18n import get_translator, language_name
from storage.db import session_scope
from storage.housekeeping import DRAFT_TTL
from storage.models import TalkCase, TalkMessage, TalkStatus
from tests.handlers.conftest import Harness
from tests.handlers.test_check_contact import report_naming
from tests.handlers.test_report import conversation_of


def test_a_number_and_a_handle_typed_together_are_both_checked(harness: Harness) -> None:
    """"+855 96 555 1234 and @fastjob_hr" answered about the number only (the number was most of
    the text, so it was taken as the one contact typed), while the same two contacts inside a
    longer forwarded message were both answered."""
    report_naming(harness, "@fastjob_hr", reporter="a" * 64)
    person = harness.person()
    person.send("/contact")
    [short] = person.send("+855 96 555 1234 and @fastjob_hr")
    person.press("again")
    [longer] = person.send("Hi, for the job contact Mr Dara on +855 96 555 1234 or Telegram "
                           "@fastjob_hr")
    assert "<b>@fastjob_hr</b>: reported by 1 person" in short.text, short.text
    assert short.text == longer.text


def test_a_report_keeps_both_contacts_of_one_message(harness: Harness) -> None:
    person = harness.person()
    person.send("/report")
    person.press("k:contact")
    [listed] = person.send("+855 96 555 1234 @fastjob_hr")
    assert "+855 96 555 1234" in listed.text and "@fastjob_hr" in listed.text, listed.text
    contacts = conversation_of(harness, person)[2]["draft"]["contacts"]
    assert [(item["type"], item["value"]) for item in contacts] == [
        ("phone", "+855965551234"), ("telegram", "fastjob_hr")]


def test_they_took_my_passport_at_the_menu_is_answered_with_urgent_help(harness: Harness) -> None:
    """A short message at the menu saying the person is held was answered "Choose what you want
    to do, or paste a job offer to check it:" — cold, to someone who may be in danger now."""
    for user_id, locale, text in ((4301, "en", "They took my passport and I cannot leave"),
                                  (4302, "vi", "Họ lấy hộ chiếu của tôi, tôi không thể rời đi"),
                                  (4303, "km", "គេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ")):
        person = harness.person(user_id, language_code=locale)
        person.send("/menu")
        [reply] = person.send(text)
        assert conversation_of(harness, person)[:2] == ("help_now", "ask_who"), (locale, reply.text)
        assert [b.action for b in person.buttons()][:2] == ["who:self", "who:other"]
    person = harness.person(4304)
    person.send("/menu")
    person.send("hello there")
    assert conversation_of(harness, person)[:2] == ("menu", "idle")


def test_a_checked_text_saying_passports_are_taken_offers_urgent_help_first(harness: Harness) -> None:
    """/check of "I am in a building in Sihanoukville, they took my passport" answered only with
    advice for a job seeker (check the agency's licence, ask for a contract): the way to urgent
    help comes first now; an offer without that sign keeps its buttons."""
    person = harness.person()
    person.send("/check")
    person.send("I am in a building in Sihanoukville, they took my passport")
    assert [b.action for b in person.buttons()] == ["go:help_now", "report", "again", "menu"]
    assert person.buttons()[0].text == "🆘 I need help now"
    person.press("again")
    person.send("Hiring waiters in Bangkok, salary 2000 USD, free visa and flight, message us now")
    assert [b.action for b in person.buttons()] == ["report", "again", "menu"]


def test_privacy_names_the_conversations_with_our_team_which_stay_until_delete(
        harness: Harness) -> None:
    """/privacy listed everything stored but the messages of /talk, which stay after the
    conversation closes (only the chat's address is erased then) until /delete; the /delete
    question did not say it erases them either."""
    t = get_translator("en")
    person = harness.person()
    person.send("/talk")
    person.press(talk.START)
    person.send("They took my passport")
    person.press(talk.END)
    with session_scope(harness.engine) as db:
        [case] = db.exec(select(TalkCase)).all()
        assert case.status == TalkStatus.closed
        assert any(message.text == "They took my passport"
                   for message in db.exec(select(TalkMessage)).all())  # kept after closing
    [info] = person.send("/privacy")
    assert t.gettext("• If you write to a person from our team (/talk): what you write and send "
                     "there, so that they can read it and answer. It is kept after the "
                     "conversation closes, until you erase it here.") in info.text
    [question] = person.send("/delete")
    assert "your conversations with our team" in question.text
    person.press("erase:yes")
    with session_scope(harness.engine) as db:
        assert not db.exec(select(TalkMessage)).all()  # what the question promised


def test_the_contact_prompt_says_how_long_the_checked_contact_is_kept(harness: Harness) -> None:
    """"What you check is not stored." while the contact stays in the conversation (for "Report
    this contact") until housekeeping erases it: the prompt says so, with /privacy's hours."""
    person = harness.person()
    [prompt] = person.send("/contact")
    assert "not stored" not in prompt.text
    hours = int(DRAFT_TTL.total_seconds() // 3600)
    assert f"I erase it {hours} hours after your last message" in prompt.text
    person.send("+855 96 555 1234")
    assert conversation_of(harness, person)[2]["contacts"] == [
        {"type": "phone", "value": "+855965551234", "domain": None}]
    for locale in ("vi", "km", "my"):
        person = harness.person(4400 + len(locale), language_code=locale)
        [prompt] = person.send("/contact")
        assert get_translator(locale).ngettext(
            "What you check is not added to any report, and I erase it {n} hour after your last "
            "message.", "What you check is not added to any report, and I erase it {n} hours "
            "after your last message.", hours) in prompt.text
        assert "What you check" not in prompt.text


def test_a_link_found_in_the_story_is_shown_once_escaped(harness: Harness) -> None:
    """"I added the contacts in your text to the report: jobs-kh.example/apply?job=5&amp;team=cs":
    the link was escaped twice, so the person read "&amp;" where the summary said "&"."""
    person = harness.person()
    person.send("/report")
    person.press("k:job_offer")
    person.press("skip")
    [added, _question] = person.send(
        "They told me to apply at https://jobs-kh.example/apply?job=5&team=cs and pay 300 USD")
    assert "jobs-kh.example/apply?job=5&amp;team=cs." in added.text, added.text
    assert "&amp;amp;" not in added.text


def test_text_typed_at_the_last_report_steps_is_told_to_use_the_buttons(harness: Harness) -> None:
    """Typed text at the summary, the notify question and the consent was answered with the same
    question and no word, while the steps before said "Please choose one of the buttons."; the
    draft is kept either way."""
    t = get_translator("id")
    hint = t.gettext("Please choose one of the buttons below.")
    person = harness.person(language_code="id")
    person.send("/report")
    person.press("k:contact")
    person.send("@bad_recruiter1")
    person.press("done")
    person.press("skip")
    person.press("w:today")
    person.press("skip")
    for typed, then in (("negaranya Thailand", "ok"), ("ya", "no_notify"), ("oke", None)):
        replies = person.send(typed)
        assert replies[0].text == hint, (typed, replies[0].text)
        assert len(replies) == 2
        assert conversation_of(harness, person)[2]["draft"]["contacts"] == [
            {"type": "telegram", "value": "bad_recruiter1", "domain": None}]
        if then:
            person.press(then)


def test_a_number_named_again_in_the_story_on_whatsapp_is_listed_once(harness: Harness) -> None:
    """The number sent as a contact, then "on WhatsApp +855 96 555 1234" in the story, was added
    again ("I added the contacts in your text: +855 96 555 1234") and the summary listed it
    twice: one number, one contact."""
    person = harness.person()
    person.send("/report")
    person.press("k:contact")
    person.send("+855 96 555 1234")
    person.press("done")
    replies = person.send("He told me to message him on WhatsApp +855 96 555 1234 and pay a deposit")
    assert len(replies) == 1 and "I added the contacts" not in replies[0].text, replies[0].text
    person.press("done")
    person.press("skip")
    [summary] = person.press("skip")
    assert summary.text.count("+855 96 555 1234") == 1 + 1  # the contact, and the story
    assert conversation_of(harness, person)[2]["draft"]["contacts"] == [
        {"type": "phone", "value": "+855965551234", "domain": None}]


def test_a_message_in_another_language_with_none_chosen_is_offered_that_language(
        harness: Harness) -> None:
    """After /delete (or a first message without /start) nothing says which language the
    person reads: "Chào bạn, tôi cần giúp" from an English Telegram was answered with the English
    menu hint; /start would have offered Vietnamese. Once a language is chosen it is kept."""
    vi = get_translator("vi")
    person = harness.person(4501, language_code="en")
    person.send("/delete")
    person.press("erase:yes")
    [greeting] = person.send("Chào bạn, tôi cần giúp")
    assert vi.gettext("Shall we continue in {language}?", language="Tiếng Việt") in greeting.text
    person.press("keep")
    [menu] = person.send("/menu")
    assert menu.text == vi.gettext("What would you like to do?")
    [hint] = person.send("hello")  # chosen: an English word does not move it back
    assert hint.text == vi.gettext("Choose what you want to do, or paste a job offer to check it:")

    chosen = harness.person(4502, language_code="vi")
    chosen.send("/start")
    chosen.press("keep")
    chosen.press("skip")
    chosen.send("/language")
    chosen.press("lang:en")  # an English reader with Telegram in Vietnamese
    [kept] = chosen.send("Chào bạn")
    assert kept.text == "Choose what you want to do, or paste a job offer to check it:", kept.text


def test_report_buttons_and_questions_name_what_they_are_about(harness: Harness) -> None:
    """"📝 Report this contact" under two checked contacts reported both, and a romance scam's
    report asked "where is the recruiter?": the label says "these contacts" when there are
    several, the country question names the scammer unless the report is of a job offer."""
    t = get_translator("vi")
    person = harness.person(language_code="vi")
    person.send("/contact")
    person.send("+855 96 555 1234 @fastjob_hr")
    assert person.buttons()[0].text == t.gettext("📝 Report these contacts")
    person.press("again")
    person.send("@fastjob_hr")
    assert person.buttons()[0].text == t.gettext("📝 Report this contact")

    for kind, question in (
            ("romance_investment", "Which country did this happen in, or where is the scammer?"),
            ("contact", "Which country did this happen in, or where is the scammer?"),
            ("job_offer", "Which country did this happen in, or where is the recruiter?")):
        person.send("/report")
        person.press("k:" + kind)
        person.press("skip")
        person.press("skip")
        [asked] = person.press("w:today")
        assert asked.text == t.gettext(question), (kind, asked.text)


# "They took my passport", "I can't leave", "my son is locked in a compound in Myanmar", as a
# person types them at the menu, in each language (the held-person phrasings of
# screening/data/red_flags.json, `passport_held_or_confined`; sources in screening/data/SOURCES.md).
HELD_SAID = {
    "en": ("They took my passport", "I can't leave", "My son is locked in a compound in Myanmar"),
    "zh_Hans": ("他们拿走了我的护照", "我不能离开", "我儿子被关在缅甸的园区里"),
    "zh_Hant": ("他們拿走了我的護照", "我不能離開", "我兒子被關在緬甸的園區裡"),
    "hi": ("उन्होंने मेरा पासपोर्ट ले लिया", "मैं वहाँ से निकल नहीं सकता",
           "मेरा बेटा म्यांमार में कैद है"),
    "my": ("သူတို့ ကျွန်တော့် ပတ်စ်ပို့ကို ယူသွားတယ်", "ထွက်လို့ မရဘူး",
           "ကျွန်မသားကို ကွန်ပေါင်းထဲမှာ ပိတ်ထားတယ်"),
    "vi": ("Họ lấy hộ chiếu của tôi", "Tôi không thể rời đi",
           "Con trai tôi bị nhốt trong một khu ở Myanmar"),
    "id": ("Mereka mengambil paspor saya", "Saya tidak bisa keluar",
           "Anak saya dikurung di kompleks di Myanmar"),
    "ms": ("Mereka ambil pasport saya", "Saya tak boleh keluar",
           "Anak saya dikurung di kompaun di Myanmar"),
    "tl": ("Kinuha nila ang passport ko", "Hindi ako makaalis",
           "Nakakulong ang anak ko sa compound sa Myanmar"),
    "th": ("พวกเขายึดพาสปอร์ตของฉัน", "ฉันออกไปไม่ได้", "ลูกชายฉันถูกขังอยู่ในตึกที่พม่า"),
    "km": ("ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ", "ខ្ញុំមិនអាចចេញបានទេ", "កូនប្រុសខ្ញុំត្រូវគេឃុំនៅមីយ៉ាន់ម៉ា"),
    "lo": ("ພວກເຂົາເອົາໜັງສືຜ່ານແດນຂອງຂ້ອຍໄປ", "ຂ້ອຍອອກບໍ່ໄດ້", "ລູກຊາຍຂ້ອຍຖືກກັກຂັງຢູ່ມຽນມາ"),
    "ko": ("그들이 내 여권을 가져갔어요", "나갈 수 없어요", "아들이 미얀마 단지에 갇혀 있어요"),
}


@pytest.mark.parametrize("locale", sorted(HELD_SAID))
def test_someone_held_is_answered_with_urgent_help_in_every_language(
        harness: Harness, locale: str) -> None:
    """Burmese, Hindi and Chinese ("他们拿走了我的护照", "मेरा बेटा म्यांमार में कैद है") got the menu's
    hint; so did most languages for "I can't leave" or "my son is locked in"."""
    for n, text in enumerate(HELD_SAID[locale]):
        assert len(text) < 60  # a short message, not an offer to check
        person = harness.person(4800 + 10 * sorted(HELD_SAID).index(locale) + n, language_code=locale)
        person.send("/menu")
        [reply] = person.send(text)
        assert conversation_of(harness, person)[:2] == ("help_now", "ask_who"), (text, reply.text)


def test_chinese_lists_and_sentences_are_written_the_chinese_way(harness: Harness) -> None:
    """Walking in Traditional Chinese: "還沒有關於 @tw_job_hr, +886 912 345 678 的檢舉" (an English
    comma between the contacts, in the result and the report's summary) and "完成：已清除 10 項。
    其中包括 1 份檢舉。" (a space after 。). Chinese writes 、 between items, no space after 。."""
    person = harness.person(4901, language_code="zh-hant")
    person.send("/start")
    person.press("keep")
    person.press("cc:TW")
    person.send("/check")
    [result] = person.send("高薪誠聘客服專員，工作地點柬埔寨西港，月薪3000美元起，無需經驗，包吃包住，"
                           "公司報銷機票。有意者請聯繫Telegram @tw_job_hr 或 0912 345 678")
    assert "@tw_job_hr、+886 912 345 678" in result.text, result.text
    person.press("report")
    person.press("done")
    person.send("對方叫我先飛到曼谷，再有人接我去邊境。")
    person.press("done")
    person.press("w:week")
    [summary] = person.press("cc:KH")
    assert "@tw_job_hr、+886 912 345 678" in summary.text, summary.text
    person.press("ok")
    person.press("no_notify")
    person.press("agree")
    person.send("/delete")
    [done, _menu] = person.press("erase:yes")
    assert "。 " not in done.text and done.text.count("。") == 2, done.text


@pytest.mark.parametrize("locale", ["my", "zh_Hant", "hi"])
def test_someone_held_writing_before_choosing_a_language_gets_help_in_it(
        harness: Harness, locale: str) -> None:
    """Telegram has no Burmese: a Burmese person's Telegram is often in English. "My son is
    locked in a compound" in Burmese was answered with urgent help in English. Now in the
    language it was written in, which is offered; once confirmed, urgent help goes on in it."""
    t = get_translator(locale)
    person = harness.person(4950 + ["my", "zh_Hant", "hi"].index(locale), language_code="en")
    person.send("/menu")
    first, offered = person.send(HELD_SAID[locale][2])
    assert conversation_of(harness, person)[:2] == ("help_now", "ask_who")
    assert first.text == t.gettext(
        "You are not alone. Are you, or someone you know, in danger right now?"), first.text
    assert offered.text == t.gettext("Shall we continue in {language}?",
                                     language=language_name(locale))
    done, again = person.press("lang:" + locale)
    assert done.text == t.gettext("Done. I will write to you in {language}.",
                                  language=language_name(locale))
    assert again.text == first.text
    [who] = person.press("who:other")
    assert conversation_of(harness, person)[0] == "help_now"
    assert "Which country" not in who.text and who.text != first.text


@pytest.mark.parametrize("command", ["/close", "/end", "/stop", "/CLOSE"])
def test_a_person_typing_close_in_an_open_conversation_ends_it_as_the_button_does(
        harness: Harness, command: str) -> None:
    """/close (what staff type in their topic), /end or /stop from the person answered "I don't
    know that command" and left the conversation open; it is what the "End the conversation"
    button does."""
    t = get_translator("en")
    person = harness.person()
    person.send("/talk")
    person.press(talk.START)
    person.send("They took my passport")
    replies = person.send(command)
    ended = t.gettext("Conversation ended. Our team can no longer write to you. Write /talk any "
                      "time to start again.")
    assert replies[0].text == ended, [reply.text for reply in replies]
    with session_scope(harness.engine) as db:
        [case] = db.exec(select(TalkCase)).all()
        assert case.status == TalkStatus.closed
    # Closed: the next message is not for the team, and /close again means nothing.
    [unknown, *_] = person.send(command)
    assert "I don't know that command" in unknown.text


def test_close_typed_from_the_menu_with_a_conversation_open_ends_it(harness: Harness) -> None:
    """From the menu (/cancel) what the person writes still goes to the team while the
    conversation is open: /close ends it there too."""
    person = harness.person()
    person.send("/talk")
    person.press(talk.START)
    person.send("/cancel")
    [ended, *_] = person.send("/close")
    assert ended.text.startswith("Conversation ended."), ended.text
    with session_scope(harness.engine) as db:
        [case] = db.exec(select(TalkCase)).all()
        assert case.status == TalkStatus.closed


def test_cancel_in_an_open_conversation_says_it_stays_open(harness: Harness) -> None:
    """/cancel inside /talk answered "Stopped. Nothing from that step was kept", while the
    conversation stayed open and what the person had written was kept for the team. It goes
    back to the menu as before, and says the conversation is still open and how to end it."""
    t = get_translator("en")
    person = harness.person()
    person.send("/talk")
    person.press(talk.START)
    person.send("They took my passport")
    [menu_reply, *_] = person.send("/cancel")
    assert "Nothing from that step was kept" not in menu_reply.text
    assert menu_reply.text.startswith(t.gettext(
        "Back at the menu. Our conversation stays open: what you write still reaches our team. "
        "To end it, send /close.")), menu_reply.text
    assert conversation_of(harness, person)[0] == "menu"
    with session_scope(harness.engine) as db:
        [case] = db.exec(select(TalkCase)).all()
        assert case.status != TalkStatus.closed


def test_cancel_before_a_conversation_opens_keeps_its_usual_answer(harness: Harness) -> None:
    """At the consent question nothing is open yet: /cancel's usual answer is true there."""
    person = harness.person()
    person.send("/talk")
    [menu_reply, *_] = person.send("/cancel")
    assert "Nothing from that step was kept" in menu_reply.text, menu_reply.text

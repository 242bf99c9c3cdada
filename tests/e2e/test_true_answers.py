"""Issue 16: every answer true, complete and in the person's language — each item walked
end to end through the emulator (the real bot, long polling)."""

from __future__ import annotations

from sqlmodel import select

from bot.config import Settings
from emulator import Emulator
from handlers import check_offer, help_now, privacy
from handlers.agency_registries import agency_registries
from handlers.content import safety_cards
from handlers.countries import country_name
from locales.i18n import get_translator, language_name
from review.agencies import import_agencies, parse_agency_csv
from screening.advice import SUMMARY_LOW
from screening.assess import RiskLevel
from screening.hotlines import hotline_directory
from storage.db import create_db_engine, session_scope
from storage.indicators import lookup_indicator
from storage.models import Report, UserPrefs
from tests.e2e.conftest import BotAppFactory
from tests.e2e.test_offer_contact_report import (  # noqa: F401 (quick_chat_limiter: autouse)
    actions,
    plain,
    press,
    quick_chat_limiter,
    say,
    settle,
)


def _prefs_locales(settings: Settings) -> list[str | None]:
    engine = create_db_engine(settings.database_url)
    try:
        with session_scope(engine) as db:
            return [prefs.locale for prefs in db.exec(select(UserPrefs)).all()]
    finally:
        engine.dispose()


# --- item 2: a confirmed language sticks ------------------------------------------------------

VIETNAMESE = "Xin chào, tôi muốn kiểm tra một lời mời làm việc ở Campuchia."
KHMER = "សួស្តី ខ្ញុំចង់ពិនិត្យមើលការផ្តល់ការងារមួយនៅប្រទេសថៃ"


async def test_language_detected_from_text_and_confirmed_sticks(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings) -> None:
    await bot_app()
    for user_id, text, locale, telegram in ((16201, VIETNAMESE, "vi", "en"),
                                            (16202, KHMER, "km", "th")):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Lan", language_code=telegram)
        await say(person, "/start")
        [greeting] = await say(person, text)
        assert t.gettext("Shall we continue in {language}?",
                         language=language_name(locale)) in greeting.text
        [country] = await press(person, "keep")
        assert country.text == t.gettext(
            "Which country are you in now? It helps me show the right hotlines and read "
            "phone numbers. You can skip this.")
        [menu] = await press(person, "skip")
        assert menu.text == t.gettext("What would you like to do?")
        [invitation] = await say(person, "/check")
        assert plain(t.gettext("Or answer a few quick questions about the offer instead.")) \
            in invitation.text
    assert sorted(_prefs_locales(e2e_settings), key=str) == ["km", "vi"]
    assert not emulator.api_errors, emulator.api_errors


# --- item 1: questionnaire answers and pasted text are one assessment -------------------------

async def test_pasted_text_after_the_questions_keeps_the_answers(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    t = get_translator("en")
    person = emulator.user(16101, first_name="Mya", language_code="en")
    await say(person, "/check")
    await press(person, "quiz")
    for _ in range(20):  # "yes" to every question
        if "report" in actions(person.messages[-1]):
            break
        await press(person, "a:yes")
    quiz_result = person.messages[-1]
    assert quiz_result.text.startswith(plain(t.gettext(check_offer.RISK_HEADLINES[RiskLevel.VERY_HIGH])))
    quiz_flags = [line for line in quiz_result.text.splitlines() if line.startswith("• ")]

    [together] = await say(person, "Hi, this is the recruiter's message: we are hiring a cook for our "
                                   "hotel. Send your CV.")
    assert t.gettext("I read your message together with your answers to the questions.") \
        in together.text
    assert plain(t.gettext(check_offer.RISK_HEADLINES[RiskLevel.VERY_HIGH])) in together.text
    assert plain(t.gettext(check_offer.RISK_HEADLINES[RiskLevel.LOW])) not in together.text
    for flag in quiz_flags:
        assert flag in together.text
    assert not emulator.api_errors, emulator.api_errors


# --- item 3: a low result never contradicts itself --------------------------------------------

async def test_low_result_with_weak_signs_does_not_say_none_found(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    for user_id, locale in ((16301, "en"), (16302, "vi"), (16303, "th")):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Nok", language_code=locale)
        await say(person, "/check")
        # No country named: for a Vietnamese person a hotel in Chiang Mai with free board and no
        # licensed channel is a job abroad of that kind (abroad_perks_unlicensed), rated high.
        [result] = await say(person, "We are hiring a cook for our hotel by the beach. Free "
                                     "accommodation and meals. Send your CV.")
        assert plain(t.gettext("<b>Warning signs:</b>")) in result.text
        assert plain(t.gettext(check_offer.RISK_HEADLINES[RiskLevel.LOW])) not in result.text
        assert t.gettext(SUMMARY_LOW) not in result.text
        assert result.text.startswith(plain(t.gettext(check_offer.LOW_WITH_WEAK_SIGNS[0])))

        # With nothing found, the headline says so and no list follows it.
        await press(person, "again")
        [clean] = await say(person, "We are hiring a cook for our hotel kitchen, please "
                                    "send your CV by email.")
        assert clean.text.startswith(plain(t.gettext(check_offer.RISK_HEADLINES[RiskLevel.LOW])))
        assert plain(t.gettext("<b>Warning signs:</b>")) not in clean.text
    assert not emulator.api_errors, emulator.api_errors


# --- item 4: the reporter's own details redacted in every format; recruiters' kept ------------

NARRATIVE = ("They offered me a job in Phnom Penh. My number is +66 81 999 8888, call me on "
             "0819998888 if you need me. The recruiter also wrote from their other number "
             "+855 12 777 888 and asked for my passport.")


async def test_report_narrative_redacts_my_number_and_keeps_the_recruiters(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings) -> None:
    await bot_app()
    t = get_translator("en")
    person = emulator.user(16401, first_name="Dara", language_code="en")
    await say(person, "/report")
    await press(person, "k:contact")
    await say(person, "+855 12 345 678")
    await press(person, "done")
    [added, _next] = await say(person, NARRATIVE, replies=2)
    assert t.gettext("I added the contacts in your text to the report: {contacts}. If one of them "
                     "is not the scammer's, remove it from the summary (✏️ Contacts).",
                     contacts="+855 12 777 888") == added.text
    await press(person, "done")
    await press(person, "w:month")
    [summary] = await press(person, "cc:KH")
    assert "+855 12 777 888" in summary.text and "+855 12 345 678" in summary.text
    assert "+66 81 999 8888" not in summary.text.split(plain(t.gettext("<b>What happened:</b> {text}",
                                                                      text="")))[0]
    await press(person, "ok")
    await press(person, "no_notify")
    await press(person, "agree", replies=2)

    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            [report] = db.exec(select(Report)).all()
            narrative = report.narrative or ""
            assert "999" not in narrative and "8888" not in narrative, narrative
            assert "My number is [phone], call me on [phone]" in narrative
            assert "+855 12 777 888" in narrative
            for value in ("+85512345678", "+85512777888"):
                assert lookup_indicator(db, type="phone", value=value).independent_reporters == 1
            assert lookup_indicator(db, type="phone", value="+66819998888").independent_reporters == 0
    finally:
        engine.dispose()
    assert not emulator.api_errors, emulator.api_errors


# --- item 6: urgent help asks the nationality; embassy lines; numbers when "not sure" ---------

async def test_urgent_help_adds_the_lines_of_the_persons_nationality(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    unconfirmed = "⚠ Not confirmed – check before relying on it."
    for user_id, locale, where, nationality, expected, is_confirmed in (
            (16601, "th", "KH", "TH", ["+66-99-130-1300", "+66 2 572 8442"], True),
            (16602, "tl", "MM", "PH", ["+95 998 521 0991"], True),
            (16603, "id", "KH", "ID", ["+855 12 813 282"], False)):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Nok", language_code=locale)
        await say(person, "/help_now")
        await press(person, help_now.WHO_SELF)
        [first] = await press(person, f"cc:{where}")
        assert "117" in first.text or "199" in first.text  # the numbers of where they are, at once
        assert plain(t.gettext("What is your nationality? I will add your embassy and your "
                               "country's lines for its citizens abroad.")) in first.text
        [second] = await press(person, f"cc:{nationality}")
        for number in expected:
            assert number in second.text, second.text
        if nationality == "TH":
            assert plain(t.gettext("{country}: lines for its citizens abroad",
                                   country=country_name("TH", locale))) in second.text
        else:
            assert plain(t.gettext("Embassy of {nationality} in {country}",
                                   nationality=country_name(nationality, locale),
                                   country=country_name(where, locale))) in second.text
        assert (t.gettext(unconfirmed) in second.text) is not is_confirmed
    assert not emulator.api_errors, emulator.api_errors


async def test_urgent_help_gives_the_embassy_of_each_nationality_where_they_are(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    """A Vietnamese held in Cambodia gets Viet Nam's embassy and Sihanoukville consulate, an
    Indonesian in Myanmar the KBRI in Yangon, each in their language; a number read only in a
    reprint or an aggregator (an Indian in Cambodia, a Chinese in Laos) is shown marked as not
    confirmed, line by line, and a confirmed one is not."""
    await bot_app()
    directory = hotline_directory()
    for user_id, locale, telegram, where, nationality, numbers, confirmed in (
            (16611, "vi", "vi", "KH", "VN", ["+855 23 726 274", "+855 34 934 039"], True),
            (16612, "id", "id", "MM", "ID", ["+95 9 503 7055"], True),
            (16613, "hi", "hi", "KH", "IN", ["+855 92 881 676"], False),
            (16614, "zh_Hans", "zh-hans", "LA", "CN", ["+856 21 315 105", "+856 71 212 989"], False)):
        t = get_translator(locale)
        unconfirmed = t.gettext("⚠ Not confirmed – check before relying on it.")
        person = emulator.user(user_id, first_name="Minh", language_code=telegram)
        await say(person, "/help_now")
        await press(person, help_now.WHO_SELF)
        await press(person, f"cc:{where}")
        [reply] = await press(person, f"cc:{nationality}")
        heading = plain(t.gettext("Embassy of {nationality} in {country}",
                                  nationality=country_name(nationality, locale),
                                  country=country_name(where, locale)))
        assert heading in reply.text, reply.text
        embassy = reply.text.split(heading, 1)[1].split("\n\n", 1)[0]
        lines = directory.embassies_of(nationality, where)
        assert lines
        for hotline in lines:
            assert plain(t.gettext(hotline.description)) in embassy, embassy
            entry = embassy.split(plain(t.gettext(hotline.description)), 1)[1].split("\n• ", 1)[0]
            assert (unconfirmed in entry) is not hotline.verified, (hotline.id, entry)
        for number in numbers:
            assert number in embassy, embassy
        assert embassy.count(unconfirmed) == (0 if confirmed else len(lines))
        assert embassy.count(unconfirmed) == sum(not hotline.verified for hotline in lines)
    assert not emulator.api_errors, emulator.api_errors


async def test_urgent_help_not_sure_where_still_gives_numbers(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    t = get_translator("vi")
    person = emulator.user(16604, first_name="Lan", language_code="vi")
    await say(person, "/help_now")
    await press(person, help_now.WHO_SELF)
    await press(person, help_now.COUNTRY_UNKNOWN)
    [lines] = await press(person, help_now.COUNTRY_UNKNOWN)
    assert lines.text.endswith(plain(t.gettext(
        "The numbers above are the fastest way to get help. I stay here if you need me."))) \
        or "alert:yes" in actions(lines)
    for number in ("+66-99-130-1300", "+84 981 84 84 84", "12308", "1343"):
        assert number in lines.text, lines.text

    # A Vietnamese person who does not know where they are: Viet Nam's lines for citizens abroad.
    other = emulator.user(16605, first_name="Minh", language_code="vi")
    await say(other, "/help_now")
    await press(other, help_now.WHO_SELF)
    await press(other, help_now.COUNTRY_UNKNOWN)
    [home] = await press(other, "cc:VN")
    assert "+84 981 84 84 84" in home.text and "111" in home.text
    assert not emulator.api_errors, emulator.api_errors


# --- item 9: no internals in answers ------------------------------------------------------------

async def test_safety_cards_show_no_file_paths_nor_english_notes(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    person = emulator.user(16901, first_name="Lan", language_code="vi")
    [card] = await say(person, "/safety")
    seen = [card.text]
    for _ in range(len(safety_cards()) - 1):
        [card] = await press(person, "next")
        seen.append(card.text)
    for text in seen:
        sources = text.rsplit("\n\n", 1)[-1]
        for leak in ("shared/", ".md", ".json", "handlers/", "commentary", "advisory", " via "):
            assert leak not in text, (leak, text)
        assert "(" not in sources, sources
    assert not emulator.api_errors, emulator.api_errors


async def test_agency_list_named_without_who_loaded_it(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings) -> None:
    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            import_agencies(db, agencies=parse_agency_csv(
                b"name,licence\nBright Future Manpower Services Inc,DMW-123\n"),
                source_name="DMW licensed agencies", actor="cli", replace=False)
    finally:
        engine.dispose()
    await bot_app()
    person = emulator.user(16911, first_name="Mara", language_code="tl")
    await say(person, "/check")
    [result] = await say(person, "Hiring factory workers for Taiwan through Bright Future Manpower "
                                 "Services Inc. Salary 25,000 TWD, contract signed at the DMW office.")
    assert "(DMW licensed agencies)" in result.text
    assert "by cli" not in result.text and "(loaded" not in result.text, result.text
    assert not emulator.api_errors, emulator.api_errors


def _long_paste() -> tuple[str, str, str]:
    """A 10,000-character paste, as Telegram splits it: the cut falls inside "@bigspammer"."""
    line = "We are hiring sales staff for an online company in Sihanoukville, salary 2000 USD. "
    head = (line * 60)[:4096 - len("Contact @bigspam")] + "Contact @bigspam"
    rest = "mer on Telegram. " + (line * 60)
    second = rest[:4096]
    third = rest[4096:4096 + 10_000 - 2 * 4096]
    return head, second, third


async def test_a_paste_split_by_telegram_gives_no_phantom_contact(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    head, second, third = _long_paste()
    assert len(head) == len(second) == 4096
    person = emulator.user(16912, first_name="Lan", language_code="en")
    await say(person, "/check")
    replies = [*(await say(person, head)), *(await say(person, second)), *(await say(person, third))]
    assert len(replies) == 3
    for reply in replies:
        assert "@bigspam," not in reply.text and "@bigspam " not in reply.text \
            and "@bigspam." not in reply.text and not reply.text.rstrip().endswith("@bigspam"), reply.text
        assert "@mer" not in reply.text and "mer@" not in reply.text, reply.text
    assert "@bigspammer" in replies[-1].text
    assert not emulator.api_errors, emulator.api_errors


async def test_random_junk_is_not_answered_as_a_job_offer(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    for user_id, locale in ((16913, "en"), (16914, "vi")):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Nok", language_code=locale)
        await say(person, "/check")
        [answer, invitation] = await say(person, "asdfgh qwerty zxcvbn poiuyt lkjhgf mnbvc",
                                         replies=2)
        assert answer.text == t.gettext(
            "I found nothing in this that reads like a job offer: no job, pay, recruiter or "
            "contact. If it is one, paste the whole ad or the recruiter's messages, or answer the "
            "questions instead.")
        for heading in ("<b>Still check:</b>", "<b>What to do now:</b>"):
            assert plain(t.gettext(heading)) not in answer.text + invitation.text
        assert "quiz" in actions(invitation)
    assert not emulator.api_errors, emulator.api_errors


async def test_privacy_says_the_checked_text_is_kept_until_it_expires(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    for user_id, locale in ((16915, "en"), (16916, "th")):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Nok", language_code=locale)
        [info] = await say(person, "/privacy")
        assert plain(t.ngettext(
            "• The text you last sent me to check, kept in our conversation so that you can add "
            "to it, and erased {n} hour after your last message (or at once with /delete).",
            "• The text you last sent me to check, kept in our conversation so that you can add "
            "to it, and erased {n} hours after your last message (or at once with /delete).",
            privacy.DRAFT_HOURS)) in info.text
    assert not emulator.api_errors, emulator.api_errors


# --- item 8: checking from anywhere ---------------------------------------------------------------

async def test_a_lone_number_or_handle_at_the_menu_is_checked(
        emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    for user_id, locale, contact, shown_as in (
            (16801, "en", "@bigspammer_hr", "@bigspammer_hr"),
            (16802, "th", "+855 12 777 888", "+855 12 777 888"),
            (16803, "vi", "t.me/hr_amy_kk", "@hr_amy_kk")):
        t = get_translator(locale)
        person = emulator.user(user_id, first_name="Nok", language_code=locale)
        [menu] = await say(person, "/menu")
        assert menu.text == t.gettext("What would you like to do?")
        [answer] = await say(person, contact)
        assert answer.text.startswith(t.gettext(
            "That looks like a contact, so I checked it. To check a job offer, paste the whole "
            "ad or the recruiter's messages.")), answer.text
        assert plain(t.gettext("{contact}: no reports yet. That does not make it safe: scammers "
                               "change numbers and accounts often.",
                               contact=f"<b>{shown_as}</b>")) in answer.text, answer.text
        # A stray word is still answered with the menu.
        await say(person, "/menu")
        [hint] = await say(person, "hello")
        assert hint.text.startswith(
            t.gettext("Choose what you want to do, or paste a job offer to check it:"))
    assert not emulator.api_errors, emulator.api_errors


async def test_an_agency_name_is_checked_with_the_official_registers(
        emulator: Emulator, bot_app: BotAppFactory, e2e_settings: Settings) -> None:
    engine = create_db_engine(e2e_settings.database_url)
    try:
        with session_scope(engine) as db:
            import_agencies(db, agencies=parse_agency_csv(
                b"name,licence\nBright Future Manpower Services Inc,DMW-123\n"),
                source_name="DMW licensed agencies", actor="cli", replace=False)
    finally:
        engine.dispose()
    await bot_app()
    registers = {registry.country: registry for registry in agency_registries()}
    # A licensed name, and one that is not listed, checked with /contact in Filipino.
    t = get_translator("tl")
    person = emulator.user(16804, first_name="Mara", language_code="tl")
    await say(person, "/contact")
    [licensed] = await say(person, "Bright Future Manpower Services Inc.")
    assert licensed.text.startswith("✅") and "Bright Future Manpower Services Inc" in licensed.text
    assert "(DMW licensed agencies)" in licensed.text
    assert plain(t.gettext("I could not read a phone number, username, link or wallet in that. "
                           "Try one of these forms:")) not in licensed.text
    await say(person, "/contact")
    [unknown] = await say(person, "Golden Sky Recruitment Agency")
    assert plain(t.gettext("If that is the name of an agency or company: it is not in the list "
                           "of licensed recruitment agencies our staff loaded.")) in unknown.text
    assert t.gettext("Check the agency yourself in the official register of licensed agencies:") \
        in unknown.text
    for registry in registers.values():  # no country chosen: every register, each with its link
        assert registry.url in unknown.text
    # An offer naming an unlisted agency: the register of the person's country.
    t = get_translator("id")
    person = emulator.user(16805, first_name="Sari", language_code="id")
    await say(person, "/start")
    await press(person, "keep")
    await press(person, "cc:ID")
    await say(person, "/check")
    [result] = await say(person, "Lowongan kerja di Taiwan melalui agensi PT Maju Jaya Sentosa. "
                                 "Gaji 25.000 TWD, kontrak resmi.")
    assert registers["ID"].url in result.text and registers["PH"].url not in result.text
    assert t.gettext("Check the agency yourself in the official register of licensed agencies:") \
        in result.text
    assert not emulator.api_errors, emulator.api_errors


def test_every_register_cites_its_sources() -> None:
    for registry in agency_registries():
        assert registry.url.startswith("https://") and registry.sources


# --- item 10: wording a native reader would use -------------------------------------------------

LURE = ("URGENT hiring customer service staff for an online company in Sihanoukville, Cambodia. "
        "Salary 2000 USD a month, no experience needed. Free flight, visa, food and housing. "
        "Contact us on Telegram now, only a few places left.")


async def test_quoted_machine_wording_is_gone(emulator: Emulator, bot_app: BotAppFactory) -> None:
    await bot_app()
    # Khmer and Burmese: the language named as "the Khmer language", not a bare name.
    for user_id, locale, telegram, text, named in (
            (161001, "km", "th", KHMER, "ភាសាខ្មែរ"),
            (161002, "my", "en", "မင်္ဂလာပါ ကျွန်တော် ထိုင်းနိုင်ငံမှာ အလုပ်ကမ်းလှမ်းချက်တစ်ခုကို စစ်ချင်ပါတယ်",
             "မြန်မာဘာသာ")):
        person = emulator.user(user_id, first_name="Dara", language_code=telegram)
        await say(person, "/start")
        [question] = await say(person, text)
        assert named in question.text, question.text
        assert get_translator(locale).gettext("Shall we continue in {language}?",
                                              language=language_name(locale)) in question.text
    seen: dict[str, str] = {}
    for user_id, locale in ((161003, "th"), (161004, "vi"), (161005, "tl"), (161006, "zh_Hans"),
                            (161007, "ms")):
        person = emulator.user(user_id, first_name="Nok", language_code=locale.replace("_", "-"))
        [invitation] = await say(person, "/check")
        [result] = await say(person, LURE + " @hr_sihanouk_jobs")
        [privacy_info] = await say(person, "/privacy")
        seen[locale] = "\n".join([invitation.text, *(b.text for b in invitation.flat_buttons),
                                  result.text, privacy_info.text])
    assert "แหล่งสแกมเมอร์" not in seen["th"] and "ศูนย์หลอกลวงออนไลน์" in seen["th"]
    assert "Trả lời câu hỏi thay thế" not in seen["vi"] and "Trả lời vài câu hỏi" in seen["vi"]
    assert "itinatago" not in seen["tl"].lower()
    assert "招聘人" not in seen["zh_Hans"] and "招聘者" in seen["zh_Hans"]
    assert "Kenalan" not in seen["ms"] and "Maklumat hubungan" in seen["ms"]
    assert not emulator.api_errors, emulator.api_errors

"""Urgent help, in process: the person in danger, a relative of someone held, the hotline data.

Expected texts are computed with the locale's translator, so the tests stay right once the
catalogs are translated.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
import pytest
from sqlmodel import select

from bot.services import Services
from handlers import help_now
from handlers.countries import COUNTRIES, country_name
from handlers.types import Reply
from locales.i18n import get_translator
from screening.hotlines import (
    HOTLINES_FILE,
    ContentError,
    _hotline,
    hotline_directory,
    official_contacts,
)
from storage.conversations import lock_conversation
from storage.db import create_db_engine, migrate, session_scope
from storage.models import Report
from storage.prefs import set_prefs
from tests.handlers.conftest import Harness, Person, make_settings

STAFF_CHAT = -100777


@pytest.fixture
def harness_without_staff(tmp_path: Path) -> Iterator[Harness]:
    settings = make_settings(tmp_path)
    assert settings.staff_chat_id is None
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    yield Harness(Services(settings=settings, engine=engine))
    engine.dispose()


def state_of(harness: Harness, person: Person) -> tuple[str, str]:
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        return row.flow, row.state


def reports(harness: Harness) -> list[Report]:
    with session_scope(harness.engine) as db:
        return list(db.exec(select(Report)).all())


def staff_replies(replies: list[Reply]) -> list[Reply]:
    return [reply for reply in replies if reply.chat_id is not None]


def actions(person: Person) -> list[str]:
    return [button.action for button in person.buttons()]


def walk_relative(person: Person, *, nationality: str = "cc:VN", where: str = "cc:KH",
                  place: str | None = "Sihanoukville, the blue compound by the river") -> list[Reply]:
    person.send("/help_now")
    person.press(help_now.WHO_OTHER)
    person.press(nationality)
    person.press(where)
    if place is None:
        person.press(help_now.SKIP)
    else:
        person.send(place)
    person.press("docs:both")
    return person.press("last:week")


# --- the person in danger --------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["en", "km", "th"])
def test_person_in_danger_gets_the_contacts_of_their_country_and_safety_tips(
        harness: Harness, locale: str) -> None:
    t = get_translator(locale)
    person = harness.person(language_code=locale)
    first = person.send("/help_now")
    assert first[0].text == t.gettext(
        "You are not alone. Are you, or someone you know, in danger right now?")
    assert {help_now.WHO_SELF, help_now.WHO_OTHER, "go:safety"} <= set(actions(person))

    person.press(help_now.WHO_SELF)
    assert person.texts()[0] == t.gettext(
        "Where are you now? I will show the numbers for that country.")
    replies = person.press("cc:KH")
    contacts = replies[0].text
    assert t.gettext("Help in {country}", country=country_name("KH", locale)) in contacts
    assert "<b>117</b>" in contacts
    assert html.escape(t.gettext(
        "National Police hotline for illegal detention and human trafficking; English, Chinese and "
        "Vietnamese spoken; free, even with no phone credit"), quote=False) in contacts
    assert html.escape(t.gettext(hotline_directory().spoofing_warning.text), quote=False) in contacts
    assert len(replies) == 1  # one message: every extra one is a wait on a slow phone
    assert t.gettext("• If someone may check your phone, delete this chat when you are done.") \
        in contacts
    assert t.gettext("• You can turn on Telegram's auto-delete timer for this chat, so messages "
                     "disappear by themselves.") in contacts
    # Then the nationality (its embassy and lines for citizens abroad); staff are offered,
    # never alerted without a yes.
    assert help_now.COUNTRY_UNKNOWN in actions(person)
    replies = person.press("cc:TH")
    assert not staff_replies(replies)
    assert actions(person) == [help_now.ALERT_YES, help_now.ALERT_NO]


def test_alert_to_staff_carries_only_what_the_person_typed(harness: Harness) -> None:
    t = get_translator("th")
    person = harness.person(user_id=31337, language_code="th")
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:MM")
    person.press("cc:TH")
    asked = person.press(help_now.ALERT_YES)
    assert asked[0].text == t.gettext(
        "Type how the team can reach you safely (a number, an account, a time) and what they "
        "should know about where you are. Only what you type is sent; nothing else about you.")
    replies = person.send("Signal +95 9 123 456 789 <after 10pm> & only text")
    assert not staff_replies(replies)  # not a reply: stored for bot/alerts.py, in the step
    [(row, alert)] = harness.queued_alerts()
    assert row.report_id is None and row.reporter_key == person.user_key
    assert "Signal" not in row.text_sealed  # sealed at rest
    # In clear, for the staff app while it waits: language and country, nothing of the person.
    assert (row.language, row.country) == ("th", "MM")
    staff = get_translator("en")  # the deployment's default locale speaks to staff
    assert staff.gettext("🆘 Urgent: a person says they are in danger.") in alert
    assert staff.gettext("Country: {country}", country=country_name("MM", "en")) in alert
    assert "Signal +95 9 123 456 789 &lt;after 10pm&gt; &amp; only text" in alert
    assert "31337" not in alert  # no Telegram identity, ever
    own = [reply for reply in replies if reply.chat_id is None]
    assert own[0].text == t.gettext(
        "Your message is saved and on its way to the team. They will reach you the way you "
        "described. If you are in danger now, call a number above.")
    assert state_of(harness, person) == ("menu", "idle")
    assert reports(harness) == []  # an alert, not a stored report


def test_declining_the_alert_sends_nothing(harness: Harness) -> None:
    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:TH")
    person.press("cc:TH")
    replies = person.press(help_now.ALERT_NO)
    assert not staff_replies(replies) and harness.queued_alerts() == []
    assert replies[0].text == get_translator("en").gettext(
        "All right. The numbers above stay in this chat until you delete it.")
    assert state_of(harness, person) == ("menu", "idle")


def test_without_a_staff_chat_the_hotlines_are_the_way(harness_without_staff: Harness) -> None:
    t = get_translator("km")
    person = harness_without_staff.person(language_code="km")
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    assert "<b>1441</b>" in person.press("cc:TH")[-1].text
    replies = person.press("cc:TH")
    assert not staff_replies(replies)
    assert replies[-1].text.endswith(t.gettext(
        "The numbers above are the fastest way to get help. I stay here if you need me."))
    assert help_now.ALERT_YES not in actions(person)
    assert state_of(harness_without_staff, person) == ("menu", "idle")


def test_saved_country_is_offered_first(harness: Harness) -> None:
    person = harness.person()
    with session_scope(harness.engine) as db:
        set_prefs(db, user_key=person.user_key, locale="en", country="LA")
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    assert actions(person)[0] == "cc:LA"
    assert person.buttons()[0].text == country_name("LA", "en")


def test_unconfirmed_numbers_are_shown_as_unconfirmed(harness: Harness) -> None:
    t = get_translator("en")
    warning = t.gettext("⚠ Not confirmed – check before relying on it.")
    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    myanmar = person.press("cc:MM")[0].text
    assert "<b>199</b>" in myanmar and warning in myanmar
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    cambodia = person.press("cc:KH")[0].text
    assert warning not in cambodia


def test_country_without_data_points_to_embassy_and_police(harness: Harness) -> None:
    t = get_translator("en")
    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    text = person.press("cc:KR")[0].text
    assert "+82-2-3210-0404" not in text  # Korea's line for Koreans abroad helps nobody in Korea
    assert t.gettext("I have no checked numbers for {country} yet. Your embassy and the local police "
                     "are the way.", country=country_name("KR", "en")) in text
    assert t.gettext("Embassy: {advice}", advice=html.escape(
        t.gettext(hotline_directory().embassy_advice.text), quote=False)) in text


# --- a relative or friend of someone held ----------------------------------------------------

@pytest.mark.parametrize("locale", ["en", "th", "zh_Hans"])
def test_relative_gets_contacts_of_both_countries_and_a_stored_report_with_consent(
        harness: Harness, locale: str) -> None:
    t = get_translator(locale)
    person = harness.person(language_code=locale)
    replies = walk_relative(person, place="Shwe Kokko <compound> & the casino tower")
    contacts = replies[0].text
    assert t.gettext("Where they are: {country}", country=country_name("KH", locale)) in contacts
    assert t.gettext("Their home country: {country}", country=country_name("VN", locale)) in contacts
    assert "<b>117</b>" in contacts and "<b>111</b>" in contacts
    assert "1800 1567" not in contacts  # only lines that help from home, not the unconfirmed pilot
    assert contacts.endswith(t.gettext(
        "Our team can look into this. If you agree, I keep what you told me as an urgent report, "
        "without your name or Telegram account, and alert the team. Do you agree?"))
    assert reports(harness) == []  # nothing before consent

    person.press(help_now.ALERT_YES)
    done = person.send("reach me on LINE: auntie_mai")
    stored = reports(harness)
    assert len(stored) == 1
    report = stored[0]
    assert (report.kind, report.country, report.language) == ("urgent_help", "KH", locale)
    assert report.reporter_key == person.user_key
    assert report.narrative is not None
    assert "Shwe Kokko <compound> & the casino tower" in report.narrative
    assert "auntie_mai" not in report.narrative  # the relative's contact goes to staff only

    assert not staff_replies(done)
    [(row, text)] = harness.queued_alerts()
    assert row.report_id == report.id and row.reporter_key == person.user_key
    assert (row.language, row.country) == (None, None)  # the report has them
    assert "auntie_mai" not in row.text_sealed  # the relative's contact is sealed until sent
    alert = Reply(text, chat_id=STAFF_CHAT)
    staff = get_translator("en")
    assert staff.gettext("🆘 Urgent report {code}: someone is held.",
                         code=report.receipt_code) in alert.text
    assert "Shwe Kokko &lt;compound&gt; &amp; the casino tower" in alert.text
    assert staff.gettext("Passport or phone: {answer}", answer=staff.gettext("Both taken")) in alert.text
    assert staff.gettext("Last contact: {answer}",
                         answer=staff.gettext("In the last 7 days")) in alert.text
    assert "reach me on LINE: auntie_mai" in alert.text
    own = [reply for reply in done if reply.chat_id is None]
    assert own[0].text == t.gettext(
        "Thank you. The team has it under the code {code}. Keep this code if you want to add "
        "something later. The contacts above stay in this chat.",
        code=f"<code>{report.receipt_code}</code>")
    assert state_of(harness, person) == ("menu", "idle")


def test_relative_who_declines_leaves_nothing_stored(harness: Harness) -> None:
    person = harness.person(language_code="vi")
    walk_relative(person)
    replies = person.press(help_now.ALERT_NO)
    assert reports(harness) == []
    assert not staff_replies(replies) and harness.queued_alerts() == []
    assert replies[0].text == get_translator("vi").gettext(
        "Nothing was stored. The contacts above stay in this chat until you delete it.")


def test_relative_without_staff_chat_is_stored_without_asking_for_contact(
        harness_without_staff: Harness) -> None:
    person = harness_without_staff.person()
    consent = walk_relative(person, place=None)[0]
    assert consent.text.endswith(get_translator("en").gettext(
        "Our team can look into this. If you agree, I keep what you told me as an urgent report "
        "for them, without your name or Telegram account. Do you agree?"))
    replies = person.press(help_now.ALERT_YES)
    assert not staff_replies(replies)
    assert harness_without_staff.queued_alerts() == []  # no staff chat: the queue is where it is
    stored = reports(harness_without_staff)
    assert len(stored) == 1 and stored[0].kind == "urgent_help"
    assert stored[0].receipt_code in replies[0].text


def test_relative_may_skip_the_contact_for_staff(harness: Harness) -> None:
    person = harness.person()
    walk_relative(person)
    person.press(help_now.ALERT_YES)
    person.press(help_now.SKIP)
    [(_row, alert)] = harness.queued_alerts()
    assert get_translator("en").gettext("How to reach the person who reported it:") not in alert
    assert len(reports(harness)) == 1


def test_unknown_nationality_and_country_still_give_advice(harness: Harness) -> None:
    t = get_translator("en")
    person = harness.person()
    replies = walk_relative(person, nationality=help_now.COUNTRY_UNKNOWN,
                            where=help_now.COUNTRY_UNKNOWN, place=None)
    assert t.gettext("Contact the police where they are, or their country's embassy.") in \
        html.unescape(replies[0].text)
    person.press(help_now.ALERT_YES)
    person.press(help_now.SKIP)
    report = reports(harness)[0]
    assert report.country is None
    assert report.narrative is not None and t.gettext("not known") in report.narrative


def test_same_nationality_and_country_is_listed_once(harness: Harness) -> None:
    t = get_translator("en")
    person = harness.person()
    text = walk_relative(person, nationality="cc:TH", where="cc:TH")[0].text
    assert t.gettext("Their home country: {country}", country="Thailand") not in text
    assert text.count("1441") == 1


def test_home_country_without_a_line_for_citizens_abroad_points_to_the_embassy(
        harness: Harness) -> None:
    t = get_translator("th")
    person = harness.person(language_code="th")
    text = walk_relative(person, nationality="cc:KH", where="cc:TH")[0].text
    home = text.split(t.gettext("Their home country: {country}",
                                country=country_name("KH", "th")))[1]
    assert home.split("\n")[1] == t.gettext(
        "I know no line there for citizens held abroad: their embassy is the way (below).")
    assert "117" not in home.split("\n\n")[0]  # Cambodia's police line helps in Cambodia only


@pytest.mark.parametrize(("nationality", "locale", "reach", "description"), [
    ("KR", "ko", "+82-2-3210-0404", "Consular Call Center of Korea's Ministry of Foreign Affairs, 24 "
     "hours, for Koreans abroad; it can interpret with the local police"),
    ("IN", "hi", "madad.gov.in", "MADAD, the Ministry of External Affairs' portal and app for Indians "
     "abroad in distress (abused or unpaid workers, recruiting agents, someone missing): the request "
     "reaches the embassy (a 24-hour phone line could not be confirmed)"),
])
def test_a_korean_or_indian_held_abroad_gets_their_home_line(
        harness: Harness, nationality: str, locale: str, reach: str, description: str) -> None:
    """Korea and India are offered as nationalities, but had no line for their citizens abroad:
    a Korean or an Indian held in Cambodia was told "I know no line there"."""
    t = get_translator(locale)
    # Someone asking for a relative: the home country's block names the line.
    text = walk_relative(harness.person(language_code=locale), nationality=f"cc:{nationality}",
                         where="cc:KH")[0].text
    home = text.split(t.gettext("Their home country: {country}",
                                country=country_name(nationality, locale)))[1].split("\n\n")[0]
    assert reach in home
    assert html.escape(t.gettext(description), quote=False) in home
    assert t.gettext(description) != description  # translated
    assert t.gettext("I know no line there for citizens held abroad: their embassy is the way "
                     "(below).") not in home
    # The person held themselves: their country's lines for citizens abroad.
    person = harness.person(user_id=4343, language_code=locale)
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:KH")
    [answer, *_] = person.press(f"cc:{nationality}")
    heading = t.gettext("{country}: lines for its citizens abroad",
                        country=country_name(nationality, locale))
    assert html.escape(heading, quote=False) in answer.text, answer.text
    assert reach in answer.text.split(html.escape(heading, quote=False))[1]


def test_place_that_is_too_long_is_asked_again(harness: Harness) -> None:
    t = get_translator("en")
    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_OTHER)
    person.press("cc:PH")
    person.press("cc:MM")
    replies = person.send("x" * (help_now.MAX_FREE_TEXT_CHARS + 1))
    assert replies[0].text == t.gettext("That is a bit long. Please keep it under {limit} characters.",
                                        limit=t.number(help_now.MAX_FREE_TEXT_CHARS))
    assert state_of(harness, person) == ("help_now", help_now.OTHER_PLACE)


def test_button_texts_fit_a_phone_screen(harness: Harness) -> None:
    person = harness.person()
    person.send("/help_now")
    seen = list(person.buttons())
    person.press(help_now.WHO_OTHER)
    seen += person.buttons()
    person.press("cc:VN")
    person.press("cc:KH")
    person.press(help_now.SKIP)
    seen += person.buttons()
    person.press("docs:neither")
    seen += person.buttons()
    person.press("last:today")
    seen += person.buttons()
    assert seen and all(len(button.text) <= 32 for button in seen)


# --- the data behind it ----------------------------------------------------------------------

def test_every_confirmed_contact_cites_a_source_and_the_unconfirmed_stay_marked() -> None:
    directory = hotline_directory()
    for hotlines in directory.by_country.values():
        for hotline in hotlines:
            assert hotline.sources or not hotline.verified, hotline.id
    unverified = {h.id for hotlines in directory.by_country.values() for h in hotlines
                  if not h.verified}
    # The reference marks these unverified or conflicting; they must never look confirmed.
    assert {"mm-police-199", "la-police", "vn-1800-1567", "my-mapo"} <= unverified
    assert directory.embassy_advice.sources and directory.spoofing_warning.sources


def test_every_embassy_line_cites_a_dated_source_and_a_valid_local_number() -> None:
    """Read from the file itself, so a missing field is caught even where the loader has a
    default: sources, the cited page's date, an explicit verified flag, nationalities and
    countries a person can pick, and numbers that are real numbers of the country they are in."""
    entries = json.loads(HOTLINES_FILE.read_text(encoding="utf-8"))["embassies"]
    pairs = {(entry["nationality"], entry["country"]) for entry in entries}
    assert {("VN", "KH"), ("ID", "MM"), ("CN", "MM"), ("MY", "TH"), ("PH", "KH"), ("CN", "PH")} <= pairs
    for entry in entries:
        name = entry["id"]
        assert entry["nationality"] in COUNTRIES and entry["country"] in COUNTRIES, name
        assert entry["nationality"] != entry["country"], name
        assert isinstance(entry["verified"], bool), name
        assert entry["sources"] and all(isinstance(source, str) and source.strip()
                                        for source in entry["sources"]), name
        assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", entry["source_date"] or ""), name
        assert entry["description"].strip(), name
        numbers = [channel["value"] for channel in entry["channels"]
                   if channel["type"] in ("phone", "sms", "whatsapp")]
        assert numbers, name
        for value in numbers:
            number = phonenumbers.parse(value, None)  # international form: "+" and a country code
            assert phonenumbers.is_valid_number(number), (name, value)
            assert phonenumbers.region_code_for_number(number) == entry["country"], (name, value)


def test_unconfirmed_embassy_lines_stay_marked_and_off_the_safelist() -> None:
    embassies = [hotline for hotlines in hotline_directory().embassies.values() for hotline in hotlines]
    unverified = {hotline.id for hotline in embassies if not hotline.verified}
    # Read only in a reprint, an aggregator or a little-known outlet: never shown as confirmed.
    assert {"id-embassy-phnom-penh", "in-embassy-phnom-penh", "in-embassy-yangon",
            "cn-embassy-phnom-penh", "cn-embassy-vientiane", "vn-embassy-bangkok",
            "cn-embassy-manila"} <= unverified
    contacts = {(contact.type, contact.value) for contact in official_contacts()}
    assert ("phone", "+85523726274") in contacts  # Vietnamese Embassy in Phnom Penh, confirmed
    assert ("phone", "+85592881676") not in contacts  # Indian Embassy in Phnom Penh, not confirmed


def test_official_contacts_are_normalised_and_leave_out_unconfirmed_numbers() -> None:
    contacts = {(contact.type, contact.value) for contact in official_contacts()}
    assert ("phone", "+66991301300") in contacts  # +66-99-130-1300, Thais trafficked abroad
    assert ("whatsapp", "+66991301300") in contacts
    assert ("email", "mwpb@dmw.gov.ph") in contacts
    assert ("url", "peduliwni.kemlu.go.id") in contacts
    assert ("phone", "+60380008000") not in contacts  # MAPO line, unverified
    for contact in official_contacts():
        assert contact.label and contact.source


def test_a_confirmed_contact_without_source_is_rejected() -> None:
    entry = {"id": "xx-test", "kind": "police", "description": "Police",
             "channels": [{"type": "phone", "value": "999"}], "sources": [],
             "verified": True, "home_line": False}
    with pytest.raises(ContentError, match="source"):
        _hotline("XX", entry)
    with pytest.raises(ContentError, match="channel type"):
        _hotline("XX", {**entry, "sources": ["a"], "channels": [{"type": "fax", "value": "1"}]})


def test_alerts_are_limited_per_day_with_a_kind_answer(harness: Harness) -> None:
    t = get_translator("km")
    person = harness.person(language_code="km")
    for attempt in range(help_now.URGENT_ALERTS.max_events + 1):
        person.send("/help_now")
        person.press(help_now.WHO_SELF)
        person.press("cc:TH")
        person.press("cc:TH")
        person.press(help_now.ALERT_YES)
        replies = person.send(f"attempt {attempt}: call me at noon")
    assert len(harness.queued_alerts()) == help_now.URGENT_ALERTS.max_events
    assert replies[0].text == t.gettext(
        "The team already has several urgent messages from you today and will read them. Until "
        "they answer, the numbers above are the fastest way to get help.")
    # Relatives' reports share the urgent limit, not the ordinary report limit.
    walk_relative(person)
    person.press(help_now.ALERT_YES)
    person.press(help_now.SKIP)
    assert len(harness.queued_alerts()) == help_now.URGENT_ALERTS.max_events
    assert reports(harness) == []


def test_official_contact_lookup_matches_what_screening_normalises() -> None:
    from screening.contacts import parse_contact
    from screening.hotlines import is_official_contact

    typed = parse_contact("+66 99 130 1300", default_region="TH")
    assert typed is not None
    assert is_official_contact(type=typed.type.value, value=typed.value)
    assert not is_official_contact(type="phone", value="+66812345678")


def test_alert_text_is_never_kept_in_clear_for_re_delivery(harness: Harness) -> None:
    """In webhook mode the dispatcher keeps each step's replies to re-send them if the update
    comes again; the alert quotes the person's own number, so it is kept sealed."""
    from bot.dispatch import run_step
    from handlers.types import Event, EventKind

    person = harness.person()
    person.send("/help_now")
    person.press(help_now.WHO_SELF)
    person.press("cc:TH")
    person.press("cc:TH")
    person.press(help_now.ALERT_YES)
    details = Event(kind=EventKind.TEXT, user_key=person.user_key, chat_id=person.user_id,
                    text="my own number +66 81 999 0000", telegram_language="en", update_id=4321)
    first = run_step(harness.services, details)
    with harness.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT data FROM conversation").fetchall()
    dump = repr(rows)
    # The whole conversation is sealed at rest (storage.conversations); opened, it keeps the step.
    assert "999 0000" not in dump and "4321" not in dump
    assert harness.opened(json.loads(rows[0][0]))["_last_step"]["update_id"] == 4321
    again = run_step(harness.services, details)  # the same update delivered twice
    assert [(r.text, r.chat_id) for r in again.replies] == [(r.text, r.chat_id) for r in first.replies]
    # Replayed, not run again: the alert stored by the first run is the only one, and sealed.
    assert not staff_replies(again.replies)
    [(row, text)] = harness.queued_alerts()
    assert "999 0000" in text and "999 0000" not in row.text_sealed

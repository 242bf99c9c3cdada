"""Check a contact, in process: unknown, reported, confirmed, official, unreadable."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from handlers import ratelimit
from locales.i18n import get_translator
from screening.contacts import parse_contact
from storage.conversations import lock_conversation
from storage.db import session_scope, step_scope
from storage.models import Indicator
from storage.prefs import set_prefs
from storage.reports import create_report
from storage.safelist import add_safelist
from tests.handlers.conftest import Harness, Person
from tests.handlers.test_check_offer import actions, assert_phone_friendly


def conversation_of(harness: Harness, person: Person) -> tuple[str, str, dict[str, Any]]:
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        return row.flow, row.state, harness.opened(row.data)


def report_naming(harness: Harness, raw: str, *, reporter: str, narrative: str = "",
                  country: str | None = None) -> None:
    contact = parse_contact(raw)
    assert contact is not None
    with session_scope(harness.engine) as db:
        create_report(db, reporter_key=reporter, kind="contact", country=country, language="en",
                      risk_level=None, flag_ids=[], narrative=narrative or None, contacts=[contact])


def test_unknown_contact_is_not_called_safe(harness: Harness) -> None:
    person = harness.person()
    person.send("/contact")
    replies = person.send("@nobody_knows_me")
    text = replies[0].text
    assert "no reports yet" in text and "does not make it safe" in text
    assert get_translator("en").gettext("Before you trust it:") in text
    assert actions(person) == ["report", "again", "menu"]
    assert conversation_of(harness, person)[1:] == (
        "result", {"contacts": [{"type": "telegram", "value": "nobody_knows_me", "domain": None}]})
    assert_phone_friendly(person)


def test_reported_contact_counts_independent_reporters_and_reveals_nothing_else(harness: Harness) -> None:
    secret_story = "He took my passport in Myawaddy on the third of May"
    report_naming(harness, "+855 12 345 678", reporter="a" * 64, narrative=secret_story, country="KH")
    report_naming(harness, "+855 12 345 678", reporter="a" * 64)  # the same person again
    report_naming(harness, "+855 12 345 678", reporter="b" * 64)
    person = harness.person()
    person.send("/contact")
    text = person.send("+855 12 345 678")[0].text
    assert "reported by 2 people, not yet verified" in text
    assert "confirmed" not in text
    for leak in ("passport", "Myawaddy", "May", "Cambodia", "KH"):
        assert leak not in text


def test_confirmed_contact(harness: Harness) -> None:
    report_naming(harness, "@kk_boss", reporter="c" * 64)
    with session_scope(harness.engine) as db:
        indicator = db.exec(select(Indicator).where(Indicator.value == "kk_boss")).one()
        indicator.confirmed = True
        db.add(indicator)
    person = harness.person()
    person.send("/contact")
    text = person.send("https://t.me/KK_Boss")[0].text
    assert "our staff have confirmed this as a scam contact" in text
    assert "Reported by 1 person." in text


def test_official_number_is_labelled_with_a_spoofing_warning_and_not_reportable(harness: Harness) -> None:
    with session_scope(harness.engine) as db:
        add_safelist(db, type="phone", value="+6621301300", label="TH 1300 hotline",
                     source="test fixture")
    person = harness.person()
    person.send("/contact")
    text = person.send("+66 2 130 1300")[0].text
    assert "official contacts" in text and "scammers can make a call" in text
    assert "report" not in actions(person)


def test_unreadable_input_keeps_the_step_with_examples(harness: Harness) -> None:
    person = harness.person()
    person.send("/contact")
    replies = person.send("?? 12")
    assert "could not read" in replies[0].text
    assert "<code>" in replies[0].text
    assert conversation_of(harness, person)[:2] == ("contact", "ask")
    replies = person.send_media("voice")
    assert "only read text" in replies[0].text
    assert conversation_of(harness, person)[:2] == ("contact", "ask")


def test_local_number_is_read_with_the_persons_country(harness: Harness) -> None:
    person = harness.person()
    with session_scope(harness.engine) as db:
        set_prefs(db, user_key=person.user_key, locale="en", country="TH")
    person.send("/contact")
    text = person.send("081 234 5678")[0].text
    assert "+66 81 234 5678" in text


def test_pasted_message_checks_every_contact_in_it(harness: Harness) -> None:
    person = harness.person()
    person.send("/contact")
    text = person.send("Add me on LINE: thai_jobs99 or WhatsApp wa.me/66812345678, or @hr_desk_th")[0].text
    assert "thai_jobs99" in text and "+66 81 234 5678" in text and "@hr_desk_th" in text
    values = [item["value"] for item in conversation_of(harness, person)[2]["contacts"]]
    assert values == ["thai_jobs99", "+66812345678", "hr_desk_th"]


def test_report_this_contact_carries_it_over(harness: Harness) -> None:
    person = harness.person()
    person.send("/contact")
    person.send("@shady_recruiter")
    person.press("report")
    flow, state, data = conversation_of(harness, person)
    assert (flow, state) == ("report", "contacts")
    assert data["draft"]["kind"] == "contact"
    assert data["draft"]["contacts"] == [{"type": "telegram", "value": "shady_recruiter", "domain": None}]


def test_html_in_a_contact_is_escaped(harness: Harness) -> None:
    person = harness.person()
    person.send("/contact")
    text = person.send("https://evil.example/a&b")[0].text
    assert "evil.example/a&amp;b" in text and "a&b" not in text


def test_contact_checks_share_the_check_limit(harness: Harness) -> None:
    person = harness.person()
    person.send("/contact")
    for index in range(ratelimit.CHECKS.max_events):
        person.send(f"@someone_{index:03d}")
    replies = person.send("@one_too_many")
    assert "many checks" in replies[0].text
    # Refused checks are not counted, and nothing about the refused contact is kept.
    assert "one_too_many" not in repr(conversation_of(harness, person)[2])


def test_contacts_checked_together_answer_as_one_by_one(harness: Harness) -> None:
    """`contact_statuses` (two queries for all contacts) agrees with `contact_status` on each:
    a hotline of the data file, a safelisted number, a confirmed, a reported, an unknown one."""
    from datetime import UTC, datetime

    from bot.dispatch import StepContext
    from handlers.contacts import ContactStatus, contact_status, contact_statuses
    from screening.hotlines import official_contacts

    hotline = official_contacts()[0]
    report_naming(harness, "@kk_boss", reporter="c" * 64)
    report_naming(harness, "+855 12 345 678", reporter="a" * 64)
    report_naming(harness, "+855 12 345 678", reporter="b" * 64)
    with session_scope(harness.engine) as db:
        add_safelist(db, type="phone", value="+6621301300", label="TH 1300 hotline", source="test")
        indicator = db.exec(select(Indicator).where(Indicator.value == "kk_boss")).one()
        indicator.confirmed = True
        db.add(indicator)
    raws = ["+66 2 130 1300", "@kk_boss", "+855 12 345 678", "@nobody_knows_me"]
    contacts = [contact for contact in map(parse_contact, raws) if contact is not None]
    official = parse_contact(hotline.value)
    assert official is not None and (official.type.value, official.value) == (hotline.type, hotline.value)
    checked = [official, *contacts, contacts[1]]
    assert len(checked) == 6
    with step_scope(harness.engine) as step:
        ctx = StepContext(t=get_translator("en"), step=step, settings=harness.services.settings,
                          now=datetime.now(UTC))
        together = contact_statuses(ctx, checked)
        one_by_one = [contact_status(ctx, contact) for contact in checked]
    assert together == one_by_one
    assert [(s.official, s.confirmed, s.reporters) for s in together] == [
        (True, False, 0), (True, False, 0), (False, True, 1), (False, False, 2), (False, False, 0),
        (False, True, 1)]
    assert [s.contact for s in together] == checked
    assert contact_statuses(ctx, []) == []
    assert isinstance(together[0], ContactStatus)

"""Report, in process: guided steps, edits, consent, what is stored, adding by code, limits."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from handlers import ratelimit
from locales.i18n import get_translator
from storage.conversations import lock_conversation
from storage.db import session_scope
from storage.indicators import indicators_of_report, lookup_indicator
from storage.models import Report
from storage.rate import allow_action
from storage.safelist import add_safelist
from storage.sealing import open_chat_id
from tests.handlers.conftest import Harness, Person
from tests.handlers.test_check_offer import LURE, actions, assert_phone_friendly


def conversation_of(harness: Harness, person: Person) -> tuple[str, str, dict[str, Any]]:
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        return row.flow, row.state, harness.opened(row.data)


def stored_reports(harness: Harness) -> list[Report]:
    with session_scope(harness.engine) as db:
        return list(db.exec(select(Report)).all())


def walk_to_summary(person: Person) -> None:
    person.send("/report")
    person.press("k:job_offer")
    person.send("+855 12 345 678")
    person.send("Her Telegram is @hr_amy_kk and the site https://fast-jobs.example")
    person.press("rm:2")  # the site was a mistake
    person.press("done")
    person.send("She promised 1500 USD in Bangkok, then said we would drive to Mae Sot.")
    person.send("My sister's number is +66 81 234 5678 if you need it.")
    person.press("done")
    person.press("w:week")
    person.press("cc:TH")


def test_full_report_is_stored_redacted_with_a_receipt(harness: Harness) -> None:
    person = harness.person(user_id=5550001)
    walk_to_summary(person)
    summary = person.texts()[-1]
    assert "+855 12 345 678" in summary and "@hr_amy_kk" in summary
    assert "fast-jobs.example" not in summary
    assert "This week" in summary and "Thailand" in summary
    assert stored_reports(harness) == []  # nothing before consent
    person.press("ok")
    assert actions(person) == ["notify", "no_notify", "cancel"]
    replies = person.press("notify")
    assert "I agree to store this report without my name or number." in replies[0].text
    assert stored_reports(harness) == []
    replies = person.press("agree")
    [report] = stored_reports(harness)
    assert f"<code>{report.receipt_code}</code>" in replies[0].text
    assert actions(person)[0] == "go:check"  # back at the menu
    assert report.kind == "job_offer" and report.country == "TH" and report.language == "en"
    assert report.reporter_key == person.user_key
    narrative = report.narrative or ""
    assert report.happened == "week" and not narrative.startswith("[when")
    assert "Mae Sot" in narrative
    assert "+66 81 234 5678" not in narrative and "[phone]" in narrative  # not the scammer's
    assert report.notify_chat_sealed is not None and "5550001" not in report.notify_chat_sealed
    assert open_chat_id(report.notify_chat_sealed, key=harness.services.settings.seal_keys) == 5550001
    with session_scope(harness.engine) as db:
        assert report.id is not None
        linked = {(i.type, i.value) for i in indicators_of_report(db, report_id=report.id)}
        assert linked == {("phone", "+85512345678"), ("telegram", "hr_amy_kk")}
        # One report never confirms a contact.
        assert lookup_indicator(db, type="telegram", value="hr_amy_kk").confirmed is False
    with harness.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM report").fetchall()
    assert "5550001" not in repr(rows)
    assert conversation_of(harness, person)[:2] == ("menu", "idle")
    assert_phone_friendly(person)


def test_no_notification_keeps_no_chat(harness: Harness) -> None:
    person = harness.person()
    walk_to_summary(person)
    person.press("ok")
    person.press("no_notify")
    person.press("agree")
    [report] = stored_reports(harness)
    assert report.notify_chat_sealed is None


def test_cancel_at_consent_stores_nothing(harness: Harness) -> None:
    person = harness.person()
    walk_to_summary(person)
    person.press("ok")
    person.press("no_notify")
    replies = person.press("cancel")
    assert "Nothing was stored" in replies[0].text
    assert stored_reports(harness) == []
    assert conversation_of(harness, person) == ("menu", "idle", {})


def test_edits_from_the_summary_return_to_it(harness: Harness) -> None:
    person = harness.person()
    walk_to_summary(person)
    person.press("edit:when")
    replies = person.press("w:today")
    assert "Today" in replies[0].text and "<b>Please check your report:</b>" in replies[0].text
    person.press("edit:narrative")
    person.press("skip")  # keeps the earlier text
    draft = conversation_of(harness, person)[2]["draft"]
    assert "Mae Sot" in draft["narrative"]
    person.press("edit:narrative")
    person.send("Only this <b>new</b> & shorter text.")
    replies = person.press("done")
    assert "Only this &lt;b&gt;new&lt;/b&gt; &amp; shorter text." in replies[0].text
    assert conversation_of(harness, person)[2]["draft"]["narrative"] == \
        "Only this <b>new</b> & shorter text."
    person.press("edit:kind")
    replies = person.press("k:romance_investment")
    assert "Romance or investment" in replies[0].text


def test_official_numbers_cannot_be_reported(harness: Harness) -> None:
    with session_scope(harness.engine) as db:
        add_safelist(db, type="phone", value="+6621301300", label="TH 1300 hotline", source="test")
    person = harness.person()
    person.send("/report")
    person.press("k:contact")
    replies = person.send("They called from +66 2 130 1300 and from @fake_police_th")
    assert "on our list of official numbers" in replies[0].text
    assert "spoof" in replies[0].text
    contacts = conversation_of(harness, person)[2]["draft"]["contacts"]
    assert contacts == [{"type": "telegram", "value": "fake_police_th", "domain": None}]


def test_unreadable_contacts_media_and_commands_keep_the_draft(harness: Harness) -> None:
    person = harness.person()
    person.send("/report")
    person.press("k:other")
    person.send("@first_scammer")
    before = conversation_of(harness, person)
    assert "could not find" in person.send("no idea, sorry")[0].text
    assert conversation_of(harness, person) == before
    assert "only take text" in person.send_media("photo")[0].text
    assert conversation_of(harness, person) == before
    person.send("/frobnicate")
    assert conversation_of(harness, person) == before
    replies = person.send("/report")  # again, mid-report: the draft is kept
    assert "middle of a report" in replies[0].text
    assert conversation_of(harness, person) == before


def test_report_needs_something_to_review(harness: Harness) -> None:
    person = harness.person()
    person.send("/report")
    person.press("k:other")
    person.press("skip")
    person.press("skip")
    person.press("skip")
    person.press("skip")
    replies = person.press("ok")
    assert "at least a contact" in replies[0].text
    assert conversation_of(harness, person)[1] == "contacts"


def test_carried_over_check_is_stored_with_the_report(harness: Harness) -> None:
    person = harness.person()
    person.send("/check")
    person.send(LURE)
    check = conversation_of(harness, person)[2]
    person.press("report")
    person.press("done")
    person.press("skip")
    person.press("skip")
    person.press("skip")
    person.press("ok")
    person.press("no_notify")
    person.press("agree")
    [report] = stored_reports(harness)
    assert report.kind == "job_offer"
    assert report.risk_level == check["risk"] and report.flag_ids == check["flags"]
    assert report.narrative is None


def test_adding_to_an_earlier_report_by_code(harness: Harness) -> None:
    person = harness.person()
    walk_to_summary(person)
    person.press("ok")
    person.press("no_notify")
    person.press("agree")
    [report] = stored_reports(harness)
    person.send("/report")
    person.press("add")
    typed = " ".join([report.receipt_code[:5].lower(), report.receipt_code[5:]])
    person.send(typed)
    replies = person.send("They also use @second_handle_kk now.")
    assert report.receipt_code in replies[0].text
    [updated] = stored_reports(harness)
    assert (updated.narrative or "").endswith("They also use @second_handle_kk now.")
    with session_scope(harness.engine) as db:
        assert updated.id is not None
        values = {i.value for i in indicators_of_report(db, report_id=updated.id)}
    assert "second_handle_kk" in values

    # Someone else with the same code gets the same answer as for an unknown code.
    stranger = harness.person(user_id=777)
    stranger.send("/report")
    stranger.press("add")
    wrong = stranger.send(report.receipt_code)[0].text
    unknown = stranger.send("ZZZZZZZZZZ")[0].text
    assert wrong == unknown and "can't find" in wrong
    assert conversation_of(harness, stranger)[1] == "add_code"


def test_reports_are_limited_per_day(harness: Harness) -> None:
    person = harness.person()
    with session_scope(harness.engine) as db:
        for _ in range(ratelimit.REPORTS.max_events):
            assert allow_action(db, user_key=person.user_key, action=ratelimit.REPORTS.action,
                                limit=ratelimit.REPORTS.max_events, window=ratelimit.REPORTS.window)
    replies = person.send("/report")
    assert "already sent several reports today" in replies[0].text
    assert conversation_of(harness, person)[:2] == ("menu", "idle")


def test_limit_reached_at_consent_keeps_the_draft(harness: Harness) -> None:
    person = harness.person()
    walk_to_summary(person)
    person.press("ok")
    person.press("no_notify")
    before = conversation_of(harness, person)
    with session_scope(harness.engine) as db:
        for _ in range(ratelimit.REPORTS.max_events):
            allow_action(db, user_key=person.user_key, action=ratelimit.REPORTS.action,
                         limit=ratelimit.REPORTS.max_events, window=ratelimit.REPORTS.window)
    replies = person.press("agree")
    assert "already sent several reports today" in replies[0].text
    assert stored_reports(harness) == []
    assert conversation_of(harness, person) == before


def test_report_in_a_non_latin_language(harness: Harness) -> None:
    person = harness.person(language_code="my")
    t = get_translator("my")
    replies = person.send("/report")
    assert t.gettext("What do you want to report?") in replies[0].text
    person.press("k:contact")
    person.send("@kk_agent_mm")
    person.press("done")
    person.send("သူတို့က ထိုင်းမှာ အလုပ်ကောင်းရမယ်လို့ ပြောတယ်။")
    person.press("done")
    person.press("skip")
    replies = person.press("cc:MM")
    assert t.gettext("<b>Please check your report:</b>") in replies[0].text
    person.press("ok")
    person.press("no_notify")
    person.press("agree")
    [report] = stored_reports(harness)
    assert report.language == "my" and report.country == "MM"


def test_hotlines_of_the_data_file_are_refused_before_any_safelist_is_seeded(harness: Harness) -> None:
    person = harness.person()
    person.send("/report")
    person.press("k:contact")
    replies = person.send("They said they were +66 99 130 1300 and also @fake_police_th")
    assert "on our list of official numbers" in replies[0].text
    contacts = conversation_of(harness, person)[2]["draft"]["contacts"]
    assert contacts == [{"type": "telegram", "value": "fake_police_th", "domain": None}]


VERY_HIGH_LURE = (
    "URGENT hiring customer service in Sihanoukville, salary 1800 USD no experience needed, free "
    "flight ticket and free room and food, tourist visa we arrange, fly to Bangkok then by car to the "
    "border. Send passport photo now, contract signed on arrival, pay 500 USD deposit first. Don't "
    "tell your family. Contact @kk_hr_2026 on Telegram only.")


def test_a_very_high_risk_report_alerts_the_staff_chat_without_identity(harness: Harness) -> None:
    person = harness.person(user_id=5550001)
    person.send("/check")
    person.send(VERY_HIGH_LURE)
    assert conversation_of(harness, person)[2]["risk"] == "very_high"
    person.press("report")
    for action in ("done", "skip", "skip", "skip", "ok", "no_notify"):
        person.press(action)
    replies = person.press("agree")
    [report] = stored_reports(harness)
    assert not [reply for reply in replies if reply.chat_id is not None]  # stored, not a reply
    [(row, alert)] = harness.queued_alerts()
    assert row.report_id == report.id
    assert report.receipt_code in alert and f"/review/reports/{report.id}" in alert
    assert "5550001" not in alert and person.user_key not in alert

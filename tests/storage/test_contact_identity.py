"""One contact, one identity: a number is one indicator whatever channel it came through, on a
fresh database and on one filled by the schema before revision 0004 (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlmodel import select

from screening.contacts import Contact, ContactType, extract_contacts
from storage.db import create_db_engine, migrate, session_scope
from storage.indicators import lookup_indicator, lookup_indicators, reports_sharing_indicators
from storage.models import Indicator, ReportIndicator, ReviewEvent, SafelistEntry
from storage.reports import create_report
from storage.safelist import add_safelist, is_safelisted

NUMBER = "+855971234567"
WALLET = "0x52908400098527886E0F7030069857D2E4169EE7"


def _report(session, reporter: str, contacts: list[Contact]):  # type: ignore[no-untyped-def]
    return create_report(session, reporter_key=reporter * 64, kind="job_offer", country=None,
                         language="en", risk_level=None, flag_ids=[], narrative=None,
                         contacts=contacts)


def test_every_channel_of_a_number_counts_for_one_identity(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = _report(session, "a", extract_contacts("WhatsApp +855 97 123 4567"))
        _report(session, "b", extract_contacts("Viber: +855 97 123 4567"))
        _report(session, "c", extract_contacts(f"@HR_Amy and {WALLET}"))
        _report(session, "d", extract_contacts(f"t.me/hr_amy and {WALLET.lower()}"))
        assert first.id is not None
        shared = reports_sharing_indicators(session, report_id=first.id)
    assert len(shared) == 1
    with session_scope(engine, read_only=True) as session:
        found = lookup_indicators(session, contacts=[
            ("phone", NUMBER), ("whatsapp", NUMBER), ("telegram", "hr_amy"),
            ("telegram", "@HR_Amy"), ("wallet_eth", WALLET), ("wallet_eth", WALLET.lower())])
        assert {key: summary.independent_reporters for key, summary in found.items()} == {
            ("phone", NUMBER): 2, ("whatsapp", NUMBER): 2, ("telegram", "hr_amy"): 2,
            ("telegram", "@HR_Amy"): 2, ("wallet_eth", WALLET): 2,
            ("wallet_eth", WALLET.lower()): 2}
        indicators = session.exec(select(Indicator)).all()
        assert sorted(i.type for i in indicators) == ["phone", "telegram", "wallet_eth"]
        channels = sorted(str(link.channel) for link in session.exec(select(ReportIndicator)).all())
        assert channels == ["None", "None", "None", "None", "viber", "whatsapp"]


def test_the_safelist_holds_identities(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_safelist(session, type="whatsapp", value=NUMBER, label="Embassy", source="gov")
        assert is_safelisted(session, type="phone", value=NUMBER)
        report = _report(session, "a", [Contact(ContactType.WHATSAPP, NUMBER, NUMBER, (0, 1))])
        assert report.id is not None
        assert session.exec(select(Indicator)).all() == []
        assert [e.type for e in session.exec(select(SafelistEntry)).all()] == ["phone"]


def test_old_rows_merge_without_losing_a_report_a_confirmation_or_a_count(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        migrate(engine, revision="0003")
        at = "2026-01-02 03:04:05"
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO staff_user (id, username, password_hash, role, disabled, created_at)"
                " VALUES (1, 'ana', 'x', 'admin', :no, :at)"), {"no": False, "at": at})
            for report_id, reporter in ((1, "a"), (2, "b"), (3, "c"), (4, "a")):
                connection.execute(text(
                    "INSERT INTO report (id, receipt_code, created_at, updated_at, kind, flag_ids,"
                    " status, reporter_key) VALUES (:id, :code, :at, :at, 'job_offer', '[]',"
                    " 'new', :key)"), {"id": report_id, "code": f"CODE{report_id:06d}", "at": at,
                                       "key": reporter * 64})
            indicators = [
                (1, "phone", NUMBER, False, None), (2, "whatsapp", NUMBER, True, at),
                (3, "telegram", "HR_Amy", False, None), (4, "telegram", "hr_amy", False, None),
                (5, "wallet_eth", WALLET, True, at), (6, "whatsapp", "+66812345678", False, None),
            ]
            for id_, type_, value, confirmed, confirmed_at in indicators:
                connection.execute(text(
                    "INSERT INTO indicator (id, type, value, confirmed, confirmed_at, confirmed_by)"
                    " VALUES (:id, :type, :value, :confirmed, :at, :by)"),
                    {"id": id_, "type": type_, "value": value, "confirmed": confirmed,
                     "at": confirmed_at, "by": 1 if confirmed else None})
            links = [(1, 1), (2, 2), (1, 3), (2, 3), (3, 3), (4, 4), (5, 4), (6, 2)]
            for indicator_id, report_id in links:
                connection.execute(text(
                    "INSERT INTO report_indicator (indicator_id, report_id) VALUES (:i, :r)"),
                    {"i": indicator_id, "r": report_id})
            connection.execute(text(
                "INSERT INTO review_event (at, actor, indicator_id, action, old, new)"
                " VALUES (:at, 'ana', 2, 'confirm', 'false', 'true')"), {"at": at})
            connection.execute(text(
                "INSERT INTO safelist_entry (id, type, value, label, source) VALUES"
                " (1, 'whatsapp', '+6621234567', 'Embassy', 'gov'),"
                " (2, 'phone', '+6621234567', 'Embassy', 'gov')"))

        migrate(engine)

        with session_scope(engine, read_only=True) as session:
            phone = lookup_indicator(session, type="whatsapp", value=NUMBER)
            assert phone.confirmed and phone.report_count == 3 and phone.independent_reporters == 3
            assert lookup_indicator(session, type="phone", value=NUMBER) == phone
            handle = lookup_indicator(session, type="telegram", value="hr_amy")
            assert handle.report_count == 2 and handle.independent_reporters == 2
            wallet = lookup_indicator(session, type="wallet_eth", value=WALLET.lower())
            assert wallet.confirmed and wallet.report_count == 1
            survivor = session.get_one(Indicator, phone.indicator_id)
            assert survivor.confirmed_by == 1 and survivor.confirmed_at is not None
            [event] = session.exec(select(ReviewEvent)).all()
            assert event.indicator_id == phone.indicator_id
            channels = {(link.report_id, link.channel) for link in session.exec(
                select(ReportIndicator).where(ReportIndicator.indicator_id == phone.indicator_id))}
            assert channels == {(1, "phone"), (2, "whatsapp"), (3, "whatsapp")}
            kinds = sorted((i.type, i.value) for i in session.exec(select(Indicator)).all())
            assert kinds == [("phone", "+66812345678"), ("phone", NUMBER), ("telegram", "hr_amy"),
                             ("wallet_eth", WALLET.lower())]
            assert [(e.type, e.value) for e in session.exec(select(SafelistEntry)).all()] == [
                ("phone", "+6621234567")]
            # Every report keeps its links: of 8, only report 3's two spellings of one number
            # became one.
            assert len(session.exec(select(ReportIndicator)).all()) == 7
    finally:
        engine.dispose()

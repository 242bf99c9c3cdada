"""The batched look-ups of a checked offer's contacts: indicators and safelist, apart and in one query.

Each is checked against what the one-at-a-time functions answer, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from screening.similarity import fingerprint
from storage import agencies, indicators, matching
from storage.agencies import AGENCY_TYPE
from storage.db import run_fixed, session_scope
from storage.indicators import (
    IndicatorSummary,
    lookup_indicator,
    lookup_indicators,
    lookup_indicators_and_safelist,
)
from storage.models import ReportKind, SafelistEntry, StaffRole
from storage.pseudonym import pseudonymise
from storage.reports import create_report
from storage.review_actions import block_reporter, set_indicator_confirmed
from storage.safelist import add_safelist, safelisted_contacts
from storage.staff import create_staff_user
from tests.storage.helpers import KEY, FakeContact

ALICE = pseudonymise(2001, key=KEY)
BOB = pseudonymise(2002, key=KEY)
CAROL = pseudonymise(2003, key=KEY)
PHONE = FakeContact("phone", "+85512345678")
HANDLE = FakeContact("telegram", "jobs_bkk_hr")
# The same value under another type: must not be taken for the handle.
HANDLE_AS_EMAIL = FakeContact("email", "jobs_bkk_hr")
UNREPORTED = FakeContact("telegram", "never_named")


def _report(session: Session, reporter: str, *contacts: FakeContact, at: datetime) -> int:
    report = create_report(session, reporter_key=reporter, kind=ReportKind.job_offer, country="kh",
                           language="en", risk_level="high", flag_ids=[], narrative=None,
                           contacts=list(contacts), now=at)
    assert report.id is not None
    return report.id


def test_lookup_indicators_answers_each_contact_as_lookup_indicator(engine: Engine) -> None:
    day1 = datetime(2026, 3, 1, 8, tzinfo=UTC)
    day4 = datetime(2026, 3, 4, 9, tzinfo=UTC)
    with session_scope(engine) as session:
        _report(session, ALICE, PHONE, HANDLE, at=day1)
        _report(session, ALICE, PHONE, at=day1 + timedelta(hours=2))
        _report(session, BOB, PHONE, at=day4)
        _report(session, CAROL, HANDLE, at=day4)
        # A reporter-free indicator: named by a report whose reporter is then blocked.
        _report(session, CAROL, UNREPORTED, at=day4)
        staff = create_staff_user(session, username="ngo_anna", password_hash="x",
                                  role=StaffRole.reviewer)
        block_reporter(session, actor=staff, user_key=CAROL)
        handle_id = lookup_indicator(session, type="telegram", value=HANDLE.value).indicator_id
        assert handle_id is not None
        set_indicator_confirmed(session, actor=staff, indicator_id=handle_id, confirmed=True)
    wanted = [(c.type, c.value) for c in (PHONE, HANDLE, HANDLE_AS_EMAIL, UNREPORTED)]
    unknown = ("phone", "+10000000000")
    with session_scope(engine) as session:
        found = lookup_indicators(session, contacts=[*wanted, unknown, wanted[0]])
        one_by_one = {key: lookup_indicator(session, type=key[0], value=key[1])
                      for key in [*wanted, unknown]}
    assert found == one_by_one
    phone = found[("phone", PHONE.value)]
    assert (phone.confirmed, phone.report_count, phone.independent_reporters) == (False, 3, 2)
    assert (phone.first_seen, phone.last_seen) == (day1, day4)
    assert phone.first_seen is not None and phone.first_seen.tzinfo is not None
    handle = found[("telegram", HANDLE.value)]
    assert (handle.confirmed, handle.report_count, handle.independent_reporters) == (True, 1, 1)
    assert handle.indicator_id == handle_id
    # Known to the database, but only through a blocked reporter: no counted report.
    unreported = found[("telegram", UNREPORTED.value)]
    assert (unreported.report_count, unreported.first_seen) == (0, None)
    assert unreported.indicator_id is not None
    assert found[("email", HANDLE.value)] == IndicatorSummary(False, 0, 0, None, None)
    assert found[unknown] == IndicatorSummary(False, 0, 0, None, None)


def test_lookup_indicators_of_nothing_asks_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert lookup_indicators(session, contacts=[]) == {}
        assert safelisted_contacts(session, contacts=[]) == set()


def test_safelisted_contacts_matches_type_and_value(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_safelist(session, type="phone", value="+66812345678", label="Hotline", source="test")
        add_safelist(session, type="telegram", value="embassy_help", label="Embassy", source="test")
    with session_scope(engine) as session:
        assert safelisted_contacts(session, contacts=[
            ("phone", "+66812345678"), ("email", "embassy_help"), ("telegram", "embassy_help"),
            ("phone", PHONE.value),
        ]) == {("phone", "+66812345678"), ("telegram", "embassy_help")}


def test_lookup_indicators_and_safelist_answers_as_the_two_look_ups(engine: Engine) -> None:
    day1 = datetime(2026, 3, 1, 8, tzinfo=UTC)
    with session_scope(engine) as session:
        _report(session, ALICE, PHONE, HANDLE, at=day1)
        _report(session, BOB, PHONE, at=day1 + timedelta(days=2))
        # Safelisted and reported: each part of the answer says so on its own.
        add_safelist(session, type="telegram", value=HANDLE.value, label="Embassy", source="test")
        add_safelist(session, type="phone", value="+66812345678", label="Hotline", source="test")
    contacts = [(c.type, c.value) for c in (PHONE, HANDLE, HANDLE_AS_EMAIL, UNREPORTED)]
    contacts += [("phone", "+66812345678"), ("phone", "+10000000000")]
    with session_scope(engine) as session:
        for safelist_part in (contacts, contacts[1:], contacts[:1], []):
            found, safe = lookup_indicators_and_safelist(
                session, contacts=contacts, safelist_contacts=safelist_part)
            assert found == lookup_indicators(session, contacts=contacts)
            assert safe == safelisted_contacts(session, contacts=safelist_part)
        found, safe = lookup_indicators_and_safelist(session, contacts=contacts,
                                                     safelist_contacts=contacts)
        assert safe == {("telegram", HANDLE.value), ("phone", "+66812345678")}
        phone = found[("phone", PHONE.value)]
        assert (phone.report_count, phone.independent_reporters) == (2, 2)
        assert phone.first_seen == day1 and phone.first_seen.tzinfo is not None
        assert lookup_indicators_and_safelist(session, contacts=[], safelist_contacts=[]) == ({}, set())
        # Only the safelist asked: no indicator in the answer, the entries found.
        assert lookup_indicators_and_safelist(
            session, contacts=[], safelist_contacts=[("phone", "+66812345678")]
        ) == ({}, {("phone", "+66812345678")})


def test_an_offers_look_ups_on_sqlites_driver_answer_as_sqlalchemy(engine: Engine) -> None:
    # On SQLite, an offer's look-ups (contacts with the safelist, candidates' signatures,
    # licensed agencies named) run on the driver (storage.db.run_fixed): the same rows,
    # values and types as Session.execute of the same statement.
    if engine.dialect.name != "sqlite":
        pytest.skip("the driver path is SQLite's only")
    ad = ("URGENT hiring customer service staff in Bangkok! Salary 1500 USD per month, no "
          "experience needed, free flight and visa. Contact HR on Telegram today")
    day1 = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    with session_scope(engine) as session:
        for reporter, contacts, hours in ((ALICE, (PHONE, HANDLE), 0), (BOB, (PHONE,), 5),
                                          (CAROL, (UNREPORTED,), 9)):
            create_report(session, reporter_key=reporter, kind=ReportKind.job_offer, country="kh",
                          language="en", risk_level="high", flag_ids=[], narrative=None,
                          contacts=list(contacts), now=day1 + timedelta(hours=hours),
                          offer_text=f"{ad} {hours}")
        staff = create_staff_user(session, username="ngo_anna", password_hash="x",
                                  role=StaffRole.reviewer)
        block_reporter(session, actor=staff, user_key=CAROL)
        add_safelist(session, type="telegram", value=HANDLE.value, label="Embassy", source="test")
        for name in ("bright future manpower", "golden gate staffing"):
            add_safelist(session, type=AGENCY_TYPE, value=name, label=name.title(), source="list")
    values = json.dumps(sorted({PHONE.value, HANDLE.value, UNREPORTED.value, "+10000000000"}))
    lookups = [
        (indicators._LOOKUP_INDICATORS_FIXED, indicators._LOOKUP_INDICATORS["sqlite"],
         {"values": values}),
        (indicators._LOOKUP_WITH_SAFELIST_FIXED, indicators._LOOKUP_WITH_SAFELIST["sqlite"],
         {"values": values, "safe_values": values}),
        (matching._SIGNATURES_FIXED, matching._SIGNATURES["sqlite"],
         {"keys": json.dumps(sorted(set(fingerprint(ad).bands()))), "limit": 60}),
        (agencies._AGENCIES_NAMED_IN_FIXED, agencies._AGENCIES_NAMED_IN,
         {"haystack": " via bright future manpower or golden gate staffing ", "limit": 5}),
    ]
    with session_scope(engine) as session:
        for on_the_driver, statement, parameters in lookups:
            driver_rows = run_fixed(session, on_the_driver, parameters)
            sqlalchemy_rows = [tuple(row) for row in session.execute(statement, parameters)]
            assert len(driver_rows) >= 2
            assert [tuple(row) for row in driver_rows] == sqlalchemy_rows
            assert [[type(value) for value in row] for row in driver_rows] == [
                [type(value) for value in row] for row in sqlalchemy_rows]
            assert [row._fields for row in driver_rows[:1]] == [
                tuple(row._fields) for row in session.execute(statement, parameters)][:1]


def test_an_offers_look_ups_see_what_the_session_has_not_flushed_yet(engine: Engine) -> None:
    # Session.execute flushes pending ORM changes before any statement; the look-ups on
    # SQLite's driver (storage.db.run_fixed) do too, on both engines the same answer.
    with session_scope(engine) as session:
        session.add(SafelistEntry(type="telegram", value=HANDLE.value, label="Embassy",
                                  source="test"))
        session.add(SafelistEntry(type=AGENCY_TYPE, value="bright future manpower",
                                  label="Bright Future Manpower", source="list"))
        contacts = [("telegram", HANDLE.value)]
        assert lookup_indicators_and_safelist(session, contacts=contacts,
                                              safelist_contacts=contacts)[1] == set(contacts)
    with session_scope(engine) as session:
        session.add(SafelistEntry(type=AGENCY_TYPE, value="golden gate staffing",
                                  label="Golden Gate Staffing", source="list"))
        named = agencies.agencies_named_in(session, text="via Golden Gate Staffing today")
        assert [agency.value for agency in named] == ["golden gate staffing"]

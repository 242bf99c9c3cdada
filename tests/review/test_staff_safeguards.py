"""Issue 17: confirming a single-reporter contact needs an admin or a second reviewer; blocking a
reporter needs a reason and a confirmation and can be undone; claiming someone else's report asks
first; a rejected contact is published in STIX as a revoked indicator."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from review import queries
from review.auth import hash_password
from review.stix import stix_bundle
from storage.db import session_scope
from storage.models import Indicator, Report, ReportStatus, ReviewEvent, StaffRole, StaffUser, UserPrefs
from storage.staff import create_staff_user
from tests.review.conftest import ADMIN, REVIEWER, Seeded, hidden_field, log_in

SECOND = ("sam", "a third long passphrase 7")


def _indicator(engine: Engine, value: str) -> Indicator:
    with session_scope(engine, read_only=True) as session:
        return session.exec(select(Indicator).where(Indicator.value == value)).one()


def _add_second_reviewer(engine: Engine) -> None:
    with session_scope(engine) as session:
        create_staff_user(session, username=SECOND[0], password_hash=hash_password(SECOND[1]),
                          role=StaffRole.reviewer)


async def test_single_reporter_contact_needs_a_second_reviewer(client: TestClient, engine: Engine,
                                                               seeded: Seeded) -> None:
    handle = _indicator(engine, "fast_jobs_kh")  # named by one report only
    assert handle.id is not None
    url = f"/review/reports/{seeded.scam_report_id}/contacts/{handle.id}"
    csrf = await log_in(client, *REVIEWER)
    first = await client.post(url, data={"csrf": csrf, "decision": "confirm"}, allow_redirects=False)
    assert first.status == 303 and "done=proposed" in first.headers["Location"]
    assert not _indicator(engine, "fast_jobs_kh").confirmed
    page = await client.get(f"/review/reports/{seeded.scam_report_id}")
    assert f"proposed by {REVIEWER[0]}" in await page.text()
    again = await client.post(url, data={"csrf": csrf, "decision": "confirm"}, allow_redirects=False)
    assert again.status == 400 and not _indicator(engine, "fast_jobs_kh").confirmed

    _add_second_reviewer(engine)
    client.session.cookie_jar.clear()
    csrf = await log_in(client, *SECOND)
    second = await client.post(url, data={"csrf": csrf, "decision": "confirm"}, allow_redirects=False)
    assert second.status == 303 and "done=confirmed" in second.headers["Location"]
    assert _indicator(engine, "fast_jobs_kh").confirmed


def test_an_admin_confirms_alone_and_a_reviewer_alone_a_contact_many_reported(
        engine: Engine, seeded: Seeded) -> None:
    handle, phone = _indicator(engine, "fast_jobs_kh"), _indicator(engine, seeded.shared_phone)
    assert handle.id is not None and phone.id is not None
    with session_scope(engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        reviewer = session.exec(select(StaffUser).where(StaffUser.username == REVIEWER[0])).one()
        assert queries.set_indicator_decision(session, indicator_id=handle.id, confirmed=True,
                                              staff=admin) == "confirmed"
        # Two independent people named the phone: one reviewer is enough.
        assert queries.set_indicator_decision(session, indicator_id=phone.id, confirmed=True,
                                              staff=reviewer) == "confirmed"


async def test_blocking_needs_a_reason_and_a_confirmation_and_can_be_undone(
        client: TestClient, engine: Engine, seeded: Seeded) -> None:
    csrf = await log_in(client, *ADMIN)
    block = f"/review/reports/{seeded.xss_report_id}/block"
    asked = await client.post(block, data={"csrf": csrf, "note": "floods the bot"}, allow_redirects=False)
    assert asked.status == 200 and 'name="confirm" value="yes"' in await asked.text()
    no_reason = await client.post(block, data={"csrf": csrf, "confirm": "yes"}, allow_redirects=False)
    assert no_reason.status == 200  # asked again, for the reason
    with session_scope(engine, read_only=True) as session:
        assert session.get(UserPrefs, "b" * 64) is None or not session.get(UserPrefs, "b" * 64).blocked
    done = await client.post(block, data={"csrf": csrf, "confirm": "yes", "note": "floods the bot"},
                             allow_redirects=False)
    assert done.status == 303 and "done=blocked" in done.headers["Location"]
    with session_scope(engine, read_only=True) as session:
        assert {r.status for r in session.exec(select(Report).where(Report.reporter_key == "b" * 64))} == {
            ReportStatus.spam}
    page = await client.get(f"/review/reports/{seeded.xss_report_id}")
    assert f"/reports/{seeded.xss_report_id}/unblock" in await page.text()
    unblock = f"/review/reports/{seeded.xss_report_id}/unblock"
    assert (await client.post(unblock, data={"csrf": csrf}, allow_redirects=False)).status == 400
    undone = await client.post(unblock, data={"csrf": csrf, "note": "mistake"}, allow_redirects=False)
    assert undone.status == 303 and "done=unblocked" in undone.headers["Location"]
    with session_scope(engine, read_only=True) as session:
        prefs = session.get(UserPrefs, "b" * 64)
        assert prefs is not None and not prefs.blocked
        assert {r.status for r in session.exec(select(Report).where(Report.reporter_key == "b" * 64))} == {
            ReportStatus.new}
        actions = [e.action for e in session.exec(select(ReviewEvent).where(
            ReviewEvent.report_id == seeded.xss_report_id)).all()]
        assert "block_reporter" in actions and "unblock_reporter" in actions


async def test_claiming_someone_elses_report_asks_first(client: TestClient, engine: Engine,
                                                        seeded: Seeded) -> None:
    claim = f"/review/reports/{seeded.other_report_id}/claim"
    csrf = await log_in(client, *ADMIN)
    assert (await client.post(claim, data={"csrf": csrf}, allow_redirects=False)).status == 303
    client.session.cookie_jar.clear()
    csrf = await log_in(client, *REVIEWER)
    asked = await client.post(claim, data={"csrf": csrf}, allow_redirects=False)
    text = await asked.text()
    assert asked.status == 200 and f"{ADMIN[0]} has claimed this report" in text
    assert hidden_field(text, "confirm") == "yes"
    with session_scope(engine, read_only=True) as session:
        report = session.get(Report, seeded.other_report_id)
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        assert report is not None and report.assignee_id == admin.id
    taken = await client.post(claim, data={"csrf": csrf, "confirm": "yes"}, allow_redirects=False)
    assert taken.status == 303
    with session_scope(engine, read_only=True) as session:
        report = session.get(Report, seeded.other_report_id)
        reviewer = session.exec(select(StaffUser).where(StaffUser.username == REVIEWER[0])).one()
        assert report is not None and report.assignee_id == reviewer.id


async def test_a_rejected_contact_is_published_as_revoked(client: TestClient, engine: Engine,
                                                          seeded: Seeded) -> None:
    phone = _indicator(engine, seeded.shared_phone)
    url = f"/review/reports/{seeded.scam_report_id}/contacts/{phone.id}"
    csrf = await log_in(client, *ADMIN)
    await client.post(url, data={"csrf": csrf, "decision": "confirm"})
    confirmed = json.loads(await (await client.get("/review/export/stix.json")).text())
    [published] = [o for o in confirmed["objects"] if o["type"] == "indicator"]
    assert "revoked" not in published
    await client.post(url, data={"csrf": csrf, "decision": "reject"})
    withdrawn = json.loads(await (await client.get("/review/export/stix.json")).text())
    [revoked] = [o for o in withdrawn["objects"] if o["type"] == "indicator"]
    assert revoked["id"] == published["id"] and revoked["revoked"] is True
    assert revoked["created"] == published["created"] and revoked["modified"] >= published["modified"]
    assert revoked["pattern"] == published["pattern"]


def test_revoked_indicator_keeps_its_id_and_creation_time() -> None:
    indicator = Indicator(type="phone", value="+85512345678")
    confirmed_at, withdrawn_at = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    indicator.confirmed_at = confirmed_at
    live = stix_bundle([(indicator, 2)])["objects"][1]
    gone = stix_bundle([], revoked=[(indicator, confirmed_at, withdrawn_at)])["objects"][1]
    assert gone["id"] == live["id"] and gone["revoked"] is True
    assert gone["created"] == "2026-03-01T00:00:00.000Z" and gone["modified"] == "2026-04-01T00:00:00.000Z"

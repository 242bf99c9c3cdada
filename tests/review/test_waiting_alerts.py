"""An urgent report whose alert has not reached the staff chat is first in the queue: above it,
whatever the sort, filter or page, until the bot delivers it (storage/alerts.py). The queue's
own order (newest first by default, no urgency key) would put an older one pages down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
from sqlalchemy import Engine, select
from sqlmodel import col

from storage import alerts, talk
from storage.db import session_scope
from storage.models import ReviewEvent, StaffAlert
from storage.reports import create_report
from tests.review.conftest import ADMIN, log_in

SEAL = b"any-sealing-key-the-bot-would-use"


async def test_an_undelivered_alert_is_shown_above_every_queue(client: TestClient,
                                                                engine: Engine) -> None:
    await log_in(client, *ADMIN)
    page = await client.get("/review/")
    assert 'id="waiting-alerts"' not in await page.text()  # nothing waiting: no box

    with session_scope(engine) as db:
        # Older than every seeded report: on page 3 of the newest-first queue.
        report = create_report(db, reporter_key="e" * 64, kind="urgent_help", country="MM",
                               language="th", risk_level=None, flag_ids=[], narrative="held",
                               contacts=[], now=datetime.now(UTC) - timedelta(days=40))
        alert = alerts.add_alert(db, text="🆘 Urgent report: someone is held. LINE auntie_mai",
                                 seal_key=SEAL, report_id=report.id, reporter_key="e" * 64)
        alerts.add_alert(db, text="a person in danger: Signal +95 9 1", seal_key=SEAL,
                         reporter_key="f" * 64)
        assert alert.id is not None
        alert_id, report_id, code = alert.id, report.id, report.receipt_code
    with session_scope(engine) as db:
        alerts.claim_alert(db, alert_id=alert_id, sender="s", now=datetime.now(UTC), seal_key=SEAL)
        alerts.retry_later(db, alert_id=alert_id, sender="s", now=datetime.now(UTC),
                           error="BadRequest")

    for path in ("/review/", "/review/?sort=oldest&page=2", "/review/?kind=job_offer&risk=low"):
        html = await (await client.get(path)).text()
        box = html.index('id="waiting-alerts"')
        assert box < html.index('class="search"'), path  # before the queue itself
        assert "2 urgent alerts have not reached the staff chat yet" in html
        assert f'href="/review/reports/{report_id}"' in html[box:] and code in html[box:]
        assert "1 attempt" in html and "last error: BadRequest" in html
        assert "auntie_mai" not in html and "Signal" not in html  # sealed: never shown here

    with session_scope(engine) as db:
        alerts.delivered(db, alert_id=alert_id)
    html = await (await client.get("/review/")).text()
    assert "1 urgent alert has not reached the staff chat yet" in html


async def test_a_person_in_danger_waiting_alert_says_what_staff_can_know_and_do(
        client: TestClient, engine: Engine) -> None:
    """No report, and its text sealed for the staff chat: the staff app shows when, in which
    language, from which country, that it has not arrived (or may have), and what staff can
    do (write to the person in their open conversation; try again now). Never the text, nor
    who the person is."""
    csrf = await log_in(client, *ADMIN)
    person = "d" * 64
    now = datetime.now(UTC)
    with session_scope(engine) as db:
        alert = alerts.add_alert(db, text="🆘 a person says they are in danger. Viber 09 555 0101",
                                 seal_key=SEAL, reporter_key=person, language="my", country="MM",
                                 now=now - timedelta(minutes=20))
        assert alert.id is not None
        alert_id = alert.id
    with session_scope(engine) as db:
        alerts.claim_alert(db, alert_id=alert_id, sender="s", now=now, seal_key=SEAL)
        alerts.retry_later(db, alert_id=alert_id, sender="s", now=now, error="TimedOut",
                           outcome_unknown=True)
    html = await (await client.get("/review/")).text()
    box = html[html.index('id="waiting-alerts"'):html.index('class="search"')]
    assert "A person in danger asked for help" in box
    assert "language: my" in box and "country: MM" in box
    assert "1 attempt" in box and "last error: TimedOut" in box
    assert "An attempt may have reached the staff chat" in box
    assert "is sealed for the staff chat" in box
    assert "They have no open conversation" in box
    assert f'action="/review/alerts/{alert_id}/send-now"' in box
    assert "Viber" not in html and "0101" not in html and person not in html

    # They opened /talk after the alert (the flow offers it): staff can write to them there.
    with session_scope(engine) as db:
        case, _new = talk.open_case(db, user_key=person, chat_id=555, seal_key=SEAL, locale="my",
                                    to_group=False, now=now)
        talk.open_case(db, user_key="e" * 64, chat_id=556, seal_key=SEAL, locale="th",
                       to_group=False, now=now)  # someone else's
        case_id = case.id
    html = await (await client.get("/review/")).text()
    box = html[html.index('id="waiting-alerts"'):html.index('class="search"')]
    assert f'href="/review/conversations/{case_id}"' in box
    assert f"They opened conversation #{case_id}: write to them there" in box
    assert box.count("/review/conversations/") == 1

    # The staff chat fixed: "Try again now" makes it due at once instead of in up to 15 min.
    with session_scope(engine, read_only=True) as db:
        assert db.get_one(StaffAlert, alert_id).next_attempt_at > datetime.now(UTC)
    answer = await client.post(f"/review/alerts/{alert_id}/send-now", data={"csrf": csrf},
                               allow_redirects=False)
    assert answer.status == 303 and answer.headers["Location"] == "/review/?done=alert_due"
    with session_scope(engine, read_only=True) as db:
        assert db.get_one(StaffAlert, alert_id).next_attempt_at <= datetime.now(UTC)
        assert alerts.due_alerts(db, now=datetime.now(UTC)) == [alert_id]
        [event] = db.execute(select(ReviewEvent).where(
            col(ReviewEvent.action) == "alert_send_now")).scalars().all()
        assert (event.actor, event.report_id) == (ADMIN[0], None)
    refused = await client.post(f"/review/alerts/{alert_id}/send-now", data={},
                                allow_redirects=False)
    assert refused.status == 403  # the CSRF token, as for every staff action

    with session_scope(engine) as db:
        alerts.delivered(db, alert_id=alert_id)
    answer = await client.post(f"/review/alerts/{alert_id}/send-now", data={"csrf": csrf},
                               allow_redirects=False)
    assert answer.headers["Location"] == "/review/?done=alert_gone"
    assert 'id="waiting-alerts"' not in await (await client.get("/review/")).text()

"""An urgent report whose alert has not reached the staff chat is first in the queue: above it,
whatever the sort, filter or page, until the bot delivers it (storage/alerts.py). The queue's
own order (newest first by default, no urgency key) would put an older one pages down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
from sqlalchemy import Engine

from storage import alerts
from storage.db import session_scope
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

"""Issue 15, staff side of offer matching: a report's page lists its near-duplicates
(storage.matching.near_duplicates) and the reports sharing a contact identity (whatever the
spelling or app); the queue groups reports by template and filters to one template."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine

from storage import queue
from storage.db import session_scope
from storage.matching import template_members
from storage.reports import create_report
from tests.review.conftest import ADMIN, Seeded, contacts_of, log_in

LURE = ("We are hiring customer service staff for an international company in Sihanoukville. "
        "Salary 2500 USD per month, free accommodation and meals, free air ticket, no experience "
        "needed, only typing skills. Contact our HR manager today, places are limited!")
OTHER_LURE = ("Earn money at home by liking videos on TikTok, 30 dollars a task, join our "
              "Telegram mentor group and deposit to unlock the VIP tasks with bigger commissions.")


def _variant(number: int) -> str:
    return LURE.replace("2500", str(2500 + number * 100)) + f" Telegram @hr_desk_{number}"


def seed_templates(engine: Engine) -> dict[str, int]:
    """Three reports of one lure (new handle and amount each), one of another lure, and two
    reports naming one phone number in two spellings (plain and WhatsApp link)."""
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    with session_scope(engine) as session:
        for number in range(3):
            report = create_report(
                session, reporter_key=f"{number + 1:064x}", kind="job_offer", country="KH",
                language="en", risk_level="high", flag_ids=[], narrative="they kept my passport",
                offer_text=_variant(number), contacts=[], now=now - timedelta(hours=number + 1))
            ids[f"lure{number}"] = report.id or 0
        report = create_report(
            session, reporter_key="9" * 64, kind="job_offer", country="TH", language="en",
            risk_level="medium", flag_ids=[], narrative=None, offer_text=OTHER_LURE, contacts=[],
            now=now - timedelta(hours=5))
        ids["other"] = report.id or 0
        plain = create_report(
            session, reporter_key="7" * 64, kind="contact", country="KH", language="en",
            risk_level="high", flag_ids=[], narrative="recruiter number", now=now - timedelta(hours=6),
            contacts=contacts_of("+855 97 123 4567"))
        whatsapp = create_report(
            session, reporter_key="8" * 64, kind="contact", country="KH", language="en",
            risk_level="high", flag_ids=[], narrative="same recruiter on WhatsApp",
            now=now - timedelta(hours=7), contacts=contacts_of("wa.me/855971234567"))
        ids["plain"], ids["whatsapp"] = plain.id or 0, whatsapp.id or 0
    return ids


def test_template_members_and_queue_grouping(engine: Engine, seeded: Seeded) -> None:
    ids = seed_templates(engine)
    lure = sorted(ids[f"lure{n}"] for n in range(3))
    with session_scope(engine, read_only=True) as session:
        for report_id in lure:
            members, capped = template_members(session, report_id=report_id)
            assert members == lure and not capped
        assert template_members(session, report_id=ids["other"]) == ([ids["other"]], False)
        only = queue.queue_page(session, filters=queue.parse_queue_filter({"template": str(lure[0])}),
                                staff_id=None)
        assert sorted(row.id for row in only.rows) == lure and only.total == 3
        grouped = queue.queue_page(session, filters=queue.parse_queue_filter({"group": "template"}),
                                   staff_id=None)
        firsts = [row.template.first if row.template else None for row in grouped.rows]
        # The lure's three rows are together, under the lowest id of the template.
        start = firsts.index(lure[0])
        assert firsts[start:start + 3] == [lure[0]] * 3 and firsts.count(lure[0]) == 3
        assert {row.template.size for row in grouped.rows if row.id in lure} == {3}
        plain = queue.queue_page(session, filters=queue.parse_queue_filter({}), staff_id=None)
        assert all(row.template is None for row in plain.rows)


async def test_report_page_shows_near_duplicates_and_shared_identities(
        client: TestClient, engine: Engine, seeded: Seeded) -> None:
    ids = seed_templates(engine)
    await log_in(client, *ADMIN)
    page = await (await client.get(f"/review/reports/{ids['lure0']}")).text()
    near = page.split('id="near-duplicates"')[1].split("</section>")[0]
    linked_ids = set(re.findall(r'href="/review/reports/(\d+)"', near))
    assert linked_ids == {str(ids["lure1"]), str(ids["lure2"])}
    assert "% similar" in near and str(ids["other"]) not in linked_ids
    assert "3 reports made from this template" in near
    # Nothing similar: said so.
    lonely = await (await client.get(f"/review/reports/{ids['other']}")).text()
    assert "No other report has a similar text." in lonely
    # A number given plainly and as a WhatsApp link is one identity: the reports are linked.
    plain = await (await client.get(f"/review/reports/{ids['plain']}")).text()
    network = plain.split("Network: reports sharing a contact")[1].split("</section>")[0]
    assert f'href="/review/reports/{ids["whatsapp"]}"' in network
    # The queue: grouped by template, and one template's queue from the link.
    grouped = await (await client.get("/review/?group=template")).text()
    assert grouped.count('class="template-group"') >= 1
    assert f"Template of report #{min(ids[f'lure{n}'] for n in range(3))}: 3 reports" in grouped
    only = await (await client.get(f"/review/?template={ids['lure1']}")).text()
    assert 'id="template-hint"' in only
    assert set(re.findall(r'data-report="(\d+)"', only)) == {str(ids[f"lure{n}"]) for n in range(3)}

"""Issue 18 at 100,000 reports: a cluster page lists its reports and contacts a page at a time
(all of them stay in the export), keeps the walk for a minute but never past a staff action;
a contact's page counts and dates its reports without reading them all."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from review import app as review_app
from review import queries
from storage.db import session_scope
from storage.models import Indicator, Report, ReportIndicator
from tests.review.conftest import ADMIN, Seeded, log_in


def _listed(body: str) -> list[int]:
    return [int(number) for number in re.findall(r'class="cluster-report" href="[^"]+">(\d+)<', body)]


async def test_a_cluster_is_paged_and_forgotten_after_a_staff_action(
        client: TestClient, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_app, "CLUSTER_PAGE_ROWS", 2)
    csrf = await log_in(client, *ADMIN)
    cluster = f"/review/networks/cluster/{seeded.scam_report_id}"
    first = await (await client.get(cluster)).text()
    second = await (await client.get(f"{cluster}?page=2")).text()
    assert "page 1 of 2" in first and 'rel="next"' in first and 'id="worked-out"' in first
    network = sorted([seeded.scam_report_id, seeded.xss_report_id, 3])
    assert sorted(_listed(first) + _listed(second)) == network
    assert len(_listed(first)) == 2 and "page 2 of 2" in second
    export = await (await client.get(f"{cluster}/export.json")).json()
    assert len(export["reports"]) == 3  # the export is never paged

    # Report 3 becomes spam: spam never joins a cluster, and the kept walk is dropped at once.
    done = await client.post("/review/reports/3/status", data={"csrf": csrf, "status": "spam", "note": "x"})
    assert done.status == 200
    after = await (await client.get(cluster)).text()
    assert sorted(_listed(after)) == sorted([seeded.scam_report_id, seeded.xss_report_id])
    assert "page 1 of" not in after  # two reports fit on one page


async def test_a_kept_cluster_is_reused_within_the_minute(client: TestClient, seeded: Seeded,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    await log_in(client, *ADMIN)
    walks: list[int] = []
    real = queries.cluster_of

    def counted(session: object, *, report_id: int) -> queries.ClusterView | None:
        walks.append(report_id)
        return real(session, report_id=report_id)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "cluster_of", counted)
    for _ in range(3):
        assert (await client.get(f"/review/networks/cluster/{seeded.scam_report_id}")).status == 200
    assert walks == [seeded.scam_report_id]
    assert (await client.get("/review/networks/cluster/999999")).status == 404


@pytest.mark.parametrize("walk_dates_from", [queries.WALK_DATES_FROM, 1])  # 1: read as a hub's
def test_a_contact_counts_and_dates_its_reports(engine: Engine, seeded: Seeded, walk_dates_from: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "WALK_DATES_FROM", walk_dates_from)
    with session_scope(engine, read_only=True) as session:
        phone = session.exec(select(Indicator).where(Indicator.value == "+85512345678")).one()
        assert phone.id is not None
        view = queries.contact_view(session, indicator_id=phone.id)
        dates = session.exec(select(Report.created_at).join(
            ReportIndicator, col(ReportIndicator.report_id) == col(Report.id))
            .where(ReportIndicator.indicator_id == phone.id)).all()
    assert view is not None and view.total == len(dates) == 3
    assert [r.created_at for r in view.reports] == sorted(dates, reverse=True)
    assert (view.first_seen, view.last_seen) == (min(dates), max(dates))
    assert view.last_seen is not None and view.last_seen < datetime.now(UTC)

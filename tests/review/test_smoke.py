from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.review.conftest import ADMIN, Seeded, log_in


async def test_admin_sees_queue_report_dashboard(client: TestClient, seeded: Seeded) -> None:
    await log_in(client, *ADMIN)
    for path in ("/review/", f"/review/reports/{seeded.scam_report_id}", "/review/dashboard",
                 "/review/networks", "/review/safelist", "/review/agencies", "/review/audit",
                 "/review/export.csv", "/review/export.json", "/review/export/stix.json"):
        response = await client.get(path)
        assert response.status == 200, (path, await response.text())

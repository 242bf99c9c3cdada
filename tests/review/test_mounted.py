"""The review app as the webhook server mounts it (`bot.web.create_web_app`, under /review)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from bot.config import Settings
from tests.review.conftest import REVIEWER, Seeded, log_in


async def test_review_app_inside_the_webhook_server(settings: Settings, engine: Engine,
                                                    seeded: Seeded) -> None:
    from bot.app import build_application
    from bot.web import create_web_app

    settings = settings.with_overrides(telegram_bot_token="123456:TEST-token-for-the-emulator-only",
                                       webhook_url="http://127.0.0.1/telegram", webhook_secret="s3cret")
    application = build_application(settings, engine=engine, polling=False)
    app = create_web_app(settings, application, engine=engine, start_application=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        assert (await client.get("/review/", allow_redirects=False)).status == 303
        csrf = await log_in(client, *REVIEWER)
        page = await client.get(f"/review/reports/{seeded.scam_report_id}")
        assert page.status == 200 and "+85512345678" in await page.text()
        claimed = await client.post(f"/review/reports/{seeded.scam_report_id}/claim", data={"csrf": csrf})
        assert claimed.status == 200
        # The bot's own routes are untouched by the review app's access control.
        assert (await client.get("/healthz")).status == 200
        assert (await client.post("/telegram", data=b"{}")).status == 401

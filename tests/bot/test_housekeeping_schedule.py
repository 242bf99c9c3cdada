"""RETENTION_DAYS is enforced while the bot runs: the background jobs that both long polling and
the webhook server start (bot.app.start_background_jobs) purge a backdated narrative."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from bot.app import build_application, start_background_jobs, stop_background_jobs
from storage.db import create_db_engine, migrate, session_scope
from storage.models import Report, utcnow
from storage.reports import create_report
from tests.handlers.conftest import make_settings


def test_background_jobs_purge_narratives_past_retention(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, retention_days=30)
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    with session_scope(engine) as session:
        report = create_report(session, reporter_key="a" * 64, kind="job_offer", contacts=[],
                               flag_ids=[], narrative="an old story", country=None,
                               language="en", risk_level=None)
        report.created_at = utcnow() - timedelta(days=31)
        session.add(report)
        session.flush()
        report_id = report.id

    def narrative() -> str | None:
        with session_scope(engine, read_only=True) as session:
            return session.execute(
                select(Report.narrative).where(col(Report.id) == report_id)).scalar()

    async def scenario() -> str | None:
        application = build_application(settings, engine=engine)
        start_background_jobs(application)
        try:
            assert "housekeeping" in application.bot_data
            for _ in range(100):
                if await asyncio.to_thread(narrative) is None:
                    break
                await asyncio.sleep(0.05)
        finally:
            await stop_background_jobs(application)
        return await asyncio.to_thread(narrative)

    assert asyncio.run(scenario()) is None
    engine.dispose()

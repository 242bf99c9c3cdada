"""Scheduled privacy housekeeping, run once per period however many instances share the database.

What it does, each in the same transaction as the lease that lets it run:
- **retention**: `purge_narratives(older_than_days=RETENTION_DAYS)` (when set), and alerts to
  the staff chat still waiting after as long (`storage.alerts.purge_alerts`);
- **abandoned drafts**: a conversation idle for longer than `DRAFT_TTL` (the router's 6-hour
  expiry) outside the menu and onboarding is put back to the menu and its data (drafts of
  unfinished reports, kept replies) erased; the person's next button press is stale;
- **inbox**: finished updates older than 7 days are deleted (`storage.inbox.prune_done`);
- **partner audit**: audited look-up API calls older than `partner_call_days`
  (PARTNER_CALL_RETENTION_DAYS, a year by default) are deleted (`storage.partners.prune_calls`).

"Once, not N times": every instance calls `run_housekeeping` on a timer. The first statement is
a conditional UPDATE of the job's `housekeeping_lease` row (`last_run_at` older than the period
→ now). PostgreSQL serialises concurrent UPDATEs of a row and re-checks the condition after the
first commits; SQLite's `BEGIN IMMEDIATE` serialises whole transactions: either way exactly one
caller per period sees one row updated and runs the jobs; the others see none and return. If
the jobs fail, the lease update rolls back with them and the next tick (any instance) retries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Engine, update
from sqlmodel import Session, col

from storage.alerts import purge_alerts
from storage.db import dialect_insert, session_scope
from storage.erasure import purge_narratives
from storage.inbox import prune_done
from storage.models import ConversationRow, HousekeepingLease, utcnow
from storage.partners import prune_calls

log = logging.getLogger(__name__)

JOB = "privacy"
DEFAULT_EVERY = timedelta(minutes=15)
# The router closes an unfinished conversation idle for this long when the person writes again
# (handlers.router.CONVERSATION_TTL); the schedule erases it even if they never do.
DRAFT_TTL = timedelta(hours=6)
# How long the audit of partner API calls is kept (PARTNER_CALL_RETENTION_DAYS).
PARTNER_CALL_DAYS = 365
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)
# Flows whose state is kept however long it waits: the menu holds no draft, and onboarding only
# which step of choosing a language the person is at.
_KEPT_FLOWS = ("menu", "onboarding")


@dataclass(frozen=True)
class HousekeepingResult:
    narratives_purged: int
    drafts_purged: int
    inbox_pruned: int
    partner_calls_pruned: int = 0


def claim_lease(session: Session, *, name: str, every: timedelta, holder: str,
                now: datetime | None = None) -> bool:
    """True for exactly one caller per `every` (see the module doc); flushes, never commits."""
    moment = now or utcnow()
    session.execute(
        dialect_insert(session)(HousekeepingLease)
        .values(name=name, holder=None, last_run_at=_NEVER)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    result = session.execute(
        update(HousekeepingLease)
        .where(col(HousekeepingLease.name) == name,
               col(HousekeepingLease.last_run_at) <= moment - every)
        .values(last_run_at=moment, holder=holder[:128])
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def purge_abandoned_drafts(session: Session, *, idle_for: timedelta = DRAFT_TTL,
                           now: datetime | None = None) -> int:
    """Conversations idle for longer than `idle_for` back to the menu, their data erased."""
    cutoff = (now or utcnow()) - idle_for
    table = ConversationRow.__table__  # type: ignore[attr-defined]
    result = session.execute(
        update(ConversationRow)
        .where(
            col(ConversationRow.updated_at) < cutoff,
            sa.or_(
                col(ConversationRow.flow).not_in(_KEPT_FLOWS),
                sa.and_(col(ConversationRow.flow) == "menu", col(ConversationRow.state) != "idle"),
                sa.cast(table.c.data, sa.Text) != "{}",
            ),
            col(ConversationRow.flow) != "onboarding",
        )
        .values(flow="menu", state="idle", data={}, version=ConversationRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def run_housekeeping(engine: Engine, *, retention_days: int | None, holder: str,
                     every: timedelta = DEFAULT_EVERY, draft_ttl: timedelta = DRAFT_TTL,
                     partner_call_days: int = PARTNER_CALL_DAYS,
                     now: datetime | None = None) -> HousekeepingResult | None:
    """Run the jobs if no instance ran them in the last `every`; None when it was not our turn."""
    moment = now or utcnow()
    with session_scope(engine) as session:
        if not claim_lease(session, name=JOB, every=every, holder=holder, now=moment):
            return None
        narratives = (purge_narratives(session, older_than_days=retention_days, now=moment)
                      if retention_days else 0)
        if retention_days:
            purge_alerts(session, older_than_days=retention_days, now=moment)
        drafts = purge_abandoned_drafts(session, idle_for=draft_ttl, now=moment)
        pruned = prune_done(session, now=moment)
        calls = prune_calls(session, older_than_days=partner_call_days, now=moment)
    result = HousekeepingResult(narratives_purged=narratives, drafts_purged=drafts,
                                inbox_pruned=pruned, partner_calls_pruned=calls)
    log.info("housekeeping ran", extra={"narratives_purged": narratives,
                                        "drafts_purged": drafts, "inbox_pruned": pruned,
                                        "partner_calls_pruned": calls})
    return result

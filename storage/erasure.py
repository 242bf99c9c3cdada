"""Privacy: a person's erasure (/delete), a pseudonym's rename after a key rotation, and
retention (narratives purged after RETENTION_DAYS).

Every function takes the session first and everything else by keyword; functions flush but
never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select, update
from sqlmodel import Session, col

from storage import changes
from storage.alerts import erase_alerts, rename_alerts
from storage.models import (
    ConversationRow,
    InboundUpdate,
    InboxStatus,
    Indicator,
    RateEvent,
    Report,
    ReportIndicator,
    ReviewEvent,
    TalkCase,
    UserPrefs,
    utcnow,
)
from storage.reports import REPORTER_ACTOR


@dataclass(frozen=True)
class DeletionSummary:
    reports: int
    indicators: int
    prefs: int
    conversations: int
    rate_events: int
    inbox_updates: int
    staff_alerts: int = 0


def delete_user_data(session: Session, *, user_key: str) -> DeletionSummary:
    """Erase everything linked to a pseudonym (the /delete command).

    Gone: the person's reports and their indicator links, indicators no other report names
    and staff never confirmed, prefs, conversation, rate events, finished inbox rows, alerts to
    the staff chat not sent yet (`storage.alerts`: never sent after this). The audit
    log keeps that reviews happened but loses their notes (which may quote the narrative).
    A blocked person keeps a bare "blocked" marker, so /delete is no way around a block.
    """
    # Before the reports: an alert of one of them would go with it (ON DELETE CASCADE), but
    # SQLite enforces that only with foreign keys on, and it would not be counted.
    staff_alerts = erase_alerts(session, user_key=user_key)
    report_ids = list(session.execute(
        select(col(Report.id)).where(col(Report.reporter_key) == user_key)
    ).scalars())
    candidate_indicators: list[int] = []
    if report_ids:
        candidate_indicators = list(session.execute(
            select(col(ReportIndicator.indicator_id))
            .where(col(ReportIndicator.report_id).in_(report_ids))
            .distinct()
        ).scalars())
        session.execute(
            delete(ReportIndicator).where(col(ReportIndicator.report_id).in_(report_ids))
        )
        session.execute(
            update(ReviewEvent)
            .where(col(ReviewEvent.report_id).in_(report_ids))
            .values(note=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(Report).where(col(Report.id).in_(report_ids)))
    deleted_indicators = 0
    if candidate_indicators:
        still_linked = exists().where(col(ReportIndicator.indicator_id) == col(Indicator.id))
        result = session.execute(
            delete(Indicator).where(
                col(Indicator.id).in_(candidate_indicators),
                col(Indicator.confirmed).is_(False),
                ~still_linked,
            )
        )
        deleted_indicators = int(result.rowcount)  # type: ignore[attr-defined]
    prefs = session.get(UserPrefs, user_key)
    prefs_deleted = 0
    if prefs is not None:
        if prefs.blocked:
            prefs.locale = prefs.country = None
            prefs.consent_store_reports = prefs.consent_notify = False
            session.add(prefs)
        else:
            session.delete(prefs)
            prefs_deleted = 1
    conversations = session.execute(
        delete(ConversationRow).where(col(ConversationRow.user_key) == user_key)
    )
    rate_events = session.execute(delete(RateEvent).where(col(RateEvent.user_key) == user_key))
    inbox = session.execute(
        delete(InboundUpdate).where(
            col(InboundUpdate.chat_key) == user_key,
            col(InboundUpdate.status).in_([InboxStatus.done, InboxStatus.failed]),
        )
    )
    if report_ids:
        session.add(ReviewEvent(actor=REPORTER_ACTOR, action="user_data_deleted",
                                new=f"{len(report_ids)} reports"))
    session.flush()
    # Confirmed contacts are never deleted, but their counts just dropped.
    changes.record_indicator_changes(session, indicator_ids=candidate_indicators)
    return DeletionSummary(
        reports=len(report_ids),
        indicators=deleted_indicators,
        prefs=prefs_deleted,
        conversations=int(conversations.rowcount),  # type: ignore[attr-defined]
        rate_events=int(rate_events.rowcount),  # type: ignore[attr-defined]
        inbox_updates=int(inbox.rowcount),  # type: ignore[attr-defined]
        staff_alerts=staff_alerts,
    )


def rename_pseudonym(session: Session, *, old_key: str, new_key: str) -> int:
    """Move a person's rows from their pseudonym under a retired key to the one under the new
    key (key rotation, storage/README.md); returns how many reports moved.

    Called by the dispatcher when someone writes whose old-key pseudonym still owns data. Rows
    the person already has under the new key win; a block under either key stays.
    """
    moved = session.execute(
        update(Report)
        .where(col(Report.reporter_key) == old_key)
        .values(reporter_key=new_key)
        .execution_options(synchronize_session=False)
    )
    old_prefs, new_prefs = session.get(UserPrefs, old_key), session.get(UserPrefs, new_key)
    if old_prefs is not None:
        if new_prefs is None:
            session.add(UserPrefs(**{**old_prefs.model_dump(), "user_key": new_key}))
        elif old_prefs.blocked:
            new_prefs.blocked = True
            session.add(new_prefs)
        session.delete(old_prefs)
    old_conversation = session.get(ConversationRow, old_key)
    if old_conversation is not None:
        if session.get(ConversationRow, new_key) is None:
            session.add(ConversationRow(**{**old_conversation.model_dump(), "user_key": new_key}))
        session.delete(old_conversation)
    session.execute(
        update(RateEvent)
        .where(col(RateEvent.user_key) == old_key)
        .values(user_key=new_key)
        .execution_options(synchronize_session=False)
    )
    rename_alerts(session, old_key=old_key, new_key=new_key)
    # Talk to a person: the person's cases (open or closed) follow them, so /talk reopens the
    # same case and /delete still erases it.
    session.execute(
        update(TalkCase)
        .where(col(TalkCase.user_key) == old_key)
        .values(user_key=new_key)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(moved.rowcount)  # type: ignore[attr-defined]


def adopt_former_pseudonyms(session: Session, *, user_key: str,
                            former_user_keys: Sequence[str]) -> int:
    """Key rotation, wired: move whatever a person owns under pseudonyms of retired keys to
    `user_key` (`rename_pseudonym`); returns how many reports moved. Called by
    `storage.conversations.lock_conversation_with_prefs` when the person has no conversation
    under `user_key` yet, i.e. once per person and key."""
    moved = 0
    for old_key in former_user_keys:
        if old_key == user_key:
            continue
        owns = session.execute(
            select(
                exists().where(col(ConversationRow.user_key) == old_key)
                | exists().where(col(UserPrefs.user_key) == old_key)
                | exists().where(col(Report.reporter_key) == old_key)
                | exists().where(col(TalkCase.user_key) == old_key)
            )
        ).scalar()
        if owns:
            moved += rename_pseudonym(session, old_key=old_key, new_key=user_key)
    return moved


def purge_narratives(
    session: Session, *, older_than_days: int, now: datetime | None = None
) -> int:
    """Retention: clear narratives older than the limit; counts and indicators stay."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    result = session.execute(
        update(Report)
        .where(col(Report.created_at) < cutoff,
               or_(col(Report.narrative).is_not(None), col(Report.offer_text).is_not(None)))
        .values(narrative=None, offer_text=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]

"""Talk to a person: pseudonymous conversations between a person and staff (issue 19).

A case is known to staff by its number. The person's chat id is sealed (AES-GCM, purpose
`TALK_CHAT`) in `talk_case.chat_sealed`, read only by the bot's relay, never shown or exported,
and erased once the case is closed and its last message to the person has gone: a closed case
cannot reach anyone, so the bot never writes first. Only the person opens or reopens a case.

Messages are an outbox: each `talk_message` row carries its delivery state to the person and
to the staff group. The relay (bot/relay.py) takes a case with a lease (`claim_case`), so with
any number of bot instances one sends a case's messages, in id order; each delivery is taken
(`begin_delivery`: pending → sending, only by the lease holder) before it is sent, so none is
sent twice, even by an instance that lost its lease or died mid-send (`settle_interrupted`).

Every function takes the session first and the rest by keyword; they flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlmodel import Session, col

from storage import documents
from storage.models import (
    Report,
    ReviewEvent,
    TalkCase,
    TalkMessage,
    TalkStatus,
    UserPrefs,
)
from storage.sealing import SealError, SealKeys, seal, unseal

TALK_CHAT = "talk-chat"
PERSON_ACTOR = "person"
SYSTEM_ACTOR = "system"
PENDING, SENT, FAILED = "pending", "sent", "failed"
# Record-then-send (bot/relay.py): a delivery is marked SENDING, committed, before the Bot API
# call, and SENT or FAILED after it. A SENDING found later means the sender stopped between the
# two (a crash, a lost lease): it may or may not have arrived, and it is not sent again (Telegram
# has no idempotency key, so a resend could be a duplicate); it becomes UNSURE, which the web
# thread shows ("may not have arrived"), and staff decide. At most once, never twice.
SENDING, UNSURE = "sending", "unsure"
_IN_FLIGHT = (PENDING, SENDING)
IN, OUT, NOTE = "in", "out", "note"

# Codes of notices the bot words in the person's language (handlers/talk.py).
NOTICE_CLOSED_BY_STAFF = "closed_by_staff"
NOTICE_CLOSED_QUIET = "closed_quiet"
# Codes of notes only staff see (the group topic and the web thread).
NOTE_OPENED = "opened"
NOTE_REOPENED = "reopened"
NOTE_CLOSED_BY_PERSON = "closed_by_person"
NOTE_URGENT = "urgent"
# A file that could not be cleaned (storage.documents) was not passed on: the person is told in
# their language (NOTICE_FILE_REFUSED), staff in the group topic and the thread (NOTE_…).
NOTICE_FILE_REFUSED = "file_refused"
NOTE_FILE_REFUSED = "file_refused_staff"


class TalkClosed(ValueError):
    """The case is not open: nothing can be sent to the person."""


@dataclass(frozen=True)
class CaseSummary:
    case: TalkCase
    messages: int
    waiting: bool  # the person wrote last: staff owe an answer


def seal_talk_chat(chat_id: int, *, key: SealKeys) -> str:
    return seal(str(int(chat_id)).encode("ascii"), key=key, purpose=TALK_CHAT)


def _audit(session: Session, *, actor: str, case_id: int | None, action: str,
           note: str | None = None, now: datetime) -> None:
    session.add(ReviewEvent(at=now, actor=actor[:64], talk_case_id=case_id, action=action,
                            note=note))


def open_case_of(session: Session, *, user_key: str) -> TalkCase | None:
    return session.execute(select(TalkCase).where(
        col(TalkCase.user_key) == user_key, col(TalkCase.status) == TalkStatus.open)
        .order_by(col(TalkCase.id).desc()).limit(1)).scalars().first()


def latest_case_of(session: Session, *, user_key: str) -> TalkCase | None:
    return session.execute(select(TalkCase).where(
        col(TalkCase.user_key) == user_key, col(TalkCase.status) != TalkStatus.erased)
        .order_by(col(TalkCase.id).desc()).limit(1)).scalars().first()


def open_case(session: Session, *, user_key: str, chat_id: int, seal_key: SealKeys,
              locale: str | None, to_group: bool, now: datetime) -> tuple[TalkCase, bool]:
    """The person's open case, reopening their last one or starting one: (case, is_new_or_reopened).
    The person asked for it, so the sealed way back is (re)written here and only here."""
    case = latest_case_of(session, user_key=user_key)
    if case is not None and case.status == TalkStatus.open:
        case.chat_sealed = seal_talk_chat(chat_id, key=seal_key)
        case.locale = locale
        session.add(case)
        session.flush()
        return case, False
    note = NOTE_REOPENED
    if case is None:
        case = TalkCase(user_key=user_key, opened_at=now)
        note = NOTE_OPENED
    case.status = TalkStatus.open
    case.chat_sealed = seal_talk_chat(chat_id, key=seal_key)
    case.locale = locale
    case.closed_at = case.closed_by = None
    case.last_activity_at = now
    session.add(case)
    session.flush()
    assert case.id is not None
    _add_note(session, case_id=case.id, code=note, to_person=False, to_group=to_group, now=now)
    _audit(session, actor=PERSON_ACTOR, case_id=case.id,
           action="talk_open" if note == NOTE_OPENED else "talk_reopen", now=now)
    return case, True


def _add_note(session: Session, *, case_id: int, code: str, to_person: bool, to_group: bool,
              now: datetime, author: str | None = None) -> TalkMessage:
    message = TalkMessage(case_id=case_id, at=now, direction=NOTE, kind="notice", text=code,
                          author=author, source="web",
                          person_state=PENDING if to_person else None,
                          group_state=PENDING if to_group else None)
    session.add(message)
    session.flush()
    return message


def add_person_message(session: Session, *, case: TalkCase, kind: str, text: str | None,
                       file_id: str | None, source_message_id: int | None, copyable: bool,
                       to_group: bool, now: datetime) -> TalkMessage:
    """A message from the person. `copyable`: the staff group gets it by copyMessage (text, a
    Telegram-compressed photo); otherwise (a file, which keeps its metadata and name) the
    relay fetches and cleans it first (storage.documents) and sends the clean copy. `kind`:
    "text", or a storage.documents kind ("photo", "pdf", "txt")."""
    if case.status != TalkStatus.open or case.id is None:
        raise TalkClosed("case not open")
    message = TalkMessage(case_id=case.id, at=now, direction=IN, kind=kind, text=text,
                          source="person" if copyable else "file", file_id=file_id,
                          source_message_id=source_message_id,
                          group_state=PENDING if to_group else None,
                          file_state=PENDING if file_id else None)
    case.last_activity_at = now
    session.add_all([message, case])
    session.flush()
    return message


def _open_case(session: Session, case_id: int) -> TalkCase:
    case = session.get(TalkCase, case_id)
    if case is None or case.status == TalkStatus.erased:
        raise LookupError("no such conversation")
    if case.status != TalkStatus.open:
        raise TalkClosed("This conversation is closed: only the person can open it again.")
    return case


def add_staff_message(session: Session, *, case_id: int, author: str, kind: str,
                      text: str | None, source: str, source_message_id: int | None = None,
                      file_data: bytes | None = None, file_id: str | None = None,
                      to_group: bool, now: datetime) -> TalkMessage:
    """A reply from staff (source "web" or "group"); refused unless the case is open.
    `file_data`: a file already cleaned (storage.documents); `file_id`: a file sent in the
    staff group, which the relay fetches and cleans before sending it on."""
    case = _open_case(session, case_id)
    message = TalkMessage(case_id=case_id, at=now, direction=OUT, kind=kind, text=text,
                          author=author[:64], source=source, source_message_id=source_message_id,
                          file_data=file_data, file_id=file_id,
                          file_state=PENDING if file_id and file_data is None else None,
                          person_state=PENDING,
                          group_state=PENDING if to_group and source == "web" else None)
    case.last_activity_at = now
    session.add_all([message, case])
    session.flush()
    _audit(session, actor=author, case_id=case_id, action="talk_reply", now=now)
    return message


def close_case(session: Session, *, case_id: int, actor: str, to_group: bool, now: datetime,
               quiet: bool = False) -> TalkCase:
    """Close a case. Staff or the quiet timer: the person is told (one last message); the
    person: they already know. The sealed chat goes once nothing is left to send them."""
    case = _open_case(session, case_id)
    case.status = TalkStatus.closed
    case.closed_at = now
    case.closed_by = actor[:64]
    by_person = actor == PERSON_ACTOR
    code = (NOTE_CLOSED_BY_PERSON if by_person else
            NOTICE_CLOSED_QUIET if quiet else NOTICE_CLOSED_BY_STAFF)
    _add_note(session, case_id=case_id, code=code, to_person=not by_person, to_group=to_group,
              now=now, author=None if by_person or quiet else actor)
    session.add(case)
    session.flush()
    _audit(session, actor=actor, case_id=case_id, action="talk_close",
           note="quiet period" if quiet else None, now=now)
    forget_chat_if_done(session, case=case)
    return case


def forget_chat_if_done(session: Session, *, case: TalkCase) -> None:
    """Erase the way back to the person once a closed case has nothing left to send them."""
    if case.status == TalkStatus.open or case.chat_sealed is None:
        return
    # Copies to the staff group are made from the person's chat: they need it too.
    pending = session.execute(select(func.count()).select_from(TalkMessage).where(
        col(TalkMessage.case_id) == case.id,
        or_(col(TalkMessage.person_state).in_(_IN_FLIGHT),
            and_(col(TalkMessage.group_state).in_(_IN_FLIGHT), col(TalkMessage.source) == "person")))
    ).scalar_one()
    if not pending:
        case.chat_sealed = None
        session.add(case)
        session.flush()


def close_quiet_cases(session: Session, *, quiet_for: timedelta, to_group: bool,
                      now: datetime) -> int:
    ids = session.execute(select(col(TalkCase.id)).where(
        col(TalkCase.status) == TalkStatus.open,
        col(TalkCase.last_activity_at) < now - quiet_for)).scalars().all()
    for case_id in ids:
        assert case_id is not None
        close_case(session, case_id=case_id, actor=SYSTEM_ACTOR, to_group=to_group, now=now,
                   quiet=True)
    return len(ids)


def set_urgent(session: Session, *, case_id: int, urgent: bool, actor: str, to_group: bool,
               now: datetime) -> None:
    case = session.get(TalkCase, case_id)
    if case is None or case.status == TalkStatus.erased:
        raise LookupError("no such conversation")
    if case.urgent == urgent:
        return
    case.urgent = urgent
    session.add(case)
    if urgent:
        _add_note(session, case_id=case_id, code=NOTE_URGENT, to_person=False, to_group=to_group,
                  now=now, author=actor)
    _audit(session, actor=actor, case_id=case_id, action="talk_urgent" if urgent else "talk_not_urgent",
           now=now)
    session.flush()


def block_person(session: Session, *, case_id: int, actor: str, to_group: bool,
                 now: datetime) -> None:
    """Abuse: the person can no longer open conversations (nor count as a reporter); the case
    closes. The block survives /delete (storage.reports.delete_user_data keeps the marker)."""
    case = session.get(TalkCase, case_id)
    if case is None or case.user_key is None:
        raise LookupError("no such conversation")
    prefs = session.get(UserPrefs, case.user_key) or UserPrefs(user_key=case.user_key)
    prefs.blocked = True
    prefs.updated_at = now
    session.add(prefs)
    _audit(session, actor=actor, case_id=case_id, action="talk_block", now=now)
    if case.status == TalkStatus.open:
        close_case(session, case_id=case_id, actor=actor, to_group=to_group, now=now)


def is_person_blocked(session: Session, *, user_key: str) -> bool:
    prefs = session.get(UserPrefs, user_key)
    return bool(prefs and prefs.blocked)


def case_by_topic(session: Session, *, topic_id: int) -> TalkCase | None:
    return session.execute(select(TalkCase).where(col(TalkCase.topic_id) == topic_id)
                           ).scalars().first()


def list_cases(session: Session, *, limit: int = 200) -> list[CaseSummary]:
    """Open cases first (urgent, then the longest waiting), then closed ones, newest first."""
    cases = session.execute(select(TalkCase).where(col(TalkCase.status) != TalkStatus.erased)
                            .order_by(col(TalkCase.status) != TalkStatus.open,
                                      col(TalkCase.urgent).desc(),
                                      col(TalkCase.last_activity_at).desc())
                            .limit(limit)).scalars().all()
    ids = [case.id for case in cases]
    counts: dict[int, int] = dict(session.execute(
        select(col(TalkMessage.case_id), func.count()).where(
            col(TalkMessage.case_id).in_(ids), col(TalkMessage.direction) != NOTE)
        .group_by(col(TalkMessage.case_id))).all()) if ids else {}
    last_direction: dict[int, str] = {}
    if ids:
        latest = (select(func.max(col(TalkMessage.id))).where(col(TalkMessage.case_id).in_(ids),
                                                         col(TalkMessage.direction) != NOTE)
                  .group_by(col(TalkMessage.case_id)))
        for case_id, direction in session.execute(
                select(col(TalkMessage.case_id), col(TalkMessage.direction))
                .where(col(TalkMessage.id).in_(latest))):
            last_direction[case_id] = direction
    return [CaseSummary(case, counts.get(case.id or 0, 0),
                        last_direction.get(case.id or 0) == IN and case.status == TalkStatus.open)
            for case in cases]


def get_case(session: Session, *, case_id: int) -> TalkCase | None:
    case = session.get(TalkCase, case_id)
    return None if case is None or case.status == TalkStatus.erased else case


def case_messages(session: Session, *, case_id: int) -> list[TalkMessage]:
    return list(session.execute(select(TalkMessage).where(col(TalkMessage.case_id) == case_id)
                                .order_by(col(TalkMessage.id))).scalars().all())


def case_picture(session: Session, *, case_id: int, message_id: int) -> bytes | None:
    found = case_file(session, case_id=case_id, message_id=message_id)
    return found[1] if found is not None and found[0] == documents.PHOTO else None


def case_file(session: Session, *, case_id: int, message_id: int) -> tuple[str, bytes] | None:
    """(kind, cleaned bytes) of a message's picture or document (storage.documents)."""
    message = session.get(TalkMessage, message_id)
    if message is None or message.case_id != case_id or message.file_data is None:
        return None
    return message.kind, message.file_data


def reports_of_case(session: Session, *, case_id: int) -> list[Report]:
    """The person's reports and urgent-help intakes, linked by pseudonym, for context."""
    case = get_case(session, case_id=case_id)
    if case is None or case.user_key is None:
        return []
    return list(session.execute(select(Report).where(col(Report.reporter_key) == case.user_key)
                                .order_by(col(Report.created_at).desc()).limit(50)).scalars().all())


def case_history(session: Session, *, case_id: int) -> list[ReviewEvent]:
    return list(session.execute(select(ReviewEvent).where(col(ReviewEvent.talk_case_id) == case_id)
                                .order_by(col(ReviewEvent.id))).scalars().all())


# --- relay (bot/relay.py) -------------------------------------------------------------------

def cases_with_work(session: Session, *, now: datetime, limit: int = 16) -> list[int]:
    """Cases with something to send or fetch whose lease is free, oldest work first."""
    pending = _has_work()
    rows = session.execute(
        select(col(TalkMessage.case_id), func.min(col(TalkMessage.id)).label("first"))
        .join(TalkCase, col(TalkCase.id) == col(TalkMessage.case_id))
        .where(pending, or_(col(TalkCase.relay_until).is_(None), col(TalkCase.relay_until) < now))
        .group_by(col(TalkMessage.case_id)).order_by("first").limit(limit)).all()
    erased = session.execute(select(col(TalkCase.id)).where(
        col(TalkCase.status) == TalkStatus.erased,
        or_(col(TalkCase.relay_until).is_(None), col(TalkCase.relay_until) < now))
        .limit(limit)).scalars().all()
    return [case_id for case_id, _ in rows] + [case_id for case_id in erased if case_id is not None]


def claim_case(session: Session, *, case_id: int, worker: str, now: datetime,
               lease: timedelta) -> bool:
    """Take the case's relay lease (one UPDATE: atomic on both engines)."""
    taken = session.execute(update(TalkCase).where(
        col(TalkCase.id) == case_id,
        or_(col(TalkCase.relay_until).is_(None), col(TalkCase.relay_until) < now,
            col(TalkCase.relay_owner) == worker))
        .values(relay_owner=worker, relay_until=now + lease)).rowcount  # type: ignore[attr-defined]
    return bool(taken)


def release_case(session: Session, *, case_id: int, worker: str) -> None:
    session.execute(update(TalkCase).where(col(TalkCase.id) == case_id,
                                           col(TalkCase.relay_owner) == worker)
                    .values(relay_owner=None, relay_until=None))


def pending_messages(session: Session, *, case_id: int) -> list[TalkMessage]:
    return list(session.execute(select(TalkMessage).where(
        col(TalkMessage.case_id) == case_id,
        _has_work()).order_by(col(TalkMessage.id))).scalars().all())


def _has_work() -> Any:
    return or_(col(TalkMessage.person_state).in_(_IN_FLIGHT),
               col(TalkMessage.group_state).in_(_IN_FLIGHT),
               col(TalkMessage.file_state) == PENDING)


DELIVERY_TARGETS = ("person_state", "group_state")


def begin_delivery(session: Session, *, message_id: int, target: str, worker: str,
                   now: datetime) -> bool:
    """Take one delivery (`target`: "person_state" or "group_state") before sending it: pending →
    sending, only while `worker` holds the case's lease. One conditional UPDATE, so of two
    instances at most one gets it; False: do not send."""
    if target not in DELIVERY_TARGETS:
        raise ValueError(target)
    state = getattr(TalkMessage, target)
    holds_lease = select(col(TalkCase.id)).where(
        col(TalkCase.id) == TalkMessage.case_id, col(TalkCase.relay_owner) == worker,
        col(TalkCase.relay_until) >= now)
    taken = session.execute(update(TalkMessage).where(
        col(TalkMessage.id) == message_id, state == PENDING, holds_lease.exists())
        .values({target: SENDING})
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    return bool(taken)


def settle_interrupted(session: Session, *, case_id: int) -> int:
    """Deliveries of the case left `sending` by a relay that stopped mid-send become `unsure`
    (never resent), and so does a topic left being created. Call right after taking the lease;
    returns how many."""
    settled = session.execute(update(TalkCase).where(
        col(TalkCase.id) == case_id, col(TalkCase.topic_id).is_(None),
        col(TalkCase.topic_state).in_((TOPIC_CREATING, TOPIC_RETRYING)))
        .values(topic_state=TOPIC_UNSURE)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    for target in DELIVERY_TARGETS:
        state = getattr(TalkMessage, target)
        settled += session.execute(update(TalkMessage).where(
            col(TalkMessage.case_id) == case_id, state == SENDING).values({target: UNSURE})
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    return settled


def case_chat(session: Session, *, case_id: int, seal_key: SealKeys) -> int | None:
    """The person's chat id, for the relay only; None once forgotten or unreadable."""
    case = session.get(TalkCase, case_id)
    if case is None or case.chat_sealed is None:
        return None
    try:
        return int(unseal(case.chat_sealed, key=seal_key, purpose=TALK_CHAT).decode("ascii"))
    except (SealError, ValueError):
        return None


def mark_message(session: Session, *, message_id: int, worker: str, now: datetime, lease: timedelta,
                 person_state: str | None = None, group_state: str | None = None,
                 file_state: str | None = None, file_data: bytes | None = None) -> None:
    """Record one delivery and renew the lease."""
    message = session.get(TalkMessage, message_id)
    if message is None:
        return
    if person_state is not None:
        message.person_state = person_state
    if group_state is not None:
        message.group_state = group_state
    if file_state is not None:
        message.file_state = file_state
    if file_data is not None:
        message.file_data = file_data
    session.add(message)
    session.execute(update(TalkCase).where(col(TalkCase.id) == message.case_id,
                                           col(TalkCase.relay_owner) == worker)
                    .values(relay_until=now + lease))
    case = session.get(TalkCase, message.case_id)
    if case is not None:
        forget_chat_if_done(session, case=case)
    session.flush()


# A case's staff-group topic is created record-then-act, like a delivery: `begin_topic` marks
# it (committed) before createForumTopic, `set_topic` records the topic after. The Bot API can
# neither list a group's topics nor look one up by name, so a relay that finds an attempt
# interrupted (`settle_interrupted`: TOPIC_CREATING → TOPIC_UNSURE) cannot know whether the
# topic exists. It makes it once more (TOPIC_RETRYING), named apart (relay's StaffGroupText),
# and the case stays marked TOPIC_RECREATED for staff: the web thread and the new topic say an
# older topic of the case may exist and is no longer used. At most one extra topic per crash.
TOPIC_CREATING, TOPIC_RETRYING = "creating", "retrying"
TOPIC_CREATED, TOPIC_RECREATED, TOPIC_UNSURE = "created", "recreated", "unsure"
_TOPIC_BEGIN = {None: TOPIC_CREATING, TOPIC_UNSURE: TOPIC_RETRYING}
_TOPIC_DONE = {TOPIC_CREATING: TOPIC_CREATED, TOPIC_RETRYING: TOPIC_RECREATED}


def abandon_topic(session: Session, *, case_id: int, mark: str) -> None:
    """createForumTopic surely made nothing (refused, no connection): undo `begin_topic`."""
    session.execute(update(TalkCase).where(
        col(TalkCase.id) == case_id, col(TalkCase.topic_id).is_(None),
        col(TalkCase.topic_state) == mark)
        .values(topic_state=None if mark == TOPIC_CREATING else TOPIC_UNSURE)
        .execution_options(synchronize_session=False))


def begin_topic(session: Session, *, case_id: int, worker: str, now: datetime) -> str | None:
    """Mark the case's topic as being created, only while `worker` holds the lease and the case
    has no topic: the mark (TOPIC_CREATING, or TOPIC_RETRYING after an interrupted attempt), or
    None: do not create one."""
    case = session.get(TalkCase, case_id)
    if case is None or case.topic_id is not None or case.topic_state not in _TOPIC_BEGIN:
        return None
    before = case.topic_state
    mark = _TOPIC_BEGIN[before]
    taken = session.execute(update(TalkCase).where(
        col(TalkCase.id) == case_id, col(TalkCase.topic_id).is_(None),
        col(TalkCase.topic_state).is_(None) if before is None
        else col(TalkCase.topic_state) == before,
        col(TalkCase.relay_owner) == worker, col(TalkCase.relay_until) >= now)
        .values(topic_state=mark)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    return mark if taken else None


def refuse_file(session: Session, *, message_id: int, to_group: bool, now: datetime) -> None:
    """The message's file could not be cleaned: nothing of it goes anywhere, and its sender is
    told (the person in their language; staff in the group topic and the web thread)."""
    message = session.get(TalkMessage, message_id)
    if message is None:
        return
    message.file_state = FAILED
    for target in DELIVERY_TARGETS:
        if getattr(message, target) in _IN_FLIGHT:
            setattr(message, target, FAILED)
    session.add(message)
    case = session.get(TalkCase, message.case_id)
    by_person = message.direction == IN
    if case is not None and (case.status == TalkStatus.open or not by_person):
        _add_note(session, case_id=message.case_id,
                  code=NOTICE_FILE_REFUSED if by_person else NOTE_FILE_REFUSED,
                  to_person=by_person and case.status == TalkStatus.open,
                  to_group=to_group and message.source == "group", now=now)
    session.flush()


def set_topic(session: Session, *, case_id: int, topic_id: int, mark: str) -> bool:
    """Record the topic made after `begin_topic` returned `mark`. False when the attempt was
    meanwhile settled as interrupted (this relay lost its lease mid-call): the topic it made is
    not the case's."""
    done = _TOPIC_DONE.get(mark)
    if done is None:
        raise ValueError(mark)
    return bool(session.execute(update(TalkCase).where(
        col(TalkCase.id) == case_id, col(TalkCase.topic_id).is_(None),
        col(TalkCase.topic_state) == mark).values(topic_id=topic_id, topic_state=done)
        .execution_options(synchronize_session=False)).rowcount)  # type: ignore[attr-defined]


def drop_erased(session: Session, *, case_id: int) -> None:
    """After the relay deleted its staff-group topic: the erased case row goes too."""
    session.execute(delete(TalkCase).where(col(TalkCase.id) == case_id,
                                           col(TalkCase.status) == TalkStatus.erased))


def erase_cases(session: Session, *, user_key: str, now: datetime) -> int:
    """/delete: every message of the person's cases and the way back to them. A case with a
    staff-group topic stays as an empty `erased` row until the relay has deleted that topic.
    Audit events keep that something happened, without notes."""
    cases = session.execute(select(TalkCase).where(col(TalkCase.user_key) == user_key)
                            ).scalars().all()
    erased = 0
    for case in cases:
        erased += 1
        session.execute(delete(TalkMessage).where(col(TalkMessage.case_id) == case.id))
        session.execute(update(ReviewEvent).where(col(ReviewEvent.talk_case_id) == case.id)
                        .values(note=None))
        _audit(session, actor=PERSON_ACTOR, case_id=case.id, action="talk_erased", now=now)
        if case.topic_id is None:
            session.delete(case)
        else:
            case.status = TalkStatus.erased
            case.user_key = case.chat_sealed = None
            case.relay_owner = case.relay_until = None
            session.add(case)
    session.flush()
    return erased

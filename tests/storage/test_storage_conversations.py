"""Per-person conversation rows: created on first use, serialised across threads."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from storage.conversations import (
    ConversationPrefs,
    LockedConversation,
    lock_conversation,
    lock_conversation_with_prefs,
    open_conversation_data,
    save_conversation,
    seal_conversation_data,
)
from storage.db import create_db_engine, session_scope
from storage.erasure import delete_user_data
from storage.models import ConversationRow
from storage.prefs import get_prefs, is_blocked, set_prefs
from storage.sealing import CONVERSATION, unseal

USER = "a" * 64


def test_lock_creates_the_row_and_save_persists_in_place_edits(engine: Engine) -> None:
    with session_scope(engine) as session:
        row = lock_conversation(session, user_key=USER)
        assert (row.flow, row.state, row.data, row.version) == ("menu", "idle", {}, 0)
        row.data["answers"] = {"q1": "yes"}  # in-place edit of the JSON column
        row.version += 1
        save_conversation(session, row=row)
    with session_scope(engine) as session:
        again = lock_conversation(session, user_key=USER)
        assert (again.data, again.version) == ({"answers": {"q1": "yes"}}, 1)


def _with_prefs(session: Session, *, user_key: str) -> LockedConversation:
    row, _ = lock_conversation_with_prefs(session, user_key=user_key)
    return row


def test_lock_with_prefs_returns_both_and_creates_the_row(engine: Engine) -> None:
    with session_scope(engine) as session:
        row, prefs = lock_conversation_with_prefs(session, user_key=USER)
        assert (row.user_key, row.flow, row.version, prefs) == (USER, "menu", 0, None)
        set_prefs(session, user_key=USER, locale="th", country="kh")
    with session_scope(engine) as session:
        row, prefs = lock_conversation_with_prefs(session, user_key=USER)
        assert row.user_key == USER
        assert prefs == ConversationPrefs(locale="th", country="KH")
        row.version += 1
        save_conversation(session, row=row)
    with session_scope(engine) as session:
        assert lock_conversation(session, user_key=USER).version == 1
        assert lock_conversation_with_prefs(session, user_key="b" * 64)[1] is None


@pytest.mark.parametrize("lock", [lock_conversation, _with_prefs])
def test_concurrent_updates_of_one_person_never_interleave(
    engine: Engine, db_url: str, lock: Callable[..., ConversationRow | LockedConversation]
) -> None:
    """Each thread reads the version, then writes version + 1: without the lock some
    increments would be lost."""
    increments_per_thread, threads_count = 15, 4
    errors: list[BaseException] = []

    def bump() -> None:
        own_engine = create_db_engine(db_url)
        try:
            for _ in range(increments_per_thread):
                with session_scope(own_engine) as session:
                    row = lock(session, user_key=USER)
                    row.version = row.version + 1
                    save_conversation(session, row=row)
        except BaseException as error:
            errors.append(error)
        finally:
            own_engine.dispose()

    threads = [threading.Thread(target=bump) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with session_scope(engine) as session:
        assert lock_conversation(session, user_key=USER).version == (
            increments_per_thread * threads_count
        )


def test_lock_with_prefs_reads_plain_values_and_save_writes_them_back(engine: Engine) -> None:
    with session_scope(engine) as session:
        set_prefs(session, user_key=USER)  # preferences without a locale or country
    with session_scope(engine, replayable=True) as session:
        row, prefs = lock_conversation_with_prefs(session, user_key=USER)
        assert prefs == ConversationPrefs(locale=None, country=None)  # not None: the row exists
        assert isinstance(row, LockedConversation)
        assert list(session) == []  # nothing loaded into the identity map
        assert (row.flow, row.state, row.data, row.version) == ("menu", "idle", {}, 0)
        created = row.updated_at
        assert created.tzinfo is not None
        row.flow, row.state, row.version = "report", "ask_contact", 3
        row.data["answers"] = {"q1": "yes", "note": "ไทย ✓"}  # in-place edit
        row.updated_at = datetime(2000, 1, 1, tzinfo=UTC)  # the save stamps now instead
        save_conversation(session, row=row)
        assert row.updated_at >= created
    with session_scope(engine) as session:
        again = lock_conversation(session, user_key=USER)
        assert (again.flow, again.state, again.version) == ("report", "ask_contact", 3)
        assert again.data == {"answers": {"q1": "yes", "note": "ไทย ✓"}}
        assert abs(again.updated_at - row.updated_at) < timedelta(seconds=1)
        assert again.updated_at >= created
    with session_scope(engine) as session:  # other rows are untouched by the UPDATE
        other, _ = lock_conversation_with_prefs(session, user_key="c" * 64)
        assert (other.flow, other.version) == ("menu", 0)


def test_save_never_recreates_a_row_deleted_since_the_lock(engine: Engine) -> None:
    with session_scope(engine) as session:
        lock_conversation_with_prefs(session, user_key=USER)
    with session_scope(engine) as session:
        row, _ = lock_conversation_with_prefs(session, user_key=USER)
        delete_user_data(session, user_key=USER)  # what /delete does inside the step
        row.version += 1
        with pytest.raises(StaleDataError):
            save_conversation(session, row=row)
        count = select(func.count()).select_from(ConversationRow).where(
            ConversationRow.user_key == USER  # type: ignore[arg-type]
        )
        assert session.execute(count).scalar_one() == 0
    with session_scope(engine) as session:
        assert session.execute(count).scalar_one() == 0


def test_prefs_change_only_the_given_fields(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert get_prefs(session, user_key=USER) is None
        set_prefs(session, user_key=USER, locale="km", country="kh")
        set_prefs(session, user_key=USER, consent_notify=True)
    with session_scope(engine, read_only=True) as session:
        prefs = get_prefs(session, user_key=USER)
        assert prefs is not None
        assert (prefs.locale, prefs.country, prefs.consent_notify) == ("km", "KH", True)
        assert not is_blocked(session, user_key=USER)
    with session_scope(engine) as session:
        set_prefs(session, user_key=USER, country=None)
    with session_scope(engine) as session:
        prefs = get_prefs(session, user_key=USER)
        assert prefs is not None and (prefs.locale, prefs.country) == ("km", None)


def test_sealed_data_holds_the_json_it_always_held() -> None:
    """The kept encoder writes, under the seal, what `json.dumps` with the same options wrote:
    non-ASCII kept as is, no spaces, nested replies and None; it opens to the same data."""
    key = b"k" * 32
    data = {"messages": ["งานดี 月薪 1500 USD \"quoted\" \\ 🙂"], "cut": False, "answers": {},
            "_last_step": {"update_id": 7, "replies": [
                {"text": "<b>ok</b>\n• a", "chat_id": None, "buttons": [[["✓ Done", "done", None]]]}]}}
    stored = seal_conversation_data(data, seal_key=key)
    assert list(stored) == ["sealed"]
    assert unseal(stored["sealed"], key=key, purpose=CONVERSATION) == json.dumps(
        data, ensure_ascii=False, separators=(",", ":")).encode()
    assert open_conversation_data(stored, seal_key=key) == data

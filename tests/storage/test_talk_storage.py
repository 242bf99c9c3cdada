"""storage/talk.py: key rotation moves conversations; a delivery is recorded before it is
sent, so two relays never both send one message (bot/relay.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage import talk
from storage.db import session_scope
from storage.erasure import adopt_former_pseudonyms
from storage.models import TalkCase
from storage.pseudonym import pseudonymise
from tests.storage.helpers import KEY, dump_all_tables

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def test_key_rotation_moves_the_persons_conversation(engine: Engine) -> None:
    new_key = b"the-rotated-pseudonym-key-32byte"
    old_key, new_user = pseudonymise(1001, key=KEY), pseudonymise(1001, key=new_key)
    with session_scope(engine) as session:
        case, _ = talk.open_case(session, user_key=old_key, chat_id=1001, seal_key=KEY,
                                 locale="km", to_group=False, now=NOW)
        talk.close_case(session, case_id=case.id or 0, actor=talk.PERSON_ACTOR, to_group=False,
                        now=NOW)
        case_id = case.id
    # Only a conversation under the old pseudonym: it alone is reason enough to adopt it.
    with session_scope(engine) as session:
        adopt_former_pseudonyms(session, user_key=new_user, former_user_keys=[old_key])
    with session_scope(engine) as session:
        assert session.get_one(TalkCase, case_id).user_key == new_user
        reopened, _ = talk.open_case(session, user_key=new_user, chat_id=1001, seal_key=KEY,
                                     locale="km", to_group=False, now=NOW)
        assert reopened.id == case_id  # /talk reopens the same case under the new key
    with session_scope(engine) as session:
        assert talk.erase_cases(session, user_key=new_user, now=NOW) == 1
    assert old_key not in repr(dump_all_tables(engine))


def _case_with_answer(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        case, _ = talk.open_case(session, user_key="p" * 64, chat_id=1001, seal_key=KEY,
                                 locale="en", to_group=False, now=NOW)
        message = talk.add_staff_message(session, case_id=case.id or 0, author="ana",
                                         kind="text", text="hello", source="web",
                                         to_group=False, now=NOW)
        return case.id or 0, message.id or 0


def test_a_delivery_is_taken_once_and_only_by_the_lease_holder(engine: Engine) -> None:
    case_id, message_id = _case_with_answer(engine)
    with session_scope(engine) as session:
        assert talk.claim_case(session, case_id=case_id, worker="a", now=NOW, lease=LEASE)
    with session_scope(engine) as session:  # b holds no lease: it may not send
        assert not talk.begin_delivery(session, message_id=message_id, target="person_state",
                                       worker="b", now=NOW)
    with session_scope(engine) as session:
        assert talk.begin_delivery(session, message_id=message_id, target="person_state",
                                   worker="a", now=NOW)
    with session_scope(engine) as session:  # a second attempt finds it taken
        assert not talk.begin_delivery(session, message_id=message_id, target="person_state",
                                       worker="a", now=NOW)
    # a dies before recording the outcome; b takes the case after the lease ran out.
    later = NOW + LEASE + timedelta(seconds=1)
    with session_scope(engine) as session:
        assert talk.claim_case(session, case_id=case_id, worker="b", now=later, lease=LEASE)
    with session_scope(engine) as session:
        interrupted = talk.pending_messages(session, case_id=case_id)
        assert [m.person_state for m in interrupted if m.id == message_id] == [talk.SENDING]
        assert talk.settle_interrupted(session, case_id=case_id) == 1
    with session_scope(engine) as session:
        message = session.get_one(talk.TalkMessage, message_id)
        assert message.person_state == talk.UNSURE  # not sent again: staff see "may not have arrived"
        assert not talk.begin_delivery(session, message_id=message_id, target="person_state",
                                       worker="b", now=later)
        assert talk.cases_with_work(session, now=later + LEASE * 2) == []

"""storage/talk.py: key rotation moves conversations."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from storage import talk
from storage.db import session_scope
from storage.models import TalkCase
from storage.pseudonym import pseudonymise
from storage.reports import adopt_former_pseudonyms
from tests.storage.helpers import KEY, dump_all_tables

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


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

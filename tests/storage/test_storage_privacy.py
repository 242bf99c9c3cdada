"""Nothing of a reporter's identity reaches a table or a log line.

A reporter with a known Telegram id, name, username and phone goes through everything storage
does for a person (prefs, conversation, inbox, report with notification, addition, rate limit),
with every logger at DEBUG and SQLAlchemy echoing statements and parameters; then every table
and every captured log line is searched for any of those identifiers.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from storage.conversations import lock_conversation, save_conversation
from storage.db import session_scope
from storage.inbox import claim_updates, enqueue_update, mark_done
from storage.indicators import lookup_indicator
from storage.prefs import set_prefs
from storage.pseudonym import pseudonymise
from storage.rate import allow_action
from storage.reports import add_to_report, create_report
from tests.storage.helpers import KEY, FakeContact, dump_text

USER_ID = 6_123_456_789
FIRST_NAME = "Hoa"
LAST_NAME = "Nguyenova"
USERNAME = "hoa_nguyenova88"
PHONE = "+84 912 345 678"
EMAIL = "hoa.nguyenova@example.com"
IDENTITY_NEEDLES = (str(USER_ID), FIRST_NAME, LAST_NAME, USERNAME, "912345678", "912 345 678",
                    EMAIL)


def _found(haystack: str) -> list[str]:
    return [needle for needle in IDENTITY_NEEDLES
            if re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack, re.IGNORECASE)]


def test_no_identity_in_any_table_or_log_line(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)  # statements + parameters
    user_key = pseudonymise(USER_ID, key=KEY)
    identifiers = [f"@{USERNAME}", f"{FIRST_NAME} {LAST_NAME}", PHONE, EMAIL]
    telegram_update = {
        "update_id": 1,
        "message": {
            "from": {"id": USER_ID, "first_name": FIRST_NAME, "last_name": LAST_NAME,
                     "username": USERNAME},
            "chat": {"id": USER_ID, "type": "private"},
            "text": f"I am {FIRST_NAME}, call me on {PHONE}",
        },
    }
    narrative = (
        f"My name is {FIRST_NAME} {LAST_NAME} (@{USERNAME}), phone {PHONE}, mail {EMAIL}. "
        "The recruiter @fake_hr_jobs promised 1500 USD in Bangkok and took my passport "
        "number C1234567."
    )
    scammer = FakeContact("telegram", "fake_hr_jobs")
    try:
        with session_scope(engine) as session:
            enqueue_update(session, update_id=1, chat_key=user_key, payload=telegram_update,
                           seal_key=KEY)
        with session_scope(engine) as session:
            (claimed,) = claim_updates(session, worker_id="w1", limit=1, seal_key=KEY)
            assert claimed.payload == telegram_update
        with session_scope(engine) as session:
            set_prefs(session, user_key=user_key, locale="vi", country="VN", consent_notify=True)
            row = lock_conversation(session, user_key=user_key)
            row.state = "report:narrative"
            save_conversation(session, row=row)
            assert allow_action(session, user_key=user_key, action="report", limit=3,
                                window=timedelta(hours=1))
            report = create_report(
                session, reporter_key=user_key, kind="job_offer", country="VN", language="vi",
                risk_level="very_high", flag_ids=["passport_held"], narrative=narrative,
                contacts=[scammer], reporter_identifiers=identifiers,
                notify_chat_id=USER_ID, seal_key=KEY,
            )
            add_to_report(session, receipt_code=report.receipt_code, reporter_key=user_key,
                          narrative=f"Also, {FIRST_NAME} here again: my number is {PHONE}.",
                          contacts=[], reporter_identifiers=identifiers)
            mark_done(session, update_id=1)
        with session_scope(engine) as session:
            assert lookup_indicator(session, type="telegram", value="fake_hr_jobs").report_count
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    tables = dump_text(engine)
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert "fake_hr_jobs" in tables  # the scammer's contact is kept…
    assert "1500 USD" in tables  # …and so is the story
    # The logs really contain SQL and its parameters (on SQLite the hot paths' fixed statements,
    # the report's row among them, run on the driver and are not logged at all: storage.db).
    assert "INSERT INTO review_event" in logs
    assert "INSERT INTO report " in logs or engine.dialect.name == "sqlite"
    assert _found(tables) == []
    assert _found(logs) == []

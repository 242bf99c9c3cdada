"""Talk to a person with two bot instances on one PostgreSQL (issue 19, "Done means"): both
relays run at once while the person and staff write, and every message reaches the staff
topic and the person in order, exactly once. And a relay that dies between sending and
recording never makes the other send the same message again (record-then-send: the
interrupted delivery is marked `unsure`, bot/relay.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from telegram import Bot

from bot import relay as relay_module
from bot.config import Settings
from bot.relay import Relay
from emulator import Emulator
from emulator.users import GroupChat, SimulatedUser
from storage import talk
from storage.db import create_db_engine, session_scope
from storage.testing import migrated_schema
from tests.faults.conftest import postgres_base_url

from .test_talk import wait_until

STAFF_GROUP = -1001977
PERSON_ID = 731_000_777
ROUNDS = 12


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with migrated_schema(postgres_base_url(), prefix="relay") as url:
        engine = create_db_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
async def bots(e2e_settings: Settings) -> AsyncIterator[list[Bot]]:
    made = [Bot(e2e_settings.telegram_bot_token or "", base_url=e2e_settings.bot_api_base_url,
                base_file_url=e2e_settings.bot_api_file_url) for _ in range(2)]
    for bot in made:
        await bot.initialize()
    yield made
    for bot in made:
        await bot.shutdown()


def _open(engine: Engine, settings: Settings) -> int:
    with session_scope(engine) as db:
        case, _ = talk.open_case(db, user_key="k" * 64, chat_id=PERSON_ID,
                                 seal_key=settings.seal_keys, locale="en", to_group=True,
                                 now=datetime.now(UTC))
        assert case.id is not None
        return case.id


def _person_writes(engine: Engine, case_id: int, message_id: int, text: str) -> None:
    with session_scope(engine) as db:
        case = db.get_one(talk.TalkCase, case_id)
        talk.add_person_message(db, case=case, kind="text", text=text, file_id=None,
                                source_message_id=message_id, copyable=True, to_group=True,
                                now=datetime.now(UTC))


def _staff_writes(engine: Engine, case_id: int, text: str) -> None:
    with session_scope(engine) as db:
        talk.add_staff_message(db, case_id=case_id, author="ana", kind="text", text=text,
                               source="web", to_group=True, now=datetime.now(UTC))


def _states(engine: Engine, case_id: int) -> list[tuple[str | None, str | None]]:
    with session_scope(engine, read_only=True) as db:
        return [(m.person_state, m.group_state) for m in talk.case_messages(db, case_id=case_id)]


def _topic_texts(group: GroupChat) -> list[str]:
    return [m.text for thread in group.topics for m in group.messages_in(thread)]


def _staff_answers(person: SimulatedUser) -> list[str]:
    return [m.text for m in person.messages]


@contextlib.asynccontextmanager
async def running(*relays: Relay) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(relay.run()) for relay in relays]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def test_two_instances_relay_in_order_exactly_once(
        emulator: Emulator, e2e_settings: Settings, pg_engine: Engine, bots: list[Bot]) -> None:
    group = emulator.group(STAFF_GROUP, title="Case team", forum=True)
    person = emulator.user(PERSON_ID, first_name="Dara", language_code="en")
    settings = e2e_settings.with_overrides(talk_chat_id=STAFF_GROUP)
    case_id = _open(pg_engine, settings)
    deliveries: dict[str, int] = {}

    class Counting(Relay):
        def _begin(self, message_id: int, target: str) -> bool:
            taken = super()._begin(message_id, target)
            deliveries[self.worker] = deliveries.get(self.worker, 0) + taken
            return taken

    relays = [Counting(bot, pg_engine, settings, worker_id=name, poll_seconds=0.02)
              for bot, name in zip(bots, ("instance-a", "instance-b"), strict=True)]

    expected_topic: list[str] = []
    expected_person: list[str] = []

    async def both_sides_write(n: int) -> None:
        said = f"person {n}"
        sent = await person.send_text(said)
        await asyncio.to_thread(_person_writes, pg_engine, case_id, sent["message_id"], said)
        expected_topic.append(said)
        answer = f"staff {n}"
        await asyncio.to_thread(_staff_writes, pg_engine, case_id, answer)
        expected_topic.append(f"↪ ana (web): {answer}")
        expected_person.append(answer)

    # A round by each instance alone first (so each surely takes part) ...
    for n, relay in enumerate(relays):
        await both_sides_write(n)
        await relay.run_once()
    # ... then both running at once, racing for the case while both sides write.
    async with running(*relays):
        for n in range(len(relays), ROUNDS):
            await both_sides_write(n)
            for relay in relays:  # as the bot and the web app wake their own instance
                relay.wake()
            if n % 3 == 0:
                await asyncio.sleep(0.01)
        await wait_until(lambda: all(state in ("sent", None) for pair in _states(pg_engine, case_id)
                                     for state in pair), timeout=30)

    topic_texts = _topic_texts(group)
    assert len(group.topics) == 1
    assert topic_texts[0].startswith(f"Case {case_id} opened")
    assert topic_texts[1:] == expected_topic  # in order, none lost, none twice
    assert _staff_answers(person) == expected_person
    copies = emulator.calls_to("copyMessage")
    assert len(copies) == ROUNDS
    assert not emulator.calls_to("forwardMessage")
    # Neither sent anything twice; both took part (the lease moves between them).
    assert len(emulator.calls_to("sendMessage")) == 1 + 2 * ROUNDS
    assert sum(deliveries.values()) == 1 + 3 * ROUNDS
    assert all(deliveries.get(name) for name in ("instance-a", "instance-b")), deliveries


class _Crash(BaseException):
    """The process dies here: nothing after it runs (not even the lease's release)."""


async def test_a_crash_between_sending_and_recording_never_sends_twice(
        emulator: Emulator, e2e_settings: Settings, pg_engine: Engine, bots: list[Bot],
        monkeypatch: pytest.MonkeyPatch) -> None:
    emulator.group(STAFF_GROUP, title="Case team", forum=True)
    person = emulator.user(PERSON_ID, first_name="Dara", language_code="en")
    settings = e2e_settings.with_overrides(talk_chat_id=STAFF_GROUP)
    case_id = _open(pg_engine, settings)
    for text in ("first answer", "second answer"):
        _staff_writes(pg_engine, case_id, text)

    class Dying(Relay):
        def _mark(self, message_id: int, **states: Any) -> None:
            if states.get("person_state") == talk.SENT:
                raise _Crash  # sent to the person, then gone before recording it
            super()._mark(message_id, **states)

        def _release(self, case_id: int) -> None:
            pass  # a dead process releases nothing: its lease runs out

    dying = Dying(bots[0], pg_engine, settings, worker_id="dies")
    with pytest.raises(_Crash):
        await dying.run_once()
    assert _staff_answers(person) == ["first answer"]

    # The survivor, once the dead one's lease has run out.
    class Later(Relay):
        def _now(self) -> datetime:
            return datetime.now(UTC) + relay_module.LEASE + timedelta(seconds=1)

    survivor = Later(bots[1], pg_engine, settings, worker_id="survives")
    await survivor.run_once()
    assert _staff_answers(person) == ["first answer", "second answer"]  # not "first" twice
    with session_scope(pg_engine, read_only=True) as db:
        states = {m.text: m.person_state for m in talk.case_messages(db, case_id=case_id)
                  if m.direction == talk.OUT}
    assert states == {"first answer": talk.UNSURE, "second answer": talk.SENT}
    await survivor.run_once()
    assert _staff_answers(person) == ["first answer", "second answer"]


async def test_a_crash_while_making_the_topic_is_recognisable_never_silent(
        emulator: Emulator, e2e_settings: Settings, pg_engine: Engine, bots: list[Bot]) -> None:
    """createForumTopic went through, then the relay died before recording the topic. The Bot
    API cannot list topics, so the next relay cannot find it: it makes the topic once more,
    named apart and saying so, and the case is marked for staff; one more crash-free round
    makes nothing more."""
    group = emulator.group(STAFF_GROUP, title="Case team", forum=True)
    person = emulator.user(PERSON_ID, first_name="Dara", language_code="en")
    settings = e2e_settings.with_overrides(talk_chat_id=STAFF_GROUP)
    case_id = _open(pg_engine, settings)
    sent = await person.send_text("are you there?")
    _person_writes(pg_engine, case_id, sent["message_id"], "are you there?")

    class Dying(Relay):
        def _set_topic(self, case_id: int, topic_id: int, mark: str) -> bool:
            raise _Crash  # the topic exists in the group; the database does not know it

        def _release(self, case_id: int) -> None:
            pass

    with pytest.raises(_Crash):
        await Dying(bots[0], pg_engine, settings, worker_id="dies").run_once()
    assert [topic["name"] for topic in group.topics.values()] == [f"Case {case_id}"]

    class Later(Relay):
        def _now(self) -> datetime:
            return datetime.now(UTC) + relay_module.LEASE + timedelta(seconds=1)

    survivor = Later(bots[1], pg_engine, settings, worker_id="survives")
    await survivor.run_once()
    await survivor.run_once()
    names = sorted(topic["name"] for topic in group.topics.values())
    assert names == [f"Case {case_id}", f"Case {case_id} (topic made again)"]
    new_thread = next(thread for thread, topic in group.topics.items()
                      if topic["name"].endswith("(topic made again)"))
    in_new = [m.text for m in group.messages_in(new_thread)]
    assert "may exist in this group" in in_new[0]
    assert in_new[1].startswith(f"Case {case_id} opened") and in_new[2] == "are you there?"
    with session_scope(pg_engine, read_only=True) as db:
        case = db.get_one(talk.TalkCase, case_id)
        assert (case.topic_id, case.topic_state) == (new_thread, talk.TOPIC_RECREATED)
    # The staff member answering in the new topic reaches the person (the case knows it).
    assert len(emulator.calls_to("createForumTopic")) == 2


async def test_a_topic_made_without_a_crash_is_made_once(
        emulator: Emulator, e2e_settings: Settings, pg_engine: Engine, bots: list[Bot]) -> None:
    group = emulator.group(STAFF_GROUP, title="Case team", forum=True)
    settings = e2e_settings.with_overrides(talk_chat_id=STAFF_GROUP)
    case_id = _open(pg_engine, settings)
    relays = [Relay(bot, pg_engine, settings, worker_id=name, poll_seconds=0.02)
              for bot, name in zip(bots, ("a", "b"), strict=True)]
    await asyncio.gather(*(relay.run_once() for relay in relays))
    _staff_writes(pg_engine, case_id, "hello")
    await asyncio.gather(*(relay.run_once() for relay in relays))
    assert [topic["name"] for topic in group.topics.values()] == [f"Case {case_id}"]
    with session_scope(pg_engine, read_only=True) as db:
        assert db.get_one(talk.TalkCase, case_id).topic_state == talk.TOPIC_CREATED


async def test_a_document_is_cleaned_stored_and_relayed_on_postgresql(
        emulator: Emulator, e2e_settings: Settings, pg_engine: Engine, bots: list[Bot]) -> None:
    from .test_talk_documents import FIRST, pdf_with_metadata

    group = emulator.group(STAFF_GROUP, title="Case team", forum=True)
    person = emulator.user(PERSON_ID, first_name="Dara", language_code="en")
    settings = e2e_settings.with_overrides(talk_chat_id=STAFF_GROUP)
    case_id = _open(pg_engine, settings)
    sent = await person.send_document(pdf_with_metadata(), file_name=f"{FIRST} contract.pdf",
                                      mime_type="application/pdf")
    with session_scope(pg_engine) as db:
        talk.add_person_message(db, case=db.get_one(talk.TalkCase, case_id), kind="pdf",
                                text=None, file_id=sent["document"]["file_id"],
                                source_message_id=sent["message_id"], copyable=False,
                                to_group=True, now=datetime.now(UTC))
    await Relay(bots[0], pg_engine, settings, worker_id="a").run_once()
    posted = [m.document for thread in group.topics for m in group.messages_in(thread)
              if m.document]
    assert len(posted) == 1 and str(posted[0]["file_name"]).startswith("document-")
    relayed = emulator.files[str(posted[0]["file_id"])].data
    with session_scope(pg_engine, read_only=True) as db:
        stored = [m.file_data for m in talk.case_messages(db, case_id=case_id) if m.kind == "pdf"]
    assert stored == [relayed] and FIRST.encode() not in relayed

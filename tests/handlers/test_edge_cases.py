"""Edge cases across every flow, in process: for each step a person can be at, unexpected input
(stickers, voice, photos without caption, unknown commands, edited messages, stale buttons, very
long text) gets a reply and keeps them there; /cancel and the menu button always get them out;
a conversation left over 6 hours expires politely.

Each step is reached by replaying a short script from a fresh person, so a flow that changes its
steps only needs its script here updated.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.services import Services
from handlers.router import CONVERSATION_TTL
from locales.i18n import get_translator
from storage.conversations import lock_conversation
from storage.db import create_db_engine, migrate, session_scope
from tests.handlers.conftest import Harness, Person, make_settings

OFFER = ("Job offer: customer service in Bangkok, salary 1500 USD a month, free flight and "
         "visa, contact @recruiter_jobs on Telegram")

# Steps: "/command", "p:<action>" (press a button of the last reply) or text to send.
SCRIPTS: dict[str, list[str]] = {
    "check_text": ["/check", OFFER],
    "check_quiz": ["/check", "p:quiz", "p:a:yes"],
    "contact": ["/contact", "@recruiter_jobs"],
    "report": ["/report", "p:k:job_offer", "+66 81 234 5678", "p:done",
               "They asked for a fee before the flight.", "p:done", "p:w:week", "p:cc:TH",
               "p:ok", "p:no_notify"],
    "report_add": ["/report", "p:add"],
    "help_self": ["/help_now", "p:who:self", "p:cc:KH", "p:cc:TH", "p:alert:yes"],
    "help_other": ["/help_now", "p:who:other", "p:cc:VN", "p:cc:KH", "near the river",
                   "p:docs:both", "p:last:week", "p:alert:yes"],
    "safety": ["/safety", "p:next"],
    "privacy": ["/privacy", "p:erase"],
    "delete": ["/delete"],
    "language": ["/language"],
}
LOCALES = ("en", "th", "km")
_user_ids = itertools.count(10_000)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One migrated database for the whole module (migrating takes longer than a walk); every
    test talks as a person of its own, so the tests stay independent."""
    settings = make_settings(tmp_path_factory.mktemp("edges"), staff_chat_id=-100777)
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    yield Harness(Services(settings=settings, engine=engine))
    engine.dispose()


def positions() -> list[tuple[str, int]]:
    """(script, steps to replay) for every step of every script."""
    return [(name, length) for name, script in SCRIPTS.items()
            for length in range(1, len(script) + 1)]


def position_id(position: tuple[str, int]) -> str:
    name, length = position
    return f"{name}-{length}"


def replay(person: Person, steps: list[str]) -> None:
    for step in steps:
        if step.startswith("p:"):
            action = step.removeprefix("p:")
            assert action in [b.action for b in person.buttons()], (step, person.texts())
            person.press(action)
        else:
            person.send(step)


def where(harness: Harness, person: Person) -> tuple[str, str]:
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        return row.flow, row.state


def reach(harness: Harness, position: tuple[str, int], locale: str) -> tuple[Person, tuple[str, str]]:
    name, length = position
    person = harness.person(next(_user_ids), language_code=locale)
    replay(person, SCRIPTS[name][:length])
    here = where(harness, person)
    assert here[0] != "menu", f"{name} left its flow after {length} steps"
    return person, here


@pytest.mark.parametrize("position", positions(), ids=position_id)
def test_unexpected_input_keeps_the_person_where_they_were(harness: Harness,
                                                           position: tuple[str, int]) -> None:
    locale = LOCALES[sum(map(ord, position_id(position))) % len(LOCALES)]
    t = get_translator(locale)
    person, here = reach(harness, position, locale)
    version_before = person.last.version if person.last else 0

    for kind in ("sticker", "voice", "photo"):
        replies = person.send_media(kind)
        assert replies and all(reply.text for reply in replies), kind
        assert where(harness, person) == here, kind

    replies = person.send("/frobnicate")
    assert replies[0].text == t.gettext(
        "I don't know that command. Send /help to see what I can do; we can go on where we were.")
    assert len(replies) > 1  # the current question again
    assert where(harness, person) == here

    replies = person.send("an edited old message", edited=True)
    assert replies[0].text == t.gettext(
        "I saw that you changed a message. I go by what you first sent; if something changed, "
        "send it again as a new message.")
    assert where(harness, person) == here

    if version_before > 0:
        replies = person.press("anything", version=version_before - 1)
        assert replies[0].text == t.gettext(
            "That button belongs to an earlier message. Here is where we are:")
        assert where(harness, person) == here

    replies = person.send("x " * 3000)  # very long text: answered, never a crash or a reset
    assert replies and all(reply.text for reply in replies)
    assert where(harness, person)[0] == here[0]

    replies = person.send("/cancel")
    assert replies[-1].text == t.gettext("Stopped. Nothing from that step was kept. What next?")
    assert where(harness, person) == ("menu", "idle")


@pytest.mark.parametrize("position", positions(), ids=position_id)
def test_menu_button_leaves_any_step(harness: Harness, position: tuple[str, int]) -> None:
    person, _ = reach(harness, position, "en")
    replies = person.press("menu")
    assert replies[-1].text == get_translator("en").gettext("What would you like to do?")
    assert where(harness, person) == ("menu", "idle")


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_conversation_left_for_hours_expires_politely(harness: Harness, name: str) -> None:
    person, _ = reach(harness, (name, len(SCRIPTS[name])), "th")
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        row.updated_at = row.updated_at - CONVERSATION_TTL - timedelta(minutes=1)
        db.add(row)
    replies = person.send("hello again")
    t = get_translator("th")
    assert replies[0].text == t.gettext("It has been a while, so I closed our earlier conversation. "
                                        "Nothing unfinished was stored.")
    assert where(harness, person) == ("menu", "idle")


def test_conversation_within_the_limit_carries_on(harness: Harness) -> None:
    person, here = reach(harness, ("help_other", 4), "en")
    with session_scope(harness.engine) as db:
        row = lock_conversation(db, user_key=person.user_key)
        row.updated_at = row.updated_at - CONVERSATION_TTL + timedelta(minutes=5)
        db.add(row)
    person.send("by the river, a tall blue building")
    assert where(harness, person) != here  # the answer was taken
    assert where(harness, person)[0] == "help_now"

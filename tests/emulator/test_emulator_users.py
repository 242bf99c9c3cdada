"""Simulated users against a small PTB application polling the emulator."""

from __future__ import annotations

import asyncio
import base64

import aiohttp
import pytest
from telegram.ext import Application

from emulator import Emulator, NoReplyError
from tests.emulator.conftest import png_bytes


async def test_command_reply_with_buttons(emulator: Emulator, echo_app: Application) -> None:
    user = emulator.user(7, first_name="Dara", language_code="km")
    await user.send_command("/start")
    reply = await user.wait_for_reply()
    assert reply.text == "Welcome, language km"
    assert reply.source.startswith("<b>Welcome</b>")
    assert [[b.text for b in row] for row in reply.buttons] == [
        ["Check a job offer", "Report"], ["Hotline"]]
    assert reply.button("hotline").url == "https://example.org/help"
    assert user.messages == [reply]


async def test_pressing_a_button_is_answered_and_edits(emulator: Emulator,
                                                       echo_app: Application) -> None:
    user = emulator.user(7)
    await user.send_command("/start")
    reply = await user.wait_for_reply()
    pressed = await user.press_button(reply, "Report")
    answer = await user.wait_for_answer(pressed)
    assert answer.text == "got 1|report"
    await user.wait_for_edit(reply)
    assert reply.text == "You chose 1|report" and reply.buttons == []
    assert reply.history[0]["text"] == "Welcome, language None"
    with pytest.raises(LookupError):
        reply.button(5)


async def test_url_buttons_send_nothing(emulator: Emulator, echo_app: Application) -> None:
    user = emulator.user(7)
    await user.send_command("/start")
    reply = await user.wait_for_reply()
    with pytest.raises(ValueError, match="opens"):
        await user.press_button(reply, 2)


async def test_photo_is_downloadable_by_the_bot(emulator: Emulator,
                                                echo_app: Application) -> None:
    user = emulator.user(7)
    message = await user.send_photo(png_bytes(), caption="the job ad")
    largest = emulator.files[message["photo"][-1]["file_id"]]
    reply = await user.wait_for_reply()
    assert reply.text == f"photo of {len(largest.data)} bytes, caption 'the job ad'"


async def test_forwards_carry_their_origin(emulator: Emulator, echo_app: Application) -> None:
    user = emulator.user(7)
    recruiter = emulator.user(99, first_name="Recruiter", username="easy_jobs_th")
    await user.forward_text("Job in Bangkok, 2000 USD", from_user=recruiter)
    assert (await user.wait_for_reply()).text == "forwarded (user): Job in Bangkok, 2000 USD"
    await user.forward_text("Hidden sender", sender_name="Agent K")
    assert (await user.wait_for_reply()).text == "forwarded (hidden_user): Hidden sender"
    await user.forward_text("From a channel", from_chat={"id": -1001, "type": "channel",
                                                          "title": "Jobs"})
    assert (await user.wait_for_reply()).text == "forwarded (channel): From a channel"


async def test_edits_and_groups(emulator: Emulator, echo_app: Application) -> None:
    user = emulator.user(7)
    sent = await user.send_text("first version")
    await user.wait_for_reply()
    await user.edit_message(sent, "second version")
    assert (await user.wait_for_reply()).text == "edited: second version"
    group = emulator.group(-100555, title="Workers")
    await user.send_text("hello group", chat=group)
    reply = await user.wait_for_reply(chat=group)
    assert reply.chat_id == -100555 and reply.text == "echo: hello group"
    assert group.messages == [reply]


async def test_no_reply_explains_itself(emulator: Emulator, echo_app: Application) -> None:
    user = emulator.user(7)
    user.block_bot()
    await user.send_text("the bot cannot answer a user who blocked it")
    with pytest.raises(NoReplyError, match="403 Forbidden: bot was blocked"):
        await user.wait_for_reply(timeout=1)


async def test_settling_collects_everything_the_bot_did(emulator: Emulator,
                                                        echo_app: Application) -> None:
    user = emulator.user(7)
    await user.send_command("/start")
    events = await user.wait_until_settled(quiet=0.1)
    assert [event.kind for event in events] == ["sent"]
    reply = events[0].message
    assert reply is not None
    await user.press_button(reply, 0)
    events = await user.wait_until_settled(quiet=0.1)
    assert sorted(event.kind for event in events) == ["answered", "edited"]


async def test_settling_knows_when_the_bot_is_idle(emulator: Emulator,
                                                   echo_app: Application) -> None:
    """With `bot_idle` (the harness sees the bot's update queue), settling waits for the
    handler to finish, however long it pauses between two messages; on a quiet moment alone it
    stops at the pause."""
    user = emulator.user(7)
    await user.send_command("/two")
    events = await user.wait_until_settled(quiet=0.1)
    assert [event.message.text for event in events if event.message] == ["part one"]
    assert (await user.wait_for_reply()).text == "part two"
    user.skip_replies()

    async def idle(timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                await echo_app.update_queue.join()
        except TimeoutError:
            return False
        return True

    emulator.bot_idle = idle
    await user.send_command("/two")
    events = await user.wait_until_settled(quiet=0.1)
    assert [event.message.text for event in events if event.message] == [
        "part one", "part two"]
    assert emulator.was_taken(user.last_update_id or 0) and emulator.calls_in_flight == 0
    # Nothing sent at all: settled once the bot is done, with nothing to show.
    await user.send_command("/nothing_handles_this")
    assert await user.wait_until_settled(quiet=0.1) == []


async def test_control_endpoints_drive_a_chat(emulator: Emulator,
                                              echo_app: Application) -> None:
    async with aiohttp.ClientSession(base_url=emulator.url) as session:
        async with session.post("/_emulator/users", json={
                "user_id": 8, "first_name": "Ana", "language_code": "tl"}) as response:
            assert (await response.json())["language_code"] == "tl"
        async with session.post("/_emulator/users/8/send", json={"command": "/start"}
                                ) as response:
            body = await response.json()
        reply = body["events"][0]["message"]
        assert reply["text"] == "Welcome, language tl"
        assert reply["buttons"][0][1] == {"index": 1, "text": "Report",
                                          "callback_data": "1|report", "url": None}
        async with session.post("/_emulator/users/8/press", json={
                "message_id": reply["message_id"], "button": "Report"}) as response:
            body = await response.json()
        kinds = sorted(event["kind"] for event in body["events"])
        assert kinds == ["answered", "edited"]
        photo = base64.b64encode(png_bytes()).decode()
        async with session.post("/_emulator/users/8/send", json={"photo_base64": photo}
                                ) as response:
            body = await response.json()
        assert body["events"][0]["message"]["text"].startswith("photo of")
        async with session.get("/_emulator/chats/8/messages") as response:
            messages = (await response.json())["messages"]
        assert [message["text"] for message in messages] == [
            "You chose 1|report", messages[1]["text"]]
        async with session.post("/_emulator/users/8/send", json={}) as response:
            assert response.status == 400
        async with session.get("/_emulator/calls", params={"method": "answerCallbackQuery"}
                               ) as response:
            assert len((await response.json())["calls"]) == 1

"""The emulator through python-telegram-bot's real HTTP stack: shapes, limits and errors."""

from __future__ import annotations

import io

import aiohttp
import pytest
from PIL import Image
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken

from emulator import Emulator
from tests.emulator.conftest import make_bot, png_bytes


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data)
                                  for text, data in row] for row in rows])


async def test_get_me_answers_the_bot_of_the_token(bot: Bot, emulator: Emulator) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.id == int(bot.token.split(":")[0])
    assert me.username == emulator.bot_username


async def test_send_message_returns_a_real_message(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42, first_name="Mali", language_code="th")
    message = await bot.send_message(
        42, "<b>Careful</b> &lt;3", parse_mode=ParseMode.HTML,
        reply_markup=keyboard([("Yes", "1|yes"), ("No", "1|no")]))
    assert message.text == "Careful <3"
    assert message.chat.id == 42 and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.id == bot.id
    assert [entity.type for entity in message.entities] == ["bold"]
    assert message.reply_markup is not None
    recorded = user.messages[-1]
    assert recorded.message_id == message.message_id
    assert recorded.source == "<b>Careful</b> &lt;3"
    assert recorded.button_texts == ["Yes", "No"]


async def test_text_length_counts_after_entity_parsing(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    # 4096 visible characters wrapped in tags are fine…
    await bot.send_message(42, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    # …4097 are not.
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "a" * 4097)


async def test_malformed_html_is_refused(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: Unsupported start tag"):
        await bot.send_message(42, "Salary <USD 900>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(42, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_callback_data_is_limited_to_64_bytes(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    ok = "ก" * 21  # 63 bytes in UTF-8
    await bot.send_message(42, "fits", reply_markup=keyboard([("ok", ok)]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "too long", reply_markup=keyboard([("x", "ก" * 21 + "ab")]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(42, "65 ascii", reply_markup=keyboard([("x", "a" * 65)]))


async def test_buttons_need_text_and_a_valid_url(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    with pytest.raises(BadRequest, match=r"(?i)Text must be non-empty"):
        await bot.send_message(42, "x", reply_markup=keyboard([("", "1|a")]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_URL_INVALID"):
        await bot.send_message(42, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("bad", url="javascript:alert(1)")]]))
    sent = await bot.send_message(42, "x", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("Hotline", url="https://example.org/1199")]]))
    assert sent.reply_markup is not None


async def test_unknown_chat_and_blocked_user(bot: Bot, emulator: Emulator) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "hello")
    emulator.user(42).block_bot()
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(42, "hello")


async def test_edit_text_and_markup(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    sent = await bot.send_message(42, "Pick one", reply_markup=keyboard([("A", "1|a")]))
    edited = await bot.edit_message_text("Picked <b>A</b>", chat_id=42,
                                         message_id=sent.message_id, parse_mode="HTML")
    assert not isinstance(edited, bool) and edited.text == "Picked A"
    assert edited.edit_date is not None
    recorded = user.messages[-1]
    assert recorded.text == "Picked A" and recorded.edit_count == 1
    assert recorded.buttons == []  # an edit without reply_markup removes the keyboard
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Picked <b>A</b>", chat_id=42, message_id=sent.message_id,
                                    parse_mode="HTML")
    await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id,
                                        reply_markup=keyboard([("B", "2|b")]))
    assert recorded.button_texts == ["B"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)


async def test_delete_message(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    sent = await bot.send_message(42, "oops")
    assert await bot.delete_message(42, sent.message_id) is True
    assert user.messages == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(42, sent.message_id)


async def test_callback_answer_is_recorded_once(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    sent = await bot.send_message(42, "Pick", reply_markup=keyboard([("A", "1|a")]))
    pressed = await user.press_button(sent, "A")
    assert emulator.unanswered_callback_queries == [pressed.query_id]
    assert await bot.answer_callback_query(pressed.query_id, text="Noted") is True
    assert emulator.unanswered_callback_queries == []
    answer = await user.wait_for_answer(pressed, timeout=1)
    assert answer.text == "Noted" and not answer.show_alert
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(pressed.query_id)


async def test_chat_action_and_reply_keyboard(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    assert await bot.send_chat_action(42, ChatAction.TYPING) is True
    assert emulator.chat_state(42).events[-1].action == "typing"
    await bot.send_message(42, "Share?", reply_markup=ReplyKeyboardMarkup([["Yes", "No"]]))
    assert emulator.chat_state(42).reply_keyboard is not None


async def test_commands_are_stored_per_language_and_scope(bot: Bot, emulator: Emulator) -> None:
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("start", "เริ่ม")], language_code="th")
    await bot.set_my_commands([BotCommand("report", "Report")],
                              scope=BotCommandScopeAllPrivateChats())
    assert [c.description for c in await bot.get_my_commands(language_code="th")] == ["เริ่ม"]
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    assert [c.command for c in await bot.get_my_commands(
        scope=BotCommandScopeAllPrivateChats())] == ["report"]
    assert await bot.get_my_commands(language_code="vi") == ()
    assert emulator.commands_for(language_code="th")[0]["description"] == "เริ่ม"
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start-Now", "bad name")])


async def test_photo_upload_get_file_and_download(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    sent = await bot.send_photo(42, png_bytes(64, 48), caption="<b>proof</b>",
                                parse_mode="HTML")
    assert sent.caption == "proof"
    largest = sent.photo[-1]
    assert (largest.width, largest.height) == (64, 48)  # small pictures are not enlarged
    telegram_file = await bot.get_file(largest.file_id)
    assert telegram_file.file_path is not None
    downloaded = bytes(await telegram_file.download_as_bytearray())
    with Image.open(io.BytesIO(downloaded)) as image:  # Telegram serves photos as JPEG
        assert (image.format, image.size) == ("JPEG", (64, 48))
    again = await bot.send_photo(42, largest.file_id)  # re-sending by file_id
    assert [size.file_id for size in again.photo] == [size.file_id for size in sent.photo]
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(42, b"not a picture")


async def test_documents_sent_copied_fetched_and_received(bot: Bot, emulator: Emulator) -> None:
    user = emulator.user(42)
    group = emulator.group(-1009, title="Team", forum=True)
    topic = await bot.create_forum_topic(-1009, "Case 1")
    sent = await bot.send_document(42, InputFile(b"%PDF-1.4 body", filename="document-3.pdf"),
                                   caption="the form")
    assert sent.document is not None and sent.document.file_name == "document-3.pdf"
    assert sent.document.mime_type == "application/pdf" and sent.caption == "the form"
    fetched = await bot.get_file(sent.document.file_id)
    assert bytes(await fetched.download_as_bytearray()) == b"%PDF-1.4 body"
    again = await bot.send_document(42, sent.document.file_id)  # re-sending by file_id
    assert again.document is not None and again.document.file_id == sent.document.file_id
    # A user's document, kept byte for byte, copied into a topic with its name and type.
    original = await user.send_document(b"notes\n", file_name="Dara notes.txt",
                                        mime_type="text/plain")
    assert original["document"]["file_name"] == "Dara notes.txt"
    await bot.copy_message(-1009, 42, original["message_id"],
                           message_thread_id=topic.message_thread_id)
    copied = group.messages_in(topic.message_thread_id)[-1]
    assert copied.document is not None and copied.document["file_name"] == "Dara notes.txt"
    with pytest.raises(BadRequest, match="no document"):
        await bot.send_document(42, "")


async def test_photos_come_in_telegrams_sizes(bot: Bot, emulator: Emulator) -> None:
    emulator.user(42)
    sent = await bot.send_photo(42, png_bytes(3000, 1500))
    assert [(size.width, size.height) for size in sent.photo] == [
        (90, 45), (320, 160), (800, 400), (1280, 640)]


async def test_wrong_token_and_unknown_method(emulator: Emulator) -> None:
    locked = Emulator(token="111:" + "a" * 30)
    await locked.start()
    try:
        async with make_bot(locked, token="111:" + "a" * 30) as ok_bot:
            assert (await ok_bot.get_me()).id == 111
        with pytest.raises(InvalidToken):
            async with make_bot(locked, token="222:" + "b" * 30):
                pass
    finally:
        await locked.stop()
    async with aiohttp.ClientSession() as session, \
            session.post(f"{emulator.base_url}123:{'x' * 30}/fooBar") as response:
        assert response.status == 404
        assert (await response.json())["ok"] is False


async def test_method_names_are_case_insensitive_and_json_bodies_work(
        emulator: Emulator) -> None:
    emulator.user(42)
    url = f"{emulator.base_url}123:{'x' * 30}"
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/SENDMESSAGE", json={
                "chat_id": 42, "text": "hi",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}},
        ) as response:
            body = await response.json()
        assert response.status == 200 and body["ok"] is True
        assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
        async with session.get(f"{url}/sendMessage", params={"chat_id": "42"}) as response:
            body = await response.json()
        assert response.status == 400
        assert body == {"ok": False, "error_code": 400,
                        "description": "Bad Request: message text is empty"}

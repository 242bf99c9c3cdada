"""HTTP face of the emulator: the Bot API routes, file downloads and the control endpoints.

Bot API: `POST|GET /bot<TOKEN>/<method>` (method names case-insensitive), parameters from the
query string and a form-urlencoded, multipart or JSON body; answers
`{"ok": true, "result": …}` or `{"ok": false, "error_code": N, "description": …}` with the same
HTTP status. Files: `GET /file/bot<TOKEN>/<file_path>`.

Control (JSON; for a bot running in another process, or a script):

| route | what |
|---|---|
| `GET /_emulator/state` | bot, webhook, queued updates, users, chats |
| `POST /_emulator/users` | create or update a user: `user_id`, `first_name`, `username`, `language_code` |
| `POST /_emulator/users/{id}/send` | one of `text`, `command` (+`args`), `photo_base64` (+`caption`), |
|  | `forward` (`text` + `sender_name`/`from_user`/`from_chat`); optional `chat_id` (a group), |
|  | `wait` (default true), `timeout`; answers the message and what the bot then did (`events`) |
| `POST /_emulator/users/{id}/press` | `message_id`, `button` (text, or index from 0); same `wait` |
| `GET /_emulator/chats/{chat_id}/messages` | what the bot sent there, edits applied |
| `GET/POST /_emulator/faults` | read / change fault injection (see `emulator.faults`) |
| `GET /_emulator/calls?method=…` | the Bot API call log |
| `POST /_emulator/reset` | forget everything but the webhook |
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import signal
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from emulator.core import Emulator
from emulator.errors import ApiError
from emulator.models import ChatEvent, SentMessage
from emulator.params import Params, UploadedFile
from emulator.users import GroupChat, SimulatedUser

log = logging.getLogger(__name__)

EMULATOR_KEY = web.AppKey("emulator", Emulator)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Telegram's limit for bot uploads


def _api_response(payload: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=lambda data: json.dumps(
        data, ensure_ascii=False))


async def _read_params(request: web.Request) -> Params:
    params = Params(dict(request.query))
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        params.values.update(body)
        return params
    form: MultiDictProxy[Any] = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            params.files[name] = UploadedFile(value.filename, value.content_type,
                                              value.file.read())
        else:
            params.values[name] = value
    return params


async def handle_bot_api(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    token, method = request.match_info["token"], request.match_info["method"]
    try:
        params = await _read_params(request)
        result = await emulator.call(token, method, params)
    except ApiError as error:
        return _api_response(error.to_json(), status=error.status)
    return _api_response({"ok": True, "result": result})


async def handle_file(request: web.Request) -> web.StreamResponse:
    emulator = request.app[EMULATOR_KEY]
    try:
        emulator.check_token(request.match_info["token"])
    except ApiError as error:
        return _api_response(error.to_json(), status=error.status)
    stored = emulator.file_by_path(request.match_info["path"])
    if stored is None:
        return _api_response({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
    return web.Response(body=stored.data, content_type="application/octet-stream")


# ---------------------------------------------------------------------- control endpoints
def message_json(message: SentMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id, "chat_id": message.chat_id, "text": message.text,
        "plain": message.plain, "source": message.source,
        "buttons": [[{"index": button.index, "text": button.text,
                      "callback_data": button.callback_data, "url": button.url}
                     for button in row] for row in message.buttons],
        "photo": message.photo, "edit_count": message.edit_count, "deleted": message.deleted,
        "raw": message.raw,
    }


def event_json(event: ChatEvent) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": event.kind, "chat_id": event.chat_id}
    if event.message is not None:
        data["message"] = message_json(event.message)
    if event.answer is not None:
        data["answer"] = {"query_id": event.answer.query_id, "text": event.answer.text,
                          "show_alert": event.answer.show_alert, "url": event.answer.url}
    if event.action is not None:
        data["action"] = event.action
    return data


def _control_error(problem: str, status: int = 400) -> web.HTTPException:
    error_class = web.HTTPNotFound if status == 404 else web.HTTPBadRequest
    return error_class(text=json.dumps({"error": problem}), content_type="application/json")


async def _json_body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise _control_error("the body must be JSON") from None
    if not isinstance(body, dict):
        raise _control_error("the body must be a JSON object")
    return body


def _user(emulator: Emulator, request: web.Request) -> SimulatedUser:
    try:
        return emulator.user(int(request.match_info["user_id"]))
    except ValueError:
        raise _control_error("user ids are positive whole numbers") from None


def _chat_ref(emulator: Emulator, body: dict[str, Any]) -> GroupChat | None:
    chat_id = body.get("chat_id")
    if chat_id is None:
        return None
    if not isinstance(chat_id, int) or chat_id >= 0:
        raise _control_error("chat_id must be a group's (negative) id")
    return emulator.group(chat_id, title=str(body.get("chat_title", "Test group")))


async def _events_after(user: SimulatedUser, body: dict[str, Any],
                        chat: GroupChat | None) -> list[dict[str, Any]] | None:
    if not body.get("wait", True):
        return None
    timeout = float(body.get("timeout", 10.0))
    events = await user.wait_until_settled(max_wait=timeout, chat=chat)
    return [event_json(event) for event in events]


async def control_state(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    return web.json_response({
        "bot": emulator.bot_user(emulator.default_token),
        "token_fixed": emulator.token is not None,
        "webhook": {"url": emulator.webhook.url,
                    "last_error_message": emulator.webhook.last_error_message},
        "pending_updates": len(emulator.pending_updates),
        "users": [user.as_json() for user in emulator.users.values()],
        "chats": [state.chat for state in emulator.chats.values()],
    })


async def control_create_user(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    body = await _json_body(request)
    try:
        user = emulator.user(int(body["user_id"]), first_name=body.get("first_name"),
                             last_name=body.get("last_name"), username=body.get("username"),
                             language_code=body.get("language_code"))
    except (KeyError, TypeError, ValueError) as error:
        raise _control_error(f"bad user: {error}") from None
    return web.json_response(user.as_json())


async def control_send(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    user = _user(emulator, request)
    body = await _json_body(request)
    chat = _chat_ref(emulator, body)
    try:
        if "command" in body:
            message = await user.send_command(str(body["command"]), str(body.get("args", "")),
                                              chat=chat)
        elif "photo_base64" in body:
            data = base64.b64decode(str(body["photo_base64"]), validate=True)
            message = await user.send_photo(data, caption=body.get("caption"), chat=chat)
        elif "forward" in body:
            forward = body["forward"]
            message = await user.forward_text(
                str(forward["text"]), from_user=forward.get("from_user"),
                from_chat=forward.get("from_chat"), sender_name=forward.get("sender_name"),
                chat=chat)
        elif "text" in body:
            message = await user.send_text(str(body["text"]), chat=chat)
        else:
            raise _control_error("give text, command, photo_base64 or forward")
    except (ValueError, LookupError, KeyError, TypeError, binascii.Error) as error:
        raise _control_error(str(error)) from None
    return web.json_response({"message": message,
                              "update_id": user.last_update_id,
                              "events": await _events_after(user, body, chat)})


async def control_press(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    user = _user(emulator, request)
    body = await _json_body(request)
    chat = _chat_ref(emulator, body)
    button = body.get("button")
    if not isinstance(button, int | str) or "message_id" not in body:
        raise _control_error("give message_id and button (its text, or its index from 0)")
    try:
        pressed = await user.press_button(int(body["message_id"]), button, chat=chat)
    except (ValueError, LookupError) as error:
        raise _control_error(str(error)) from None
    return web.json_response({"callback_query_id": pressed.query_id,
                              "update_id": pressed.update_id,
                              "events": await _events_after(user, body, chat)})


async def control_messages(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    try:
        state = emulator.chat_state(int(request.match_info["chat_id"]))
    except (ValueError, LookupError):
        raise _control_error("no such chat", status=404) from None
    return web.json_response({"messages": [message_json(message)
                                           for message in state.bot_messages]})


async def control_faults(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    if request.method == "POST":
        try:
            emulator.faults.configure(await _json_body(request))
        except ValueError as error:
            raise _control_error(str(error)) from None
    return web.json_response(emulator.faults.to_dict())


async def control_calls(request: web.Request) -> web.Response:
    emulator = request.app[EMULATOR_KEY]
    method = request.query.get("method")
    calls = emulator.calls_to(method) if method else list(emulator.calls)
    return web.json_response({"calls": [
        {"method": call.method, "params": call.params, "status": call.status,
         "description": call.description} for call in calls]})


async def control_reset(request: web.Request) -> web.Response:
    request.app[EMULATOR_KEY].reset()
    return web.json_response({"ok": True})


def create_app(emulator: Emulator) -> web.Application:
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
    app[EMULATOR_KEY] = emulator
    app.router.add_route("*", "/bot{token:[^/]+}/{method:[A-Za-z]+}", handle_bot_api)
    app.router.add_get("/file/bot{token:[^/]+}/{path:.+}", handle_file)
    app.router.add_get("/_emulator/state", control_state)
    app.router.add_post("/_emulator/users", control_create_user)
    app.router.add_post("/_emulator/users/{user_id}/send", control_send)
    app.router.add_post("/_emulator/users/{user_id}/press", control_press)
    app.router.add_get("/_emulator/chats/{chat_id}/messages", control_messages)
    app.router.add_route("*", "/_emulator/faults", control_faults)
    app.router.add_get("/_emulator/calls", control_calls)
    app.router.add_post("/_emulator/reset", control_reset)
    return app


async def serve(port: int, *, token: str | None = None, host: str = "127.0.0.1") -> None:
    """Run a standalone emulator (`python -m bot emulator --port N`) until cancelled or until
    SIGINT/SIGTERM, which end it cleanly.

    Prints one line with the URL to give the bot as TELEGRAM_API_URL once it accepts requests.
    """
    emulator = Emulator(token=token, host=host)
    url = await emulator.start(port)
    print(f"Telegram Bot API emulator on {url} (set TELEGRAM_API_URL={url}); "
          f"control endpoints under {url}/_emulator/", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or no signals on this platform: cancel instead
    try:
        await stop.wait()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        await emulator.stop()

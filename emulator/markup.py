"""Validation of `reply_markup` the way the Bot API answers it."""

from __future__ import annotations

import re
from typing import Any

from emulator.errors import ApiError, bad_request

CALLBACK_DATA_MAX_BYTES = 64
MAX_BUTTONS = 100
_BUTTON_ACTIONS = (
    "url", "callback_data", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "callback_game",
    "pay", "web_app", "copy_text",
)
_URL_RE = re.compile(r"^(?:(?:https?|tg)://)?[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _button_problem(problem: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {problem}")


def _validate_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _button_problem("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_problem("Field \"text\" must be of type String")
    if not text.strip():
        raise _button_problem("Text must be non-empty")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise _button_problem("Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise _button_problem("Field \"callback_data\" must be of type String")
        if not 1 <= len(data.encode()) <= CALLBACK_DATA_MAX_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _URL_RE.match(url) \
                or url.lower().startswith(("javascript:", "data:")):
            raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def _validate_reply_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse keyboard button: Field \"text\" must be of type String")
    if not button["text"].strip():
        raise bad_request("can't parse keyboard button: Text must be non-empty")
    return dict(button)


def _rows(markup: dict[str, Any], field: str) -> list[Any]:
    rows = markup.get(field)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f"can't parse reply keyboard markup: Field \"{field}\" must be an Array"
                          " of Arrays")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """The normalised markup, or ApiError(400) with Telegram's wording. None: no markup."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _rows(markup, "inline_keyboard")
        return {"inline_keyboard": [[_validate_inline_button(button) for button in row]
                                    for row in rows]}
    if "keyboard" in markup:
        rows = _rows(markup, "keyboard")
        normalised = dict(markup)
        normalised["keyboard"] = [[_validate_reply_button(button) for button in row]
                                  for row in rows]
        return normalised
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return dict(markup)
    raise bad_request("can't parse reply keyboard markup JSON object")

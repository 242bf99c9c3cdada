"""What the emulator records: messages the bot sent, buttons, callback answers, chat events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from emulator.formatting import render_plain


@dataclass(frozen=True)
class InlineButton:
    text: str
    index: int  # position in the whole keyboard, row by row, from 0
    row: int
    column: int
    callback_data: str | None = None
    url: str | None = None


@dataclass
class SentMessage:
    """A message the bot sent, kept current: edits change it in place, deletes flag it."""

    message_id: int
    chat_id: int
    raw: dict[str, Any]  # the Bot API Message object as last returned to the bot
    source: str  # text (or caption) exactly as the bot sent it, e.g. HTML
    parse_mode: str | None = None
    edit_count: int = 0
    deleted: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier versions of `raw`

    @property
    def text(self) -> str:
        """Plain text after entity parsing (the caption for a photo)."""
        return str(self.raw.get("text", self.raw.get("caption", "")))

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.raw.get("entities", self.raw.get("caption_entities", [])))

    @property
    def plain(self) -> str:
        """The text as a person reads it: link targets shown after their text."""
        return render_plain(self.text, self.entities)

    @property
    def document(self) -> dict[str, Any] | None:
        document = self.raw.get("document")
        return document if isinstance(document, dict) else None

    @property
    def photo(self) -> list[dict[str, Any]] | None:
        photo = self.raw.get("photo")
        return list(photo) if photo else None

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        markup = self.raw.get("reply_markup")
        return dict(markup) if markup else None

    @property
    def buttons(self) -> list[list[InlineButton]]:
        rows: list[list[InlineButton]] = []
        index = 0
        for row_number, row in enumerate((self.reply_markup or {}).get("inline_keyboard", [])):
            buttons = []
            for column, button in enumerate(row):
                buttons.append(InlineButton(
                    text=button["text"], index=index, row=row_number, column=column,
                    callback_data=button.get("callback_data"), url=button.get("url"),
                ))
                index += 1
            rows.append(buttons)
        return rows

    @property
    def flat_buttons(self) -> list[InlineButton]:
        return [button for row in self.buttons for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [button.text for button in self.flat_buttons]

    def button(self, which: str | int) -> InlineButton:
        """A button by index (from 0, row by row) or by its text (exact, else a unique
        case-insensitive substring)."""
        buttons = self.flat_buttons
        if isinstance(which, int):
            if not 0 <= which < len(buttons):
                raise LookupError(
                    f"message {self.message_id} has {len(buttons)} buttons, no index {which}: "
                    f"{self.button_texts}"
                )
            return buttons[which]
        exact = [button for button in buttons if button.text == which]
        if exact:
            return exact[0]
        wanted = which.casefold()
        partial = [button for button in buttons if wanted in button.text.casefold()]
        if len(partial) == 1:
            return partial[0]
        raise LookupError(
            f"no single button {which!r} in message {self.message_id}: {self.button_texts}"
        )


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass(frozen=True)
class ChatEvent:
    """Something the bot did in a chat, in order; what a person would notice."""

    kind: Literal["sent", "edited", "deleted", "answered", "action"]
    chat_id: int
    message: SentMessage | None = None
    answer: CallbackAnswer | None = None
    action: str | None = None


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    width: int | None = None
    height: int | None = None

    def as_photo_size(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "width": self.width or 0, "height": self.height or 0,
                "file_size": len(self.data)}

    def as_file(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": len(self.data), "file_path": self.file_path}


@dataclass(frozen=True)
class ApiCallRecord:
    """One Bot API call as the emulator answered it (for tests that check the call sequence)."""

    method: str  # as the bot spelled it
    params: dict[str, Any]
    status: int
    description: str | None
    at: float

"""Telegram's text formatting, as the Bot API server applies it.

`parse_html` follows the HTML parser of TDLib (`td/telegram/MessageEntity.cpp::parse_html`),
which is what api.telegram.org runs: only a fixed set of tags, `&lt; &gt; &amp; &quot;` and
numeric character references are decoded (any other `&…` stays literal), and a bad tag is an
error ("can't parse entities: …") with a *byte* offset into the UTF-8 text. Entity offsets
and lengths are counted in UTF-16 code units, as in the Bot API.

`detect_entities` adds what Telegram marks by itself in incoming messages (bot commands,
@mentions, hashtags, URLs, e-mail addresses) so that PTB filters such as `filters.COMMAND`
see the same entities they would in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# tag name -> entity type; "a", "span", "pre", "code", "blockquote" and "tg-emoji" are special.
_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold",
    "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_SUPPORTED_TAGS = {*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's own wording."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    start: int  # UTF-16 offset in the output text
    byte_offset: int


def _decode_reference(source: str, position: int) -> tuple[str, int] | None:
    """Decode `&name;` / `&#N;` / `&#xN;` at `position`; None leaves the `&` literal."""
    end = source.find(";", position + 1, position + 12)
    if end == -1:
        return None
    body = source[position + 1:end]
    if body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body], end + 1
    try:
        if body[:2] in ("#x", "#X"):
            code_point = int(body[2:], 16)
        elif body[:1] == "#" and body[1:].isdigit():
            code_point = int(body[1:])
        else:
            return None
    except ValueError:
        return None
    if not 0 < code_point < 0x110000 or 0xD800 <= code_point <= 0xDFFF:
        return None
    return chr(code_point), end + 1


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode())


def _parse_attributes(source: str, position: int, tag: str, tag_offset: int
                      ) -> tuple[dict[str, str], int]:
    """Attributes of a start tag from `position` up to and including the closing `>`."""
    attributes: dict[str, str] = {}
    length = len(source)
    while True:
        while position < length and source[position].isspace():
            position += 1
        if position >= length:
            raise EntityParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if source[position] == ">":
            return attributes, position + 1
        name_start = position
        while position < length and not source[position].isspace() \
                and source[position] not in "=>":
            position += 1
        name = source[name_start:position].lower()
        while position < length and source[position].isspace():
            position += 1
        if position >= length or source[position] != "=":
            if position < length and source[position] == ">" and name:
                # A value-less attribute, e.g. <blockquote expandable>.
                attributes[name] = ""
                continue
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {tag_offset}'
            )
        position += 1
        while position < length and source[position].isspace():
            position += 1
        if position >= length:
            raise EntityParseError(f"Unclosed start tag at byte offset {tag_offset}")
        quote = source[position]
        if quote in "'\"":
            value_end = source.find(quote, position + 1)
            if value_end == -1:
                raise EntityParseError(
                    f'Unclosed start tag "{tag}" at byte offset {tag_offset}'
                )
            raw_value = source[position + 1:value_end]
            position = value_end + 1
        else:
            value_start = position
            while position < length and not source[position].isspace() \
                    and source[position] != ">":
                position += 1
            raw_value = source[value_start:position]
        attributes[name] = _unescape(raw_value)


def _unescape(value: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(value):
        if value[index] == "&":
            decoded = _decode_reference(value, index)
            if decoded is not None:
                out.append(decoded[0])
                index = decoded[1]
                continue
        out.append(value[index])
        index += 1
    return "".join(out)


def _entity_for(tag: _OpenTag, end: int) -> dict[str, Any] | None:
    length = end - tag.start
    if length <= 0:
        return None  # Telegram drops empty entities
    entity: dict[str, Any] = {"offset": tag.start, "length": length}
    if tag.name in _SIMPLE_TAGS:
        entity["type"] = _SIMPLE_TAGS[tag.name]
    elif tag.name == "span":
        entity["type"] = "spoiler"
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attributes \
            else "blockquote"
    elif tag.name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.attributes.get("emoji-id", "")
    else:  # "a"
        href = tag.attributes.get("href")
        if href is None:
            # <a> without href: TDLib treats the inner text as a URL if it is one.
            return None
        user = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": ""}
        else:
            entity["type"] = "text_link"
            entity["url"] = href
    return entity


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and Bot API entities of a `parse_mode="HTML"` text; raises EntityParseError."""
    text: list[str] = []
    text_units = 0  # UTF-16 length of the text produced so far
    open_tags: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    length = len(source)
    index = 0
    while index < length:
        char = source[index]
        if char == "&":
            decoded = _decode_reference(source, index)
            if decoded is not None:
                text.append(decoded[0])
                text_units += utf16_len(decoded[0])
                index = decoded[1]
                continue
        if char != "<":
            text.append(char)
            text_units += utf16_len(char)
            index += 1
            continue
        tag_offset = _byte_offset(source, index)
        if index + 1 < length and source[index + 1] == "/":
            if not open_tags:
                raise EntityParseError(f"Unexpected end tag at byte offset {tag_offset}")
            name_end = index + 2
            while name_end < length and not source[name_end].isspace() \
                    and source[name_end] != ">":
                name_end += 1
            end_name = source[index + 2:name_end].lower()
            closing = source.find(">", name_end)
            if closing == -1:
                raise EntityParseError(f"Unclosed end tag at byte offset {tag_offset}")
            if source[name_end:closing].strip():
                raise EntityParseError(f"Unclosed end tag at byte offset {tag_offset}")
            expected = open_tags[-1]
            if end_name and end_name != expected.name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {tag_offset}, expected '
                    f'"</{expected.name}>", found "</{end_name}>"'
                )
            open_tags.pop()
            entity = _entity_for(expected, text_units)
            if entity is not None:
                if entity["type"] == "pre" and entities and entities[-1]["type"] == "code" \
                        and entities[-1]["offset"] == entity["offset"] \
                        and entities[-1]["length"] == entity["length"]:
                    # <pre><code class="language-x">…</code></pre> is one pre entity.
                    inner = entities.pop()
                    if "language" in inner:
                        entity["language"] = inner["language"]
                if entity["type"] == "code" and expected.attributes.get("class", "") \
                        .startswith("language-") and open_tags and open_tags[-1].name == "pre":
                    entity["language"] = expected.attributes["class"].removeprefix("language-")
                entities.append(entity)
            index = closing + 1
            continue
        name_end = index + 1
        while name_end < length and not source[name_end].isspace() \
                and source[name_end] != ">":
            name_end += 1
        if name_end >= length:
            raise EntityParseError(f"Unclosed start tag at byte offset {tag_offset}")
        tag_name = source[index + 1:name_end].lower()
        if tag_name not in _SUPPORTED_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag_name}" at byte offset {tag_offset}'
            )
        attributes, index = _parse_attributes(source, name_end, tag_name, tag_offset)
        if tag_name == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler"')
        if tag_name == "tg-emoji" and "emoji-id" not in attributes:
            raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
        open_tags.append(_OpenTag(tag_name, attributes, text_units, tag_offset))
    if open_tags:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{open_tags[-1].name}"'
        )
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(text), entities


_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?(?![\w/])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}(?![\w@])")
_HASHTAG_RE = re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL_RE = re.compile(
    r"(?<![\w@/.])(?:https?://)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?::\d{1,5})?(?:/[^\s]*)?",
    re.IGNORECASE,
)


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram adds to an incoming plain-text message (bot_command, mention, …)."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], kind: str) -> None:
        start, end = match.span()
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        taken.append((start, end))
        found.append((start, end, kind))

    for match in _EMAIL_RE.finditer(text):
        add(match, "email")
    for match in _URL_RE.finditer(text):
        # Strip trailing punctuation the way clients do ("see example.com.").
        trimmed = match.group(0).rstrip(".,;:!?)")
        if trimmed != match.group(0):
            fixed = re.compile(re.escape(trimmed)).match(text, match.start())
            if fixed is None:
                continue
            match = fixed
        add(match, "url")
    for match in _COMMAND_RE.finditer(text):
        add(match, "bot_command")
    for match in _MENTION_RE.finditer(text):
        add(match, "mention")
    for match in _HASHTAG_RE.finditer(text):
        add(match, "hashtag")
    entities = [
        {"offset": utf16_len(text[:start]), "length": utf16_len(text[start:end]), "type": kind}
        for start, end, kind in sorted(found)
    ]
    return entities


def entity_text(text: str, entity: dict[str, Any]) -> str:
    """The part of `text` an entity covers (offsets are UTF-16 code units)."""
    encoded = text.encode("utf-16-le")
    start = entity["offset"] * 2
    return encoded[start:start + entity["length"] * 2].decode("utf-16-le")


def render_plain(text: str, entities: list[dict[str, Any]]) -> str:
    """Text for a terminal: link targets shown after their text, other formatting dropped."""
    links = sorted(
        (entity for entity in entities if entity.get("type") == "text_link"),
        key=lambda entity: entity["offset"] + entity["length"],
        reverse=True,
    )
    encoded = text.encode("utf-16-le")
    for link in links:
        end = (link["offset"] + link["length"]) * 2
        shown = entity_text(text, link)
        if link["url"] == shown:
            continue
        encoded = encoded[:end] + f" ({link['url']})".encode("utf-16-le") + encoded[end:]
    return encoded.decode("utf-16-le")

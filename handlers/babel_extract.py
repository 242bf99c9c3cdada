"""Babel extractor for the texts inside JSON data files (hotlines, safety cards).

Registered in pyproject.toml `[tool.babel]`:

    [[tool.babel.mappings]]
    method = "handlers.babel_extract:extract_json"
    pattern = "handlers/data/*.json"
    keys = "description text title body label"   # optional, these are the defaults

Every string value under one of `keys` (at any depth) becomes a msgid, with a translator
comment naming where it sits (e.g. `hotlines.json: countries/TH/0/description`), so a
translator sees which hotline or card a sentence belongs to. Fields that are not prose
(ids, numbers, sources) are never extracted.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

DEFAULT_KEYS = ("description", "text", "title", "body", "label")

# (line number, function name, message, translator comments), as babel expects.
Extracted = tuple[int, str | None, str, list[str]]


def _strings(node: Any, keys: Collection[str], path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}/{key}" if path else str(key)
            if key in keys and isinstance(value, str) and value:
                yield where, value
            else:
                yield from _strings(value, keys, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, keys, f"{path}/{index}" if path else str(index))


def _line_of(source: str, message: str, start: int) -> tuple[int, int]:
    """1-based line where `message` appears (JSON-encoded) at or after `start`, and its offset."""
    encoded = json.dumps(message, ensure_ascii=False)
    offset = source.find(encoded, start)
    if offset < 0:
        encoded = json.dumps(message)  # the file may escape non-ASCII characters
        offset = source.find(encoded, start)
    if offset < 0:
        return 1, start
    return source.count("\n", 0, offset) + 1, offset + len(encoded)


def extract_json(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                 options: Mapping[str, Any]) -> Iterator[Extracted]:
    """Babel extraction method: yields the translatable texts of one JSON file."""
    raw = fileobj.read()
    source = raw.decode(options.get("encoding", "utf-8")) if isinstance(raw, bytes) else raw
    keys_option = options.get("keys")
    keys = tuple(str(keys_option).replace(",", " ").split()) if keys_option else DEFAULT_KEYS
    file_name = getattr(fileobj, "name", "")
    label = str(file_name).rsplit("/", 1)[-1] if file_name else "data"
    search_from = 0
    for where, message in _strings(json.loads(source), keys, ""):
        lineno, search_from = _line_of(source, message, search_from)
        yield lineno, None, message, [f"{label}: {where}"]

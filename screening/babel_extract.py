"""Babel extractor for the screening data files: rule messages and question texts are msgids.

Configured in pyproject.toml (`[[tool.babel.mappings]]`, method
`screening.babel_extract:extract_rules`). Each message gets a translator comment
naming its rule or question, so translators see what it is for. Imports nothing
heavy: babel loads it just to read JSON.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

# Babel looks the "function name" up in its keyword table; gettext is always there.
_FUNCNAME = "gettext"


def _line_of(source: str, message: str, start: int) -> tuple[int, int]:
    """1-based line of `message`'s JSON string literal at or after `start`, and its offset."""
    for literal in (json.dumps(message, ensure_ascii=False), json.dumps(message)):
        position = source.find(literal, start)
        if position >= 0:
            return source.count("\n", 0, position) + 1, position + len(literal)
    return 1, start


def _messages(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(message, translator comment) pairs in file order."""
    for rule in document.get("rules", []):
        message = rule.get("message")
        if isinstance(message, str) and message.strip():
            sources = "; ".join(str(source) for source in rule.get("sources", []))
            yield message, f"Red-flag rule {rule.get('id')} (explains the flag). Sources: {sources}"
    for combination in document.get("combinations", []):
        message = combination.get("message")
        if isinstance(message, str) and message.strip():
            rules = " + ".join(str(group) for group in combination.get("all", []))
            yield message, (f"Red-flag combination {combination.get('id')} ({rules}): "
                            "explains why these signs count more together")
    for question in document.get("questions", []):
        text = question.get("text")
        if isinstance(text, str) and text.strip():
            yield text, f"Questionnaire question {question.get('id')}: answered yes / no / not sure"


def extract_rules(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (lineno, funcname, message, comments) for every rule message and question text."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    document = json.loads(source)
    position = 0
    for message, comment in _messages(document):
        lineno, position = _line_of(source, message, position)
        yield lineno, _FUNCNAME, message, [comment]

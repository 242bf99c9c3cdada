"""The safety cards people act on: JSON under `handlers/data/`, each card citing its sources.

Texts in them are English msgids, extracted for translation by
`handlers.babel_extract.extract_json` and translated where shown. The file is read once and
checked on load, so a malformed card fails at start-up. The hotline directory is
`screening.hotlines` (the staff app needs it too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from screening.hotlines import ContentError, require_field, sources_of

DATA_DIR = Path(__file__).resolve().parent / "data"
SAFETY_CARDS_FILE = DATA_DIR / "safety_cards.json"


@dataclass(frozen=True)
class SafetyCard:
    id: str
    title: str  # msgid
    body: str  # msgid
    sources: tuple[str, ...]


@cache
def safety_cards() -> tuple[SafetyCard, ...]:
    data = json.loads(SAFETY_CARDS_FILE.read_text(encoding="utf-8"))
    cards = []
    for entry in require_field(data, "cards", list, SAFETY_CARDS_FILE.name):
        where = f"{SAFETY_CARDS_FILE.name}: {entry.get('id', '?')}"
        sources = sources_of(entry, where)
        if not sources:
            raise ContentError(f"{where}: advice needs at least one source")
        cards.append(SafetyCard(id=require_field(entry, "id", str, where),
                                title=require_field(entry, "title", str, where),
                                body=require_field(entry, "body", str, where), sources=sources))
    if not cards:
        raise ContentError(f"{SAFETY_CARDS_FILE.name}: no cards")
    return tuple(cards)

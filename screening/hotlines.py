"""The hotline directory: emergency, anti-trafficking and consular lines per country and per
nationality, each citing its sources; and the official contacts it implies.

The data is `data/hotlines.json`. Texts in it (descriptions, advice) are English msgids,
extracted for translation by `handlers.babel_extract.extract_json` (pyproject's babel mapping)
and translated where shown (`t.gettext(hotline.description)`). The file is read once and checked
on load, so a malformed entry fails at start-up, not in front of a scared person.

It sits in screening, below both the bot's flows (which show the lines) and the staff app (which
keeps the confirmed lines on the safelist): a confirmed hotline is never a scam contact, and
screening is where contacts are judged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from screening.contacts import normalise_phone, normalise_url

HOTLINES_FILE = Path(__file__).resolve().parent / "data" / "hotlines.json"


# How a person reaches a hotline; "app" is a name to look up in an app store, not a contact.
# The kind of a ministry's line for its citizens abroad: never a line for someone in the country.
CONSULAR = "consular"
CHANNEL_TYPES = ("phone", "sms", "whatsapp", "email", "website", "app")
# Channel type → the contact types screening/storage use for the same value. A number is
# shielded as a phone and as a WhatsApp account: scammers use an official number either way.
_CONTACT_TYPES_OF_CHANNEL: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "whatsapp"), "sms": ("phone", "whatsapp"),
    "whatsapp": ("phone", "whatsapp"), "email": ("email",), "website": ("url",),
}


class ContentError(ValueError):
    """A data file entry is malformed (names the file and the entry)."""


@dataclass(frozen=True)
class Channel:
    type: str
    value: str
    label: str | None = None  # msgid, e.g. the language a line answers in


@dataclass(frozen=True)
class Hotline:
    id: str
    country: str
    kind: str
    description: str  # msgid
    channels: tuple[Channel, ...]
    sources: tuple[str, ...]
    source_date: str | None
    verified: bool
    # Useful to relatives at home when a citizen is held abroad (consular, national lines).
    home_line: bool


@dataclass(frozen=True)
class SourcedText:
    text: str  # msgid
    sources: tuple[str, ...]


@dataclass(frozen=True)
class HotlineDirectory:
    copied_on: str
    embassy_advice: SourcedText
    spoofing_warning: SourcedText
    by_country: dict[str, tuple[Hotline, ...]]
    # (nationality, country where the person is) → that nationality's embassy/consulate lines there.
    embassies: dict[tuple[str, str], tuple[Hotline, ...]] = field(default_factory=dict)

    def for_country(self, country: str | None) -> tuple[Hotline, ...]:
        """The lines that help someone in `country`: all of its lines but the consular ones
        (kind "consular"), which serve its citizens abroad only (Korea's consular call centre
        does nothing for someone held in Korea; they are in `abroad_lines`)."""
        lines = self.by_country.get(country.upper(), ()) if country else ()
        return tuple(hotline for hotline in lines if hotline.kind != CONSULAR)

    def embassies_of(self, nationality: str | None, country: str | None) -> tuple[Hotline, ...]:
        """The lines of `nationality`'s embassy or consulates in `country`."""
        if not nationality or not country:
            return ()
        return self.embassies.get((nationality.upper(), country.upper()), ())

    def abroad_lines(self, nationality: str) -> tuple[Hotline, ...]:
        """The lines of `nationality`'s own country that help its citizens held abroad."""
        return tuple(hotline for hotline in self.by_country.get(nationality.upper(), ())
                     if hotline.home_line)

    def every_entry(self) -> list[Hotline]:
        return [*(h for hs in self.by_country.values() for h in hs),
                *(h for hs in self.embassies.values() for h in hs)]


@dataclass(frozen=True)
class OfficialContact:
    """An official number, address or site that must never be reported as a scam contact."""

    type: str  # a screening ContactType value: phone, whatsapp, email, url
    value: str  # normalised like screening normalises what people type
    label: str
    source: str


def require_field(entry: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind):
        raise ContentError(f"{where}: '{key}' must be a {kind.__name__}, got {value!r}")
    return value


def sources_of(entry: dict[str, Any], where: str) -> tuple[str, ...]:
    sources = require_field(entry, "sources", list, where)
    if not all(isinstance(source, str) and source for source in sources):
        raise ContentError(f"{where}: every source must be a non-empty string")
    return tuple(sources)


def _hotline(country: str, entry: dict[str, Any], *, home_line: bool | None = None) -> Hotline:
    where = f"{HOTLINES_FILE.name}: {country}/{entry.get('id', '?')}"
    channels = []
    for raw in require_field(entry, "channels", list, where):
        if not isinstance(raw, dict):
            raise ContentError(f"{where}: a channel must be an object, got {raw!r}")
        channel_type = require_field(raw, "type", str, where)
        if channel_type not in CHANNEL_TYPES:
            raise ContentError(f"{where}: unknown channel type {channel_type!r}")
        label = raw.get("label")
        channels.append(Channel(channel_type, require_field(raw, "value", str, where),
                                label if isinstance(label, str) else None))
    verified = require_field(entry, "verified", bool, where)
    sources = sources_of(entry, where)
    if verified and not sources:
        # A number people will call on our word needs somewhere we read it.
        raise ContentError(f"{where}: a verified contact needs at least one source")
    if not channels:
        raise ContentError(f"{where}: no channel to reach it")
    source_date = entry.get("source_date")
    return Hotline(
        id=require_field(entry, "id", str, where), country=country,
        kind=require_field(entry, "kind", str, where),
        description=require_field(entry, "description", str, where),
        channels=tuple(channels), sources=sources,
        source_date=source_date if isinstance(source_date, str) else None,
        verified=verified,
        home_line=home_line if home_line is not None else require_field(entry, "home_line", bool, where),
    )


def _sourced_text(data: dict[str, Any], key: str) -> SourcedText:
    entry = require_field(data, key, dict, HOTLINES_FILE.name)
    where = f"{HOTLINES_FILE.name}: {key}"
    return SourcedText(require_field(entry, "text", str, where), sources_of(entry, where))


@cache
def hotline_directory() -> HotlineDirectory:
    data = json.loads(HOTLINES_FILE.read_text(encoding="utf-8"))
    countries = require_field(data, "countries", dict, HOTLINES_FILE.name)
    by_country = {code: tuple(_hotline(code, entry) for entry in entries)
                  for code, entries in countries.items()}
    embassies: dict[tuple[str, str], tuple[Hotline, ...]] = {}
    for entry in data.get("embassies", []):
        where = f"{HOTLINES_FILE.name}: embassies/{entry.get('id', '?')}"
        key = (require_field(entry, "nationality", str, where).upper(),
               require_field(entry, "country", str, where).upper())
        if not entry.get("sources"):
            raise ContentError(f"{where}: an embassy line needs at least one source")
        embassies[key] = (*embassies.get(key, ()), _hotline(key[1], entry, home_line=False))
    directory = HotlineDirectory(
        copied_on=require_field(data, "copied_on", str, HOTLINES_FILE.name),
        embassy_advice=_sourced_text(data, "embassy_advice"),
        spoofing_warning=_sourced_text(data, "spoofing_warning"),
        by_country=by_country, embassies=embassies,
    )
    ids = [hotline.id for hotline in directory.every_entry()]
    duplicates = sorted({hotline_id for hotline_id in ids if ids.count(hotline_id) > 1})
    if duplicates:
        raise ContentError(f"{HOTLINES_FILE.name}: duplicate ids {duplicates}")
    return directory


def _normalised(contact_type: str, raw: str, country: str) -> str | None:
    if contact_type in ("phone", "whatsapp"):
        return normalise_phone(raw, default_region=country)
    if contact_type == "url":
        url = normalise_url(raw)
        return url[0] if url else None
    return raw.strip().lower()


def official_contacts() -> list[OfficialContact]:
    """Every confirmed hotline number, address and site, normalised, for the safelist.

    Values are normalised by screening's own normalisers, so they equal what a person's
    typed contact normalises to. Values screening never accepts as a contact (short codes
    such as 1441, local numbers without their trunk prefix) are left out: nobody can report
    them. Unconfirmed numbers are left out too: an old line may have been handed to someone
    else, and shielding it from reports would shield whoever has it now.
    """
    contacts: dict[tuple[str, str], OfficialContact] = {}
    for hotline in hotline_directory().every_entry():
        if not hotline.verified:
            continue
        country = hotline.country
        for channel in hotline.channels:
            for contact_type in _CONTACT_TYPES_OF_CHANNEL.get(channel.type, ()):
                value = _normalised(contact_type, channel.value, country)
                if value is None:
                    continue
                contacts.setdefault((contact_type, value), OfficialContact(
                    type=contact_type, value=value,
                    label=f"{country}: {hotline.description}"[:255],
                    source="; ".join(hotline.sources)[:512],
                ))
    return list(contacts.values())


@cache
def _official_keys() -> frozenset[tuple[str, str]]:
    return frozenset((contact.type, contact.value) for contact in official_contacts())


def is_official_contact(*, type: str, value: str) -> bool:
    """Whether a normalised contact is one of the confirmed hotlines in the data file, so it
    is refused as a scam contact even before staff seed the safelist from this file."""
    return (type, value) in _official_keys()

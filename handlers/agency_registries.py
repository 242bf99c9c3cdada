"""The official registers of licensed recruitment agencies of origin countries
(`handlers/data/agency_registries.json`, each entry citing its sources): where a person looks an
agency up themselves, shown beside what the licensed list staff loaded says."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from handlers.content import DATA_DIR
from handlers.countries import country_name
from handlers.types import FlowContext
from screening.hotlines import ContentError
from storage.agencies import LicensedAgency, agencies_named_in, has_agency_registry, list_name

REGISTRIES_FILE = DATA_DIR / "agency_registries.json"


@dataclass(frozen=True)
class AgencyRegistry:
    country: str  # ISO 3166-1 alpha-2
    name: str  # the body's own name, not translated
    url: str
    sources: tuple[str, ...]


@cache
def agency_registries() -> tuple[AgencyRegistry, ...]:
    entries = json.loads(REGISTRIES_FILE.read_text(encoding="utf-8"))["registries"]
    registries = []
    for index, entry in enumerate(entries):
        if not (entry.get("url", "").startswith("https://") and entry.get("sources")
                and len(entry.get("country", "")) == 2 and entry.get("name")):
            raise ContentError(f"{REGISTRIES_FILE.name}: registries/{index} needs country, name, "
                               "an https url and sources")
        registries.append(AgencyRegistry(country=entry["country"], name=entry["name"],
                                         url=entry["url"], sources=tuple(entry["sources"])))
    return tuple(registries)


def registry_lines(ctx: FlowContext, country: str | None) -> str:
    """Where to check an agency officially: the person's country first, else every register."""
    t = ctx.t
    registries = agency_registries()
    own = [registry for registry in registries if registry.country == country]
    shown = own or list(registries)
    lines = [t.gettext("Check the agency yourself in the official register of licensed agencies:")]
    lines += [f"• {country_name(registry.country, t.locale)}: {html.escape(registry.name)} — "
              f"{html.escape(registry.url)}"
              for registry in shown]
    if not own:
        lines.append(t.gettext("Elsewhere, ask your government's labour or migrant-worker office."))
    return "\n".join(lines)


def licensed_lines(ctx: FlowContext, named: Sequence[LicensedAgency]) -> str:
    """What the licensed list staff loaded says about agencies it holds."""
    return "\n".join(ctx.t.gettext(
        "✅ {agency} is in the list of licensed recruitment agencies our staff loaded ({source}). "
        "Still check that the person writing to you really works for it: call the agency on the "
        "number of the official list.", agency=html.escape(entry.label),
        source=html.escape(list_name(entry.source)))
        for entry in named)


# A name to look up: a few words with letters, not a sentence or a paste.
MAX_NAME_CHARS = 120


def agency_name_answer(ctx: FlowContext, text: str, country: str | None) -> tuple[str, bool] | None:
    """The answer when `text` (with no contact in it) may be an agency or company name, and
    whether the licensed list holds it."""
    t = ctx.t
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME_CHARS or not any(ch.isalpha() for ch in name):
        return None
    named = agencies_named_in(ctx.sql, text=name)
    if named:
        return licensed_lines(ctx, named), True
    parts = []
    if has_agency_registry(ctx.sql):
        parts.append(t.gettext("If that is the name of an agency or company: it is not in the list "
                               "of licensed recruitment agencies our staff loaded."))
    else:
        parts.append(t.gettext("If that is the name of an agency or company, I cannot tell whether "
                               "it is licensed."))
    parts.append(registry_lines(ctx, country))
    return "\n\n".join(parts), False

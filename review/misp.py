"""Confirmed scam contacts as one MISP event (the JSON a MISP instance imports), beside STIX.

STIX 2.1 has no phone object; MISP has. Mapping (object templates of MISP/misp-objects):
- phone, whatsapp → `phone` object, `msisdn` = E.164 (one object per number: a number
  reported as a phone and as WhatsApp is one identity, storage.identity);
- telegram → `telegram-account` object, `username`;
- line, wechat → `user-account` object, `username` + `account-type` (line / wechat);
- wallet_btc → `coin-address` object, `address` (MISP type btc) + `symbol` BTC;
  wallet_eth / wallet_tron → `coin-address`, `address-crypto` + `symbol` ETH / TRX;
- url → attribute `url`; email → attribute `email-src`.
Every object carries first-seen/last-seen of the counted reports and a comment with the number
of independent reporters; nothing of a reporter. UUIDs are UUIDv5 of the identity, so a
re-export updates the same objects in MISP instead of duplicating them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from review.stix import LURECHECK_STIX_NAMESPACE
from storage.identity import identity_of
from storage.models import Indicator
from storage.partners import IdentityState

_TEMPLATES = {  # name -> (template uuid, template version), from MISP/misp-objects
    "phone": ("d7e4fbdd-b551-4862-bddb-a0b470a38509", "5"),
    "telegram-account": ("06f02ecf-5afb-42c5-9cb0-b362e222f52c", "2"),
    "user-account": ("49606b06-22f0-4ac8-8eee-2f12ad46f3d3", "6"),
    "coin-address": ("d0e6997e-78da-4815-a6a1-cfc1c1cb8a46", "7"),
}
_COIN_SYMBOLS = {"wallet_btc": "BTC", "wallet_eth": "ETH", "wallet_tron": "TRX"}
THREAT_LEVEL_MEDIUM = "2"
ANALYSIS_COMPLETED = "2"
DISTRIBUTION_COMMUNITY = "1"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(LURECHECK_STIX_NAMESPACE, "misp:" + ":".join(parts)))


def _attribute(kind: str, key: str, relation: str | None, attribute_type: str, value: str,
               category: str, *, to_ids: bool = True, comment: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"uuid": _uuid(kind, key, relation or attribute_type), "type": attribute_type,
                            "category": category, "value": value, "to_ids": to_ids,
                            "distribution": "5", "comment": comment}
    if relation is not None:
        body["object_relation"] = relation
    return body


def _seen(kind: str, key: str, state: IdentityState) -> list[dict[str, Any]]:
    seen = []
    for relation, day in (("first-seen", state.first_seen), ("last-seen", state.last_seen)):
        if day is not None:
            seen.append(_attribute(kind, key, relation, "datetime", day.isoformat(), "Other",
                                   to_ids=False))
    return seen


def _object(name: str, kind: str, key: str, attributes: list[dict[str, Any]],
            comment: str) -> dict[str, Any]:
    template_uuid, template_version = _TEMPLATES[name]
    return {"uuid": _uuid(kind, key, "object"), "name": name, "meta-category": "misc"
            if name != "coin-address" else "financial", "template_uuid": template_uuid,
            "template_version": template_version, "distribution": "5", "comment": comment,
            "Attribute": attributes}


def misp_event(states: Sequence[IdentityState], *, producer: str = "lurecheck",
               now: datetime | None = None) -> dict[str, Any]:
    """One event holding every confirmed identity (each state as `storage.partners` gives it)."""
    moment = now or datetime.now(UTC)
    objects: list[dict[str, Any]] = []
    attributes: list[dict[str, Any]] = []
    for state in states:
        kind, key = state.kind, state.key
        comment = (f"Scam recruitment contact confirmed by staff review; {state.reporters} "
                   f"independent reporter(s); reported as {', '.join(state.channels) or kind}.")
        if kind == "url":
            attributes.append(_attribute(kind, key, None, "url", "https://" + key, "Network activity",
                                         comment=comment))
        elif kind == "email":
            attributes.append(_attribute(kind, key, None, "email-src", key, "Payload delivery",
                                         comment=comment))
        elif kind in ("phone", "whatsapp"):
            objects.append(_object("phone", kind, key, [
                _attribute(kind, key, "msisdn", "text", key, "Other"), *_seen(kind, key, state)], comment))
        elif kind == "telegram":
            objects.append(_object("telegram-account", kind, key, [
                _attribute(kind, key, "username", "text", key, "Social network")], comment))
        elif kind in ("line", "wechat"):
            objects.append(_object("user-account", kind, key, [
                _attribute(kind, key, "username", "text", key, "Social network"),
                _attribute(kind, key, "account-type", "text", kind, "Social network", to_ids=False),
                *_seen(kind, key, state)], comment))
        elif kind in _COIN_SYMBOLS:
            relation, attribute_type = (("address", "btc") if kind == "wallet_btc"
                                        else ("address-crypto", "text"))
            objects.append(_object("coin-address", kind, key, [
                _attribute(kind, key, relation, attribute_type, key, "Financial fraud"),
                _attribute(kind, key, "symbol", "text", _COIN_SYMBOLS[kind], "Other", to_ids=False),
                *_seen(kind, key, state)], comment))
    return {"Event": {
        "uuid": _uuid("event", producer),
        "info": f"{producer}: confirmed scam recruitment contacts",
        "date": moment.date().isoformat(),
        "timestamp": str(int(moment.timestamp())),
        "threat_level_id": THREAT_LEVEL_MEDIUM, "analysis": ANALYSIS_COMPLETED,
        "distribution": DISTRIBUTION_COMMUNITY, "published": False,
        "Orgc": {"name": producer},
        "Tag": [{"name": "tlp:amber"}, {"name": 'circl:incident-classification="scam"'}],
        "Attribute": attributes, "Object": objects,
    }}


def confirmed_identities(confirmed: Sequence[tuple[Indicator, int]]) -> list[tuple[str, str]]:
    """The distinct identities of confirmed indicators (a number as phone and WhatsApp: once)."""
    return sorted({identity_of(indicator.type, indicator.value) for indicator, _n in confirmed})


def misp_json(states: Sequence[IdentityState], **kwargs: Any) -> str:
    return json.dumps(misp_event(states, **kwargs), ensure_ascii=False, indent=2)

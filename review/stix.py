"""Confirmed scam contacts as a STIX 2.1 bundle, for partners and law enforcement.

One `indicator` per confirmed contact (plus one `identity` for the producer). Mapping of our
contact types to STIX patterns:

- url: `[url:value = 'https://host/path' OR url:value = 'http://host/path']` (we store links
  without their scheme);
- email: `[email-addr:value = '…']`; domain (safelist entries): `[domain-name:value = '…']`;
- telegram, line, wechat: `[user-account:account_type = 'telegram' AND user-account:account_login = '…']`
  (`account_type` is an open vocabulary; these values are not in STIX's `account-type-ov`);
- phone, whatsapp: `[phone-number:value = '+855…']` — NOT STIX 2.1 core, which has no phone object:
  the custom SCO type OpenCTI and many feeds use; WhatsApp ids are phone numbers;
- wallet_btc/eth/tron: `[cryptocurrency-wallet:value = '…']` — NOT STIX 2.1 core either: the
  custom SCO type OpenCTI uses.

Ids are UUIDv5 of the contact, so re-exporting gives the same ids and partners can de-duplicate.
A contact that was confirmed and later rejected is published as the same indicator with
`"revoked": true` (STIX 2.1 §3.6: `created` of its first confirmation, `modified` of its
withdrawal), so a partner that imported it withdraws it too.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from storage.models import Indicator

# A fixed namespace for this project's STIX ids (generated once, never change it).
LURECHECK_STIX_NAMESPACE = uuid.UUID("6f0f4c9e-5f55-4d3e-9d0a-3b7f3a1c2e41")
_ACCOUNT_TYPES = {"telegram": "telegram", "line": "line", "wechat": "wechat"}


def _quote(value: str) -> str:
    # STIX patterning string literals: backslash and single quote are escaped with a backslash.
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def stix_pattern(indicator_type: str, value: str) -> str:
    if indicator_type == "url":
        return f"[url:value = {_quote('https://' + value)} OR url:value = {_quote('http://' + value)}]"
    if indicator_type == "domain":
        return f"[domain-name:value = {_quote(value)}]"
    if indicator_type == "email":
        return f"[email-addr:value = {_quote(value)}]"
    if indicator_type in _ACCOUNT_TYPES:
        return (f"[user-account:account_type = {_quote(_ACCOUNT_TYPES[indicator_type])} "
                f"AND user-account:account_login = {_quote(value)}]")
    if indicator_type in ("phone", "whatsapp"):
        return f"[phone-number:value = {_quote(value)}]"
    if indicator_type.startswith("wallet_"):
        return f"[cryptocurrency-wallet:value = {_quote(value)}]"
    raise ValueError(f"no STIX mapping for contact type {indicator_type!r}")


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _indicator_id(indicator: Indicator) -> str:
    return f"indicator--{uuid.uuid5(LURECHECK_STIX_NAMESPACE, f'{indicator.type}:{indicator.value}')}"


def stix_bundle(confirmed: Sequence[tuple[Indicator, int]], *, producer: str = "lurecheck",
                now: datetime | None = None,
                revoked: Sequence[tuple[Indicator, datetime, datetime]] = ()) -> dict[str, Any]:
    """A bundle of indicators; the int beside each contact is its independent-reporter count;
    `revoked` (contact, first confirmed, withdrawn) become revoked indicators."""
    moment = now or datetime.now(UTC)
    identity_id = f"identity--{uuid.uuid5(LURECHECK_STIX_NAMESPACE, 'identity:' + producer)}"
    objects: list[dict[str, Any]] = [{
        "type": "identity", "spec_version": "2.1", "id": identity_id,
        "created": _timestamp(datetime(2026, 1, 1, tzinfo=UTC)),
        "modified": _timestamp(datetime(2026, 1, 1, tzinfo=UTC)),
        "name": producer, "identity_class": "organization",
    }]
    for indicator, reporters in confirmed:
        confirmed_at = indicator.confirmed_at or moment
        objects.append({
            "type": "indicator", "spec_version": "2.1",
            "id": _indicator_id(indicator),
            "created_by_ref": identity_id,
            "created": _timestamp(confirmed_at), "modified": _timestamp(confirmed_at),
            "name": f"Scam recruitment contact ({indicator.type}): {indicator.value}",
            "description": f"Confirmed by staff review; reported by {reporters} independent reporter(s).",
            "indicator_types": ["malicious-activity"],
            "pattern": stix_pattern(indicator.type, indicator.value),
            "pattern_type": "stix", "pattern_version": "2.1",
            "valid_from": _timestamp(confirmed_at),
            "labels": ["scam-recruitment", f"contact-{indicator.type}"],
        })
    for indicator, first_confirmed, withdrawn in revoked:
        objects.append({
            "type": "indicator", "spec_version": "2.1", "id": _indicator_id(indicator),
            "created_by_ref": identity_id,
            "created": _timestamp(first_confirmed),
            # `modified` must be later than any version a partner holds (the confirmed one).
            "modified": _timestamp(max(withdrawn, first_confirmed)),
            "revoked": True,
            "name": f"Scam recruitment contact ({indicator.type}): {indicator.value}",
            "description": "Withdrawn: staff review no longer confirms this contact.",
            "indicator_types": ["malicious-activity"],
            "pattern": stix_pattern(indicator.type, indicator.value),
            "pattern_type": "stix", "pattern_version": "2.1",
            "valid_from": _timestamp(first_confirmed),
            "labels": ["scam-recruitment", f"contact-{indicator.type}"],
        })
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}


def stix_json(confirmed: Sequence[tuple[Indicator, int]], **kwargs: Any) -> str:
    return json.dumps(stix_bundle(confirmed, **kwargs), ensure_ascii=False, indent=2)

"""The partner API (/api/v1, issue 20) against the seeded review database: keys and scopes,
look-ups by identity, batches, the change feed, feedback shown to staff, rate limits, the audit
of calls, the staff partners page and the MISP export — and nothing of a reporter anywhere."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.config import Settings
from review.api import API_STATE, RateLimiter, create_api_app
from review.app import create_review_app
from storage import partners, reports
from storage.db import session_scope
from storage.identity import contact_identity
from storage.models import Indicator, PartnerCall, Report, ReviewEvent, StaffUser
from storage.review_actions import set_indicator_confirmed
from storage.safelist import add_safelist
from tests.review.conftest import ADMIN, REVIEWER, Seeded, contacts_of, hidden_field, log_in

WHATSAPP_LINK = "https://wa.me/66812345678"
WHATSAPP_NUMBER = "+66812345678"


@dataclass
class Api:
    client: TestClient
    app: web.Application
    keys: dict[str, str]

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name]}"}

    async def flush(self) -> None:
        await self.app[API_STATE].audit.flush()


def _add(engine: Engine, name: str, scopes: list[str], rate: int = 100_000) -> str:
    with session_scope(engine) as session:
        return partners.add_partner(session, name=name, scopes=scopes, actor="test",
                                    rate_per_minute=rate)[1]


def _confirm(engine: Engine, *, type_: str, value: str, confirmed: bool = True) -> None:
    with session_scope(engine) as session:
        admin = session.exec(select(StaffUser).where(StaffUser.username == ADMIN[0])).one()
        indicator = session.exec(select(Indicator).where(Indicator.type == type_,
                                                         Indicator.value == value)).one()
        assert indicator.id is not None
        set_indicator_confirmed(session, actor=admin, indicator_id=indicator.id,
                                        confirmed=confirmed)


@pytest.fixture
async def api(settings: Settings, engine: Engine, seeded: Seeded) -> AsyncIterator[Api]:
    # A report naming a recruiter's WhatsApp (wa.me link), confirmed by staff.
    with session_scope(engine) as session:
        reports.create_report(session, reporter_key="e" * 64, kind="job_offer", country="TH", language="th",
                              risk_level="high", flag_ids=[], narrative="secret story of the reporter",
                              contacts=contacts_of(WHATSAPP_LINK))
    # Stored under its identity (a WhatsApp number is a phone, migration 0006), reported as a link.
    _confirm(engine, type_="phone", value=WHATSAPP_NUMBER)
    keys = {"all": _add(engine, "Bank All", ["lookup", "feed", "feedback"]),
            "lookup": _add(engine, "Bank Lookup", ["lookup"]),
            "revoked": _add(engine, "Bank Gone", ["lookup", "feed", "feedback"]),
            "slow": _add(engine, "Bank Slow", ["lookup"], rate=3)}
    with session_scope(engine) as session:
        partners.revoke_partner(session, name="Bank Gone", actor="test")
    api_app = create_api_app(settings, engine=engine, audit_interval=3600)
    root = web.Application()
    root.add_subapp("/review", create_review_app(settings, engine=engine))
    root.add_subapp("/api/v1", api_app)
    async with TestClient(TestServer(root, host="127.0.0.1")) as client:
        yield Api(client, api_app, keys)


# --- keys and scopes -------------------------------------------------------------------------

async def test_no_key_unknown_key_and_revoked_key_are_401(api: Api) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer lc_00000000_" + "x" * 43},
                    {"Authorization": "Bearer nonsense"}, api.auth("revoked")):
        response = await api.client.get("/api/v1/lookup", params={"value": "+85512345678"}, headers=headers)
        assert response.status == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "error" in await response.json()
    for path in ("/api/v1/changes", ):
        assert (await api.client.get(path, headers=api.auth("revoked"))).status == 401
    feedback = await api.client.post("/api/v1/feedback", headers=api.auth("revoked"),
                                     json={"value": "+85512345678", "action": "also_seen"})
    assert feedback.status == 401


async def test_a_key_without_the_scope_is_403(api: Api) -> None:
    assert (await api.client.get("/api/v1/changes", headers=api.auth("lookup"))).status == 403
    response = await api.client.post("/api/v1/feedback", headers=api.auth("lookup"),
                                     json={"value": "+85512345678", "action": "also_seen"})
    assert response.status == 403
    assert (await api.client.get("/api/v1/lookup", params={"value": "+85512345678"},
                                 headers=api.auth("lookup"))).status == 200


async def test_rotation_stops_the_old_key(api: Api, engine: Engine) -> None:
    with session_scope(engine) as session:
        _partner, new = partners.rotate_partner(session, name="Bank Lookup", actor="test")
    old = await api.client.get("/api/v1/lookup", params={"value": "x"}, headers=api.auth("lookup"))
    assert old.status == 401
    fresh = await api.client.get("/api/v1/lookup", params={"value": "+85512345678"},
                                 headers={"Authorization": f"Bearer {new}"})
    assert fresh.status == 200


async def test_openapi_document_is_public(api: Api) -> None:
    response = await api.client.get("/api/v1/openapi.json")
    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.")
    assert {"/lookup", "/changes", "/feedback", "/openapi.json"} <= set(document["paths"])


# --- look-ups --------------------------------------------------------------------------------

async def test_a_phone_confirmed_as_whatsapp_is_found_as_a_phone(api: Api) -> None:
    for spelling in ("+66 81 234 5678", "0066812345678", "wa.me/66812345678", "66812345678"):
        response = await api.client.get("/api/v1/lookup", params={"value": spelling}, headers=api.auth("all"))
        assert response.status == 200
        body = await response.json()
        assert body["identity"] == {"kind": "phone", "key": WHATSAPP_NUMBER}, spelling
        assert body["status"] == "confirmed" and body["reporters"] == 1
        assert body["channels"] == ["whatsapp"] and body["countries"] == ["TH"]
    local = await api.client.get("/api/v1/lookup", params={"value": "081 234 5678", "country": "th"},
                                 headers=api.auth("all"))
    assert (await local.json())["status"] == "confirmed"


async def test_reported_none_safelisted_and_unrecognised(api: Api, engine: Engine) -> None:
    with session_scope(engine) as session:
        add_safelist(session, type="phone", value="+6621234567", label="hotline", source="test")
    response = await api.client.post("/api/v1/lookup", headers=api.auth("all"), json={"values": [
        "+855 12 345 678", "@FAST_JOBS_KH", "+66 2 123 4567", "+855965550123", "hello world!!",
        "@fast_jobs_kh"]})
    assert response.status == 200
    results = (await response.json())["results"]
    assert [r["status"] for r in results] == ["reported", "reported", "safelisted", "none", "unrecognised",
                                              "reported"]
    shared = results[0]
    # Three reports by two pseudonyms: two independent reporters.
    assert shared["reporters"] == 2 and shared["channels"] == ["phone"]
    assert shared["countries"] == ["KH", "TH"] and len(shared["first_seen"]) == 10
    assert results[1]["identity"] == {"kind": "telegram", "key": "fast_jobs_kh"}
    assert set(results[2]) == {"value", "identity", "status"}  # nothing but "official"
    assert [r["value"] for r in results][4] == "hello world!!"


async def test_evm_wallets_match_in_any_case() -> None:
    lower = "0x" + "ab" * 20
    assert contact_identity(lower.upper().replace("0X", "0x")) == ("wallet_eth", lower)
    assert contact_identity("0x" + "aB" * 20) == ("wallet_eth", lower)


async def test_batches_are_limited_to_1000(api: Api) -> None:
    values = [f"+8551{index:07d}" for index in range(1000)]
    response = await api.client.post("/api/v1/lookup", json={"values": values}, headers=api.auth("all"))
    assert response.status == 200
    assert [r["value"] for r in (await response.json())["results"]] == values
    too_many = await api.client.post("/api/v1/lookup", json={"values": [*values, "+85512345678"]},
                                     headers=api.auth("all"))
    assert too_many.status == 413
    for body in ({"values": []}, {"values": "x"}, {"values": [1]}, {"values": ["x"], "country": "THA"}):
        assert (await api.client.post("/api/v1/lookup", json=body, headers=api.auth("all"))).status == 400
    broken = await api.client.post("/api/v1/lookup", data=b"{", headers=api.auth("all"))
    assert broken.status == 400


async def test_rate_limit_answers_429_with_retry_after(api: Api) -> None:
    for _ in range(3):
        ok = await api.client.get("/api/v1/lookup", params={"value": "@someone"}, headers=api.auth("slow"))
        assert ok.status == 200
    limited = await api.client.get("/api/v1/lookup", params={"value": "@someone"}, headers=api.auth("slow"))
    assert limited.status == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    batch = await api.client.post("/api/v1/lookup", json={"values": ["@a_b_c_d"] * 4},
                                  headers=api.auth("slow"))
    assert batch.status == 429


def test_rate_limiter_refills_and_splits_between_instances() -> None:
    now = [0.0]
    limiter = RateLimiter(instances=2, clock=lambda: now[0])
    assert limiter.take(1, rate_per_minute=120, cost=60) == 0  # 120/2 = 60 per instance
    assert limiter.take(1, rate_per_minute=120, cost=1) == pytest.approx(1.0)
    now[0] = 30.0
    assert limiter.take(1, rate_per_minute=120, cost=30) == 0
    assert limiter.take(1, rate_per_minute=120, cost=61) == float("inf")


# --- the change feed -------------------------------------------------------------------------

def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line]


async def test_change_feed_resumes_from_a_cursor(api: Api, engine: Engine) -> None:
    first = await api.client.get("/api/v1/changes", params={"since": "0"}, headers=api.auth("all"))
    assert first.status == 200 and first.headers["Content-Type"].startswith("application/x-ndjson")
    lines = _lines(await first.text())
    assert [(line["event"], line["identity"]["key"]) for line in lines] == [("confirmed", WHATSAPP_NUMBER)]
    cursor = first.headers["X-Next-Cursor"]
    assert cursor == lines[-1]["cursor"] and first.headers["X-Has-More"] == "false"

    _confirm(engine, type_="phone", value="+85512345678")
    _confirm(engine, type_="telegram", value="fast_jobs_kh")
    _confirm(engine, type_="telegram", value="fast_jobs_kh", confirmed=False)
    with session_scope(engine) as session:  # a new report naming a confirmed number: updated
        reports.create_report(session, reporter_key="f" * 64, kind="contact", country="VN", language="vi",
                              risk_level="low", flag_ids=[], narrative="n",
                              contacts=contacts_of("+85512345678"))
    seen: list[dict[str, Any]] = []
    since = cursor
    while True:
        page = await api.client.get("/api/v1/changes", params={"since": since, "limit": "2"},
                                    headers=api.auth("all"))
        seen += _lines(await page.text())
        since = page.headers["X-Next-Cursor"]
        if page.headers["X-Has-More"] == "false":
            break
    assert [(line["event"], line["identity"]["key"]) for line in seen] == [
        ("confirmed", "+85512345678"), ("confirmed", "fast_jobs_kh"), ("revoked", "fast_jobs_kh"),
        ("updated", "+85512345678")]
    assert [int(line["cursor"]) for line in seen] == list(range(int(cursor) + 1, int(cursor) + 5))
    assert seen[-1]["reporters"] == 3 and seen[-1]["status"] == "confirmed"
    assert seen[2]["status"] == "reported"  # revoked: no longer confirmed, still reported
    empty = await api.client.get("/api/v1/changes", params={"since": since}, headers=api.auth("all"))
    assert await empty.text() == "" and empty.headers["X-Next-Cursor"] == since
    assert (await api.client.get("/api/v1/changes", params={"since": "abc"},
                                 headers=api.auth("all"))).status == 400


# --- feedback --------------------------------------------------------------------------------

async def test_feedback_is_shown_to_staff_on_the_contact_and_dashboard(api: Api, seeded: Seeded) -> None:
    response = await api.client.post("/api/v1/feedback", headers=api.auth("all"), json={
        "value": "+855 12 345 678", "action": "account_frozen", "note": "PromptPay account frozen <b>"})
    assert response.status == 201
    assert (await response.json())["identity"] == {"kind": "phone", "key": "+85512345678"}
    unknown = await api.client.post("/api/v1/feedback", headers=api.auth("all"),
                                    json={"value": "+855965550123", "action": "also_seen"})
    assert unknown.status == 404
    assert (await api.client.post("/api/v1/feedback", headers=api.auth("all"),
                                  json={"value": "+85512345678", "action": "nuke"})).status == 400
    assert (await api.client.post("/api/v1/feedback", headers=api.auth("all"),
                                  json={"value": "no contact here", "action": "other"})).status == 422

    await log_in(api.client, *REVIEWER)
    page = await (await api.client.get(f"/review/reports/{seeded.scam_report_id}")).text()
    assert "Bank All" in page and "account_frozen" in page
    assert "PromptPay account frozen &lt;b&gt;" in page  # escaped
    dashboard = await (await api.client.get("/review/dashboard")).text()
    assert "account_frozen" in dashboard and "Bank All" in dashboard


async def test_each_partner_has_a_page_of_its_feedback_and_calls(api: Api, engine: Engine,
                                                                 seeded: Seeded) -> None:
    for action in ("account_frozen", "also_seen", "false_positive"):
        sent = await api.client.post("/api/v1/feedback", headers=api.auth("all"),
                                     json={"value": "+855 12 345 678", "action": action})
        assert sent.status == 201
    await api.client.get("/api/v1/lookup", params={"value": "+85512345678"}, headers=api.auth("lookup"))
    await api.flush()
    with session_scope(engine, read_only=True) as session:
        ids = {p.name: p.id for p in partners.list_partners(session)}
    await log_in(api.client, *REVIEWER)
    assert (await api.client.get(f"/review/partners/{ids['Bank All']}")).status == 403
    await log_in(api.client, *ADMIN)
    listing = await (await api.client.get("/review/partners")).text()
    assert f'href="/review/partners/{ids["Bank All"]}"' in listing
    page = await api.client.get(f"/review/partners/{ids['Bank All']}")
    html = await page.text()
    assert page.status == 200
    assert "What this partner told us (3)" in html
    assert html.index("false_positive") < html.index("also_seen") < html.index("account_frozen")
    calls = html.split("Latest API calls", 1)[1]
    assert calls.count("<td>POST feedback</td>") == 3  # its own calls, not another partner's
    assert "GET lookup" not in calls
    another = next(partner_id for name, partner_id in ids.items() if name != "Bank All")
    other = await (await api.client.get(f"/review/partners/{another}")).text()
    assert "account_frozen" not in other  # one partner's feedback only on its page
    assert (await api.client.get("/review/partners/999999")).status == 404


# --- audit -----------------------------------------------------------------------------------

async def test_every_call_is_audited_without_the_values(api: Api, engine: Engine) -> None:
    await api.client.get("/api/v1/lookup", params={"value": "+85512345678"}, headers=api.auth("all"))
    await api.client.post("/api/v1/lookup", json={"values": ["+85512345678", "+855965550123", "zz"]},
                          headers=api.auth("all"))
    await api.client.get("/api/v1/lookup", params={"value": "+85512345678"})
    await api.client.get("/api/v1/changes", headers=api.auth("lookup"))
    await api.flush()
    with session_scope(engine, read_only=True) as session:
        calls = list(session.exec(select(PartnerCall).order_by(col(PartnerCall.id))).all())
        all_id = partners.get_partner(session, name="Bank All").id  # type: ignore[union-attr]
        lookup_id = partners.get_partner(session, name="Bank Lookup").id  # type: ignore[union-attr]
        events = " ".join(f"{e.old} {e.new} {e.note}" for e in session.exec(select(ReviewEvent)).all())
    assert [(c.partner_id, c.endpoint, c.status, c.value_count, c.match_count) for c in calls] == [
        (all_id, "GET lookup", 200, 1, 1), (all_id, "POST lookup", 200, 3, 1),
        (None, "GET lookup", 401, 0, 0), (lookup_id, "GET changes", 403, 0, 0)]
    assert "12345678" not in events and "447700900123" not in events


# --- nothing of a reporter -------------------------------------------------------------------

async def test_no_response_carries_anything_of_a_reporter(api: Api, engine: Engine) -> None:
    with session_scope(engine, read_only=True) as session:
        all_reports = list(session.exec(select(Report)).all())
        values = [i.value for i in session.exec(select(Indicator)).all()]
    _confirm(engine, type_="phone", value="+85512345678")
    bodies = [await (await api.client.post("/api/v1/lookup", json={"values": values},
                                           headers=api.auth("all"))).text()]
    for value in values:
        bodies.append(await (await api.client.get("/api/v1/lookup", params={"value": value},
                                                  headers=api.auth("all"))).text())
    bodies.append(await (await api.client.get("/api/v1/changes", headers=api.auth("all"))).text())
    bodies.append(await (await api.client.post("/api/v1/feedback", headers=api.auth("all"), json={
        "value": values[0], "action": "also_seen"})).text())
    text = "\n".join(bodies)
    assert "confirmed" in text and "reported" in text
    for report in all_reports:
        assert report.reporter_key not in text and report.reporter_key[:10] not in text
        assert report.receipt_code not in text
        if report.narrative:
            assert report.narrative not in text
        # Dates only: never the time a report was made.
        assert report.created_at.strftime("%H:%M:%S") not in text
    for forbidden in ("narrative", "reporter_", "receipt", "pseudonym", "report_id", "secret story",
                      "Sihanoukville", "3000", "DROP TABLE", "unrelated question", "again that number",
                      "filler"):
        assert forbidden not in text


# --- the staff app: partners page and MISP ---------------------------------------------------

async def test_admins_manage_partners_in_the_staff_app(api: Api) -> None:
    csrf = await log_in(api.client, *ADMIN)
    page = await api.client.get("/review/partners")
    assert page.status == 200 and "Bank All" in await page.text()
    created = await api.client.post("/review/partners", data={
        "csrf": csrf, "name": "NGO Feed", "scope": ["feed"], "rate": "100"})
    html = await created.text()
    assert created.status == 200 and created.headers["Cache-Control"] == "no-store"
    key = html.split("<pre><code>", 1)[1].split("</code>", 1)[0]
    assert key.startswith("lc_")
    assert (await api.client.get("/api/v1/changes", headers={"Authorization": f"Bearer {key}"})).status == 200
    assert key not in await (await api.client.get("/review/partners")).text()  # shown once
    rotated = await api.client.post("/review/partners/rotate", data={"csrf": csrf, "name": "NGO Feed"})
    new_key = (await rotated.text()).split("<pre><code>", 1)[1].split("</code>", 1)[0]
    assert (await api.client.get("/api/v1/changes", headers={"Authorization": f"Bearer {key}"})).status == 401
    revoked = await api.client.post("/review/partners/revoke", data={"csrf": csrf, "name": "NGO Feed"})
    assert revoked.status == 200
    assert (await api.client.get("/api/v1/changes",
                                 headers={"Authorization": f"Bearer {new_key}"})).status == 401
    audit = await (await api.client.get("/review/audit")).text()
    assert "partner_add" in audit and "partner_rotate" in audit and "partner_revoke" in audit


async def test_reviewers_cannot_manage_partners(api: Api) -> None:
    csrf = await log_in(api.client, *REVIEWER)
    assert (await api.client.get("/review/partners")).status == 403
    refused = await api.client.post("/review/partners", data={"csrf": csrf, "name": "X", "scope": "lookup"})
    assert refused.status == 403
    page = await api.client.get("/review/")
    assert hidden_field(await page.text(), "csrf") and "/review/partners" not in await page.text()


async def test_misp_export_has_phone_and_telegram_objects(api: Api, engine: Engine) -> None:
    _confirm(engine, type_="telegram", value="fast_jobs_kh")
    await log_in(api.client, *ADMIN)
    response = await api.client.get("/review/export/misp.json")
    assert response.status == 200
    event = json.loads(await response.text())["Event"]
    objects = {obj["name"]: obj for obj in event["Object"]}
    phone = {a["object_relation"]: a["value"] for a in objects["phone"]["Attribute"]}
    assert phone["msisdn"] == WHATSAPP_NUMBER and "first-seen" in phone
    telegram = {a["object_relation"]: a["value"] for a in objects["telegram-account"]["Attribute"]}
    assert telegram == {"username": "fast_jobs_kh"}
    assert "secret story" not in await response.text()
    again = json.loads(await (await api.client.get("/review/export/misp.json")).text())["Event"]
    assert [o["uuid"] for o in again["Object"]] == [o["uuid"] for o in event["Object"]]


async def test_the_webhook_server_serves_the_api_too(settings: Settings, engine: Engine,
                                                     seeded: Seeded) -> None:
    from bot.app import build_application
    from bot.web import create_web_app

    key = _add(engine, "Bank Hook", ["lookup"])
    settings = settings.with_overrides(telegram_bot_token="123456:TEST-token-for-the-emulator-only",
                                       webhook_url="http://127.0.0.1/telegram", webhook_secret="s3cret")
    application = build_application(settings, engine=engine, polling=False)
    app = create_web_app(settings, application, engine=engine, start_application=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        assert (await client.get("/api/v1/openapi.json")).status == 200
        assert (await client.get("/api/v1/lookup", params={"value": "+85512345678"})).status == 401
        found = await client.get("/api/v1/lookup", params={"value": "+85512345678"},
                                 headers={"Authorization": f"Bearer {key}"})
        assert (await found.json())["status"] == "reported"
        assert (await client.get("/healthz")).status == 200

"""The partner API, `/api/v1`: keyed look-ups, a change feed and feedback for banks, platforms
and other NGOs (issue 20). Mounted by the webhook server (`python -m bot run`) and by the
staff app served alone (`python -m bot review`).

    GET  /api/v1/lookup?value=<contact>[&country=TH]     scope lookup
    POST /api/v1/lookup {"values": [...≤1000], "country": "TH"}   scope lookup
    GET  /api/v1/changes?since=<cursor>[&limit=N]        scope feed (NDJSON)
    POST /api/v1/feedback {"value", "action", "note"}    scope feedback
    GET  /api/v1/openapi.json                            public

`Authorization: Bearer <key>`; no key or an unknown one → 401, a revoked key → 401, a key
without the endpoint's scope → 403. Each partner has a budget of values per minute (a single
look-up, a feed page or a feedback costs 1, a batch its size), split between the instances
(`WEB_CONCURRENCY`): over it → 429 with `Retry-After`. The budget is kept per process, like the
staff login throttle.

Every call — refused ones too — is audited in `partner_call`: partner, endpoint, status, how
many values, how many matched; never the values. Audit rows are written in batches off the
request path (every second, and when the app stops): a crash loses at most the last second.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlmodel import Session

from review.runtime import freeze_on_startup
from storage import changes, partners
from storage.db import session_scope
from storage.identity import IdentityKey, contact_identity
from storage.models import Partner, utcnow

log = logging.getLogger(__name__)

MAX_BATCH = 1000
MAX_FEED_PAGE = 10_000
DEFAULT_FEED_PAGE = 1000
MAX_BODY = 1_000_000
UNRECOGNISED = "unrecognised"
T = TypeVar("T")
HandlerFn = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ApiSettings(Protocol):
    @property
    def instances(self) -> int: ...


class RateLimiter:
    """Token buckets per partner: `rate_per_minute / instances` values, refilled continuously."""

    def __init__(self, *, instances: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        self.instances = max(1, instances)
        self.clock = clock
        self.buckets: dict[int, tuple[float, float]] = {}  # partner id -> (tokens, at)

    def take(self, partner_id: int, *, rate_per_minute: int, cost: int) -> float:
        """0 when allowed (and spent); otherwise seconds until it would be (inf: never)."""
        capacity = max(1.0, rate_per_minute / self.instances)
        per_second = capacity / 60.0
        now = self.clock()
        tokens, at = self.buckets.get(partner_id, (capacity, now))
        tokens = min(capacity, tokens + (now - at) * per_second)
        if cost > capacity:
            self.buckets[partner_id] = (tokens, now)
            return math.inf
        if tokens >= cost:
            self.buckets[partner_id] = (tokens - cost, now)
            return 0.0
        self.buckets[partner_id] = (tokens, now)
        return (cost - tokens) / per_second


@dataclass
class AuditLog:
    """Buffered `partner_call` rows, written by one background task (see the module doc)."""

    engine: Engine
    interval: float = 1.0
    pending: list[dict[str, Any]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    def add(self, *, partner_id: int | None, endpoint: str, status: int, values: int,
            matches: int) -> None:
        self.pending.append({"partner_id": partner_id, "at": utcnow(), "endpoint": endpoint,
                             "status": status, "value_count": values, "match_count": matches})

    async def flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return

        def write() -> None:
            with session_scope(self.engine) as session:
                partners.record_calls(session, calls=rows)

        try:
            await asyncio.to_thread(write)
        except Exception:
            log.exception("could not write %d partner API audit rows; keeping them", len(rows))
            self.pending[:0] = rows

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()


@dataclass
class ApiState:
    engine: Engine
    limiter: RateLimiter
    audit: AuditLog


API_STATE = web.AppKey("api_state", ApiState)
PARTNER = web.RequestKey("api_partner", Partner)
AUDIT_COUNTS = web.RequestKey("api_audit_counts", list)


def _json_error(status: int, message: str, **headers: str) -> web.HTTPException:
    exception_class = {400: web.HTTPBadRequest, 401: web.HTTPUnauthorized, 403: web.HTTPForbidden,
                       404: web.HTTPNotFound, 413: web.HTTPRequestEntityTooLarge,
                       422: web.HTTPUnprocessableEntity, 429: web.HTTPTooManyRequests}[status]
    if exception_class is web.HTTPRequestEntityTooLarge:
        return web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=MAX_BODY + 1,
                                             text=json.dumps({"error": message}),
                                             content_type="application/json")
    return exception_class(text=json.dumps({"error": message}), content_type="application/json",
                           headers=headers or None)


async def _db(request: web.Request, work: Callable[[Session], T], *, read_only: bool = False) -> T:
    engine = request.app[API_STATE].engine

    def run() -> T:
        with session_scope(engine, read_only=read_only) as session:
            return work(session)

    return await asyncio.to_thread(run)


def _endpoint(request: web.Request) -> str:
    resource = request.match_info.route.resource
    name = resource.canonical if resource is not None else request.path
    return f"{request.method} {name.rsplit('/', 1)[-1]}"[:32]


@web.middleware
async def audited(request: web.Request, handler: HandlerFn) -> web.StreamResponse:
    """Every call leaves one audit row, whatever its outcome; API responses are never cached."""
    public = getattr(handler, "api_public", False)
    request[AUDIT_COUNTS] = [0, 0]
    try:
        response = await handler(request)
    except web.HTTPException as refused:
        response = refused
    if not public:
        partner = request.get(PARTNER)
        values, matches = request[AUDIT_COUNTS]
        request.app[API_STATE].audit.add(partner_id=partner.id if partner else None,
                                         endpoint=_endpoint(request), status=response.status,
                                         values=values, matches=matches)
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if isinstance(response, web.HTTPException):
        raise response
    return response


async def _authorise(request: web.Request, scope: str) -> Partner:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise _json_error(401, "an API key is required: Authorization: Bearer <key>",
                          **{"WWW-Authenticate": 'Bearer realm="lurecheck"'})
    presented = key.strip()
    partner = await _db(request, lambda s: partners.partner_for_key(s, key=presented), read_only=True)
    if partner is None or partner.revoked_at is not None:
        raise _json_error(401, "unknown or revoked API key",
                          **{"WWW-Authenticate": 'Bearer realm="lurecheck", error="invalid_token"'})
    request[PARTNER] = partner
    if scope not in partners.scopes_of(partner):
        raise _json_error(403, f"this key has no {scope!r} scope")
    return partner


def _spend(request: web.Request, partner: Partner, cost: int) -> None:
    assert partner.id is not None
    wait = request.app[API_STATE].limiter.take(partner.id, rate_per_minute=partner.rate_per_minute,
                                               cost=cost)
    if wait == 0:
        return
    if math.isinf(wait):
        raise _json_error(429, "this request is larger than your per-minute allowance: split it",
                          **{"Retry-After": "60"})
    raise _json_error(429, "rate limit reached", **{"Retry-After": str(max(1, math.ceil(wait)))})


def _region(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) != 2 or not raw.isalpha():
        raise _json_error(400, "country is an ISO 3166 alpha-2 code, e.g. TH")
    return raw.upper()


def _identities(values: list[str], region: str | None) -> list[IdentityKey | None]:
    return [contact_identity(value, default_region=region) for value in values]


def _answers(values: list[str], identities: list[IdentityKey | None],
             states: dict[IdentityKey, partners.IdentityState]) -> list[dict[str, Any]]:
    answers = []
    for value, identity in zip(values, identities, strict=True):
        if identity is None:
            answers.append({"value": value, "identity": None, "status": UNRECOGNISED})
        else:
            answers.append({"value": value, **states[identity].as_json()})
    return answers


async def _lookup(request: web.Request, values: list[str], region: str | None) -> list[dict[str, Any]]:
    def work(session: Session) -> list[dict[str, Any]]:
        # Parsing 1,000 numbers takes tens of ms: in the worker thread, not on the event loop.
        identities = _identities(values, region)
        wanted = [identity for identity in identities if identity is not None]
        return _answers(values, identities, partners.lookup_identities(session, identities=wanted))

    answers = await _db(request, work, read_only=True)
    request[AUDIT_COUNTS][:] = [len(values), sum(1 for a in answers
                                                 if a["status"] not in (UNRECOGNISED, partners.NONE))]
    return answers


async def lookup_one(request: web.Request) -> web.StreamResponse:
    partner = await _authorise(request, "lookup")
    value = request.query.get("value", "")
    if not value.strip():
        raise _json_error(400, "give the contact as ?value=")
    region = _region(request.query.get("country"))
    _spend(request, partner, 1)
    (answer,) = await _lookup(request, [value], region)
    return web.json_response(answer)


async def _json_body(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _json_error(413, f"the body is limited to {MAX_BODY} bytes")
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise _json_error(400, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise _json_error(400, "the body is a JSON object")
    return body


async def lookup_many(request: web.Request) -> web.StreamResponse:
    partner = await _authorise(request, "lookup")
    body = await _json_body(request)
    values = body.get("values")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or not values:
        raise _json_error(400, 'give {"values": ["…", …]}: a list of strings')
    if len(values) > MAX_BATCH:
        raise _json_error(413, f"at most {MAX_BATCH} values per request")
    region = _region(body.get("country"))
    _spend(request, partner, len(values))
    return web.json_response({"results": await _lookup(request, values, region)})


def _cursor(raw: str) -> int:
    if raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 18:
        raise _json_error(400, "since is a cursor from an earlier page (digits), or 0")
    return int(raw)


async def change_feed(request: web.Request) -> web.StreamResponse:
    partner = await _authorise(request, "feed")
    since = _cursor(request.query.get("since", "0").strip())
    try:
        limit = max(1, min(int(request.query.get("limit", DEFAULT_FEED_PAGE)), MAX_FEED_PAGE))
    except ValueError:
        raise _json_error(400, "limit is a number") from None
    _spend(request, partner, 1)

    def load(session: Session) -> tuple[list[tuple[int, str, IdentityKey]], dict[IdentityKey, Any]]:
        # limit + 1 rows tell whether there is more without a second query.
        rows = changes.changes_since(session, since=since, limit=limit + 1)
        page = [(row.seq, row.event, (row.kind, row.key)) for row in rows]
        states = partners.lookup_identities(session, identities={i for _s, _e, i in page[:limit]})
        return page, states

    page, states = await _db(request, load, read_only=True)
    more, page = len(page) > limit, page[:limit]
    next_cursor = str(page[-1][0]) if page else str(since)
    request[AUDIT_COUNTS][:] = [len(page), len(page)]
    lines = [json.dumps({"cursor": str(seq), "event": event, **states[identity].as_json()},
                        ensure_ascii=False) for seq, event, identity in page]
    body = "".join(line + "\n" for line in lines)
    return web.Response(text=body, content_type="application/x-ndjson", charset="utf-8",
                        headers={"X-Next-Cursor": next_cursor, "X-Has-More": "true" if more else "false"})


async def feedback(request: web.Request) -> web.StreamResponse:
    partner = await _authorise(request, "feedback")
    body = await _json_body(request)
    value, action, note = body.get("value"), body.get("action"), body.get("note")
    if not isinstance(value, str) or not isinstance(action, str) \
            or not (note is None or isinstance(note, str)):
        raise _json_error(400, 'give {"value": "…", "action": "…", "note": "…" (optional)}')
    if action not in partners.FEEDBACK_ACTIONS:
        raise _json_error(400, f"action is one of {', '.join(partners.FEEDBACK_ACTIONS)}")
    region = _region(body.get("country"))
    _spend(request, partner, 1)
    identity = contact_identity(value, default_region=region)
    request[AUDIT_COUNTS][:] = [1, 0]
    if identity is None:
        raise _json_error(422, "not a phone number, handle, link, e-mail or wallet")
    found = identity

    def store(session: Session) -> int | None:
        if not partners.identity_known(session, identity=found):
            return None
        return partners.add_feedback(session, partner=partner, identity=found, action=action,
                                     note=note).id

    feedback_id = await _db(request, store)
    if feedback_id is None:
        raise _json_error(404, "this contact is not in our data")
    request[AUDIT_COUNTS][:] = [1, 1]
    return web.json_response({"id": feedback_id, "identity": {"kind": found[0], "key": found[1]},
                              "action": action}, status=201)


async def openapi(request: web.Request) -> web.StreamResponse:
    return web.json_response(openapi_document())


openapi.api_public = True  # type: ignore[attr-defined]


def create_api_app(settings: ApiSettings, *, engine: Engine, audit_interval: float = 1.0) -> web.Application:
    """The partner API; mount it with `parent.add_subapp("/api/v1", app)`."""
    app = web.Application(middlewares=[audited], client_max_size=MAX_BODY)
    state = ApiState(engine=engine, limiter=RateLimiter(instances=settings.instances),
                     audit=AuditLog(engine=engine, interval=audit_interval))
    app[API_STATE] = state

    async def audit_writer(_app: web.Application) -> Any:
        state.audit.task = asyncio.create_task(state.audit.run())
        yield
        state.audit.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await state.audit.task
        await state.audit.flush()

    app.cleanup_ctx.append(audit_writer)
    app.on_startup.append(freeze_on_startup)
    app.router.add_get("/lookup", lookup_one)
    app.router.add_post("/lookup", lookup_many)
    app.router.add_get("/changes", change_feed)
    app.router.add_post("/feedback", feedback)
    app.router.add_get("/openapi.json", openapi)
    return app


# --- the OpenAPI document --------------------------------------------------------------------

def _state_schema() -> dict[str, Any]:
    return {
        "type": "object", "required": ["identity", "status"],
        "properties": {
            "identity": {"type": "object", "nullable": True,
                         "properties": {"kind": {"type": "string", "example": "phone"},
                                        "key": {"type": "string", "example": "+85512345678"}}},
            "status": {"type": "string",
                       "enum": ["confirmed", "reported", "safelisted", "none", UNRECOGNISED]},
            "reporters": {"type": "integer", "description": "independent reporters (counted reports)"},
            "channels": {"type": "array", "items": {"type": "string"},
                         "description": "how it was reported: phone, whatsapp, telegram, …"},
            "kinds": {"type": "array", "items": {"type": "string"}, "description": "kinds of report"},
            "countries": {"type": "array", "items": {"type": "string"}},
            "first_seen": {"type": "string", "format": "date"},
            "last_seen": {"type": "string", "format": "date"},
            "confirmed_on": {"type": "string", "format": "date"},
        },
    }


def openapi_document() -> dict[str, Any]:
    error = {"description": "error", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"error": {"type": "string"}}}}}}
    refusals = {"401": {**error, "description": "no key, unknown or revoked key"},
                "403": {**error, "description": "the key lacks this endpoint's scope"},
                "429": {**error, "description": "rate limit; see Retry-After",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}}}}
    answer = {"allOf": [{"type": "object", "properties": {"value": {"type": "string"}}},
                        {"$ref": "#/components/schemas/IdentityState"}]}
    country = {"name": "country", "in": "query", "required": False, "schema": {"type": "string"},
               "description": "ISO alpha-2 country for numbers written without a country code"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "lurecheck partner API", "version": "1.0.0",
                 "description": "Look up contacts reported as scam recruiters, follow confirmed "
                                "ones, and say what you did. Never returns anything of a reporter."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"IdentityState": _state_schema()},
        },
        "paths": {
            "/lookup": {
                "get": {"summary": "look up one contact (scope lookup)",
                        "parameters": [{"name": "value", "in": "query", "required": True,
                                        "schema": {"type": "string"}}, country],
                        "responses": {"200": {"description": "its state", "content": {
                            "application/json": {"schema": answer}}}, **refusals}},
                "post": {"summary": f"look up to {MAX_BATCH} contacts (scope lookup)",
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "type": "object", "required": ["values"],
                             "properties": {"values": {"type": "array", "maxItems": MAX_BATCH,
                                                       "items": {"type": "string"}},
                                            "country": {"type": "string"}}}}}},
                         "responses": {"200": {"description": "states, in the order asked", "content": {
                             "application/json": {"schema": {"type": "object", "properties": {
                                 "results": {"type": "array", "items": answer}}}}}},
                             "413": {**error, "description": f"more than {MAX_BATCH} values"},
                             **refusals}},
            },
            "/changes": {"get": {
                "summary": "confirmed, revoked and updated identities after a cursor (scope feed)",
                "description": "One JSON object per line, oldest first, each with its `cursor` "
                               "and `event` (confirmed, revoked, updated) and the identity's "
                               "current state. Resume with since=<last cursor> (also in "
                               "X-Next-Cursor): no change is skipped or repeated.",
                "parameters": [{"name": "since", "in": "query", "schema": {"type": "string"}},
                               {"name": "limit", "in": "query",
                                "schema": {"type": "integer", "maximum": MAX_FEED_PAGE}}],
                "responses": {"200": {"description": "NDJSON", "headers": {
                    "X-Next-Cursor": {"schema": {"type": "string"}},
                    "X-Has-More": {"schema": {"type": "string", "enum": ["true", "false"]}}},
                    "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                    **refusals}}},
            "/feedback": {"post": {
                "summary": "say what you did or saw about a contact (scope feedback)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["value", "action"],
                    "properties": {"value": {"type": "string"},
                                   "action": {"type": "string", "enum": list(partners.FEEDBACK_ACTIONS)},
                                   "note": {"type": "string", "maxLength": 500},
                                   "country": {"type": "string"}}}}}},
                "responses": {"201": {"description": "stored; staff see it on the contact"},
                              "404": {**error, "description": "a contact we hold no data on"},
                              "422": {**error, "description": "not a contact"}, **refusals}}},
            "/openapi.json": {"get": {"summary": "this document", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3"}}}},
        },
    }

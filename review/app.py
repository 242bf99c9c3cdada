"""The staff review web app (aiohttp), mounted under `/review` of the webhook server or served
alone by `python -m bot review --port N`.

Access control is one middleware: every route is staff-only unless marked `@public`, and
`@admin_only` routes refuse reviewers. Every non-GET request must carry the CSRF token of the
session (forms have it in a hidden field); the login form, which has no session yet, uses a
double-submit cookie instead. Cookies are HttpOnly, SameSite=Strict, and Secure when the page
was served over https (directly or behind a proxy that says so in X-Forwarded-Proto).

Database work runs in worker threads (`asyncio.to_thread`) so a slow staff query never
stalls the webhook that shares this event loop; so does argon2, which is slow on purpose.
"""

from __future__ import annotations

import asyncio
import csv
import hmac
import io
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from locales.i18n import Translator, get_translator
from review import labels, queries
from review import server as server_limits
from review.agencies import AgencyCsvError, import_agencies, parse_agency_csv
from review.api import create_api_app
from review.auth import (
    ABSOLUTE_TIMEOUT,
    REFRESH_AFTER,
    LoginGate,
    LoginThrottle,
    SessionSigner,
    SessionToken,
    password_fingerprint,
)
from review.charts import RISK_COLOURS, bar_chart, column_chart, drawable_edges, network_svg
from review.misp import confirmed_identities, misp_json
from review.runtime import freeze_on_startup
from review.settings import ReviewSettings
from review.stix import stix_json
from screening.hotlines import official_contacts
from screening.rules import default_rules
from storage import alerts as alert_repo
from storage import documents, matching
from storage import partners as partner_repo
from storage import queue as report_queue
from storage import talk as talk_repo
from storage.db import session_scope
from storage.identity import identity_of
from storage.models import (
    Indicator,
    Report,
    ReportKind,
    ReportStatus,
    StaffUser,
)
from storage.review_actions import add_review_note
from storage.safelist import add_safelist
from storage.staff import end_sessions, get_staff_user, session_is_current
from storage.statistics import counts_per_country, counts_per_kind, counts_per_language, counts_per_risk

PACKAGE_DIR = Path(__file__).resolve().parent
COOKIE_NAME = "lurecheck_review"
UPLOAD_LIMIT = 20 * 1024 * 1024
# Bodies allowed per route (bytes): the login form and ordinary forms are small; only the agency
# CSV and a picture sent in a conversation are uploads. Checked before a byte of the body is read
# when the client says its length, and while reading otherwise.
LOGIN_BODY_LIMIT = 16 * 1024
FORM_BODY_LIMIT = 256 * 1024
# A picture or document sent in a conversation (storage.documents.MAX_BYTES) and the form.
PICTURE_BODY_LIMIT = documents.MAX_BYTES + 256 * 1024
FILE_REFUSED = (f"Only pictures, PDF and plain-text (.txt) files of up to "
                f"{documents.MAX_MEGABYTES} MB can be sent, and only readable ones (not "
                "encrypted): they are cleaned of their metadata first. Other files (Word, "
                "Excel, archives) can carry names and cannot be cleaned.")
LOGIN_CSRF_COOKIE = "lurecheck_review_login"
TZ_COOKIE = "lurecheck_review_tz"
BULK_LIMIT = 200
HandlerFn = Callable[[web.Request], Awaitable[web.StreamResponse]]
T = TypeVar("T")

# Short codes carried in the redirect after an action, shown as fixed messages (never echoing
# request text back into the page).
NOTICES = {
    "status": "Status saved.", "note": "Note added.", "claimed": "Report claimed.",
    "assigned": "Assignment saved.", "confirmed": "Contact confirmed: the bot's look-up now shows it.",
    "rejected": "Contact marked as not confirmed.", "blocked": "Reporter blocked; their reports are spam.",
    "safelisted": "Added to the safelist.", "unsafelisted": "Removed from the safelist.",
    "seeded": "Safelist seeded from the hotline data.", "imported": "Agency list imported.",
    "bulk": "The selected reports were updated.", "timezone": "Time zone saved.",
    "last": "Saved. That was the last report of this queue.",
    "sent": "Sent: the person gets it in a moment.", "closed": "Conversation closed; the person was told.",
    "urgent": "Urgency saved.", "talk_blocked": "Person blocked; the conversation is closed.",
    "revoked": "Partner key revoked: it stops working at once.",
    "proposed": "Confirmation proposed: few people reported this contact, so a second reviewer "
                "or an admin must confirm it too.",
    "unblocked": "Reporter unblocked; the reports the block made spam have their status back.",
    "alert_due": "The bot tries that alert again within a few seconds.",
    "alert_gone": "That alert is no longer waiting: it was delivered or erased.",
}


@dataclass
class ReviewState:
    settings: ReviewSettings
    engine: Engine
    prefix: str
    signer: SessionSigner
    throttle: LoginThrottle
    gate: LoginGate
    templates: Environment
    translator: Translator
    # Drop-down choices (countries, languages) change slowly and cost a scan: cached briefly.
    choice_cache: dict[str, tuple[float, list[str]]] = field(default_factory=dict)
    # Cluster walks (up to 1,000 reports, ~90 ms at 100,000 reports) kept for a minute per seed
    # report, emptied by any staff action here; the page says when it was worked out.
    cluster_cache: dict[int, tuple[float, datetime, queries.ClusterView]] = field(default_factory=dict)
    tarpitted: int = 0  # refused logins being answered late (login_submit)


STATE = web.AppKey("review_state", ReviewState)
STAFF = web.RequestKey("review_staff", StaffUser)
TOKEN = web.RequestKey("review_session_token", SessionToken)


def public(handler: HandlerFn) -> HandlerFn:
    handler.review_access = "public"  # type: ignore[attr-defined]
    return handler


def admin_only(handler: HandlerFn) -> HandlerFn:
    handler.review_access = "admin"  # type: ignore[attr-defined]
    return handler


def _state(request: web.Request) -> ReviewState:
    return request.app[STATE]


async def _db(request: web.Request, work: Callable[[Session], T], *, read_only: bool = False) -> T:
    engine = _state(request).engine

    def run() -> T:
        with session_scope(engine, read_only=read_only) as session:
            return work(session)

    return await asyncio.to_thread(run)


def _staff(request: web.Request) -> StaffUser:
    return request[STAFF]


def _is_https(request: web.Request) -> bool:
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


def _set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str,
                *, max_age: int) -> None:
    response.set_cookie(name, value, path=_state(request).prefix + "/", max_age=max_age, httponly=True,
                        samesite="Strict", secure=_is_https(request))


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _render(request: web.Request, template: str, *, status: int = 200, **context: Any) -> web.Response:
    state = _state(request)
    token = request.get(TOKEN)
    staff = request.get(STAFF)
    notice = NOTICES.get(request.query.get("done", ""))
    html = state.templates.get_template(template).render(
        tz=_timezone(request), path_qs=request.path_qs, labels=labels, timezones=labels.TIMEZONES,
        prefix=state.prefix, staff=staff, is_admin=bool(staff and queries.is_admin(staff)),
        csrf=state.signer.csrf_token(token) if token else "", _=state.translator.gettext,
        t=state.translator, notice=state.translator.gettext(notice) if notice else None, **context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _timezone(request: web.Request) -> str:
    chosen = request.cookies.get(TZ_COOKIE, "UTC")
    return chosen if chosen in labels.TIMEZONES else "UTC"


def _error(request: web.Request, status: int, message: str) -> web.Response:
    return _render(request, "error.html", status=status, message=message)


# --- middlewares -----------------------------------------------------------------------------

def _body_limit(request: web.Request) -> int:
    path = request.match_info.route.resource.canonical if request.match_info.route.resource else ""
    if path.endswith("/login"):
        return LOGIN_BODY_LIMIT
    if path.endswith("/agencies/import"):
        return UPLOAD_LIMIT
    if path.endswith("/conversations/{case_id}/reply"):
        return PICTURE_BODY_LIMIT
    return FORM_BODY_LIMIT


@web.middleware
async def body_limits(request: web.Request, handler: HandlerFn) -> web.StreamResponse:
    """Per-route body limits: refuse a too-long body before reading it, cap a chunked one."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return await handler(request)
    limit = min(_body_limit(request), request.client_max_size or UPLOAD_LIMIT)
    if request.content_length is not None and request.content_length > limit:
        return web.Response(status=413, text=f"the body is limited to {limit} bytes",
                            headers={"Connection": "close"})
    return await handler(request.clone(client_max_size=limit))


@web.middleware
async def security_headers(request: web.Request, handler: HandlerFn) -> web.StreamResponse:
    response = await handler(request)
    headers = response.headers
    # Everything is served from here; inline SVG is markup, not script, so no 'unsafe-inline'.
    headers.setdefault("Content-Security-Policy",
                       "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                       "frame-ancestors 'none'; base-uri 'none'")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on form posts,
    # which the origin check below must refuse.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cache-Control", "no-store")
    return response


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


@web.middleware
async def access_control(request: web.Request, handler: HandlerFn) -> web.StreamResponse:
    state = _state(request)
    access = getattr(handler, "review_access", "staff")
    if access == "public":
        return await handler(request)
    token = state.signer.loads(request.cookies.get(COOKIE_NAME))
    staff: StaffUser | None = None
    if token is not None:
        staff = await _db(request, lambda session: session.get(StaffUser, token.staff_id), read_only=True)
        # A disabled account or a changed password ends every session of that account.
        if staff is None or staff.disabled or password_fingerprint(staff.password_hash) != token.fingerprint \
                or not session_is_current(staff, issued_at=token.issued_at):
            staff = None
    if staff is None or token is None:
        if request.method in ("GET", "HEAD"):
            return _redirect(f"{state.prefix}/login?" + urlencode({"next": request.path_qs}))
        return web.Response(status=401, text="login required")
    request[STAFF] = staff
    request[TOKEN] = token
    if request.method not in ("GET", "HEAD"):
        form = await request.post()
        submitted = form.get("csrf") if isinstance(form.get("csrf"), str) else None
        if not _same_origin(request) or not state.signer.csrf_ok(token, submitted):  # type: ignore[arg-type]
            return _error(request, 403, "This form has expired or did not come from this site. "
                                        "Go back, reload the page and try again.")
    if access == "admin" and not queries.is_admin(staff):
        return _error(request, 403, "Only administrators can do this.")
    if request.method not in ("GET", "HEAD"):
        # A decision, a block or a safelist change may split or join clusters.
        state.cluster_cache.clear()
    response = await handler(request)
    if time.time() - token.last_seen > REFRESH_AFTER and not response.prepared:
        # Slide the idle timeout while someone works.
        _set_cookie(request, response, COOKIE_NAME, state.signer.dumps(state.signer.touched(token)),
                    max_age=ABSOLUTE_TIMEOUT)
    return response


# --- login / logout --------------------------------------------------------------------------

def _safe_next(state: ReviewState, target: str | None) -> str:
    # Control characters (CR/LF, tab, NUL…) cannot go into a Location header: aiohttp raised
    # after a successful login. Such a target is never one of our pages: go to the queue.
    if target and any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return state.prefix + "/"
    if target and target.startswith(state.prefix + "/") and not target.startswith("//") \
            and "\\" not in target and "/login" not in target:
        return target
    return state.prefix + "/"


@public
async def login_page(request: web.Request) -> web.StreamResponse:
    # Always the form, even with a session cookie: the cookie may belong to a disabled account or
    # an old password, and redirecting on it would bounce between here and the queue.
    return _login_form(request, status=200, error=None)


def _login_form(request: web.Request, *, status: int, error: str | None, username: str = "") -> web.Response:
    login_token = secrets.token_urlsafe(24)
    response = _render(request, "login.html", status=status, error=error, login_token=login_token,
                       username=username, next=request.query.get("next", ""))
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, login_token, max_age=3600)
    return response


TARPIT_SECONDS = 1.0  # a refused login is answered after this long…
TARPIT_MAX = 256  # …unless this many already wait; then at once, closing the connection


async def _too_many_logins(state: ReviewState, wait: float) -> web.Response:
    """Plain and cheap on purpose: under a flood this is most answers, on the webhook's event loop.
    Answered late, so a client that retries at once (a flood tool on N connections) gets at most
    N answers a second instead of as many as the loop can serve."""
    headers = {"Retry-After": str(int(wait) + 1)}
    if state.tarpitted < TARPIT_MAX:
        state.tarpitted += 1
        try:
            await asyncio.sleep(TARPIT_SECONDS)
        finally:
            state.tarpitted -= 1
    else:
        headers["Connection"] = "close"
    return web.Response(status=429, text="Too many people are logging in at once. Try again in a minute.",
                        headers=headers)


@public
async def login_submit(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    # The global brake first, before reading the body: a flood is refused at the least cost.
    wait = state.gate.wait()
    if wait > 0:
        return await _too_many_logins(state, wait)
    form = await request.post()
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    submitted = str(form.get("login_token", ""))
    if not cookie_token or not hmac.compare_digest(cookie_token, submitted) or not _same_origin(request):
        return _login_form(request, status=403, error="The login form expired; please try again.")
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))[:1024]
    address = request.remote or "unknown"
    wait = state.throttle.retry_after(username=username, address=address)
    if wait > 0:
        response = _login_form(request, status=429, username=username, error=state.translator.gettext(
            "Too many failed attempts. Try again in {minutes} minutes.", minutes=int(wait // 60) + 1))
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    # The global brake: a flood of logins (many usernames, many addresses) is refused before
    # hashing, and argon2 runs in the gate's own two threads, never beside the webhook's work.
    wait = state.gate.admit()
    if wait > 0:
        return await _too_many_logins(state, wait)
    try:
        staff = await _db(request, lambda session: get_staff_user(session, username=username), read_only=True)
        valid = await state.gate.verify(staff.password_hash if staff else None, password)
    finally:
        state.gate.release()
    if staff is None or staff.disabled or not valid or staff.id is None:
        state.throttle.record_failure(username=username, address=address)
        # Audited (the name as typed, cut short; never the password), so staff see guessing.
        reason = "no such account" if staff is None else "disabled" if staff.disabled else "wrong password"
        await _db(request, lambda session: queries.record_event(
            session, actor=username or "?", action="login_failed", note=reason))
        return _login_form(request, status=401, username=username,
                           error="Wrong username or password, or the account is disabled.")
    state.throttle.record_success(username=username, address=address)
    staff_id, password_hash = staff.id, staff.password_hash
    await _db(request, lambda session: queries.record_event(session, actor=username, action="login"))
    token = state.signer.new_session(staff_id=staff_id, password_hash=password_hash)
    response = _redirect(_safe_next(state, str(form.get("next", "")) or None))
    _set_cookie(request, response, COOKIE_NAME, state.signer.dumps(token), max_age=ABSOLUTE_TIMEOUT)
    response.del_cookie(LOGIN_CSRF_COOKIE, path=state.prefix + "/")
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    state.signer.revoke(request[TOKEN])
    username, staff_id = _staff(request).username, _staff(request).id or 0

    def ended(session: Session) -> None:
        end_sessions(session, staff_id=staff_id)
        queries.record_event(session, actor=username, action="logout")

    await _db(request, ended)
    response = _redirect(f"{state.prefix}/login")
    response.del_cookie(COOKIE_NAME, path=state.prefix + "/")
    return response


@public
async def stylesheet(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(PACKAGE_DIR / "static" / "review.css",
                            headers={"Content-Type": "text/css; charset=utf-8"})


# --- queue -----------------------------------------------------------------------------------

def _choices(request: web.Request, name: str, column: Any) -> Callable[[Session], list[str]]:
    cache = _state(request).choice_cache

    def load(session: Session) -> list[str]:
        cached = cache.get(name)
        if cached and time.monotonic() - cached[0] < 60:
            return cached[1]
        values = sorted(queries.distinct_values(session, column=column))
        cache[name] = (time.monotonic(), values)
        return values

    return load


async def queue(request: web.Request) -> web.StreamResponse:
    filters = report_queue.parse_queue_filter(request.query)
    staff = _staff(request)
    countries_of = _choices(request, "country", col(Report.country))
    languages_of = _choices(request, "language", col(Report.language))

    def load(session: Session) -> dict[str, Any]:
        return {
            "page": report_queue.queue_page(session, filters=filters, staff_id=staff.id),
            "countries": countries_of(session), "languages": languages_of(session),
            "staff_list": queries.active_staff(session),
            # Alerts the staff chat has not received (storage/alerts.py): above every queue.
            "waiting_alerts": alert_repo.undelivered_alerts(session),
        }

    data = await _db(request, load, read_only=True)
    query = filters.as_query()
    page_query = {**query, **({"page": str(data["page"].page)} if data["page"].page > 1 else {})}
    return _render(request, "queue.html", filters=filters, query=query, query_string=urlencode(query),
                   from_query=urlencode(page_query), statuses=[s.value for s in ReportStatus],
                   kinds=[k.value for k in ReportKind], risks=report_queue.RISK_ORDER,
                   sorts=report_queue.SORTS, page_sizes=report_queue.PAGE_SIZES,
                   page_link=lambda number, **cursor: "?" + urlencode(
                       {**query, "page": number, **{name: value for name, value in cursor.items() if value}}),
                   **data)


async def alert_send_now(request: web.Request) -> web.StreamResponse:
    """A waiting staff alert, due now rather than after its growing delay (staff fixed
    STAFF_CHAT_ID or put the bot back in the chat). Back to the queue, which shows it."""
    try:
        alert_id = int(request.match_info["alert_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    staff = _staff(request)
    waiting = await _db(request, lambda s: alert_repo.send_now(
        s, alert_id=alert_id, actor=staff.username, now=datetime.now(UTC)))
    return _redirect(f"{_state(request).prefix}/?done={'alert_due' if waiting else 'alert_gone'}")


def _queue_from(form: Any) -> tuple[report_queue.QueueFilter, str]:
    """The queue a person came from (its query string travels in a hidden `from` field)."""
    raw = _form_text(form, "from", 2000)
    return report_queue.parse_queue_filter(dict(parse_qsl(raw))), raw


async def bulk_action(request: web.Request) -> web.StreamResponse:
    """Several reports of the queue at once: a status (each change audited like one made on the
    report's page) or "claim". At most BULK_LIMIT reports per submit."""
    form = await request.post()
    staff = _staff(request)
    _filters, from_query = _queue_from(form)
    ids = sorted({int(v) for v in form.getall("ids", []) if isinstance(v, str) and v.isdigit()})
    action = _form_text(form, "action", 32)
    note = _form_text(form, "note") or None
    if not ids:
        return _error(request, 400, "Tick at least one report.")
    if len(ids) > BULK_LIMIT:
        return _error(request, 400, f"At most {BULK_LIMIT} reports at once.")
    status: ReportStatus | None = None
    if action != "claim":
        try:
            status = ReportStatus(action.removeprefix("status:"))
        except ValueError:
            return _error(request, 400, "Choose what to do with the selected reports.")

    def work(session: Session) -> None:
        for report_id in ids:
            if status is None:
                queries.assign(session, report_id=report_id, assignee=staff, staff=staff)
                continue
            report = session.get(Report, report_id)
            if report is None:
                raise queries.ReviewError(f"No report {report_id}.")
            if report.status != status:
                queries.change_status(session, report_id=report_id, status=status, staff=staff,
                                      note=note)

    try:
        await _db(request, work)
    except (queries.ReviewError, LookupError) as problem:
        return _error(request, 400, str(problem))
    back = f"{from_query}&done=bulk" if from_query else "done=bulk"
    return _redirect(f"{_state(request).prefix}/?{back}")


async def set_timezone(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    state = _state(request)
    chosen = _form_text(form, "tz", 64)
    if chosen not in labels.TIMEZONES:
        return _error(request, 400, "Unknown time zone.")
    target = _safe_next(state, _form_text(form, "next", 2000) or None)
    response = _redirect(target)
    _set_cookie(request, response, TZ_COOKIE, chosen, max_age=365 * 86400)
    return response


# --- one report ------------------------------------------------------------------------------

def _report_id(request: web.Request) -> int:
    try:
        return int(request.match_info["report_id"])
    except ValueError:
        raise web.HTTPNotFound() from None


def _flag_texts(flag_ids: list[str]) -> list[tuple[str, str]]:
    try:
        rules = default_rules()
    except Exception:  # the rule file is someone else's; a broken one must not hide reports
        return [(flag_id, "") for flag_id in flag_ids]
    texts = []
    for flag_id in flag_ids:
        rule = rules.get(flag_id)
        texts.append((flag_id, rule.message if rule else ""))
    return texts


async def report_page(request: web.Request) -> web.StreamResponse:
    report_id = _report_id(request)

    def load(session: Session) -> dict[str, Any] | None:
        report = session.get(Report, report_id)
        if report is None:
            return None
        contacts = queries.report_contacts(session, report_id=report_id)
        indicator_ids = [c.indicator.id for c in contacts if c.indicator.id is not None]
        said = partner_repo.feedback_for(
            session, identities=[identity_of(c.indicator.type, c.indicator.value) for c in contacts])
        assignee = session.get(StaffUser, report.assignee_id) if report.assignee_id else None
        return {
            "report": report, "contacts": contacts, "assignee": assignee,
            "linked": queries.linked_reports(session, report_id=report_id),
            "near_duplicates": matching.near_duplicates(session, report_id=report_id),
            "same_template": matching.template_members(session, report_id=report_id),
            "history": queries.report_history(session, report_id=report_id, indicator_ids=indicator_ids),
            "reporter_reports": queries.reporter_report_count(session, reporter_key=report.reporter_key),
            "reporter_blocked": queries.is_reporter_blocked(session, reporter_key=report.reporter_key),
            "staff_list": queries.active_staff(session),
            "staff_names": {s.id: s.username for s in session.exec(select(StaffUser)).all()},
            "contact_names": queries.contact_names(session, indicator_ids=indicator_ids),
            "proposals": queries.pending_proposals(session, indicator_ids=indicator_ids),
            # Partner feedback is about an identity: a phone's shows on its WhatsApp row too.
            "feedback": {f"{c.indicator.type}:{c.indicator.value}":
                         said.get(identity_of(c.indicator.type, c.indicator.value), []) for c in contacts},
        }

    data = await _db(request, load, read_only=True)
    if data is None:
        return _error(request, 404, "No such report.")
    report: Report = data["report"]
    edges: list[tuple[int, str]] = []
    for linked in data["linked"]:
        for shared in linked.shared:
            key = shared.replace(": ", ":", 1)
            edges += [(linked.id, key), (report_id, key)]
    drawn, _truncated = drawable_edges([sorted(set(edges))])
    network = await asyncio.to_thread(
        network_svg, drawn, report_href=_state(request).prefix + "/reports/{id}", width=700, height=360,
        title="reports sharing a contact") if drawn else None
    history = [queries.describe_event(event, staff_names=data["staff_names"],
                                      contact_names=data["contact_names"]) for event in data["history"]]
    from_query = request.query.get("from", "")[:2000]
    return _render(request, "report.html", flags=_flag_texts(list(report.flag_ids or [])),
                   statuses=[s.value for s in ReportStatus], network=network,
                   reporter_label=report.reporter_key[:10], readable_history=history,
                   from_query=from_query, back_link=f"{_state(request).prefix}/?{from_query}", **data)


def _form_text(form: Any, name: str, limit: int = 2000) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


async def _act(request: web.Request, work: Callable[[Session], Any], done: str,
               anchor: str = "") -> web.StreamResponse:
    """Run one staff action in a transaction, then go back to the report page."""
    report_id = _report_id(request)
    try:
        await _db(request, work)
    except (queries.ReviewError, LookupError, ValueError) as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/reports/{report_id}?done={done}{anchor}")


async def report_status(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    report_id, staff = _report_id(request), _staff(request)
    status_text, note = _form_text(form, "status", 32), _form_text(form, "note")
    filters, from_query = _queue_from(form)
    then_next = form.get("then") == "next"
    try:
        status = ReportStatus(status_text)
    except ValueError:
        return _error(request, 400, "Unknown status.")
    outcome: dict[str, Any] = {"done": "status", "next": None}

    def work(session: Session) -> None:
        report = session.get(Report, report_id)
        if report is None:
            raise queries.ReviewError("No such report.")
        if report.status == status:
            if not note and not then_next:
                raise queries.ReviewError("Nothing to save: choose a new status or write a note.")
            if note:
                add_review_note(session, actor=staff, report_id=report_id, note=note)
                outcome["done"] = "note"
        else:
            queries.change_status(session, report_id=report_id, status=status, staff=staff, note=note)
        if then_next:
            outcome["next"] = report_queue.next_report_id(session, filters=filters, staff_id=staff.id,
                                                          after=report_id)

    try:
        await _db(request, work)
    except (queries.ReviewError, LookupError) as problem:
        return _error(request, 400, str(problem))
    prefix = _state(request).prefix
    keep = urlencode({"from": from_query}) + "&" if from_query else ""
    if then_next:
        if outcome["next"] is None:
            return _redirect(f"{prefix}/?{from_query + '&' if from_query else ''}done=last")
        return _redirect(f"{prefix}/reports/{outcome['next']}?{keep}done={outcome['done']}")
    return _redirect(f"{prefix}/reports/{report_id}?{keep}done={outcome['done']}")


def _confirm_page(request: web.Request, *, title: str, message: str, button: str,
                  ask_reason: bool = False, reason: str = "") -> web.Response:
    """Asks before an action: the same form posted again with confirm=yes (and a reason)."""
    back = f"{_state(request).prefix}/reports/{_report_id(request)}"
    return _render(request, "confirm.html", title=title, message=message, button=button, action=request.path,
                   ask_reason=ask_reason, reason=reason, back=back)


async def report_claim(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    report_id, staff = _report_id(request), _staff(request)
    if form.get("confirm") != "yes":
        # Someone else's report: ask before taking it over.
        def holder(session: Session) -> str | None:
            report = session.get(Report, report_id)
            if report is None or report.assignee_id in (None, staff.id):
                return None
            other = session.get(StaffUser, report.assignee_id)
            return other.username if other else "?"

        other = await _db(request, holder, read_only=True)
        if other is not None:
            translate = _state(request).translator.gettext
            return _confirm_page(request, title=translate("Take this report over?"),
                                 message=translate("{name} has claimed this report. Take it over from them?",
                                                   name=other),
                                 button=translate("Take it over"))
    return await _act(request, lambda s: queries.assign(s, report_id=report_id, assignee=staff, staff=staff),
                      "claimed")


@admin_only
async def report_assign(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    report_id, staff = _report_id(request), _staff(request)
    raw = _form_text(form, "assignee", 12)

    def work(session: Session) -> None:
        assignee = session.get(StaffUser, int(raw)) if raw.isdigit() else None
        if raw and assignee is None:
            raise queries.ReviewError("No such staff account.")
        queries.assign(session, report_id=report_id, assignee=assignee, staff=staff)

    return await _act(request, work, "assigned")


async def report_contact_decision(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    staff = _staff(request)
    decision = _form_text(form, "decision", 16)
    if decision not in ("confirm", "reject"):
        return _error(request, 400, "Unknown decision.")
    try:
        indicator_id = int(request.match_info["indicator_id"])
    except ValueError:
        raise web.HTTPNotFound() from None

    outcome = {"done": "rejected"}

    def work(session: Session) -> None:
        linked = session.exec(select(Indicator.id).where(Indicator.id == indicator_id)).first()
        if linked is None:
            raise queries.ReviewError("No such contact.")
        # Audited by storage as a "confirm" event of the contact, shown in every report naming it;
        # a single-reporter contact confirmed by a reviewer is only proposed (queries).
        outcome["done"] = queries.set_indicator_decision(
            session, indicator_id=indicator_id, confirmed=decision == "confirm", staff=staff,
            note=_form_text(form, "note") or None)

    report_id = _report_id(request)
    try:
        await _db(request, work)
    except (queries.ReviewError, LookupError, ValueError) as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/reports/{report_id}?done={outcome['done']}#contacts")


@admin_only
async def report_block(request: web.Request) -> web.StreamResponse:
    """Blocking needs a reason and a second click on a page that says what it does."""
    form = await request.post()
    report_id, staff = _report_id(request), _staff(request)
    note = _form_text(form, "note")
    if form.get("confirm") != "yes" or not note:
        def count(session: Session) -> int:
            report = session.get(Report, report_id)
            return queries.reporter_report_count(session, reporter_key=report.reporter_key) if report else 0

        reports_of = await _db(request, count, read_only=True)
        translate = _state(request).translator
        message = translate.ngettext(
            "Their {n} report becomes spam and what they report later never counts. It can be undone.",
            "All {n} of their reports become spam and what they report later never counts. It can be undone.",
            reports_of)
        return _confirm_page(request, title=translate.gettext("Block this reporter?"), message=message,
                             button=translate.gettext("Block this reporter"), ask_reason=True, reason=note)
    return await _act(request, lambda s: queries.block_reporter_of(s, report_id=report_id, staff=staff,
                                                                   note=note), "blocked")


@admin_only
async def report_unblock(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    report_id, staff = _report_id(request), _staff(request)
    note = _form_text(form, "note")
    if not note:
        return _error(request, 400, "Say why this reporter is unblocked: the reason goes into the audit log.")
    return await _act(request, lambda s: queries.unblock_reporter_of(s, report_id=report_id, staff=staff,
                                                                     note=note), "unblocked")


# --- dashboard and networks ------------------------------------------------------------------

async def dashboard(request: web.Request) -> web.StreamResponse:
    since = datetime.now(UTC) - timedelta(days=90)

    def load(session: Session) -> dict[str, Any]:
        return {
            "per_day": queries.reports_per_day(session, days=30),
            "reviews": queries.reviews_per_day(session, days=30),
            "backlog": queries.backlog(session),
            "by_country": counts_per_country(session, since=since)[:15],
            "by_kind": counts_per_kind(session, since=since),
            "by_language": counts_per_language(session, since=since)[:15],
            "by_risk": counts_per_risk(session, since=since),
            "by_status": queries.count_by(session, column=col(Report.status), since=since),
            "top": queries.top_contacts(session, limit=15, since=since),
            "feedback": partner_repo.recent_feedback(session, limit=20),
            "feedback_counts": partner_repo.feedback_counts(session, since=since),
        }

    data = await _db(request, load, read_only=True)
    queue_url = _state(request).prefix + "/?"
    from_day = since.date().isoformat()

    def bars(rows: list[tuple[str | None, int]], field: str, *, table: dict[str, str] | None = None,
             title: str, colours: dict[str, str] | None = None, dated: bool = True) -> Any:
        """One chart whose bars open the queue filtered to them (same period)."""
        codes = [code or "" for code, _n in rows]
        shown = [(labels.label(table, code) if table else (code or "—"), n) for code, n in rows]
        hrefs = [queue_url + urlencode({field: code, **({"date_from": from_day} if dated else {})})
                 if code else None for code in codes]
        return bar_chart(shown, title=title, hrefs=hrefs, codes=codes, colours=colours)

    def day_links(days: list[tuple[Any, int]]) -> list[str | None]:
        return [queue_url + urlencode({"date_from": day.isoformat(), "date_to": day.isoformat()})
                for day, _n in days]

    charts = [
        column_chart([(day.isoformat()[5:], count) for day, count in data["per_day"]],
                     title="Reports per day, last 30 days", hrefs=day_links(data["per_day"])),
        column_chart([(day.isoformat()[5:], count) for day, count in data["reviews"]],
                     title="Decisions by staff per day, last 30 days"),
        bars(data["by_country"], "country", title="By country (90 days, counted reports)"),
        bars(data["by_kind"], "kind", table=labels.KINDS, title="By kind"),
        bars(data["by_language"], "language", title="By language"),
        bars(data["by_risk"], "risk", table=labels.RISKS, title="By risk", colours=RISK_COLOURS),
        bars([(code if code != "—" else None, n) for code, n in data["by_status"]], "status",
             table=labels.STATUSES, title="By status (90 days, all reports)"),
    ]
    return _render(request, "dashboard.html", charts=charts, top=data["top"], backlog=data["backlog"],
                   feedback=data["feedback"], feedback_counts=data["feedback_counts"])


NETWORK_KINDS = ("phone", "telegram", "whatsapp", "line", "wechat", "email", "url", "domain", "wallet")


async def networks(request: web.Request) -> web.StreamResponse:
    kinds = [kind for kind in request.query.getall("kind", []) if kind in NETWORK_KINDS]
    try:
        days = max(1, min(int(request.query.get("days") or 90), 3650))
    except ValueError:
        days = 90
    since = datetime.now(UTC) - timedelta(days=days)
    hubs: dict[str, int] = {}
    clusters = await _db(request, lambda s: queries.contact_clusters(
        s, since=since, kinds=kinds, hub_limit=queries.HUB_LIMIT, hubs=hubs), read_only=True)
    # The picture is capped (legibility, and the layout is quadratic); the list shows everything.
    drawn, truncated = drawable_edges([cluster.edges for cluster in clusters[:8]], max_nodes=80,
                                      max_edges=120)
    href = _state(request).prefix + "/reports/{id}"
    picture = await asyncio.to_thread(network_svg, drawn, report_href=href, width=900, height=560,
                                      title="clusters of reports sharing contacts") if drawn else None
    return _render(request, "networks.html", clusters=clusters, picture=picture, kinds=kinds,
                   all_kinds=NETWORK_KINDS, days=days, truncated=truncated or len(clusters) > 8,
                   hubs=sorted(hubs.items(), key=lambda item: -item[1])[:30], hub_limit=queries.HUB_LIMIT)


CLUSTER_CACHE_SECONDS = 60.0
CLUSTER_CACHE_SIZE = 64
CLUSTER_PAGE_ROWS = 100  # reports and contacts listed per page of a cluster (all are in the export)


async def _cached_cluster(request: web.Request,
                          report_id: int) -> tuple[datetime, queries.ClusterView] | None:
    cache = _state(request).cluster_cache
    kept = cache.get(report_id)
    if kept is not None and time.monotonic() - kept[0] < CLUSTER_CACHE_SECONDS:
        return kept[1], kept[2]
    view = await _db(request, lambda s: queries.cluster_of(s, report_id=report_id), read_only=True)
    if view is None:
        return None
    while len(cache) >= CLUSTER_CACHE_SIZE:
        del cache[min(cache, key=lambda seed: cache[seed][0])]
    worked_out = datetime.now(UTC)
    cache[report_id] = (time.monotonic(), worked_out, view)
    return worked_out, view


async def cluster_page(request: web.Request) -> web.StreamResponse:
    report_id = _report_id(request)
    found = await _cached_cluster(request, report_id)
    if found is None:
        return _error(request, 404, "No such report.")
    worked_out, view = found
    # Long lists are paged: 1,000 rows took ~150 ms to render, most of the page's time.
    pages = max(1, -(-max(len(view.reports), len(view.contacts)) // CLUSTER_PAGE_ROWS))
    try:
        page = max(1, min(int(request.query.get("page") or 1), pages))
    except ValueError:
        page = 1
    shown = slice((page - 1) * CLUSTER_PAGE_ROWS, page * CLUSTER_PAGE_ROWS)
    picture = None
    if 1 < len(view.edges) <= 150:
        drawn, _cut = drawable_edges([view.edges], max_nodes=90, max_edges=150)
        href = _state(request).prefix + "/reports/{id}"
        picture = await asyncio.to_thread(network_svg, drawn, report_href=href,
                                          width=900, height=520, title=f"cluster of report {report_id}")
    return _render(request, "cluster.html", view=view, picture=picture, hub_limit=queries.HUB_LIMIT,
                   countries=view.tally("country"), kinds=view.tally("kind"), statuses=view.tally("status"),
                   reports=view.reports[shown], contacts=view.contacts[shown], page=page, pages=pages,
                   worked_out=worked_out, kept_seconds=int(CLUSTER_CACHE_SECONDS))


async def contact_page(request: web.Request) -> web.StreamResponse:
    try:
        indicator_id = int(request.match_info["indicator_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    view = await _db(request, lambda s: queries.contact_view(s, indicator_id=indicator_id), read_only=True)
    if view is None:
        return _error(request, 404, "No such contact.")
    me = f"{view.indicator.type}:{view.indicator.value}"
    edges = [(report.id, me) for report in view.reports[:40]]
    drawn, _cut = drawable_edges([edges], max_nodes=60, max_edges=80)
    href = _state(request).prefix + "/reports/{id}"
    picture = await asyncio.to_thread(network_svg, drawn, report_href=href,
                                      width=700, height=420, title=f"reports naming {me}") if drawn else None
    return _render(request, "contact.html", view=view, picture=picture, hub_limit=queries.HUB_LIMIT)


@admin_only
async def cluster_export(request: web.Request) -> web.StreamResponse:
    report_id = _report_id(request)
    username = _staff(request).username

    def load(session: Session) -> dict[str, Any] | None:
        view = queries.cluster_of(session, report_id=report_id)
        if view is None:
            return None
        queries.record_event(session, actor=username, action="export", report_id=report_id,
                             new=f"cluster: {len(view.reports)} reports, {len(view.contacts)} contacts")
        return queries.cluster_export(view)

    data = await _db(request, load)
    if data is None:
        return _error(request, 404, "No such report.")
    body = json.dumps({"exported_at": datetime.now(UTC).isoformat(), **data}, ensure_ascii=False, indent=1)
    return web.Response(text=body, content_type="application/json", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="lurecheck-cluster-{report_id}.json"'})


# --- safelist and agencies -------------------------------------------------------------------

async def safelist_page(request: web.Request) -> web.StreamResponse:
    entries = await _db(request, lambda s: queries.safelist_entries(s, agencies=False), read_only=True)
    return _render(request, "safelist.html", entries=entries)


@admin_only
async def safelist_add(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    staff = _staff(request)
    raw, label = _form_text(form, "value", 300), _form_text(form, "label", 255)
    source = _form_text(form, "source", 500)
    region = _form_text(form, "country", 2).upper() or None
    if not raw or not label or not source:
        return _error(request, 400, "Value, label and source are all required.")
    try:
        await _db(request, lambda s: queries.add_safelist_entry(s, raw=raw, label=label, source=source,
                                                                actor=staff.username, default_region=region))
    except queries.ReviewError as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/safelist?done=safelisted")


@admin_only
async def safelist_remove(request: web.Request) -> web.StreamResponse:
    staff = _staff(request)
    try:
        entry_id = int(request.match_info["entry_id"])
        await _db(request, lambda s: queries.remove_safelist_entry(s, entry_id=entry_id,
                                                                   actor=staff.username))
    except (ValueError, queries.ReviewError) as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/safelist?done=unsafelisted")


def seed_safelist(session: Session, *, actor: str) -> int:
    """Copy the verified hotline numbers and sites (screening.hotlines) into the safelist."""

    added = 0
    for contact in official_contacts():
        add_safelist(session, type=contact.type, value=contact.value, label=contact.label,
                                 source=contact.source)
        added += 1
    queries.record_event(session, actor=actor, action="safelist_seed", new=f"{added} entries")
    return added


@admin_only
async def safelist_seed(request: web.Request) -> web.StreamResponse:
    username = _staff(request).username
    try:
        await _db(request, lambda s: seed_safelist(s, actor=username))
    except ImportError:
        return _error(request, 400, "The hotline data is not available in this installation.")
    return _redirect(f"{_state(request).prefix}/safelist?done=seeded")


async def agencies_page(request: web.Request) -> web.StreamResponse:
    name = request.query.get("name", "").strip()[:200]

    def load(session: Session) -> dict[str, Any]:
        return {"entries": queries.safelist_entries(session, agencies=True)[:2000],
                "match": queries.find_licensed_agency(session, name=name) if name else None}

    data = await _db(request, load, read_only=True)
    return _render(request, "agencies.html", name=name, **data)


@admin_only
async def agencies_import(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        return _error(request, 400, "Choose a CSV file to import.")
    try:
        agencies = parse_agency_csv(upload.file.read(UPLOAD_LIMIT))
    except (AgencyCsvError, UnicodeDecodeError) as problem:
        return _error(request, 400, f"Could not read the CSV file: {problem}")
    staff, replace = _staff(request), form.get("replace") == "1"
    filename = (upload.filename or "upload.csv")[:200]
    await _db(request, lambda s: import_agencies(s, agencies=agencies, source_name=filename,
                                                 actor=staff.username, replace=replace))
    return _redirect(f"{_state(request).prefix}/agencies?done=imported")


# --- exports ---------------------------------------------------------------------------------

def _csv_cell(value: Any) -> str:
    text = "" if value is None else (";".join(value) if isinstance(value, list) else str(value))
    # Spreadsheets run cells starting with these as formulas (CSV injection): neutralise them.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_COLUMNS = ("id", "receipt_code", "created_at", "kind", "country", "language", "risk_level", "status",
                  "flag_ids", "contacts", "narrative")


async def _export(request: web.Request, fmt: str) -> web.StreamResponse:
    filters = report_queue.parse_queue_filter(request.query)
    staff = _staff(request)

    def load(session: Session) -> list[dict[str, Any]]:
        rows = queries.export_rows(session, filters=filters, staff_id=staff.id)
        queries.record_event(session, actor=staff.username, action="export",
                             new=f"{fmt}: {len(rows)} reports", note=f"filter: {filters.describe()}")
        return rows

    rows = await _db(request, load)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if fmt == "json":
        body = json.dumps({"exported_at": datetime.now(UTC).isoformat(), "filter": filters.as_query(),
                           "reports": rows}, ensure_ascii=False, indent=1)
        return web.Response(text=body, content_type="application/json", charset="utf-8", headers={
            "Content-Disposition": f'attachment; filename="lurecheck-reports-{stamp}.json"'})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(row[column]) for column in EXPORT_COLUMNS])
    return web.Response(text=buffer.getvalue(), content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="lurecheck-reports-{stamp}.csv"'})


@admin_only
async def export_csv(request: web.Request) -> web.StreamResponse:
    return await _export(request, "csv")


@admin_only
async def export_json(request: web.Request) -> web.StreamResponse:
    return await _export(request, "json")


@admin_only
async def export_stix(request: web.Request) -> web.StreamResponse:
    username = _staff(request).username

    def load(session: Session) -> str:
        confirmed = queries.confirmed_indicators(session)
        revoked = queries.revoked_indicators(session)
        queries.record_event(session, actor=username, action="export",
                             new=f"stix: {len(confirmed)} confirmed contacts"
                                 + (f", {len(revoked)} revoked" if revoked else ""))
        return stix_json(confirmed, revoked=revoked)

    body = await _db(request, load)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return web.Response(text=body, content_type="application/json", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="lurecheck-stix-{stamp}.json"'})


@admin_only
async def export_misp(request: web.Request) -> web.StreamResponse:
    username = _staff(request).username

    def load(session: Session) -> str:
        identities = confirmed_identities(queries.confirmed_indicators(session))
        states = partner_repo.lookup_identities(session, identities=identities)
        confirmed = [states[i] for i in identities if states[i].status == partner_repo.CONFIRMED]
        queries.record_event(session, actor=username, action="export",
                             new=f"misp: {len(confirmed)} confirmed contacts")
        return misp_json(confirmed)

    body = await _db(request, load)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return web.Response(text=body, content_type="application/json", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="lurecheck-misp-{stamp}.json"'})


# --- partners of the look-up API (admin) -----------------------------------------------------

async def _partners_page(request: web.Request, *, status: int = 200, new_key: str | None = None,
                         new_key_partner: str | None = None) -> web.Response:
    def load(session: Session) -> dict[str, Any]:
        listed = partner_repo.list_partners(session)
        return {"partners": listed, "usage": partner_repo.usage_last_day(session),
                "calls": partner_repo.recent_calls(session, limit=100),
                "names": {p.id: p.name for p in listed}}

    data = await _db(request, load, read_only=True)
    return _render(request, "partners.html", status=status, new_key=new_key, new_key_partner=new_key_partner,
                   scopes=partner_repo.SCOPES, default_rate=partner_repo.DEFAULT_RATE_PER_MINUTE, **data)


@admin_only
async def partners_page(request: web.Request) -> web.StreamResponse:
    return await _partners_page(request)


PARTNER_FEEDBACK_PAGE = 50


@admin_only
async def partner_page(request: web.Request) -> web.StreamResponse:
    """One partner: its key, scopes and state, its use, what it told us and its latest calls."""
    partner_id = int(request.match_info["partner_id"])
    page_asked = request.query.get("page", "1")
    page = max(1, int(page_asked)) if page_asked.isdigit() and len(page_asked) < 7 else 1

    def load(session: Session) -> dict[str, Any] | None:
        partner = session.get(partner_repo.Partner, partner_id)
        if partner is None:
            return None
        feedback, total = partner_repo.feedback_of_partner(
            session, partner_id=partner_id, limit=PARTNER_FEEDBACK_PAGE,
            offset=(page - 1) * PARTNER_FEEDBACK_PAGE)
        return {"partner": partner, "feedback": feedback, "feedback_total": total,
                "day": partner_repo.usage_last_day(session).get(partner_id),
                "month": partner_repo.usage_since(
                    session, since=datetime.now(UTC) - timedelta(days=30)).get(partner_id),
                "calls": partner_repo.recent_calls(session, limit=100, partner_id=partner_id)}

    data = await _db(request, load, read_only=True)
    if data is None:
        raise web.HTTPNotFound(text="No such partner.")
    pages = max(1, -(-data["feedback_total"] // PARTNER_FEEDBACK_PAGE))
    return _render(request, "partner.html", page=page, pages=pages, **data)


@admin_only
async def partners_add(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username = _staff(request).username
    name = _form_text(form, "name", 64)
    scopes = [s for s in form.getall("scope", []) if isinstance(s, str)]
    try:
        rate = int(_form_text(form, "rate", 8) or partner_repo.DEFAULT_RATE_PER_MINUTE)
        _partner, key = await _db(request, lambda s: partner_repo.add_partner(
            s, name=name, scopes=scopes, actor=username, rate_per_minute=rate))
    except (ValueError, partner_repo.PartnerError) as problem:
        return _error(request, 400, str(problem))
    # The key is in this one response (never stored, never redirected to): Cache-Control no-store.
    return await _partners_page(request, new_key=key, new_key_partner=name)


@admin_only
async def partners_rotate(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username, name = _staff(request).username, _form_text(form, "name", 64)
    try:
        _partner, key = await _db(request, lambda s: partner_repo.rotate_partner(s, name=name,
                                                                                 actor=username))
    except partner_repo.PartnerError as problem:
        return _error(request, 400, str(problem))
    return await _partners_page(request, new_key=key, new_key_partner=name)


@admin_only
async def partners_revoke(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    username, name = _staff(request).username, _form_text(form, "name", 64)
    try:
        await _db(request, lambda s: partner_repo.revoke_partner(s, name=name, actor=username))
    except partner_repo.PartnerError as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/partners?done=revoked")


async def audit_page(request: web.Request) -> web.StreamResponse:
    filters = queries.parse_audit_filter(request.query)

    def load(session: Session) -> dict[str, Any]:
        page = queries.audit_page(session, filters=filters)
        actors, actions = queries.audit_choices(session)
        staff_names: dict[int | None, str] = {s.id: s.username for s in session.exec(select(StaffUser)).all()}
        names = queries.contact_names(session, indicator_ids=sorted(
            {e.indicator_id for e in page.events if e.indicator_id}))
        lines = [queries.describe_event(e, staff_names=staff_names, contact_names=names) for e in page.events]
        return {"page": page, "lines": lines, "actors": actors, "actions": actions}

    data = await _db(request, load, read_only=True)
    query = filters.as_query()
    before = data["page"].next_before
    older = "?" + urlencode({**query, "before": before}) if before else None
    return _render(request, "audit.html", filters=filters, older=older, newest="?" + urlencode(query),
                   **data)


# --- conversations (talk to a person, issue 19) ----------------------------------------------
# Staff see a case number, what the person wrote and their linked reports; never the Telegram
# id, name, username or phone, and never the sealed chat mapping (nothing here reads it).

def _case_id(request: web.Request) -> int:
    try:
        return int(request.match_info["case_id"])
    except ValueError:
        raise web.HTTPNotFound() from None


def _talk_to_group(request: web.Request) -> bool:
    return _state(request).settings.talk_chat_id is not None


async def conversations_page(request: web.Request) -> web.StreamResponse:
    cases = await _db(request, lambda s: talk_repo.list_cases(s), read_only=True)
    return _render(request, "conversations.html", cases=cases)


async def conversation_page(request: web.Request) -> web.StreamResponse:
    case_id = _case_id(request)

    def load(session: Session) -> dict[str, Any] | None:
        case = talk_repo.get_case(session, case_id=case_id)
        if case is None:
            return None
        return {"case": case, "messages": talk_repo.case_messages(session, case_id=case_id),
                "reports": talk_repo.reports_of_case(session, case_id=case_id),
                "history": talk_repo.case_history(session, case_id=case_id)}

    data = await _db(request, load, read_only=True)
    if data is None:
        raise web.HTTPNotFound()
    return _render(request, "conversation.html", max_megabytes=documents.MAX_MEGABYTES, **data)


async def conversation_picture(request: web.Request) -> web.StreamResponse:
    case_id = _case_id(request)
    try:
        message_id = int(request.match_info["message_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    data = await _db(request, lambda s: talk_repo.case_picture(s, case_id=case_id,
                                                               message_id=message_id),
                     read_only=True)
    if data is None:
        raise web.HTTPNotFound()
    return web.Response(body=data, content_type="image/jpeg")


async def conversation_file(request: web.Request) -> web.StreamResponse:
    """A document of the thread (already cleaned: storage.documents), as a download under a
    neutral name; never shown inline, so a PDF or text cannot run in the staff app's origin."""
    case_id = _case_id(request)
    try:
        message_id = int(request.match_info["message_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    found = await _db(request, lambda s: talk_repo.case_file(s, case_id=case_id,
                                                             message_id=message_id),
                      read_only=True)
    if found is None:
        raise web.HTTPNotFound()
    kind, data = found
    name = documents.neutral_name(kind, message_id)
    return web.Response(body=data, headers={
        "Content-Type": documents.CONTENT_TYPES[kind],
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox",
        "Cache-Control": "no-store"})


def _cleaned_upload(upload: web.FileField) -> tuple[str, bytes]:
    """An uploaded picture, PDF or text file cleaned of its metadata (storage.documents):
    (kind, bytes). DocumentRefused for any other file."""
    kind = documents.kind_of(mime_type=upload.content_type, file_name=upload.filename)
    if kind is None:
        raise documents.DocumentRefused("not a relayed kind")
    return kind, documents.clean(kind, upload.file.read(documents.MAX_BYTES + 1))


async def _talk_act(request: web.Request, work: Callable[[Session], Any], done: str) -> web.StreamResponse:
    case_id = _case_id(request)
    try:
        await _db(request, work)
    except talk_repo.TalkClosed as problem:
        return _error(request, 409, str(problem))
    except (LookupError, ValueError) as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/conversations/{case_id}?done={done}")


async def conversation_reply(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    case_id, staff = _case_id(request), _staff(request)
    text = _form_text(form, "text", 3500)
    upload = form.get("picture")
    kind, cleaned = "text", None
    if isinstance(upload, web.FileField) and upload.filename:
        try:
            kind, cleaned = await asyncio.to_thread(_cleaned_upload, upload)
        except documents.DocumentRefused:
            return _error(request, 400, FILE_REFUSED)
    if not text and cleaned is None:
        return _error(request, 400, "Write a message or choose a picture or file.")
    to_group = _talk_to_group(request)
    return await _talk_act(request, lambda s: talk_repo.add_staff_message(
        s, case_id=case_id, author=staff.username, kind=kind,
        text=text or None, source="web", file_data=cleaned, to_group=to_group,
        now=datetime.now(UTC)), "sent")


async def conversation_close(request: web.Request) -> web.StreamResponse:
    case_id, staff = _case_id(request), _staff(request)
    to_group = _talk_to_group(request)
    return await _talk_act(request, lambda s: talk_repo.close_case(
        s, case_id=case_id, actor=staff.username, to_group=to_group, now=datetime.now(UTC)),
        "closed")


async def conversation_urgent(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    case_id, staff = _case_id(request), _staff(request)
    urgent = _form_text(form, "urgent", 4) == "1"
    to_group = _talk_to_group(request)
    return await _talk_act(request, lambda s: talk_repo.set_urgent(
        s, case_id=case_id, urgent=urgent, actor=staff.username, to_group=to_group,
        now=datetime.now(UTC)), "urgent")


@admin_only
async def conversation_block(request: web.Request) -> web.StreamResponse:
    case_id, staff = _case_id(request), _staff(request)
    to_group = _talk_to_group(request)
    return await _talk_act(request, lambda s: talk_repo.block_person(
        s, case_id=case_id, actor=staff.username, to_group=to_group, now=datetime.now(UTC)),
        "talk_blocked")


# --- the application -------------------------------------------------------------------------

@pass_context
def _when(context: Any, value: datetime | None) -> str:
    """A moment in the staff member's chosen time zone (the `tz` of the page), to the minute."""
    if value is None:
        return "—"
    zone = ZoneInfo(context.get("tz") or "UTC")
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _ago(value: datetime | timedelta | None) -> str:
    """How long ago, coarsely: "40 min", "5 h", "3 d"."""
    if value is None:
        return "—"
    age = value if isinstance(value, timedelta) else datetime.now(UTC) - value
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} d"


def create_review_app(settings: ReviewSettings, *, engine: Engine, prefix: str = "/review",
                      throttle: LoginThrottle | None = None,
                      gate: LoginGate | None = None) -> web.Application:
    """The review app; mount it with `parent.add_subapp(prefix, app)` (links assume `prefix`)."""
    templates = Environment(loader=FileSystemLoader(PACKAGE_DIR / "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True),
                            trim_blocks=True, lstrip_blocks=True)
    translator = get_translator(settings.default_locale)
    templates.filters["when"] = _when
    templates.filters["ago"] = _ago
    app = web.Application(middlewares=[body_limits, security_headers, access_control],
                          client_max_size=UPLOAD_LIMIT)
    login_gate = gate or LoginGate()
    app[STATE] = ReviewState(settings=settings, engine=engine, prefix=prefix.rstrip("/"),
                             signer=SessionSigner(settings.session_key, settings.csrf_key),
                             throttle=throttle or LoginThrottle(), gate=login_gate, templates=templates,
                             translator=translator)

    async def close_gate(_app: web.Application) -> None:
        login_gate.close()

    app.on_startup.append(freeze_on_startup)
    app.on_cleanup.append(close_gate)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login_submit)
    app.router.add_post("/logout", logout)
    app.router.add_get("/static/review.css", stylesheet)
    app.router.add_get("/", queue)
    app.router.add_post("/bulk", bulk_action)
    app.router.add_post(r"/alerts/{alert_id:\d+}/send-now", alert_send_now)
    app.router.add_post("/timezone", set_timezone)
    app.router.add_get("/reports/{report_id}", report_page)
    app.router.add_post("/reports/{report_id}/status", report_status)
    app.router.add_post("/reports/{report_id}/claim", report_claim)
    app.router.add_post("/reports/{report_id}/assign", report_assign)
    app.router.add_post("/reports/{report_id}/contacts/{indicator_id}", report_contact_decision)
    app.router.add_post("/reports/{report_id}/block", report_block)
    app.router.add_post("/reports/{report_id}/unblock", report_unblock)
    app.router.add_get("/dashboard", dashboard)
    app.router.add_get("/networks", networks)
    app.router.add_get("/networks/cluster/{report_id}", cluster_page)
    app.router.add_get("/networks/cluster/{report_id}/export.json", cluster_export)
    app.router.add_get("/networks/contact/{indicator_id}", contact_page)
    app.router.add_get("/safelist", safelist_page)
    app.router.add_post("/safelist", safelist_add)
    app.router.add_post("/safelist/seed", safelist_seed)
    app.router.add_post("/safelist/{entry_id}/delete", safelist_remove)
    app.router.add_get("/agencies", agencies_page)
    app.router.add_post("/agencies/import", agencies_import)
    app.router.add_get("/export.csv", export_csv)
    app.router.add_get("/export.json", export_json)
    app.router.add_get("/export/stix.json", export_stix)
    app.router.add_get("/export/misp.json", export_misp)
    app.router.add_get("/partners", partners_page)
    app.router.add_get(r"/partners/{partner_id:\d+}", partner_page)
    app.router.add_post("/partners", partners_add)
    app.router.add_post("/partners/rotate", partners_rotate)
    app.router.add_post("/partners/revoke", partners_revoke)
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/conversations", conversations_page)
    app.router.add_get("/conversations/{case_id}", conversation_page)
    app.router.add_get("/conversations/{case_id}/pictures/{message_id}", conversation_picture)
    app.router.add_get("/conversations/{case_id}/files/{message_id}", conversation_file)
    app.router.add_post("/conversations/{case_id}/reply", conversation_reply)
    app.router.add_post("/conversations/{case_id}/close", conversation_close)
    app.router.add_post("/conversations/{case_id}/urgent", conversation_urgent)
    app.router.add_post("/conversations/{case_id}/block", conversation_block)
    return app


def create_standalone_app(settings: ReviewSettings, *, engine: Engine,
                          gate: LoginGate | None = None) -> web.Application:
    """`python -m bot review`: the review app alone, still under /review so links are the same,
    with the partner API beside it under /api/v1."""
    # The root app's limit is the one aiohttp applies (also to sub-apps): room for agency CSVs.
    root = web.Application(client_max_size=UPLOAD_LIMIT)
    server_limits.install(root)  # header, body and idle deadlines (review/server.py)
    root.add_subapp("/review", create_review_app(settings, engine=engine, gate=gate))
    root.add_subapp("/api/v1", create_api_app(settings, engine=engine))

    async def to_review(_request: web.Request) -> web.StreamResponse:
        return _redirect("/review/")

    root.router.add_get("/", to_review)
    return root


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
from urllib.parse import urlencode, urlsplit

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from locales.i18n import Translator, get_translator
from review import queries
from review.agencies import AgencyCsvError, import_agencies, parse_agency_csv
from review.api import create_api_app
from review.auth import (
    ABSOLUTE_TIMEOUT,
    REFRESH_AFTER,
    LoginThrottle,
    SessionSigner,
    SessionToken,
    password_fingerprint,
    verify_password,
)
from review.charts import RISK_COLOURS, bar_chart, column_chart, drawable_edges, network_svg
from review.misp import confirmed_identities, misp_json
from review.settings import ReviewSettings
from review.stix import stix_json
from screening.rules import default_rules
from storage import partners as partner_repo
from storage import reports as report_repo
from storage.db import session_scope
from storage.identity import identity_of
from storage.models import (
    Indicator,
    Report,
    ReportKind,
    ReportStatus,
    ReviewEvent,
    StaffUser,
)
from storage.staff import get_staff_user

PACKAGE_DIR = Path(__file__).resolve().parent
COOKIE_NAME = "lurecheck_review"
UPLOAD_LIMIT = 20 * 1024 * 1024
LOGIN_CSRF_COOKIE = "lurecheck_review_login"
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
    "revoked": "Partner key revoked: it stops working at once.",
}


@dataclass
class ReviewState:
    settings: ReviewSettings
    engine: Engine
    prefix: str
    signer: SessionSigner
    throttle: LoginThrottle
    templates: Environment
    translator: Translator
    # Drop-down choices (countries, languages) change slowly and cost a scan: cached briefly.
    choice_cache: dict[str, tuple[float, list[str]]] = field(default_factory=dict)


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
        prefix=state.prefix, staff=staff, is_admin=bool(staff and queries.is_admin(staff)),
        csrf=state.signer.csrf_token(token) if token else "", _=state.translator.gettext,
        t=state.translator, notice=state.translator.gettext(notice) if notice else None, **context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _error(request: web.Request, status: int, message: str) -> web.Response:
    return _render(request, "error.html", status=status, message=message)


# --- middlewares -----------------------------------------------------------------------------

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
        if staff is None or staff.disabled or password_fingerprint(staff.password_hash) != token.fingerprint:
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
    response = await handler(request)
    if time.time() - token.last_seen > REFRESH_AFTER and not response.prepared:
        # Slide the idle timeout while someone works.
        _set_cookie(request, response, COOKIE_NAME, state.signer.dumps(state.signer.touched(token)),
                    max_age=ABSOLUTE_TIMEOUT)
    return response


# --- login / logout --------------------------------------------------------------------------

def _safe_next(state: ReviewState, target: str | None) -> str:
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


@public
async def login_submit(request: web.Request) -> web.StreamResponse:
    state = _state(request)
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
    staff = await _db(request, lambda session: get_staff_user(session, username=username), read_only=True)
    valid = await asyncio.to_thread(verify_password, staff.password_hash if staff else None, password)
    if staff is None or staff.disabled or not valid or staff.id is None:
        state.throttle.record_failure(username=username, address=address)
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
    username = _staff(request).username
    await _db(request, lambda session: queries.record_event(session, actor=username, action="logout"))
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
    filters = queries.parse_queue_filter(request.query)
    staff = _staff(request)
    countries_of = _choices(request, "country", col(Report.country))
    languages_of = _choices(request, "language", col(Report.language))

    def load(session: Session) -> dict[str, Any]:
        return {
            "page": queries.queue_page(session, filters=filters, staff_id=staff.id),
            "countries": countries_of(session), "languages": languages_of(session),
            "staff_list": queries.active_staff(session),
        }

    data = await _db(request, load, read_only=True)
    query = filters.as_query()
    return _render(request, "queue.html", filters=filters, query=query,
                   query_string=urlencode(query), statuses=[s.value for s in ReportStatus],
                   kinds=[k.value for k in ReportKind], risks=queries.RISK_ORDER, sorts=queries.SORTS,
                   page_link=lambda number: "?" + urlencode({**query, "page": number}), **data)


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
            "history": queries.report_history(session, report_id=report_id, indicator_ids=indicator_ids),
            "reporter_reports": queries.reporter_report_count(session, reporter_key=report.reporter_key),
            "reporter_blocked": queries.is_reporter_blocked(session, reporter_key=report.reporter_key),
            "staff_list": queries.active_staff(session),
            "staff_names": {s.id: s.username for s in session.exec(select(StaffUser)).all()},
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
    return _render(request, "report.html", flags=_flag_texts(list(report.flag_ids or [])),
                   statuses=[s.value for s in ReportStatus], network=network,
                   reporter_label=report.reporter_key[:10], **data)


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
    try:
        status = ReportStatus(status_text)
    except ValueError:
        return _error(request, 400, "Unknown status.")
    outcome = {"done": "status"}

    def work(session: Session) -> None:
        report = session.get(Report, report_id)
        if report is None:
            raise queries.ReviewError("No such report.")
        if report.status == status:
            if not note:
                raise queries.ReviewError("Nothing to save: choose a new status or write a note.")
            report_repo.add_review_note(session, actor=staff, report_id=report_id, note=note)
            outcome["done"] = "note"
        else:
            queries.change_status(session, report_id=report_id, status=status, staff=staff, note=note)

    try:
        await _db(request, work)
    except (queries.ReviewError, LookupError) as problem:
        return _error(request, 400, str(problem))
    return _redirect(f"{_state(request).prefix}/reports/{report_id}?done={outcome['done']}")


async def report_claim(request: web.Request) -> web.StreamResponse:
    report_id, staff = _report_id(request), _staff(request)
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

    def work(session: Session) -> None:
        linked = session.exec(select(Indicator.id).where(Indicator.id == indicator_id)).first()
        if linked is None:
            raise queries.ReviewError("No such contact.")
        # Audited by storage as a "confirm" event of the contact, shown in every report naming it.
        queries.set_indicator_decision(session, indicator_id=indicator_id, confirmed=decision == "confirm",
                                       staff=staff, note=_form_text(form, "note") or None)

    return await _act(request, work, "confirmed" if decision == "confirm" else "rejected", "#contacts")


@admin_only
async def report_block(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    report_id, staff = _report_id(request), _staff(request)
    note = _form_text(form, "note") or None
    return await _act(request, lambda s: queries.block_reporter_of(s, report_id=report_id, staff=staff,
                                                                   note=note), "blocked")


# --- dashboard and networks ------------------------------------------------------------------

async def dashboard(request: web.Request) -> web.StreamResponse:
    since = datetime.now(UTC) - timedelta(days=90)

    def load(session: Session) -> dict[str, Any]:
        return {
            "per_day": queries.reports_per_day(session, days=30),
            "by_country": report_repo.counts_per_country(session, since=since)[:15],
            "by_kind": report_repo.counts_per_kind(session, since=since),
            "by_language": report_repo.counts_per_language(session, since=since)[:15],
            "by_risk": report_repo.counts_per_risk(session, since=since),
            "by_status": queries.count_by(session, column=col(Report.status), since=since),
            "top": queries.top_contacts(session, limit=15, since=since),
            "feedback": partner_repo.recent_feedback(session, limit=20),
            "feedback_counts": partner_repo.feedback_counts(session, since=since),
        }

    data = await _db(request, load, read_only=True)

    def labelled(rows: list[tuple[str | None, int]]) -> list[tuple[str, int]]:
        return [(label or "—", count) for label, count in rows]

    charts = [
        column_chart([(day.isoformat()[5:], count) for day, count in data["per_day"]],
                     title="Reports per day, last 30 days"),
        bar_chart(labelled(data["by_country"]), title="By country (90 days, counted reports)"),
        bar_chart(labelled(data["by_kind"]), title="By kind"),
        bar_chart(labelled(data["by_language"]), title="By language"),
        bar_chart(labelled(data["by_risk"]), title="By risk", colours=RISK_COLOURS),
        bar_chart(labelled(data["by_status"]), title="By status (all reports)"),
    ]
    return _render(request, "dashboard.html", charts=charts, top=data["top"], feedback=data["feedback"],
                   feedback_counts=data["feedback_counts"])


NETWORK_KINDS = ("phone", "telegram", "whatsapp", "line", "wechat", "email", "url", "domain", "wallet")


async def networks(request: web.Request) -> web.StreamResponse:
    kinds = [kind for kind in request.query.getall("kind", []) if kind in NETWORK_KINDS]
    try:
        days = max(1, min(int(request.query.get("days") or 90), 3650))
    except ValueError:
        days = 90
    since = datetime.now(UTC) - timedelta(days=days)
    clusters = await _db(request, lambda s: queries.contact_clusters(s, since=since, kinds=kinds),
                         read_only=True)
    # The picture is capped (legibility, and the layout is quadratic); the list shows everything.
    drawn, truncated = drawable_edges([cluster.edges for cluster in clusters])
    href = _state(request).prefix + "/reports/{id}"
    picture = await asyncio.to_thread(network_svg, drawn, report_href=href,
                                      title="clusters of reports sharing contacts") if drawn else None
    return _render(request, "networks.html", clusters=clusters, picture=picture, kinds=kinds,
                   all_kinds=NETWORK_KINDS, days=days, truncated=truncated)


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
    """Copy the verified hotline numbers and sites (handlers.content) into the safelist."""
    from handlers.content import official_contacts

    added = 0
    for contact in official_contacts():
        report_repo.add_safelist(session, type=contact.type, value=contact.value, label=contact.label,
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
    filters = queries.parse_queue_filter(request.query)
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
        queries.record_event(session, actor=username, action="export",
                             new=f"stix: {len(confirmed)} confirmed contacts")
        return stix_json(confirmed)

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
    events = await _db(request, lambda s: list(s.exec(
        select(ReviewEvent).order_by(col(ReviewEvent.id).desc()).limit(300)).all()), read_only=True)
    return _render(request, "audit.html", events=events)


# --- the application -------------------------------------------------------------------------

def create_review_app(settings: ReviewSettings, *, engine: Engine, prefix: str = "/review",
                      throttle: LoginThrottle | None = None) -> web.Application:
    """The review app; mount it with `parent.add_subapp(prefix, app)` (links assume `prefix`)."""
    templates = Environment(loader=FileSystemLoader(PACKAGE_DIR / "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True),
                            trim_blocks=True, lstrip_blocks=True)
    translator = get_translator(settings.default_locale)
    templates.filters["when"] = lambda value: translator.date(value) if value else "—"
    app = web.Application(middlewares=[security_headers, access_control], client_max_size=UPLOAD_LIMIT)
    app[STATE] = ReviewState(settings=settings, engine=engine, prefix=prefix.rstrip("/"),
                             signer=SessionSigner(settings.pseudonym_key),
                             throttle=throttle or LoginThrottle(), templates=templates, translator=translator)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login_submit)
    app.router.add_post("/logout", logout)
    app.router.add_get("/static/review.css", stylesheet)
    app.router.add_get("/", queue)
    app.router.add_get("/reports/{report_id}", report_page)
    app.router.add_post("/reports/{report_id}/status", report_status)
    app.router.add_post("/reports/{report_id}/claim", report_claim)
    app.router.add_post("/reports/{report_id}/assign", report_assign)
    app.router.add_post("/reports/{report_id}/contacts/{indicator_id}", report_contact_decision)
    app.router.add_post("/reports/{report_id}/block", report_block)
    app.router.add_get("/dashboard", dashboard)
    app.router.add_get("/networks", networks)
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
    app.router.add_post("/partners", partners_add)
    app.router.add_post("/partners/rotate", partners_rotate)
    app.router.add_post("/partners/revoke", partners_revoke)
    app.router.add_get("/audit", audit_page)
    return app


def create_standalone_app(settings: ReviewSettings, *, engine: Engine) -> web.Application:
    """`python -m bot review`: the review app alone, still under /review so links are the same,
    with the partner API beside it under /api/v1."""
    # The root app's limit is the one aiohttp applies (also to sub-apps): room for agency CSVs.
    root = web.Application(client_max_size=UPLOAD_LIMIT)
    root.add_subapp("/review", create_review_app(settings, engine=engine))
    root.add_subapp("/api/v1", create_api_app(settings, engine=engine))

    async def to_review(_request: web.Request) -> web.StreamResponse:
        return _redirect("/review/")

    root.router.add_get("/", to_review)
    return root


"""Security properties of the review app, through a real HTTP client on loopback."""

from __future__ import annotations

import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from review.app import COOKIE_NAME, STATE
from review.auth import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, LoginThrottle, SessionSigner, hash_password
from storage.db import session_scope
from storage.models import Report, ReportStatus, StaffUser
from storage.staff import get_staff_user
from tests.review.conftest import ADMIN, REVIEWER, XSS_NARRATIVE, Seeded, hidden_field, log_in


def _review_app(client: TestClient) -> web.Application:
    root = client.app
    assert root is not None
    sub = next(r for r in root.router.resources() if isinstance(r, web.PrefixedSubAppResource))
    return sub._app


def _routes(client: TestClient, seeded: Seeded) -> list[tuple[str, str, str]]:
    """(method, path, access) of every route of the review app, with real ids filled in."""
    routes = []
    for route in _review_app(client).router.routes():
        if route.method == "HEAD":
            continue
        info = route.resource.get_info() if route.resource else {}
        template = info.get("formatter") or info.get("path") or ""
        path = template.format(report_id=seeded.scam_report_id, indicator_id=1, entry_id=1, case_id=1,
                               message_id=1, partner_id=1, alert_id=1)
        # Plain resources report their path relative to the sub-app, dynamic ones with the prefix.
        path = path if path.startswith("/review/") else "/review" + path
        routes.append((route.method, path, getattr(route.handler, "review_access", "staff")))
    return routes


async def test_every_page_and_action_refuses_anonymous_access(client: TestClient, seeded: Seeded) -> None:
    routes = _routes(client, seeded)
    assert len(routes) >= 20
    for method, path, access in routes:
        if access == "public":
            continue
        response = await client.request(method, path, allow_redirects=False, data={"csrf": "x"})
        if method == "GET":
            assert response.status == 303, path
            assert response.headers["Location"].startswith("/review/login?next="), path
        else:
            assert response.status == 401, path
        assert "narrative" not in (await response.text()).lower()


async def test_reviewers_cannot_use_admin_routes(client: TestClient, seeded: Seeded,
                                                 engine: Engine) -> None:
    csrf = await log_in(client, *REVIEWER)
    admin_routes = [(m, p) for m, p, access in _routes(client, seeded) if access == "admin"]
    assert {p.rsplit("/", 1)[-1] for _m, p in admin_routes} >= {
        "export.csv", "export.json", "stix.json", "block", "assign", "import", "seed", "delete", "safelist"}
    for method, path in admin_routes:
        response = await client.request(method, path, data={"csrf": csrf, "assignee": "1", "value": "1300",
                                                            "label": "x", "source": "y"})
        assert response.status == 403, path
    with session_scope(engine, read_only=True) as session:
        report = session.get(Report, seeded.scam_report_id)
        assert report is not None and report.status == ReportStatus.new
    # …while reviewer work itself is allowed.
    allowed = await client.post(f"/review/reports/{seeded.scam_report_id}/claim", data={"csrf": csrf})
    assert allowed.status == 200


async def test_posts_without_the_csrf_token_are_refused(client: TestClient, seeded: Seeded,
                                                        engine: Engine) -> None:
    csrf = await log_in(client, *ADMIN)
    url = f"/review/reports/{seeded.scam_report_id}/status"
    missing = await client.post(url, data={"status": "spam"})
    wrong = await client.post(url, data={"status": "spam", "csrf": csrf[:-2] + "xx"})
    foreign = await client.post(url, data={"status": "spam", "csrf": csrf},
                                headers={"Origin": "https://evil.example"})
    assert (missing.status, wrong.status, foreign.status) == (403, 403, 403)
    with session_scope(engine, read_only=True) as session:
        report = session.get(Report, seeded.scam_report_id)
        assert report is not None and report.status == ReportStatus.new
    accepted = await client.post(url, data={"status": "spam", "csrf": csrf}, allow_redirects=False)
    assert accepted.status == 303


async def test_login_form_needs_its_own_token(client: TestClient) -> None:
    response = await client.post("/review/login", data={"username": ADMIN[0], "password": ADMIN[1]},
                                 allow_redirects=False)
    assert response.status == 403
    assert COOKIE_NAME not in response.cookies


async def test_hostile_narrative_is_shown_inert(client: TestClient, seeded: Seeded, engine: Engine) -> None:
    await log_in(client, *ADMIN)
    page = await (await client.get(f"/review/reports/{seeded.xss_report_id}")).text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert "&#39;; DROP TABLE report; --" in page
    queue = await (await client.get("/review/?country=TH")).text()
    assert "<script>alert" not in queue and "&lt;script&gt;" in queue
    # SQL metacharacters in a search are data, not SQL: nothing matches, nothing breaks.
    search = await client.get("/review/", params={"contact": "' OR 1=1 --", "status": "new"})
    assert search.status == 200
    assert re.search(r"\(0 reports\)", await search.text())
    with session_scope(engine, read_only=True) as session:
        assert session.exec(select(func.count()).select_from(Report)).one() == 64
        report = session.get(Report, seeded.xss_report_id)
        assert report is not None and report.narrative is not None
        assert "<script>alert('pwned')</script>" in report.narrative
    assert "<script>" not in XSS_NARRATIVE.replace("<script>alert", "")  # the fixture is what we think


async def test_wrong_passwords_are_throttled(client: TestClient) -> None:
    for _attempt in range(5):
        page = await client.get("/review/login")
        token = hidden_field(await page.text(), "login_token")
        wrong = await client.post("/review/login", data={"login_token": token, "username": ADMIN[0],
                                                         "password": "guess"}, allow_redirects=False)
        assert wrong.status == 401
    page = await client.get("/review/login")
    token = hidden_field(await page.text(), "login_token")
    blocked = await client.post("/review/login", data={"login_token": token, "username": ADMIN[0],
                                                       "password": ADMIN[1]}, allow_redirects=False)
    assert blocked.status == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert COOKIE_NAME not in blocked.cookies
    # Another account from the same address is not locked out by these failures.
    await log_in(client, *REVIEWER)


def test_throttle_window_slides() -> None:
    throttle = LoginThrottle(limit=2, window=100)
    for moment in (0, 10):
        throttle.record_failure(username="Ana", address="1.2.3.4", now=moment)
    # The failure at 0 ages out at 100, and then one failure in the window is under the limit.
    assert throttle.retry_after(username="ana", address="1.2.3.4", now=20) == pytest.approx(80)
    assert throttle.retry_after(username="ana", address="5.6.7.8", now=20) == 0
    assert throttle.retry_after(username="ana", address="1.2.3.4", now=101) == 0


async def test_session_cookie_flags_and_logout(client: TestClient) -> None:
    page = await client.get("/review/login")
    token = hidden_field(await page.text(), "login_token")
    response = await client.post("/review/login", allow_redirects=False,
                                 headers={"X-Forwarded-Proto": "https"},
                                 data={"login_token": token, "username": ADMIN[0], "password": ADMIN[1]})
    cookie = response.headers.getall("Set-Cookie")
    session_cookie = next(c for c in cookie if c.startswith(COOKIE_NAME + "="))
    assert "HttpOnly" in session_cookie and "SameSite=Strict" in session_cookie
    assert "Secure" in session_cookie and "Path=/review/" in session_cookie
    old_cookie = response.cookies[COOKIE_NAME].value
    # The client speaks plain http to the test server, so it holds back a Secure cookie: hand it over.
    client.session.cookie_jar.update_cookies({COOKIE_NAME: old_cookie})
    queue = await (await client.get("/review/")).text()
    assert (await client.post("/review/logout", data={"csrf": hidden_field(queue, "csrf")},
                              allow_redirects=False)).status == 303
    # Replaying the old session after logout does not work.
    client.session.cookie_jar.update_cookies({COOKIE_NAME: old_cookie})
    replay = await client.get("/review/", allow_redirects=False)
    assert replay.status == 303


async def test_password_reset_and_disabling_end_sessions(client: TestClient, engine: Engine) -> None:
    await log_in(client, *REVIEWER)
    with session_scope(engine) as session:
        user = get_staff_user(session, username=REVIEWER[0])
        assert user is not None
        user.password_hash = hash_password("a brand new passphrase")
        session.add(user)
    assert (await client.get("/review/", allow_redirects=False)).status == 303
    await log_in(client, REVIEWER[0], "a brand new passphrase")
    with session_scope(engine) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == REVIEWER[0])).one()
        user.disabled = True
        session.add(user)
    assert (await client.get("/review/", allow_redirects=False)).status == 303


def test_session_tokens_expire_and_reject_tampering() -> None:
    signer = SessionSigner(b"k" * 32, b"c" * 32)
    token = signer.new_session(staff_id=1, password_hash="$argon2id$x", now=1_000_000)
    cookie = signer.dumps(token)
    assert signer.loads(cookie, now=1_000_000 + IDLE_TIMEOUT - 1) == token
    assert signer.loads(cookie, now=1_000_000 + IDLE_TIMEOUT + 1) is None
    touched = signer.touched(token, now=1_000_000 + ABSOLUTE_TIMEOUT - 10)
    assert signer.loads(signer.dumps(touched), now=1_000_000 + ABSOLUTE_TIMEOUT + 1) is None
    payload, signature = cookie.split(".")
    assert signer.loads(payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature,
                        now=1_000_000) is None
    assert SessionSigner(b"x" * 32, b"c" * 32).loads(cookie, now=1_000_000) is None
    assert not signer.csrf_ok(token, None) and signer.csrf_ok(token, signer.csrf_token(token))


async def test_security_headers(client: TestClient) -> None:
    response = await client.get("/review/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert _review_app(client)[STATE].prefix == "/review"


async def test_login_never_redirects_off_site(client: TestClient) -> None:
    for target, expected in (("https://evil.example/", "/review/"), ("//evil.example/x", "/review/"),
                             ("/review/\\evil", "/review/"), ("/review/dashboard", "/review/dashboard")):
        page = await client.get("/review/login")
        token = hidden_field(await page.text(), "login_token")
        response = await client.post("/review/login", allow_redirects=False, data={
            "login_token": token, "username": ADMIN[0], "password": ADMIN[1], "next": target})
        assert response.headers["Location"] == expected, target


async def test_idle_sessions_slide_while_staff_work(client: TestClient, seeded: Seeded,
                                                    engine: Engine) -> None:
    import time

    signer = _review_app(client)[STATE].signer
    with session_scope(engine, read_only=True) as session:
        admin = get_staff_user(session, username=ADMIN[0])
        assert admin is not None and admin.id is not None
    started = signer.new_session(staff_id=admin.id, password_hash=admin.password_hash,
                                 now=time.time() - 600)
    client.session.cookie_jar.update_cookies({COOKIE_NAME: signer.dumps(started)})
    response = await client.get("/review/", allow_redirects=False)
    assert response.status == 200
    renewed = signer.loads(response.cookies[COOKIE_NAME].value)
    assert renewed is not None and renewed.session_id == started.session_id
    assert renewed.last_seen > started.last_seen and renewed.issued_at == started.issued_at

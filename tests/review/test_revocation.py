"""Issue 17: logout and disabling stick — in the database, across restarts and instances; and a
control character in next= after a successful login is handled."""

from __future__ import annotations

import argparse
import io

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from bot.config import Settings
from review.app import COOKIE_NAME, create_standalone_app
from review.cli import add_review_subcommands, run_review_command
from tests.review.conftest import ADMIN, REVIEWER, Seeded, hidden_field, log_in


async def _another_instance_accepts(settings: Settings, engine: Engine, cookie: str) -> bool:
    """A fresh app (a restart, or another instance): does it take this session cookie?"""
    server = TestServer(create_standalone_app(settings, engine=engine), host="127.0.0.1")
    async with TestClient(server) as other:
        other.session.cookie_jar.update_cookies({COOKIE_NAME: cookie})
        response = await other.get("/review/", allow_redirects=False)
        return response.status == 200


def _cli(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_review_subcommands(parser.add_subparsers(dest="command"))
    return run_review_command(parser.parse_args(list(argv)), settings, stdin=io.StringIO(""),
                              stdout=io.StringIO())


async def test_logout_sticks_after_a_restart_and_in_other_instances(
        client: TestClient, settings: Settings, engine: Engine, seeded: Seeded) -> None:
    await log_in(client, *REVIEWER)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/review/"))[COOKIE_NAME].value
    assert await _another_instance_accepts(settings, engine, cookie)
    queue = await (await client.get("/review/")).text()
    assert (await client.post("/review/logout", data={"csrf": hidden_field(queue, "csrf")},
                              allow_redirects=False)).status == 303
    assert not await _another_instance_accepts(settings, engine, cookie)
    # Logging in again works at once.
    await log_in(client, *REVIEWER)


async def test_disable_then_enable_does_not_revive_old_cookies(
        client: TestClient, settings: Settings, engine: Engine, seeded: Seeded) -> None:
    await log_in(client, *REVIEWER)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/review/"))[COOKIE_NAME].value
    assert _cli(settings, "staff", "disable", REVIEWER[0]) == 0
    assert not await _another_instance_accepts(settings, engine, cookie)
    assert _cli(settings, "staff", "enable", REVIEWER[0]) == 0
    assert not await _another_instance_accepts(settings, engine, cookie)


@pytest.mark.parametrize("bad", ["\r\nSet-Cookie: x=1", "\n", "\t", "\x00", "%0d%0a"])
async def test_control_characters_in_next_land_on_the_queue(client: TestClient, seeded: Seeded,
                                                            bad: str) -> None:
    page = await client.get("/review/login")
    token = hidden_field(await page.text(), "login_token")
    response = await client.post("/review/login", allow_redirects=False, data={
        "login_token": token, "username": ADMIN[0], "password": ADMIN[1],
        "next": "/review/reports/1" + bad})
    assert response.status == 303
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]
    if bad != "%0d%0a":  # percent-encoded is harmless text in a path
        assert response.headers["Location"] == "/review/"

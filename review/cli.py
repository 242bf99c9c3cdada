"""`python -m bot staff …` and `python -m bot review …`: staff accounts and the review app alone.

    staff add USERNAME [--role admin|reviewer]   create an account
    staff reset USERNAME                         set a new password (ends its sessions)
    staff disable USERNAME / staff enable USERNAME
    staff list
    review [--host H] [--port N]                 serve the review app alone, under /review
    review import-agencies FILE.csv [--replace]  load the licensed-agency list
    review seed-safelist                         copy the verified hotlines into the safelist
    review safelist-add VALUE --label L --source S [--country CC]

Passwords are read from stdin when it is not a terminal (`echo pw | … staff add ana`), asked
for twice on a terminal, or generated and printed once with `--generate`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlmodel import select

from review import queries
from review.agencies import AgencyCsvError, import_agencies, parse_agency_csv
from review.app import create_standalone_app, seed_safelist
from review.auth import generate_password, hash_password
from review.server import serve_forever
from review.settings import ReviewSettings
from storage.db import create_db_engine, migrate, session_scope
from storage.models import StaffRole, StaffUser, utcnow
from storage.staff import create_staff_user, get_staff_user

MIN_PASSWORD_LENGTH = 12


def add_review_subcommands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = subparsers.add_parser("staff", help="manage staff accounts of the review app")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="create a staff account")
    add.add_argument("username")
    add.add_argument("--role", choices=[role.value for role in StaffRole], default=StaffRole.reviewer.value)
    add.add_argument("--generate", action="store_true", help="generate a password and print it once")
    reset = staff_sub.add_parser("reset", help="set a new password; ends the account's sessions")
    reset.add_argument("username")
    reset.add_argument("--generate", action="store_true", help="generate a password and print it once")
    for name in ("disable", "enable"):
        staff_sub.add_parser(name, help=f"{name} an account").add_argument("username")
    staff_sub.add_parser("list", help="list accounts")

    review = subparsers.add_parser("review", help="serve the staff review app alone, or manage its lists")
    review.add_argument("--host", default="127.0.0.1")
    review.add_argument("--port", type=int, default=8090)
    review_sub = review.add_subparsers(dest="review_command", required=False)
    agencies = review_sub.add_parser("import-agencies", help="load the licensed recruitment agencies CSV")
    agencies.add_argument("file", type=Path)
    agencies.add_argument("--replace", action="store_true", help="the file is the whole current list")
    review_sub.add_parser("seed-safelist", help="copy the verified hotline contacts into the safelist")
    safelist = review_sub.add_parser("safelist-add", help="add an official number, handle or site")
    safelist.add_argument("value")
    safelist.add_argument("--label", required=True)
    safelist.add_argument("--source", required=True)
    safelist.add_argument("--country", default=None, help="country of a local number (e.g. TH)")


def _read_password(*, generate: bool, stdin: TextIO, stdout: TextIO) -> str | None:
    if generate:
        password = generate_password()
        print(f"password (shown once, store it now): {password}", file=stdout)
        return password
    if stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("lurecheck: the passwords differ", file=sys.stderr)
            return None
    else:
        password = stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_LENGTH:
        print(f"lurecheck: a staff password needs at least {MIN_PASSWORD_LENGTH} characters", file=sys.stderr)
        return None
    return password


def run_review_command(args: argparse.Namespace, settings: ReviewSettings, *, stdin: TextIO | None = None,
                       stdout: TextIO | None = None) -> int:
    """Run `staff …` or `review …`; returns the process exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    migrate(settings.database_url)
    engine = create_db_engine(settings.database_url)
    try:
        if args.command == "staff":
            return _staff_command(args, engine, stdin=stdin, stdout=stdout)
        if getattr(args, "review_command", None):
            return _list_command(args, engine, stdout=stdout)
        print(f"review app on http://{args.host}:{args.port}/review/", file=stdout)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_forever(create_standalone_app(settings, engine=engine), host=args.host,
                                      port=args.port))
        return 0
    finally:
        engine.dispose()


def _staff_command(args: argparse.Namespace, engine: Engine, *, stdin: TextIO, stdout: TextIO) -> int:
    command = args.staff_command
    with session_scope(engine) as session:
        if command == "list":
            for account in session.exec(select(StaffUser).order_by(StaffUser.username)).all():
                state = "disabled" if account.disabled else "active"
                print(f"{account.username}\t{account.role.value}\t{state}", file=stdout)
            return 0
        username = args.username.strip()
        user = get_staff_user(session, username=username)
        if command == "add":
            if not username or len(username) > 64:
                print("lurecheck: a username has 1 to 64 characters", file=sys.stderr)
                return 2
            if user is not None:
                print(f"lurecheck: {username} exists already (use staff reset)", file=sys.stderr)
                return 1
            password = _read_password(generate=args.generate, stdin=stdin, stdout=stdout)
            if password is None:
                return 2
            create_staff_user(session, username=username, password_hash=hash_password(password),
                              role=StaffRole(args.role))
            queries.record_event(session, actor="cli", action="staff_add", new=f"{username} ({args.role})")
            print(f"created {username} ({args.role})", file=stdout)
            return 0
        if user is None:
            print(f"lurecheck: no staff account {username}", file=sys.stderr)
            return 1
        if command == "reset":
            password = _read_password(generate=args.generate, stdin=stdin, stdout=stdout)
            if password is None:
                return 2
            user.password_hash = hash_password(password)
            action = "staff_reset"
        else:
            user.disabled = command == "disable"
            # Old cookies never come back: not after disabling, nor after re-enabling.
            user.sessions_valid_after = utcnow()
            action = f"staff_{command}"
        session.add(user)
        queries.record_event(session, actor="cli", action=action, new=username)
        print(f"{command}: {username} done", file=stdout)
        return 0


def _list_command(args: argparse.Namespace, engine: Engine, *, stdout: TextIO) -> int:
    with session_scope(engine) as session:
        if args.review_command == "import-agencies":
            try:
                agencies = parse_agency_csv(args.file.read_bytes())
            except (OSError, AgencyCsvError, UnicodeDecodeError) as problem:
                print(f"lurecheck: {args.file}: {problem}", file=sys.stderr)
                return 1
            count = import_agencies(session, agencies=agencies, source_name=args.file.name, actor="cli",
                                    replace=args.replace)
            print(f"imported {count} agencies", file=stdout)
            return 0
        if args.review_command == "seed-safelist":
            print(f"safelist: {seed_safelist(session, actor='cli')} official contacts", file=stdout)
            return 0
        try:
            entry = queries.add_safelist_entry(session, raw=args.value, label=args.label, source=args.source,
                                               actor="cli", default_region=args.country)
        except queries.ReviewError as problem:
            print(f"lurecheck: {problem}", file=sys.stderr)
            return 1
        print(f"safelisted {entry.type}:{entry.value}", file=stdout)
        return 0

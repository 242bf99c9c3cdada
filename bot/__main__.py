"""Command line: `python -m bot <command>` (also installed as `lurecheck`).

    run        the bot: webhook server when WEBHOOK_URL is set, else long polling;
               without TELEGRAM_BOT_TOKEN, the local sandbox
    sandbox    chat with the bot in this terminal, against the built-in Bot API emulator
    emulator   the Bot API emulator alone, for running the bot as a separate process
    migrate    create or update the database schema
    partner    keys of the partner look-up API: add NAME [--scope lookup,feed,feedback]
               [--rate N] | list | revoke NAME | rotate NAME (a key is printed once)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.app import build_application
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from bot.sandbox import run_sandbox
from bot.web import run_webhook_server
from emulator import serve
from review.cli import add_review_subcommands, run_review_command
from storage import partners
from storage.db import create_db_engine, migrate, session_scope

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lurecheck", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (polling, webhook, or the sandbox without a token)")
    run.add_argument("--staff-web", type=int, nargs="?", const=0, default=None, metavar="PORT",
                     help="sandbox only (no token): also serve the staff web app on 127.0.0.1 "
                          "with a login for this run only")
    sandbox = sub.add_parser("sandbox", help="chat with the bot in the terminal, no token needed")
    sandbox.add_argument("--lang", default=None, help="the simulated user's Telegram language_code")
    sandbox.add_argument("--user-id", type=int, default=1000001)
    sandbox.add_argument("--db", default=None, help="database URL (default: DATABASE_URL)")
    sandbox.add_argument("--staff-web", type=int, nargs="?", const=0, default=None, metavar="PORT",
                         help="also serve the staff web app on 127.0.0.1 (PORT, or any free port) "
                              "with a login for this run only")
    emulator = sub.add_parser("emulator", help="run the Telegram Bot API emulator")
    emulator.add_argument("--port", type=int, default=8081)
    sub.add_parser("migrate", help="create or update the database schema")
    add_review_subcommands(sub)
    partner = sub.add_parser("partner", help="keys of the partner look-up API (/api/v1)")
    partner_sub = partner.add_subparsers(dest="partner_command", required=True)
    add = partner_sub.add_parser("add", help="a new partner; prints its API key once")
    add.add_argument("name")
    add.add_argument("--scope", default="lookup", help="comma-separated: lookup,feed,feedback")
    add.add_argument("--rate", type=int, default=partners.DEFAULT_RATE_PER_MINUTE,
                     help="values looked up per minute (split between instances)")
    partner_sub.add_parser("list", help="list partners")
    partner_sub.add_parser("revoke", help="stop a partner's key at once").add_argument("name")
    partner_sub.add_parser("rotate", help="a new key (printed once); the old one stops").add_argument("name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"lurecheck: configuration error: {error}", file=sys.stderr)
        return 2
    interactive_sandbox = args.command == "sandbox" or (
        args.command == "run" and settings.telegram_bot_token is None)
    configure_logging("WARNING" if interactive_sandbox else settings.log_level,
                      json_lines=not interactive_sandbox,
                      secrets=(settings.telegram_bot_token, settings.webhook_secret,
                               settings.secret_key, settings.previous_secret_key))
    if args.command in ("staff", "review"):
        return run_review_command(args, settings)
    if args.command == "migrate":
        return _migrate(settings)
    if args.command == "partner":
        return _partner_command(args, settings)
    if args.command == "emulator":
        asyncio.run(serve(args.port))
        return 0
    if interactive_sandbox:
        lang = getattr(args, "lang", None)
        user_id = getattr(args, "user_id", 1000001)
        if getattr(args, "db", None):
            settings = settings.with_overrides(database_url=args.db)
        _migrate(settings)
        return asyncio.run(run_sandbox(settings, lang=lang, user_id=user_id,
                                       stdin=sys.stdin, stdout=sys.stdout,
                                       staff_web_port=getattr(args, "staff_web", None)))
    _migrate(settings)
    if settings.webhook_url:
        asyncio.run(run_webhook_server(settings))
    else:
        _run_polling(settings)
    return 0


def _partner_command(args: argparse.Namespace, settings: Settings) -> int:
    _migrate(settings)
    engine = create_db_engine(settings.database_url)
    command = args.partner_command
    try:
        with session_scope(engine) as session:
            if command == "list":
                usage = partners.usage_last_day(session)
                for item in partners.list_partners(session):
                    state = f"revoked {item.revoked_at:%Y-%m-%d}" if item.revoked_at else "active"
                    calls, values, _last = usage.get(item.id or 0, (0, 0, None))
                    print(f"{item.name}\tlc_{item.key_prefix}_…\t{item.scopes}\t{item.rate_per_minute}/min"
                          f"\t{state}\t{calls} calls, {values} values in 24 h")
                return 0
            if command == "add":
                created, key = partners.add_partner(
                    session, name=args.name, scopes=partners.parse_scopes(args.scope), actor="cli",
                    rate_per_minute=args.rate)
                print(f"partner {created.name} ({created.scopes}); API key, shown once:\n{key}")
            elif command == "rotate":
                rotated, key = partners.rotate_partner(session, name=args.name, actor="cli")
                print(f"partner {rotated.name}: new API key, shown once (the old one no longer works):"
                      f"\n{key}")
            else:
                partners.revoke_partner(session, name=args.name, actor="cli")
                print(f"partner {args.name}: key revoked")
            return 0
    except partners.PartnerError as problem:
        print(f"lurecheck: {problem}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


def _migrate(settings: Settings) -> int:
    migrate(settings.database_url)
    return 0


def _run_polling(settings: Settings) -> None:
    application = build_application(settings)
    log.info("starting long polling")
    application.run_polling(allowed_updates=["message", "edited_message", "callback_query"])


if __name__ == "__main__":
    sys.exit(main())

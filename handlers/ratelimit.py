"""Per-person rate limits against floods and scripted false reports.

Counted per pseudonym by `storage.rate` (the `rate_event` table), so every bot instance
sees the same counts; old events are pruned by `storage.rate.prune_rate_events`. An
attempt over the limit is refused and not counted: the person is told how long to wait,
and nothing they sent is stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.types import FlowContext, Reply
from storage.db import Database
from storage.rate import allow_action, recent_action_times


@dataclass(frozen=True)
class Limit:
    action: str  # stored in rate_event.action (≤ 32 characters)
    max_events: int
    window: timedelta


# A person checking one recruiter's whole chat sends a few checks a minute; 30 an hour
# leaves room for that while stopping a script probing the indicator database.
CHECKS = Limit("check", 30, timedelta(hours=1))
# Real survivors rarely have more than a handful of recruiters to report in a day.
REPORTS = Limit("report", 5, timedelta(days=1))
# Receipt codes are short: cap guesses so nobody can walk the code space.
CODE_TRIES = Limit("report_code", 10, timedelta(hours=1))


def wait_needed(session: Database, *, user_key: str, limit: Limit, now: datetime) -> timedelta | None:
    """How long the person must wait before `limit` allows another event; None if allowed now."""
    since = now - limit.window
    times = recent_action_times(session, user_key=user_key, action=limit.action, since=since)
    if len(times) < limit.max_events:
        return None
    # The oldest event that keeps the count at the limit has to leave the window.
    blocking = times[len(times) - limit.max_events]
    return max(blocking + limit.window - now, timedelta(seconds=1))


def consume(session: Database, *, user_key: str, limit: Limit, now: datetime) -> timedelta | None:
    """Count one event if the limit allows it (None); else the wait, with nothing counted."""
    if allow_action(session, user_key=user_key, action=limit.action, limit=limit.max_events,
                    window=limit.window, now=now):
        return None
    return wait_needed(session, user_key=user_key, limit=limit, now=now) or timedelta(seconds=1)


def describe_wait(ctx: FlowContext, wait: timedelta) -> str:
    """ "about 20 minutes" / "about 3 hours", rounded up so the person is not refused again."""
    t = ctx.t
    minutes = math.ceil(wait.total_seconds() / 60)
    if minutes < 90:
        return t.ngettext("about {n} minute", "about {n} minutes", minutes)
    hours = math.ceil(minutes / 60)
    return t.ngettext("about {n} hour", "about {n} hours", hours)


def checks_limited_reply(ctx: FlowContext, wait: timedelta) -> Reply:
    return Reply(ctx.t.gettext(
        "You have made many checks in a short time, so I am pausing for a moment. "
        "Please try again in {wait}. Nothing you sent was stored.", wait=describe_wait(ctx, wait)))


def reports_limited_reply(ctx: FlowContext, wait: timedelta) -> Reply:
    return Reply(ctx.t.gettext(
        "You have already sent several reports today, thank you. To protect the service from "
        "floods, I can take the next one in {wait}. If someone is in danger now, use /help_now.",
        wait=describe_wait(ctx, wait)))

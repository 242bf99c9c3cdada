"""/talk: a pseudonymous conversation between the person and a person from our team.

The person starts it (/talk, the menu, or the offer after an urgent-help alert or a report),
after a consent message that says what staff will and will not see, when the team is there
and how soon they answer (with emergency numbers when no one is there). While the case is
open, what the person writes, photographs or sends as a file is stored for staff (storage.talk;
files are cleaned of their metadata by the relay first, storage.documents) and relayed to
the staff group by the bot's relay (bot/relay.py); staff answers reach the person the same way.
The bot never writes first: a closed case has no way back to the person (its sealed chat id
is erased). Staff see a case number, never the Telegram id, name, username or phone.

```mermaid
stateDiagram-v2
    [*] --> consent: /talk or 💬 button (no open case)
    [*] --> open: /talk with an open case (resume)
    consent --> open: yes, start (case opened or reopened)
    consent --> menu: no
    open --> open: text / photo / PDF, picture or .txt file (stored for staff; first one acknowledged)
    open --> open: other files, other media (not passed on, said which kinds and why)
    open --> menu: end the conversation (case closed), or /close, /end, /stop typed
    open --> menu: any message after staff or the quiet period closed the case
```
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from handlers import ratelimit
from handlers.common import back_to_menu, listed
from handlers.types import (
    Button,
    Conversation,
    Event,
    EventKind,
    FlowContext,
    FlowSettings,
    Outcome,
    Reply,
)
from locales.i18n import Translator
from screening.hotlines import hotline_directory
from storage import documents
from storage import talk as talk_store
from storage.models import TalkStatus

NAME = "talk"
CONSENT = "consent"
OPEN = "open"

START = "talk:start"
DECLINE = "talk:no"
END = "talk:end"
# Typed by a person whose conversation is open, these mean the "End the conversation" button:
# /close is what staff type in their topic (a person may have seen or guessed it), /end and
# /stop what people try. Not in the command menu: the button is under every answer of the open
# conversation.
END_COMMANDS = frozenset({"close", "end", "stop"})

# Abuse limits: a person in trouble writes in bursts, a script floods. Over the limit the
# message is not stored and the person is told how long to wait.
MESSAGES = ratelimit.Limit("talk_message", 30, timedelta(minutes=10))
OPENINGS = ratelimit.Limit("talk_open", 6, timedelta(days=1))
MAX_TEXT = 3500


def start(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if talk_store.is_person_blocked(ctx.db, user_key=event.user_key):
        return back_to_menu(conversation, ctx, intro=_blocked_text(t))
    if talk_store.open_case_of(ctx.db, user_key=event.user_key) is not None:
        new = _at(conversation, OPEN)
        return Outcome(new, [Reply(t.gettext(
            "Our conversation is still open. Write here; a person from our team reads it."),
            buttons=_open_buttons(ctx))])
    new = _at(conversation, CONSENT)
    return Outcome(new, reprompt(new, ctx))


def enter(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    """From the menu: a message written while a case is open goes to the team."""
    return _relay(event, _at(conversation, OPEN), ctx)


def handle(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    return _STEPS.get(conversation.state, _open_step)(event, conversation, ctx)


def _consent_step(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button if event.kind == EventKind.BUTTON else None
    if action == START:
        return _open(event, conversation, ctx)
    if action == DECLINE:
        return back_to_menu(conversation, ctx, intro=ctx.t.gettext(
            "Nothing was started. What would you like to do?"))
    return Outcome(conversation, reprompt(conversation, ctx))


def _open_step(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    action = event.button if event.kind == EventKind.BUTTON else None
    if action == END:
        return _end(event, conversation, ctx)
    if action == START:  # the consent button pressed again: already open
        return start(event, conversation, ctx)
    return _relay(event, conversation, ctx)


# State → step (the one way flows dispatch on state).
_STEPS: dict[str, Callable[[Event, Conversation, FlowContext], Outcome]] = {
    CONSENT: _consent_step, OPEN: _open_step,
}


def reprompt(conversation: Conversation, ctx: FlowContext) -> list[Reply]:
    t = ctx.t
    if conversation.state == OPEN:
        return [Reply(t.gettext("Write your message here: text or photos. A person from our team "
                                "will read it."), buttons=_open_buttons(ctx))]
    return [Reply(consent_text(ctx, conversation.country), buttons=(
        (Button(t.gettext("Yes, start"), START),),
        (Button(t.gettext("No"), DECLINE),),
    ))]


def consent_text(ctx: FlowContext, country: str | None) -> str:
    t = ctx.t
    settings = ctx.settings
    parts = [
        "<b>" + t.gettext("Talk to a person from our team") + "</b>",
        t.gettext("Here you can write to a person from our team, and they can answer you in "
                  "this chat."),
        t.gettext("They see only what you write or send here, your language, and reports you "
                  "made with this bot. They do not see your Telegram name, username, phone "
                  "number or account."),
        t.ngettext("They never write first: only while this conversation is open. It closes when "
                   "you end it, when the team ends it, or after {n} hour without messages.",
                   "They never write first: only while this conversation is open. It closes when "
                   "you end it, when the team ends it, or after {n} hours without messages.",
                   settings.talk_quiet_hours),
        t.gettext("If someone else may look at your phone, delete this chat afterwards."),
        availability_text(ctx, country),
        t.gettext("Start the conversation?"),
    ]
    return "\n\n".join(parts)


def availability_text(ctx: FlowContext, country: str | None) -> str:
    """When the team is there and how soon they answer, said honestly; with emergency numbers
    when no one is there."""
    t = ctx.t
    settings = ctx.settings
    answer = t.ngettext("Our team usually answers within {n} hour.",
                        "Our team usually answers within {n} hours.", settings.talk_answer_hours)
    back = next_opening(settings, ctx.now)
    if back is None:
        return answer
    when = format_datetime(back, "EEEE HH:mm", tzinfo=back.tzinfo, locale=t.babel_locale)
    lines = [t.gettext("No one from our team is there now. They are back on {when} ({zone}). You "
                       "can still write; they will read it then.",
                       when=when, zone=html.escape(settings.talk_timezone)),
             t.gettext("If you are in danger now, do not wait: call one of these numbers.")]
    lines.extend(_emergency_lines(t, country))
    return "\n".join(lines)


def next_opening(settings: FlowSettings, now: datetime) -> datetime | None:
    """None while the team is there (or has no set hours); else when they are back."""
    days, start_at, end_at = settings.talk_open_days, settings.talk_open_from, settings.talk_open_until
    if not days or start_at is None or end_at is None:
        return None
    local = now.astimezone(ZoneInfo(settings.talk_timezone))
    if local.weekday() in days and start_at <= local.time().replace(tzinfo=None) < end_at:
        return None
    for ahead in range(8):
        day = (local + timedelta(days=ahead)).date()
        opening = datetime.combine(day, start_at, tzinfo=local.tzinfo)
        if day.weekday() in days and opening > local:
            return opening
    return None


def _emergency_lines(t: Translator, country: str | None) -> list[str]:
    directory = hotline_directory()
    lines = []
    for hotline in directory.for_country(country):
        reach = listed(t, (html.escape(channel.value) for channel in hotline.channels))
        lines.append(f"• <b>{reach}</b> – {html.escape(t.gettext(hotline.description))}")
    if not lines:
        lines.append("• " + html.escape(t.gettext("Call the local police, or the embassy of your "
                                                  "country.")))
    return lines


def notice_text(t: Translator, code: str, settings: FlowSettings) -> str | None:
    """The words of a notice the relay sends to the person (storage.talk codes)."""
    if code == talk_store.NOTICE_CLOSED_BY_STAFF:
        return t.gettext("Our team closed this conversation. Write /talk if you need them again.")
    if code == talk_store.NOTICE_CLOSED_QUIET:
        return t.ngettext(
            "This conversation closed after {n} hour without messages. Write /talk if you need "
            "our team again.",
            "This conversation closed after {n} hours without messages. Write /talk if you need "
            "our team again.", settings.talk_quiet_hours)
    if code == talk_store.NOTICE_FILE_REFUSED:
        return t.gettext("Your file was not sent to our team: I could not remove what it says "
                         "about you (it is not a readable picture, PDF or text file, or it is "
                         "locked with a password). Please send a screenshot instead, or type "
                         "what it says.")
    return None


def _files_refused_text(t: Translator) -> str:
    return t.gettext(
        "I can pass on pictures, PDF files and plain-text (.txt) files of up to {mb} MB. A file "
        "can carry your name or where it was made, so I remove that before our team sees it; "
        "other kinds of files (Word, Excel, archives, programs) cannot be cleaned and are not "
        "sent. Please send a PDF or a screenshot instead, or type what it says.",
        mb=documents.MAX_MEGABYTES)


def _at(conversation: Conversation, state: str) -> Conversation:
    return conversation.at(NAME, state)


def _open_buttons(ctx: FlowContext) -> tuple[tuple[Button, ...], ...]:
    return ((Button(ctx.t.gettext("End the conversation"), END),),)


def _blocked_text(t: Translator) -> str:
    return t.gettext("Talking to our team is not available from this account.")


def _open(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    if talk_store.is_person_blocked(ctx.db, user_key=event.user_key):
        return back_to_menu(conversation, ctx, intro=_blocked_text(t))
    if talk_store.open_case_of(ctx.db, user_key=event.user_key) is None:
        wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=OPENINGS, now=ctx.now)
        if wait is not None:
            return back_to_menu(conversation, ctx, intro=_limited(ctx, wait))
    talk_store.open_case(ctx.db, user_key=event.user_key, chat_id=event.chat_id,
                         seal_key=ctx.settings.seal_keys, locale=t.locale,
                         to_group=ctx.settings.talk_chat_id is not None, now=ctx.now)
    new = _at(conversation, OPEN)
    return Outcome(new, [Reply(t.gettext(
        "You are connected. Write your message here: text or photos. A person from our team "
        "will read it."), buttons=_open_buttons(ctx))])


def end_command(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome | None:
    """/close, /end or /stop (`END_COMMANDS`): with a conversation open, the same as the "End
    the conversation" button (from the menu too, where what the person writes still goes to
    the team); None when none is open (the command means nothing then)."""
    if talk_store.open_case_of(ctx.db, user_key=event.user_key) is None:
        return None
    return _end(event, conversation, ctx)


def cancel_command(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome | None:
    """/cancel inside an open conversation: back to the menu, the conversation left open (what
    the person writes there still reaches the team), and said so; "Nothing from that step was
    kept", /cancel's answer elsewhere, would be untrue here. None when no conversation is open
    (then /cancel means what it means everywhere)."""
    if talk_store.open_case_of(ctx.db, user_key=event.user_key) is None:
        return None
    return back_to_menu(conversation, ctx, intro=ctx.t.gettext(
        "Back at the menu. Our conversation stays open: what you write still reaches our team. "
        "To end it, send /close."))


def _end(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    case = talk_store.open_case_of(ctx.db, user_key=event.user_key)
    if case is not None and case.id is not None:
        talk_store.close_case(ctx.db, case_id=case.id, actor=talk_store.PERSON_ACTOR,
                              to_group=ctx.settings.talk_chat_id is not None, now=ctx.now)
    return back_to_menu(conversation, ctx, before=[Reply(ctx.t.gettext(
        "Conversation ended. Our team can no longer write to you. Write /talk any time to "
        "start again."))])


def _limited(ctx: FlowContext, wait: timedelta) -> str:
    return ctx.t.gettext("You sent many messages in a short time. Please wait {wait}, then write "
                         "again. This message was not sent.",
                         wait=ratelimit.describe_wait(ctx, wait))


def _relay(event: Event, conversation: Conversation, ctx: FlowContext) -> Outcome:
    t = ctx.t
    case = talk_store.open_case_of(ctx.db, user_key=event.user_key)
    if case is None or case.status != TalkStatus.open:
        return back_to_menu(conversation, ctx, before=[Reply(t.gettext(
            "This conversation was closed. Write /talk to start a new one."))])
    is_file = event.file_id is not None and event.media_kind == "document"
    file_kind = documents.kind_of(mime_type=event.file_type, file_name=event.file_name) \
        if is_file else None
    if is_file and (file_kind is None or (event.file_size or 0) > documents.MAX_BYTES):
        return Outcome(conversation, [Reply(_files_refused_text(t), buttons=_open_buttons(ctx))])
    picture = event.file_id is not None and event.media_kind == "photo"
    if (event.kind == EventKind.MEDIA and not (picture or file_kind)) \
            or event.kind == EventKind.COMMAND:
        return Outcome(conversation, [Reply(t.gettext(
            "I can pass on text, photos, PDF and plain-text files only. For your safety, "
            "contacts, locations and voice messages are not sent; please type what you want "
            "to say."), buttons=_open_buttons(ctx))])
    wait = ratelimit.consume(ctx.sql, user_key=event.user_key, limit=MESSAGES, now=ctx.now)
    if wait is not None:
        return Outcome(conversation, [Reply(_limited(ctx, wait))])
    assert case.id is not None
    answered = _needs_ack(ctx, case.id)
    # A photo is copied to the staff group as Telegram compressed it (no metadata); a file is
    # fetched and cleaned by the relay first (storage.documents), under a neutral name.
    talk_store.add_person_message(
        ctx.db, case=case, kind=file_kind or ("photo" if picture else "text"),
        text=event.text[:MAX_TEXT] or None,
        file_id=event.file_id if picture or file_kind else None,
        source_message_id=event.message_id, copyable=not is_file,
        to_group=ctx.settings.talk_chat_id is not None, now=ctx.now)
    if not answered:
        return Outcome(conversation, [])
    return Outcome(conversation, [Reply("\n\n".join([t.gettext("Sent to our team."),
                                                     availability_text(ctx, conversation.country)]),
                                        buttons=_open_buttons(ctx))])


def _needs_ack(ctx: FlowContext, case_id: int) -> bool:
    """Acknowledge the first message after the case opened or after a staff answer; the rest
    of a burst goes quietly."""
    messages = talk_store.case_messages(ctx.db, case_id=case_id)
    spoken = [m for m in messages if m.direction != talk_store.NOTE
              or m.text in (talk_store.NOTE_OPENED, talk_store.NOTE_REOPENED)]
    return not spoken or spoken[-1].direction != talk_store.IN


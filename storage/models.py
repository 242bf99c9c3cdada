"""SQLModel tables: the whole schema of lurecheck in one place.

Privacy rules the schema enforces by construction:
- a person appears only as `user_key` / `reporter_key`, the keyed HMAC pseudonym of their
  Telegram id (`storage.pseudonym`); no column holds a clear Telegram id, name, username or phone;
- the one reversible identifier, the chat a reporter asked to be notified in, is sealed
  (AES-GCM, `storage.sealing`) and cleared as soon as the notification is sent;
- counts and first/last-seen dates of indicators are derived by queries, never copied.

Enumerations are stored as short strings (not native PostgreSQL enum types) so that adding a
value is a code change, not a migration on both engines.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

PSEUDONYM_LENGTH = 64  # hex HMAC-SHA256
RECEIPT_CODE_LENGTH = 10

# Named constraints: SQLite batch migrations can only alter constraints that have names.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both engines.

    SQLite has no time zone type: values are stored as naive UTC there and come back aware,
    so code never compares naive and aware datetimes.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def _enum(enum_cls: type[StrEnum], length: int = 24) -> sa.Enum:
    # native_enum=False: a VARCHAR on both engines; values (not member names) are stored.
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class ReportKind(StrEnum):
    job_offer = "job_offer"
    contact = "contact"
    romance_investment = "romance_investment"
    urgent_help = "urgent_help"
    other = "other"


class ReportStatus(StrEnum):
    new = "new"
    in_review = "in_review"
    confirmed = "confirmed"
    false_report = "false_report"
    duplicate = "duplicate"
    referred = "referred"
    spam = "spam"


# The reporter's answer to "when did this happen?", relative to the report's date.
HAPPENED = ("today", "week", "month", "earlier")


class StaffRole(StrEnum):
    admin = "admin"
    reviewer = "reviewer"


class InboxStatus(StrEnum):
    pending = "pending"
    processing = "processing"
    done = "done"
    failed = "failed"


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=sa.String(64), unique=True, nullable=False)
    password_hash: str = Field(sa_type=sa.String(255), nullable=False)
    role: StaffRole = Field(default=StaffRole.reviewer, sa_type=_enum(StaffRole, 16))
    disabled: bool = Field(default=False, nullable=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # Sessions issued at or before this moment are over (logout, disable, enable): in the
    # database, so it holds after a restart and in every instance.
    sessions_valid_after: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (
        # Queue pages filter by status/kind/country/language and sort by date.
        sa.Index("ix_report_status_created", "status", "created_at"),
        sa.Index("ix_report_status_country_created", "status", "country", "created_at"),
        sa.Index("ix_report_status_kind_created", "status", "kind", "created_at"),
        sa.Index("ix_report_country_created", "country", "created_at"),
        sa.Index("ix_report_kind_created", "kind", "created_at"),
        sa.Index("ix_report_language_created", "language", "created_at"),
        # Seek paging (storage.queue): the sort key then the id, read from the index alone.
        # The risk order's expression index is in migration 0013 only (autogenerate cannot
        # compare expression indexes; storage.db.compared_with_models leaves it out).
        sa.Index("ix_report_created_id", "created_at", "id"),
        sa.Index("ix_report_updated_id", "updated_at", "id"),
        sa.Index("ix_report_assignee_created", "assignee_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    receipt_code: str = Field(
        sa_type=sa.String(RECEIPT_CODE_LENGTH), unique=True, nullable=False
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    kind: ReportKind = Field(sa_type=_enum(ReportKind), nullable=False)
    country: str | None = Field(default=None, sa_type=sa.String(2))
    language: str | None = Field(default=None, sa_type=sa.String(16))
    risk_level: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    flag_ids: list[str] = Field(default_factory=list, sa_type=JSONType, nullable=False)
    # Redacted before storage (storage.redact); None once the retention purge has run.
    narrative: str | None = Field(default=None, sa_type=sa.Text)
    # When it happened, as the reporter answered (relative to created_at): one of HAPPENED.
    happened: str | None = Field(default=None, sa_type=sa.String(16))
    status: ReportStatus = Field(
        default=ReportStatus.new, sa_type=_enum(ReportStatus), nullable=False
    )
    assignee_id: int | None = Field(
        default=None,
        sa_column_args=[sa.ForeignKey("staff_user.id", ondelete="SET NULL")],
    )
    reporter_key: str = Field(sa_type=sa.String(PSEUDONYM_LENGTH), nullable=False, index=True)
    # Sealed chat id for one "your report was reviewed" message; cleared once sent.
    notify_chat_sealed: str | None = Field(default=None, sa_type=sa.String(128))
    # The offer the reporter checked before reporting, redacted like the narrative (same
    # consent); None once the retention purge has run.
    offer_text: str | None = Field(default=None, sa_type=sa.Text)
    # MinHash signature of the offer (or narrative) for "very similar to an ad N people
    # reported" (screening.similarity); its LSH bands are in report_text_band.
    text_signature: str | None = Field(default=None, sa_type=sa.String(512))


class ReportTextBand(SQLModel, table=True):
    """One LSH band key of a report's text signature: reports sharing a key are candidates."""

    __tablename__ = "report_text_band"

    band_key: int = Field(sa_type=sa.BigInteger, primary_key=True,
                          sa_column_kwargs={"autoincrement": False})
    report_id: int = Field(
        sa_column_args=[sa.ForeignKey("report.id", ondelete="CASCADE")], primary_key=True
    )


class Indicator(SQLModel, table=True):
    """One contact identity (`screening.identity`): `type` is the identity kind (a WhatsApp
    number is a `phone`), `value` its normalised key."""

    __tablename__ = "indicator"
    __table_args__ = (
        sa.UniqueConstraint("type", "value"),
        # Staff search a contact without knowing its type.
        sa.Index("ix_indicator_value", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(sa_type=sa.String(16), nullable=False)
    value: str = Field(sa_type=sa.String(512), nullable=False)
    confirmed: bool = Field(default=False, nullable=False)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_by: int | None = Field(
        default=None,
        sa_column_args=[sa.ForeignKey("staff_user.id", ondelete="SET NULL")],
    )


class ReportIndicator(SQLModel, table=True):
    __tablename__ = "report_indicator"
    __table_args__ = (sa.Index("ix_report_indicator_report", "report_id"),)

    # indicator_id first: "which reports mention this indicator" is the hot look-up.
    indicator_id: int = Field(
        sa_column_args=[sa.ForeignKey("indicator.id", ondelete="CASCADE")], primary_key=True
    )
    report_id: int = Field(
        sa_column_args=[sa.ForeignKey("report.id", ondelete="CASCADE")], primary_key=True
    )
    # How this report saw a phone identity (whatsapp, viber, zalo, line, telegram, tel, phone):
    # the indicator is the number, the channel an attribute of the sighting. None otherwise.
    channel: str | None = Field(default=None, sa_type=sa.String(16))


class ReviewEvent(SQLModel, table=True):
    """Append-only audit log. Ids are plain numbers, not foreign keys, so that the log
    outlives the rows it talks about (a deleted report keeps its history)."""

    __tablename__ = "review_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    actor: str = Field(sa_type=sa.String(64), nullable=False)  # staff username or "system"
    report_id: int | None = Field(default=None, index=True)
    indicator_id: int | None = Field(default=None, index=True)
    talk_case_id: int | None = Field(default=None, index=True)
    action: str = Field(sa_type=sa.String(32), nullable=False)
    old: str | None = Field(default=None, sa_type=sa.String(255))
    new: str | None = Field(default=None, sa_type=sa.String(255))
    note: str | None = Field(default=None, sa_type=sa.Text)


class UserPrefs(SQLModel, table=True):
    __tablename__ = "user_prefs"

    user_key: str = Field(sa_type=sa.String(PSEUDONYM_LENGTH), primary_key=True)
    locale: str | None = Field(default=None, sa_type=sa.String(16))
    country: str | None = Field(default=None, sa_type=sa.String(2))
    consent_store_reports: bool = Field(default=False, nullable=False)
    consent_notify: bool = Field(default=False, nullable=False)
    blocked: bool = Field(default=False, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class SafelistEntry(SQLModel, table=True):
    __tablename__ = "safelist_entry"
    __table_args__ = (sa.UniqueConstraint("type", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(sa_type=sa.String(16), nullable=False)
    value: str = Field(sa_type=sa.String(512), nullable=False)
    label: str = Field(sa_type=sa.String(255), nullable=False)
    source: str = Field(sa_type=sa.String(512), nullable=False)


class ConversationRow(SQLModel, table=True):
    """One person's flow state; locked per update so instances never interleave."""

    __tablename__ = "conversation"

    user_key: str = Field(sa_type=sa.String(PSEUDONYM_LENGTH), primary_key=True)
    flow: str = Field(default="menu", sa_type=sa.String(32), nullable=False)
    state: str = Field(default="idle", sa_type=sa.String(64), nullable=False)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, nullable=False)
    version: int = Field(default=0, nullable=False)
    locale: str | None = Field(default=None, sa_type=sa.String(16))
    country: str | None = Field(default=None, sa_type=sa.String(2))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class HousekeepingLease(SQLModel, table=True):
    """When a scheduled job last ran, one row per job: every instance tries the job on a timer,
    and the conditional UPDATE of this row lets exactly one of them run it per period."""

    __tablename__ = "housekeeping_lease"

    name: str = Field(sa_type=sa.String(32), primary_key=True)
    holder: str | None = Field(default=None, sa_type=sa.String(128))
    last_run_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class InboundUpdate(SQLModel, table=True):
    """Durable webhook inbox: written before the webhook answers 200."""

    __tablename__ = "inbound_update"
    __table_args__ = (
        # "Is there an older unfinished update of this chat?" and the claim scan.
        sa.Index("ix_inbound_update_chat", "chat_key", "update_id"),
        sa.Index("ix_inbound_update_status", "status", "update_id"),
    )

    update_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    chat_key: str = Field(sa_type=sa.String(PSEUDONYM_LENGTH), nullable=False)
    # The Telegram update while pending (sealed when enqueued with seal_key); erased once done,
    # since it holds the sender's id, name and username.
    payload: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    status: InboxStatus = Field(
        default=InboxStatus.pending, sa_type=_enum(InboxStatus, 16), nullable=False
    )
    attempts: int = Field(default=0, nullable=False)
    locked_by: str | None = Field(default=None, sa_type=sa.String(64))
    locked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_error: str | None = Field(default=None, sa_type=sa.String(500))


class RateEvent(SQLModel, table=True):
    """One counted action of one person, for per-person rate limits."""

    __tablename__ = "rate_event"
    __table_args__ = (sa.Index("ix_rate_event_user_action_at", "user_key", "action", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_key: str = Field(sa_type=sa.String(PSEUDONYM_LENGTH), nullable=False)
    action: str = Field(sa_type=sa.String(32), nullable=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class TalkStatus(StrEnum):
    open = "open"
    closed = "closed"
    # /delete ran: messages and mapping are gone; the row waits only for the staff group's
    # topic to be deleted by the relay, then goes too.
    erased = "erased"


class TalkCase(SQLModel, table=True):
    """A pseudonymous conversation between one person and staff ("talk to a person").

    Staff know a case by its number only. The one way back to the person, their chat id, is
    sealed (AES-GCM, purpose "talk-chat") and erased when the case closes and its last message
    to the person is sent: a closed case cannot reach anyone, so the bot never writes first."""

    __tablename__ = "talk_case"
    __table_args__ = (sa.Index("ix_talk_case_status_activity", "status", "last_activity_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Pseudonym: links the case to the person's reports and urgent-help intakes for staff.
    user_key: str | None = Field(default=None, sa_type=sa.String(PSEUDONYM_LENGTH), index=True)
    chat_sealed: str | None = Field(default=None, sa_type=sa.String(128))
    status: TalkStatus = Field(default=TalkStatus.open, sa_type=_enum(TalkStatus, 16),
                               nullable=False)
    urgent: bool = Field(default=False, nullable=False)
    locale: str | None = Field(default=None, sa_type=sa.String(16))
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_activity_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, sa_type=sa.String(64))
    # Forum topic of this case in the staff group, when the organisation uses one.
    topic_id: int | None = Field(default=None, sa_type=sa.BigInteger, index=True)
    # The topic's creation, recorded before the Bot API call (storage.talk.begin_topic): a
    # crash in between leaves "creating", which the next relay settles as "unsure".
    topic_state: str | None = Field(default=None, sa_type=sa.String(16))
    # Relay lease: one bot instance at a time sends a case's messages, in order.
    relay_owner: str | None = Field(default=None, sa_type=sa.String(64))
    relay_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TalkMessage(SQLModel, table=True):
    """One message of a case. `direction`: "in" (person → staff), "out" (staff → person),
    "note" (a notice such as "closed by staff"; `text` is its code, worded by the bot in the
    person's language). Each destination has a delivery state: None (not for it), "pending",
    "sent", "failed"."""

    __tablename__ = "talk_message"
    __table_args__ = (
        sa.Index("ix_talk_message_case", "case_id", "id"),
        sa.Index("ix_talk_message_person_state", "person_state"),
        sa.Index("ix_talk_message_group_state", "group_state"),
        sa.Index("ix_talk_message_file_state", "file_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column_args=[sa.ForeignKey("talk_case.id", ondelete="CASCADE")],
                         nullable=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    direction: str = Field(sa_type=sa.String(8), nullable=False)
    kind: str = Field(default="text", sa_type=sa.String(16), nullable=False)  # text|photo|notice
    # Staff username, "staff group", or None for the person (who has no name here).
    author: str | None = Field(default=None, sa_type=sa.String(64))
    text: str | None = Field(default=None, sa_type=sa.Text)
    # Where the message came from, for copyMessage: "person", "group" or "web".
    source: str = Field(sa_type=sa.String(8), nullable=False)
    source_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    file_id: str | None = Field(default=None, sa_type=sa.String(256))
    # A picture re-encoded as JPEG without metadata (EXIF, GPS), for the web app and re-sending.
    file_data: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    person_state: str | None = Field(default=None, sa_type=sa.String(8))
    group_state: str | None = Field(default=None, sa_type=sa.String(8))
    file_state: str | None = Field(default=None, sa_type=sa.String(8))


# --- alerts to the staff chat (STAFF_CHAT_ID): storage/alerts.py, bot/alerts.py --------------


class StaffAlert(SQLModel, table=True):
    """An alert for the staff chat, waiting to be delivered: an outbox row, written in the same
    transaction as what it is about (an urgent report, or the message of a person in danger),
    and deleted once Telegram took the alert. Its text, which may hold a contact the person
    typed, is sealed (AES-GCM, purpose "staff-alert"); `reporter_key` is the pseudonym, so
    /delete erases an alert not yet sent. Not the chat: the alert goes to the staff chat
    configured when it is sent, so a corrected STAFF_CHAT_ID delivers what was waiting."""

    __tablename__ = "staff_alert"
    __table_args__ = (sa.Index("ix_staff_alert_due", "next_attempt_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    report_id: int | None = Field(
        default=None, index=True,
        sa_column_args=[sa.ForeignKey("report.id", ondelete="CASCADE")])
    reporter_key: str | None = Field(default=None, sa_type=sa.String(PSEUDONYM_LENGTH), index=True)
    text_sealed: str = Field(sa_type=sa.Text, nullable=False)
    attempts: int = Field(default=0, nullable=False)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # The last failure's error type (e.g. "BadRequest", "NetworkError"), shown to staff.
    last_error: str | None = Field(default=None, sa_type=sa.String(64))
    # Sender lease: one bot instance at a time sends an alert.
    sender: str | None = Field(default=None, sa_type=sa.String(64))
    sending_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When an attempt ended without knowing whether Telegram took it (storage.alerts): the
    # alert may be in the staff chat already; the next send says it may be a repeat.
    unconfirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # An alert without a report (a person in danger): their language and the country they said
    # they are in, what the staff app shows of it (its text is sealed). Never who they are.
    language: str | None = Field(default=None, sa_type=sa.String(16))
    country: str | None = Field(default=None, sa_type=sa.String(2))


# --- partner API (banks, platforms, NGOs): storage/partners.py, review/api.py -----------------


class Partner(SQLModel, table=True):
    """A machine client of /api/v1. Its key is shown once; only a SHA-256 of it is kept (keys are
    256-bit random, so a fast hash is enough and a look-up costs one index probe)."""

    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(64), unique=True, nullable=False)
    key_prefix: str = Field(sa_type=sa.String(16), nullable=False)  # shown to staff, not secret
    key_hash: str = Field(sa_type=sa.String(64), unique=True, nullable=False)
    scopes: str = Field(sa_type=sa.String(64), nullable=False)  # "lookup,feed,feedback"
    rate_per_minute: int = Field(default=6000, nullable=False)  # values looked up per minute
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    rotated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PartnerCall(SQLModel, table=True):
    """Audit of every API call: who, which endpoint, how many values — never the values."""

    __tablename__ = "partner_call"
    __table_args__ = (sa.Index("ix_partner_call_partner_at", "partner_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    # A plain number, not a foreign key: the log outlives a deleted partner (as review_event).
    partner_id: int | None = Field(default=None)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    endpoint: str = Field(sa_type=sa.String(32), nullable=False)
    status: int = Field(nullable=False)
    value_count: int = Field(default=0, nullable=False)
    match_count: int = Field(default=0, nullable=False)


class PartnerFeedback(SQLModel, table=True):
    """What a partner did or saw about an identity ("account frozen", "false positive")."""

    __tablename__ = "partner_feedback"
    __table_args__ = (sa.Index("ix_partner_feedback_identity", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(nullable=False, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    kind: str = Field(sa_type=sa.String(16), nullable=False)
    key: str = Field(sa_type=sa.String(512), nullable=False)
    action: str = Field(sa_type=sa.String(32), nullable=False)
    note: str | None = Field(default=None, sa_type=sa.String(500))


class IdentityChange(SQLModel, table=True):
    """The change feed partners follow (`GET /api/v1/changes?since=`). `seq` is handed out under
    the one `feed_counter` row's lock, so sequence numbers become visible in order, without
    gaps, whichever instance wrote them (storage/changes.py)."""

    __tablename__ = "identity_change"

    seq: int = Field(sa_type=sa.BigInteger, primary_key=True,
                     sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    kind: str = Field(sa_type=sa.String(16), nullable=False)
    key: str = Field(sa_type=sa.String(512), nullable=False)
    event: str = Field(sa_type=sa.String(16), nullable=False)


class FeedCounter(SQLModel, table=True):
    """One row (id 1): the last sequence number of `identity_change`."""

    __tablename__ = "feed_counter"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    value: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)

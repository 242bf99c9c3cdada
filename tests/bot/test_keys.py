"""Keys (issue 17): one secret, a key per use derived with HKDF; rotation wired through the
dispatcher; what a lost key does; the SQLite file private."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from sqlmodel import select

from bot.dispatch import event_from_payload, run_step
from bot.services import Services
from handlers.types import EventKind
from storage.db import create_db_engine, migrate, session_scope
from storage.inbox import claim_updates, enqueue_update
from storage.keys import KeyRing, derive_key
from storage.models import Report, UserPrefs
from storage.pseudonym import pseudonymise
from storage.reports import create_report, take_notify_chat
from tests.handlers.conftest import make_settings

OLD = b"old-secret-" + b"o" * 32
NEW = b"new-secret-" + b"n" * 32
USER = 777_000_111


def test_each_use_has_its_own_derived_key() -> None:
    ring = KeyRing(NEW)
    keys = [ring.pseudonyms, ring.sealing, ring.sessions, ring.csrf]
    assert len(set(keys)) == 4 and NEW not in keys
    assert all(len(key) == 32 for key in keys)
    assert ring.pseudonyms == derive_key(NEW, "pseudonyms")  # deterministic
    assert KeyRing(OLD).sessions != ring.sessions


def _services(tmp_path: Path, secret: bytes, previous: bytes | None = None) -> Services:
    settings = make_settings(tmp_path, secret_key=secret, previous_secret_key=previous)
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    return Services(settings=settings, engine=engine)


def _write(services: Services, text: str, update_id: int) -> None:
    payload = {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_700_000_000, "text": text,
        "chat": {"id": USER, "type": "private"},
        "from": {"id": USER, "is_bot": False, "first_name": "Mai", "language_code": "en"}}}
    settings = services.settings
    event = event_from_payload(payload, key=settings.pseudonym_key,
                               former_keys=settings.former_pseudonym_keys)
    assert event is not None and event.kind in (EventKind.TEXT, EventKind.COMMAND)
    run_step(services, event)


def _own_report(services: Services, user_key: str) -> None:
    with session_scope(services.engine) as db:
        create_report(db, reporter_key=user_key, kind="job_offer", country=None, language="en",
                      risk_level=None, flag_ids=[], narrative="story", contacts=[],
                      notify_chat_id=USER, seal_key=services.settings.seal_keys)
        db.add(UserPrefs(user_key=user_key, locale="en", blocked=True))


def _owner_of_reports(services: Services) -> set[str]:
    with session_scope(services.engine, read_only=True) as db:
        return {r.reporter_key for r in db.exec(select(Report)).all()}


def _blocked(services: Services, user_key: str) -> bool:
    with session_scope(services.engine, read_only=True) as db:
        prefs = db.get(UserPrefs, user_key)
        return bool(prefs and prefs.blocked)


def test_rotation_moves_a_persons_data_to_the_new_pseudonym(tmp_path: Path) -> None:
    before = _services(tmp_path, OLD)
    old_key = pseudonymise(USER, key=before.settings.pseudonym_key)
    _own_report(before, old_key)
    before.engine.dispose()

    # PSEUDONYM_KEY=new, PSEUDONYM_KEY_PREVIOUS=old: the person writes once.
    after = _services(tmp_path, NEW, previous=OLD)
    new_key = pseudonymise(USER, key=after.settings.pseudonym_key)
    assert new_key != old_key
    _write(after, "/start", 1)
    assert _owner_of_reports(after) == {new_key}
    assert _blocked(after, new_key)  # a block survives the rotation
    # Values sealed under the old secret still open during the transition.
    with session_scope(after.engine) as db:
        (report,) = db.exec(select(Report)).all()
        assert take_notify_chat(db, report_id=report.id or 0,
                                seal_key=after.settings.seal_keys) == USER


def test_pseudonyms_of_before_hkdf_are_adopted_on_upgrade(tmp_path: Path) -> None:
    services = _services(tmp_path, NEW)
    legacy_key = hmac.new(NEW, str(USER).encode(), hashlib.sha256).hexdigest()
    _own_report(services, legacy_key)
    _write(services, "/start", 1)
    assert _owner_of_reports(services) == {pseudonymise(USER, key=services.settings.pseudonym_key)}


def test_a_lost_key_unlinks_but_never_breaks(tmp_path: Path) -> None:
    """Documented in storage/README.md: without the old secret, a person starts afresh; what
    they had is kept but unlinkable; sealed values are erased or skipped, nothing crashes."""
    before = _services(tmp_path, OLD)
    old_key = pseudonymise(USER, key=before.settings.pseudonym_key)
    _own_report(before, old_key)
    _write(before, "/report", 1)  # an unfinished draft, sealed
    with session_scope(before.engine) as db:
        enqueue_update(db, update_id=99, chat_key="c", payload={"update_id": 99},
                       seal_key=before.settings.seal_keys)
    before.engine.dispose()

    lost = _services(tmp_path, NEW)  # no PSEUDONYM_KEY_PREVIOUS: the old secret is gone
    _write(lost, "/start", 2)
    assert _owner_of_reports(lost) == {old_key}  # kept, but no longer theirs to reach
    new_key = pseudonymise(USER, key=lost.settings.pseudonym_key)
    assert not _blocked(lost, new_key)
    with session_scope(lost.engine) as db:
        (report,) = db.exec(select(Report)).all()
        assert take_notify_chat(db, report_id=report.id or 0,
                                seal_key=lost.settings.seal_keys) is None
        db.refresh(report)
        assert report.notify_chat_sealed is None  # erased: nobody can be told any more
    with session_scope(lost.engine) as db:
        (claimed,) = claim_updates(db, worker_id="w", seal_key=lost.settings.seal_keys)
        assert claimed.payload == {}  # fails processing and is parked, never blocks the queue


def test_sqlite_database_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "private.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as db:
        db.add(UserPrefs(user_key="k" * 64))
    for member in (path, path.with_name(path.name + "-wal")):
        assert member.stat().st_mode & 0o777 == 0o600, member
    engine.dispose()
    # An existing file others could read is tightened when the bot opens it.
    path.chmod(0o644)
    create_db_engine(f"sqlite:///{path}").dispose()
    assert path.stat().st_mode & 0o777 == 0o600


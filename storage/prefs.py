"""Per-person preferences (locale, country, consent, blocked), keyed by pseudonym."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import UserPrefs, utcnow


class _Unset:
    """Marks an argument that was not given (None is a real value: "forget my country")."""


UNSET = _Unset()


def get_prefs(session: Session, *, user_key: str) -> UserPrefs | None:
    return session.get(UserPrefs, user_key)


def set_prefs(
    session: Session,
    *,
    user_key: str,
    locale: str | _Unset | None = UNSET,
    country: str | _Unset | None = UNSET,
    consent_store_reports: bool | _Unset = UNSET,
    consent_notify: bool | _Unset = UNSET,
) -> UserPrefs:
    """Create or update the person's preferences; only the given fields change."""
    prefs = session.get(UserPrefs, user_key) or UserPrefs(user_key=user_key)
    if not isinstance(locale, _Unset):
        prefs.locale = locale
    if not isinstance(country, _Unset):
        prefs.country = country.upper() if country else None
    if not isinstance(consent_store_reports, _Unset):
        prefs.consent_store_reports = consent_store_reports
    if not isinstance(consent_notify, _Unset):
        prefs.consent_notify = consent_notify
    prefs.updated_at = utcnow()
    session.add(prefs)
    session.flush()
    return prefs


def is_blocked(session: Session, *, user_key: str) -> bool:
    prefs = session.get(UserPrefs, user_key)
    return bool(prefs and prefs.blocked)

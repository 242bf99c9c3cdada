"""Staff accounts for the review app. Passwords arrive already hashed (argon2, in review/)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import StaffRole, StaffUser, utcnow


def create_staff_user(
    session: Session, *, username: str, password_hash: str, role: StaffRole | str
) -> StaffUser:
    user = StaffUser(username=username, password_hash=password_hash, role=StaffRole(role))
    session.add(user)
    session.flush()
    return user


def get_staff_user(session: Session, *, username: str) -> StaffUser | None:
    return session.execute(
        select(StaffUser).where(col(StaffUser.username) == username)
    ).scalar_one_or_none()


def end_sessions(session: Session, *, staff_id: int) -> None:
    """Every session of this account issued until now is over, in every instance."""
    user = session.get(StaffUser, staff_id)
    if user is not None:
        user.sessions_valid_after = utcnow()
        session.add(user)
        session.flush()


def session_is_current(user: StaffUser, *, issued_at: float) -> bool:
    """False for a session issued at or before the account's last logout or disable."""
    ended = user.sessions_valid_after
    return ended is None or issued_at > ended.timestamp()

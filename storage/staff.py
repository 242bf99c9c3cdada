"""Staff accounts for the review app. Passwords arrive already hashed (argon2, in review/)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import StaffRole, StaffUser


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

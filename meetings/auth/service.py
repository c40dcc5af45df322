"""Accounts: authentication and creation, without HTTP."""

from __future__ import annotations

from meetings.extensions import db
from meetings.models import Role, User
from meetings.text import clean


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = db.session.scalar(db.select(User).filter_by(username=clean(username)))
    if user and user.active and user.check_password(password):
        return user
    return None


def create_user(username: str, password: str, role: Role, full_name: str | None = None) -> User:
    """Create (or reset the password and role of) a user; the caller commits."""
    if len(password) < 8:
        raise ValueError("The password must have at least 8 characters.")
    username = clean(username)
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        user = User(username=username)
        db.session.add(user)
    user.role = role
    user.full_name = full_name or user.full_name
    user.set_password(password)
    return user

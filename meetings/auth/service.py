"""Accounts: authentication, creation, roles, passwords, sessions and API tokens, without HTTP.

Every change is audited here, so the admin pages and the CLI leave the same trail. Functions
take the acting user (None for the command line) and leave the commit to the caller.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from sqlalchemy import update

from meetings.clock import now
from meetings.extensions import db
from meetings.models import ApiToken, Role, User, hash_api_token, record
from meetings.text import N_, clean

PASSWORD_MIN_LENGTH = 10
_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# A one-time password: 12 characters of an alphabet without 0/O, 1/l/I, read off a screen.
_ONE_TIME_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ"


class PasswordRejected(ValueError):
    """The password breaks a rule; the message says which, in English (a msgid), and `field`
    which of the form's passwords it is about."""

    def __init__(self, message: str, field: str = "new") -> None:
        super().__init__(message)
        self.field = field


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (see the file's header)."""
    lines = _COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str | None) -> str | None:
    """Why `password` is refused for `username` (an English msgid), or None when it is fine."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return N_("The password must have at least 10 characters.")
    lowered = password.casefold()
    if username and lowered == (clean(username) or "").casefold():
        return N_("The password must not be the username.")
    if lowered in common_passwords():
        return N_("This password is on a list of common passwords; choose another.")
    return None


def check_password_rules(password: str, username: str | None) -> None:
    """PasswordRejected when `password` breaks a rule."""
    if problem := password_problem(password, username):
        raise PasswordRejected(problem)


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = db.session.scalar(db.select(User).filter_by(username=clean(username)))
    if user and user.active and user.check_password(password):
        return user
    return None


def find_user(username: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(username=clean(username)))


def create_user(
    username: str,
    password: str,
    role: Role,
    full_name: str | None = None,
    by: User | None = None,
) -> User:
    """Create (or reset the password and role of) a user; the caller commits."""
    username = clean(username) or ""
    if not username:
        raise ValueError(N_("The username is empty."))
    check_password_rules(password, username)
    user = find_user(username)
    is_new = user is None
    if user is None:
        user = User(username=username)
        db.session.add(user)
    user.role = role
    user.full_name = clean(full_name) or user.full_name
    user.active = True
    user.set_password(password)
    db.session.flush()
    record("user.create" if is_new else "user.reset", user, by, username=username, role=role.value)
    return user


def change_role(user: User, role: Role, by: User | None = None) -> None:
    """Give `user` another role; their sessions end, so the new role holds at once."""
    if user.role == role:
        return
    old = user.role
    user.role = role
    user.end_sessions()
    record("user.role", user, by, username=user.username, old=old.value, new=role.value)


def set_active(user: User, active: bool, by: User | None = None) -> None:
    """Deactivate (every session ends, the API tokens stop working) or reactivate a user."""
    if user.active == active:
        return
    if not active and by is not None and by.id == user.id:
        raise ValueError(N_("You cannot deactivate your own account."))
    user.active = active
    user.end_sessions()
    record("user.activate" if active else "user.deactivate", user, by, username=user.username)


def reset_password(user: User, by: User | None = None) -> str:
    """Give `user` a one-time password, returned to be shown once; their sessions end."""
    password = "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(12))
    user.set_password(password)
    user.must_change_password = True
    record("user.password_reset", user, by, username=user.username)
    return password


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password must match; every other session ends."""
    if not user.check_password(current):
        raise PasswordRejected(N_("The current password is wrong."), field="current")
    check_password_rules(new, user.username)
    if user.check_password(new):
        raise PasswordRejected(N_("The new password must differ from the current one."))
    user.set_password(new)
    user.must_change_password = False
    record("user.password_change", user, user, username=user.username)


def sign_out_everywhere(user: User) -> None:
    """End every session and remember-me cookie of `user` (on sign-out); the caller commits."""
    user.end_sessions()


def create_api_token(user: User, name: str | None = None, by: User | None = None) -> str:
    """A new token for an active user; only its hash is stored, so it is shown once. Audited
    (the caller commits)."""
    if not user.active:
        raise ValueError(N_("An inactive user cannot get an API token."))
    token = secrets.token_urlsafe(32)
    name = clean(name) or None
    db.session.add(ApiToken(user=user, name=name, token_hash=hash_api_token(token)))
    db.session.flush()
    record("api_token.create", user, by, username=user.username, name=name)
    return token


def revoke_api_tokens(user: User, token_id: int | None = None, by: User | None = None) -> int:
    """Revoke one of the user's tokens, or all of them; returns how many. Audited (the
    caller commits)."""
    stmt = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        stmt = stmt.where(ApiToken.id == token_id)
    count = db.session.execute(stmt.values(revoked_at=now())).rowcount
    if count:
        record("api_token.revoke", user, by, username=user.username, token=token_id, count=count)
    return count

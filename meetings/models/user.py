"""Accounts of the staff who use the tool, their API tokens and door assignments."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from meetings.clock import now
from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"  # Văn phòng cấp ủy: schedules, invites, edits
    CLERK = "clerk"  # reads everything, prints sheets and minutes, runs the desk
    DOOR = "door"  # checks people in at the conferences assigned to them
    # Grades study reports (bài thu hoạch) of the units the secretariat names it for; sees
    # nothing else.
    REVIEWER = "reviewer"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = enum_column(Role)
    active: Mapped[bool] = mapped_column(default=True)
    # What Flask-Login keeps in the session and the remember-me cookie instead of the row id:
    # rotated on sign-out, password change, role change and deactivation, so that every
    # earlier session and cookie of the user stops working, copies included.
    session_token: Mapped[str] = mapped_column(
        String(43), default=lambda: secrets.token_urlsafe(16)
    )
    # Set by an admin's password reset: the one-time password must be replaced at sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie issued so far (caller commits)."""
        self.session_token = secrets.token_urlsafe(16)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role == Role.ADMIN or self.role in roles

    def __str__(self) -> str:
        return self.full_name or self.username


def hash_api_token(token: str) -> str:
    """API tokens are stored hashed: a leaked database does not leak working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # When the token last authenticated a request (set by the API, at most once a minute).
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class DoorAssignment(db.Model):
    """Door staff work only at the conferences they are assigned to."""

    __tablename__ = "door_assignments"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    auto_checkin: Mapped[bool] = mapped_column(default=False)
    # The bridge point this user keeps the door of (None: the main hall): their check-ins
    # record it.
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_locations.id", ondelete="SET NULL")
    )

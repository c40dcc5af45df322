"""Arrivals: one check-in per invitation (a database constraint), and every failed scan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.clock import now
from meetings.extensions import db
from meetings.models.base import StrEnum, enum_column
from meetings.models.conference import Conference, ConferenceLocation
from meetings.models.invitation import Invitation
from meetings.models.user import User


class CheckInMethod(StrEnum):
    DOOR = "door"  # staff scanned the personal QR
    SELF = "self"  # the attendee, through the venue QR
    DESK = "desk"  # staff at the desk page
    API = "api"  # a scanner app or kiosk


class CheckIn(db.Model):
    """One successful arrival. Walk-ins have no invitation and are flagged by that."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    # Unique: a second scan of the same invitation fails in the database, not only in Python.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_locations.id", ondelete="SET NULL")
    )
    checked_in_at: Mapped[datetime] = mapped_column(default=now)
    method: Mapped[CheckInMethod] = enum_column(CheckInMethod)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: self check-in
    gate: Mapped[str | None] = mapped_column(String(50))
    # Who actually came in the invitee's place (dự thay), or a walk-in's own details.
    substitute_name: Mapped[str | None] = mapped_column(String(200))
    substitute_position: Mapped[str | None] = mapped_column(String(300))
    walk_in_name: Mapped[str | None] = mapped_column(String(200))
    walk_in_position: Mapped[str | None] = mapped_column(String(300))
    walk_in_unit: Mapped[str | None] = mapped_column(String(200))

    conference: Mapped[Conference] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    location: Mapped[ConferenceLocation | None] = relationship()
    user: Mapped[User | None] = relationship()


class ScanFailure(db.Model):
    """A scan that did not check anyone in, and why: the door page shows the latest."""

    __tablename__ = "scan_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(40))  # unknown_token, not_open, closed…
    token_excerpt: Mapped[str | None] = mapped_column(String(16))  # never the whole secret
    method: Mapped[CheckInMethod] = enum_column(CheckInMethod)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    gate: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)


class ApiNonce(db.Model):
    """The answer given to a nonce, so that a retried API scan returns it unchanged."""

    __tablename__ = "api_nonces"
    # The nonce leads: a lookup of a batch's nonces reads their entries alone, whatever plan
    # PostgreSQL made while the table was empty (led by the token, it read every nonce the
    # token ever sent).
    __table_args__ = (UniqueConstraint("nonce", "api_token_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(100))
    status_code: Mapped[int]
    response: Mapped[str] = mapped_column(db.Text)  # the JSON body as sent
    created_at: Mapped[datetime] = mapped_column(default=now)

"""Invitations: a person, or a role in a unit, invited to one conference under one category."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column, new_token
from meetings.models.conference import Conference, ConferenceLocation
from meetings.models.organisation import InviteeCategory, Unit
from meetings.models.person import Person
from meetings.text import make_short_code


class Rsvp(StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXCUSED = "excused"  # vắng có lý do


class Invitation(TimestampMixin, db.Model):
    """Either a person, or a unit role ("the Bí thư of this Party organisation")."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("conference_id", "person_id"),
        UniqueConstraint("conference_id", "unit_id", "role_title"),
        CheckConstraint("person_id IS NOT NULL OR unit_id IS NOT NULL", name="invitee_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    # A unit-role invitation names the unit and the role; person_id is then the principal.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    role_title: Mapped[str | None] = mapped_column(String(100))  # "Bí thư"
    deputy_title: Mapped[str | None] = mapped_column(String(100))  # "Phó Bí thư"
    deputy_allowed: Mapped[bool] = mapped_column(default=False)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("invitee_categories.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_locations.id", ondelete="SET NULL"), index=True
    )  # None: the main hall
    rsvp: Mapped[Rsvp] = enum_column(Rsvp, default=Rsvp.INVITED)
    absence_reason: Mapped[str | None] = mapped_column(db.Text)
    # A substitute announced in advance (dự thay); the one who came is on the check-in.
    substitute_name: Mapped[str | None] = mapped_column(String(200))
    substitute_position: Mapped[str | None] = mapped_column(String(300))
    # The person as they were, written when the directory changes them after the conference
    # (meetings.directory.service.keep_history); None: the directory's current values.
    person_name: Mapped[str | None] = mapped_column(String(200))
    person_position: Mapped[str | None] = mapped_column(String(300))
    person_unit: Mapped[str | None] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(43), unique=True, default=new_token)
    short_code: Mapped[str] = mapped_column(String(12), unique=True, default=make_short_code)
    updated_at: Mapped[datetime | None]

    conference: Mapped[Conference] = relationship()
    person: Mapped[Person | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    category: Mapped[InviteeCategory | None] = relationship()
    location: Mapped[ConferenceLocation | None] = relationship()

    @property
    def invitee_label(self) -> str:
        """The name to print: the person, or the role of the unit."""
        if self.person:
            return self.shown_name
        return f"{self.role_title or ''} {self.unit.name if self.unit else ''}".strip()

    @property
    def shown_name(self) -> str | None:
        """The person's name as it was for this conference."""
        return self.person_name or (self.person.full_name if self.person else None)

    @property
    def shown_position(self) -> str | None:
        if self.person_name:
            return self.person_position
        return self.person.position if self.person else None

    @property
    def shown_unit(self) -> str | None:
        """The person's unit as it was (a unit-role invitation names its unit)."""
        if self.unit:
            return self.unit.name
        if self.person_name:
            return self.person_unit
        return self.person.unit.name if self.person and self.person.unit else None

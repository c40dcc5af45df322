"""Seating: a hall's layouts, and a conference's plan that assigns their seats to invitations.

Rows are numbered from 1 at the front (shown as A, B, C…); seats from 1 at the left as the
chart shows the hall, stage at the top. Row 0 is the presidium's table on the stage.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column
from meetings.models.conference import Conference, ConferenceLocation
from meetings.models.invitation import Invitation
from meetings.models.organisation import InviteeCategory, Unit
from meetings.models.venue import Venue

PRESIDIUM_ROW = 0


class Precedence(StrEnum):
    CENTRE_OUT = "centre_out"  # the first in the middle, then alternately either side
    LEFT_TO_RIGHT = "left_to_right"


class Side(StrEnum):
    """Where the second person sits, from the first person's point of view."""

    RIGHT = "right"
    LEFT = "left"


class HallLayout(TimestampMixin, db.Model):
    """Rows of seats in a venue, split into blocks by aisles, and a presidium table."""

    __tablename__ = "hall_layouts"
    __table_args__ = (
        UniqueConstraint("venue_id", "name"),
        CheckConstraint("rows > 0 AND seats_per_row > 0", name="has_seats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    rows: Mapped[int]
    seats_per_row: Mapped[int]
    # Seat numbers an aisle follows, comma-separated ("6,18": aisles after seats 6 and 18).
    aisles: Mapped[str] = mapped_column(String(200), default="")
    presidium_places: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(default=False)

    venue: Mapped[Venue] = relationship()

    @property
    def aisle_after(self) -> list[int]:
        return sorted({int(p) for p in self.aisles.split(",") if p.strip().isdigit()})

    @property
    def capacity(self) -> int:
        return self.rows * self.seats_per_row + self.presidium_places

    def __str__(self) -> str:
        return f"{self.venue.name} — {self.name}"


class SeatingPlan(TimestampMixin, db.Model):
    """The seats of one layout assigned to a conference's invitations at one place."""

    __tablename__ = "seating_plans"
    __table_args__ = (UniqueConstraint("conference_id", "location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    # None: the main hall; else a bridge point with its own layout.
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_locations.id", ondelete="CASCADE"), index=True
    )
    layout_id: Mapped[int] = mapped_column(ForeignKey("hall_layouts.id"), index=True)
    precedence: Mapped[Precedence] = enum_column(Precedence, default=Precedence.CENTRE_OUT)
    second_side: Mapped[Side] = enum_column(Side, default=Side.RIGHT)
    plate_rows: Mapped[int] = mapped_column(default=2)  # hall rows that get name plates

    conference: Mapped[Conference] = relationship()
    location: Mapped[ConferenceLocation | None] = relationship()
    layout: Mapped[HallLayout] = relationship()
    blocks: Mapped[list[SeatBlock]] = relationship(
        back_populates="plan",
        order_by=lambda: [SeatBlock.first_row, SeatBlock.first_seat, SeatBlock.id],
        cascade="all, delete-orphan",
    )


class SeatBlock(db.Model):
    """Seats reserved for a category, a unit, or both ("rows A–B: Ban Thường vụ")."""

    __tablename__ = "seat_blocks"
    __table_args__ = (
        CheckConstraint("category_id IS NOT NULL OR unit_id IS NOT NULL", name="block_for"),
        CheckConstraint("first_row <= last_row AND first_seat <= last_seat", name="block_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("seating_plans.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = mapped_column(String(200))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitee_categories.id", ondelete="CASCADE")
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    first_row: Mapped[int]
    last_row: Mapped[int]
    first_seat: Mapped[int]
    last_seat: Mapped[int]

    plan: Mapped[SeatingPlan] = relationship(back_populates="blocks")
    category: Mapped[InviteeCategory | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class SeatAssignment(db.Model):
    """One invitation in one seat; a locked seat is kept when the plan is assigned again."""

    __tablename__ = "seat_assignments"
    __table_args__ = (
        UniqueConstraint("plan_id", "invitation_id"),
        UniqueConstraint("plan_id", "row", "seat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("seating_plans.id", ondelete="CASCADE"))
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int]  # PRESIDIUM_ROW: the presidium's table
    seat: Mapped[int]
    locked: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[SeatingPlan] = relationship()
    invitation: Mapped[Invitation] = relationship()

"""The organising body and what belongs to it: units and invitee categories."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column
from meetings.sortkeys import text_key


class Layout(StrEnum):
    """Which official document layout the body writes in."""

    PARTY = "party"  # Hướng dẫn 36-HD/VPTW
    STATE = "state"  # Nghị định 30/2020/NĐ-CP


class OrganisingBody(TimestampMixin, db.Model):
    """A Party committee or state body that calls conferences (Quận ủy, Đảng ủy phường, UBND…)."""

    __tablename__ = "organising_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # "Quận ủy Cầu Giấy"
    parent_name: Mapped[str | None] = mapped_column(String(200))  # "Đảng bộ Thành phố Hà Nội"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"))
    place_name: Mapped[str] = mapped_column(String(100))  # for the date line: "Cầu Giấy, ngày …"
    symbol: Mapped[str] = mapped_column(String(20))  # in document numbers: QU, TU, ĐU, UBND
    layout: Mapped[Layout] = enum_column(Layout, default=Layout.PARTY)
    # The collective that signs for the body ("Ban Thường vụ") and the head's title.
    standing_committee_name: Mapped[str | None] = mapped_column(String(200))
    # Party documents number from 01 within each term of the committee.
    term_started_on: Mapped[date | None]
    # Keys the public calendar feed (.ics) that calendar apps subscribe to without logging in.
    calendar_token: Mapped[str] = mapped_column(
        String(43), unique=True, default=lambda: secrets.token_urlsafe(16)
    )
    is_demo: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[OrganisingBody | None] = relationship(remote_side=[id])
    units: Mapped[list[Unit]] = relationship(back_populates="body")
    categories: Mapped[list[InviteeCategory]] = relationship(
        back_populates="body", order_by="InviteeCategory.protocol_order"
    )

    def __str__(self) -> str:
        return self.name


class UnitKind(StrEnum):
    WARD = "ward"
    SCHOOL = "school"
    DEPARTMENT = "department"
    PARTY_ORG = "party_org"  # tổ chức cơ sở Đảng
    MASS_ORG = "mass_org"  # MTTQ và các tổ chức chính trị - xã hội
    PARTY_BOARD = "party_board"  # Ban Đảng
    OTHER = "other"


class Unit(TimestampMixin, db.Model):
    """A ward, school, department or grassroots Party organisation (đơn vị)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("body_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = enum_column(UnitKind, default=UnitKind.OTHER)
    # Vietnamese alphabet order of the name (meetings.sortkeys), for sorting in SQL.
    sort_key: Mapped[str] = mapped_column(String(400), default="")
    retired_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    body: Mapped[OrganisingBody] = relationship(back_populates="units")

    def __str__(self) -> str:
        return self.name


@event.listens_for(Unit, "before_insert")
@event.listens_for(Unit, "before_update")
def _unit_sort_key(mapper, connection, target: Unit) -> None:
    target.sort_key = text_key(target.name)


class InviteeCategory(TimestampMixin, db.Model):
    """A category of invitees (thành phần mời); protocol_order sets its place in every list."""

    __tablename__ = "invitee_categories"
    __table_args__ = (UniqueConstraint("body_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    protocol_order: Mapped[int] = mapped_column(default=100)
    description: Mapped[str | None] = mapped_column(db.Text)
    retired_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    body: Mapped[OrganisingBody] = relationship(back_populates="categories")

    def __str__(self) -> str:
        return self.name

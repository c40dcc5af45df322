"""Halls where conferences are held."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import TimestampMixin
from meetings.models.organisation import OrganisingBody


class Venue(TimestampMixin, db.Model):
    """A hall (hội trường); two conferences may not overlap in one."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None]
    retired_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    body: Mapped[OrganisingBody | None] = relationship()

    def __str__(self) -> str:
        return self.name

"""People in the directory and the categories they belong to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import TimestampMixin
from meetings.models.organisation import InviteeCategory, Unit
from meetings.sortkeys import name_key
from meetings.text import fold


class PersonCategory(db.Model):
    """Membership of a person in an invitee category, with their rank inside it."""

    __tablename__ = "person_categories"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("invitee_categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int] = mapped_column(default=100)  # lower ranks come first within the category

    person: Mapped[Person] = relationship(back_populates="memberships")
    category: Mapped[InviteeCategory] = relationship()


class Person(TimestampMixin, db.Model):
    """A person (đại biểu) in the directory."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(300))  # chức vụ
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # normal form: 0912345678
    email: Mapped[str | None] = mapped_column(String(200))
    # Diacritic-free, lower-case name, position, unit and phone: what search matches against.
    search_text: Mapped[str] = mapped_column(db.Text, default="")
    # Vietnamese name order as a string (meetings.sortkeys): lists sort and paginate in SQL.
    sort_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    retired_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit | None] = relationship()
    memberships: Mapped[list[PersonCategory]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    @property
    def categories(self) -> list[InviteeCategory]:
        return [m.category for m in self.memberships]

    def refresh_search_text(self) -> None:
        """Recompute what search matches: name, position, unit and phone, folded."""
        unit = self.unit.name if self.unit else ""
        parts = (self.full_name, self.position, unit, self.phone)
        self.search_text = fold(" ".join(p for p in parts if p))
        self.sort_key = name_key(self.full_name)

    def __str__(self) -> str:
        return self.full_name


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _search_text(mapper, connection, target: Person) -> None:
    target.refresh_search_text()

"""A conference, its agenda, the documents it covers and its bridge points."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column
from meetings.models.document import Document
from meetings.models.organisation import OrganisingBody
from meetings.models.person import Person
from meetings.models.venue import Venue


class ConferenceKind(StrEnum):
    DISSEMINATION = "dissemination"  # quán triệt
    PRELIMINARY_REVIEW = "preliminary_review"  # sơ kết
    FINAL_REVIEW = "final_review"  # tổng kết
    OTHER = "other"


class ConferenceStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class ConferenceDocument(db.Model):
    """A document the conference covers, in the order it is presented."""

    __tablename__ = "conference_documents"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    document: Mapped[Document] = relationship()


class Conference(TimestampMixin, db.Model):
    """One session (hội nghị) at one time, in a main hall and possibly bridge points."""

    __tablename__ = "conferences"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    title: Mapped[str] = mapped_column(db.Text)
    kind: Mapped[ConferenceKind] = enum_column(ConferenceKind, default=ConferenceKind.DISSEMINATION)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), index=True)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # The secretary's name as typed when they are not in the directory (secretary_id is None).
    secretary_text: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[ConferenceStatus] = enum_column(ConferenceStatus, default=ConferenceStatus.DRAFT)
    cancel_reason: Mapped[str | None] = mapped_column(db.Text)
    notes: Mapped[str | None] = mapped_column(db.Text)
    requirements: Mapped[str | None] = mapped_column(db.Text)  # dress, documents to bring
    # A make-up session (học bù) points at the conference whose absentees it briefs.
    makeup_of_id: Mapped[int | None] = mapped_column(ForeignKey("conferences.id"), index=True)
    checkin_opens_minutes: Mapped[int] = mapped_column(default=60)
    # The chair signs the minutes "T/M BAN THƯỜNG VỤ" with this position ("BÍ THƯ"); None:
    # as "CHỦ TRÌ HỘI NGHỊ".
    minutes_signer_position: Mapped[str | None] = mapped_column(String(100))
    # Random per conference: keys the rotating venue QR, never guessable from the id.
    checkin_secret: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(32))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Document numbers (Số 12-BB/QU, Số 25-GM/QU): proposed and editable until issued, then
    # fixed; issuing takes the next number of the body's DocumentCounter when none was set.
    minutes_number: Mapped[int | None]
    minutes_issued_at: Mapped[datetime | None]
    letters_number: Mapped[int | None]
    letters_issued_at: Mapped[datetime | None]
    # The letters' date line: typed by the clerk when numbering or issuing; None: the issue
    # day once issued, else today for a future conference, else a blank for the pen.
    letters_date: Mapped[date | None]
    # The letters are signed "T/M BAN THƯỜNG VỤ…" with this position ("Bí thư"); None: the
    # chair's position without the body's name.
    letters_signer_position: Mapped[str | None] = mapped_column(String(100))
    # "Nơi nhận" of the minutes and the letters, one recipient a line; None: the default.
    minutes_recipients: Mapped[str | None] = mapped_column(db.Text)
    letters_recipients: Mapped[str | None] = mapped_column(db.Text)

    body: Mapped[OrganisingBody] = relationship()
    venue: Mapped[Venue | None] = relationship()
    chair: Mapped[Person | None] = relationship(foreign_keys=[chair_id])
    secretary: Mapped[Person | None] = relationship(foreign_keys=[secretary_id])
    makeup_of: Mapped[Conference | None] = relationship(remote_side=[id])
    document_links: Mapped[list[ConferenceDocument]] = relationship(
        order_by=ConferenceDocument.position, cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="conference", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    locations: Mapped[list[ConferenceLocation]] = relationship(
        back_populates="conference", cascade="all, delete-orphan"
    )

    @property
    def secretary_name(self) -> str:
        """Who takes the minutes: the directory's person, or the name typed for an outsider."""
        return self.secretary.full_name if self.secretary else (self.secretary_text or "")

    @property
    def documents(self) -> list[Document]:
        return [link.document for link in self.document_links]

    def __str__(self) -> str:
        return self.title


class AgendaItem(db.Model):
    """One item of the programme: a document presented by a presenter, for a duration."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(db.Text)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    presenter_name: Mapped[str | None] = mapped_column(String(300))  # an outside speaker
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # Either a fixed planned start, or it follows the previous item; duration gives its end.
    planned_start: Mapped[datetime | None]
    duration_minutes: Mapped[int | None]

    conference: Mapped[Conference] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()
    document: Mapped[Document | None] = relationship()

    @property
    def presenter_label(self) -> str | None:
        return self.presenter.full_name if self.presenter else self.presenter_name


class ConferenceLocation(db.Model):
    """A bridge point (điểm cầu): a venue relaying the conference, with its own host."""

    __tablename__ = "conference_locations"
    __table_args__ = (UniqueConstraint("conference_id", "venue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    host_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    conference: Mapped[Conference] = relationship(back_populates="locations")
    venue: Mapped[Venue] = relationship()
    host: Mapped[Person | None] = relationship()

    def __str__(self) -> str:
        return self.venue.name

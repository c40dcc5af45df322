"""Self-study (tự nghiên cứu): an absentee briefed by reading, proven by a written report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.clock import now
from meetings.extensions import db
from meetings.models.document import Document
from meetings.models.person import Person
from meetings.models.user import User


class SelfStudy(db.Model):
    """A person who studied a document on their own; counted apart from attendance."""

    __tablename__ = "self_studies"
    __table_args__ = (UniqueConstraint("person_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    report_received_on: Mapped[date]  # the day the written report (bài thu hoạch) came in
    note: Mapped[str | None] = mapped_column(db.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    person: Mapped[Person] = relationship()
    document: Mapped[Document] = relationship()
    recorded_by: Mapped[User | None] = relationship()

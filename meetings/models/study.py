"""Study rounds (đợt học tập, quán triệt): after a document is disseminated, who must hand in a
written reflection (bài thu hoạch), who is exempted, every version handed in, its grade, and the
reviewers the secretariat names for each unit.

One aggregate: a round and everything that belongs to it, all deleted with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.clock import now
from meetings.extensions import db
from meetings.models.base import StrEnum, enum_column
from meetings.models.conference import Conference
from meetings.models.document import Document
from meetings.models.organisation import OrganisingBody, Unit
from meetings.models.person import Person
from meetings.models.user import User

# Best first. Stored with the round, so a body may use its own scale.
DEFAULT_GRADES = ("Tốt", "Khá", "Đạt", "Chưa đạt")


class StudyRound(db.Model):
    """One organising body's round on one document: a deadline and a grade scale."""

    __tablename__ = "study_rounds"
    __table_args__ = (UniqueConstraint("body_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    # The held conference it was opened from, if any (the population covers every session).
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="SET NULL")
    )
    deadline: Mapped[datetime]  # local wall-clock time; handing in stops at this moment
    grade_scale: Mapped[str] = mapped_column(db.Text, default="\n".join(DEFAULT_GRADES))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    is_demo: Mapped[bool] = mapped_column(default=False)

    body: Mapped[OrganisingBody] = relationship()
    document: Mapped[Document] = relationship()
    conference: Mapped[Conference | None] = relationship()

    @property
    def grades(self) -> list[str]:
        """The grade labels, best first."""
        return [g.strip() for g in self.grade_scale.splitlines() if g.strip()]


class StudyExemption(db.Model):
    """A person excused from handing in a report, with the reason ("đảng viên cao tuổi")."""

    __tablename__ = "study_exemptions"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("study_rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(db.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    person: Mapped[Person] = relationship()


class SubmissionChannel(StrEnum):
    LINK = "link"  # by the person, through their personal link
    PAPER = "paper"  # handed in on paper, recorded by a clerk


class StudySubmission(db.Model):
    """One version of a person's report: typed text or an uploaded PDF/DOCX (or both).
    Versions are never changed or deleted; the highest is the one that counts."""

    __tablename__ = "study_submissions"
    __table_args__ = (UniqueConstraint("round_id", "person_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("study_rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    version: Mapped[int]
    body_text: Mapped[str | None] = mapped_column(db.Text)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_path: Mapped[str | None] = mapped_column(String(255))  # in the attachments' folder
    channel: Mapped[SubmissionChannel] = enum_column(SubmissionChannel)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=now)

    person: Mapped[Person] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class StudyGrade(db.Model):
    """The assessment of a person's report; the version it was given to is kept."""

    __tablename__ = "study_grades"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("study_rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("study_submissions.id", ondelete="CASCADE")
    )
    grade: Mapped[str] = mapped_column(String(50))
    comment: Mapped[str | None] = mapped_column(db.Text)
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    graded_at: Mapped[datetime] = mapped_column(default=now)

    graded_by: Mapped[User | None] = relationship()


class StudyReviewer(db.Model):
    """A user account named by the secretariat to grade the reports of one unit in a round."""

    __tablename__ = "study_reviewers"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("study_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    unit: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship()

"""Background jobs: long work (a conference's letters, a 30,000-row list) done by a job worker
while the page shows its progress, then its file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column, new_token
from meetings.models.conference import Conference
from meetings.models.user import User


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(TimestampMixin, db.Model):
    """One piece of work asked for by a user: `done` of `total` so far, then a file."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True, default=new_token)  # in URLs
    kind: Mapped[str] = mapped_column(String(60))  # what runs it, e.g. "printing.letters"
    title: Mapped[str] = mapped_column(String(300))  # what the user asked for, for the page
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = enum_column(JobStatus, default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None] = mapped_column()
    # The file it made, under JOBS_RESULTS_DIR (instance/jobs/ by default), and its name for
    # the person downloading it.
    result_path: Mapped[str | None] = mapped_column(String(200))
    result_name: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()

    owner: Mapped[User] = relationship()
    conference: Mapped[Conference | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

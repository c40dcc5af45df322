"""E-mail deliveries: one row per message to send, and what became of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.extensions import db
from meetings.models.base import StrEnum, TimestampMixin, enum_column
from meetings.models.invitation import Invitation
from meetings.models.job import Job


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Delivery(TimestampMixin, db.Model):
    """One message to one address: when it was sent, or why it failed. The sending job that
    has it now (a retry moves the failed ones to a new job) goes through them in id order."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(60))  # what composes it, e.g. "invitation"
    address: Mapped[str] = mapped_column(String(320))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # what else composing needs
    status: Mapped[DeliveryStatus] = enum_column(DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column()

    job: Mapped[Job | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()

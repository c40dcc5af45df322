"""The audit log: who changed what, and why (undone check-ins, cancellations…)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.clock import now
from meetings.extensions import db
from meetings.models.user import User


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))  # "checkin.undo", "conference.cancel"…
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    detail: Mapped[dict | None] = mapped_column(db.JSON)

    user: Mapped[User | None] = relationship()


def record(action: str, obj: db.Model, user: User | None = None, **detail) -> AuditEntry:
    """Add an audit entry for obj to the session (the caller commits)."""
    entry = AuditEntry(
        action=action,
        object_type=obj.__tablename__,
        object_id=getattr(obj, "id", None),
        user=user,
        detail=detail or None,
    )
    db.session.add(entry)
    return entry

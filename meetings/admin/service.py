"""Accounts as the admin pages see them: the user list, API tokens, the audit log.

Account changes themselves live in meetings.auth.service, and API tokens in
meetings.api.service, both shared with the CLI and audited there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select

from meetings.extensions import db
from meetings.models import ApiToken, AuditEntry, Conference, Invitation, User

AUDIT_PAGE_SIZE = 100


def users() -> list[User]:
    """Every account, active ones first, then by username."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.username)))


def tokens_of(user: User) -> list[ApiToken]:
    """The user's API tokens, newest first, revoked ones included (they show as revoked)."""
    stmt = select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.created_at.desc())
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page narrows to; every field is optional."""

    user_id: int | None = None
    action: str | None = None  # an action ("user.create") or its prefix ("user.")
    since: date | None = None
    until: date | None = None  # inclusive
    conference_id: int | None = None


def _about_conference(conference_id: int):
    """Entries on the conference, on its invitations, or naming it in their detail (undone
    check-ins, whose row is gone)."""
    invitations = select(Invitation.id).where(Invitation.conference_id == conference_id)
    return or_(
        (AuditEntry.object_type == "conferences") & (AuditEntry.object_id == conference_id),
        (AuditEntry.object_type == "invitations") & AuditEntry.object_id.in_(invitations),
        AuditEntry.detail["conference_id"].as_integer() == conference_id,
    )


def _audit_query(where: AuditFilter) -> Select:
    stmt = select(AuditEntry)
    if where.user_id is not None:
        stmt = stmt.where(AuditEntry.user_id == where.user_id)
    if where.action:
        stmt = stmt.where(AuditEntry.action.startswith(where.action, autoescape=True))
    if where.since:
        stmt = stmt.where(AuditEntry.created_at >= datetime.combine(where.since, time()))
    if where.until:
        end = datetime.combine(where.until + timedelta(days=1), time())
        stmt = stmt.where(AuditEntry.created_at < end)
    if where.conference_id is not None:
        stmt = stmt.where(_about_conference(where.conference_id))
    return stmt


def audit_entries(where: AuditFilter, limit: int = AUDIT_PAGE_SIZE) -> list[AuditEntry]:
    """The newest entries matching `where`, at most `limit`."""
    stmt = _audit_query(where).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return list(db.session.scalars(stmt.limit(limit)))


def audit_actions() -> list[str]:
    """Every action the log holds, for the filter's list."""
    stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list(db.session.scalars(stmt))


def recent_conferences(limit: int = 300) -> list[Conference]:
    """Conferences for the audit filter's list, newest first."""
    stmt = select(Conference).order_by(Conference.starts_at.desc()).limit(limit)
    return list(db.session.scalars(stmt))

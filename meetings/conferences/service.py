"""What the conference pages show, as plain queries over the models."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    AgendaItem,
    Conference,
    ConferenceDocument,
    ConferenceLocation,
    ConferenceStatus,
    Invitation,
    InviteeCategory,
    Rsvp,
    User,
)


def upcoming_and_recent(
    limit: int = 10, user: User | None = None
) -> tuple[list[Conference], list[Conference]]:
    """Conferences that have not ended yet (soonest first) and those that have (latest first);
    with a user, only those the user may read."""
    from meetings.conferences.scheduling import visible_to

    moment = now()
    base = select(Conference).options(selectinload(Conference.venue))
    if user is not None:
        base = visible_to(base, user)
    upcoming = db.session.scalars(
        base.where(Conference.ends_at >= moment).order_by(Conference.starts_at).limit(limit)
    ).all()
    recent = db.session.scalars(
        base.where(Conference.ends_at < moment).order_by(Conference.starts_at.desc()).limit(limit)
    ).all()
    return list(upcoming), list(recent)


def list_conferences(
    status: ConferenceStatus | None = None, user: User | None = None
) -> list[Conference]:
    """Conferences, latest first; with a user, only those the user may read."""
    from meetings.conferences.scheduling import visible_to

    query = select(Conference).options(selectinload(Conference.venue))
    if user is not None:
        query = visible_to(query, user)
    if status:
        query = query.where(Conference.status == status)
    return list(db.session.scalars(query.order_by(Conference.starts_at.desc())))


def load_conference(conference_id: int) -> Conference | None:
    """The conference with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Conference)
        .where(Conference.id == conference_id)
        .options(
            selectinload(Conference.document_links).selectinload(ConferenceDocument.document),
            selectinload(Conference.agenda_items).selectinload(AgendaItem.presenter),
            selectinload(Conference.agenda_items).selectinload(AgendaItem.document),
            selectinload(Conference.venue),
            selectinload(Conference.chair),
            selectinload(Conference.secretary),
            selectinload(Conference.body),
            selectinload(Conference.locations).selectinload(ConferenceLocation.venue),
            selectinload(Conference.locations).selectinload(ConferenceLocation.host),
        )
    )


@dataclass(frozen=True)
class CategoryCount:
    category: InviteeCategory | None
    invited: int
    coming: int = 0  # answered "Tham dự" (a deputy announced counts here too)
    deputies: int = 0
    absent: int = 0  # declined or excused


def invitations_by_category(conference: Conference) -> list[CategoryCount]:
    """How many are invited in each category, and how they answered, in protocol order
    (uncategorised last)."""
    coming = Invitation.rsvp == Rsvp.CONFIRMED
    rows = db.session.execute(
        select(
            Invitation.category_id,
            func.count(),
            func.sum(case((coming, 1), else_=0)),
            func.sum(case((and_(coming, Invitation.substitute_name.is_not(None)), 1), else_=0)),
            func.sum(case((Invitation.rsvp.in_([Rsvp.DECLINED, Rsvp.EXCUSED]), 1), else_=0)),
        )
        .where(Invitation.conference_id == conference.id)
        .group_by(Invitation.category_id)
    ).all()
    counts = {row[0]: [int(v or 0) for v in row[1:]] for row in rows}
    categories = db.session.scalars(
        select(InviteeCategory)
        .where(InviteeCategory.id.in_([k for k in counts if k]))
        .order_by(InviteeCategory.protocol_order, InviteeCategory.name)
    ).all()
    result = [CategoryCount(c, *counts[c.id]) for c in categories]
    if None in counts:
        result.append(CategoryCount(None, *counts[None]))
    return result

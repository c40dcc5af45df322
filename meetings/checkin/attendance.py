"""Live attendance: who is in, by category in protocol order, and who is still missing.

The tally every page and document shares: `present` and `invited` count invitations only.
A walk-in (an arrival without an invitation) never enters either figure, so it never inflates
the invited total; walk-ins are listed and counted apart. An invitation checked in by a
substitute counts as present, and the phrase says how many of those present were substitutes:
"80/84, đạt 95,24% (trong đó 2 đồng chí dự thay)".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from meetings.extensions import db
from meetings.invitations.service import in_protocol_order
from meetings.models import CheckIn, CheckInMethod, Conference, Invitation, InviteeCategory
from meetings.text import attendance_phrase


@dataclass
class Line:
    """One row of the tallies: a category (None: without one), or a hall or bridge point."""

    name: str | None
    invited: int
    present: int

    @property
    def phrase(self) -> str:
        return attendance_phrase(self.present, self.invited)


@dataclass(frozen=True)
class Arrival:
    name: str
    position: str | None
    unit: str | None
    category: str | None
    at: datetime
    method: CheckInMethod
    substitute: str | None = None  # who came in the invitee's place
    walk_in: bool = False


@dataclass(frozen=True)
class Missing:
    """An invitee not in yet, as the live list shows them."""

    name: str
    unit: str | None
    absence_reason: str | None


@dataclass
class Attendance:
    conference: Conference
    lines: list[Line]
    present: int  # invitations checked in (by the invitee or a substitute); no walk-in
    invited: int  # invitations; no walk-in
    walk_ins: list[Arrival] = field(default_factory=list)
    substitutes: list[Arrival] = field(default_factory=list)
    latest: list[Arrival] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    missing_total: int = 0
    locations: list[Line] = field(default_factory=list)  # with bridge points only

    @property
    def phrase(self) -> str:
        """ "80/84, đạt 95,24% (trong đó 2 đồng chí dự thay)": walk-ins are not in it."""
        return attendance_phrase(self.present, self.invited, len(self.substitutes))


_INVITATION_PARTS = (Invitation.person, Invitation.unit, Invitation.category)  # what a line shows


def _unit_of(invitation: Invitation) -> str | None:
    if invitation.unit:
        return invitation.unit.name
    return invitation.person.unit.name if invitation.person and invitation.person.unit else None


def _arrival(checkin: CheckIn) -> Arrival:
    invitation = checkin.invitation
    if invitation is None:
        return Arrival(
            checkin.walk_in_name or "—",
            checkin.walk_in_position,
            checkin.walk_in_unit,
            None,
            checkin.checked_in_at,
            checkin.method,
            walk_in=True,
        )
    person = invitation.person
    substitute = ", ".join(p for p in (checkin.substitute_name, checkin.substitute_position) if p)
    return Arrival(
        invitation.invitee_label,
        person.position if person else invitation.role_title,
        _unit_of(invitation),
        invitation.category.name if invitation.category else None,
        checkin.checked_in_at,
        checkin.method,
        substitute=substitute or None,
    )


def _arrivals(conference_id: int, *where, limit: int | None = None) -> list[Arrival]:
    """Check-ins of the conference matching `where`, latest first."""
    parts = (selectinload(CheckIn.invitation).selectinload(part) for part in _INVITATION_PARTS)
    query = (
        select(CheckIn)
        .where(CheckIn.conference_id == conference_id, *where)
        .options(*parts)
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
        .limit(limit)
    )
    return [_arrival(c) for c in db.session.scalars(query)]


def attendance(conference: Conference, latest: int = 12, missing_limit: int = 300) -> Attendance:
    """Present/invited per category, walk-ins, substitutes, latest arrivals, who is missing."""
    counts = db.session.execute(
        select(InviteeCategory.name, func.count(Invitation.id), func.count(CheckIn.id))
        .select_from(Invitation)
        .outerjoin(InviteeCategory, InviteeCategory.id == Invitation.category_id)
        .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
        .where(Invitation.conference_id == conference.id)
        .group_by(Invitation.category_id, InviteeCategory.name, InviteeCategory.protocol_order)
        .order_by(InviteeCategory.protocol_order.nulls_last(), Invitation.category_id)
    )
    lines = [Line(name, invited, present) for name, invited, present in counts]
    walk_ins = _arrivals(conference.id, CheckIn.invitation_id.is_(None))
    substitutes = _arrivals(conference.id, CheckIn.substitute_name.is_not(None))
    latest_arrivals = _arrivals(conference.id, limit=latest)
    missing, missing_total = still_missing(conference.id, missing_limit)
    return Attendance(
        conference,
        lines,
        sum(line.present for line in lines),
        sum(line.invited for line in lines),
        walk_ins=walk_ins,
        substitutes=substitutes,
        latest=latest_arrivals,
        missing=missing,
        missing_total=missing_total,
        locations=by_location(conference),
    )


def by_location(conference: Conference) -> list[Line]:
    """Main hall first, then each bridge point; empty for a conference in one hall. Invitees
    count where they were assigned, arrivals where they checked in; walk-ins stay apart."""
    if not conference.locations:
        return []
    invited = dict(
        db.session.execute(
            select(Invitation.location_id, func.count())
            .where(Invitation.conference_id == conference.id)
            .group_by(Invitation.location_id)
        ).all()
    )
    present = dict(
        db.session.execute(
            select(CheckIn.location_id, func.count())
            .where(CheckIn.conference_id == conference.id, CheckIn.invitation_id.is_not(None))
            .group_by(CheckIn.location_id)
        ).all()
    )
    main = conference.venue.name if conference.venue else None
    places = [(None, main), *((loc.id, loc.venue.name) for loc in conference.locations)]
    return [Line(name or "—", invited.get(key, 0), present.get(key, 0)) for key, name in places]


def still_missing(conference_id: int, limit: int) -> tuple[list[Missing], int]:
    """Invitees not checked in, in protocol order (as every list of invitees); and how many."""
    base, order = in_protocol_order(select(Invitation), conference_id)
    base = base.outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id).where(
        CheckIn.id.is_(None)
    )
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    invitations = db.session.scalars(
        base.options(*(selectinload(part) for part in _INVITATION_PARTS))
        .order_by(*order)
        .limit(limit)
    ).all()
    missing = [Missing(i.invitee_label, _unit_of(i), i.absence_reason) for i in invitations]
    return missing, total or 0

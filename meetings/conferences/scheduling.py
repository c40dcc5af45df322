"""Scheduling: saving a conference without double-booking a hall, and its status transitions.

A hall holds one conference at a time. Every location of a conference — the main venue and
each bridge point — is checked against every location of the other conferences that overlap
in time; cancelled conferences free their halls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    AgendaItem,
    Conference,
    ConferenceDocument,
    ConferenceKind,
    ConferenceLocation,
    ConferenceStatus,
    DoorAssignment,
    Invitation,
    OrganisingBody,
    Person,
    Role,
    User,
    Venue,
    record,
)


class SchedulingError(ValueError):
    """A change the rules refuse; its message (a lazy translation) is shown to the user."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class VenueConflict(SchedulingError):
    """The hall is taken: the message names the conference that holds it, and when."""

    def __init__(self, venue: Venue, other: Conference) -> None:
        self.venue, self.other = venue, other
        super().__init__(
            _l(
                "%(venue)s is already booked for “%(title)s” (%(start)s–%(end)s).",
                venue=venue.name,
                title=other.title,
                start=other.starts_at.strftime("%d/%m/%Y %H:%M"),
                end=other.ends_at.strftime("%H:%M"),
            )
        )


@dataclass
class ConferenceData:
    """What the scheduling form edits."""

    title: str
    body_id: int
    starts_at: datetime
    ends_at: datetime
    kind: ConferenceKind = ConferenceKind.DISSEMINATION
    venue_id: int | None = None
    chair_id: int | None = None
    secretary_id: int | None = None
    secretary_text: str | None = None  # a secretary who is not in the directory
    notes: str | None = None
    requirements: str | None = None


# draft → scheduled → held; draft or scheduled → cancelled. Held and cancelled are final.
TRANSITIONS: dict[ConferenceStatus, frozenset[ConferenceStatus]] = {
    ConferenceStatus.DRAFT: frozenset({ConferenceStatus.SCHEDULED, ConferenceStatus.CANCELLED}),
    ConferenceStatus.SCHEDULED: frozenset({ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    ConferenceStatus.HELD: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
}
EDITABLE = frozenset({ConferenceStatus.DRAFT, ConferenceStatus.SCHEDULED})


# --- Who may see a conference -------------------------------------------------------------


def can_read(conference: Conference, user: User) -> bool:
    """Secretariat and clerks read every conference; door staff only those assigned to them."""
    if user.has_role(Role.SECRETARIAT, Role.CLERK):
        return True
    return user.role == Role.DOOR and _assigned(conference.id, user.id)


def _assigned(conference_id: int, user_id: int) -> bool:
    return (
        db.session.get(DoorAssignment, {"conference_id": conference_id, "user_id": user_id})
        is not None
    )


def visible_to(query, user: User):
    """Restrict a select of Conference to what the user may read."""
    if user.has_role(Role.SECRETARIAT, Role.CLERK):
        return query
    assigned = select(DoorAssignment.conference_id).where(DoorAssignment.user_id == user.id)
    return query.where(Conference.id.in_(assigned))


# --- Venue conflicts ----------------------------------------------------------------------


def venue_ids(conference: Conference) -> set[int]:
    """The halls the conference occupies: its main venue and every bridge point."""
    ids = {loc.venue_id for loc in conference.locations}
    if conference.venue_id:
        ids.add(conference.venue_id)
    return ids


def venue_conflicts(
    venues: set[int], starts_at: datetime, ends_at: datetime, exclude_id: int | None = None
) -> list[tuple[Venue, Conference]]:
    """(venue, other conference) for each hall of `venues` already taken in that time."""
    if not venues:
        return []
    other = (
        select(Conference)
        .where(
            Conference.status != ConferenceStatus.CANCELLED,
            Conference.starts_at < ends_at,
            Conference.ends_at > starts_at,
        )
        .options(selectinload(Conference.locations))
    )
    if exclude_id is not None:
        other = other.where(Conference.id != exclude_id)
    bridge = select(ConferenceLocation.conference_id).where(ConferenceLocation.venue_id.in_(venues))
    other = other.where(or_(Conference.venue_id.in_(venues), Conference.id.in_(bridge)))
    found = []
    for conference in db.session.scalars(other.order_by(Conference.starts_at)):
        for venue_id in sorted(venue_ids(conference) & venues):
            found.append((db.session.get(Venue, venue_id), conference))
    return found


def check_venues(
    venues: set[int], starts_at: datetime, ends_at: datetime, exclude_id: int | None
) -> None:
    """Refuse the first double booking, naming the conference that holds the hall."""
    conflicts = venue_conflicts(venues, starts_at, ends_at, exclude_id)
    if conflicts:
        raise VenueConflict(*conflicts[0])


# --- Saving -------------------------------------------------------------------------------


def _validate(data: ConferenceData) -> None:
    if data.ends_at <= data.starts_at:
        raise SchedulingError(_l("The conference must end after it starts."))
    if data.venue_id:
        venue = db.session.get(Venue, data.venue_id)
        if venue is None or venue.retired_at is not None:
            raise SchedulingError(_l("This venue is no longer in use."))
    for person_id in (data.chair_id, data.secretary_id):
        if person_id and db.session.get(Person, person_id) is None:
            raise SchedulingError(_l("Choose the chair and the secretary from the directory."))
    if db.session.get(OrganisingBody, data.body_id) is None:
        raise SchedulingError(_l("Choose the organising body."))


def create_conference(data: ConferenceData, user: User | None = None) -> Conference:
    """A new draft conference; refused when one of its halls is taken at that time."""
    _validate(data)
    check_venues({data.venue_id} - {None}, data.starts_at, data.ends_at, None)
    conference = Conference(status=ConferenceStatus.DRAFT, **vars(data))
    db.session.add(conference)
    db.session.flush()
    record("conference.create", conference, user)
    return conference


def update_conference(
    conference: Conference, data: ConferenceData, user: User | None = None
) -> Conference:
    """Save the form's changes; a change of time is recorded as a postponement."""
    require_editable(conference)
    _validate(data)
    bridge = {loc.venue_id for loc in conference.locations}
    check_venues(bridge | ({data.venue_id} - {None}), data.starts_at, data.ends_at, conference.id)
    before = (conference.starts_at, conference.ends_at)
    for key, value in vars(data).items():
        setattr(conference, key, value)
    db.session.flush()
    if before != (data.starts_at, data.ends_at):
        _record_move(conference, before, user)
    record("conference.update", conference, user)
    return conference


def postpone(
    conference: Conference, starts_at: datetime, ends_at: datetime, user: User | None = None
) -> Conference:
    """Move the conference to a new time (hoãn, dời lịch), keeping everything else."""
    require_editable(conference)
    if ends_at <= starts_at:
        raise SchedulingError(_l("The conference must end after it starts."))
    check_venues(venue_ids(conference), starts_at, ends_at, conference.id)
    before = (conference.starts_at, conference.ends_at)
    shift = starts_at - conference.starts_at
    conference.starts_at, conference.ends_at = starts_at, ends_at
    for item in conference.agenda_items:  # fixed agenda times move with the conference
        if item.planned_start:
            item.planned_start += shift
    db.session.flush()
    _record_move(conference, before, user)
    return conference


def _record_move(conference: Conference, before: tuple[datetime, datetime], user) -> None:
    record(
        "conference.postpone",
        conference,
        user,
        old_start=before[0].isoformat(),
        old_end=before[1].isoformat(),
        new_start=conference.starts_at.isoformat(),
        new_end=conference.ends_at.isoformat(),
    )


def require_editable(conference: Conference) -> None:
    if conference.status not in EDITABLE:
        raise SchedulingError(_l("A held or cancelled conference can no longer be changed."))


def change_status(
    conference: Conference,
    new: ConferenceStatus,
    user: User | None = None,
    reason: str | None = None,
) -> Conference:
    """Move along draft → scheduled → held, or to cancelled with a reason; refuse the rest."""
    old = conference.status
    if new not in TRANSITIONS[old]:
        raise SchedulingError(
            _l("A conference cannot go from %(old)s to %(new)s.", old=old.value, new=new.value)
        )
    reason = (reason or "").strip()
    if new == ConferenceStatus.CANCELLED and not reason:
        raise SchedulingError(_l("Give the reason for the cancellation."))
    if new == ConferenceStatus.HELD and conference.starts_at > now():
        raise SchedulingError(_l("A conference can be marked held only once it has started."))
    if new == ConferenceStatus.SCHEDULED:
        check_venues(venue_ids(conference), conference.starts_at, conference.ends_at, conference.id)
    conference.status = new
    conference.cancel_reason = reason if new == ConferenceStatus.CANCELLED else None
    db.session.flush()
    record(
        f"conference.{new.value}",
        conference,
        user,
        **{"from": old.value, "to": new.value, **({"reason": reason} if reason else {})},
    )
    return conference


# --- People invited to two conferences at once --------------------------------------------


@dataclass(frozen=True)
class DoubleInvitation:
    person: Person
    other: Conference


def _clashes(conference: Conference):
    """(this conference's invitation alias, a select builder over the pairs of one of its
    invitations and another overlapping conference inviting the same person)."""
    mine, theirs = aliased(Invitation), aliased(Invitation)

    def build(*columns):
        return (
            select(*columns)
            .select_from(mine)
            .join(theirs, and_(theirs.person_id == mine.person_id, theirs.id != mine.id))
            .join(Conference, Conference.id == theirs.conference_id)
            .where(
                mine.conference_id == conference.id,
                Conference.id != conference.id,
                Conference.status != ConferenceStatus.CANCELLED,
                Conference.starts_at < conference.ends_at,
                Conference.ends_at > conference.starts_at,
            )
        )

    return mine, build


def double_invitations(conference: Conference, limit: int | None = None) -> list[DoubleInvitation]:
    """Invitees of this conference also invited to another one that overlaps it (the first
    `limit` of them: two city-wide conferences can share thousands)."""
    mine, build = _clashes(conference)
    query = (
        build(Person, Conference)
        .join(Person, Person.id == mine.person_id)
        .order_by(Conference.starts_at, Person.full_name)
    )
    rows = db.session.execute(query.limit(limit) if limit else query).all()
    return [DoubleInvitation(person, other) for person, other in rows]


def count_double_invitations(conference: Conference) -> int:
    """How many invitations of this conference clash with another overlapping one."""
    mine, build = _clashes(conference)
    return db.session.scalar(build(func.count(func.distinct(mine.id))))


# --- Bridge points ------------------------------------------------------------------------


def add_location(
    conference: Conference, venue: Venue, host: Person | None, user: User | None = None
) -> ConferenceLocation:
    """Add a bridge point; its hall must be free, as the main hall must."""
    require_editable(conference)
    if venue.id in venue_ids(conference):
        raise SchedulingError(_l("This venue is already a location of the conference."))
    if venue.retired_at is not None:
        raise SchedulingError(_l("This venue is no longer in use."))
    check_venues({venue.id}, conference.starts_at, conference.ends_at, conference.id)
    location = ConferenceLocation(conference=conference, venue=venue, host=host)
    db.session.add(location)
    db.session.flush()
    record("conference.location_add", conference, user, venue=venue.name)
    return location


def remove_location(location: ConferenceLocation, user: User | None = None) -> None:
    """Remove a bridge point; its invitees go back to the main hall."""
    conference = location.conference
    require_editable(conference)
    db.session.execute(
        Invitation.__table__.update()
        .where(Invitation.location_id == location.id)
        .values(location_id=None)
    )
    record("conference.location_remove", conference, user, venue=location.venue.name)
    conference.locations.remove(location)
    db.session.flush()


def assign_location(
    invitations: list[Invitation], location: ConferenceLocation | None, user: User | None = None
) -> int:
    """Send these invitees to a bridge point (None: the main hall). Returns how many moved."""
    moved = 0
    for invitation in invitations:
        if location is not None and location.conference_id != invitation.conference_id:
            raise SchedulingError(_l("This location belongs to another conference."))
        new_id = location.id if location else None
        if invitation.location_id != new_id:
            invitation.location_id = new_id
            invitation.updated_at = now()
            moved += 1
    if invitations and moved:
        record(
            "conference.assign_location",
            invitations[0].conference,
            user,
            location=location.venue.name if location else None,
            invitations=moved,
        )
    db.session.flush()
    return moved


def assign_category_to_location(
    conference: Conference,
    category_id: int | None,
    location: ConferenceLocation | None,
    user: User | None = None,
) -> int:
    """Send every invitee of one category (None: all invitees) to a location."""
    query = select(Invitation).where(Invitation.conference_id == conference.id)
    if category_id:
        query = query.where(Invitation.category_id == category_id)
    return assign_location(list(db.session.scalars(query)), location, user)


def location_counts(conference: Conference) -> dict[int | None, int]:
    """Invitations per location id (None: the main hall)."""
    rows = db.session.execute(
        select(Invitation.location_id, func.count())
        .where(Invitation.conference_id == conference.id)
        .group_by(Invitation.location_id)
    ).all()
    return dict(rows)


# --- Duplicating --------------------------------------------------------------------------


def draft_copy(conference: Conference, starts_at: datetime, **overrides) -> Conference:
    """A new, unsaved draft of the same format at a new time: programme, documents, bridge
    points, chair and secretary; fixed agenda times move with the conference."""
    shift = starts_at - conference.starts_at
    fields = dict(
        body_id=conference.body_id,
        title=conference.title,
        kind=conference.kind,
        starts_at=starts_at,
        ends_at=conference.ends_at + shift,
        venue_id=conference.venue_id,
        chair_id=conference.chair_id,
        secretary_id=conference.secretary_id,
        secretary_text=conference.secretary_text,
        notes=conference.notes,
        requirements=conference.requirements,
        checkin_opens_minutes=conference.checkin_opens_minutes,
        status=ConferenceStatus.DRAFT,
    )
    copy = Conference(**{**fields, **overrides})
    copy.document_links = [
        ConferenceDocument(document_id=link.document_id, position=link.position)
        for link in conference.document_links
    ]
    copy.agenda_items = [
        AgendaItem(
            position=item.position,
            title=item.title,
            presenter_id=item.presenter_id,
            presenter_name=item.presenter_name,
            document_id=item.document_id,
            planned_start=item.planned_start + shift if item.planned_start else None,
            duration_minutes=item.duration_minutes,
        )
        for item in conference.agenda_items
    ]
    copy.locations = [
        ConferenceLocation(venue_id=loc.venue_id, host_id=loc.host_id)
        for loc in conference.locations
    ]
    return copy


def duplicate(conference: Conference, starts_at: datetime, user: User | None = None) -> Conference:
    """A new draft with the same format at a new time: agenda, documents and bridge points.

    Invitations are not copied: the invitee list of a recurring format changes between
    sessions, and copies would carry stale RSVPs and absences; the list is rebuilt by category.
    """
    copy = draft_copy(conference, starts_at)
    check_venues(venue_ids(copy), copy.starts_at, copy.ends_at, None)
    db.session.add(copy)
    db.session.flush()
    record("conference.duplicate", copy, user, source=conference.id)
    return copy

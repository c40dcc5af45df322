"""Venues (hội trường): the halls conferences are held in, and bridge points relay to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from meetings.clock import now
from meetings.conferences.scheduling import SchedulingError
from meetings.extensions import db
from meetings.models import User, Venue, record
from meetings.text import collation_key


def list_venues(include_retired: bool = False) -> list[Venue]:
    query = select(Venue)
    if not include_retired:
        query = query.where(Venue.retired_at.is_(None))
    venues = db.session.scalars(query).all()
    return sorted(venues, key=lambda v: (v.retired_at is not None, collation_key(v.name)))


def save_venue(
    venue: Venue | None,
    name: str,
    address: str | None,
    capacity: int | None,
    body_id: int | None,
    user: User | None = None,
) -> Venue:
    """Create (venue None) or edit a venue; two active venues may not share a name."""
    same = db.session.scalar(
        select(Venue).where(
            func.lower(Venue.name) == name.lower(),
            Venue.retired_at.is_(None),
            Venue.id != (venue.id if venue else -1),
        )
    )
    if same:
        raise SchedulingError(_l("A venue called %(name)s already exists.", name=name))
    if venue is None:
        venue = Venue()
        db.session.add(venue)
    venue.name, venue.address, venue.capacity, venue.body_id = name, address, capacity, body_id
    db.session.flush()
    record("venue.save", venue, user, name=name)
    return venue


def retire_venue(venue: Venue, user: User | None = None) -> None:
    """No new conferences there; past and planned ones keep it."""
    venue.retired_at = now()
    db.session.flush()
    record("venue.retire", venue, user)


def reinstate_venue(venue: Venue, user: User | None = None) -> None:
    venue.retired_at = None
    db.session.flush()
    record("venue.reinstate", venue, user)

"""Make-up sessions (học bù): a draft conference for exactly those not yet briefed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from meetings.clock import now
from meetings.conferences.scheduling import draft_copy
from meetings.coverage.service import pending_subjects
from meetings.extensions import db
from meetings.models import (
    Conference,
    ConferenceDocument,
    ConferenceStatus,
    Invitation,
    User,
    record,
)

# Official text (it goes on the invitation letters), so Vietnamese whatever the UI language.
MAKEUP_SUFFIX = "(học bù lần {n})"
DAYS_LATER = 7  # a week after the original: time to send the invitations (3 working days)
SEARCH_DAYS = 30  # how far to look for a day the venue is free


class NothingToMakeUp(Exception):
    """Everyone invited has been briefed on every document the conference covers."""


class MakeupExists(Exception):
    """A make-up session on these documents is already planned (draft or scheduled)."""

    def __init__(self, conference: Conference) -> None:
        super().__init__(conference.id)
        self.conference = conference


PLANNED = (ConferenceStatus.DRAFT, ConferenceStatus.SCHEDULED)


def planned_makeup(body_id: int, document_ids: list[int]) -> Conference | None:
    """A make-up session of the body, not yet held nor cancelled, covering one of the
    documents: pressing "schedule" again must lead to it, not create a second one."""
    if not document_ids:
        return None
    return db.session.scalar(
        select(Conference)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .where(
            Conference.body_id == body_id,
            Conference.makeup_of_id.is_not(None),
            Conference.status.in_(PLANNED),
            ConferenceDocument.document_id.in_(document_ids),
        )
        .order_by(Conference.starts_at, Conference.id)
        .limit(1)
    )


def latest_held(body_id: int, document_id: int) -> Conference | None:
    """The most recent held conference of the body covering the document."""
    return db.session.scalar(
        select(Conference)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .where(
            Conference.body_id == body_id,
            ConferenceDocument.document_id == document_id,
            Conference.status == ConferenceStatus.HELD,
        )
        .order_by(Conference.starts_at.desc(), Conference.id.desc())
        .limit(1)
    )


def schedule_makeup(original: Conference, user: User | None = None) -> Conference:
    """Create a DRAFT make-up of `original`: same documents, agenda, venue and chair, a week
    later, inviting every invitee not yet briefed on one of its documents, with their category.
    Raises NothingToMakeUp when nobody is left, MakeupExists when a make-up on one of its
    documents is already planned, ValueError when it covers no document."""
    documents = original.documents
    if not documents:
        raise ValueError("a conference without documents has nothing to make up")
    planned = planned_makeup(original.body_id, [d.id for d in documents])
    if planned is not None:
        raise MakeupExists(planned)
    pending = pending_subjects(original.body_id, [d.id for d in documents])
    if not pending:
        raise NothingToMakeUp(original.id)
    makeup = _draft_like(original)
    db.session.add(makeup)
    db.session.flush()
    db.session.execute(  # token, short code, RSVP and time: the model's defaults, row by row
        insert(Invitation),
        [
            dict(
                conference_id=makeup.id,
                person_id=p.person_id,
                unit_id=p.unit_id,
                role_title=p.role_title,
                deputy_title=p.deputy_title,
                deputy_allowed=p.deputy_allowed,
                category_id=p.category_id,
            )
            for p in pending
        ],
    )
    record("conference.makeup", makeup, user, makeup_of=original.id, invited=len(pending))
    return makeup


def _draft_like(original: Conference) -> Conference:
    """The original's format (documents, agenda, chair, venue…) at the next free time."""
    root, depth = _root_and_depth(original)
    return draft_copy(
        original,
        proposed_start(original),
        title=f"{root.title} {MAKEUP_SUFFIX.format(n=depth)}",
        makeup_of_id=original.id,
        is_demo=original.is_demo,
    )


def _root_and_depth(conference: Conference) -> tuple[Conference, int]:
    """The first session of the chain, and which make-up the next one is (1, 2, …)."""
    depth = 1
    while conference.makeup_of is not None:
        conference, depth = conference.makeup_of, depth + 1
    return conference, depth


def proposed_start(original: Conference) -> datetime:
    """A week after the original (a week from today if that has passed), same time of day,
    moved on day by day while the venue is taken."""
    starts = original.starts_at + timedelta(days=DAYS_LATER)
    moment = now()
    if starts < moment:
        starts = datetime.combine(
            moment.date() + timedelta(days=DAYS_LATER), original.starts_at.time()
        )
    length = original.ends_at - original.starts_at
    if original.venue_id is None:
        return starts
    for _ in range(SEARCH_DAYS):
        if not _venue_taken(original.venue_id, starts, starts + length):
            break
        starts += timedelta(days=1)
    return starts


def _venue_taken(venue_id: int, starts: datetime, ends: datetime) -> bool:
    return (
        db.session.scalar(
            select(Conference.id)
            .where(
                Conference.venue_id == venue_id,
                Conference.status != ConferenceStatus.CANCELLED,
                Conference.starts_at < ends,
                Conference.ends_at > starts,
            )
            .limit(1)
        )
        is not None
    )

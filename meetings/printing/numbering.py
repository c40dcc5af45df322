"""Document numbers from the body's DocumentCounter: proposed, editable, then issued once.

Party documents number from 01 within the committee's term, state documents within the year.
A number typed by the clerk before issuing is kept, and the counter moves past it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import select

from meetings.clock import now
from meetings.extensions import db
from meetings.models import Conference, DocumentCounter, Layout, OrganisingBody, User, record


class NumberedKind(StrEnum):
    MINUTES = "BB"
    LETTERS = "GM"


_COLUMNS = {NumberedKind.MINUTES: "minutes", NumberedKind.LETTERS: "letters"}


class AlreadyIssued(ValueError):
    """The number of an issued document does not change."""


def period_of(body: OrganisingBody, on: date) -> str:
    """ "term-2020" for a Party body with a known term, else the year ("2023")."""
    if body.layout == Layout.PARTY and body.term_started_on:
        return f"term-{body.term_started_on.year}"
    return str(on.year)


def document_date(conference: Conference, kind: NumberedKind) -> date | None:
    """The date a document bears. Minutes: the day of the conference. Letters: the date the
    clerk set when numbering or issuing them, else the day they were issued, else today for a
    conference still ahead; None for unissued letters of a past conference (the date line is
    left blank for the pen, never dated years after the conference)."""
    if kind == NumberedKind.MINUTES:
        return conference.starts_at.date()
    if conference.letters_date:
        return conference.letters_date
    if conference.letters_issued_at:
        return conference.letters_issued_at.date()
    today = now().date()
    return today if conference.starts_at.date() >= today else None


def current_number(conference: Conference, kind: NumberedKind) -> int | None:
    return getattr(conference, f"{_COLUMNS[kind]}_number")


def issued_at(conference: Conference, kind: NumberedKind):
    return getattr(conference, f"{_COLUMNS[kind]}_issued_at")


def _counter(conference: Conference, kind: NumberedKind, lock: bool) -> DocumentCounter | None:
    period = period_of(conference.body, document_date(conference, kind) or now().date())
    query = select(DocumentCounter).filter_by(
        body_id=conference.body_id, kind_code=kind.value, period=period
    )
    return db.session.scalar(query.with_for_update() if lock else query)


def proposed_number(conference: Conference, kind: NumberedKind) -> int:
    """The number that issuing would take now, unless one was typed in."""
    set_number = current_number(conference, kind)
    if set_number is not None:
        return set_number
    counter = _counter(conference, kind, lock=False)
    return (counter.last_number if counter else 0) + 1


def set_number(conference: Conference, kind: NumberedKind, number: int | None) -> None:
    """Type in (or clear) the number before issuing."""
    if issued_at(conference, kind):
        raise AlreadyIssued(kind.value)
    if number is not None and number < 1:
        raise ValueError("document numbers start at 1")
    setattr(conference, f"{_COLUMNS[kind]}_number", number)


def issue(conference: Conference, kind: NumberedKind, user: User | None = None) -> int:
    """Fix the document's number (the typed one, or the counter's next) and its issue time."""
    if issued_at(conference, kind):
        raise AlreadyIssued(kind.value)
    counter = _counter(conference, kind, lock=True)
    if counter is None:
        counter = DocumentCounter(
            body_id=conference.body_id,
            kind_code=kind.value,
            period=period_of(conference.body, document_date(conference, kind) or now().date()),
            last_number=0,
        )
        db.session.add(counter)
    number = current_number(conference, kind) or counter.last_number + 1
    counter.last_number = max(counter.last_number, number)
    column = _COLUMNS[kind]
    setattr(conference, f"{column}_number", number)
    setattr(conference, f"{column}_issued_at", now())
    record(f"{column}.issue", conference, user, number=number)
    db.session.flush()
    return number

"""The check-in desk's invitee list: search without diacritics, substitutes by their own name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from meetings.extensions import db
from meetings.models import CheckIn, Invitation, InviteeCategory, Person
from meetings.text import clean, fold, name_sort_key


@dataclass(frozen=True)
class DeskRow:
    invitation: Invitation
    checkin: CheckIn | None


def _substituted(conference_id: int, words: list[str]) -> set[int]:
    """Invitations whose substitute — announced, or the one who came — has every word in
    their name, without diacritics: a deputy gives their own name at the desk."""
    rows = db.session.execute(
        select(Invitation.id, Invitation.substitute_name, CheckIn.substitute_name)
        .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
        .where(
            Invitation.conference_id == conference_id,
            or_(Invitation.substitute_name.is_not(None), CheckIn.substitute_name.is_not(None)),
        )
    ).all()
    return {
        invitation_id
        for invitation_id, *names in rows
        if any(name and all(w in fold(name) for w in words) for name in names)
    }


def desk_rows(
    conference_id: int, query: str | None, limit: int = 200, hide_present: bool = False
) -> tuple[list[DeskRow], int]:
    """Invitations matching every word of `query` without diacritics — in the invitee's
    person or in a substitute's name — or all; protocol order. `hide_present` leaves out
    those checked in.

    Returns the rows shown (at most `limit`) and how many matched.
    """
    stmt = (
        select(Invitation, CheckIn)
        .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(InviteeCategory, InviteeCategory.id == Invitation.category_id)
        .where(Invitation.conference_id == conference_id)
        .options(
            selectinload(Invitation.person).selectinload(Person.unit),
            selectinload(Invitation.unit),
            selectinload(Invitation.category),
        )
    )
    if hide_present:
        stmt = stmt.where(CheckIn.id.is_(None))
    query = clean(query)
    if query:
        code = query.replace(" ", "").replace("-", "").upper()
        folded = fold(query).split()
        words = [Person.search_text.contains(word, autoescape=True) for word in folded]
        substituted = _substituted(conference_id, folded) if folded else set()
        stmt = stmt.where(
            or_(
                Invitation.short_code == code,
                Invitation.id.in_(substituted),
                *([and_(*words)] if words else []),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.order_by(InviteeCategory.protocol_order.nulls_last(), Invitation.id).limit(limit)
    ).all()
    category_rank: dict[int | None, int] = {}
    for invitation, _ in rows:
        category_rank.setdefault(invitation.category_id, len(category_rank))
    ordered = sorted(
        rows,
        key=lambda r: (category_rank[r[0].category_id], name_sort_key(r[0].invitee_label)),
    )
    return [DeskRow(i, c) for i, c in ordered], total or 0

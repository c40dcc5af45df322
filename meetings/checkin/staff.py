"""Staff at the door and at the desk: who is assigned where, and the desk's invitee list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from meetings.extensions import db
from meetings.models import (
    CheckIn,
    Conference,
    DoorAssignment,
    Invitation,
    InviteeCategory,
    Person,
    Role,
    User,
    record,
)
from meetings.text import clean, fold, name_sort_key


def door_users() -> list[User]:
    """Active door-staff accounts, by name."""
    users = db.session.scalars(select(User).where(User.role == Role.DOOR, User.active)).all()
    return sorted(users, key=lambda u: name_sort_key(str(u)))


def assignments(conference_id: int) -> dict[int, DoorAssignment]:
    rows = db.session.scalars(select(DoorAssignment).filter_by(conference_id=conference_id))
    return {a.user_id: a for a in rows}


def assign_door_staff(
    conference: Conference, chosen: dict[int, int | None], by: User
) -> tuple[int, int]:
    """Make exactly `chosen` (user id → location id or None) the door staff of the conference.

    Returns (added, removed). Locations of another conference and non-door users are refused.
    """
    valid_locations = {loc.id for loc in conference.locations}
    door_ids = {u.id for u in door_users()}
    if not set(chosen) <= door_ids:
        raise ValueError("only active door-staff accounts can be assigned")
    if any(loc is not None and loc not in valid_locations for loc in chosen.values()):
        raise ValueError("a location of another conference")
    current = assignments(conference.id)
    added = removed = 0
    for user_id, assignment in current.items():
        if user_id not in chosen:
            db.session.delete(assignment)
            removed += 1
        else:
            assignment.location_id = chosen[user_id]
    for user_id, location_id in chosen.items():
        if user_id not in current:
            db.session.add(
                DoorAssignment(
                    conference_id=conference.id, user_id=user_id, location_id=location_id
                )
            )
            added += 1
    record("checkin.door_staff", conference, by, users=sorted(chosen), added=added, removed=removed)
    db.session.flush()
    return added, removed


def set_auto_checkin(conference_id: int, user: User, auto: bool) -> bool:
    """Door staff choose whether opening a personal link checks in at once; False if unassigned."""
    assignment = db.session.get(DoorAssignment, (conference_id, user.id))
    if assignment is None:
        return False
    assignment.auto_checkin = auto
    db.session.flush()
    return True


@dataclass(frozen=True)
class DeskRow:
    invitation: Invitation
    checkin: CheckIn | None


def desk_rows(conference_id: int, query: str | None, limit: int = 200) -> tuple[list[DeskRow], int]:
    """Invitations matching every word of `query` without diacritics (or all), protocol order.

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
    query = clean(query)
    if query:
        code = query.replace(" ", "").replace("-", "").upper()
        words = [Person.search_text.contains(word, autoescape=True) for word in fold(query).split()]
        stmt = stmt.where(or_(Invitation.short_code == code, *([and_(*words)] if words else [])))
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

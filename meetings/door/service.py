"""The door's domain: who keeps which door, the phones' offline roster and their own tokens."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from meetings.auth.service import create_api_token, revoke_api_tokens
from meetings.checkin import service as checkin_service
from meetings.clock import now, rfc3339
from meetings.extensions import db
from meetings.models import (
    ApiToken,
    CheckIn,
    Conference,
    DoorAssignment,
    Invitation,
    Role,
    User,
    hash_api_token,
    record,
)
from meetings.text import name_sort_key

DOOR_DEVICE_PREFIX = "door device"

# --- Door staff ---------------------------------------------------------------------------------


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


# --- The door's offline roster and its device token -------------------------------------------


def _checkins_by_invitation(conference_id: int) -> dict[int, tuple]:
    rows = db.session.execute(
        select(
            CheckIn.invitation_id,
            CheckIn.checked_in_at,
            CheckIn.method,
            func.coalesce(User.full_name, User.username),
        )
        .outerjoin(User, User.id == CheckIn.user_id)
        .where(CheckIn.conference_id == conference_id, CheckIn.invitation_id.is_not(None))
    ).all()
    return {row[0]: row[1:] for row in rows}


def _announced_deputies(conference_id: int) -> dict[int, dict]:
    rows = db.session.execute(
        select(Invitation.id, Invitation.substitute_name, Invitation.substitute_position).where(
            Invitation.conference_id == conference_id, Invitation.substitute_name.is_not(None)
        )
    ).all()
    return {id_: {"name": name, "position": position} for id_, name, position in rows}


def door_roster(conference: Conference) -> dict:
    """What a door phone keeps to answer scans offline: per invitation the token's SHA-256
    (never the token), name, position, unit, category, reply, the announced deputy and an
    earlier check-in — no phone, no absence note, no short code. It expires when check-in
    closes; the page deletes it then, and when its user signs out."""
    opens_at, closes_at = checkin_service.conference_window(conference)
    checkins = _checkins_by_invitation(conference.id)
    deputies = _announced_deputies(conference.id)
    entries = []
    for attendee in checkin_service.conference_attendees(conference.id):
        entry = {
            "h": hash_api_token(attendee.token),
            "name": attendee.name,
            "position": attendee.position,
            "unit": attendee.unit,
            "category": attendee.category,
            "rsvp": attendee.rsvp.value,
            "deputy": deputies.get(attendee.invitation_id),
            "seat": None,  # the seating plan's label, when the conference has one
        }
        if attendee.invitation_id in checkins:
            checked_in_at, method, by = checkins[attendee.invitation_id]
            entry["at"] = rfc3339(checked_in_at)
            entry["method"], entry["by"] = method.value, by
        entries.append(entry)
    return {
        "conference": {
            "id": conference.id,
            "title": conference.title,
            "opens_at": rfc3339(opens_at),
            "closes_at": rfc3339(closes_at),
            "state": checkin_service.door_state(conference),
            "cancel_reason": conference.cancel_reason,
        },
        "expires_at": rfc3339(closes_at),
        "fetched_at": rfc3339(now()),
        "entries": entries,
    }


def issue_door_device(user: User, conference_id: int) -> str:
    """An API token for one door phone of this user (shown once; the caller commits). It
    acts as the user: a door-staff account checks in only where it is assigned."""
    return create_api_token(user, name=f"{DOOR_DEVICE_PREFIX} {conference_id}")


def door_devices(conference_id: int) -> list[ApiToken]:
    """The door phones set up for this conference whose tokens still work, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(
                ApiToken.name == f"{DOOR_DEVICE_PREFIX} {conference_id}",
                ApiToken.revoked_at.is_(None),
            )
            .options(selectinload(ApiToken.user))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_door_device(conference_id: int, token_id: int, by: User) -> bool:
    """A lost phone: the secretariat revokes its token (the caller commits); False if the
    token is not one of this conference's door phones."""
    device = next((d for d in door_devices(conference_id) if d.id == token_id), None)
    if device is None:
        return False
    revoke_api_tokens(device.user, device.id)
    record("checkin.door_device_revoked", device, by, conference_id=conference_id)
    return True


def forget_door_device(user: User, token: str) -> bool:
    """Revoke the door phone's token (signed out, lost, or done); False if not the user's."""
    token_id = db.session.scalar(
        select(ApiToken.id).where(
            ApiToken.token_hash == hash_api_token(token),
            ApiToken.user_id == user.id,
            ApiToken.name.startswith(DOOR_DEVICE_PREFIX),
        )
    )
    return token_id is not None and revoke_api_tokens(user, token_id) > 0

"""What a check-in means, with no request: who may scan, when the door is open, what is recorded.

Every way in (the personal QR, the venue QR, the desk and the API) goes through the same two
steps for one scan or several: `plan_scans` reads their invitations in one SELECT and applies
the rules in Python; `record_scans` writes what they decided in the caller's transaction, with
one INSERT … ON CONFLICT (invitation) DO NOTHING RETURNING for every arrival. The unique
constraint on the invitation decides every race: an arrival the INSERT did not write lost to
another scan, whose check-in is read and answered as "already". A refused scan is kept as a
ScanFailure. `check_in` is both steps for one scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import Connection, Executable, Row, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceStatus,
    DoorAssignment,
    Invitation,
    InviteeCategory,
    Person,
    Role,
    Rsvp,
    ScanFailure,
    SeatAssignment,
    Unit,
    User,
    record,
)
from meetings.models.base import StrEnum
from meetings.seating.service import SeatPlace
from meetings.text import clean, normalize_short_code


class Status(StrEnum):
    OK = "ok"
    ALREADY = "already"
    INVALID = "invalid"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    WRONG_CONFERENCE = "wrong_conference"


# Roles that may check anyone in at any conference; door staff only where assigned.
OFFICE_ROLES = (Role.ADMIN, Role.SECRETARIAT, Role.CLERK)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,43}")
ID_MAX = 2**31 - 1  # the database's integer columns: a larger id names no row
_LINK_TOKEN = re.compile(r"/c/([^/?#\s]+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# INSERT … ON CONFLICT is dialect-specific Core; both databases support it with RETURNING.
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def connection() -> Connection:
    """The session's connection, in its transaction. The scan path runs Core statements
    built once at import: the ORM's per-statement work cost more than the database's."""
    return db.session.connection()


def per_dialect(statements: dict[str, Executable]) -> Executable:
    """The statement for the session's database, of those built for each at import."""
    return statements[connection().dialect.name]


@dataclass(frozen=True)
class Actor:
    """Who scans: a staff user (id, role, name) or nobody (the attendee's own phone)."""

    id: int | None = None
    role: Role | None = None
    name: str | None = None

    @classmethod
    def of(cls, user: User | None) -> Actor:
        if user is None or not getattr(user, "is_authenticated", True):
            return SELF
        return cls(user.id, Role(user.role), str(user))


SELF = Actor()


@dataclass(frozen=True)
class DoorPost:
    """Where a staff member may check people in: allowed at all, the bridge point they keep,
    and whether opening a personal QR checks in at once."""

    allowed: bool
    location_id: int | None = None
    auto_checkin: bool = False


@dataclass(frozen=True)
class Attendee:
    """What a scan shows about the invitee: their own data only."""

    invitation_id: int
    conference_id: int
    token: str
    short_code: str
    name: str
    position: str | None
    unit: str | None
    category: str | None
    rsvp: Rsvp
    absence_reason: str | None
    announced_substitute: str | None
    location_id: int | None
    seat: SeatPlace | None = None  # from the seating plan, when there is one


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: str | None = None  # unknown_token, malformed_token… for failures
    attendee: Attendee | None = None
    conference_id: int | None = None
    conference_title: str | None = None
    checkin_id: int | None = None
    checked_in_at: datetime | None = None
    method: CheckInMethod | None = None
    by: str | None = None  # the staff member of an earlier check-in; None: self
    substitute: str | None = None  # who came in the invitee's place
    opens_at: datetime | None = None
    ends_at: datetime | None = None
    cancel_reason: str | None = None

    @property
    def present(self) -> bool:
        """The invitee is in: checked in now or before."""
        return self.status in (Status.OK, Status.ALREADY)


# --- Reading an invitation ------------------------------------------------------------------

_inv, _conf, _person = Invitation.__table__, Conference.__table__, Person.__table__
_cat, _checkins, _users = InviteeCategory.__table__, CheckIn.__table__, User.__table__
_seats = SeatAssignment.__table__
_invitation_unit = aliased(Unit.__table__, name="invitation_unit")
_person_unit = aliased(Unit.__table__, name="person_unit")

# The invitation with what a scan shows and what the rules need, in one SELECT.
_LOOKUP = (
    select(
        *_inv.c["id", "conference_id", "token", "short_code", "role_title", "rsvp"],
        *_inv.c["absence_reason", "substitute_name", "substitute_position", "location_id"],
        *_person.c["full_name", "position"],
        func.coalesce(_invitation_unit.c.name, _person_unit.c.name).label("unit"),
        _cat.c.name.label("category"),
        *_conf.c["title", "starts_at", "ends_at", "status", "cancel_reason"],
        _conf.c.checkin_opens_minutes,
        _seats.c.row.label("seat_row"),
        _seats.c.seat.label("seat_number"),
    )
    .select_from(_inv)
    .join(_conf, _conf.c.id == _inv.c.conference_id)
    .outerjoin(_seats, _seats.c.invitation_id == _inv.c.id)
    .outerjoin(_person, _person.c.id == _inv.c.person_id)
    .outerjoin(_invitation_unit, _invitation_unit.c.id == _inv.c.unit_id)
    .outerjoin(_person_unit, _person_unit.c.id == _person.c.unit_id)
    .outerjoin(_cat, _cat.c.id == _inv.c.category_id)
)
_BY_TOKENS = _LOOKUP.where(_inv.c.token.in_(bindparam("keys", expanding=True)))
_BY_IDS = _LOOKUP.where(_inv.c.id.in_(bindparam("keys", expanding=True)))
_BY_SHORT_CODE = _LOOKUP.where(_inv.c.short_code == bindparam("key"))
_OF_CONFERENCE = _LOOKUP.where(_inv.c.conference_id == bindparam("key")).order_by(_inv.c.id)

_DOOR_POST = select(DoorAssignment.location_id, DoorAssignment.auto_checkin).where(
    DoorAssignment.conference_id == bindparam("conference_id"),
    DoorAssignment.user_id == bindparam("user_id"),
)
_FAILURE = insert(ScanFailure.__table__)
_CHECKIN = {
    name: dialect_insert(_checkins)
    .on_conflict_do_nothing(index_elements=["invitation_id"])
    .returning(*_checkins.c["invitation_id", "id", "checked_in_at", "method", "substitute_name"])
    for name, dialect_insert in INSERTS.items()
}
_EARLIER = (
    select(
        *_checkins.c["invitation_id", "id", "checked_in_at", "method", "substitute_name"],
        func.coalesce(_users.c.full_name, _users.c.username).label("by"),
    )
    .select_from(_checkins)
    .outerjoin(_users, _users.c.id == _checkins.c.user_id)
    .where(_checkins.c.invitation_id.in_(bindparam("ids", expanding=True)))
)


def token_from_scan(text: str | None) -> str:
    """The token in what a scanner typed: a whole personal link, or the bare token."""
    text = (text or "").strip()
    match = _LINK_TOKEN.search(text)
    return match.group(1) if match else text


def _attendee(row) -> Attendee:
    substitute = ", ".join(p for p in (row.substitute_name, row.substitute_position) if p)
    return Attendee(
        invitation_id=row.id,
        conference_id=row.conference_id,
        token=row.token,
        short_code=row.short_code,
        name=row.full_name or (row.role_title or "").strip() or "—",
        position=row.position or row.role_title,
        unit=row.unit,
        category=row.category,
        rsvp=Rsvp(row.rsvp),
        absence_reason=row.absence_reason,
        announced_substitute=substitute or None,
        location_id=row.location_id,
        seat=SeatPlace(row.seat_row, row.seat_number) if row.seat_row is not None else None,
    )


Target = Attendee | str | int  # an invitation: as a scan shows it, its id, or its token


def _key(target: Target) -> str | int | None:
    """The id or token that finds an invitation; None for a malformed token."""
    if isinstance(target, Attendee):
        return target.invitation_id
    if isinstance(target, int):
        return target
    return target if TOKEN_PATTERN.fullmatch(target or "") else None


def _rows_of(targets: list[Target]) -> dict[str | int, Row]:
    """The lookup rows of these invitations, by id and by token, in a SELECT of each kind."""
    keys = {_key(target) for target in targets} - {None}
    rows: dict[str | int, Row] = {}
    for statement, kind in ((_BY_IDS, int), (_BY_TOKENS, str)):
        if wanted := [key for key in keys if isinstance(key, kind)]:
            for row in connection().execute(statement, {"keys": wanted}):
                rows[row.id] = rows[row.token] = row
    return rows


def find_attendee(target: Target) -> Attendee | None:
    """The invitee an id or a personal link's token points to, or None (unknown or
    malformed)."""
    key = _key(target)
    row = _rows_of([key]).get(key) if key is not None else None
    return _attendee(row) if row else None


def conference_attendees(conference_id: int) -> list[Attendee]:
    """Every invitee of a conference as a scan shows them (the door's offline roster)."""
    rows = connection().execute(_OF_CONFERENCE, {"key": conference_id})
    return [_attendee(row) for row in rows]


def find_by_short_code(conference_id: int, code: str) -> Attendee | None:
    """The invitee of this conference with that printed code (typos normalised), or None."""
    try:
        code = normalize_short_code(code)
    except ValueError:
        return None
    row = connection().execute(_BY_SHORT_CODE, {"key": code}).one_or_none()
    return _attendee(row) if row and row.conference_id == conference_id else None


# --- Rules ----------------------------------------------------------------------------------


def conference_window(conference) -> tuple[datetime, datetime]:
    """When the door of a conference (a Conference or a lookup row) is open: from
    `checkin_opens_minutes` before the start until the end."""
    opens_at = conference.starts_at - timedelta(minutes=conference.checkin_opens_minutes)
    return opens_at, conference.ends_at


def door_state(conference, at: datetime | None = None) -> Status | None:
    """Why the conference (a Conference or a lookup row) refuses arrivals at `at` (default
    now): not_open, closed, cancelled; None while its door is open."""
    status = ConferenceStatus(conference.status)
    if status == ConferenceStatus.CANCELLED:
        return Status.CANCELLED
    opens_at, closes_at = conference_window(conference)
    at = at or now()
    if status == ConferenceStatus.DRAFT or at < opens_at:
        return Status.NOT_OPEN
    return Status.CLOSED if at > closes_at else None


def door_post(actor: Actor, conference_id: int) -> DoorPost:
    """Where `actor` may check people in at this conference (the attendee: their own)."""
    if actor.role is None or actor.role in OFFICE_ROLES:
        return DoorPost(True)
    if actor.role != Role.DOOR:
        return DoorPost(False)
    params = {"conference_id": conference_id, "user_id": actor.id}
    assignment = connection().execute(_DOOR_POST, params).one_or_none()
    if assignment is None:
        return DoorPost(False)
    return DoorPost(True, assignment.location_id, bool(assignment.auto_checkin))


# --- Writing --------------------------------------------------------------------------------


def plain(value: str | None, limit: int) -> str | None:
    """One line of text for a column: NFC, trimmed, no control characters (PostgreSQL
    refuses NUL), at most `limit` characters; None when blank."""
    value = clean(_CONTROL.sub(" ", value)) if value else None
    return value[:limit] if value else None


@dataclass(frozen=True)
class Scan:
    """One scan to decide: the invitation, how it was scanned, by whom, where and when.

    `conference_id` is the conference the scanning device or page works for: a token of
    another conference is refused as wrong_conference, as is a door-staff member who is not
    assigned to the invitation's conference.
    """

    target: Target | None  # None: a walk-in, who has no invitation
    method: CheckInMethod
    actor: Actor = SELF
    gate: str | None = None
    location_id: int | None = None
    conference_id: int | None = None
    substitute_name: str | None = None
    substitute_position: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class Plan:
    """A scan decided from what was read, before anything is written: a refusal (its
    outcome and the failure to keep) or an arrival (the check-in to insert)."""

    refused: Outcome | None
    failure: dict | None = None
    checkin: dict | None = None
    row: Row | None = None
    actor: Actor = SELF


def _failure(reason: str, scan: Scan, conference_id: int | None, at: datetime) -> dict:
    token = scan.target if isinstance(scan.target, str) else None
    return {
        "conference_id": conference_id,
        "reason": reason,
        "token_excerpt": plain(token, 8),  # never the whole secret
        "method": scan.method.value,
        "user_id": scan.actor.id,
        "gate": plain(scan.gate, 50),
        "created_at": at,
    }


def record_failure(reason: str, scan: Scan, conference_id: int | None = None) -> None:
    """Keep a failed scan: reason, staff member or self, gate, time (the caller commits)."""
    connection().execute(_FAILURE, _failure(reason, scan, conference_id, scan.at or now()))


class _Earlier(NamedTuple):
    """A check-in that was there before an arrival: read back, or written by the same call."""

    id: int
    checked_in_at: datetime
    method: str
    substitute_name: str | None
    by: str | None


def plan_scans(scans: list[Scan]) -> list[Plan]:
    """Read the invitations of these scans (one SELECT) and apply the rules to each;
    `record_scans` then writes what they decided."""
    rows = _rows_of([scan.target for scan in scans])
    post = cache(door_post)  # one read per door-staff member
    plans = []
    for scan in scans:
        row = rows.get(_key(scan.target))
        plans.append(_decide(scan, row, post(scan.actor, row.conference_id) if row else None))
    return plans


def _decide(scan: Scan, row: Row | None, post: DoorPost | None) -> Plan:
    """The rules, on what was read: a refusal with its failure, or the check-in to insert."""
    at = scan.at or now()
    if row is None:
        reason = "malformed_token" if _key(scan.target) is None else "unknown_token"
        outcome = Outcome(Status.INVALID, reason, conference_id=scan.conference_id)
        return Plan(outcome, _failure(reason, scan, scan.conference_id, at))
    if not post.allowed or scan.conference_id not in (None, row.conference_id):
        refusal = Status.WRONG_CONFERENCE
    else:
        refusal = door_state(row, at)
    if refusal is not None:
        where = scan.conference_id or row.conference_id
        return Plan(_refused(refusal, row, where), _failure(refusal.value, scan, where, at))
    checkin = {
        "conference_id": row.conference_id,
        "invitation_id": row.id,
        "location_id": scan.location_id or post.location_id or row.location_id,
        "checked_in_at": at,
        "method": scan.method.value,
        "user_id": scan.actor.id,
        "gate": plain(scan.gate, 50),
        "substitute_name": plain(scan.substitute_name, 200),
        "substitute_position": plain(scan.substitute_position, 300),
    }
    return Plan(None, checkin=checkin, row=row, actor=scan.actor)


def record_scans(plans: list[Plan]) -> list[Outcome]:
    """Write what the plans decided (the caller commits): the failures in one INSERT, the
    arrivals in another that skips every invitation checked in already; those are read back
    and answered as "already". Two arrivals of one invitation: the first checks in."""
    if failures := [plan.failure for plan in plans if plan.refused is not None]:
        connection().execute(_FAILURE, failures)
    firsts = {plan.row.id: plan for plan in reversed(plans) if plan.refused is None}
    checkins: dict[int, _Earlier] = {}
    inserted: set[int] = set()
    for _attempt in range(2):  # an undo between the two statements leaves room again
        # In invitation order: two writers waiting for each other's rows cannot deadlock.
        wanted = [firsts[key].checkin for key in sorted(firsts) if key not in checkins]
        if not wanted:
            break
        for row in connection().execute(per_dialect(_CHECKIN), wanted):
            checkins[row.invitation_id] = _Earlier(*row[1:], firsts[row.invitation_id].actor.name)
            inserted.add(row.invitation_id)
        if missing := [key for key in firsts if key not in checkins]:
            for row in connection().execute(_EARLIER, {"ids": missing}):
                checkins[row.invitation_id] = _Earlier(*row[1:])
    return [_recorded(plan, firsts, inserted, checkins) for plan in plans]


def _recorded(
    plan: Plan, firsts: dict[int, Plan], inserted: set[int], checkins: dict[int, _Earlier]
) -> Outcome:
    if plan.refused is not None:
        return plan.refused
    key = plan.row.id
    if key not in checkins:
        raise RuntimeError(f"invitation {key}: a check-in neither inserted nor found")
    new = key in inserted and firsts[key] is plan
    return _arrival(Status.OK if new else Status.ALREADY, checkins[key], plan.row)


def check_in(target: Target, **scan) -> Outcome:
    """Decide one scan and record it: a check-in, "already", or a failure (see Scan for
    the arguments). The caller commits."""
    [plan] = plan_scans([Scan(target, **scan)])
    [outcome] = record_scans([plan])
    return outcome


def _refused(status: Status, row, conference_id: int | None) -> Outcome:
    opens_at, ends_at = conference_window(row)
    visible = status != Status.WRONG_CONFERENCE  # another conference's data stays there
    return Outcome(
        status,
        status.value,
        attendee=_attendee(row) if visible else None,
        conference_id=conference_id,
        conference_title=row.title if visible else None,
        opens_at=opens_at,
        ends_at=ends_at,
        cancel_reason=row.cancel_reason if status == Status.CANCELLED else None,
    )


def _arrival(status: Status, checkin: _Earlier, row: Row) -> Outcome:
    return Outcome(
        status,
        checkin_id=checkin.id,
        checked_in_at=checkin.checked_in_at,
        method=CheckInMethod(checkin.method),
        by=checkin.by,
        substitute=checkin.substitute_name,
        attendee=_attendee(row),
        conference_id=row.conference_id,
        conference_title=row.title,
    )


def record_walk_in(
    conference_id: int,
    *,
    name: str,
    position: str | None = None,
    unit: str | None = None,
    actor: Actor,
    gate: str | None = None,
    location_id: int | None = None,
    at: datetime | None = None,
) -> Outcome:
    """Someone not on the list came: recorded without an invitation, which flags them."""
    at = at or now()
    name = plain(name, 200)
    if not name:
        raise ValueError("a walk-in needs a name")
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        raise LookupError(f"no conference {conference_id}")
    post = door_post(actor, conference_id)
    refusal = door_state(conference, at) if post.allowed else Status.WRONG_CONFERENCE
    if refusal:
        scan = Scan(None, CheckInMethod.DESK, actor, gate, at=at)
        record_failure(refusal.value, scan, conference_id)
        return Outcome(refusal, refusal.value, conference_id=conference_id)
    checkin = CheckIn(
        conference_id=conference_id,
        location_id=location_id or post.location_id,
        checked_in_at=at,
        method=CheckInMethod.DESK,
        user_id=actor.id,
        gate=plain(gate, 50),
        walk_in_name=name,
        walk_in_position=plain(position, 300),
        walk_in_unit=plain(unit, 200),
    )
    db.session.add(checkin)
    db.session.flush()
    return Outcome(
        Status.OK,
        conference_id=conference_id,
        conference_title=conference.title,
        checkin_id=checkin.id,
        checked_in_at=at,
        method=CheckInMethod.DESK,
    )


def undo_check_in(conference_id: int, checkin_id: int, user: User, reason: str) -> CheckIn | None:
    """Remove a check-in of this conference, keeping who, when, how and why in the audit log
    (caller commits); None if the conference has no such check-in."""
    reason = clean(reason)
    if not reason:
        raise ValueError("undoing a check-in needs a reason")
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None or checkin.conference_id != conference_id:
        return None
    record(
        "checkin.undo",
        checkin,
        user,
        reason=reason,
        conference_id=checkin.conference_id,
        invitation_id=checkin.invitation_id,
        checked_in_at=checkin.checked_in_at.isoformat(),
        method=checkin.method.value,
        by_user_id=checkin.user_id,
        substitute_name=checkin.substitute_name,
        walk_in_name=checkin.walk_in_name,
    )
    db.session.delete(checkin)
    db.session.flush()
    return checkin


def bulk_check_in(
    conference_id: int, invitation_ids: list[int], *, actor: Actor, gate: str | None = None
) -> list[Outcome]:
    """Check several invitations in at once (the desk's list): one call of each step."""
    scans = [
        Scan(id_, CheckInMethod.DESK, actor, gate, conference_id=conference_id)
        for id_ in dict.fromkeys(invitation_ids)
    ]
    return record_scans(plan_scans(scans))


def checkin_of(invitation_id: int) -> CheckIn | None:
    return db.session.scalar(select(CheckIn).where(CheckIn.invitation_id == invitation_id))


def latest_failures(conference_id: int, limit: int = 20) -> list[tuple[ScanFailure, str | None]]:
    """The last failed scans at this conference, with the staff member's name (None: self)."""
    rows = db.session.execute(
        select(ScanFailure, func.coalesce(User.full_name, User.username))
        .outerjoin(User, User.id == ScanFailure.user_id)
        .where(ScanFailure.conference_id == conference_id)
        .order_by(ScanFailure.created_at.desc(), ScanFailure.id.desc())
        .limit(limit)
    )
    return [(failure, by) for failure, by in rows]

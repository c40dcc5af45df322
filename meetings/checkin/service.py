"""What a check-in means, with no request: who may scan, when the door is open, what is recorded.

The hot path (`check_in_many`, which `check_in` calls with one arrival) runs plain SQL built
once per shape: one lookup, one INSERT … ON CONFLICT DO NOTHING guarded by the database's
unique constraint, and nothing else on success. A repeat scan is learnt from the row that
INSERT did not write, never from a prior SELECT alone, so two doors scanning one invitation
at once record exactly one arrival.

API batches on PostgreSQL decide instead by the check-in the lookup read
(`check_in_many_deferred`) and send plain INSERTs with their COMMIT; the unique constraint
still decides: a check-in made meanwhile fails that INSERT, and the batch is redone here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, literal_column, select
from sqlalchemy.orm import aliased

from meetings.checkin.sql import INSERTS, Raw, build_ahead, flatten, numbered
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
    Unit,
    User,
    record,
)
from meetings.models.base import StrEnum
from meetings.text import clean, normalize_phone, normalize_short_code


class Status(StrEnum):
    OK = "ok"
    ALREADY = "already"
    INVALID = "invalid"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    WRONG_CONFERENCE = "wrong_conference"


# Roles that may check anyone in at any conference; door staff only where assigned.
OFFICE_ROLES = (Role.SECRETARIAT, Role.CLERK)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,43}")
_LINK_TOKEN = re.compile(r"/c/([^/?#\s]+)")


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
    substitute: str | None = None
    opens_at: datetime | None = None
    ends_at: datetime | None = None
    cancel_reason: str | None = None

    @property
    def present(self) -> bool:
        """The invitee is in: checked in now or before."""
        return self.status in (Status.OK, Status.ALREADY)


# --- Statements, built once -----------------------------------------------------------------

_inv, _conf, _person = Invitation.__table__, Conference.__table__, Person.__table__
_cat, _checkins, _users = InviteeCategory.__table__, CheckIn.__table__, User.__table__
_invitation_unit = aliased(Unit.__table__, name="invitation_unit")
_person_unit = aliased(Unit.__table__, name="person_unit")

_LOOKUP = (
    select(
        _inv.c.id,
        _inv.c.conference_id,
        _inv.c.token,
        _inv.c.short_code,
        _inv.c.role_title,
        _inv.c.rsvp,
        _inv.c.absence_reason,
        _inv.c.substitute_name,
        _inv.c.substitute_position,
        _inv.c.location_id,
        _person.c.full_name,
        _person.c.position,
        func.coalesce(_invitation_unit.c.name, _person_unit.c.name).label("unit"),
        _cat.c.name.label("category"),
        _conf.c.title,
        _conf.c.starts_at,
        _conf.c.ends_at,
        _conf.c.status,
        _conf.c.cancel_reason,
        _conf.c.checkin_opens_minutes,
    )
    .select_from(_inv)
    .join(_conf, _conf.c.id == _inv.c.conference_id)
    .outerjoin(_person, _person.c.id == _inv.c.person_id)
    .outerjoin(_invitation_unit, _invitation_unit.c.id == _inv.c.unit_id)
    .outerjoin(_person_unit, _person_unit.c.id == _person.c.unit_id)
    .outerjoin(_cat, _cat.c.id == _inv.c.category_id)
)
_BY_TOKEN = _LOOKUP.where(_inv.c.token == bindparam("key"))
_BY_SHORT_CODE = _LOOKUP.where(_inv.c.short_code == bindparam("key"))

_CONFERENCE = select(
    _conf.c.id,
    _conf.c.title,
    _conf.c.starts_at,
    _conf.c.ends_at,
    _conf.c.status,
    _conf.c.cancel_reason,
    _conf.c.checkin_opens_minutes,
).where(_conf.c.id == bindparam("key"))

_DOOR_POST = select(
    DoorAssignment.__table__.c.location_id, DoorAssignment.__table__.c.auto_checkin
).where(
    DoorAssignment.__table__.c.conference_id == bindparam("conference_id"),
    DoorAssignment.__table__.c.user_id == bindparam("user_id"),
)

_CHECKIN_COLUMNS = (
    "conference_id",
    "invitation_id",
    "location_id",
    "checked_in_at",
    "method",
    "user_id",
    "gate",
    "substitute_name",
    "substitute_position",
)
_FAILURE_COLUMNS = ("conference_id", "reason", "token_excerpt", "method", "user_id", "gate")

_EXISTING = (
    select(
        _checkins.c.id,
        _checkins.c.checked_in_at,
        _checkins.c.method,
        _checkins.c.substitute_name,
        _checkins.c.invitation_id,
        func.coalesce(_users.c.full_name, _users.c.username).label("by"),
    )
    .select_from(_checkins)
    .outerjoin(_users, _users.c.id == _checkins.c.user_id)
)
# What a scan reads: the invitation and its check-in, if any (check_in_many_deferred decides
# by it; check_in_many learns it again from its INSERT, which is what settles a race).
_earlier, _earlier_user = aliased(_checkins, name="earlier"), aliased(_users, name="earlier_user")
_SCAN_LOOKUP = (
    _LOOKUP.add_columns(
        _earlier.c.id.label("earlier_id"),
        _earlier.c.checked_in_at.label("earlier_at"),
        _earlier.c.method.label("earlier_method"),
        _earlier.c.substitute_name.label("earlier_substitute"),
        func.coalesce(_earlier_user.c.full_name, _earlier_user.c.username).label("earlier_by"),
    )
    .outerjoin(_earlier, _earlier.c.invitation_id == _inv.c.id)
    .outerjoin(_earlier_user, _earlier_user.c.id == _earlier.c.user_id)
)


# --- Reading what was scanned ---------------------------------------------------------------


def token_from_scan(text: str | None) -> str:
    """The token in what a scanner typed: a whole personal link, or the bare token."""
    text = (text or "").strip()
    match = _LINK_TOKEN.search(text)
    return match.group(1) if match else text


def _attendee(row) -> Attendee:
    substitute = ", ".join(p for p in (row.substitute_name, row.substitute_position) if p)
    name = row.full_name or (row.role_title or "").strip() or "—"
    return Attendee(
        invitation_id=row.id,
        conference_id=row.conference_id,
        token=row.token,
        short_code=row.short_code,
        name=name,
        position=row.position or row.role_title,
        unit=row.unit,
        category=row.category,
        rsvp=Rsvp(row.rsvp),
        absence_reason=row.absence_reason,
        announced_substitute=substitute or None,
        location_id=row.location_id,
    )


def find_attendee(token: str) -> Attendee | None:
    """The invitee a personal link points to, or None (unknown or malformed)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    row = Raw().one(_BY_TOKEN, {"key": token})
    return _attendee(row) if row else None


def find_by_short_code(conference_id: int, code: str) -> Attendee | None:
    """The invitee of this conference with that printed code (typos normalised), or None."""
    try:
        code = normalize_short_code(code)
    except ValueError:
        return None
    row = Raw().one(_BY_SHORT_CODE, {"key": code})
    return _attendee(row) if row and row.conference_id == conference_id else None


# --- Rules ----------------------------------------------------------------------------------


def window(starts_at: datetime, ends_at: datetime, opens_minutes: int) -> tuple[datetime, datetime]:
    """When the door is open: `opens_minutes` before the start until the end."""
    return starts_at - timedelta(minutes=opens_minutes), ends_at


def _refusal(row, at: datetime) -> Status | None:
    """Why this conference refuses arrivals at `at`, or None when the door is open."""
    status = ConferenceStatus(row.status)
    if status == ConferenceStatus.CANCELLED:
        return Status.CANCELLED
    opens_at, closes_at = window(row.starts_at, row.ends_at, row.checkin_opens_minutes)
    if status == ConferenceStatus.DRAFT or at < opens_at:
        return Status.NOT_OPEN
    if at > closes_at:
        return Status.CLOSED
    return None


def door_post(
    actor: Actor, conference_id: int, raw: Raw | None = None
) -> tuple[bool, int | None, bool]:
    """(may check in here, the location they keep, auto check-in) for a staff member."""
    if actor.role is None:
        return True, None, False
    if actor.role in (Role.ADMIN, *OFFICE_ROLES):
        return True, None, False
    if actor.role != Role.DOOR:
        return False, None, False
    row = (raw or Raw()).one(_DOOR_POST, {"conference_id": conference_id, "user_id": actor.id})
    return (True, row.location_id, bool(row.auto_checkin)) if row else (False, None, False)


# --- Writing --------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain(value: str | None, limit: int) -> str | None:
    """One line of text for a column: NFC, trimmed, no control characters (PostgreSQL
    refuses NUL), at most `limit` characters; None when blank."""
    value = clean(_CONTROL.sub(" ", value)) if value else None
    return value[:limit] if value else None


def record_failure(
    reason: str,
    *,
    method: CheckInMethod,
    actor: Actor = SELF,
    conference_id: int | None = None,
    gate: str | None = None,
    token: str | None = None,
    at: datetime | None = None,
    raw: Raw | None = None,
) -> None:
    """Keep a failed scan: reason, staff member or self, gate, time (the caller commits)."""
    raw = raw or Raw()
    raw.begin_write()
    row = _failure(
        reason, Arrival(token or "", method, actor, gate), at or now(), raw, conference_id
    )
    raw.execute(*_failures_call(raw, [row]))


def _failure(
    reason: str, arrival: Arrival, at: datetime, raw: Raw, conference_id: int | None
) -> dict:
    """The row of a failed scan, as _build_failures takes it."""
    token = arrival.target if isinstance(arrival.target, str) else None
    return {
        "conference_id": conference_id,
        "reason": reason,
        "token_excerpt": plain(token, 8),  # never the whole secret
        "method": arrival.method.value,
        "user_id": arrival.actor.id,
        "gate": plain(arrival.gate, 50),
        "created_at": raw.time(at),
    }


def _refused(status: Status, reason: str, row, conference_id: int | None) -> Outcome:
    if row is None:
        return Outcome(status, reason, conference_id=conference_id)
    opens_at, ends_at = window(row.starts_at, row.ends_at, row.checkin_opens_minutes)
    visible = status != Status.WRONG_CONFERENCE  # another conference's data stays there
    return Outcome(
        status,
        reason,
        attendee=_attendee(row) if visible else None,
        conference_id=conference_id if visible else None,
        conference_title=row.title if visible else None,
        opens_at=opens_at,
        ends_at=ends_at,
        cancel_reason=row.cancel_reason if status == Status.CANCELLED else None,
    )


@dataclass(frozen=True)
class Arrival:
    """One scan to decide: an invitation (the row, its token, its id or an Attendee) and how.

    `conference_id` is the conference the scanning device or page works for: a token of
    another conference is refused as wrong_conference, as is a door-staff member who is not
    assigned to the invitation's conference.
    """

    target: Invitation | Attendee | str | int
    method: CheckInMethod
    actor: Actor = SELF
    gate: str | None = None
    location_id: int | None = None
    conference_id: int | None = None
    substitute_name: str | None = None
    substitute_position: str | None = None
    at: datetime | None = None


def check_in(
    target: Invitation | Attendee | str | int,
    *,
    method: CheckInMethod,
    actor: Actor = SELF,
    gate: str | None = None,
    location_id: int | None = None,
    conference_id: int | None = None,
    substitute_name: str | None = None,
    substitute_position: str | None = None,
    at: datetime | None = None,
) -> Outcome:
    """Check one invitation in (see Arrival); the caller commits."""
    arrival = Arrival(
        target,
        method,
        actor,
        gate,
        location_id,
        conference_id,
        substitute_name,
        substitute_position,
        at,
    )
    return check_in_many([arrival])[0]


def _build_lookup(column_name: str):
    def build(size: int, _dialect: str):
        keys = [bindparam(f"k{n}") for n in range(size)]
        return _SCAN_LOOKUP.where(_inv.c[column_name].in_(keys))

    return build


_LOOKUP_BUILDERS = {"token": _build_lookup("token"), "id": _build_lookup("id")}


def lookup_calls(raw: Raw, targets: Sequence) -> list[tuple[str, object, dict]]:
    """The SELECTs (kind, statement, params) that find these targets' invitations: one by
    token, one by id, as needed. Kept apart from check_in_many so that a caller can send
    them together with its own reads."""
    keys: dict[str, set] = {"id": set(), "token": set()}
    for target in targets:
        kind, key = _key(target)
        if kind == "id" or TOKEN_PATTERN.fullmatch(key or ""):
            keys[kind].add(key)
    return [
        (
            kind,
            raw.built(f"lookup_{kind}", len(wanted), _LOOKUP_BUILDERS[kind]),
            {f"k{n}": key for n, key in enumerate(sorted(wanted))},
        )
        for kind, wanted in keys.items()
        if wanted
    ]


def found_rows(calls: list[tuple[str, object, dict]], results: list[list]) -> dict:
    """{kind: {key: invitation row}} from the results of lookup_calls' statements."""
    rows: dict[str, dict] = {"id": {}, "token": {}}
    for (kind, _statement, _params), result in zip(calls, results, strict=True):
        rows[kind] = {getattr(row, kind): row for row in result}
    return rows


def _key(target) -> tuple[str, str | int]:
    if isinstance(target, Attendee):
        return "id", target.invitation_id
    if isinstance(target, Invitation):
        return "id", target.id
    return ("id", target) if isinstance(target, int) else ("token", target)


def check_in_many(
    arrivals: Sequence[Arrival], rows: dict | None = None, raw: Raw | None = None
) -> list[Outcome]:
    """Decide and record several scans in two round trips; outcomes in the same order.

    One SELECT of the invitations (or `rows`, found_rows of a lookup done by the caller),
    the rules in Python, then together: one INSERT of the failures, one multi-row INSERT
    guarded by the unique constraint (ON CONFLICT DO NOTHING) and one SELECT of the
    check-ins of those invitations, which tells "already" from new. The same invitation
    twice: the first arrives, the second is "already". The caller commits (and may pass the
    Raw of its transaction).
    """
    raw = raw or Raw()
    if rows is None:
        calls = lookup_calls(raw, [arrival.target for arrival in arrivals])
        rows = found_rows(calls, raw.pipeline([(st, params) for _k, st, params in calls]))
    outcomes, failures, arriving, repeats = _sort(arrivals, rows, raw)
    if failures or arriving:
        raw.begin_write()
    calls = []
    if failures:
        calls.append(_failures_call(raw, failures))
    _insert_or_already(raw, calls, arriving, repeats, outcomes)
    return outcomes


def check_in_many_deferred(
    arrivals: Sequence[Arrival], rows: dict, raw: Raw, ids: Iterator[int]
) -> tuple[list[Outcome], list[tuple]] | None:
    """Decide as check_in_many does, but by the check-ins the lookup found, and return the
    INSERTs (statement, params) instead of running them: the caller sends them with its own
    writes and COMMIT in one round trip. New check-ins take their ids from `ids` (reserved
    by next_ids_call). The INSERT has no ON CONFLICT: if another transaction checked one of
    these invitations in after the lookup, it fails, nothing is committed, and the caller
    rolls back and runs check_in_many. None if an invitation comes twice (the caller runs
    check_in_many at once)."""
    outcomes, failures, arriving, repeats = _sort(arrivals, rows, raw)
    if repeats:
        return None
    calls, inserts = [], []
    if failures:
        calls.append(_failures_call(raw, failures))
    for n, values, row in (arriving[key] for key in sorted(arriving)):  # as check_in_many
        if row.earlier_id is not None:
            earlier = _Earlier(
                row.earlier_id,
                row.earlier_at,
                row.earlier_method,
                row.earlier_by,
                row.earlier_substitute,
            )
            outcomes[n] = _already(earlier, row)
        else:
            outcomes[n] = _arrived(next(ids), values, row)
            at = raw.time(values["checked_in_at"])
            inserts.append({"id": outcomes[n].checkin_id, **values, "checked_in_at": at})
    if inserts:
        statement = raw.built("checkins!", len(inserts), _build_checkins_or_fail)
        calls.append((statement, flatten(inserts)))
    return outcomes, calls


def build_checkin_statements(dialect: str, largest: int) -> None:
    """Build the statements of every batch of up to `largest` scans by token now (see
    sql.build_ahead): the lookup, the failures, and the check-ins both ways."""
    sizes = range(1, largest + 1)
    build_ahead("lookup_token", sizes, dialect, _LOOKUP_BUILDERS["token"])
    build_ahead("failures", sizes, dialect, _build_failures)
    build_ahead("checkins!", sizes, dialect, _build_checkins_or_fail)
    build_ahead("checkins", sizes, dialect, _build_checkins)
    build_ahead("existing", sizes, dialect, _build_existing)
    if dialect == "postgresql":
        build_ahead("next_ids", [1], dialect, _build_next_ids)


def next_ids_call(raw: Raw, count: int) -> tuple:
    """A SELECT (statement, params) reserving `count` check-in ids (PostgreSQL)."""
    return raw.built("next_ids", 1, _build_next_ids), {"count": count}


def _sort(arrivals: Sequence[Arrival], rows: dict, raw: Raw) -> tuple[list, list, dict, list]:
    """The rules applied to each arrival: (outcomes, refused so far; failure rows to insert;
    {invitation id: (index, check-in values, row)} of first arrivals; (index, row) of the
    same invitation again)."""
    posts: dict[tuple[Actor, int], tuple[bool, int | None, bool]] = {}
    outcomes: list[Outcome | None] = [None] * len(arrivals)
    failures: list[dict] = []
    arriving: dict[int, tuple[int, dict, object]] = {}
    repeats: list[tuple[int, object]] = []
    for n, arrival in enumerate(arrivals):
        at = arrival.at or now()
        kind, key = _key(arrival.target)
        if kind == "token" and not TOKEN_PATTERN.fullmatch(key or ""):
            status, reason, row = Status.INVALID, "malformed_token", None
        else:
            row = rows[kind].get(key)
            status, reason = (Status.INVALID, "unknown_token") if row is None else (None, None)
        if row is not None:
            post = (arrival.actor, row.conference_id)
            if post not in posts:
                posts[post] = door_post(arrival.actor, row.conference_id, raw)
            allowed, post_location, _auto = posts[post]
            wanted = arrival.conference_id
            if not allowed or (wanted is not None and wanted != row.conference_id):
                status = Status.WRONG_CONFERENCE
            else:
                status = _refusal(row, at)
            reason = status.value if status else None
        if status is not None:
            conference_id = arrival.conference_id or (row.conference_id if row else None)
            failures.append(_failure(reason, arrival, at, raw, conference_id))
            outcomes[n] = _refused(status, reason, row, conference_id)
        elif row.id in arriving:
            repeats.append((n, row))
        else:
            arriving[row.id] = (
                n,
                {
                    "conference_id": row.conference_id,
                    "invitation_id": row.id,
                    "location_id": arrival.location_id or post_location or row.location_id,
                    "checked_in_at": at,
                    "method": arrival.method.value,
                    "user_id": arrival.actor.id,
                    "gate": plain(arrival.gate, 50),
                    "substitute_name": plain(arrival.substitute_name, 200),
                    "substitute_position": plain(arrival.substitute_position, 300),
                },
                row,
            )
    return outcomes, failures, arriving, repeats


def _failures_call(raw: Raw, failures: list[dict]) -> tuple:
    """The INSERT (statement, params) of these failure rows (as _failure makes them)."""
    return raw.built("failures", len(failures), _build_failures), flatten(failures)


def _build_failures(size: int, _dialect: str):
    columns = (*_FAILURE_COLUMNS, "created_at")
    return insert(ScanFailure.__table__).values(numbered(columns, size))


def _build_checkins(size: int, dialect: str):
    return (
        INSERTS[dialect](_checkins)
        .values(numbered(_CHECKIN_COLUMNS, size))
        .on_conflict_do_nothing(index_elements=["invitation_id"])
        .returning(_checkins.c.id, _checkins.c.invitation_id)
    )


def _build_checkins_or_fail(size: int, _dialect: str):
    """Check-ins with their ids; one already made fails the statement (and the transaction)."""
    return insert(_checkins).values(numbered(("id", *_CHECKIN_COLUMNS), size))


def _build_next_ids(_size: int, _dialect: str):
    names = (literal_column(f"'{name}'") for name in (_checkins.name, _checkins.c.id.name))
    rows = func.generate_series(literal_column("1"), bindparam("count")).table_valued("n")
    return select(func.nextval(func.pg_get_serial_sequence(*names)).label("id")).select_from(rows)


def _build_existing(size: int, _dialect: str):
    ids = [bindparam(f"k{n}") for n in range(size)]
    return _EXISTING.where(_checkins.c.invitation_id.in_(ids))


def _insert_or_already(
    raw: Raw, calls: list, arriving: dict, repeats: list, outcomes: list
) -> None:
    """INSERT … ON CONFLICT DO NOTHING, then in the same round trip SELECT the check-ins of
    those invitations: a row the INSERT returned is a new arrival, any other one an earlier
    arrival ("already"). The unique constraint on invitation_id is what decides. The SELECT
    comes after the INSERT, which waited for any concurrent one to commit, so it sees it.
    Rows go in invitation order: concurrent batches take the index locks alike, no deadlock.
    """
    waiting = dict(sorted(arriving.items()))
    if not calls and not waiting:
        return
    for _attempt in range(2):  # an undo between the two statements leaves room to insert
        if waiting:
            ids = sorted({*waiting, *(row.id for _n, row in repeats)})
            params = [
                {**values, "checked_in_at": raw.time(values["checked_in_at"])}
                for _n, values, _row in waiting.values()
            ]
            calls.append((raw.built("checkins", len(params), _build_checkins), flatten(params)))
            calls.append(
                (
                    raw.built("existing", len(ids), _build_existing),
                    {f"k{n}": key for n, key in enumerate(ids)},
                )
            )
        results = raw.pipeline(calls)
        if not waiting:
            return
        inserted = dict(row[::-1] for row in results[-2])  # invitation id: check-in id
        existing = {row.invitation_id: row for row in results[-1]}
        for invitation_id, (n, values, row) in list(waiting.items()):
            if invitation_id in inserted:
                outcomes[n] = _arrived(inserted[invitation_id], values, row)
            elif invitation_id in existing:
                outcomes[n] = _already(existing[invitation_id], row)
            else:
                continue
            del waiting[invitation_id]
        for n, row in repeats:
            if row.id in existing:
                outcomes[n] = _already(existing[row.id], row)
        repeats = [(n, row) for n, row in repeats if outcomes[n] is None]
        if not waiting and not repeats:
            return
        calls = []
    raise RuntimeError(f"invitations {sorted(waiting)}: check-ins neither inserted nor found")


def _arrived(checkin_id: int, values: dict, row) -> Outcome:
    """A new arrival: the check-in `values` (as _sort made them) written as `checkin_id`."""
    return Outcome(
        Status.OK,
        checkin_id=checkin_id,
        checked_in_at=values["checked_in_at"],
        method=CheckInMethod(values["method"]),
        substitute=values["substitute_name"],
        **_common(row),
    )


class _Earlier(NamedTuple):
    """An earlier check-in, as _EXISTING reads it."""

    id: int
    checked_in_at: datetime
    method: str
    by: str | None
    substitute_name: str | None


def _already(earlier, row) -> Outcome:
    return Outcome(
        Status.ALREADY,
        checkin_id=earlier.id,
        checked_in_at=earlier.checked_in_at,
        method=CheckInMethod(earlier.method),
        by=earlier.by,
        substitute=earlier.substitute_name,
        **_common(row),
    )


def _common(row) -> dict:
    return {
        "attendee": _attendee(row),
        "conference_id": row.conference_id,
        "conference_title": row.title,
    }


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
    name = clean(name)
    if not name:
        raise ValueError("a walk-in needs a name")
    raw = Raw()
    row = raw.one(_CONFERENCE, {"key": conference_id})
    if row is None:
        raise LookupError(f"no conference {conference_id}")
    failure = {"method": CheckInMethod.DESK, "actor": actor, "gate": gate, "at": at, "raw": raw}
    allowed, post_location, _auto = door_post(actor, conference_id, raw)
    refusal = _refusal(row, at) if allowed else Status.WRONG_CONFERENCE
    if refusal:
        record_failure(refusal.value, conference_id=conference_id, **failure)
        return Outcome(refusal, refusal.value, conference_id=conference_id)
    raw.begin_write()
    checkin = CheckIn(
        conference_id=conference_id,
        invitation_id=None,
        location_id=location_id or post_location,
        checked_in_at=at,
        method=CheckInMethod.DESK,
        user_id=actor.id,
        gate=plain(gate, 50),
        walk_in_name=plain(name, 200),
        walk_in_position=plain(position, 300),
        walk_in_unit=plain(unit, 200),
    )
    db.session.add(checkin)
    db.session.flush()
    return Outcome(
        Status.OK,
        conference_id=conference_id,
        conference_title=row.title,
        checkin_id=checkin.id,
        checked_in_at=at,
        method=CheckInMethod.DESK,
    )


def undo_check_in(checkin_id: int, user: User, reason: str) -> CheckIn | None:
    """Remove a check-in, keeping who, when, how and why in the audit log (caller commits)."""
    reason = clean(reason)
    if not reason:
        raise ValueError("undoing a check-in needs a reason")
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None:
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
    """Check several invitations in at once (the desk's list), in one batch."""
    return check_in_many(
        [
            Arrival(invitation_id, CheckInMethod.DESK, actor, gate, conference_id=conference_id)
            for invitation_id in dict.fromkeys(invitation_ids)
        ]
    )


def door_state(conference: Conference, at: datetime | None = None) -> Status | None:
    """Why the conference refuses arrivals now (not_open, closed, cancelled), or None."""
    return _refusal(conference, at or now())


def checkin_at(conference_id: int, checkin_id: int) -> CheckIn | None:
    """A check-in of this conference (None if it belongs to another)."""
    checkin = db.session.get(CheckIn, checkin_id)
    return checkin if checkin and checkin.conference_id == conference_id else None


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
    ).all()
    return [(failure, by) for failure, by in rows]


def conference_window(conference: Conference) -> tuple[datetime, datetime]:
    return window(conference.starts_at, conference.ends_at, conference.checkin_opens_minutes)


_BY_PHONE = _LOOKUP.where(
    _person.c.phone == bindparam("phone"), _inv.c.conference_id == bindparam("conference_id")
)


def find_self_attendee(conference_id: int, typed: str) -> Attendee | None:
    """The invitee of this conference whose phone number or printed short code was typed.

    A phone shared by two invitees matches neither: the short code tells them apart.
    """
    typed = clean(typed) or ""
    if not typed:
        return None
    try:
        phone = normalize_phone(typed)
    except ValueError:
        return find_by_short_code(conference_id, typed)
    rows = Raw().all(_BY_PHONE, {"phone": phone, "conference_id": conference_id})
    return _attendee(rows[0]) if len(rows) == 1 else None

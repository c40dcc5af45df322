"""API scans: Bearer tokens, and nonces that make a retried scan return the same answer.

The scans a worker's threads receive at the same moment are handled together (group commit,
meetings.api.group), in one transaction with a statement of each kind for all of them: at
the door's rush a scan costs a fraction of the round trips and commits it would alone, and a
lone scan is handled at once. Each scan is recorded and its answer stored under its nonce
(INSERT … ON CONFLICT DO NOTHING on the unique (nonce, API token)) before the commit. A
nonce claimed before — by an earlier request, or by a concurrent one whose commit the INSERT
waits for — undoes the transaction, and that scan gets the answer stored with its nonce:
nothing is written twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import bindparam, delete, select, update

from meetings.checkin.service import (
    ID_MAX,
    INSERTS,
    Actor,
    Outcome,
    Plan,
    Scan,
    Status,
    connection,
    per_dialect,
    plan_scans,
    record_scans,
)
from meetings.clock import now, rfc3339, zone
from meetings.database import serialized_writes
from meetings.extensions import db
from meetings.models import (
    ApiNonce,
    ApiToken,
    CheckInMethod,
    Conference,
    Role,
    User,
    hash_api_token,
)

NONCE_MAX = 100
GATE_MAX = 50
SUBSTITUTE_NAME_MAX, SUBSTITUTE_POSITION_MAX = 200, 300  # the check-in's columns
SCAN_PAST_LIMIT = timedelta(hours=24)  # a scanner that queued scans while offline
SCAN_FUTURE_SKEW = timedelta(minutes=5)  # clocks of phones drift
NONCE_KEEP = timedelta(days=7)  # far beyond SCAN_PAST_LIMIT: no scanner retries that late

HTTP_STATUS = {Status.OK: 201, Status.ALREADY: 200, Status.INVALID: 404}  # else 409: refused
_nonces = ApiNonce.__table__
_AUTH = (
    select(
        ApiToken.token_hash,
        ApiToken.id,
        ApiToken.last_used_at,
        User.id.label("user_id"),
        User.role,
        User.full_name,
    )
    .join(User, User.id == ApiToken.user_id)
    .where(
        ApiToken.token_hash.in_(bindparam("token_hashes", expanding=True)),
        ApiToken.revoked_at.is_(None),
        User.active == bindparam("active"),
    )
)
# Answers stored under their nonces, unless a nonce was used before.
_STORE = {
    name: dialect_insert(_nonces)
    .on_conflict_do_nothing(index_elements=["nonce", "api_token_id"])
    .returning(_nonces.c.api_token_id, _nonces.c.nonce)
    for name, dialect_insert in INSERTS.items()
}
_STORED = select(_nonces.c.status_code, _nonces.c.response).where(
    _nonces.c.api_token_id == bindparam("api_token_id"),
    _nonces.c.nonce == bindparam("nonce"),
)
_USED = (
    update(ApiToken)
    .where(ApiToken.id == bindparam("token_id"))
    .values(last_used_at=bindparam("at"))
)
USE_RECORDED_EVERY = timedelta(minutes=1)  # "last used" for the admin page, not per scan
_CONFERENCES = select(Conference.id).where(Conference.id.in_(bindparam("ids", expanding=True)))
GROUP = "api_scans"  # the app's GroupCommit of submit_all, in app.extensions


@dataclass(frozen=True)
class Caller:
    api_token_id: int
    actor: Actor
    last_used_at: datetime | None = None


class BadRequest(ValueError):
    """The request cannot be a scan; its argument says why in a word a program can test."""


@dataclass(frozen=True)
class ApiScan:
    """One POST /api/v1/checkins of a known caller: the scan, and the nonce whose stored
    answer a retry gets."""

    caller: Caller
    nonce: str
    scan: Scan


class Answer(NamedTuple):
    status: int
    text: str
    replayed: bool = False


def error_text(reason: str) -> str:
    return json.dumps({"status": "error", "reason": reason})


UNAUTHORIZED = Answer(401, error_text("invalid_api_token"))


# --- Reading a request ----------------------------------------------------------------------


def bearer_hash(authorization: str | None) -> str | None:
    """The stored form of an `Authorization: Bearer …` token; None when there is none."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return hash_api_token(token.strip())


def _callers(token_hashes: set[str]) -> dict[str, Caller]:
    """The holders of these token hashes: active users' tokens that are not revoked."""
    if not token_hashes:
        return {}
    params = {"token_hashes": sorted(token_hashes), "active": True}
    return {
        row.token_hash: Caller(
            row.id, Actor(row.user_id, Role(row.role), row.full_name), row.last_used_at
        )
        for row in connection().execute(_AUTH, params)
    }


def _scanned_at(value) -> datetime | None:
    """An ISO 8601 time from the scanner, in local wall-clock time; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("invalid_scanned_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise BadRequest("invalid_scanned_at") from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone())
    moment = moment.replace(tzinfo=None, microsecond=0)
    current = now()
    if not current - SCAN_PAST_LIMIT <= moment <= current + SCAN_FUTURE_SKEW:
        raise BadRequest("scanned_at_out_of_range")
    return moment


def _text(body: dict, name: str, limit: int, required: bool) -> str | None:
    """A printable string field of at most `limit` characters, stripped."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadRequest(f"missing_{name}")
        return None
    if not isinstance(value, str) or len(value) > limit or not value.isprintable():
        raise BadRequest(f"invalid_{name}")
    return value.strip()


def parse_scan(body, caller: Caller) -> ApiScan:
    """The caller's scan in a request body, or BadRequest naming the first thing wrong."""
    if not isinstance(body, dict):
        raise BadRequest("invalid_json")
    nonce = _text(body, "nonce", NONCE_MAX, required=True)
    token = body.get("token")
    if token is None or token == "":
        raise BadRequest("missing_token")
    if not isinstance(token, str):
        raise BadRequest("invalid_token")  # any string: check-in tells malformed from unknown
    gate = _text(body, "gate", GATE_MAX, required=False)
    conference_id = body.get("conference_id")
    if conference_id is not None and (
        not isinstance(conference_id, int)
        or isinstance(conference_id, bool)
        or not 1 <= conference_id <= ID_MAX
    ):
        raise BadRequest("invalid_conference_id")
    scan = Scan(
        token.strip(),
        CheckInMethod.API,
        caller.actor,
        gate,
        conference_id=conference_id,
        substitute_name=_text(body, "substitute_name", SUBSTITUTE_NAME_MAX, required=False),
        substitute_position=_text(
            body, "substitute_position", SUBSTITUTE_POSITION_MAX, required=False
        ),
        at=_scanned_at(body.get("scanned_at")),
    )
    return ApiScan(caller, nonce, scan)


# --- Answering ------------------------------------------------------------------------------


def answer(outcome: Outcome) -> tuple[int, dict]:
    """The HTTP status and JSON body of an outcome."""
    status = HTTP_STATUS.get(outcome.status, 409)
    if outcome.status == Status.INVALID:
        return status, {"status": "invalid", "reason": outcome.reason}
    if not outcome.present:
        body = {"status": "refused", "reason": outcome.status.value}
        if outcome.status == Status.NOT_OPEN and outcome.opens_at:
            body["opens_at"] = rfc3339(outcome.opens_at)
        if outcome.status == Status.CLOSED:
            body["closed_at"] = rfc3339(outcome.ends_at)
        if outcome.status == Status.CANCELLED:
            body["message"] = outcome.cancel_reason
        return status, body
    attendee = outcome.attendee
    body = {
        "status": outcome.status.value,
        "checkin_id": outcome.checkin_id,
        "checked_in_at": rfc3339(outcome.checked_in_at),
        "conference": {"id": outcome.conference_id, "title": outcome.conference_title},
        "person": {"name": attendee.name, "position": attendee.position, "unit": attendee.unit},
        "category": attendee.category,
        "rsvp": attendee.rsvp.value,
        "absence_reason": attendee.absence_reason,
        "substitute": outcome.substitute,
        "seat": attendee.seat.label if attendee.seat else None,
    }
    if outcome.status == Status.ALREADY:
        body["method"] = outcome.method.value
        body["by"] = outcome.by
    return status, body


Post = tuple[str | None, Any]  # one POST: the hash of its bearer token, its JSON body


def submit(token_hash: str | None, body: Any) -> Answer:
    """The answer to one POST, handled with those other threads of this worker send
    meanwhile (see submit_all)."""
    return current_app.extensions[GROUP]((token_hash, body))


def submit_all(posts: list[Post]) -> list[Answer]:
    """The answers to POSTs handled together: who asks, then what (a 400 only once the
    token is good), then every scan in one transaction, which commits."""
    callers = _callers({token_hash for token_hash, _ in posts if token_hash is not None})
    answers: dict[int, Answer] = {}
    scans: dict[int, ApiScan] = {}  # by the position of their post
    for index, (token_hash, body) in enumerate(posts):
        caller = callers.get(token_hash) if token_hash else None
        try:
            if caller is None:
                answers[index] = UNAUTHORIZED
            else:
                scans[index] = parse_scan(body, caller)
        except BadRequest as error:
            answers[index] = Answer(400, error_text(str(error)))
    if scans:
        answers.update(zip(scans, _scan_all(list(scans.values())), strict=True))
    return [answers[index] for index in range(len(posts))]


def _scan_all(scans: list[ApiScan]) -> list[Answer]:
    """Check in through the API, in one transaction; commits.

    Everything is read first; then, queued behind other writers, the scans are recorded and
    their answers stored under their nonces. A nonce claimed before (by an earlier request, or
    by a concurrent one whose commit the INSERT waits for) undoes the transaction, which runs
    again without its scan: that one gets the answer stored with its nonce."""
    plans = _plans(scans)
    pending = list(range(len(scans)))
    answers: dict[int, Answer] = {}
    while pending:
        with serialized_writes():
            answers = _record(plans, pending)
            taken = set(pending) - _store(scans, answers)
            if not taken:
                _note_use({scans[n].caller.api_token_id: scans[n].caller for n in pending})
                db.session.commit()
                break
            db.session.rollback()
        pending = [n for n in pending if n not in taken]
        answers = {}
    return [answers.get(n) or _replay(scan) for n, scan in enumerate(scans)]


def _plans(scans: list[ApiScan]) -> list[Plan | None]:
    """The scans decided from what was read; None for a conference_id that does not exist
    (asked only of scans refused as unknown or of another conference: an invitation found
    in the conference named shows that it exists)."""
    plans = plan_scans([api_scan.scan for api_scan in scans])
    unknown = {  # doubtful until read
        api_scan.scan.conference_id
        for api_scan, plan in zip(scans, plans, strict=True)
        if plan.refused and plan.refused.status in (Status.INVALID, Status.WRONG_CONFERENCE)
    } - {None}
    if unknown:
        unknown -= set(connection().scalars(_CONFERENCES, {"ids": sorted(unknown)}))
    pairs = zip(scans, plans, strict=True)
    return [None if api_scan.scan.conference_id in unknown else plan for api_scan, plan in pairs]


_UNKNOWN_CONFERENCE = 404, {"status": "invalid", "reason": "unknown_conference"}


def _record(plans: list[Plan | None], pending: list[int]) -> dict[int, Answer]:
    """Record the pending scans; their answers by position."""
    recorded = [n for n in pending if plans[n] is not None]
    outcomes = dict(zip(recorded, record_scans([plans[n] for n in recorded]), strict=True))
    answers = {}
    for n in pending:
        status, body = answer(outcomes[n]) if n in outcomes else _UNKNOWN_CONFERENCE
        answers[n] = Answer(status, json.dumps(body, ensure_ascii=False))
    return answers


def _store(scans: list[ApiScan], answers: dict[int, Answer]) -> set[int]:
    """Store the answers under their nonces; the positions of those whose nonce was free
    (of scans sharing a nonce, the first). In one order for every writer, so that two groups
    waiting for each other's nonces cannot deadlock (on PostgreSQL the INSERT waits for a
    concurrent claim's commit)."""
    first: dict[tuple[str, int], int] = {}  # (nonce, API token) → the first scan sending it
    for n in answers:
        first.setdefault((scans[n].nonce, scans[n].caller.api_token_id), n)
    at = now()
    rows = [
        {
            "nonce": nonce,
            "api_token_id": token_id,
            "status_code": answers[n].status,
            "response": answers[n].text,
            "created_at": at,
        }
        for (nonce, token_id), n in sorted(first.items())
    ]
    stored = connection().execute(per_dialect(_STORE), rows)
    free = {(nonce, token_id) for token_id, nonce in stored}
    return {n for key, n in first.items() if key in free}


def _replay(api_scan: ApiScan) -> Answer:
    """The answer stored under a nonce claimed before."""
    params = {"api_token_id": api_scan.caller.api_token_id, "nonce": api_scan.nonce}
    status, text = connection().execute(_STORED, params).one()
    return Answer(status, text, replayed=True)


def _note_use(callers: dict[int, Caller]) -> None:
    """Keep the tokens' "last used" for the admin page, at most once a minute."""
    at = now()
    for token_id, caller in callers.items():
        if caller.last_used_at is None or at - caller.last_used_at >= USE_RECORDED_EVERY:
            connection().execute(_USED, {"token_id": token_id, "at": at})


# --- Stored answers --------------------------------------------------------------------


def prune_nonces(keep: timedelta = NONCE_KEEP) -> int:
    """Forget stored answers older than `keep`; returns how many (caller commits). A scanner
    retrying later than that would only get "already" for a check-in: nothing doubles."""
    if keep < SCAN_PAST_LIMIT:
        raise ValueError("answers must be kept at least as long as scans may be replayed")
    return db.session.execute(delete(ApiNonce).where(ApiNonce.created_at < now() - keep)).rowcount

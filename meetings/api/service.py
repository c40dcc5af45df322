"""API scans: Bearer tokens, and nonces that make a retried scan return the same answer.

A scan and the answer stored under its nonce are written in one transaction: either both are
recorded or neither. A nonce arriving twice at once is settled by the unique constraint on
(api_token_id, nonce): the loser rolls back everything it did and returns the winner's answer.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, insert, select, update

from meetings.checkin.service import Actor, Outcome, Status, check_in
from meetings.checkin.sql import Raw
from meetings.clock import now
from meetings.extensions import db
from meetings.models import ApiNonce, ApiToken, CheckInMethod, Role, User, hash_api_token

NONCE_MAX = 100
GATE_MAX = 50
SCAN_PAST_LIMIT = timedelta(hours=24)  # a scanner that queued scans while offline
SCAN_FUTURE_SKEW = timedelta(minutes=5)  # clocks of phones drift

HTTP_STATUS = {
    Status.OK: 201,
    Status.ALREADY: 200,
    Status.INVALID: 404,
    Status.NOT_OPEN: 409,
    Status.CLOSED: 409,
    Status.CANCELLED: 409,
    Status.WRONG_CONFERENCE: 409,
}

_tokens, _users, _nonces = ApiToken.__table__, User.__table__, ApiNonce.__table__
_AUTH = (
    select(_tokens.c.id, _users.c.id.label("user_id"), _users.c.role, _users.c.full_name)
    .select_from(_tokens)
    .join(_users, _users.c.id == _tokens.c.user_id)
    .where(
        _tokens.c.token_hash == bindparam("token_hash"),
        _tokens.c.revoked_at.is_(None),
        _users.c.active == bindparam("active"),
    )
)
_REPLAY = select(_nonces.c.status_code, _nonces.c.response).where(
    _nonces.c.api_token_id == bindparam("api_token_id"), _nonces.c.nonce == bindparam("nonce")
)
_STORE = insert(_nonces).values(
    {
        name: bindparam(name)
        for name in ("api_token_id", "nonce", "status_code", "response", "created_at")
    }
)


@dataclass(frozen=True)
class Caller:
    api_token_id: int
    actor: Actor


class BadRequest(ValueError):
    """The request cannot be a scan; `reason` says why in a word a program can test."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Scan:
    token: str
    nonce: str
    gate: str | None
    scanned_at: datetime | None
    conference_id: int | None


def authenticate(authorization: str | None) -> Caller | None:
    """The caller of an `Authorization: Bearer …` header, if the token is live."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    row = Raw().one(_AUTH, {"token_hash": hash_api_token(token.strip()), "active": True})
    if row is None:
        return None
    return Caller(row.id, Actor(row.user_id, Role(row.role), row.full_name))


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
        moment = moment.astimezone(ZoneInfo(current_app.config["APP_TIMEZONE"]))
    moment = moment.replace(tzinfo=None, microsecond=0)
    current = now()
    if not current - SCAN_PAST_LIMIT <= moment <= current + SCAN_FUTURE_SKEW:
        raise BadRequest("scanned_at_out_of_range")
    return moment


def parse_scan(body) -> Scan:
    """The fields of a scan request, or BadRequest naming the first thing wrong."""
    if not isinstance(body, dict):
        raise BadRequest("invalid_json")
    nonce = body.get("nonce")
    if nonce is None or (isinstance(nonce, str) and not nonce.strip()):
        raise BadRequest("missing_nonce")
    if not isinstance(nonce, str) or len(nonce) > NONCE_MAX or not nonce.isprintable():
        raise BadRequest("invalid_nonce")
    token = body.get("token")
    if token is None or token == "":
        raise BadRequest("missing_token")
    if not isinstance(token, str):
        raise BadRequest("invalid_token")
    gate = body.get("gate")
    if gate is not None and (
        not isinstance(gate, str) or len(gate) > GATE_MAX or not gate.isprintable()
    ):
        raise BadRequest("invalid_gate")
    conference_id = body.get("conference_id")
    if conference_id is not None and (
        not isinstance(conference_id, int) or isinstance(conference_id, bool)
    ):
        raise BadRequest("invalid_conference_id")
    return Scan(
        token.strip(), nonce.strip(), gate, _scanned_at(body.get("scanned_at")), conference_id
    )


def replay(caller: Caller, nonce: str) -> tuple[int, str] | None:
    """The answer already given to this nonce, if any."""
    row = Raw().one(_REPLAY, {"api_token_id": caller.api_token_id, "nonce": nonce})
    return (row.status_code, row.response) if row else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def answer(outcome: Outcome) -> tuple[int, dict]:
    """The HTTP status and JSON body of an outcome."""
    status = HTTP_STATUS[outcome.status]
    if outcome.status == Status.INVALID:
        return status, {"status": "invalid", "reason": outcome.reason}
    if not outcome.present:
        body = {"status": "refused", "reason": outcome.status.value}
        if outcome.status == Status.NOT_OPEN and outcome.opens_at:
            body["opens_at"] = _iso(outcome.opens_at)
        if outcome.status == Status.CLOSED:
            body["closed_at"] = _iso(outcome.ends_at)
        if outcome.status == Status.CANCELLED:
            body["message"] = outcome.cancel_reason
        return status, body
    attendee = outcome.attendee
    body = {
        "status": outcome.status.value,
        "checkin_id": outcome.checkin_id,
        "checked_in_at": _iso(outcome.checked_in_at),
        "conference": {"id": outcome.conference_id, "title": outcome.conference_title},
        "person": {"name": attendee.name, "position": attendee.position, "unit": attendee.unit},
        "category": attendee.category,
        "rsvp": attendee.rsvp.value,
        "absence_reason": attendee.absence_reason,
        "substitute": outcome.substitute,
    }
    if outcome.status == Status.ALREADY:
        body["method"] = outcome.method.value
        body["by"] = outcome.by
    return status, body


def scan(caller: Caller, request: Scan) -> tuple[int, str, bool]:
    """Check in through the API: (HTTP status, JSON text, whether it is a replay). Commits."""
    stored = replay(caller, request.nonce)
    if stored:
        return stored[0], stored[1], True
    outcome = check_in(
        request.token,
        method=CheckInMethod.API,
        actor=caller.actor,
        gate=request.gate,
        conference_id=request.conference_id,
        at=request.scanned_at,
    )
    status, body = answer(outcome)
    text = json.dumps(body, ensure_ascii=False)
    raw = Raw()
    try:
        raw.execute(
            _STORE,
            {
                "api_token_id": caller.api_token_id,
                "nonce": request.nonce,
                "status_code": status,
                "response": text,
                "created_at": raw.time(now()),
            },
        )
    except raw.integrity_error:
        # The same nonce won a race meanwhile: undo this attempt, answer as it did.
        db.session.rollback()
        stored = replay(caller, request.nonce)
        if stored is None:
            raise
        return stored[0], stored[1], True
    db.session.commit()
    return status, text, False


def create_api_token(user: User, name: str | None = None) -> str:
    """A new token for `user`; only its hash is stored, so it is shown once (caller commits)."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name, token_hash=hash_api_token(token)))
    db.session.flush()
    return token


def revoke_api_tokens(user: User, token_id: int | None = None) -> int:
    """Revoke one of the user's tokens, or all of them; returns how many (caller commits)."""
    stmt = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        stmt = stmt.where(ApiToken.id == token_id)
    return db.session.execute(stmt.values(revoked_at=now())).rowcount

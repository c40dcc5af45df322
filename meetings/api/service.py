"""API scans: Bearer tokens, and nonces that make a retried scan return the same answer.

A scan and the answer stored under its nonce are written in one transaction: either both are
recorded or neither. A nonce arriving twice at once is settled by the unique constraint on
(nonce, api_token_id): the loser rolls back everything it did and returns the winner's answer.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, delete, select, update

from meetings.checkin.batch import Batcher, batcher_of
from meetings.checkin.service import (
    Actor,
    Arrival,
    Outcome,
    Status,
    build_checkin_statements,
    check_in_many,
    check_in_many_deferred,
    found_rows,
    lookup_calls,
    next_ids_call,
)
from meetings.checkin.sql import INSERTS, Raw, build_ahead, flatten, numbered
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
_NONCE_COLUMNS = ("api_token_id", "nonce", "status_code", "response", "created_at")


def _build_auth(size: int, _dialect: str):
    """Who holds these token hashes (active users, tokens not revoked)."""
    hashes = [bindparam(f"h{n}") for n in range(size)]
    return (
        select(
            _tokens.c.id,
            _tokens.c.token_hash,
            _users.c.id.label("user_id"),
            _users.c.role,
            _users.c.full_name,
        )
        .select_from(_tokens)
        .join(_users, _users.c.id == _tokens.c.user_id)
        .where(
            _tokens.c.token_hash.in_(hashes),
            _tokens.c.revoked_at.is_(None),
            _users.c.active == bindparam("active"),
        )
    )


def _build_replay(size: int, _dialect: str):
    """The answers stored under these nonces, whoever's (the caller picks its own)."""
    nonces = [bindparam(f"n{n}") for n in range(size)]
    return select(
        _nonces.c.api_token_id, _nonces.c.nonce, _nonces.c.status_code, _nonces.c.response
    ).where(_nonces.c.nonce.in_(nonces))


def _build_store_or_fail(size: int, dialect: str):
    """The answers of new nonces; a nonce stored meanwhile by another scan fails it all."""
    return INSERTS[dialect](_nonces).values(numbered(_NONCE_COLUMNS, size))


def _build_store(size: int, dialect: str):
    """The answers of new nonces; a nonce stored meanwhile by another scan is not written."""
    return (
        _build_store_or_fail(size, dialect)
        .on_conflict_do_nothing(index_elements=["nonce", "api_token_id"])
        .returning(_nonces.c.api_token_id, _nonces.c.nonce)
    )


class _WrittenMeanwhile(Exception):
    """Another transaction stored one of the batch's nonces or checked one of its
    invitations in after the batch read them; nothing was written."""


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


def bearer_hash(authorization: str | None) -> str | None:
    """The stored form of an `Authorization: Bearer …` token; None when there is none."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return hash_api_token(token.strip())


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


@dataclass(frozen=True)
class Job:
    """One POST to answer: the hash of its Bearer token (or a caller already known), and the
    scan it asks for or why its body is no scan."""

    token_hash: str | None
    caller: Caller | None
    scan: Scan | None
    bad_request: str | None = None


class Answer(NamedTuple):
    status: int
    text: str
    replayed: bool = False


def error_text(reason: str) -> str:
    return json.dumps({"status": "error", "reason": reason})


UNAUTHORIZED = Answer(401, error_text("invalid_api_token"))


def batcher() -> Batcher[Job, Answer]:
    """This process's group commit of API scans for the current app (see checkin.batch)."""
    return batcher_of(
        current_app._get_current_object(),
        "api_scans",
        lambda: Batcher(scan_many, db.session.rollback),
    )


def submit(job: Job) -> Answer:
    """The answer to one POST, written in one transaction with the concurrent ones: by the
    scan writer where gunicorn runs one (api.writer), else by this process."""
    client = _writer_client()
    if client is not None and job.caller is None:
        from meetings.api.writer import Unavailable

        try:
            return client.submit(job)
        except Unavailable:
            pass  # the scan is idempotent by its nonce: written here, it is written once
    return batcher().submit(job)


def _writer_client():
    app = current_app._get_current_object()
    client = app.extensions.get("scan_writer", False)
    if client is False:
        from meetings.api.writer import Client

        path = app.config.get("SCAN_WRITER_SOCKET")
        client = app.extensions.setdefault("scan_writer", Client(path) if path else None)
    return client


def scan(caller: Caller, request: Scan) -> Answer:
    """Check in through the API as a known caller: (HTTP status, JSON text, replayed)."""
    return submit(Job(None, caller, request))


def _read(raw: Raw, jobs: list[Job], reserve_ids: bool) -> tuple[dict, dict, dict, list]:
    """What the jobs need to know, in one round trip: ({token hash: Caller},
    {(api token id, nonce): (status, text)} of nonces answered before, the invitations
    scanned as check_in_many takes them, and with `reserve_ids` a check-in id for each job)."""
    calls: dict[str, tuple] = {}
    hashes = sorted({job.token_hash for job in jobs if job.token_hash})
    if hashes:
        params = {f"h{n}": value for n, value in enumerate(hashes)}
        calls["auth"] = raw.built("auth", len(hashes), _build_auth), {**params, "active": True}
    nonces = {job.scan.nonce for job in jobs if job.scan}
    if nonces:
        calls["replay"] = _replay_call(raw, nonces)
    if reserve_ids:
        calls["ids"] = next_ids_call(raw, len(jobs))
    lookups = lookup_calls(raw, [job.scan.token for job in jobs if job.scan])
    results = raw.pipeline([*calls.values(), *((st, params) for _k, st, params in lookups)])
    read = dict(zip(calls, results[: len(calls)], strict=True))
    callers = {
        row.token_hash: Caller(row.id, Actor(row.user_id, Role(row.role), row.full_name))
        for row in read.get("auth", ())
    }
    keys = set()
    for job in jobs:
        caller = job.caller or callers.get(job.token_hash)
        if caller and job.scan:
            keys.add((caller.api_token_id, job.scan.nonce))
    stored = _replayed(read.get("replay", ()), keys)
    ids = [row.id for row in read.get("ids", ())]
    return callers, stored, found_rows(lookups, results[len(calls) :]), ids


def _replay_call(raw: Raw, nonces: set[str]) -> tuple:
    statement = raw.built("replay", len(nonces), _build_replay)
    return statement, {f"n{n}": value for n, value in enumerate(sorted(nonces))}


def _replayed(rows: list, keys: set[tuple[int, str]]) -> dict:
    """The stored answers of these (api token id, nonce) keys among `rows`."""
    return {
        (row.api_token_id, row.nonce): (row.status_code, row.response)
        for row in rows
        if (row.api_token_id, row.nonce) in keys
    }


def scan_many(jobs: list[Job]) -> list[Answer]:
    """Answer several API scans in one transaction; commits. Answers in the jobs' order.

    A scan and the answer stored under its nonce are written together. A nonce seen twice
    in `jobs` is decided once (the later copies replay the first); a nonce stored meanwhile
    by another transaction makes this one roll back and answer it as the winner did.

    On PostgreSQL a batch is two round trips: everything is read in the first; the check-ins,
    failures and answers are written and committed in the second, by INSERTs that fail
    outright if another transaction stored one of the nonces or checked one of the
    invitations in meanwhile. That rare batch is then done again the careful way, which
    learns which nonces were taken and which invitations arrived (check_in_many).
    """
    try:
        return _scan_many(jobs, write_at_once=True)
    except _WrittenMeanwhile:
        db.session.rollback()
        return _scan_many(jobs, write_at_once=False)


def _scan_many(jobs: list[Job], write_at_once: bool) -> list[Answer]:
    raw = Raw()
    write_at_once = write_at_once and raw.commits_in_pipeline
    callers, stored, invitations, ids = _read(raw, jobs, reserve_ids=write_at_once)
    answers: list[Answer | None] = [None] * len(jobs)
    first: dict[tuple[int, str], int] = {}
    copies: list[tuple[int, int]] = []
    for n, job in enumerate(jobs):
        caller = job.caller or callers.get(job.token_hash)
        if caller is None:
            answers[n] = UNAUTHORIZED
        elif job.bad_request:
            answers[n] = Answer(400, error_text(job.bad_request))
        elif (key := (caller.api_token_id, job.scan.nonce)) in stored:
            answers[n] = Answer(*stored[key], True)
        elif key in first:
            copies.append((n, first[key]))
        else:
            first[key] = n
    while first:
        lost = _decide(raw, jobs, first, answers, (callers, invitations, ids), write_at_once)
        if not lost:
            break
        db.session.rollback()  # everything this transaction did, the winners' scans included
        raw = Raw()
        [rows] = raw.pipeline([_replay_call(raw, {nonce for _token_id, nonce in lost})])
        winners = _replayed(rows, lost)
        if set(winners) != lost:
            raise RuntimeError("a nonce was taken and its answer is not stored")
        for key in lost:
            answers[first.pop(key)] = Answer(*winners[key], True)
    db.session.commit()
    for n, original in copies:
        answers[n] = answers[original]._replace(replayed=True)
    return answers


def _decide(
    raw: Raw,
    jobs: list[Job],
    first: dict,
    answers: list,
    read: tuple[dict, dict, list],
    write_at_once: bool,
) -> set:
    """Check in the scans in `first` and store their answers under their nonces; returns
    the (api token id, nonce) keys another transaction stored first (nothing then counts).
    With `write_at_once`, writes everything and commits in one round trip, or raises
    _WrittenMeanwhile (see scan_many)."""
    callers, invitations, ids = read
    order = sorted(first)  # nonce rows in key order: concurrent batches lock alike
    arrivals = []
    for key in order:
        job = jobs[first[key]]
        caller = job.caller or callers[job.token_hash]
        request = job.scan
        arrivals.append(
            Arrival(
                request.token,
                CheckInMethod.API,
                caller.actor,
                request.gate,
                conference_id=request.conference_id,
                at=request.scanned_at,
            )
        )
    deferred = None
    if write_at_once:
        deferred = check_in_many_deferred(arrivals, invitations, raw, iter(ids))
    outcomes, writes = deferred or (check_in_many(arrivals, invitations, raw), [])
    rows = []
    created_at = raw.time(now())
    for key, outcome in zip(order, outcomes, strict=True):
        status, body = answer(outcome)
        text = json.dumps(body, ensure_ascii=False)
        answers[first[key]] = Answer(status, text)
        rows.append(
            {
                "api_token_id": key[0],
                "nonce": key[1],
                "status_code": status,
                "response": text,
                "created_at": created_at,
            }
        )
    raw.begin_write()
    if write_at_once:
        store = raw.built("store!", len(rows), _build_store_or_fail), flatten(rows)
        try:
            raw.pipeline([*writes, store], commit=True)
        except raw.integrity_error as error:
            raise _WrittenMeanwhile from error
        return set()
    raw.execute(raw.built("store", len(rows), _build_store), flatten(rows))
    return set(order) - {tuple(row) for row in raw.cursor.fetchall()}


def build_scan_statements(dialect: str, largest: int) -> None:
    """Build the statements of every batch of up to `largest` API scans now (see
    sql.build_ahead); the scan writer does it as it starts."""
    sizes = range(1, largest + 1)
    build_checkin_statements(dialect, largest)
    build_ahead("auth", sizes, dialect, _build_auth)
    build_ahead("replay", sizes, dialect, _build_replay)
    build_ahead("store!", sizes, dialect, _build_store_or_fail)
    build_ahead("store", sizes, dialect, _build_store)


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


NONCE_KEEP = timedelta(days=7)  # far beyond SCAN_PAST_LIMIT: no scanner retries that late


def prune_nonces(keep: timedelta = NONCE_KEEP) -> int:
    """Forget stored answers older than `keep`; returns how many (caller commits). A scanner
    retrying later than that would only get "already" for a check-in: nothing doubles."""
    if keep < SCAN_PAST_LIMIT:
        raise ValueError("answers must be kept at least as long as scans may be replayed")
    return db.session.execute(delete(ApiNonce).where(ApiNonce.created_at < now() - keep)).rowcount

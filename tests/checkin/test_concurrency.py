"""Many threads at once, real commits: exactly one check-in per invitation, none lost.

Runs on SQLite by default and on PostgreSQL with TEST_DATABASE_URL, each on a fresh database.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import func, select

from meetings.api import service as api_service
from meetings.api.service import Caller, Scan, scan
from meetings.checkin.service import Actor, Status, check_in
from meetings.extensions import db
from meetings.models import (
    ApiNonce,
    CheckIn,
    CheckInMethod,
    ConferenceStatus,
    Invitation,
    Role,
    ScanFailure,
)
from tests import factories

pytestmark = pytest.mark.no_db_session
THREADS = 16


def _seed(app, invitees: int) -> tuple[int, list[str], int, int]:
    """A conference open for check-in with `invitees` invitations, an API token, committed."""
    with app.app_context():
        conference = factories.make_conference()
        tokens = [factories.make_invitation(conference).token for _ in range(invitees)]
        user = factories.make_user(Role.CLERK)
        factories.make_api_secret(user)
        from meetings.models import ApiToken

        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
        db.session.commit()
        return conference.id, tokens, user.id, token_id


def _run_all(app, jobs) -> list:
    """Run each job in its own thread and app context, all released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def worker(n, job):
        with app.app_context():
            try:
                barrier.wait()
                results[n] = job()
            except Exception as error:  # surfaced below, with the thread's traceback lost
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def _scan_and_commit(token: str):
    def job():
        outcome = check_in(token, method=CheckInMethod.SELF)
        db.session.commit()
        return outcome.status

    return job


def _count_checkins(app, conference_id: int) -> tuple[int, int]:
    with app.app_context():
        total = db.session.scalar(
            select(func.count()).select_from(CheckIn).filter_by(conference_id=conference_id)
        )
        distinct = db.session.scalar(
            select(func.count(func.distinct(CheckIn.invitation_id))).filter_by(
                conference_id=conference_id
            )
        )
        return total, distinct


def test_threads_scanning_one_token_record_exactly_one_check_in(shared_app):
    conference_id, [token], _, _ = _seed(shared_app, 1)
    statuses = _run_all(shared_app, [_scan_and_commit(token) for _ in range(THREADS)])
    assert Counter(statuses) == {Status.OK: 1, Status.ALREADY: THREADS - 1}
    assert _count_checkins(shared_app, conference_id) == (1, 1)


def test_threads_scanning_many_tokens_record_every_one(shared_app):
    conference_id, tokens, _, _ = _seed(shared_app, 40)
    jobs = [_scan_and_commit(t) for t in tokens] + [_scan_and_commit(t) for t in tokens[:8]]
    statuses = _run_all(shared_app, jobs)
    assert Counter(statuses) == {Status.OK: 40, Status.ALREADY: 8}
    assert _count_checkins(shared_app, conference_id) == (40, 40)


def test_one_nonce_sent_by_many_threads_gives_one_answer_and_one_record(shared_app):
    conference_id, [token], user_id, token_id = _seed(shared_app, 1)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    request = Scan(token, "same-nonce", None, None, None)
    answers = _run_all(shared_app, [lambda: scan(caller, request)[:2] for _ in range(THREADS)])
    assert {status for status, _ in answers} == {201}
    assert len({text for _, text in answers}) == 1
    assert _count_checkins(shared_app, conference_id) == (1, 1)
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiNonce)) == 1


def test_api_scans_of_one_token_with_distinct_nonces(shared_app):
    conference_id, [token], user_id, token_id = _seed(shared_app, 1)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    requests = [Scan(token, uuid.uuid4().hex, None, None, None) for _ in range(THREADS)]
    jobs = [(lambda r=r: scan(caller, r)[0]) for r in requests]
    assert Counter(_run_all(shared_app, jobs)) == {201: 1, 200: THREADS - 1}
    assert _count_checkins(shared_app, conference_id) == (1, 1)


def _hold_first_batch(monkeypatch, fail_batches: bool = False) -> None:
    """Hold the first batch a moment at its read (both ways of writing begin there), so that
    the other threads queue behind it; with `fail_batches`, any batch of several fails."""
    real_read, reads = api_service._read, []

    def held(raw, jobs, reserve_ids):
        reads.append(len(jobs))
        if len(reads) == 1:
            time.sleep(0.2)
        if fail_batches and len(jobs) > 1:
            raise RuntimeError("the database went away mid-batch")
        return real_read(raw, jobs, reserve_ids)

    monkeypatch.setattr(api_service, "_read", held)


def test_concurrent_api_scans_are_written_in_shared_batches(shared_app, monkeypatch):
    conference_id, tokens, user_id, token_id = _seed(shared_app, 40)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    _hold_first_batch(monkeypatch)
    scans = [Scan(t, uuid.uuid4().hex, None, None, None) for t in tokens + tokens[:8]]
    answers = _run_all(shared_app, [(lambda s=s: scan(caller, s)) for s in scans])
    assert Counter(status for status, _, _ in answers) == {201: 40, 200: 8}
    with shared_app.app_context():
        stats = api_service.batcher().stats
        assert db.session.scalar(select(func.count()).select_from(ApiNonce)) == 48
    assert stats.largest > 1 and stats.items == 48 and stats.batches < 48
    assert _count_checkins(shared_app, conference_id) == (40, 40)


def test_a_failing_batch_is_retried_scan_by_scan_and_nothing_is_lost(shared_app, monkeypatch):
    conference_id, tokens, user_id, token_id = _seed(shared_app, 20)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    _hold_first_batch(monkeypatch, fail_batches=True)
    scans = [Scan(t, uuid.uuid4().hex, None, None, None) for t in tokens + tokens[:4]]
    answers = _run_all(shared_app, [(lambda s=s: scan(caller, s)) for s in scans])
    assert Counter(status for status, _, _ in answers) == {201: 20, 200: 4}
    with shared_app.app_context():
        assert api_service.batcher().stats.retried_alone > 1
    assert _count_checkins(shared_app, conference_id) == (20, 20)


def test_a_nonce_committed_meanwhile_gets_the_winners_answer_and_the_rest_is_kept(
    shared_app, monkeypatch
):
    """The batch read before the winner committed: on PostgreSQL its store-and-commit fails
    whole and the batch is done again the careful way; on SQLite it is careful at once."""
    conference_id, tokens, user_id, token_id = _seed(shared_app, 2)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    with shared_app.app_context():
        winner = scan(caller, Scan(tokens[0], "race", None, None, None))
    passes = _read_before(monkeypatch, "nonce")
    jobs = [
        api_service.Job(None, caller, Scan(tokens[0], "race", None, None, None)),
        api_service.Job(None, caller, Scan(tokens[1], "other", None, None, None)),
    ]
    with shared_app.app_context():
        lost, other = api_service.scan_many(jobs)
        dialect = db.engine.dialect.name
        nonces = db.session.scalar(select(func.count()).select_from(ApiNonce))
    assert (lost.status, lost.text, lost.replayed) == (winner.status, winner.text, True)
    assert other.status == 201 and not other.replayed
    assert passes == ([True, False] if dialect == "postgresql" else [True])
    assert _count_checkins(shared_app, conference_id) == (2, 2)
    assert nonces == 2


def _count_passes(monkeypatch) -> list[bool]:
    """The passes of _scan_many, as they happen (True: writes in one round trip)."""
    real_scan_many, passes = api_service._scan_many, []

    def counted(jobs, write_at_once):
        passes.append(write_at_once)
        return real_scan_many(jobs, write_at_once)

    monkeypatch.setattr(api_service, "_scan_many", counted)
    return passes


def _read_before(monkeypatch, winner_committed: str) -> list[bool]:
    """Make the batch read as if before the winner's commit (its nonce answers or its
    check-ins unseen); returns _count_passes."""
    real_read = api_service._read

    def read(raw, jobs, reserve_ids):
        callers, stored, invitations, ids = real_read(raw, jobs, reserve_ids)
        if winner_committed == "nonce":
            stored = {}
        else:
            invitations["token"] = {
                token: row._replace(earlier_id=None) for token, row in invitations["token"].items()
            }
        return callers, stored, invitations, ids

    monkeypatch.setattr(api_service, "_read", read)
    return _count_passes(monkeypatch)


def test_a_check_in_committed_meanwhile_makes_the_scan_already_and_the_rest_is_kept(
    shared_app, monkeypatch
):
    """The batch read before another transaction checked one of its invitations in: on
    PostgreSQL its one-round-trip INSERT fails whole and the batch is done again the careful
    way, which answers "already" with the winner's check-in; SQLite is careful at once."""
    conference_id, tokens, user_id, token_id = _seed(shared_app, 2)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    with shared_app.app_context():
        desk = factories.make_user(Role.CLERK, full_name="Lê Thị Bàn")
        winner = check_in(tokens[0], method=CheckInMethod.DESK, actor=Actor.of(desk))
        db.session.commit()
        dialect = db.engine.dialect.name
    passes = _read_before(monkeypatch, "checkin")
    jobs = [
        api_service.Job(None, caller, Scan(tokens[0], "late", None, None, None)),
        api_service.Job(None, caller, Scan(tokens[1], "fresh", None, None, None)),
    ]
    with shared_app.app_context():
        late, fresh = api_service.scan_many(jobs)
        nonces = db.session.scalar(select(func.count()).select_from(ApiNonce))
    assert passes == ([True, False] if dialect == "postgresql" else [True])
    assert late.status == 200 and fresh.status == 201
    body = json.loads(late.text)
    assert (body["checkin_id"], body["method"], body["by"]) == (
        winner.checkin_id,
        "desk",
        "Lê Thị Bàn",
    )
    assert _count_checkins(shared_app, conference_id) == (2, 2)
    assert nonces == 2


def test_scans_written_in_one_round_trip_answer_as_recorded(shared_app, monkeypatch):
    """New, already checked in, unknown and refused scans in one batch: each answer says what
    the database holds (on PostgreSQL without the careful way; on SQLite it is the only one)."""
    conference_id, tokens, user_id, token_id = _seed(shared_app, 2)
    caller = Caller(token_id, Actor(user_id, Role.CLERK))
    with shared_app.app_context():
        earlier = check_in(tokens[1], method=CheckInMethod.DESK, actor=Actor(user_id, Role.CLERK))
        cancelled = factories.make_conference(status=ConferenceStatus.CANCELLED)
        refused = factories.make_invitation(cancelled).token
        db.session.commit()
    scans = [(tokens[0], "new"), (tokens[1], "again"), ("Q" * 22, "unknown"), (refused, "off")]
    jobs = [api_service.Job(None, caller, Scan(t, n, "G", None, None)) for t, n in scans]
    passes = _count_passes(monkeypatch)
    with shared_app.app_context():
        new, again, unknown, off = (json.loads(a.text) for a in api_service.scan_many(jobs))
        row = db.session.get(CheckIn, new["checkin_id"])
        assert (row.invitation_id, row.method, row.gate) == (
            db.session.scalar(select(Invitation.id).filter_by(token=tokens[0])),
            CheckInMethod.API,
            "G",
        )
        assert row.checked_in_at.isoformat() == new["checked_in_at"]
        failures = db.session.scalars(select(ScanFailure.reason)).all()
        stored = dict(db.session.execute(select(ApiNonce.nonce, ApiNonce.response)).all())
    assert passes == [True]  # nothing was taken meanwhile: no careful pass
    assert new["status"] == "ok"
    assert (again["status"], again["checkin_id"]) == ("already", earlier.checkin_id)
    assert again["checked_in_at"] == earlier.checked_in_at.isoformat()
    assert (unknown["reason"], off["reason"]) == ("unknown_token", "cancelled")
    assert sorted(failures) == ["cancelled", "unknown_token"]
    assert {n: json.loads(text) for n, text in stored.items()} == {
        "new": new,
        "again": again,
        "unknown": unknown,
        "off": off,
    }
    assert _count_checkins(shared_app, conference_id) == (2, 2)

"""Many threads at once, real commits: exactly one check-in per invitation, none lost.

Runs on SQLite by default and on PostgreSQL with TEST_DATABASE_URL, each on a fresh database.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter

import pytest
from sqlalchemy import func, select

from meetings.api.service import submit
from meetings.checkin.service import Actor, Status, check_in
from meetings.extensions import db
from meetings.models import (
    ApiNonce,
    CheckIn,
    CheckInMethod,
    Role,
    hash_api_token,
)
from tests import factories

pytestmark = pytest.mark.no_db_session
THREADS = 16


def _seed(app, invitees: int) -> tuple[int, list[str], int, str]:
    """A conference open for check-in with `invitees` invitations, a clerk and the hash of
    their API token, committed."""
    with app.app_context():
        conference = factories.make_conference()
        tokens = [factories.make_invitation(conference).token for _ in range(invitees)]
        user = factories.make_user(Role.CLERK)
        secret = factories.make_api_secret(user)
        db.session.commit()
        return conference.id, tokens, user.id, hash_api_token(secret)


def _api(token_hash: str, token: str, nonce: str | None = None, **body):
    """A job posting one scan through the API, as a worker thread does: its answer."""
    body = {"token": token, "nonce": nonce or uuid.uuid4().hex, **body}
    return lambda: submit(token_hash, body)


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
    conference_id, [token], _, token_hash = _seed(shared_app, 1)
    answers = _run_all(shared_app, [_api(token_hash, token, "same-nonce")] * THREADS)
    assert {answer.status for answer in answers} == {201}
    assert len({answer.text for answer in answers}) == 1
    assert sum(not answer.replayed for answer in answers) == 1
    assert _count_checkins(shared_app, conference_id) == (1, 1)
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiNonce)) == 1


def test_api_scans_of_one_token_with_distinct_nonces(shared_app):
    conference_id, [token], _, token_hash = _seed(shared_app, 1)
    answers = _run_all(shared_app, [_api(token_hash, token) for _ in range(THREADS)])
    assert Counter(answer.status for answer in answers) == {201: 1, 200: THREADS - 1}
    assert _count_checkins(shared_app, conference_id) == (1, 1)


def test_forty_api_scans_of_one_invitation_at_once_give_one_ok_and_39_already(shared_app):
    conference_id, [token], _, token_hash = _seed(shared_app, 1)
    jobs = [_api(token_hash, token, gate="A", conference_id=conference_id) for _ in range(40)]
    answers = _run_all(shared_app, jobs)
    statuses = Counter(json.loads(answer.text)["status"] for answer in answers)
    assert statuses == {"ok": 1, "already": 39}
    assert _count_checkins(shared_app, conference_id) == (1, 1)
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiNonce)) == 40


def test_every_way_in_at_once_records_one_arrival(shared_app):
    """The desk, the door, the attendee's phone and the API race for one invitation."""
    conference_id, [token], user_id, token_hash = _seed(shared_app, 1)
    clerk = Actor(user_id, Role.CLERK, "Văn thư")

    def desk():
        outcome = check_in(token, method=CheckInMethod.DESK, actor=clerk)
        db.session.commit()
        return outcome.status

    def api():
        return Status(json.loads(_api(token_hash, token)().text)["status"])

    statuses = _run_all(shared_app, [desk, _scan_and_commit(token), api] * 6)
    assert Counter(statuses) == {Status.OK: 1, Status.ALREADY: 17}
    assert _count_checkins(shared_app, conference_id) == (1, 1)

"""Several API scans answered in one transaction: nonces, authentication, bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from meetings.api import service
from meetings.api.service import Job, Scan, bearer_hash, scan_many
from meetings.checkin import sql
from meetings.checkin.sql import render
from meetings.extensions import db
from meetings.models import ApiNonce, CheckIn, ScanFailure
from tests import factories


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _job(secret: str, token: str, nonce: str, bad: str | None = None) -> Job:
    scan = None if bad else Scan(token, nonce, "G", None, None)
    return Job(bearer_hash(f"Bearer {secret}"), None, scan, bad)


def test_a_batch_answers_each_scan_and_repeats_a_nonce_seen_twice_in_it():
    secret, other_secret = factories.make_api_secret(), factories.make_api_secret()
    a, b = factories.make_invitation(), factories.make_invitation()
    answers = scan_many(
        [
            _job(secret, a.token, "n1"),
            _job(secret, b.token, "n2"),
            _job(secret, a.token, "n1"),  # the same scan retried within the batch
            _job(secret, a.token, "n3"),
            _job(other_secret, "Q" * 22, "n1"),  # nonces belong to their API token
            _job("not-a-live-token", a.token, "n4"),
            _job(secret, "", "n5", bad="missing_token"),
            _job(secret, b.token, "n2"),
        ]
    )
    statuses = [(answer.status, answer.replayed) for answer in answers]
    assert statuses == [
        (201, False),
        (201, False),
        (201, True),
        (200, False),
        (404, False),
        (401, False),
        (400, False),
        (201, True),
    ]
    assert answers[2].text == answers[0].text
    assert json.loads(answers[6].text) == {"status": "error", "reason": "missing_token"}
    assert (_count(CheckIn), _count(ScanFailure), _count(ApiNonce)) == (2, 1, 4)


def test_a_nonce_answered_before_the_batch_is_replayed_without_writing():
    secret = factories.make_api_secret()
    invitation = factories.make_invitation()
    [first] = scan_many([_job(secret, invitation.token, "n")])
    again = scan_many([_job(secret, invitation.token, "n"), _job(secret, "Q" * 22, "n")])
    assert [a.text for a in again] == [first.text] * 2
    assert all(a.replayed for a in again)
    assert (_count(CheckIn), _count(ScanFailure), _count(ApiNonce)) == (1, 0, 1)


def test_a_nonce_stored_by_another_transaction_meanwhile_rolls_the_batch_back(monkeypatch):
    """The winner's answer is returned, the loser's work undone, the rest of the batch kept."""
    secret = factories.make_api_secret()
    unknown, fresh = "Q" * 22, factories.make_invitation()
    [winner] = scan_many([_job(secret, unknown, "race")])
    real = service._read

    def before_the_winner_committed(raw, jobs, reserve_ids):
        callers, _stored, invitations, ids = real(raw, jobs, reserve_ids)
        return callers, {}, invitations, ids

    monkeypatch.setattr(service, "_read", before_the_winner_committed)
    lost, other = scan_many([_job(secret, unknown, "race"), _job(secret, fresh.token, "x")])
    assert (lost.status, lost.text, lost.replayed) == (404, winner.text, True)
    assert other.status == 201
    assert (_count(CheckIn), _count(ScanFailure), _count(ApiNonce)) == (1, 1, 2)


def test_on_postgresql_the_nonce_lookup_reads_the_batchs_nonces_alone():
    """Planned once, while api_nonces was empty, the lookup must still go by the nonce's
    index: not read every answer ever stored, at every batch."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner")
    secret = factories.make_api_secret()
    scan_many([_job(secret, "Q" * 22, "first")])  # the hot path's planning, this transaction
    sql, positions = render(service._build_replay(1, "postgresql"), "postgresql")
    values = {"n0": "'next'"}
    execute = f"EXECUTE nonce_lookup({', '.join(values[name] for name in positions)})"
    db.session.execute(text(f"PREPARE nonce_lookup AS {sql}"))
    db.session.execute(text(execute))  # the plan is made now, and kept
    token_id = db.session.scalar(select(ApiNonce.api_token_id))
    db.session.execute(
        ApiNonce.__table__.insert(),
        [
            {"api_token_id": token_id, "nonce": f"n{n:05}", "status_code": 200, "response": "{}"}
            for n in range(5000)
        ],
    )
    [[plan]] = db.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {execute}"))
    db.session.execute(text("DEALLOCATE nonce_lookup"))
    nodes, nonce_node = [plan[0]["Plan"]], None
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if node.get("Relation Name") == "api_nonces":
            nonce_node = node
    assert nonce_node["Shared Hit Blocks"] + nonce_node["Shared Read Blocks"] < 10, nonce_node


def test_statements_built_ahead_leave_no_batch_to_build_one(monkeypatch):
    """The scan writer builds every batch size's statements as it starts: about a
    millisecond each, which batches at a door's first rush would otherwise pay."""
    for cache in ("_built", "_rendered", "_row_types"):
        monkeypatch.setattr(sql, cache, {})
    dialect = db.engine.dialect.name
    service.build_scan_statements(dialect, 6)
    built = set(sql._built)
    assert all((id(statement), dialect) in sql._rendered for statement in sql._built.values())
    secret = factories.make_api_secret()
    conference = factories.make_conference()
    for size in range(1, 7):
        tokens = [factories.make_invitation(conference).token for _ in range(size - 1)]
        jobs = [_job(secret, token, f"{size}-{n}") for n, token in enumerate(tokens)]
        answers = scan_many([*jobs, _job(secret, "Q" * 22, f"{size}-unknown")])
        assert [answer.status for answer in answers] == [201] * (size - 1) + [404]
    assert set(sql._built) == built

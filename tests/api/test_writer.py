"""The scan writer: frames, the writer loop with real commits, and the workers' fallback."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import func, select

from meetings.api import writer as writer_module
from meetings.api.service import Answer, Job, Scan, bearer_hash, scan_many
from meetings.api.writer import (
    Client,
    Unavailable,
    Writer,
    _frames,
    decode_answer,
    decode_job,
    encode_answer,
    encode_job,
    listen,
)
from meetings.extensions import db
from meetings.models import ApiNonce, CheckIn, Role
from tests import factories

SOCKET = "scan-writer.sock"


def _payload(frame: bytes) -> bytes:
    return _frames(bytearray(frame))[0]


def test_jobs_and_answers_cross_the_socket_unchanged():
    job = Job("h" * 64, None, Scan("T" * 22, "n-1", "Cổng Đông", datetime(2026, 11, 28, 7, 52), 3))
    assert decode_job(_payload(encode_job(job))) == job
    bad = Job("h" * 64, None, None, "missing_nonce")
    assert decode_job(_payload(encode_job(bad))) == bad
    answer = Answer(201, json.dumps({"person": {"name": "Nguyễn Văn A"}}, ensure_ascii=False))
    assert decode_answer(_payload(encode_answer(answer))) == answer
    assert decode_answer(_payload(encode_answer(None))) is None


def test_frames_are_cut_where_they_end_and_oversized_ones_refused():
    two = encode_job(Job("a", None, None, "x")) + encode_job(Job("b", None, None, "y"))
    buffer = bytearray(two[:-3])
    assert [decode_job(f).token_hash for f in _frames(buffer)] == ["a"]
    buffer += two[-3:]
    assert [decode_job(f).token_hash for f in _frames(buffer)] == ["b"]
    assert buffer == bytearray()
    with pytest.raises(ValueError):
        _frames(bytearray((writer_module.FRAME_MAX + 1).to_bytes(4, "big")))


# --- With real commits -------------------------------------------------------------------


@pytest.fixture
def running(shared_app, tmp_path):
    """A writer serving a socket in a thread, as the process gunicorn starts would."""
    path = str(tmp_path / SOCKET)
    writer = Writer(shared_app, listen(path))
    thread = threading.Thread(target=writer.serve)
    thread.start()
    yield writer, path
    writer.stop.set()
    thread.join(5)
    assert not thread.is_alive()


def _seed(app, invitees: int) -> tuple[dict, str, list[str]]:
    """(Authorization header, its token's hash, invitation tokens), committed."""
    with app.app_context():
        conference = factories.make_conference()
        tokens = [factories.make_invitation(conference).token for _ in range(invitees)]
        secret = factories.make_api_secret(factories.make_user(Role.CLERK))
        db.session.commit()
    header = f"Bearer {secret}"
    return {"Authorization": header}, bearer_hash(header), tokens


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _job(token_hash: str, token: str, nonce: str | None = None) -> Job:
    return Job(token_hash, None, Scan(token, nonce or uuid.uuid4().hex, "G", None, None))


@pytest.mark.no_db_session
def test_the_writer_answers_many_workers_threads_in_shared_batches(shared_app, running):
    writer, path = running
    _headers, token_hash, tokens = _seed(shared_app, 30)
    client = Client(path)
    jobs = [_job(token_hash, t) for t in tokens] + [_job(token_hash, t) for t in tokens[:6]]
    answers: list = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def send(n: int) -> None:
        barrier.wait()
        answers[n] = client.submit(jobs[n])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert Counter(answer.status for answer in answers) == {201: 30, 200: 6}
    assert writer.batcher.stats.items == 36 and writer.batcher.stats.largest > 1
    again = client.submit(jobs[0])  # the same nonce: the stored answer, nothing written
    assert (again.text, again.replayed) == (answers[0].text, True)
    assert (_count(shared_app, CheckIn), _count(shared_app, ApiNonce)) == (30, 36)


@pytest.mark.no_db_session
def test_the_writer_writes_a_large_gather_in_batches_it_has_built(
    shared_app, tmp_path, monkeypatch
):
    monkeypatch.setattr(writer_module, "MAX_BATCH", 4)
    _headers, token_hash, tokens = _seed(shared_app, 10)
    writer = Writer(shared_app, listen(str(tmp_path / SOCKET)))
    with shared_app.app_context():
        writer._write([(object(), _job(token_hash, token)) for token in tokens])
        db.session.remove()
    assert (writer.batcher.stats.batches, writer.batcher.stats.largest) == (3, 4)
    assert _count(shared_app, CheckIn) == 10
    writer.listener.close()


@pytest.mark.no_db_session
def test_the_api_sends_scans_to_the_writer_when_one_runs(shared_app, running):
    writer, path = running
    headers, _hash, [token] = _seed(shared_app, 1)
    shared_app.config["SCAN_WRITER_SOCKET"] = path
    response = shared_app.test_client().post(
        "/api/v1/checkins", json={"token": token, "nonce": "n"}, headers=headers
    )
    assert response.status_code == 201
    assert writer.batcher.stats.items == 1
    with shared_app.app_context():
        assert "batcher.api_scans" not in shared_app.extensions  # the worker wrote nothing


@pytest.mark.no_db_session
def test_without_a_writer_the_worker_writes_the_scan_itself(shared_app, tmp_path):
    headers, _hash, [token] = _seed(shared_app, 1)
    shared_app.config["SCAN_WRITER_SOCKET"] = str(tmp_path / "nobody-listens")
    client = shared_app.test_client()
    response = client.post("/api/v1/checkins", json={"token": token, "nonce": "n"}, headers=headers)
    assert response.status_code == 201
    assert _count(shared_app, CheckIn) == 1


class _VanishingWriter:
    """Reads one scan, optionally writes it (as a writer that committed), then hangs up."""

    def __init__(self, app, path: str, commit: bool) -> None:
        self.app, self.commit = app, commit
        self.listener = listen(path)
        self.thread = threading.Thread(target=self._serve)
        self.thread.start()

    def _serve(self) -> None:
        sock, _address = self.listener.accept()
        buffer = bytearray()
        while not (frames := _frames(buffer)):
            buffer += sock.recv(65536)
        if self.commit:
            with self.app.app_context():
                scan_many([decode_job(frames[0])])
                db.session.remove()
        sock.close()
        self.listener.close()


@pytest.mark.no_db_session
@pytest.mark.parametrize("committed", [False, True], ids=["before writing", "after committing"])
def test_a_writer_lost_mid_scan_leaves_it_written_once(shared_app, tmp_path, committed):
    """The worker writes the scan itself; its nonce makes that the same scan, not a second."""
    headers, _hash, [token] = _seed(shared_app, 1)
    path = str(tmp_path / SOCKET)
    vanishing = _VanishingWriter(shared_app, path, committed)
    shared_app.config["SCAN_WRITER_SOCKET"] = path
    response = shared_app.test_client().post(
        "/api/v1/checkins", json={"token": token, "nonce": "once"}, headers=headers
    )
    vanishing.thread.join(5)
    assert response.status_code == 201
    assert response.headers.get("Idempotent-Replayed") == ("true" if committed else None)
    assert (_count(shared_app, CheckIn), _count(shared_app, ApiNonce)) == (1, 1)


def test_a_client_that_failed_leaves_the_writer_alone_for_a_moment(tmp_path, monkeypatch):
    client = Client(str(tmp_path / "nobody-listens"))
    with pytest.raises(Unavailable):
        client.submit(Job("h", None, None, "x"))
    connects = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connects.append(args))
    with pytest.raises(Unavailable, match="a moment ago"):
        client.submit(Job("h", None, None, "x"))
    assert connects == []

"""Check-in under load: `python bench/checkin_load.py` (about a minute, 127.0.0.1 only).

For SQLite and then PostgreSQL, each on a fresh database: migrate, seed a conference of 5,000
invitees (meetings.demo.load_synthetic), start gunicorn with 2 workers as `make serve` does
(-c python:meetings.serving: threaded workers and the scan writer), warm it up with the
check-ins of another conference of 500 (so that the first batches do not pay for building and
preparing their statements), then at concurrency 32
 1. GET /api/v1/health (a trivial endpoint of the same app) as many times as there are scans,
 2. POST /api/v1/checkins for every invitee plus 10% repeats, each with its own nonce,
 3. the trivial endpoint again (the ratio is taken against the faster of 1 and 3),
and print throughput, p50 and p99 latency, the ratio of the two throughputs, how much CPU the
client itself used, and — read back from the database — how many check-ins were lost or doubled.
Last, the same client fires as many requests at bench/floor_app.py, a WSGI app with no
framework and no work, under the same gunicorn workers and threads: the floor this machine
sets on any endpoint's latency at this concurrency (shown for reference, not in the ratio).

BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test_bench) names the
PostgreSQL database to create afresh; BENCH_SKIP_POSTGRES=1 runs SQLite only.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INVITEES = 5000
WARM_INVITEES = 500  # another conference, checked in before the measured run
REPEATS = 0.10
CONCURRENCY = 32
PROCESSES = 4  # client processes, 8 connections each: the GIL of one would cap the client
WORKERS = 2
# Threads let one worker wait on a PostgreSQL commit (an fsync: milliseconds on this disk)
# while others run; concurrent commits then share one WAL flush.
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_bench"
)
SECRET = "bench-secret-key"
GOAL_RATIO, GOAL_P99_MS = 0.5, 50.0


# --- Preparing a database ------------------------------------------------------------------------


def _fresh_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def _prepare(database_url: str, instance: Path) -> tuple[int, str, list[str], list[str]]:
    """Migrate, seed, create an API token; returns (conference id, API token, invitee tokens,
    invitee tokens of the warm-up conference)."""
    script = f"""
import json
from flask_migrate import upgrade
from sqlalchemy import select
from meetings import create_app
from meetings.api.service import create_api_token
from meetings.auth.service import create_user
from meetings.demo import load_synthetic
from meetings.extensions import db
from meetings.models import Invitation, Role
app = create_app()
with app.app_context():
    upgrade()
    conference_id = load_synthetic({INVITEES})["synthetic conference"]
    warm_id = load_synthetic({WARM_INVITEES})["synthetic conference"]
    user = create_user("bench", "bench-password-123", Role.CLERK)
    token = create_api_token(user, "bench")
    db.session.commit()
    def tokens(conference):
        query = select(Invitation.token).filter_by(conference_id=conference)
        return db.session.scalars(query).all()
    print(json.dumps([conference_id, token, tokens(conference_id), tokens(warm_id)]))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(database_url, instance),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))


def _env(database_url: str, instance: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEETINGS_INSTANCE_PATH": str(instance),
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    }


def _verify(database_url: str, conference_id: int) -> tuple[int, int, int]:
    """(check-in rows, distinct invitations among them, invitations) read from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows, distinct = conn.execute(
            text(
                "SELECT count(*), count(DISTINCT invitation_id) FROM checkins "
                "WHERE conference_id = :c"
            ),
            {"c": conference_id},
        ).one()
        invited = conn.execute(
            text("SELECT count(*) FROM invitations WHERE conference_id = :c"), {"c": conference_id}
        ).scalar_one()
    engine.dispose()
    return rows, distinct, invited


# --- The server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(database_url: str, instance: Path, port: int) -> subprocess.Popen:
    as_served = ["-c", "python:meetings.serving", "wsgi:app"]  # `make serve`: with the writer
    return _gunicorn(as_served, port, _env(database_url, instance))


def _start_floor(port: int) -> subprocess.Popen:
    """bench/floor_app.py under the same workers and threads (and no scan writer)."""
    worker = ["-k", "meetings.serving.ThreadWorker"] if THREADS > 1 else []
    return _gunicorn([*worker, "bench.floor_app:app"], port, dict(os.environ))


def _gunicorn(arguments: list[str], port: int, env: dict) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    threads = ["--threads", str(THREADS)] if THREADS > 1 else ["-k", "sync"]
    process = subprocess.Popen(
        [
            str(gunicorn),
            *("-w", str(WORKERS), *threads, "-b", f"127.0.0.1:{port}", "--backlog", "256"),
            *arguments,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request(HEALTH.method, HEALTH.path)
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError("gunicorn did not start")


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(15)


# --- The client ----------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None


HEALTH = Request("GET", "/api/v1/health", None)  # the trivial endpoint


def _connection_worker(port: int, api_token: str, requests: list[Request], out: list) -> None:
    """One keep-alive connection sending its share in order; (status, seconds, body) each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"}
    for request in requests:
        started = time.perf_counter()
        conn.request(request.method, request.path, body=request.body, headers=headers)
        response = conn.getresponse()
        body = response.read()
        out.append((response.status, time.perf_counter() - started, body[:200]))
    conn.close()


def _client_process(port: int, api_token: str, shares: list[list[Request]], queue) -> None:
    results: list[list] = [[] for _ in shares]
    threads = [
        threading.Thread(target=_connection_worker, args=(port, api_token, share, results[n]))
        for n, share in enumerate(shares)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    queue.put(([r for rs in results for r in rs], usage.ru_utime + usage.ru_stime))


@dataclass
class Run:
    results: list[tuple[int, float, bytes]]
    seconds: float
    client_cpu: float

    @property
    def throughput(self) -> float:
        return len(self.results) / self.seconds

    def percentile(self, p: float) -> float:
        latencies = sorted(r[1] for r in self.results)
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000


def _fire(port: int, api_token: str, requests: list[Request]) -> Run:
    """Send `requests` over CONCURRENCY connections spread over PROCESSES client processes."""
    shares = [requests[n::CONCURRENCY] for n in range(CONCURRENCY)]
    per_process = CONCURRENCY // PROCESSES
    queue = multiprocessing.get_context("fork").Queue()
    processes = [
        multiprocessing.get_context("fork").Process(
            target=_client_process,
            args=(port, api_token, shares[p * per_process : (p + 1) * per_process], queue),
        )
        for p in range(PROCESSES)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    collected = [queue.get(timeout=300) for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    return Run([r for rs, _ in collected for r in rs], seconds, sum(c for _, c in collected))


def _floor(api_token: str, count: int) -> Run:
    port = _free_port()
    server = _start_floor(port)
    try:
        return _fire(port, api_token, [HEALTH] * count)
    finally:
        _stop(server)


def _scan(token: str) -> Request:
    body = json.dumps({"token": token, "nonce": uuid.uuid4().hex, "gate": "bench"}).encode()
    return Request("POST", "/api/v1/checkins", body)


def _bench(label: str, database_url: str) -> bool:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as tmp:
        instance = Path(tmp) / "instance"
        if database_url.startswith("postgresql"):
            _fresh_postgres(database_url)
        conference_id, api_token, tokens, warm_tokens = _prepare(database_url, instance)
        rng = random.Random(5)
        scans = tokens + rng.sample(tokens, int(len(tokens) * REPEATS))
        rng.shuffle(scans)
        port = _free_port()
        server = _start_gunicorn(database_url, instance, port)
        try:
            # Warm up as a door that has been open a minute: real check-ins (another
            # conference), so that every batch size's statements are built and prepared.
            warm = [_scan(t) for t in warm_tokens] + [_scan("W" * 22) for _ in range(100)]
            _fire(port, api_token, warm + [HEALTH] * 500)
            health = [HEALTH] * len(scans)
            before = _fire(port, api_token, health)
            checkins = _fire(port, api_token, [_scan(t) for t in scans])
            after = _fire(port, api_token, health)
            # The yardstick drifts on a shared machine: measure it on both sides of the
            # check-ins and compare with the faster run (the ratio can only come out lower).
            trivial = max(before, after, key=lambda run: run.throughput)
        finally:
            _stop(server)
        floor = _floor(api_token, len(scans))
        rows, distinct, invited = _verify(database_url, conference_id)
    statuses = {}
    for status, _, _ in checkins.results:
        statuses[status] = statuses.get(status, 0) + 1
    ratio = checkins.throughput / trivial.throughput
    lost, doubled = invited - distinct, rows - distinct
    print(
        f"\n== {label}: {len(scans)} scans ({len(tokens)} invitees + {len(scans) - len(tokens)} "
        f"repeats), gunicorn -w {WORKERS} --threads {THREADS}, concurrency {CONCURRENCY}"
    )
    runs = (
        ("trivial GET /api/v1/health, before", before),
        ("POST /api/v1/checkins", checkins),
        ("trivial GET /api/v1/health, after", after),
        ("floor: bench/floor_app.py (no Flask)", floor),
    )
    for name, run in runs:
        share = run.client_cpu / run.seconds / os.cpu_count()
        print(
            f"  {name:36} {run.throughput:8.0f} req/s   p50 {run.percentile(0.50):6.1f} ms"
            f"   p99 {run.percentile(0.99):6.1f} ms   client CPU {run.client_cpu:5.1f} s of "
            f"{run.seconds:5.1f} s wall ({share:.0%} of the machine)"
        )
    print(
        f"  answers: {dict(sorted(statuses.items()))} (expected 201: {len(tokens)}, "
        f"200: {len(scans) - len(tokens)})"
    )
    print(
        f"  ratio check-in/trivial (the faster trivial run): {ratio:.2f} (goal >= {GOAL_RATIO})   "
        f"p99: {checkins.percentile(0.99):.1f} ms (goal < {GOAL_P99_MS:.0f})"
    )
    print(f"  database: {rows} check-ins of {invited} invitees; lost {lost}, doubled {doubled}")
    answers_right = statuses == {201: len(tokens), 200: len(scans) - len(tokens)}
    return answers_right and lost == 0 and doubled == 0


def main() -> int:
    ok = True
    with tempfile.TemporaryDirectory(prefix="checkin-bench-sqlite-") as tmp:
        ok &= _bench("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
    if os.environ.get("BENCH_SKIP_POSTGRES") != "1":
        ok &= _bench("PostgreSQL", POSTGRES_URL)
    print("\nnothing lost or doubled" if ok else "\nFAILED: lost, doubled or unexpected answers")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

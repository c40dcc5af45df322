"""Check-in under load: `python bench/checkin_load.py` (a few minutes, 127.0.0.1 only).

For SQLite and then PostgreSQL, each on a fresh database: migrate, seed a conference of 5,000
invitees open for check-in now (meetings.demo.load_synthetic), start stock gunicorn as
`make serve` does (gthread, 2 workers), warm it up with the check-ins of another conference
of 500, then at concurrency 32:
 1. GET /api/v1/health (a trivial endpoint of the same app) as many times as there are scans,
 2. POST /api/v1/checkins for every invitee plus 10% repeats, each with its own nonce,
 3. the trivial endpoint again (the ratios are taken against the better of 1 and 3),
 4. 40 scans of one fresh invitee at once: 1 "ok" and 39 "already".
It prints throughput, p50 and p99 latency, the CPU the server used per request (every
gunicorn process, and on PostgreSQL the backends serving the bench database, read from
/proc), the three ratios against their goals, and — read back from the database — how many
check-ins were lost or doubled. Ratios, not times: this machine's speed drifts by 2x.

    --tree DIR     serve the code of another checkout (e.g. an older commit) with this client
    --serve ARGS   gunicorn arguments instead of the default (quoted, e.g. "-c python:x")
BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test_bench) names the
PostgreSQL database to create afresh; BENCH_SKIP_POSTGRES=1 runs SQLite only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import resource
import shlex
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
INVITEES = 5000
WARM_INVITEES = 500  # another conference, checked in before the measured run
REPEATS = 0.10
CONCURRENCY = 32
PROCESSES = 4  # client processes, 8 connections each: the GIL of one would cap the client
SAME_TOKEN = 40
SERVE = "-k gthread -w 2 --threads 16 wsgi:app"  # as `make serve`
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_bench"
)
SECRET = "bench-secret-key"
GOAL_RATE, GOAL_P99, GOAL_CPU = 0.35, 2.0, 3.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


_PREPARE = """
import json
from flask_migrate import upgrade
from sqlalchemy import select
from meetings import create_app
from meetings.auth.service import create_user
try:
    from meetings.auth.service import create_api_token
except ImportError:  # an older tree (--tree), before tokens were issued by meetings.auth
    from meetings.api.service import create_api_token
from datetime import timedelta
from meetings.clock import now
from meetings.demo import load_synthetic
from meetings.extensions import db
from meetings.models import Conference, Invitation, Role
app = create_app()
with app.app_context():
    upgrade()
    conference_id = load_synthetic({invitees})["synthetic conference"]
    warm_id = load_synthetic({warm})["synthetic conference"]
    # open now, whatever the hour and whatever an older tree's demo data says
    start = now() - timedelta(hours=1)
    for conference in db.session.scalars(select(Conference)):
        conference.starts_at, conference.ends_at = start, start + timedelta(hours=11)
        conference.checkin_opens_minutes = 24 * 60
    user = create_user("bench", "bench-password-123", Role.CLERK)
    token = create_api_token(user, "bench")
    db.session.commit()
    def tokens(conference):
        query = select(Invitation.token).filter_by(conference_id=conference)
        return db.session.scalars(query).all()
    print(json.dumps([conference_id, token, tokens(conference_id), tokens(warm_id)]))
"""


def _prepare(tree: Path, env: dict) -> tuple[int, str, list[str], list[str]]:
    """Migrate, seed, create an API token; returns (conference id, API token, invitee tokens,
    invitee tokens of the warm-up conference)."""
    script = _PREPARE.format(invitees=INVITEES + 1, warm=WARM_INVITEES)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tree, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(result.stderr)
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))


def _env(tree: Path, database_url: str, instance: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DATABASE_URL": database_url,
        "MEETINGS_INSTANCE_PATH": str(instance),
        "SECRET_KEY": SECRET,
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        # counters every worker shares, as `make serve` requires (gunicorn.conf.py)
        "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
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


# --- The server and its CPU ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(arguments: list[str], port: int, env: dict, tree: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-b", f"127.0.0.1:{port}", "--backlog", "256", *arguments],
        env=env,
        cwd=tree,
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


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:  # pgrp
                pids.append(int(entry.name))
    return pids


def _database_pids(database_url: str) -> list[int]:
    """The PostgreSQL backends serving the bench database (none for SQLite: in-process)."""
    if not database_url.startswith("postgresql"):
        return []
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    engine = create_engine(url.set(database="postgres"))
    with engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": url.database}
        ).scalars()
        result = list(pids)
    engine.dispose()
    return result


class ServerCpu:
    """CPU used by the server's processes (gunicorn and database backends) between marks."""

    def __init__(self, server: subprocess.Popen, database_url: str) -> None:
        self.server, self.database_url = server, database_url

    def snapshot(self) -> dict[int, tuple[str, float]]:
        pids = [(pid, "app") for pid in _group_pids(self.server.pid)]
        pids += [(pid, "database") for pid in _database_pids(self.database_url)]
        return {pid: (part, _process_cpu(pid)) for pid, part in pids}

    def since(self, before: dict[int, tuple[str, float]]) -> dict[str, float]:
        """CPU seconds used since `before`, by part: the app's processes and the database's."""
        used = {"app": 0.0, "database": 0.0}
        for pid, (part, cpu) in self.snapshot().items():
            used[part] += cpu - before.get(pid, (part, 0.0))[1]
        return used


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
    server_cpu: dict[str, float]  # CPU seconds of the app's processes and the database's

    @property
    def throughput(self) -> float:
        return len(self.results) / self.seconds

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request, in milliseconds."""
        return sum(self.server_cpu.values()) / len(self.results) * 1000

    @property
    def database_share(self) -> float:
        return self.server_cpu["database"] / (sum(self.server_cpu.values()) or 1)

    def percentile(self, p: float) -> float:
        latencies = sorted(r[1] for r in self.results)
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000


def _fire(port: int, api_token: str, requests: list[Request], cpu: ServerCpu) -> Run:
    """Send `requests` over CONCURRENCY connections spread over PROCESSES client processes."""
    shares = [requests[n::CONCURRENCY] for n in range(CONCURRENCY)]
    per_process = CONCURRENCY // PROCESSES
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(
            target=_client_process,
            args=(port, api_token, shares[p * per_process : (p + 1) * per_process], queue),
        )
        for p in range(PROCESSES)
    ]
    before = cpu.snapshot()
    started = time.perf_counter()
    for process in processes:
        process.start()
    collected = [queue.get(timeout=600) for _ in processes]
    seconds = time.perf_counter() - started
    server_cpu = cpu.since(before)
    for process in processes:
        process.join()
    return Run([r for rs, _ in collected for r in rs], seconds, server_cpu)


def _same_token(port: int, api_token: str, token: str) -> dict[str, int]:
    """SAME_TOKEN scans of one invitation released at once: their answers' statuses."""
    barrier = threading.Barrier(SAME_TOKEN)
    statuses: list[str] = []

    def scan() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        request = _scan(token)
        headers = {"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"}
        barrier.wait()
        conn.request(request.method, request.path, body=request.body, headers=headers)
        statuses.append(json.loads(conn.getresponse().read())["status"])
        conn.close()

    threads = [threading.Thread(target=scan) for _ in range(SAME_TOKEN)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {status: statuses.count(status) for status in sorted(set(statuses))}


def _scan(token: str) -> Request:
    body = json.dumps({"token": token, "nonce": uuid.uuid4().hex, "gate": "bench"}).encode()
    return Request("POST", "/api/v1/checkins", body)


# --- One database ----------------------------------------------------------------------------


def _bench(label: str, database_url: str, tree: Path, serve: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as tmp:
        env = _env(tree, database_url, Path(tmp) / "instance")
        if database_url.startswith("postgresql"):
            _fresh_postgres(database_url)
        conference_id, api_token, tokens, warm_tokens = _prepare(tree, env)
        contested, tokens = tokens[0], tokens[1:]
        rng = random.Random(5)
        scans = tokens + rng.sample(tokens, int(len(tokens) * REPEATS))
        rng.shuffle(scans)
        port = _free_port()
        server = _gunicorn(serve, port, env, tree)
        cpu = ServerCpu(server, database_url)
        try:
            warm = [_scan(t) for t in warm_tokens] + [_scan("W" * 22) for _ in range(100)]
            _fire(port, api_token, warm + [HEALTH] * 500, cpu)
            health = [HEALTH] * len(scans)
            before = _fire(port, api_token, health, cpu)
            checkins = _fire(port, api_token, [_scan(t) for t in scans], cpu)
            after = _fire(port, api_token, health, cpu)
            same = _same_token(port, api_token, contested)
        finally:
            _stop(server)
        rows, distinct, invited = _verify(database_url, conference_id)
    runs = (before, checkins, after)
    return _report(label, serve, scans, tokens, runs, same, rows, distinct, invited)


def _report(label, serve, scans, tokens, runs, same, rows, distinct, invited) -> bool:
    before, checkins, after = runs
    # The yardstick drifts on a shared machine: compare with the better trivial run.
    rate = checkins.throughput / max(before.throughput, after.throughput)
    p99 = checkins.percentile(0.99) / min(before.percentile(0.99), after.percentile(0.99))
    cpu = checkins.cpu_ms / min(before.cpu_ms, after.cpu_ms)
    statuses: dict[int, int] = {}
    for status, _, _ in checkins.results:
        statuses[status] = statuses.get(status, 0) + 1
    lost, doubled = invited - distinct, rows - distinct
    print(f"\n== {label}: {len(scans)} scans, gunicorn {' '.join(serve)}, at {CONCURRENCY} at once")
    named = (("trivial, before", before), ("check-in", checkins), ("trivial, after", after))
    for name, run in named:
        print(
            f"  {name:16} {run.throughput:7.0f} req/s   p50 {run.percentile(0.5):6.1f} ms"
            f"   p99 {run.percentile(0.99):6.1f} ms   server CPU {run.cpu_ms:5.2f} ms/request"
            f" ({run.database_share:.0%} database)"
        )
    print(
        f"  answers: {dict(sorted(statuses.items()))} (expected 201: {len(tokens)}, "
        f"200: {len(scans) - len(tokens)})"
    )
    print(f"  {SAME_TOKEN} scans of one invitation at once: {same}")
    checks = {
        f"rate ratio {rate:.2f} (goal >= {GOAL_RATE})": rate >= GOAL_RATE,
        f"p99 ratio {p99:.2f} (goal <= {GOAL_P99})": p99 <= GOAL_P99,
        f"CPU ratio {cpu:.2f} (goal <= {GOAL_CPU})": cpu <= GOAL_CPU,
        f"lost {lost}, doubled {doubled} (of {invited})": lost == 0 and doubled == 0,
        "answers as expected": statuses == {201: len(tokens), 200: len(scans) - len(tokens)},
        "one ok, the rest already": same == {"already": SAME_TOKEN - 1, "ok": 1},
    }
    for text, ok in checks.items():
        print(f"  {'ok  ' if ok else 'MISS'} {text}")
    return all(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--serve", default=SERVE)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    serve = shlex.split(args.serve)
    ok = True
    with tempfile.TemporaryDirectory(prefix="checkin-bench-sqlite-") as tmp:
        ok &= _bench("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.tree, serve)
    if os.environ.get("BENCH_SKIP_POSTGRES") != "1":
        ok &= _bench("PostgreSQL", POSTGRES_URL, args.tree.resolve(), serve)
    print("\nevery goal met" if ok else "\nMISSED a goal (see MISS above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

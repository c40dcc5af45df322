"""Several app servers: two gunicorn instances (stock gthread workers) on different ports
against one PostgreSQL database and one Redis, and one job worker, as docs/deployment.md
describes. The login limit is shared by both, scans of the same people sent to both check each
in once, and a job asked for through one is made by the worker and downloaded from the other.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from pypdf import PdfReader

from meetings.extensions import db
from meetings.models import CheckIn, Role
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_conference, make_invitation, make_user
from tests.support.databases import POSTGRES_URL, fresh_database_url
from tests.support.servers import (
    BIN,
    ROOT,
    Browser,
    free_port,
    gunicorn,
    process,
    redis_or_skip,
    setup_database,
    until,
)

pytestmark = [
    pytest.mark.no_db_session,
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="several app servers share PostgreSQL"),
]
PEOPLE = 40


def _people(env: dict[str, str], tmp_path) -> tuple[int, list[str], str]:
    """A conference open for check-in with PEOPLE invitations, a clerk: (conference, tokens,
    clerk's name)."""
    app = make_test_app(env["DATABASE_URL"], tmp_path / "seeding")
    with app.app_context():
        conference = make_conference()
        tokens = [make_invitation(conference).token for _ in range(PEOPLE)]
        clerk = make_user(Role.CLERK)
        db.session.commit()
        found = conference.id, tokens, clerk.username
        db.session.remove()
        db.engine.dispose()
    return found


def _api_token(env: dict[str, str], username: str) -> str:
    out = subprocess.run(
        [str(BIN / "flask"), "--app", "meetings", "create-api-token", username],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def _scan(port: int, api_token: str, token: str) -> tuple[int, str]:
    browser = Browser(f"http://127.0.0.1:{port}")
    body = json.dumps({"token": token, "nonce": uuid.uuid4().hex}).encode()
    headers = {"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"}
    status, answer, _ = browser.request("POST", "/api/v1/checkins", body, headers)
    return status, json.loads(answer)["status"]


def test_two_app_servers_one_database_one_redis_one_job_worker(tmp_path):
    redis_url = redis_or_skip()
    jobs_url = redis_url.rsplit("/", 1)[0] + "/13"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url("deployment", tmp_path),
        "SECRET_KEY": "one-secret-for-every-app-server",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_RATE_LIMIT": "10 per minute",
        "JOBS_URL": jobs_url,
        "JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex}",
        "JOBS_RESULTS_DIR": str(tmp_path / "shared-results"),  # a folder both servers read
        "MEETINGS_INSTANCE_PATH": str(tmp_path / "setup"),
    }
    setup_database(env)
    conference_id, tokens, clerk = _people(env, tmp_path)
    api_token = _api_token(env, clerk)
    # Each server and the worker has an instance folder of its own, as on separate hosts.
    first, second, worker = (
        {**env, "MEETINGS_INSTANCE_PATH": str(tmp_path / name)} for name in ("a", "b", "worker")
    )
    command = [str(BIN / "flask"), "--app", "meetings", "jobs-worker", "--workers", "2"]
    with (
        gunicorn(first, free_port(), tmp_path / "a.log") as port_a,
        gunicorn(second, free_port(), tmp_path / "b.log") as port_b,
        process(command, worker, tmp_path / "worker.log"),
    ):
        ports = (port_a, port_b)

        # A job asked for at the first server, made by the worker, fetched from the second.
        cookies = CookieJar()  # one browser: 127.0.0.1's cookies go to either port
        at_a = Browser(f"http://127.0.0.1:{port_a}", cookies)
        at_b = Browser(f"http://127.0.0.1:{port_b}", cookies)
        assert at_a.login(clerk, PASSWORD) == 302
        at_a.get(f"/printing/conferences/{conference_id}/letters")
        status, _, headers = at_a.post(
            f"/printing/conferences/{conference_id}/letters/job", {"format": "pdf"}
        )
        assert status == 302
        job = headers["Location"]  # the worker makes it while the servers do the rest

        # The login limit: 20 more attempts from the same address, alternately at each server;
        # the clerk's sign-in above was the first of the 10 a minute.
        browsers = [Browser(f"http://127.0.0.1:{p}") for p in ports]
        for browser in browsers:
            browser.get("/login")
        codes = [
            browsers[i % 2].post("/login", {"username": f"u{i}", "password": "wrong"})[0]
            for i in range(20)
        ]
        assert codes.count(200) == 9 and codes.count(429) == 11, codes

        # Every person scanned at both servers at once: one check-in each.
        with ThreadPoolExecutor(16) as pool:
            answers = list(
                pool.map(
                    lambda args: _scan(*args), [(p, api_token, t) for t in tokens for p in ports]
                )
            )
        assert [code for code, _ in answers].count(201) == PEOPLE
        assert [word for _, word in answers].count("already") == PEOPLE
        app = make_test_app(env["DATABASE_URL"], tmp_path / "reading")
        with app.app_context():
            checkins = db.session.scalars(
                db.select(CheckIn.invitation_id).filter_by(conference_id=conference_id)
            ).all()
            db.engine.dispose()
        assert len(checkins) == len(set(checkins)) == PEOPLE

        def progress() -> dict:
            return json.loads(at_b.get(f"{job}/progress")[1])

        assert until(lambda: progress()["status"] == "done", 90), (
            tmp_path / "worker.log"
        ).read_text()
        assert (progress()["done"], progress()["total"]) == (PEOPLE, PEOPLE)
        status, pdf, _ = at_b.get(f"{job}/download")
        assert status == 200 and len(PdfReader(io.BytesIO(pdf)).pages) == PEOPLE

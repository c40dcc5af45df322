"""A real job worker (`flask --app meetings jobs-worker`, Huey's consumer) takes a job asked for
through the web from the embedded SQLite queue, and the page then offers its file."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from meetings.extensions import db
from meetings.models import Role
from tests.conftest import make_test_app
from tests.factories import make_conference, make_invitation, make_user
from tests.support.databases import fresh_database_url
from tests.support.servers import BIN, process, until

pytestmark = [pytest.mark.no_db_session, pytest.mark.slow]


def test_a_worker_process_runs_a_job_from_the_embedded_queue(tmp_path):
    url = fresh_database_url("worker", tmp_path)
    instance = tmp_path / "instance"
    app = make_test_app(url, instance, JOBS_IMMEDIATE=False)
    with app.app_context():
        db.create_all()
        conference = make_conference()
        for _ in range(5):
            make_invitation(conference)
        clerk = make_user(Role.CLERK)
        db.session.commit()
        conference_id, user_id = conference.id, clerk.get_id()
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True

    response = client.post(
        f"/printing/conferences/{conference_id}/letters/job", data={"format": "pdf"}
    )
    progress_url = response.headers["Location"] + "/progress"
    assert client.get(progress_url).get_json()["status"] == "queued"  # nobody has taken it yet
    assert (instance / "jobs.sqlite3").exists()  # the embedded queue

    env = {**os.environ, "DATABASE_URL": url, "MEETINGS_INSTANCE_PATH": str(instance)}
    command = [str(BIN / "flask"), "--app", "meetings", "jobs-worker", "--workers", "1"]
    with process(command, env, tmp_path / "worker.log"):
        assert until(lambda: client.get(progress_url).get_json()["status"] == "done", 60), (
            tmp_path / "worker.log"
        ).read_text()
    state = client.get(progress_url).get_json()
    assert (state["done"], state["total"], state["percent"]) == (5, 5, 100)
    download = client.get(state["download"])
    assert download.status_code == 200
    assert len(PdfReader(io.BytesIO(download.data)).pages) == 5
    with app.app_context():
        db.engine.dispose()

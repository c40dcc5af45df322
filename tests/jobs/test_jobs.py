"""Jobs: running, progress, failure, who sees them, the queue chosen by the configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey

from meetings.clock import now
from meetings.extensions import db
from meetings.jobs import service
from meetings.jobs.queue import make_huey, submit
from meetings.models import Job, JobStatus, Role
from meetings.progress import CountedList
from tests.factories import make_user


@dataclass
class Made:
    content: bytes
    filename: str


@service.job_kind("test.count")
def _count(job: Job, progress) -> Made:
    items = CountedList(range(job.params["n"]), progress)
    return Made(",".join(str(i) for i in items).encode(), "count.txt")


@service.job_kind("test.fail")
def _fail(job: Job, progress) -> Made:
    progress(1, 3)
    raise RuntimeError("the printer caught fire")


def test_a_job_runs_reports_progress_and_keeps_its_file(app):
    user = make_user(Role.CLERK)
    job = submit("test.count", "Counting", user, {"n": 250})
    assert job.status == JobStatus.DONE and (job.done, job.total) == (250, 250)
    path = service.result_file(job)
    assert path.read_bytes().startswith(b"0,1,2,") and path.name == f"{job.token}.txt"
    assert path.parent == service.results_dir()
    assert job.result_name == "count.txt" and job.started_at <= job.finished_at


def test_counted_list_reports_at_start_every_hundredth_and_end():
    heard = []
    items = CountedList(range(1000), lambda done, total: heard.append((done, total)))
    assert list(items) == list(range(1000))
    assert heard[0] == (0, 1000) and heard[-1] == (1000, 1000)
    assert len(heard) == 101 and heard[1] == (10, 1000)
    assert len(items) == 1000 and items[3] == 3  # a list still


def test_a_failing_job_says_why_and_keeps_no_file(app):
    job = submit("test.fail", "Failing", make_user(Role.CLERK), {})
    assert job.status == JobStatus.FAILED and job.error == "the printer caught fire"
    assert service.result_file(job) is None
    state = service.job_state(job)
    assert state["status"] == "failed" and state["error"] == "the printer caught fire"


def test_an_unknown_kind_is_refused(app):
    with pytest.raises(ValueError, match="unknown job kind"):
        service.create_job("nothing", "x", make_user(), {})


def test_a_job_already_started_is_not_run_again(app):
    job = service.create_job("test.count", "Counting", make_user(), {"n": 3})
    job.status = JobStatus.RUNNING
    db.session.flush()
    service.run_job(job.id)
    assert job.status == JobStatus.RUNNING and job.result_path is None


def test_progress_of_a_queued_and_a_running_job(app):
    job = service.create_job("test.count", "Counting", make_user(), {"n": 3})
    assert service.job_state(job) == {
        "status": "queued",
        "done": 0,
        "total": None,
        "percent": 0,
        "error": None,
    }
    job.status, job.done, job.total = JobStatus.RUNNING, 150, 200
    assert service.job_state(job)["percent"] == 75
    job.done = 200  # written, not yet stored: not 100 until the file is there
    assert service.job_state(job)["percent"] == 99


def test_only_the_owner_and_admins_see_a_job(client, login):
    owner = login(Role.CLERK)
    job = submit("test.count", "Counting", owner, {"n": 5})
    paths = [f"/jobs/{job.token}", f"/jobs/{job.token}/progress", f"/jobs/{job.token}/download"]
    assert [client.get(p).status_code for p in paths] == [200, 200, 200]
    assert client.get(paths[2]).data == b"0,1,2,3,4"
    login(Role.SECRETARIAT)
    assert [client.get(p).status_code for p in paths] == [403, 403, 403]
    login(Role.ADMIN)
    assert [client.get(p).status_code for p in paths] == [200, 200, 200]
    assert client.get("/jobs/not-a-token").status_code == 404


def test_a_job_page_needs_a_login(client):
    job = submit("test.count", "Counting", make_user(), {"n": 1})
    assert client.get(f"/jobs/{job.token}").status_code == 302
    assert client.get(f"/jobs/{job.token}/download").status_code == 302


def test_a_queued_job_page_polls_and_offers_no_download_yet(client, login):
    user = login(Role.CLERK)
    job = service.create_job("test.count", "Counting", user, {"n": 3})
    page = client.get(f"/jobs/{job.token}").text
    assert 'data-status="queued"' in page and "jobs.js" in page
    assert "<script>" not in page  # no inline script (Content-Security-Policy)
    assert client.get(f"/jobs/{job.token}/progress").get_json()["download"] is None
    assert client.get(f"/jobs/{job.token}/download").status_code == 404


def test_prune_forgets_old_finished_jobs_and_their_files(app):
    old = submit("test.count", "Old", make_user(), {"n": 2})
    new = submit("test.count", "New", make_user(), {"n": 2})
    path = service.result_file(old)
    old.created_at = now() - timedelta(days=8)
    db.session.flush()
    assert service.prune_jobs(7) == 1
    assert not path.exists() and service.result_file(new) is not None
    assert db.session.get(Job, old.id) is None


def test_the_queue_follows_the_configuration(tmp_path):
    assert isinstance(make_huey({"JOBS_IMMEDIATE": True}, str(tmp_path)), MemoryHuey)
    sqlite = make_huey({}, str(tmp_path))
    assert isinstance(sqlite, SqliteHuey) and sqlite.storage.filename == str(
        tmp_path / "jobs.sqlite3"
    )
    redis = make_huey({"JOBS_URL": "redis://127.0.0.1:6379/13"}, str(tmp_path))
    assert isinstance(redis, RedisHuey)
    with pytest.raises(ValueError, match="redis://"):
        make_huey({"JOBS_URL": "amqp://elsewhere"}, str(tmp_path))

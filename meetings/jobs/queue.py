"""The job queue: Huey, keeping its queue in SQLite (instance/jobs.sqlite3) by default and in
Redis when JOBS_URL is redis://… (several hosts, or job workers on other machines).

One Huey task, run_job(job_id), runs every kind of job; the job's row holds what to do, its
progress and its outcome, so the queue only carries the id. `flask --app meetings jobs-worker`
consumes the queue; `make run` starts one beside the development server. JOBS_IMMEDIATE (the
tests) runs each job at once, inside the request that asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from huey.consumer import Consumer

from meetings.extensions import db
from meetings.jobs.service import create_job, run_job
from meetings.models import Job, User

EXTENSION = "jobs"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class Queue:
    huey: Huey
    run: TaskWrapper


def make_huey(config: dict, instance_path: str) -> Huey:
    """The Huey the configuration asks for: immediate, Redis, or SQLite in instance/."""
    name = config.get("JOBS_QUEUE_NAME") or "meetings"
    if config.get("JOBS_IMMEDIATE"):
        return MemoryHuey(name, immediate=True, results=False)
    url = config.get("JOBS_URL") or ""
    if url.startswith(REDIS_SCHEMES):
        return RedisHuey(name, url=url, results=False)
    if url:
        raise ValueError(
            f"JOBS_URL={url!r}: use redis://HOST:6379/N, or leave it unset for the queue in "
            "instance/jobs.sqlite3"
        )
    return SqliteHuey(name, filename=str(Path(instance_path) / "jobs.sqlite3"), results=False)


def init_app(app: Flask) -> None:
    huey = make_huey(app.config, app.instance_path)

    @huey.task(name="run_job")
    def run(job_id: int) -> None:
        with app.app_context():
            run_job(job_id)

    app.extensions[EXTENSION] = Queue(huey, run)


def submit(
    kind: str, title: str, owner: User, params: dict, conference_id: int | None = None
) -> Job:
    """Ask for a job: create it, commit, queue it."""
    return enqueue(create_job(kind, title, owner, params, conference_id))


def enqueue(job: Job) -> Job:
    """Commit the job (and whatever it needs, added with it), then queue its id: a worker must
    find the rows it is handed."""
    db.session.commit()
    current_app.extensions[EXTENSION].run(job.id)
    db.session.expire(job)  # a worker (or, immediate, this very call) has moved it on since
    return job


def consume(app: Flask, workers: int) -> None:
    """Run the queue's consumer in this process until SIGINT/SIGTERM: `workers` threads take
    jobs. A queue in SQLite is polled at least every second."""
    huey = app.extensions[EXTENSION].huey
    Consumer(huey, workers=workers, worker_type="thread", periodic=False, max_delay=1.0).run()

"""Jobs without HTTP: the kinds of job, asking for one, running one, and who may see it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from flask import current_app

from meetings.clock import now
from meetings.extensions import db
from meetings.models import Job, JobStatus, Role, User

log = logging.getLogger(__name__)

Progress = Callable[[int, "int | None"], None]  # (done, total): total None when unchanged


class Output(Protocol):
    """What a job makes: the file's bytes and the name it is downloaded under."""

    content: bytes
    filename: str


Runner = Callable[[Job, Progress], "Output | None"]
_KINDS: dict[str, Runner] = {}


def job_kind(name: str) -> Callable[[Runner], Runner]:
    """Register `runner(job, progress) -> Output | None` as what a job of kind `name` does
    (job.params says with what). It runs in a job worker, in an app context of its own, calls
    progress(done, total) as it goes, and returns the file it made, or None (e-mail sent)."""

    def register(runner: Runner) -> Runner:
        _KINDS[name] = runner
        return runner

    return register


def create_job(
    kind: str, title: str, owner: User, params: dict, conference_id: int | None = None
) -> Job:
    """A queued job of a registered kind; the caller commits, then enqueues it."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, title=title, owner=owner, params=params, conference_id=conference_id)
    db.session.add(job)
    db.session.flush()
    return job


def find_job(token: str) -> Job | None:
    return db.session.scalar(db.select(Job).filter_by(token=token))


def visible_to(job: Job, user: User) -> bool:
    """The user who asked for a job, and admins, see it and its file; nobody else."""
    return job.owner_id == user.id or user.role == Role.ADMIN


def results_dir() -> Path:
    """Where finished jobs' files are kept: JOBS_RESULTS_DIR, a folder every app server reads
    (instance/jobs/ by default)."""
    configured = current_app.config.get("JOBS_RESULTS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path, "jobs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def result_file(job: Job) -> Path | None:
    """The file of a finished job, when it is still there."""
    if job.status != JobStatus.DONE or not job.result_path:
        return None
    path = results_dir() / job.result_path
    return path if path.is_file() else None


class _Reporter:
    """progress(done, total) for a runner: commits at most every `interval` seconds, so that a
    30,000-letter job costs a few dozen small UPDATEs, not 30,000."""

    def __init__(self, job: Job, interval: float = 0.5):
        self.job, self.interval, self.last = job, interval, 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if time.monotonic() - self.last >= self.interval:
            db.session.commit()
            self.last = time.monotonic()


def run_job(job_id: int) -> None:
    """Run a queued job: its runner's file goes to results_dir(), the outcome to the row. A job
    already started (a queue that delivered it twice) or gone is left alone."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return
    job.status, job.started_at = JobStatus.RUNNING, now()
    db.session.commit()
    try:
        output = _KINDS[job.kind](job, _Reporter(job))
        _finish(job, output)
    except Exception as error:
        log.exception("job %s (%s) failed", job_id, job.kind if job else "?")
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.error = JobStatus.FAILED, (str(error) or type(error).__name__)[:2000]
    job.finished_at = now()
    db.session.commit()


def _finish(job: Job, output: Output | None) -> None:
    if output is not None:
        name = f"{job.token}{Path(output.filename).suffix}"
        partial = results_dir() / f".{name}.part"
        partial.write_bytes(output.content)
        partial.replace(results_dir() / name)  # whole or absent, for a download at any moment
        job.result_path, job.result_name = name, output.filename
    job.total = job.total if job.total is not None else job.done
    job.done = job.total
    job.status = JobStatus.DONE


def prune_jobs(days: int) -> int:
    """Forget finished jobs older than `days` days, and delete their files; how many."""
    cutoff = now() - timedelta(days=days)
    old = db.session.scalars(
        db.select(Job).where(
            Job.created_at < cutoff, Job.status.in_([JobStatus.DONE, JobStatus.FAILED])
        )
    ).all()
    for job in old:
        if job.result_path:
            (results_dir() / job.result_path).unlink(missing_ok=True)
        db.session.delete(job)
    return len(old)


def job_state(job: Job) -> dict:
    """What the progress page polls for."""
    percent = 100 if job.status == JobStatus.DONE else 0
    if job.total and job.status != JobStatus.DONE:
        percent = min(99, job.done * 100 // job.total)
    return {
        "status": job.status.value,
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "error": job.error if job.status == JobStatus.FAILED else None,
    }

"""The long printing work as background jobs: a conference's letters (30,000 at a city-wide
one), and its attendance sheet as DOCX or PDF. The runners call the same functions as the
direct downloads; a page offers the direct links only for small conferences."""

from __future__ import annotations

from flask_babel import gettext as _

from meetings.conferences.service import load_conference
from meetings.jobs.queue import submit
from meetings.jobs.service import Progress, job_kind
from meetings.models import Conference, Job, User
from meetings.printing.service import File, attendance_file, letters_file

LETTERS = "printing.letters"
ATTENDANCE = "printing.attendance"
INLINE_LETTERS = 200  # up to this many letters, a download is made inside the request
INLINE_ROWS = 2000  # likewise for the rows of an attendance sheet


def start_letters_job(conference: Conference, fmt: str, category_id: int | None, user: User) -> Job:
    params = {"conference_id": conference.id, "format": fmt, "category_id": category_id}
    title = _("Invitation letters, %(format)s", format=fmt.upper())
    return submit(LETTERS, title, user, params, conference.id)


def start_attendance_job(conference: Conference, fmt: str, before: bool, user: User) -> Job:
    params = {"conference_id": conference.id, "format": fmt, "before": before}
    title = _("Attendance sheet, %(format)s", format=fmt.upper())
    return submit(ATTENDANCE, title, user, params, conference.id)


def _conference(job: Job) -> Conference:
    conference = load_conference(job.params["conference_id"])
    if conference is None:
        raise LookupError("The conference no longer exists.")
    return conference


@job_kind(LETTERS)
def letters_job(job: Job, progress: Progress) -> File:
    """Every letter, one per page; progress counts the letters written."""
    params = job.params
    return letters_file(_conference(job), params["format"], params.get("category_id"), progress)


@job_kind(ATTENDANCE)
def attendance_job(job: Job, progress: Progress) -> File:
    """The attendance sheet; its writer reports no progress of its own."""
    params = job.params
    return attendance_file(_conference(job), params["format"], bool(params.get("before")))

from flask import abort, jsonify, render_template, send_file, url_for
from flask_login import current_user

from meetings.jobs import bp
from meetings.jobs.service import find_job, job_state, result_file, visible_to
from meetings.models import Job


def _job(token: str) -> Job:
    job = find_job(token) or abort(404)
    if not visible_to(job, current_user):
        abort(403)
    return job


@bp.get("/<token>")
def show(token: str):
    job = _job(token)
    return render_template("jobs/job.html", job=job, state=job_state(job))


@bp.get("/<token>/progress")
def progress(token: str):
    job = _job(token)
    state = job_state(job)
    state["download"] = url_for("jobs.download", token=token) if result_file(job) else None
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<token>/download")
def download(token: str):
    job = _job(token)
    path = result_file(job) or abort(404)
    return send_file(path, as_attachment=True, download_name=job.result_name)

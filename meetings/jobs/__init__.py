"""Jobs: long work done in the background by a job worker, with a progress page and the file.

A capability registers what one kind of job does with `service.job_kind`; a route asks for
one with `queue.submit` and sends the user to `jobs.show`, which polls until the file is ready.
"""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates", cli_group=None)

from meetings.jobs import cli, routes  # noqa: E402,F401

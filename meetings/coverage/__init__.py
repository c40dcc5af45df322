"""Coverage: who has been briefed on which document, reports, and make-up sessions."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint(
    "coverage", __name__, url_prefix="/coverage", template_folder="templates", cli_group=None
)

conference_action(
    "coverage.conference_makeup", _l("Schedule a make-up session"), Role.SECRETARIAT, order=60
)
conference_action("coverage.conference", _l("Coverage"), Role.SECRETARIAT, Role.CLERK, order=50)

from meetings.coverage import cli, routes  # noqa: E402,F401

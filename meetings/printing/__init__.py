"""Printing: attendance sheets, the minutes skeleton and invitation letters, in every format."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint(
    "printing", __name__, url_prefix="/printing", template_folder="templates", cli_group=None
)

conference_action(
    "printing.attendance",
    _l("Attendance sheet"),
    Role.SECRETARIAT,
    Role.CLERK,
    group="records",
    order=60,
)
conference_action(
    "printing.minutes", _l("Minutes"), Role.SECRETARIAT, Role.CLERK, group="records", order=61
)
conference_action(
    "printing.letters",
    _l("Invitation letters"),
    Role.SECRETARIAT,
    Role.CLERK,
    group="invitees",
    order=21,
)

from meetings.printing import cli, jobs, routes  # noqa: E402,F401

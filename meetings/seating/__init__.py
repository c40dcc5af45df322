"""Seating: hall layouts, the seating plan by protocol order, the chart and name plates."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint(
    "seating", __name__, url_prefix="/seating", template_folder="templates", cli_group=None
)

conference_action(
    "seating.conference",
    _l("Seating plan"),
    Role.SECRETARIAT,
    Role.CLERK,
    group="invitees",
    order=25,
)

from meetings.seating import cli, routes  # noqa: E402,F401

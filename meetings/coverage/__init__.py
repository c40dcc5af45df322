"""Coverage: who has been briefed on which document, reports, and make-up sessions."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import ConferenceStatus, Role

bp = Blueprint(
    "coverage", __name__, url_prefix="/coverage", template_folder="templates", cli_group=None
)

conference_action(
    "coverage.conference", _l("Coverage"), Role.SECRETARIAT, Role.CLERK, group="records", order=70
)
conference_action(
    "coverage.conference_makeup",
    _l("Schedule a make-up session"),
    Role.SECRETARIAT,
    group="records",
    order=71,
    when=lambda conference: conference.status == ConferenceStatus.HELD,
)

from meetings.coverage import cli, routes  # noqa: E402,F401

"""Study rounds: the written reports (bài thu hoạch) after a dissemination, their grades, and
the unit's results report. Staff pages live under /study; the invitee's own page, reached with
no login through the invitation's token, is /s/<token>."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import ConferenceStatus, Role

bp = Blueprint("study", __name__, template_folder="templates", cli_group=None)

conference_action(
    "study.conference",
    _l("Study reports"),
    Role.SECRETARIAT,
    Role.CLERK,
    group="records",
    order=72,
    when=lambda conference: conference.status == ConferenceStatus.HELD,
)

from meetings.study import cli, public, routes  # noqa: E402,F401

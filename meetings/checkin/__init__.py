"""Check-in: the personal QR, the rotating venue QR, the desk, live attendance."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint("checkin", __name__, template_folder="templates")

_STAFF = (Role.SECRETARIAT, Role.CLERK, Role.DOOR)
conference_action("checkin.desk", _l("Check-in desk"), *_STAFF, group="checkin", order=41)
conference_action("checkin.display", _l("Venue QR screen"), *_STAFF, group="checkin", order=42)
conference_action("checkin.live", _l("Live attendance"), *_STAFF, group="checkin", order=43)

from meetings.checkin import routes  # noqa: E402,F401

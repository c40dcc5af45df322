"""The door app: an offline-capable phone page for door staff, and their assignment."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint("door", __name__, template_folder="templates")

_STAFF = (Role.SECRETARIAT, Role.CLERK, Role.DOOR)
conference_action("door.page", _l("Door"), *_STAFF, group="checkin", order=40)
conference_action(
    "door.staff", _l("Assign door staff"), Role.SECRETARIAT, group="checkin", order=44
)

from meetings.door import routes  # noqa: E402,F401

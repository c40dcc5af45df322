"""The invitee list of a conference: categories, individuals, unit roles, RSVP, export."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint(
    "invitations",
    __name__,
    url_prefix="/conferences/<int:conference_id>/invitees",
    template_folder="templates",
)
conference_action(
    "invitations.index", _l("Invitees"), Role.SECRETARIAT, Role.CLERK, group="invitees", order=20
)

from meetings.invitations import routes  # noqa: E402,F401

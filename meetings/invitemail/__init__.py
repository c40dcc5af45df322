"""Invitations by e-mail: the letter as a PDF, the personal link and its QR, the conference's
calendar file; reminders; notices of a postponement or a cancellation. Sent through
meetings.mail in the background, one Delivery per message."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from meetings.conferences.actions import conference_action
from meetings.models import Role

bp = Blueprint(
    "invitemail",
    __name__,
    url_prefix="/conferences/<int:conference_id>/mail",
    template_folder="templates",
    cli_group=None,
)
conference_action(
    "invitemail.index",
    _l("E-mail invitations"),
    Role.SECRETARIAT,
    group="invitees",
    order=22,
)

from meetings.invitemail import cli, routes, service  # noqa: E402,F401

"""The directory: people, units and invitee categories; import and export of people."""

from flask import Blueprint

bp = Blueprint(
    "directory", __name__, url_prefix="/directory", template_folder="templates", cli_group=None
)

from meetings.directory import cli, routes  # noqa: E402,F401

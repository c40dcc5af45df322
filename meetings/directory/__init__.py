"""The directory: people, units and invitee categories."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory", template_folder="templates")

from meetings.directory import routes  # noqa: E402,F401

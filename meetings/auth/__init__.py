"""Sign in, sign out, language switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates", cli_group=None)

from meetings.auth import cli, routes  # noqa: E402,F401

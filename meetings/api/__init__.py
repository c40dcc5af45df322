"""The JSON API for scanner apps and kiosks (/api/v1), with its token commands."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", cli_group=None)

from meetings.api import cli, routes  # noqa: E402,F401

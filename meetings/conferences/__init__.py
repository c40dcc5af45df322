"""Conferences: list, detail, scheduling."""

from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/conferences", template_folder="templates")

from meetings.conferences import routes  # noqa: E402,F401

"""The document register (văn bản) and the citation parser that fills it from running text."""

from flask import Blueprint

bp = Blueprint(
    "documents", __name__, url_prefix="/documents", template_folder="templates", cli_group=None
)

from meetings.documents import cli, routes  # noqa: E402,F401

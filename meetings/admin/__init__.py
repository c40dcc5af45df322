"""Administration in the browser: accounts, their API tokens, and the audit log (admins only)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", cli_group=None)

from meetings.admin import routes  # noqa: E402,F401

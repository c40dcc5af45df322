"""Replies from the invitee's own link (/c/<token>, no login): coming, absent with a reason,
or sending a deputy where the invitation allows one; changeable until the conference starts.
The check-in page includes this capability's form (replies/_reply.html)."""

from flask import Blueprint

bp = Blueprint("replies", __name__, template_folder="templates")

from meetings.replies import routes  # noqa: E402,F401

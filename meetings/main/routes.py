from flask import render_template
from flask_login import current_user

from meetings.conferences.service import upcoming_and_recent
from meetings.main import bp


@bp.route("/")
def index():
    upcoming, recent = upcoming_and_recent(user=current_user)
    return render_template("main/index.html", upcoming=upcoming, recent=recent)

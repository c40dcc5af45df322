from flask import render_template

from meetings.conferences.service import upcoming_and_recent
from meetings.main import bp


@bp.route("/")
def index():
    upcoming, recent = upcoming_and_recent()
    return render_template("main/index.html", upcoming=upcoming, recent=recent)

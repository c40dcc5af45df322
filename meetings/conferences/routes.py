from flask import abort, render_template

from meetings.conferences import bp
from meetings.conferences.actions import actions_for
from meetings.conferences.service import invitations_by_category, list_conferences, load_conference


@bp.route("/")
def index():
    return render_template("conferences/index.html", conferences=list_conferences())


@bp.route("/<int:conference_id>")
def detail(conference_id: int):
    conference = load_conference(conference_id) or abort(404)
    return render_template(
        "conferences/detail.html",
        conference=conference,
        categories=invitations_by_category(conference),
        actions=actions_for(conference),
    )

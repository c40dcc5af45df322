from flask import render_template, request

from meetings.directory import bp
from meetings.directory.service import list_categories, list_units, search_people
from meetings.models import Role
from meetings.security import roles_required

READERS = (Role.SECRETARIAT, Role.CLERK)


@bp.route("/people")
@roles_required(*READERS)
def people():
    query = request.args.get("q", "")
    return render_template("directory/people.html", people=search_people(query), q=query)


@bp.route("/units")
@roles_required(*READERS)
def units():
    return render_template("directory/units.html", units=list_units())


@bp.route("/categories")
@roles_required(*READERS)
def categories():
    return render_template("directory/categories.html", categories=list_categories())

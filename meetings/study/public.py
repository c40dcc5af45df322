"""The invitee's own page for study reports, reached through the invitation's token with no
login: /s/<token>. It shows only the token holder's own reports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from meetings.extensions import db
from meetings.forms import options
from meetings.models import StudySubmission
from meetings.security import public
from meetings.study import bp
from meetings.study.forms import SubmitForm
from meetings.study.service import (
    StudyError,
    exemption,
    grade_of,
    has_study_reports,
    is_open,
    rounds_for_token,
    submit,
    versions,
)
from meetings.study.uploads import send_submission, upload_of

# The invitation's own page (checkin's /c/<token>) links here when there is something to hand in.
bp.add_app_template_global(has_study_reports, "has_study_reports")


@bp.route("/s/<token>", methods=["GET", "POST"])
@public
def mine(token: str):
    found = rounds_for_token(token) or abort(404)
    person, rounds = found
    form = SubmitForm()
    form.round_id.choices = options((r.id, r.document.symbol) for r in rounds)
    if form.validate_on_submit():
        study = next((r for r in rounds if r.id == form.round_id.data), None) or abort(404)
        try:
            entry = submit(study, person, form.body_text.data, upload_of(form.upload.data))
        except StudyError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Your report was handed in (version %(n)s).", n=entry.version), "success")
            return redirect(url_for(".mine", token=token))
    entries = [
        dict(
            study=r,
            open=is_open(r),
            versions=versions(r, person),
            exemption=exemption(r, person),
            grade=grade_of(r, person),
        )
        for r in rounds
    ]
    return render_template(
        "study/mine.html", person=person, entries=entries, form=form, token=token
    )


@bp.route("/s/<token>/files/<int:submission_id>")
@public
def my_file(token: str, submission_id: int):
    person, rounds = rounds_for_token(token) or abort(404)
    entry = db.session.get(StudySubmission, submission_id)
    if (
        entry is None
        or entry.person_id != person.id
        or entry.round_id not in {r.id for r in rounds}
    ):
        abort(404)
    return send_submission(entry)

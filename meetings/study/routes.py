"""Staff pages of study rounds: open, results, reviewers, people, grading, reports."""

from __future__ import annotations

import io
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.clock import now
from meetings.conferences.service import load_conference
from meetings.coverage.service import bodies_covering
from meetings.extensions import db
from meetings.forms import BaseForm, options
from meetings.models import (
    Conference,
    Document,
    Person,
    Role,
    StudyRound,
    StudySubmission,
    SubmissionChannel,
)
from meetings.security import roles_required
from meetings.study import bp
from meetings.study.forms import ExemptForm, GradeForm, PaperForm, RoundForm
from meetings.study.reminders import remind_overdue
from meetings.study.report_docx import results_docx
from meetings.study.report_xlsx import results_xlsx
from meetings.study.results import STATUSES, overdue_by_unit, people, round_results
from meetings.study.service import (
    DEFAULT_DAYS,
    StudyError,
    can_grade,
    can_see,
    end_of_day,
    exempt,
    exemption,
    find_round,
    grade,
    grade_of,
    is_open,
    lift_exemption,
    open_round,
    parse_scale,
    reviewer_accounts,
    reviewer_units,
    reviewers_by_unit,
    rounds_for_conference,
    set_reviewers,
    submit,
    update_round,
    versions,
    visible_rounds,
)
from meetings.study.uploads import report_name, send_submission, upload_of

READERS = (Role.SECRETARIAT, Role.CLERK, Role.REVIEWER)
EDITORS = (Role.SECRETARIAT,)
RECORDERS = (Role.SECRETARIAT, Role.CLERK)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round(round_id: int) -> tuple[StudyRound, set[int] | None]:
    """The round and the units the user may see in it (None: all); 404 when it sees none."""
    study = db.session.get(StudyRound, round_id) or abort(404)
    units = reviewer_units(study, current_user)
    if units is not None and not units:
        abort(404)
    return study, units


@bp.route("/study/")
@roles_required(*READERS)
def index():
    rounds = visible_rounds(current_user)
    results = [
        (r, round_results(r, reviewer_units(r, current_user), per_unit=False).total) for r in rounds
    ]
    return render_template("study/index.html", results=results)


@bp.route("/study/conference/<int:conference_id>")
@roles_required(Role.SECRETARIAT, Role.CLERK)
def conference(conference_id: int):
    """From a conference's page: its documents' rounds, or the form to open one."""
    conf = load_conference(conference_id) or abort(404)
    rounds = {r.document_id: r for r in rounds_for_conference(conf)}
    if len(conf.documents) == 1 and rounds:
        return redirect(url_for(".results", round_id=next(iter(rounds.values())).id))
    return render_template("study/conference.html", conference=conf, rounds=rounds)


@bp.route("/study/open", methods=["GET", "POST"])
@roles_required(*EDITORS)
def open_form():
    document = db.session.get(Document, request.args.get("document_id", type=int)) or abort(404)
    conf = db.session.get(Conference, request.args.get("conference_id", 0, type=int))
    if conf is not None and document not in conf.documents:
        conf = None  # a conference that does not cover it is no place to open it from
    bodies = [conf.body] if conf else bodies_covering(document)
    if not bodies:
        flash(_("No conference of an organising body covers this document yet."), "warning")
        return redirect(url_for("documents.detail", document_id=document.id))
    existing = find_round(bodies[0].id, document.id) if len(bodies) == 1 else None
    if existing is not None:
        return redirect(url_for(".results", round_id=existing.id))
    form = RoundForm()
    form.body_id.choices = options((b.id, b.name) for b in bodies)
    if request.method == "GET":
        form.deadline.data = now().date() + timedelta(days=DEFAULT_DAYS)
    if form.validate_on_submit():
        body = next(b for b in bodies if b.id == form.body_id.data)
        existing = find_round(body.id, document.id)
        if existing:
            flash(_("This document already has a study round."), "info")
            return redirect(url_for(".results", round_id=existing.id))
        try:
            scale = parse_scale(form.grade_scale.data)
            study = open_round(
                body, document, end_of_day(form.deadline.data), scale, conf, current_user
            )
        except StudyError as error:
            form.grade_scale.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Study round opened."), "success")
            return redirect(url_for(".results", round_id=study.id))
    return render_template("study/open.html", form=form, document=document, conference=conf)


@bp.route("/study/<int:round_id>")
@roles_required(*READERS)
def results(round_id: int):
    study, units = _round(round_id)
    return render_template(
        "study/results.html",
        study=study,
        results=round_results(study, units),
        scoped=units is not None,
        is_open=is_open(study),
    )


@bp.route("/study/<int:round_id>/settings", methods=["GET", "POST"])
@roles_required(*EDITORS)
def settings(round_id: int):
    study, _units = _round(round_id)
    form = RoundForm(obj=None if request.method == "POST" else study)
    del form.body_id
    if request.method == "GET":
        form.deadline.data = study.deadline.date()
    if form.validate_on_submit():
        try:
            update_round(study, end_of_day(form.deadline.data), form.grade_scale.data, current_user)
        except StudyError as error:
            form.grade_scale.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".results", round_id=study.id))
    return render_template("study/settings.html", form=form, study=study)


@bp.route("/study/<int:round_id>/reviewers", methods=["GET", "POST"])
@roles_required(*EDITORS)
def reviewers(round_id: int):
    study, _units = _round(round_id)
    form = BaseForm()
    units = [line.unit for line in round_results(study).units if line.unit]
    if form.validate_on_submit():
        try:
            for unit in units:
                chosen = request.form.getlist(f"unit-{unit.id}", type=int)
                set_reviewers(study, unit.id, chosen, current_user)
        except StudyError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Reviewers saved."), "success")
            return redirect(url_for(".results", round_id=study.id))
    return render_template(
        "study/reviewers.html",
        form=form,
        study=study,
        units=units,
        accounts=reviewer_accounts(),
        named=reviewers_by_unit(study),
    )


@bp.route("/study/<int:round_id>/people")
@roles_required(*READERS)
def people_list(round_id: int):
    study, units = _round(round_id)
    status = request.args.get("status", "all")
    if status not in STATUSES:
        abort(404)
    unit_id = request.args.get("unit", type=int)
    chosen = {unit_id} if unit_id else units
    if unit_id and units is not None and unit_id not in units:
        abort(404)
    return render_template(
        "study/people.html",
        study=study,
        lines=people(study, chosen, status),
        status=status,
        unit_id=unit_id,
        unit_lines=round_results(study, units).units,
    )


@bp.route("/study/<int:round_id>/overdue")
@roles_required(*READERS)
def overdue(round_id: int):
    study, units = _round(round_id)
    return render_template(
        "study/overdue.html",
        study=study,
        groups=overdue_by_unit(study, units),
        remind_form=BaseForm(),
    )


@bp.post("/study/<int:round_id>/overdue/remind")
@roles_required(*EDITORS)
def remind(round_id: int):
    study, units = _round(round_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    done = remind_overdue(study, current_user, units)
    if done.unreachable:
        names = ", ".join(line.name for line in done.unreachable)
        flash(
            _("No e-mail address or link for: %(names)s. Remind them another way.", names=names),
            "warning",
        )
    if done.job is None:
        flash(_("Nobody overdue can be reached by e-mail."), "info")
        return redirect(url_for("study.overdue", round_id=study.id))
    return redirect(url_for("jobs.show", token=done.job.token))


def _person(study: StudyRound, person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if (
        person is None
        or person.body_id != study.body_id
        or not can_see(study, current_user, person)
    ):
        abort(404)
    return person


@bp.route("/study/<int:round_id>/people/<int:person_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def person(round_id: int, person_id: int):
    study, _units = _round(round_id)
    who = _person(study, person_id)
    current = grade_of(study, who)
    grade_form = GradeForm(
        prefix="grade",
        data={
            "grade": current.grade if current else None,
            "comment": current.comment if current else None,
        },
    )
    grade_form.grade.choices = options((g, g) for g in study.grades)
    exempt_form, paper_form = ExemptForm(prefix="exempt"), PaperForm(prefix="paper")
    action = request.form.get("action")
    if request.method == "POST":
        done = _act(action, study, who, grade_form, exempt_form, paper_form)
        if done:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for(".person", round_id=study.id, person_id=who.id))
    return render_template(
        "study/person.html",
        study=study,
        person=who,
        versions=versions(study, who),
        grade=current,
        exemption=exemption(study, who),
        grade_form=grade_form,
        exempt_form=exempt_form,
        paper_form=paper_form,
        may_grade=can_grade(study, current_user, who),
        may_exempt=current_user.has_role(*EDITORS),
        may_record=current_user.has_role(*RECORDERS),
    )


def _act(action, study, who, grade_form, exempt_form, paper_form) -> str | None:
    """Run the posted action; the success message, or None (errors flashed or on the form)."""
    rules = {
        "grade": (can_grade(study, current_user, who), grade_form),
        "exempt": (current_user.has_role(*EDITORS), exempt_form),
        "unexempt": (current_user.has_role(*EDITORS), BaseForm()),
        "paper": (current_user.has_role(*RECORDERS), paper_form),
    }
    allowed, form = rules.get(action, (False, None))
    if not allowed:
        abort(403)
    if not form.validate_on_submit():
        return None
    try:
        if action == "grade":
            grade(study, who, grade_form.grade.data, grade_form.comment.data, current_user)
            return _("Grade saved.")
        if action == "exempt":
            exempt(study, who, exempt_form.reason.data, current_user)
            return _("Exemption recorded.")
        if action == "unexempt":
            lift_exemption(study, who, current_user)
            return _("Exemption lifted.")
        submit(
            study,
            who,
            paper_form.body_text.data,
            upload_of(paper_form.upload.data),
            SubmissionChannel.PAPER,
            current_user,
        )
        return _("Report handed in on paper recorded.")
    except StudyError as error:
        flash(str(error), "danger")
        return None


@bp.route("/study/submissions/<int:submission_id>/file")
@roles_required(*READERS)
def submission_file(submission_id: int):
    entry = db.session.get(StudySubmission, submission_id) or abort(404)
    study, _units = _round(entry.round_id)
    _person(study, entry.person_id)
    return send_submission(entry)


@bp.route("/study/<int:round_id>/report.docx")
@roles_required(*READERS)
def report_docx(round_id: int):
    study, units = _round(round_id)
    content = results_docx(round_results(study, units), now().date())
    return _download(content, DOCX, report_name(study, "docx"))


@bp.route("/study/<int:round_id>/report.xlsx")
@roles_required(*READERS)
def report_xlsx(round_id: int):
    study, units = _round(round_id)
    results = round_results(study, units)
    content = results_xlsx(results, overdue_by_unit(study, units), now().date())
    return _download(content, XLSX, report_name(study, "xlsx"))


def _download(content: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)

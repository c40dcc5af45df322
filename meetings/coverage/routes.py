from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from meetings.clock import now
from meetings.conferences.service import load_conference
from meetings.coverage import bp
from meetings.coverage.exports import coverage_xlsx, export_name
from meetings.coverage.forms import SelfStudyForm
from meetings.coverage.makeup import (
    MakeupExists,
    NothingToMakeUp,
    latest_held,
    planned_makeup,
    proposed_start,
    schedule_makeup,
)
from meetings.coverage.report import coverage_docx
from meetings.coverage.service import (
    document_coverage,
    overview,
    pending_subjects,
    record_self_study,
)
from meetings.extensions import db
from meetings.models import (
    Conference,
    ConferenceStatus,
    Document,
    Invitation,
    OrganisingBody,
    Person,
    Role,
)
from meetings.security import roles_required
from meetings.study.results import study_summary
from meetings.templating import STATUS_LABELS
from meetings.text import format_number

READERS = (Role.SECRETARIAT, Role.CLERK)
EDITORS = (Role.SECRETARIAT,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _body_and_document(body_id: int, document_id: int) -> tuple[OrganisingBody, Document]:
    body = db.session.get(OrganisingBody, body_id) or abort(404)
    document = db.session.get(Document, document_id) or abort(404)
    return body, document


@bp.route("/")
@roles_required(*READERS)
def index():
    return render_template("coverage/index.html", bodies=overview())


@bp.route("/bodies/<int:body_id>/documents/<int:document_id>")
@roles_required(*READERS)
def document(body_id: int, document_id: int):
    body, doc = _body_and_document(body_id, document_id)
    coverage = document_coverage(body, doc)
    latest = coverage.latest_held
    return render_template(
        "coverage/document.html",
        coverage=coverage,
        can_edit=current_user.has_role(*EDITORS),
        planned=planned_makeup(body.id, [doc.id]),
        makeup_starts=proposed_start(latest) if latest else None,
        study=study_summary(body.id, doc.id),
    )


@bp.route("/bodies/<int:body_id>/documents/<int:document_id>.xlsx")
@roles_required(*READERS)
def document_xlsx(body_id: int, document_id: int):
    coverage = document_coverage(*_body_and_document(body_id, document_id), list_limit=None)
    return _download(coverage_xlsx(coverage), XLSX, export_name(coverage, "xlsx"))


@bp.route("/bodies/<int:body_id>/documents/<int:document_id>.docx")
@roles_required(*READERS)
def document_docx(body_id: int, document_id: int):
    coverage = document_coverage(*_body_and_document(body_id, document_id), list_limit=None)
    study = study_summary(body_id, document_id)
    return _download(
        coverage_docx(coverage, now().date(), study), DOCX, export_name(coverage, "docx")
    )


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


@bp.route("/bodies/<int:body_id>/documents/<int:document_id>/makeup", methods=["POST"])
@roles_required(*EDITORS)
def document_makeup(body_id: int, document_id: int):
    body, doc = _body_and_document(body_id, document_id)
    original = latest_held(body.id, doc.id)
    if original is None:
        flash(_("No conference covering this document has been held yet."), "warning")
        return redirect(url_for(".document", body_id=body.id, document_id=doc.id))
    return _schedule(original, url_for(".document", body_id=body.id, document_id=doc.id))


@bp.route("/conferences/<int:conference_id>/makeup", methods=["GET", "POST"])
@roles_required(*EDITORS)
def conference_makeup(conference_id: int):
    conference = load_conference(conference_id) or abort(404)
    held = conference.status == ConferenceStatus.HELD
    if request.method == "POST" and held:
        return _schedule(conference, url_for("conferences.detail", conference_id=conference.id))
    documents = [d.id for d in conference.documents]
    pending = pending_subjects(conference.body_id, documents) if held else []
    return render_template(
        "coverage/makeup_confirm.html",
        conference=conference,
        held=held,
        pending=len(pending),
        planned=planned_makeup(conference.body_id, documents),
        starts=proposed_start(conference),
    )


def _schedule(original: Conference, back: str):
    try:
        makeup = schedule_makeup(original, current_user)
    except MakeupExists as exists:
        planned = exists.conference
        flash(
            _(
                "A make-up session is already planned (%(status)s, %(date)s): here it is. "
                "No second one was created.",
                status=STATUS_LABELS[planned.status][0],
                date=planned.starts_at.strftime("%d/%m/%Y"),
            ),
            "warning",
        )
        return redirect(url_for("conferences.detail", conference_id=planned.id))
    except NothingToMakeUp:
        flash(_("Everyone invited has been briefed: no make-up session is needed."), "info")
        return redirect(back)
    except ValueError:
        flash(_("This conference covers no document."), "warning")
        return redirect(back)
    db.session.commit()
    invited = db.session.scalar(
        select(func.count()).select_from(Invitation).filter_by(conference_id=makeup.id)
    )
    flash(
        _(
            "Draft make-up session created for %(count)s invitees not yet briefed.",
            count=format_number(invited),
        ),
        "success",
    )
    return redirect(url_for("conferences.detail", conference_id=makeup.id))


@bp.route("/conferences/<int:conference_id>")
@roles_required(*READERS)
def conference(conference_id: int):
    """The coverage of each document a conference covers (a button on the conference page)."""
    conf = load_conference(conference_id) or abort(404)
    if len(conf.documents) == 1:
        return redirect(
            url_for(".document", body_id=conf.body_id, document_id=conf.documents[0].id)
        )
    wanted = {d.id for d in conf.documents}
    bodies = overview(conf.body_id)
    lines = [line for b in bodies for line in b.documents if line.document.id in wanted]
    return render_template("coverage/conference.html", conference=conf, lines=lines)


@bp.route(
    "/bodies/<int:body_id>/documents/<int:document_id>/self-study/<int:person_id>",
    methods=["GET", "POST"],
)
@roles_required(*EDITORS)
def self_study(body_id: int, document_id: int, person_id: int):
    body, doc = _body_and_document(body_id, document_id)
    person = db.session.get(Person, person_id)
    if person is None or person.body_id != body.id:
        abort(404)
    form = SelfStudyForm()
    if request.method == "GET":
        form.report_received_on.data = now().date()
    if form.validate_on_submit():
        record_self_study(person, doc, form.report_received_on.data, form.note.data, current_user)
        db.session.commit()
        flash(_("Self-study recorded for %(name)s.", name=person.full_name), "success")
        return redirect(url_for(".document", body_id=body.id, document_id=doc.id))
    return render_template(
        "coverage/self_study.html", form=form, body=body, document=doc, person=person
    )

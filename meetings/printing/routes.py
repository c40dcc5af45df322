from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.clock import now
from meetings.conferences.service import load_conference
from meetings.extensions import db
from meetings.models import Role
from meetings.printing import bp
from meetings.printing.blocks import ANNEX_HEADERS, DOTS, annex_title, minutes_blocks
from meetings.printing.data import (
    build_attendance,
    build_letters,
    build_minutes,
    categories_of,
    roman_numeral,
)
from meetings.printing.forms import (
    AttendanceJobForm,
    LettersClosingForm,
    LettersJobForm,
    NumberForm,
    SignerForm,
)
from meetings.printing.jobs import (
    INLINE_LETTERS,
    INLINE_ROWS,
    start_attendance_job,
    start_letters_job,
)
from meetings.printing.numbering import (
    AlreadyIssued,
    NumberedKind,
    issue,
    issued_at,
    proposed_number,
    set_number,
)
from meetings.printing.service import (
    ATTENDANCE_FORMATS,
    LETTER_FORMATS,
    MINUTES_FORMATS,
    File,
    attendance_file,
    letters_are_late,
    letters_file,
    minutes_file,
    set_letters_closing,
    set_minutes_signer,
)
from meetings.qr import qr_svg
from meetings.security import roles_required

PRINTERS = (Role.SECRETARIAT, Role.CLERK)


def _conference(conference_id: int):
    return load_conference(conference_id) or abort(404)


def _download(file: File) -> Response:
    return Response(
        file.content,
        mimetype=file.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


@bp.route("/conferences/<int:conference_id>/attendance")
@roles_required(*PRINTERS)
def attendance(conference_id: int):
    conference = _conference(conference_id)
    before = request.args.get("before") == "1"
    book = build_attendance(conference, before=before)
    small = book.invited <= INLINE_ROWS
    return render_template(
        "printing/attendance.html",
        conference=conference,
        book=book,
        formats=[f for f in ATTENDANCE_FORMATS if small or f not in ("docx", "pdf")],
        job_form=AttendanceJobForm(),
        roman=roman_numeral,
    )


def _job_page(form, start):
    """Start the job `start(form)` asks for, and show its progress page."""
    if not form.validate_on_submit():
        abort(400)
    return redirect(url_for("jobs.show", token=start(form).token))


@bp.post("/conferences/<int:conference_id>/attendance/job")
@roles_required(*PRINTERS)
def attendance_job(conference_id: int):
    conference = _conference(conference_id)
    return _job_page(
        AttendanceJobForm(),
        lambda f: start_attendance_job(conference, f.format.data, f.before.data, current_user),
    )


@bp.route("/conferences/<int:conference_id>/attendance.<fmt>")
@roles_required(*PRINTERS)
def attendance_download(conference_id: int, fmt: str):
    if fmt not in ATTENDANCE_FORMATS:
        abort(404)
    before = request.args.get("before") == "1"
    return _download(attendance_file(_conference(conference_id), fmt, before))


def _number_form(conference, kind: NumberedKind) -> NumberForm:
    form = NumberForm()
    if not form.is_submitted():
        form.number.data = proposed_number(conference, kind)
    return form


def _handle_number(conference, kind: NumberedKind, endpoint: str):
    form = NumberForm()
    if not form.validate_on_submit():
        flash(_("The number must be a whole number from 1."), "danger")
        return redirect(url_for(endpoint, conference_id=conference.id))
    try:
        set_number(conference, kind, form.number.data)
        if form.issue.data:
            number = issue(conference, kind, current_user)
            flash(_("Issued with number %(number)s.", number=number), "success")
        else:
            flash(_("Number saved."), "success")
        db.session.commit()
    except AlreadyIssued:  # raised before anything changed: nothing to roll back
        flash(_("This document is already issued; its number does not change."), "danger")
    return redirect(url_for(endpoint, conference_id=conference.id))


@bp.route("/conferences/<int:conference_id>/minutes", methods=["GET", "POST"])
@roles_required(*PRINTERS)
def minutes(conference_id: int):
    conference = _conference(conference_id)
    if request.method == "POST":
        return _handle_number(conference, NumberedKind.MINUTES, "printing.minutes")
    data = build_minutes(conference)
    return render_template(
        "printing/minutes.html",
        conference=conference,
        minutes=data,
        blocks=minutes_blocks(data),
        dots=DOTS,
        annex_title=annex_title(data) if data.annex else [],
        annex_headers=ANNEX_HEADERS,
        form=_number_form(conference, NumberedKind.MINUTES),
        signer_form=SignerForm(
            position=conference.minutes_signer_position,
            recipients=conference.minutes_recipients,
        ),
        issued_at=issued_at(conference, NumberedKind.MINUTES),
        formats=MINUTES_FORMATS,
    )


@bp.route("/conferences/<int:conference_id>/minutes/signer", methods=["POST"])
@roles_required(*PRINTERS)
def minutes_signer(conference_id: int):
    conference = _conference(conference_id)
    form = SignerForm()
    if issued_at(conference, NumberedKind.MINUTES):
        flash(_("This document is already issued; its signature does not change."), "danger")
    elif form.validate_on_submit():
        set_minutes_signer(conference, form.position.data, current_user, form.recipients.data)
        db.session.commit()
        flash(_("Signature saved."), "success")
    return redirect(url_for("printing.minutes", conference_id=conference.id))


@bp.route("/conferences/<int:conference_id>/minutes.<fmt>")
@roles_required(*PRINTERS)
def minutes_download(conference_id: int, fmt: str):
    if fmt not in MINUTES_FORMATS:
        abort(404)
    return _download(minutes_file(_conference(conference_id), fmt))


@bp.route("/conferences/<int:conference_id>/letters", methods=["GET", "POST"])
@roles_required(*PRINTERS)
def letters(conference_id: int):
    conference = _conference(conference_id)
    if request.method == "POST":
        return _handle_number(conference, NumberedKind.LETTERS, "printing.letters")
    category_id = request.args.get("category", type=int)
    batch = build_letters(conference, category_id)
    return render_template(
        "printing/letters.html",
        conference=conference,
        batch=batch,
        categories=categories_of(conference.body_id),
        category_id=category_id,
        form=_number_form(conference, NumberedKind.LETTERS),
        closing_form=LettersClosingForm(
            letters_date=conference.letters_date,
            position=conference.letters_signer_position,
            recipients=conference.letters_recipients,
        ),
        issued_at=issued_at(conference, NumberedKind.LETTERS),
        formats=LETTER_FORMATS if len(batch.letters) <= INLINE_LETTERS else (),
        job_form=LettersJobForm(),
        job_formats=LETTER_FORMATS,
        qr_svg=qr_svg,
        late=letters_are_late(conference, now().date()),
    )


@bp.post("/conferences/<int:conference_id>/letters/job")
@roles_required(*PRINTERS)
def letters_job(conference_id: int):
    conference = _conference(conference_id)
    return _job_page(
        LettersJobForm(),
        lambda f: start_letters_job(conference, f.format.data, f.category.data, current_user),
    )


@bp.route("/conferences/<int:conference_id>/letters/closing", methods=["POST"])
@roles_required(*PRINTERS)
def letters_closing(conference_id: int):
    conference = _conference(conference_id)
    form = LettersClosingForm()
    if issued_at(conference, NumberedKind.LETTERS):
        flash(_("This document is already issued; its signature does not change."), "danger")
    elif form.validate_on_submit():
        set_letters_closing(
            conference,
            form.letters_date.data,
            form.position.data,
            form.recipients.data,
            current_user,
        )
        db.session.commit()
        flash(_("Saved."), "success")
    else:
        flash(_("Check the date."), "danger")
    return redirect(url_for("printing.letters", conference_id=conference.id))


@bp.route("/conferences/<int:conference_id>/letters.<fmt>")
@roles_required(*PRINTERS)
def letters_download(conference_id: int, fmt: str):
    if fmt not in LETTER_FORMATS:
        abort(404)
    category_id = request.args.get("category", type=int)
    return _download(letters_file(_conference(conference_id), fmt, category_id))

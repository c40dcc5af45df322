"""Check-in pages: thin handlers over meetings.checkin.service."""

from __future__ import annotations

from collections import Counter

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from meetings.checkin import bp, service, venue
from meetings.checkin.access import conference_for_staff
from meetings.checkin.attendance import attendance
from meetings.checkin.desk import desk_rows
from meetings.checkin.forms import (
    ScanForm,
    SelfCheckInForm,
    SubstituteForm,
    UndoForm,
    WalkInForm,
)
from meetings.checkin.messages import (
    masked_name,
    method_label,
    outcome_message,
    rsvp_label,
)
from meetings.extensions import db, limiter
from meetings.forms import BaseForm
from meetings.models import CheckInMethod, Conference, ConferenceLocation
from meetings.qr import qr_svg
from meetings.security import public
from meetings.templating import figures

bp.add_app_template_global(rsvp_label, "checkin_rsvp_label")
bp.add_app_template_global(method_label, "checkin_method_label")


@bp.after_request
def _private(response: Response) -> Response:
    """Every check-in page shows someone's invitation or the live roll: no cache keeps it."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def _flash(outcome) -> None:
    colour, message = outcome_message(outcome)
    flash(message, colour)


# --- The personal QR: /c/<token> ---------------------------------------------------------------


@bp.get("/c/<token>")
@public
def personal(token: str):
    attendee = service.find_attendee(token)
    staff = current_user.is_authenticated
    if attendee is None:
        reason = "unknown_token" if len(token) <= 43 else "malformed_token"
        method = CheckInMethod.DOOR if staff else CheckInMethod.SELF
        service.record_failure(reason, service.Scan(token, method, service.Actor.of(current_user)))
        db.session.commit()
        return render_template("checkin/invalid_link.html"), 404
    if staff:
        return _staff_view(attendee)
    return _attendee_view(attendee)


def _staff_view(attendee: service.Attendee):
    actor = service.Actor.of(current_user)
    post = service.door_post(actor, attendee.conference_id)
    if not post.allowed:
        scan = service.Scan(attendee.token, CheckInMethod.DOOR, actor)
        service.record_failure("wrong_conference", scan, attendee.conference_id)
        db.session.commit()
        return render_template("checkin/not_your_door.html"), 403
    outcome = None
    if post.auto_checkin:
        outcome = service.check_in(attendee, method=CheckInMethod.DOOR, actor=actor)
        db.session.commit()
    conference = db.session.get(Conference, attendee.conference_id)
    checkin = service.checkin_of(attendee.invitation_id)
    # green only where this very scan checked them in; else amber: they came before
    if outcome is not None and outcome.status == service.Status.OK:
        new = outcome.checkin_id
    else:
        new = request.args.get("new", type=int)
    return render_template(
        "checkin/personal_staff.html",
        attendee=attendee,
        conference=conference,
        message=outcome_message(outcome) if outcome else None,
        checkin=checkin,
        fresh=checkin is not None and checkin.id == new,
        state=service.door_state(conference),
        opens_at=service.conference_window(conference)[0],
        form=SubstituteForm(),
        auto=post.auto_checkin,
    )


def _attendee_view(attendee: service.Attendee):
    conference = db.session.get(Conference, attendee.conference_id)
    checkin = service.checkin_of(attendee.invitation_id)
    page = render_template(
        "checkin/personal_public.html", attendee=attendee, conference=conference, checkin=checkin
    )
    response = make_response(page)
    # This phone has opened the invitation: a later venue QR checks it in with one tap.
    cookie = request.cookies.get(venue.ATTENDEE_COOKIE)
    response.set_cookie(
        venue.ATTENDEE_COOKIE,
        venue.remember_invitation(cookie, attendee.invitation_id),
        max_age=venue.ATTENDEE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.post("/c/<token>")
def personal_checkin(token: str):
    attendee = service.find_attendee(token) or abort(404)
    form = SubstituteForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = service.check_in(
        attendee,
        method=CheckInMethod.DOOR,
        actor=service.Actor.of(current_user),
        substitute_name=form.substitute_name.data,
        substitute_position=form.substitute_position.data,
    )
    db.session.commit()
    _flash(outcome)
    new = outcome.checkin_id if outcome.status == service.Status.OK else None
    return redirect(url_for("checkin.personal", token=token, new=new))


# --- Self check-in with the venue QR: /v/<code> ------------------------------------------------


def _public_limit() -> str:
    return current_app.config["PUBLIC_CHECKIN_RATE_LIMIT"]


def _remembered(conference_id: int) -> service.Attendee | None:
    """The invitation of this conference that this phone opened before, if any."""
    for invitation_id in venue.remembered_invitations(request.cookies.get(venue.ATTENDEE_COOKIE)):
        attendee = service.find_attendee(invitation_id)
        if attendee and attendee.conference_id == conference_id:
            return attendee
    return None


@bp.get("/v/<code>", endpoint="venue")
@public
def scanned_venue(code: str):
    try:
        venue_pass = venue.read_venue_code(code)
    except venue.VenueCodeError as error:
        scan = service.Scan(None, CheckInMethod.SELF)
        service.record_failure(f"venue_code_{error.reason}", scan, error.conference_id)
        db.session.commit()
        status = 410 if error.reason == "expired" else 404
        return render_template("checkin/venue_error.html", reason=error.reason), status
    conference = db.session.get(Conference, venue_pass.conference_id)
    return _venue_page(conference, venue.issue_pass(venue_pass))


def _venue_page(conference: Conference, venue_pass: str, error: str | None = None, status=200):
    form = SelfCheckInForm(venue_pass=venue_pass)
    page = render_template(
        "checkin/venue.html",
        conference=conference,
        state=service.door_state(conference),
        remembered=_remembered(conference.id),
        form=form,
        error=error,
    )
    return page, status


def _one_tap() -> bool:
    """The remembered-invitation tap guesses nothing: only typed codes count."""
    return request.form.get("me") == "1"


@bp.post("/v")
@public
@limiter.limit(_public_limit, exempt_when=_one_tap)
def self_checkin():
    form = SelfCheckInForm()
    venue_pass = venue.read_pass(form.venue_pass.data) if form.validate_on_submit() else None
    if venue_pass is None:
        return render_template("checkin/venue_error.html", reason="expired"), 410
    conference = db.session.get(Conference, venue_pass.conference_id) or abort(404)
    if form.me.data == "1":
        attendee, name = _remembered(conference.id), None
    elif not venue.may_type_code(venue_pass):
        error = _("Too many codes were tried. Please go to the check-in desk.")
        return _venue_page(conference, form.venue_pass.data, error, status=429)
    else:
        attendee = service.find_by_short_code(conference.id, form.identifier.data or "")
        name = masked_name(attendee.name) if attendee else None  # all the typist needs
    if attendee is None:
        venue.count_wrong_code(conference.id)
        scan = service.Scan(None, CheckInMethod.SELF)
        service.record_failure("unknown_attendee", scan, conference.id)
        db.session.commit()
        error = _("No invitation to this conference has that code.")
        return _venue_page(conference, form.venue_pass.data, error, status=404)
    outcome = service.check_in(
        attendee, method=CheckInMethod.SELF, location_id=venue_pass.location_id
    )
    db.session.commit()
    colour, message = outcome_message(outcome, name=name)
    page = render_template(
        "checkin/self_result.html",
        conference=conference,
        outcome=outcome,
        colour=colour,
        message=message,
        full=name is None,
    )
    return page, 200 if outcome.present else 409


# --- The desk -----------------------------------------------------------------------------------


DESK_BROWSE_ROWS = 30  # without a search: a phone's few screens, not the whole list
DESK_SEARCH_ROWS = 200


def _desk(conference_id: int):
    """Back to the desk, with its search and filter kept."""
    args = {name: request.args.get(name) for name in ("q", "hide")}
    return redirect(url_for("checkin.desk", conference_id=conference_id, **args))


@bp.get("/checkin/<int:conference_id>/desk")
def desk(conference_id: int):
    conference = conference_for_staff(conference_id)
    query = request.args.get("q", "")
    hide = request.args.get("hide") == "1"
    limit = DESK_SEARCH_ROWS if query.strip() else DESK_BROWSE_ROWS
    rows, total = desk_rows(conference_id, query, limit=limit, hide_present=hide)
    substitute_for = request.args.get("sub", type=int)
    return render_template(
        "checkin/desk.html",
        conference=conference,
        q=query,
        hide=hide,
        rows=rows,
        total=total,
        scan_form=ScanForm(),
        bulk_form=BaseForm(),
        walk_in_form=WalkInForm(),
        substitute_form=SubstituteForm(invitation_id=substitute_for),
        substitute_row=next((r for r in rows if r.invitation.id == substitute_for), None),
        undo_form=UndoForm(),
        undo_id=request.args.get("undo", type=int),
        state=service.door_state(conference),
        summary=attendance(conference, latest=8, missing_limit=0),
    )


@bp.post("/checkin/<int:conference_id>/desk/scan")
def desk_scan(conference_id: int):
    conference_for_staff(conference_id)
    form = ScanForm()
    if form.validate_on_submit():
        text = service.token_from_scan(form.code.data)
        actor = service.Actor.of(current_user)
        target = service.find_by_short_code(conference_id, text) if len(text) <= 12 else None
        outcome = service.check_in(
            target or text, method=CheckInMethod.DESK, actor=actor, conference_id=conference_id
        )
        db.session.commit()
        _flash(outcome)
    return redirect(url_for("checkin.desk", conference_id=conference_id))


@bp.post("/checkin/<int:conference_id>/desk/checkin")
def desk_checkin(conference_id: int):
    conference_for_staff(conference_id)
    form = SubstituteForm()
    if form.validate_on_submit() and form.invitation_id.data:
        outcome = service.check_in(
            form.invitation_id.data,
            method=CheckInMethod.DESK,
            actor=service.Actor.of(current_user),
            conference_id=conference_id,
            substitute_name=form.substitute_name.data,
            substitute_position=form.substitute_position.data,
        )
        db.session.commit()
        _flash(outcome)
    return _desk(conference_id)


@bp.post("/checkin/<int:conference_id>/desk/bulk")
def desk_bulk(conference_id: int):
    conference_for_staff(conference_id)
    form = BaseForm()
    ids = [int(v) for v in request.form.getlist("invitation_ids") if v.isdigit()]
    if not form.validate_on_submit() or not ids:
        abort(400)
    outcomes = service.bulk_check_in(conference_id, ids, actor=service.Actor.of(current_user))
    db.session.commit()
    counts = Counter(outcome.status for outcome in outcomes)
    done, already = counts.pop(service.Status.OK, 0), counts.pop(service.Status.ALREADY, 0)
    refused = counts.total()
    message = _(
        "%(done)d checked in, %(already)d already in, %(refused)d refused.",
        done=done,
        already=already,
        refused=refused,
    )
    flash(message, "warning" if refused else "success")
    return _desk(conference_id)


@bp.post("/checkin/<int:conference_id>/desk/walk-in")
def desk_walk_in(conference_id: int):
    conference_for_staff(conference_id)
    form = WalkInForm()
    if form.validate_on_submit():
        outcome = service.record_walk_in(
            conference_id,
            name=form.name.data,
            position=form.position.data,
            unit=form.unit.data,
            actor=service.Actor.of(current_user),
        )
        db.session.commit()
        if outcome.status == service.Status.OK:
            flash(_("Walk-in recorded: %(name)s.", name=form.name.data), "success")
        else:
            _flash(outcome)
    else:
        flash(_("A walk-in needs a name."), "danger")
    return _desk(conference_id)


@bp.post("/checkin/<int:conference_id>/undo/<int:checkin_id>")
def undo(conference_id: int, checkin_id: int):
    conference_for_staff(conference_id)
    form = UndoForm()
    if not form.validate_on_submit():
        flash(_("Undoing a check-in needs a reason."), "danger")
        return _desk(conference_id)
    if not service.undo_check_in(conference_id, checkin_id, current_user, form.reason.data):
        abort(404)
    db.session.commit()
    flash(_("Check-in undone; the reason is kept in the audit log."), "success")
    return _desk(conference_id)


# --- The screen at the door ------------------------------------------------------------------


def _location(conference: Conference) -> ConferenceLocation | None:
    location_id = request.args.get("location", type=int)
    if not location_id:
        return None
    location = db.session.get(ConferenceLocation, location_id)
    if location is None or location.conference_id != conference.id:
        abort(404)
    return location


def _screen_data(conference: Conference, location: ConferenceLocation | None) -> dict:
    window = venue.current_window()
    url = venue.venue_url(conference, location.id if location else None, window)
    summary = attendance(conference, latest=0, missing_limit=0)
    return {
        "window": window,
        "seconds_left": venue.seconds_left(),
        "url": url,
        "svg": qr_svg(url),
        "present": summary.present,
        "phrase": figures(summary.phrase),
    }


@bp.get("/checkin/<int:conference_id>/display")
def display(conference_id: int):
    conference = conference_for_staff(conference_id)
    location = _location(conference)
    return render_template(
        "checkin/display.html",
        conference=conference,
        location=location,
        screen=_screen_data(conference, location),
        state=service.door_state(conference),
    )


@bp.get("/checkin/<int:conference_id>/display.json")
def display_json(conference_id: int):
    conference = conference_for_staff(conference_id)
    return jsonify(_screen_data(conference, _location(conference)))


# --- Live attendance ----------------------------------------------------------------------------


@bp.get("/checkin/<int:conference_id>/live")
def live(conference_id: int):
    conference = conference_for_staff(conference_id)
    return render_template("checkin/live.html", conference=conference, data=attendance(conference))


@bp.get("/checkin/<int:conference_id>/live.json")
def live_json(conference_id: int):
    conference = conference_for_staff(conference_id)
    data = attendance(conference)
    return jsonify(
        {
            "present": data.present,
            "invited": data.invited,
            "phrase": figures(data.phrase),
            "html": render_template("checkin/_live_body.html", data=data),
        }
    )

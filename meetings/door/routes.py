"""Door pages: the door app, its roster, token, worker and manifest; door staff and their phones."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from meetings.checkin import service as checkin_service
from meetings.checkin.access import conference_for_staff
from meetings.checkin.messages import failure_label
from meetings.door import bp, script, service
from meetings.door.forms import AutoForm
from meetings.extensions import db
from meetings.forms import BaseForm
from meetings.models import Conference, Role
from meetings.security import public, roles_required


@bp.route("/checkin/<int:conference_id>/door", methods=["GET", "POST"])
def page(conference_id: int):
    conference = conference_for_staff(conference_id)
    assignment = service.assignments(conference_id).get(current_user.id)
    form = AutoForm(auto=assignment.auto_checkin if assignment else False)
    if form.validate_on_submit() and assignment:
        service.set_auto_checkin(conference_id, current_user, form.auto.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("door.page", conference_id=conference_id))
    opens_at, closes_at = checkin_service.conference_window(conference)
    return render_template(
        "door/page.html",
        conference=conference,
        assignment=assignment,
        form=form,
        state=checkin_service.door_state(conference),
        opens_at=opens_at,
        closes_at=closes_at,
        failures=checkin_service.latest_failures(conference_id),
        failure_label=failure_label,
        door_config=script.config(conference, current_user.id),
    )


@bp.get("/checkin/<int:conference_id>/door/roster.json")
def roster(conference_id: int):
    conference = conference_for_staff(conference_id)
    response = jsonify(service.door_roster(conference))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/checkin/<int:conference_id>/door/device")
def device(conference_id: int):
    """A token for this phone to send its scans to the API, offline ones included."""
    conference_for_staff(conference_id)
    token = service.issue_door_device(current_user, conference_id)
    db.session.commit()
    response = jsonify({"token": token})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/checkin/<int:conference_id>/door/forget")
def forget(conference_id: int):
    """The phone forgets its roster and token: the token is revoked here."""
    body = request.get_json(silent=True) or {}
    token = body.get("token") if isinstance(body.get("token"), str) else ""
    revoked = service.forget_door_device(current_user, token)
    db.session.commit()
    return jsonify({"revoked": revoked})


@bp.get("/door-sw.js")
@public
def worker():
    """The door's service worker, served from the root so that it sees the sign-out."""
    response = send_from_directory(current_app.static_folder, "door-sw.js", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/checkin/<int:conference_id>/door.webmanifest")
@public  # browsers fetch manifests without cookies
def manifest(conference_id: int):
    response = jsonify(
        {
            "name": _("Door check-in"),
            "short_name": _("Door"),
            "start_url": url_for("door.page", conference_id=conference_id),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#a50e0e",
            "icons": [
                {
                    "src": url_for("static", filename=f"door-icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in (192, 512)
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/checkin/<int:conference_id>/door-staff", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def staff(conference_id: int):
    conference = db.session.get(Conference, conference_id) or abort(404)
    form = BaseForm()
    if form.validate_on_submit():
        chosen = {}
        for raw in request.form.getlist("user_id"):
            if raw.isdigit():
                location = request.form.get(f"location_{raw}", "")
                chosen[int(raw)] = int(location) if location.isdigit() else None
        try:
            added, removed = service.assign_door_staff(conference, chosen, current_user)
        except ValueError:
            abort(400)
        db.session.commit()
        flash(
            _(
                "Door staff saved: %(added)d added, %(removed)d removed.",
                added=added,
                removed=removed,
            ),
            "success",
        )
        return redirect(url_for("door.staff", conference_id=conference_id))
    return render_template(
        "door/staff.html",
        conference=conference,
        users=service.door_users(),
        current=service.assignments(conference_id),
        devices=service.door_devices(conference_id),
        form=form,
    )


@bp.post("/checkin/<int:conference_id>/door-staff/devices/<int:token_id>/revoke")
@roles_required(Role.SECRETARIAT)
def revoke_device(conference_id: int, token_id: int):
    if not BaseForm().validate_on_submit():
        abort(400)
    if not service.revoke_door_device(conference_id, token_id, current_user):
        abort(404)
    db.session.commit()
    flash(_("The phone's token is revoked: it can no longer check anyone in."), "success")
    return redirect(url_for("door.staff", conference_id=conference_id))

"""Who may work a conference's check-in and door pages: the guard their handlers share."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from meetings.checkin import service
from meetings.extensions import db
from meetings.models import Conference


def conference_for_staff(conference_id: int) -> Conference:
    """The conference, if the signed-in user may check people in there (else 403/404)."""
    conference = db.session.get(Conference, conference_id) or abort(404)
    if not service.door_post(service.Actor.of(current_user), conference_id).allowed:
        abort(403)
    return conference

"""The door page's script: the addresses it calls and the words it shows, in the UI language.

The page scans in the browser, answers offline scans from its roster and sends every scan to
the JSON API (POST /api/v1/checkins) with the phone's own token: see README, "The door app".
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from meetings.checkin.messages import FAILURE_LABELS, method_label, rsvp_label
from meetings.models import CheckInMethod, Conference, Rsvp

# Files the service worker keeps for the page to load with no network (and the page itself).
OFFLINE_FILES = ("app.css", "door.css", "door-store.js", "door.js", "vendor/jsqr/jsQR.js")


def texts() -> dict[str, str]:
    """The sentences of the door script; %(name)s-style fields are filled in by the script."""
    return {
        "ok": _("Checked in"),
        "already": _("Already checked in at %(time)s by %(by)s"),
        "refused": _("Refused"),
        "invalid": _("Not a valid invitation"),
        "offline_note": _("Offline — will sync"),
        "offline_unknown": _("Not in this phone's roster — will be checked when online"),
        "online": _("Online"),
        "offline": _("Offline"),
        "waiting": _("Waiting to sync: %(count)s"),
        "last_sync": _("Last sync: %(time)s"),
        "never": _("not yet"),
        "substitute": _("Substitute (dự thay)"),
        "deputy_announced": _("Substitute announced"),
        "who_came": _("Who came?"),
        "invitee_came": _("The invitee"),
        "category": _("Category"),
        "reply": _("Reply"),
        "absence": _("Absence note"),
        "seat": _("Where to sit"),
        "camera_off": _("The camera could not be started: %(error)s"),
        "camera_needs_https": _("The camera needs HTTPS (or localhost)."),
        "roster_ready": _("Roster: %(count)s invitees, kept until %(time)s"),
        "roster_missing": _("No roster on this phone yet: go online once."),
        "self": _("self check-in"),
        "this_door": _("this door"),
        "not_open": _("Check-in is not open yet."),
        "closed": _("Check-in is closed: the conference has ended."),
        "cancelled": _("The conference has been cancelled"),
        "wrong_conference": _(
            "This invitation is for another conference, or you do not keep its door."
        ),
        "bad_request": _("The server could not read this scan"),
        "conflict_scanned": _("Scanned at %(time)s"),
        "later_already": _("Already checked in by another door"),
    }


def config(conference: Conference, user_id: int) -> dict:
    """What the door script needs, given to it as JSON in the page (no inline script)."""
    conference_id = conference.id
    return {
        "conference": conference_id,
        "user": user_id,
        "roster": url_for("door.roster", conference_id=conference_id),
        "device": url_for("door.device", conference_id=conference_id),
        "forget": url_for("door.forget", conference_id=conference_id),
        "api": url_for("api.checkins"),
        "worker": url_for("door.worker"),
        "cache": [url_for("static", filename=name) for name in OFFLINE_FILES],
        "rsvp": {rsvp.value: rsvp_label(rsvp) for rsvp in Rsvp},
        "methods": {method.value: method_label(method) for method in CheckInMethod},
        "reasons": {reason: str(label) for reason, label in FAILURE_LABELS.items()},
        "text": texts(),
    }

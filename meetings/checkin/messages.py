"""What an outcome says to a person, in the UI language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetings.checkin.service import Outcome, Status
from meetings.invitations.forms import RSVP_LABELS
from meetings.models import CheckInMethod, Rsvp

METHOD_LABELS = {
    CheckInMethod.DOOR: _l("the door"),
    CheckInMethod.SELF: _l("self check-in"),
    CheckInMethod.DESK: _l("the desk"),
    CheckInMethod.API: _l("a scanner"),
}

FAILURE_LABELS = {
    "unknown_token": _l("Unknown code"),
    "malformed_token": _l("Not an invitation code"),
    "not_open": _l("Check-in not open yet"),
    "closed": _l("Check-in closed"),
    "cancelled": _l("Conference cancelled"),
    "wrong_conference": _l("Another conference"),
    "unknown_attendee": _l("No invitee with that phone or code"),
    "venue_code_expired": _l("Old screen code"),
    "venue_code_invalid": _l("Forged screen code"),
}


def failure_label(reason: str) -> str:
    return str(FAILURE_LABELS.get(reason, reason))


def masked_name(name: str) -> str:
    """Enough of a name for its owner to recognise it: "Nguyễn Văn Chiến" → "N. V. Chiến"."""
    *others, given = name.split() or [""]
    return " ".join([*(f"{word[0]}." for word in others), given])


def _who(outcome: Outcome, name: str | None) -> str:
    """Who came: the invitee, or the substitute in their place (dự thay)."""
    name = name or (outcome.attendee.name if outcome.attendee else "") or _("Walk-in")
    if outcome.substitute:
        return _(
            "%(substitute)s, substituting for %(name)s,", substitute=outcome.substitute, name=name
        )
    return name


def outcome_message(outcome: Outcome, name: str | None = None) -> tuple[str, str]:
    """(Bootstrap colour, sentence) for an outcome: green new, amber already, else refused.
    `name` replaces the invitee's name (a masked one on a public page)."""
    if outcome.status == Status.OK:
        return "success", _(
            "%(name)s checked in at %(time)s.",
            name=_who(outcome, name),
            time=outcome.checked_in_at.strftime("%H:%M"),
        )
    if outcome.status == Status.ALREADY:
        return "warning", _(
            "%(name)s was already checked in at %(time)s by %(by)s.",
            name=_who(outcome, name),
            time=outcome.checked_in_at.strftime("%H:%M"),
            by=outcome.by or METHOD_LABELS[outcome.method],
        )
    if outcome.status == Status.NOT_OPEN:
        if outcome.opens_at is None:
            return "warning", _("Check-in is not open yet.")
        return "warning", _(
            "Check-in opens at %(time)s on %(date)s.",
            time=outcome.opens_at.strftime("%H:%M"),
            date=outcome.opens_at.strftime("%d/%m/%Y"),
        )
    if outcome.status == Status.CLOSED:
        return "warning", _("Check-in is closed: the conference has ended.")
    if outcome.status == Status.CANCELLED:
        return "danger", _(
            "The conference has been cancelled: %(reason)s",
            reason=outcome.cancel_reason or _("no reason given"),
        )
    if outcome.status == Status.WRONG_CONFERENCE:
        return "danger", _(
            "This invitation is for another conference, or you do not keep its door."
        )
    return "danger", _("This code is not a valid invitation.")


def rsvp_label(rsvp: Rsvp) -> str:
    return str(RSVP_LABELS[Rsvp(rsvp)])


def method_label(method: CheckInMethod) -> str:
    return str(METHOD_LABELS[CheckInMethod(method)])

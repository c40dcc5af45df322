"""Answering an invitation from its link. Every answer goes through invitations.set_rsvp, so
it is recorded in the audit log with its time (the log already holds the secretariat's
answers on the invitee's behalf: one history for both, and no second table to keep)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from meetings.clock import now
from meetings.extensions import db
from meetings.invitations.service import set_rsvp
from meetings.models import AuditEntry, Conference, ConferenceStatus, Invitation, Rsvp

RSVP_ACTION = "invitations.rsvp"


class Answer(enum.StrEnum):
    ATTEND = "attend"  # Tham dự
    ABSENT = "absent"  # Vắng, with a reason
    DEPUTY = "deputy"  # Cử người dự thay


class ReplyError(ValueError):
    """The answer cannot be taken; nothing changed."""


def find_invitation(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).filter_by(token=token)) if token else None


def replies_open(conference: Conference) -> bool:
    """Answers can be given and changed until the conference starts (not once cancelled)."""
    live = conference.status in (ConferenceStatus.DRAFT, ConferenceStatus.SCHEDULED)
    return live and now() < conference.starts_at


def current_answer(invitation: Invitation) -> Answer | None:
    if invitation.rsvp == Rsvp.CONFIRMED:
        return Answer.DEPUTY if invitation.substitute_name else Answer.ATTEND
    if invitation.rsvp in (Rsvp.EXCUSED, Rsvp.DECLINED):
        return Answer.ABSENT
    return None


def reply(
    invitation: Invitation,
    answer: Answer,
    reason: str | None = None,
    deputy_name: str | None = None,
    deputy_position: str | None = None,
) -> None:
    """Take the invitee's answer (the caller commits)."""
    if not replies_open(invitation.conference):
        raise ReplyError("closed")
    if answer is Answer.ABSENT:
        if not reason:
            raise ReplyError("reason")
        set_rsvp(invitation, Rsvp.EXCUSED, reason)
    elif answer is Answer.DEPUTY:
        if not invitation.deputy_allowed:
            raise ReplyError("no_deputy")
        if not (deputy_name and deputy_position):
            raise ReplyError("deputy")
        set_rsvp(invitation, Rsvp.CONFIRMED, None, deputy_name, deputy_position)
    else:
        set_rsvp(invitation, Rsvp.CONFIRMED)


@dataclass(frozen=True)
class PastAnswer:
    at: datetime
    rsvp: str
    reason: str | None
    substitute: str | None
    by_invitee: bool  # from the link, not entered by the secretariat


def answer_history(invitation: Invitation) -> list[PastAnswer]:
    """Every answer given to this invitation, oldest first."""
    entries = db.session.scalars(
        select(AuditEntry)
        .filter_by(action=RSVP_ACTION, object_type="invitations", object_id=invitation.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    history = []
    for entry in entries:
        detail = entry.detail or {}
        substitute = ", ".join(
            p for p in (detail.get("substitute_name"), detail.get("substitute_position")) if p
        )
        history.append(
            PastAnswer(
                entry.created_at,
                detail.get("rsvp", ""),
                detail.get("reason"),
                substitute or None,
                entry.user_id is None,
            )
        )
    return history

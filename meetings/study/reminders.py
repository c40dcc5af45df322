"""E-mail reminders to the people whose study report is overdue, through the mail sender.

Each message goes to one person and carries only their own link (/s/<their invitation's
token>), from which they hand the report in with no login.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from meetings.extensions import db
from meetings.links import public_url
from meetings.mail.sender import Outgoing, Recipient, message_kind, queue_deliveries
from meetings.models import (
    Conference,
    ConferenceDocument,
    Delivery,
    Invitation,
    Job,
    Person,
    StudyRound,
    User,
)
from meetings.study.results import PersonLine, overdue_by_unit

OVERDUE_KIND = "study.overdue"


@dataclass(frozen=True)
class Reminders:
    """What a press of "remind" did: the sending job (None: nobody to write to), and the
    overdue people who have no e-mail address or no invitation to link to."""

    job: Job | None
    sent_to: int
    unreachable: list[PersonLine]


def remind_overdue(study: StudyRound, by: User, unit_ids: set[int] | None = None) -> Reminders:
    """Queue one reminder per overdue person with an address (the job commits)."""
    lines = [line for _unit, group in overdue_by_unit(study, unit_ids) for line in group]
    invitations = _latest_invitations(study, [line.person_id for line in lines])
    emails = dict(
        db.session.execute(
            select(Person.id, Person.email).where(Person.id.in_([line.person_id for line in lines]))
        ).all()
    )
    recipients, unreachable = [], []
    for line in lines:
        invitation_id = invitations.get(line.person_id)
        address = (emails.get(line.person_id) or "").strip()
        if not address or invitation_id is None:
            unreachable.append(line)
            continue
        recipients.append(Recipient(address, invitation_id, {"round_id": study.id}))
    if not recipients:
        return Reminders(None, 0, unreachable)
    title = _("Study report reminders: %(document)s", document=study.document.citation)
    job = queue_deliveries(OVERDUE_KIND, recipients, by, title)
    return Reminders(job, len(recipients), unreachable)


def _latest_invitations(study: StudyRound, person_ids: list[int]) -> dict[int, int]:
    """Each person's invitation to the latest of the body's conferences on the document."""
    rows = db.session.execute(
        select(Invitation.person_id, Invitation.id)
        .join(Conference, Conference.id == Invitation.conference_id)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .where(
            Invitation.person_id.in_(person_ids),
            Conference.body_id == study.body_id,
            ConferenceDocument.document_id == study.document_id,
        )
        .order_by(Conference.starts_at)
    ).all()
    return dict(rows)  # later conferences overwrite earlier ones


@message_kind(OVERDUE_KIND)
def _compose(delivery: Delivery) -> Outgoing:
    study = db.session.get(StudyRound, delivery.params["round_id"])
    invitation = delivery.invitation
    context = {
        "study": study,
        "name": invitation.shown_name or "",
        "link": public_url(f"/s/{invitation.token}"),
    }
    return Outgoing(
        subject=_("Reminder: your study report on %(document)s", document=study.document.citation),
        body=render_template("study/mail/overdue.txt", **context),
    )

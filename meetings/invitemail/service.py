"""What goes to whom: the invitation e-mail and the later messages about the same invitation.

A message shows one invitee's data only: the composer reads its own delivery's invitation, and
the letter attached is that invitation's page alone, cut from the conference's letters (the
batch is built once per sending job, not once per message)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from flask import g, render_template
from flask_mail import Attachment
from sqlalchemy import select

from meetings.clock import now
from meetings.conferences.calendar import conference_ics
from meetings.extensions import db
from meetings.invitations.service import all_invitations
from meetings.links import personal_checkin_url
from meetings.mail.sender import (
    SEND_JOB,
    Outgoing,
    Recipient,
    Summary,
    delivery_summary,
    message_kind,
    queue_deliveries,
)
from meetings.models import (
    Conference,
    ConferenceStatus,
    Delivery,
    DeliveryStatus,
    Invitation,
    Job,
    JobStatus,
    Rsvp,
    User,
)
from meetings.printing import pdf
from meetings.printing.data import Letter, LetterBatch, build_letters, lower_first, when_line
from meetings.qr import qr_png


class Kind(enum.StrEnum):
    """The messages about an invitation; each is a registered message kind of meetings.mail."""

    INVITATION = "invitation"
    UNANSWERED = "invitation.unanswered"  # a reminder to those who have not replied
    EVE = "invitation.eve"  # the day before, to those who are coming
    POSTPONED = "invitation.postponed"
    CANCELLED = "invitation.cancelled"


LETTER_NAME = "giay-moi.pdf"
CALENDAR_NAME = "hoi-nghi.ics"
QR_CID = "qr"


# --- Composing ---------------------------------------------------------------------------------


def _letters(delivery: Delivery, conference: Conference) -> tuple[LetterBatch, dict[str, Letter]]:
    """The conference's letters, built once per sending job (kept on `g`, which lives as long
    as the worker's app context for that job), keyed by the personal link each one holds."""
    cache = g.setdefault("invitemail_letters", {})
    key = (delivery.job_id, conference.id)
    if key not in cache:
        batch = build_letters(conference)
        cache.clear()
        cache[key] = (batch, {letter.url: letter for letter in batch.letters})
    return cache[key]


@dataclass(frozen=True)
class Text:
    subject: str
    paragraphs: list[str]


def _text(kind: Kind, **context) -> Text:
    """The message's text from its template: the first line is the subject, paragraphs are
    separated by blank lines."""
    rendered = render_template(f"invitemail/email/{kind.value}.txt", **context).strip()
    subject, _, body = rendered.partition("\n")
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    return Text(" ".join(subject.split()), paragraphs)


def _outgoing(text: Text, url: str, attachments: list[Attachment]) -> Outgoing:
    qr = Attachment("qr.png", "image/png", qr_png(url), "inline", {"Content-ID": f"<{QR_CID}>"})
    return Outgoing(
        subject=text.subject,
        body="\n\n".join(text.paragraphs) + "\n",
        html=render_template("invitemail/email/message.html", text=text, url=url, cid=QR_CID),
        attachments=[*attachments, qr],
    )


def _calendar(conference: Conference, url: str) -> Attachment:
    # Flask-Mail splits the type at "/" into MIMEBase(maintype, subtype): the parameters
    # ride on the subtype, so the part says its charset (the text is Vietnamese).
    content_type = "text/calendar; charset=utf-8; method=PUBLISH"
    return Attachment(CALENDAR_NAME, content_type, conference_ics(conference, url))


def _place(conference: Conference) -> str:
    venue = conference.venue
    return ", ".join(p for p in (venue.name, venue.address) if p) if venue else ""


def _compose(delivery: Delivery) -> Outgoing:
    invitation = delivery.invitation
    if invitation is None:
        raise ValueError("the invitation was withdrawn")
    conference = invitation.conference
    url = personal_checkin_url(invitation.token)
    kind = Kind(delivery.kind)
    attachments = [_calendar(conference, url)]
    letter = None
    if kind is Kind.INVITATION:
        batch, by_url = _letters(delivery, conference)
        letter = by_url.get(url)
        if letter is not None:  # the chair is sent no letter
            content = pdf.letters_pdf(replace(batch, letters=[letter]))
            attachments.insert(0, Attachment(LETTER_NAME, "application/pdf", content))
    text = _text(
        kind,
        conference=conference,
        invitation=invitation,
        addressee=letter.addressee if letter else f"đồng chí {invitation.invitee_label}",
        title=lower_first(conference.title),
        when=when_line(conference.starts_at),
        where=letter.where if letter else _place(conference),
        url=url,
        params=delivery.params,
    )
    return _outgoing(text, url, attachments)


for _kind in Kind:
    message_kind(_kind.value)(_compose)


# --- Who is sent what ----------------------------------------------------------------------


@dataclass
class Plan:
    """Who a sending would reach: those to send to, those who already have it (skipped
    unless asked), and those without an address, whose letters are printed."""

    send: list[Recipient] = field(default_factory=list)
    already: int = 0
    no_address: list[Invitation] = field(default_factory=list)


ON_THE_WAY = (DeliveryStatus.SENT, DeliveryStatus.PENDING)


def _received(
    conference: Conference, kind: Kind, statuses: tuple[DeliveryStatus, ...] = ON_THE_WAY
) -> dict[int, str]:
    """Invitations sent (or, by default, being sent) a message of `kind`: id → the address."""
    rows = db.session.execute(
        select(Delivery.invitation_id, Delivery.address)
        .join(Invitation, Invitation.id == Delivery.invitation_id)
        .where(
            Invitation.conference_id == conference.id,
            Delivery.kind == kind.value,
            Delivery.status.in_(statuses),
        )
        .order_by(Delivery.id)
    )
    return dict(rows.all())


def address_of(invitation: Invitation) -> str | None:
    person = invitation.person
    return (person.email or "").strip() or None if person else None


def plan(conference: Conference, kind: Kind, resend: bool = False) -> Plan:
    """Whom a message of `kind` goes to, in protocol order. The chair, who signs the letters,
    is sent none. Reminders go to those who have not answered, the eve's to those coming."""
    wanted = {
        Kind.UNANSWERED: (Rsvp.INVITED,),
        Kind.EVE: (Rsvp.CONFIRMED,),
    }.get(kind)
    done = _received(conference, kind) if kind is not Kind.UNANSWERED else {}
    result = Plan()
    for invitation in all_invitations(conference):
        if invitation.person_id is not None and invitation.person_id == conference.chair_id:
            continue
        if wanted and invitation.rsvp not in wanted:
            continue
        address = address_of(invitation)
        if address is None:
            result.no_address.append(invitation)
        elif invitation.id in done and not resend:
            result.already += 1
        else:
            result.send.append(Recipient(address, invitation.id))
    return result


TITLES = {
    Kind.INVITATION: "Gửi giấy mời qua thư điện tử",
    Kind.UNANSWERED: "Nhắc trả lời giấy mời",
    Kind.EVE: "Nhắc lịch hội nghị ngày mai",
    Kind.POSTPONED: "Thông báo dời lịch hội nghị",
    Kind.CANCELLED: "Thông báo hủy hội nghị",
}


def send(
    conference: Conference,
    kind: Kind,
    owner: User,
    resend: bool = False,
    here: bool = False,
) -> tuple[Plan, Job | None]:
    """Queue the messages of `kind` the plan names, as one background job (None: nobody)."""
    chosen = plan(conference, kind, resend)
    if not chosen.send:
        return chosen, None
    job = queue_deliveries(
        kind.value,
        chosen.send,
        owner,
        f"{TITLES[kind]}: {conference.title}"[:200],
        conference.id,
        params={"purpose": kind.value},
        here=here,
    )
    return chosen, job


def starting_tomorrow() -> list[Conference]:
    """Scheduled conferences that start tomorrow: whom the eve's reminders are for (cron)."""
    tomorrow = now().date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min)
    return list(
        db.session.scalars(
            select(Conference)
            .where(
                Conference.status == ConferenceStatus.SCHEDULED,
                Conference.starts_at >= start,
                Conference.starts_at < start + timedelta(days=1),
            )
            .order_by(Conference.starts_at, Conference.id)
        )
    )


def notify_change(conference: Conference, kind: Kind, owner: User) -> Job | None:
    """A postponement or a cancellation, to everyone who received the invitation by e-mail,
    at the address it reached. Commits (the change with it) and queues the job."""
    sent = _received(conference, Kind.INVITATION, (DeliveryStatus.SENT,))
    if not sent:
        return None
    params = {"starts_at": conference.starts_at.isoformat()}
    return queue_deliveries(
        kind.value,
        [Recipient(address, i, params) for i, address in sent.items()],
        owner,
        f"{TITLES[kind]}: {conference.title}"[:200],
        conference.id,
        params={"purpose": kind.value},
    )


# --- What the page shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Sending:
    job: Job
    summary: Summary

    @property
    def busy(self) -> bool:
        return self.job.status in (JobStatus.QUEUED, JobStatus.RUNNING)


def recent_sendings(conference: Conference, limit: int = 8) -> list[Sending]:
    jobs = db.session.scalars(
        select(Job)
        .filter_by(conference_id=conference.id, kind=SEND_JOB)
        .order_by(Job.id.desc())
        .limit(limit)
    ).all()
    return [Sending(job, delivery_summary(job)) for job in jobs]


def sent_count(conference: Conference, kind: Kind = Kind.INVITATION) -> int:
    return db.session.scalar(
        select(db.func.count(db.distinct(Delivery.invitation_id)))
        .join(Invitation, Invitation.id == Delivery.invitation_id)
        .where(
            Invitation.conference_id == conference.id,
            Delivery.kind == kind.value,
            Delivery.status == DeliveryStatus.SENT,
        )
    )

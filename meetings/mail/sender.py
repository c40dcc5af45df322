"""Sending e-mail in the background: deliveries queued as one job, sent over one SMTP session,
each recorded as sent or failed with the reason, the failed ones sent again on request."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_mail import Attachment, Message, sanitize_address

from meetings.clock import now
from meetings.extensions import db
from meetings.jobs.queue import enqueue
from meetings.jobs.service import Progress, create_job, job_kind, run_job
from meetings.models import Delivery, DeliveryStatus, Job, User

SEND_JOB = "mail.send"


class SendingStopped(smtplib.SMTPException):
    """No message can be sent in this session: the server is unreachable, or not configured."""


@dataclass(frozen=True)
class Outgoing:
    """A composed message: plain text, optional HTML, attachments (inline ones carry a
    Content-ID header for the HTML to show, e.g. the QR)."""

    subject: str
    body: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class Recipient:
    address: str
    invitation_id: int | None = None
    params: dict = field(default_factory=dict)


Composer = Callable[[Delivery], Outgoing]
_COMPOSERS: dict[str, Composer] = {}


def message_kind(name: str) -> Callable[[Composer], Composer]:
    """Register `composer(delivery) -> Outgoing` for deliveries of kind `name`. It runs in the
    job worker, once per message, and sees only its own delivery (and its invitation)."""

    def register(composer: Composer) -> Composer:
        _COMPOSERS[name] = composer
        return composer

    return register


def queue_deliveries(
    kind: str,
    recipients: Iterable[Recipient],
    owner: User,
    title: str,
    conference_id: int | None = None,
    params: dict | None = None,
    here: bool = False,
) -> Job:
    """One delivery per recipient, all sent by one background job; commits and enqueues.
    `params` are kept on the job (what the page shows of it); `here` sends in this process
    instead of a worker's, and returns once done (the CLI, which reports the outcome)."""
    if kind not in _COMPOSERS:
        raise ValueError(f"unknown message kind {kind!r}")
    job = create_job(SEND_JOB, title, owner, {**(params or {}), "kind": kind}, conference_id)
    db.session.add_all(
        Delivery(
            job_id=job.id,
            kind=kind,
            address=r.address,
            invitation_id=r.invitation_id,
            params=r.params,
        )
        for r in recipients
    )
    if not here:
        return enqueue(job)
    db.session.commit()
    run_job(job.id)
    db.session.expire(job)
    return job


def retry_failed(job: Job, owner: User) -> Job | None:
    """Send the failed deliveries of `job` again, as a new job (None when none failed)."""
    failed = db.session.scalars(
        db.select(Delivery).filter_by(job_id=job.id, status=DeliveryStatus.FAILED)
    ).all()
    if not failed:
        return None
    retry = create_job(SEND_JOB, job.title, owner, dict(job.params), job.conference_id)
    for delivery in failed:
        delivery.job_id, delivery.status = retry.id, DeliveryStatus.PENDING
    return enqueue(retry)


@dataclass(frozen=True)
class Summary:
    sent: int
    failed: list[Delivery]
    pending: int


def delivery_summary(job: Job) -> Summary:
    """What a sending job has done so far: sent, failed (with their reasons), still to send."""
    deliveries = db.session.scalars(
        db.select(Delivery).filter_by(job_id=job.id).order_by(Delivery.id)
    ).all()
    failed = [d for d in deliveries if d.status == DeliveryStatus.FAILED]
    sent = sum(d.status == DeliveryStatus.SENT for d in deliveries)
    return Summary(sent, failed, len(deliveries) - sent - len(failed))


@job_kind(SEND_JOB)
def send_job(job: Job, progress: Progress) -> None:
    """Send the job's pending deliveries in order over one SMTP session."""
    pending = db.session.scalars(
        db.select(Delivery)
        .filter_by(job_id=job.id, status=DeliveryStatus.PENDING)
        .order_by(Delivery.id)
    ).all()
    progress(0, len(pending))
    with SmtpSession() as session:
        for done, delivery in enumerate(pending, start=1):
            session.deliver(delivery)
            progress(done, len(pending))


class SmtpSession:
    """One SMTP connection for many messages. A connection that cannot be opened fails every
    remaining message at once with the reason (no waiting out a timeout per message); one lost
    midway is opened again for the next message."""

    def __init__(self):
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None
        self.down: str | None = None
        if not self.config.get("MAIL_DEFAULT_SENDER"):
            self.down = "MAIL_DEFAULT_SENDER is not set"

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def deliver(self, delivery: Delivery) -> None:
        """Send one delivery and record the outcome on it (the caller commits)."""
        delivery.attempts += 1
        try:
            address = validate_email(delivery.address, check_deliverability=False).normalized
            message = self._message(_COMPOSERS[delivery.kind](delivery), address)
            self._send(message)
        except EmailNotValidError as error:
            _failed(delivery, f"invalid address: {error}")
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
            _failed(delivery, _reason(error))  # this message only: the session goes on
        except (smtplib.SMTPException, OSError) as error:
            _failed(delivery, _reason(error))
            self._close()
        else:
            delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.SENT, now(), None

    def _message(self, outgoing: Outgoing, address: str) -> Message:
        sender = self.config["MAIL_DEFAULT_SENDER"]
        message = Message(
            subject=outgoing.subject,
            recipients=[address],
            body=outgoing.body,
            html=outgoing.html,
            sender=sender,
            attachments=outgoing.attachments,
        )
        # The Message-ID names the sender's domain, not this machine's name ("localhost").
        domain = parseaddr(sender)[1].rpartition("@")[2]
        message.msgId = make_msgid(domain=domain or None)
        return message

    def _send(self, message: Message) -> None:
        smtp = self._connection()
        smtp.sendmail(
            sanitize_address(message.sender),
            [sanitize_address(a) for a in message.send_to],
            message.as_bytes(),
        )

    def _connection(self) -> smtplib.SMTP:
        if self.down:
            raise SendingStopped(self.down)
        if self.smtp is None:
            try:
                self.smtp = self._open()
            except (smtplib.SMTPException, OSError) as error:
                self.down = f"SMTP server unreachable: {_reason(error)}"
                raise SendingStopped(self.down) from error
        return self.smtp

    def _open(self) -> smtplib.SMTP:
        c = self.config
        server, port, timeout = c["MAIL_SERVER"], c["MAIL_PORT"], c.get("MAIL_TIMEOUT", 30)
        if c.get("MAIL_USE_SSL"):
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(server, port, timeout=timeout)
        else:
            smtp = smtplib.SMTP(server, port, timeout=timeout)
        if c.get("MAIL_USE_TLS"):
            smtp.starttls()
        if c.get("MAIL_USERNAME") and c.get("MAIL_PASSWORD"):
            smtp.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
        return smtp

    def _close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def _failed(delivery: Delivery, reason: str) -> None:
    delivery.status, delivery.error = DeliveryStatus.FAILED, reason[:2000]


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{a}: {code} {msg.decode(errors='replace')}"
            for a, (code, msg) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"
    return str(error) or type(error).__name__

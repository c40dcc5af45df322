from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.conferences.service import load_conference
from meetings.invitemail import bp
from meetings.invitemail.forms import RemindForm, RetryForm, SendForm
from meetings.invitemail.service import (
    Kind,
    plan,
    recent_sendings,
    send,
    sent_count,
)
from meetings.jobs.service import find_job
from meetings.mail.sender import SEND_JOB, retry_failed
from meetings.models import Conference, Role
from meetings.security import roles_required

SENDERS = (Role.SECRETARIAT,)
REMINDERS = (Kind.UNANSWERED, Kind.EVE)


def _conference(conference_id: int) -> Conference:
    return load_conference(conference_id) or abort(404)


def _back(conference: Conference):
    return redirect(url_for(".index", conference_id=conference.id))


@bp.get("/")
@roles_required(*SENDERS)
def index(conference_id: int):
    conference = _conference(conference_id)
    sendings = recent_sendings(conference)
    return render_template(
        "invitemail/index.html",
        conference=conference,
        plan=plan(conference, Kind.INVITATION),
        unanswered=plan(conference, Kind.UNANSWERED),
        eve=plan(conference, Kind.EVE),
        sent=sent_count(conference),
        sendings=sendings,
        busy=any(s.busy for s in sendings),
        send_form=SendForm(),
        remind_form=RemindForm(),
        retry_form=RetryForm(),
        Kind=Kind,
    )


def _queued(conference: Conference, kind: Kind, resend: bool = False):
    chosen, job = send(conference, kind, current_user, resend=resend)
    if job is None:
        flash(_("Nobody to send to."), "info")
    else:
        flash(_("%(n)d messages are being sent.", n=len(chosen.send)), "success")
    return _back(conference)


@bp.post("/send")
@roles_required(*SENDERS)
def send_invitations(conference_id: int):
    conference = _conference(conference_id)
    form = SendForm()
    if not form.validate_on_submit():
        abort(400)
    return _queued(conference, Kind.INVITATION, resend=form.resend.data)


@bp.post("/remind")
@roles_required(*SENDERS)
def remind(conference_id: int):
    conference = _conference(conference_id)
    form = RemindForm()
    if not form.validate_on_submit() or form.kind.data not in REMINDERS:
        abort(400)
    return _queued(conference, Kind(form.kind.data))


@bp.post("/retry")
@roles_required(*SENDERS)
def retry(conference_id: int):
    conference = _conference(conference_id)
    form = RetryForm()
    job = find_job(form.job.data or "") if form.validate_on_submit() else None
    if job is None or job.conference_id != conference.id or job.kind != SEND_JOB:
        abort(404)
    if retry_failed(job, current_user) is None:
        flash(_("Nothing failed."), "info")
    else:
        flash(_("The failed messages are being sent again."), "success")
    return _back(conference)

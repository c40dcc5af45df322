"""`flask --app meetings send-invitations CONFERENCE_ID [--dry-run] [--only-unsent] [--resend]`
and `send-reminders CONFERENCE_ID unanswered|eve [--dry-run]`: the same plan and sender as the
page, sent in this process so the last line can say what happened."""

from __future__ import annotations

import click
from sqlalchemy import select

from meetings.conferences.service import load_conference
from meetings.extensions import db
from meetings.invitemail import bp
from meetings.invitemail.service import Kind, Plan, plan, send, starting_tomorrow
from meetings.mail.sender import delivery_summary
from meetings.models import Conference, Role, User


def _conference(conference_id: int) -> Conference:
    conference = load_conference(conference_id)
    if conference is None:
        raise click.ClickException(f"no conference {conference_id}")
    return conference


def _owner(username: str | None) -> User:
    """Who the sending job belongs to: --user, else the first administrator."""
    query = (
        select(User).filter_by(username=username)
        if username
        else (select(User).filter_by(role=Role.ADMIN, active=True).order_by(User.id))
    )
    user = db.session.scalars(query.limit(1)).first()
    if user is None:
        raise click.ClickException("no such user: name one with --user")
    return user


def _run(conference: Conference, kind: Kind, dry_run: bool, resend: bool, user: str | None):
    if dry_run:
        chosen: Plan = plan(conference, kind, resend)
        for recipient in chosen.send:
            click.echo(f"would send to {recipient.address}")
        click.echo(f"sent 0, failed 0, no address {len(chosen.no_address)}")
        return
    chosen, job = send(conference, kind, _owner(user), resend=resend, here=True)
    for invitation in chosen.no_address:
        click.echo(f"no address: {invitation.invitee_label}")
    sent = failed = 0
    if job is not None:
        summary = delivery_summary(job)
        for delivery in summary.failed:
            click.echo(f"failed: {delivery.address}: {delivery.error}")
        sent, failed = summary.sent, len(summary.failed)
    click.echo(f"sent {sent}, failed {failed}, no address {len(chosen.no_address)}")


_dry_run = click.option("--dry-run", is_flag=True, help="Say whom it would reach; send nothing.")
_user = click.option("--user", help="The user the sending is recorded for (default: an admin).")


@bp.cli.command("send-invitations")
@click.argument("conference_id", type=int)
@_dry_run
@click.option("--only-unsent", is_flag=True, help="Skip those who already received it.")
@click.option("--resend", is_flag=True, help="Send again to those who already received it.")
@_user
def send_invitations_command(
    conference_id: int, dry_run: bool, only_unsent: bool, resend: bool, user: str | None
) -> None:
    """E-mail the invitation (letter, link, QR, calendar) to every invitee with an address."""
    conference = _conference(conference_id)
    if only_unsent and resend:
        raise click.UsageError("--only-unsent and --resend contradict each other")
    already = plan(conference, Kind.INVITATION).already
    if already and not (only_unsent or resend):
        raise click.ClickException(
            f"{already} invitees already received the invitation: add --only-unsent to skip "
            "them, or --resend to send it to them again"
        )
    _run(conference, Kind.INVITATION, dry_run, resend, user)


@bp.cli.command("send-reminders")
@click.argument("conference_id", type=int)
@click.argument("which", type=click.Choice(["unanswered", "eve"]))
@_dry_run
@_user
def send_reminders_command(conference_id: int, which: str, dry_run: bool, user: str | None):
    """Remind those who have not replied, or (the day before) those who are coming."""
    kind = Kind.UNANSWERED if which == "unanswered" else Kind.EVE
    _run(_conference(conference_id), kind, dry_run, False, user)


@bp.cli.command("send-eve-reminders")
@_dry_run
@_user
def send_eve_reminders_command(dry_run: bool, user: str | None) -> None:
    """From cron, once a day: remind those coming to every conference that starts tomorrow
    (each is reminded once, however often it runs)."""
    for conference in starting_tomorrow():
        click.echo(f"{conference.id}: {conference.title}")
        _run(conference, Kind.EVE, dry_run, False, user)

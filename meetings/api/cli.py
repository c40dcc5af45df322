"""`flask --app meetings create-api-token USERNAME`, `revoke-api-token USERNAME`,
`prune-api-nonces`."""

from datetime import timedelta

import click
from sqlalchemy import select

from meetings.api import bp
from meetings.api.service import create_api_token, prune_nonces, revoke_api_tokens
from meetings.extensions import db
from meetings.models import User


def _user(username: str) -> User:
    user = db.session.scalar(select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return user


@bp.cli.command("create-api-token")
@click.argument("username")
@click.option("--name", default=None, help="What the token is for: 'scanner gate A'.")
def create_api_token_command(username: str, name: str | None) -> None:
    """Create an API token for USERNAME; it is printed once, alone on the last line."""
    user = _user(username)
    try:
        token = create_api_token(user, name)
    except ValueError as error:
        raise click.ClickException(f"User {username!r} is inactive.") from error
    db.session.commit()
    click.echo(
        f"API token for {user.username} ({user.role}); store it now, it is not kept:", err=True
    )
    click.echo(token)


@bp.cli.command("revoke-api-token")
@click.argument("username")
@click.option("--id", "token_id", type=int, default=None, help="Only this token (default: all).")
def revoke_api_token_command(username: str, token_id: int | None) -> None:
    """Revoke USERNAME's API tokens (or the one given by --id)."""
    count = revoke_api_tokens(_user(username), token_id)
    db.session.commit()
    click.echo(f"{count} token(s) revoked.")


@bp.cli.command("prune-api-nonces")
@click.option("--days", type=int, default=7, show_default=True, help="Keep this many days.")
def prune_api_nonces_command(days: int) -> None:
    """Forget the answers stored for API nonces older than --days (run it from cron)."""
    try:
        count = prune_nonces(timedelta(days=days))
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{count} stored answer(s) forgotten.")

"""`flask --app meetings create-user USERNAME --role ROLE`, `create-api-token USERNAME`,
`revoke-api-token USERNAME`."""

import click

from meetings.auth import bp
from meetings.auth.service import create_api_token, create_user, find_user, revoke_api_tokens
from meetings.extensions import db
from meetings.models import Role, User


@bp.cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", help="For scripts; asked for when omitted.")
@click.option("--full-name", default=None)
def create_user_command(username: str, role: str, password: str | None, full_name: str | None):
    """Create a user, or reset an existing user's password and role."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(username, password, Role(role), full_name)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"User {user.username} ({user.role}) is ready.")


def _user(username: str) -> User:
    user = find_user(username)
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

"""`flask --app meetings create-user USERNAME --role ROLE`."""

import click

from meetings.auth import bp
from meetings.auth.service import create_user
from meetings.extensions import db
from meetings.models import Role


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

"""`flask --app meetings prune-api-nonces` (API tokens: meetings.auth.cli)."""

from datetime import timedelta

import click

from meetings.api import bp
from meetings.api.service import prune_nonces
from meetings.extensions import db


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

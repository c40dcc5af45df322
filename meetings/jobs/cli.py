"""`flask --app meetings jobs-worker` and `prune-jobs`."""

import click
from flask import current_app

from meetings.extensions import db
from meetings.jobs import bp
from meetings.jobs.queue import consume
from meetings.jobs.service import prune_jobs


@bp.cli.command("jobs-worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
def jobs_worker_command(workers: int) -> None:
    """Take jobs from the queue (JOBS_URL, else instance/jobs.sqlite3) and run them."""
    consume(current_app._get_current_object(), workers)


@bp.cli.command("prune-jobs")
@click.option("--days", default=7, show_default=True)
def prune_jobs_command(days: int) -> None:
    """Forget finished jobs older than DAYS days and delete their files (from cron)."""
    count = prune_jobs(days)
    db.session.commit()
    click.echo(f"{count} jobs pruned.")

"""App-wide commands: the demo data and database set-up for a fresh machine."""

from __future__ import annotations

import click
from flask import Flask
from flask_migrate import upgrade

from meetings.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option(
        "--invitees",
        type=int,
        default=0,
        help="Also add a synthetic conference with this many invitees (load tests).",
    )
    def demo_command(invitees: int) -> None:
        """Load the seed's conference and a conference today as demo data (idempotent)."""
        from meetings.demo import load_demo, load_demo_attendance, load_demo_study, load_synthetic

        summary = load_demo()
        summary["seed check-ins added"] = load_demo_attendance()
        summary.update(load_demo_study())
        if invitees:
            summary.update(load_synthetic(invitees))
        db.session.commit()
        for key, value in summary.items():
            click.echo(f"{key}: {value}")

    @app.cli.command("setup")
    @click.option(
        "--demo/--no-demo", default=True, help="Load the demo when the database is empty."
    )
    def setup_command(demo: bool) -> None:
        """Upgrade the schema to the latest migration; load the demo into an empty database."""
        from meetings.demo import (
            DEMO_REVIEWER,
            DEMO_USERS,
            database_is_empty,
            demo_password,
            load_demo,
            load_demo_attendance,
            load_demo_study,
        )

        upgrade()
        if demo and database_is_empty():
            load_demo()
            load_demo_attendance()
            load_demo_study()
            db.session.commit()
            click.echo("Demo data loaded.")
        if demo:
            click.echo("Demo accounts (the password is kept in instance/demo_password):")
            for username, role in DEMO_USERS:
                click.echo(f"  {username:10} {demo_password()}   ({role})")
            click.echo(f"  {DEMO_REVIEWER:10} {demo_password()}   (reviewer, after the demo)")

"""`flask --app meetings seating CONFERENCE_ID --format pdf -o FILE` and `name-plates`."""

from __future__ import annotations

from pathlib import Path

import click

from meetings.conferences.service import load_conference
from meetings.extensions import db
from meetings.seating import bp
from meetings.seating.outputs import (
    CHART_FORMATS,
    PAPER_SIZES,
    NoPlan,
    chart_file,
    plates_file,
)
from meetings.seating.service import assign, plans_of

_output = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True
)


def _conference(conference_id: int):
    conference = load_conference(conference_id)
    if conference is None:
        raise click.ClickException(f"no conference {conference_id}")
    return conference


def _write(content: bytes, output: Path) -> None:
    output.write_bytes(content)
    click.echo(f"{output} ({len(content):,} bytes)")


@bp.cli.command("seating")
@click.argument("conference_id", type=int)
@click.option("--format", "fmt", type=click.Choice(CHART_FORMATS), default="pdf")
@click.option("--paper", type=click.Choice(PAPER_SIZES), default="A4", help="Landscape.")
@click.option("--assign", "reassign", is_flag=True, help="Assign the plans again first.")
@_output
def seating_command(conference_id: int, fmt: str, paper: str, reassign: bool, output: Path):
    """Write the seating chart (sơ đồ chỗ ngồi) of a conference, a page per plan."""
    conference = _conference(conference_id)
    if reassign:
        for plan in plans_of(conference):
            result = assign(plan)
            if result.over_capacity or result.unseated:
                click.echo(f"warning: {len(result.unseated)} invitees have no seat", err=True)
        db.session.commit()
    try:
        content, _ = chart_file(conference, paper)
    except NoPlan as exc:
        raise click.ClickException(f"conference {conference_id} has no seating plan") from exc
    _write(content, output)


@bp.cli.command("name-plates")
@click.argument("conference_id", type=int)
@click.option("--rows", type=int, help="Hall rows that get plates (default: the plan's).")
@_output
def name_plates_command(conference_id: int, rows: int | None, output: Path) -> None:
    """Write the name plates (biển tên) of the presidium and the front rows."""
    try:
        content, _ = plates_file(_conference(conference_id), rows)
    except NoPlan as exc:
        raise click.ClickException(f"conference {conference_id} has no seating plan") from exc
    _write(content, output)

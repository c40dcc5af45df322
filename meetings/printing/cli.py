"""Batch printing: `flask --app meetings minutes|attendance|letters CONFERENCE_ID …`."""

from __future__ import annotations

from pathlib import Path

import click

from meetings.conferences.service import load_conference
from meetings.printing import bp
from meetings.printing.service import (
    ATTENDANCE_FORMATS,
    LETTER_FORMATS,
    MINUTES_FORMATS,
    File,
    attendance_file,
    letters_file,
    minutes_file,
)


def _conference(conference_id: int):
    conference = load_conference(conference_id)
    if conference is None:
        raise click.ClickException(f"no conference {conference_id}")
    return conference


def _write(file: File, output: Path) -> None:
    output.write_bytes(file.content)
    click.echo(f"{output} ({len(file.content):,} bytes)")


_output = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True
)


@bp.cli.command("minutes")
@click.argument("conference_id", type=int)
@click.option("--format", "fmt", type=click.Choice(MINUTES_FORMATS), default="docx")
@_output
def minutes_command(conference_id: int, fmt: str, output: Path) -> None:
    """Write the minutes skeleton (biên bản) of a conference."""
    _write(minutes_file(_conference(conference_id), fmt), output)


@bp.cli.command("attendance")
@click.argument("conference_id", type=int)
@click.option("--format", "fmt", type=click.Choice(ATTENDANCE_FORMATS), default="pdf")
@click.option("--before", is_flag=True, help="The sheet to sign, without check-in times.")
@_output
def attendance_command(conference_id: int, fmt: str, before: bool, output: Path) -> None:
    """Write the attendance sheet (danh sách đại biểu) of a conference."""
    _write(attendance_file(_conference(conference_id), fmt, before), output)


@bp.cli.command("letters")
@click.argument("conference_id", type=int)
@click.option("--format", "fmt", type=click.Choice(LETTER_FORMATS), default="pdf")
@click.option("--category", "category_id", type=int, help="Only this invitee category.")
@_output
def letters_command(conference_id: int, fmt: str, category_id: int | None, output: Path) -> None:
    """Write the invitation letters (giấy mời) of a conference, one per page."""
    _write(letters_file(_conference(conference_id), fmt, category_id), output)

"""`flask --app meetings import-people FILE [--dry-run]`: the web preview, in a terminal;
`create-body`: the organising body a fresh installation starts from."""

from __future__ import annotations

from pathlib import Path

import click

from meetings.directory import bp
from meetings.directory.importer import (
    ACTION_LABELS,
    ImportFileError,
    ImportPlan,
    apply_plan,
    import_file,
    notes_text,
)
from meetings.directory.service import current_body, save_body
from meetings.extensions import db
from meetings.models import Layout
from meetings.text import clean


def format_plan(plan: ImportPlan) -> list[str]:
    """The preview as lines of text: a line per row, then the totals."""
    lines = [f"Header: row {plan.header_line}"]
    for row in plan.rows:
        values = " | ".join(row.values.get(f, "") for f in plan.columns)
        notes = notes_text(row.notes)
        lines.append(
            f"{row.line:>5}  {ACTION_LABELS[row.action]!s:<12} {values}"
            + (f"  — {notes}" if notes else "")
        )
    if plan.new_units:
        lines.append("New units: " + "; ".join(plan.new_units))
    for name, category in plan.category_matches.items():
        lines.append(f"Category “{name}” read as “{category}”")
    if plan.new_categories:
        lines.append("New categories: " + "; ".join(plan.new_categories.values()))
    lines.append("  ".join(f"{ACTION_LABELS[a]}: {n}" for a, n in plan.counts.items()))
    return lines


@bp.cli.command("import-people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only print what would happen.")
@click.option(
    "--create-categories",
    is_flag=True,
    help="Create the invitee categories the file names that do not exist yet.",
)
def import_people_command(file: Path, dry_run: bool, create_categories: bool) -> None:
    """Import people from an .xlsx or .csv file with the directory export's columns.

    Prints the preview; exits 1 without changing anything when a row has an error, or when
    the file names new categories and --create-categories is not given."""
    body = current_body()
    if body is None:
        raise click.ClickException("No organising body: run `flask demo` or create one first.")
    try:
        plan = import_file(file.name, file.read_bytes(), body)
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in format_plan(plan):
        click.echo(line)
    if plan.has_errors:
        click.echo("Some rows have errors: nothing was imported.", err=True)
        raise SystemExit(1)
    if plan.new_categories and not create_categories:
        click.echo(
            "The file names categories that do not exist: run again with --create-categories"
            " to create them, or correct their names. Nothing was imported.",
            err=True,
        )
        raise SystemExit(1)
    if dry_run:
        click.echo("Dry run: nothing was imported.")
        return
    done = apply_plan(plan, body, filename=file.name, create_categories=create_categories)
    db.session.commit()
    click.echo(f"Imported: {done['new']} new, {done['update']} updated.")


@bp.cli.command("create-body")
@click.option("--name", required=True, help="Đảng ủy phường Dịch Vọng")
@click.option("--place", required=True, help="The place in the date line: Dịch Vọng")
@click.option("--symbol", required=True, help="In document numbers: ĐU, QU, TU, UBND")
@click.option("--parent", default=None, help="Đảng bộ Thành phố Hà Nội")
@click.option("--layout", type=click.Choice([m.value for m in Layout]), default=Layout.PARTY.value)
@click.option("--standing-committee", default=None, help="Ban Thường vụ Đảng ủy")
def create_body_command(
    name: str,
    place: str,
    symbol: str,
    parent: str | None,
    layout: str,
    standing_committee: str | None,
) -> None:
    """Create an organising body (the web page is Directory → Organising bodies)."""
    texts = dict(
        name=name,
        place_name=place,
        symbol=symbol,
        parent_name=parent,
        standing_committee_name=standing_committee,
    )
    data = {key: clean(value) for key, value in texts.items()}
    body = save_body(None, {**data, "layout": Layout(layout)}, None)
    db.session.commit()
    click.echo(f"Organising body {body.id}: {body.name} ({body.symbol}, {body.layout})")

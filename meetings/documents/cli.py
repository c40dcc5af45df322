"""`flask --app meetings cite "TEXT"`: what the citation parser finds, for checking by hand."""

from __future__ import annotations

import sys

import click

from meetings.documents import bp
from meetings.documents.citations import format_citation, parse_citations


def citation_lines(text: str) -> list[str]:
    """One line per citation: its running-text form, then its fields."""
    lines = []
    for c in parse_citations(text):
        day = c.date.isoformat() if c.date else "-"
        lines.append(
            f"{format_citation(c)}\tkind={c.kind}\tsymbol={c.symbol}\tdate={day}"
            f"\tissuer={c.issuer or '-'}"
        )
    return lines


@bp.cli.command("cite")
@click.argument("text", required=False)
def cite_command(text: str | None) -> None:
    """Print the citations found in TEXT (or in standard input), one per line."""
    if text is None:
        text = sys.stdin.read()
    for line in citation_lines(text):
        click.echo(line)

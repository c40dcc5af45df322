"""`flask --app meetings coverage SYMBOL`: the figures of a document, for scripts."""

from __future__ import annotations

import click

from meetings.coverage import bp
from meetings.coverage.service import bodies_covering, document_coverage, find_documents


@bp.cli.command("coverage")
@click.argument("symbol")
def coverage_command(symbol: str) -> None:
    """Print a document's coverage per organising body: the total, then by category.

    One line per figure, tab-separated: label, "x/y, đạt z%" (attendance), self-study, not yet.
    """
    documents = find_documents(symbol)
    if not documents:
        raise click.ClickException(f"no document with the symbol {symbol!r}")
    for document in documents:
        for body in bodies_covering(document):
            coverage = document_coverage(body, document, list_limit=0)
            click.echo(f"# {document.citation} — {body.name}")
            click.echo(_line("Total", coverage.total))
            for entry in coverage.by_category:
                name = entry.category.name if entry.category else "(no category)"
                click.echo(_line(name, entry.tally))


def _line(label: str, tally) -> str:
    return f"{label}\t{tally.phrase}\tself-study: {tally.self_studied}\tnot yet: {tally.pending}"

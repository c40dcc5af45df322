"""`flask --app meetings study-results SYMBOL`: a round's results, for scripts."""

from __future__ import annotations

import click
from sqlalchemy import select

from meetings.coverage.service import find_documents
from meetings.extensions import db
from meetings.models import StudyRound, User
from meetings.study import bp
from meetings.study.reminders import remind_overdue
from meetings.study.results import Figures, RoundResults, round_results


@bp.cli.command("study-results")
@click.argument("symbol")
def study_results_command(symbol: str) -> None:
    """Print the results of each study round on the document: the overall line, then one line
    per unit. Tab-separated: label, studied "x/y, đạt z%", submitted "x/y, đạt z%", each grade,
    not graded, exempted, overdue."""
    documents = find_documents(symbol)
    if not documents:
        raise click.ClickException(f"no document with the symbol {symbol!r}")
    rounds = db.session.scalars(
        select(StudyRound)
        .where(StudyRound.document_id.in_([d.id for d in documents]))
        .order_by(StudyRound.id)
    ).all()
    if not rounds:
        raise click.ClickException(f"no study round on {symbol!r}")
    for study in rounds:
        results = round_results(study)
        click.echo(f"# {study.document.citation} — {study.body.name}")
        click.echo(result_line("Total", results.total, results))
        for line in results.units:
            name = line.unit.name if line.unit else "(no unit)"
            click.echo(result_line(name, line.figures, results))


def result_line(label: str, figures: Figures, results: RoundResults) -> str:
    grades = [f"{g}: {figures.grades.get(g, 0)}" for g in results.grades]
    return "\t".join(
        [
            label,
            f"studied: {figures.studied_phrase}",
            f"submitted: {figures.submitted_phrase}",
            *grades,
            f"not graded: {figures.not_graded}",
            f"exempted: {figures.exempt}",
            f"overdue: {figures.overdue}",
        ]
    )


@bp.cli.command("study-remind")
@click.argument("round_id", type=int)
@click.option("--as", "username", required=True, help="The account the sending job belongs to.")
def study_remind_command(round_id: int, username: str) -> None:
    """E-mail a reminder to everyone overdue in study round ROUND_ID, through the job
    worker. Ends with one line: "queued N, no address K"."""
    study = db.session.get(StudyRound, round_id)
    user = db.session.scalar(select(User).filter_by(username=username))
    if study is None or user is None:
        raise click.ClickException("no such study round or user")
    done = remind_overdue(study, user)
    for line in done.unreachable:
        click.echo(f"no address: {line.name}")
    click.echo(f"queued {done.sent_to}, no address {len(done.unreachable)}")

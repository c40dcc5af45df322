"""A conference's seating files: the chart of every plan, and the name plates."""

from __future__ import annotations

from meetings.models import Conference
from meetings.seating.chart import Chart, Plate, build_chart, build_plates
from meetings.seating.pdf import PAPERS, chart_pdf, plates_pdf
from meetings.seating.service import plans_of

CHART_FORMATS = ("pdf",)
PAPER_SIZES = tuple(PAPERS)


class NoPlan(LookupError):
    """The conference has no seating plan yet."""


def charts(conference: Conference) -> list[Chart]:
    plans = plans_of(conference)
    if not plans:
        raise NoPlan(conference.id)
    return [build_chart(plan) for plan in plans]


def plates(conference: Conference, rows: int | None = None) -> list[Plate]:
    plans = plans_of(conference)
    if not plans:
        raise NoPlan(conference.id)
    return [plate for plan in plans for plate in build_plates(plan, rows)]


def chart_file(conference: Conference, paper: str = "A4") -> tuple[bytes, str]:
    return chart_pdf(charts(conference), paper), f"so-do-cho-ngoi-{conference.id}.pdf"


def plates_file(conference: Conference, rows: int | None = None) -> tuple[bytes, str]:
    return plates_pdf(plates(conference, rows)), f"bien-ten-{conference.id}.pdf"

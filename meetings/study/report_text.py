"""The words and figures of the results report, shared by its writers (DOCX, XLSX).
Official text, so Vietnamese whatever the UI language."""

from __future__ import annotations

from meetings.study.results import Figures, RoundResults
from meetings.text import format_number, short_date


def summary_lines(total: Figures, results: RoundResults) -> list[str]:
    """The overall figures as the report words them ("35.599/35.900 đảng viên tham gia …")."""
    grades = "; ".join(
        f"loại {g}: {total.grade_phrase(g)}" for g in results.grades if total.grades.get(g)
    )
    deadline = short_date(results.study.deadline.date())
    return [
        f"Số cán bộ, đảng viên tham gia học tập, quán triệt (dự hội nghị hoặc tự nghiên cứu): "
        f"{total.studied_phrase}.",
        f"Số được miễn viết bài thu hoạch: {format_number(total.exempt)}.",
        f"Số bài thu hoạch đã nộp: {total.submitted_phrase}"
        + (f"; trong đó {grades}" if grades else "")
        + (f"; chưa chấm: {format_number(total.not_graded)}" if total.not_graded else "")
        + ".",
        f"Số chưa nộp bài thu hoạch (hạn nộp {deadline}): {format_number(total.not_submitted)}"
        + (f", trong đó quá hạn: {format_number(total.overdue)}" if total.overdue else "")
        + ".",
    ]


def unit_headers(results: RoundResults) -> list[str]:
    return ["TT", "Đơn vị", "Tham gia học tập", "Miễn", "Đã nộp", *results.grades, "Quá hạn"]


def unit_row(figures: Figures, results: RoundResults) -> list[str]:
    return [
        figures.studied_phrase,
        format_number(figures.exempt),
        f"{format_number(figures.submitted)}/{format_number(figures.owed)}",
        *[format_number(figures.grades.get(g, 0)) for g in results.grades],
        format_number(figures.overdue),
    ]

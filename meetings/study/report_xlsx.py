"""The results report as a workbook in the Party layout: the letterhead's two columns above the
title, the overall figures, the table by unit; a second sheet lists the overdue by unit.
Every text cell passes through meetings.exports.neutralise (no formula runs on opening)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter

from meetings.exports import neutralise
from meetings.printing.letterhead import build_letterhead
from meetings.study.report_text import summary_lines, unit_headers
from meetings.study.results import Figures, PersonLine, RoundResults

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _style(workbook: Workbook, bold: bool, italic: bool, size: int, centre: bool, border: bool):
    """A named style per combination, registered once: openpyxl hashes every style object it
    is given, which costs more than writing the cell."""
    name = f"s{int(bold)}{int(italic)}{size}{int(centre)}{int(border)}"
    if name not in workbook.named_styles:
        style = NamedStyle(name=name)
        style.font = Font(name=FONT, size=size, bold=bold, italic=italic)
        style.alignment = Alignment(
            horizontal="center" if centre else None, vertical="center", wrap_text=True
        )
        if border:
            style.border = GRID
        workbook.add_named_style(style)
    return name


def _put(
    sheet,
    row: int,
    col: int,
    value,
    *,
    bold=False,
    italic=False,
    size=12,
    span=1,
    centre=False,
    border=False,
):
    cell = sheet.cell(row=row, column=col, value=neutralise(value))
    cell.style = _style(sheet.parent, bold, italic, size, centre, border)
    if span > 1:
        sheet.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
    return cell


def _letterhead(sheet, results: RoundResults, on: date, width: int) -> int:
    """Both columns of the letterhead; returns the next free row."""
    head = build_letterhead(results.study.body, "BC", None, on)
    left_span = max(2, round(width * head.split))
    right_span = width - left_span
    styles = {
        "plain": {},
        "bold": {"bold": True},
        "star": {},
        "italic": {"italic": True},
        "bold-rule": {"bold": True},
    }
    for offset, (text, style) in enumerate(head.left):
        _put(sheet, 1 + offset, 1, text, span=left_span, centre=True, **styles[style])
    for offset, (text, style) in enumerate(head.right):
        _put(sheet, 1 + offset, left_span + 1, text, span=right_span, centre=True, **styles[style])
    return max(len(head.left), len(head.right)) + 2


def results_xlsx(
    results: RoundResults, overdue: list[tuple[str | None, list[PersonLine]]], on: date
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả"
    headers = unit_headers(results)
    width = len(headers)
    row = _letterhead(sheet, results, on, width)
    study = results.study
    _put(sheet, row, 1, "BÁO CÁO", bold=True, size=14, span=width, centre=True)
    _put(
        sheet,
        row + 1,
        1,
        f"Kết quả học tập, quán triệt {study.document.citation}",
        bold=True,
        span=width,
        centre=True,
    )
    row += 3
    for text in summary_lines(results.total, results):
        _put(sheet, row, 1, f"– {text}", span=width)  # a dash would read as a formula
        sheet.row_dimensions[row].height = 32
        row += 1
    row += 1
    for col, text in enumerate(headers, start=1):
        _put(sheet, row, col, text, bold=True, centre=True, border=True, size=11)
    table_top = row
    for i, unit in enumerate(results.units, start=1):
        row += 1
        name = unit.unit.name if unit.unit else "Khác"
        for col, value in enumerate([i, name, *_numbers(unit.figures, results)], start=1):
            _put(sheet, row, col, value, border=True, size=11)
    row += 1
    for col, value in enumerate(["", "Tổng cộng", *_numbers(results.total, results)], start=1):
        _put(sheet, row, col, value, bold=True, border=True, size=11)
    widths = [6, 36, 24, 8, 10, *[8] * len(results.grades), 9]
    for col, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = w
    sheet.freeze_panes = sheet.cell(row=table_top + 1, column=3)
    _a4_fit_to_width(sheet, landscape=True)
    _overdue_sheet(workbook, overdue)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _numbers(figures: Figures, results: RoundResults) -> list[object]:
    """The unit table's cells, counts as numbers a spreadsheet can add up."""
    return [
        figures.studied_phrase,
        figures.exempt,
        f"{figures.submitted}/{figures.owed}",
        *[figures.grades.get(g, 0) for g in results.grades],
        figures.overdue,
    ]


def _overdue_sheet(workbook: Workbook, groups: list[tuple[str | None, list[PersonLine]]]) -> None:
    sheet = workbook.create_sheet("Quá hạn")
    for col, text in enumerate(["TT", "Họ và tên", "Chức vụ", "Đơn vị"], start=1):
        _put(sheet, 1, col, text, bold=True, centre=True, border=True, size=11)
    row = 1
    for unit_name, lines in groups:
        for i, person in enumerate(lines, start=1):
            row += 1
            for col, value in enumerate(
                [i, person.name, person.position, unit_name or "Khác"], start=1
            ):
                _put(sheet, row, col, value, border=True, size=11)
    for col, w in enumerate([6, 30, 40, 36], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = w
    sheet.freeze_panes = "A2"
    _a4_fit_to_width(sheet, landscape=False)


def _a4_fit_to_width(sheet, landscape: bool) -> None:
    """Printed on A4, every column on the page (as many pages down as it takes)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0

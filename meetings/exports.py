"""Tables for spreadsheets: one (headers, rows) shape, written as XLSX or CSV.

Every cell passes through `neutralise`: a value that starts with = + - @ (or a tab or carriage
return) would run as a formula when a clerk opens the file in Excel or LibreOffice; and control
characters, which XML cannot hold, are dropped, so one bad row cannot make an export fail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from meetings.text import printable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make a cell inert and writable: control characters go, and text that a spreadsheet
    would evaluate gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


@dataclass
class Table:
    """A sheet: a title (the sheet's name), column headers and rows of plain values."""

    title: str
    headers: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    widths: Sequence[int] | None = None  # in characters; guessed from the headers when None


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in printable(title) if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}~{n}"
        n += 1
    used.add(name)
    return name


def write_xlsx(tables: Iterable[Table]) -> bytes:
    """One workbook, a sheet per table, in write-only mode (fast for tens of thousands of rows)."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        widths = table.widths or [max(10, min(50, len(h) + 4)) for h in table.headers]
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in table.headers:
            cell = _header_cell(sheet, header, bold)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, value: str, font: Font):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=neutralise(value))
    cell.font = font
    return cell


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else neutralise(value)


def write_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in table.headers])
    writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

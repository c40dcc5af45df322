"""Tables for spreadsheets: one (headers, rows) shape, written as XLSX or CSV.

Formula injection. A text that starts with = + - @ (or a tab or carriage return) would run as
a formula in Excel or LibreOffice. In XLSX such a cell is written as a text cell with the
cell's quote-prefix flag (what Excel sets when one types '-x): nothing visible is added, and
re-editing the cell keeps it text. A CSV has no cell types, so there the text gets a leading
apostrophe (the OWASP advice).

Leading zeros in CSV. A spreadsheet that opens a CSV by double-click guesses each field's
type, and "0912345678" becomes the number 912345678. There is no way to declare a column as
text in a CSV, and the usual ="0912…" trick is a formula (the very thing neutralised above).
So phone numbers are written grouped with spaces, as people write them: "0912 345 678",
"024 3765 4321". Neither Excel nor LibreOffice reads a digit group with spaces as a number
(Vietnamese settings use "." for thousands), so the zero stays; the number is still readable
and `meetings.text.normalize_phone` reads it back. XLSX cells are typed, so there phone
numbers stay as they are stored, as text.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FONT = "Times New Roman"
_PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise(value: object) -> object:
    """Make a CSV field inert: text that a spreadsheet would evaluate gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def phone_text(number: str) -> str:
    """ "0912345678" → "0912 345 678", "02437654321" → "024 3765 4321"; anything else as is."""
    if not _PHONE.fullmatch(number):
        return number
    if number.startswith("02"):
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"{number[:4]} {number[4:7]} {number[7:]}"


@dataclass
class Table:
    """A sheet: a title (the sheet's name), column headers and rows of plain values.

    `preamble` rows (a letterhead, a title) come above the header row and `closing` rows
    (a certifying block) under the data, both in the XLSX only: a CSV holds the data alone.
    """

    title: str
    headers: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    widths: Sequence[int] | None = None  # in characters; guessed from the headers when None
    preamble: list[Sequence[object]] = field(default_factory=list)
    closing: list[Sequence[object]] = field(default_factory=list)
    landscape: bool = False
    bold_rows: set[int] = field(default_factory=set)  # indexes into `rows`: subtotals, totals


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}~{n}"
        n += 1
    used.add(name)
    return name


_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _workbook() -> Workbook:
    """A write-only workbook whose default font (every cell without a style) is Times New
    Roman: setting a font cell by cell would cost seconds at 30,000 rows."""
    workbook = Workbook(write_only=True)
    workbook._fonts = IndexedList([Font(name=FONT, size=11, family=1)])
    workbook._named_styles["Normal"].font = Font(name=FONT, size=11, family=1)
    return workbook


class _Cells:
    """Styled cells of one sheet, made only where a style is needed."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.bold = Font(name=FONT, size=11, bold=True)
        self.title = Font(name=FONT, size=13, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.shade = PatternFill("solid", fgColor="E6E6E6")

    def header(self, value: str) -> WriteOnlyCell:
        cell = self.value(value, self.bold)
        cell.font, cell.border, cell.alignment, cell.fill = self.bold, _GRID, self.wrap, self.shade
        return cell

    def value(self, value: object, font: Font | None = None) -> object:
        if isinstance(value, time | datetime) or is_formula_like(value) or font:
            cell = WriteOnlyCell(self.sheet, value=value)
            if isinstance(value, time):
                cell.number_format = "hh:mm"
            elif isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif is_formula_like(value):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True
            if font:
                cell.font = font
            return cell
        return value


def _page_setup(sheet, table: Table, header_row: int) -> None:
    """A4, fitted to the page width, the header row repeated on every page, page numbers."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if table.landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT


def _grid(sheet, first_row: int, last_row: int, columns: int) -> None:
    """Borders on the data as one conditional format: every cell of the range, drawn by
    Excel and LibreOffice alike, without a style on each of 270,000 cells."""
    if last_row < first_row:
        return
    area = f"A{first_row}:{get_column_letter(columns)}{last_row}"
    sheet.conditional_formatting.add(area, FormulaRule(formula=["TRUE"], border=_GRID))


def _fitted(rows: list[Sequence[object]], width: int) -> list[tuple[Sequence[object], bool]]:
    """Preamble rows as (row, larger font): a line of text longer than the table is wide is
    wrapped onto more rows, since fitting to the page width counts text that overflows."""
    out: list[tuple[Sequence[object], bool]] = []
    for n, row in enumerate(rows):
        large = n < 2
        if len(row) == 1 and isinstance(row[0], str):
            chars = int(width * (0.75 if large else 0.9))
            out += [([line], large) for line in textwrap.wrap(row[0], chars) or [""]]
        else:
            out.append((row, large))
    return out


def write_xlsx(tables: Iterable[Table]) -> bytes:
    """One workbook, a sheet per table, in write-only mode (fast for tens of thousands of rows)."""
    workbook = _workbook()
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        cells = _Cells(sheet)
        widths = table.widths or [max(10, min(50, len(h) + 4)) for h in table.headers]
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        preamble = _fitted(table.preamble, sum(widths))
        header_row = len(preamble) + 1
        _page_setup(sheet, table, header_row)  # before any row: its sheet properties lead
        for row, font in preamble:
            sheet.append([cells.value(v, cells.title if font else cells.bold) for v in row])
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.append([cells.header(h) for h in table.headers])
        for n, row in enumerate(table.rows):
            font = cells.bold if n in table.bold_rows else None
            sheet.append([cells.value(v, font if v not in ("", None) else None) for v in row])
        _grid(sheet, header_row + 1, header_row + len(table.rows), len(table.headers))
        for row in table.closing:
            sheet.append([cells.value(v, cells.bold if v else None) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str) and value[:1] == "0":
        return phone_text(value)
    return "" if value is None else neutralise(value)


def write_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in table.headers])
    writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

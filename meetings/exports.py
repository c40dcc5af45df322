"""Tables for spreadsheets: one (headers, rows) shape, written as XLSX or CSV.

Control characters, which XML cannot hold, are dropped from every cell, so one bad row cannot
make an export fail.

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
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.sax.saxutils import escape

from meetings.text import printable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FONT = "Times New Roman"
_PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise(value: object) -> object:
    """Make a CSV field inert and writable: control characters go, and text that a
    spreadsheet would evaluate gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if is_formula_like(value) else value


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
    name = "".join(ch for ch in printable(title) if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}~{n}"
        n += 1
    used.add(name)
    return name


# --- XLSX, written directly ----------------------------------------------------------------
#
# The package is a handful of small XML parts and one sheet part per table, written as
# strings: openpyxl's write-only mode spent three quarters of the time of a 30,000-row sheet
# binding and serialising cells one by one. Text goes in as inline strings; every style a
# cell can take is one of the fixed entries of styles.xml below.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Cell styles (indexes into cellXfs).
PLAIN, BOLD, TITLE, HEADER, TIME, DATETIME, DATE, QUOTED, BOLD_QUOTED = range(9)
_THIN = "".join(
    f'<{side} style="thin"><color rgb="FF000000"/></{side}>'
    for side in ("left", "right", "top", "bottom")
)
_FONT = '<sz val="{}"/><name val="Times New Roman"/><family val="1"/>'
_XF = '<xf numFmtId="{}" fontId="{}" fillId="{}" borderId="{}" xfId="0" {}/>'
_STYLES = "".join(
    (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<styleSheet xmlns="{_MAIN}"><numFmts count="3">',
        '<numFmt numFmtId="164" formatCode="hh:mm"/>',
        '<numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/>',
        '<numFmt numFmtId="166" formatCode="dd/mm/yyyy"/></numFmts>',
        f'<fonts count="3"><font>{_FONT.format(11)}</font><font><b/>{_FONT.format(11)}</font>',
        f"<font><b/>{_FONT.format(13)}</font></fonts>",
        '<fills count="3"><fill><patternFill patternType="none"/></fill>',
        '<fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid">',
        '<fgColor rgb="FFE6E6E6"/><bgColor indexed="64"/></patternFill></fill></fills>',
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>',
        f"<border>{_THIN}<diagonal/></border></borders>",
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',
        '</cellStyleXfs><cellXfs count="9">',
        _XF.format(0, 0, 0, 0, ""),  # PLAIN
        _XF.format(0, 1, 0, 0, 'applyFont="1"'),  # BOLD
        _XF.format(0, 2, 0, 0, 'applyFont="1"'),  # TITLE
        _XF.format(0, 1, 2, 1, 'applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"')[
            :-2
        ]
        + '><alignment horizontal="center" vertical="center" wrapText="1"/></xf>',  # HEADER
        _XF.format(164, 0, 0, 0, 'applyNumberFormat="1"'),  # TIME
        _XF.format(165, 0, 0, 0, 'applyNumberFormat="1"'),  # DATETIME
        _XF.format(166, 0, 0, 0, 'applyNumberFormat="1"'),  # DATE
        _XF.format(0, 0, 0, 0, 'quotePrefix="1"'),  # QUOTED
        _XF.format(0, 1, 0, 0, 'applyFont="1" quotePrefix="1"'),  # BOLD_QUOTED
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>',
        f'</cellStyles><dxfs count="1"><dxf><border>{_THIN}</border></dxf></dxfs></styleSheet>',
    )
)
_EPOCH = datetime(1899, 12, 30)


def _column(n: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, text: str, style: int) -> str:
    body = escape(printable(text))
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def _cell(ref: str, value: object, bold: bool) -> str:
    """One <c>; "" for an empty cell. Text that a spreadsheet would run as a formula is a
    text cell with the quote-prefix flag: nothing visible is added."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if is_formula_like(value):
            return _text_cell(ref, value, BOLD_QUOTED if bold else QUOTED)
        return _text_cell(ref, value, BOLD if bold else PLAIN)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}" s="{BOLD if bold else PLAIN}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        days = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{DATETIME}"><v>{days:.10f}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    if isinstance(value, time):
        fraction = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return f'<c r="{ref}" s="{TIME}"><v>{fraction:.10f}</v></c>'
    return _text_cell(ref, str(value), BOLD if bold else PLAIN)


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


def _sheet_xml(table: Table) -> tuple[str, int]:
    """The sheet part of a table, and the number of its header row (the print titles)."""
    widths = table.widths or [max(10, min(50, len(h) + 4)) for h in table.headers]
    columns = [_column(i) for i in range(1, max(len(widths), 1) + 64)]
    preamble = _fitted(table.preamble, sum(widths))
    header = len(preamble) + 1
    rows: list[str] = []
    n = 0

    def add(values: Sequence[object], style_of) -> None:
        nonlocal n
        n += 1
        cells = "".join(style_of(f"{columns[i]}{n}", v) for i, v in enumerate(values))
        rows.append(f'<row r="{n}">{cells}</row>')

    for values, large in preamble:
        add(
            values,
            lambda ref, v, s=TITLE if large else BOLD: _text_cell(ref, str(v), s) if v else "",
        )
    add(table.headers, lambda ref, v: _text_cell(ref, str(v), HEADER))
    bold_rows = table.bold_rows
    for index, values in enumerate(table.rows):
        bold = index in bold_rows
        add(values, lambda ref, v, b=bold: _cell(ref, v, b))
    for values in table.closing:
        add(values, lambda ref, v: _cell(ref, v, True))
    last = columns[len(table.headers) - 1]
    first_data, last_data = header + 1, header + len(table.rows)
    grid = (
        f'<conditionalFormatting sqref="A{first_data}:{last}{last_data}">'
        '<cfRule type="expression" dxfId="0" priority="1"><formula>TRUE</formula></cfRule>'
        "</conditionalFormatting>"
        if table.rows
        else ""
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    orientation = "landscape" if table.landscape else "portrait"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{header}" topLeftCell="A{header + 1}" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f"<sheetData>{''.join(rows)}</sheetData>{grid}"
        '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.6" right="0.6" top="0.7" bottom="0.7" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
        f'<headerFooter><oddFooter>&amp;C&amp;"{FONT},Regular"Trang &amp;P/&amp;N</oddFooter>'
        "</headerFooter></worksheet>"
    )
    return xml, header


def write_xlsx(tables: Iterable[Table]) -> bytes:
    """One workbook, a sheet per table: A4 fitted to the page width, the header row frozen
    and repeated on every printed page, Times New Roman, borders on the data, page numbers."""
    used: set[str] = set()
    sheets = [(_sheet_name(t.title, used), *_sheet_xml(t)) for t in tables]
    entries = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _, _) in enumerate(sheets, start=1)
    )
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{escape(_quoted(name))}!${header}:${header}</definedName>"
        for i, (name, _, header) in enumerate(sheets)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{entries}</sheets>"
        + (f"<definedNames>{titles}</definedNames>" if titles else "")
        + "</workbook>"
    )
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    relations += f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_PKG_REL}">{relations}</Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }
    parts |= {f"xl/worksheets/sheet{i}.xml": xml for i, (_, xml, _) in enumerate(sheets, 1)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, xml in parts.items():
            package.writestr(name, xml.encode("utf-8"))
    return buffer.getvalue()


def _quoted(sheet: str) -> str:
    """A sheet name as a formula names it: 'Danh sách'."""
    return "'" + sheet.replace("'", "''") + "'"


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

"""What the routes and the CLI ask for: a document of a conference in a format, as bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from meetings.exports import Table, write_csv, write_xlsx
from meetings.models import Conference, record
from meetings.printing import docx, pdf
from meetings.printing.data import (
    AttendanceBook,
    build_attendance,
    build_letters,
    build_minutes,
    lower_first,
)
from meetings.printing.pdf import plain
from meetings.progress import CountedList

ATTENDANCE_FORMATS = ("pdf", "docx", "xlsx", "csv")
MINUTES_FORMATS = ("pdf", "docx")
LETTER_FORMATS = ("pdf", "docx")
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def set_minutes_signer(
    conference: Conference, position: str | None, user, recipients: str | None = None
) -> None:
    """The chair signs for the standing committee with `position`, or as chair when blank;
    `recipients`, one a line, replace the default "Nơi nhận" (blank: the default)."""
    conference.minutes_signer_position = position or None
    conference.minutes_recipients = recipients or None
    record("minutes.signer", conference, user, position=position or None)


def set_letters_closing(
    conference: Conference,
    letters_date: date | None,
    position: str | None,
    recipients: str | None,
    user,
) -> None:
    """The letters' date line, the signer's position under "T/M …" and the recipients."""
    conference.letters_date = letters_date
    conference.letters_signer_position = position or None
    conference.letters_recipients = recipients or None
    record(
        "letters.closing",
        conference,
        user,
        date=letters_date.isoformat() if letters_date else None,
        position=position or None,
    )


LETTER_LEAD_DAYS = 3  # an invitation should reach invitees three working days ahead


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (0 when end <= start)."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


def letters_are_late(conference: Conference, today: date) -> bool:
    """True when letters sent today reach invitees less than three working days ahead."""
    return working_days_between(today, conference.starts_at.date()) < LETTER_LEAD_DAYS


@dataclass(frozen=True)
class File:
    content: bytes
    filename: str

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.filename.rsplit(".", 1)[1]]


def _row_cells(book: AttendanceBook, row) -> list[object]:
    cells: list[object] = [row.name, row.position, row.unit]
    if book.before:
        return [*cells, ""]
    at = row.checked_in_at.time().replace(second=0, microsecond=0) if row.checked_in_at else ""
    return [*cells, at, row.method, row.substitute, row.absence_reason]


def _preamble(book: AttendanceBook, location: str | None) -> list[list[object]]:
    """The letterhead and the title, above the header row of a printed sheet."""
    head = book.letterhead
    left = [text for text, style in head.left if text and style != "star"]
    right = [text for text, style in head.right if text]
    far = len(book.headers) - 2  # the right column starts near the last columns
    rows: list[list[object]] = []
    for n in range(max(len(left), len(right))):
        row: list[object] = [""] * (far + 1)
        row[0] = left[n] if n < len(left) else ""
        row[far] = right[n] if n < len(right) else ""
        rows.append(row)
    rows += [
        ["DANH SÁCH ĐẠI BIỂU"],
        [f"dự {lower_first(book.conference_title)}"],
        [f"Thời gian: {book.when}. Địa điểm: {location or book.place}"],
        [],
    ]
    return [[plain(v) if isinstance(v, str) else v for v in row] for row in rows]


def _closing(book: AttendanceBook, columns: int) -> list[list[object]]:
    """The certifying block under the list: titles, room to sign, names."""
    left, right = book.certify
    far = columns - 3

    def row(a: str, b: str) -> list[object]:
        cells: list[object] = [""] * (far + 1)
        cells[2], cells[far] = a, b
        return cells

    titles = [row(a, b) for a, b in zip(left.titles, right.titles, strict=False)]
    return [[], *titles, [], [], [], [], row(left.name, right.name)]


def attendance_tables(book: AttendanceBook, one_table: bool = False) -> list[Table]:
    """Spreadsheet form: a sheet per location (or one table with a location column, for CSV),
    with a subtotal line after each category and the total at the end, as on paper. Each
    sheet prints: A4 fitted to the width, letterhead, repeated header, certifying block."""
    located = one_table and len(book.sheets) > 1
    headers = (["Địa điểm"] if located else []) + ["Thành phần", *book.headers]
    tables = []
    for sheet in book.sheets:
        prefix = [sheet.location] if located else []
        rows: list[list[object]] = []
        bold: set[int] = set()
        for group in sheet.groups:
            for number, row in enumerate(group.rows, start=1):
                rows.append([*prefix, group.title, number, *_row_cells(book, row)])
            bold.add(len(rows))
            rows.append([*prefix, f"Cộng: {group.title}", book.subtotal(group)])
        bold.add(len(rows))
        rows.append([*prefix, book.total_line(sheet)])
        tables.append(
            Table(
                sheet.location or "Danh sách",
                headers,
                rows,
                _widths(headers),
                preamble=_preamble(book, sheet.location),
                closing=_closing(book, len(headers)),
                landscape=not book.before,
                bold_rows=bold,
            )
        )
    if one_table:
        return [Table("Danh sách", headers, [r for t in tables for r in t.rows], _widths(headers))]
    if book.summary:
        summary = [[place, phrase] for place, phrase in book.summary]
        summary.append(["Tổng số", book.total_line()])
        tables.insert(0, Table("Tổng hợp", ["Địa điểm", "Có mặt"], summary, [40, 50]))
    return tables


def _widths(headers: list[str]) -> list[int]:
    sizes = {"Thành phần": 24, "Họ và tên": 26, "Chức vụ": 30, "Đơn vị": 28, "Địa điểm": 24}
    sizes |= {"STT": 6, "Giờ đến": 8, "Hình thức": 14, "Người dự thay": 22, "Lý do vắng": 20}
    return [sizes.get(h, 12) for h in headers]


def attendance_file(conference: Conference, fmt: str, before: bool = False) -> File:
    book = build_attendance(conference, before=before)
    stem = f"danh-sach-dai-bieu-{conference.id}{'-de-ky' if before else ''}"
    if fmt == "pdf":
        return File(pdf.attendance_pdf(book), f"{stem}.pdf")
    if fmt == "docx":
        return File(docx.attendance_docx(book), f"{stem}.docx")
    if fmt == "xlsx":
        return File(write_xlsx(attendance_tables(book)), f"{stem}.xlsx")
    if fmt == "csv":
        return File(write_csv(attendance_tables(book, one_table=True)[0]), f"{stem}.csv")
    raise ValueError(f"unknown format {fmt!r}")


def minutes_file(conference: Conference, fmt: str) -> File:
    minutes = build_minutes(conference)
    stem = f"bien-ban-{conference.id}"
    if fmt == "pdf":
        return File(pdf.minutes_pdf(minutes), f"{stem}.pdf")
    if fmt == "docx":
        return File(docx.minutes_docx(minutes), f"{stem}.docx")
    raise ValueError(f"unknown format {fmt!r}")


def letters_file(
    conference: Conference,
    fmt: str,
    category_id: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> File:
    """The letters in one file; `progress(done, total)` hears of each letter written."""
    batch = build_letters(conference, category_id)
    if progress is not None:
        batch = replace(batch, letters=CountedList(batch.letters, progress))
    stem = f"giay-moi-{conference.id}" + (f"-nhom-{category_id}" if category_id else "")
    if fmt == "pdf":
        return File(pdf.letters_pdf(batch), f"{stem}.pdf")
    if fmt == "docx":
        return File(docx.letters_docx(batch), f"{stem}.docx")
    raise ValueError(f"unknown format {fmt!r}")

"""PDF writers (ReportLab). Long lists are drawn straight on the canvas — a platypus table
re-measures its remaining rows at every page split, which does not scale to 30,000 rows —
and the short minutes go through platypus paragraphs. Fonts are embedded (subsets)."""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from meetings.printing.blocks import ANNEX_HEADERS, DOTS, annex_title, minutes_blocks
from meetings.printing.closing import SIGN_SPACE_MM, SIGNATURES_SPLIT, Recipients, Signature
from meetings.printing.data import (
    AttendanceBook,
    AttendanceSheet,
    LetterBatch,
    Minutes,
    lower_first,
    roman_numeral,
)
from meetings.printing.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts
from meetings.printing.letterhead import Letterhead
from meetings.printing.qrcodes import dark_runs, letter_matrix
from meetings.printing.typography import NB_HYPHEN

PAGE_W, PAGE_H = A4
# HD 36-HD/VPTW and NĐ 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
# Lists need the width for their columns: the left margin of a bound annex.
LIST_LEFT = 20 * mm
HEAD_SIZE = 14


def plain(text: str) -> str:
    """The embedded font has no U+2011 glyph: draw "-". Nothing here breaks at a hyphen
    (wrap() and platypus break at spaces only), so symbols still stay whole."""
    return text.replace(NB_HYPHEN, "-")


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut where it must be."""
    return list(_wrapped(text, font, size, width))


@lru_cache(maxsize=65536)  # lists repeat the same units, positions and methods
def _wrapped(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    return tuple(_wrap(plain(text), font, size, width))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    if not text or stringWidth(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and stringWidth(word[:cut], font, size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    lines.append(line)
    return lines


class _NumberedCanvas(Canvas):
    """Holds pages back until the end, so every page can print "Trang i/n"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(REGULAR, 10)
            self.drawCentredString(PAGE_W / 2, 10 * mm, f"Trang {number}/{total}")
            Canvas.showPage(self)
        Canvas.save(self)


def _canvas(buffer: io.BytesIO, title: str, numbered: bool) -> Canvas:
    register_fonts()
    cls = _NumberedCanvas if numbered else Canvas
    canvas = cls(buffer, pagesize=A4, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(title)
    canvas.setCreator("meetings")
    return canvas


# --- The letterhead ----------------------------------------------------------------------


def draw_letterhead(
    canvas: Canvas, head: Letterhead, top: float, left: float, right: float
) -> float:
    """Draw both header columns from `top` down; return the y below them."""
    width = right - left
    left_w, right_w = width * head.split, width * (1 - head.split)
    left_x, right_x = left + left_w / 2, left + left_w + right_w / 2
    fonts = {"plain": REGULAR, "bold": BOLD, "bold-rule": BOLD, "italic": ITALIC, "star": REGULAR}
    bottoms = []
    for lines, centre, col_w in ((head.left, left_x, left_w), (head.right, right_x, right_w)):
        y = top - HEAD_SIZE
        for text, style in lines:
            font, size = fonts[style], head.size(style)
            lead = size * 1.25
            if style == "star" and not text:  # state layout: a short rule under the body
                canvas.setLineWidth(0.6)
                canvas.line(centre - 12 * mm, y + lead * 0.55, centre + 12 * mm, y + lead * 0.55)
                y -= lead * 0.6
                continue
            for part in wrap(text, font, size, col_w - 2 * mm):
                canvas.setFont(font, size)
                canvas.drawCentredString(centre, y, part)
                if style == "bold-rule":  # the rule is as long as the heading (HD 36)
                    half = stringWidth(part, font, size) / 2
                    canvas.setLineWidth(0.6)
                    canvas.line(centre - half, y - 3.5, centre + half, y - 3.5)
                y -= lead
        bottoms.append(y)
    return min(bottoms)


class _LetterheadFlowable(Flowable):
    def __init__(self, head: Letterhead, width: float):
        super().__init__()
        self.head, self.width = head, width
        self.height = HEAD_SIZE * 1.25 * (len(head.left) + 1)

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        draw_letterhead(self.canv, self.head, self.height, 0, self.width)


# --- Attendance sheet --------------------------------------------------------------------


def _columns(book: AttendanceBook, width: float) -> list[float]:
    shares = book.shares
    return [width * s / sum(shares) for s in shares]


class _ShownText:
    """The PDF operators ReportLab writes for a string, kept per font, size and current font
    subset: lists repeat the same units, positions and methods thousands of times, and
    encoding a string into the embedded subsets is the costliest step of a long list. One
    cache per canvas, since subset names belong to one document."""

    def __init__(self) -> None:
        self.operators: dict[tuple, tuple[str, int]] = {}

    def show(self, text, line: str) -> None:
        """What text.textOut(line) does, once per distinct (font, size, subset, line)."""
        key = (text._fontname, text._fontsize, text._curSubset, line)
        hit = self.operators.get(key)
        if hit is None:
            text.textOut(line)
            self.operators[key] = (text._code[-1], text._curSubset)
            return
        text._code.append(hit[0])
        text._curSubset = hit[1]


class _SheetWriter:
    """Draws one sheet's table, page after page, repeating the header row."""

    PAD = 2.2

    def __init__(self, canvas: Canvas, book: AttendanceBook):
        self.c, self.book = canvas, book
        self.shown = _ShownText()
        self.size = 10 if book.before else 9
        self.lead = self.size * 1.2
        self.left, self.right = LIST_LEFT, PAGE_W - RIGHT
        self.widths = _columns(book, self.right - self.left)
        self.xs = [self.left]
        for w in self.widths:
            self.xs.append(self.xs[-1] + w)
        self.y = 0.0
        self.page_top = 0.0
        self.rules: list[float] = []

    def _header(self) -> None:
        heights = [
            wrap(h, BOLD, self.size, w - 2 * self.PAD)
            for h, w in zip(self.book.headers, self.widths, strict=True)
        ]
        height = max(len(h) for h in heights) * self.lead + 2 * self.PAD
        self.c.setFillGray(0.9)
        self.c.rect(self.left, self.y - height, self.right - self.left, height, stroke=0, fill=1)
        self.c.setFillGray(0)
        self._text(heights, BOLD, height, centred=True)
        self.page_top = self.y
        self.rules = [self.y]
        self.y -= height
        self.rules.append(self.y)

    def _text(self, cells: list[list[str]], font: str, height: float, centred=False) -> None:
        text = self.c.beginText()
        text.setFont(font, self.size)
        for lines, x, w in zip(cells, self.xs, self.widths, strict=False):
            for i, line in enumerate(lines):
                if not line:
                    continue
                dx = (w - stringWidth(line, font, self.size)) / 2 if centred else self.PAD
                text.setTextOrigin(x + dx, self.y - self.PAD - self.size * 0.95 - i * self.lead)
                self.shown.show(text, line)
        self.c.drawText(text)

    def _close_page(self) -> None:
        c = self.c
        c.setLineWidth(0.5)
        for y in self.rules:
            c.line(self.left, y, self.right, y)
        for x in self.xs:
            c.line(x, self.page_top, x, self.y)

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self._close_page()
            self.c.showPage()
            self.y = PAGE_H - TOP
            self._header()

    def _span_row(self, left_text: str, right_text: str, font: str) -> None:
        height = self.lead + 2 * self.PAD
        self._need(height)
        c = self.c
        c.setFont(font, self.size)
        base = self.y - self.PAD - self.size * 0.95
        c.drawString(self.left + self.PAD, base, left_text)
        c.drawRightString(self.right - self.PAD, base, right_text)
        # A spanning row: no column lines through it, so it is drawn as its own box.
        c.setLineWidth(0.5)
        c.line(self.left, self.y, self.left, self.y - height)
        c.line(self.right, self.y, self.right, self.y - height)
        self._close_columns_before_span()
        self.y -= height
        self.rules.append(self.y)
        self.page_top = self.y

    def _close_columns_before_span(self) -> None:
        c = self.c
        for x in self.xs:
            c.line(x, self.page_top, x, self.y)

    def draw(self, sheet: AttendanceSheet, top: float) -> float:
        """Draw the sheet from `top`; return the y under its table."""
        self.y = top
        self._header()
        book = self.book
        for index, group in enumerate(sheet.groups, start=1):
            title = f"{roman_numeral(index)}. {group.title}"
            max_title = self.right - self.left - 40 * mm
            title = wrap(title, BOLD, self.size, max_title)[0] + (
                "…" if stringWidth(title, BOLD, self.size) > max_title else ""
            )
            self._span_row(title, book.subtotal(group), BOLD)
            for number, row in enumerate(group.rows, start=1):
                cells = [str(number), row.name, row.position, row.unit]
                if not book.before:
                    at = row.checked_in_at.strftime("%H:%M") if row.checked_in_at else ""
                    cells += [at, row.method, row.substitute, row.absence_reason]
                else:
                    cells.append("")
                wrapped = [
                    wrap(text, REGULAR, self.size, w - 2 * self.PAD)
                    for text, w in zip(cells, self.widths, strict=True)
                ]
                height = max(len(w) for w in wrapped) * self.lead + 2 * self.PAD
                if book.before:
                    height = max(height, 9 * mm)  # room to sign
                self._need(height)
                self._text(wrapped, REGULAR, height)
                self.y -= height
                self.rules.append(self.y)
        self._span_row(book.total_line(sheet), "", BOLD)
        self._close_page()
        return self.y


def _centred_lines(
    c: Canvas, lines: list[str], font: str, size: float, y: float, width: float
) -> float:
    c.setFont(font, size)
    for text in lines:
        for part in wrap(text, font, size, width):
            c.drawCentredString(LIST_LEFT + width / 2, y, part)
            y -= size * 1.3
    return y


def _list_title(c: Canvas, book: AttendanceBook, location: str | None) -> float:
    y = draw_letterhead(c, book.letterhead, PAGE_H - TOP, LIST_LEFT, PAGE_W - RIGHT) - 6 * mm
    width = PAGE_W - LIST_LEFT - RIGHT
    y = _centred_lines(c, ["DANH SÁCH ĐẠI BIỂU"], BOLD, 14, y, width)
    y = _centred_lines(
        c, [f"dự {lower_first(book.conference_title)}"], ITALIC, 12, y, width - 20 * mm
    )
    place = location or book.place
    y = _centred_lines(c, [f"Thời gian: {book.when}. Địa điểm: {place}"], REGULAR, 12, y, width)
    return y - 3 * mm


CERTIFY_HEIGHT = 14 * mm + SIGN_SPACE_MM * mm + 40


def _certify(c: Canvas, book: AttendanceBook, y: float) -> None:
    """The certifying block under a sheet: who drew it up, who certifies it."""
    if y - CERTIFY_HEIGHT < BOTTOM:
        c.showPage()
        y = PAGE_H - TOP
    width = PAGE_W - LIST_LEFT - RIGHT
    y -= 8 * mm
    for sig, share in zip(book.certify, (0.25, 0.75), strict=True):
        draw_signature(c, sig, LIST_LEFT + width * share, y, width * 0.48)


def attendance_pdf(book: AttendanceBook) -> bytes:
    buffer = io.BytesIO()
    c = _canvas(buffer, "Danh sách đại biểu", numbered=True)
    if book.summary:
        y = _list_title(c, book, None)
        c.setFont(BOLD, 12)
        c.drawString(LIST_LEFT, y, "TỔNG HỢP CÁC ĐIỂM CẦU")
        y -= 8 * mm
        for place, phrase in [*book.summary, ("Tổng số", book.total_line())]:
            c.setFont(REGULAR, 12)
            c.drawString(LIST_LEFT + 5 * mm, y, place)
            c.drawRightString(PAGE_W - RIGHT, y, phrase)
            y -= 7 * mm
        c.showPage()
    for sheet in book.sheets:
        top = _list_title(c, book, sheet.location)
        _certify(c, book, _SheetWriter(c, book).draw(sheet, top))
        c.showPage()
    c.save()
    return buffer.getvalue()


# --- Minutes ------------------------------------------------------------------------------


class _Lines(Flowable):
    """Pre-wrapped list lines (thousands of absentees): splits at any line in constant time,
    where a platypus Paragraph per line costs a layout pass each."""

    def __init__(self, lines: list[str], font: str, size: float, leading: float, indent: float):
        super().__init__()
        self.lines, self.font, self.size, self.leading, self.indent = (
            lines,
            font,
            size,
            leading,
            indent,
        )

    def wrap(self, available_width, available_height):
        return available_width, len(self.lines) * self.leading

    def split(self, available_width, available_height):
        fits = int(available_height // self.leading)
        if fits <= 0 or fits >= len(self.lines):
            return []
        return [self._part(self.lines[:fits]), self._part(self.lines[fits:])]

    def _part(self, lines: list[str]) -> _Lines:
        return _Lines(lines, self.font, self.size, self.leading, self.indent)

    def draw(self):
        text = self.canv.beginText(self.indent, len(self.lines) * self.leading - self.size)
        text.setFont(self.font, self.size, self.leading)
        for line in self.lines:
            text.textLine(line)
        self.canv.drawText(text)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=14,
        leading=19,
        alignment=TA_JUSTIFY,
        firstLineIndent=10 * mm,
        spaceAfter=3,
    )
    return {
        "body": body,
        "item": ParagraphStyle("item", parent=body, firstLineIndent=0, leftIndent=10 * mm),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=15,
            leading=20,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=0,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontName=BOLD,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=8,
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD, firstLineIndent=0, spaceBefore=6
        ),
        "sign": ParagraphStyle(
            "sign", parent=body, fontName=BOLD, alignment=TA_CENTER, firstLineIndent=0
        ),
        "note": ParagraphStyle(
            "note",
            parent=body,
            fontName=ITALIC,
            fontSize=12,
            leading=15,
            alignment=TA_CENTER,
            firstLineIndent=0,
        ),
    }


def _signature_cell(sig: Signature, s: dict[str, ParagraphStyle]) -> list:
    """Titles, room to sign and seal, the name: one cell of a signature table."""
    cell: list = [Paragraph("<br/>".join(escape(t) or "&nbsp;" for t in sig.titles), s["sign"])]
    if sig.note:
        cell.append(Paragraph(escape(sig.note), s["note"]))
    return [*cell, Spacer(1, SIGN_SPACE_MM * mm), Paragraph(escape(sig.name), s["sign"])]


def _recipients_cell(rec: Recipients) -> list:
    size, bold, italic, underlined = rec.heading_style
    font = BOLD_ITALIC if bold and italic else BOLD if bold else ITALIC if italic else REGULAR
    heading = escape(rec.heading)
    style = ParagraphStyle("rec", fontName=font, fontSize=size, leading=size * 1.2)
    item = ParagraphStyle(
        "rec-item", fontName=REGULAR, fontSize=rec.item_size, leading=rec.item_size * 1.25
    )
    return [
        Paragraph(f"<u>{heading}</u>" if underlined else heading, style),
        *(Paragraph(escape(line), item) for line in rec.lines),
    ]


def closing_table(cells: list[list], width: float, shares: tuple[float, float]) -> Table:
    """Two cells side by side (signatures, or recipients and a signature), kept on one page."""
    table = Table([cells], colWidths=[width * shares[0], width * shares[1]])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else Helvetica is referenced
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class _GridTable(Flowable):
    """A bordered table of pre-wrapped rows whose header repeats on every page. It splits at
    any row in time proportional to the rows placed, where a platypus Table re-measures all
    the rows left at every page: thousands of absentees stay fast."""

    PAD, SIZE = 2.5, 11

    def __init__(self, headers: list[str], rows: list[list[str]], widths: list[float]):
        super().__init__()
        self.widths = widths
        self.lead = self.SIZE * 1.2
        self.head = self._wrapped(headers, BOLD)
        self.rows = [self._wrapped(r, REGULAR) for r in rows]

    def _wrapped(self, cells: list[str], font: str) -> tuple[list[list[str]], float]:
        lines = [
            wrap(text, font, self.SIZE, w - 2 * self.PAD)
            for text, w in zip(cells, self.widths, strict=True)
        ]
        return lines, max(len(x) for x in lines) * self.lead + 2 * self.PAD

    def wrap(self, available_width, available_height):
        self.height = self.head[1] + sum(h for _, h in self.rows)
        return sum(self.widths), self.height

    def split(self, available_width, available_height):
        room = available_height - self.head[1]
        fits = 0
        while fits < len(self.rows) and room >= self.rows[fits][1]:
            room -= self.rows[fits][1]
            fits += 1
        if fits == 0 or fits == len(self.rows):
            return []
        return [self._part(self.rows[:fits]), self._part(self.rows[fits:])]

    def _part(self, rows) -> _GridTable:
        part = _GridTable.__new__(_GridTable)
        Flowable.__init__(part)
        part.widths, part.lead, part.head, part.rows = self.widths, self.lead, self.head, rows
        return part

    def draw(self):
        c = self.canv
        y = self.height
        c.setLineWidth(0.5)
        c.setFillGray(0.9)
        c.rect(0, y - self.head[1], sum(self.widths), self.head[1], stroke=0, fill=1)
        c.setFillGray(0)
        for (cells, height), font in [(self.head, BOLD), *((r, REGULAR) for r in self.rows)]:
            text = c.beginText()
            text.setFont(font, self.SIZE)
            x = 0.0
            for lines, w in zip(cells, self.widths, strict=True):
                for i, line in enumerate(lines):
                    text.setTextOrigin(x + self.PAD, y - self.PAD - self.SIZE * 0.9 - i * self.lead)
                    text.textOut(line)
                x += w
            c.drawText(text)
            c.line(0, y, sum(self.widths), y)
            y -= height
        c.line(0, y, sum(self.widths), y)
        x = 0.0
        for w in [0.0, *self.widths]:
            x += w
            c.line(x, self.height, x, y)


def _annex(m: Minutes, s: dict[str, ParagraphStyle], width: float) -> list:
    """The absentees' annex on a page of its own: its title, then the table."""
    story: list = [PageBreak()]
    for n, line in enumerate(annex_title(m)):
        story.append(Paragraph(escape(plain(line)), s["title"] if n < 2 else s["note"]))
    story.append(Spacer(1, 4 * mm))
    shares = [8, 25, 24, 25, 18]
    widths = [width * x / sum(shares) for x in shares]
    rows = [
        [str(i), a.name, a.position, a.unit, a.reason or "Không có lý do"]
        for i, a in enumerate(m.annex, start=1)
    ]
    story.append(_GridTable(ANNEX_HEADERS, rows, widths))
    return story


def minutes_pdf(minutes: Minutes) -> bytes:
    buffer = io.BytesIO()
    s = _styles()
    width = PAGE_W - LEFT - RIGHT
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title="Biên bản hội nghị",
        creator="meetings",
        initialFontName=REGULAR,  # else an unembedded Helvetica is referenced
    )
    story: list = [_LetterheadFlowable(minutes.letterhead, width), Spacer(1, 6 * mm)]
    items: list[str] = []  # consecutive list lines, laid out together
    for kind, text in [*minutes_blocks(minutes), ("end", "")]:
        if kind == "item":
            items += wrap(text, REGULAR, 14, width - 10 * mm)
            continue
        if items:
            story.append(_Lines(items, REGULAR, 14, 19, 10 * mm))
            items = []
        if kind == "dots":
            story += [Paragraph(DOTS[:95], s["item"]) for _ in range(int(text))]
        elif kind != "end":
            story.append(Paragraph(escape(plain(text)), s[kind]))
    signatures = closing_table(
        [_signature_cell(minutes.sign_left, s), _signature_cell(minutes.sign_right, s)],
        width,
        (SIGNATURES_SPLIT, 1 - SIGNATURES_SPLIT),
    )
    closing = [Spacer(1, 6 * mm), signatures]
    if minutes.recipients:
        closing += [Spacer(1, 4 * mm), *_recipients_cell(minutes.recipients)]
    story.append(KeepTogether(closing))
    if minutes.annex:
        story += _annex(minutes, s, width)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _page_number(canvas: Canvas, doc) -> None:
    if doc.page > 1:
        canvas.setFont(REGULAR, 12)
        canvas.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, str(doc.page))


# --- Invitation letters ---------------------------------------------------------------------


QR_SIZE = 30 * mm
BODY_TOP = PAGE_H / 2  # where a letter's shared text starts inside its form


def _draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The code as filled rectangles (one per horizontal run): sharp at any zoom."""
    matrix = letter_matrix(url)
    module = size / len(matrix)
    top = y + size
    ops = [
        f"{x + col * module:.2f} {top - (row + 1) * module:.2f} "
        f"{length * module:.2f} {module:.2f} re"
        for row, col, length in dark_runs(matrix)
    ]
    c.setFillGray(0)
    c.addLiteral("\n".join(ops) + "\nf")


def letters_pdf(batch: LetterBatch) -> bytes:
    """One page per letter: the text shared by all letters is drawn once into PDF forms (the
    header; the lines shared by letters to one place; the closing), the rest per letter."""
    buffer = io.BytesIO()
    c = _canvas(buffer, "Giấy mời", numbered=False)
    width = PAGE_W - LEFT - RIGHT
    head_bottom = _letter_head_form(c, batch, width)
    tail_height = _letter_tail_form(c, batch, width)
    forms: dict[str, tuple[str, float]] = {}  # place → (form name, height)
    for letter in batch.letters:
        c.doForm("head")
        y = head_bottom - 4 * mm
        c.setFont(BOLD, 14)
        for line in wrap(f"Trân trọng kính mời: {letter.addressee}", BOLD, 14, width)[:4]:
            c.drawString(LEFT, y, line)
            y -= 19
        if letter.where not in forms:
            name = f"body{len(forms)}"
            forms[letter.where] = (name, _letter_place_form(c, batch, letter.where, name, width))
        name, height = forms[letter.where]
        y = _place_form(c, name, y - 4, height)
        y = _paragraphs(c, [(REGULAR, line) for line in letter.extra], y, width) + 4
        _place_form(c, "tail", y - 4, tail_height)
        _letter_code(c, letter)
        c.showPage()
    if not batch.letters:
        c.showPage()
    c.save()
    return buffer.getvalue()


def _place_form(c: Canvas, name: str, top: float, height: float) -> float:
    """Draw a form built from BODY_TOP down with its top at `top`; return the y below it."""
    c.saveState()
    c.translate(0, top - BODY_TOP)
    c.doForm(name)
    c.restoreState()
    return top - height


def _letter_code(c: Canvas, letter) -> None:
    qr_y = BOTTOM + 4 * mm
    _draw_qr(c, letter.url, LEFT, qr_y, QR_SIZE)
    x = LEFT + QR_SIZE + 3 * mm
    c.setFont(REGULAR, 10)
    c.drawString(x, qr_y + QR_SIZE - 12, "Quét mã để điểm danh khi đến hội nghị,")
    c.drawString(x, qr_y + QR_SIZE - 25, "hoặc nhập mã tại bàn đón tiếp:")
    c.setFont(BOLD, 16)
    code = " ".join(letter.short_code[i : i + 4] for i in range(0, len(letter.short_code), 4))
    c.drawString(x, qr_y + QR_SIZE - 45, code)


def _letter_head_form(c: Canvas, batch: LetterBatch, width: float) -> float:
    c.beginForm("head")
    y = draw_letterhead(c, batch.letterhead, PAGE_H - TOP, LEFT, PAGE_W - RIGHT) - 8 * mm
    c.setFont(BOLD, 16)
    c.drawCentredString(LEFT + width / 2, y, "GIẤY MỜI")
    c.endForm()
    return y - 10 * mm


def _paragraphs(c: Canvas, paragraphs: list[tuple[str, str]], y: float, width: float) -> float:
    """Indented body paragraphs of a letter from `y` down; returns the y below them."""
    for font, text in paragraphs:
        c.setFont(font, 14)
        for line in wrap(text, font, 14, width - 10 * mm):
            c.drawString(LEFT + 10 * mm, y, line)
            y -= 19
        y -= 3
    return y


def _letter_place_form(c: Canvas, batch: LetterBatch, where: str, name: str, width: float) -> float:
    """What letters to one place share: what, when, where. Returns its height."""
    c.beginForm(name)
    paragraphs = [
        (REGULAR, f"Dự {lower_first(batch.conference_title)}."),
        (REGULAR, f"Thời gian: {batch.when}."),
        (REGULAR, f"Địa điểm: {where}."),
    ]
    y = _paragraphs(c, paragraphs, BODY_TOP, width)
    c.endForm()
    return BODY_TOP - y


def _letter_tail_form(c: Canvas, batch: LetterBatch, width: float) -> float:
    """What every letter ends with: requirements, contact, the recipients on the left and
    the signature on the right. Returns its height."""
    c.beginForm("tail")
    paragraphs = []
    if batch.requirements:
        paragraphs.append((REGULAR, f"Yêu cầu: {batch.requirements}"))
    if batch.contact:
        paragraphs.append((REGULAR, f"Liên hệ: {batch.contact}."))
    paragraphs.append((ITALIC, "Khi đến hội nghị, đề nghị đồng chí mang theo giấy mời này."))
    y = _paragraphs(c, paragraphs, BODY_TOP, width) - 4 * mm
    bottom = min(
        draw_recipients(c, batch.recipients, LEFT, y, width * 0.45),
        draw_signature(c, batch.signature, LEFT + width * 0.72, y, width * 0.55),
    )
    c.endForm()
    return BODY_TOP - bottom


def draw_signature(c: Canvas, sig: Signature, centre: float, y: float, width: float) -> float:
    """Titles (bold capitals), room to sign and seal, the name; returns the y below."""
    c.setFont(BOLD, 14)
    for title in sig.titles:
        for line in wrap(title, BOLD, 14, width):
            c.drawCentredString(centre, y, line)
            y -= 17
    if sig.note:
        c.setFont(ITALIC, 12)
        c.drawCentredString(centre, y, sig.note)
        y -= 15
    y -= SIGN_SPACE_MM * mm
    c.setFont(BOLD, 14)
    c.drawCentredString(centre, y, plain(sig.name))
    return y - 17


def draw_recipients(c: Canvas, rec: Recipients, x: float, y: float, width: float) -> float:
    """ "Nơi nhận:" and its lines, from `y` down at `x`; returns the y below."""
    size, bold, italic, underlined = rec.heading_style
    font = BOLD_ITALIC if bold and italic else BOLD if bold else ITALIC if italic else REGULAR
    c.setFont(font, size)
    c.drawString(x, y, rec.heading)
    if underlined:
        c.setLineWidth(0.5)
        c.line(x, y - 2, x + stringWidth(rec.heading, font, size), y - 2)
    y -= size * 1.3
    for text in rec.lines:
        for line in wrap(text, REGULAR, rec.item_size, width):
            c.setFont(REGULAR, rec.item_size)
            c.drawString(x, y, line)
            y -= rec.item_size * 1.25
    return y

"""PDF writers (ReportLab). Long lists are drawn straight on the canvas — a platypus table
re-measures its remaining rows at every page split, which does not scale to 30,000 rows —
and the short minutes go through platypus paragraphs. Fonts are embedded (subsets)."""

from __future__ import annotations

import io
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
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from meetings.printing.data import (
    AttendanceBook,
    AttendanceSheet,
    LetterBatch,
    Minutes,
    lower_first,
    roman_numeral,
)
from meetings.printing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from meetings.printing.letterhead import Letterhead
from meetings.printing.qrcodes import dark_runs, letter_matrix

PAGE_W, PAGE_H = A4
# HD 36-HD/VPTW and NĐ 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
# Lists need the width for their columns: the left margin of a bound annex.
LIST_LEFT = 20 * mm
HEAD_SIZE = 14


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is cut where it must be."""
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
    shares = [6, 26, 28, 26, 14] if book.before else [5, 20, 19, 18, 8, 10, 11, 9]
    return [width * s / sum(shares) for s in shares]


class _SheetWriter:
    """Draws one sheet's table, page after page, repeating the header row."""

    PAD = 2.2

    def __init__(self, canvas: Canvas, book: AttendanceBook):
        self.c, self.book = canvas, book
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
                text.textOut(line)
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

    def draw(self, sheet: AttendanceSheet, top: float) -> None:
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
        _SheetWriter(c, book).draw(sheet, top)
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
        "sign-name": ParagraphStyle(
            "sign-name",
            parent=body,
            fontName=BOLD,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=22 * mm,
        ),
    }


DOTS = "." * 200


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
            story.append(Paragraph(escape(text), s[kind]))
    signatures = Table(
        [
            [
                Paragraph("<br/>".join(map(escape, minutes.sign_left)), s["sign"]),
                Paragraph("<br/>".join(map(escape, minutes.sign_right)), s["sign"]),
            ],
            [
                Paragraph(escape(minutes.secretary_name), s["sign-name"]),
                Paragraph(escape(minutes.chair_name), s["sign-name"]),
            ],
        ],
        colWidths=[width / 2, width / 2],
    )
    signatures.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), REGULAR)])
    )
    story.append(KeepTogether([Spacer(1, 6 * mm), signatures]))
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _page_number(canvas: Canvas, doc) -> None:
    if doc.page > 1:
        canvas.setFont(REGULAR, 12)
        canvas.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, str(doc.page))


def minutes_blocks(m: Minutes) -> list[tuple[str, str]]:
    """The minutes as (style, text) blocks: the one text every writer lays out."""
    blocks = [
        ("title", "BIÊN BẢN"),
        ("subtitle", m.conference_title),
        ("heading", "I. THỜI GIAN, ĐỊA ĐIỂM"),
        ("body", f"Hội nghị bắt đầu hồi {m.started}."),
        ("body", f"Địa điểm: {m.place}."),
        ("body", f"Đơn vị tổ chức: {m.organiser}."),
        ("heading", "II. THÀNH PHẦN"),
        ("body", f"Chủ trì hội nghị: {m.chair}."),
        ("body", f"Thư ký hội nghị: {m.secretary}."),
        ("body", f"Đại biểu triệu tập: {m.invited} đồng chí; có mặt: {m.attendance}. Cụ thể:"),
    ]
    blocks += [("item", f"- {c.name}: {c.phrase}.") for c in m.by_category]
    if m.by_location:
        blocks.append(("body", "Theo điểm cầu:"))
        blocks += [("item", f"- {place}: {total}.") for place, total in m.by_location]
    if m.absentees:
        blocks.append(("body", f"Vắng mặt {len(m.absentees)} đồng chí:"))
        blocks += [("item", f"- {a};") for a in m.absentees]
    if m.substitutes:
        blocks.append(("body", "Dự thay:"))
        blocks += [("item", f"- {a};") for a in m.substitutes]
    if m.walk_ins:
        blocks.append(
            ("body", f"Đại biểu không có trong danh sách mời: {len(m.walk_ins)} đồng chí:")
        )
        blocks += [("item", f"- {a};") for a in m.walk_ins]
    blocks.append(("heading", "III. NỘI DUNG"))
    for number, section in enumerate(m.sections, start=1):
        blocks.append(("body", f"{number}. {section.heading}."))
        blocks.append(("dots", "2"))
    blocks += [
        ("heading", "IV. Ý KIẾN THẢO LUẬN"),
        ("dots", "8"),
        ("heading", "V. KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ"),
        ("dots", "8"),
        ("body", f"Hội nghị kết thúc hồi {m.ended} cùng ngày."),
    ]
    return blocks


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
    """One page per letter: the text shared by all letters is drawn once into PDF forms."""
    buffer = io.BytesIO()
    c = _canvas(buffer, "Giấy mời", numbered=False)
    width = PAGE_W - LEFT - RIGHT
    head_bottom = _letter_head_form(c, batch, width)
    forms: dict[str, str] = {}  # place → form name
    for letter in batch.letters:
        c.doForm("head")
        y = head_bottom - 4 * mm
        c.setFont(BOLD, 14)
        for line in wrap(f"Trân trọng kính mời: {letter.addressee}", BOLD, 14, width)[:4]:
            c.drawString(LEFT, y, line)
            y -= 19
        if letter.seat:
            c.drawString(LEFT, y, f"Vị trí: {letter.seat}")
            y -= 19
        if letter.where not in forms:
            forms[letter.where] = f"body{len(forms)}"
            _letter_body_form(c, batch, letter.where, forms[letter.where], width)
        c.saveState()
        c.translate(0, y - 4 - BODY_TOP)
        c.doForm(forms[letter.where])
        c.restoreState()
        qr_y = BOTTOM + 4 * mm
        _draw_qr(c, letter.url, LEFT, qr_y, QR_SIZE)
        c.setFont(REGULAR, 10)
        c.drawString(
            LEFT + QR_SIZE + 3 * mm, qr_y + QR_SIZE - 12, "Quét mã để điểm danh khi đến hội nghị,"
        )
        c.drawString(LEFT + QR_SIZE + 3 * mm, qr_y + QR_SIZE - 25, "hoặc nhập mã tại bàn đón tiếp:")
        c.setFont(BOLD, 16)
        code = " ".join(letter.short_code[i : i + 4] for i in range(0, len(letter.short_code), 4))
        c.drawString(LEFT + QR_SIZE + 3 * mm, qr_y + QR_SIZE - 45, code)
        c.showPage()
    if not batch.letters:
        c.showPage()
    c.save()
    return buffer.getvalue()


def _letter_head_form(c: Canvas, batch: LetterBatch, width: float) -> float:
    c.beginForm("head")
    y = draw_letterhead(c, batch.letterhead, PAGE_H - TOP, LEFT, PAGE_W - RIGHT) - 8 * mm
    c.setFont(BOLD, 16)
    c.drawCentredString(LEFT + width / 2, y, "GIẤY MỜI")
    c.endForm()
    return y - 10 * mm


def _letter_body_form(c: Canvas, batch: LetterBatch, where: str, name: str, width: float) -> None:
    """The text shared by letters to one place, drawn from BODY_TOP; moved under the addressee."""
    c.beginForm(name)
    y = BODY_TOP
    paragraphs = [
        (REGULAR, f"Dự {lower_first(batch.conference_title)}."),
        (REGULAR, f"Thời gian: {batch.when}."),
        (REGULAR, f"Địa điểm: {where}."),
    ]
    if batch.requirements:
        paragraphs.append((REGULAR, f"Yêu cầu: {batch.requirements}"))
    if batch.contact:
        paragraphs.append((REGULAR, f"Liên hệ: {batch.contact}."))
    paragraphs.append((ITALIC, "Khi đến hội nghị, đề nghị đồng chí mang theo giấy mời này."))
    for font, text in paragraphs:
        c.setFont(font, 14)
        for line in wrap(text, font, 14, width - 10 * mm):
            c.drawString(LEFT + 10 * mm, y, line)
            y -= 19
        y -= 3
    y -= 6 * mm
    sign_x = LEFT + width * 0.72
    c.setFont(BOLD, 14)
    for line in wrap(batch.signer_title, BOLD, 14, width * 0.55):
        c.drawCentredString(sign_x, y, line)
        y -= 19
    c.drawCentredString(sign_x, y - 22 * mm, batch.signer_name)
    c.endForm()

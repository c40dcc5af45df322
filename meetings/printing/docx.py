"""DOCX writers (python-docx): the editable documents. Real Word styles in Times New Roman at
the layout's sizes, A4 with the layout's margins, real tables whose header row repeats.

Long tables and letter batches are written as XML strings parsed once: python-docx's
add_row()/add_paragraph() cost tens of microseconds a call, too slow for 30,000 rows.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.image import ImagePart
from docx.shared import Mm, Pt
from reportlab.pdfbase.pdfmetrics import stringWidth

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
from meetings.printing.fonts import BOLD, DOCX_FONT, register_fonts
from meetings.printing.letterhead import Letterhead
from meetings.printing.qrcodes import letter_png
from meetings.printing.typography import NB_HYPHEN

W = nsdecls("w")
# Style names: what a clerk sees in Word's style list.
BODY, HEAD, TITLE, SUBTITLE, HEADING, ITEM, CELL, CELL_HEAD, SIGN = (
    "Normal",
    "Letterhead",
    "Document Title",
    "Document Subtitle",
    "Section Heading",
    "List Line",
    "Table Text",
    "Table Heading",
    "Signature",
)


def _font(style, size: float, bold=False, italic=False) -> None:
    style.font.name = DOCX_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), DOCX_FONT)


LANGUAGE = "vi-VN"


def _language(doc: Document) -> None:
    """Vietnamese as the language of every run (document defaults and Normal), so Word checks
    the spelling in Vietnamese instead of marking every word."""
    lang = f'<w:lang {W} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for holder in (rpr, doc.styles["Normal"].element.get_or_add_rPr()):
        old = holder.find(qn("w:lang"))
        if old is not None:
            holder.remove(old)
        holder.append(parse_xml(lang))


def new_document(left_mm: float = 30) -> Document:
    """A4 with the layout's margins, Times New Roman, vi-VN, and the named styles every writer
    uses. Table cells take "Table Text": no first-line indent, no justification."""
    doc = Document()
    _language(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(left_mm), Mm(15)
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.first_line_indent = Mm(10)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    specs = [
        (HEAD, 13, False, False, WD_ALIGN_PARAGRAPH.CENTER),
        (TITLE, 15, True, False, WD_ALIGN_PARAGRAPH.CENTER),
        (SUBTITLE, 14, True, False, WD_ALIGN_PARAGRAPH.CENTER),
        (HEADING, 14, True, False, WD_ALIGN_PARAGRAPH.LEFT),
        (ITEM, 14, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        (CELL, 10, False, False, WD_ALIGN_PARAGRAPH.LEFT),
        (CELL_HEAD, 10, True, False, WD_ALIGN_PARAGRAPH.CENTER),
        (SIGN, 14, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    ]
    for name, size, bold, italic, align in specs:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style, size, bold, italic)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Mm(0)
        fmt.space_after = Pt(0 if name in (HEAD, CELL, CELL_HEAD) else 3)
        fmt.line_spacing = 1.0 if name in (HEAD, CELL, CELL_HEAD) else 1.1
    styles[ITEM].paragraph_format.left_indent = Mm(10)
    return doc


def _page_number_header(doc: Document) -> None:
    """The page number at the top centre from page 2 (HD 36): a PAGE field in the header of
    the following pages; the first page has a header of its own, left empty."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.style = doc.styles[HEAD]
    paragraph._p.append(
        parse_xml(f'<w:fldSimple {W} w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>')
    )
    section.first_page_header.paragraphs[0].style = doc.styles[HEAD]


def _page_number_footer(doc: Document) -> None:
    """ "Trang N/M" from Word fields, so it stays right when the clerk edits."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.style = doc.styles[HEAD]
    paragraph._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">Trang </w:t></w:r>'))
    for field in ("PAGE", "NUMPAGES"):
        paragraph._p.append(
            parse_xml(f'<w:fldSimple {W} w:instr="{field}"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        )
        if field == "PAGE":
            paragraph._p.append(parse_xml(f"<w:r {W}><w:t>/</w:t></w:r>"))


# --- XML pieces --------------------------------------------------------------------------


_NB_HYPHEN_XML = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
# Characters XML 1.0 forbids (C0 controls but tab, newline, return): dropped from text.
_NOT_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(text: str) -> str:
    """Text for a <w:t>: escaped, invalid characters dropped, symbol hyphens kept whole."""
    out = escape(text.translate(_NOT_XML))
    return out.replace(NB_HYPHEN, _NB_HYPHEN_XML) if NB_HYPHEN in out else out


def _run(text: str, bold=False, italic=False, size: float | None = None, underline=False) -> str:
    """One run; a non-breaking hyphen (inside a document symbol) becomes Word's own."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props += '<w:u w:val="single"/>' if underline else ""
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _para(
    text: str, style: str, bold=False, italic=False, extra_ppr: str = "", size: float | None = None
) -> str:
    style_id = style.replace(" ", "")
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{extra_ppr}</w:pPr>'
        f"{_run(text, bold, italic, size) if text else ''}</w:p>"
    )


def _table_borders(attributes: str) -> str:
    """A table's outer and inner borders, all alike."""
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    return "".join(f"<w:{side} {attributes}/>" for side in sides)


_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'


def letterhead_xml(head: Letterhead, width_mm: float) -> str:
    """Two borderless columns: left body block, right national heading and date line."""
    left_w = int(width_mm * head.split * 56.7)
    right_w = int(width_mm * 56.7) - left_w
    register_fonts()  # Liberation Serif has Times New Roman's metrics: measures the rule

    def column(lines: list[tuple[str, str]], width: int) -> str:
        out = []
        for text, style in lines:
            size = head.size(style)
            if style == "star" and not text:  # state layout: a short rule under the body
                indent = max(0, (width - 1400) // 2)
                rule = _RULE + f'<w:ind w:left="{indent}" w:right="{indent}"/>'
                out.append(_para("", HEAD, extra_ppr=rule, size=6))
                continue
            extra = ""
            if style == "bold-rule":  # a rule under the heading, as long as the heading
                text_width = int(stringWidth(text, BOLD, size) * 20)  # points → twips
                # cell margins, and slack for renderers that set the text a little wider
                indent = max(0, (width - 2 * 108 - text_width) // 2 - 120)
                extra = _RULE + f'<w:ind w:left="{indent}" w:right="{indent}"/>'
            bold, italic = style.startswith("bold"), style == "italic"
            out.append(_para(text, HEAD, bold, italic, extra_ppr=extra, size=size))
        return "".join(out)

    none = _table_borders('w:val="nil"')
    return (
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="{left_w + right_w}" w:type="dxa"/>'
        f'<w:tblBorders>{none}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{left_w}"/><w:gridCol w:w="{right_w}"/></w:tblGrid><w:tr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{left_w}" w:type="dxa"/></w:tcPr>'
        f"{column(head.left, left_w)}</w:tc>"
        f'<w:tc><w:tcPr><w:tcW w:w="{right_w}" w:type="dxa"/></w:tcPr>'
        f"{column(head.right, right_w)}</w:tc>"
        "</w:tr></w:tbl>"
    )


def append_xml(doc: Document, xml: str) -> None:
    """Add a piece built here (e.g. the letterhead) to a document built with python-docx."""
    doc.element.body.sectPr.addprevious(parse_xml(xml))


_BODY_OPEN = b"<w:body>"


def save_with_body(doc: Document, xml: str) -> bytes:
    """The document with `xml` as its body, before its section (page size, margins, headers).

    The body is never parsed: python-docx saves the package with an empty body, and the
    XML built here is written into word/document.xml as it is. Parsing 30,000 rows into lxml
    and serialising them again cost more than building them. The pieces are built from
    escaped text (`_text`), so they are well-formed.
    """
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as package,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as rewritten,
    ):
        for item in package.infolist():
            data = package.read(item.filename)
            if item.filename == "word/document.xml":
                head, found, tail = data.partition(_BODY_OPEN)
                if not found:
                    raise ValueError("word/document.xml has no <w:body>")
                data = head + found + xml.encode("utf-8") + tail
            rewritten.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- Attendance sheet --------------------------------------------------------------------


def _cell(text: str, width: int, style: str = CELL, span: int = 1, shade: bool = False) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        props += '<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_para(text, style)}</w:tc>"


def _sheet_table(book: AttendanceBook, sheet: AttendanceSheet, width_mm: float) -> str:
    shares = book.shares
    total = int(width_mm * 56.7)
    widths = [total * s // sum(shares) for s in shares]
    header = "".join(
        _cell(h, w, CELL_HEAD, shade=True) for h, w in zip(book.headers, widths, strict=True)
    )
    sign_height = '<w:trHeight w:val="510"/>' if book.before else ""
    # Every cell of a column starts alike: built once (30,000 rows × 9 cells).
    starts = [_cell("", w).removesuffix("</w:p></w:tc>") for w in widths]
    row_start = f"<w:tr><w:trPr><w:cantSplit/>{sign_height}</w:trPr>"
    rows = [f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{header}</w:tr>"]
    span_width = sum(widths)
    for index, group in enumerate(sheet.groups, start=1):
        label = f"{roman_numeral(index)}. {group.title} ({book.subtotal(group)})"
        rows.append(
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            f"{_cell(label, span_width, CELL_HEAD, len(widths))}</w:tr>"
        )
        for number, r in enumerate(group.rows, start=1):
            cells = [str(number), r.name, r.position, r.unit]
            if book.before:
                cells.append("")
            else:
                at = r.checked_in_at.strftime("%H:%M") if r.checked_in_at else ""
                cells += [at, r.method, r.substitute, r.absence_reason]
            tcs = "".join(
                f"{start}{_run(t) if t else ''}</w:p></w:tc>"
                for t, start in zip(cells, starts, strict=True)
            )
            rows.append(f"{row_start}{tcs}</w:tr>")
    rows.append(f"<w:tr>{_cell(book.total_line(sheet), span_width, CELL_HEAD, len(widths))}</w:tr>")
    return _grid_table(widths, rows)


_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
_SIGN_GAP = f'<w:spacing w:before="{round(SIGN_SPACE_MM * 56.7)}"/>'  # to sign and seal
_NO_BORDERS = _table_borders('w:val="nil"')


def signature_xml(sig: Signature) -> str:
    """Titles, the note, room to sign and seal, the name: paragraphs for a table cell."""
    out = "".join(_para(t, SIGN) for t in sig.titles)
    if sig.note:
        out += _para(sig.note, SIGN, bold=False, italic=True, size=12)
    return out + _para(sig.name, SIGN, extra_ppr=_SIGN_GAP)


def recipients_xml(rec: Recipients) -> str:
    """ "Nơi nhận:" in the layout's style, then one line a recipient."""
    size, bold, italic, underline = rec.heading_style
    heading = (
        f'<w:p><w:pPr><w:pStyle w:val="{CELL.replace(" ", "")}"/></w:pPr>'
        f"{_run(rec.heading, bold, italic, size, underline)}</w:p>"
    )
    return heading + "".join(_para(line, CELL, size=rec.item_size) for line in rec.lines)


def closing_xml(left: str, right: str, width_twips: int, left_share: float = 0.5) -> str:
    """Two borderless cells side by side, kept on one page: signatures, or the recipients
    (left) and a signature (right)."""
    lw = int(width_twips * left_share)
    rw = width_twips - lw
    return (
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="{width_twips}" w:type="dxa"/>'
        f'<w:tblBorders>{_NO_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{lw}"/><w:gridCol w:w="{rw}"/></w:tblGrid>'
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        f'<w:tc><w:tcPr><w:tcW w:w="{lw}" w:type="dxa"/></w:tcPr>{left or _para("", CELL)}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{rw}" w:type="dxa"/></w:tcPr>{right or _para("", CELL)}'
        "</w:tc></w:tr></w:tbl>"
    )


def attendance_docx(book: AttendanceBook) -> bytes:
    doc = new_document(left_mm=20)
    _page_number_footer(doc)
    width = 175
    parts = []
    title = [
        _para("DANH SÁCH ĐẠI BIỂU", TITLE),
        _para(f"dự {lower_first(book.conference_title)}", SUBTITLE, extra_ppr=""),
    ]
    if book.summary:
        parts += [letterhead_xml(book.letterhead, width), _para("", HEAD), *title]
        parts.append(_para("TỔNG HỢP CÁC ĐIỂM CẦU", HEADING))
        parts += [_para(f"{place}: {phrase}", ITEM) for place, phrase in book.summary]
        parts.append(_para(book.total_line(), ITEM, bold=True))
        parts.append(_PAGE_BREAK)
    for i, sheet in enumerate(book.sheets):
        if i:
            parts.append(_PAGE_BREAK)
        parts += [letterhead_xml(book.letterhead, width), _para("", HEAD), *title]
        parts.append(
            _para(f"Thời gian: {book.when}. Địa điểm: {sheet.location or book.place}", HEAD)
        )
        parts.append(_para("", HEAD))
        parts.append(_sheet_table(book, sheet, width))
        parts.append(_para("", HEAD))
        left, right = (signature_xml(sig) for sig in book.certify)
        parts.append(closing_xml(left, right, int(width * 56.7)))
    return save_with_body(doc, "".join(parts))


# --- Minutes ------------------------------------------------------------------------------

_STYLE_OF = {"title": TITLE, "subtitle": SUBTITLE, "heading": HEADING, "body": BODY, "item": ITEM}


def _annex_xml(minutes: Minutes, width_mm: float) -> str:
    """The absentees' annex on a page of its own: its title, then one table."""
    lines = annex_title(minutes)
    parts = [_PAGE_BREAK, _para(lines[0], TITLE), _para(lines[1], TITLE)]
    parts += [_para(lines[2], SUBTITLE, bold=False, italic=True), _para("", HEAD)]
    total = int(width_mm * 56.7)
    shares = [6, 26, 24, 26, 18]
    widths = [total * x // sum(shares) for x in shares]
    header = "".join(
        _cell(h, w, CELL_HEAD, shade=True) for h, w in zip(ANNEX_HEADERS, widths, strict=True)
    )
    rows = [f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{header}</w:tr>"]
    for number, a in enumerate(minutes.annex, start=1):
        cells = [str(number), a.name, a.position, a.unit, a.reason or "Không có lý do"]
        tcs = "".join(_cell(t, w) for t, w in zip(cells, widths, strict=True))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{tcs}</w:tr>")
    return "".join(parts) + _grid_table(widths, rows)


def _grid_table(widths: list[int], rows: list[str]) -> str:
    """A bordered table of fixed column widths with narrow cell margins."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = _table_borders('w:val="single" w:sz="4" w:space="0" w:color="000000"')
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
        f'<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + "".join(rows)
        + "</w:tbl>"
    )


def minutes_docx(minutes: Minutes) -> bytes:
    doc = new_document()
    _page_number_header(doc)
    width = 165
    parts = [letterhead_xml(minutes.letterhead, width), _para("", HEAD)]
    for kind, text in minutes_blocks(minutes):
        if kind == "dots":
            parts += [_para(DOTS[:75], ITEM) for _ in range(int(text))]
        else:
            parts.append(_para(text, _STYLE_OF[kind]))
    parts.append(_para("", HEAD))
    parts.append(
        closing_xml(
            signature_xml(minutes.sign_left),
            signature_xml(minutes.sign_right),
            int(width * 56.7),
            SIGNATURES_SPLIT,
        )
    )
    if minutes.recipients:
        parts += [_para("", HEAD), recipients_xml(minutes.recipients)]
    if minutes.annex:
        parts.append(_annex_xml(minutes, width))
    return save_with_body(doc, "".join(parts))


# --- Invitation letters ---------------------------------------------------------------------

QR_MM = 30
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _picture(rel_id: str, number: int, size_emu: int) -> str:
    """An inline picture (DrawingML), as Word writes it."""
    return (
        f'<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<wp:extent cx="{size_emu}" cy="{size_emu}"/><wp:docPr id="{number}" name="QR {number}"/>'
        f'<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="qr{number}.png"/>'
        "<pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip xmlns:r="{R_NS}" r:embed="{rel_id}"/>'
        f"<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{size_emu}" cy="{size_emu}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def _add_png(doc: Document, png: bytes, number: int) -> str:
    """Add a PNG part and its relationship under names of our own: python-docx's
    get_or_add_image() searches every earlier image, quadratic over 5,000 letters."""
    rel_id = f"rIdQr{number}"
    part = ImagePart(PackURI(f"/word/media/qr{number}.png"), "image/png", png)
    doc.part.rels.add_relationship(RT.IMAGE, part, rel_id)
    return rel_id


def letters_docx(batch: LetterBatch) -> bytes:
    """One letter a page; the shared paragraphs are built once and repeated as text."""
    doc = new_document()
    width = 165
    head = (
        letterhead_xml(batch.letterhead, width)
        + _para("", HEAD)
        + _para("GIẤY MỜI", TITLE)
        + _para("", HEAD)
    )
    shared_after_where = ""
    if batch.requirements:
        shared_after_where += _para(f"Yêu cầu: {batch.requirements}", ITEM)
    if batch.contact:
        shared_after_where += _para(f"Liên hệ: {batch.contact}.", ITEM)
    shared_after_where += _para(
        "Khi đến hội nghị, đề nghị đồng chí mang theo giấy mời này.", ITEM, italic=True
    )
    signature = _para("", HEAD) + closing_xml(
        recipients_xml(batch.recipients), signature_xml(batch.signature), int(width * 56.7), 0.45
    )
    shared_intro = _para(f"Dự {lower_first(batch.conference_title)}.", ITEM) + _para(
        f"Thời gian: {batch.when}.", ITEM
    )
    size_emu = Mm(QR_MM)
    parts = []
    for number, letter in enumerate(batch.letters, start=1):
        rel_id = _add_png(doc, letter_png(letter.url), number)
        code = " ".join(letter.short_code[i : i + 4] for i in range(0, len(letter.short_code), 4))
        qr = (
            f'<w:p><w:pPr><w:pStyle w:val="{HEAD.replace(" ", "")}"/><w:jc w:val="left"/></w:pPr>'
            f"{_picture(rel_id, number, size_emu)}</w:p>"
            + _para(f"Quét mã để điểm danh, hoặc nhập mã tại bàn đón tiếp: {code}", CELL)
        )
        parts.append(
            head
            + _para(f"Trân trọng kính mời: {letter.addressee}", HEADING)
            + shared_intro
            + _para(f"Địa điểm: {letter.where}.", ITEM)
            + "".join(_para(line, ITEM) for line in letter.extra)
            + shared_after_where
            + signature
            + qr
        )
    return save_with_body(doc, _PAGE_BREAK.join(parts))

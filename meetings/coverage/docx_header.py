"""A4 page, Times New Roman and the two-column header of an official document (python-docx).

Party layout (Hướng dẫn 36-HD/VPTW): left, the parent body in capitals, the issuing body in bold
capitals, a `*`, then `Số …-BC/QU` (no colon); right, ĐẢNG CỘNG SẢN VIỆT NAM in bold with a rule
under it and the place and date line in italics. State layout (Nghị định 30/2020/NĐ-CP): the
national title and motto on the right, `Số: …/BC-UBND` with a colon. Self-contained on purpose:
the printed-documents capability will bring a shared one.
"""

from __future__ import annotations

from datetime import date

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from meetings.models import Layout, OrganisingBody
from meetings.text import place_date_line

FONT = "Times New Roman"
BLANK_NUMBER = "      "  # the clerk writes the number when the report is registered


def set_up_page(doc: DocxDocument, size: float = 14) -> None:
    """A4, the margins of both layouts, Times New Roman everywhere (East Asian slot included)."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(0)


def line(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
) -> Paragraph:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def centred(container, text: str = "", **style) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return line(paragraph, text, **style) if text else paragraph


def rule_under(paragraph: Paragraph, indent_cm: float) -> None:
    """A short rule under a title line: a bottom border between indents."""
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(indent_cm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def fixed_widths(table, widths_cm) -> None:
    """Column widths that Word and LibreOffice both honour: grid, cells, no autofit."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def header(doc: DocxDocument, body: OrganisingBody, kind_code: str, on: date) -> None:
    """The two header columns, in the body's layout; the number is left for the clerk."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_widths(table, (7, 9.5))
    left, right = table.rows[0].cells
    party = body.layout == Layout.PARTY
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if body.parent_name:
        line(left.paragraphs[0], body.parent_name.upper(), size=13)
        centred(left, body.name.upper(), bold=True, size=13)
    else:
        line(left.paragraphs[0], body.name.upper(), bold=True, size=13)
    if party:
        centred(left, "*", size=13)
        centred(left, f"Số {BLANK_NUMBER}-{kind_code}/{body.symbol}", size=13)
        title = line(right.paragraphs[0], "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=14)
        rule_under(title, 1.0)
    else:
        centred(left, f"Số: {BLANK_NUMBER}/{kind_code}-{body.symbol}", size=13)
        line(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
        motto = centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
        rule_under(motto, 1.6)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred(right)
    centred(right, place_date_line(body.place_name, on), italic=True, size=14)

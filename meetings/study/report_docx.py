"""Báo cáo kết quả học tập, quán triệt (DOCX) in the organising body's layout: the letterhead
and page set-up of meetings.printing, the figures of a RoundResults.

Official text, so Vietnamese whatever the UI language. The clerk finishes it: the number, the
assessment and the signature are left blank.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from meetings.printing.docx import CELL, CELL_HEAD, append_xml, letterhead_xml, new_document
from meetings.printing.letterhead import build_letterhead
from meetings.study.report_text import summary_lines, unit_headers, unit_row
from meetings.study.results import RoundResults
from meetings.text import short_date

DOTS = "…" * 38
W = nsdecls("w")
TEXT_WIDTH_CM = 16.5  # A4 less the layout's margins (30 mm and 15 mm)


def results_docx(results: RoundResults, on: date) -> bytes:
    study = results.study
    doc = new_document()
    append_xml(doc, letterhead_xml(build_letterhead(study.body, "BC", None, on), 165))
    centred(doc)
    centred(doc, "BÁO CÁO", bold=True, size=15)
    centred(doc, f"Kết quả học tập, quán triệt {study.document.citation}", bold=True)
    if study.document.title:
        centred(doc, study.document.title, bold=True)
    centred(doc, "-----")
    signer = study.body.standing_committee_name or study.body.name
    _paragraph(
        doc,
        f"Thực hiện {study.document.citation}, {signer} báo cáo kết quả học tập, quán triệt "
        f"và viết bài thu hoạch (số liệu đến ngày {short_date(results.at.date())}) như sau:",
    )
    _paragraph(doc, "I. KẾT QUẢ CHUNG", bold=True)
    for text in summary_lines(results.total, results):
        _paragraph(doc, f"- {text}")
    _paragraph(doc, "II. KẾT QUẢ THEO ĐƠN VỊ", bold=True)
    _unit_table(doc, results)
    _paragraph(doc, "III. ĐÁNH GIÁ, ĐỀ XUẤT", bold=True)
    for _ in range(3):
        _paragraph(doc, DOTS, indent=False)
    _signature(doc, signer)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _unit_table(doc, results: RoundResults) -> None:
    """One row per unit, built as XML in one piece: python-docx's cell calls cost milliseconds
    a row, too slow for a city's thousand units."""
    headers = unit_headers(results)
    rows = [
        [str(i), u.unit.name if u.unit else "Khác", *unit_row(u.figures, results)]
        for i, u in enumerate(results.units, start=1)
    ]
    rows.append(["", "Tổng cộng", *unit_row(results.total, results)])
    fixed = [1.0, 0, 2.9, 1.1, 1.5, *[1.2] * len(results.grades), 1.3]
    fixed[1] = max(2.5, TEXT_WIDTH_CM - sum(fixed))
    widths = [round(cm * 567) for cm in fixed]  # twentieths of a point
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    header = "".join(_cell(h, w, CELL_HEAD) for h, w in zip(headers, widths, strict=True))
    body = [f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{header}</w:tr>"]
    for n, values in enumerate(rows, start=1):
        bold = n == len(rows)
        cells = "".join(
            _cell(v, w, CELL, bold, centre=i != 1)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )
        body.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    sides = "".join(
        f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    append_xml(
        doc,
        f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders>{sides}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>",
    )
    doc.add_paragraph()


def _cell(text: str, width: int, style: str, bold: bool = False, centre: bool = True) -> str:
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    align = '<w:jc w:val="center"/>' if centre else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style.replace(" ", "")}"/>{align}</w:pPr>'
        f'<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def _paragraph(doc, text: str, *, bold: bool = False, indent: bool = True):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.first_line_indent = Cm(1 if indent else 0)
    return line(paragraph, text, bold=bold)


def line(paragraph, text: str, *, bold=False, italic=False, size: float | None = None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def centred(container, text: str = "", **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    return line(paragraph, text, **style) if text else paragraph


def _signature(doc, signer: str) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    for column, width in zip(table.columns, (8, 8.5), strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    left, right = table.rows[0].cells
    line(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for recipient in ("- Cấp ủy cấp trên (để báo cáo),", "- Lưu Văn phòng."):
        line(left.add_paragraph(), recipient, size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    line(right.paragraphs[0], f"T/M {signer.upper()}", bold=True)
    centred(right, "(Ký, ghi rõ họ tên)", italic=True, size=12)

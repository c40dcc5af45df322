"""The report to the superior committee: "Báo cáo kết quả học tập, quán triệt …" (DOCX).

Official text, so Vietnamese whatever the UI language. The clerk finishes it: the number, the
assessment and the signature are left blank.
"""

from __future__ import annotations

import io
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from meetings.coverage.service import DocumentCoverage, Tally
from meetings.models import ConferenceStatus
from meetings.printing.closing import Recipients, Signature, on_behalf, position_in_body
from meetings.printing.docx import (
    CELL,
    CELL_HEAD,
    append_xml,
    closing_xml,
    letterhead_xml,
    new_document,
    recipients_xml,
    signature_xml,
)
from meetings.printing.letterhead import build_letterhead
from meetings.printing.typography import NB_HYPHEN, keep_symbols
from meetings.study.report_text import summary_lines
from meetings.study.results import RoundResults
from meetings.text import (
    attendance_share,
    format_number,
    format_percent,
    short_date,
)

CATEGORY_HEADERS = ("STT", "Thành phần", "Triệu tập", "Tham gia", "Tỷ lệ", "Tự nghiên cứu", "Chưa")
PENDING_HEADERS = ("STT", "Họ và tên", "Chức vụ, đơn vị", "Thành phần", "Lý do")
DOTS = "…" * 33  # one line of the A4 text width (with room for renderers)


def coverage_docx(coverage: DocumentCoverage, on: date, study: RoundResults | None = None) -> bytes:
    """`study`: the document's study round (meetings.study.results.study_summary), if any."""
    doc = new_document()
    append_xml(doc, letterhead_xml(build_letterhead(coverage.body, "BC", None, on), 165))
    _title(doc, coverage)
    _organisation(doc, coverage)
    _results(doc, coverage)
    if study is not None:
        _study_reports(doc, study)
    _pending(doc, coverage)
    _assessment(doc)
    _signature(doc, coverage)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _paragraph(doc, text: str = "", *, bold: bool = False, indent: bool = True):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(6)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return line(paragraph, text, bold=bold)


def _title(doc, coverage: DocumentCoverage) -> None:
    document = coverage.document
    centred(doc)
    centred(doc, "BÁO CÁO", bold=True, size=15)
    centred(doc, f"Kết quả học tập, quán triệt {document.citation}", bold=True)
    if document.title:
        centred(doc, document.title, bold=True)
    centred(doc, "-----")
    signer = coverage.body.standing_committee_name or coverage.body.name
    _paragraph(
        doc,
        f"Thực hiện {document.citation}, {signer} báo cáo kết quả tổ chức học tập, "
        "quán triệt như sau:",
    )


def _organisation(doc, coverage: DocumentCoverage) -> None:
    _paragraph(doc, "I. CÔNG TÁC TỔ CHỨC", bold=True)
    held = [c for c in coverage.conferences if c.conference.status == ConferenceStatus.HELD]
    for entry in held:
        conference = entry.conference
        place = f", tại {conference.venue.name}" if conference.venue else ""
        kind = " (học bù)" if conference.makeup_of_id else ""
        _paragraph(
            doc,
            f"- Ngày {short_date(conference.starts_at.date())}{place}: {conference.title}{kind}; "
            f"đại biểu được triệu tập có mặt {entry.phrase}.",
        )
    if not held:
        _paragraph(doc, "- Chưa tổ chức hội nghị.")


def _results(doc, coverage: DocumentCoverage) -> None:
    total = coverage.total
    _paragraph(doc, "II. KẾT QUẢ HỌC TẬP, QUÁN TRIỆT", bold=True)
    _paragraph(
        doc,
        f"Tổng số cán bộ, đảng viên thuộc diện triệu tập: {format_number(total.invited)}; "
        f"số trực tiếp dự hội nghị, học tập, quán triệt: {total.phrase}; số tự nghiên cứu, "
        f"có bài thu hoạch: {format_number(total.self_studied)}; số chưa học tập, quán triệt: "
        f"{format_number(total.pending)}.",
    )
    if total.represented_by_substitute:
        _paragraph(doc, substitutes_sentence(total.represented_by_substitute))
    _paragraph(doc, "Kết quả theo thành phần:")
    rows = [
        [str(i), line_.category.name if line_.category else "Khác", *_counts(line_.tally)]
        for i, line_ in enumerate(coverage.by_category, start=1)
    ]
    rows.append(["", "Tổng cộng", *_counts(total)])
    _table(doc, CATEGORY_HEADERS, rows, [1.2, 5.0, 2.1, 2.1, 2.1, 2.2, 1.8], bold_last=True)


def substitutes_sentence(count: int) -> str:
    """Why the report's figure can be lower than the minutes' "có mặt": in plain words."""
    return (
        f"Trong số chưa học tập, quán triệt có {format_number(count)} đồng chí vắng mặt và cử "
        "người dự thay: đơn vị của các đồng chí đã được quán triệt, nhưng bản thân các đồng "
        "chí chưa được quán triệt nên không tính vào số đã học tập (vì vậy số này có thể thấp "
        "hơn số có mặt ghi trong biên bản hội nghị); các đồng chí cần tham gia hội nghị học "
        "bù hoặc tự nghiên cứu, nộp bài thu hoạch."
    )


def _counts(tally: Tally) -> list[str]:
    rate = format_percent(attendance_share(tally.attended, tally.invited)) if tally.invited else "—"
    return [
        format_number(tally.invited),
        format_number(tally.attended),
        rate,
        format_number(tally.self_studied),
        format_number(tally.pending),
    ]


def _study_reports(doc, study: RoundResults) -> None:
    """The written reports (bài thu hoạch): briefed then means studied and reported."""
    _paragraph(doc, "Kết quả viết bài thu hoạch:")
    for text in summary_lines(study.total, study):
        _paragraph(doc, f"- {text}")
    _paragraph(
        doc,
        "- Số đã học tập và nộp bài thu hoạch (hoặc được miễn), trên tổng số được triệu tập: "
        f"{study.total.briefed_phrase}.",
    )


def _pending(doc, coverage: DocumentCoverage) -> None:
    _paragraph(doc, "III. DANH SÁCH CHƯA HỌC TẬP, QUÁN TRIỆT", bold=True)
    if not coverage.pending:
        _paragraph(doc, "Không có.")
        return
    rows = []
    for i, p in enumerate(coverage.pending, start=1):
        where = ", ".join(filter(None, [p.position, p.unit_name]))
        reason = p.reason or ""
        if p.substitute_came:
            reason = "; ".join(
                filter(None, [reason, "cử người dự thay (đơn vị đã được quán triệt)"])
            )
        rows.append([str(i), p.label, where, p.category_name or "", reason])
    _table(doc, PENDING_HEADERS, rows, [1.2, 4.0, 4.6, 3.8, 2.9])
    _paragraph(
        doc,
        "Đề nghị các đồng chí trên tham gia hội nghị học bù hoặc tự nghiên cứu, nộp bài thu hoạch.",
    )


def _assessment(doc) -> None:
    _paragraph(doc, "IV. ĐÁNH GIÁ, ĐỀ XUẤT", bold=True)
    for _ in range(3):
        _paragraph(doc, DOTS, indent=False)


def _signature(doc, coverage: DocumentCoverage) -> None:
    """Recipients on the left; on the right T/M the committee, the position, room to sign,
    the name: the chair of the latest conference held, whose committee reports."""
    body = coverage.body
    chair = coverage.latest_held.chair if coverage.latest_held else None
    position = position_in_body(chair.position if chair else None, body)
    signature = Signature(
        [on_behalf(body), *([position.upper()] if position else [])],
        chair.full_name if chair else "",
    )
    recipients = Recipients(body.layout, ["Cấp ủy cấp trên (để báo cáo)", "Lưu Văn phòng"])
    append_xml(doc, closing_xml(recipients_xml(recipients), signature_xml(signature), 9355, 0.4))


def _table(doc, headers, rows, widths_cm, bold_last: bool = False) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    # Cells take their own paragraph styles: the body's first-line indent and justification
    # would print "STT" as "S / TT" in a narrow column.
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].style = doc.styles[CELL_HEAD]
        line(cell.paragraphs[0], text, bold=True, size=12)
    for n, values in enumerate(rows, start=1):
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].style = doc.styles[CELL]
            line(cell.paragraphs[0], text, bold=bold_last and n == len(rows), size=12)
    fixed_widths(table, widths_cm)
    doc.add_paragraph()


def line(
    paragraph: Paragraph, text: str, *, bold=False, italic=False, size: float | None = None
) -> Paragraph:
    """A run of text; the hyphens of document symbols are Word's non-breaking ones."""
    run = paragraph.add_run()
    for n, part in enumerate(keep_symbols(text).split(NB_HYPHEN)):
        if n:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        if part:
            run.add_text(part)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def centred(container, text: str = "", **style) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    return line(paragraph, text, **style) if text else paragraph


def fixed_widths(table, widths_cm) -> None:
    """Column widths that Word and LibreOffice both honour: grid, cells, no autofit."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)

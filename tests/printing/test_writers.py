"""Read every written file back: the same text and numbers in PDF, DOCX, XLSX, CSV and HTML."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import docx
import openpyxl
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from meetings.conferences.service import load_conference
from meetings.printing.data import build_attendance, build_minutes
from meetings.printing.service import attendance_file, letters_file, minutes_file

MINUTES_TEXTS = [
    "BIÊN BẢN",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
    "QUẬN ỦY CẦU GIẤY",
    "ngày 15 tháng 9 năm 2023",
    "Chỉ thị số 24-CT/TU ngày 07/8/2023",
    "Kế hoạch số 133-KH/QU ngày 28/8/2023",
    "Trần Thị Phương Hoa",
    "hồi 08 giờ 00",
    "THƯ KÝ HỘI NGHỊ",
    "CHỦ TRÌ HỘI NGHỊ",
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Flatten line breaks: a wrapped phrase must still be found.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return " ".join(" ".join(parts).split())


def embedded_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    return fonts


def test_minutes_pdf_and_docx_contain_the_skeleton(seed):
    conference = load_conference(seed.id)
    minutes = build_minutes(conference)
    attendance = f"có mặt: {minutes.attendance}"
    for text in (
        pdf_text(minutes_file(conference, "pdf").content),
        docx_text(minutes_file(conference, "docx").content),
    ):
        for expected in [*MINUTES_TEXTS, attendance, "Lê Văn Bảy, Phó Bí thư, dự thay đ/c"]:
            assert expected in text
        assert f"Vắng mặt {minutes.invited - minutes.present} đồng chí" in text


def test_chair_can_sign_for_the_standing_committee(seed, client, login):
    login("clerk")
    response = client.post(
        f"/printing/conferences/{seed.id}/minutes/signer", data={"position": "Bí thư"}
    )
    assert response.status_code == 302
    conference = load_conference(seed.id)
    assert build_minutes(conference).sign_right.titles == ["T/M BAN THƯỜNG VỤ QUẬN ỦY", "BÍ THƯ"]
    for text in (
        pdf_text(minutes_file(conference, "pdf").content),
        docx_text(minutes_file(conference, "docx").content),
    ):
        assert "T/M BAN THƯỜNG VỤ QUẬN ỦY BÍ THƯ" in text
        assert "CHỦ TRÌ HỘI NGHỊ" not in text.replace("KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ", "")
    page = client.get(f"/printing/conferences/{seed.id}/minutes").get_data(as_text=True)
    assert "<div>T/M BAN THƯỜNG VỤ QUẬN ỦY</div><div>BÍ THƯ</div>" in page
    client.post(f"/printing/conferences/{seed.id}/minutes/signer", data={"position": ""})
    assert build_minutes(load_conference(seed.id)).sign_right.titles == ["CHỦ TRÌ HỘI NGHỊ"]


def test_pdf_embeds_its_fonts(seed):
    conference = load_conference(seed.id)
    for file in (minutes_file(conference, "pdf"), attendance_file(conference, "pdf")):
        assert embedded_fonts(file.content) >= {"LiberationSerif", "LiberationSerif-Bold"}


def test_minutes_docx_uses_word_styles_a4_and_times(seed):
    document = docx.Document(io.BytesIO(minutes_file(load_conference(seed.id), "docx").content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Document Title", "Section Heading", "Normal", "List Line"} <= styles
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    title = next(p for p in document.paragraphs if p.text == "BIÊN BẢN")
    assert title.style.name == "Document Title" and title.style.font.bold


def _sheet_counts(text: str) -> list[str]:
    return re.findall(r"\d+/\d+", text)


def test_attendance_same_numbers_in_every_format(seed):
    conference = load_conference(seed.id)
    book = build_attendance(conference)
    total = book.total_line()
    subtotals = [book.subtotal(g) for g in book.sheets[0].groups]
    pdf = pdf_text(attendance_file(conference, "pdf").content)
    word = docx_text(attendance_file(conference, "docx").content)
    workbook = openpyxl.load_workbook(io.BytesIO(attendance_file(conference, "xlsx").content))
    cells = [
        str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c is not None
    ]
    rows = list(
        csv.reader(io.StringIO(attendance_file(conference, "csv").content.decode("utf-8-sig")))
    )
    flat = " ".join(" ".join(r) for r in rows)
    for text in (pdf, word, " ".join(cells), flat):
        assert total in text
        for subtotal in subtotals:
            assert subtotal in text
        assert "Đặng Thị Ánh" in text and "Quét QR tại cửa" in text
    present_rows = [r for r in rows[1:] if len(r) > 5 and r[5]]
    assert len(present_rows) == book.present + book.walk_ins
    assert "Trang 1/" in pdf


def test_attendance_docx_repeats_its_header_row(seed):
    document = docx.Document(
        io.BytesIO(attendance_file(load_conference(seed.id), "docx", before=True).content)
    )
    sheet = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    first = sheet.rows[0]
    assert [c.text for c in first.cells] == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ký tên"]
    assert (
        first._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )


def test_spreadsheet_exports_neutralise_formulas(seed):
    from sqlalchemy import select

    from meetings.extensions import db
    from meetings.models import Invitation

    invitation = db.session.scalars(select(Invitation).filter_by(conference_id=seed.id)).first()
    invitation.person.position = '=HYPERLINK("http://evil")'
    db.session.flush()
    conference = load_conference(seed.id)
    workbook = openpyxl.load_workbook(io.BytesIO(attendance_file(conference, "xlsx").content))
    cells = {c.value: c for row in workbook.active.iter_rows() for c in row if c.value}
    evil = cells['=HYPERLINK("http://evil")']  # as typed: nothing visible added
    assert evil.data_type == "s" and evil.quotePrefix
    assert "'=HYPERLINK" in attendance_file(conference, "csv").content.decode("utf-8-sig")


def _decode_pages(content: bytes, tmp_path, pages: int) -> list[str]:
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-l", str(pages), str(pdf), str(tmp_path / "p")],
        check=True,
    )
    found = []
    for png in sorted(tmp_path.glob("p-*.png")):
        results = zxingcpp.read_barcodes(Image.open(png))
        found += [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def test_letter_qr_codes_decode_to_the_personal_links(seed, tmp_path):
    from meetings.printing.data import build_letters

    conference = load_conference(seed.id)
    batch = build_letters(conference)
    file = letters_file(conference, "pdf")
    reader = PdfReader(io.BytesIO(file.content))
    assert len(reader.pages) == len(batch.letters)
    assert _decode_pages(file.content, tmp_path, 2) == [letter.url for letter in batch.letters[:2]]
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "GIẤY MỜI",
        f"Trân trọng kính mời: {batch.letters[0].addressee[:30]}",
        "-GM/QU",
        batch.letters[0].short_code[:4],
    ):
        assert expected in text
    embedded_fonts(file.content)


def test_letter_docx_pictures_decode(seed, tmp_path):
    from meetings.printing.data import build_letters

    conference = load_conference(seed.id)
    batch = build_letters(conference, category_id=None)
    document = docx.Document(io.BytesIO(letters_file(conference, "docx").content))
    images = [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(images) == len(batch.letters)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0])))
    assert decoded[0].text in {letter.url for letter in batch.letters}
    assert docx_text(letters_file(conference, "docx").content).count("GIẤY MỜI") == len(
        batch.letters
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_letters_of_one_category(seed, fmt):
    from meetings.printing.data import build_letters, categories_of

    conference = load_conference(seed.id)
    first = categories_of(conference.body_id)[0]
    batch = build_letters(conference, first.id)
    assert len(batch.letters) == 2  # three invitees; the chair signs the letters
    content = letters_file(conference, fmt, first.id).content
    text = pdf_text(content) if fmt == "pdf" else docx_text(content)
    assert text.count("GIẤY MỜI") == 2

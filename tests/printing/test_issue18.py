"""The papers to the letter (issue 18): one set of figures everywhere, the closing parts, pages
and words, content. Files are read back with python-docx, openpyxl and pypdf."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta

import docx
import openpyxl
from pypdf import PdfReader

from meetings.checkin.attendance import attendance
from meetings.clock import now
from meetings.conferences.service import load_conference
from meetings.extensions import db
from meetings.models import CheckIn, CheckInMethod, Layout, Rsvp
from meetings.printing.blocks import minutes_blocks
from meetings.printing.closing import Recipients, on_behalf, position_in_body
from meetings.printing.data import (
    ANNEX_THRESHOLD,
    build_attendance,
    build_letters,
    build_minutes,
    end_phrase,
)
from meetings.printing.docx import CELL, new_document
from meetings.printing.letterhead import Letterhead
from meetings.printing.service import attendance_file, letters_file, minutes_file
from meetings.printing.typography import NB_HYPHEN, keep_symbols
from tests.factories import (
    make_category,
    make_checkin,
    make_conference,
    make_invitation,
    make_person,
)
from tests.printing.test_writers import docx_text, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- One set of figures ---------------------------------------------------------------------


def test_every_page_and_paper_gives_the_same_figure(seed):
    """The seed: 30 of 84 invitations checked in (one by a substitute) and a walk-in."""
    conference = load_conference(seed.id)
    expected = "30/84, đạt 35,71% (trong đó 1 đồng chí dự thay)"
    live = attendance(conference)
    assert (live.present, live.invited, len(live.walk_ins)) == (30, 84, 1)  # not 31/85
    assert live.phrase == expected
    assert build_attendance(conference).total == expected
    assert build_minutes(conference).attendance == expected
    minutes = pdf_text(minutes_file(conference, "pdf").content)
    assert f"có mặt: {expected}" in minutes
    for fmt in ("pdf", "docx"):
        content = attendance_file(conference, fmt).content
        assert expected in (pdf_text(content) if fmt == "pdf" else docx_text(content))
    rows = csv.reader(io.StringIO(attendance_file(conference, "csv").content.decode("utf-8-sig")))
    assert any(expected in " ".join(r) for r in rows)


# --- Signatures and closing parts ------------------------------------------------------------


def _pdf_lines(content: bytes, page: int) -> list[tuple[float, str]]:
    """(y, text) of every text run on a page, top of the page first."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[5] * cm[3] + cm[5], text.strip()))

    PdfReader(io.BytesIO(content)).pages[page].extract_text(visitor_text=visit)
    return sorted(found, reverse=True)


def test_the_minutes_pdf_leaves_room_to_sign(seed):
    conference = load_conference(seed.id)
    conference.minutes_signer_position = "Bí thư"
    content = minutes_file(conference, "pdf").content
    last = len(PdfReader(io.BytesIO(content)).pages) - 1
    lines = _pdf_lines(content, last)
    y = {text: at for at, text in lines}
    gap_mm = (y["BÍ THƯ"] - y["Trần Thị Phương Hoa"]) * 25.4 / 72
    assert gap_mm >= 30
    assert y["Trần Thị Phương Hoa"] == y[conference.secretary.full_name]  # names level
    assert "Nơi nhận:" in y


def test_letters_carry_the_signers_position_and_recipients(seed):
    conference = load_conference(seed.id)
    batch = build_letters(conference)
    assert batch.signature.titles == ["T/M BAN THƯỜNG VỤ QUẬN ỦY", "BÍ THƯ"]
    assert batch.signature.name == "Trần Thị Phương Hoa"
    assert batch.recipients.lines == ["- Như thành phần mời,", "- Lưu Văn phòng."]
    for fmt in ("pdf", "docx"):
        content = letters_file(conference, fmt).content
        text = pdf_text(content) if fmt == "pdf" else docx_text(content)
        assert "T/M BAN THƯỜNG VỤ QUẬN ỦY BÍ THƯ" in text
        assert "Nơi nhận:" in text and "- Như thành phần mời," in text
    conference.letters_signer_position = "Phó Bí thư Thường trực"
    conference.letters_recipients = "Như trên\nLưu VP"
    batch = build_letters(conference)
    assert batch.signature.titles[1] == "PHÓ BÍ THƯ THƯỜNG TRỰC"
    assert batch.recipients.lines == ["- Như trên,", "- Lưu VP."]


def test_the_chair_who_signs_gets_no_letter_and_units_are_not_repeated(seed):
    conference = load_conference(seed.id)
    addressees = [letter.addressee for letter in build_letters(conference).letters]
    assert not any("Trần Thị Phương Hoa" in a for a in addressees)
    chien = next(a for a in addressees if "Nguyễn Văn Chiến" in a)
    assert chien == "đồng chí Nguyễn Văn Chiến, Phó Bí thư Thường trực Quận ủy, Chủ tịch HĐND quận"


def test_the_letters_date_is_the_issue_date_never_the_printing_day(seed):
    conference = load_conference(seed.id)  # held in 2023, letters never issued
    assert build_letters(conference).letterhead.place_date.endswith("năm 2023")
    assert "ngày\u00a0" in build_letters(conference).letterhead.place_date  # blank for the pen
    conference.letters_date = date(2023, 9, 8)
    assert build_letters(conference).letterhead.place_date == "Cầu Giấy, ngày 08 tháng 9 năm 2023"
    future = make_conference(starts_at=now() + timedelta(days=10))
    assert (
        build_letters(future).letterhead.place_date.endswith(f"năm {now().year}")
        and f"ngày {now().day:02d}" in build_letters(future).letterhead.place_date
    )


def test_the_attendance_sheet_ends_with_a_certifying_block(seed):
    conference = load_conference(seed.id)
    book = build_attendance(conference)
    assert [s.titles for s in book.certify] == [
        ["NGƯỜI LẬP BIỂU", ""],
        ["XÁC NHẬN CỦA", "CHỦ TRÌ HỘI NGHỊ"],
    ]
    for fmt in ("pdf", "docx"):
        content = attendance_file(conference, fmt).content
        text = pdf_text(content) if fmt == "pdf" else docx_text(content)
        assert "NGƯỜI LẬP BIỂU" in text and "XÁC NHẬN CỦA" in text
    sheet = openpyxl.load_workbook(io.BytesIO(attendance_file(conference, "xlsx").content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "NGƯỜI LẬP BIỂU" in values and "Trần Thị Phương Hoa" in values


def test_recipients_punctuation_follows_the_layout():
    party = Recipients(Layout.PARTY, ["Thường trực Quận ủy", "- Lưu Văn phòng;"])
    assert party.lines == ["- Thường trực Quận ủy,", "- Lưu Văn phòng."]
    state = Recipients(Layout.STATE, ["Như trên", "Lưu: VT"])
    assert state.lines == ["- Như trên;", "- Lưu: VT."]


def test_signer_position_and_capacity(seed):
    body = load_conference(seed.id).body
    assert position_in_body("Thành ủy viên, Bí thư Quận ủy", body) == "Bí thư"
    assert position_in_body("Chánh Văn phòng", body) == "Chánh Văn phòng"
    assert on_behalf(body) == "T/M BAN THƯỜNG VỤ QUẬN ỦY"
    body.layout, body.standing_committee_name = Layout.STATE, None
    body.name = "Ủy ban nhân dân quận Cầu Giấy"
    assert on_behalf(body) == "TM. ỦY BAN NHÂN DÂN"


# --- Pages and words ------------------------------------------------------------------------


def test_minutes_docx_numbers_pages_from_two_at_the_top_in_vietnamese(seed):
    content = minutes_file(load_conference(seed.id), "docx").content
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert 'instr="PAGE"' in section.header._element.xml.replace("w:instr", "instr")
    assert not section.first_page_header.paragraphs[0].text
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        styles = package.read("word/styles.xml").decode()
        body = package.read("word/document.xml").decode()
    assert 'w:val="vi-VN"' in styles and "en-US" not in styles
    assert "<w:noBreakHyphen/>" in body  # "133‑KH/QU" never breaks at its hyphen


def test_symbols_keep_their_hyphen_and_the_text_stays_searchable(seed):
    assert keep_symbols("Kế hoạch số 133-KH/QU - và 30/2020/NĐ-CP") == (
        f"Kế hoạch số 133{NB_HYPHEN}KH/QU - và 30/2020/NĐ{NB_HYPHEN}CP"
    )
    minutes = build_minutes(load_conference(seed.id))
    assert any(f"133{NB_HYPHEN}KH/QU" in text for _, text in minutes_blocks(minutes))
    # The PDF draws a plain hyphen (its font has no U+2011) and never breaks there.
    pdf = pdf_text(minutes_file(load_conference(seed.id), "pdf").content)
    assert "Kế hoạch số 133-KH/QU" in pdf


def test_state_letterhead_column_fits_or_breaks_deliberately():
    head = Letterhead(Layout.STATE, None, "ỦY BAN NHÂN DÂN QUẬN CẦU GIẤY", None, "Cầu Giấy, …")
    assert [t for t, s in head.left if s == "bold"] == ["ỦY BAN NHÂN DÂN", "QUẬN CẦU GIẤY"]
    short = Letterhead(Layout.STATE, None, "ỦY BAN NHÂN DÂN", None, "Cầu Giấy, …")
    assert [t for t, s in short.left if s == "bold"] == ["ỦY BAN NHÂN DÂN"]
    assert 0.35 < head.split < 0.5


def test_attendance_xlsx_prints_and_keeps_times(seed):
    content = attendance_file(load_conference(seed.id), "xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    header = int(sheet.print_title_rows.split(":")[0].strip("$"))
    assert sheet.cell(header, 3).value == "Họ và tên"
    assert sheet["A1"].value == "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"
    assert sheet["A1"].font.name == "Times New Roman"
    assert sheet.cell(header, 6).value == "Giờ đến"
    times = [c for row in sheet.iter_rows(min_row=header + 1) for c in row if c.column == 6]
    arrived = [c for c in times if c.value not in (None, "")]
    assert arrived and all(isinstance(c.value, time) for c in arrived)
    assert arrived[0].number_format == "hh:mm"


def test_table_cells_have_their_own_style():
    """No first-line indent, no justification: "STT" never prints as "S / TT"."""
    style = new_document().styles[CELL]
    assert style.paragraph_format.first_line_indent == 0
    assert style.paragraph_format.alignment == 0  # left


# --- Content --------------------------------------------------------------------------------


def test_the_end_after_midnight_gives_its_date():
    start = datetime(2023, 9, 15, 20, 0)
    assert end_phrase(start, datetime(2023, 9, 15, 23, 0)) == "23 giờ 00 cùng ngày"
    assert end_phrase(start, datetime(2023, 9, 16, 1, 0)) == ("01 giờ 00, ngày 16 tháng 9 năm 2023")


def test_list_items_end_with_a_full_stop(seed):
    blocks = minutes_blocks(build_minutes(load_conference(seed.id)))
    runs: list[list[str]] = [[]]
    for kind, text in blocks:
        if kind == "item":
            runs[-1].append(text)
        elif runs[-1]:
            runs.append([])
    for run in (r for r in runs if r):
        assert run[-1].endswith(".") and all(t.endswith(";") for t in run[:-1])


def test_many_absentees_go_to_an_annex(db_session):
    conference = make_conference()
    category = make_category(conference.body)
    invitations = [
        make_invitation(conference, make_person(conference.body, [category]), category=category)
        for _ in range(ANNEX_THRESHOLD + 5)
    ]
    make_checkin(invitations[0])
    invitations[1].rsvp, invitations[1].absence_reason = Rsvp.EXCUSED, "Đi công tác"
    db.session.flush()
    minutes = build_minutes(load_conference(conference.id))
    assert minutes.absentees == [] and len(minutes.annex) == ANNEX_THRESHOLD + 4
    assert minutes.reasons == [("Đi công tác", 1), ("Không có lý do", ANNEX_THRESHOLD + 3)]
    text = [t for _, t in minutes_blocks(minutes)]
    assert any("danh sách tại Phụ lục kèm theo biên bản" in t for t in text)
    assert "- Đi công tác: 1 đồng chí;" in text
    pdf = pdf_text(minutes_file(load_conference(conference.id), "pdf").content)
    assert "PHỤ LỤC" in pdf and "DANH SÁCH ĐẠI BIỂU VẮNG MẶT" in pdf
    document = docx.Document(
        io.BytesIO(minutes_file(load_conference(conference.id), "docx").content)
    )
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == [
        "STT",
        "Họ và tên",
        "Chức vụ",
        "Đơn vị",
        "Lý do vắng",
    ]
    assert len(annex.rows) == ANNEX_THRESHOLD + 5
    assert annex.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None


def test_walk_ins_never_enter_the_live_totals(db_session):
    conference = make_conference()
    invitation = make_invitation(conference, make_person(conference.body))
    make_checkin(invitation, substitute_name="Lê Văn Phó", substitute_position="Phó Bí thư")
    db.session.add(
        CheckIn(
            conference_id=conference.id,
            method=CheckInMethod.DESK,
            checked_in_at=now(),
            walk_in_name="Khách",
        )
    )
    db.session.flush()
    live = attendance(load_conference(conference.id))
    assert (live.present, live.invited) == (1, 1)
    assert live.phrase == "1/1, đạt 100% (trong đó 1 đồng chí dự thay)"
    assert [a.name for a in live.walk_ins] == ["Khách"]  # listed apart

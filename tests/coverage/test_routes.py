"""The coverage pages over HTTP: permissions, make-up buttons, exports read back, CLI, queries."""

import io
from contextlib import contextmanager
from datetime import datetime

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook
from sqlalchemy import event, insert, select

from meetings.extensions import db
from meetings.models import (
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceStatus,
    Invitation,
    Person,
    Role,
    SelfStudy,
    new_token,
)
from meetings.printing.letterhead import BLANK_NUMBER
from meetings.text import make_short_code
from tests import factories as f


@pytest.fixture
def held():
    """A held conference on a document: one came, one excused, one sent a substitute."""
    body = f.make_body(name="Quận ủy Thử", place_name="Cầu Giấy", symbol="QU")
    category = f.make_category(body, name="Ban Thường vụ Quận ủy", protocol_order=1)
    unit = f.make_unit(body, name="Phường Dịch Vọng")
    document = f.make_document(symbol="24-CT/TU", kind="Chỉ thị")
    conference = f.make_conference(
        body, documents=[document], starts_at=datetime(2023, 9, 15, 8), venue=f.make_venue()
    )
    came = f.make_invitation(conference, f.make_person(body, unit=unit), category=category)
    excused = f.make_invitation(
        conference,
        f.make_person(body, full_name="Đặng Văn Vắng", unit=unit),
        category=category,
        absence_reason="Đi công tác",
    )
    sent = f.make_invitation(
        conference, f.make_person(body, full_name="Bùi Thị Bận"), category=category
    )
    f.hold(conference, [came])
    f.make_checkin(sent, substitute_name="=Lê Dự Thay", substitute_position="Phó Bí thư")
    return dict(body=body, doc=document, conf=conference, excused=excused, sent=sent)


def page_url(h, suffix=""):
    return f"/coverage/bodies/{h['body'].id}/documents/{h['doc'].id}{suffix}"


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.CLERK, Role.ADMIN])
def test_readers_see_the_document_page(client, login, held, role):
    login(role)
    html = client.get(page_url(held)).get_data(as_text=True)
    assert "1/3, đạt 33,33%" in html
    assert "Đặng Văn Vắng" in html and "Đi công tác" in html
    assert "Bùi Thị Bận" in html and "=Lê Dự Thay" in html
    assert ("schedule-makeup" in html) == (role != Role.CLERK)
    assert "24-CT/TU" in client.get("/coverage/").get_data(as_text=True)


def test_door_staff_are_refused(client, login, held):
    login(Role.DOOR)
    for url in ("/coverage/", page_url(held), page_url(held, ".xlsx"), page_url(held, ".docx")):
        assert client.get(url).status_code == 403, url
    assert client.post(page_url(held, "/makeup")).status_code == 403
    assert client.get(f"/coverage/conferences/{held['conf'].id}/makeup").status_code == 403


def test_a_clerk_reads_but_cannot_schedule_or_record(client, login, held):
    login(Role.CLERK)
    assert client.get(page_url(held, ".xlsx")).status_code == 200
    assert client.post(page_url(held, "/makeup")).status_code == 403
    person = held["excused"].person_id
    assert client.get(page_url(held, f"/self-study/{person}")).status_code == 403
    html = client.get(f"/conferences/{held['conf'].id}").get_data(as_text=True)
    assert "Lên lịch học bù" not in html


def _latest_conference() -> Conference:
    return db.session.scalar(select(Conference).order_by(Conference.id.desc()).limit(1))


def test_the_secretariat_schedules_a_makeup_from_the_document_page(client, login, held):
    login(Role.SECRETARIAT)
    response = client.post(page_url(held, "/makeup"))
    makeup = _latest_conference()
    assert makeup.makeup_of_id == held["conf"].id and makeup.status == ConferenceStatus.DRAFT
    assert response.headers["Location"].endswith(f"/conferences/{makeup.id}")
    invited = db.session.scalars(select(Invitation.person_id).filter_by(conference_id=makeup.id))
    assert set(invited) == {held["excused"].person_id, held["sent"].person_id}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "học bù lần 1" in page and "2 đại biểu chưa được quán triệt" in page


def test_the_conference_page_offers_the_makeup_and_asks_first(client, login, held):
    login(Role.SECRETARIAT)
    conference_page = client.get(f"/conferences/{held['conf'].id}").get_data(as_text=True)
    assert "Lên lịch học bù" in conference_page
    confirm = client.get(f"/coverage/conferences/{held['conf'].id}/makeup").get_data(as_text=True)
    assert "mời 2 đại biểu" in confirm
    before = _latest_conference().id
    response = client.post(f"/coverage/conferences/{held['conf'].id}/makeup")
    assert response.status_code == 302 and _latest_conference().id == before + 1


def test_no_makeup_from_a_conference_not_held(client, login, held):
    login(Role.SECRETARIAT)
    draft = f.make_conference(held["body"], documents=[held["doc"]])
    before = _latest_conference().id
    page = client.get(f"/coverage/conferences/{draft.id}/makeup").get_data(as_text=True)
    assert "chưa được tổ chức" in page
    client.post(f"/coverage/conferences/{draft.id}/makeup")
    assert _latest_conference().id == before


def test_the_coverage_button_of_a_conference_leads_to_its_document(client, login, held):
    login(Role.CLERK)
    response = client.get(f"/coverage/conferences/{held['conf'].id}")
    assert response.headers["Location"].endswith(page_url(held))


def test_the_coverage_button_of_a_conference_lists_its_documents(client, login, held):
    other = f.make_document(kind="Kế hoạch", symbol="133-KH/QU")
    both = f.make_conference(held["body"], documents=[held["doc"], other])
    f.make_invitation(both, held["excused"].person)
    login(Role.CLERK)
    html = client.get(f"/coverage/conferences/{both.id}").get_data(as_text=True)
    assert "Chỉ thị số 24-CT/TU" in html and "Kế hoạch số 133-KH/QU" in html
    assert "0/1, đạt 0%" in html and "1/3, đạt 33,33%" in html


def test_recording_self_study(client, login, held):
    login(Role.SECRETARIAT)
    person = held["excused"].person_id
    form = client.get(page_url(held, f"/self-study/{person}")).get_data(as_text=True)
    assert "Đặng Văn Vắng" in form
    response = client.post(
        page_url(held, f"/self-study/{person}"),
        data={"report_received_on": "2023-09-25", "note": " Bài thu hoạch đạt "},
    )
    assert response.status_code == 302
    study = db.session.scalar(select(SelfStudy).filter_by(person_id=person))
    assert (study.report_received_on.isoformat(), study.note) == ("2023-09-25", "Bài thu hoạch đạt")
    html = client.get(page_url(held)).get_data(as_text=True)
    assert 'id="coverage-self-study">1<' in html
    other_body_person = f.make_person()
    assert client.get(page_url(held, f"/self-study/{other_body_person.id}")).status_code == 404


def test_the_spreadsheet_reads_back(client, login, held):
    held["sent"].absence_reason = '=HYPERLINK("http://x")'
    login(Role.CLERK)
    response = client.get(page_url(held, ".xlsx"))
    assert "quan-triet-24-CT-TU.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Theo thành phần", "Theo đơn vị", "Chưa quán triệt", "Hội nghị"]
    rows = list(book["Theo thành phần"].values)
    assert rows[0][:5] == ("#", "Thành phần", "Được mời", "Tham dự", "Tỷ lệ tham dự")
    assert rows[1] == (1, "Ban Thường vụ Quận ủy", 3, 1, "1/3, đạt 33,33%", 0, 2)
    assert rows[-1][1:] == ("Tổng cộng", 3, 1, "1/3, đạt 33,33%", 0, 2)
    pending = {row[1]: row for row in list(book["Chưa quán triệt"].values)[1:]}
    assert pending["Đặng Văn Vắng"][5] == "Đi công tác"
    assert pending["Bùi Thị Bận"][6] == "có"
    assert pending["Bùi Thị Bận"][5] == '=HYPERLINK("http://x")'  # as typed, yet inert:
    cell = next(
        c
        for row in book["Chưa quán triệt"].iter_rows()
        for c in row
        if c.value == ('=HYPERLINK("http://x")')
    )
    assert cell.data_type == "s" and cell.quotePrefix  # a text cell, never a formula
    conferences = list(book["Hội nghị"].values)
    assert conferences[1][2:4] == ("15/09/2023 08:00", "Đã tổ chức")


def test_the_report_reads_back_in_the_party_layout(client, login, held):
    login(Role.CLERK)
    response = client.get(page_url(held, ".docx"))
    doc = read_docx(io.BytesIO(response.data))
    header = doc.tables[0].rows[0].cells
    left = [p.text for p in header[0].paragraphs]
    right = [p.text for p in header[1].paragraphs]
    blank = BLANK_NUMBER  # the clerk writes the number when the report is registered
    assert left == ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "QUẬN ỦY THỬ", "*", f"Số {blank}-BC/QU"]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right[-1].startswith("Cầu Giấy, ngày ")
    assert header[1].paragraphs[-1].runs[0].italic
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text
    assert "Kết quả học tập, quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023" in text
    assert "số trực tiếp dự hội nghị, học tập, quán triệt: 1/3, đạt 33,33%" in text
    assert "đơn vị của các đồng chí đã được quán triệt" in text  # the substitute, in words
    by_category = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    # Cells have their own styles: no first-line indent, so "STT" never splits as "S / TT".
    header_style = doc.tables[1].rows[0].cells[0].paragraphs[0].style.name
    assert (header_style, doc.tables[1].rows[1].cells[0].paragraphs[0].style.name) == (
        "Table Heading",
        "Table Text",
    )
    signature = [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs]
    assert (
        signature[0].startswith("T/M BAN THƯỜNG VỤ")
        and "Nơi nhận:" in doc.tables[-1].rows[0].cells[0].paragraphs[0].text
    )
    assert by_category[1] == ["1", "Ban Thường vụ Quận ủy", "3", "1", "33,33%", "0", "2"]
    pending = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert ["2", "Đặng Văn Vắng"] in [row[:2] for row in pending] or any(
        row[1] == "Đặng Văn Vắng" and row[4] == "Đi công tác" for row in pending
    )
    assert any(row[1] == "Bùi Thị Bận" and "cử người dự thay" in row[4] for row in pending)
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_the_cli_prints_total_and_categories(app, held):
    result = app.test_cli_runner().invoke(args=["coverage", "24-ct/tu"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "Total\t1/3, đạt 33,33%\tself-study: 0\tnot yet: 2"
    assert lines[2].startswith("Ban Thường vụ Quận ủy\t1/3, đạt 33,33%")
    missing = app.test_cli_runner().invoke(args=["coverage", "999-XX/YY"])
    assert missing.exit_code != 0 and "no document" in missing.output


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_invitees(h, n: int, checked_in: int) -> None:
    """Bulk rows in several units and categories, some checked in, some self-studied."""
    body, conference = h["body"], h["conf"]
    units = [f.make_unit(body) for _ in range(3)]
    categories = [f.make_category(body) for _ in range(3)]
    first = (db.session.scalar(select(db.func.max(Person.id))) or 0) + 1
    db.session.execute(
        insert(Person),
        [
            dict(
                body_id=body.id,
                full_name=f"Phạm Văn Số {i}",
                unit_id=units[i % 3].id,
                search_text="",
                created_at=datetime(2023, 1, 1),
            )
            for i in range(n)
        ],
    )
    people = db.session.scalars(select(Person.id).where(Person.id >= first)).all()
    db.session.execute(
        insert(Invitation),
        [
            dict(
                conference_id=conference.id,
                person_id=pid,
                category_id=categories[i % 3].id,
                token=new_token(),
                short_code=make_short_code(),
                deputy_allowed=False,
                created_at=datetime(2023, 1, 1),
            )
            for i, pid in enumerate(people)
        ],
    )
    ids = db.session.scalars(
        select(Invitation.id).where(Invitation.person_id.in_(people)).limit(checked_in)
    ).all()
    db.session.execute(
        insert(CheckIn),
        [
            dict(conference_id=conference.id, invitation_id=i, method=CheckInMethod.DOOR)
            for i in ids
        ],
    )
    f.make_self_study(db.session.get(Person, people[-1]), h["doc"])


def test_the_page_runs_the_same_number_of_queries_whatever_the_data(client, login, held):
    login(Role.SECRETARIAT)
    with counted_queries() as small:
        assert client.get(page_url(held)).status_code == 200
    _add_invitees(held, 300, checked_in=200)
    with counted_queries() as large:
        html = client.get(page_url(held)).get_data(as_text=True)
    assert "201/303, đạt 66,34%" in html
    assert len(large) == len(small) <= 15


def test_thousands_are_dotted_on_the_page(client, login, held):
    _add_invitees(held, 1197, checked_in=1197)
    login(Role.CLERK)
    html = client.get(page_url(held)).get_data(as_text=True)
    # 1.198 of 1.200 is 99,8333…%: rounded down, never up.
    assert "1.198/1.200, đạt 99,83%" in html

"""The study pages over HTTP: the personal link, roles and reviewer scope, the reports read
back with python-docx and openpyxl, the CLI."""

import io
from datetime import datetime, timedelta

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook

from meetings.clock import now
from meetings.models import Role, StudyRound
from meetings.study.service import exempt, grade, set_reviewers, submit, versions
from tests import factories as f
from tests.conftest import make_test_app

BEFORE = datetime(2023, 10, 1, 9)


@pytest.fixture
def open_world(world):
    world["study"].deadline = now() + timedelta(days=3)
    return world


def _link(world, key="came"):
    return f"/s/{world['invitations'][key].token}"


# --- The personal link ---------------------------------------------------------------------------


def test_the_invitation_page_links_to_the_report_only_for_those_who_hand_one_in(client, world):
    came = client.get(f"/c/{world['invitations']['came'].token}").get_data(as_text=True)
    assert f'href="{_link(world)}"' in came
    other = f.make_invitation(f.make_conference(world["body"]))  # no round on its documents
    assert 'id="study-link"' not in client.get(f"/c/{other.token}").get_data(as_text=True)


def test_the_invitee_hands_in_text_then_a_file_with_no_login(client, open_world):
    w = open_world
    page = client.get(_link(w)).get_data(as_text=True)
    assert "Nguyễn Văn Đến" in page and "24-CT/TU" in page and 'name="body_text"' in page
    response = client.post(
        _link(w), data={"round_id": w["study"].id, "body_text": "Bài thu hoạch đầu"}
    )
    assert response.status_code == 302
    response = client.post(
        _link(w),
        data={"round_id": w["study"].id, "upload": (io.BytesIO(b"%PDF-1.4 bai"), "bai.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    kept = versions(w["study"], w["came"])
    assert [v.version for v in kept] == [2, 1] and kept[0].file_name == "bai.pdf"
    assert kept[1].body_text == "Bài thu hoạch đầu"
    page = client.get(_link(w)).get_data(as_text=True)
    assert "Đã nộp: bản 2" in page and "Các bản trước (1)" in page
    download = client.get(f"{_link(w)}/files/{kept[0].id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 bai"


def test_the_text_is_stored_in_nfc(client, open_world):
    w = open_world
    client.post(
        _link(w),
        data={"round_id": w["study"].id, "body_text": "Tie\u0302\u0301ng Vie\u0302\u0323t"},
    )
    assert versions(w["study"], w["came"])[0].body_text == "Tiếng Việt"


def test_a_wrong_file_or_an_empty_report_is_refused_and_nothing_kept(client, open_world):
    w = open_world
    wrong = client.post(
        _link(w),
        data={"round_id": w["study"].id, "upload": (io.BytesIO(b"MZ..."), "bai.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "PDF" in wrong
    empty = client.post(
        _link(w), data={"round_id": w["study"].id, "body_text": "  "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Hãy nhập bài thu hoạch" in empty
    assert versions(w["study"], w["came"]) == []


def test_after_the_deadline_the_page_is_read_only(client, world):
    page = client.get(_link(world)).get_data(as_text=True)
    assert 'name="body_text"' not in page and "Không nộp bài trước hạn" in page
    client.post(_link(world), data={"round_id": world["study"].id, "body_text": "Muộn"})
    assert versions(world["study"], world["came"]) == []


def test_the_link_shows_only_its_own_person_and_files(client, open_world):
    w = open_world
    other = submit(w["study"], w["came_b"], "Bài của người khác", upload=("b.pdf", b"%PDF-1 b"))
    assert client.get(f"{_link(w)}/files/{other.id}").status_code == 404
    assert "Bài của người khác" not in client.get(_link(w)).get_data(as_text=True)
    assert client.get("/s/not-a-token").status_code == 404
    nothing = client.get(_link(w, "absent")).get_data(as_text=True)
    assert "không có bài thu hoạch nào phải nộp" in nothing


def test_an_exempted_person_sees_why(client, open_world):
    exempt(open_world["study"], open_world["came"], "Đảng viên cao tuổi được miễn")
    page = client.get(_link(open_world)).get_data(as_text=True)
    assert "Đảng viên cao tuổi được miễn" in page and 'name="body_text"' not in page


# --- Staff pages ---------------------------------------------------------------------------------


def test_door_staff_see_nothing(client, login, world):
    login(Role.DOOR)
    for url in ("/study/", f"/study/{world['study'].id}", f"/study/{world['study'].id}/people"):
        assert client.get(url).status_code == 403, url


def test_a_reviewer_sees_and_grades_only_its_units(client, login, world):
    study = world["study"]
    reviewer = login(Role.REVIEWER)
    assert client.get(f"/study/{study.id}").status_code == 404  # not named anywhere yet
    set_reviewers(study, world["units"]["a"].id, [reviewer.id])
    submit(study, world["came"], "Bài A", at=BEFORE)
    b_entry = submit(study, world["came_b"], "Bài B", upload=("b.pdf", b"%PDF-1 b"), at=BEFORE)
    results = client.get(f"/study/{study.id}").get_data(as_text=True)
    assert "Chi bộ An" in results and "Chi bộ Bình" not in results
    listing = client.get(f"/study/{study.id}/people").get_data(as_text=True)
    assert "Nguyễn Văn Đến" in listing and "Phạm Thị Bình" not in listing
    assert client.get(f"/study/{study.id}/people/{world['came_b'].id}").status_code == 404
    assert client.get(f"/study/{study.id}/people?unit={world['units']['b'].id}").status_code == 404
    assert client.get(f"/study/submissions/{b_entry.id}/file").status_code == 404
    url = f"/study/{study.id}/people/{world['came'].id}"
    assert "Bài A" in client.get(url).get_data(as_text=True)
    response = client.post(
        url, data={"action": "grade", "grade-grade": "Khá", "grade-comment": "Tốt hơn nữa"}
    )
    assert response.status_code == 302
    assert "Xếp loại: <strong>Khá</strong>" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"action": "exempt", "exempt-reason": "x"}).status_code == 403
    assert client.get(f"/study/{study.id}/reviewers").status_code == 403
    docx = client.get(f"/study/{study.id}/report.docx")
    text = "\n".join(p.text for p in read_docx(io.BytesIO(docx.data)).paragraphs)
    assert "1/1, đạt 100%" in text  # the reviewer's report covers its units only


def test_a_clerk_records_a_paper_but_does_not_grade(client, login, world):
    study = world["study"]
    login(Role.CLERK)
    url = f"/study/{study.id}/people/{world['came'].id}"
    response = client.post(
        url,
        data={"action": "paper", "paper-body_text": "Nộp bản giấy ngày 20/10"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    (kept,) = versions(study, world["came"])
    assert kept.channel.value == "paper" and kept.submitted_at > study.deadline
    assert "nộp muộn" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"action": "grade", "grade-grade": "Tốt"}).status_code == 403


def test_the_secretariat_opens_a_round_from_the_document_and_names_reviewers(client, login, world):
    login(Role.SECRETARIAT)
    document = f.make_document(symbol="133-KH/QU", kind="Kế hoạch")
    f.make_conference(world["body"], documents=[document])
    url = f"/study/open?document_id={document.id}"
    assert "Mở đợt thu hoạch" in client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "body_id": world["body"].id,
            "deadline": "2030-05-20",
            "grade_scale": "Đạt\nChưa đạt",
        },
    )
    assert response.status_code == 302
    study = StudyRound.query.filter_by(document_id=document.id).one()
    assert study.deadline == datetime(2030, 5, 20, 23, 59, 59) and study.grades == [
        "Đạt",
        "Chưa đạt",
    ]
    again = client.post(
        url, data={"body_id": world["body"].id, "deadline": "2031-01-01", "grade_scale": "Tốt\nKém"}
    )
    assert again.headers["Location"].endswith(f"/study/{study.id}")
    assert StudyRound.query.filter_by(document_id=document.id).count() == 1
    assert client.get(url).headers["Location"].endswith(f"/study/{study.id}")  # it exists
    uncovered = f.make_document()
    bad = client.get(f"/study/open?document_id={uncovered.id}")
    assert bad.headers["Location"].endswith(f"/documents/{uncovered.id}")  # nothing to study
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f"/study/open?document_id={document.id}" in page
    reviewer = f.make_user(Role.REVIEWER)
    unit_a = world["units"]["a"]
    response = client.post(
        f"/study/{world['study'].id}/reviewers", data={f"unit-{unit_a.id}": str(reviewer.id)}
    )
    assert response.status_code == 302
    page = client.get(f"/study/{world['study'].id}/reviewers").get_data(as_text=True)
    assert f'<option value="{reviewer.id}" selected>' in page


def test_the_conference_button_leads_to_the_round(client, login, world):
    login(Role.SECRETARIAT)
    page = client.get(f"/conferences/{world['conference'].id}").get_data(as_text=True)
    assert f"/study/conference/{world['conference'].id}" in page
    response = client.get(f"/study/conference/{world['conference'].id}")
    assert response.headers["Location"].endswith(f"/study/{world['study'].id}")


def test_the_overdue_list_by_unit(client, login, world):
    login(Role.CLERK)
    submit(world["study"], world["came"], "Bài", at=BEFORE)
    page = client.get(f"/study/{world['study'].id}/overdue").get_data(as_text=True)
    assert "Trần Thị Tự" in page and "Phạm Thị Bình" in page and "Nguyễn Văn Đến" not in page


# --- The report, read back -----------------------------------------------------------------------


@pytest.fixture
def graded(world):
    study, secretariat = world["study"], f.make_user(Role.SECRETARIAT)
    submit(study, world["came"], "Bài", at=BEFORE)
    grade(study, world["came"], "Tốt", None, secretariat)
    submit(study, world["came_b"], "Bài", at=BEFORE)
    grade(study, world["came_b"], "Khá", None, secretariat)
    exempt(study, world["self_studied"], "Đảng viên cao tuổi được miễn")
    world["came_b"].full_name = "=HYPERLINK(1)"  # a name that would run as a formula
    return world


def test_the_docx_report_in_the_party_layout(client, login, graded):
    login(Role.CLERK)
    response = client.get(f"/study/{graded['study'].id}/report.docx")
    assert response.status_code == 200
    assert "ket-qua-hoc-tap-24-CT-TU.docx" in response.headers["Content-Disposition"]
    doc = read_docx(io.BytesIO(response.data))
    head = [c.text for c in doc.tables[0]._cells]
    assert any("QUẬN ỦY THỬ" in t and "Số" in t and "-BC/QU" in t for t in head)
    assert any("ĐẢNG CỘNG SẢN VIỆT NAM" in t and "Cầu Giấy, ngày" in t for t in head)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Kết quả học tập, quán triệt Chỉ thị số 24-CT/TU" in text
    assert "tự nghiên cứu): 3/5, đạt 60%" in text
    assert "miễn viết bài thu hoạch: 1" in text
    assert "Số bài thu hoạch đã nộp: 2/2, đạt 100%; trong đó loại Tốt: 1/2, đạt 50%" in text
    units = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in units.rows]
    assert rows[0][:5] == ["TT", "Đơn vị", "Tham gia học tập", "Miễn", "Đã nộp"]
    assert rows[0][5:] == ["Tốt", "Khá", "Đạt", "Chưa đạt", "Quá hạn"]
    assert rows[1][:6] == ["1", "Chi bộ An", "2/3, đạt 66,67%", "1", "1/1", "1"]
    assert rows[-1][1:3] == ["Tổng cộng", "3/5, đạt 60%"]
    assert "T/M BAN THƯỜNG VỤ ĐẢNG ỦY" in "\n".join(c.text for c in doc.tables[-1]._cells)


def test_the_xlsx_report_in_the_party_layout(client, login, graded):
    login(Role.SECRETARIAT)
    graded["study"].deadline = datetime(2023, 10, 15)  # past: the overdue sheet has names
    response = client.get(f"/study/{graded['study'].id}/report.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Kết quả"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row if v]
    assert "QUẬN ỦY THỬ" in flat and "ĐẢNG CỘNG SẢN VIỆT NAM" in flat and "*" in flat
    assert any(str(v).startswith("Cầu Giấy, ngày") for v in flat)
    assert "BÁO CÁO" in flat
    header = next(r for r in values if r[0] == "TT")
    assert header[:5] == ["TT", "Đơn vị", "Tham gia học tập", "Miễn", "Đã nộp"]
    total = next(r for r in values if r[1] == "Tổng cộng")
    assert total[2] == "3/5, đạt 60%" and total[4] == "2/2"
    assert total[3] == 1 and total[5:7] == [1, 1]  # counts are numbers, not text
    assert sheet["A1"].font.name == "Times New Roman"
    overdue = [[c.value for c in row] for row in book["Quá hạn"].iter_rows()]
    assert overdue[0] == ["TT", "Họ và tên", "Chức vụ", "Đơn vị"]
    assert overdue[1:] == []  # the two who owed a report handed it in


def test_the_overdue_sheet_names_people_and_neutralises_formulas(client, login, world):
    login(Role.SECRETARIAT)
    world["came_b"].full_name = "=HYPERLINK(1)"
    response = client.get(f"/study/{world['study'].id}/report.xlsx")
    overdue = [
        [c.value for c in row]
        for row in load_workbook(io.BytesIO(response.data))["Quá hạn"].iter_rows()
    ]
    names = {row[1] for row in overdue[1:]}
    assert names == {"Nguyễn Văn Đến", "Trần Thị Tự", "'=HYPERLINK(1)"}


# --- CLI -----------------------------------------------------------------------------------------


def test_the_cli_prints_the_overall_line_and_one_per_unit(app, graded):
    result = app.test_cli_runner().invoke(args=["study-results", "24-ct/tu"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("# Chỉ thị số 24-CT/TU")
    assert lines[1].split("\t")[:3] == [
        "Total",
        "studied: 3/5, đạt 60%",
        "submitted: 2/2, đạt 100%",
    ]
    assert "Tốt: 1" in lines[1] and "Khá: 1" in lines[1] and "exempted: 1" in lines[1]
    assert [line.split("\t")[0] for line in lines[2:]] == ["Chi bộ An", "Chi bộ Bình"]
    missing = app.test_cli_runner().invoke(args=["study-results", "999-XX/YY"])
    assert missing.exit_code != 0 and "no document" in missing.output


def test_the_coverage_page_and_report_carry_the_study_figures(client, login, graded):
    login(Role.CLERK)
    w = graded
    url = f"/coverage/bodies/{w['body'].id}/documents/{w['document'].id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="study-summary"' in page and "đã nộp 2/2, đạt 100%" in page
    assert "3/5, đạt 60%" in page  # studied and reported, or exempted, of the people invited
    doc = read_docx(io.BytesIO(client.get(f"{url}.docx").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kết quả viết bài thu hoạch:" in text
    assert "Số bài thu hoạch đã nộp: 2/2, đạt 100%" in text
    assert "(hoặc được miễn), trên tổng số được triệu tập: 3/5, đạt 60%." in text


@pytest.mark.no_db_session
def test_the_public_page_refuses_a_post_without_its_csrf_token(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'csrf.sqlite3'}", tmp_path, WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/s/some-token", data={"body_text": "Bài", "round_id": 1})
    assert response.status_code == 400

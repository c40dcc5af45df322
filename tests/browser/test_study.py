"""Done when: an attendee hands in a report on a 360 px phone through their personal link, with
no login; a reviewer grades it on a desktop and sees only the units they review; the coverage
overview keeps the "Chưa" column on a phone's screen."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from meetings.clock import now
from meetings.demo import SEED_TITLE, load_demo_attendance
from meetings.extensions import db
from meetings.models import CheckIn, Conference, Invitation, Person, Rsvp, StudyRound, User
from meetings.study.results import people
from meetings.study.service import open_round, set_reviewers, submit
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]


@pytest.fixture
def study(live_server):
    """The seed conference held (the demo's check-ins) and a round on 24-CT/TU open for a week;
    the reviewer account is named for the unit of the first person with a unit who must hand
    in."""
    with live_server.app.app_context():
        seed = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
        load_demo_attendance()
        round_ = open_round(seed.body, seed.documents[0], now() + timedelta(days=7))
        person = next(  # the demo's leaders belong to no unit: a reviewer is named per unit
            person
            for person in (db.session.get(Person, p.person_id) for p in people(round_, limit=None))
            if person.unit_id is not None
        )
        reviewer = db.session.scalar(select(User).filter_by(username="reviewer"))
        set_reviewers(round_, person.unit_id, [reviewer.id])
        token = db.session.scalar(
            select(Invitation.token).filter_by(conference_id=seed.id, person_id=person.id)
        )
        db.session.commit()
        facts = dict(
            round_id=round_.id,
            token=token,
            name=person.full_name,
            unit=person.unit.name,
            seed_id=seed.id,
        )
    yield facts
    with live_server.app.app_context():  # leave the demo as the other browser tests expect it
        db.session.execute(delete(StudyRound).where(StudyRound.id == facts["round_id"]))
        db.session.execute(delete(CheckIn).where(CheckIn.conference_id == facts["seed_id"]))
        db.session.execute(
            update(Invitation)
            .where(Invitation.conference_id == facts["seed_id"])
            .values(absence_reason=None, rsvp=Rsvp.INVITED)
        )
        db.session.commit()


def test_hand_in_on_a_phone_then_grade_on_a_desktop(phone, page, live_server, study, tmp_path):
    phone.goto(f"{live_server.url}/s/{study['token']}")
    assert phone.locator("h1").inner_text() == study["name"]
    assert "Bài thu hoạch về Chỉ thị số 24-CT/TU" in phone.locator(".study-round").inner_text()
    phone.fill("textarea[name=body_text]", "Qua học tập, tôi nhận thức rõ trách nhiệm nêu gương.")
    screenshot(phone, "study-phone-before")
    phone.get_by_role("button", name="Nộp bài").click()
    assert "Đã nộp bài thu hoạch (bản 1)." in phone.locator(".alert-success").inner_text()
    report = tmp_path / "bai-thu-hoach.pdf"
    report.write_bytes(b"%PDF-1.4\n% bai thu hoach\n")
    phone.set_input_files("input[name=upload]", str(report))
    phone.get_by_role("button", name="Nộp bản mới").click()
    handed = phone.locator(".handed-in").inner_text()
    assert "Đã nộp: bản 2" in handed and "bai-thu-hoach.pdf" in handed
    assert "Các bản trước (1)" in phone.locator(".study-round").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "study-phone-handed-in")

    sign_in(page, live_server, "reviewer")
    page.get_by_role("link", name="Bài thu hoạch").first.click()
    page.get_by_role("link", name="Chỉ thị số 24-CT/TU").click()
    units = page.locator("#by-unit tbody tr").all_inner_texts()
    assert len(units) == 1 and study["unit"] in units[0]
    page.get_by_role("link", name="Bài cần chấm").click()
    page.get_by_role("link", name=study["name"]).click()
    versions = page.locator("#versions").inner_text()
    assert "Bản 2" in versions and "bai-thu-hoach.pdf" in versions
    assert "Qua học tập, tôi nhận thức rõ trách nhiệm nêu gương." in versions
    page.select_option("#grade-grade", "Khá")
    page.fill("#grade-comment", "Cần liên hệ thực tiễn đơn vị.")
    page.get_by_role("button", name="Lưu xếp loại").click()
    assert "Đã lưu xếp loại." in page.locator(".alert-success").first.inner_text()
    assert "Xếp loại: Khá" in page.locator("#current-grade").inner_text()
    screenshot(page, "study-desktop-graded")
    page.get_by_role("link", name="Kết quả").click()
    assert "Khá: 1" in page.locator("#grades-total").inner_text()
    screenshot(page, "study-desktop-results")

    phone.reload()
    assert "Xếp loại: Khá" in phone.locator(".study-round").inner_text()


def test_the_reviewer_is_refused_other_pages(page, live_server, study):
    sign_in(page, live_server, "reviewer")
    response = page.goto(f"{live_server.url}/coverage/")
    assert response.status == 403


def test_the_coverage_overview_keeps_not_yet_on_a_phone(phone, live_server):
    sign_in(phone, live_server, "clerk")
    phone.goto(f"{live_server.url}/coverage/")
    header = phone.locator("table.coverage-overview thead th").last
    assert header.inner_text() == "Chưa"
    box = header.bounding_box()
    assert box["x"] + box["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "coverage-overview-phone")


def test_the_results_keep_overdue_on_a_phone(phone, live_server, study):
    with live_server.app.app_context():  # the widest figure: "17/21, đạt 80,95%"
        round_ = db.session.get(StudyRound, study["round_id"])
        office = [p for p in people(round_, limit=None) if p.unit_name == "Văn phòng Quận ủy"]
        for line in office[:17]:
            submit(round_, db.session.get(Person, line.person_id), "Bài thu hoạch")
        db.session.commit()
    sign_in(phone, live_server, "secretariat")
    phone.goto(f"{live_server.url}/study/{study['round_id']}")
    header = phone.locator("#by-unit thead th").last
    assert header.inner_text().replace("\n", " ") == "Quá hạn"
    box = header.bounding_box()
    assert box["x"] + box["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "study-results-phone")

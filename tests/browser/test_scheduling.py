"""The issue's "Done when", as a new secretariat user would do it, in a real Chromium."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]

TITLE = (
    "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội "
    "và Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy về thực hiện Chỉ thị"
)
HALL = "Hội trường Quận ủy (400)"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def next_week_at_eight() -> datetime:
    return (datetime.now() + timedelta(days=7)).replace(hour=8, minute=0, second=0, microsecond=0)


def fill_conference(page, title: str, start: datetime) -> None:
    page.fill("#title", title)
    page.select_option("#body_id", label="Quận ủy Cầu Giấy")
    page.fill("#starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#ends_at", (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#venue_id", label=HALL)


def test_schedule_link_documents_build_agenda_and_download_ics(page, live_server, tmp_path):
    sign_in(page, live_server, "secretariat")
    page.click("#mainnav >> text=Hội nghị")
    page.click("text=Hội nghị mới")
    start = next_week_at_eight()
    fill_conference(page, TITLE, start)

    # typing the title offers both documents of the register, ticked to be linked
    page.wait_for_selector("#citations input[name=cite_link][value='133-KH/QU|2023-08-28']")
    offered = page.locator("#citations input[name=cite_link]")
    assert offered.count() == 2
    assert all(offered.nth(i).is_checked() for i in range(2))

    # the chair is picked from the directory's suggestions
    page.fill("#chair_name", "Trần Thị Phương")
    # Not wait_for_function: its string predicate is an eval, which the CSP forbids.
    page.wait_for_selector("#chair_name-options option", state="attached")
    label = page.locator("#chair_name-options option").first.get_attribute("value")
    page.fill("#chair_name", label)
    assert page.input_value("#chair_id") != ""
    screenshot(page, "scheduling-new-conference")
    page.click("button[name=save]")

    assert page.locator("#status").inner_text() == "Dự thảo"
    documents = page.locator("#documents-covered").inner_text()
    assert "Chỉ thị số 24-CT/TU ngày 07/8/2023" in documents
    assert "Kế hoạch số 133-KH/QU ngày 28/8/2023" in documents
    assert "Trần Thị Phương Hoa" in page.locator("main dl").inner_text()
    conference_url = page.url

    # the same hall at an overlapping time is refused, naming the conference that holds it
    page.goto(f"{live_server.url}/conferences/new")
    fill_conference(page, "Hội nghị sơ kết công tác tuyên giáo", start + timedelta(hours=1))
    page.click("button[name=save]")
    alert = page.locator(".alert-danger").inner_text()
    assert "Hội trường Quận ủy đã được đặt cho “Hội nghị quán triệt Chỉ thị số 24-CT/TU" in alert
    screenshot(page, "scheduling-double-booking-refused")

    # a three-item agenda with presenters, and the planned end
    page.goto(conference_url)
    page.click("#conference-actions >> text=Chương trình")
    for title, presenter, minutes in [
        ("Quán triệt Chỉ thị số 24-CT/TU", "Nguyễn Văn Chiến", "60"),
        ("Triển khai Kế hoạch số 133-KH/QU", "Bùi Tuấn Anh", "30"),
        ("Chuyên đề về kỷ cương hành chính", "TS. Lê Văn Khách", "45"),
    ]:
        page.fill("#title", title)
        page.fill("#presenter_name", presenter)
        page.fill("#duration_minutes", minutes)
        page.click("#item-form button[type=submit]")
        page.wait_for_selector(".alert-success")
    rows = page.locator("#agenda tbody tr").all_inner_texts()
    assert len(rows) == 3
    assert rows[0].startswith("08:00–09:00") and "Nguyễn Văn Chiến" in rows[0]
    assert rows[1].startswith("09:00–09:30") and "Bùi Tuấn Anh" in rows[1]
    assert rows[2].startswith("09:30–10:15") and "báo cáo viên bên ngoài" in rows[2]
    assert page.locator("#expected-end").inner_text().startswith("Dự kiến kết thúc: 10:15")
    screenshot(page, "scheduling-agenda")

    # reorder: the outside speaker goes first
    page.locator("#agenda tbody tr").nth(2).locator("button[value=up]").click()
    page.locator("#agenda tbody tr").nth(1).locator("button[value=up]").click()
    assert "Lê Văn Khách" in page.locator("#agenda tbody tr").first.inner_text()
    assert page.locator("#expected-end").inner_text().startswith("Dự kiến kết thúc: 10:15")

    # the calendar file
    page.goto(conference_url)
    screenshot(page, "scheduling-conference-page")
    with page.expect_download() as download:
        page.click("#ics-link")
    path = tmp_path / "conference.ics"
    download.value.save_as(path)
    (event,) = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == TITLE
    assert event.decoded("dtstart").astimezone(HANOI).replace(tzinfo=None) == start
    assert "Hội trường Quận ủy" in str(event["location"])


def test_document_register_on_a_phone(phone, live_server):
    sign_in(phone, live_server, "clerk")
    phone.goto(f"{live_server.url}/documents/?q=ky+cuong")
    assert "24-CT/TU" in phone.locator("#documents").inner_text()
    phone.click("#documents >> text=24-CT/TU")
    assert "Hội nghị quán triệt Chỉ thị số 24-CT/TU" in phone.locator("#covering").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "documents-detail-phone")


def test_calendar_week_shows_the_practice_conference(page, live_server):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/conferences/calendar?view=week")
    assert "thử điểm danh" in page.locator("#calendar-days").inner_text()
    feed = page.locator("#feeds input").first.input_value()
    assert feed.startswith("https://hoinghi.example.vn/conferences/feeds/")
    token = feed.rsplit("/", 1)[1]
    # the feed needs no login: a new browser context has no session cookie
    anonymous = page.context.browser.new_context()
    response = anonymous.request.get(f"{live_server.url}/conferences/feeds/{token}")
    assert response.ok and b"BEGIN:VCALENDAR" in response.body()
    anonymous.close()
    screenshot(page, "calendar-week")

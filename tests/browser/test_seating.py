"""The secretariat rearranges the seed conference's seating plan at 1280 px; an usher looks a
seat up on a 360 px phone."""

import pytest
from sqlalchemy import select

from meetings.demo import SEED_TITLE
from meetings.extensions import db
from meetings.models import Conference
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]


def _seed_id(live_server) -> int:
    with live_server.app.app_context():
        return db.session.scalar(select(Conference.id).filter_by(title=SEED_TITLE))


def _open_plan(page, live_server) -> None:
    sign_in(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/conferences/{_seed_id(live_server)}")
    page.click("#conference-actions >> text=Sơ đồ chỗ ngồi")
    page.click("text=Mở sơ đồ")


def test_the_plan_editor_swaps_two_seats_at_1280px(page, live_server):
    _open_plan(page, live_server)
    hall = page.locator(".hall-grid")
    assert hall.is_visible()
    # The whole width of the demo hall (24 seats, two aisles) fits without scrolling.
    assert page.evaluate("document.querySelector('.hall-scroll').scrollWidth") <= 1280
    first, second = page.locator("[data-seat='1-12']"), page.locator("[data-seat='2-12']")
    name_a, name_b = first.get_attribute("data-name"), second.get_attribute("data-name")
    assert name_a and name_b and name_a != name_b
    first.click()
    assert name_a in page.locator("#selection").inner_text()
    assert page.locator("[data-action=lock]").is_visible()
    screenshot(page, "seating-editor-selected")
    second.click()
    page.wait_for_load_state()
    assert page.locator("[data-seat='1-12']").get_attribute("data-name") == name_b
    assert page.locator("[data-seat='2-12']").get_attribute("data-name") == name_a
    assert page.locator("[data-seat='2-12']").get_attribute("data-locked") == "1"
    # Assigning again keeps the two locked seats.
    page.click("#assign")
    page.wait_for_load_state()
    assert page.locator("[data-seat='1-12']").get_attribute("data-name") == name_b
    assert "Đã xếp chỗ cho" in page.locator(".alert-success").inner_text()
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "seating-editor")
    # Print page and the PDF from the same place.
    page.click("text=Các sơ đồ, PDF và bản in")
    with page.expect_download() as download:
        page.click("text=Sơ đồ PDF A3")
    assert download.value.suggested_filename.endswith(".pdf")
    page.click("text=Trang in")
    assert "SƠ ĐỒ CHỖ NGỒI" in page.locator(".chart-sheet").first.inner_text()
    screenshot(page, "seating-print")


def test_an_usher_finds_a_seat_on_a_phone(phone, live_server):
    sign_in(phone, live_server, "clerk")
    phone.goto(f"{live_server.url}/seating/conferences/{_seed_id(live_server)}/find")
    phone.fill("input[name=q]", "tran thi phuong hoa")
    phone.press("input[name=q]", "Enter")
    card = phone.locator(".seat-card").first
    assert "Mời đồng chí ngồi" in card.inner_text()
    assert "Đoàn Chủ tịch" in card.inner_text()
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "seating-find-phone")

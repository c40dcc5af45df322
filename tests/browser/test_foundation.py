"""Sign in, open the demo conference, switch language — in a real Chromium."""

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]


def test_sign_in_and_open_the_seed_conference(page, live_server):
    page.goto(live_server.url)
    assert "/login" in page.url
    screenshot(page, "login-desktop")
    sign_in(page, live_server, "secretariat")
    page.click("text=Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023")
    heading = page.locator("h1").inner_text()
    assert heading.startswith(
        "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội"
    )
    body = page.locator("main").inner_text()
    assert "Hội trường Quận ủy" in body
    assert "ngày 15 tháng 9 năm 2023" in body
    assert "Trần Thị Phương Hoa" in body
    assert "Kế hoạch số 133-KH/QU ngày 28/8/2023" in body
    categories = page.locator("#categories tbody tr td:nth-child(2)").all_inner_texts()
    assert categories[0] == "Thường trực Quận ủy"
    assert categories[-1] == "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở"
    screenshot(page, "seed-conference-desktop")


def test_switch_language_to_english_and_back(page, live_server):
    sign_in(page, live_server, "clerk")
    assert page.locator("h1").first.inner_text() == "Hội nghị sắp tới"
    page.click("button[name=lang][value=en]")
    assert page.locator("h1").first.inner_text() == "Upcoming conferences"
    page.click("button[name=lang][value=vi]")
    assert page.locator("h1").first.inner_text() == "Hội nghị sắp tới"


def test_phone_width_has_a_menu_and_no_horizontal_scroll(phone, live_server):
    sign_in(phone, live_server, "door")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("button.navbar-toggler")
    phone.wait_for_selector("#mainnav.show")
    assert phone.locator("#mainnav").get_by_text("Hội nghị").first.is_visible()
    screenshot(phone, "start-phone-menu")


def test_wrong_password_shows_a_message(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "not the password")
    page.click("input[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.locator(".alert").inner_text()

"""A clerk opens the print pages of the seed conference, issues the minutes and downloads."""

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]


def test_clerk_prints_minutes_sheet_and_letters(page, live_server):
    sign_in(page, live_server, "clerk")
    page.click("text=Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023")
    page.click("#conference-actions >> text=Biên bản")
    # Symbols carry a non-breaking hyphen (U+2011) on the print page: "24‑CT/TU".
    doc = page.locator(".doc").inner_text().replace("\u2011", "-")
    assert "BIÊN BẢN" in doc and "ĐẢNG CỘNG SẢN VIỆT NAM" in doc
    assert "Chỉ thị số 24-CT/TU ngày 07/8/2023" in doc
    screenshot(page, "printing-minutes")
    page.fill("input[name=number]", "12")
    page.click("input[name=issue]")
    assert "Số 12\u2011BB/QU" in page.locator(".doc").inner_text()
    assert page.locator("input[name=number]").count() == 0  # fixed once issued
    with page.expect_download() as download:
        page.click("#downloads >> text=DOCX")
    assert download.value.suggested_filename.endswith(".docx")
    page.go_back()
    page.go_back()
    page.click("#conference-actions >> text=Danh sách đại biểu")
    assert "DANH SÁCH ĐẠI BIỂU" in page.locator(".doc").inner_text()
    screenshot(page, "printing-attendance")
    page.click("text=Trước hội nghị: để ký")
    assert "Ký tên" in page.locator(".doc thead").inner_text()
    page.goto(page.url.replace("/attendance?before=1", "/letters"))
    assert "Trân trọng kính mời: đồng chí" in page.locator("#letter").inner_text()
    assert page.locator("#letter svg").count() == 1
    screenshot(page, "printing-letters")

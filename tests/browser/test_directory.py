"""A new secretariat user imports a messy Excel list, checks the preview, applies it, and
builds the seed conference's invitee list by category with the grassroots role invitation."""

import pytest
from sqlalchemy import select

from meetings.demo import CATEGORIES, SEED_TITLE
from meetings.extensions import db
from meetings.models import Conference, Person
from tests.browser.conftest import screenshot, sign_in
from tests.directory.messy import messy_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]

GRASSROOTS = CATEGORIES[8]  # "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở"
SCHOOLS = CATEGORIES[7]


def _seed_conference_id(live_server) -> int:
    with live_server.app.app_context():
        return db.session.scalar(select(Conference.id).filter_by(title=SEED_TITLE, is_demo=True))


def _totals(page) -> dict[str, str]:
    rows = page.locator("#totals tbody tr")
    return {
        rows.nth(i).locator("td").nth(1).locator("a").inner_text(): rows.nth(i)
        .locator("td")
        .nth(2)
        .inner_text()
        for i in range(rows.count())
    }


def test_import_a_messy_list_then_build_the_seed_invitee_list(page, live_server, tmp_path):
    path = tmp_path / "Danh sách đại biểu.xlsx"
    path.write_bytes(messy_xlsx(GRASSROOTS, "Đảng ủy phường Dịch Vọng"))
    sign_in(page, live_server, "secretariat")

    page.click("nav >> text=Danh bạ")
    page.click("text=Nhập từ Excel")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('Xem trước')")
    assert "/directory/import/preview" in page.url
    summary = page.locator("#import-summary").inner_text()
    assert "Mới: 5" in summary and "Lỗi: 2" in summary
    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 7
    errors = page.locator("#import-rows tr[data-action=error]").all_inner_texts()
    assert any("Trùng số điện thoại với dòng 6" in e for e in errors)
    assert any("12345" in e for e in errors)
    # A category no existing one holds is offered for creation, not refused.
    new = page.locator("#import-rows tr[data-action=new]").all_inner_texts()
    assert any("Thành phần mới “Nhóm không có”" in e for e in new)
    screenshot(page, "directory-import-preview-desktop")

    assert "Chưa nhập gì khi còn dòng lỗi" in page.locator("#import-blocked").inner_text()
    assert page.locator("#apply-import").count() == 0

    # The clerk corrects the two rows and the category's name in the file, uploads it again:
    # it applies whole.
    path.write_bytes(messy_xlsx(GRASSROOTS, "Đảng ủy phường Dịch Vọng", corrected=True))
    page.click("button:has-text('Hủy')")
    page.click("text=Nhập từ Excel")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('Xem trước')")
    assert "Lỗi: 0" in page.locator("#import-summary").inner_text()
    page.click("#apply-import")
    assert "Đã nhập: 7 người mới" in page.locator(".alert").first.inner_text()
    page.fill("input[name=q]", "nguyen van chien")
    page.click("form[role=search] button")
    found = page.locator("#people tbody").inner_text()
    assert "Đảng ủy phường Dịch Vọng" in found  # the imported one, beside the demo's
    screenshot(page, "directory-search-desktop")
    page.click("#people tbody a >> text=Nguyễn Văn Chiến >> nth=0")
    assert page.locator("input[name=full_name]").input_value() == "Nguyễn Văn Chiến"
    screenshot(page, "directory-person-desktop")
    page.click("text=Thành phần mời")
    names = page.locator("#categories tbody td:nth-child(2)").all_inner_texts()
    assert names[:9] == CATEGORIES
    screenshot(page, "directory-categories-desktop")
    with live_server.app.app_context():
        lan = db.session.scalar(select(Person).filter_by(phone="0913888002"))
        assert lan.full_name == "Trần Thị Lan"

    conference_id = _seed_conference_id(live_server)
    try:
        _build_the_seed_list(page, live_server, conference_id)
    finally:
        _restore_the_seed_list(live_server, conference_id)  # other browser tests read it


def _restore_the_seed_list(live_server, conference_id: int) -> None:
    from meetings.invitations.service import add_category, add_unit_role
    from meetings.models import InviteeCategory, UnitKind

    with live_server.app.app_context():
        conference = db.session.get(Conference, conference_id)
        by_name = {c.name: c for c in db.session.scalars(select(InviteeCategory))}
        add_category(conference, by_name[SCHOOLS])
        add_unit_role(
            conference, UnitKind.PARTY_ORG, "Bí thư", "Phó Bí thư", True, by_name[GRASSROOTS]
        )
        db.session.commit()


def _build_the_seed_list(page, live_server, conference_id: int) -> None:
    page.goto(f"{live_server.url}/conferences/{conference_id}")
    page.click("#conference-actions >> text=Đại biểu được mời")
    assert page.url.endswith(f"/conferences/{conference_id}/invitees/")
    page.on("dialog", lambda dialog: dialog.accept())
    for name in (GRASSROOTS, SCHOOLS):  # start these two categories over
        row = page.locator("#totals tbody tr", has_text=name)
        row.locator("button:has-text('Rút')").click()
        page.wait_for_load_state()
    assert GRASSROOTS not in _totals(page) and SCHOOLS not in _totals(page)

    page.select_option("#add-category select[name=category_id]", label=SCHOOLS)
    page.click("#add-category button")
    assert _totals(page)[SCHOOLS] == "24"  # 8 wards × 3 schools

    page.select_option("#add-role select[name=kind]", value="party_org")
    page.select_option("#add-role select[name=category_id]", label=GRASSROOTS)
    assert page.input_value("#add-role input[name=role_title]") == "Bí thư"
    assert page.input_value("#add-role input[name=deputy_title]") == "Phó Bí thư"
    assert page.is_checked("#add-role input[name=deputy_allowed]")
    page.click("#add-role button")
    assert "8 đơn vị" in page.locator(".alert").first.inner_text()
    totals = _totals(page)
    assert totals[GRASSROOTS] == "8"
    assert list(totals) == [c for c in CATEGORIES if c in totals]  # protocol order
    screenshot(page, "invitees-desktop")

    page.select_option("select[name=category]", label=GRASSROOTS)
    page.click("button:has-text('Lọc')")
    listed = page.locator("#invitees tbody").inner_text()
    assert page.locator("#invitees tbody tr").count() == 8
    roles = page.locator("#invitees tbody td:nth-child(2)").all_inner_texts()
    assert all(r.startswith("Bí thư (hoặc Phó Bí thư)") for r in roles)
    assert "Nguyễn Văn Chiến" in listed  # the imported Bí thư of Đảng ủy phường Dịch Vọng
    screenshot(page, "invitees-grassroots-desktop")


def test_clerk_reads_the_invitee_list_on_a_phone_without_sideways_scrolling(phone, live_server):
    sign_in(phone, live_server, "clerk")
    conference_id = _seed_conference_id(live_server)
    phone.goto(f"{live_server.url}/conferences/{conference_id}/invitees/")
    assert phone.locator("#totals").is_visible()
    assert phone.locator("#add-category").count() == 0  # reading, not editing
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "invitees-phone")
    phone.goto(f"{live_server.url}/directory/people?q=dich+vong")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "directory-phone")

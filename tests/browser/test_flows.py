"""Everyday pages as a clerk meets them on a phone, and as axe-core reads them.

At 360 px the agenda, the attendance preview, the coverage index and the invitee list fit the
screen: no control needs a sideways scroll, controls are at least 24×24 px (WCAG 2.5.8) and
primary actions 44 px high. axe-core finds no serious or critical violation on the main pages,
on a phone and on a desktop. SCREENSHOT_DIR keeps a picture of each page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from meetings.demo import SEED_TITLE, TODAY_TITLE
from meetings.extensions import db
from meetings.models import Conference
from tests.browser import axe
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]


def _ids(live_server) -> dict[str, int]:
    with live_server.app.app_context():
        found = dict(db.session.execute(select(Conference.title, Conference.id)).all())
    return {"seed": found[SEED_TITLE], "today": found[TODAY_TITLE]}


PHONE_PAGES = {
    "agenda": "/conferences/{today}/agenda",
    "attendance": "/printing/conferences/{seed}/attendance",
    "coverage": "/coverage/",
    "invitees": "/conferences/{today}/invitees/",
}
MAIN_PAGES = {
    **PHONE_PAGES,
    "home": "/",
    "conferences": "/conferences/",
    "conference": "/conferences/{seed}",
    "conference-form": "/conferences/{today}/edit",
    "calendar": "/conferences/calendar",
    "people": "/directory/people",
    "categories": "/directory/categories",
    "import": "/directory/import",
    "documents": "/documents/",
    "minutes": "/printing/conferences/{seed}/minutes",
}

# Every visible control: its box, whether it is a primary action, and what it says.
_CONTROLS = """() => Array.from(document.querySelectorAll(
    'main a.btn, main button, main select, main input:not([type=hidden]), main textarea, nav button'
  )).filter(e => e.offsetParent !== null).map(e => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height,
            primary: e.matches('.btn-primary:not(.btn-sm), .btn-danger:not(.btn-sm)'),
            text: (e.innerText || e.value || e.name || e.tagName).trim().slice(0, 30)};
  })"""


@pytest.mark.parametrize("name", list(PHONE_PAGES))
def test_staff_pages_fit_a_phone_with_controls_big_enough(phone, live_server, name):
    sign_in(phone, live_server, "secretariat")
    phone.goto(live_server.url + PHONE_PAGES[name].format(**_ids(live_server)))
    screenshot(phone, f"flows-360-{name}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    controls = phone.evaluate(_CONTROLS)
    assert controls, "the page shows controls"
    off_screen = [c["text"] for c in controls if c["left"] < 0 or c["right"] > 360]
    assert off_screen == []
    small = [c for c in controls if c["width"] < 24 or c["height"] < 24]
    assert small == []
    low_primary = [c for c in controls if c["primary"] and c["height"] < 44]
    assert low_primary == []


def test_the_invitee_list_exports_and_withdraw_are_tap_sized(phone, live_server):
    sign_in(phone, live_server, "secretariat")
    phone.goto(live_server.url + PHONE_PAGES["invitees"].format(**_ids(live_server)))
    for locator in (
        phone.locator("#export").get_by_role("link", name="XLSX"),
        phone.locator("#export").get_by_role("link", name="CSV"),
        phone.locator("#export-links").get_by_role("link", name="XLSX"),
        phone.locator("#totals button").first,
        phone.locator("#invitees button").first,
    ):
        box = locator.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_main_pages_have_no_serious_or_critical_axe_violations(browser, live_server, viewport):
    from tests.browser.conftest import DESKTOP, PHONE

    context = browser.new_context(viewport=DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/login")
        found = {"login": axe.violations(page)}
        sign_in(page, live_server, "secretariat")
        ids = _ids(live_server)
        for name, url in MAIN_PAGES.items():
            page.goto(live_server.url + url.format(**ids))
            found[name] = axe.violations(page)
        assert {name: v for name, v in found.items() if v} == {}
    finally:
        context.close()


def test_removing_an_agenda_item_asks_first_and_keep_keeps_it(page, live_server):
    sign_in(page, live_server, "secretariat")
    page.goto(live_server.url + PHONE_PAGES["agenda"].format(**_ids(live_server)))
    rows = page.locator("#agenda tbody tr")
    before = rows.count()
    rows.first.get_by_title("Xóa").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Xóa mục này khỏi chương trình?"
    screenshot(page, "flows-agenda-remove-confirm")
    page.get_by_role("link", name="Giữ lại").click()
    page.wait_for_load_state()
    assert page.locator("#agenda tbody tr").count() == before


def test_axe_reports_what_the_issue_found(page):
    """The check is not vacuous: the faults the issue measured are reported."""
    page.set_content(
        '<html lang="vi"><body><nav><a href="#">Danh bạ</a></nav><nav><a href="#">2</a></nav>'
        '<main><p style="color:#ff8c8c;background:#a50e0e">Hội nghị</p>'
        "<table><tr><th></th><th>Tên</th></tr><tr><td><button>✕</button></td>"
        "<td>A</td></tr></table></main></body></html>"
    )
    found = " ".join(axe.violations(page, ("minor", "moderate", "serious", "critical")))
    assert "color-contrast" in found and "landmark-unique" in found

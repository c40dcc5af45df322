"""The Content-Security-Policy breaks no page (no console errors), and the admin pages work in
a real Chromium: create an account, reset its password (confirm dialog), make a token."""

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]

# Files, not pages; and what changes state on a GET-less page we must not follow.
_SKIP = re.compile(r"\.(xlsx|csv|docx|pdf|ics|json|png|svg)(\?|$)|/logout|/static/|/bootstrap/")
# Their inline scripts move out in the check-in rewrite (issue 14); until then the CSP blocks
# them, and this test lists them rather than hiding them.
CHECKIN_PAGES = re.compile(r"/checkin/\d+/(desk|display|live)$")
MAX_PAGES = 80


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _shape(url: str) -> str:
    """One page per route: /directory/people/17 and /directory/people/18 are alike."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _crawl(page, start: str, origin: str) -> dict[str, list[str]]:
    """Open a page of every route reachable from `start` (breadth first, up to MAX_PAGES);
    the console errors of each."""
    problems = _watch(page)
    seen, queue, found = {_shape(start)}, [start], {}
    while queue and len(found) < MAX_PAGES:
        url = queue.pop(0)
        problems.clear()
        page.goto(url)
        page.wait_for_load_state("load")
        found[urlsplit(url).path] = list(problems)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = href.split("#")[0]
            if href.startswith(origin) and _shape(href) not in seen and not _SKIP.search(href):
                seen.add(_shape(href))
                queue.append(href)
    return found


def test_no_page_breaks_the_content_security_policy(page, live_server):
    sign_in(page, live_server, "admin")
    found = _crawl(page, f"{live_server.url}/", live_server.url)
    assert len(found) >= 30 and any(CHECKIN_PAGES.search(p) for p in found), sorted(found)
    broken = {path: errors for path, errors in found.items() if errors}
    assert not broken, broken


def test_admin_creates_resets_and_gives_a_token(page, live_server):
    sign_in(page, live_server, "admin")
    problems = _watch(page)
    page.goto(f"{live_server.url}/admin/users")
    page.fill("#new-user input[name=username]", "thuky.moi")
    page.fill("#new-user input[name=full_name]", "Phan Thị Mới")
    page.select_option("#new-user select[name=role]", "clerk")
    page.fill("#new-user input[name=password]", "một mật khẩu dài 2026")
    page.click("#new-user input[type=submit]")
    assert page.locator("h1").inner_text().startswith("thuky.moi")

    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.click("#reset-password button")
    page.wait_for_selector("#one-time-password")
    one_time = page.locator("#one-time-password code").inner_text().strip()
    assert len(one_time) == 12 and dialogs and "thuky.moi" in dialogs[0]
    screenshot(page, "admin-user-reset")

    page.fill("#new-token-form input[name=name]", "Cổng A")
    page.click("#new-token-form input[type=submit]")
    assert len(page.locator("#new-token code").inner_text().strip()) > 30
    assert "Cổng A" in page.locator("#tokens").inner_text()
    screenshot(page, "admin-user-token")
    assert problems == []

    page.goto(f"{live_server.url}/admin/audit?action=user.")
    log = page.locator("#audit").inner_text()
    assert "user.create" in log and "user.password_reset" in log
    screenshot(page, "admin-audit")

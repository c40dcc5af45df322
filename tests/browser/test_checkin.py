"""Check-in in a real Chromium: the rotating venue QR read by a real decoder, the door at
360 px, the desk with a scanner typing into it, live attendance updating without reload."""

from __future__ import annotations

import io
import itertools

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from meetings.checkin.messages import masked_name
from meetings.demo import TODAY_TITLE
from meetings.extensions import db
from meetings.models import CheckIn, CheckInMethod, Conference, DoorAssignment, Invitation, User
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]
_picked = itertools.count()


def _today(live_server) -> int:
    with live_server.app.app_context():
        return db.session.scalar(select(Conference.id).filter_by(title=TODAY_TITLE, is_demo=True))


def _fresh_invitation(live_server) -> tuple[str, str, str]:
    """(token, short code, name) of an invitee of today's demo conference not yet checked in."""
    with live_server.app.app_context():
        rows = db.session.execute(
            select(Invitation)
            .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
            .where(
                Invitation.conference_id == _today(live_server),
                CheckIn.id.is_(None),
                Invitation.person_id.is_not(None),
            )
            .order_by(Invitation.id.desc())
            .offset(next(_picked) % 5)
        ).scalars()
        invitation = next(iter(rows))
        return invitation.token, invitation.short_code, invitation.person.full_name


def _checkin_method(live_server, token: str) -> CheckInMethod | None:
    with live_server.app.app_context():
        return db.session.scalar(
            select(CheckIn.method).join(Invitation).where(Invitation.token == token)
        )


def _decode_screen(page) -> str:
    """The text of the QR code on the display page, read from a screenshot by zxing-cpp."""
    png = page.locator("#venue-qr").screenshot()
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found on the screen"
    return results[0].text


def test_self_check_in_with_the_rotating_venue_qr(page, phone, live_server):
    conference_id = _today(live_server)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/checkin/{conference_id}/display")
    screenshot(page, "checkin-venue-screen")
    url = _decode_screen(page)
    base = live_server.app.config["PUBLIC_BASE_URL"]
    assert url.startswith(f"{base}/v/{conference_id}.")
    venue_path = url.removeprefix(base)

    # A phone that never opened its invitation types the short code from the letter.
    token, short_code, name = _fresh_invitation(live_server)
    phone.goto(live_server.url + venue_path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "checkin-self-form-phone")
    phone.fill("input[name=identifier]", f"{short_code[:4].lower()} {short_code[4:]}")
    phone.click("#identify-button")
    result = phone.locator("#self-result").inner_text()
    assert masked_name(name) in result and "đã điểm danh lúc" in result
    assert name not in result  # a typed code learns no more than its owner needs
    screenshot(phone, "checkin-self-done-phone")
    assert _checkin_method(live_server, token) == CheckInMethod.SELF

    # A phone that opened its personal link before checks in with one tap.
    token, _, name = _fresh_invitation(live_server)
    phone.goto(f"{live_server.url}/c/{token}")
    assert name in phone.locator("#attendee").inner_text()
    screenshot(phone, "checkin-personal-page-phone")
    phone.goto(live_server.url + venue_path)
    assert name in phone.locator("#one-tap").inner_text()
    phone.click("#one-tap-button")
    assert "đã điểm danh lúc" in phone.locator("#self-result").inner_text()
    assert _checkin_method(live_server, token) == CheckInMethod.SELF


def test_a_screen_code_from_two_windows_ago_has_expired(page, phone, live_server):
    conference_id = _today(live_server)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/checkin/{conference_id}/display")
    base = live_server.app.config["PUBLIC_BASE_URL"]
    code = _decode_screen(page).removeprefix(f"{base}/v/")
    window = int(code.split(".")[2])
    with live_server.app.app_context():  # the genuine code of two windows ago
        from meetings.checkin.venue import venue_code

        old = venue_code(db.session.get(Conference, conference_id), None, window - 2)
    assert old != code
    phone.goto(f"{live_server.url}/v/{old}")
    assert "Mã này đã hết hạn" in phone.locator("#venue-error").inner_text()
    screenshot(phone, "checkin-expired-code-phone")


def test_door_staff_check_in_at_360px(phone, live_server):
    conference_id = _today(live_server)
    with live_server.app.app_context():
        door = db.session.scalar(select(User).filter_by(username="door"))
        if db.session.get(DoorAssignment, (conference_id, door.id)) is None:
            db.session.add(DoorAssignment(conference_id=conference_id, user_id=door.id))
            db.session.commit()
    token, _, name = _fresh_invitation(live_server)
    sign_in(phone, live_server, "door")
    phone.goto(f"{live_server.url}/c/{token}")
    assert name in phone.locator("#attendee").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "checkin-door-before-phone")
    with phone.expect_navigation():
        phone.click("#checkin-button")
    assert "đã điểm danh lúc" in phone.locator("#outcome, .alert-success").first.inner_text()
    assert phone.locator("#checked-in").is_visible()
    screenshot(phone, "checkin-door-after-phone")
    assert _checkin_method(live_server, token) == CheckInMethod.DOOR
    phone.goto(f"{live_server.url}/checkin/{conference_id}/door")
    screenshot(phone, "checkin-door-page-phone")


def test_desk_with_a_scanner_typing_links_and_enter(page, live_server):
    conference_id = _today(live_server)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/checkin/{conference_id}/desk")
    expect(page.locator("#scan")).to_be_focused(timeout=3000)
    base = live_server.app.config["PUBLIC_BASE_URL"]
    for _ in range(2):
        token, _, name = _fresh_invitation(live_server)
        page.keyboard.type(f"{base}/c/{token}", delay=2)  # a scanner is a keyboard
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert name in page.locator(".alert-success").first.inner_text()
        expect(page.locator("#scan")).to_be_focused()  # ready for the next
        assert _checkin_method(live_server, token) == CheckInMethod.DESK
    page.locator("body").click(position={"x": 5, "y": 300})
    expect(page.locator("#scan")).to_be_focused(timeout=3000)
    screenshot(page, "checkin-desk-desktop")

    token, _, name = _fresh_invitation(live_server)
    folded = name.lower().replace("đ", "d")
    import unicodedata

    folded = "".join(
        c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)
    )
    page.fill("#search", folded)
    with page.expect_navigation():
        page.press("#search", "Enter")
    row = page.locator("#desk-list li", has_text=name).first
    with page.expect_navigation():
        row.locator("button", has_text="Điểm danh").click()
    assert name in page.locator(".alert-success").first.inner_text()
    assert _checkin_method(live_server, token) == CheckInMethod.DESK


def test_live_attendance_updates_without_reload(page, live_server):
    conference_id = _today(live_server)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/checkin/{conference_id}/live")
    before = page.locator("#live-total").inner_text()
    token, _, name = _fresh_invitation(live_server)
    with live_server.app.app_context():
        from meetings.checkin.service import check_in

        check_in(token, method=CheckInMethod.DESK)
        db.session.commit()
    # Not wait_for_function: its string predicate is an eval, which the CSP forbids.
    expect(page.locator("#live-total")).not_to_have_text(before, timeout=12_000)
    assert name in page.locator("#live-latest").inner_text()
    screenshot(page, "checkin-live-desktop")


def test_live_attendance_on_a_phone(phone, live_server):
    sign_in(phone, live_server, "clerk")
    phone.goto(f"{live_server.url}/checkin/{_today(live_server)}/live")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert "đạt" in phone.locator("#live-total").inner_text()
    screenshot(phone, "checkin-live-phone")

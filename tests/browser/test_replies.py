"""Done when: an invitee answers from their own link on a 360 px phone with no login (absent
needs a reason; a deputy where allowed) and the secretariat sees the answer and the counts."""

import pytest
from sqlalchemy import select, update

from meetings.demo import TODAY_TITLE
from meetings.extensions import db
from meetings.models import Conference, Invitation, Rsvp
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.no_db_session]


@pytest.fixture
def invitation(live_server):
    """An invitation to the demo's conference of today (it starts in an hour), deputy allowed."""
    with live_server.app.app_context():
        today = db.session.scalar(select(Conference).filter_by(title=TODAY_TITLE))
        invitation = db.session.scalars(
            select(Invitation)
            .filter_by(conference_id=today.id, rsvp=Rsvp.INVITED)
            .where(Invitation.person_id.is_not(None))
            .order_by(Invitation.id)
        ).first()
        allowed_before = invitation.deputy_allowed
        invitation.deputy_allowed = True
        db.session.commit()
        facts = dict(id=invitation.id, token=invitation.token, conference_id=today.id)
    yield facts
    with live_server.app.app_context():  # leave the demo as the other browser tests expect it
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == facts["id"])
            .values(
                rsvp=Rsvp.INVITED,
                absence_reason=None,
                substitute_name=None,
                substitute_position=None,
                deputy_allowed=allowed_before,
            )
        )
        db.session.commit()


def _fits(phone) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_invitee_answers_on_a_phone(phone, page, live_server, invitation):
    phone.goto(f"{live_server.url}/c/{invitation['token']}")
    form = phone.locator("#reply-form")
    assert form.is_visible()
    _fits(phone)
    screenshot(phone, "reply-phone-form")

    phone.get_by_role("radio", name="Vắng").check()
    phone.get_by_role("button", name="Gửi trả lời").click()
    assert "Xin ghi lý do vắng mặt." in phone.locator(".alert-danger").inner_text()
    phone.get_by_role("radio", name="Vắng").check()
    phone.get_by_label("Lý do vắng").fill("Đi công tác tại tỉnh Lào Cai")
    phone.get_by_role("button", name="Gửi trả lời").click()
    assert "đã ghi nhận trả lời" in phone.locator(".alert-success").inner_text()
    assert "Đi công tác tại tỉnh Lào Cai" in phone.locator("#attendee").inner_text()
    _fits(phone)
    screenshot(phone, "reply-phone-absent")

    phone.get_by_role("radio", name="Cử người dự thay").check()
    phone.get_by_label("Họ và tên người dự thay").fill("Lê Thị Bình")
    phone.get_by_label("Chức vụ người dự thay").fill("Phó Bí thư Đảng ủy phường")
    phone.get_by_role("button", name="Gửi trả lời").click()
    card = phone.locator("#attendee").inner_text()
    assert "Lê Thị Bình" in card and "Lào Cai" not in card
    assert phone.locator("#answered-at").is_visible()
    _fits(phone)
    screenshot(phone, "reply-phone-deputy")

    sign_in(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/conferences/{invitation['conference_id']}")
    totals = page.locator("#reply-totals td").all_inner_texts()
    assert totals[3:] == ["1", "1", "0"]  # coming, deputies, absent
    screenshot(page, "reply-conference-counts")

"""Coverage fixes: a second "schedule a make-up" press, the make-up's date in the text, the
latest HELD conference on the overview. (The 360 px overview: tests/browser/test_study.py.)"""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from meetings.clock import now
from meetings.coverage.makeup import MakeupExists, schedule_makeup
from meetings.coverage.service import overview
from meetings.extensions import db
from meetings.models import Conference, ConferenceStatus, Role
from tests import factories as f
from tests.coverage import test_routes

held = test_routes.held  # the fixture: a held conference, one came, two did not
page_url = test_routes.page_url


def _makeups(original) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Conference).filter_by(makeup_of_id=original.id)
    )


def test_a_second_press_creates_no_second_makeup_and_leads_to_the_first(client, login, held):
    login(Role.SECRETARIAT)
    first = client.post(page_url(held, "/makeup"))
    second = client.post(page_url(held, "/makeup"), follow_redirects=False)
    assert _makeups(held["conf"]) == 1
    assert second.headers["Location"] == first.headers["Location"]
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "Đã có hội nghị học bù" in page and "Không tạo thêm" in page
    document_page = client.get(page_url(held)).get_data(as_text=True)
    assert 'id="planned-makeup"' in document_page and 'id="schedule-makeup"' not in document_page
    confirm = client.get(f"/coverage/conferences/{held['conf'].id}/makeup").get_data(as_text=True)
    assert 'id="planned-makeup"' in confirm
    assert client.post(f"/coverage/conferences/{held['conf'].id}/makeup").status_code == 302
    assert _makeups(held["conf"]) == 1


def test_the_service_refuses_a_second_planned_makeup(held):
    first = schedule_makeup(held["conf"])
    with pytest.raises(MakeupExists) as raised:
        schedule_makeup(held["conf"])
    assert raised.value.conference == first
    first.status = ConferenceStatus.CANCELLED  # a cancelled one no longer blocks
    assert schedule_makeup(held["conf"]).id != first.id


def test_the_page_states_the_date_the_draft_will_have(client, login, held):
    login(Role.SECRETARIAT)
    expected = (now().date() + timedelta(days=7)).strftime("%d/%m/%Y")  # 15/09/2023 is past
    html = client.get(page_url(held)).get_data(as_text=True)
    assert f"Dự thảo hội nghị ngày {expected}" in html
    assert "15/09/2023" not in html.split('id="makeup-date"')[1].split("</div>")[0]
    confirm = client.get(f"/coverage/conferences/{held['conf'].id}/makeup").get_data(as_text=True)
    assert f"vào ngày {expected}" in confirm
    client.post(page_url(held, "/makeup"))
    makeup = db.session.scalar(select(Conference).filter_by(makeup_of_id=held["conf"].id))
    assert makeup.starts_at.strftime("%d/%m/%Y") == expected


def test_the_latest_conference_is_the_latest_held(held):
    f.make_conference(
        held["body"],
        documents=[held["doc"]],
        starts_at=datetime(2030, 1, 1, 8),
        status=ConferenceStatus.DRAFT,
    )
    f.make_conference(held["body"], documents=[held["doc"]], starts_at=datetime(2029, 1, 1, 8))
    (entry,) = [b for b in overview() if b.body == held["body"]]
    assert entry.documents[0].last_held_on == held["conf"].starts_at.date()


def test_a_document_never_held_has_no_latest_conference():
    body = f.make_body()
    document = f.make_document()
    f.make_conference(body, documents=[document], starts_at=datetime(2030, 1, 1, 8))
    (entry,) = [b for b in overview() if b.body == body]
    assert entry.documents[0].last_held_on is None

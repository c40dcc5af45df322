"""The scheduling pages over HTTP: who may do what, and the forms end to end."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest
from sqlalchemy import select

from meetings.extensions import db
from meetings.models import AgendaItem, Conference, ConferenceStatus, Document, Role, Venue
from tests import factories
from tests.factories import at

DAY = date(2031, 6, 11)

SEED_TITLE = (
    "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội "
    "về tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc và Kế hoạch số "
    "133-KH/QU ngày 28/8/2023 của Quận ủy về thực hiện Chỉ thị số 24-CT/TU"
)


def form(body, venue=None, **kw) -> dict:
    return {
        "title": "Hội nghị quán triệt",
        "kind": "dissemination",
        "body_id": body.id,
        "starts_at": "2031-06-11T08:00",
        "ends_at": "2031-06-11T11:00",
        "venue_id": venue.id if venue else 0,
        **kw,
    }


def text(response) -> str:
    return response.get_data(as_text=True)


# --- Permissions --------------------------------------------------------------------------


EDIT_PAGES = [
    "/conferences/new",
    "/conferences/{id}/edit",
    "/conferences/{id}/agenda",
    "/conferences/{id}/postpone",
    "/conferences/{id}/cancel",
    "/conferences/{id}/duplicate",
    "/conferences/venues/new",
    "/conferences/people.json?q=ng",
]


@pytest.mark.parametrize("role", [Role.CLERK, Role.DOOR])
@pytest.mark.parametrize("page", EDIT_PAGES)
def test_only_the_secretariat_opens_the_editing_pages(client, login, role, page):
    conference = factories.make_conference()
    login(role)
    assert client.get(page.format(id=conference.id)).status_code == 403


@pytest.mark.parametrize("role", [Role.CLERK, Role.DOOR])
def test_clerks_and_door_staff_cannot_post_changes(client, login, role):
    conference = factories.make_conference()
    user = login(role)
    factories.make_door_assignment(conference, user)
    base = f"/conferences/{conference.id}"
    for url, data in [
        ("/conferences/new", form(conference.body)),
        (f"{base}/edit", form(conference.body)),
        (f"{base}/status", {"status": "held"}),
        (f"{base}/cancel", {"reason": "x"}),
    ]:
        assert client.post(url, data=data).status_code == 403
    assert conference.status == ConferenceStatus.SCHEDULED


def test_clerk_reads_conference_calendar_and_ics_without_edit_buttons(client, login):
    conference = factories.make_conference()
    login(Role.CLERK)
    page = text(client.get(f"/conferences/{conference.id}"))
    assert conference.title in page
    assert f"/conferences/{conference.id}/edit" not in page
    assert client.get("/conferences/calendar").status_code == 200
    assert client.get("/conferences/venues").status_code == 200
    assert client.get(f"/conferences/{conference.id}.ics").status_code == 200


def test_door_staff_see_only_assigned_conferences(client, login):
    mine, theirs = factories.make_conference(), factories.make_conference()
    door = login(Role.DOOR)
    factories.make_door_assignment(mine, door)
    listing = text(client.get("/conferences/"))
    assert mine.title in listing and theirs.title not in listing
    assert client.get(f"/conferences/{mine.id}").status_code == 200
    assert client.get(f"/conferences/{theirs.id}").status_code == 403
    assert client.get(f"/conferences/{theirs.id}.ics").status_code == 403
    assert client.get("/conferences/venues").status_code == 403
    start = text(client.get("/"))
    assert mine.title in start and theirs.title not in start


def test_anonymous_users_are_sent_to_login(client):
    conference = factories.make_conference()
    for url in ("/conferences/calendar", f"/conferences/{conference.id}.ics"):
        assert "/login" in client.get(url).headers["Location"]


# --- Creating and editing -----------------------------------------------------------------


def test_secretariat_creates_a_conference_and_is_stopped_from_double_booking(client, login):
    login(Role.SECRETARIAT)
    body, hall = factories.make_body(), factories.make_venue(name="Hội trường lớn")
    chair = factories.make_person(body, full_name="Trần Thị Phương Hoa")
    response = client.post(
        "/conferences/new", data=form(body, hall, title="Hội nghị A", chair_name=chair.full_name)
    )
    assert response.status_code == 302
    created = db.session.scalar(select(Conference).filter_by(title="Hội nghị A"))
    assert created.status == ConferenceStatus.DRAFT and created.chair == chair
    refused = client.post(
        "/conferences/new",
        data=form(body, hall, title="Hội nghị B", starts_at="2031-06-11T10:00"),
    )
    assert refused.status_code == 200
    assert "Hội trường lớn đã được đặt cho “Hội nghị A”" in text(refused)
    assert db.session.scalar(select(Conference).filter_by(title="Hội nghị B")) is None


def test_unknown_chair_name_is_refused(client, login):
    login(Role.SECRETARIAT)
    body = factories.make_body()
    db.session.commit()  # a refused save rolls back the request's work only
    response = client.post("/conferences/new", data=form(body, chair_name="Không Có Ai"))
    assert "Không có Không Có Ai trong danh bạ" in text(response)


def test_title_citations_link_registered_documents_and_create_the_rest(client, login):
    login(Role.SECRETARIAT)
    body = factories.make_body()
    directive = factories.make_document(
        kind="Chỉ thị", number="24", symbol="24-CT/TU", issued_on=date(2023, 8, 7)
    )
    page = text(
        client.post("/conferences/new", data={**form(body), "title": SEED_TITLE, "preview": "1"})
    )
    assert 'name="cite_link" value="24-CT/TU|2023-08-07" checked' in page
    assert 'name="cite_create" value="133-KH/QU|2023-08-28"' in page
    response = client.post(
        "/conferences/new",
        data={
            **form(body),
            "title": SEED_TITLE,
            "cite_link": "24-CT/TU|2023-08-07",
            "cite_create": "133-KH/QU|2023-08-28",
        },
    )
    assert response.status_code == 302
    conference = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
    plan = db.session.scalar(select(Document).filter_by(symbol="133-KH/QU"))
    assert conference.documents == [directive, plan]
    assert (plan.kind, plan.number, plan.issued_on, plan.issuer) == (
        "Kế hoạch",
        "133",
        date(2023, 8, 28),
        "Quận ủy",
    )


def test_unchecked_citations_are_not_linked(client, login):
    login(Role.SECRETARIAT)
    body = factories.make_body()
    factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    client.post("/conferences/new", data={**form(body), "title": SEED_TITLE})
    conference = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
    assert conference.documents == []
    assert db.session.scalar(select(Document).filter_by(symbol="133-KH/QU")) is None


def test_status_buttons_and_cancel_with_reason(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(status=ConferenceStatus.DRAFT)
    client.post(f"/conferences/{conference.id}/status", data={"status": "scheduled"})
    assert conference.status == ConferenceStatus.SCHEDULED
    refused = client.post(
        f"/conferences/{conference.id}/status", data={"status": "draft"}, follow_redirects=True
    )
    assert "không thể chuyển" in text(refused)
    client.post(f"/conferences/{conference.id}/cancel", data={"reason": "Trùng lịch Thành ủy"})
    assert conference.status == ConferenceStatus.CANCELLED
    page = text(client.get(f"/conferences/{conference.id}"))
    assert "Trùng lịch Thành ủy" in page
    assert f"/conferences/{conference.id}/edit" not in page


def test_agenda_page_builds_items_with_presenters_and_shows_the_end(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(starts_at=at(DAY, 8))
    speaker = factories.make_person(conference.body, full_name="Nguyễn Văn Chiến")
    url = f"/conferences/{conference.id}/agenda"
    client.post(url, data={"title": "Khai mạc", "document_id": 0, "duration_minutes": 10})
    client.post(
        url,
        data={
            "title": "Quán triệt",
            "presenter_name": "nguyen van chien",
            "document_id": 0,
            "duration_minutes": 60,
        },
    )
    client.post(
        url,
        data={
            "title": "Chuyên đề",
            "presenter_name": "GS. Khách Mời",
            "document_id": 0,
            "duration_minutes": 45,
        },
    )
    items = conference.agenda_items
    assert [(i.presenter, i.presenter_name) for i in items] == [
        (None, None),
        (speaker, None),
        (None, "GS. Khách Mời"),
    ]
    page = text(client.get(url))
    assert "08:10–09:10" in page and "09:10–09:55" in page
    assert "Dự kiến kết thúc: <strong>09:55</strong>" in page
    client.post(f"{url}/{items[2].id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [i.title for i in conference.agenda_items] == ["Khai mạc", "Chuyên đề", "Quán triệt"]


def test_agenda_item_citing_one_document_presents_it(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(starts_at=at(DAY, 8))
    doc = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    client.post(
        f"/conferences/{conference.id}/agenda",
        data={
            "title": "Quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023",
            "document_id": 0,
            "duration_minutes": 30,
            "cite_link": "24-CT/TU|2023-08-07",
        },
    )
    (item,) = db.session.scalars(select(AgendaItem).filter_by(conference_id=conference.id))
    assert item.document == doc
    assert conference.documents == [doc]


def test_bridge_points_on_the_conference_page(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(venue=factories.make_venue())
    ward = factories.make_venue(name="Hội trường phường Dịch Vọng")
    host = factories.make_person(conference.body, full_name="Lê Thị Chủ Trì")
    category = factories.make_category(conference.body)
    invitation = factories.make_invitation(conference, category=category)
    client.post(
        f"/conferences/{conference.id}/locations",
        data={"venue_id": ward.id, "host_name": host.full_name},
    )
    (location,) = conference.locations
    assert location.host == host
    client.post(
        f"/conferences/{conference.id}/locations/assign",
        data={"category_id": category.id, "location_id": location.id},
    )
    assert invitation.location_id == location.id
    page = text(client.get(f"/conferences/{conference.id}"))
    assert "Hội trường phường Dịch Vọng" in page and "Lê Thị Chủ Trì" in page


def test_duplicate_page_makes_a_draft(client, login):
    login(Role.SECRETARIAT)
    source = factories.make_conference(starts_at=at(DAY, 8), venue=factories.make_venue())
    response = client.post(
        f"/conferences/{source.id}/duplicate", data={"starts_at": "2031-06-18T08:00"}
    )
    copy = db.session.get(Conference, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy.id != source.id and copy.status == ConferenceStatus.DRAFT
    assert copy.starts_at == at(date(2031, 6, 18), 8)


def test_double_invitations_are_warned_on_the_page(client, login):
    login(Role.CLERK)
    body = factories.make_body()
    one = factories.make_conference(body, starts_at=at(DAY, 8))
    other = factories.make_conference(body, starts_at=at(DAY, 9), title="Hội nghị trùng giờ")
    person = factories.make_person(body, full_name="Phạm Văn Bận")
    factories.make_invitation(one, person)
    factories.make_invitation(other, person)
    page = text(client.get(f"/conferences/{one.id}"))
    assert 'id="double-invitations"' in page
    assert "Phạm Văn Bận" in page and "Hội nghị trùng giờ" in page


# --- Calendar and feeds -------------------------------------------------------------------


def test_calendar_page_month_and_week(client, login):
    login(Role.CLERK)
    conference = factories.make_conference(starts_at=at(DAY, 8), title="Hội nghị tháng sáu")
    month = text(client.get("/conferences/calendar?date=2031-06-01"))
    assert "Hội nghị tháng sáu" in month and "tháng 6/2031" in month
    week = text(client.get("/conferences/calendar?view=week&date=2031-06-12"))
    assert "Hội nghị tháng sáu" in week and "09/06/2031 – 15/06/2031" in week
    other_week = text(client.get("/conferences/calendar?view=week&date=2031-06-20"))
    assert "Hội nghị tháng sáu" not in other_week
    assert conference.body.calendar_token in month  # the subscription link for staff


def test_body_feed_is_public_by_token_only(client):
    body = factories.make_body()
    conference = factories.make_conference(body)
    response = client.get(f"/conferences/feeds/{body.calendar_token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == [conference.title]
    assert client.get(f"/conferences/feeds/{body.id}.ics").status_code == 404
    assert client.get("/conferences/feeds/not-a-token.ics").status_code == 404


def test_secretariat_rotates_a_leaked_feed_link(client, login):
    body = factories.make_body()
    old = body.calendar_token
    login(Role.CLERK)
    assert client.post(f"/conferences/feeds/{body.id}/rotate").status_code == 403
    login(Role.SECRETARIAT)
    client.post(f"/conferences/feeds/{body.id}/rotate")
    assert body.calendar_token != old
    assert client.get(f"/conferences/feeds/{old}.ics").status_code == 404
    assert client.get(f"/conferences/feeds/{body.calendar_token}.ics").status_code == 200


def test_conference_ics_download(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(starts_at=datetime(2031, 6, 11, 8, 0))
    response = client.get(f"/conferences/{conference.id}.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["summary"]) == conference.title


# --- Venues -------------------------------------------------------------------------------


def test_venue_create_edit_retire(client, login):
    login(Role.SECRETARIAT)
    client.post(
        "/conferences/venues/new", data={"name": "Hội trường B", "capacity": 120, "body_id": 0}
    )
    venue = db.session.scalar(select(Venue).filter_by(name="Hội trường B"))
    assert venue.capacity == 120
    duplicate = client.post("/conferences/venues/new", data={"name": "hội trường b", "body_id": 0})
    assert "Đã có địa điểm tên" in text(duplicate)
    client.post(
        f"/conferences/venues/{venue.id}/edit", data={"name": "Hội trường B1", "body_id": 0}
    )
    assert venue.name == "Hội trường B1"
    client.post(f"/conferences/venues/{venue.id}/retire")
    assert venue.retired_at is not None
    assert "Hội trường B1" not in text(client.get("/conferences/new"))


def test_people_picker_suggestions(client, login):
    login(Role.SECRETARIAT)
    person = factories.make_person(full_name="Nguyễn Văn Chiến", position="Phó Bí thư")
    found = client.get("/conferences/people.json?q=nguyen van chien").get_json()
    assert {
        "id": person.id,
        "name": "Nguyễn Văn Chiến",
        "label": "Nguyễn Văn Chiến — Phó Bí thư",
    } in found


def test_held_conference_pages_redirect_to_the_conference(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(status=ConferenceStatus.HELD)
    for page in ("edit", "agenda", "postpone"):
        response = client.get(f"/conferences/{conference.id}/{page}")
        assert response.headers["Location"] == f"/conferences/{conference.id}"
    assert client.get(f"/conferences/{conference.id}/duplicate").status_code == 200


# --- Forms that keep what was typed; valid pages --------------------------------------------


def test_a_refused_save_keeps_the_ticked_documents_to_register_and_link(client, login):
    login(Role.SECRETARIAT)
    body, hall = factories.make_body(), factories.make_venue(name="Hội trường nhỏ")
    factories.make_conference(body, venue=hall, starts_at=at(DAY, 8))
    directive = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    db.session.commit()  # a refused save rolls back the request's work only
    data = {
        **form(body, hall),
        "title": SEED_TITLE,
        "cite_seen": ["24-CT/TU|2023-08-07", "133-KH/QU|2023-08-28"],
        "cite_create": "133-KH/QU|2023-08-28",  # ticked; the link to 24-CT/TU unticked
    }
    refused = text(client.post("/conferences/new", data=data))
    assert "đã được đặt" in refused  # the hall is taken
    assert 'name="cite_create" value="133-KH/QU|2023-08-28" checked' in refused
    assert 'name="cite_link" value="24-CT/TU|2023-08-07">' in refused  # still unticked
    # Saved again in a free hour, the ticked plan is registered and linked, the other not.
    response = client.post(
        "/conferences/new",
        data={**data, "starts_at": "11/06/2031 13:00", "ends_at": "11/06/2031 16:00"},
    )
    assert response.status_code == 302
    conference = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
    assert [d.symbol for d in conference.documents] == ["133-KH/QU"]
    assert directive not in conference.documents


def test_the_secretary_may_be_typed_as_free_text(client, login):
    login(Role.SECRETARIAT)
    body = factories.make_body()
    response = client.post(
        "/conferences/new",
        data=form(body, title="Hội nghị có thư ký ngoài", secretary_name="Đỗ Thị Thư Ký"),
    )
    assert response.status_code == 302
    conference = db.session.scalar(select(Conference).filter_by(title="Hội nghị có thư ký ngoài"))
    assert conference.secretary is None and conference.secretary_text == "Đỗ Thị Thư Ký"
    assert conference.secretary_name == "Đỗ Thị Thư Ký"
    assert "Đỗ Thị Thư Ký" in text(client.get(f"/conferences/{conference.id}"))
    assert 'value="Đỗ Thị Thư Ký"' in text(client.get(f"/conferences/{conference.id}/edit"))
    # Someone of the directory is still linked as a person.
    person = factories.make_person(body, full_name="Vũ Văn Danh Bạ")
    client.post(
        f"/conferences/{conference.id}/edit",
        data=form(body, title=conference.title, secretary_name="Vũ Văn Danh Bạ"),
    )
    assert conference.secretary == person and conference.secretary_text is None


def test_dates_and_times_read_day_month_year_and_24_hours(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(starts_at=at(DAY, 14))
    page = text(client.get(f"/conferences/{conference.id}/edit"))
    assert 'type="text" value="11/06/2031 14:00"' in page.replace(
        'placeholder="dd/mm/yyyy hh:mm" ', ""
    )
    assert "datetime-local" not in page
    data = form(conference.body, title=conference.title)
    response = client.post(
        f"/conferences/{conference.id}/edit",
        data={**data, "starts_at": "12/6/2031 8:30", "ends_at": "12-06-2031 17h"},
    )
    assert response.status_code == 302
    assert (conference.starts_at, conference.ends_at) == (
        datetime(2031, 6, 12, 8, 30),
        datetime(2031, 6, 12, 17, 0),
    )
    refused = text(
        client.post(
            f"/conferences/{conference.id}/edit", data={**data, "starts_at": "06/31/2031 2:00 PM"}
        )
    )
    assert "Hãy ghi ngày giờ theo dạng dd/mm/yyyy hh:mm" in refused
    assert 'value="06/31/2031 2:00 PM"' in refused  # what was typed stays to be corrected


def test_deleting_an_agenda_item_asks_first(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference(starts_at=at(DAY, 8))
    client.post(
        f"/conferences/{conference.id}/agenda",
        data={"title": "Phát biểu khai mạc", "document_id": 0, "duration_minutes": 10},
    )
    (item,) = conference.agenda_items
    url = f"/conferences/{conference.id}/agenda/{item.id}/delete"
    agenda = text(client.get(f"/conferences/{conference.id}/agenda"))
    assert f'href="{url}"' in agenda and f'action="{url}"' not in agenda  # a link, not a POST
    confirm = text(client.get(url))
    assert "Xóa mục này khỏi chương trình?" in confirm and "Phát biểu khai mạc" in confirm
    db.session.expire_all()
    assert len(conference.agenda_items) == 1  # asking removed nothing
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert conference.agenda_items == []


@pytest.mark.parametrize("page", ["/conferences/{id}", "/conferences/{id}/agenda"])
def test_conference_pages_are_valid_html(client, login, page):
    from tests.support.html import html_problems

    login(Role.SECRETARIAT)
    conference = factories.make_conference(starts_at=at(DAY, 8), venue=factories.make_venue())
    factories.make_category(conference.body)
    client.post(
        f"/conferences/{conference.id}/agenda",
        data={"title": "Khai mạc", "document_id": 0, "duration_minutes": 10},
    )
    html = text(client.get(page.format(id=conference.id)))
    assert 'id="expected-end"' in html
    assert html_problems(html) == []

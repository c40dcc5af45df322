"""Calendar lists and iCalendar files, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from meetings.conferences import calendar
from meetings.models import ConferenceStatus, Role
from tests import factories
from tests.factories import at

DAY = date(2031, 5, 14)  # a Wednesday


def test_month_and_week_periods():
    month = calendar.period("month", DAY)
    assert (month.first, month.last) == (date(2031, 5, 1), date(2031, 5, 31))
    assert month.previous == date(2031, 4, 30) and month.next == date(2031, 6, 1)
    week = calendar.period("week", DAY)
    assert (week.first, week.last) == (date(2031, 5, 12), date(2031, 5, 18))
    assert len(week.days()) == 7


def test_calendar_lists_by_day_and_filters_by_venue_and_body():
    clerk = factories.make_user(Role.CLERK)
    body, other_body = factories.make_body(), factories.make_body()
    hall, ward = factories.make_venue(), factories.make_venue()
    a = factories.make_conference(body, venue=hall, starts_at=at(DAY, 8))
    b = factories.make_conference(other_body, venue=ward, starts_at=at(DAY, 14))
    relayed = factories.make_conference(body, venue=hall, starts_at=at(date(2031, 5, 20), 8))
    factories.make_location(relayed, venue=ward)
    factories.make_conference(body, venue=hall, starts_at=at(date(2031, 6, 2), 8))  # next month
    month = calendar.period("month", DAY)
    assert calendar.conferences_in(month, clerk) == {DAY: [a, b], date(2031, 5, 20): [relayed]}
    assert calendar.conferences_in(month, clerk, venue_id=ward.id) == {
        DAY: [b],
        date(2031, 5, 20): [relayed],
    }
    assert calendar.conferences_in(month, clerk, body_id=other_body.id) == {DAY: [b]}


def test_door_staff_calendar_shows_only_their_conferences():
    door = factories.make_user(Role.DOOR)
    mine = factories.make_conference(starts_at=at(DAY, 8))
    factories.make_conference(starts_at=at(DAY, 14))
    factories.make_door_assignment(mine, door)
    assert calendar.conferences_in(calendar.period("week", DAY), door) == {DAY: [mine]}


def only_event(data: bytes) -> icalendar.Event:
    cal = icalendar.Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return event


def test_conference_ics_parses_back(app):
    body = factories.make_body(name="Đảng ủy phường Cầu Giấy")
    chair = factories.make_person(body, full_name="Trần Thị Phương Hoa")
    doc = factories.make_document(symbol="24-CT/TU", kind="Chỉ thị")
    conference = factories.make_conference(
        body,
        title="Hội nghị quán triệt Chỉ thị số 24-CT/TU; kỷ cương, kỷ luật",
        venue=factories.make_venue(name="Hội trường Đảng ủy", address="1 Cầu Giấy"),
        chair=chair,
        documents=[doc],
        starts_at=datetime(2031, 5, 14, 8, 0),
    )
    data = calendar.conference_ics(conference, "https://hoinghi.example.vn/conferences/1")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded by octets
    event = only_event(data)
    assert str(event["summary"]) == conference.title
    # 08:00 in Hanoi (UTC+7) is 01:00 UTC
    assert event.decoded("dtstart") == datetime(2031, 5, 14, 1, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2031, 5, 14, 4, 0, tzinfo=UTC)
    assert str(event["location"]) == "Hội trường Đảng ủy, 1 Cầu Giấy"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == f"conference-{conference.id}@hoinghi.example.vn"
    description = str(event["description"])
    assert "Chủ trì: Trần Thị Phương Hoa" in description
    assert "Văn bản: Chỉ thị số 24-CT/TU" in description
    assert str(event["url"]) == "https://hoinghi.example.vn/conferences/1"


def test_cancelled_conference_is_cancelled_in_the_calendar(app):
    conference = factories.make_conference(
        status=ConferenceStatus.CANCELLED, cancel_reason="Hoãn do bão"
    )
    event = only_event(calendar.conference_ics(conference))
    assert str(event["status"]) == "CANCELLED"
    assert "Hoãn do bão" in str(event["description"])


def test_body_feed_holds_announced_conferences_of_the_body_only(app):
    body = factories.make_body()
    scheduled = factories.make_conference(body, title="Đã lên lịch")
    cancelled = factories.make_conference(
        body, title="Đã hủy", status=ConferenceStatus.CANCELLED, cancel_reason="x"
    )
    factories.make_conference(body, title="Dự thảo", status=ConferenceStatus.DRAFT)
    factories.make_conference(title="Của đơn vị khác")
    factories.make_conference(body, title="Quá cũ", starts_at=datetime(2001, 1, 1, 8, 0))
    cal = icalendar.Calendar.from_ical(calendar.body_feed(body, lambda c: f"https://x/{c.id}"))
    assert str(cal["x-wr-calname"]) == body.name
    events = {str(e["summary"]): str(e["status"]) for e in cal.walk("VEVENT")}
    assert events == {scheduled.title: "CONFIRMED", cancelled.title: "CANCELLED"}


def test_body_by_token():
    body = factories.make_body()
    assert len(body.calendar_token) >= 20
    assert calendar.body_by_token(body.calendar_token) == body
    assert calendar.body_by_token(str(body.id)) is None
    assert calendar.body_by_token("") is None

"""Scheduling rules without HTTP: hall conflicts, status transitions, double invitations,
bridge points, postponing and duplicating."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from meetings.conferences import scheduling
from meetings.conferences.scheduling import ConferenceData, SchedulingError, VenueConflict
from meetings.extensions import db
from meetings.models import AuditEntry, ConferenceStatus, Role
from tests import factories
from tests.factories import at

DAY = date(2031, 3, 10)


def data(body, venue=None, start=(9, 0), end=(11, 0), **kw) -> ConferenceData:
    return ConferenceData(
        title=kw.pop("title", "Hội nghị quán triệt Nghị quyết"),
        body_id=body.id,
        starts_at=at(DAY, *start),
        ends_at=at(DAY, *end),
        venue_id=venue.id if venue else None,
        **kw,
    )


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).filter_by(action=action)))


# --- Venue conflicts ----------------------------------------------------------------------


def test_overlapping_conference_in_the_same_hall_is_refused_naming_the_other():
    body, hall = factories.make_body(), factories.make_venue(name="Hội trường A")
    first = scheduling.create_conference(data(body, hall, title="Hội nghị thứ nhất"))
    with pytest.raises(VenueConflict) as refused:
        scheduling.create_conference(data(body, hall, start=(10, 0), end=(12, 0)))
    assert refused.value.other == first
    message = str(refused.value)
    assert "Hội trường A" in message and "Hội nghị thứ nhất" in message and "09:00" in message


def test_back_to_back_conferences_share_a_hall():
    body, hall = factories.make_body(), factories.make_venue()
    scheduling.create_conference(data(body, hall, start=(8, 0), end=(10, 0)))
    second = scheduling.create_conference(data(body, hall, start=(10, 0), end=(12, 0)))
    assert second.id


def test_another_hall_at_the_same_time_is_free():
    body = factories.make_body()
    scheduling.create_conference(data(body, factories.make_venue()))
    assert scheduling.create_conference(data(body, factories.make_venue())).id


def test_cancelled_conference_frees_the_hall():
    body, hall = factories.make_body(), factories.make_venue()
    first = scheduling.create_conference(data(body, hall))
    scheduling.change_status(first, ConferenceStatus.CANCELLED, reason="Trùng lịch")
    assert scheduling.create_conference(data(body, hall)).id


def test_editing_a_conference_does_not_conflict_with_itself():
    body, hall = factories.make_body(), factories.make_venue()
    conference = scheduling.create_conference(data(body, hall))
    scheduling.update_conference(conference, data(body, hall, start=(9, 30), end=(11, 30)))
    assert conference.starts_at == at(DAY, 9, 30)


def test_moving_into_a_taken_slot_is_refused_and_nothing_changes():
    body, hall = factories.make_body(), factories.make_venue()
    scheduling.create_conference(data(body, hall, start=(14, 0), end=(16, 0)))
    morning = scheduling.create_conference(data(body, hall))
    with pytest.raises(VenueConflict):
        scheduling.postpone(morning, at(DAY, 15, 0), at(DAY, 17, 0))
    assert morning.starts_at == at(DAY, 9, 0)


def test_a_bridge_point_conflicts_with_a_main_hall_elsewhere():
    body, hall, ward = factories.make_body(), factories.make_venue(), factories.make_venue()
    city = scheduling.create_conference(
        data(body, hall, title="Hội nghị trực tuyến toàn thành phố")
    )
    scheduling.add_location(city, ward, None)
    with pytest.raises(VenueConflict) as refused:
        scheduling.create_conference(data(body, ward, start=(10, 0), end=(11, 0)))
    assert refused.value.other == city and refused.value.venue == ward


def test_a_bridge_point_cannot_be_a_hall_taken_at_that_time():
    body, hall, ward = factories.make_body(), factories.make_venue(), factories.make_venue()
    taken = scheduling.create_conference(data(body, ward, title="Hội nghị phường"))
    city = scheduling.create_conference(data(body, hall))
    with pytest.raises(VenueConflict) as refused:
        scheduling.add_location(city, ward, None)
    assert refused.value.other == taken
    assert city.locations == []


def test_two_bridge_points_in_one_hall_conflict():
    body, ward = factories.make_body(), factories.make_venue()
    first = scheduling.create_conference(data(body, factories.make_venue()))
    scheduling.add_location(first, ward, None)
    second = scheduling.create_conference(data(body, factories.make_venue()))
    with pytest.raises(VenueConflict):
        scheduling.add_location(second, ward, None)


def test_end_before_start_is_refused():
    body = factories.make_body()
    with pytest.raises(SchedulingError):
        scheduling.create_conference(data(body, start=(11, 0), end=(9, 0)))


def test_retired_venue_is_refused_for_new_conferences():
    body, hall = factories.make_body(), factories.make_venue(retired_at=datetime(2030, 1, 1))
    with pytest.raises(SchedulingError):
        scheduling.create_conference(data(body, hall))


# --- Status transitions -------------------------------------------------------------------


def test_new_conference_is_a_draft_and_the_creation_is_audited():
    user = factories.make_user(Role.SECRETARIAT)
    conference = scheduling.create_conference(data(factories.make_body()), user)
    assert conference.status == ConferenceStatus.DRAFT
    assert [e.user for e in audit("conference.create")] == [user]


def test_draft_to_scheduled_to_held_is_recorded():
    conference = factories.make_conference(
        status=ConferenceStatus.DRAFT, starts_at=datetime(2020, 5, 1, 8, 0)
    )
    scheduling.change_status(conference, ConferenceStatus.SCHEDULED)
    scheduling.change_status(conference, ConferenceStatus.HELD)
    assert conference.status == ConferenceStatus.HELD
    assert audit("conference.scheduled")[0].detail == {"from": "draft", "to": "scheduled"}
    assert audit("conference.held")[0].detail == {"from": "scheduled", "to": "held"}


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ConferenceStatus.DRAFT, ConferenceStatus.HELD),
        (ConferenceStatus.HELD, ConferenceStatus.SCHEDULED),
        (ConferenceStatus.HELD, ConferenceStatus.CANCELLED),
        (ConferenceStatus.CANCELLED, ConferenceStatus.SCHEDULED),
        (ConferenceStatus.CANCELLED, ConferenceStatus.DRAFT),
        (ConferenceStatus.SCHEDULED, ConferenceStatus.DRAFT),
        (ConferenceStatus.SCHEDULED, ConferenceStatus.SCHEDULED),
    ],
)
def test_illegal_transitions_are_refused(start, target):
    conference = factories.make_conference(status=start, starts_at=datetime(2020, 5, 1, 8, 0))
    with pytest.raises(SchedulingError):
        scheduling.change_status(conference, target, reason="lý do")
    assert conference.status == start
    assert audit(f"conference.{target.value}") == []


def test_cancelling_needs_a_reason_and_keeps_it():
    conference = factories.make_conference()
    with pytest.raises(SchedulingError):
        scheduling.change_status(conference, ConferenceStatus.CANCELLED, reason="  ")
    scheduling.change_status(conference, ConferenceStatus.CANCELLED, reason="Bão số 3")
    assert conference.cancel_reason == "Bão số 3"
    assert audit("conference.cancelled")[0].detail["reason"] == "Bão số 3"


def test_a_draft_can_be_cancelled():
    conference = factories.make_conference(status=ConferenceStatus.DRAFT)
    scheduling.change_status(conference, ConferenceStatus.CANCELLED, reason="Không tổ chức")
    assert conference.status == ConferenceStatus.CANCELLED


def test_a_future_conference_cannot_be_marked_held():
    conference = factories.make_conference(starts_at=datetime(2099, 1, 1, 8, 0))
    with pytest.raises(SchedulingError):
        scheduling.change_status(conference, ConferenceStatus.HELD)


def test_held_and_cancelled_conferences_cannot_be_edited_or_moved():
    body = factories.make_body()
    held = factories.make_conference(body, status=ConferenceStatus.HELD)
    with pytest.raises(SchedulingError):
        scheduling.update_conference(held, data(body))
    with pytest.raises(SchedulingError):
        scheduling.postpone(held, at(DAY, 9), at(DAY, 10))


def test_postponing_moves_fixed_agenda_times_and_is_audited():
    conference = factories.make_conference(starts_at=at(DAY, 8))
    item = factories.make_agenda_item(conference, planned_start=at(DAY, 9))
    scheduling.postpone(conference, at(DAY + timedelta(days=2), 14), at(DAY + timedelta(2), 17))
    assert item.planned_start == at(DAY + timedelta(days=2), 15)
    (entry,) = audit("conference.postpone")
    assert entry.detail["old_start"] == "2031-03-10T08:00:00"
    assert entry.detail["new_start"] == "2031-03-12T14:00:00"


# --- People invited twice at once ---------------------------------------------------------


def test_people_invited_to_overlapping_conferences_are_listed_on_both():
    body = factories.make_body()
    one = factories.make_conference(body, starts_at=at(DAY, 8))
    other = factories.make_conference(body, starts_at=at(DAY, 10))  # 10:00–13:00 overlaps
    later = factories.make_conference(body, starts_at=at(DAY, 14))
    both, only_one = factories.make_person(body), factories.make_person(body)
    for conference in (one, other, later):
        factories.make_invitation(conference, both)
    factories.make_invitation(one, only_one)
    assert [(d.person, d.other) for d in scheduling.double_invitations(one)] == [(both, other)]
    assert [(d.person, d.other) for d in scheduling.double_invitations(other)] == [(both, one)]
    assert [(d.person, d.other) for d in scheduling.double_invitations(later)] == []
    assert [scheduling.count_double_invitations(c) for c in (one, other, later)] == [1, 1, 0]


def test_double_invitations_are_capped_and_counted():
    body = factories.make_body()
    one = factories.make_conference(body, starts_at=at(DAY, 8))
    other = factories.make_conference(body, starts_at=at(DAY, 9))
    for _ in range(5):
        person = factories.make_person(body)
        factories.make_invitation(one, person)
        factories.make_invitation(other, person)
    assert len(scheduling.double_invitations(one, limit=3)) == 3
    assert scheduling.count_double_invitations(one) == 5


def test_cancelled_conference_is_no_double_invitation():
    body = factories.make_body()
    one = factories.make_conference(body, starts_at=at(DAY, 8))
    other = factories.make_conference(body, starts_at=at(DAY, 9), status=ConferenceStatus.CANCELLED)
    person = factories.make_person(body)
    factories.make_invitation(one, person)
    factories.make_invitation(other, person)
    assert scheduling.double_invitations(one) == []


# --- Bridge points ------------------------------------------------------------------------


def test_invitees_are_assigned_to_a_bridge_point_by_category():
    body = factories.make_body()
    conference = factories.make_conference(body, venue=factories.make_venue())
    wards, others = factories.make_category(body), factories.make_category(body)
    location = scheduling.add_location(conference, factories.make_venue(), None)
    in_ward = [factories.make_invitation(conference, category=wards) for _ in range(3)]
    elsewhere = factories.make_invitation(conference, category=others)
    moved = scheduling.assign_category_to_location(conference, wards.id, location)
    assert moved == 3
    assert {i.location_id for i in in_ward} == {location.id}
    assert elsewhere.location_id is None
    assert scheduling.location_counts(conference) == {location.id: 3, None: 1}


def test_location_of_another_conference_is_refused():
    conference = factories.make_conference(venue=factories.make_venue())
    other = factories.make_conference(starts_at=at(DAY, 8))
    location = scheduling.add_location(other, factories.make_venue(), None)
    invitation = factories.make_invitation(conference)
    with pytest.raises(SchedulingError):
        scheduling.assign_location([invitation], location)


def test_removing_a_bridge_point_sends_its_invitees_to_the_main_hall():
    conference = factories.make_conference(venue=factories.make_venue())
    location = scheduling.add_location(conference, factories.make_venue(), None)
    invitation = factories.make_invitation(conference, location=location)
    scheduling.remove_location(location)
    db.session.refresh(invitation)
    assert invitation.location_id is None
    assert conference.locations == []


# --- Duplicating --------------------------------------------------------------------------


def test_duplicate_copies_agenda_documents_and_bridge_points_but_not_invitations():
    body = factories.make_body()
    documents = [factories.make_document(), factories.make_document()]
    source = factories.make_conference(
        body, documents=documents, venue=factories.make_venue(), starts_at=at(DAY, 8)
    )
    factories.make_agenda_item(source, title="Quán triệt", position=1, planned_start=at(DAY, 8))
    factories.make_agenda_item(source, title="Phát biểu", position=2)
    ward = factories.make_venue()
    scheduling.add_location(source, ward, factories.make_person(body))
    factories.make_invitation(source)
    copy = scheduling.duplicate(source, at(DAY + timedelta(days=7), 8))
    db.session.expire_all()
    assert copy.status == ConferenceStatus.DRAFT
    assert copy.ends_at == at(DAY + timedelta(days=7), 11)
    assert copy.documents == documents
    assert [(i.title, i.planned_start) for i in copy.agenda_items] == [
        ("Quán triệt", at(DAY + timedelta(days=7), 8)),
        ("Phát biểu", None),
    ]
    assert [loc.venue for loc in copy.locations] == [ward]
    assert scheduling.location_counts(copy) == {}
    assert audit("conference.duplicate")[0].detail == {"source": source.id}


def test_duplicate_at_the_same_time_conflicts_with_the_original():
    source = factories.make_conference(venue=factories.make_venue(), starts_at=at(DAY, 8))
    with pytest.raises(VenueConflict):
        scheduling.duplicate(source, at(DAY, 9))


# --- Who reads what -----------------------------------------------------------------------


def test_door_staff_read_only_their_conferences():
    door = factories.make_user(Role.DOOR)
    mine, theirs = factories.make_conference(), factories.make_conference()
    factories.make_door_assignment(mine, door)
    assert scheduling.can_read(mine, door) and not scheduling.can_read(theirs, door)
    for role in (Role.CLERK, Role.SECRETARIAT, Role.ADMIN):
        assert scheduling.can_read(theirs, factories.make_user(role))

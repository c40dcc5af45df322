"""The agenda's planned times, the expected end, and reordering."""

from __future__ import annotations

from datetime import date

import pytest

from meetings.conferences import agenda
from meetings.conferences.agenda import ItemData
from meetings.conferences.scheduling import SchedulingError
from meetings.models import ConferenceStatus
from tests import factories
from tests.factories import at

DAY = date(2031, 4, 2)


@pytest.fixture
def conference():
    return factories.make_conference(starts_at=at(DAY, 8, 0))  # 08:00–11:00


def times(conference) -> list[tuple[str, str, str | None]]:
    return [
        (
            row.item.title,
            row.starts_at.strftime("%H:%M"),
            row.ends_at and row.ends_at.strftime("%H:%M"),
        )
        for row in agenda.timetable(conference).items
    ]


def test_items_follow_each_other_from_the_start(conference):
    presenter = factories.make_person(conference.body)
    agenda.add_item(conference, ItemData("Khai mạc", duration_minutes=10))
    agenda.add_item(conference, ItemData("Quán triệt Chỉ thị", presenter.id, duration_minutes=60))
    agenda.add_item(
        conference, ItemData("Kế hoạch", presenter_name="PGS. TS. Lê Văn B", duration_minutes=45)
    )
    assert times(conference) == [
        ("Khai mạc", "08:00", "08:10"),
        ("Quán triệt Chỉ thị", "08:10", "09:10"),
        ("Kế hoạch", "09:10", "09:55"),
    ]
    table = agenda.timetable(conference)
    assert table.expected_end == at(DAY, 9, 55)
    assert not table.overruns
    assert conference.agenda_items[1].presenter_label == presenter.full_name
    assert conference.agenda_items[2].presenter_label == "PGS. TS. Lê Văn B"


def test_a_fixed_start_sets_the_pace_for_what_follows(conference):
    agenda.add_item(conference, ItemData("Khai mạc", duration_minutes=10))
    agenda.add_item(
        conference, ItemData("Sau giải lao", planned_start=at(DAY, 9, 30), duration_minutes=30)
    )
    agenda.add_item(conference, ItemData("Kết luận", duration_minutes=20))
    assert times(conference)[1:] == [
        ("Sau giải lao", "09:30", "10:00"),
        ("Kết luận", "10:00", "10:20"),
    ]


def test_overrun_is_flagged(conference):
    agenda.add_item(conference, ItemData("Dài", duration_minutes=200))
    assert agenda.timetable(conference).overruns


def test_no_expected_end_without_the_last_duration(conference):
    agenda.add_item(conference, ItemData("Khai mạc", duration_minutes=10))
    agenda.add_item(conference, ItemData("Thảo luận"))
    table = agenda.timetable(conference)
    assert table.expected_end is None
    assert times(conference)[1] == ("Thảo luận", "08:10", None)


def test_move_up_and_down_and_at_the_ends(conference):
    for title in ("A", "B", "C"):
        agenda.add_item(conference, ItemData(title, duration_minutes=10))
    a, b, c = conference.agenda_items
    agenda.move_item(c, -1)
    assert [i.title for i in conference.agenda_items] == ["A", "C", "B"]
    agenda.move_item(a, -1)  # already first: nothing moves
    agenda.move_item(b, 1)  # already last
    assert [i.title for i in conference.agenda_items] == ["A", "C", "B"]
    agenda.move_item(a, 1)
    assert [i.title for i in conference.agenda_items] == ["C", "A", "B"]
    assert [i.position for i in conference.agenda_items] == [1, 2, 3]


def test_remove_renumbers(conference):
    for title in ("A", "B", "C"):
        agenda.add_item(conference, ItemData(title, duration_minutes=10))
    agenda.remove_item(conference.agenda_items[0])
    assert [(i.title, i.position) for i in conference.agenda_items] == [("B", 1), ("C", 2)]


@pytest.mark.parametrize(
    "bad",
    [
        ItemData(""),
        ItemData("A", duration_minutes=0),
        ItemData("A", planned_start=at(DAY, 6, 0)),
        ItemData("A", presenter_id=10**9),
    ],
)
def test_invalid_items_are_refused(conference, bad):
    with pytest.raises(SchedulingError):
        agenda.add_item(conference, bad)
    assert conference.agenda_items == []


def test_agenda_of_a_held_conference_is_frozen():
    conference = factories.make_conference(status=ConferenceStatus.HELD)
    with pytest.raises(SchedulingError):
        agenda.add_item(conference, ItemData("Muộn", duration_minutes=10))

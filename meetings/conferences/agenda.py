"""The agenda (chương trình): ordered items and the time each is planned for.

An item either has a fixed planned start or follows the previous one; its duration gives its
end. The first item without a fixed start begins when the conference does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from meetings.conferences.scheduling import SchedulingError, require_editable
from meetings.extensions import db
from meetings.models import AgendaItem, Conference, Person, User, record


@dataclass(frozen=True)
class PlannedItem:
    item: AgendaItem
    starts_at: datetime
    ends_at: datetime | None  # None: no duration given, the next item sets the pace


@dataclass(frozen=True)
class Timetable:
    items: list[PlannedItem]
    expected_end: datetime | None  # end of the last item; None when a duration is missing
    planned_end: datetime  # the conference's own end

    @property
    def overruns(self) -> bool:
        """Whether the programme runs past the conference's planned end."""
        return bool(self.expected_end and self.expected_end > self.planned_end)


def timetable(conference: Conference) -> Timetable:
    """Each item's planned start and end, and the expected end of the whole programme."""
    cursor: datetime | None = conference.starts_at
    planned = []
    for item in conference.agenda_items:
        start = item.planned_start or cursor or conference.starts_at
        end = start + timedelta(minutes=item.duration_minutes) if item.duration_minutes else None
        planned.append(PlannedItem(item, start, end))
        cursor = end
    expected = planned[-1].ends_at if planned else None
    return Timetable(planned, expected, conference.ends_at)


@dataclass
class ItemData:
    title: str
    presenter_id: int | None = None
    presenter_name: str | None = None  # an outside speaker, not in the directory
    document_id: int | None = None
    planned_start: datetime | None = None
    duration_minutes: int | None = None


def _validate(conference: Conference, data: ItemData) -> None:
    if not data.title:
        raise SchedulingError(_l("Give the item a title."))
    if data.duration_minutes is not None and not 0 < data.duration_minutes <= 24 * 60:
        raise SchedulingError(_l("The duration is in minutes, between 1 and 1440."))
    if data.planned_start and not (
        conference.starts_at <= data.planned_start < conference.ends_at + timedelta(hours=12)
    ):
        raise SchedulingError(_l("The planned start must be during the conference."))
    if data.presenter_id and db.session.get(Person, data.presenter_id) is None:
        raise SchedulingError(_l("Choose the presenter from the directory."))


def add_item(conference: Conference, data: ItemData, user: User | None = None) -> AgendaItem:
    """Append an item at the end of the agenda."""
    require_editable(conference)
    _validate(conference, data)
    position = max((i.position for i in conference.agenda_items), default=0) + 1
    item = AgendaItem(position=position, **_fields(data))
    conference.agenda_items.append(item)
    db.session.flush()
    record("agenda.add", conference, user, item=item.id, title=item.title)
    return item


def update_item(item: AgendaItem, data: ItemData, user: User | None = None) -> AgendaItem:
    require_editable(item.conference)
    _validate(item.conference, data)
    for key, value in _fields(data).items():
        setattr(item, key, value)
    db.session.flush()
    record("agenda.update", item.conference, user, item=item.id, title=item.title)
    return item


def _fields(data: ItemData) -> dict:
    fields = vars(data).copy()
    if data.presenter_id:
        fields["presenter_name"] = None  # one presenter: the directory's wins
    return fields


def remove_item(item: AgendaItem, user: User | None = None) -> None:
    conference = item.conference
    require_editable(conference)
    record("agenda.remove", conference, user, item=item.id, title=item.title)
    conference.agenda_items.remove(item)
    _renumber(conference)
    db.session.flush()


def move_item(item: AgendaItem, step: int, user: User | None = None) -> None:
    """Move an item up (step -1) or down (+1); at either end nothing moves."""
    conference = item.conference
    require_editable(conference)
    items = list(conference.agenda_items)
    index = items.index(item)
    target = index + step
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.flush()
    db.session.expire(conference, ["agenda_items"])
    record("agenda.move", conference, user, item=item.id, position=target + 1)


def _renumber(conference: Conference) -> None:
    for position, each in enumerate(conference.agenda_items, start=1):
        each.position = position

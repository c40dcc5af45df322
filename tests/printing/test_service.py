"""When letters should go out: three working days ahead."""

from datetime import date, timedelta

import pytest

from meetings.clock import now
from meetings.models import Role
from meetings.printing.service import working_days_between
from tests import factories


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2023, 9, 11), date(2023, 9, 15), 4),  # Monday → Friday
        (date(2023, 9, 14), date(2023, 9, 18), 2),  # Thursday → Monday: Friday, Monday
        (date(2023, 9, 15), date(2023, 9, 17), 0),  # Friday → Sunday
        (date(2023, 9, 15), date(2023, 9, 15), 0),
        (date(2023, 9, 18), date(2023, 9, 15), 0),
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_letters_page_warns_when_letters_would_arrive_late(client, login):
    login(Role.CLERK)
    soon = factories.make_conference(starts_at=now().replace(second=0) + timedelta(days=1))
    later = factories.make_conference(starts_at=now().replace(second=0) + timedelta(days=10))
    factories.make_invitation(soon)
    factories.make_invitation(later)
    assert 'id="letters-late"' in client.get(f"/printing/conferences/{soon.id}/letters").text
    assert 'id="letters-late"' not in client.get(f"/printing/conferences/{later.id}/letters").text

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from meetings.demo import SEED_TITLE, load_demo
from meetings.extensions import db
from meetings.models import CheckIn, CheckInMethod, Conference, Invitation, Rsvp
from tests.factories import make_checkin


@pytest.fixture
def seed():
    """The demo conference of 15/9/2023 with 30 check-ins, an excused absentee, a substitute
    and a walk-in."""
    load_demo()
    conference = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
    invitations = db.session.scalars(
        select(Invitation).filter_by(conference_id=conference.id).order_by(Invitation.id)
    ).all()
    for i, invitation in enumerate(invitations[:30]):
        make_checkin(
            invitation,
            method=CheckInMethod.DOOR,
            checked_in_at=datetime(2023, 9, 15, 7, 30 + i % 25),
            **(
                {"substitute_name": "Lê Văn Bảy", "substitute_position": "Phó Bí thư"}
                if i == 4
                else {}
            ),
        )
    excused = invitations[-1]
    excused.rsvp = Rsvp.EXCUSED
    excused.absence_reason = "Đi công tác nước ngoài"
    walk_in = CheckIn(
        conference_id=conference.id,
        method=CheckInMethod.DESK,
        checked_in_at=datetime(2023, 9, 15, 8, 5),
        walk_in_name="Đặng Thị Ánh",
        walk_in_position="Phóng viên",
        walk_in_unit="Báo Hà Nội mới",
    )
    db.session.add(walk_in)
    db.session.flush()
    return conference

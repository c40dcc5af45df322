"""A held conference on a document, and a study round on it.

Unit A: `came` (checked in), `self_studied` (absent, self-study recorded), `absent` (absent).
Unit B: `came_b` (checked in), `principal` (a unit role whose deputy came in her place).
A draft make-up invites `absent` again; a cancelled conference invites `stranger`.
"""

from datetime import datetime

import pytest

from meetings.models import ConferenceStatus, UnitKind
from meetings.study.service import open_round
from tests import factories as f
from tests.support.smtp import mail_config, smtp  # noqa: F401 (fixtures)


@pytest.fixture
def world():
    body = f.make_body(name="Quận ủy Thử", place_name="Cầu Giấy", symbol="QU")
    unit_a = f.make_unit(body, name="Chi bộ An")
    unit_b = f.make_unit(body, name="Chi bộ Bình", kind=UnitKind.PARTY_ORG)
    document = f.make_document(symbol="24-CT/TU")
    conference = f.make_conference(body, documents=[document], starts_at=datetime(2023, 9, 15, 8))
    people = {
        "came": f.make_person(body, full_name="Nguyễn Văn Đến", unit=unit_a),
        "self_studied": f.make_person(body, full_name="Trần Thị Tự", unit=unit_a),
        "absent": f.make_person(body, full_name="Lê Văn Vắng", unit=unit_a),
        "came_b": f.make_person(body, full_name="Phạm Thị Bình", unit=unit_b),
        "principal": f.make_person(body, full_name="Hoàng Văn Bí", unit=unit_b),
        "stranger": f.make_person(body, full_name="Đỗ Văn Lạ", unit=unit_b),
    }
    invitations = {
        key: f.make_invitation(conference, people[key])
        for key in ("came", "self_studied", "absent", "came_b")
    }
    invitations["principal"] = f.make_invitation(
        conference, people["principal"], unit=unit_b, role_title="Bí thư", deputy_allowed=True
    )
    f.hold(conference, [invitations["came"], invitations["came_b"]])
    f.make_checkin(invitations["principal"], substitute_name="Vũ Thị Phó")
    f.make_self_study(people["self_studied"], document)
    makeup = f.make_conference(
        body, documents=[document], status=ConferenceStatus.DRAFT, makeup_of=conference
    )
    f.make_invitation(makeup, people["absent"])
    cancelled = f.make_conference(body, documents=[document], status=ConferenceStatus.CANCELLED)
    f.hold(cancelled, [f.make_invitation(cancelled, people["stranger"])])
    cancelled.status = ConferenceStatus.CANCELLED
    study = open_round(body, document, datetime(2023, 10, 15, 23, 59, 59), conference=conference)
    return dict(
        body=body,
        document=document,
        conference=conference,
        study=study,
        units={"a": unit_a, "b": unit_b},
        invitations=invitations,
        **people,
    )

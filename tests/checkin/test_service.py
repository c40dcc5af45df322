"""The check-in rules, without HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from meetings.checkin.service import (
    SELF,
    Actor,
    Status,
    bulk_check_in,
    check_in,
    find_attendee,
    find_by_short_code,
    record_walk_in,
    token_from_scan,
    undo_check_in,
)
from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    AuditEntry,
    CheckIn,
    CheckInMethod,
    ConferenceStatus,
    Role,
    Rsvp,
    ScanFailure,
)
from tests import factories


def _failures(**filters) -> list[ScanFailure]:
    return list(db.session.scalars(select(ScanFailure).filter_by(**filters)))


def test_first_scan_checks_in_and_the_second_says_already_with_time_and_who():
    clerk = factories.make_user(Role.CLERK, full_name="Lê Thị Văn Thư")
    invitation = factories.make_invitation(rsvp=Rsvp.CONFIRMED)
    first = check_in(invitation.token, method=CheckInMethod.DESK, actor=Actor.of(clerk), gate="A")
    assert first.status == Status.OK
    assert first.attendee.name == invitation.person.full_name
    second = check_in(invitation.token, method=CheckInMethod.DOOR, actor=SELF)
    assert second.status == Status.ALREADY
    assert second.checked_in_at == first.checked_in_at
    assert second.by == "Lê Thị Văn Thư"
    assert second.method == CheckInMethod.DESK
    rows = db.session.scalars(select(CheckIn).filter_by(invitation_id=invitation.id)).all()
    assert len(rows) == 1
    assert rows[0].gate == "A" and rows[0].user_id == clerk.id
    assert _failures(conference_id=invitation.conference_id) == []  # "already" is no failure


def test_check_in_by_attendee_id_or_token_are_the_same_check_in():
    invitation = factories.make_invitation()
    attendee = find_attendee(invitation.token)
    assert check_in(attendee, method=CheckInMethod.DESK).status == Status.OK
    assert check_in(invitation.id, method=CheckInMethod.DESK).status == Status.ALREADY
    again = check_in(invitation.token, method=CheckInMethod.SELF)
    assert again.status == Status.ALREADY and again.by is None


def test_window_opens_before_the_start_and_closes_at_the_end():
    start = now().replace(second=0) + timedelta(hours=2)
    conference = factories.make_conference(starts_at=start, checkin_opens_minutes=60)
    invitation = factories.make_invitation(conference)
    early = check_in(invitation.token, method=CheckInMethod.DESK, at=start - timedelta(minutes=61))
    assert early.status == Status.NOT_OPEN
    assert early.opens_at == start - timedelta(minutes=60)
    late = check_in(
        invitation.token, method=CheckInMethod.DESK, at=conference.ends_at + timedelta(seconds=1)
    )
    assert late.status == Status.CLOSED
    on_time = check_in(
        invitation.token, method=CheckInMethod.DESK, at=start - timedelta(minutes=60)
    )
    assert on_time.status == Status.OK
    reasons = sorted(f.reason for f in _failures(conference_id=conference.id))
    assert reasons == ["closed", "not_open"]


def test_cancelled_conference_refuses_with_its_notice():
    conference = factories.make_conference(
        status=ConferenceStatus.CANCELLED, cancel_reason="Hoãn do mưa bão"
    )
    invitation = factories.make_invitation(conference)
    outcome = check_in(invitation.token, method=CheckInMethod.DOOR)
    assert outcome.status == Status.CANCELLED
    assert outcome.cancel_reason == "Hoãn do mưa bão"
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_draft_conference_is_not_open():
    invitation = factories.make_invitation(factories.make_conference(status=ConferenceStatus.DRAFT))
    assert check_in(invitation.token, method=CheckInMethod.DESK).status == Status.NOT_OPEN


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("A" * 22, "unknown_token"),
        ("not a token!", "malformed_token"),
        ("", "malformed_token"),
        ("x" * 500, "malformed_token"),
        ("'; DROP TABLE checkins; --", "malformed_token"),
    ],
)
def test_bad_tokens_are_invalid_and_stored_as_failures(token, reason):
    door = factories.make_user(Role.CLERK)
    outcome = check_in(token, method=CheckInMethod.DOOR, actor=Actor.of(door), gate="Cổng 2")
    assert outcome.status == Status.INVALID and outcome.reason == reason
    assert outcome.attendee is None
    [failure] = _failures(user_id=door.id)
    assert failure.reason == reason
    assert failure.gate == "Cổng 2"
    assert failure.method == CheckInMethod.DOOR
    assert failure.created_at is not None
    assert len(failure.token_excerpt or "") <= 8  # never the whole secret


def test_self_failures_are_stored_without_a_user():
    check_in("B" * 22, method=CheckInMethod.SELF)
    [failure] = _failures(reason="unknown_token")
    assert failure.user_id is None and failure.method == CheckInMethod.SELF


def test_door_user_checks_in_only_at_the_assigned_conference():
    mine, other = factories.make_conference(), factories.make_conference()
    door = factories.make_user(Role.DOOR)
    factories.make_door_assignment(mine, door)
    actor = Actor.of(door)
    ok = check_in(factories.make_invitation(mine).token, method=CheckInMethod.DOOR, actor=actor)
    assert ok.status == Status.OK
    foreign = factories.make_invitation(other)
    refused = check_in(foreign.token, method=CheckInMethod.DOOR, actor=actor)
    assert refused.status == Status.WRONG_CONFERENCE
    assert refused.attendee is None and refused.conference_title is None  # nothing leaks
    assert db.session.scalar(select(CheckIn).filter_by(invitation_id=foreign.id)) is None
    assert [f.reason for f in _failures(user_id=door.id)] == ["wrong_conference"]


def test_a_desk_working_for_one_conference_refuses_another_conferences_token():
    clerk = Actor.of(factories.make_user(Role.CLERK))
    here, there = factories.make_conference(), factories.make_conference()
    invitation = factories.make_invitation(there)
    outcome = check_in(
        invitation.token, method=CheckInMethod.DESK, actor=clerk, conference_id=here.id
    )
    assert outcome.status == Status.WRONG_CONFERENCE
    [failure] = _failures(reason="wrong_conference")
    assert failure.conference_id == here.id


def test_door_assignment_location_is_recorded():
    conference = factories.make_conference()
    location = factories.make_location(conference)
    door = factories.make_user(Role.DOOR)
    factories.make_door_assignment(conference, door, location_id=location.id)
    invitation = factories.make_invitation(conference)
    check_in(invitation.token, method=CheckInMethod.DOOR, actor=Actor.of(door))
    assert db.session.scalar(select(CheckIn.location_id)) == location.id


def test_substitute_is_recorded_on_the_check_in():
    invitation = factories.make_invitation(
        substitute_name="Trần Văn Phó", substitute_position="Phó Bí thư"
    )
    outcome = check_in(
        invitation.token,
        method=CheckInMethod.DESK,
        substitute_name="  Trần   Văn Phó ",
        substitute_position="Phó Bí thư",
    )
    assert outcome.substitute == "Trần Văn Phó"
    assert outcome.attendee.announced_substitute == "Trần Văn Phó, Phó Bí thư"
    checkin = db.session.scalar(select(CheckIn))
    assert (checkin.substitute_name, checkin.substitute_position) == ("Trần Văn Phó", "Phó Bí thư")


def test_walk_in_is_recorded_without_invitation():
    conference = factories.make_conference()
    clerk = Actor.of(factories.make_user(Role.CLERK))
    outcome = record_walk_in(
        conference.id, name="Phạm Khách", position="Phóng viên", unit="Báo Hà Nội mới", actor=clerk
    )
    assert outcome.status == Status.OK
    checkin = db.session.get(CheckIn, outcome.checkin_id)
    assert checkin.invitation_id is None
    assert (checkin.walk_in_name, checkin.walk_in_unit) == ("Phạm Khách", "Báo Hà Nội mới")
    with pytest.raises(ValueError):
        record_walk_in(conference.id, name="  ", actor=clerk)


def test_walk_in_outside_the_window_is_refused():
    start = now().replace(second=0) + timedelta(days=2)
    conference = factories.make_conference(starts_at=start)
    clerk = Actor.of(factories.make_user(Role.CLERK))
    outcome = record_walk_in(conference.id, name="Phạm Khách", actor=clerk)
    assert outcome.status == Status.NOT_OPEN
    assert _failures(conference_id=conference.id)[0].reason == "not_open"


def test_undo_needs_a_reason_and_is_audited_then_the_invitee_can_check_in_again():
    secretariat = factories.make_user(Role.SECRETARIAT)
    invitation = factories.make_invitation()
    outcome = check_in(invitation.token, method=CheckInMethod.DESK)
    with pytest.raises(ValueError):
        undo_check_in(invitation.conference_id, outcome.checkin_id, secretariat, "   ")
    other = factories.make_conference()
    assert undo_check_in(other.id, outcome.checkin_id, secretariat, "Nhầm hội nghị") is None
    undo_check_in(invitation.conference_id, outcome.checkin_id, secretariat, "Quét nhầm người")
    entry = db.session.scalar(select(AuditEntry).filter_by(action="checkin.undo"))
    assert entry.user_id == secretariat.id
    assert entry.detail["reason"] == "Quét nhầm người"
    assert entry.detail["invitation_id"] == invitation.id
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
    assert check_in(invitation.token, method=CheckInMethod.DESK).status == Status.OK


def test_bulk_check_in_reports_each_invitation():
    conference = factories.make_conference()
    invitations = [factories.make_invitation(conference) for _ in range(3)]
    check_in(invitations[0].id, method=CheckInMethod.DESK)
    outcomes = bulk_check_in(
        conference.id, [i.id for i in invitations] + [invitations[1].id], actor=SELF
    )
    assert [o.status for o in outcomes] == [Status.ALREADY, Status.OK, Status.OK]


def test_self_lookup_by_short_code_and_never_by_phone():
    conference = factories.make_conference()
    person = factories.make_person(conference.body, phone="0912345678")
    invitation = factories.make_invitation(conference, person)
    code = invitation.short_code
    typed = f"{code[:4].lower()}-{code[4:]}"
    assert find_by_short_code(conference.id, typed).invitation_id == invitation.id
    assert find_by_short_code(factories.make_conference().id, code) is None  # other conference
    assert find_by_short_code(conference.id, "0912345678") is None  # a phone is guessable
    assert find_by_short_code(conference.id, "") is None
    assert find_by_short_code(conference.id, "<script>") is None


def test_a_substitute_check_in_names_who_came_and_a_repeat_says_already():
    invitation = factories.make_invitation()
    first = check_in(
        invitation.id, method=CheckInMethod.DESK, substitute_name="Phạm Văn Xuân", actor=SELF
    )
    again = check_in(invitation.token, method=CheckInMethod.SELF)
    assert first.substitute == again.substitute == "Phạm Văn Xuân"
    assert again.status == Status.ALREADY


@pytest.mark.parametrize(
    ("typed", "token"),
    [
        ("https://hoinghi.example.vn/c/abcDEF123_-xyz456789", "abcDEF123_-xyz456789"),
        ("http://x/c/abcDEF123_-xyz456789?utm=1", "abcDEF123_-xyz456789"),
        ("  abcDEF123_-xyz456789\n", "abcDEF123_-xyz456789"),
    ],
)
def test_token_from_scanner_input(typed, token):
    assert token_from_scan(typed) == token

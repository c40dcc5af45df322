"""Coverage rules: held conferences, substitutes, unit roles, self-study, categories, make-ups."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from meetings.clock import now
from meetings.coverage.makeup import NothingToMakeUp, schedule_makeup
from meetings.coverage.service import (
    Tally,
    document_coverage,
    overview,
    pending_subjects,
    record_self_study,
)
from meetings.extensions import db
from meetings.models import AuditEntry, ConferenceStatus, Invitation
from tests import factories as f


@pytest.fixture
def world():
    """A body with two categories, a unit, a document and a held conference covering it."""
    body = f.make_body()
    first = f.make_category(body, name="Ban Thường vụ", protocol_order=10)
    second = f.make_category(body, name="Bí thư chi bộ", protocol_order=20)
    unit = f.make_unit(body, name="Phường Dịch Vọng")
    document = f.make_document()
    venue = f.make_venue(body_id=body.id)
    conference = f.make_conference(
        body,
        documents=[document],
        venue=venue,
        starts_at=datetime(2023, 9, 15, 8, 0),
        status=ConferenceStatus.SCHEDULED,
    )
    return dict(
        body=body, first=first, second=second, unit=unit, doc=document, conf=conference, venue=venue
    )


def invite(conference, category, **kw) -> Invitation:
    person = kw.pop("person", None)
    if person is None and "unit" not in kw:
        person = f.make_person(conference.body, unit=kw.pop("person_unit", None))
    return f.make_invitation(conference, person, category=category, **kw)


def cover(w):
    return document_coverage(w["body"], w["doc"])


def test_only_check_ins_at_held_conferences_count(world):
    a = invite(world["conf"], world["first"])
    invite(world["conf"], world["first"])
    f.make_checkin(a)  # checked in, but the conference is not marked held yet
    assert cover(world).total == Tally(invited=2, attended=0)
    world["conf"].status = ConferenceStatus.HELD
    db.session.flush()
    total = cover(world).total
    assert total == Tally(invited=2, attended=1)
    assert total.phrase == "1/2, đạt 50%"


def test_vietnamese_figures_round_half_up_never_to_100_or_0():
    assert Tally(invited=3044, attended=2909).phrase == "2.909/3.044, đạt 95,57%"
    assert Tally(invited=3, attended=2).phrase == "2/3, đạt 66,67%"
    assert Tally(invited=84, attended=79).phrase == "79/84, đạt 94,05%"
    assert Tally(invited=1200, attended=1199).phrase == "1.199/1.200, đạt 99,92%"
    assert Tally(invited=30000, attended=29999).phrase == "29.999/30.000, đạt 99,99%"
    assert Tally(invited=30000, attended=1).phrase == "1/30.000, đạt 0,01%"
    assert Tally(invited=5, attended=5).phrase == "5/5, đạt 100%"


def test_a_substitute_briefs_the_unit_not_the_absent_principal(world):
    principal = f.make_person(world["body"], unit=world["unit"], full_name="Lê Văn Chính")
    invitation = invite(world["conf"], world["first"], person=principal)
    f.hold(world["conf"], [invitation], substitute_name="Trần Văn Phó", substitute_position="Phó")
    coverage = cover(world)
    assert coverage.total == Tally(invited=1, attended=0, represented_by_substitute=1)
    [pending] = coverage.pending
    assert (pending.label, pending.substitute_came) == ("Lê Văn Chính", True)
    [unit_line] = coverage.by_unit
    assert unit_line.unit == world["unit"] and unit_line.represented
    [sub] = coverage.substitutes
    assert (sub.substitute_name, sub.principal, sub.briefs_seat) == (
        "Trần Văn Phó",
        "Lê Văn Chính",
        False,
    )
    assert [p.person_id for p in pending_subjects(world["body"].id, [world["doc"].id])] == [
        principal.id
    ]


def test_a_unit_role_is_briefed_by_its_deputy_and_counts_once(world):
    party_org = f.make_unit(world["body"], name="Đảng ủy phường Nghĩa Đô")
    principal = f.make_person(world["body"], unit=party_org, full_name="Đỗ Thị Bí Thư")
    role = dict(unit=party_org, role_title="Bí thư", deputy_title="Phó Bí thư", deputy_allowed=True)
    first = invite(world["conf"], world["second"], person=principal, **role)
    f.hold(world["conf"], [first], substitute_name="Ngô Văn Phó", substitute_position="Phó Bí thư")
    # A later session invites the same seat again, with a new principal: still one seat.
    later = f.make_conference(world["body"], documents=[world["doc"]])
    invite(later, world["second"], person=f.make_person(world["body"]), **role)
    coverage = cover(world)
    assert coverage.total == Tally(invited=1, attended=1)
    [sub] = coverage.substitutes
    assert sub.briefs_seat and sub.principal == "Bí thư Đảng ủy phường Nghĩa Đô (Đỗ Thị Bí Thư)"


def test_an_unattended_unit_role_is_listed_by_its_role(world):
    party_org = f.make_unit(world["body"], name="Chi bộ Khu dân cư số 3")
    invite(world["conf"], world["second"], unit=party_org, role_title="Bí thư")
    f.hold(world["conf"])
    [pending] = cover(world).pending
    assert (pending.label, pending.is_unit_role, pending.person_id) == (
        "Bí thư Chi bộ Khu dân cư số 3",
        True,
        None,
    )


def test_self_study_is_counted_apart_and_attendance_comes_first(world):
    studied = invite(world["conf"], world["first"], absence_reason="Đi công tác")
    both = invite(world["conf"], world["first"])
    f.hold(world["conf"], [both])
    f.make_self_study(studied.person, world["doc"])
    f.make_self_study(both.person, world["doc"])  # came and wrote a report: counted as attended
    coverage = cover(world)
    assert coverage.total == Tally(invited=2, attended=1, self_studied=1)
    assert coverage.total.pending == 0
    assert coverage.total.phrase == "1/2, đạt 50%"
    assert coverage.total.briefed_phrase == "2/2, đạt 100%"
    assert coverage.pending == []
    with pytest.raises(NothingToMakeUp):
        schedule_makeup(world["conf"])


def test_record_self_study_corrects_rather_than_duplicates(world):
    invitation = invite(world["conf"], world["first"])
    user = f.make_user()
    record_self_study(invitation.person, world["doc"], date(2023, 9, 20), "Bài thu hoạch", user)
    entry = record_self_study(invitation.person, world["doc"], date(2023, 9, 22), None, user)
    assert [s.report_received_on for s in cover(world).self_studies] == [date(2023, 9, 22)]
    assert entry.note is None
    assert db.session.scalar(select(AuditEntry).filter_by(action="coverage.self_study"))


def test_a_person_invited_under_two_categories_counts_once_first_in_protocol_order(world):
    person = f.make_person(world["body"])
    invite(world["conf"], world["second"], person=person)
    later = f.make_conference(world["body"], documents=[world["doc"]])
    invite(later, world["first"], person=person)
    coverage = cover(world)
    assert coverage.total.invited == 1
    assert [(line.category, line.tally.invited) for line in coverage.by_category] == [
        (world["first"], 1)
    ]


def test_categories_in_protocol_order_and_uncategorised_last(world):
    for category in (None, world["second"], world["first"]):
        invite(world["conf"], category)
    assert [line.category for line in cover(world).by_category] == [
        world["first"],
        world["second"],
        None,
    ]


def test_cancelled_conferences_do_not_invite(world):
    cancelled = f.make_conference(
        world["body"], documents=[world["doc"]], status=ConferenceStatus.CANCELLED
    )
    invite(cancelled, world["first"])
    invite(world["conf"], world["first"])
    assert cover(world).total.invited == 1


def test_pending_show_the_latest_absence_reason(world):
    invitation = invite(world["conf"], world["first"], absence_reason="Ốm")
    f.hold(world["conf"])
    later = f.make_conference(world["body"], documents=[world["doc"]], status=ConferenceStatus.HELD)
    invite(later, world["first"], person=invitation.person, absence_reason="Nghỉ phép")
    invite(later, world["first"], person=f.make_person(world["body"]))
    reasons = sorted((p.reason or "") for p in cover(world).pending)
    assert reasons == ["", "Nghỉ phép"]


def _original_with_everyone(world):
    """A (came), B (absent, excused), C (sent a substitute), D (a unit role, nobody came),
    E (self-studied), in two categories."""
    w = world
    a = invite(w["conf"], w["first"])
    b = invite(w["conf"], w["second"], absence_reason="Họp Thành ủy")
    c = invite(w["conf"], w["first"], person_unit=w["unit"])
    party_org = f.make_unit(w["body"], name="Đảng ủy phường Yên Hòa")
    d = invite(
        w["conf"],
        w["second"],
        unit=party_org,
        role_title="Bí thư",
        deputy_title="Phó Bí thư",
        deputy_allowed=True,
        person=f.make_person(w["body"], unit=party_org),
    )
    e = invite(w["conf"], w["second"])
    f.hold(w["conf"], [a])
    f.make_checkin(c, substitute_name="Người dự thay")
    f.make_self_study(e.person, w["doc"])
    return a, b, c, d, e


def _invitees(conference) -> set[tuple]:
    rows = db.session.scalars(select(Invitation).filter_by(conference_id=conference.id))
    return {(i.person_id, i.unit_id, i.role_title, i.deputy_allowed, i.category_id) for i in rows}


def test_a_makeup_invites_exactly_those_not_yet_briefed(world):
    _, b, c, d, _ = _original_with_everyone(world)
    user = f.make_user()
    makeup = schedule_makeup(world["conf"], user)
    assert makeup.status == ConferenceStatus.DRAFT
    assert makeup.makeup_of == world["conf"]
    assert makeup.documents == [world["doc"]]
    assert makeup.venue == world["venue"]
    assert makeup.title == f"{world['conf'].title} (học bù lần 1)"
    assert _invitees(makeup) == {
        (b.person_id, None, None, False, world["second"].id),
        (c.person_id, None, None, False, world["first"].id),
        (d.person_id, d.unit_id, "Bí thư", True, world["second"].id),
    }
    audit = db.session.scalar(select(AuditEntry).filter_by(action="conference.makeup"))
    assert audit.object_id == makeup.id and audit.user == user
    # The population does not grow: the same people, now with a session to attend.
    assert cover(world).total == Tally(5, attended=1, self_studied=1, represented_by_substitute=1)


def test_a_makeup_of_a_makeup_invites_nobody_already_briefed(world):
    _, b, c, d, _ = _original_with_everyone(world)
    first = schedule_makeup(world["conf"])
    came = db.session.scalars(
        select(Invitation).filter_by(conference_id=first.id, person_id=b.person_id)
    ).all()
    f.hold(first, came)
    assert cover(world).total == Tally(5, attended=2, self_studied=1, represented_by_substitute=1)
    assert [c.conference for c in cover(world).conferences] == [world["conf"], first]

    second = schedule_makeup(first)
    assert second.makeup_of == first
    assert second.title == f"{world['conf'].title} (học bù lần 2)"
    assert {(p, u) for p, u, *_ in _invitees(second)} == {
        (c.person_id, None),
        (d.person_id, d.unit_id),
    }
    f.hold(second, db.session.scalars(select(Invitation).filter_by(conference_id=second.id)))
    coverage = cover(world)
    assert coverage.total == Tally(invited=5, attended=4, self_studied=1)
    assert coverage.pending == []
    with pytest.raises(NothingToMakeUp):
        schedule_makeup(second)


def test_a_makeup_covers_every_document_and_invites_who_missed_any(world):
    other = f.make_document(kind="Kế hoạch", symbol="133-KH/QU")
    conf = f.make_conference(world["body"], documents=[world["doc"], other])
    briefed_on_first_only = invite(conf, world["first"])
    all_done = invite(conf, world["first"])
    f.hold(conf, [all_done])
    earlier = world["conf"]
    f.hold(earlier, [invite(earlier, world["first"], person=briefed_on_first_only.person)])
    makeup = schedule_makeup(conf)
    assert makeup.documents == [world["doc"], other]
    assert {p for p, *_ in _invitees(makeup)} == {briefed_on_first_only.person_id}


def test_a_makeup_is_a_week_later_on_a_free_day(world):
    original = world["conf"]
    original.starts_at = datetime.now().replace(microsecond=0, second=0) + timedelta(days=1)
    original.ends_at = original.starts_at + timedelta(hours=3)
    invite(original, world["first"])
    f.hold(original)
    week_later = original.starts_at + timedelta(days=7)
    f.make_conference(world["body"], venue=world["venue"], starts_at=week_later)  # venue taken
    makeup = schedule_makeup(original)
    assert makeup.starts_at == week_later + timedelta(days=1)
    assert makeup.ends_at - makeup.starts_at == timedelta(hours=3)


def test_a_makeup_of_a_past_conference_is_a_week_from_today(world):
    invite(world["conf"], world["first"])
    f.hold(world["conf"])
    makeup = schedule_makeup(world["conf"])
    # The app's clock (Asia/Ho_Chi_Minh), not the machine's: they differ by a day at night.
    assert makeup.starts_at.date() == now().date() + timedelta(days=7)
    assert makeup.starts_at.time() == world["conf"].starts_at.time()


def test_a_conference_without_documents_cannot_be_made_up(world):
    bare = f.make_conference(world["body"], status=ConferenceStatus.HELD)
    with pytest.raises(ValueError):
        schedule_makeup(bare)


def test_overview_lists_documents_newest_first_per_body(world):
    older = f.make_document(symbol="01-NQ/TW", kind="Nghị quyết", issued_on=date(2020, 1, 1))
    conf = f.make_conference(world["body"], documents=[older])
    invite(conf, world["first"])
    invite(world["conf"], world["first"])
    other_body = f.make_body(name="Đảng ủy phường Nghĩa Tân")
    f.make_conference(other_body, documents=[older])
    [ours] = [b for b in overview() if b.body == world["body"]]
    assert [(line.document, line.tally.invited) for line in ours.documents] == [
        (world["doc"], 1),
        (older, 1),
    ]
    assert [b.body for b in overview(other_body.id)] == [other_body]

"""The invitee list: whole categories, individuals, unit roles, doubles, RSVP, protocol order."""

import pytest
from sqlalchemy import func, select

from meetings.extensions import db
from meetings.invitations.service import (
    InvitationError,
    add_category,
    add_person,
    add_unit_role,
    category_totals,
    double_invitations,
    list_invitations,
    remove_category,
    remove_invitation,
    set_rsvp,
)
from meetings.models import Invitation, Rsvp, UnitKind
from tests import factories


@pytest.fixture
def conference():
    return factories.make_conference()


def _count(conference) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Invitation).filter_by(conference_id=conference.id)
    )


def test_a_whole_category_in_one_action_skipping_retired_people(conference):
    body = conference.body
    category = factories.make_category(body)
    people = [factories.make_person(body, categories=[category]) for _ in range(5)]
    people[0].retired_at = people[0].created_at
    result = add_category(conference, category)
    assert (result.added, result.already) == (4, 0)
    again = add_category(conference, category)
    assert (again.added, again.already) == (0, 4)
    assert _count(conference) == 4
    tokens = db.session.scalars(select(Invitation.token).filter_by(conference_id=conference.id))
    assert len(set(tokens)) == 4  # each with its own check-in token


def test_people_in_two_categories_are_invited_once_and_reported(conference):
    body = conference.body
    standing, wards = factories.make_category(body), factories.make_category(body)
    both = factories.make_person(body, full_name="Lê Kép", categories=[standing, wards])
    factories.make_person(body, categories=[wards])
    add_category(conference, standing)
    result = add_category(conference, wards)
    assert (result.added, result.already) == (1, 1)
    count, shown = double_invitations(conference)
    assert count == 1
    assert shown[0].person == both and shown[0].invited_as == standing
    assert shown[0].also_in == [wards]
    totals = {t.category: t.invited for t in category_totals(conference)}
    assert totals == {standing: 1, wards: 1}


def test_individuals_by_search_and_no_second_invitation(conference):
    person = factories.make_person(conference.body)
    add_person(conference, person, None)
    with pytest.raises(InvitationError):
        add_person(conference, person, None)
    assert [t.category for t in category_totals(conference)] == [None]


def test_unit_role_invites_each_unit_once_naming_the_principal(conference):
    body = conference.body
    category = factories.make_category(body, name="Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở")
    orgs = factories.make_party_orgs(body, 3)
    empty = factories.make_unit(body, name="Chi bộ Trống", kind=UnitKind.PARTY_ORG)
    retired = factories.make_unit(body, name="Chi bộ Cũ", kind=UnitKind.PARTY_ORG)
    retired.retired_at = retired.created_at
    factories.make_unit(body, name="Phường Khác", kind=UnitKind.WARD)
    result = add_unit_role(conference, UnitKind.PARTY_ORG, "Bí thư", "Phó Bí thư", True, category)
    assert result.added == 4
    invitations = list_invitations(conference).items
    assert {i.unit for i in invitations} == {*orgs, empty}
    for invitation in invitations:
        assert invitation.role_title == "Bí thư" and invitation.deputy_title == "Phó Bí thư"
        assert invitation.deputy_allowed and invitation.category == category
        if invitation.unit == empty:
            assert invitation.person is None
            assert invitation.invitee_label == "Bí thư Chi bộ Trống"
        else:
            assert invitation.person.position == "Bí thư"  # never the Phó Bí thư
            assert invitation.person.unit == invitation.unit
    again = add_unit_role(conference, UnitKind.PARTY_ORG, "Bí thư", "Phó Bí thư", True, category)
    assert (again.added, again.already) == (0, 4)
    assert category_totals(conference)[0].by_role == 4


def test_list_in_protocol_order_rank_then_vietnamese_names(conference):
    body = conference.body
    first, second = factories.make_category(body), factories.make_category(body)
    yen = factories.make_person(body, full_name="Trần Thị Yến", categories=[second])
    an = factories.make_person(body, full_name="Đỗ Văn An", categories=[second])
    boss = factories.make_person(body, full_name="Vũ Văn Zũng", categories=[second])
    head = factories.make_person(body, full_name="Lê Văn Bình", categories=[first])
    boss.memberships[0].rank = 1
    loose = factories.make_person(body, full_name="Ngô Ất")
    add_category(conference, second)
    add_category(conference, first)
    add_person(conference, loose, None)
    names = [i.person.full_name for i in list_invitations(conference).items]
    assert names == [head.full_name, boss.full_name, an.full_name, yen.full_name, loose.full_name]
    page = list_invitations(conference, per_page=2, page=2)
    assert [i.person for i in page.items] == [an, yen] and page.total == 5
    filtered = list_invitations(conference, category_id=second.id, query="tran thi")
    assert [i.person for i in filtered.items] == [yen]


def test_rsvp_excused_needs_a_reason_and_a_substitute_is_recorded(conference):
    invitation = factories.make_invitation(conference)
    with pytest.raises(InvitationError):
        set_rsvp(invitation, Rsvp.EXCUSED, "")
    set_rsvp(invitation, Rsvp.EXCUSED, "Đi công tác")
    assert invitation.rsvp is Rsvp.EXCUSED and invitation.absence_reason == "Đi công tác"
    set_rsvp(invitation, Rsvp.CONFIRMED, "ignored", "Phạm Văn Thay", "Phó Bí thư")
    assert invitation.absence_reason is None
    assert (invitation.substitute_name, invitation.substitute_position) == (
        "Phạm Văn Thay",
        "Phó Bí thư",
    )
    totals = category_totals(conference)[0]
    assert (totals.invited, totals.confirmed, totals.excused) == (1, 1, 0)


def test_removing_keeps_invitations_used_to_check_in(conference):
    category = factories.make_category(conference.body)
    kept = factories.make_invitation(conference, category=category)
    gone = factories.make_invitation(conference, category=category)
    factories.make_checkin(kept)
    with pytest.raises(InvitationError):
        remove_invitation(kept)
    kept_id, gone_id = kept.id, gone.id
    assert remove_category(conference, category.id) == 1
    db.session.expire_all()
    assert db.session.get(Invitation, gone_id) is None
    assert db.session.get(Invitation, kept_id) is not None


def test_of_two_holders_the_exact_title_is_the_principal_and_of_two_exact_none(conference):
    body = conference.body
    clear = factories.make_unit(body, name="Chi bộ Rõ", kind=UnitKind.PARTY_ORG)
    exact = factories.make_person(body, position="Bí thư", unit=clear)
    factories.make_person(body, position="Bí thư (kiêm nhiệm)", unit=clear)
    unclear = factories.make_unit(body, name="Chi bộ Chưa rõ", kind=UnitKind.PARTY_ORG)
    factories.make_person(body, position="Bí thư", unit=unclear)
    factories.make_person(body, position="Bí thư", unit=unclear)
    add_unit_role(conference, UnitKind.PARTY_ORG, "Bí thư", "Phó Bí thư", True, None)
    named = {i.unit: i.person for i in list_invitations(conference).items}
    assert named == {clear: exact, unclear: None}


def test_a_principal_invited_in_person_is_not_invited_again_by_role(conference):
    body = conference.body
    unit = factories.make_unit(body, name="Chi bộ Đã mời", kind=UnitKind.PARTY_ORG)
    secretary = factories.make_person(body, full_name="Lý Văn Mời", position="Bí thư", unit=unit)
    add_person(conference, secretary, None)
    result = add_unit_role(conference, UnitKind.PARTY_ORG, "Bí thư", None, False, None)
    assert result.added == 0 and result.skipped == ["Chi bộ Đã mời: Lý Văn Mời"]

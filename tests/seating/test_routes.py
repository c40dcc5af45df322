"""The seating pages: roles, the editor's actions, blocks, layouts, print page and look-up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from meetings.extensions import db
from meetings.models import HallLayout, Role, SeatAssignment
from meetings.seating.service import assign, create_plan
from tests import factories
from tests.factories import make_layout


@pytest.fixture
def planned():
    """A conference with 6 ranked invitees, a 2 × 4 hall and a plan already assigned."""
    conference = factories.make_conference(venue=factories.make_venue())
    category = factories.make_category(conference.body)
    people = []
    for rank in range(1, 7):
        person = factories.make_person(conference.body, categories=[category])
        person.memberships[0].rank = rank
        people.append(factories.make_invitation(conference, person, category_id=category.id))
    layout = make_layout(conference.venue, rows=2, seats_per_row=4, presidium_places=0)
    plan = create_plan(conference, layout)
    assign(plan)
    return plan, people


def _seat(plan, invitation):
    a = db.session.scalar(
        select(SeatAssignment).filter_by(plan_id=plan.id, invitation_id=invitation.id)
    )
    return (a.row, a.seat, a.locked) if a else None


@pytest.mark.parametrize(
    ("role", "status"), [(Role.SECRETARIAT, 200), (Role.CLERK, 200), (Role.DOOR, 403)]
)
def test_the_editor_by_role(client, login, planned, role, status):
    plan, people = planned
    login(role)
    response = client.get(f"/seating/plans/{plan.id}")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert people[0].shown_name.split()[-1] in page
        assert ('id="seat-form"' in page) == (role == Role.SECRETARIAT)


def test_moving_a_seat_swaps_and_locks_both(client, login, planned):
    plan, people = planned
    login(Role.SECRETARIAT)
    first, second = _seat(plan, people[0]), _seat(plan, people[1])
    response = client.post(
        f"/seating/plans/{plan.id}/seat",
        data={"action": "move", "source": f"{first[0]}-{first[1]}", "target": "2-4"},
    )
    assert response.status_code == 302
    assert _seat(plan, people[0]) == (2, 4, True)
    client.post(
        f"/seating/plans/{plan.id}/seat",
        data={"action": "move", "source": "2-4", "target": f"{second[0]}-{second[1]}"},
    )
    assert _seat(plan, people[0])[:2] == second[:2]
    assert _seat(plan, people[1]) == (2, 4, True)
    client.post(f"/seating/plans/{plan.id}/seat", data={"action": "unlock", "source": "2-4"})
    assert _seat(plan, people[1]) == (2, 4, False)
    client.post(f"/seating/plans/{plan.id}/seat", data={"action": "clear", "source": "2-4"})
    assert _seat(plan, people[1]) is None


def test_a_seat_outside_the_layout_is_refused(client, login, planned):
    plan, _ = planned
    login(Role.SECRETARIAT)
    response = client.post(
        f"/seating/plans/{plan.id}/seat",
        data={"action": "move", "source": "1-2", "target": "9-9"},
        follow_redirects=True,
    )
    assert "no such seat" in response.get_data(as_text=True).lower() or (
        "không có ghế" in response.get_data(as_text=True).lower()
    )
    assert (
        client.post(
            f"/seating/plans/{plan.id}/seat", data={"action": "move", "source": "x"}
        ).status_code
        == 400
    )


def test_reserving_a_block_and_assigning_again(client, login, planned):
    plan, people = planned
    login(Role.SECRETARIAT)
    category_id = people[0].category_id
    response = client.post(
        f"/seating/plans/{plan.id}/blocks",
        data={
            "label": "Ban Thường vụ",
            "category": category_id,
            "unit": 0,
            "first_row": 2,
            "last_row": 2,
            "first_seat": 1,
            "last_seat": 4,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(plan.blocks) == 1
    client.post(f"/seating/plans/{plan.id}/assign")
    assert _seat(plan, people[0])[:2] == (2, 2)  # the block's centre-out order
    assert _seat(plan, people[4])[:2] == (1, 2)  # the block is full: back to row A
    bad = client.post(
        f"/seating/plans/{plan.id}/blocks",
        data={
            "first_row": 2,
            "last_row": 1,
            "first_seat": 1,
            "last_seat": 9,
            "category": 0,
            "unit": 0,
        },
        follow_redirects=True,
    )
    assert len(plan.blocks) == 1 and bad.status_code == 200


def test_over_capacity_warns_on_the_editor(client, login, planned):
    plan, _ = planned
    conference = plan.conference
    category = factories.make_category(conference.body)
    for _ in range(5):
        factories.make_invitation(conference, category_id=category.id)
    login(Role.SECRETARIAT)
    response = client.post(f"/seating/plans/{plan.id}/assign", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'id="capacity-warning"' in page
    assert "11" in page and "8" in page


def test_placing_an_invitee_without_a_seat(client, login, planned):
    plan, people = planned
    newcomer = factories.make_invitation(plan.conference, category_id=people[0].category_id)
    login(Role.SECRETARIAT)
    client.post(
        f"/seating/plans/{plan.id}/place", data={"invitation": newcomer.id, "row": 1, "seat": 1}
    )
    assert _seat(plan, newcomer) == (1, 1, True)


def test_layouts_and_a_new_plan(client, login):
    conference = factories.make_conference(venue=factories.make_venue())
    factories.make_invitation(conference)
    login(Role.SECRETARIAT)
    response = client.post(
        f"/seating/venues/{conference.venue_id}/layouts",
        data={
            "name": "Chính",
            "rows": 5,
            "seats_per_row": 10,
            "aisles": "5",
            "presidium_places": 5,
        },
    )
    assert response.status_code == 302
    layout = db.session.scalar(select(HallLayout).filter_by(venue_id=conference.venue_id))
    assert (layout.capacity, layout.aisle_after) == (55, [5])
    bad = client.post(
        f"/seating/venues/{conference.venue_id}/layouts",
        data={"name": "Sai", "rows": 5, "seats_per_row": 10, "aisles": "10", "presidium_places": 0},
    )
    assert bad.status_code == 200  # an aisle after the last seat is refused
    response = client.post(
        f"/seating/conferences/{conference.id}",
        data={
            "location": 0,
            "layout": layout.id,
            "precedence": "centre_out",
            "second_side": "right",
        },
    )
    assert response.status_code == 302
    plan_page = client.get(response.headers["Location"])
    assert plan_page.status_code == 200


def test_print_page_pdfs_and_the_ushers_look_up(client, login, planned):
    plan, people = planned
    conference_id = plan.conference_id
    login(Role.CLERK)
    page = client.get(f"/seating/conferences/{conference_id}/print?paper=A3")
    assert page.status_code == 200 and "size: A3 landscape" in page.get_data(as_text=True)
    pdf = client.get(f"/seating/conferences/{conference_id}/chart.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert client.get(f"/seating/conferences/{conference_id}/name-plates.pdf").status_code == 200
    name = people[0].shown_name
    found = client.get(f"/seating/conferences/{conference_id}/find?q={name}")
    assert 'class="seat-card' in found.get_data(as_text=True)


def test_door_staff_find_seats_only_where_they_work(client, login, planned):
    plan, _ = planned
    user = login(Role.DOOR)
    url = f"/seating/conferences/{plan.conference_id}/find"
    assert client.get(url).status_code == 403
    factories.make_door_assignment(plan.conference, user)
    assert client.get(url).status_code == 200

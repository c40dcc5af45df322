"""The assignment rules: centre-out order, reserved blocks, locked seats, deputies, capacity."""

from __future__ import annotations

from sqlalchemy import select

from meetings.extensions import db
from meetings.models import (
    PRESIDIUM_ROW,
    Precedence,
    Rsvp,
    SeatAssignment,
    SeatBlock,
    Side,
)
from meetings.seating.service import (
    assign,
    create_plan,
    move_invitation,
    move_seat,
    row_label,
    row_number,
    seat_label,
    seat_labels,
    seat_order,
    seat_place,
)
from tests import factories
from tests.factories import make_layout


def _seats(plan) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(SeatAssignment.invitation_id, SeatAssignment.row, SeatAssignment.seat).where(
            SeatAssignment.plan_id == plan.id
        )
    )
    return {i: (r, s) for i, r, s in rows}


def _invite(conference, category, count, **kw):
    """`count` invitations in `category`, ranked 1..count (protocol order)."""
    out = []
    for rank in range(1, count + 1):
        person = factories.make_person(conference.body, categories=[category])
        person.memberships[0].rank = rank
        out.append(factories.make_invitation(conference, person, category_id=category.id, **kw))
    db.session.flush()
    return out


def test_centre_out_puts_the_first_in_the_middle_and_the_second_on_their_right():
    # Seen by the audience (facing the stage): their right is the chart's right.
    assert seat_order(1, 7, Precedence.CENTRE_OUT, Side.RIGHT) == [4, 5, 3, 6, 2, 7, 1]
    assert seat_order(1, 7, Precedence.CENTRE_OUT, Side.LEFT) == [4, 3, 5, 2, 6, 1, 7]
    # An even row: the first and second share the middle.
    assert seat_order(1, 6, Precedence.CENTRE_OUT, Side.RIGHT) == [3, 4, 2, 5, 1, 6]
    assert seat_order(1, 6, Precedence.CENTRE_OUT, Side.LEFT) == [4, 3, 5, 2, 6, 1]
    # The presidium faces the hall: their right is the chart's left.
    assert seat_order(1, 5, Precedence.CENTRE_OUT, Side.RIGHT, facing_hall=True) == [3, 2, 4, 1, 5]
    assert seat_order(1, 5, Precedence.LEFT_TO_RIGHT, Side.RIGHT) == [1, 2, 3, 4, 5]
    assert seat_order(3, 3, Precedence.CENTRE_OUT, Side.RIGHT) == [3]


def test_row_labels_run_a_to_z_then_aa():
    assert [row_label(n) for n in (1, 2, 26, 27, 28)] == ["A", "B", "Z", "AA", "AB"]
    assert all(row_number(row_label(n)) == n for n in range(1, 80))


def test_protocol_order_fills_the_front_row_from_the_centre():
    conference = factories.make_conference()
    first, second = (
        factories.make_category(conference.body),
        factories.make_category(conference.body),
    )
    later = _invite(conference, second, 2)  # invited first, but a later category
    leaders = _invite(conference, first, 5)
    plan = create_plan(conference, make_layout(rows=3, seats_per_row=5, presidium_places=0))
    result = assign(plan)
    seats = _seats(plan)
    assert [seats[i.id] for i in leaders] == [(1, 3), (1, 4), (1, 2), (1, 5), (1, 1)]
    assert [seats[i.id] for i in later] == [(2, 3), (2, 4)]
    assert (result.seated, result.demand, result.over_capacity) == (7, 7, False)


def test_left_to_right_and_the_side_setting():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    people = _invite(conference, cat, 3)
    plan = create_plan(
        conference, make_layout(seats_per_row=4, presidium_places=0), second_side=Side.LEFT
    )
    assign(plan)
    assert [_seats(plan)[i.id] for i in people] == [(1, 3), (1, 2), (1, 4)]
    plan.precedence = Precedence.LEFT_TO_RIGHT
    assign(plan)
    assert [_seats(plan)[i.id] for i in people] == [(1, 1), (1, 2), (1, 3)]


def test_the_chair_and_presenters_sit_at_the_presidium_table():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    chair, presenter, other = _invite(conference, cat, 3)
    conference.chair_id = chair.person_id
    factories.make_agenda_item(conference, presenter_id=presenter.person_id)
    plan = create_plan(conference, make_layout(presidium_places=3))
    assign(plan)
    seats = _seats(plan)
    # The chair in the middle; the presenter on the chair's right = the chart's left.
    assert seats[chair.id] == (PRESIDIUM_ROW, 2)
    assert seats[presenter.id] == (PRESIDIUM_ROW, 1)
    assert seats[other.id] == (1, 3)
    assert seat_label(chair) == "Đoàn Chủ tịch, ghế 2"
    assert seat_place(other).welcome == "Mời đồng chí ngồi hàng A, ghế 3"


def test_reserved_blocks_take_their_category_first_and_keep_others_out():
    conference = factories.make_conference()
    body = conference.body
    leaders_cat, ward_cat = factories.make_category(body), factories.make_category(body)
    ward_a, ward_b = factories.make_unit(body), factories.make_unit(body)
    leaders = _invite(conference, leaders_cat, 2)
    in_a = [
        factories.make_invitation(
            conference,
            factories.make_person(body, categories=[ward_cat], unit=ward_a),
            category_id=ward_cat.id,
        )
        for _ in range(2)
    ]
    in_b = factories.make_invitation(
        conference,
        factories.make_person(body, categories=[ward_cat], unit=ward_b),
        category_id=ward_cat.id,
    )
    plan = create_plan(conference, make_layout(rows=4, seats_per_row=6, presidium_places=0))
    # Row C, seats 1–3: ward A; row C, seats 4–6: ward B; rows A–B: nobody else but leaders.
    plan.blocks = [
        SeatBlock(category_id=leaders_cat.id, first_row=1, last_row=2, first_seat=1, last_seat=6),
        SeatBlock(unit_id=ward_a.id, first_row=3, last_row=3, first_seat=1, last_seat=3),
        SeatBlock(unit_id=ward_b.id, first_row=3, last_row=3, first_seat=4, last_seat=6),
    ]
    db.session.flush()
    assign(plan)
    seats = _seats(plan)
    assert [seats[i.id] for i in leaders] == [(1, 3), (1, 4)]
    assert [seats[i.id] for i in in_a] == [(3, 2), (3, 3)]
    assert seats[in_b.id] == (3, 5)
    assert seat_labels(conference.id)[in_b.id] == "Hàng C, ghế 5"


def test_a_full_block_overflows_into_the_open_seats():
    conference = factories.make_conference()
    cat, other = factories.make_category(conference.body), factories.make_category(conference.body)
    people = _invite(conference, cat, 3)
    plan = create_plan(conference, make_layout(rows=3, seats_per_row=3, presidium_places=0))
    plan.blocks = [
        SeatBlock(category_id=other.id, first_row=1, last_row=1, first_seat=1, last_seat=3),
        SeatBlock(category_id=cat.id, first_row=2, last_row=2, first_seat=2, last_seat=3),
    ]
    db.session.flush()
    assign(plan)
    seats = _seats(plan)
    # Row A stays reserved; the third takes the first open seat, beside the block.
    assert [seats[i.id] for i in people] == [(2, 2), (2, 3), (2, 1)]


def test_locked_seats_are_kept_when_the_plan_is_assigned_again():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    people = _invite(conference, cat, 4)
    plan = create_plan(conference, make_layout(rows=2, seats_per_row=5, presidium_places=0))
    assign(plan)
    move_invitation(plan, people[3].id, (2, 1))  # the fourth, moved by hand: locked
    move_seat(plan, (1, 3), (1, 4))  # the first two swapped by hand: both locked
    newcomer = _invite(conference, cat, 1)[0]  # rank 1 too: sorts by name among equals
    result = assign(plan)
    seats = _seats(plan)
    assert seats[people[3].id] == (2, 1)
    assert (seats[people[0].id], seats[people[1].id]) == ((1, 4), (1, 3))
    assert seats[newcomer.id] not in {(2, 1), (1, 3), (1, 4)}
    assert result.seated == 5
    locked = db.session.scalars(
        select(SeatAssignment.invitation_id).where(
            SeatAssignment.plan_id == plan.id, SeatAssignment.locked.is_(True)
        )
    )
    assert set(locked) == {people[0].id, people[1].id, people[3].id}


def test_a_deputy_takes_the_principals_seat_and_the_absent_have_none():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    first, excused, represented, last = _invite(conference, cat, 4)
    plan = create_plan(conference, make_layout(rows=1, seats_per_row=6, presidium_places=0))
    assign(plan)
    move_invitation(plan, excused.id, (1, 6))  # locked, then excused: the seat is freed
    excused.rsvp, excused.absence_reason = Rsvp.EXCUSED, "Đi công tác"
    represented.rsvp = Rsvp.EXCUSED
    represented.substitute_name, represented.substitute_position = "Lê Văn Phó", "Phó Bí thư"
    db.session.flush()
    result = assign(plan)
    seats = _seats(plan)
    assert excused.id not in seats
    assert seats[represented.id] == (1, 4)  # the principal's place in protocol order
    assert [seats[first.id], seats[last.id]] == [(1, 3), (1, 2)]
    assert (result.demand, result.freed) == (3, 1)


def test_more_invitees_than_seats_warns_and_seats_in_protocol_order():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    people = _invite(conference, cat, 8)
    plan = create_plan(conference, make_layout(rows=2, seats_per_row=3, presidium_places=0))
    result = assign(plan)
    assert result.over_capacity
    assert (result.demand, result.capacity, result.seated) == (8, 6, 6)
    assert result.unseated == [people[6].id, people[7].id]  # the last in protocol order


def test_a_bridge_point_has_its_own_plan_for_its_own_invitees():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    location = factories.make_location(conference)
    main = _invite(conference, cat, 2)
    remote = _invite(conference, cat, 2, location_id=location.id)
    hall_plan = create_plan(conference, make_layout(presidium_places=0))
    remote_plan = create_plan(conference, make_layout(presidium_places=0), location=location)
    assign(hall_plan)
    assign(remote_plan)
    assert set(_seats(hall_plan)) == {i.id for i in main}
    assert set(_seats(remote_plan)) == {i.id for i in remote}


def test_locked_seats_the_layout_lost_are_taken_back():
    conference = factories.make_conference()
    cat = factories.make_category(conference.body)
    (person,) = _invite(conference, cat, 1)
    layout = make_layout(rows=3, seats_per_row=5, presidium_places=0)
    plan = create_plan(conference, layout)
    move_invitation(plan, person.id, (3, 5))
    layout.rows, layout.seats_per_row = 2, 4
    db.session.flush()
    result = assign(plan)
    assert _seats(plan)[person.id] == (1, 2)
    assert result.freed == 1

"""Seating plans: who sits where, by protocol order, and the changes the secretariat makes.

Rows count from 1 at the front (labelled A, B, C…), seats from 1 at the left of the chart
(stage at the top, so the chart shows the hall as the audience sees it). Row 0 is the
presidium's table, whose members face the hall: their right is the chart's left.

`assign` fills the plan: locked seats stay; the presidium is what the secretariat put there
(seeded from the conference's chair and presenters); reserved blocks take their invitees
first, in protocol order; everybody else fills the remaining seats row after row, front to
back, each row in the plan's precedence (centre-out by default, the side of the second seat a
setting). An invitee who declined or is excused has no seat unless a substitute is announced:
the deputy takes the principal's seat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import selectinload

from meetings.directory.service import match_query
from meetings.extensions import db
from meetings.invitations.service import in_protocol_order
from meetings.models import (
    PRESIDIUM_ROW,
    Conference,
    ConferenceLocation,
    HallLayout,
    Invitation,
    Person,
    Precedence,
    Rsvp,
    SeatAssignment,
    SeatBlock,
    SeatingPlan,
    Side,
)

ABSENT = (Rsvp.DECLINED, Rsvp.EXCUSED)
Seat = tuple[int, int]  # (row, seat)


class SeatingError(ValueError):
    """The change cannot be made; nothing was changed. The argument says why, as a key of
    the pages' messages: plan exists, no such seat, both empty, not invited, empty seat,
    no target, not a row."""


# --- Seats in order ---------------------------------------------------------------------


def row_label(row: int) -> str:
    """A, B, … Z, AA, AB…; row 0 is the presidium."""
    label = ""
    while row > 0:
        row, rest = divmod(row - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def row_number(label: str) -> int:
    """The inverse of row_label: "A" → 1, "AA" → 27."""
    number = 0
    for char in label.strip().upper():
        if not "A" <= char <= "Z":
            raise SeatingError("not a row")
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def seat_order(
    first: int, last: int, precedence: Precedence, side: Side, facing_hall: bool = False
) -> list[int]:
    """Seat numbers first..last in the order people take them.

    Centre-out: the first person in the middle, the second on the first's `side`, the third
    on the other side, and so on outwards. Seats count from the chart's left; a person in
    the hall faces the stage, so their right is the chart's right, and the presidium faces
    the hall (`facing_hall`), so theirs is the chart's left."""
    seats = list(range(first, last + 1))
    if precedence == Precedence.LEFT_TO_RIGHT or len(seats) < 2:
        return seats
    step = 1 if (side == Side.RIGHT) != facing_hall else -1
    n = len(seats)
    centre = (n - 1) // 2 if step == 1 else n // 2  # an even row: the second takes the other
    order = [seats[centre]]
    for distance in range(1, n):
        for index in (centre + step * distance, centre - step * distance):
            if 0 <= index < n and len(order) < n:
                order.append(seats[index])
    return order[:n]


def _row_seats(plan: SeatingPlan, row: int, first: int, last: int) -> list[Seat]:
    return [(row, s) for s in seat_order(first, last, plan.precedence, plan.second_side)]


def presidium_order(plan: SeatingPlan) -> list[int]:
    places = plan.layout.presidium_places
    return seat_order(1, places, plan.precedence, plan.second_side, facing_hall=True)


def block_seats(plan: SeatingPlan, block: SeatBlock) -> list[Seat]:
    """A block's seats, front row first, each row in the plan's precedence."""
    return [
        seat
        for row in range(block.first_row, block.last_row + 1)
        for seat in _row_seats(plan, row, block.first_seat, block.last_seat)
    ]


def hall_seats(plan: SeatingPlan) -> list[Seat]:
    """Every seat of the hall (not the presidium) in the order people take them."""
    layout = plan.layout
    return [
        seat
        for row in range(1, layout.rows + 1)
        for seat in _row_seats(plan, row, 1, layout.seats_per_row)
    ]


def seat_exists(layout: HallLayout, row: int, seat: int) -> bool:
    if row == PRESIDIUM_ROW:
        return 1 <= seat <= layout.presidium_places
    return 1 <= row <= layout.rows and 1 <= seat <= layout.seats_per_row


# --- Who is to be seated ----------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """What assignment needs of an invitation, read in one query."""

    id: int
    category_id: int | None
    unit_id: int | None  # the role's unit, else the person's
    absent: bool


def invitees(plan: SeatingPlan) -> list[Invitee]:
    """The plan's place's invitations in protocol order. Absent: declined or excused, with
    no substitute announced (a deputy takes the principal's seat)."""
    stmt, order = in_protocol_order(
        select(
            Invitation.id,
            Invitation.category_id,
            Invitation.unit_id,
            Person.unit_id,
            Invitation.rsvp,
            Invitation.substitute_name,
        ).select_from(Invitation),
        plan.conference_id,
    )
    here = Invitation.location_id
    stmt = stmt.where(here.is_(None) if plan.location_id is None else here == plan.location_id)
    return [
        Invitee(id_, category, role_unit or own_unit, rsvp in ABSENT and not substitute)
        for id_, category, role_unit, own_unit, rsvp, substitute in db.session.execute(
            stmt.order_by(*order)
        )
    ]


# --- Assignment -------------------------------------------------------------------------


@dataclass
class AssignResult:
    demand: int  # invitees to seat (present or represented)
    capacity: int  # seats in the layout, presidium included
    seated: int = 0
    unseated: list[int] = field(default_factory=list)  # invitation ids without a seat
    freed: int = 0  # locked seats taken back: absent, moved to another place, seat gone

    @property
    def over_capacity(self) -> bool:
        return self.demand > self.capacity


def _blocks_matching(blocks: list[SeatBlock], invitee: Invitee) -> list[int]:
    return [
        i
        for i, b in enumerate(blocks)
        if (b.category_id is None or b.category_id == invitee.category_id)
        and (b.unit_id is None or b.unit_id == invitee.unit_id)
    ]


def assign(plan: SeatingPlan) -> AssignResult:
    """Assign the plan again: locked seats stay, the rest is recomputed (see the module)."""
    everyone = invitees(plan)
    db.session.execute(
        delete(SeatAssignment).where(
            SeatAssignment.plan_id == plan.id, SeatAssignment.locked.is_(False)
        )
    )
    freed = _drop_stale(plan, {i.id for i in everyone if not i.absent})
    kept = _kept_seats(plan)
    to_seat = [i for i in everyone if not i.absent and i.id not in kept]
    demand = sum(1 for i in everyone if not i.absent)
    result = AssignResult(demand=demand, capacity=plan.layout.capacity, freed=freed)
    taken = set(kept.values())
    rows = _place(plan, to_seat, taken, result)
    if rows:
        db.session.execute(insert(SeatAssignment), rows)
    result.seated = len(kept) + len(rows)
    db.session.expire_all()
    return result


def _kept_seats(plan: SeatingPlan) -> dict[int, Seat]:
    rows = db.session.execute(
        select(SeatAssignment.invitation_id, SeatAssignment.row, SeatAssignment.seat).where(
            SeatAssignment.plan_id == plan.id
        )
    )
    return {invitation: (row, seat) for invitation, row, seat in rows}


def _drop_stale(plan: SeatingPlan, coming: set[int]) -> int:
    """Take back locked seats that no longer hold: the invitee will not come (declined or
    excused, no substitute), now belongs to another place, or the layout lost the seat."""
    layout = plan.layout
    stale = [
        id_
        for id_, invitation, row, seat in db.session.execute(
            select(
                SeatAssignment.id,
                SeatAssignment.invitation_id,
                SeatAssignment.row,
                SeatAssignment.seat,
            ).where(SeatAssignment.plan_id == plan.id)
        )
        if invitation not in coming or not seat_exists(layout, row, seat)
    ]
    if stale:
        db.session.execute(delete(SeatAssignment).where(SeatAssignment.id.in_(stale)))
    return len(stale)


def _next_free(seats: list[Seat], taken: set[Seat]) -> Seat | None:
    """Pop the next seat not taken yet (blocks may overlap: two categories, one block)."""
    while seats:
        seat = seats.pop()
        if seat not in taken:
            return seat
    return None


def _place(
    plan: SeatingPlan, to_seat: list[Invitee], taken: set[Seat], result: AssignResult
) -> list[dict]:
    """Blocks first, then the open seats; returns the rows to insert."""
    blocks = list(plan.blocks)
    reserved = {seat for b in blocks for seat in block_seats(plan, b)}
    free_in_block = [[s for s in block_seats(plan, b) if s not in taken] for b in blocks]
    for seats in free_in_block:
        seats.reverse()  # pop() from the end takes them in order
    open_seats = [s for s in hall_seats(plan) if s not in taken and s not in reserved]
    open_seats.reverse()
    rows = []
    for invitee in to_seat:
        seat = None
        for index in _blocks_matching(blocks, invitee):
            seat = _next_free(free_in_block[index], taken)
            if seat is not None:
                break
        if seat is None:
            seat = _next_free(open_seats, taken)
        if seat is None:
            result.unseated.append(invitee.id)
            continue
        taken.add(seat)
        rows.append(
            dict(plan_id=plan.id, invitation_id=invitee.id, row=seat[0], seat=seat[1], locked=False)
        )
    return rows


# --- Plans and the presidium ------------------------------------------------------------


def plans_of(conference: Conference) -> list[SeatingPlan]:
    return list(
        db.session.scalars(
            select(SeatingPlan)
            .where(SeatingPlan.conference_id == conference.id)
            .order_by(SeatingPlan.location_id.is_not(None), SeatingPlan.id)
        )
    )


def plan_for(conference: Conference, location: ConferenceLocation | None) -> SeatingPlan | None:
    where = (
        SeatingPlan.location_id.is_(None)
        if location is None
        else SeatingPlan.location_id == location.id
    )
    return db.session.scalar(
        select(SeatingPlan).where(SeatingPlan.conference_id == conference.id, where)
    )


def create_plan(
    conference: Conference,
    layout: HallLayout,
    location: ConferenceLocation | None = None,
    precedence: Precedence = Precedence.CENTRE_OUT,
    second_side: Side = Side.RIGHT,
) -> SeatingPlan:
    """A plan for the conference's main hall (or a bridge point), its presidium seeded."""
    if plan_for(conference, location) is not None:
        raise SeatingError("plan exists")
    plan = SeatingPlan(
        conference=conference,
        location=location,
        layout=layout,
        precedence=precedence,
        second_side=second_side,
    )
    db.session.add(plan)
    db.session.flush()
    if location is None:
        seed_presidium(plan)
    return plan


def presidium_candidates(conference: Conference) -> list[int]:
    """Invitation ids of the chair, then the presenters in agenda order (if invited)."""
    people = [conference.chair_id] + [item.presenter_id for item in conference.agenda_items]
    wanted = list(dict.fromkeys(p for p in people if p))
    if not wanted:
        return []
    by_person = dict(
        db.session.execute(
            select(Invitation.person_id, Invitation.id).where(
                Invitation.conference_id == conference.id, Invitation.person_id.in_(wanted)
            )
        ).all()
    )
    return [by_person[p] for p in wanted if p in by_person]


def seed_presidium(plan: SeatingPlan) -> int:
    """Put the chair and presenters at the presidium's table (locked); returns how many."""
    db.session.execute(
        delete(SeatAssignment).where(
            SeatAssignment.plan_id == plan.id, SeatAssignment.row == PRESIDIUM_ROW
        )
    )
    members = presidium_candidates(plan.conference)
    db.session.execute(
        delete(SeatAssignment).where(
            SeatAssignment.plan_id == plan.id, SeatAssignment.invitation_id.in_(members)
        )
    )
    rows = [
        dict(plan_id=plan.id, invitation_id=inv, row=PRESIDIUM_ROW, seat=seat, locked=True)
        for inv, seat in zip(members, presidium_order(plan), strict=False)
    ]
    if rows:
        db.session.execute(insert(SeatAssignment), rows)
    db.session.expire_all()
    return len(rows)


# --- Manual changes ---------------------------------------------------------------------


def _at(plan: SeatingPlan, seat: Seat) -> SeatAssignment | None:
    return db.session.scalar(
        select(SeatAssignment).where(
            SeatAssignment.plan_id == plan.id,
            SeatAssignment.row == seat[0],
            SeatAssignment.seat == seat[1],
        )
    )


def _check(plan: SeatingPlan, seat: Seat) -> None:
    if not seat_exists(plan.layout, *seat):
        raise SeatingError("no such seat")


def move_seat(plan: SeatingPlan, source: Seat, target: Seat) -> None:
    """Move whoever sits at `source` to `target`, swapping with whoever sits there. Both
    seats are locked afterwards: a manual change survives the next assignment."""
    _check(plan, source)
    _check(plan, target)
    if source == target:
        return
    first, second = _at(plan, source), _at(plan, target)
    if first is None and second is None:
        raise SeatingError("both empty")
    # Park the first out of the way: (plan, row, seat) is unique.
    if first is not None:
        first.row, first.seat = -1, -1
        db.session.flush()
    if second is not None:
        second.row, second.seat, second.locked = *source, True
        db.session.flush()
    if first is not None:
        first.row, first.seat, first.locked = *target, True
    db.session.flush()


def move_invitation(plan: SeatingPlan, invitation_id: int, target: Seat) -> None:
    """Seat one invitee at `target` (swapping with its occupant); locked."""
    _check(plan, target)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.conference_id != plan.conference_id:
        raise SeatingError("not invited")
    mine = db.session.scalar(
        select(SeatAssignment).where(
            SeatAssignment.plan_id == plan.id, SeatAssignment.invitation_id == invitation_id
        )
    )
    if mine is not None:
        move_seat(plan, (mine.row, mine.seat), target)
        return
    occupant = _at(plan, target)
    if occupant is not None:
        db.session.delete(occupant)  # they lose the seat; the next assignment seats them again
        db.session.flush()
    db.session.add(
        SeatAssignment(
            plan_id=plan.id, invitation_id=invitation_id, row=target[0], seat=target[1], locked=True
        )
    )
    db.session.flush()


def set_locked(plan: SeatingPlan, seat: Seat, locked: bool) -> None:
    assignment = _at(plan, seat)
    if assignment is None:
        raise SeatingError("empty seat")
    assignment.locked = locked
    db.session.flush()


def clear_seat(plan: SeatingPlan, seat: Seat) -> None:
    db.session.execute(
        delete(SeatAssignment).where(
            SeatAssignment.plan_id == plan.id,
            SeatAssignment.row == seat[0],
            SeatAssignment.seat == seat[1],
        )
    )


def unlock_all(plan: SeatingPlan) -> None:
    """Unlock every hall seat (the presidium stays as set)."""
    db.session.execute(
        update(SeatAssignment)
        .where(SeatAssignment.plan_id == plan.id, SeatAssignment.row != PRESIDIUM_ROW)
        .values(locked=False)
    )


# --- The seat of an invitation ------------------------------------------------------------


@dataclass(frozen=True)
class SeatPlace:
    row: int
    seat: int

    @property
    def presidium(self) -> bool:
        return self.row == PRESIDIUM_ROW

    @property
    def row_label(self) -> str:
        return row_label(self.row)

    @property
    def label(self) -> str:
        """As printed on the letter: "Hàng A, ghế 5" (or "Đoàn Chủ tịch, ghế 2")."""
        if self.presidium:
            return f"Đoàn Chủ tịch, ghế {self.seat}"
        return f"Hàng {self.row_label}, ghế {self.seat}"

    @property
    def welcome(self) -> str:
        """The check-in answer in Vietnamese: "Mời đồng chí ngồi hàng A, ghế 5" (pages
        show the translated seating/_seat.html instead)."""
        return f"Mời đồng chí ngồi {self.label[0].lower()}{self.label[1:]}"


def seat_places(invitation_ids: Iterable[int]) -> dict[int, SeatPlace]:
    """The seats of many invitations in one query (an invitation has at most one plan)."""
    ids = list(invitation_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(SeatAssignment.invitation_id, SeatAssignment.row, SeatAssignment.seat).where(
            SeatAssignment.invitation_id.in_(ids)
        )
    )
    return {invitation: SeatPlace(row, seat) for invitation, row, seat in rows}


def seat_place(invitation: Invitation) -> SeatPlace | None:
    """The seat of one invitation, None when it has none."""
    return seat_places([invitation.id]).get(invitation.id)


def seat_label(invitation: Invitation) -> str | None:
    """ "Hàng A, ghế 5" for the letter and the check-in answer; None without a seat."""
    place = seat_place(invitation)
    return place.label if place else None


def seat_labels(conference_id: int) -> dict[int, str]:
    """Every seated invitation of a conference → its label, in one query (letters)."""
    rows = db.session.execute(
        select(SeatAssignment.invitation_id, SeatAssignment.row, SeatAssignment.seat)
        .join(SeatingPlan, SeatingPlan.id == SeatAssignment.plan_id)
        .where(SeatingPlan.conference_id == conference_id)
    )
    return {invitation: SeatPlace(row, seat).label for invitation, row, seat in rows}


def block_for_label(block: SeatBlock) -> str:
    """How a block is named on the editor: its label, else its category or unit."""
    return block.label or " · ".join(str(x) for x in (block.category, block.unit) if x is not None)


def unseated(plan: SeatingPlan, limit: int = 500) -> list[Invitation]:
    """Invitees of the plan's place who will come but have no seat, in protocol order."""
    seated = set(_kept_seats(plan))
    ids = [i.id for i in invitees(plan) if not i.absent and i.id not in seated][:limit]
    loaded = db.session.scalars(
        select(Invitation)
        .where(Invitation.id.in_(ids))
        .options(selectinload(Invitation.person), selectinload(Invitation.unit))
    )
    by_id = {invitation.id: invitation for invitation in loaded}
    return [by_id[i] for i in ids]


def find_seats(conference: Conference, query: str, limit: int = 20) -> list[tuple]:
    """Invitations whose person matches `query` (without diacritics), with their seats:
    what an usher looks up at the door. [(invitation, SeatPlace | None)…]"""
    stmt, order = in_protocol_order(select(Invitation), conference.id)
    stmt, query = match_query(stmt, query)
    if not query:
        return []
    found = list(
        db.session.scalars(
            stmt.order_by(*order)
            .limit(limit)
            .options(selectinload(Invitation.person), selectinload(Invitation.unit))
        )
    )
    places = seat_places(i.id for i in found)
    return [(i, places.get(i.id)) for i in found]

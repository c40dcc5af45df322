"""The plain data every seating output is drawn from: the chart (PDF, print page, editor) and
the name plates. Built once per plan, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from meetings.extensions import db
from meetings.invitations.service import RoleUnit
from meetings.models import (
    PRESIDIUM_ROW,
    Invitation,
    InviteeCategory,
    Person,
    SeatAssignment,
    SeatingPlan,
)
from meetings.seating.service import block_for_label, invitees, row_label
from meetings.text import short_date

# Light fills that keep black names readable, one per category in protocol order; grey for
# the uncategorised; the list repeats beyond its length.
PALETTE = [
    "#F4B6B6",
    "#F9D58B",
    "#B9E3A8",
    "#A9D6F2",
    "#D3BDF0",
    "#F7C6E0",
    "#BFE8E0",
    "#E8DDB5",
    "#C9D4F7",
    "#F2CDA7",
    "#D9EDB0",
    "#E0C8C8",
]
NO_CATEGORY = "#DDDDDD"


@dataclass
class Cell:
    invitation_id: int
    name: str  # the substitute's when one is announced
    position: str
    colour: str
    category: str
    substitute: bool = False
    locked: bool = False


@dataclass
class LegendEntry:
    name: str
    colour: str
    count: int


@dataclass
class Block:
    label: str
    first_row: int
    last_row: int
    first_seat: int
    last_seat: int

    @property
    def where(self) -> str:
        rows = row_label(self.first_row)
        if self.last_row != self.first_row:
            rows += f"–{row_label(self.last_row)}"
        return f"Hàng {rows}, ghế {self.first_seat}–{self.last_seat}"

    @property
    def legend(self) -> str:
        return f"{self.where} — {self.label}"


@dataclass
class Chart:
    plan_id: int
    conference_title: str
    place: str
    when: str
    layout_name: str
    rows: int
    seats: int
    aisles: list[int]
    presidium: list[Cell | None]  # seat 1 first
    grid: list[list[Cell | None]]  # row A first, seat 1 first
    legend: list[LegendEntry] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    demand: int = 0
    seated: int = 0
    reserved: set[tuple[int, int]] = field(default_factory=set)  # (row, seat) in a block

    @property
    def capacity(self) -> int:
        return self.rows * self.seats + len(self.presidium)

    @property
    def unseated(self) -> int:
        return max(0, self.demand - self.seated)

    def row_label(self, row: int) -> str:
        return row_label(row)

    def columns(self) -> list[int | None]:
        """Seat numbers left to right, None where an aisle runs."""
        out: list[int | None] = []
        for seat in range(1, self.seats + 1):
            out.append(seat)
            if seat in self.aisles and seat < self.seats:
                out.append(None)
        return out


_SEATS = select(
    SeatAssignment.row,
    SeatAssignment.seat,
    SeatAssignment.locked,
    Invitation.id,
    Invitation.category_id,
    Invitation.substitute_name,
    Invitation.substitute_position,
    Invitation.person_name,
    Invitation.person_position,
    Invitation.role_title,
    Person.full_name,
    Person.position,
    RoleUnit.name,
).select_from(SeatAssignment)


def _seats(plan: SeatingPlan):
    """The plan's seats with who sits there, in one query of plain columns (2,000 seats
    as ORM objects with their relationships cost the better part of a second)."""
    return db.session.execute(
        _SEATS.join(Invitation, Invitation.id == SeatAssignment.invitation_id)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(RoleUnit, RoleUnit.id == Invitation.unit_id)
        .where(SeatAssignment.plan_id == plan.id)
    )


def shown(row) -> tuple[str, str, bool]:
    """(name, position, is a substitute) of a _SEATS row: whoever is expected in the seat,
    the person as they were for this conference, or the role of the unit."""
    (sub_name, sub_position, kept_name, kept_position, role, name, position, unit) = row[5:]
    if sub_name:
        return sub_name, sub_position or "", True
    if kept_name:
        return kept_name, kept_position or role or "", False
    if name:
        return name, position or role or "", False
    label = f"{role or ''} {unit or ''}".strip()
    return label, label, False


def _colours(plan: SeatingPlan) -> dict[int | None, tuple[str, str]]:
    """Category id → (colour, name), in protocol order of the conference's body."""
    categories = db.session.scalars(
        select(InviteeCategory)
        .where(InviteeCategory.body_id == plan.conference.body_id)
        .order_by(InviteeCategory.protocol_order, InviteeCategory.id)
    )
    colours: dict[int | None, tuple[str, str]] = {
        c.id: (PALETTE[i % len(PALETTE)], c.name) for i, c in enumerate(categories)
    }
    colours[None] = (NO_CATEGORY, "Khác")
    return colours


def build_chart(plan: SeatingPlan) -> Chart:
    layout, conference = plan.layout, plan.conference
    venue = plan.location.venue if plan.location else conference.venue
    chart = Chart(
        plan_id=plan.id,
        conference_title=conference.title,
        place=venue.name if venue else layout.venue.name,
        when=f"{conference.starts_at:%H:%M}, ngày {short_date(conference.starts_at.date())}",
        layout_name=layout.name,
        rows=layout.rows,
        seats=layout.seats_per_row,
        aisles=layout.aisle_after,
        presidium=[None] * layout.presidium_places,
        grid=[[None] * layout.seats_per_row for _ in range(layout.rows)],
    )
    colours = _colours(plan)
    counts: dict[int | None, int] = {}
    for row in _seats(plan):
        seat_row, seat, locked, invitation_id, category_id = row[:5]
        name, position, substitute = shown(row)
        colour, category = colours.get(category_id, colours[None])
        cell = Cell(invitation_id, name, position, colour, category, substitute, locked)
        if seat_row == PRESIDIUM_ROW and seat <= len(chart.presidium):
            chart.presidium[seat - 1] = cell
        elif 1 <= seat_row <= chart.rows and 1 <= seat <= chart.seats:
            chart.grid[seat_row - 1][seat - 1] = cell
        else:
            continue  # a seat the layout lost since: not drawn, counted as unseated
        counts[category_id] = counts.get(category_id, 0) + 1
        chart.seated += 1
    chart.legend = [
        LegendEntry(name, colour, counts[key])
        for key, (colour, name) in colours.items()
        if counts.get(key)
    ]
    chart.blocks = [
        Block(block_for_label(b), b.first_row, b.last_row, b.first_seat, b.last_seat)
        for b in plan.blocks
    ]
    chart.reserved = {
        (row, seat)
        for b in plan.blocks
        for row in range(b.first_row, b.last_row + 1)
        for seat in range(b.first_seat, b.last_seat + 1)
    }
    chart.demand = sum(1 for i in invitees(plan) if not i.absent)
    return chart


@dataclass
class Plate:
    name: str
    position: str


def build_plates(plan: SeatingPlan, rows: int | None = None) -> list[Plate]:
    """Name plates for the presidium and the first `rows` rows (the plan's setting when
    None), left to right as the chart shows them; a substitute's own name and position."""
    chart = build_chart(plan)
    rows = plan.plate_rows if rows is None else rows
    cells = [*chart.presidium, *(c for row in chart.grid[:rows] for c in row)]
    return [Plate(c.name, c.position) for c in cells if c is not None]

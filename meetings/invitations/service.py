"""Who is invited to a conference: whole categories, individuals and unit roles; RSVP.

Lists of 30,000 invitations stay fast because everything is counted and ordered in SQL: a
page is one ordered query plus one query per related table (selectinload), whatever its size.
Protocol order: category order, then the person's rank in that category, then Vietnamese name
order (Person.sort_key) or, for a unit role, the unit's name order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, and_, case, delete, func, insert, select
from sqlalchemy.orm import aliased, selectinload

from meetings.clock import now
from meetings.directory.service import Page, match_query
from meetings.exports import Table
from meetings.extensions import db
from meetings.links import personal_checkin_url
from meetings.models import (
    CheckIn,
    Conference,
    Invitation,
    InviteeCategory,
    Person,
    PersonCategory,
    Rsvp,
    Unit,
    UnitKind,
    User,
    record,
)
from meetings.text import fold

LIST_PAGE_SIZE = 100
RoleUnit = aliased(Unit)  # the unit of a unit-role invitation
_COUNTED = (Rsvp.CONFIRMED, Rsvp.DECLINED, Rsvp.EXCUSED)  # answers the totals count


class InvitationError(ValueError):
    """The change cannot be made; nothing was changed."""


# --- Reading -------------------------------------------------------------------------------


@dataclass
class CategoryTotal:
    category: InviteeCategory | None
    invited: int = 0
    confirmed: int = 0
    declined: int = 0
    excused: int = 0
    by_role: int = 0  # unit-role invitations among them


def category_totals(conference: Conference) -> list[CategoryTotal]:
    """Exact totals per category in protocol order (uncategorised last): two queries."""
    rows = db.session.execute(
        select(
            Invitation.category_id,
            func.count(),
            *(func.sum(case((Invitation.rsvp == r, 1), else_=0)) for r in _COUNTED),
            func.sum(case((Invitation.unit_id.is_not(None), 1), else_=0)),
        )
        .where(Invitation.conference_id == conference.id)
        .group_by(Invitation.category_id)
    ).all()
    by_id = {row[0]: row for row in rows}
    categories = db.session.scalars(
        select(InviteeCategory)
        .where(InviteeCategory.id.in_([k for k in by_id if k]))
        .order_by(InviteeCategory.protocol_order, InviteeCategory.id)
    ).all()
    ordered = [(c, by_id[c.id]) for c in categories]
    if None in by_id:
        ordered.append((None, by_id[None]))
    return [CategoryTotal(c, row[1], *(int(v or 0) for v in row[2:])) for c, row in ordered]


_RELATED = (
    selectinload(Invitation.person).selectinload(Person.unit),
    selectinload(Invitation.unit),
    selectinload(Invitation.category),
)


def in_protocol_order(stmt: Select, conference_id: int) -> tuple[Select, list]:
    """A conference's invitations with what protocol order needs joined (Person, RoleUnit,
    InviteeCategory, PersonCategory) and the ORDER BY terms: category order, rank in it, then
    Vietnamese name order (a unit role by its unit's name). Every list of invitees uses it."""
    stmt = (
        stmt.outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(RoleUnit, RoleUnit.id == Invitation.unit_id)
        .outerjoin(InviteeCategory, InviteeCategory.id == Invitation.category_id)
        .outerjoin(
            PersonCategory,
            and_(
                PersonCategory.person_id == Invitation.person_id,
                PersonCategory.category_id == Invitation.category_id,
            ),
        )
        .where(Invitation.conference_id == conference_id)
    )
    order = [
        case((Invitation.category_id.is_(None), 1), else_=0),
        InviteeCategory.protocol_order,
        Invitation.category_id,
        func.coalesce(PersonCategory.rank, 100),
        func.coalesce(RoleUnit.sort_key, Person.sort_key),
        Invitation.id,
    ]
    return stmt, order


def list_invitations(
    conference: Conference,
    *,
    category_id: int | None = None,
    query: str | None = None,
    page: int = 1,
    per_page: int = LIST_PAGE_SIZE,
) -> Page[Invitation]:
    """One page of the list in protocol order; a constant number of queries. The ordering
    query selects ids only, so sorting 30,000 rows stays narrow and in memory."""
    stmt, order = in_protocol_order(select(Invitation.id), conference.id)
    # Counting needs no joins unless the search looks into the people.
    counting = select(func.count(Invitation.id)).where(Invitation.conference_id == conference.id)
    if category_id:
        stmt = stmt.where(Invitation.category_id == category_id)
        counting = counting.where(Invitation.category_id == category_id)
    stmt, query = match_query(stmt, query)
    if query:
        counting, _ = match_query(counting.join(Person, Person.id == Invitation.person_id), query)
    total = db.session.scalar(counting)
    page = max(1, min(page, max(1, -(-total // per_page))))
    ids = db.session.scalars(
        stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    loaded = db.session.scalars(select(Invitation).where(Invitation.id.in_(ids)).options(*_RELATED))
    by_id = {invitation.id: invitation for invitation in loaded}
    return Page([by_id[i] for i in ids], total, page, per_page)


def all_invitations(conference: Conference) -> list[Invitation]:
    """The whole list in protocol order (exports): one ordered query, related rows in batches."""
    stmt, order = in_protocol_order(select(Invitation), conference.id)
    return list(db.session.scalars(stmt.order_by(*order).options(*_RELATED)))


@dataclass
class DoubleInvitation:
    person: Person
    invited_as: InviteeCategory | None
    also_in: list[InviteeCategory] = field(default_factory=list)


def _doubles_query(conference: Conference):
    listed = (
        select(Invitation.category_id)
        .where(Invitation.conference_id == conference.id, Invitation.category_id.is_not(None))
        .distinct()
    )
    return (
        select(Invitation.person_id)
        .join(PersonCategory, PersonCategory.person_id == Invitation.person_id)
        .where(
            Invitation.conference_id == conference.id,
            PersonCategory.category_id.in_(listed),
        )
        .group_by(Invitation.person_id)
        .having(func.count(PersonCategory.category_id) > 1)
    )


def double_invitations(conference: Conference, limit: int = 20) -> tuple[int, list]:
    """People who belong to two or more of the categories on the list: invited once, under
    the first category that brought them; the count, and the first few to show."""
    doubles = _doubles_query(conference)
    count = db.session.scalar(select(func.count()).select_from(doubles.subquery()))
    if not count:
        return 0, []
    listed = {
        c
        for c in db.session.scalars(
            select(Invitation.category_id)
            .where(Invitation.conference_id == conference.id)
            .distinct()
        )
    }
    invitations = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.conference_id == conference.id,
            Invitation.person_id.in_(doubles.limit(limit)),
        )
        .options(
            selectinload(Invitation.person)
            .selectinload(Person.memberships)
            .selectinload(PersonCategory.category),
            selectinload(Invitation.category),
        )
    ).all()
    shown = [
        DoubleInvitation(
            inv.person,
            inv.category,
            [
                m.category
                for m in inv.person.memberships
                if m.category_id in listed and m.category_id != inv.category_id
            ],
        )
        for inv in invitations
    ]
    return count, shown


# --- Changing ------------------------------------------------------------------------------


@dataclass
class AddResult:
    added: int = 0
    already: int = 0  # invited before, under this or another category
    skipped: list[str] = field(default_factory=list)  # units with no one named, and why


def _invited_people(conference: Conference) -> set[int]:
    return set(
        db.session.scalars(
            select(Invitation.person_id).where(
                Invitation.conference_id == conference.id, Invitation.person_id.is_not(None)
            )
        )
    )


def add_category(
    conference: Conference, category: InviteeCategory, user: User | None = None
) -> AddResult:
    """Invite everyone currently in the category, in one statement; people already invited
    (by another category) keep their invitation: one per person per conference. Audited."""
    members = db.session.scalars(
        select(PersonCategory.person_id)
        .join(Person, Person.id == PersonCategory.person_id)
        .where(
            PersonCategory.category_id == category.id,
            Person.retired_at.is_(None),
            Person.body_id == conference.body_id,
        )
    ).all()
    invited = _invited_people(conference)
    new = [pid for pid in members if pid not in invited]
    if new:
        stamp = now()
        db.session.execute(
            insert(Invitation),
            [
                dict(
                    conference_id=conference.id,
                    person_id=pid,
                    category_id=category.id,
                    created_at=stamp,
                )
                for pid in new
            ],
        )
    record("invitations.add_category", conference, user, category=category.name, added=len(new))
    return AddResult(added=len(new), already=len(members) - len(new))


def add_person(
    conference: Conference,
    person: Person,
    category: InviteeCategory | None,
    user: User | None = None,
) -> Invitation:
    if person.retired_at is not None:
        raise InvitationError("retired")
    if person.id in _invited_people(conference):
        raise InvitationError("already invited")
    invitation = Invitation(conference=conference, person=person, category=category)
    db.session.add(invitation)
    db.session.flush()
    record("invitations.add_person", conference, user, person_id=person.id)
    return invitation


def default_category(person: Person) -> InviteeCategory | None:
    """The person's first active category in protocol order."""
    categories = [m.category for m in person.memberships if m.category.retired_at is None]
    return min(categories, key=lambda c: (c.protocol_order, c.id), default=None)


def _holds_role(position: str | None, role_title: str) -> bool:
    """ "Bí thư Đảng ủy" holds "Bí thư"; "Phó Bí thư" does not."""
    folded, role = fold(position or ""), fold(role_title)
    return folded == role or folded.startswith(role + " ")


def _principal(holders: list[Person], role_title: str) -> Person | None:
    """The one holder of the role; of several, the one whose title is exactly the role."""
    if len(holders) > 1:
        holders = [p for p in holders if fold(p.position or "") == fold(role_title)]
    return holders[0] if len(holders) == 1 else None


def add_unit_role(
    conference: Conference,
    kind: UnitKind,
    role_title: str,
    deputy_title: str | None,
    deputy_allowed: bool,
    category: InviteeCategory | None,
    user: User | None = None,
) -> AddResult:
    """One invitation per active unit of this kind for the holder of `role_title`, naming
    the principal when the directory knows exactly one; a deputy may attend in their place."""
    units = db.session.scalars(
        select(Unit)
        .where(Unit.body_id == conference.body_id, Unit.kind == kind, Unit.retired_at.is_(None))
        .order_by(Unit.sort_key)
    ).all()
    taken = set(
        db.session.scalars(
            select(Invitation.unit_id).where(
                Invitation.conference_id == conference.id,
                Invitation.unit_id.is_not(None),
                Invitation.role_title == role_title,
            )
        )
    )
    staff: dict[int, list[Person]] = {}
    for person in db.session.scalars(
        select(Person).where(Person.unit_id.in_([u.id for u in units]), Person.retired_at.is_(None))
    ):
        if _holds_role(person.position, role_title):
            staff.setdefault(person.unit_id, []).append(person)
    invited = _invited_people(conference)
    result = AddResult()
    for unit in units:
        if unit.id in taken:
            result.already += 1
            continue
        principal = _principal(staff.get(unit.id, []), role_title)
        if principal and principal.id in invited:
            result.already += 1
            result.skipped.append(f"{unit.name}: {principal.full_name}")
            continue
        db.session.add(
            Invitation(
                conference=conference,
                unit=unit,
                person=principal,
                role_title=role_title,
                deputy_title=deputy_title or None,
                deputy_allowed=deputy_allowed,
                category=category,
            )
        )
        result.added += 1
    db.session.flush()
    record("invitations.add_role", conference, user, role=role_title, added=result.added)
    return result


def _checked_in(conference: Conference):
    return select(CheckIn.invitation_id).where(
        CheckIn.conference_id == conference.id, CheckIn.invitation_id.is_not(None)
    )


def remove_invitation(invitation: Invitation, user: User | None = None) -> None:
    """Withdraw an invitation; one that was used to check in stays, it is history."""
    if db.session.scalar(select(CheckIn.id).where(CheckIn.invitation_id == invitation.id)):
        raise InvitationError("checked in")
    record("invitations.remove", invitation.conference, user, invitee=invitation.invitee_label)
    db.session.delete(invitation)
    db.session.flush()


def remove_category(
    conference: Conference, category_id: int | None, user: User | None = None
) -> int:
    """Withdraw every invitation of a category (None: those without one) except those
    already used to check in."""
    category = db.session.get(InviteeCategory, category_id) if category_id else None
    stmt = delete(Invitation).where(
        Invitation.conference_id == conference.id,
        Invitation.id.not_in(_checked_in(conference)),
        Invitation.category_id == category_id if category_id else Invitation.category_id.is_(None),
    )
    removed = db.session.execute(stmt, execution_options={"synchronize_session": False}).rowcount
    record(
        "invitations.remove_category",
        conference,
        user,
        category=category.name if category else None,
        removed=removed,
    )
    return removed


def set_rsvp(
    invitation: Invitation,
    rsvp: Rsvp,
    reason: str | None = None,
    substitute_name: str | None = None,
    substitute_position: str | None = None,
    user: User | None = None,
) -> None:
    """Record the answer; an excused absence needs its reason (the minutes print it). The
    audit log keeps every answer with its time, in full: the invitee's own (no user, from
    their link) and the secretariat's."""
    if rsvp is Rsvp.EXCUSED and not reason:
        raise InvitationError("reason required")
    invitation.rsvp = rsvp
    invitation.absence_reason = reason if rsvp in (Rsvp.EXCUSED, Rsvp.DECLINED) else None
    invitation.substitute_name = substitute_name or None
    invitation.substitute_position = (substitute_position or None) if substitute_name else None
    invitation.updated_at = now()
    db.session.flush()
    record(
        "invitations.rsvp",
        invitation,
        user,
        rsvp=rsvp.value,
        reason=invitation.absence_reason,
        substitute_name=invitation.substitute_name,
        substitute_position=invitation.substitute_position,
    )


# --- Export --------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "STT",
    "Thành phần",
    "Họ và tên",
    "Chức vụ",
    "Đơn vị",
    "Mời theo chức danh",
    "Điện thoại",
    "Email",
    "Trả lời",
    "Lý do vắng",
    "Người dự thay",
]
# Each invitee's personal check-in link and code: whoever holds them can check that invitee
# in, so they are exported only when asked for (a mail merge of the letters needs them).
LINK_HEADERS = ["Đường dẫn điểm danh", "Mã điểm danh"]
RSVP_WORDS = {
    Rsvp.INVITED: "Đã mời",
    Rsvp.CONFIRMED: "Xác nhận dự",
    Rsvp.DECLINED: "Không dự",
    Rsvp.EXCUSED: "Vắng có lý do",
}


def _role_label(invitation: Invitation) -> str:
    if not invitation.role_title:
        return ""
    label = f"{invitation.role_title} {invitation.unit.name if invitation.unit else ''}".strip()
    if invitation.deputy_allowed and invitation.deputy_title:
        label += f" (hoặc {invitation.deputy_title})"
    return label


def invitee_table(conference: Conference, with_links: bool = False) -> Table:
    """The whole list in protocol order; with each personal check-in link and short code
    only when `with_links` (a mail merge), since anyone holding them can check people in."""
    rows = []
    for number, inv in enumerate(all_invitations(conference), start=1):
        person = inv.person
        substitute = ", ".join(p for p in (inv.substitute_name, inv.substitute_position) if p)
        rows.append(
            [
                number,
                inv.category.name if inv.category else "",
                inv.shown_name or "",
                inv.shown_position or inv.role_title or "",
                inv.shown_unit or "",
                _role_label(inv),
                person.phone if person and person.phone else "",
                person.email if person and person.email else "",
                RSVP_WORDS[inv.rsvp],
                inv.absence_reason or "",
                substitute,
                *([personal_checkin_url(inv.token), inv.short_code] if with_links else []),
            ]
        )
    widths = [6, 36, 26, 32, 30, 36, 14, 26, 14, 24, 26] + ([50, 12] if with_links else [])
    headers = EXPORT_HEADERS + (LINK_HEADERS if with_links else [])
    return Table("Danh sách mời", headers, rows, widths=widths, landscape=True)

"""The directory's domain: search, Vietnamese ordering, editing and retiring.

Search matches every word of the query, folded, against Person.search_text (name, position,
unit and phone without diacritics). The folded column is narrow, so a scan of 30,000 rows is a
few milliseconds on SQLite and PostgreSQL alike (bench/invitee_list.py measures it); a B-tree
index cannot serve a substring match, and a trigram index would tie us to PostgreSQL. Pages
sort in SQL by Person.sort_key, the Vietnamese name order as a string (meetings.sortkeys).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.orm import selectinload

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    Conference,
    Invitation,
    InviteeCategory,
    OrganisingBody,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
    User,
    record,
)
from meetings.text import clean, fold

T = TypeVar("T")
PER_PAGE = 50


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1


def list_bodies() -> list[OrganisingBody]:
    return list(db.session.scalars(select(OrganisingBody).order_by(OrganisingBody.id)))


def save_body(body: OrganisingBody | None, data: dict, user) -> OrganisingBody:
    """Create or update an organising body from form data; the caller commits."""
    if body is None:
        body = OrganisingBody()
        db.session.add(body)
    for key, value in data.items():
        setattr(body, key, value)
    body.symbol = body.symbol.upper()
    db.session.flush()
    record("organising_body.save", body, user, name=body.name)
    return body


def current_body() -> OrganisingBody | None:
    """The organising body whose directory this installation keeps (the first one)."""
    return db.session.scalar(select(OrganisingBody).order_by(OrganisingBody.id).limit(1))


def match_query(stmt: Select, query: str | None) -> tuple[Select, str | None]:
    """Keep rows whose person matches every word of the query, without diacritics."""
    query = clean(query)
    if not query:
        return stmt, None
    for word in fold(query).split():
        stmt = stmt.where(Person.search_text.contains(word, autoescape=True))
    return stmt, query


def _paginate(stmt: Select, order_by: list, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = max(1, min(page, max(1, -(-total // per_page))))
    items = db.session.scalars(
        stmt.order_by(*order_by).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def search_people(
    query: str | None = None,
    *,
    category_id: int | None = None,
    body_id: int | None = None,
    include_retired: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[Person]:
    """People matching every word of the query without diacritics; exact-diacritic matches
    first, then Vietnamese name order. Within a category: rank, then name order."""
    stmt = select(Person).options(selectinload(Person.unit))
    if not include_retired:
        stmt = stmt.where(Person.retired_at.is_(None))
    if body_id:
        stmt = stmt.where(Person.body_id == body_id)
    stmt, query = match_query(stmt, query)
    order: list = []
    if category_id:
        stmt = stmt.join(
            PersonCategory,
            (PersonCategory.person_id == Person.id) & (PersonCategory.category_id == category_id),
        )
    if query:
        # Typed with diacritics and found as typed ranks first ("Chiến" before "Chiên").
        # As typed, or lower-cased (SQLite lowers ASCII letters only: "Đ" stays "Đ").
        text = Person.full_name + " " + func.coalesce(Person.position, "")
        exact = text.contains(query, autoescape=True) | func.lower(text).contains(
            query.lower(), autoescape=True
        )
        order.append(case((exact, 0), else_=1))
    if category_id:
        order.append(PersonCategory.rank)
    order += [Person.sort_key, Person.id]
    return _paginate(stmt, order, page, per_page)


def category_members(category: InviteeCategory) -> list[tuple[Person, int]]:
    """Active members of a category with their rank: by rank, then Vietnamese name order."""
    rows = db.session.execute(
        select(Person, PersonCategory.rank)
        .join(PersonCategory, PersonCategory.person_id == Person.id)
        .where(PersonCategory.category_id == category.id, Person.retired_at.is_(None))
        .options(selectinload(Person.unit))
        .order_by(PersonCategory.rank, Person.sort_key, Person.id)
    ).all()
    return [(person, rank) for person, rank in rows]


def list_units(include_retired: bool = False, kind: UnitKind | None = None) -> list[Unit]:
    stmt = select(Unit)
    if not include_retired:
        stmt = stmt.where(Unit.retired_at.is_(None))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    return list(db.session.scalars(stmt.order_by(Unit.kind, Unit.sort_key, Unit.id)))


def list_categories(include_retired: bool = False) -> list[InviteeCategory]:
    stmt = select(InviteeCategory)
    if not include_retired:
        stmt = stmt.where(InviteeCategory.retired_at.is_(None))
    return list(
        db.session.scalars(stmt.order_by(InviteeCategory.protocol_order, InviteeCategory.id))
    )


def category_sizes() -> dict[int, int]:
    """How many active people each category holds."""
    rows = db.session.execute(
        select(PersonCategory.category_id, func.count())
        .join(Person, Person.id == PersonCategory.person_id)
        .where(Person.retired_at.is_(None))
        .group_by(PersonCategory.category_id)
    ).all()
    return dict(rows)


# --- Editing -------------------------------------------------------------------------------


def keep_history(person_ids: list[int]) -> None:
    """Write these people, as they are now, onto their invitations to conferences that have
    ended, before the directory changes them: past lists keep showing them as they were."""
    if not person_ids:
        return
    person = select(Person).where(Person.id == Invitation.person_id)
    unit_name = (
        select(Unit.name)
        .join(Person, Person.unit_id == Unit.id)
        .where(Person.id == Invitation.person_id)
        .scalar_subquery()
    )
    ended = select(Conference.id).where(Conference.ends_at < now())
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.person_id.in_(person_ids),
            Invitation.person_name.is_(None),
            Invitation.conference_id.in_(ended),
        )
        .values(
            person_name=person.with_only_columns(Person.full_name).scalar_subquery(),
            person_position=person.with_only_columns(Person.position).scalar_subquery(),
            person_unit=unit_name,
        ),
        execution_options={"synchronize_session": False},
    )


def save_person(
    person: Person, data: dict, category_ids: list[int], user: User | None = None
) -> Person:
    """Create or update a person; memberships follow category_ids, keeping existing ranks."""
    is_new = person.id is None
    if person.id:
        keep_history([person.id])
    for key in ("full_name", "position", "unit_id", "phone", "email"):
        setattr(person, key, data.get(key) or None)
    if person.unit_id:
        person.unit = db.session.get(Unit, person.unit_id)
    wanted = set(category_ids)
    person.memberships = [m for m in person.memberships if m.category_id in wanted]
    have = {m.category_id for m in person.memberships}
    person.memberships.extend(PersonCategory(category_id=c) for c in category_ids if c not in have)
    db.session.add(person)
    db.session.flush()
    record("person.create" if is_new else "person.update", person, user)
    return person


class NameTaken(ValueError):
    """Another unit or category of the same body already bears this name; nothing changed."""

    def __init__(self, existing: Unit | InviteeCategory) -> None:
        super().__init__(existing.name)
        self.existing = existing


def _same_name(
    model: type[Unit] | type[InviteeCategory], body_id: int, name: str, except_id: int | None
) -> Unit | InviteeCategory | None:
    """The body's other unit (or category) whose name reads the same without diacritics or
    case: the importer matches units that way, so two of them could not be told apart."""
    with db.session.no_autoflush:
        rows = db.session.scalars(
            select(model).where(model.body_id == body_id, model.id != (except_id or 0))
        )
        key = fold(name)
        return next((row for row in rows if fold(row.name) == key), None)


def save_unit(unit: Unit, name: str, kind: UnitKind, user: User | None = None) -> Unit:
    """Create or rename a unit; NameTaken, before anything changes, when the name is taken."""
    existing = _same_name(Unit, unit.body_id, name, unit.id)
    if existing is not None:
        raise NameTaken(existing)
    unit.name, unit.kind = name, kind
    db.session.add(unit)
    db.session.flush()
    record("unit.save", unit, user)
    return unit


def save_category(
    category: InviteeCategory, name: str, description: str | None, user: User | None = None
) -> InviteeCategory:
    """Create or rename a category; NameTaken, before anything changes, when the name is taken."""
    existing = _same_name(InviteeCategory, category.body_id, name, category.id)
    if existing is not None:
        raise NameTaken(existing)
    is_new = category.id is None
    category.name, category.description = name, description or None
    db.session.add(category)
    db.session.flush()
    record("category.create" if is_new else "category.update", category, user)
    return category


def namesakes(person: Person, full_name: str, unit_id: int | None) -> list[Person]:
    """Active people of the body with the same name (without diacritics) in the same unit:
    the same person entered twice, or a namesake the user should confirm."""
    key = fold(full_name)
    with db.session.no_autoflush:
        candidates = db.session.scalars(
            select(Person).where(
                Person.body_id == person.body_id,
                Person.retired_at.is_(None),
                Person.unit_id.is_(None) if unit_id is None else Person.unit_id == unit_id,
                Person.id != (person.id or 0),
                Person.search_text.startswith(key, autoescape=True),
            )
        )
        return [p for p in candidates if fold(p.full_name) == key]


def phone_owner(phone: str | None, except_id: int | None = None) -> Person | None:
    """Another active person with this phone: phone numbers identify people on import."""
    if not phone:
        return None
    stmt = select(Person).where(Person.phone == phone, Person.retired_at.is_(None))
    if except_id:
        stmt = stmt.where(Person.id != except_id)
    return db.session.scalar(stmt.limit(1))


# The audit log's name for what is retired.
_RETIRABLE = {Person: "person", Unit: "unit", InviteeCategory: "category"}


def set_retired(
    obj: Person | Unit | InviteeCategory, retired: bool, user: User | None = None
) -> None:
    """Retire (or bring back): the row stays, so past invitations still show it as it was."""
    obj.retired_at = now() if retired else None
    db.session.flush()
    action = "retire" if retired else "reinstate"
    record(f"{_RETIRABLE[type(obj)]}.{action}", obj, user)


def set_rank(category: InviteeCategory, person: Person, rank: int) -> None:
    membership = db.session.get(PersonCategory, (person.id, category.id))
    if membership is not None:
        membership.rank = rank
        db.session.flush()


def new_category_order(body: OrganisingBody) -> int:
    """Protocol order for a category added last."""
    last = db.session.scalar(
        select(func.max(InviteeCategory.protocol_order)).where(InviteeCategory.body_id == body.id)
    )
    return (last or 0) + 10


def move_category(category: InviteeCategory, step: int, user: User | None = None) -> None:
    """Swap with the neighbour above (step -1) or below (+1); orders become 10, 20, 30…"""
    ordered = [c for c in list_categories() if c.body_id == category.body_id]
    if category not in ordered:
        return  # retired categories have no place in the order
    index = ordered.index(category)
    ordered.pop(index)
    ordered.insert(max(0, min(len(ordered), index + step)), category)
    for number, c in enumerate(ordered, start=1):
        c.protocol_order = number * 10
    db.session.flush()
    record("category.move", category, user, protocol_order=category.protocol_order)

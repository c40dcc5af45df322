"""Directory queries: diacritic-insensitive search, Vietnamese ordering."""

from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from meetings.extensions import db
from meetings.models import InviteeCategory, Person, Unit
from meetings.text import clean, fold, name_sort_key


def search_people(query: str | None, limit: int = 200) -> list[Person]:
    """People matching every word of the query without diacritics; exact-diacritic matches first."""
    stmt = select(Person).where(Person.retired_at.is_(None)).options(selectinload(Person.unit))
    query = clean(query)
    if query:
        for word in fold(query).split():
            stmt = stmt.where(Person.search_text.contains(word, autoescape=True))
        exact = case((Person.full_name.contains(query, autoescape=True), 0), else_=1)
        stmt = stmt.order_by(exact)
    people = db.session.scalars(stmt.limit(limit * 5 if query else limit)).all()
    return (
        sorted(people, key=lambda p: name_sort_key(p.full_name))[:limit]
        if not query
        else people[:limit]
    )


def list_units() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit).where(Unit.retired_at.is_(None)).order_by(Unit.kind, Unit.name)
        )
    )


def list_categories() -> list[InviteeCategory]:
    return list(
        db.session.scalars(
            select(InviteeCategory)
            .where(InviteeCategory.retired_at.is_(None))
            .order_by(InviteeCategory.protocol_order, InviteeCategory.name)
        )
    )

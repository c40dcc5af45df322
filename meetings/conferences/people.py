"""Choosing people from the directory in the scheduling forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetings.conferences.scheduling import SchedulingError
from meetings.directory.service import search_people
from meetings.extensions import db
from meetings.models import Person
from meetings.text import clean, fold

SEPARATOR = " — "  # the picker shows "Name — position"; the name is what counts


def person_label(person: Person | None) -> str:
    if person is None:
        return ""
    return (
        f"{person.full_name}{SEPARATOR}{person.position}" if person.position else person.full_name
    )


def resolve_person(
    typed: str | None, person_id: str | int | None, *, free_text: bool = False
) -> tuple[Person | None, str | None]:
    """(person, free-text name) for what the picker sent.

    The id chosen from the suggestions wins while the typed name still starts with that
    person's name; otherwise a name that matches exactly one person in the directory is that
    person. Anything else is an outside speaker's name where free text is allowed, and an
    error where it is not.
    """
    name = clean((typed or "").split(SEPARATOR)[0]) or ""
    if not name:
        return None, None
    if person_id and str(person_id).isdigit():
        person = db.session.get(Person, int(person_id))
        if person is not None and fold(name) == fold(person.full_name):
            return person, None
    matches = db.session.scalars(
        select(Person).where(Person.full_name == name, Person.retired_at.is_(None)).limit(2)
    ).all()
    if not matches:
        folded = fold(name)
        matches = [
            p for p in search_people(name, per_page=20).items if fold(p.full_name) == folded
        ][:2]
    if len(matches) == 1:
        return matches[0], None
    if free_text:
        return None, clean(typed)
    if matches:
        raise SchedulingError(
            _l("Several people are called %(name)s: choose one from the list.", name=name)
        )
    raise SchedulingError(_l("%(name)s is not in the directory.", name=name))


def people_suggestions(query: str, limit: int = 10) -> list[dict]:
    """What the picker offers while typing: id, name and the label shown."""
    if len(clean(query) or "") < 2:
        return []
    return [
        {"id": p.id, "name": p.full_name, "label": person_label(p)}
        for p in search_people(query, per_page=limit).items
    ]

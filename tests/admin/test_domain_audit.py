"""Audit records are written by the domain functions, so callers without a request (the CLI,
scripts) leave the same trail as the pages."""

from sqlalchemy import select

from meetings.directory.service import move_category, save_person, set_retired
from meetings.extensions import db
from meetings.invitations.service import (
    add_category,
    add_person,
    remove_category,
    remove_invitation,
    set_rsvp,
)
from meetings.models import AuditEntry, Role, Rsvp
from tests import factories


def _log() -> list[tuple[str, str, int | None]]:
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.action, e.object_type, e.user_id) for e in entries]


def test_directory_functions_audit_themselves():
    clerk = factories.make_user(Role.SECRETARIAT)
    body = factories.make_body()
    first, second = factories.make_category(body), factories.make_category(body)
    person = factories.make_person(body)
    save_person(person, {"full_name": "Lê Thị Hoa"}, [first.id], clerk)
    set_retired(person, True, clerk)
    set_retired(person, False)
    move_category(second, -1, clerk)
    assert _log() == [
        ("person.update", "people", clerk.id),
        ("person.retire", "people", clerk.id),
        ("person.reinstate", "people", None),
        ("category.move", "invitee_categories", clerk.id),
    ]


def test_invitation_functions_audit_themselves():
    user = factories.make_user(Role.SECRETARIAT)
    body = factories.make_body()
    category = factories.make_category(body)
    factories.make_person(body, categories=[category])
    conference = factories.make_conference(body)
    loner = factories.make_person(body)
    add_category(conference, category, user)
    invitation = add_person(conference, loner, None, user)
    set_rsvp(invitation, Rsvp.CONFIRMED, user=user)
    remove_invitation(invitation, user)
    remove_category(conference, category.id, user)
    assert _log() == [
        ("invitations.add_category", "conferences", user.id),
        ("invitations.add_person", "conferences", user.id),
        ("invitations.rsvp", "invitations", user.id),
        ("invitations.remove", "conferences", user.id),
        ("invitations.remove_category", "conferences", user.id),
    ]
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.detail == {"category": category.name, "removed": 1}

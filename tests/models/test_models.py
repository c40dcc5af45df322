"""Model-level guarantees: NFC storage, tokens that are not ids, database constraints."""

import unicodedata

import pytest
from sqlalchemy.exc import IntegrityError

from meetings.extensions import db
from tests import factories


def test_text_is_stored_in_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Chiến")
    person = factories.make_person(full_name=nfd, position=unicodedata.normalize("NFD", "Bí thư"))
    db.session.expire(person)
    assert person.full_name == "Nguyễn Văn Chiến"
    assert unicodedata.is_normalized("NFC", person.position)


def test_search_text_is_folded_name_position_unit_and_phone():
    unit = factories.make_unit(name="Phường Dịch Vọng")
    person = factories.make_person(
        full_name="Nguyễn Văn Chiến", position="Bí thư", unit=unit, phone="0912345678"
    )
    assert person.search_text == "nguyen van chien bi thu phuong dich vong 0912345678"


def test_invitation_token_is_random_and_not_the_id():
    a = factories.make_invitation()
    b = factories.make_invitation(conference=a.conference)
    assert a.token != b.token
    assert str(a.id) not in (a.token, a.short_code)
    assert len(a.token) >= 22  # 128 bits, URL-safe
    assert len(a.short_code) == 8


def test_one_checkin_per_invitation_is_a_database_constraint():
    invitation = factories.make_invitation()
    factories.make_checkin(invitation)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        factories.make_checkin(invitation)


def test_a_person_is_invited_once_per_conference():
    invitation = factories.make_invitation()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        factories.make_invitation(conference=invitation.conference, person=invitation.person)


def test_conference_must_end_after_it_starts():
    conference = factories.make_conference()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        conference.ends_at = conference.starts_at
        db.session.flush()


def test_every_model_has_a_factory():
    """tests/factories.py can make a row of every table, so tests never hand-build fixtures."""
    conference = factories.make_conference(documents=[factories.make_document()])
    invitation = factories.make_invitation(conference)
    made = [
        factories.make_category(),
        factories.make_venue(),
        factories.make_location(conference),
        factories.make_agenda_item(conference),
        factories.make_checkin(invitation),
        factories.make_scan_failure(conference),
        factories.make_api_nonce(),
        factories.make_door_assignment(conference),
        factories.make_audit_entry(),
        factories.make_document_counter(),
        factories.make_person(categories=[factories.make_category()]),
        factories.make_self_study(factories.make_person(), factories.make_document()),
        factories.make_seat_block(),
        factories.make_seat_assignment(),
        factories.make_job(),
        factories.make_delivery(),
        factories.make_study_grade(),
        factories.make_study_exemption(),
        factories.make_study_reviewer(),
    ]
    tables = {type(obj).__tablename__ for obj in made} | {
        "organising_bodies",
        "units",
        "people",
        "conferences",
        "documents",
        "invitations",
        "conference_documents",
        "users",
        "api_tokens",
        "person_categories",
        "hall_layouts",
        "seating_plans",
        "study_rounds",
        "study_submissions",
    }
    assert tables == set(db.metadata.tables)


def test_a_commit_in_the_code_under_test_is_rolled_back_after_the_test(app):
    """The fixture's promise, checked on this database: committed rows do not leak."""
    from sqlalchemy import func, select

    from meetings.models import Venue

    factories.make_venue(name="Hội trường rò rỉ")
    db.session.commit()
    with db.engine.connect() as other:  # a connection outside the test's transaction
        leaked = other.execute(
            select(func.count()).select_from(Venue).where(Venue.name == "Hội trường rò rỉ")
        ).scalar()
    assert leaked == 0

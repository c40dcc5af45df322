"""The demo: the seed's conference, loaded once, however often the command runs."""

from sqlalchemy import func, select

from meetings.demo import SEED_TITLE, load_demo, load_synthetic
from meetings.extensions import db
from meetings.models import (
    Conference,
    ConferenceStatus,
    Document,
    Invitation,
    InviteeCategory,
    Person,
    User,
)


def _counts() -> dict[str, int]:
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Conference, Document, Invitation, InviteeCategory, Person, User)
    }


def test_demo_has_the_seed_conference():
    load_demo()
    seed = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
    assert seed.title.startswith(
        "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội"
    )
    assert seed.starts_at.strftime("%d/%m/%Y %H:%M") == "15/09/2023 08:00"
    assert seed.venue.name == "Hội trường Quận ủy"
    assert seed.chair.full_name == "Trần Thị Phương Hoa"
    assert "Bí thư Quận ủy" in seed.chair.position
    assert seed.status == ConferenceStatus.HELD
    assert [d.symbol for d in seed.documents] == ["24-CT/TU", "133-KH/QU", "80-QĐ/TW"]
    assert seed.documents[0].citation == (
        "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội"
    )
    assert seed.body.name == "Quận ủy Cầu Giấy"
    assert seed.body.parent_name == "Đảng bộ Thành phố Hà Nội"


def test_demo_categories_follow_the_article_in_protocol_order():
    load_demo()
    names = db.session.scalars(
        select(InviteeCategory.name).order_by(InviteeCategory.protocol_order)
    ).all()
    assert names[0] == "Thường trực Quận ủy"
    assert names[-1] == "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở"
    assert len(names) == 9


def test_grassroots_organisations_are_invited_by_role_with_a_deputy_allowed():
    load_demo()
    role_invitations = db.session.scalars(
        select(Invitation).where(Invitation.unit_id.is_not(None), Invitation.role_title == "Bí thư")
    ).all()
    assert role_invitations
    assert all(i.deputy_allowed and i.deputy_title == "Phó Bí thư" for i in role_invitations)


def test_demo_has_a_conference_today_to_try_check_in():
    from meetings.clock import now

    load_demo()
    today = db.session.scalars(
        select(Conference).where(
            Conference.status == ConferenceStatus.SCHEDULED, Conference.is_demo.is_(True)
        )
    ).all()
    assert any(c.starts_at.date() == now().date() or c.ends_at > now() for c in today)


def test_demo_twice_duplicates_nothing():
    load_demo()
    first = _counts()
    load_demo()
    assert _counts() == first


def test_synthetic_conference_has_n_invitees_once():
    load_demo()
    summary = load_synthetic(250)
    assert summary["synthetic invitees"] == 250
    again = load_synthetic(250)
    assert again["synthetic conference"] == summary["synthetic conference"]
    count = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.conference_id == summary["synthetic conference"])
    )
    assert count == 250
    tokens = db.session.scalars(
        select(Invitation.token).where(Invitation.conference_id == summary["synthetic conference"])
    ).all()
    assert len(set(tokens)) == 250


def test_the_seed_conference_is_held_with_its_attendance_once():
    from meetings.demo import load_demo_attendance
    from meetings.models import CheckIn, Rsvp

    load_demo()
    seed = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))
    came = load_demo_attendance()
    invited = db.session.scalar(
        select(func.count()).select_from(Invitation).filter_by(conference_id=seed.id)
    )
    assert came == invited - 4
    assert load_demo_attendance() == 0  # a second run adds nothing
    checkins = db.session.scalars(select(CheckIn).filter_by(conference_id=seed.id)).all()
    assert len(checkins) == came
    assert len([c for c in checkins if c.substitute_name]) == 2
    assert all(c.checked_in_at.date() == seed.starts_at.date() for c in checkins)
    excused = db.session.scalars(
        select(Invitation).filter_by(conference_id=seed.id, rsvp=Rsvp.EXCUSED)
    ).all()
    assert {i.absence_reason for i in excused} == {
        "Dự họp tại Thành ủy",
        "Ốm, có giấy của bác sĩ",
        "Đi công tác",
    }


def test_the_demo_door_account_works_both_demo_doors():
    from meetings.models import DoorAssignment

    summary = load_demo()
    load_demo()
    door = db.session.scalar(select(User).filter_by(username="letan"))
    assigned = db.session.scalars(
        select(DoorAssignment.conference_id).filter_by(user_id=door.id)
    ).all()
    assert sorted(assigned) == sorted([summary["seed conference"], summary["today's conference"]])


def test_demo_accounts_sign_with_vietnamese_names_and_older_demos_are_renamed():
    load_demo()
    names = dict(db.session.execute(select(User.username, User.full_name)).all())
    assert names["letan"] == "Lê Thị Lan" and names["vanphong"] == "Nguyễn Thị Thu Hà"
    assert not any(name.startswith("Demo ") for name in names.values())
    door = db.session.scalar(select(User).filter_by(username="letan"))
    door.full_name = "Demo door"  # as an older demo left it
    load_demo()
    assert door.full_name == "Lê Thị Lan"
    door.full_name = "Lê Thị Hoa"  # renamed by an administrator: kept
    load_demo()
    assert door.full_name == "Lê Thị Hoa"

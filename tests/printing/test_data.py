"""The document data: protocol order, counts equal to the check-in records, fixed queries."""

from __future__ import annotations

from sqlalchemy import event, func, select

from meetings.conferences.service import load_conference
from meetings.extensions import db
from meetings.models import CheckIn, Invitation
from meetings.printing.blocks import minutes_blocks
from meetings.printing.data import (
    WALK_IN_GROUP,
    build_attendance,
    build_letters,
    build_minutes,
)
from tests.factories import (
    make_category,
    make_checkin,
    make_conference,
    make_invitation,
    make_location,
    make_person,
)


def _count(model, conference, *where):
    return db.session.scalar(
        select(func.count()).select_from(model).where(model.conference_id == conference.id, *where)
    )


def test_attendance_counts_equal_the_checkin_records(seed):
    book = build_attendance(load_conference(seed.id))
    invited = _count(Invitation, seed)
    present = _count(CheckIn, seed, CheckIn.invitation_id.is_not(None))
    assert (book.invited, book.present, book.walk_ins) == (invited, present, 1)
    assert book.total_line() == (
        f"Có mặt: {present}/{invited}, đạt {100 * present / invited:.2f}%".replace(".", ",")
        + " (trong đó 1 đồng chí dự thay); đại biểu không có trong danh sách mời: 1"
    )
    groups = book.sheets[0].groups
    assert groups[0].title == "Thường trực Quận ủy"
    assert [r.name for r in groups[0].rows] == [
        "Trần Thị Phương Hoa",
        "Nguyễn Văn Chiến",
        "Bùi Tuấn Anh",
    ]  # rank within the category, not name order
    assert groups[-1].title == WALK_IN_GROUP
    assert groups[-1].rows[0].name == "Đặng Thị Ánh"


def test_before_sheet_has_no_arrivals(seed):
    book = build_attendance(load_conference(seed.id), before=True)
    rows = [r for s in book.sheets for g in s.groups for r in g.rows]
    assert not any(r.present or r.absence_reason for r in rows)
    assert book.headers[-1] == "Ký tên"
    assert book.total_line() == f"Tổng số: {_count(Invitation, seed)} đại biểu"


def test_minutes_name_absentees_substitutes_and_sections(seed):
    minutes = build_minutes(load_conference(seed.id))
    assert minutes.present == _count(CheckIn, seed, CheckIn.invitation_id.is_not(None))
    assert minutes.invited == _count(Invitation, seed)
    assert len(minutes.absentees) == minutes.invited - minutes.present
    assert any("(lý do: Đi công tác nước ngoài)" in a for a in minutes.absentees)
    assert len(minutes.substitutes) == 1
    assert minutes.substitutes[0].startswith("đ/c Lê Văn Bảy, Phó Bí thư, dự thay đ/c ")
    assert minutes.walk_ins == ["đ/c Đặng Thị Ánh, Phóng viên, Báo Hà Nội mới"]
    assert "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội" in (
        minutes.sections[0].heading
    )
    assert minutes.sections[0].heading.startswith("Đ/c Nguyễn Văn Chiến")
    assert sum(c.present for c in minutes.by_category) == minutes.present


def test_one_sheet_per_bridge_point(db_session):
    conference = make_conference()
    far = make_location(conference)
    category = make_category(conference.body)
    here = make_invitation(conference, make_person(conference.body, [category]), category=category)
    there = make_invitation(
        conference, make_person(conference.body, [category]), category=category, location=far
    )
    make_checkin(there, location_id=far.id)
    book = build_attendance(load_conference(conference.id))
    assert [s.location for s in book.sheets] == [book.place, far.venue.name]
    assert [(s.present, s.invited) for s in book.sheets] == [(0, 1), (1, 1)]
    assert [p for p, _ in book.summary] == [book.place, far.venue.name]
    assert here.id != there.id
    minutes = build_minutes(load_conference(conference.id))
    assert minutes.by_location == [(book.place, "0/1, đạt 0%"), (far.venue.name, "1/1, đạt 100%")]
    assert (minutes.present, minutes.invited) == (1, 2)
    text = [t for _, t in minutes_blocks(minutes)]
    assert f"- {far.venue.name}: 1/1, đạt 100%." in text


def test_queries_do_not_grow_with_the_list(db_session):
    def queries(size: int) -> int:
        conference = make_conference()
        category = make_category(conference.body)
        for _ in range(size):
            invitation = make_invitation(
                conference, make_person(conference.body, [category]), category=category
            )
            make_checkin(invitation)
        db.session.expire_all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            conference = load_conference(conference.id)
            build_minutes(conference)
            build_letters(conference)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert queries(3) == queries(12)


def test_letters_carry_the_personal_link(seed, app):
    batch = build_letters(load_conference(seed.id))
    invitation = db.session.scalar(
        select(Invitation).filter_by(conference_id=seed.id, short_code=batch.letters[0].short_code)
    )
    assert batch.letters[0].url == f"{app.config['PUBLIC_BASE_URL']}/c/{invitation.token}"
    number = batch.letterhead.number
    assert number.startswith("Số ") and number.endswith("\u2011GM/QU")  # a non-breaking hyphen
    grassroots = [
        letter
        for letter in batch.letters
        if "(hoặc đồng chí Phó Bí thư dự thay)" in letter.addressee
    ]
    assert len(grassroots) == 8

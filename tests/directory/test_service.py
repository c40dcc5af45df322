"""Search without diacritics, exact matches first, Vietnamese order; protocol order."""

from meetings.directory.service import (
    category_members,
    list_categories,
    move_category,
    search_people,
    set_rank,
    set_retired,
)
from meetings.extensions import db
from meetings.sortkeys import name_key
from meetings.text import name_sort_key
from tests import factories


def _names(page):
    return [p.full_name for p in page.items]


def test_search_ignores_diacritics_and_finds_by_name_position_unit_and_phone():
    body = factories.make_body()
    unit = factories.make_unit(body, name="Phường Dịch Vọng")
    chien = factories.make_person(body, full_name="Nguyễn Văn Chiến", unit=unit, phone="0912000111")
    factories.make_person(body, full_name="Trần Thị Lan", position="Hiệu trưởng")
    assert _names(search_people("nguyen van chien")) == ["Nguyễn Văn Chiến"]
    assert _names(search_people("dich vong")) == ["Nguyễn Văn Chiến"]
    assert _names(search_people("HIEU TRUONG")) == ["Trần Thị Lan"]
    assert _names(search_people("0912000111")) == [chien.full_name]
    assert _names(search_people("chiến dịch")) == ["Nguyễn Văn Chiến"]  # words in any field
    assert search_people("không có ai").total == 0


def test_exact_diacritics_rank_first_then_name_order():
    body = factories.make_body()
    for name in ("Lê Văn Chiên", "Nguyễn Văn Chiến", "Bùi Văn Chiến", "Đỗ Chiền"):
        factories.make_person(body, full_name=name)
    assert _names(search_people("Chiến")) == [
        "Bùi Văn Chiến",
        "Nguyễn Văn Chiến",
        "Lê Văn Chiên",
        "Đỗ Chiền",
    ]
    assert _names(search_people("chien"))[:2] == ["Lê Văn Chiên", "Đỗ Chiền"]  # ngang < huyền
    assert _names(search_people("Đỗ Chiền"))[0] == "Đỗ Chiền"
    assert _names(search_people("văn chiến"))[:2] == ["Bùi Văn Chiến", "Nguyễn Văn Chiến"]


def test_directory_pages_in_vietnamese_name_order_and_hides_retired_people():
    body = factories.make_body()
    names = [
        "Đặng Văn An",
        "Nguyễn Thị Ánh",
        "Trần Đức",
        "Lê Dũng",
        "Zương Zung",
        "Ông Ơn",
        "Bùi Ư",
    ]
    people = [factories.make_person(body, full_name=n) for n in names]
    expected = sorted(names, key=name_sort_key)
    assert _names(search_people(per_page=100)) == expected
    first, second = search_people(per_page=4, page=1), search_people(per_page=4, page=2)
    assert _names(first) + _names(second) == expected and first.total == 7
    set_retired(people[0], True)
    assert "Đặng Văn An" not in _names(search_people(per_page=100))
    assert "Đặng Văn An" in _names(search_people(include_retired=True, per_page=100))


def test_sort_key_string_orders_as_name_sort_key():
    names = ["An", "Ăn", "Ân", "Bình", "Đạt", "Dũng", "Ơn", "Ôn", "On", "Hà", "Hả", "Há", "Hạ"]
    full = [f"Nguyễn Văn {n}" for n in names] + [f"Đỗ {n}" for n in names] + ["Lê", "A B C D"]
    assert sorted(full, key=name_key) == sorted(full, key=lambda n: name_sort_key(n)[:3])


def test_category_members_by_rank_then_name():
    body = factories.make_body()
    category = factories.make_category(body)
    yen = factories.make_person(body, full_name="Trần Thị Yến", categories=[category])
    an = factories.make_person(body, full_name="Lê An", categories=[category])
    hoa = factories.make_person(body, full_name="Trần Thị Phương Hoa", categories=[category])
    assert [p for p, _ in category_members(category)] == [an, hoa, yen]
    set_rank(category, yen, 1)
    assert [p for p, _ in category_members(category)] == [yen, an, hoa]
    assert _names(search_people(category_id=category.id)) == [
        "Trần Thị Yến",
        "Lê An",
        "Trần Thị Phương Hoa",
    ]


def test_a_person_in_two_categories_appears_in_both():
    body = factories.make_body()
    first, second = factories.make_category(body), factories.make_category(body)
    person = factories.make_person(body, categories=[first, second])
    assert [p for p, _ in category_members(first)] == [person]
    assert [p for p, _ in category_members(second)] == [person]


def test_moving_categories_up_and_down_renumbers_protocol_order():
    body = factories.make_body()
    a, b, c = (factories.make_category(body, name=n) for n in ("A", "B", "C"))
    mine = [x for x in list_categories() if x.body_id == body.id]
    assert mine == [a, b, c]
    move_category(c, -1)
    assert [x for x in list_categories() if x.body_id == body.id] == [a, c, b]
    move_category(a, -1)  # already first: stays
    move_category(a, +1)
    assert [x for x in list_categories() if x.body_id == body.id] == [c, a, b]
    assert [x.protocol_order for x in (c, a, b)] == [10, 20, 30]


def test_past_invitations_keep_people_as_they_were_present_ones_follow_the_directory():
    from datetime import timedelta

    from meetings.clock import now
    from meetings.directory.service import save_person

    body = factories.make_body()
    old_unit = factories.make_unit(body, name="Phường Cũ")
    new_unit = factories.make_unit(body, name="Phường Mới")
    person = factories.make_person(
        body, full_name="Ngô Văn Cũ", position="Phó Bí thư", unit=old_unit
    )
    held = factories.make_conference(body, starts_at=now() - timedelta(days=30))
    coming = factories.make_conference(body)
    past = factories.make_invitation(held, person)
    future = factories.make_invitation(coming, person)
    data = {"full_name": "Ngô Văn Mới", "position": "Bí thư", "unit_id": new_unit.id}
    save_person(person, data, [])
    db.session.expire_all()
    assert (past.shown_name, past.shown_position, past.shown_unit) == (
        "Ngô Văn Cũ",
        "Phó Bí thư",
        "Phường Cũ",
    )
    assert (future.shown_name, future.shown_position, future.shown_unit) == (
        "Ngô Văn Mới",
        "Bí thư",
        "Phường Mới",
    )
    set_retired(person, True)
    assert past.invitee_label == "Ngô Văn Cũ" and future.invitee_label == "Ngô Văn Mới"

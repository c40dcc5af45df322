from datetime import date, datetime

import pytest

from meetings.models import Layout
from meetings.printing.letterhead import build_letterhead, number_line
from meetings.printing.numbering import (
    AlreadyIssued,
    NumberedKind,
    issue,
    period_of,
    proposed_number,
    set_number,
)
from tests.factories import make_body, make_conference

MINUTES = NumberedKind.MINUTES


def test_number_lines_of_both_layouts():
    assert number_line(Layout.PARTY, 12, "BB", "QU") == "Số 12\u2011BB/QU"
    assert number_line(Layout.STATE, 45, "GM", "UBND") == "Số: 45/GM\u2011UBND"
    assert number_line(Layout.PARTY, 5, "GM", "QU") == "Số 05\u2011GM/QU"


def test_letterheads(db_session):
    party = build_letterhead(
        make_body(name="Quận ủy Cầu Giấy", place_name="Cầu Giấy", symbol="QU"),
        "BB",
        12,
        date(2023, 9, 15),
    )
    assert party.left == [
        ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "plain"),
        ("QUẬN ỦY CẦU GIẤY", "bold"),
        ("*", "star"),
        ("Số 12\u2011BB/QU", "plain"),
    ]
    assert party.right[0] == ("ĐẢNG CỘNG SẢN VIỆT NAM", "bold-rule")
    assert party.place_date == "Cầu Giấy, ngày 15 tháng 9 năm 2023"
    state = build_letterhead(
        make_body(
            layout=Layout.STATE,
            name="Ủy ban nhân dân phường Nghĩa Đô",
            symbol="UBND",
            parent_name=None,
            place_name="Nghĩa Đô",
        ),
        "GM",
        45,
        date(2024, 2, 5),
    )
    assert [t for t, _ in state.right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Nghĩa Đô, ngày 05 tháng 02 năm 2024",
    ]
    assert state.number == "Số: 45/GM\u2011UBND"


def test_counter_per_body_kind_and_period(db_session):
    body = make_body(term_started_on=date(2020, 7, 1))
    first = make_conference(body, starts_at=datetime(2023, 9, 15, 8))
    second = make_conference(body, starts_at=datetime(2024, 3, 1, 8))
    assert period_of(body, date(2024, 3, 1)) == "term-2020"
    assert proposed_number(first, MINUTES) == 1
    assert issue(first, MINUTES) == 1
    assert proposed_number(second, MINUTES) == 2  # same term: the count goes on
    assert issue(second, NumberedKind.LETTERS) == 1  # another kind, its own counter
    state = make_body(layout=Layout.STATE, symbol="UBND")
    assert period_of(state, date(2024, 3, 1)) == "2024"


def test_typed_number_is_kept_and_issued_number_is_fixed(db_session):
    body = make_body()
    first = make_conference(body, starts_at=datetime(2023, 9, 15, 8))
    second = make_conference(body, starts_at=datetime(2023, 10, 1, 8))
    set_number(first, MINUTES, 40)
    assert issue(first, MINUTES) == 40
    assert first.minutes_issued_at is not None
    assert proposed_number(second, MINUTES) == 41  # the counter moved past the typed number
    with pytest.raises(AlreadyIssued):
        set_number(first, MINUTES, 3)
    with pytest.raises(AlreadyIssued):
        issue(first, MINUTES)

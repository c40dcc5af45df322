"""Invitee list pages: permissions, actions, RSVP, exports read back, constant query count."""

import csv
import io
from contextlib import contextmanager

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from meetings.extensions import db
from meetings.invitations.service import add_category
from meetings.models import Invitation, Role, Rsvp, UnitKind
from tests import factories


@contextmanager
def count_queries():
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


@pytest.fixture
def conference():
    return factories.make_conference()


def _url(conference, path=""):
    return f"/conferences/{conference.id}/invitees/{path}"


@pytest.mark.parametrize("path", ["", "export.xlsx", "export.csv"])
def test_door_staff_get_403(client, login, conference, path):
    login(Role.DOOR)
    assert client.get(_url(conference, path)).status_code == 403


def test_clerk_reads_but_does_not_edit(client, login, conference):
    category = factories.make_category(conference.body)
    login(Role.CLERK)
    assert client.get(_url(conference)).status_code == 200
    response = client.post(_url(conference, "add-category"), data={"category_id": category.id})
    assert response.status_code == 403


def test_conference_page_offers_the_invitee_list(client, login, conference):
    login(Role.SECRETARIAT)
    page = client.get(f"/conferences/{conference.id}").get_data(as_text=True)
    assert _url(conference) in page


def test_secretariat_builds_the_list_by_category_role_and_person(client, login, conference):
    body = conference.body
    category = factories.make_category(body, name="Ban Thường vụ")
    grassroots = factories.make_category(body, name="Bí thư cơ sở")
    members = [factories.make_person(body, categories=[category]) for _ in range(3)]
    factories.make_party_orgs(body, 2)
    outsider = factories.make_person(body, full_name="Hà Văn Riêng")
    login(Role.SECRETARIAT)
    client.post(_url(conference, "add-category"), data={"category_id": category.id})
    client.post(
        _url(conference, "add-role"),
        data={
            "kind": UnitKind.PARTY_ORG.value,
            "role_title": "Bí thư",
            "deputy_title": "Phó Bí thư",
            "deputy_allowed": "y",
            "category_id": grassroots.id,
        },
    )
    found = client.get(_url(conference) + "?add_q=ha van rieng").get_data(as_text=True)
    assert "Hà Văn Riêng" in found
    client.post(_url(conference, "add-person"), data={"person_id": outsider.id, "category_id": 0})
    page = client.get(_url(conference)).get_data(as_text=True)
    assert page.index("Ban Thường vụ") < page.index("Bí thư cơ sở")
    assert 'id="total-invited">6<' in page
    assert "Phó Bí thư" in page
    for person in members:
        assert person.full_name in page
    invitation = db.session.scalar(select(Invitation).filter_by(person_id=outsider.id))
    client.post(
        _url(conference, f"{invitation.id}"),
        data={"rsvp": "excused", "absence_reason": "Ốm", "substitute_name": ""},
    )
    assert invitation.rsvp is Rsvp.EXCUSED and invitation.absence_reason == "Ốm"
    client.post(_url(conference, f"{invitation.id}/remove"))
    assert db.session.scalar(select(Invitation).filter_by(person_id=outsider.id)) is None


def test_excused_without_reason_is_refused_by_the_form(client, login, conference):
    invitation = factories.make_invitation(conference)
    login(Role.SECRETARIAT)
    response = client.post(_url(conference, f"{invitation.id}"), data={"rsvp": "excused"})
    assert response.status_code == 200 and invitation.rsvp is Rsvp.INVITED


def test_an_invitation_of_another_conference_is_not_found(client, login, conference):
    other = factories.make_invitation()
    login(Role.SECRETARIAT)
    assert client.get(_url(conference, f"{other.id}")).status_code == 404
    assert client.post(_url(conference, f"{other.id}/remove")).status_code == 404


def _seed(conference, n: int) -> None:
    category = factories.make_category(conference.body)
    for _ in range(n):
        factories.make_person(conference.body, categories=[category])
    add_category(conference, category)
    factories.make_party_orgs(conference.body, 1)


def test_list_page_query_count_does_not_grow_with_the_list(client, login):
    login(Role.SECRETARIAT)
    small, large = factories.make_conference(), factories.make_conference()
    _seed(small, 5)
    _seed(large, 250)
    counts = []
    for conference in (small, large):
        client.get(_url(conference))  # warm caches (categories of the form, the user)
        with count_queries() as statements:
            response = client.get(_url(conference))
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20


def _export_rows(client, conference, fmt, query=""):
    data = client.get(_url(conference, f"export.{fmt}{query}")).data
    if fmt == "xlsx":
        return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_has_links_and_codes_and_neutralises_formulas(client, login, conference, fmt):
    category = factories.make_category(conference.body, name="Thành phần xuất")
    evil = factories.make_person(
        conference.body, full_name='=HYPERLINK("http://evil")', position="+cmd", phone=None
    )
    plain = factories.make_person(conference.body, full_name="Lê Văn Thường")
    first = factories.make_invitation(conference, evil, category=category)
    second = factories.make_invitation(conference, plain, category=category)
    login(Role.CLERK)
    assert "Đường dẫn điểm danh" not in _export_rows(client, conference, fmt)[0]  # by default
    rows = _export_rows(client, conference, fmt, "?links=1")
    header = rows[0]
    assert header[:3] == ["STT", "Thành phần", "Họ và tên"]
    link, code = header.index("Đường dẫn điểm danh"), header.index("Mã điểm danh")
    by_code = {r[code]: r for r in rows[1:]}
    assert set(by_code) == {first.short_code, second.short_code}
    assert by_code[second.short_code][link] == f"https://hoinghi.example.vn/c/{second.token}"
    evil_row = by_code[first.short_code]
    if fmt == "csv":
        assert evil_row[2] == '\'=HYPERLINK("http://evil")' and evil_row[3] == "'+cmd"
        assert all(not str(v).startswith(("=", "+", "-", "@")) for r in rows for v in r if v)
        return
    # XLSX: text cells with the quote-prefix flag, nothing visible added, never a formula.
    sheet = load_workbook(io.BytesIO(client.get(_url(conference, "export.xlsx")).data)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value}
    for value in ('=HYPERLINK("http://evil")', "+cmd"):
        assert cells[value].data_type == "s" and cells[value].quotePrefix


def test_export_is_the_whole_list_in_protocol_order(client, login, conference):
    _seed(conference, 130)  # more than a page
    login(Role.SECRETARIAT)
    rows = _export_rows(client, conference, "csv")
    total = db.session.scalar(
        select(func.count()).select_from(Invitation).filter_by(conference_id=conference.id)
    )
    assert len(rows) - 1 == total == 130
    assert [r[0] for r in rows[1:4]] == ["1", "2", "3"]

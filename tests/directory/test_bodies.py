"""Organising bodies: a fresh installation creates its own, on a page or from the command line."""

from sqlalchemy import delete, select

from meetings.extensions import db
from meetings.models import Layout, OrganisingBody, Role
from tests import factories


def test_admin_creates_a_ward_party_committee(client, login):
    login(Role.ADMIN)
    response = client.post(
        "/directory/bodies/new",
        data={
            "name": "Đảng ủy phường Dịch Vọng",
            "parent_name": "Đảng bộ Thành phố Hà Nội",
            "place_name": "Dịch Vọng",
            "symbol": "đu",
            "layout": "party",
            "standing_committee_name": "Ban Thường vụ Đảng ủy",
        },
    )
    assert response.status_code == 302
    body = db.session.scalar(select(OrganisingBody).filter_by(name="Đảng ủy phường Dịch Vọng"))
    assert (body.symbol, body.layout, body.place_name) == ("ĐU", Layout.PARTY, "Dịch Vọng")
    assert "Đảng ủy phường Dịch Vọng" in client.get("/directory/bodies").get_data(as_text=True)


def test_admin_edits_the_layout(client, login):
    login(Role.ADMIN)
    body = factories.make_body()
    data = {"name": body.name, "place_name": "Cầu Giấy", "symbol": "UBND", "layout": "state"}
    client.post(f"/directory/bodies/{body.id}/edit", data=data)
    assert (body.layout, body.symbol) == (Layout.STATE, "UBND")


def test_only_admins_change_bodies(client, login):
    login(Role.SECRETARIAT)
    body = factories.make_body()
    assert client.get("/directory/bodies").status_code == 200
    assert client.get("/directory/bodies/new").status_code == 403
    assert client.post(f"/directory/bodies/{body.id}/edit", data={}).status_code == 403


def test_a_missing_field_is_refused_with_a_message(client, login):
    login(Role.ADMIN)
    response = client.post("/directory/bodies/new", data={"name": "Thiếu nơi"})
    assert response.status_code == 200
    assert db.session.scalar(select(OrganisingBody).filter_by(name="Thiếu nơi")) is None


def test_directory_without_any_body_leads_to_creating_one(client, login):
    login(Role.ADMIN)
    db.session.execute(delete(OrganisingBody))
    response = client.get("/directory/people/new")
    assert response.status_code == 302
    assert response.location.endswith("/directory/bodies")


def test_create_body_command(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-body",
            "--name",
            "Ủy ban nhân dân phường Nghĩa Đô",
            "--place",
            "Nghĩa Đô",
            "--symbol",
            "UBND",
            "--layout",
            "state",
        ]
    )
    assert result.exit_code == 0, result.output
    body = db.session.scalar(select(OrganisingBody).filter_by(symbol="UBND"))
    assert body.layout == Layout.STATE and body.place_name == "Nghĩa Đô"

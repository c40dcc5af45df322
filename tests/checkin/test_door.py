"""The door app's server side: the offline roster, the phone's token, the service worker and
manifest, the page's script rules; and the desk on a phone (substitutes by their own name,
hiding those checked in)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from meetings.extensions import db
from meetings.models import ApiToken, AuditEntry, CheckIn, Role, hash_api_token
from tests import factories


def _door_user(conference, login):
    user = login(Role.DOOR)
    factories.make_door_assignment(conference, user)
    return user


def _scan(client, token: str, body: dict):
    return client.post(
        "/api/v1/checkins",
        json={"nonce": f"n-{body['token'][:6]}-{len(body)}", **body},
        headers={"Authorization": f"Bearer {token}"},
    )


# --- The roster ---------------------------------------------------------------------------------


def test_the_roster_holds_token_hashes_and_the_fewest_personal_fields(client, login):
    conference = factories.make_conference()
    _door_user(conference, login)
    person = factories.make_person(conference.body, full_name="Lê Văn Cửa", phone="0912345678")
    came = factories.make_invitation(
        conference,
        person,
        absence_reason="Đi công tác",
        substitute_name="Phạm Thị Phó",
        substitute_position="Phó Bí thư",
    )
    other = factories.make_invitation(conference)
    factories.make_checkin(other)
    factories.make_invitation(factories.make_conference())  # another conference's

    response = client.get(f"/checkin/{conference.id}/door/roster.json")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    roster = response.get_json()
    text = response.get_data(as_text=True)
    assert len(roster["entries"]) == 2
    for secret in (came.token, came.short_code, "0912345678", "Đi công tác"):
        assert secret not in text
    entry = next(e for e in roster["entries"] if e["name"] == "Lê Văn Cửa")
    assert entry["h"] == hash_api_token(came.token)
    assert entry["deputy"] == {"name": "Phạm Thị Phó", "position": "Phó Bí thư"}
    assert "at" not in entry and entry["seat"] is None
    earlier = next(e for e in roster["entries"] if e["h"] == hash_api_token(other.token))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", earlier["at"])
    assert roster["expires_at"] == roster["conference"]["closes_at"]
    assert roster["conference"]["state"] is None  # open


def test_only_the_conference_s_door_staff_get_its_roster(client, login):
    conference = factories.make_conference()
    assert client.get(f"/checkin/{conference.id}/door/roster.json").status_code in (302, 401)
    login(Role.DOOR)  # not assigned here
    assert client.get(f"/checkin/{conference.id}/door/roster.json").status_code == 403
    assert client.post(f"/checkin/{conference.id}/door/device").status_code == 403


# --- The phone's token --------------------------------------------------------------------------


def test_the_phone_s_token_checks_in_through_the_api_with_a_deputy(client, login):
    conference = factories.make_conference()
    user = _door_user(conference, login)
    invitation = factories.make_invitation(conference)
    token = client.post(f"/checkin/{conference.id}/door/device").get_json()["token"]

    answer = _scan(
        client,
        token,
        {
            "token": invitation.token,
            "conference_id": conference.id,
            "substitute_name": "Vũ Văn Thay",
            "substitute_position": "Phó Chủ tịch",
        },
    )
    assert answer.status_code == 201
    assert answer.get_json()["substitute"] == "Vũ Văn Thay"
    checkin = db.session.scalar(select(CheckIn).filter_by(invitation_id=invitation.id))
    assert (checkin.user_id, checkin.substitute_position) == (user.id, "Phó Chủ tịch")

    elsewhere = factories.make_invitation(factories.make_conference())
    refused = _scan(client, token, {"token": elsewhere.token})
    assert refused.status_code == 409 and refused.get_json()["reason"] == "wrong_conference"
    bad = _scan(client, token, {"token": invitation.token, "substitute_name": 5})
    assert bad.status_code == 400 and bad.get_json()["reason"] == "invalid_substitute_name"


def test_forgetting_the_phone_revokes_its_token_and_only_the_user_s_own(client, login):
    conference = factories.make_conference()
    _door_user(conference, login)
    invitation = factories.make_invitation(conference)
    token = client.post(f"/checkin/{conference.id}/door/device").get_json()["token"]
    someone_else = factories.make_api_secret()

    forget = f"/checkin/{conference.id}/door/forget"
    assert client.post(forget, json={"token": someone_else}).get_json() == {"revoked": False}
    assert client.post(forget, json={"token": token}).get_json() == {"revoked": True}
    assert _scan(client, token, {"token": invitation.token}).status_code == 401


# --- The page, its worker and its manifest ------------------------------------------------------


def test_the_door_page_has_no_inline_script_and_gives_its_script_json(client, login):
    conference = factories.make_conference()
    user = _door_user(conference, login)
    html = client.get(f"/checkin/{conference.id}/door").get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    config = json.loads(re.search(r'id="door-config">(.*?)</script>', html, re.S)[1])
    assert config["conference"] == conference.id and config["user"] == user.id
    assert config["api"] == "/api/v1/checkins"
    assert "/static/vendor/jsqr/jsQR.js" in config["cache"]
    assert f'href="/checkin/{conference.id}/door.webmanifest"' in html


def test_the_service_worker_and_the_manifest_are_public(client):
    worker = client.get("/door-sw.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype
    assert worker.headers["Cache-Control"] == "no-cache"
    manifest = client.get("/checkin/7/door.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["start_url"] == "/checkin/7/door" and data["display"] == "standalone"
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


# --- The desk on a phone ------------------------------------------------------------------------


def test_the_desk_finds_a_substitute_by_their_own_name(client, login):
    login(Role.CLERK)
    conference = factories.make_conference()
    announced = factories.make_invitation(
        conference,
        factories.make_person(conference.body, full_name="Đặng Văn Chính"),
        substitute_name="Ngô Thị Phượng",
    )
    came = factories.make_invitation(
        conference, factories.make_person(conference.body, full_name="Bùi Văn Vắng")
    )
    factories.make_checkin(came, substitute_name="Trịnh Đức Thay")
    factories.make_invitation(conference)

    def found(query: str) -> str:
        return client.get(f"/checkin/{conference.id}/desk?q={query}").get_data(as_text=True)

    html = found("ngo thi phuong")
    assert "Đặng Văn Chính" in html and "Ngô Thị Phượng" in html and "Bùi Văn Vắng" not in html
    html = found("trinh duc")
    assert "Bùi Văn Vắng" in html and "Đặng Văn Chính" not in html
    assert announced.id != came.id


def test_the_desk_hides_those_checked_in_and_puts_search_and_walk_in_first(client, login):
    login(Role.CLERK)
    conference = factories.make_conference()
    present = factories.make_invitation(
        conference, factories.make_person(conference.body, full_name="Đã Đến Rồi")
    )
    factories.make_checkin(present)
    factories.make_invitation(
        conference, factories.make_person(conference.body, full_name="Chưa Đến Đâu")
    )
    html = client.get(f"/checkin/{conference.id}/desk?hide=1").get_data(as_text=True)
    assert "Chưa Đến Đâu" in html and "Đã Đến Rồi" not in html
    assert 'name="hide" value="1" id="hide-present" data-autosubmit checked' in html
    order = [html.index(f'id="{id_}"') for id_ in ("search-form", "walk-in", "desk-list")]
    assert order == sorted(order)
    every = client.get(f"/checkin/{conference.id}/desk").get_data(as_text=True)
    assert "Đã Đến Rồi" in every


def test_the_desk_shows_a_few_rows_until_one_searches(client, login):
    login(Role.CLERK)
    conference = factories.make_conference()
    for _ in range(35):
        factories.make_invitation(conference)
    html = client.get(f"/checkin/{conference.id}/desk").get_data(as_text=True)
    assert html.count('class="list-group-item desk-row') == 30
    assert "Tìm kiếm để thấy những người khác" in html


def test_the_secretariat_revokes_a_lost_door_phone(client, login):
    conference = factories.make_conference()
    door = _door_user(conference, login)
    invitation = factories.make_invitation(conference)
    token = client.post(f"/checkin/{conference.id}/door/device").get_json()["token"]
    login(Role.SECRETARIAT)
    page = client.get(f"/checkin/{conference.id}/door-staff").get_data(as_text=True)
    assert door.username in page or str(door) in page
    device_id = db.session.scalar(
        select(ApiToken.id).where(ApiToken.token_hash == hash_api_token(token))
    )
    other = factories.make_conference()
    wrong = client.post(f"/checkin/{other.id}/door-staff/devices/{device_id}/revoke")
    assert wrong.status_code == 404
    client.post(f"/checkin/{conference.id}/door-staff/devices/{device_id}/revoke")
    assert _scan(client, token, {"token": invitation.token}).status_code == 401
    assert db.session.scalar(select(AuditEntry.id).filter_by(action="checkin.door_device_revoked"))
    login(Role.CLERK)
    url = f"/checkin/{conference.id}/door-staff/devices/{device_id}/revoke"
    assert client.post(url).status_code == 403

"""The door app's server side: the offline roster, the phone's token, the service worker and
manifest, the page's script rules and its settings; door staff assigned and their phones revoked."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from meetings.checkin.service import Actor, check_in
from meetings.extensions import db
from meetings.models import (
    ApiToken,
    AuditEntry,
    CheckIn,
    CheckInMethod,
    DoorAssignment,
    Role,
    hash_api_token,
)
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


def test_door_page_shows_the_latest_failures_and_saves_auto(client, login):
    door = login(Role.DOOR)
    conference = factories.make_conference()
    factories.make_door_assignment(conference, door)
    check_in(
        "C" * 22,
        method=CheckInMethod.DOOR,
        actor=Actor.of(door),
        conference_id=conference.id,
        gate="Cổng Bắc",
    )
    html = client.get(f"/checkin/{conference.id}/door").get_data(as_text=True)
    assert "Cổng Bắc" in html and "Mã không tồn tại" in html
    client.post(f"/checkin/{conference.id}/door", data={"auto": "y"})
    assert db.session.get(DoorAssignment, (conference.id, door.id)).auto_checkin is True


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


# --- Door staff and their phones ----------------------------------------------------------------


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


def test_secretariat_assigns_door_staff(client, login):
    login(Role.SECRETARIAT)
    conference = factories.make_conference()
    location = factories.make_location(conference)
    door_a, door_b = factories.make_user(Role.DOOR), factories.make_user(Role.DOOR)
    clerk = factories.make_user(Role.CLERK)
    assert door_a.username in client.get(f"/checkin/{conference.id}/door-staff").get_data(
        as_text=True
    )
    client.post(
        f"/checkin/{conference.id}/door-staff",
        data={"user_id": [door_a.id, door_b.id], f"location_{door_b.id}": location.id},
    )
    rows = {a.user_id: a.location_id for a in db.session.scalars(select(DoorAssignment))}
    assert rows == {door_a.id: None, door_b.id: location.id}
    client.post(f"/checkin/{conference.id}/door-staff", data={"user_id": [door_b.id]})
    assert len(db.session.scalars(select(DoorAssignment)).all()) == 1
    assert (
        client.post(
            f"/checkin/{conference.id}/door-staff", data={"user_id": [clerk.id]}
        ).status_code
        == 400
    )


def test_clerks_cannot_assign_door_staff(client, login):
    login(Role.CLERK)
    assert client.get(f"/checkin/{factories.make_conference().id}/door-staff").status_code == 403

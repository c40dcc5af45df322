"""POST /api/v1/checkins: answers, idempotent nonces, authentication, bad input; token CLI."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from meetings.api.service import submit_all
from meetings.auth.service import create_api_token
from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    ApiNonce,
    ApiToken,
    CheckIn,
    ConferenceStatus,
    Role,
    ScanFailure,
    hash_api_token,
)
from tests import factories


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def bearer():
    return {"Authorization": f"Bearer {factories.make_api_secret()}"}


def _post(client, headers, **body):
    body.setdefault("nonce", uuid.uuid4().hex)
    return client.post("/api/v1/checkins", json=body, headers=headers)


def test_new_check_in_is_201_with_the_person(client, bearer):
    category = factories.make_category(name="Bí thư chi bộ")
    invitation = factories.make_invitation(category=category)
    response = _post(client, bearer, token=invitation.token, gate="Cổng A")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["person"]["name"] == invitation.person.full_name
    assert body["category"] == "Bí thư chi bộ"
    assert body["checked_in_at"].startswith(str(now().date()))
    assert db.session.scalar(select(CheckIn.gate)) == "Cổng A"


def test_repeat_is_200_already_with_the_first_time(client, bearer):
    invitation = factories.make_invitation()
    first = _post(client, bearer, token=invitation.token).get_json()
    response = _post(client, bearer, token=invitation.token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "already"
    assert body["checked_in_at"] == first["checked_in_at"]
    assert body["method"] == "api"


def test_unknown_token_is_404_invalid(client, bearer):
    response = _post(client, bearer, token="Z" * 22)
    assert response.status_code == 404
    assert response.get_json() == {"status": "invalid", "reason": "unknown_token"}
    assert db.session.scalar(select(ScanFailure.reason)) == "unknown_token"


@pytest.mark.parametrize(
    "token", ["../../etc/passwd", "ä" * 22, "x" * 1000, "a b", "\u0000" * 22, "ab\u0000cd"]
)
def test_malformed_token_is_404_invalid(client, bearer, token):
    response = _post(client, bearer, token=token)
    assert response.status_code == 404
    assert response.get_json() == {"status": "invalid", "reason": "malformed_token"}


def test_not_open_closed_cancelled_are_409_with_a_reason(client, bearer):
    later = factories.make_conference(starts_at=now().replace(second=0) + timedelta(days=1))
    past = factories.make_conference(starts_at=now().replace(second=0) - timedelta(days=1))
    cancelled = factories.make_conference(
        status=ConferenceStatus.CANCELLED, cancel_reason="Hoãn hội nghị"
    )
    for conference, reason in ((later, "not_open"), (past, "closed"), (cancelled, "cancelled")):
        response = _post(client, bearer, token=factories.make_invitation(conference).token)
        assert response.status_code == 409, reason
        assert response.get_json()["status"] == "refused"
        assert response.get_json()["reason"] == reason
    assert "opens_at" in _post(client, bearer, token=factories.make_invitation(later).token).json
    body = _post(client, bearer, token=factories.make_invitation(cancelled).token).json
    assert body["message"] == "Hoãn hội nghị"
    assert _count(CheckIn) == 0


def test_wrong_conference_is_409(client):
    mine, other = factories.make_conference(), factories.make_conference()
    door = factories.make_user(Role.DOOR)
    factories.make_door_assignment(mine, door)
    headers = {"Authorization": f"Bearer {create_api_token(door)}"}
    response = _post(client, headers, token=factories.make_invitation(other).token)
    assert response.status_code == 409
    assert response.get_json() == {"status": "refused", "reason": "wrong_conference"}
    assert _post(client, headers, token=factories.make_invitation(mine).token).status_code == 201


def test_a_kiosk_naming_its_conference_refuses_other_conferences(client, bearer):
    here, there = factories.make_conference(), factories.make_conference()
    response = _post(
        client, bearer, token=factories.make_invitation(there).token, conference_id=here.id
    )
    assert response.status_code == 409
    assert response.get_json()["reason"] == "wrong_conference"


def test_same_nonce_gives_the_same_answer_and_records_nothing_new(client, bearer):
    invitation = factories.make_invitation()
    first = _post(client, bearer, token=invitation.token, nonce="scan-1")
    checkins, nonces = _count(CheckIn), _count(ApiNonce)
    again = _post(client, bearer, token=invitation.token, nonce="scan-1")
    assert again.status_code == first.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (_count(CheckIn), _count(ApiNonce)) == (checkins, nonces)


def test_same_nonce_on_a_failure_records_the_failure_once(client, bearer):
    for _ in range(3):
        response = _post(client, bearer, token="Q" * 22, nonce="bad-1")
        assert response.status_code == 404
    assert _count(ScanFailure) == 1


def test_nonces_belong_to_their_token(client, bearer):
    invitation = factories.make_invitation()
    other = {"Authorization": f"Bearer {factories.make_api_secret()}"}
    assert _post(client, bearer, token=invitation.token, nonce="n").status_code == 201
    assert _post(client, other, token=invitation.token, nonce="n").status_code == 200


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"token": "x" * 22}, "missing_nonce"),
        ({"token": "x" * 22, "nonce": "  "}, "missing_nonce"),
        ({"token": "x" * 22, "nonce": 5}, "invalid_nonce"),
        ({"token": "x" * 22, "nonce": "n" * 101}, "invalid_nonce"),
        ({"nonce": "n"}, "missing_token"),
        ({"nonce": "n", "token": ["x"]}, "invalid_token"),
        ({"nonce": "n", "token": "x" * 22, "gate": 7}, "invalid_gate"),
        ({"nonce": "n", "token": "x" * 22, "gate": "A\u0000"}, "invalid_gate"),
        ({"nonce": "n\u0000", "token": "x" * 22}, "invalid_nonce"),
        ({"nonce": "n", "token": "x" * 22, "scanned_at": "yesterday"}, "invalid_scanned_at"),
        (
            {"nonce": "n", "token": "x" * 22, "scanned_at": "2001-01-01T08:00:00"},
            "scanned_at_out_of_range",
        ),
        ({"nonce": "n", "token": "x" * 22, "conference_id": "1"}, "invalid_conference_id"),
    ],
)
def test_bad_requests_are_400_with_a_reason(client, bearer, body, reason):
    response = client.post("/api/v1/checkins", json=body, headers=bearer)
    assert response.status_code == 400
    assert response.get_json() == {"status": "error", "reason": reason}
    assert _count(ScanFailure) == 0


@pytest.mark.parametrize("data", ["not json", "[1, 2]", "null", ""])
def test_body_that_is_not_a_json_object_is_400(client, bearer, data):
    response = client.post(
        "/api/v1/checkins", data=data, headers={**bearer, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["reason"] == "invalid_json"


def test_scanned_at_becomes_the_check_in_time(client, bearer):
    invitation = factories.make_invitation()
    moment = (now() - timedelta(minutes=3)).replace(microsecond=0)
    response = _post(client, bearer, token=invitation.token, scanned_at=moment.isoformat())
    assert response.status_code == 201
    assert db.session.scalar(select(CheckIn.checked_in_at)) == moment


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "token"]
)
def test_missing_or_wrong_api_token_is_401_json(client, header):
    invitation = factories.make_invitation()
    headers = {"Authorization": header} if header is not None else {}
    response = _post(client, headers, token=invitation.token)
    assert response.status_code == 401
    assert response.get_json() == {"status": "error", "reason": "invalid_api_token"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _count(CheckIn) == 0


def test_revoked_token_and_inactive_user_are_401(client):
    user = factories.make_user(Role.CLERK)
    token = create_api_token(user)
    headers = {"Authorization": f"Bearer {token}"}
    invitation = factories.make_invitation()
    db.session.scalar(select(ApiToken)).revoked_at = now()
    db.session.flush()
    assert _post(client, headers, token=invitation.token).status_code == 401
    other = factories.make_user(Role.CLERK)
    headers = {"Authorization": f"Bearer {create_api_token(other)}"}
    other.active = False  # deactivated after the token was made
    db.session.flush()
    assert _post(client, headers, token=invitation.token).status_code == 401
    with pytest.raises(ValueError):
        create_api_token(other)  # and no new token for an inactive account


def test_session_cookie_is_no_api_credential(client, login):
    login(Role.ADMIN)
    response = _post(client, {}, token=factories.make_invitation().token)
    assert response.status_code == 401


def test_health_is_trivial_and_public(client):
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}


def test_cli_creates_a_hashed_token_printed_alone_on_the_last_line_and_revokes_it(app, client):
    user = factories.make_user(Role.DOOR)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-api-token", user.username, "--name", "cổng A"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    stored = db.session.scalar(select(ApiToken).filter_by(user_id=user.id))
    assert stored.token_hash != token and token not in stored.token_hash
    factories.make_door_assignment(factories.make_conference(), user)
    headers = {"Authorization": f"Bearer {token}"}
    assert _post(client, headers, token="R" * 22).status_code == 404
    result = runner.invoke(args=["revoke-api-token", user.username])
    assert result.exit_code == 0 and "1 token(s) revoked" in result.output
    assert _post(client, headers, token="R" * 22).status_code == 401


def test_cli_refuses_an_unknown_user(app):
    result = app.test_cli_runner().invoke(args=["create-api-token", "nobody-here"])
    assert result.exit_code != 0
    assert "No user" in result.output


def test_answers_are_json_with_unicode(client, bearer):
    person = factories.make_person(full_name="Đặng Thị Ánh")
    invitation = factories.make_invitation(person=person)
    response = _post(client, bearer, token=invitation.token)
    assert "Đặng Thị Ánh" in response.get_data(as_text=True)
    assert json.loads(response.get_data(as_text=True))["person"]["name"] == "Đặng Thị Ánh"


RFC3339 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00"


def test_times_are_rfc3339_with_the_offset(client, bearer):
    invitation = factories.make_invitation()
    later = factories.make_conference(starts_at=now().replace(second=0) + timedelta(days=1))
    past = factories.make_conference(starts_at=now().replace(second=0) - timedelta(days=1))
    assert re.fullmatch(
        RFC3339, _post(client, bearer, token=invitation.token).json["checked_in_at"]
    )
    assert re.fullmatch(
        RFC3339, _post(client, bearer, token=invitation.token).json["checked_in_at"]
    )
    opens = _post(client, bearer, token=factories.make_invitation(later).token).json["opens_at"]
    closed = _post(client, bearer, token=factories.make_invitation(past).token).json["closed_at"]
    assert re.fullmatch(RFC3339, opens) and re.fullmatch(RFC3339, closed)


def test_a_conference_id_that_does_not_exist_or_overflows_is_4xx_and_nothing_breaks(client, bearer):
    invitation = factories.make_invitation()
    missing = _post(client, bearer, token=invitation.token, conference_id=987654)
    assert (missing.status_code, missing.json) == (
        404,
        {"status": "invalid", "reason": "unknown_conference"},
    )
    for huge in (2**31, 2**63, -1, 0):
        response = _post(client, bearer, token=invitation.token, conference_id=huge)
        assert (response.status_code, response.json["reason"]) == (400, "invalid_conference_id")
    assert _count(CheckIn) == 0


@pytest.mark.parametrize("field", ["nonce", "token"])
def test_an_empty_nonce_or_token_is_400_missing(client, bearer, field):
    body = {"nonce": uuid.uuid4().hex, "token": "x" * 22, field: ""}
    response = client.post("/api/v1/checkins", json=body, headers=bearer)
    assert (response.status_code, response.json["reason"]) == (400, f"missing_{field}")


def test_a_wrong_method_is_405_with_allow(client):
    response = client.get("/api/v1/checkins")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.json["status"] == "error"


def test_a_venue_code_with_numbers_beyond_any_row_is_a_clear_404(client):
    response = client.get("/v/99999999999.0.1.aaaaaaaaaaaaaaaa")
    assert response.status_code == 404
    response = client.get("/v/9999999999.9999999999.1.aaaaaaaaaaaaaaaa")
    assert response.status_code == 404


def test_the_answer_carries_the_seat_from_the_seating_plan(client, bearer):
    invitation = factories.make_invitation()
    plan = factories.make_seating_plan(invitation.conference)
    factories.make_seat_assignment(plan, invitation=invitation, row=2, seat=7)
    assert _post(client, bearer, token=invitation.token).json["seat"] == "Hàng B, ghế 7"
    assert _post(client, bearer, token=factories.make_invitation().token).json["seat"] is None


def test_a_token_shows_when_it_was_last_used_recorded_at_most_once_a_minute(client):
    user = factories.make_user(Role.CLERK)
    headers = {"Authorization": f"Bearer {create_api_token(user)}"}
    token = db.session.scalar(select(ApiToken).filter_by(user_id=user.id))
    assert token.last_used_at is None
    _post(client, headers, token=factories.make_invitation().token)
    db.session.refresh(token)
    first = token.last_used_at
    assert first is not None and now() - first < timedelta(minutes=1)
    token.last_used_at = first - timedelta(seconds=30)  # used half a minute ago
    db.session.flush()
    _post(client, headers, token=factories.make_invitation().token)
    db.session.refresh(token)
    assert token.last_used_at == first - timedelta(seconds=30)  # not written again so soon


# --- Scans handled together (submit_all: what a worker's threads send at one moment) --------


def _post_of(secret: str, token: str, nonce: str | None = None, **body) -> tuple:
    return hash_api_token(secret), {"token": token, "nonce": nonce or uuid.uuid4().hex, **body}


def test_a_group_answers_each_post_as_alone():
    secret = factories.make_api_secret()
    conference = factories.make_conference()
    invitation, other = factories.make_invitation(conference), factories.make_invitation()
    answers = submit_all(
        [
            _post_of(secret, invitation.token),
            (hash_api_token("not-a-token"), {"token": invitation.token, "nonce": "x"}),
            (hash_api_token(secret), {"token": invitation.token}),
            _post_of(secret, "Z" * 22),
            _post_of(secret, other.token, conference_id=conference.id),
            _post_of(secret, invitation.token, conference_id=2**31 - 1),
            _post_of(secret, invitation.token),
        ]
    )
    assert [answer.status for answer in answers] == [201, 401, 400, 404, 409, 404, 200]
    bodies = [json.loads(answer.text) for answer in answers]
    assert bodies[2] == {"status": "error", "reason": "missing_nonce"}
    assert bodies[4]["reason"] == "wrong_conference"
    assert bodies[5]["reason"] == "unknown_conference"
    assert bodies[6]["status"] == "already"
    assert bodies[6]["checkin_id"] == bodies[0]["checkin_id"]  # the first of the group won
    assert _count(CheckIn) == 1
    assert _count(ApiNonce) == 5  # every authenticated, well-formed post keeps its answer


def test_a_nonce_used_before_in_a_group_replays_its_answer_and_the_rest_are_recorded():
    secret = factories.make_api_secret()
    first, second, third = (factories.make_invitation() for _ in range(3))
    [earlier] = submit_all([_post_of(secret, first.token, "retried")])
    answers = submit_all(
        [
            _post_of(secret, second.token),
            _post_of(secret, third.token, "retried"),  # a retry carrying another token
            _post_of(secret, third.token, "twice"),
            _post_of(secret, second.token, "twice"),
        ]
    )
    assert [answer.status for answer in answers] == [201, 201, 201, 201]
    assert [answer.replayed for answer in answers] == [False, True, False, True]
    assert answers[1].text == earlier.text  # the stored answer, not a check-in of `third`
    assert answers[3].text == answers[2].text
    checked_in = set(db.session.scalars(select(CheckIn.invitation_id)))
    assert checked_in == {first.id, second.id, third.id}
    assert _count(ApiNonce) == 3

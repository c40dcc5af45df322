"""Links that open: PUBLIC_BASE_URL follows the port `make run` serves on, the .ics feed uses
it rather than the Host header, and the letters page warns when it is a loopback address."""

import pytest

from meetings.conferences.calendar import rotate_calendar_token
from meetings.config import load_config
from meetings.extensions import db
from meetings.models import ConferenceStatus, Role
from tests import factories


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "5111"}, "http://127.0.0.1:5111"),
        (
            {"PORT": "5111", "PUBLIC_BASE_URL": "https://hoinghi.example.vn/"},
            "https://hoinghi.example.vn",
        ),
    ],
)
def test_public_base_url_follows_the_port(monkeypatch, tmp_path, environment, expected):
    for name in ("PORT", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert load_config(tmp_path)["PUBLIC_BASE_URL"] == expected


def test_trusted_proxies_must_be_a_number(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        load_config(tmp_path)


def test_the_ics_feed_ignores_the_host_header(client):
    body = factories.make_body()
    conference = factories.make_conference(body, status=ConferenceStatus.SCHEDULED)
    rotate_calendar_token(body, None)
    db.session.flush()
    feed = client.get(
        f"/conferences/feeds/{body.calendar_token}.ics", headers={"Host": "evil.example"}
    )
    text = feed.get_data(as_text=True).replace("\r\n ", "")
    assert f"https://hoinghi.example.vn/conferences/{conference.id}" in text
    assert "evil.example" not in text


@pytest.mark.parametrize(
    ("base", "warned"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://localhost:5111", True),
        ("http://[::1]:5000", True),
        ("http://192.168.1.20:5000", False),
        ("https://hoinghi.example.vn", False),
    ],
)
def test_letters_page_warns_about_a_loopback_base_url(app, client, login, base, warned):
    login(Role.CLERK)
    conference = factories.make_conference()
    factories.make_invitation(conference)
    app.config["PUBLIC_BASE_URL"] = base
    try:
        page = client.get(f"/printing/conferences/{conference.id}/letters").text
    finally:
        app.config["PUBLIC_BASE_URL"] = "https://hoinghi.example.vn"
    assert ('id="letters-loopback"' in page) is warned

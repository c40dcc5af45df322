"""Sessions end for good: sign-out and a password change make copied cookies worthless;
cookies are SameSite, and Secure with HSTS behind an HTTPS proxy; a CSP on every page."""

import re
from pathlib import Path

import pytest

from meetings.extensions import db
from meetings.models import Role
from tests import factories
from tests.conftest import make_test_app

TEMPLATES = Path(__file__).resolve().parents[2] / "meetings"
GUARDED = "/conferences/"


def _sign_in(client, user, remember=True):
    response = client.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "remember": "y"}
        if remember
        else {"username": user.username, "password": factories.PASSWORD},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _stolen(client) -> dict[str, str]:
    """The cookies an attacker copies out of the victim's browser."""
    cookies = {name: client.get_cookie(name) for name in ("session", "remember_token")}
    assert all(cookies.values()), cookies
    return {name: cookie.value for name, cookie in cookies.items()}


def _replay(app, cookies: dict[str, str]):
    """A fresh browser holding only the copied cookies."""
    attacker = app.test_client()
    for name, value in cookies.items():
        attacker.set_cookie(name, value)
    return attacker.get(GUARDED)


@pytest.mark.parametrize(
    "which", [("session",), ("remember_token",), ("session", "remember_token")]
)
def test_cookies_copied_before_sign_out_are_refused_after_it(app, client, which):
    user = factories.make_user(Role.CLERK)
    _sign_in(client, user)
    stolen = {k: v for k, v in _stolen(client).items() if k in which}
    assert _replay(app, stolen).status_code == 200  # the copy works while the victim is in

    assert client.post("/logout").status_code == 302

    response = _replay(app, stolen)
    assert response.status_code == 302
    assert "/login" in response.location


def test_sign_out_ends_the_sessions_on_other_devices_too(app, client):
    user = factories.make_user(Role.CLERK)
    phone = app.test_client()
    _sign_in(client, user)
    _sign_in(phone, user)
    client.post("/logout")
    assert phone.get(GUARDED).status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app, client):
    user = factories.make_user(Role.CLERK)
    other = app.test_client()
    _sign_in(client, user)
    _sign_in(other, user)
    stolen = _stolen(other)

    response = client.post(
        "/account/password",
        data={
            "current": factories.PASSWORD,
            "new": "a new long passphrase",
            "confirm": "a new long passphrase",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(GUARDED).status_code == 200
    renewed = client.get_cookie("remember_token").value
    assert _replay(app, {"remember_token": renewed}).status_code == 200  # this device stays
    assert other.get(GUARDED).status_code == 302
    assert _replay(app, stolen).status_code == 302
    assert user.check_password("a new long passphrase")


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("wrong password", "a new long passphrase", "Mật khẩu hiện tại không đúng"),
        (factories.PASSWORD, "short", "ít nhất 10 ký tự"),
        (factories.PASSWORD, "password123", "mật khẩu phổ biến"),
    ],
)
def test_password_change_keeps_the_rules(client, login, current, new, message):
    user = login(Role.CLERK)
    response = client.post(
        "/account/password", data={"current": current, "new": new, "confirm": new}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user.check_password(factories.PASSWORD)


def test_a_reset_password_must_be_changed_before_anything_else(client, login):
    user = login(Role.CLERK)
    user.must_change_password = True
    db.session.flush()
    response = client.get(GUARDED)
    assert response.status_code == 302 and response.location.endswith("/account/password")
    assert client.get("/account/password").status_code == 200


def test_remember_cookie_is_samesite_and_httponly(client):
    _sign_in(client, factories.make_user(Role.CLERK))
    cookie = client.get_cookie("remember_token")
    assert cookie.same_site == "Lax" and cookie.http_only
    assert not cookie.secure  # plain HTTP on a laptop: a Secure cookie would never come back


@pytest.mark.no_db_session
def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", tmp_path, TRUSTED_PROXIES=1)
    with app.app_context():
        db.create_all()
        username = factories.make_user(Role.CLERK).username
        db.session.commit()
    client = app.test_client()
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    response = client.post(
        "/login",
        data={"username": username, "password": factories.PASSWORD, "remember": "y"},
        headers=proxy,
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    assert all("; Secure" in c for c in cookies), cookies
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.location.startswith("/")  # the proxy's scheme did not leak into a redirect

    plain = client.get("/login")
    assert "Strict-Transport-Security" not in plain.headers


def test_without_trusted_proxies_forwarded_headers_are_ignored(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_every_page_has_a_csp_without_inline_script(client, login):
    login(Role.ADMIN)
    for url in ("/login", "/conferences/", "/admin/users", "/no-such-page"):
        policy = client.get(url).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'self'", url
        assert directives["object-src"] == "'none'", url


# A JSON data block (type="application/json") is never run, and the CSP does not block it.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>")
_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.S)
_JS_URL = re.compile(r"""(?:href|action|src)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_has_inline_script_or_handlers():
    offenders = set()
    for path in TEMPLATES.glob("**/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if _INLINE_SCRIPT.search(text) or _HANDLER.search(text) or _JS_URL.search(text):
            offenders.add(str(path).split("/templates/", 1)[1])
    assert not offenders, offenders

"""Login everywhere but the public pages, roles per page, CSRF, rate limits, safe redirects."""

import pytest
from flask import url_for

from meetings.models import Role
from tests import factories
from tests.conftest import make_test_app
from tests.support.servers import redis_or_skip


def _guarded_urls(app) -> list[str]:
    """Every GET route that is not public, with 1 for each integer argument."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            if "GET" not in rule.methods or getattr(view, "_public", False):
                continue
            if rule.endpoint in ("static", "bootstrap.static"):
                continue
            args = {
                name: 1 if "int" in str(rule._converters.get(name, "")).lower() else "x"
                for name in rule.arguments
            }
            urls.append(url_for(rule.endpoint, **args))
    return urls


def test_every_non_public_page_requires_login(app, client):
    urls = _guarded_urls(app)
    assert len(urls) >= 5
    for url in urls:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, url
            assert "/login" in response.location, url


def test_anonymous_user_is_sent_back_after_login(client):
    response = client.get("/conferences/")
    assert response.location.endswith("/login?next=/conferences/")
    user = factories.make_user(Role.CLERK)
    response = client.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "next": "/conferences/"},
    )
    assert response.status_code == 302
    assert response.location == "/conferences/"


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com", "javascript:x"]
)
def test_login_never_redirects_off_site(client, target):
    user = factories.make_user(Role.CLERK)
    response = client.post(
        "/login", data={"username": user.username, "password": factories.PASSWORD, "next": target}
    )
    assert response.location == "/"


def test_wrong_password_is_refused(client):
    user = factories.make_user(Role.CLERK)
    response = client.post("/login", data={"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert client.get("/conferences/").status_code == 302


def test_inactive_user_cannot_sign_in(client):
    user = factories.make_user(Role.CLERK, active=False)
    response = client.post(
        "/login", data={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 200


def test_door_staff_cannot_open_the_directory(client, login):
    login(Role.DOOR)
    assert client.get("/directory/people").status_code == 403
    assert client.get("/conferences/").status_code == 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SECRETARIAT, Role.CLERK])
def test_office_roles_read_the_directory(client, login, role):
    login(role)
    assert client.get("/directory/people").status_code == 200


def test_password_change_ends_old_sessions(client, login):
    user = login(Role.CLERK)
    assert client.get("/conferences/").status_code == 200
    user.set_password("a brand new password")
    assert client.get("/conferences/").status_code == 302


def test_logout_is_a_post(client, login):
    login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/conferences/").status_code == 302


@pytest.mark.no_db_session
def test_csrf_is_enforced_on_every_form(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'csrf.sqlite3'}", tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)


@pytest.mark.no_db_session
def test_login_is_rate_limited(tmp_path):
    from meetings.extensions import db

    app = make_test_app(
        f"sqlite:///{tmp_path / 'rl.sqlite3'}",
        tmp_path,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = [
        client.post("/login", data={"username": "a", "password": "b"}).status_code for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    assert client.get("/login").status_code == 200  # only attempts are limited


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.no_db_session
def test_rate_limit_counters_can_live_in_redis(tmp_path):
    """With RATELIMIT_STORAGE_URI on Redis (the real one), the counters live there, where every
    app server behind the proxy reads the same limit."""
    import uuid

    import redis

    url = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"  # a run of its own, however often the test runs
    apps = [
        make_test_app(
            f"sqlite:///{tmp_path / f'rl{i}.sqlite3'}",
            tmp_path / f"instance{i}",
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=url,
            RATELIMIT_KEY_PREFIX=prefix,
            LOGIN_RATE_LIMIT="3 per minute",
        )
        for i in range(2)
    ]
    for app in apps:
        with app.app_context():
            from meetings.extensions import db

            db.create_all()
    first, second = (app.test_client() for app in apps)
    codes = [
        c.post("/login", data={"username": "a", "password": "b"}).status_code
        for c in (first, second, first, second)
    ]
    assert codes == [200, 200, 200, 429]
    # The counters are in Redis, where another process serving the app would read them too.
    assert list(redis.Redis.from_url(url).scan_iter(match=f"*{prefix}*"))

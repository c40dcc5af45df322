"""Rate limits that hold: shared counters, the per-account throttle, and no silent fallback to
per-worker memory under gunicorn."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from meetings import ratelimits
from meetings.extensions import db
from tests.conftest import make_test_app
from tests.support.servers import Browser, free_port, gunicorn, redis_or_skip, setup_database

pytestmark = pytest.mark.no_db_session


def _app(tmp_path, name="rl", **config):
    defaults = {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    app = make_test_app(
        f"sqlite:///{tmp_path / f'{name}.sqlite3'}", tmp_path / name, **{**defaults, **config}
    )
    with app.app_context():
        db.create_all()
    return app


def test_hit_counts_within_a_moving_window(tmp_path):
    with _app(tmp_path).app_context():
        assert [ratelimits.hit("door:1", "3 per minute") for _ in range(5)] == [
            True,
            True,
            True,
            False,
            False,
        ]
        assert ratelimits.hit("door:2", "3 per minute")  # another key, another budget
        assert not ratelimits.allowed("door:1", "3 per minute")
        assert 0 < ratelimits.retry_after("door:1", "3 per minute") <= 60
        assert ratelimits.retry_after("door:2", "3 per minute") == 0
        ratelimits.reset("door:1", "3 per minute")
        assert ratelimits.allowed("door:1", "3 per minute")
        assert ratelimits.hit("door:1", "3 per minute", cost=3)
        assert not ratelimits.hit("door:1", "3 per minute")


def test_allowed_counts_nothing(tmp_path):
    with _app(tmp_path).app_context():
        assert all(ratelimits.allowed("k", "1 per minute") for _ in range(5))
        assert ratelimits.hit("k", "1 per minute")
        assert not ratelimits.allowed("k", "1 per minute")


def test_everything_is_allowed_when_limits_are_off(tmp_path):
    with _app(tmp_path, RATELIMIT_ENABLED=False).app_context():
        assert all(ratelimits.hit("k", "1 per minute") for _ in range(5))
        assert ratelimits.retry_after("k", "1 per minute") == 0


def test_two_apps_on_one_redis_share_the_count(tmp_path):
    url = redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    apps = [
        _app(tmp_path, f"app{i}", RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix)
        for i in range(2)
    ]
    answers = []
    for i in range(6):
        with apps[i % 2].app_context():
            answers.append(ratelimits.hit("venue-pass:42", "4 per minute"))
    assert answers == [True, True, True, True, False, False]
    assert list(redis.Redis.from_url(url).scan_iter(match=f"*{prefix}*venue-pass:42*"))


def test_memory_counters_are_refused_for_several_processes():
    with pytest.raises(ratelimits.UnsharedStorageError, match="redis://"):
        ratelimits.check_shared_storage("memory://", 2)
    ratelimits.check_shared_storage("memory://", 1)
    ratelimits.check_shared_storage("redis://127.0.0.1:6379/0", 4)


def test_the_check_leaves_other_wsgi_apps_and_disabled_limits_alone(tmp_path):
    ratelimits.check_served_app(lambda environ, start_response: [], 4)
    ratelimits.check_served_app(_app(tmp_path, RATELIMIT_ENABLED=False), 4)
    with pytest.raises(ratelimits.UnsharedStorageError):
        ratelimits.check_served_app(_app(tmp_path, "on"), 4)


# --- The per-account sign-in throttle --------------------------------------------------------


def _attempt(client, username: str, address: str) -> int:
    form = {"username": username, "password": "wrong password"}
    return client.post("/login", data=form, environ_base={"REMOTE_ADDR": address}).status_code


def test_one_account_is_throttled_from_every_address(tmp_path):
    app = _app(tmp_path, LOGIN_RATE_LIMIT="100 per minute", LOGIN_ACCOUNT_RATE_LIMIT="3 per minute")
    client = app.test_client()
    # A new address for every attempt: the per-address limit never bites.
    codes = [_attempt(client, "vanphong", f"10.0.0.{i}") for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    # The same account typed otherwise (case, NFD, spaces) is the same account.
    assert _attempt(client, "  VanPhong ", "10.0.1.1") == 429
    assert _attempt(client, "letan", "10.0.1.2") == 200  # another account is not affected


def test_one_address_is_still_limited_across_accounts(tmp_path):
    app = _app(tmp_path, LOGIN_RATE_LIMIT="3 per minute", LOGIN_ACCOUNT_RATE_LIMIT="100 per minute")
    client = app.test_client()
    codes = [_attempt(client, f"user{i}", "10.0.0.9") for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


# --- Real gunicorn workers --------------------------------------------------------------------


def _server_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        "MEETINGS_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "rate-limit-test",
        "MEETINGS_SCAN_WRITER": "off",
        **extra,
    }
    setup_database(env)
    return env


@pytest.mark.slow
def test_two_gunicorn_workers_on_redis_share_the_login_limit(tmp_path):
    """20 sign-in attempts from one address against a limit of 10 a minute: 10 refused, though
    two worker processes (and four threads each) answer them."""
    url = redis_or_skip()
    env = _server_env(
        tmp_path,
        RATELIMIT_STORAGE_URI=url,
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
        LOGIN_RATE_LIMIT="10 per minute",
        LOGIN_ACCOUNT_RATE_LIMIT="1000 per minute",
    )
    with gunicorn(env, free_port(), tmp_path / "gunicorn.log", workers=2) as port:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.get("/login")
        codes = [
            browser.post("/login", {"username": f"u{i}", "password": "wrong password"})[0]
            for i in range(20)
        ]
    assert codes.count(429) == 10, codes
    assert codes.count(200) == 10, codes


@pytest.mark.slow
def test_gunicorn_refuses_several_workers_with_per_worker_counters(tmp_path):
    env = _server_env(tmp_path, RATELIMIT_STORAGE_URI="memory://")
    log = tmp_path / "refused.log"
    with (
        pytest.raises(AssertionError, match="gunicorn stopped"),
        gunicorn(env, free_port(), log, workers=2),
    ):
        pass
    assert "RATELIMIT_STORAGE_URI is 'memory://'" in log.read_text()
    assert "Worker failed to boot" in log.read_text()
    # One worker process counts alone, rightly: it starts.
    with gunicorn(env, free_port(), tmp_path / "one.log", workers=1) as port:
        assert Browser(f"http://127.0.0.1:{port}").get("/login")[0] == 200

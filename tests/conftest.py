"""Fixtures: one app per test run on a fresh database; each test inside a rolled-back transaction.

TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) runs the suite on
PostgreSQL; without it, on a SQLite file.
"""

from __future__ import annotations

import email
import email.policy

import flask_babel
import pytest
from aiosmtpd.controller import Controller
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from meetings import create_app
from meetings.extensions import db
from meetings.models import Role
from tests import factories
from tests.support.databases import fresh_database_url
from tests.support.servers import free_port

TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,  # tests/test_security.py turns it back on to prove it works
    "RATELIMIT_ENABLED": False,  # likewise for the limits
    "JOBS_IMMEDIATE": True,  # a job runs inside the request that asks for it
    "PUBLIC_BASE_URL": "https://hoinghi.example.vn",
    "SECRET_KEY": "test-secret-key-not-for-production",
}


class _ConnectionBoundSession(FlaskSession):
    """Every session of a test uses the test's connection, inside its outer transaction."""

    def get_bind(self, *args, **kwargs):
        return self.bind


class _TestClient(FlaskClient):
    """Requests share the test's app context: forget the user and locale cached in it."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            flask_babel.refresh()
        return super().open(*args, **kwargs)


def make_test_app(database_url: str, instance_path, **overrides):
    import os

    os.environ["MEETINGS_INSTANCE_PATH"] = str(instance_path)
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app.test_client_class = _TestClient
    return app


@pytest.fixture
def shared_app(tmp_path):
    """An app on a database of its own, for code that commits for real (threads, routes that
    commit, processes): mark the test no_db_session."""
    app = make_test_app(fresh_database_url("committing", tmp_path), tmp_path)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    app = make_test_app(fresh_database_url("main", tmp), tmp / "instance")
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def db_session(request, app):
    """Commits in the code under test become savepoints; the whole test is rolled back."""
    if "no_db_session" in request.keywords:
        yield None
        return
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite defers BEGIN to the first write, so the session's SAVEPOINT would open
            # the transaction itself and a commit in the code under test (RELEASE) would write
            # for good. An explicit BEGIN keeps the savepoint nested and the rollback total.
            connection.exec_driver_sql("BEGIN")
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": _ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


def _login(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login(client):
    """login(role) → a user of that role, signed in on `client`."""

    def _as(role: Role | str = Role.SECRETARIAT, **kw):
        user = factories.make_user(Role(role), **kw)
        _login(client, user)
        return user

    return _as


@pytest.fixture(params=[Role.ADMIN, Role.SECRETARIAT, Role.CLERK, Role.DOOR])
def any_role_client(request, client, login):
    login(request.param)
    return client


# --- A real SMTP server (aiosmtpd) for the e-mail tests --------------------------------------

MAIL_SENDER = "Văn phòng Đảng ủy <vanphong@caugiay.example>"


class Inbox:
    """aiosmtpd handler: keeps every message; refuses recipients whose name starts "refused"."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def mail_config(app, monkeypatch):
    def configure(port: int):
        for key, value in {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_DEFAULT_SENDER": MAIL_SENDER,
            "MAIL_TIMEOUT": 5,
        }.items():
            monkeypatch.setitem(app.config, key, value)

    return configure

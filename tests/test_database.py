"""Connections: a server connection that died is replaced before a request uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from meetings.config import load_config
from tests.support.databases import POSTGRES_URL

pytestmark = [
    pytest.mark.no_db_session,
    pytest.mark.skipif(not POSTGRES_URL, reason="a server connection that can be killed"),
]


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    options = load_config(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"]
    engine = create_engine(POSTGRES_URL, **{**options, "pool_size": 1, "max_overflow": 0})
    yield engine
    engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _kill(pid: int) -> None:
    killer = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def test_a_connection_that_died_is_replaced_before_use(engine):
    dead = _backend(engine)
    _kill(dead)
    assert _backend(engine) not in (dead, None)

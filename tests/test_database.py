"""Connections: a pooled server connection idle for a while is tested before use."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, exc, text

from meetings import database
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


def test_a_connection_that_died_while_idle_is_replaced_before_use(engine, monkeypatch):
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0.0)  # every connection counts as idle
    dead = _backend(engine)
    _kill(dead)
    assert _backend(engine) not in (dead, None)


def test_a_connection_used_a_moment_ago_is_not_tested_and_a_death_costs_one_failure(engine):
    dead = _backend(engine)
    _kill(dead)
    with pytest.raises(exc.OperationalError):
        _backend(engine)  # no round trip spent on a test: the dead connection is used
    assert _backend(engine) not in (dead, None)  # and the pool has replaced it

"""Test databases: SQLite files by default, PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def fresh_database_url(name: str, tmp_dir: Path) -> str:
    """An empty database for one purpose: a new SQLite file, or a new PostgreSQL database."""
    if not POSTGRES_URL:
        path = tmp_dir / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = make_url(POSTGRES_URL)
    # The pid keeps two test runs on one server (CI and a developer) out of each other's way.
    database = f"{url.database}_{name}_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"')
    atexit.register(_admin, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return url.set(database=database).render_as_string(hide_password=False)


def _admin(*statements: str) -> None:
    engine = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()

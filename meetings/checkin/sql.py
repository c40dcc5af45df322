"""Plain SQL for the check-in hot path, on the DBAPI connection of the session's transaction.

The statements are written once as SQLAlchemy Core (so they name the models' columns) and
rendered once per dialect into SQL text with named parameters; a scan then costs a few DBAPI
calls instead of the ORM's per-statement bookkeeping, which on this path cost more than the
database work itself. Statements that do not need each other's results are pipelined: one
round trip to PostgreSQL for several. The SQL still runs inside the session's transaction: the
caller commits with db.session.commit(), and tests roll it back as usual.

SQLite has one writer at a time. Its busy handler polls with growing sleeps (1, 2, 5, 10 ms…),
so two gunicorn workers contending for the write lock wait far longer than the lock is held.
Writers therefore queue on an flock beside the database file first (woken the moment it is
free), then take the write lock with BEGIN IMMEDIATE; the flock is released when the
session's transaction ends.
"""

from __future__ import annotations

import fcntl
import os
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import psycopg
from sqlalchemy import BindParameter, DateTime, bindparam, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from meetings.extensions import db

_DIALECTS = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    # PostgreSQL's own $1 placeholders, for psycopg's RawCursor: psycopg would otherwise
    # parse the SQL for %(name)s at every execution of a statement with over 50 parameters
    "postgresql": postgresql.psycopg.dialect(paramstyle="numeric_dollar"),
}
# INSERT … ON CONFLICT DO NOTHING is dialect-specific Core (both databases support it).
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_rendered: dict[tuple[int, str], tuple[str, tuple[str, ...] | None]] = {}
_built: dict[tuple[str, int, str], ClauseElement] = {}
_row_types: dict[int, tuple[type, tuple[int, ...]]] = {}
_WRITER_FD = "checkin_sqlite_writer_fd"
_PLANNED = "checkin_planning_set"
# The hot path's statements are key lookups: planned once per connection (PostgreSQL would
# otherwise plan them afresh at their first executions on each), and never as a scan: a plan
# made while a table was nearly empty would otherwise scan it ever after, as it grows.
_PLANNING = (
    "SELECT set_config('plan_cache_mode', 'force_generic_plan', true),"
    " set_config('enable_seqscan', 'off', true)"
)


def render(statement: ClauseElement, dialect: str) -> tuple[str, tuple[str, ...] | None]:
    """The statement as SQL text for `dialect`, and on PostgreSQL the names of its
    positional parameters in order; rendered once per process."""
    key = (id(statement), dialect)
    rendered = _rendered.get(key)
    if rendered is None:
        compiled = statement.compile(dialect=_DIALECTS[dialect])
        positions = tuple(compiled.positiontup) if dialect == "postgresql" else None
        rendered = _rendered[key] = (str(compiled), positions)
    return rendered


def _bound(statement: ClauseElement, dialect: str, params: dict) -> tuple[str, dict | list]:
    """SQL text and its parameters as the dialect's cursor takes them."""
    text, positions = render(statement, dialect)
    return text, params if positions is None else [params[name] for name in positions]


def built(key: str, size: int, dialect: str, build: Callable[[int, str], ClauseElement]):
    """`build(size, dialect)` once per process: statements whose shape depends on how many
    rows or keys they carry (IN lists, multi-row VALUES) are kept like the fixed ones."""
    statement = _built.get((key, size, dialect))
    if statement is None:
        statement = _built[(key, size, dialect)] = build(size, dialect)
    return statement


def build_ahead(
    key: str, sizes: Iterable[int], dialect: str, build: Callable[[int, str], ClauseElement]
) -> None:
    """Build and render `build`'s statement for each of `sizes` now, with the type of its
    rows: about a millisecond each, which a batch would otherwise pay at its first use of a
    size (the scan writer does it as it starts, for every batch size it may write)."""
    for size in sizes:
        statement = built(key, size, dialect, build)
        render(statement, dialect)
        if statement.is_select:
            _row_type(statement)


def _row_type(statement) -> tuple[type, tuple[int, ...]]:
    """The named tuple of the statement's rows, and which of its columns are datetimes."""
    key = id(statement)
    if key not in _row_types:
        columns = statement.selected_columns
        dates = tuple(i for i, c in enumerate(columns) if isinstance(c.type, DateTime))
        _row_types[key] = (namedtuple("Row", columns.keys()), dates)
    return _row_types[key]


def numbered(names: tuple[str, ...], size: int) -> list[dict[str, BindParameter]]:
    """Bind parameters `name_0`, `name_1`… for `size` rows of a multi-row VALUES."""
    return [{name: bindparam(f"{name}_{n}") for name in names} for n in range(size)]


def flatten(rows: list[dict]) -> dict:
    """The parameters of `numbered` rows as one dict."""
    return {f"{name}_{n}": value for n, row in enumerate(rows) for name, value in row.items()}


class Raw:
    """The DBAPI cursor of the session's transaction, and what differs between databases."""

    __slots__ = ("connection", "cursor", "dialect", "integrity_error")

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.dialect = self.connection.dialect.name
        self.cursor = self._cursor()
        self.integrity_error = self.connection.dialect.dbapi.IntegrityError

    def _cursor(self):
        driver = self.connection.connection.driver_connection
        return psycopg.RawCursor(driver) if self.dialect == "postgresql" else driver.cursor()

    def execute(self, statement: ClauseElement, params: dict) -> None:
        self._run(self.cursor, statement, params)

    def _run(self, cursor, statement: ClauseElement, params: dict) -> None:
        text, bound = _bound(statement, self.dialect, params)
        if self.dialect == "postgresql":  # prepared at once, not after psycopg's 5 uses
            cursor.execute(text, bound, prepare=True)
        else:
            cursor.execute(text, bound)

    def one(self, statement, params: dict):
        """The first row as a named tuple (datetimes as datetime), or None."""
        self.execute(statement, params)
        row = self.cursor.fetchone()
        return None if row is None else self._row(statement, row)

    def all(self, statement, params: dict) -> list:
        self.execute(statement, params)
        return [self._row(statement, row) for row in self.cursor.fetchall()]

    @property
    def commits_in_pipeline(self) -> bool:
        """Whether pipeline(…, commit=True) may end the transaction: on PostgreSQL, unless
        the session's transaction is a savepoint inside another (as in tests)."""
        return self.dialect == "postgresql" and not self.connection.in_nested_transaction()

    def pipeline(
        self, calls: Sequence[tuple[ClauseElement, dict]], commit: bool = False
    ) -> list[list]:
        """Run the statements in order and return each one's rows (a SELECT's as named
        tuples, a RETURNING's as tuples, otherwise none). PostgreSQL receives them all in one
        round trip (psycopg's pipeline mode), so only statements that do not need each
        other's results belong together. With `commit`, a COMMIT goes in the same round trip
        (see commits_in_pipeline); the session's own commit then has nothing left to do."""
        if commit and not self.commits_in_pipeline:
            raise ValueError("this transaction cannot be committed in a pipeline")
        if not calls and not commit:
            return []
        if self.dialect != "postgresql":
            results = []
            for statement, params in calls:
                self.execute(statement, params)
                results.append(self._fetched(statement, self.cursor))
            return results
        driver = self.connection.connection.driver_connection
        cursors = []
        with driver.pipeline() as pipeline:
            if not db.session.info.get(_PLANNED):
                self._cursor().execute(_PLANNING)
                db.session.info[_PLANNED] = True
            for statement, params in calls:
                cursors.append(self._cursor())
                self._run(cursors[-1], statement, params)
            if commit:
                self._cursor().execute("COMMIT")
            pipeline.sync()
        return [
            self._fetched(statement, cursor)
            for (statement, _params), cursor in zip(calls, cursors, strict=True)
        ]

    def _fetched(self, statement, cursor) -> list:
        # psycopg builds a whole description at each call: ask its result for columns instead
        if self.dialect == "postgresql":
            if cursor.pgresult is None or not cursor.pgresult.nfields:
                return []
        elif cursor.description is None:
            return []
        rows = cursor.fetchall()
        return [self._row(statement, row) for row in rows] if statement.is_select else rows

    def _row(self, statement, row: tuple):
        row_type, dates = _row_type(statement)
        if dates and self.dialect == "sqlite":
            row = list(row)
            for i in dates:
                row[i] = as_datetime(row[i])
        return row_type(*row)

    def built(self, key: str, size: int, build: Callable[[int, str], ClauseElement]):
        return built(key, size, self.dialect, build)

    def command(self, sql: str) -> None:
        self.cursor.execute(sql)

    def time(self, value: datetime) -> datetime | str:
        """A datetime as the database stores it (SQLite: SQLAlchemy's text format)."""
        if self.dialect == "sqlite":
            return value.isoformat(sep=" ", timespec="microseconds")
        return value

    def begin_write(self) -> None:
        """SQLite: queue for the single writer, then hold the write lock (see module doc)."""
        if self.dialect != "sqlite":
            return
        driver = self.connection.connection.driver_connection
        if driver.in_transaction:
            return
        path = self.connection.engine.url.database
        if path and path != ":memory:" and _WRITER_FD not in db.session.info:
            fd = os.open(f"{path}.writer", os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            db.session.info[_WRITER_FD] = fd
        self.cursor.execute("BEGIN IMMEDIATE")


def as_datetime(value: datetime | str | None) -> datetime | None:
    """A datetime column read through the DBAPI (SQLite returns text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PLANNED, None)
        fd = session.info.pop(_WRITER_FD, None)
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

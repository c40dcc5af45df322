"""Connections to the database: SQLite's settings, its writers queued in turn, and pooled
server connections tested before use only after they sat idle.

SQLAlchemy's pool_pre_ping tests every checkout, and on PostgreSQL through psycopg that is
three round trips (BEGIN, SELECT 1, ROLLBACK): a third of a scan's. A connection idle for
IDLE_BEFORE_PING seconds is still tested, so a database restarted overnight is noticed before
a request uses a dead connection; one that dies mid-burst fails its request once, and
SQLAlchemy then replaces every connection of the pool. This is SQLAlchemy's "pessimistic"
recipe: a checkout listener that raises DisconnectionError to get another connection.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from meetings.extensions import db

IDLE_BEFORE_PING = 10.0  # seconds
_RETURNED_AT = "returned_at"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")  # a file does not go away


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: WAL lets readers run beside the writer; the busy timeout waits for the lock."""
    if _is_sqlite(dbapi_connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Pool, "checkin")
def _returned(dbapi_connection, record) -> None:
    if record is not None:
        record.info[_RETURNED_AT] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    returned_at = record.info.get(_RETURNED_AT)
    if returned_at is None or time.monotonic() - returned_at < IDLE_BEFORE_PING:
        return  # just connected, or used a moment ago
    if _is_sqlite(dbapi_connection):
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # the SELECT began a transaction
    except Exception as error:
        raise exc.DisconnectionError("the connection went away while idle") from error


_THREADS = threading.Lock()


@contextmanager
def serialized_writes() -> Iterator[None]:
    """Run a write transaction after the writers before it, on SQLite.

    SQLite lets one writer at a time, and the others poll for the lock with sleeps of up to
    100 ms: at the door's rush, scans would wait far longer than the lock is held. Writers
    that queue here instead (a lock for this process's threads, an flock beside the
    database file for the other processes) start the moment the one before them ends.
    Nothing to do on PostgreSQL, whose writers queue on row locks.
    """
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    with _THREADS:
        fd = os.open(f"{url.database}.writers", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock


def _nfc(value):
    if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
        return unicodedata.normalize("NFC", value)
    return value


_NFC = partial(unicodedata.is_normalized, "NFC")


def _is_nfc(values) -> bool:
    """All text among `values` is NFC already (the usual case: checked in C, no copy)."""
    return all(map(_NFC, [v for v in values if isinstance(v, str)]))


def _nfc_row(row):
    """The row with its text in NFC; the row itself (no copy) when it already is."""
    if isinstance(row, dict):
        return row if _is_nfc(row.values()) else {key: _nfc(v) for key, v in row.items()}
    if isinstance(row, (list, tuple)):
        return row if _is_nfc(row) else type(row)(_nfc(v) for v in row)
    return row


@event.listens_for(Engine, "before_cursor_execute", retval=True)
def _nfc_parameters(conn, cursor, statement, parameters, context, executemany):
    """Every text the app writes or looks up is NFC, whatever the path: forms and the importer
    normalise already, and this catches the rest (bulk inserts, scripts, the CLI). A check
    per value; copies only rows that need it."""
    # executemany is also true for one batch of "insertmanyvalues", whose parameters are one
    # flat row: go by the shape, not by the flag.
    many_rows = isinstance(parameters, (list, tuple)) and parameters
    if executemany and many_rows and isinstance(parameters[0], (dict, list, tuple)):
        rows = [_nfc_row(row) for row in parameters]
        if all(new is old for new, old in zip(rows, parameters, strict=True)):
            return statement, parameters
        return statement, rows
    return statement, _nfc_row(parameters)

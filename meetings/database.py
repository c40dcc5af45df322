"""Connections to the database: SQLite's settings, and its writers queued in turn."""

from __future__ import annotations

import fcntl
import os
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from meetings.extensions import db


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: WAL lets readers run beside the writer; the busy timeout waits for the lock."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


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


def _nfc_row(row):
    """The row with its text in NFC; the row itself (no copy) when it already is."""
    if isinstance(row, dict):
        if all(_nfc(v) is v for v in row.values()):
            return row
        return {key: _nfc(v) for key, v in row.items()}
    if isinstance(row, (list, tuple)):
        if all(_nfc(v) is v for v in row):
            return row
        return type(row)(_nfc(v) for v in row)
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

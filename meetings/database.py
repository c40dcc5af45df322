"""Connections to the database: SQLite's settings, and a pooled connection tested before
use only after it sat idle.

SQLAlchemy's pool_pre_ping tests every checkout with a round trip. The check-in hot path
checks a connection out for every batch, so a door in full swing paid one round trip in four
for nothing. A connection idle for IDLE_BEFORE_PING seconds is still tested, so a database
restarted overnight is noticed before a request uses a dead connection; a connection found
dead mid-burst fails its request once, and SQLAlchemy then replaces every connection of the
pool (check-in batches retry their scans alone, on a fresh one). This is SQLAlchemy's own
"pessimistic" recipe: a checkout listener that raises DisconnectionError to get another.
"""

from __future__ import annotations

import time
import unicodedata

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

IDLE_BEFORE_PING = 10.0  # seconds
# psycopg keeps 100 prepared statements per connection and evicts the oldest. The check-in
# hot path prepares one statement per kind and batch size (checkin.sql): up to 32 sizes of
# about ten kinds in the scan writer, which at 100 kept evicting and preparing them again.
PREPARED_MAX = 512
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


@event.listens_for(Engine, "connect")
def _psycopg_settings(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("psycopg"):
        dbapi_connection.prepared_max = PREPARED_MAX


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
    per value; copies only rows that need it. The check-in hot path's raw DBAPI statements
    bypass SQLAlchemy and carry only tokens and nonces."""
    # executemany is also true for one batch of "insertmanyvalues", whose parameters are one
    # flat row: go by the shape, not by the flag.
    many_rows = isinstance(parameters, (list, tuple)) and parameters
    if executemany and many_rows and isinstance(parameters[0], (dict, list, tuple)):
        rows = [_nfc_row(row) for row in parameters]
        if all(new is old for new, old in zip(rows, parameters, strict=True)):
            return statement, parameters
        return statement, rows
    return statement, _nfc_row(parameters)

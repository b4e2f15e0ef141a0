"""SQLite-only connection setup; everything else in the store is portable Core.

* Python's sqlite3 module (before 3.12's ``autocommit``) does not emit BEGIN before SELECT or DDL, so a
  "transaction" is not one; we switch its own handling off and emit BEGIN ourselves (the recipe of the
  SQLAlchemy SQLite dialect docs).  Writers get ``BEGIN IMMEDIATE``: the write lock is taken up front, so a
  writer that read first can never fail on lock upgrade, and waiting for it honours ``busy_timeout``.
* WAL journal: readers (the API, ``eventwire list``) never block the writer (``ingest``) nor vice versa,
  and a process killed mid-transaction leaves only an uncommitted WAL tail, which is ignored on reopen.
* ``foreign_keys=ON``: SQLite ignores FOREIGN KEY clauses otherwise.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL

from ..errors import StoreError

__all__ = ["BUSY_TIMEOUT_MS", "WRITE_OPTION", "check_sqlite_path", "configure_sqlite", "sqlite_path",
           "switch_to_wal"]

# How long a connection waits for another process's write lock before "database is locked".  One put
# holds the lock for a few milliseconds (one article, ~100s of rows); 30 s also covers a slow disk, a
# concurrent schema creation or migration, and an `eventwire list` run during a big ingest.
BUSY_TIMEOUT_MS = 30_000

# First and longest pause between tries of the WAL switch (below): a new database is created in ~5-20 ms, so
# 5 ms doubling to 250 ms retries quickly at first without spinning for the whole 30 s.
_RETRY_FIRST_S = 0.005
_RETRY_MAX_S = 0.25

# Execution option that makes the next transaction a writer (BEGIN IMMEDIATE).
WRITE_OPTION = "eventwire_write"


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for an in-memory (or URI-style) database."""
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def check_sqlite_path(url: URL, shown: str) -> None:
    """Fail early, with a fix, where sqlite3 would only say "unable to open database file"."""
    path = sqlite_path(url)
    if path is None:
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise StoreError(f"cannot open {shown}: directory {parent} does not exist — create it or pass --db")
    if path.is_dir():
        raise StoreError(f"cannot open {shown}: {path} is a directory — pass --db with a file path, "
                         f"e.g. sqlite:///{path / 'eventwire.db'}")


def switch_to_wal(cursor: Any, *, timeout_s: float | None = None) -> None:
    """``PRAGMA journal_mode = WAL``, retried while another connection holds a lock, up to ``timeout_s``
    (default: busy_timeout).

    busy_timeout does not cover this pragma: it needs an exclusive lock, and when another connection holds
    one (it is creating the same new database, or switching it to WAL too) SQLite answers "database is
    locked" at once rather than wait, to avoid a deadlock.  With 8 processes opening one fresh database, 3
    of 320 opens failed so after ~0.03 s (issue 9); so we retry with backoff until the same 30 s.
    """
    deadline = time.monotonic() + (BUSY_TIMEOUT_MS / 1000 if timeout_s is None else timeout_s)
    pause = _RETRY_FIRST_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            reason = str(e).lower()
            if ("locked" not in reason and "busy" not in reason) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, _RETRY_MAX_S)


def configure_sqlite(engine: Engine) -> None:
    """Install the per-connection pragmas and our own BEGIN on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first: switching to WAL may itself wait for another process's lock.
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            switch_to_wal(cursor)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

"""Engine and session handling. One engine per app, made in ``create_app``, never at import."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine as Engine  # re-exported: routes name it without importing sqlalchemy
from sqlmodel import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(url: str, *, sqlite_synchronous: str = "FULL") -> Engine:
    """An engine for ``url``; for SQLite, WAL, foreign keys and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=20, max_overflow=20
        )

        @sa_event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={sqlite_synchronous}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        _serialise_sqlite_writers(engine)
        return engine
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


# Statements that may take SQLite's write lock (a CTE may end in an INSERT; DDL writes the schema).
_WRITES = ("insert", "update", "delete", "replace", "with", "create", "drop", "alter")


def _serialise_sqlite_writers(engine: Engine, timeout_s: float = 30.0) -> None:
    """Writers of this process take turns on a lock of ours before SQLite's own write lock.

    SQLite lets one transaction write at a time, and a writer that finds the lock taken sleeps in
    its busy handler (1, 2, 5 ... 100 ms) before looking again: under a burst of marks the lock
    was mostly free while everyone slept, and marks crawled at ~20/s with POSTs queueing for
    seconds. A ``threading.Lock`` wakes the next writer the moment the last one commits. Taken at
    the first INSERT/UPDATE/DELETE of a transaction (where the driver issues its BEGIN), given
    back after the COMMIT or ROLLBACK. Reads never take it (WAL readers do not block). Other
    processes on the same file still meet SQLite's busy timeout, as before. (On PostgreSQL,
    writers take turns only on an event's board sequence: ``app/domain/changelog.py``.)
    """
    lock = threading.Lock()
    owner: list[int | None] = [None]  # id() of the DBAPI connection holding the lock

    @sa_event.listens_for(engine, "before_cursor_execute")
    def _take(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip()[:7].lower().startswith(_WRITES):
            return
        dbapi_connection = id(conn.connection.dbapi_connection)
        if owner[0] == dbapi_connection:
            return
        if not lock.acquire(timeout=timeout_s):
            raise sqlite3.OperationalError("database is locked (waited for another writer of this process)")
        owner[0] = dbapi_connection

    dialect = engine.dialect
    do_commit, do_rollback = dialect.do_commit, dialect.do_rollback

    def _give_back(connection: Any) -> None:
        # The dialect is handed the pool's proxy for a connection, pool events the raw one.
        if owner[0] == id(getattr(connection, "dbapi_connection", connection)):
            owner[0] = None
            lock.release()

    def commit(dbapi_connection: Any) -> None:
        try:
            do_commit(dbapi_connection)
        finally:
            _give_back(dbapi_connection)

    def rollback(dbapi_connection: Any) -> None:
        try:
            do_rollback(dbapi_connection)
        finally:
            _give_back(dbapi_connection)

    # The lock goes back after the driver's COMMIT or ROLLBACK: SQLAlchemy's commit and rollback events
    # fire before them, so the dialect's own methods are wrapped (on this engine's dialect only).
    dialect.do_commit = commit  # type: ignore[method-assign]  # a wrapper, on purpose (above)
    dialect.do_rollback = rollback  # type: ignore[method-assign]  # a wrapper, on purpose (above)

    @sa_event.listens_for(engine, "close")
    @sa_event.listens_for(engine, "invalidate")
    def _closed(dbapi_connection: Any, *_args: Any) -> None:  # a connection dropped mid-transaction
        _give_back(dbapi_connection)


def alembic_config(url: str) -> AlembicConfig:
    """Alembic's configuration for ``url``, pointing at the project's migrations."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(engine: Engine) -> None:
    """Bring the database to the newest migration, on the engine's own connection."""
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

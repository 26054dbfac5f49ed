"""SQLite on the event loop's thread: a connection of its own for the statements of every
update that are too small for a hand-off.

Through aiosqlite every statement is several hand-offs to its thread (cursor, execute, fetch,
close, commit, the pool's rollback), each far dearer than the few tens of microseconds SQLite
takes to read a row by its key or insert one. A few statements run on every update: the
intake's row (`bot.intake.InlineInbox`) and the read of the user's memory
(`bot.db.repositories.MemoryRepository.load`). They run synchronously here instead, on a
plain pysqlite connection in the same file, with the same durability as every other
connection (WAL, synchronous FULL: a commit is on disk when it returns).

It never checkpoints (`wal_autocheckpoint=0`: the other connections do, in their own thread)
and never waits for a lock: its busy timeout is zero, so when the database is busy the
statement fails at once (`OperationalError`, nothing done) and the caller takes the ordinary
asynchronous path. Readers do not wait for writers in WAL mode, so reads practically never
fail. A database in memory, or named by a URI, is left to the ordinary path (an in-memory one
is private to its connection); PostgreSQL always takes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine


class InlineSqlite:
    """A synchronous connection to the same SQLite file as an async engine."""

    def __init__(self, url: URL) -> None:
        self.engine: Engine = create_engine(
            url.set(drivername="sqlite"), connect_args={"timeout": 0}, hide_parameters=True
        )
        event.listen(self.engine, "connect", _inline_pragmas)
        self._conn: Connection | None = None

    @staticmethod
    def usable(engine: AsyncEngine) -> bool:
        """A SQLite database in a plain file (an in-memory one is private to its connection)."""
        url = engine.url
        return (
            url.get_backend_name() == "sqlite"
            and url.database not in (None, "", ":memory:")
            and not str(url.database).startswith("file:")
            and "uri" not in url.query
        )

    def connection(self) -> Connection:
        if self._conn is None or self._conn.invalidated or self._conn.closed:
            self._conn = self.engine.connect()
        return self._conn

    def first(self, statement: Any, params: dict[str, Any]) -> Any:
        """The first row of a read (None: no row). Raises OperationalError when the database
        cannot be read at once (the caller then reads the ordinary way)."""
        conn = self.connection()
        with conn.begin():  # pysqlite opens no transaction for a SELECT: nothing is held
            return conn.execute(statement, params).first()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.engine.dispose()


def _inline_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints: the other connections' job
    cursor.close()

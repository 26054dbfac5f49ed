"""Schema versions with Alembic: create fresh databases at the latest revision, refuse old ones.

A database made before Alembic was adopted (tables but no `alembic_version`) is recognised and
stamped as the first revision; `python -m bot db upgrade` then brings it up to date. Alembic is
imported only when there is something to do, so that a start on an up-to-date database stays
fast (the `ask` command's cold start).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
HEAD_REVISION = "0008"  # a test checks this is the head of migrations/versions


class DatabaseOutdated(RuntimeError):
    """The database is at an older revision than the code; the message says what to run."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def script_head() -> str | None:
    """The head revision as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _state(connection: Connection) -> tuple[bool, str | None]:
    """(whether the app's tables exist, the stamped revision or None)."""
    tables = set(inspect(connection).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return "centers" in tables, revision


def _prepare(connection: Connection) -> str:
    """Create a fresh schema at head, or stamp a pre-Alembic one; return the revision."""
    has_tables, revision = _state(connection)
    if revision is not None:
        return revision
    from alembic import command

    if not has_tables:
        Base.metadata.create_all(connection)
        command.stamp(alembic_config(connection), "head")
        return HEAD_REVISION
    command.stamp(alembic_config(connection), FIRST_REVISION)
    return FIRST_REVISION


async def prepare_schema(engine: AsyncEngine) -> None:
    """Make a fresh database at the latest revision; refuse to run on an older one."""
    async with engine.begin() as conn:
        revision = await conn.run_sync(_prepare)
    if revision != HEAD_REVISION:
        raise DatabaseOutdated(
            f"The database is at revision {revision}; this version of the bot needs "
            f"{HEAD_REVISION}. Upgrade it (keeping its data) with: python -m bot db upgrade"
        )


def _upgrade(connection: Connection) -> None:
    from alembic import command

    _prepare(connection)
    command.upgrade(alembic_config(connection), "head")


async def upgrade(engine: AsyncEngine) -> str:
    """Bring an existing database up to the latest revision, keeping its data."""
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the old one: with foreign keys on,
            # SQLite would cascade that drop to the rows that reference it.
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            await conn.run_sync(_upgrade)
            await conn.commit()
        finally:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    return HEAD_REVISION


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return (await conn.run_sync(_state))[1]

"""Create a fresh database and seed it from data/; re-seeding is idempotent."""

from __future__ import annotations

import asyncio
import csv
import fcntl
import hashlib
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.catalog import load_needs
from bot.config import DATA_DIR
from bot.db.io import read_centers
from bot.db.migrate import prepare_schema
from bot.db.models import ChangeRow
from bot.db.repositories import (
    AgencyRepository,
    CenterRepository,
    MetaRepository,
    ServiceRepository,
)
from bot.domain.models import Agency, Fact

log = logging.getLogger(__name__)

SEED_FILES = ("services.csv", "centers.csv", "agencies.csv", "center_facts.csv")
UNDATED = "undated"  # how the fact files write a source without a date (stored as "")
CONTACT_FIELDS = ("website", "phone", "email", "address", "city")
SEED_HASH_KEY = "seed_hash"
CENTERS_VERSION_KEY = "centers_version"


def data_hash(data_dir: Path) -> str:
    """A digest of the seed files, so a changed file is seeded again."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        path = data_dir / name
        digest.update(name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


async def seed(session: AsyncSession, data_dir: Path = DATA_DIR) -> int:
    """Upsert services, centers and agencies from data/; return the number of centers.

    A center that staff or coordinators have changed (it has history) keeps their values:
    the data files only fill in what nobody has touched. Centers are never deleted here
    (`centers import --close-missing` closes them, on purpose).
    """
    needs = load_needs(data_dir / "services.csv")
    await ServiceRepository(session).upsert_all(needs)
    await session.flush()
    facts = read_center_facts(data_dir / "center_facts.csv")
    centers = [
        replace(c, facts=facts.get(c.id, ())) for c in read_centers(data_dir / "centers.csv")
    ]
    touched = select(ChangeRow.center_id).where(ChangeRow.field != "staff").distinct()
    edited = set((await session.scalars(touched)).all())
    repo = CenterRepository(session)
    for position, center in enumerate(centers):
        if center.id not in edited:
            await repo.upsert(center, position)
        else:  # staff's values stay; what the sources say of the data files' values is kept
            await repo.set_facts(center.id, center.facts)
    await AgencyRepository(session).replace_all(read_agencies(data_dir / "agencies.csv"))
    await MetaRepository(session).set(CENTERS_VERSION_KEY, uuid.uuid4().hex)
    return len(centers)


def _fact(record: dict[str, str]) -> Fact:
    date = record.get("source_date", "").strip()
    return Fact(
        field=record["field"].strip(),
        value=record.get("value", "").strip(),
        label=record.get("label", "").strip(),
        source_url=record.get("source_url", "").strip(),
        source_date="" if date == UNDATED else date,
        confidence=record.get("confidence", "").strip(),
    )


def read_center_facts(path: Path) -> dict[str, tuple[Fact, ...]]:
    """data/center_facts.csv: the facts of each center, by center id, in file order."""
    if not path.exists():
        return {}
    found: dict[str, list[Fact]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            found.setdefault(record["center_id"].strip(), []).append(_fact(record))
    return {center_id: tuple(facts) for center_id, facts in found.items()}


def read_agencies(path: Path) -> list[Agency]:
    """data/agencies.csv, one fact a row: each agency with its contact fields and their facts.

    The first "agency" fact of a country (the source naming it as the agency) gives the
    agency's main source; the first fact of each contact field gives the field's value.
    """
    if not path.exists():
        return []
    names: dict[str, str] = {}
    facts: dict[str, list[Fact]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            country = record["country"].strip()
            names.setdefault(country, record["name"].strip())
            facts.setdefault(country, []).append(_fact(record))
    agencies = []
    for country, name in names.items():
        own = facts[country]
        main = next((x for x in own if x.field == "agency"), Fact("agency"))
        values = {
            field: next((x.value for x in own if x.field == field), "") for field in CONTACT_FIELDS
        }
        agencies.append(
            Agency(
                country=country,
                name=name,
                source_url=main.source_url,
                source_date=main.source_date,
                confidence=main.confidence,
                facts=tuple(own),
                **values,
            )
        )
    return agencies


async def ensure_database(
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    data_dir: Path = DATA_DIR,
    *,
    force: bool = False,
) -> int | None:
    """Create a fresh schema (or refuse an outdated one) and seed when data/ changed (or when
    `force`d); return the number of centers seeded, None when nothing had to be done.

    Several workers may start at once on one PostgreSQL: an advisory lock lets one of them
    create and seed while the others wait, then find the work done.
    """
    async with _startup_lock(engine):
        await prepare_schema(engine)
        current = data_hash(data_dir)
        async with sessions() as session, session.begin():
            meta = MetaRepository(session)
            if not force and await meta.get(SEED_HASH_KEY) == current:
                return None
            count = await seed(session, data_dir)
            await meta.set(SEED_HASH_KEY, current)
    log.info("database seeded with %d centers", count)
    return count


STARTUP_LOCK = 7_270_707  # any constant shared by the workers of this bot


@asynccontextmanager
async def _file_lock(database: str | None) -> AsyncIterator[None]:
    """SQLite: a lock file beside the database, for processes (a bot and an `ask`) starting
    on a fresh file at the same time."""
    if not database or database == ":memory:":
        yield
        return
    handle = await asyncio.to_thread(open, f"{database}.lock", "a")
    try:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


@asynccontextmanager
async def _startup_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    if engine.dialect.name != "postgresql":
        async with _file_lock(engine.url.database):
            yield
        return
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
        await conn.commit()
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK})
            await conn.commit()

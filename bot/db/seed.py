"""Create a fresh database and seed it from data/; re-seeding is idempotent."""

from __future__ import annotations

import hashlib
import logging
import uuid
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.catalog import load_needs
from bot.config import DATA_DIR
from bot.db.io import read_agencies, read_centers
from bot.db.models import CenterRow
from bot.db.repositories import AgencyRepository, CenterRepository, MetaRepository, ServiceRepository
from bot.db.session import create_schema

log = logging.getLogger(__name__)

SEED_FILES = ("services.csv", "centers.csv", "agencies.csv")
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
    """Upsert services, centers and agencies from data/; return the number of centers."""
    needs = load_needs(data_dir / "services.csv")
    await ServiceRepository(session).upsert_all(needs)
    await session.flush()
    centers = read_centers(data_dir / "centers.csv")
    repo = CenterRepository(session)
    for position, center in enumerate(centers):
        await repo.upsert(center, position)
    await session.execute(delete(CenterRow).where(CenterRow.id.not_in([c.id for c in centers])))
    await AgencyRepository(session).replace_all(read_agencies(data_dir / "agencies.csv"))
    await MetaRepository(session).set(CENTERS_VERSION_KEY, uuid.uuid4().hex)
    return len(centers)


async def ensure_database(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], data_dir: Path = DATA_DIR
) -> None:
    """Create missing tables and seed when the data files differ from the last seed."""
    await create_schema(engine)
    current = data_hash(data_dir)
    async with sessions() as session, session.begin():
        meta = MetaRepository(session)
        if await meta.get(SEED_HASH_KEY) == current:
            return
        count = await seed(session, data_dir)
        await meta.set(SEED_HASH_KEY, current)
    log.info("database seeded with %d centers", count)

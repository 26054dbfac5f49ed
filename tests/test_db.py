"""The database layer: seeding, the centers as stored, and per-user memory (SQLite and PG)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.config import DATA_DIR
from bot.db.inline import InlineSqlite
from bot.db.io import read_centers
from bot.db.models import CenterRow, CenterServiceRow, ServiceRow
from bot.db.repositories import CenterRepository, MemoryRepository, UserContext
from bot.db.seed import ensure_database, seed
from bot.domain.models import Memory, Place
from bot.services import Services

DANLI = Place(1, "Danlí", "HN", "HN.07", "El Paraíso", 14.03, -86.58, 40000)


async def _counts(services: Services) -> tuple[int, int, int]:
    async with services.sessions() as session:
        centers = await session.scalar(select(func.count()).select_from(CenterRow))
        links = await session.scalar(select(func.count()).select_from(CenterServiceRow))
        slugs = await session.scalar(select(func.count()).select_from(ServiceRow))
    return int(centers or 0), int(links or 0), int(slugs or 0)


async def test_a_fresh_database_is_seeded_from_data(services: Services) -> None:
    centers, links, slugs = await _counts(services)
    assert centers == len(read_centers(DATA_DIR / "centers.csv"))
    assert slugs == 12
    assert links > centers


async def test_reseeding_is_idempotent(services: Services) -> None:
    before = await _counts(services)
    stored_before = await services.list_centers(include_unranked=True)
    async with services.sessions() as session, session.begin():
        await seed(session)
    async with services.sessions() as session, session.begin():
        await seed(session)
    await ensure_database(services.engine, services.sessions)
    assert await _counts(services) == before
    services._centers_version = None  # read again from the database
    assert await services.list_centers(include_unranked=True) == stored_before


async def test_stored_centers_equal_the_data_files(services: Services) -> None:
    expected = read_centers(DATA_DIR / "centers.csv")
    async with services.sessions() as session:
        stored = await CenterRepository(session).list()
    assert stored == expected


async def test_memory_round_trips_and_expires(services: Services) -> None:
    now = datetime.now(UTC)
    memory = Memory(place=DANLI, needs=("financiamiento", "finanzas"))
    async with services.sessions() as session, session.begin():
        await MemoryRepository(session).save(42, memory, now, now + timedelta(minutes=5))
    async with services.sessions() as session:
        repo = MemoryRepository(session)
        assert await repo.get(42, now) == memory
        assert await repo.get(42, now + timedelta(minutes=6)) == Memory()
        assert await repo.get(43, now) == Memory()


async def test_forget_deletes_only_that_user(services: Services) -> None:
    now = datetime.now(UTC)
    async with services.sessions() as session, session.begin():
        repo = MemoryRepository(session)
        await repo.save(1, Memory(place=DANLI), now, now + timedelta(hours=1))
        await repo.save(2, Memory(place=DANLI), now, now + timedelta(hours=1))
    assert await services.forget(1) is True
    assert await services.forget(1) is False
    assert (await services.remembered(1)) == Memory()
    assert (await services.remembered(2)).place == DANLI


async def test_conversation_memory_is_kept_in_the_database(services: Services) -> None:
    await services.on_text(7, "soy de Danlí")
    async with services.sessions() as session:
        memory = await MemoryRepository(session).get(7, datetime.now(UTC))
    assert memory.place is not None and memory.place.admin1 == "HN.07"


async def test_the_memory_read_on_the_loops_thread_is_the_ordinary_read(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite in a file: the user's context is read without aiosqlite's thread, and reads
    what the ordinary path reads (memory, a request being written, the data version); when
    the database is busy at that moment, the ordinary path answers instead."""
    from sqlalchemy.exc import OperationalError

    from bot.db.models import RequestDraftRow
    from bot.services import CENTERS_VERSION_KEY

    if services.inline is None:
        pytest.skip("PostgreSQL: every statement goes through the pool")
    await services.on_text(7, "soy de Danlí")
    now = datetime.now(UTC)
    async with services.sessions() as session, session.begin():
        session.add(RequestDraftRow(user_id=7, step="name", data_json="{}",
                                    expires_at=now + timedelta(minutes=30)))  # fmt: skip

    async def context(inline: InlineSqlite | None) -> UserContext:
        async with services.sessions() as session:
            return await MemoryRepository(session).load(7, now, CENTERS_VERSION_KEY, inline)

    fast, ordinary = await context(services.inline), await context(None)
    assert fast == ordinary
    assert fast.memory.place is not None and fast.memory.place.name == "Danlí"
    assert fast.drafting and fast.centers_version

    def busy(*_: object) -> None:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(services.inline, "first", busy)
    assert await context(services.inline) == ordinary

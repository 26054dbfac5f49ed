"""Schema migrations: fresh databases at head, old ones refused, upgrades that keep the data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import load_settings
from bot.db import migrate
from bot.db.models import Base
from bot.db.session import make_engine
from tests.conftest import _drop_everything


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await _drop_everything(database_url)
    eng = make_engine(load_settings({"DATABASE_URL": database_url}).database_url)
    async with eng.begin() as conn:  # whatever an earlier run left there
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    yield eng
    async with eng.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await eng.dispose()


def _to_first_revision(connection: Connection) -> None:
    command.upgrade(migrate.alembic_config(connection), migrate.FIRST_REVISION)


async def _at_first_revision_with_data(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_to_first_revision)
        now = datetime.now(UTC)
        await conn.execute(
            text(
                "INSERT INTO services (slug, position, label, description, keywords) "
                "VALUES ('financiamiento', 0, 'Acceso a financiamiento', '', '')"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO centers (id, position, country, network, name, operator, city, "
                "admin1, address, phone, email, website, hours, lat, lon, coord_precision, "
                "service_area_inferred, source_url, source_date, verified, ranked, notes) VALUES "
                "('hn-x', 0, 'HN', 'CDE MIPYME', 'CDE X', '', 'Danlí', 'HN.07', '', "
                "'2763-0000', '', '', '', 14.03, -86.58, 'city', false, 'https://x', '2020', "
                "false, true, '')"
            )
        )
        await conn.execute(text("INSERT INTO center_areas VALUES ('hn-x', 'HN.07')"))
        await conn.execute(
            text("INSERT INTO center_services VALUES ('hn-x', 'financiamiento', 0, true)")
        )
        await conn.execute(
            text("INSERT INTO user_states VALUES (9, '', 'financiamiento', '[]', :t, :t)"),
            {"t": now},
        )


async def _counts(engine: AsyncEngine) -> tuple[int, ...]:
    counts = []
    async with engine.connect() as conn:
        for table in ("centers", "center_areas", "center_services", "user_states"):
            counts.append(
                int((await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() or 0)
            )
    return tuple(counts)


def _diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def test_head_constant_matches_the_migration_scripts() -> None:
    assert migrate.script_head() == migrate.HEAD_REVISION


async def test_a_fresh_database_is_created_at_the_latest_revision(engine: AsyncEngine) -> None:
    await migrate.prepare_schema(engine)
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION


def _scripts_to_head(connection: Connection) -> None:
    command.upgrade(migrate.alembic_config(connection), "head")


async def test_the_migration_scripts_build_exactly_the_models(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:  # every script from 0001 on, not create_all
        await conn.run_sync(_scripts_to_head)
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION
    async with engine.connect() as conn:
        differences = await conn.run_sync(_diff)
    # SQLite spells an empty server default differently from the models; nothing else differs.
    assert [d for d in differences if "server_default" not in str(d)] == []


async def test_an_outdated_database_is_refused_with_what_to_run(engine: AsyncEngine) -> None:
    await _at_first_revision_with_data(engine)
    with pytest.raises(migrate.DatabaseOutdated, match="python -m bot db upgrade"):
        await migrate.prepare_schema(engine)


async def test_upgrade_from_the_previous_revision_keeps_the_data(engine: AsyncEngine) -> None:
    await _at_first_revision_with_data(engine)
    before = await _counts(engine)
    await migrate.upgrade(engine)
    assert await _counts(engine) == before == (1, 1, 1, 1)
    await migrate.prepare_schema(engine)  # no longer refused
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT phone, version, closed FROM centers"))).one()
    assert tuple(row) == ("2763-0000", 1, False)


async def test_a_database_made_before_alembic_is_recognised_and_upgraded(
    engine: AsyncEngine,
) -> None:
    await _at_first_revision_with_data(engine)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(migrate.DatabaseOutdated):
        await migrate.prepare_schema(engine)
    assert await migrate.current_revision(engine) == migrate.FIRST_REVISION
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION
    assert await _counts(engine) == (1, 1, 1, 1)


async def test_workers_starting_together_create_and_seed_once(engine: AsyncEngine) -> None:
    import asyncio

    from bot.db.seed import ensure_database
    from bot.db.session import make_sessionmaker

    others = [make_engine(engine.url.render_as_string(hide_password=False)) for _ in range(2)]
    try:
        await asyncio.gather(
            *(ensure_database(e, make_sessionmaker(e)) for e in [engine, *others])
        )
    finally:
        for other in others:
            await other.dispose()
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION
    async with engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM services"))).scalar()
    assert count == 12


def _to_revision_0004(connection: Connection) -> None:
    command.upgrade(migrate.alembic_config(connection), "0004")


async def test_revision_0005_adds_the_agencies_contacts_and_the_facts_keeping_the_data(
    engine: AsyncEngine,
) -> None:
    from bot.db.repositories import AgencyRepository, CenterRepository
    from bot.db.seed import seed
    from bot.db.session import make_sessionmaker

    async with engine.begin() as conn:
        await conn.run_sync(_to_revision_0004)
        await conn.execute(
            text(
                "INSERT INTO agencies (country, name, website, source_url) "
                "VALUES ('HN', 'SENPRENDE', 'https://senprende.hn', 'https://senprende.hn/x')"
            )
        )
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION
    async with engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT name, website, phone, email, city FROM agencies"))
        ).one()
        assert tuple(row) == ("SENPRENDE", "https://senprende.hn", "", "", "")
        for table in ("agency_facts", "center_facts"):
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 0
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await seed(session)
    async with sessions() as session:
        agencies = {a.country: a for a in await AgencyRepository(session).list()}
        centers = {c.id: c for c in await CenterRepository(session).list()}
    assert agencies["PA"].phone == "500-5500"
    phone = agencies["PA"].fact_for("phone")
    assert phone is not None and (phone.source_date, phone.confidence) == ("2011", "official")
    assert "MIFIC" in agencies["NI"].name and agencies["SICA"].website
    isa = centers["do-centro-mipymes-isa"]
    switchboard = isa.fact_for("phone")
    assert switchboard is not None and switchboard.label == "host_switchboard"
    assert isa.confidence == "third-party"


def _to_revision_0005(connection: Connection) -> None:
    command.upgrade(migrate.alembic_config(connection), "0005")


async def test_revision_0006_remembers_the_language_and_keeps_every_memory_in_spanish(
    engine: AsyncEngine,
) -> None:
    from bot.db.repositories import MemoryRepository
    from bot.db.session import make_sessionmaker
    from bot.domain.models import Memory

    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.run_sync(_to_revision_0005)
        await conn.execute(
            text("INSERT INTO user_states VALUES (9, '', 'financiamiento', '[]', :t, :t)"),
            {"t": now.replace(year=now.year + 1)},
        )
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        repo = MemoryRepository(session)
        kept = await repo.get(9, now)
        assert kept == Memory(needs=("financiamiento",), language="es")
        await repo.save(10, Memory(language="en"), now, now.replace(year=now.year + 1))
    async with sessions() as session:
        assert (await MemoryRepository(session).get(10, now)).language == "en"


def _to_revision_0006(connection: Connection) -> None:
    command.upgrade(migrate.alembic_config(connection), "0006")


async def test_revision_0007_keeps_every_memory_with_nothing_asked(engine: AsyncEngine) -> None:
    from bot.db.repositories import MemoryRepository
    from bot.db.session import make_sessionmaker
    from bot.domain.models import Asked, Memory

    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.run_sync(_to_revision_0006)
        await conn.execute(
            text("INSERT INTO user_states VALUES (9, '', 'financiamiento', '[]', :t, :t, 'en')"),
            {"t": now.replace(year=now.year + 1)},
        )
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.HEAD_REVISION
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        repo = MemoryRepository(session)
        assert await repo.get(9, now) == Memory(needs=("financiamiento",), language="en")
        await repo.save(10, Memory(asked=Asked.NEED), now, now.replace(year=now.year + 1))
    async with sessions() as session:
        assert (await MemoryRepository(session).get(10, now)).asked is Asked.NEED


def _to_revision_0007(connection: Connection) -> None:
    command.upgrade(migrate.alembic_config(connection), "0007")


async def test_revision_0008_adds_the_handoff_tables_keeping_the_data(engine: AsyncEngine) -> None:
    from bot.db.models import CoordinatorRow, EventRow, HandoffRequestRow, RequestHistoryRow
    from bot.db.session import make_sessionmaker

    now = datetime.now(UTC)
    await _at_first_revision_with_data(engine)
    async with engine.begin() as conn:
        await conn.run_sync(_to_revision_0007)
    before = await _counts(engine)
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == "0008" == migrate.HEAD_REVISION
    assert await _counts(engine) == before
    sessions = make_sessionmaker(engine)
    async with sessions() as session, session.begin():
        session.add(CoordinatorRow(user_id=5, country="HN", granted_at=now))
        request = HandoffRequestRow(
            reference="RM-4K7Q", user_id=9, chat_id=9, country="HN", status="open",
            created_at=now, center_id="hn-x",
        )  # fmt: skip
        session.add(request)
        await session.flush()
        session.add(RequestHistoryRow(request_id=request.id, at=now, action="opened"))
        session.add(EventRow(at=now, kind="request_opened", country="HN"))
    async with engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT language, admin1, need, name FROM handoff_requests"))
        ).one()
        assert tuple(row) == ("es", "", "", None)
        assert (await conn.execute(text("SELECT detail FROM request_history"))).scalar() == ""
        assert (await conn.execute(text("SELECT count(*) FROM events"))).scalar() == 1

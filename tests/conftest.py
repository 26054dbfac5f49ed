"""Fixtures: settings on a throwaway database, the services, and the real Application."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import BotApplication, build_application
from bot.config import Settings, load_settings
from bot.db.models import Base
from bot.services import Services
from tests.support.fake_telegram import FakeTelegram

TEST_TOKEN = "123456:TEST-token-never-sent"
ADMIN_ID = 7000
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _backends() -> list[str]:
    # .ci/run runs the suite twice: on SQLite, then with TEST_DATABASE_URL on PostgreSQL,
    # where every test that touches the database uses PostgreSQL.
    return ["postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database per test: an SQLite file, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    return PG_URL


async def _drop_everything(url: str) -> None:
    if not url.startswith("postgres"):
        return
    engine = create_async_engine(load_settings({"DATABASE_URL": url}).database_url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(
        {
            "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
            "ADMIN_USER_IDS": str(ADMIN_ID),
        }
    )


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    await _drop_everything(settings.database_url)
    svc = await Services.create(settings)
    yield svc
    await svc.close()
    await _drop_everything(settings.database_url)


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def app(
    settings: Settings, services: Services, telegram: FakeTelegram
) -> AsyncIterator[BotApplication]:
    application = build_application(settings, services, request=telegram, token=TEST_TOKEN)
    async with application:
        yield application

"""Two workers on one database: one user's updates alternate between them and nothing breaks."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.guard import acquire_lease
from bot.services import Services
from tests.conftest import ADMIN_ID, TEST_TOKEN
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

CENTER = "hn-cde-el-paraiso"
USER, STAFF = 301, 302


@pytest.fixture
async def workers(
    settings: Settings, services: Services
) -> AsyncIterator[tuple[BotApplication, BotApplication, FakeTelegram]]:
    """Two Applications, each with its own Services (engine, caches), like two processes."""
    other = await Services.create(settings)
    telegram = FakeTelegram()
    apps = [
        build_application(settings, svc, request=telegram, token=TEST_TOKEN)
        for svc in (services, other)
    ]
    async with apps[0], apps[1]:
        yield apps[0], apps[1], telegram
    await other.close()


async def test_one_users_conversation_alternates_between_workers(
    workers: tuple[BotApplication, BotApplication, FakeTelegram],
) -> None:
    a, b, telegram = workers
    await a.process_update(u.text(a.bot, "soy de Danlí", USER))
    await b.process_update(u.text(b.bot, "ocupo un préstamo", USER))
    assert "Región El Paraíso" in telegram.texts()[-1]
    await a.process_update(u.text(a.bot, "¿y para exportar?", USER))
    assert "Exportación" in telegram.texts()[-1] or "exportación" in telegram.texts()[-1].lower()


async def test_a_staff_edit_spread_over_two_workers_reaches_both(
    workers: tuple[BotApplication, BotApplication, FakeTelegram],
) -> None:
    a, b, telegram = workers
    await a.process_update(u.text(a.bot, f"/invitar {CENTER}", ADMIN_ID))
    code = re.search(r"/equipo ([A-Z0-9]+)", telegram.texts()[-1])
    assert code
    await b.process_update(u.text(b.bot, f"/equipo {code.group(1)}", STAFF))
    await a.process_update(
        u.text(a.bot, "soy de Danlí y ocupo un préstamo", USER)
    )  # warm A's cache
    await b.process_update(u.callback(b.bot, f"st:edit:{CENTER}:phone", STAFF))
    await a.process_update(u.text(a.bot, "2763-0000", STAFF))
    await b.process_update(u.callback(b.bot, "st:save:phone", STAFF))
    assert "Guardado" in telegram.texts()[-1]
    for app in (a, b):  # both workers' caches see the change at once
        telegram.clear()
        await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo", USER))
        assert "+504 2763-0000" in telegram.texts()[0]


async def test_a_job_lease_is_held_by_one_worker_at_a_time(services: Services) -> None:
    assert await acquire_lease(services.sessions, "reminders", timedelta(hours=1), holder="a")
    assert not await acquire_lease(services.sessions, "reminders", timedelta(hours=1), holder="b")
    assert await acquire_lease(services.sessions, "reminders", timedelta(hours=1), holder="a")
    assert await acquire_lease(services.sessions, "other", timedelta(hours=1), holder="b")
    assert await acquire_lease(services.sessions, "reminders", timedelta(seconds=-1), holder="a")
    assert await acquire_lease(services.sessions, "reminders", timedelta(hours=1), holder="b")


async def test_a_new_users_first_messages_on_two_workers_at_once(
    settings: Settings, services: Services
) -> None:
    import asyncio

    other = await Services.create(settings)
    try:
        for uid in range(900, 905):  # new users: no row yet on either worker
            first, second = await asyncio.gather(
                services.on_text(uid, "soy de Danlí"), other.on_text(uid, "ocupo un préstamo")
            )
            assert first is not None and second is not None
            memory = await services.remembered(uid)
            assert memory.place is not None or memory.needs  # one of them won, none failed
    finally:
        await other.close()

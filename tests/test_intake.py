"""The durable intake, in process: stored before acknowledged, once only, per-user order.

Each "worker" is what a webhook process runs — its own Services (engine, caches), an Inbox
holding leases under its own name, an Intake and the real Application with concurrent,
per-user ordered processing — on one shared database, answered by a local request layer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import texts
from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.db.models import ProcessedUpdateRow
from bot.guard import LocalGuard
from bot.intake import Inbox, Intake, Stored
from bot.services import Services
from tests.conftest import TEST_TOKEN
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

USER, OTHER = 401, 402


class GatedTelegram(FakeTelegram):
    """A Bot API whose sends to some chats wait until the test opens their gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gates: dict[int, asyncio.Event] = {}

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:  # fmt: skip
        if request_data is not None and url.endswith("/sendMessage"):
            gate = self.gates.get(int(request_data.parameters.get("chat_id", 0)))
            if gate is not None:
                await gate.wait()
        return await super().do_request(url, method, request_data, *args, **kwargs)

    async def answered(self, chat_id: int) -> None:
        """Wait (at most 10 s) until a message was sent to this chat."""
        async with asyncio.timeout(10):
            while not self.texts_to(chat_id):  # noqa: ASYNC110 - the request layer has no event
                await asyncio.sleep(0.01)

    def texts_to(self, chat_id: int) -> list[str]:
        return [
            str(c.params["text"])
            for c in self.sent()
            if c.method == "sendMessage" and c.params.get("chat_id") == chat_id
        ]


@dataclass
class Worker:
    app: BotApplication
    intake: Intake
    services: Services

    async def receive(self, *updates: Any) -> int:
        return await self.intake.receive(list(updates))

    async def settle(self) -> None:
        """Wait until everything queued is processed and recorded as done."""
        for _ in range(20):
            await self.app.update_queue.join()
            await self.intake.flush()
            if self.app.update_queue.empty():
                return


async def _worker(
    settings: Settings, services: Services, telegram: FakeTelegram, name: str,
    lease: timedelta = timedelta(seconds=30),
) -> Worker:  # fmt: skip
    intake = Intake(Inbox(services.sessions, shared=True, holder=name, lease=lease))
    app = build_application(settings, services, request=telegram, token=TEST_TOKEN, intake=intake)
    await app.initialize()
    await app.start()
    return Worker(app, intake, services)


async def _stop(worker: Worker) -> None:
    await worker.app.stop()
    await worker.intake.close()
    await worker.app.shutdown()


@pytest.fixture
def telegram() -> GatedTelegram:
    return GatedTelegram()


@pytest.fixture
async def workers(
    settings: Settings, services: Services, telegram: GatedTelegram
) -> AsyncIterator[tuple[Worker, Worker]]:
    other = await Services.create(settings)
    a = await _worker(settings, services, telegram, "worker-a")
    b = await _worker(settings, other, telegram, "worker-b")
    yield a, b
    for telegram_gate in telegram.gates.values():
        telegram_gate.set()
    await _stop(a)
    await _stop(b)
    await other.close()


async def _rows(services: Services) -> list[ProcessedUpdateRow]:
    async with services.sessions() as session:
        return list(await session.scalars(select(ProcessedUpdateRow)))


async def test_an_update_delivered_to_both_workers_is_answered_once(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, b = workers
    update = u.text(a.app.bot, "soy de Danlí y ocupo un préstamo", USER)
    assert await a.receive(update) == 1
    assert await b.receive(update) == 0  # Telegram's retry: already taken
    await a.settle()
    await b.settle()
    assert len([t for t in telegram.texts() if "El Paraíso" in t]) == 1


async def test_a_flood_is_answered_once_across_workers(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, b = workers
    for i in range(24):
        worker = (a, b)[i % 2]
        await worker.receive(u.text(worker.app.bot, "hola", USER))
        await worker.settle()
    texts = telegram.texts()
    assert sum("muchos mensajes" in t for t in texts) == 1
    assert len(texts) == 21  # 20 answers, one polite warning, the rest dropped


async def test_one_users_conversation_alternates_between_workers(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, b = workers
    await a.receive(u.text(a.app.bot, "soy de Danlí", USER))
    await a.settle()
    await b.receive(u.text(b.app.bot, "ocupo un préstamo", USER))
    await b.settle()
    assert "Región El Paraíso" in telegram.texts()[-1]


async def test_the_payload_is_cleared_once_processed(
    workers: tuple[Worker, Worker], services: Services
) -> None:
    a, _ = workers
    await a.receive(u.text(a.app.bot, "soy de Danlí y ocupo un préstamo", USER))
    await a.settle()
    (row,) = await _rows(services)
    assert row.done_at is not None
    assert row.payload is None and row.holder is None


async def test_a_slow_send_to_one_user_does_not_delay_another(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, _ = workers
    telegram.gates[USER] = asyncio.Event()  # Telegram hangs on this user's chat
    await a.receive(u.text(a.app.bot, "soy de Danlí y ocupo un préstamo", USER))
    await a.receive(u.text(a.app.bot, "soy de Choluteca y ocupo un préstamo", OTHER))
    await telegram.answered(OTHER)
    assert telegram.texts_to(USER) == []  # still hanging, and the other user was answered
    telegram.gates[USER].set()
    await a.settle()
    assert any("El Paraíso" in t for t in telegram.texts_to(USER))


async def test_one_users_updates_stay_in_order_while_processed_concurrently(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, _ = workers
    telegram.gates[USER] = asyncio.Event()
    await a.receive(u.text(a.app.bot, "soy de Danlí", USER))
    await a.receive(u.text(a.app.bot, "ocupo un préstamo", USER))
    await a.receive(u.text(a.app.bot, "mejor soy de Choluteca", USER))
    await asyncio.sleep(0.05)
    telegram.gates[USER].set()
    await a.settle()
    texts = telegram.texts_to(USER)
    assert len(texts) == 3
    assert "Qué necesita" in texts[0]  # the place first, then the need, then a new place
    assert "El Paraíso" in texts[1]
    assert "Choluteca" in texts[2]


async def test_a_users_next_update_on_another_worker_waits_for_the_first(
    workers: tuple[Worker, Worker], telegram: GatedTelegram, services: Services
) -> None:
    a, b = workers
    telegram.gates[USER] = asyncio.Event()
    await a.receive(u.text(a.app.bot, "soy de Danlí", USER))  # A is stuck sending its answer
    await asyncio.sleep(0.05)
    await b.receive(u.text(b.app.bot, "ocupo un préstamo", USER))
    await b.settle()
    assert telegram.texts_to(USER) == []  # B did not answer the second message first
    telegram.gates[USER].set()
    await a.settle()  # A finishes the first, then takes the second, which B deferred
    await b.settle()
    texts = telegram.texts_to(USER)
    assert len(texts) == 2
    assert "Danlí" in texts[0] and "El Paraíso" in texts[1]
    assert all(row.done_at is not None for row in await _rows(services))


async def test_a_dead_workers_updates_are_taken_over_after_its_lease(
    settings: Settings, services: Services, telegram: GatedTelegram
) -> None:
    # The dead worker stored two updates (and acknowledged them), then died before processing.
    dead = Inbox(services.sessions, shared=True, holder="dead", lease=timedelta(seconds=-1))
    bot = build_application(settings, services, request=telegram, token=TEST_TOKEN).bot
    first = u.text(bot, "soy de Danlí", USER)
    second = u.text(bot, "ocupo un préstamo", USER)
    await dead.take([(x.update_id, USER, json.dumps(x.to_dict())) for x in (first, second)])
    live = await _worker(settings, services, telegram, "live")
    try:
        assert await live.intake.recover() == 2
        await live.settle()
    finally:
        await _stop(live)
    texts = telegram.texts_to(USER)
    assert len(texts) == 2 and "El Paraíso" in texts[1]
    assert all(r.done_at is not None and r.payload is None for r in await _rows(services))


async def test_a_live_workers_updates_are_not_taken_over(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, b = workers
    telegram.gates[USER] = asyncio.Event()
    await a.receive(u.text(a.app.bot, "soy de Danlí", USER))
    await asyncio.sleep(0.05)
    assert await b.intake.recover() == 0
    telegram.gates[USER].set()
    await a.settle()
    assert len(telegram.texts_to(USER)) == 1


async def test_forgetting_drops_what_was_left_unanswered_before_it_but_not_after(
    settings: Settings, services: Services, telegram: GatedTelegram
) -> None:
    stalled = Inbox(services.sessions, shared=True, holder="stalled")
    bot = build_application(settings, services, request=telegram, token=TEST_TOKEN).bot
    before = u.text(bot, "soy de Danlí, me llamo Ana, mi número es 9999-0000", USER)
    forget = u.command(bot, "olvidar", USER)
    after = u.text(bot, "ocupo un préstamo", USER)
    await stalled.take([(x.update_id, USER, json.dumps(x.to_dict())) for x in (before, after)])
    await services.forget(USER, before_update=forget.update_id)
    rows = {row.update_id: row for row in await _rows(services)}
    assert rows[before.update_id].payload is None  # reached: its text is gone
    assert rows[after.update_id].payload is not None  # the next question is still answered


async def test_two_workers_recovering_at_once_never_take_the_same_update(
    settings: Settings, services: Services, telegram: GatedTelegram
) -> None:
    dead = Inbox(services.sessions, shared=True, holder="dead", lease=timedelta(seconds=-1))
    bot = build_application(settings, services, request=telegram, token=TEST_TOKEN).bot
    batch = [u.text(bot, "hola", 500 + i) for i in range(20)]
    await dead.take([(x.update_id, 500 + i, json.dumps(x.to_dict())) for i, x in enumerate(batch)])
    other = await Services.create(settings)
    try:
        a = Inbox(services.sessions, shared=True, holder="a")
        b = Inbox(other.sessions, shared=True, holder="b")
        got_a, got_b = await asyncio.gather(a.recover(), b.recover())
    finally:
        await other.close()
    ids_a, ids_b = {s.update_id for s in got_a}, {s.update_id for s in got_b}
    assert not ids_a & ids_b
    assert len(ids_a | ids_b) == 20


async def test_a_deferred_update_keeps_its_flood_verdict(
    workers: tuple[Worker, Worker], telegram: GatedTelegram
) -> None:
    a, b = workers
    a.intake.inbox.flood_limit = b.intake.inbox.flood_limit = 2
    telegram.gates[USER] = asyncio.Event()
    await a.receive(u.text(a.app.bot, "hola", USER))  # A is stuck answering it
    await asyncio.sleep(0.05)
    for _ in range(4):  # deferred behind it on B: the 3rd is warned about, the 4th dropped
        await b.receive(u.text(b.app.bot, "hola", USER))
    telegram.gates[USER].set()
    for _ in range(6):
        await a.settle()
        await b.settle()
    texts = telegram.texts_to(USER)
    assert sum("muchos mensajes" in t for t in texts) == 1
    assert len(texts) == 3  # two answers and one warning


async def test_updates_handed_on_while_stopping_are_left_to_the_others(
    workers: tuple[Worker, Worker], telegram: GatedTelegram, services: Services
) -> None:
    a, b = workers
    await b.intake.begin_close()
    bot = a.app.bot
    late = u.text(bot, "ocupo un préstamo", USER)
    await b.intake._enqueue_stored([Stored(late.update_id, json.dumps(late.to_dict()))])
    assert b.app.update_queue.empty()  # not queued on a stopping worker


# --- one worker polling: the intake's own SQLite connection, rows folded into processing ---


@pytest.fixture
async def poller(
    settings: Settings, services: Services, telegram: GatedTelegram
) -> AsyncIterator[Worker]:
    """What `python -m bot run` (long polling) runs: one consumer, flood limit in memory."""
    intake = Intake(Inbox(services.sessions, shared=False), flood=LocalGuard())
    app = build_application(settings, services, request=telegram, token=TEST_TOKEN, intake=intake)
    await app.initialize()
    await app.start()
    worker = Worker(app, intake, services)
    yield worker
    for gate in telegram.gates.values():
        gate.set()
    await _stop(worker)


def _sqlite_only(services: Services) -> None:
    if services.engine.dialect.name != "sqlite":
        pytest.skip("the intake's own connection and the folded rows are SQLite's")


async def _row(services: Services, update_id: int) -> ProcessedUpdateRow | None:
    async with services.sessions() as session:
        return await session.get(ProcessedUpdateRow, update_id)


async def test_polling_an_update_is_on_disk_when_receive_returns_and_answered_once(
    poller: Worker, telegram: GatedTelegram, services: Services
) -> None:
    update = u.text(poller.app.bot, "soy de Danlí y ocupo un préstamo", USER)
    telegram.gates[USER] = asyncio.Event()  # its answer hangs: stored all the same
    assert await poller.receive(update) == 1
    row = await _row(services, update.update_id)
    assert row is not None and row.done_at is None
    assert row.payload is not None and json.loads(row.payload)["update_id"] == update.update_id
    assert await poller.receive(update) == 0  # asked again after a restart: a duplicate
    telegram.gates[USER].set()
    await poller.settle()
    assert len([t for t in telegram.texts_to(USER) if "El Paraíso" in t]) == 1
    row = await _row(services, update.update_id)
    assert row is not None and row.done_at is not None
    assert row.payload is None and row.holder is None


async def test_polling_stores_an_update_in_the_commit_of_its_own_processing(
    poller: Worker, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sqlite_only(services)
    stored_apart: list[int] = []
    store = Inbox.store

    async def spy(self: Inbox, fold: Any) -> None:
        stored_apart.append(fold.row["update_id"])
        await store(self, fold)

    monkeypatch.setattr(Inbox, "store", spy)
    bot = poller.app.bot
    searched = u.text(bot, "soy de Danlí y ocupo un préstamo", USER)  # writes the memory
    helped = u.command(bot, "ayuda", OTHER)  # writes nothing: the intake stores it
    for update in (searched, helped):
        assert await poller.receive(update) == 1
        assert await _row(services, update.update_id) is not None
    await poller.settle()
    assert stored_apart == [helped.update_id]
    async with services.engine.connect() as conn:  # the folded row is written as any other
        stored = (
            await conn.exec_driver_sql(
                "SELECT update_id, typeof(at), at, typeof(waiter) FROM processed_updates"
            )
        ).all()
    (_, kind, at, waiter), (_, kind2, at2, waiter2) = sorted(stored)
    assert (kind, len(at), waiter) == (kind2, len(at2), waiter2)
    for update in (searched, helped):
        row = await _row(services, update.update_id)
        assert row is not None and row.done_at is not None and row.payload is None


async def test_polling_waits_for_a_busy_database_instead_of_failing(
    poller: Worker, services: Services, telegram: GatedTelegram
) -> None:
    _sqlite_only(services)
    bot = poller.app.bot
    batch = [u.text(bot, "hola", USER), u.text(bot, "hola", OTHER)]
    async with services.engine.connect() as other:  # another connection holds the write lock
        await other.exec_driver_sql("BEGIN IMMEDIATE")
        taking = asyncio.create_task(poller.intake.receive(batch))
        await asyncio.sleep(0.2)
        assert not taking.done()  # not acknowledged: the rows are not stored yet
        await other.exec_driver_sql("ROLLBACK")
    assert await asyncio.wait_for(taking, 10) == 2
    await poller.settle()
    assert telegram.texts_to(USER) and telegram.texts_to(OTHER)


async def test_polling_keeps_each_users_order_while_folding(
    poller: Worker, telegram: GatedTelegram
) -> None:
    bot = poller.app.bot
    telegram.gates[USER] = asyncio.Event()
    for body in ("soy de Danlí", "ocupo un préstamo", "mejor soy de Choluteca"):
        assert await poller.receive(u.text(bot, body, USER)) == 1  # stored, answer pending
    telegram.gates[USER].set()
    await poller.settle()
    texts = telegram.texts_to(USER)
    assert len(texts) == 3
    assert "Qué necesita" in texts[0]
    assert "El Paraíso" in texts[1]
    assert "Choluteca" in texts[2]


async def test_polling_forgetting_clears_what_waits_behind_it(
    poller: Worker, services: Services, telegram: GatedTelegram
) -> None:
    bot = poller.app.bot
    await poller.receive(u.text(bot, "soy de Danlí y ocupo un préstamo", USER))
    await poller.settle()
    forget = u.command(bot, "olvidar", USER)
    await poller.receive(forget)
    await poller.settle()
    assert telegram.texts_to(USER)[-1] == texts.FORGOTTEN
    rows = [r for r in await _rows(services) if r.user_id == USER]
    assert all(r.payload is None for r in rows)
    assert [r.update_id for r in rows] == [forget.update_id]  # the earlier one is forgotten


async def test_raw_updates_keep_the_json_telegram_sent() -> None:
    from telegram import Update

    from bot.localapi import ApiCall, LocalBotApi
    from bot.polling import RawUpdates

    chat = {"id": 5, "type": "private"}
    sent = [
        {"update_id": 7, "message": {"message_id": 1, "date": 0, "text": "¿hola?", "chat": chat}}
    ]

    class Api(LocalBotApi):
        def result_for(self, call: ApiCall) -> Any:
            return sent if call.method == "getUpdates" else super().result_for(call)

    raw = RawUpdates(Api())
    result = await raw.post("https://api.telegram.org/botX/getUpdates")
    updates = Update.de_list(result, None)  # type: ignore[arg-type]
    (payload,) = raw.payloads(updates)
    assert json.loads(payload) == sent[0]
    assert "¿hola?" in payload  # as sent, not escaped again
    assert raw.payloads(updates) == [json.dumps(updates[0].to_dict())]  # taken once

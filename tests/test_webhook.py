"""Webhook mode in-process: the secret header, duplicates, health, and a clean stop."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot import webhook
from bot.config import Settings, load_settings
from bot.webhook import SECRET_HEADER, run_webhook
from tests.conftest import TEST_TOKEN, _drop_everything
from tests.support.fake_telegram import FakeTelegram

SECRET = "s3cr3t-hook_value"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def message(update_id: int, text: str, user_id: int = 4242) -> dict[str, object]:
    chat = {"id": user_id, "type": "private", "first_name": "Ana"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana"},
            "text": text,
        },
    }


@pytest.fixture
async def server(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[str, FakeTelegram]]:
    # The production limits, with deadlines short enough for a test.
    monkeypatch.setattr(
        webhook,
        "LIMITS",
        dataclasses.replace(webhook.LIMITS, header_timeout=0.5, body_timeout=0.5),
    )
    await _drop_everything(database_url)
    port = free_port()
    settings: Settings = load_settings(
        {
            "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
            "WEBHOOK_URL": "https://bot.example.org/telegram/hook",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_PORT": str(port),
        }
    )
    telegram = FakeTelegram()
    stop, started = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(run_webhook(settings, stop, telegram, started))
    await asyncio.wait_for(started.wait(), 30)
    yield f"http://127.0.0.1:{port}", telegram
    stop.set()
    assert await asyncio.wait_for(task, 30) == 0
    await _drop_everything(database_url)


async def wait_for_messages(telegram: FakeTelegram, count: int) -> None:
    for _ in range(200):
        if len([c for c in telegram.calls if c.method == "sendMessage"]) >= count:
            return
        await asyncio.sleep(0.05)


async def test_the_webhook_is_registered_with_its_secret(server: tuple[str, FakeTelegram]) -> None:
    _, telegram = server
    (call,) = [c for c in telegram.calls if c.method == "setWebhook"]
    assert call.params["url"] == "https://bot.example.org/telegram/hook"
    assert call.params["secret_token"] == SECRET


async def test_requests_without_the_secret_are_refused(server: tuple[str, FakeTelegram]) -> None:
    base, telegram = server
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong"}):
            async with http.post(
                f"{base}/telegram/hook", json=message(1, "hola"), headers=headers
            ) as r:
                assert r.status == 403
        async with http.post(
            f"{base}/telegram/hook", data=b"not json", headers={SECRET_HEADER: SECRET}
        ) as r:
            assert r.status == 400
    await asyncio.sleep(0.3)
    assert not [c for c in telegram.calls if c.method == "sendMessage"]


async def test_a_redelivered_update_is_processed_once(server: tuple[str, FakeTelegram]) -> None:
    base, telegram = server
    update = message(77, "soy de Danlí y ocupo un préstamo")
    async with aiohttp.ClientSession() as http:
        for _ in range(3):  # Telegram retries when it thinks a delivery failed
            async with http.post(
                f"{base}/telegram/hook", json=update, headers={SECRET_HEADER: SECRET}
            ) as r:
                assert r.status == 200
        async with http.post(
            f"{base}/telegram/hook", json=message(78, "gracias"), headers={SECRET_HEADER: SECRET}
        ) as r:
            assert r.status == 200
    await wait_for_messages(telegram, 2)
    await asyncio.sleep(0.3)
    texts = [str(c.params["text"]) for c in telegram.calls if c.method == "sendMessage"]
    assert sum("El Paraíso" in t for t in texts) == 1, [t[:50] for t in texts]
    assert any("gusto" in t for t in texts)


async def test_health_endpoint(server: tuple[str, FakeTelegram]) -> None:
    base, _ = server
    async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as r:
        assert r.status == 200
        assert (await r.json()) == {"status": "ok"}


async def test_silent_and_trickling_clients_are_cut_off_while_health_answers(
    server: tuple[str, FakeTelegram],
) -> None:
    base, telegram = server
    host, port = base.removeprefix("http://").split(":")
    silent = await asyncio.open_connection(host, int(port))  # opens and says nothing
    trickling = await asyncio.open_connection(host, int(port))
    trickling[1].write(
        b"POST /telegram/hook HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
        + SECRET_HEADER.encode()
        + b": "
        + SECRET.encode()
        + b'\r\n\r\n{"update_id"'
    )
    await trickling[1].drain()
    async with aiohttp.ClientSession() as session, session.get(f"{base}/healthz") as response:
        assert response.status == 200  # while both hang
    for reader, writer in (silent, trickling):
        rest = await asyncio.wait_for(reader.read(), 5)  # the server closes them
        assert b"200" not in rest
        writer.close()
        await writer.wait_closed()
    assert telegram.sent() == []  # nothing was taken in from the half-sent update

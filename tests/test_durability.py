"""No acknowledged update is lost: a webhook worker killed with -9, then restarted.

The bot runs as its own process (`python -m bot run`, webhook mode) against the fake Bot API
on loopback, which answers sends slowly so that many answers are still in flight. Every update
is POSTed to the webhook and acknowledged (200); the worker is then killed with SIGKILL. After a
restart on the same database, every user gets an answer: what the dead worker had taken in is
taken over once its lease expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from aiohttp import ClientSession

from tests.support.fake_bot_api import WEBHOOK_SECRET_HEADER, FakeBotApi
from tests.test_e2e import (
    STARTUP_TIMEOUT,
    TOKEN,
    BotProcess,
    _free_port,
    _wait_healthy,
    bot_environment,
    e2e_database_url,
)

__all__ = ["e2e_database_url"]  # the fixture, shared with the end-to-end tests

USERS = 60
FIRST_USER = 8_100_000
HOOK_SECRET = "s3cr3t-hook_value"


def _answered(api: FakeBotApi) -> set[int]:
    return {
        int(call.params["chat_id"])
        for call in api.calls
        if call.method == "sendMessage" and int(call.params.get("chat_id", 0)) >= FIRST_USER
    }


async def test_updates_acknowledged_before_a_kill_9_are_all_answered_after_a_restart(
    e2e_database_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeBotApi(TOKEN) as api:
        env = bot_environment(e2e_database_url, api.base_url)
        env.update(
            {
                "WEBHOOK_URL": f"{base}/telegram/webhook",
                "WEBHOOK_SECRET": HOOK_SECRET,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(port),
                "INTAKE_LEASE_SECONDS": "2",
            }
        )
        first = BotProcess(env, tmp_path / "first")
        (tmp_path / "first").mkdir()
        await first.start()
        try:
            await _wait_healthy(base, first)
            api.send_delay = 0.3  # Telegram is slow today: answers pile up in flight
            updates = [
                {
                    "update_id": 700_000 + i,
                    **api.make_text("soy de Danlí y ocupo un préstamo", user_id=FIRST_USER + i),
                }
                for i in range(USERS)
            ]
            async with ClientSession() as session:

                async def deliver(update: dict[str, object]) -> int:
                    async with session.post(
                        f"{base}/telegram/webhook",
                        json=update,
                        headers={WEBHOOK_SECRET_HEADER: HOOK_SECRET},
                    ) as response:
                        return response.status

                statuses = await asyncio.gather(*(deliver(update) for update in updates))
            assert statuses == [200] * USERS  # every update acknowledged
            assert first.proc is not None
            first.proc.send_signal(signal.SIGKILL)
            await first.proc.wait()
        finally:
            if first.proc is not None and first.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    first.proc.kill()
                await first.proc.wait()
            for file in first._files:
                file.close()
        before_restart = _answered(api)
        assert len(before_restart) < USERS, "the kill came too late to test anything"

        api.send_delay = 0.0
        (tmp_path / "second").mkdir()
        second = BotProcess(env, tmp_path / "second")
        await second.start()
        try:
            await second.expect(
                api,
                "an answer to every acknowledged update",
                lambda _calls: len(_answered(api)) == USERS,
                STARTUP_TIMEOUT,
            )
        finally:
            code = await second.terminate()
        assert code == 0, second.tail()
        assert "Traceback" not in second.output(), second.tail(60)

"""Long polling through the durable intake.

python-telegram-bot's Updater confirms a batch of updates (by asking for the next offset) as
soon as it has put them in memory, so a process killed before processing them loses them.
Here each batch is stored in the database first; only then does the next `getUpdates` call
confirm it. A batch the database refused is asked for again (same offset).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.app import ALLOWED_UPDATES
from bot.config import Settings
from bot.serve import running

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_TIMEOUT = 10  # seconds Telegram holds a long poll open
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # after failures in a row


class RawUpdates(BaseRequest):
    """The request layer of `getUpdates` that keeps each update's JSON as Telegram sent it, so
    that the intake stores it as received instead of serialising the parsed Update again."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner
        self._raw: dict[int, str] = {}

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return await self.inner.do_request(*args, **kwargs)

    # A static method in BaseRequest, called on the instance by its (final) post().
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        self._raw = {}
        if isinstance(result, list):  # getUpdates: dicts as parsed, before any Update exists
            self._raw = {
                u["update_id"]: json.dumps(u, ensure_ascii=False)
                for u in result
                if isinstance(u, dict) and isinstance(u.get("update_id"), int)
            }
        return data

    def payloads(self, updates: Sequence[Update]) -> list[str]:
        """The JSON of these updates as received (serialised again only if it is missing)."""
        raw, self._raw = self._raw, {}
        return [raw.get(u.update_id) or json.dumps(u.to_dict()) for u in updates]


async def run_polling(
    settings: Settings,
    stop: asyncio.Event | None = None,
    request: BaseRequest | None = None,
) -> int:
    """Poll until SIGTERM/SIGINT (or `stop` is set); return an exit code."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        raw = RawUpdates(request if request is not None else HTTPXRequest(connection_pool_size=1))
        async with running(settings, request, shared=False, updates_request=raw) as (
            app,
            intake,
            _,
        ):
            await app.bot.delete_webhook(drop_pending_updates=False)
            log.info("starting long polling against the Bot API")
            offset: int | None = None
            failures = 0
            while not stop.is_set():
                try:
                    updates = await _until_stopped(
                        app.bot.get_updates(
                            offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
                        ),
                        stop,
                    )
                    if updates is None:
                        break
                    if updates:
                        # stored (on disk): the next call confirms them
                        await intake.receive(updates, raw.payloads(updates))
                        offset = updates[-1].update_id + 1
                    failures = 0
                except TimedOut:
                    continue
                except InvalidToken:
                    raise
                except (Conflict, NetworkError) as error:
                    failures += 1
                    await _pause(stop, failures, f"the Bot API failed: {type(error).__name__}")
                except Exception:  # the database refused the batch: ask for it again
                    failures += 1
                    log.exception("could not store the updates; asking for them again")
                    await _pause(stop, failures, "")
            log.info("stopping: finishing the updates in flight")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    return 0


async def _until_stopped(coroutine: Coroutine[Any, Any, T], stop: asyncio.Event) -> T | None:
    """The coroutine's result, or None as soon as `stop` is set (the call is cancelled)."""
    task = asyncio.ensure_future(coroutine)
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return None
    return task.result()


async def _pause(stop: asyncio.Event, failures: int, why: str) -> None:
    delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]
    if why and failures == 1:  # once per run of failures, not once per retry
        log.warning("%s; retrying (every %.0f s at most)", why, RETRY_DELAYS[-1])
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)

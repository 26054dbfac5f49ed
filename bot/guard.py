"""Flood limits, leases and the clean-up of old update ids (used by `bot.intake`).

Polling has one consumer by Telegram's design, so a per-process limiter (`LocalGuard`) is exact
there. With several webhook workers behind a load balancer, one user's updates reach different
workers: then the database is the shared memory, and `bot.intake.Inbox` counts a user's recent
updates there, in the statement that stores each update.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict, deque
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import LeaseRow, ProcessedUpdateRow

FLOOD_LIMIT = 20  # updates per user per window; people type far fewer
FLOOD_WINDOW = timedelta(seconds=60)
KEEP_UPDATES = timedelta(days=2)  # Telegram gives up retrying after about a day
JOB_LEASE = timedelta(hours=5)  # jobs run every 6 hours on each worker; one takes the lease


class Verdict(StrEnum):
    PASS = "pass"
    DUPLICATE = "duplicate"
    FLOOD_WARN = "flood_warn"  # the first update over the limit: tell the user once
    FLOOD_DROP = "flood_drop"


def verdict_for(count: int, limit: int) -> Verdict:
    """The verdict for a user's `count`-th update within the flood window."""
    if count <= limit:
        return Verdict.PASS
    return Verdict.FLOOD_WARN if count == limit + 1 else Verdict.FLOOD_DROP


class LocalGuard:
    """Per-process sliding windows (polling: the only consumer of this bot's updates)."""

    def __init__(self, limit: int = FLOOD_LIMIT, window: timedelta = FLOOD_WINDOW,
                 max_users: int = 50_000) -> None:  # fmt: skip
        self.limit = limit
        self.window = window.total_seconds()
        self.max_users = max_users
        self._seen: OrderedDict[int, deque[float]] = OrderedDict()

    async def admit(self, update_id: int, user_id: int | None) -> Verdict:
        if user_id is None:
            return Verdict.PASS
        now = time.monotonic()
        times = self._seen.pop(user_id, None) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        self._seen[user_id] = times  # most recent last
        while len(self._seen) > self.max_users:
            self._seen.popitem(last=False)
        return verdict_for(len(times), self.limit)


async def purge_processed(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        cutoff = datetime.now(UTC) - KEEP_UPDATES
        await session.execute(delete(ProcessedUpdateRow).where(ProcessedUpdateRow.at < cutoff))


WORKER_ID = uuid.uuid4().hex  # this process, as a lease holder


async def acquire_lease(
    sessions: async_sessionmaker[AsyncSession], name: str, ttl: timedelta,
    holder: str = WORKER_ID,
) -> bool:  # fmt: skip
    """Take (or renew) a named lease; False while another worker holds it."""
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        result = await session.execute(
            update(LeaseRow)
            .where(
                LeaseRow.name == name, (LeaseRow.expires_at < now) | (LeaseRow.holder == holder)
            )
            .values(holder=holder, expires_at=now + ttl)
        )
        if getattr(result, "rowcount", 0):
            return True
        if await session.get(LeaseRow, name) is not None:
            return False
    try:
        async with sessions() as session, session.begin():
            session.add(LeaseRow(name=name, holder=holder, expires_at=now + ttl))
    except IntegrityError:  # another worker created it first
        return False
    return True

"""Anonymous events for the network's statistics (issue 11, `bot.stats`).

One row per search answered: where (country, department), what (the main need), which center
came first, and whether the country's network covers the department — no user id, no text.
The services add one per answer they remember (`Services._remember`) to an `EventLog`, which
writes them in batches (one statement for every search of the last second, like the intake's
«done» marks) rather than one INSERT inside each answer's transaction: the numbers are at most
a second behind, and a worker killed outright loses that last second of anonymous counts (a
clean stop writes them). `ask` remembers nothing and records nothing. The request steps'
events stay in their own transactions (bot.handoff), where they are few.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextvars import Context
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, event, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

from bot.db.models import EventRow
from bot.domain.models import Center

if TYPE_CHECKING:
    from bot.services import Outcome

log = logging.getLogger(__name__)

FLUSH_DELAY = 1.0  # seconds: the searches answered within this are written in one statement
FLUSH_AT = 200  # or as soon as this many wait

SEARCH = "search"
REQUEST_OPENED = "request_opened"
REQUEST_TAKEN = "request_taken"
REQUEST_CLOSED = "request_closed"
FEEDBACK = "feedback"
KINDS = (SEARCH, REQUEST_OPENED, REQUEST_TAKEN, REQUEST_CLOSED, FEEDBACK)

# bot.services.OutcomeKind.ANSWER (a StrEnum): compared by value, as bot.services imports this
_ANSWER = "answer"


def _coverage_map(centers: Sequence[Center]) -> dict[tuple[str, str], bool]:
    """(country, department) -> whether a source states the area, for every department that
    a rankable center of that country serves (sourced or inferred)."""
    covered: dict[tuple[str, str], bool] = {}
    for center in centers:
        if not center.ranked or center.closed:
            continue  # support points and centers closed for good serve no one
        for admin1 in center.service_area:
            key = (center.country, admin1)
            covered[key] = covered.get(key, False) or center.area_sourced(admin1)
    return covered


# the map of the last tuple of centers: the services load a new tuple when the data changes,
# so the map is never stale (the tuple is held, so its id is not reused)
_last: tuple[Sequence[Center], dict[tuple[str, str], bool]] | None = None


def coverage(centers: Sequence[Center], country: str, admin1: str) -> tuple[bool, bool]:
    """(served, served_sourced): whether a center of the country serves the department, and
    whether a source states it for at least one of them (not only inferred)."""
    global _last
    if _last is None or _last[0] is not centers:
        _last = (centers, _coverage_map(centers))
    sourced = _last[1].get((country, admin1))
    return sourced is not None, bool(sourced)


def search_values(
    outcome: Outcome, centers: Sequence[Center], now: datetime | None = None
) -> dict[str, object] | None:
    """The events row for a search answer (`Outcome` of kind ANSWER with a place), or None for
    any other outcome. `centers`: every center the answer was ranked among.

    served / served_sourced are None when the place has no known department; offered_nearby
    is None when no need was asked or no center could be ranked at all.
    """
    place = outcome.place
    if outcome.kind != _ANSWER or place is None or outcome.offset:
        return None  # «¿hay otro más cerca?» pages the same search: not a new question
    need = outcome.needs[0] if outcome.needs else ""
    first = outcome.matches[0] if outcome.matches else None
    served: bool | None = None
    sourced: bool | None = None
    if place.admin1:
        served, sourced = coverage(centers, place.country, place.admin1)
        if not served:
            sourced = None
    return {
        "at": now or datetime.now(UTC),
        "kind": SEARCH,
        "country": place.country[:2],
        "admin1": place.admin1[:20],
        "need": need[:40],
        "center_id": first.center.id[:60] if first else "",
        "served": served,
        "served_sourced": sourced,
        "offered_nearby": first.offers_need if first and need else None,
        "value": None,
    }


_EVENTS = cast(Table, EventRow.__table__)
_PENDING = "events_pending"  # session.info: (EventLog, values) of the open transaction


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for events, values in session.info.pop(_PENDING, ()):
        events.add(values)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the answer's own transaction, not a savepoint inside it
        session.info.pop(_PENDING, None)


class EventLog:
    """Search events waiting to be written: `add` is synchronous and costs no statement; a
    timer (or a full batch) writes them all in one executemany, in a transaction of its own.

    `flush()` writes what waits now (the statistics call it before reading; `close()` on a
    clean stop). A batch that fails to be written is logged once and dropped: anonymous
    counts are never worth retrying into a database in trouble.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        delay: float = FLUSH_DELAY,
        at: int = FLUSH_AT,
    ) -> None:
        self.sessions = sessions
        self.delay, self.at = delay, at
        self._rows: list[dict[str, Any]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._lock = asyncio.Lock()

    def search(self, session: AsyncSession, outcome: Outcome, centers: Sequence[Center]) -> None:
        """The search event of an answer (nothing for other outcomes), to be written soon once
        the answer's transaction commits (a rolled-back answer counts nothing)."""
        values = search_values(outcome, centers)
        if values is not None:
            session.sync_session.info.setdefault(_PENDING, []).append((self, values))

    def add(self, values: dict[str, Any]) -> None:
        self._rows.append(values)
        if len(self._rows) >= self.at:
            self._spawn()
        elif self._timer is None:
            # a context of its own: the write is nobody's update (bot.intake's fold stays out)
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.delay, self._spawn, context=Context())

    def _spawn(self) -> None:
        task = asyncio.get_running_loop().create_task(self.flush(), context=Context())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def flush(self) -> None:
        """Write every event waiting, now, after a write already under way (one at a time:
        a slow database never piles up writers, and a reader after flush() sees them all)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        async with self._lock:
            await self._write()

    async def _write(self) -> None:
        rows, self._rows = self._rows, []
        if not rows:
            return
        try:
            async with self.sessions() as session, session.begin():
                # Core executemany: one statement (the ORM's bulk insert would group the rows
                # by which columns are None)
                await (await session.connection()).execute(insert(_EVENTS), rows)
        except Exception:  # the answers went out; only anonymous counts are lost
            log.warning("%d search events could not be written", len(rows), exc_info=True)

    async def close(self) -> None:
        """A clean stop: the pending writes finish and what waits is written."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.flush()

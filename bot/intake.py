"""Durable intake: no update acknowledged to Telegram is lost, and each user's stay in order.

Telegram never delivers an acknowledged update again, so every update is written to the
database (`processed_updates`, its raw JSON in `payload`) before it is acknowledged: before the
webhook answers 200, and before the next `getUpdates` call confirms the offset in polling. The
same INSERT is the duplicate check (Telegram retries a delivery it thinks failed) and feeds the
flood count.

Processing is concurrent across users and ordered within one user:
- in one process, `UserOrderedProcessor` (python-telegram-bot's update-processor hook) runs
  every user's updates in arrival order behind a per-user lock, while other users' run at once;
- across webhook workers, an update whose user has an earlier update still pending on another
  worker is deferred (left in the database, unheld, with a `waiter` mark on the earlier row):
  the worker that finishes the earlier one hands the next one on. Housekeeping picks up
  anything left over: rows whose lease expired (a dead worker) and deferred rows nobody took.

A row is done once its update was processed; the payload is cleared then, in batches (one
UPDATE for the updates finished within `FLUSH_DELAY`). Delivery is at least once: an answer
is repeated only when a worker dies after sending it and before recording it as done.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    case,
    event,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import AdaptedConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, aliased
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot import texts
from bot.db.inline import InlineSqlite
from bot.db.models import ProcessedUpdateRow as Row
from bot.guard import FLOOD_LIMIT, FLOOD_WINDOW, WORKER_ID, LocalGuard, Verdict, verdict_for

if TYPE_CHECKING:
    from bot.app import BotApplication

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)  # renewed every LEASE/3 while the worker lives
DEFERRED_GRACE = timedelta(seconds=10)  # a deferred row nobody handed on is taken after this
FLUSH_DELAY = 0.25  # seconds: updates finished within this are marked done in one statement
FLUSH_AT = 200  # or as soon as this many are finished
FOLD_WAIT = 0.1  # seconds polling waits for a folded update's first commit before storing it
RECOVER_BATCH = 100
TABLE = cast(Table, Row.__table__)
_USER_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_LOCK_SPACE = 0x52_75_74_61 << 32  # keeps these keys apart from the start-up lock's


@dataclass(slots=True)
class Ticket:
    """What the intake decided about one new update."""

    update_id: int
    user_id: int | None
    verdict: Verdict = Verdict.PASS
    deferred: bool = False  # an earlier update of this user is pending on another worker
    fold: Fold | None = None  # stored by the first commit of its own processing


@dataclass(slots=True, eq=False)
class Fold:
    """An update whose row is written by the first transaction its processing commits (one
    commit, one flush to disk, instead of two), or by the intake if none does in time."""

    engine: Any  # the sync engine of the sessions whose commit may carry the row
    statement: Any
    row: dict[str, Any]
    stored: asyncio.Future[None]
    sql: str  # the same INSERT for the driver itself, and its parameters
    params: tuple[Any, ...]
    inbox: Inbox
    inserted: bool = False  # executed in the transaction being committed
    storing: asyncio.Future[None] | None = None


_FOLD: ContextVar[Fold | None] = ContextVar("intake_fold", default=None)


@event.listens_for(Session, "before_commit")
def _fold_into_commit(session: Session) -> None:
    """The processing of a folded update commits for the first time: its row goes along."""
    fold = _FOLD.get()
    if fold is None or fold.inserted or fold.stored.done() or session.bind is not fold.engine:
        return
    try:
        connection = session.connection()
        driver = connection.connection.dbapi_connection
        if isinstance(driver, AdaptedConnection):  # aiosqlite: one hand-off to its thread
            driver.run_async(lambda raw: raw.execute_fetchall(fold.sql, fold.params))
        else:
            connection.execute(fold.statement, [fold.row])
    except Exception:  # SQLite: the transaction goes on; the intake stores the row itself
        log.debug("update=%s: not folded into its processing", fold.row["update_id"])
        return
    fold.inserted = True
    fold.inbox.folded += 1


@event.listens_for(Session, "after_commit")
def _folded(session: Session) -> None:
    fold = _FOLD.get()
    if fold is not None and fold.inserted and not fold.stored.done():
        fold.stored.set_result(None)


@event.listens_for(Session, "after_rollback")
def _not_folded(session: Session) -> None:
    fold = _FOLD.get()
    if fold is not None and not fold.stored.done():
        fold.inserted = False


class Stored(NamedTuple):
    """An update taken from the database (handed on or recovered)."""

    update_id: int
    payload: str | None
    verdict: str = Verdict.PASS.value


def user_of(update: object) -> int | None:
    """The key that orders updates: the user, else the chat (channel posts have no user)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


_FINISH = (
    update(TABLE)
    .where(TABLE.c.update_id.in_(bindparam("ids", expanding=True)))
    .values(done_at=bindparam("now"), payload=None, holder=None, lease_until=None)
    .returning(TABLE.c.user_id, TABLE.c.waiter)
)


_SEEN = f"SELECT 1 FROM {TABLE.name} WHERE {TABLE.c.update_id.name} = ?"


class InlineInbox(InlineSqlite):
    """The intake's rows written by a connection of its own, on the event loop's thread
    (`bot.db.inline`): its statement and COMMIT run synchronously, with the same durability
    as every other connection (WAL, synchronous FULL: on disk when the commit returns). Its
    busy timeout is zero, so when another connection is writing at that moment the attempt
    fails at once (`OperationalError`, nothing written) and the caller takes the ordinary
    asynchronous path, which waits in aiosqlite's thread.
    """

    def insert(self, statement: Any, rows: list[dict[str, Any]]) -> set[int]:
        """Insert and commit; the update ids that were new. Raises OperationalError, with
        nothing written, when the database is busy."""
        conn = self.connection()
        with conn.begin():
            return set(conn.execute(statement, rows).scalars())

    def seen(self, update_id: int) -> bool:
        """Whether this update is stored already (a read: never waits for a writer). On the
        driver's connection: an integer in, a row or none out, nothing for SQLAlchemy to do."""
        raw = self.connection().connection.driver_connection
        assert raw is not None
        return bool(raw.execute(_SEEN, (update_id,)).fetchall())  # all: no read left open

    def finish(self, update_ids: Sequence[int], now: datetime) -> list[tuple[int | None, bool]]:
        """Mark done and commit; (user, waiter) of each row."""
        conn = self.connection()
        with conn.begin():
            result = conn.execute(_FINISH, {"ids": list(update_ids), "now": now})
            return [(user, waiter) for user, waiter in result]


class Inbox:
    """The database side: take, finish, hand on and recover updates."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        shared: bool,
        holder: str = WORKER_ID,
        lease: timedelta = LEASE,
        flood_limit: int = FLOOD_LIMIT,
        flood_window: timedelta = FLOOD_WINDOW,
    ) -> None:
        self.sessions = sessions
        self.engine: AsyncEngine = sessions.kw["bind"]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        table = TABLE
        self._insert = (
            dialect.insert(table)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(table.c.update_id)
        )
        self.shared = shared  # several workers on this database (webhook mode)
        self.holder = holder
        self.lease = lease
        self.flood_limit = flood_limit
        self.flood_window = flood_window
        # One worker on SQLite (polling): the intake's own connection, no thread hand-offs.
        self.inline = InlineInbox(self.engine.url) if InlineInbox.usable(self.engine) else None
        # A folded row goes in through the driver (the values as SQLAlchemy would bind them).
        columns = ("update_id", "user_id", "at", "payload", "holder", "lease_until", "waiter")
        self._fold_sql = (
            f"INSERT INTO {TABLE.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)}) ON CONFLICT (update_id) DO NOTHING"
        )
        self.folded = 0  # rows written by their processing's commit (the bench counts them)
        dialect = self.engine.dialect
        self._fold_binds = [
            (c, TABLE.c[c].type.dialect_impl(dialect).bind_processor(dialect)) for c in columns
        ]

    def close(self) -> None:
        if self.inline is not None:
            self.inline.close()

    async def take(self, entries: Sequence[tuple[int, int | None, str]]) -> list[Ticket]:
        """Store new updates (update id, user id, raw JSON), held by this worker.

        Returns a ticket for each update not seen before, in the given order; duplicates are
        left out. Raises when the database cannot store them: then nothing may be acknowledged.
        """
        if not entries:
            return []
        now = datetime.now(UTC)
        rows = self.rows(entries, now)
        if self.inline is not None and not self.shared:
            try:
                new = self.inline.insert(self._insert, rows)
            except OperationalError:  # another connection is writing: wait for it, below
                pass
            else:
                return [Ticket(i, user) for i, user, _ in entries if i in new]
        deferred: list[Ticket] = []
        # Core on a connection, not the ORM: this runs for every update, on the hot path.
        async with self.engine.begin() as conn:
            if self.shared and self.engine.dialect.name == "postgresql":
                # READ COMMITTED does not see another worker's uncommitted insert: take a
                # lock per user for this transaction, so that their takes follow one another
                # (SQLite serialises writers already). Sorted: no deadlock.
                for user_id in sorted({u for _, u, _ in entries if u is not None}):
                    await conn.execute(_USER_LOCK, {"key": user_id ^ _LOCK_SPACE})
            new = set((await conn.execute(self._insert, rows)).scalars())
            tickets = [Ticket(i, user) for i, user, _ in entries if i in new]
            if self.shared:
                for ticket in tickets:
                    if ticket.user_id is not None:
                        await self._admit_shared(conn, ticket, now)
                        if ticket.deferred:
                            deferred.append(ticket)
        for ticket in deferred:  # the earlier update may have finished meanwhile
            ticket.deferred = not await self._claim_if_head(ticket)
        return tickets

    def rows(
        self, entries: Sequence[tuple[int, int | None, str]], now: datetime
    ) -> list[dict[str, Any]]:
        return [
            {
                "update_id": update_id,
                "user_id": user_id,
                "at": now,
                "payload": payload,
                "holder": self.holder,
                "lease_until": now + self.lease,
                "waiter": False,
            }
            for update_id, user_id, payload in entries
        ]

    def fold(self, update_id: int, user_id: int | None, payload: str) -> Fold | None:
        """A new update that may be stored by its own processing's first commit (one worker
        on SQLite: polling); None if it was stored before (a duplicate). Raises
        OperationalError when that cannot be told at once (the caller takes it in as usual).
        """
        if self.inline is None or self.shared:
            raise OperationalError("fold", {}, Exception("only one worker on SQLite folds"))
        if self.inline.seen(update_id):
            return None
        row = self.rows([(update_id, user_id, payload)], datetime.now(UTC))[0]
        future = asyncio.get_running_loop().create_future()
        params = tuple(p(row[c]) if p else row[c] for c, p in self._fold_binds)
        return Fold(
            self.engine.sync_engine, self._insert, row, future, self._fold_sql, params, self
        )

    async def store(self, fold: Fold) -> None:
        """Store a folded update now (its processing has not): once, whoever asks first."""
        if fold.storing is None:
            fold.storing = asyncio.ensure_future(self._store(fold))
        await asyncio.shield(fold.storing)

    async def _store(self, fold: Fold) -> None:
        try:
            if not fold.stored.done():
                await self._write([fold.row])
        except BaseException as error:
            if not fold.stored.done():
                fold.stored.set_exception(error)
                fold.stored.exception()  # retrieved: whoever awaits it re-raises it
            raise
        if not fold.stored.done():
            fold.stored.set_result(None)

    async def _write(self, rows: list[dict[str, Any]]) -> None:
        """Insert (duplicates ignored) and commit to disk."""
        if self.inline is not None:
            try:
                self.inline.insert(self._insert, rows)
            except OperationalError:  # busy: the asynchronous path waits for the lock
                pass
            else:
                return
        async with self.engine.begin() as conn:
            await conn.execute(self._insert, rows)

    async def _admit_shared(self, conn: AsyncConnection, ticket: Ticket, now: datetime) -> None:
        """Flood count and the per-user order across workers, in one statement."""
        earlier = and_(
            Row.done_at.is_(None),
            Row.update_id < ticket.update_id,
            or_(Row.holder.is_(None), Row.holder != self.holder),
        )
        recent, pending = (
            await conn.execute(
                select(
                    func.coalesce(
                        func.sum(case((Row.at > now - self.flood_window, 1), else_=0)), 0
                    ),
                    func.coalesce(func.sum(case((earlier, 1), else_=0)), 0),
                ).where(Row.user_id == ticket.user_id)
            )
        ).one()
        ticket.verdict = verdict_for(int(recent), self.flood_limit)
        if pending:
            ticket.deferred = True
            await conn.execute(  # its flood verdict travels with it
                update(Row)
                .where(Row.update_id == ticket.update_id)
                .values(holder=None, lease_until=None, verdict=ticket.verdict.value)
            )
            await conn.execute(
                update(Row).where(Row.user_id == ticket.user_id, earlier).values(waiter=True)
            )

    async def _claim_if_head(self, ticket: Ticket) -> bool:
        """Take a deferred update back if nothing earlier of its user is pending any more."""
        async with self.sessions() as session, session.begin():
            earlier = await session.scalar(
                select(
                    exists().where(
                        Row.user_id == ticket.user_id,
                        Row.update_id < ticket.update_id,
                        Row.done_at.is_(None),
                    )
                )
            )
            if earlier:
                return False
            return await self._claim(session, ticket.update_id, datetime.now(UTC))

    async def _claim(self, session: AsyncSession, update_id: int, now: datetime) -> bool:
        result = await session.execute(
            update(Row)
            .where(
                Row.update_id == update_id,
                Row.done_at.is_(None),
                or_(Row.holder.is_(None), Row.lease_until < now),
            )
            .values(holder=self.holder, lease_until=now + self.lease)
        )
        return bool(getattr(result, "rowcount", 0))

    async def finish(self, update_ids: Sequence[int]) -> list[int]:
        """Mark updates done and clear their payload; return the users someone waits on."""
        now = datetime.now(UTC)
        result: Any = None
        if self.inline is not None:
            with contextlib.suppress(OperationalError):  # busy: the asynchronous path waits
                result = self.inline.finish(update_ids, now)
        if result is None:
            async with self.engine.begin() as conn:
                result = (await conn.execute(_FINISH, {"ids": list(update_ids), "now": now})).all()
        return sorted({user for user, waiter in result if waiter and user is not None})

    async def claim_next(self, user_id: int) -> Stored | None:
        """Take the user's earliest pending update, unless another worker is processing it."""
        now = datetime.now(UTC)
        free = or_(Row.holder.is_(None), Row.lease_until < now)  # compared in SQL: any dialect
        async with self.sessions() as session, session.begin():
            head = (
                await session.execute(
                    select(Row.update_id, Row.payload, Row.verdict, case((free, 1), else_=0))
                    .where(Row.user_id == user_id, Row.done_at.is_(None))
                    .order_by(Row.update_id)
                    .limit(1)
                )
            ).first()
            if head is None or head[1] is None or not head[3]:
                return None
            if not await self._claim(session, head[0], now):
                return None
            return Stored(head[0], head[1], head[2])

    async def recover(self) -> list[Stored]:
        """Take updates nobody is processing: a dead worker's (lease expired), and deferred
        ones nobody handed on. Earliest first; a row waits while an earlier one of its user is
        held by a live worker. Two workers recovering at once never take the same row."""
        now = datetime.now(UTC)
        unheld = or_(
            Row.holder.is_(None) & (Row.at < now - DEFERRED_GRACE),
            Row.lease_until < now,
        )
        other = aliased(Row)
        blocked = exists().where(
            other.user_id == Row.user_id,
            other.update_id < Row.update_id,
            other.done_at.is_(None),
            other.holder.is_not(None),
            other.lease_until >= now,
        )
        async with self.sessions() as session, session.begin():
            ids = list(
                await session.scalars(
                    select(Row.update_id)
                    .where(Row.done_at.is_(None), unheld, ~blocked)
                    .order_by(Row.update_id)
                    .limit(RECOVER_BATCH)
                )
            )
            if not ids:
                return []
            taken = await session.execute(
                update(TABLE)
                .where(
                    TABLE.c.update_id.in_(ids),
                    TABLE.c.done_at.is_(None),
                    or_(
                        TABLE.c.holder.is_(None) & (TABLE.c.at < now - DEFERRED_GRACE),
                        TABLE.c.lease_until < now,
                    ),
                )
                .values(holder=self.holder, lease_until=now + self.lease)
                .returning(TABLE.c.update_id, TABLE.c.payload, TABLE.c.verdict)
            )
            found = sorted(Stored(*row) for row in taken)
        return [s for s in found if s.payload is not None]

    async def renew(self) -> None:
        """Extend the lease of every pending update this worker holds."""
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Row)
                .where(Row.holder == self.holder, Row.done_at.is_(None))
                .values(lease_until=now + self.lease)
                .execution_options(synchronize_session=False)
            )

    async def unhold(self, update_ids: Sequence[int]) -> None:
        """Leave these updates to the other workers at once (this one is stopping)."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(TABLE)
                .where(TABLE.c.update_id.in_(update_ids), TABLE.c.holder == self.holder)
                .values(holder=None, lease_until=None, at=datetime.now(UTC) - DEFERRED_GRACE)
            )

    async def release(self) -> None:
        """On shutdown: leave what this worker still holds to the others, at once."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Row)
                .where(Row.holder == self.holder, Row.done_at.is_(None))
                .values(holder=None, lease_until=None)
                .execution_options(synchronize_session=False)
            )


class Intake:
    """Takes updates in durably, queues them for processing, and records them as done."""

    def __init__(self, inbox: Inbox, flood: LocalGuard | None = None) -> None:
        self.inbox = inbox
        self.flood = flood  # per-process flood limit (polling); the inbox counts when shared
        self._app: BotApplication | None = None
        self._tickets: dict[int, Ticket] = {}
        self._done: list[int] = []
        self._flusher: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()  # set when enough are done to flush before the delay
        self._housekeeper: asyncio.Task[None] | None = None
        self._closing = False

    def attach(self, app: BotApplication) -> None:
        self._app = app

    @property
    def app(self) -> BotApplication:
        if self._app is None:
            raise RuntimeError("Intake.attach(app) was not called")
        return self._app

    # --- taking updates in --------------------------------------------------------------------

    async def receive(self, updates: Sequence[Update], raws: Sequence[str] | None = None) -> int:
        """Store updates, then queue the new ones; return how many were new.

        Returns once they are on disk (the caller may acknowledge them then); the new ones may
        already be processing. Raises if the database refused them (the caller must not
        acknowledge them then).
        """
        payloads = raws if raws is not None else [json.dumps(u.to_dict()) for u in updates]
        entries = [(u.update_id, user_of(u), p) for u, p in zip(updates, payloads, strict=True)]
        if len(entries) == 1 and self.inbox.inline is not None and not self.inbox.shared:
            try:
                fold = self.inbox.fold(*entries[0])
            except OperationalError:  # not known at once: taken in as usual, below
                pass
            else:
                return 0 if fold is None else await self._receive_folded(updates[0], fold)
        tickets = await self.inbox.take(entries)
        by_id = {u.update_id: u for u in updates}
        for ticket in tickets:
            if self.flood is not None and ticket.user_id is not None:
                ticket.verdict = await self.flood.admit(ticket.update_id, ticket.user_id)
            if ticket.deferred:
                log.info(
                    "update=%s deferred: an earlier one is pending elsewhere", ticket.update_id
                )
                continue
            self._tickets[ticket.update_id] = ticket
            await self.app.update_queue.put(by_id[ticket.update_id])
        return len(tickets)

    async def _receive_folded(self, update: Update, fold: Fold) -> int:
        """One update (polling on SQLite, as usual when it is quiet): checked against what was
        stored, queued at once, and stored by the first commit of its processing, in the same
        transaction as what it changes; by the intake if none does within FOLD_WAIT (an update
        that writes nothing, or one waiting for its user's turn). Returns once it is on disk.
        """
        update_id, user_id = fold.row["update_id"], fold.row["user_id"]
        ticket = Ticket(update_id, user_id, fold=fold)
        if self.flood is not None and user_id is not None:
            ticket.verdict = await self.flood.admit(update_id, user_id)
        self._tickets[update_id] = ticket
        await self.app.update_queue.put(update)
        await asyncio.wait((fold.stored,), timeout=FOLD_WAIT)
        if not fold.stored.done():
            await self.inbox.store(fold)
        fold.stored.result()  # raises if it could not be stored
        return 1

    async def _enqueue_stored(self, stored: Sequence[Stored]) -> None:
        """Queue updates taken from the database (handed on or recovered), with the flood
        verdict they were given when taken in."""
        if self._closing:  # the Application no longer processes: leave them to the others
            await self.inbox.unhold([s.update_id for s in stored])
            return
        for update_id, payload, verdict in stored:
            try:
                update = Update.de_json(json.loads(payload or ""), self.app.bot)
            except Exception:  # stored by us, so this should not happen: never retry it
                log.error("update=%s: stored payload unreadable; dropped", update_id)
                self.done(update_id)
                continue
            self._tickets[update_id] = Ticket(update_id, user_of(update), Verdict(verdict))
            await self.app.update_queue.put(update)

    # --- after processing ---------------------------------------------------------------------

    def ticket(self, update_id: int) -> Ticket | None:
        return self._tickets.pop(update_id, None)

    async def done_after_stored(self, ticket: Ticket) -> None:
        """Record an update as processed, once its row is stored (a folded update whose
        processing committed nothing is stored now)."""
        fold = ticket.fold
        if fold is not None and not fold.stored.done():
            try:
                await self.inbox.store(fold)
            except Exception:  # the polling loop is told too, and asks for it again
                log.warning("update=%s could not be stored", ticket.update_id)
                return
        self.done(ticket.update_id)

    def done(self, update_id: int) -> None:
        """Record an update as processed (batched: see FLUSH_DELAY)."""
        self._done.append(update_id)
        if len(self._done) >= FLUSH_AT:
            self._wake.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), FLUSH_DELAY)
        self._wake.clear()
        await self.flush()

    async def flush(self) -> None:
        """Mark what was processed as done now, and hand on what other workers deferred."""
        while self._done:
            ids, self._done = self._done, []
            try:
                waiting = await self.inbox.finish(ids)
            except Exception:
                # Kept, and tried again at the next flush (housekeeping flushes too): a row
                # left pending would be answered again after a restart.
                self._done[:0] = ids
                log.warning("could not mark %d updates done; trying again later", len(ids))
                return
            for user_id in waiting:
                try:
                    claimed = await self.inbox.claim_next(user_id)
                except Exception:  # housekeeping takes it over after DEFERRED_GRACE
                    log.warning("could not hand on a deferred update; recovery will take it")
                    continue
                if claimed is not None:
                    await self._enqueue_stored([claimed])

    # --- housekeeping -------------------------------------------------------------------------

    async def start(self) -> None:
        """Recover what was left pending, then keep leases fresh and recover every so often."""
        await self.recover()
        self._housekeeper = asyncio.create_task(self._housekeeping())

    async def recover(self) -> int:
        stored = await self.inbox.recover()
        if stored:
            log.info("recovered %d updates left pending", len(stored))
        await self._enqueue_stored(stored)
        return len(stored)

    async def _housekeeping(self) -> None:
        period = self.inbox.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(period)
            try:
                await self.flush()  # done marks that failed before
                await self.inbox.renew()
                await self.recover()
            except Exception:
                log.warning("intake housekeeping failed; trying again later", exc_info=True)

    async def begin_close(self) -> None:
        """Before the Application stops: take nothing more in from the database (hand-ons and
        recoveries go back to the other workers), so that stopping drains what is queued."""
        self._closing = True
        if self._housekeeper is not None:
            self._housekeeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._housekeeper
            self._housekeeper = None

    async def close(self) -> None:
        """After the Application stopped: record what was done, leave the rest to others."""
        await self.begin_close()
        if self._flusher is not None:
            self._wake.set()  # never cancelled mid-write: that would leave done rows pending
            with contextlib.suppress(Exception):
                await self._flusher
        await self.flush()
        with contextlib.suppress(Exception):
            await self.inbox.release()
        self.inbox.close()


class UserOrderedProcessor(BaseUpdateProcessor):
    """Different users' updates at once; one user's in the order they arrived."""

    def __init__(self, intake: Intake | None, max_concurrent_updates: int = 4096) -> None:
        # The bound is high on purpose: python-telegram-bot holds a slot while an update waits
        # for its user's turn, so a low one would let a few users with long queues (a slow
        # chat, retries) hold every slot. Each user's queue is short: the flood limit drops
        # the rest before they wait.
        super().__init__(max_concurrent_updates)
        self.intake = intake
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        intake = self.intake
        ticket = intake.ticket(update.update_id) if intake and isinstance(update, Update) else None
        if ticket is not None and ticket.fold is not None:
            _FOLD.set(ticket.fold)  # this task's first commit carries the update's row
        if ticket is not None and ticket.verdict is not Verdict.PASS:
            await self._drop(update, coroutine, ticket)  # without waiting for the user's turn
            return
        key = user_of(update)
        try:
            if key is None:
                await coroutine
                return
            lock, users = self._locks.get(key, (asyncio.Lock(), 0))
            self._locks[key] = (lock, users + 1)
            try:
                async with lock:
                    await coroutine
            finally:
                lock, users = self._locks[key]
                if users <= 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)
        finally:
            if intake is not None and ticket is not None:
                await intake.done_after_stored(ticket)

    async def _drop(self, update: object, coroutine: Awaitable[Any], ticket: Ticket) -> None:
        """A flooded update: not processed; the first one over the limit gets a word."""
        _close(coroutine)
        log.info("update=%s dropped: %s", ticket.update_id, ticket.verdict.value)
        try:
            if ticket.verdict is Verdict.FLOOD_WARN and isinstance(update, Update):
                chat = update.effective_chat
                if chat is not None:
                    with contextlib.suppress(TelegramError):
                        await chat.send_message(texts.FLOOD)
        finally:
            if self.intake is not None:
                await self.intake.done_after_stored(ticket)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _close(coroutine: Awaitable[Any]) -> None:
    """Discard a coroutine that will not run (no 'never awaited' warning)."""
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()

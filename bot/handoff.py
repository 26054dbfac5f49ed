"""Warm handoff, the receiving side: who receives a request, and what they do with it.

A request goes to the staff its center has in the bot or, when it has none, to the
coordinators of its country (`center_id` NULL: addressed to the coordinators). Only one of its
receivers (or an admin) may take, reassign or close it: every action checks that here, so a
forged or stale button gets a refusal. Every status change is written to `request_history`,
and an anonymous row to `events` (no user id, no text). Reminders, the feedback question and
the retention of personal data are in bot.request_care.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from weakref import WeakKeyDictionary

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.models import (
    CenterRow,
    CoordinatorRow,
    EventRow,
    HandoffRequestRow,
    RequestHistoryRow,
    StaffLinkRow,
)

OPEN, TAKEN, CLOSED, CANCELLED = "open", "taken", "closed", "cancelled"
ACTIVE = (OPEN, TAKEN)
PERSONAL = ("name", "phone", "business", "preferred_time", "comment")
LIST_LIMIT = 10


class Verdict(StrEnum):
    DONE = "done"
    NOT_ALLOWED = "not_allowed"  # not a receiver of it, or no such request
    ALREADY_TAKEN = "already_taken"
    ALREADY_CLOSED = "already_closed"  # closed or cancelled
    NO_TARGET = "no_target"


@dataclass(frozen=True, slots=True)
class Request:
    """A request as the bot shows it (personal fields None once purged)."""

    id: int
    reference: str
    user_id: int
    chat_id: int
    language: str
    country: str
    admin1: str
    center_id: str | None
    center_name: str | None  # None: addressed to the country's coordinators
    need: str
    name: str | None
    phone: str | None
    business: str | None
    preferred_time: str | None
    status: str
    created_at: datetime
    taken_by_name: str | None
    purged: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action did: the verdict, the request after it, and who must hear of it."""

    verdict: Verdict
    request: Request | None = None
    receivers: tuple[int, ...] = ()  # the (new) receivers to send the request to


@dataclass(frozen=True, slots=True)
class Target:
    """Where a request can be reassigned: a center with staff, or the coordinators ("")."""

    center_id: str
    name: str


RECEIVERS_TTL = 30.0  # seconds the button's view of who receives requests is kept
_RECEIVERS: WeakKeyDictionary[
    async_sessionmaker[AsyncSession], tuple[float, frozenset[str], frozenset[str]]
] = WeakKeyDictionary()


def forget_receivers() -> None:
    """Reload who receives requests at the next card (after a grant or revoke here)."""
    _RECEIVERS.clear()


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes (stored as UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def view(session: AsyncSession, row: HandoffRequestRow) -> Request:
    name = None
    if row.center_id:
        name = await session.scalar(select(CenterRow.name).where(CenterRow.id == row.center_id))
    return Request(
        row.id, row.reference, row.user_id, row.chat_id, row.language, row.country, row.admin1,
        row.center_id, name, row.need, row.name, row.phone, row.business, row.preferred_time,
        row.status, _aware(row.created_at), row.taken_by_name, row.personal_purged_at is not None,
    )  # fmt: skip


async def staff_of(session: AsyncSession, center_id: str) -> tuple[int, ...]:
    rows = await session.scalars(
        select(StaffLinkRow.user_id).where(StaffLinkRow.center_id == center_id)
    )
    return tuple(sorted(rows.all()))


async def coordinators_of(session: AsyncSession, country: str) -> tuple[int, ...]:
    rows = await session.scalars(
        select(CoordinatorRow.user_id).where(CoordinatorRow.country == country)
    )
    return tuple(sorted(rows.all()))


async def route(
    session: AsyncSession, center_id: str, country: str
) -> tuple[str | None, tuple[int, ...]]:
    """Where a new request for this center goes: (its center id, its staff) when it has
    staff, else (None, the country's coordinators); no receivers: nobody can take it."""
    staff = await staff_of(session, center_id)
    if staff:
        return center_id, staff
    return None, await coordinators_of(session, country)


async def receivers(session: AsyncSession, row: HandoffRequestRow) -> tuple[int, ...]:
    """Who receives this request now: its center's staff, else the country's coordinators
    (also when the center's staff left the bot since)."""
    if row.center_id:
        staff = await staff_of(session, row.center_id)
        if staff:
            return staff
    return await coordinators_of(session, row.country)


def add_history(
    session: AsyncSession, request_id: int, now: datetime, action: str,
    actor: int | None = None, detail: str = "",
) -> None:  # fmt: skip
    session.add(
        RequestHistoryRow(
            request_id=request_id, at=now, actor_user_id=actor, action=action, detail=detail[:120]
        )
    )


def add_event(
    session: AsyncSession, row: HandoffRequestRow, now: datetime, kind: str,
    value: int | None = None,
) -> None:  # fmt: skip
    """An anonymous event for the statistics: never the user, never a text they typed."""
    session.add(
        EventRow(
            at=now, kind=kind, country=row.country, admin1=row.admin1, need=row.need,
            center_id=row.center_id or "", value=value,
        )
    )  # fmt: skip


class Handoff:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessions = sessions
        from bot.staff import StaffService  # not at import (bot.coordinators, the CLI)

        self._staff = StaffService(settings, sessions)

    # --- who may receive and act ---------------------------------------------------------

    async def can_receive(self, center_id: str, country: str) -> bool:
        """Whether a request for this center would reach someone (the card's button).

        Read from the centers with staff and the countries with coordinators, loaded at most
        every RECEIVERS_TTL seconds (a card is the hot path): a receiver added or removed on
        another worker changes the button within that time. Starting a request checks again
        in the database, and says so kindly when nobody receives it any more.
        """
        now = time.monotonic()
        cached = _RECEIVERS.get(self.sessions)
        if cached is None or now - cached[0] > RECEIVERS_TTL:
            async with self.sessions() as session:
                staffed = frozenset((await session.scalars(select(StaffLinkRow.center_id))).all())
                countries = (await session.scalars(select(CoordinatorRow.country))).all()
            cached = (now, staffed, frozenset(countries))
            _RECEIVERS[self.sessions] = cached
        return center_id in cached[1] or country in cached[2]

    async def _may_act(self, session: AsyncSession, actor: int, row: HandoffRequestRow) -> bool:
        if await self._staff.is_admin(actor, session):
            return True
        return actor in await receivers(session, row)

    async def _row(
        self, session: AsyncSession, actor: int, request_id: int
    ) -> HandoffRequestRow | None:
        """The request, if this user may act on it (else None: the same refusal for both)."""
        row = await session.get(HandoffRequestRow, request_id, with_for_update=True)
        if row is None or not await self._may_act(session, actor, row):
            return None
        return row

    async def is_receiver(self, user_id: int) -> bool:
        """Staff of a center, a coordinator or an admin (who may list requests)."""
        async with self.sessions() as session:
            if await self._staff.is_admin(user_id, session):
                return True
            staff = exists().where(StaffLinkRow.user_id == user_id)
            coordinator = exists().where(CoordinatorRow.user_id == user_id)
            return bool(await session.scalar(select(or_(staff, coordinator))))

    async def get(self, request_id: int) -> Request | None:
        async with self.sessions() as session:
            row = await session.get(HandoffRequestRow, request_id)
            return None if row is None else await view(session, row)

    # --- the receivers' buttons ----------------------------------------------------------

    async def take(
        self, actor: int, actor_name: str, request_id: int, now: datetime | None = None
    ) -> Outcome:
        """«Atender»: the request is taken by this receiver (its first name is shown)."""
        now = now or utcnow()
        async with self.sessions() as session, session.begin():
            row = await self._row(session, actor, request_id)
            if row is None:
                return Outcome(Verdict.NOT_ALLOWED)
            if row.status == TAKEN:
                return Outcome(Verdict.ALREADY_TAKEN, await view(session, row))
            if row.status != OPEN:
                return Outcome(Verdict.ALREADY_CLOSED, await view(session, row))
            row.status, row.taken_at, row.taken_by = TAKEN, now, actor
            row.taken_by_name = actor_name[:60]
            add_history(session, row.id, now, "taken", actor)
            seconds = int((now - _aware(row.created_at)).total_seconds())
            add_event(session, row, now, "request_taken", max(seconds, 0))
            return Outcome(Verdict.DONE, await view(session, row))

    async def close(self, actor: int, request_id: int, now: datetime | None = None) -> Outcome:
        """«Cerrar»: done (whether or not it was taken first)."""
        now = now or utcnow()
        async with self.sessions() as session, session.begin():
            row = await self._row(session, actor, request_id)
            if row is None:
                return Outcome(Verdict.NOT_ALLOWED)
            if row.status not in ACTIVE:
                return Outcome(Verdict.ALREADY_CLOSED, await view(session, row))
            row.status, row.closed_at = CLOSED, now
            add_history(session, row.id, now, "closed", actor)
            add_event(session, row, now, "request_closed")
            return Outcome(Verdict.DONE, await view(session, row))

    async def targets(self, actor: int, request_id: int) -> tuple[Request | None, list[Target]]:
        """Where this receiver may pass the request: the other centers of its country that
        have staff, and the coordinators ("") unless it is theirs already."""
        async with self.sessions() as session:
            row = await self._row(session, actor, request_id)
            if row is None:
                return None, []
            staffed = (
                select(CenterRow.id, CenterRow.name)
                .where(
                    CenterRow.country == row.country,
                    CenterRow.closed.is_(False),
                    exists().where(StaffLinkRow.center_id == CenterRow.id),
                )
                .order_by(CenterRow.position)
            )
            found = [
                Target(cid, name)
                for cid, name in (await session.execute(staffed)).all()
                if cid != row.center_id
            ]
            if row.center_id is not None and await coordinators_of(session, row.country):
                found.append(Target("", ""))
            return await view(session, row), found

    async def reassign(
        self, actor: int, request_id: int, center_id: str, now: datetime | None = None
    ) -> Outcome:
        """«Reasignar»: to another center of the country with staff, or ("") the coordinators.
        The request is open again, for its new receivers."""
        now = now or utcnow()
        async with self.sessions() as session, session.begin():
            row = await self._row(session, actor, request_id)
            if row is None:
                return Outcome(Verdict.NOT_ALLOWED)
            if row.status not in ACTIVE:
                return Outcome(Verdict.ALREADY_CLOSED, await view(session, row))
            if center_id:
                center = await session.get(CenterRow, center_id)
                ok = center is not None and center.country == row.country and not center.closed
                new = await staff_of(session, center_id) if ok else ()
            else:
                new = await coordinators_of(session, row.country)
            if not new or (center_id or None) == row.center_id:
                return Outcome(Verdict.NO_TARGET, await view(session, row))
            row.center_id = center_id or None
            row.status, row.taken_at, row.taken_by, row.taken_by_name = OPEN, None, None, None
            row.reminded_at = None  # its new receivers are reminded in their turn
            add_history(session, row.id, now, "reassigned", actor, center_id or "coordinators")
            return Outcome(Verdict.DONE, await view(session, row), new)

    async def listed(self, actor: int) -> tuple[list[Request], int]:
        """/solicitudes: the open and taken requests this user receives (staff: their
        centers'; coordinators: their countries' that have no staff receiver; admins: all),
        the oldest first, at most LIST_LIMIT; and how many there are in all."""
        async with self.sessions() as session:
            query = select(HandoffRequestRow).where(HandoffRequestRow.status.in_(ACTIVE))
            if not await self._staff.is_admin(actor, session):
                mine = select(StaffLinkRow.center_id).where(StaffLinkRow.user_id == actor)
                countries = select(CoordinatorRow.country).where(CoordinatorRow.user_id == actor)
                staffless = or_(
                    HandoffRequestRow.center_id.is_(None),
                    ~exists().where(StaffLinkRow.center_id == HandoffRequestRow.center_id),
                )
                query = query.where(
                    or_(
                        HandoffRequestRow.center_id.in_(mine),
                        HandoffRequestRow.country.in_(countries) & staffless,
                    )
                )
            total = await session.scalar(select(func.count()).select_from(query.subquery()))
            rows = (
                await session.scalars(
                    query.order_by(HandoffRequestRow.created_at, HandoffRequestRow.id).limit(
                        LIST_LIMIT
                    )
                )
            ).all()
            return [await view(session, r) for r in rows], int(total or 0)

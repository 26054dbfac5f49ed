"""Warm handoff, the care of requests over time: the reminder of a request nobody took, the
feedback question after one is closed (and its answer), and privacy — /olvidar and the
retention of personal data. Every function takes `now`, so tests control the clock; the job
that calls them runs on one worker (bot.handlers.handoff.run_jobs takes the lease).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.models import HandoffRequestRow, RequestDraftRow, RequestHistoryRow
from bot.handoff import (
    ACTIVE,
    CANCELLED,
    CLOSED,
    OPEN,
    PERSONAL,
    Request,
    Verdict,
    add_event,
    add_history,
    receivers,
    utcnow,
    view,
)


class Forgotten(NamedTuple):
    touched: int  # the user's requests whose personal fields were erased
    withdrawn: tuple[tuple[str, tuple[int, ...]], ...]  # (reference, whom to tell) per open one


class RequestCare:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessions = sessions

    # --- jobs ----------------------------------------------------------------------------

    async def due_reminders(self, now: datetime) -> list[tuple[Request, tuple[int, ...]]]:
        """Requests not taken within REQUEST_REMIND_HOURS of being sent, or of being
        reassigned (its new receivers are reminded too), each once per receivers: marked
        reminded (and the entrepreneur's contact as sent), with the receivers to remind."""
        cutoff = now - timedelta(hours=self.settings.request_remind_hours)
        reassigned = (
            select(func.max(RequestHistoryRow.at))
            .where(
                RequestHistoryRow.request_id == HandoffRequestRow.id,
                RequestHistoryRow.action == "reassigned",
            )
            .scalar_subquery()
        )
        due = []
        async with self.sessions() as session, session.begin():
            rows = (
                await session.scalars(
                    select(HandoffRequestRow)
                    .where(
                        HandoffRequestRow.status == OPEN,
                        HandoffRequestRow.reminded_at.is_(None),
                        HandoffRequestRow.created_at <= cutoff,
                        or_(reassigned.is_(None), reassigned <= cutoff),
                    )
                    .order_by(HandoffRequestRow.id)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                row.reminded_at = now
                add_history(session, row.id, now, "reminded")
                add_history(session, row.id, now, "contact_sent")
                due.append((await view(session, row), await receivers(session, row)))
        return due

    async def due_feedback(self, now: datetime) -> list[Request]:
        """Requests closed FEEDBACK_DAYS ago whose entrepreneur was not asked yet (once)."""
        cutoff = now - timedelta(days=self.settings.feedback_days)
        async with self.sessions() as session, session.begin():
            rows = (
                await session.scalars(
                    select(HandoffRequestRow)
                    .where(
                        HandoffRequestRow.status == CLOSED,
                        HandoffRequestRow.feedback_asked_at.is_(None),
                        HandoffRequestRow.personal_purged_at.is_(None),
                        HandoffRequestRow.closed_at <= cutoff,
                    )
                    .order_by(HandoffRequestRow.id)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                row.feedback_asked_at = now
            return [await view(session, r) for r in rows]

    async def rate(
        self, user_id: int, request_id: int, rating: int, now: datetime | None = None
    ) -> Verdict:
        """The entrepreneur's answer to «¿Le fue útil?» (1-5), once; then a comment may follow."""
        now = now or utcnow()
        async with self.sessions() as session, session.begin():
            row = await session.get(HandoffRequestRow, request_id, with_for_update=True)
            if row is None or row.user_id != user_id or row.feedback_asked_at is None:
                return Verdict.NOT_ALLOWED
            if row.rating is not None or not 1 <= rating <= 5:
                return Verdict.ALREADY_CLOSED
            row.rating = rating
            add_history(session, row.id, now, "feedback", user_id, f"rating {rating}")
            add_event(session, row, now, "feedback", rating)
        return Verdict.DONE

    # --- privacy -------------------------------------------------------------------------

    async def forget_requests(self, user_id: int, now: datetime | None = None) -> Forgotten:
        """/olvidar: null the personal fields of the user's requests, cancel the open ones and
        delete the draft; the number of requests touched, and who must be told of each
        request withdrawn (whoever took it, else everyone who received it)."""
        now = now or utcnow()
        withdrawn: list[tuple[str, tuple[int, ...]]] = []
        async with self.sessions() as session, session.begin():
            await session.execute(
                delete(RequestDraftRow).where(RequestDraftRow.user_id == user_id)
            )
            rows = (
                await session.scalars(
                    select(HandoffRequestRow).where(HandoffRequestRow.user_id == user_id)
                )
            ).all()
            for row in rows:
                if row.status in ACTIVE:
                    told = (row.taken_by,) if row.taken_by else await receivers(session, row)
                    withdrawn.append((row.reference, told))
                    row.status, row.closed_at = CANCELLED, now
                    add_history(session, row.id, now, "cancelled", user_id, "forget")
                if row.personal_purged_at is None:
                    row.personal_purged_at = now
                    add_history(session, row.id, now, "purged", user_id, "forget")
                for name in PERSONAL:
                    setattr(row, name, None)
        return Forgotten(len(rows), tuple(withdrawn))

    async def purge_personal(self, now: datetime, retention_days: int | None = None) -> int:
        """Null the personal fields of requests closed or created more than
        REQUEST_RETENTION_DAYS ago (the counts stay); the number purged."""
        days = (
            retention_days if retention_days is not None else self.settings.request_retention_days
        )
        cutoff = now - timedelta(days=days)
        async with self.sessions() as session, session.begin():
            old = or_(HandoffRequestRow.created_at < cutoff, HandoffRequestRow.closed_at < cutoff)
            ids = (
                await session.scalars(
                    select(HandoffRequestRow.id).where(
                        HandoffRequestRow.personal_purged_at.is_(None), old
                    )
                )
            ).all()
            if not ids:
                return 0
            await session.execute(
                update(HandoffRequestRow)
                .where(HandoffRequestRow.id.in_(ids))
                .values(personal_purged_at=now, **dict.fromkeys(PERSONAL))
            )
            for request_id in ids:
                add_history(session, request_id, now, "purged", None, f"{days} days")
        return len(ids)

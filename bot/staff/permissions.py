"""Who may do what (staff of a center, admins), and what every use case shares: the
history row, the centers' cache version, rate counts.

Every method that changes something takes the acting Telegram user id and checks, here in the
service layer, that this user may do it — whatever button, command or forged callback led here.
The command line acts as `CLI_ACTOR`, a coordinator on the server."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.models import AdminRow, CenterRow, ChangeRow, RateEventRow, ReportRow, StaffLinkRow
from bot.db.repositories import CenterRepository, MetaRepository
from bot.db.seed import CENTERS_VERSION_KEY
from bot.domain.models import Center
from bot.staff.model import CLI_ACTOR, NotAllowed, _now


class StaffBase:
    """What every group of staff use cases shares: settings, sessions, permissions."""

    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessions = sessions

    # --- who may do what ----------------------------------------------------------------

    async def is_admin(self, user_id: int, session: AsyncSession | None = None) -> bool:
        if user_id == CLI_ACTOR or user_id in self.settings.admin_user_ids:
            return True
        if session is None:
            async with self.sessions() as s:
                return await s.get(AdminRow, user_id) is not None
        return await session.get(AdminRow, user_id) is not None

    async def _require_admin(self, session: AsyncSession, user_id: int) -> None:
        if not await self.is_admin(user_id, session):
            raise NotAllowed

    async def _require_center(
        self, session: AsyncSession, user_id: int, center_id: str
    ) -> CenterRow:
        """The center, if this user is its staff (or an admin); else NotAllowed."""
        row = await session.get(CenterRow, center_id)
        if row is None:
            raise NotAllowed
        if await self.is_admin(user_id, session):
            return row
        if await session.get(StaffLinkRow, (user_id, center_id)) is None:
            raise NotAllowed
        return row

    async def centers_of(self, user_id: int) -> list[Center]:
        """The centers this user keeps (admins: none listed here; they pick by id)."""
        async with self.sessions() as session:
            ids = (
                await session.scalars(
                    select(StaffLinkRow.center_id).where(StaffLinkRow.user_id == user_id)
                )
            ).all()
            repo = CenterRepository(session)
            centers = [await repo.get(cid) for cid in ids]
        return [c for c in centers if c is not None]

    async def center_for(self, user_id: int, center_id: str) -> Center:
        async with self.sessions() as session:
            await self._require_center(session, user_id, center_id)
            center = await CenterRepository(session).get(center_id)
        assert center is not None
        return center

    # --- internals --------------------------------------------------------------------------

    @staticmethod
    def _log(
        session: AsyncSession, center_id: str, actor: int, field: str, old: str, new: str
    ) -> None:
        session.add(
            ChangeRow(
                center_id=center_id, actor_id=actor or None,
                actor="cli" if actor == CLI_ACTOR else f"telegram:{actor}", at=_now(),
                field=str(field), old_value=old, new_value=new,
            )
        )  # fmt: skip

    @staticmethod
    async def _close_reports(session: AsyncSession, center_id: str, field: str = "") -> None:
        """Staff acted: the open reports (of that field, or all) are handled."""
        stmt = update(ReportRow).where(ReportRow.center_id == center_id, ReportRow.open)
        if field:
            stmt = stmt.where(ReportRow.field == str(field))
        await session.execute(stmt.values(open=False))

    @staticmethod
    async def _touch(session: AsyncSession) -> None:
        """Tell every worker's cache that the centers changed."""
        await MetaRepository(session).set(CENTERS_VERSION_KEY, uuid.uuid4().hex)

    @staticmethod
    async def _count_events(
        session: AsyncSession, kind: str, user_id: int, since: datetime
    ) -> int:
        count = await session.scalar(
            select(func.count())
            .select_from(RateEventRow)
            .where(
                RateEventRow.kind == kind, RateEventRow.user_id == user_id, RateEventRow.at > since
            )
        )
        return int(count or 0)

    # --- for bulk tools (bot.center_io) ---------------------------------------------------

    @staticmethod
    def record_change(
        session: AsyncSession, center_id: str, actor: int, field: str, old: str, new: str
    ) -> None:
        """Add one history row in the caller's transaction (the CLI import's changes)."""
        StaffBase._log(session, center_id, actor, field, old, new)

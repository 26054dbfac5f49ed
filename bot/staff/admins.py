"""Admin use cases: admins, new centers, closing a center for good."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from bot.db.models import AdminRow, CenterAreaRow, CenterRow, CenterServiceRow
from bot.domain.models import Center
from bot.staff.model import CORE_SERVICES, Field, _now
from bot.staff.permissions import StaffBase


class AdminCases(StaffBase):
    """Admins: who else administers, centers added or closed for good."""

    # --- admins -------------------------------------------------------------------------------

    async def add_admin(self, actor: int, user_id: int) -> bool:
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            if await session.get(AdminRow, user_id):
                return False
            session.add(AdminRow(user_id=user_id, added_by=str(actor), created_at=_now()))
        return True

    async def remove_admin(self, actor: int, user_id: int) -> bool:
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            result = await session.execute(delete(AdminRow).where(AdminRow.user_id == user_id))
        return bool(getattr(result, "rowcount", 0))

    async def list_admins(self, actor: int) -> list[int]:
        async with self.sessions() as session:
            await self._require_admin(session, actor)
            stored = (await session.scalars(select(AdminRow.user_id))).all()
        return sorted(set(stored) | set(self.settings.admin_user_ids))

    async def close_for_good(self, actor: int, center_id: str) -> None:
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            row = await session.get(CenterRow, center_id)
            if row is None:
                raise KeyError(center_id)
            row.closed = True
            self._log(session, center_id, actor, Field.CLOSED, "no", "yes")
            await self._touch(session)

    async def add_center(
        self, actor: int, center_id: str, name: str, country: str, admin1: str, city: str = ""
    ) -> Center:
        """A new center: it serves its department and offers the network's core services
        (assumed, as for the seeded centers) until its staff say more."""
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            if await session.get(CenterRow, center_id) is not None:
                raise ValueError(center_id)
            position = int(await session.scalar(select(func.count()).select_from(CenterRow)) or 0)
            session.add(
                CenterRow(
                    id=center_id, position=position, country=country, name=name, city=city,
                    admin1=admin1, network="", operator="", address="", phone="", email="",
                    website="", hours="", coord_precision="", service_area_inferred=False,
                    source_url="", source_date=date.today().isoformat(), verified=False,
                    ranked=True, notes="Added by an admin in the bot.",
                    areas=[CenterAreaRow(admin1=admin1)] if admin1 else [],
                    services=[CenterServiceRow(service_slug=slug, position=i, sourced=False)
                              for i, slug in enumerate(CORE_SERVICES)],
                )
            )  # fmt: skip
            await session.flush()
            self._log(session, center_id, actor, Field.CREATED, "", name)
            await self._touch(session)
        return await self.center_for(actor, center_id)

"""Reports of a wrong detail (grouped per field until staff act) and monthly reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.db.models import AdminRow, RateEventRow, ReportRow, StaffLinkRow
from bot.db.repositories import CenterRepository, _aware
from bot.domain.models import Center
from bot.staff.model import REMINDER_DAYS, REPORTS_PER_DAY, RateLimited, ReportOutcome, _now
from bot.staff.permissions import StaffBase


class ReportCases(StaffBase):
    """Reports from entrepreneurs, reminders to staff."""

    # --- reports and reminders -----------------------------------------------------------------

    async def report(self, user_id: int, center_id: str, field: str) -> ReportOutcome:
        """An entrepreneur says a field is wrong; grouped per field until staff act."""
        now = _now()
        async with self.sessions() as session, session.begin():
            if await self._count_events(session, "report", user_id, now - timedelta(days=1)) >= (
                REPORTS_PER_DAY
            ):
                raise RateLimited
            center = await CenterRepository(session).get(center_id)
            if center is None:
                raise KeyError(center_id)
            session.add(RateEventRow(kind="report", user_id=user_id, at=now))
            row = await session.scalar(
                select(ReportRow).where(
                    ReportRow.center_id == center_id, ReportRow.field == field, ReportRow.open
                )
            )
            notify = row is None
            if row is None:
                row = ReportRow(center_id=center_id, field=field, count=1, first_at=now,
                                last_at=now, open=True)  # fmt: skip
                session.add(row)
            else:
                row.count += 1
                row.last_at = now
            count = row.count
            staff = (
                await session.scalars(
                    select(StaffLinkRow.user_id).where(StaffLinkRow.center_id == center_id)
                )
            ).all()
            admins = (await session.scalars(select(AdminRow.user_id))).all()
        recipients = tuple(sorted(set(staff) | set(admins) | set(self.settings.admin_user_ids)))
        return ReportOutcome(center, field, count, notify, recipients)

    async def due_reminders(self, now: datetime | None = None) -> list[tuple[int, Center]]:
        """Staff whose listing was not confirmed (nor they reminded) in the last month."""
        now = now or _now()
        cutoff = now - timedelta(days=REMINDER_DAYS)
        out: list[tuple[int, Center]] = []
        async with self.sessions() as session, session.begin():
            links = (await session.scalars(select(StaffLinkRow))).all()
            repo = CenterRepository(session)
            for link in links:
                center = await repo.get(link.center_id)
                if center is None or center.closed:
                    continue
                fresh = center.confirmed_at is not None and center.confirmed_at > cutoff
                reminded = (
                    link.last_reminded_at is not None and _aware(link.last_reminded_at) > cutoff
                )
                if not fresh and not reminded:
                    link.last_reminded_at = now
                    out.append((link.user_id, center))
        return out

"""Listing use cases: saving a value (conflicts refused), confirming, temporary closures,
the history and reverting a change."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from bot.db.models import CenterAreaRow, CenterRow, CenterServiceRow, ChangeRow, ClosureRow
from bot.db.repositories import CenterRepository, _aware
from bot.domain import hours as hours_mod
from bot.domain.listings import ListingError, ListingErrorCode, ListingField, validate_text
from bot.domain.models import Center
from bot.staff.model import REVERTIBLE, TEXT_FIELDS, Change, Field, SaveResult, _now, field_value
from bot.staff.permissions import StaffBase


class ListingCases(StaffBase):
    """A center's listing: values, confirmation, closures, history."""

    # --- edits ----------------------------------------------------------------------------------

    async def save(
        self,
        actor: int,
        center_id: str,
        field: str,
        new_value: str,
        base_version: int,
        expected: str | None = None,
    ) -> SaveResult:
        """Apply one validated value, unless someone changed it since the edit began.

        `expected` is the field's value when the edit began: a change of another field of the
        center in the meantime does not refuse this save (without it, any change does).
        """
        try:
            async with self.sessions() as session, session.begin():
                row = await self._require_center(session, actor, center_id)
                current = await CenterRepository(session).get(center_id)
                assert current is not None
                old = field_value(current, field)
                if row.version != base_version and (expected is None or old != expected):
                    return SaveResult(False, old, row.version)
                _apply(row, field, new_value)
                row.version += 1
                await self._close_reports(session, center_id, field)
                self._log(session, center_id, actor, field, old, new_value)
                await self._touch(session)
                await session.flush()
                version = row.version
        except StaleDataError:  # another worker committed between our read and our write
            async with self.sessions() as session:
                center = await CenterRepository(session).get(center_id)
            assert center is not None
            return SaveResult(False, field_value(center, field), center.version)
        return SaveResult(True, new_value, version)

    async def confirm(self, actor: int, center_id: str) -> None:
        """Staff say the listing is current (shown to entrepreneurs as freshness)."""
        async with self.sessions() as session, session.begin():
            row = await self._require_center(session, actor, center_id)
            row.confirmed_at = _now()
            self._log(session, center_id, actor, Field.CONFIRMED, "", "")
            await self._close_reports(session, center_id)
            await self._touch(session)

    async def add_closure(
        self, actor: int, center_id: str, start: date, end: date, message: str
    ) -> None:
        """A temporary closure; its message is validated like every text staff type (see
        closure_message: ListingError for control or bidi characters)."""
        async with self.sessions() as session, session.begin():
            row = await self._require_center(session, actor, center_id)
            message = closure_message(message)
            row.closures.append(
                ClosureRow(start=start, end=end, message=message, created_at=_now())
            )
            row.version += 1
            self._log(session, center_id, actor, Field.CLOSURE, "", f"{start}|{end}|{message}")
            await self._close_reports(session, center_id, Field.CLOSURE)
            await self._touch(session)

    async def end_closures(self, actor: int, center_id: str, today: date) -> int:
        """Reopen now: drop the closures covering today (planned holidays stay)."""
        async with self.sessions() as session, session.begin():
            row = await self._require_center(session, actor, center_id)
            gone = [c for c in row.closures if c.start <= today <= c.end]
            for closure in gone:
                row.closures.remove(closure)
            if gone:
                row.version += 1
                old = ";".join(f"{c.start}|{c.end}|{c.message}" for c in gone)
                self._log(session, center_id, actor, Field.CLOSURE, old, "")
                await self._close_reports(session, center_id, Field.CLOSURE)
                await self._touch(session)
        return len(gone)

    async def reopen(self, actor: int, center_id: str) -> int:
        """«Reabrir ya»: end the closures covering the center's today (in its time zone)."""
        center = await self.center_for(actor, center_id)
        return await self.end_closures(actor, center.id, center_today(center))

    # --- history ----------------------------------------------------------------------------

    async def history(self, actor: int, center_id: str, limit: int = 10) -> list[Change]:
        async with self.sessions() as session:
            await self._require_center(session, actor, center_id)
            rows = (
                await session.scalars(
                    select(ChangeRow)
                    .where(ChangeRow.center_id == center_id)
                    .order_by(ChangeRow.id.desc())
                    .limit(limit)
                )
            ).all()
        return [
            Change(r.id, r.center_id, r.actor_id, _aware(r.at), r.field, r.old_value,
                   r.new_value, r.reverts)
            for r in rows
        ]  # fmt: skip

    async def revert(self, actor: int, change_id: int) -> SaveResult:
        """An admin puts a field back to its value before a change (a new change itself)."""
        async with self.sessions() as session:
            await self._require_admin(session, actor)
            change = await session.get(ChangeRow, change_id)
            if change is None or change.field not in REVERTIBLE:
                raise KeyError(change_id)
            center = await CenterRepository(session).get(change.center_id)
            assert center is not None
        result = await self.save(
            actor, change.center_id, change.field, change.old_value, center.version
        )
        if result.saved:
            async with self.sessions() as session, session.begin():
                latest = await session.scalar(
                    select(ChangeRow)
                    .where(ChangeRow.center_id == change.center_id)
                    .order_by(ChangeRow.id.desc())
                    .limit(1)
                )
                if latest is not None:
                    latest.reverts = change_id
        return result


def _apply(row: CenterRow, field: str, value: str) -> None:
    """Write one field's stored form onto the row (values were validated before)."""
    if field in TEXT_FIELDS:
        setattr(row, field, value)
    elif field == Field.HOURS:
        row.hours_json = value
    elif field == Field.LOCATION:
        if value:
            lat, lon = (float(part) for part in value.split(","))
            row.lat, row.lon, row.coord_precision = lat, lon, "exact"
        else:
            row.lat = row.lon = None
            row.coord_precision = ""
    elif field == Field.SERVICE_AREA:
        keys = [k for k in value.split(";") if k]
        row.areas = [CenterAreaRow(admin1=k) for k in dict.fromkeys(keys)]
        row.service_area_inferred = False
    elif field == Field.SERVICES:
        slugs = [s for s in value.split(";") if s]
        row.services = [
            CenterServiceRow(service_slug=s, position=i, sourced=True)
            for i, s in enumerate(dict.fromkeys(slugs))
        ]
    else:
        raise ValueError(field)


def closure_message(text: str) -> str:
    """The message of a temporary closure as stored: validated like an address (control, bidi
    and invisible characters, length, words), tidied; "" for none ("", "-", "N/A"…)."""
    if text.strip() in ("", "-"):
        return ""
    try:
        return validate_text(ListingField.CLOSURE, text)
    except ListingError as error:
        if error.code in (ListingErrorCode.EMPTY, ListingErrorCode.PLACEHOLDER):
            return ""
        raise


def center_today(center: Center) -> date:
    """Today in the center's time zone (closures are in its local days)."""
    from zoneinfo import ZoneInfo

    zone = center.timezone or hours_mod.timezone_for(center.country)
    return datetime.now(ZoneInfo(zone)).date()

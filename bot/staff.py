"""Staff and admin use cases: invites, listing edits, history, closures, reports, reminders.

Every method that changes something takes the acting Telegram user id and checks, here in the
service layer, that this user may do it — whatever button, command or forged callback led here.
The command line acts as `CLI_ACTOR`, a coordinator on the server.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.config import Settings
from bot.db.models import (
    AdminRow,
    CenterAreaRow,
    CenterRow,
    CenterServiceRow,
    ChangeRow,
    ClosureRow,
    EditSessionRow,
    InviteRow,
    RateEventRow,
    ReportRow,
    StaffLinkRow,
)
from bot.db.repositories import CenterRepository, MetaRepository, _aware
from bot.db.seed import CENTERS_VERSION_KEY
from bot.domain.listings import ListingError, ListingErrorCode, ListingField, validate_text
from bot.domain.models import Center

CLI_ACTOR = 0  # the command line: a coordinator with shell access
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed by hand
INVITE_LENGTH = 10
INVITE_DAYS = 7
WRONG_CODES_PER_HOUR = 5
REPORTS_PER_DAY = 4
EDIT_MINUTES = 15
REMINDER_DAYS = 30
# What every center of an SBDC-model network offers (see data/SOURCES.md).
CORE_SERVICES = ("emprendimiento", "asesoria", "capacitacion", "financiamiento", "formalizacion",
                 "finanzas", "mercadeo")  # fmt: skip


class Field(StrEnum):
    """What a change touches (listing fields and whole-center actions)."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    CITY = "city"
    WEBSITE = "website"
    HOURS = "hours"
    LOCATION = "location"
    SERVICE_AREA = "service_area"
    SERVICES = "services"
    CLOSURE = "closure"
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    CREATED = "created"
    STAFF = "staff"


TEXT_FIELDS = (Field.PHONE, Field.EMAIL, Field.ADDRESS, Field.CITY, Field.WEBSITE)


class NotAllowed(Exception):
    """The user may not do this; the bot answers with a neutral refusal and changes nothing."""


class InviteProblem(StrEnum):
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY = "too_many"


class InviteError(Exception):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class RateLimited(Exception):
    """Too many attempts of this kind by this user for now."""


@dataclass(frozen=True, slots=True)
class StaffMember:
    user_id: int
    center_id: str
    since: datetime


@dataclass(frozen=True, slots=True)
class OpenInvite:
    """An invite nobody used yet (its code is not known: only its hash is stored)."""

    id: int
    center_id: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    center_id: str
    actor_id: int | None
    at: datetime
    field: str
    old_value: str
    new_value: str
    reverts: int | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """A saved edit, or the value someone else saved in the meantime (nothing overwritten)."""

    saved: bool
    current_value: str
    version: int


@dataclass(frozen=True, slots=True)
class EditSession:
    user_id: int
    center_id: str
    field: str
    step: str
    draft: dict[str, object]
    base_version: int


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """Who to tell about a report; `notify` is False when it joins an open group."""

    center: Center
    field: str
    count: int
    notify: bool
    recipients: tuple[int, ...]


def hash_code(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def field_value(center: Center, field: str) -> str:
    """A field's value as stored in the history (lists joined, location as "lat,lon")."""
    if field == Field.HOURS:
        return center.hours_json
    if field == Field.LOCATION:
        return "" if center.lat is None else f"{center.lat:.5f},{center.lon:.5f}"
    if field == Field.SERVICE_AREA:
        return ";".join(center.service_area)
    if field == Field.SERVICES:
        return ";".join(center.services)
    if field == Field.CLOSURE:
        return ";".join(f"{c.start}|{c.end}|{c.message}" for c in center.closures)
    if field == Field.CLOSED:
        return "yes" if center.closed else "no"
    return str(getattr(center, field, ""))


class StaffService:
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

    # --- invites and staff ----------------------------------------------------------------------

    async def create_invite(self, actor: int, center_id: str, days: int = INVITE_DAYS) -> str:
        """A single-use code for a center; only its hash is stored."""
        return (await self.issue_invite(actor, center_id, days))[1]

    async def issue_invite(
        self, actor: int, center_id: str, days: int = INVITE_DAYS
    ) -> tuple[int, str]:
        """A single-use code for a center, and the invite's id (to revoke it by)."""
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            if await session.get(CenterRow, center_id) is None:
                raise KeyError(center_id)
            now = _now()
            invite = InviteRow(
                center_id=center_id,
                code_hash=hash_code(code),
                created_by=str(actor),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            session.add(invite)
            await session.flush()
            invite_id = invite.id
        return invite_id, code

    async def redeem_invite(self, user_id: int, code: str) -> Center:
        """Link the user to the invite's center; wrong codes are limited per user.

        The invite is taken by one conditional UPDATE (still unused, not expired): of two people
        redeeming one code at once, exactly one is linked, on SQLite as on PostgreSQL.
        """
        now = _now()
        async with self.sessions() as session, session.begin():
            if await self._count_events(session, "code", user_id, now - timedelta(hours=1)) >= (
                WRONG_CODES_PER_HOUR
            ):
                raise InviteError(InviteProblem.TOO_MANY)
            invite = await session.scalar(
                select(InviteRow).where(InviteRow.code_hash == hash_code(code))
            )
            problem = None
            if invite is None:
                problem = InviteProblem.WRONG
            elif invite.used_at is not None:
                problem = InviteProblem.USED
            elif _aware(invite.expires_at) <= now:
                problem = InviteProblem.EXPIRED
            if problem is not None:
                session.add(RateEventRow(kind="code", user_id=user_id, at=now))
        if problem is not None:  # the failed attempt is committed, then reported
            raise InviteError(problem)
        assert invite is not None
        invite_id, center_id = invite.id, invite.center_id
        async with self.sessions() as session, session.begin():
            taken = await session.execute(
                update(InviteRow)
                .where(
                    InviteRow.id == invite_id,
                    InviteRow.used_at.is_(None),
                    InviteRow.expires_at > now,
                )
                .values(used_at=now, used_by=user_id)
                .execution_options(synchronize_session=False)
            )
            if not getattr(taken, "rowcount", 0):  # someone else took it, or it was revoked
                used = await session.scalar(
                    select(InviteRow.used_at).where(InviteRow.id == invite_id)
                )
                raise InviteError(
                    InviteProblem.USED if used is not None else InviteProblem.EXPIRED
                )
            if await session.get(StaffLinkRow, (user_id, center_id)) is None:
                session.add(StaffLinkRow(user_id=user_id, center_id=center_id, created_at=now))
            self._log(session, center_id, user_id, Field.STAFF, "", f"+{user_id}")
        async with self.sessions() as session:
            center = await CenterRepository(session).get(center_id)
        assert center is not None
        return center

    async def discard_exposed_invite(self, code: str) -> bool:
        """Make an unused invite unusable because its code was shown where others could read it
        (sent in a group). Whoever knows a code could redeem it, so no other check is needed."""
        now = _now()
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(InviteRow)
                .where(
                    InviteRow.code_hash == hash_code(code),
                    InviteRow.used_at.is_(None),
                    InviteRow.expires_at > now,
                )
                .values(expires_at=now)
                .execution_options(synchronize_session=False)
            )
        return bool(getattr(result, "rowcount", 0))

    async def open_invites(self, actor: int, center_id: str | None = None) -> list[OpenInvite]:
        """Invites still usable (not used, not expired, not revoked), oldest first."""
        async with self.sessions() as session:
            await self._require_admin(session, actor)
            stmt = (
                select(InviteRow)
                .where(InviteRow.used_at.is_(None), InviteRow.expires_at > _now())
                .order_by(InviteRow.id)
            )
            if center_id:
                stmt = stmt.where(InviteRow.center_id == center_id)
            rows = (await session.scalars(stmt)).all()
        return [_open_invite(r) for r in rows]

    async def revoke_invite(self, actor: int, code_or_id: str | int) -> OpenInvite | None:
        """Make an unused invite unusable at once (by its code, or its id from open_invites).

        Revoked means expired now: the row stays, for the record. None when there is no such
        invite, or it was already used (then unlink the staff member instead), expired or
        revoked.
        """
        key = str(code_or_id).strip()
        by_id = key.isdigit() and len(key) < INVITE_LENGTH  # a code has INVITE_LENGTH characters
        now = _now()
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            found = InviteRow.id == int(key) if by_id else InviteRow.code_hash == hash_code(key)
            invite = await session.scalar(select(InviteRow).where(found))
            if invite is None:
                return None
            result = await session.execute(
                update(InviteRow)
                .where(
                    InviteRow.id == invite.id,
                    InviteRow.used_at.is_(None),
                    InviteRow.expires_at > now,
                )
                .values(expires_at=now)
                .execution_options(synchronize_session=False)
            )
            if not getattr(result, "rowcount", 0):
                return None
            return OpenInvite(invite.id, invite.center_id, _aware(invite.created_at), now)

    async def list_staff(self, actor: int, center_id: str | None = None) -> list[StaffMember]:
        async with self.sessions() as session:
            await self._require_admin(session, actor)
            stmt = select(StaffLinkRow).order_by(StaffLinkRow.center_id, StaffLinkRow.user_id)
            if center_id:
                stmt = stmt.where(StaffLinkRow.center_id == center_id)
            rows = (await session.scalars(stmt)).all()
        return [StaffMember(r.user_id, r.center_id, _aware(r.created_at)) for r in rows]

    async def revoke_staff(self, actor: int, user_id: int, center_id: str | None = None) -> int:
        """Unlink a staff member (from one center or all); returns how many links went."""
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            stmt = delete(StaffLinkRow).where(StaffLinkRow.user_id == user_id)
            if center_id:
                stmt = stmt.where(StaffLinkRow.center_id == center_id)
            result = await session.execute(stmt)
            await session.execute(delete(EditSessionRow).where(EditSessionRow.user_id == user_id))
        return int(getattr(result, "rowcount", 0) or 0)

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

    # --- edit conversations (state in the database, any worker can continue) ------------------

    async def start_edit(self, actor: int, center_id: str, field: str, step: str,
                         draft: dict[str, object] | None = None) -> EditSession:  # fmt: skip
        async with self.sessions() as session, session.begin():
            row = await self._require_center(session, actor, center_id)
            await session.execute(delete(EditSessionRow).where(EditSessionRow.user_id == actor))
            center = await CenterRepository(session).get(center_id)
            assert center is not None
            # The field's value now: at save, only a change of this field is a conflict.
            draft = {**(draft or {}), "original": field_value(center, field)}
            edit = EditSessionRow(
                user_id=actor, center_id=center_id, field=field, step=step,
                draft=json.dumps(draft, ensure_ascii=False), base_version=row.version,
                expires_at=_now() + timedelta(minutes=EDIT_MINUTES),
            )  # fmt: skip
            session.add(edit)
        return _edit(edit)

    async def current_edit(self, user_id: int) -> EditSession | None:
        """The user's edit in progress, if it has not expired."""
        async with self.sessions() as session:
            row = await session.get(EditSessionRow, user_id)
            if row is None or _aware(row.expires_at) <= _now():
                return None
            return _edit(row)

    async def update_edit(self, user_id: int, step: str, draft: dict[str, object]) -> None:
        async with self.sessions() as session, session.begin():
            row = await session.get(EditSessionRow, user_id)
            if row is None:
                return
            row.step = step
            row.draft = json.dumps(draft, ensure_ascii=False)
            row.expires_at = _now() + timedelta(minutes=EDIT_MINUTES)

    async def end_edit(self, user_id: int) -> bool:
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                delete(EditSessionRow).where(EditSessionRow.user_id == user_id)
            )
        return bool(getattr(result, "rowcount", 0))

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
        StaffService._log(session, center_id, actor, field, old, new)


REVERTIBLE = {f.value for f in (*TEXT_FIELDS, Field.HOURS, Field.LOCATION, Field.SERVICE_AREA,
                                 Field.SERVICES)}  # fmt: skip


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


def _open_invite(row: InviteRow) -> OpenInvite:
    return OpenInvite(row.id, row.center_id, _aware(row.created_at), _aware(row.expires_at))


def _edit(row: EditSessionRow) -> EditSession:
    return EditSession(row.user_id, row.center_id, row.field, row.step,
                       json.loads(row.draft or "{}"), row.base_version)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)

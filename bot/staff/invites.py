"""Invites and staff links: codes issued, redeemed, revoked; staff listed and unlinked."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from bot.db.models import CenterRow, EditSessionRow, InviteRow, RateEventRow, StaffLinkRow
from bot.db.repositories import CenterRepository, _aware
from bot.domain.models import Center
from bot.staff.model import (
    INVITE_ALPHABET,
    INVITE_DAYS,
    INVITE_LENGTH,
    WRONG_CODES_PER_HOUR,
    Field,
    InviteError,
    InviteProblem,
    OpenInvite,
    StaffMember,
    _now,
    hash_code,
)
from bot.staff.permissions import StaffBase


class InviteCases(StaffBase):
    """Invites and the staff they link."""

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


def _open_invite(row: InviteRow) -> OpenInvite:
    return OpenInvite(row.id, row.center_id, _aware(row.created_at), _aware(row.expires_at))

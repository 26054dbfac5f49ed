"""Edit conversations: their state lives in the database (`edit_sessions`), so any worker
can continue one."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import delete

from bot.db.models import EditSessionRow
from bot.db.repositories import CenterRepository, _aware
from bot.staff.listings import ListingCases
from bot.staff.model import EDIT_MINUTES, EditSession, _now, field_value


class EditCases(ListingCases):
    """The edit conversation's state, one row per user."""

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


def _edit(row: EditSessionRow) -> EditSession:
    return EditSession(row.user_id, row.center_id, row.field, row.step,
                       json.loads(row.draft or "{}"), row.base_version)  # fmt: skip

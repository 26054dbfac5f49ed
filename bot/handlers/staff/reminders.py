"""The monthly reminder to staff to confirm or correct their listing (a JobQueue job)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot import callbacks, texts
from bot.guard import JOB_LEASE, acquire_lease
from bot.handlers.context import BotContext
from bot.handlers.keyboards import inline_markup
from bot.handlers.staff.common import _services
from bot.replies import Button

log = logging.getLogger(__name__)


async def remind_staff(context: BotContext) -> None:
    """JobQueue: the monthly reminder to confirm or correct a listing (one worker only)."""
    if not await acquire_lease(_services(context).sessions, "reminders", JOB_LEASE):
        return
    for user_id, center in await _services(context).staff.due_reminders(datetime.now(UTC)):
        buttons = (
            (Button(texts.STAFF_CONFIRM_BUTTON, callbacks.staff("ok", center.id)),),
            (Button(texts.STAFF_EDIT_BUTTON, callbacks.staff("open", center.id)),),
        )
        try:
            await context.bot.send_message(
                user_id,
                texts.REMINDER.format(center=texts.esc(center.name)),
                reply_markup=inline_markup(buttons),
            )
        except Exception:  # blocked the bot, network: try again next month
            log.warning("reminder not delivered to a staff member of %s", center.id)

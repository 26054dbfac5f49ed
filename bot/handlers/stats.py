"""/estadisticas: the network's numbers, for network admins (every country) and coordinators
(their countries), in the private chat only: a short summary and a chart of the demand by
department (bot.stats, bot.stats_render)."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, date, datetime, timedelta
from html import escape

from telegram import Chat, InputFile, Update

from bot import stats_render
from bot.domain.gazetteer import COUNTRY_NAMES
from bot.handlers.context import BotContext
from bot.stats import Period, gather, scope_for
from bot.texts import stats as texts_stats

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
MAX_DAYS = 3660
_DAYS = re.compile(r"\d{1,4}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_request(args: list[str], today: date) -> tuple[Period, str] | None:
    """(period, country) from the command's words: a number of days (the last N, today
    included) or a first day (AAAA-MM-DD), and a country code, in any order; None when a word
    is neither."""
    since = today - timedelta(days=DEFAULT_DAYS - 1)
    country = ""
    for word in args[:3]:
        if _DAYS.fullmatch(word) and 1 <= int(word) <= MAX_DAYS:
            since = today - timedelta(days=int(word) - 1)
        elif _DATE.fullmatch(word):
            try:
                since = date.fromisoformat(word)
            except ValueError:
                return None
        elif word.upper() in COUNTRY_NAMES:
            country = word.upper()
        else:
            return None
    if len(args) > 3 or since > today:
        return None
    return Period(since), country


async def cmd_stats(update: Update, context: BotContext) -> None:
    """/estadisticas [DÍAS | AAAA-MM-DD] [PAÍS]."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    if chat.type != Chat.PRIVATE:  # nothing shown in a group
        username = escape(context.bot.username or "", quote=False)
        await chat.send_message(texts_stats.PRIVATE_ONLY.format(bot=username))
        return
    services = context.services
    request = parse_request((message.text or "").split()[1:], datetime.now(UTC).date())
    scope = await scope_for(services.staff, user.id, request[1] if request else "")
    if scope is None:
        log.info("statistics refused: user=%s", user.id)
        await chat.send_message(texts_stats.REFUSED)
        return
    if request is None:
        await chat.send_message(texts_stats.USAGE)
        return
    await services.events.flush()  # this worker's last second of searches counts too
    stats = await gather(services.sessions, services.gazetteer, request[0], scope)
    await chat.send_message(stats_render.render_text(stats))
    if stats.departments:
        png = await asyncio.to_thread(stats_render.render_png, stats)
        await chat.send_photo(
            InputFile(png, filename="estadisticas.png"), caption=texts_stats.PHOTO_CAPTION
        )

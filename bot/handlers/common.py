"""Commands that are not a search: start, help, privacy, forget, unknown input, errors."""

from __future__ import annotations

import contextlib
import logging
import re

from telegram import Update
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot import texts
from bot.guard import JOB_LEASE, acquire_lease, purge_processed
from bot.handlers.context import BotContext
from bot.handlers.handoff import care_of, tell_receivers
from bot.handlers.keyboards import location_keyboard, send_replies
from bot.replies import Reply, need_menu
from bot.texts import requests as texts_requests

log = logging.getLogger(__name__)


async def _language(update: Update, context: BotContext) -> str:
    """The language the user wrote in before (remembered), Spanish for anyone else."""
    user = update.effective_user
    if user is None:
        return "es"
    return (await context.services.remembered(user.id)).language


async def cmd_start(update: Update, context: BotContext) -> None:
    """Welcome, the location button and the service menu: in Spanish, or in English when the
    user wrote in English before."""
    chat = update.effective_chat
    if chat is None:
        return
    language = await _language(update, context)
    if context.args and chat.type == chat.PRIVATE:  # a deep link: t.me/<bot>?start=<center>
        from bot.handlers.search import show_center

        if await show_center(chat, context, context.args[0][:64], language):
            return
    t = texts.for_language(language)
    keyboard = location_keyboard(language) if chat.type == chat.PRIVATE else None
    await chat.send_message(t.WELCOME, reply_markup=keyboard)
    await send_replies(
        chat, [Reply(t.SERVICE_MENU, buttons=need_menu(context.services.needs, lang=t))]
    )


async def cmd_help(update: Update, context: BotContext) -> None:
    if update.effective_chat:
        language = await _language(update, context)
        await update.effective_chat.send_message(texts.for_language(language).HELP)


async def cmd_services(update: Update, context: BotContext) -> None:
    if update.effective_chat:
        menu = Reply(texts.SERVICE_MENU, buttons=need_menu(context.services.needs))
        await send_replies(update.effective_chat, [menu])


async def cmd_location(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat:
        await send_replies(chat, [Reply(texts.ASK_LOCATION_ONLY, location_keyboard=True)])


async def cmd_privacy(update: Update, context: BotContext) -> None:
    if update.effective_chat:
        settings = context.services.settings
        user = update.effective_user
        language = (await context.services.remembered(user.id)).language if user else "es"
        requests = texts_requests.privacy(language, settings.request_retention_days)
        text = f"{texts.PRIVACY.format(minutes=settings.memory_minutes)}\n\n{requests}"
        await update.effective_chat.send_message(text)


async def cmd_forget(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    # the personal fields of the user's requests (what staff already received in their chats
    # cannot be recalled: /privacidad says so), then the memory and pending updates
    language = (await context.services.remembered(user.id)).language
    touched, withdrawn = await care_of(context.services).forget_requests(user.id)
    deleted = await context.services.forget(user.id, before_update=update.update_id)
    said = texts.FORGOTTEN if deleted or touched else texts.NOTHING_TO_FORGET
    if touched:
        said = f"{said}\n{texts_requests.forgotten_requests(language)}"
    await chat.send_message(said)
    for reference, receivers in withdrawn:  # staff stop waiting on it, and delete their copy
        text = texts_requests.WITHDRAWN.format(reference=reference)
        await tell_receivers(context.bot, receivers, text, about=f"withdrawal of {reference}")


async def cmd_centers(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if chat is None:
        return
    services = context.services
    country = services.settings.home_country
    if user is not None:
        memory = await services.remembered(user.id)
        if memory.place is not None:
            country = memory.place.country
    centers = [c for c in await services.list_centers() if c.country == country]
    await send_replies(chat, [Reply(texts.centers_directory(country, centers))])


async def on_unknown_command(update: Update, context: BotContext) -> None:
    if update.effective_chat:
        await update.effective_chat.send_message(texts.UNKNOWN_COMMAND)


async def on_media(update: Update, context: BotContext) -> None:
    if update.effective_chat:
        await update.effective_chat.send_message(texts.MEDIA)


async def maintain(context: BotContext) -> None:
    """JobQueue: forget expired memories and old update ids (one worker only)."""
    services = context.services
    if not await acquire_lease(services.sessions, "maintenance", JOB_LEASE):
        return
    await services.purge_expired()
    await purge_processed(services.sessions)


async def on_error(update: object, context: BotContext) -> None:
    """Log each failure once, with the update id only; apologise when it can help.

    Telegram faults are expected now and then: the user blocked the bot (Forbidden), a button
    pressed twice ("message is not modified", "query is too old"), a flaky network. Database
    writes are committed before anything is sent, so none of these loses a change.

    One failure, one answer: the update is not handled any further. Otherwise a handler group
    after the one that failed (an update guard before the handlers, say) would run on, fail the
    same way when the database is down, and apologise a second time.
    """
    from telegram.ext import ApplicationHandlerStop  # only the error path needs it

    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    if isinstance(error, Forbidden):
        log.info("update=%s: the user blocked the bot or left the chat", update_id)
    elif isinstance(error, BadRequest) and _HARMLESS.search(str(error)):
        log.info("update=%s: harmless Telegram answer: %s", update_id, error)
    elif isinstance(error, RetryAfter | NetworkError):  # TimedOut is a NetworkError
        log.warning("update=%s: Telegram unreachable or busy: %s", update_id, type(error).__name__)
    else:
        log.error("error while handling update %s", update_id, exc_info=error)
        if isinstance(update, Update) and update.effective_chat:
            with contextlib.suppress(TelegramError):  # the apology failed too: logged above
                await update.effective_chat.send_message(texts.ERROR)
    if isinstance(update, Update):
        raise ApplicationHandlerStop


_HARMLESS = re.compile(
    r"not modified|query is too old|query id is invalid|message to edit not found", re.IGNORECASE
)

"""Commands that are not a search: start, help, privacy, forget, unknown input, errors."""

from __future__ import annotations

import logging

from telegram import Update

from bot import texts
from bot.handlers.context import BotContext
from bot.handlers.keyboards import location_keyboard, send_replies
from bot.replies import Reply, need_menu

log = logging.getLogger(__name__)


async def cmd_start(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    if context.args and chat.type == chat.PRIVATE:  # a deep link: t.me/<bot>?start=<center>
        from bot.handlers.search import show_center

        if await show_center(chat, context, context.args[0][:64]):
            return
    keyboard = location_keyboard() if chat.type == chat.PRIVATE else None
    await chat.send_message(texts.WELCOME, reply_markup=keyboard)
    await send_replies(chat, [Reply(texts.SERVICE_MENU, buttons=need_menu(context.services.needs))])


async def cmd_help(update: Update, context: BotContext) -> None:
    if update.effective_chat:
        await update.effective_chat.send_message(texts.HELP)


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
        minutes = context.services.settings.memory_minutes
        await update.effective_chat.send_message(texts.PRIVACY.format(minutes=minutes))


async def cmd_forget(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    deleted = await context.services.forget(user.id)
    await chat.send_message(texts.FORGOTTEN if deleted else texts.NOTHING_TO_FORGET)


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


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with the update id only, and apologise in Spanish."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await update.effective_chat.send_message(texts.ERROR)
        except Exception:  # the apology itself failed (blocked, network): nothing more to do
            log.warning("could not send the apology for update %s", update_id)

"""What every staff handler uses: the private-chat check, the command's arguments, a reply."""

from __future__ import annotations

from telegram import Chat, Update

from bot import texts
from bot.handlers.context import BotContext
from bot.handlers.keyboards import send_replies
from bot.replies import Button, Reply
from bot.services import Services


def _services(context: BotContext) -> Services:
    return context.services


def _args(update: Update) -> list[str]:
    message = update.effective_message
    return (message.text or "").split()[1:] if message else []


async def _say(chat: Chat, text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> None:
    await send_replies(chat, [Reply(text, buttons=buttons)])


async def _in_private(update: Update, context: BotContext) -> bool:
    """True in a private chat; elsewhere, the chat is told to use the private chat instead."""
    chat = update.effective_chat
    if chat is None or update.effective_user is None:
        return False
    if chat.type == Chat.PRIVATE:
        return True
    await chat.send_message(texts.STAFF_PRIVATE_ONLY.format(bot=texts.esc(context.bot.username)))
    return False

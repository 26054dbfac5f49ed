"""Reply objects to python-telegram-bot markups, and sending them."""

from __future__ import annotations

from functools import lru_cache

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import MessageLimit

from bot import texts
from bot.replies import Button, Reply

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


@lru_cache(maxsize=8)
def location_keyboard(language: str = "es") -> ReplyKeyboardMarkup:
    """The reply keyboard whose one button shares the location (private chats only)."""
    label = texts.for_language(language).LOCATION_BUTTON
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


# python-telegram-bot's objects are frozen: the same markup can go out to many chats, and the
# lists most answers carry (the services, a department's pages, «Sí / No») are built once.
@lru_cache(maxsize=512)
def inline_markup(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    )


def markup_for(reply: Reply, chat: Chat) -> Markup:
    if reply.buttons:
        return inline_markup(reply.buttons)
    if reply.location_keyboard and chat.type == Chat.PRIVATE:
        return location_keyboard(reply.language)
    return None


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split a long message at line breaks so each part fits Telegram's limit, in order.

    A single line longer than the limit is cut at a space where possible, and never inside an
    HTML tag or entity (Telegram would refuse the part).
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(line) > limit:
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:].lstrip(" ")
        current = line
    if current:
        parts.append(current)
    return parts


def _safe_cut(line: str, limit: int) -> int:
    cut = line.rfind(" ", limit // 2, limit)
    cut = cut if cut > 0 else limit
    for opener, closer in (("<", ">"), ("&", ";")):
        start = line.rfind(opener, 0, cut)
        if start != -1 and line.find(closer, start, cut) == -1:
            cut = start  # do not split "<b>" or "&amp;"
    return max(cut, 1)


async def send_replies(chat: Chat, replies: list[Reply]) -> None:
    """Send the replies in order; the markup goes with the last part of a long text."""
    for reply in replies:
        markup = markup_for(reply, chat)
        if reply.venue is not None:
            v = reply.venue
            await chat.send_venue(
                latitude=v.lat,
                longitude=v.lon,
                title=v.title,
                address=v.address,
                reply_markup=markup,
            )
            continue
        parts = split_text(reply.text)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            await chat.send_message(part, reply_markup=markup if last else None)

"""Admin commands: /personal (staff, with a button to revoke each), /centros_id, /nuevo_centro."""

from __future__ import annotations

import re

from telegram import Update

from bot import callbacks, texts
from bot.domain import listings
from bot.domain.text import fold
from bot.handlers.context import BotContext
from bot.handlers.staff.common import _args, _in_private, _say, _services
from bot.handlers.staff.listings import _open
from bot.replies import Button
from bot.staff import NotAllowed


async def cmd_staff_list(update: Update, context: BotContext) -> None:
    """/personal [ID]: an admin lists staff, with a button to revoke each."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    args = _args(update)
    center_id = args[0] if args and callbacks.CENTER_ID.match(args[0]) else None
    try:
        members = await _services(context).staff.list_staff(user.id, center_id)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    if not members:
        await _say(chat, texts.ADMIN_NO_STAFF)
        return
    rows = tuple(
        (
            Button(
                texts.ADMIN_REVOKE_BUTTON.format(user=m.user_id, center=m.center_id)[:60],
                callbacks.staff("rk", m.user_id, m.center_id),
            ),
        )
        for m in members[:30]
    )
    await _say(chat, "👥", rows)


async def cmd_center_ids(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    services = _services(context)
    if not await services.staff.is_admin(user.id):
        await _say(chat, texts.STAFF_REFUSED)
        return
    await _say(chat, texts.center_ids(await services.list_centers(include_unranked=True)))


async def cmd_new_center(update: Update, context: BotContext) -> None:
    """/nuevo_centro HN.08 Name: an admin adds a center serving that department."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    services = _services(context)
    args = _args(update)
    department = args[0] if args else ""
    name = " ".join(args[1:]).strip()[:120]
    if not re.match(r"^[A-Z]{2}\.\w{1,3}$", department) or len(name) < 3:
        await _say(chat, texts.ADMIN_NEW_CENTER_USAGE)
        return
    if not services.gazetteer.department_name(department):
        await _say(chat, texts.ADMIN_NEW_CENTER_USAGE)
        return
    try:  # a name is free text like any other: no control, bidi or invisible characters
        name = listings.validate_text(listings.ListingField.ADDRESS, name)
    except listings.ListingError:
        await _say(chat, texts.ADMIN_NEW_CENTER_USAGE)
        return
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:34] or "centro"
    center_id = f"{department[:2].lower()}-{slug}"
    try:
        center = await services.staff.add_center(
            user.id, center_id, name, department[:2], department
        )
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    except ValueError:
        await _say(chat, texts.ADMIN_UNKNOWN_CENTER)
        return
    await _open(chat, context, user.id, center.id)

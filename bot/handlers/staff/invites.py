"""Invites: /equipo CODE (a staff member joins a center's team), /invitar and open invites."""

from __future__ import annotations

import logging

from telegram import Chat, Update

from bot import callbacks, texts
from bot.handlers.context import BotContext
from bot.handlers.staff.common import _args, _in_private, _say, _services
from bot.replies import Button
from bot.staff import INVITE_DAYS, InviteError, NotAllowed

log = logging.getLogger(__name__)


async def cmd_team(update: Update, context: BotContext) -> None:
    """/equipo CODE: a staff member redeems an invite."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    args = _args(update)
    if chat.type != Chat.PRIVATE:
        if len(args) == 1 and len(args[0]) <= 40:  # the code is no secret any more: void it
            await _services(context).staff.discard_exposed_invite(args[0])
            await chat.send_message(
                texts.STAFF_CODE_IN_GROUP.format(bot=texts.esc(context.bot.username))
            )
            return
        await _in_private(update, context)
        return
    if len(args) != 1 or len(args[0]) > 40:
        await _say(chat, texts.STAFF_INVITE_USAGE)
        return
    try:
        center = await _services(context).staff.redeem_invite(user.id, args[0])
    except InviteError as error:
        await _say(chat, texts.STAFF_INVITE_PROBLEMS[error.problem.value])
        return
    log.info("staff linked: user=%s center=%s", user.id, center.id)
    await _say(chat, texts.staff_linked(center.name))


async def cmd_invite(update: Update, context: BotContext) -> None:
    """/invitar ID: an admin creates a single-use invite code for a center."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    args = _args(update)
    staff = _services(context).staff
    if len(args) != 1 or not callbacks.CENTER_ID.match(args[0]):
        await _say(chat, texts.ADMIN_INVITE_USAGE)
        if not args and await staff.is_admin(user.id):
            await _open_invites(chat, context, user.id)
        return
    try:
        invite_id, code = await staff.issue_invite(user.id, args[0])
        center = await staff.center_for(user.id, args[0])
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    except KeyError:
        await _say(chat, texts.ADMIN_UNKNOWN_CENTER)
        return
    revoke = ((Button(texts.ADMIN_INVITE_REVOKE_BUTTON, callbacks.staff("ri", invite_id)),),)
    await _say(chat, texts.staff_invite(center.name, code, INVITE_DAYS), revoke)


async def _open_invites(chat: Chat, context: BotContext, user_id: int) -> None:
    """The unused invites, each with a button that revokes it (admins)."""
    pending = await _services(context).staff.open_invites(user_id)
    if not pending:
        return
    rows = tuple(
        (
            Button(
                texts.ADMIN_OPEN_INVITE_BUTTON.format(
                    id=i.id, center=i.center_id, expires=i.expires_at
                )[:60],
                callbacks.staff("ri", i.id),
            ),
        )
        for i in pending[-20:]
    )
    await _say(chat, texts.ADMIN_OPEN_INVITES, rows)

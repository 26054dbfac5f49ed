"""Every staff and admin button: the listing's actions, the edit flow's buttons, admin tools."""

from __future__ import annotations

from telegram import Chat, InputFile, Update

from bot import callbacks, texts
from bot.handlers.context import BotContext
from bot.handlers.staff.common import _in_private, _say, _services
from bot.handlers.staff.listings import _history, _open, show_edit, toggle_keys
from bot.poster import deep_link, make_poster
from bot.replies import Button
from bot.staff import NotAllowed


async def on_staff_button(
    update: Update, context: BotContext, action: callbacks.StaffAction
) -> None:
    """Every staff/admin button; the service layer refuses what the user may not do.

    In a group (a forged button: the bot never shows staff buttons there) nothing is done.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    try:
        await _staff_button(chat, context, user.id, action)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
    except KeyError:
        await _say(chat, texts.STALE_BUTTON)


async def _staff_button(
    chat: Chat, context: BotContext, user_id: int, action: callbacks.StaffAction
) -> None:
    services = _services(context)
    staff = services.staff
    name = action.action
    if name == "open":
        await _open(chat, context, user_id, action.center_id)
    elif name == "edit":
        await show_edit(
            chat, context, await staff.begin_edit(user_id, action.center_id, action.value)
        )
    elif name == "ok":
        await staff.confirm(user_id, action.center_id)
        await _say(chat, texts.STAFF_CONFIRMED)
    elif name == "hist":
        await _history(chat, context, user_id, action.center_id)
    elif name == "rv":
        result = await staff.revert(user_id, int(action.value))
        current = texts.esc(result.current_value)
        await _say(
            chat,
            texts.STAFF_REVERTED if result.saved else texts.STAFF_CONFLICT.format(current=current),
        )
    elif name == "qr":
        center = await staff.center_for(user_id, action.center_id)
        link = deep_link(context.bot.username, center.id)
        png = make_poster(
            center.name,
            link,
            headline=texts.POSTER_HEADLINE,
            instructions=texts.POSTER_INSTRUCTIONS,
        )
        await chat.send_document(
            InputFile(png, filename=f"cartel-{center.id}.png"), caption=texts.POSTER_CAPTION
        )
    elif name == "reopen":
        reopened = await staff.reopen(user_id, action.center_id)
        await _say(chat, texts.STAFF_REOPENED if reopened else texts.STAFF_NOT_CLOSED)
    elif name == "kill":
        if not await staff.is_admin(user_id):
            raise NotAllowed
        confirm = (
            (
                Button(
                    texts.STAFF_CLOSE_FOREVER_BUTTON, callbacks.staff("killok", action.center_id)
                ),
                # Back to the listing: "cancel" would end an edit in progress.
                Button(texts.STAFF_CANCEL_BUTTON, callbacks.staff("open", action.center_id)),
            ),
        )
        await _say(chat, texts.STAFF_CLOSE_FOREVER_CONFIRM, confirm)
    elif name == "killok":
        await staff.close_for_good(user_id, action.center_id)
        await _say(chat, texts.STAFF_CLOSED_FOREVER)
    elif name == "rk":
        if await staff.revoke_staff(user_id, int(action.value), action.center_id):
            await _say(chat, texts.ADMIN_REVOKED)
        else:
            await _say(chat, texts.STALE_BUTTON)
    elif name == "ri":
        revoked = await staff.revoke_invite(user_id, int(action.value))
        await _say(chat, texts.ADMIN_INVITE_REVOKED if revoked else texts.ADMIN_INVITE_NOT_OPEN)
    else:  # the edit in progress: toggles, done, save, cancel
        reply = await staff.edit_button(user_id, name, action.value, toggle_keys(context))
        await show_edit(chat, context, reply)

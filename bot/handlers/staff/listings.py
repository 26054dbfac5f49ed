"""The listing and its editor: /mi_centro, /historial, /cancelar, and the edit flow's messages.

Each message of an edit is one call to bot.staff.edit_flow (which validates, reads dates and
keeps the draft); this module turns its `EditReply` into Spanish and buttons.
"""

from __future__ import annotations

from telegram import Chat, Update

from bot import callbacks, texts
from bot.domain import hours as hours_mod
from bot.domain import listings
from bot.domain.models import Center
from bot.handlers.context import BotContext
from bot.handlers.keyboards import send_replies
from bot.handlers.requests import cancel_request_draft
from bot.handlers.staff.common import _args, _in_private, _say, _services
from bot.poster import deep_link
from bot.replies import Button, Reply, center_view
from bot.staff import REVERTIBLE, EditSession, NotAllowed
from bot.staff.edit_flow import CONFIRM_STEP, EditReply, EditReplyKind, ToggleOptions
from bot.staff.listings import center_today
from bot.texts import format_hours, hours_error, listing_error

# --- entry points ------------------------------------------------------------------------------


async def cmd_my_center(update: Update, context: BotContext) -> None:
    """/mi_centro [ID]: the listing as entrepreneurs see it, with the editor."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    staff = _services(context).staff
    args = _args(update)
    if args and callbacks.CENTER_ID.match(args[0]):
        await _open(chat, context, user.id, args[0])
        return
    centers = await staff.centers_of(user.id)
    if not centers:
        await _say(chat, texts.STAFF_NOT_STAFF)
        return
    if len(centers) == 1:
        await _open(chat, context, user.id, centers[0].id)
        return
    rows = tuple((Button(c.name[:60], callbacks.staff("open", c.id)),) for c in centers[:20])
    await _say(chat, texts.STAFF_PICK_CENTER, rows)


async def cmd_history(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    args = _args(update)
    centers = await _services(context).staff.centers_of(user.id)
    center_id = args[0] if args else (centers[0].id if len(centers) == 1 else "")
    if not center_id:
        if not centers:
            await _say(chat, texts.STAFF_NOT_STAFF)
            return
        rows = tuple((Button(c.name[:60], callbacks.staff("hist", c.id)),) for c in centers[:20])
        await _say(chat, texts.STAFF_PICK_CENTER, rows)
        return
    await _history(chat, context, user.id, center_id)


async def cmd_cancel(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    services = _services(context)
    if await services.staff.end_edit(user.id):
        await _say(chat, texts.STAFF_CANCELLED)
        return
    if await cancel_request_draft(update, context):  # a request being written: dropped
        return
    # an entrepreneur: the question or list the bot last put to them is dropped
    dropped, language = await services.drop_question(user.id)
    t = texts.for_language(language)
    await _say(chat, t.QUESTION_DROPPED if dropped else t.NOTHING_TO_CANCEL)


# --- the listing and its editor ------------------------------------------------------------------


def _editor_buttons(center: Center, admin: bool) -> tuple[tuple[Button, ...], ...]:
    fields = list(texts.STAFF_FIELD_LABELS)
    rows: list[tuple[Button, ...]] = []
    for i in range(0, len(fields), 2):
        rows.append(
            tuple(
                Button(texts.STAFF_FIELD_LABELS[f], callbacks.staff("edit", center.id, f))
                for f in fields[i : i + 2]
            )
        )
    rows.append((Button(texts.STAFF_CONFIRM_BUTTON, callbacks.staff("ok", center.id)),))
    rows.append(
        (
            Button(texts.STAFF_HISTORY_BUTTON, callbacks.staff("hist", center.id)),
            Button(texts.STAFF_POSTER_BUTTON, callbacks.staff("qr", center.id)),
        )
    )
    if center.closure_on(center_today(center)):
        rows.append((Button(texts.STAFF_REOPEN_BUTTON, callbacks.staff("reopen", center.id)),))
    if admin:
        rows.append(
            (Button(texts.STAFF_CLOSE_FOREVER_BUTTON, callbacks.staff("kill", center.id)),)
        )
    return tuple(rows)


async def _open(chat: Chat, context: BotContext, user_id: int, center_id: str) -> None:
    services = _services(context)
    try:
        center = await services.staff.center_for(user_id, center_id)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    admin = await services.staff.is_admin(user_id)
    view = center_view(center, services.needs, services.agency_for(center.country), staff=True)
    link = deep_link(context.bot.username, center.id)
    view[0] = Reply(
        f"{view[0].text}\n\n{texts.staff_deep_link(link)}",
        view[0].buttons,
        view[0].location_keyboard,
        view[0].venue,
    )
    last = view[-1]
    view[-1] = Reply(last.text, buttons=_editor_buttons(center, admin), venue=last.venue)
    await send_replies(chat, view)


async def _history(chat: Chat, context: BotContext, user_id: int, center_id: str) -> None:
    staff = _services(context).staff
    try:
        changes = await staff.history(user_id, center_id)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    if not changes:
        await _say(chat, texts.STAFF_HISTORY_EMPTY)
        return
    lines = [texts.history_line(c.id, c.at, c.field, c.old_value, c.new_value) for c in changes]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if await staff.is_admin(user_id):
        revertible = [c for c in changes if c.field in REVERTIBLE][:5]
        buttons = tuple(
            (Button(texts.STAFF_REVERT_BUTTON.format(id=c.id), callbacks.staff("rv", c.id)),)
            for c in revertible
        )
    await _say(chat, "\n".join(lines), buttons)


def _toggle_options(context: BotContext, center: Center, field: str) -> list[tuple[str, str]]:
    services = _services(context)
    if field == "services":
        return [(n.slug, n.label) for n in services.needs]
    departments = services.gazetteer.departments(center.country)
    return [(key, services.gazetteer.department_name(key)) for key in sorted(departments)]


async def _show_toggles(
    chat: Chat, context: BotContext, center: Center, field: str, selected: list[str]
) -> None:
    options = _toggle_options(context, center, field)
    buttons = [
        Button(("✅ " if key in selected else "▫️ ") + label[:28], callbacks.staff("tg", key))
        for key, label in options
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append(
        (
            Button(texts.STAFF_DONE_BUTTON, callbacks.staff("done", field)),
            Button(texts.STAFF_CANCEL_BUTTON, callbacks.staff("cancel")),
        )
    )
    header = f"{texts.STAFF_FIELD_LABELS[field]}\n{texts.STAFF_PICK_TOGGLES}"
    await _say(chat, header, tuple(rows))


def _confirm_buttons(field: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(texts.STAFF_SAVE_BUTTON, callbacks.staff("save", field)),
            Button(texts.STAFF_CANCEL_BUTTON, callbacks.staff("cancel")),
        ),
    )


def _display(field: str, stored: str, context: BotContext, center: Center) -> str:
    """A stored value as staff read it in a preview."""
    if field == "hours" and stored:
        try:
            return format_hours(hours_mod.from_json(stored))
        except ValueError:
            return stored
    if field in ("service_area", "services"):
        labels = dict(_toggle_options(context, center, field))
        return ", ".join(labels.get(k, k) for k in stored.split(";") if k)
    if field == "closure" and stored:
        start, end, message = ([*stored.split("|", 2), "", ""])[:3]
        return f"{start} → {end} {message}".strip()
    return stored


# --- the edit flow: one use case per message, its reply rendered -------------------------------


async def on_edit_text(update: Update, context: BotContext, edit: EditSession) -> None:
    """A typed message while an edit is in progress."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    reply = await _services(context).staff.edit_text(user.id, edit, message.text or "")
    await show_edit(chat, context, reply)


async def on_edit_location(
    update: Update, context: BotContext, edit: EditSession, lat: float, lon: float
) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    reply = await _services(context).staff.edit_location(user.id, edit, lat, lon)
    await show_edit(chat, context, reply)


def toggle_keys(context: BotContext) -> ToggleOptions:
    """What a field's toggles offer, for the edit flow to check a toggle button against."""
    return lambda center, field: {key for key, _ in _toggle_options(context, center, field)}


async def show_edit(chat: Chat, context: BotContext, reply: EditReply) -> None:
    """An answer of the edit flow, in Spanish, with its buttons."""
    kind, field, center, hint = reply.kind, reply.field, reply.center, texts.STAFF_CANCEL_HINT
    if kind is EditReplyKind.ASK:
        ask = texts.STAFF_ASK["closure_until" if field == "closure" else field]
        await send_replies(chat, [Reply(ask + hint, location_keyboard=field == "location")])
    elif kind is EditReplyKind.TOGGLES and center is not None:
        await _show_toggles(chat, context, center, field, list(reply.selected))
    elif kind is EditReplyKind.PREVIEW and center is not None:
        text = texts.staff_preview(
            field,
            _display(field, reply.old, context, center),
            _display(field, reply.new, context, center),
        )
        await _say(chat, text, _confirm_buttons(field))
    elif kind is EditReplyKind.INVALID and center is not None:
        if isinstance(reply.error, listings.ListingError):
            await _say(chat, listing_error(reply.error, center.country) + hint)
        elif isinstance(reply.error, hours_mod.HoursError):
            await _say(chat, hours_error(reply.error) + hint)
        else:  # e.g. a time zone the system does not know
            await _say(chat, texts.STAFF_REFUSED + hint)
    elif kind is EditReplyKind.BAD_MESSAGE and isinstance(reply.error, listings.ListingError):
        await _say(chat, texts.closure_message_error(reply.error) + hint)
    elif kind is EditReplyKind.PENDING:
        buttons = _confirm_buttons(field) if reply.step == CONFIRM_STEP else ()
        await _say(chat, texts.staff_preview(field, "", reply.new), buttons)
    elif kind is EditReplyKind.CONFLICT and center is not None:
        current = _display(field, reply.old, context, center)
        await _say(chat, texts.STAFF_CONFLICT.format(current=texts.esc(current or "—")))
    elif kind is EditReplyKind.SAVED:
        await _say(chat, texts.staff_saved(field))
    else:
        await _say(chat, _EDIT_MESSAGES.get(kind, texts.STALE_BUTTON))


_EDIT_MESSAGES = {
    EditReplyKind.BAD_DATE: texts.STAFF_BAD_DATE + texts.STAFF_CANCEL_HINT,
    EditReplyKind.ASK_MESSAGE: texts.STAFF_ASK["closure_message"] + texts.STAFF_CANCEL_HINT,
    EditReplyKind.NEED_LOCATION: texts.STAFF_NEED_LOCATION + texts.STAFF_CANCEL_HINT,
    EditReplyKind.PICK_TOGGLES: texts.STAFF_PICK_TOGGLES,
    EditReplyKind.REFUSED: texts.STAFF_REFUSED,
    EditReplyKind.EMPTY_SELECTION: texts.STAFF_EMPTY_SELECTION,
    EditReplyKind.CANCELLED: texts.STAFF_CANCELLED,
    EditReplyKind.EXPIRED: texts.STAFF_EXPIRED,
    EditReplyKind.STALE: texts.STALE_BUTTON,
}

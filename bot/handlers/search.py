"""The entrepreneur's search: typed messages, shared locations and the search buttons."""

from __future__ import annotations

import logging

from telegram import Chat, Message, Update
from telegram.error import BadRequest

from bot import callbacks, texts
from bot.domain.models import Center
from bot.handlers import staff
from bot.handlers.context import BotContext
from bot.handlers.keyboards import send_replies
from bot.replies import Button, Reply, center_view, details_view, need_menu, render
from bot.services import Outcome
from bot.staff import RateLimited

log = logging.getLogger(__name__)

MAX_TEXT = 1000  # longer messages are cut before matching: nobody's place and need need more


def _addressed_to_bot(message: Message, username: str) -> str | None:
    """The text meant for the bot, or None when a group message is not for it."""
    text = message.text or ""
    if message.chat.type == Chat.PRIVATE:
        return text
    mention = f"@{username}".casefold()
    if mention in text.casefold():
        start = text.casefold().index(mention)
        return (text[:start] + text[start + len(mention) :]).strip()
    replied = message.reply_to_message
    if (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.username == username
    ):
        return text
    return None


def _log_decision(update: Update, outcome: Outcome) -> None:
    """One line per update with the decision, without names, phones or exact coordinates."""
    place = outcome.place
    log.info(
        "update=%s decision=%s place=%s needs=%s centers=%s",
        update.update_id,
        outcome.kind.value,
        f"{place.country}/{place.admin1}" if place else "-",
        ",".join(outcome.needs) or "-",
        ",".join(m.center.id for m in outcome.matches[:3]) or "-",
    )


async def _send_outcome(update: Update, context: BotContext, outcome: Outcome) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    _log_decision(update, outcome)
    await send_replies(chat, render(outcome, context.services.needs))


async def answer_query(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner; a query Telegram calls too old must not stop the answer."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer(text)
    except BadRequest as error:  # "query is too old", pressed twice…: the answer still goes out
        log.info("update=%s: callback not answered: %s", update.update_id, error)


async def on_text(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text = _addressed_to_bot(message, context.bot.username)
    if text is None:
        return
    private = message.chat.type == Chat.PRIVATE
    outcome = await context.services.on_text(user.id, text[:MAX_TEXT], staff_edits=private)
    if outcome is None:  # a staff member in the middle of editing their listing
        edit = await context.services.staff.current_edit(user.id)
        if edit is not None:
            await staff.on_edit_text(update, context, edit)
        return
    await _send_outcome(update, context, outcome)


async def on_location(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    location = message.venue.location if message.venue else message.location
    if location is None:
        return
    if (
        message.chat.type != Chat.PRIVATE
        and _addressed_to_bot(message, context.bot.username) is None
    ):
        return
    lat, lon = location.latitude, location.longitude
    private = message.chat.type == Chat.PRIVATE
    outcome = await context.services.on_location(user.id, lat, lon, staff_edits=private)
    if outcome is None:  # a staff member sharing their center's position
        edit = await context.services.staff.current_edit(user.id)
        if edit is not None:
            await staff.on_edit_location(update, context, edit, lat, lon)
        return
    await _send_outcome(update, context, outcome)


async def on_callback(update: Update, context: BotContext) -> None:
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None:
        return
    services = context.services
    action = callbacks.parse(query.data, frozenset(n.slug for n in services.needs))
    if action is None or chat is None:
        await answer_query(update, texts.STALE_BUTTON)
        return
    await answer_query(update)
    outcome: Outcome | None
    match action:
        case callbacks.NeedChosen(slug):
            outcome = await services.on_need_chosen(user.id, slug)
        case callbacks.PlaceChosen(place_id):
            outcome = await services.on_place_chosen(user.id, place_id)
            if outcome is None:
                await chat.send_message(texts.STALE_BUTTON)
                return
        case callbacks.MoreCenters(offset, search):
            outcome = await services.more_centers(user.id, offset, search)
            if outcome is None:  # forgotten, or a button under an older search
                await chat.send_message(texts.STALE_BUTTON)
                return
        case callbacks.CenterDetails(center_id):
            if not await show_details(chat, context, center_id):
                await chat.send_message(texts.STALE_BUTTON)
            return
        case callbacks.ChangeNeed():
            await send_replies(
                chat, [Reply(texts.SERVICE_MENU, buttons=need_menu(services.needs))]
            )
            return
        case callbacks.ChangePlace():
            await services.forget_place(user.id)
            await send_replies(chat, [Reply(texts.ASK_LOCATION_ONLY, location_keyboard=True)])
            return
        case callbacks.StaffAction():
            await staff.on_staff_button(update, context, action)
            return
        case callbacks.ReportAction(center_id, field):
            await on_report(update, context, center_id, field)
            return
    await _send_outcome(update, context, outcome)


async def _open_center(context: BotContext, center_id: str) -> Center | None:
    """A center that is not closed for good (ranked or not), by id."""
    centers = await context.services.list_centers(include_unranked=True)
    return next((c for c in centers if c.id == center_id and not c.closed), None)


async def show_center(chat: Chat, context: BotContext, center_id: str) -> bool:
    """One center's card (a deep link from its poster); False when there is no such center."""
    services = context.services
    center = await _open_center(context, center_id)
    if center is None:
        return False
    agency, regional = services.agency_for(center.country), services.regional_agency()
    await send_replies(chat, center_view(center, services.needs, agency, regional=regional))
    return True


async def show_details(chat: Chat, context: BotContext, center_id: str) -> bool:
    """«Detalles» of a center; False when there is no such center (any more)."""
    services = context.services
    center = await _open_center(context, center_id)
    if center is None:
        return False
    agency, regional = services.agency_for(center.country), services.regional_agency()
    await send_replies(chat, details_view(center, services.needs, agency, regional))
    return True


async def on_report(update: Update, context: BotContext, center_id: str, field: str) -> None:
    """ "Reportar un dato incorrecto": pick the field, then tell the center's staff and admins."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if not field:
        rows = tuple(
            (Button(texts.STAFF_FIELD_LABELS[f], callbacks.report(center_id, f)),)
            for f in texts.REPORT_FIELDS
        )
        await send_replies(chat, [Reply(texts.REPORT_PICK, buttons=rows)])
        return
    try:
        report = await context.services.staff.report(user.id, center_id, field)
    except RateLimited:
        await chat.send_message(texts.REPORT_TOO_MANY)
        return
    except KeyError:
        await chat.send_message(texts.STALE_BUTTON)
        return
    await chat.send_message(texts.REPORT_THANKS)
    if not report.notify and report.count not in (3, 10):
        return  # grouped: staff hear about the first report, then at 3 and 10
    notice = texts.REPORT_NOTICE.format(
        field=texts.esc(texts.STAFF_FIELD_LABELS.get(field, field)),
        center=texts.esc(report.center.name),
        count=report.count,
    )
    for recipient in report.recipients:
        try:
            await context.bot.send_message(recipient, notice)
        except Exception:  # a recipient who blocked the bot must not stop the others
            log.warning("report notice not delivered for %s", center_id)

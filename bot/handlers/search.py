"""The entrepreneur's search: typed messages, shared locations and the search buttons."""

from __future__ import annotations

import asyncio
import logging

from telegram import Chat, Message, Update
from telegram.error import BadRequest, TelegramError

from bot import callbacks, texts
from bot.callbacks import REPORT_CANCEL
from bot.handlers import requests, staff
from bot.handlers.context import BotContext
from bot.handlers.keyboards import inline_markup, send_replies
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
    requestable = await requests.requestable(context, chat, outcome)  # «Solicitar una cita»
    await send_replies(chat, render(outcome, context.services.needs, requestable=requestable))


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
    outcome = await context.services.on_text(user.id, text[:MAX_TEXT], flows=private)
    if outcome is None:  # an answer to a flow in progress: a request first, then a staff edit
        if await requests.on_draft_text(update, context):
            return
        edit = await context.services.staff.current_edit(user.id)
        if edit is not None:
            await staff.on_edit_text(update, context, edit)
            return
        # the flow ended in between (expired, or finished by another worker): a search
        outcome = await context.services.on_text(user.id, text[:MAX_TEXT], flows=False)
        if outcome is None:
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


async def _language(context: BotContext, user_id: int) -> str:
    return (await context.services.remembered(user_id)).language


async def _stale(chat: Chat, context: BotContext, user_id: int) -> None:
    """The button belongs to a list or search the user has moved on from (or is forged)."""
    language = await _language(context, user_id)
    await chat.send_message(texts.for_language(language).STALE_BUTTON)


async def on_callback(update: Update, context: BotContext) -> None:
    """A button pressed: answered once (the spinner stops), in the user's language."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None:
        return
    services = context.services
    action = callbacks.parse(query.data, frozenset(n.slug for n in services.needs))
    if action is None or chat is None:
        language = await _language(context, user.id)
        await answer_query(update, texts.for_language(language).STALE_BUTTON)
        return
    # The spinner is stopped while the answer is being worked out (one round trip less).
    answered = asyncio.ensure_future(_stop_spinner(update))
    try:
        await _act(update, context, chat, user.id, action)
    finally:
        await answered


async def _stop_spinner(update: Update) -> None:
    """answerCallbackQuery, for a task beside the answer: a failure is logged, and the answer
    goes out all the same."""
    try:
        await answer_query(update)
    except TelegramError as error:
        log.info("update=%s: callback not answered: %s", update.update_id, error)
    except Exception:  # never in place of the answer's own error, which the finally re-raises
        log.exception("update=%s: callback not answered", update.update_id)


async def _act(
    update: Update, context: BotContext, chat: Chat, user_id: int, action: callbacks.Callback
) -> None:
    """What a valid button of the search does (its spinner is stopped by the caller)."""
    services = context.services
    outcome: Outcome | None
    match action:
        case callbacks.NeedChosen(slug):
            outcome = await services.on_need_chosen(user_id, slug)
        case callbacks.PlaceChosen(place_id, tag):
            outcome = await services.on_place_chosen(user_id, place_id, tag)
        case callbacks.NoneOfThese(tag):
            outcome = await services.on_none_of_these(user_id, tag)
        case callbacks.DepartmentPage(offset, tag):
            outcome = await services.department_page(user_id, offset, tag)
            if outcome is not None:
                await _turn_page(update, context, chat, outcome)
                return
        case callbacks.MoreCenters(offset, search):
            outcome = await services.more_centers(user_id, offset, search)
        case callbacks.CenterDetails(center_id):
            if not await show_details(chat, context, center_id, user_id):
                await _stale(chat, context, user_id)
            return
        case callbacks.ChangeNeed():
            t = texts.for_language(await _language(context, user_id))
            await send_replies(
                chat, [Reply(t.SERVICE_MENU, buttons=need_menu(services.needs, lang=t))]
            )
            return
        case callbacks.ChangePlace():
            language = await services.forget_place(user_id)
            ask = texts.for_language(language).ASK_LOCATION_ONLY
            await send_replies(chat, [Reply(ask, location_keyboard=True, language=language)])
            return
        case callbacks.StaffAction():
            await staff.on_staff_button(update, context, action)
            return
        case callbacks.ReportAction(center_id, field):
            await on_report(update, context, center_id, field)
            return
    if outcome is None:  # forgotten, or a button of an older list or search
        await _stale(chat, context, user_id)
        return
    await _send_outcome(update, context, outcome)


async def _turn_page(update: Update, context: BotContext, chat: Chat, outcome: Outcome) -> None:
    """Another page of a department list, in place of the page the button was under."""
    assert update.callback_query is not None
    _log_decision(update, outcome)
    replies = render(outcome, context.services.needs)
    message = update.callback_query.message
    reply = replies[0]
    if len(replies) == 1 and isinstance(message, Message) and reply.buttons:
        try:
            await message.edit_text(reply.text, reply_markup=inline_markup(reply.buttons))
            return
        except BadRequest as error:  # too old to edit, deleted…: send the page instead
            if "not modified" in str(error).casefold():
                return  # pressed twice: the page is already shown
            log.info("update=%s: page not edited: %s", update.update_id, error)
    await send_replies(chat, replies)


async def show_center(
    chat: Chat, context: BotContext, center_id: str, language: str = "es"
) -> bool:
    """One center's card (a deep link from its poster); False when there is no such center."""
    services = context.services
    center, _ = await services.open_center(center_id)
    if center is None:
        return False
    agency, regional = services.agency_for(center.country), services.regional_agency()
    replies = center_view(center, services.needs, agency, regional=regional, language=language)
    await send_replies(chat, replies)
    return True


async def show_details(chat: Chat, context: BotContext, center_id: str, user_id: int) -> bool:
    """«Detalles» of a center, in the user's language; False when there is no such center
    (any more)."""
    services = context.services
    center, language = await services.open_center(center_id, user_id)
    if center is None:
        return False
    agency, regional = services.agency_for(center.country), services.regional_agency()
    await send_replies(
        chat, details_view(center, services.needs, agency, regional, None, language)
    )
    return True


async def on_report(update: Update, context: BotContext, center_id: str, field: str) -> None:
    """ "Reportar un dato incorrecto": pick the field, then tell the center's staff and admins
    (the user is answered in their language; the staff's notice is in Spanish)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    t = texts.for_language(await _language(context, user.id))
    if not field:
        rows = tuple(
            (Button(t.REPORT_FIELD_LABELS[f], callbacks.report(center_id, f)),)
            for f in texts.REPORT_FIELDS
        )
        cancel = Button(t.REPORT_CANCEL_BUTTON, callbacks.report(center_id, REPORT_CANCEL))
        rows = (*rows, (cancel,))
        await send_replies(chat, [Reply(t.REPORT_PICK, buttons=rows)])
        return
    if field == REPORT_CANCEL:
        await chat.send_message(t.REPORT_CANCELLED)
        return
    try:
        report = await context.services.staff.report(user.id, center_id, field)
    except RateLimited:
        await chat.send_message(t.REPORT_TOO_MANY)
        return
    except KeyError:
        await chat.send_message(t.STALE_BUTTON)
        return
    await chat.send_message(t.REPORT_THANKS)
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

"""Warm handoff in Telegram, the entrepreneur's side: the request flow's messages and buttons
(and the feedback's). Only translation: the steps are in bot.requests (RequestFlow); the
receivers' side is bot.handlers.handoff.

`register(app)` adds the handoff's handlers in a group before the others (each one that
handles an update stops it there); the typed answers during a draft reach the flow through
`on_draft_text`, which bot.handlers.search.on_text calls when the statement loading the user's
memory saw a draft in progress.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    Chat,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import callbacks, texts
from bot.domain.listings import PHONE_PLANS
from bot.handlers import handoff
from bot.handlers.context import BotContext
from bot.handlers.handoff import care_of, flow_of, handoff_of
from bot.handlers.keyboards import inline_markup
from bot.handoff import Verdict
from bot.replies import Button, country_tag, need_labels
from bot.requests import MAX_BUSINESS, MAX_COMMENT, MAX_NAME, MAX_TIME, Kind, Step, time_text
from bot.services import Outcome, OutcomeKind, Services
from bot.texts import requests as tr

log = logging.getLogger(__name__)

GROUP = -1  # before the search's handlers
LIMITS = {Kind.NAME: MAX_NAME, Kind.BUSINESS: MAX_BUSINESS, Kind.NEED: MAX_BUSINESS,
          Kind.TIME: MAX_TIME}  # fmt: skip
EXAMPLE_PHONES = {
    "HN": "9999-0000", "SV": "7000-0000", "GT": "5000-0000", "NI": "8000-0000",
    "CR": "8000-0000", "PA": "6000-0000", "BZ": "600-0000", "DO": "809-000-0000",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Out:
    """One message of the flow: inline buttons, or the phone step's reply keyboard."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    phone_keyboard: bool = False
    remove_keyboard: bool = False


async def _send(bot: Bot, chat_id: int, out: Out, language: str = "es") -> None:
    markup: Any = None
    if out.buttons:
        markup = inline_markup(out.buttons)
    elif out.phone_keyboard:
        t = tr.for_language(language)
        markup = ReplyKeyboardMarkup(
            [[KeyboardButton(t.SHARE_PHONE_BUTTON, request_contact=True)],
             [KeyboardButton(t.SKIP_BUTTON), KeyboardButton(t.CANCEL_BUTTON)]],
            resize_keyboard=True, one_time_keyboard=True,
        )  # fmt: skip
    elif out.remove_keyboard:
        markup = ReplyKeyboardRemove()
    await bot.send_message(chat_id, out.text, reply_markup=markup)


# --- the entrepreneur's flow ---------------------------------------------------------------


def _cancel_row(t: type[tr.ES], skip: str = "") -> tuple[Button, ...]:
    row = [Button(t.SKIP_BUTTON, callbacks.request("skip", skip))] if skip else []
    return (*row, Button(t.CANCEL_BUTTON, callbacks.request("cancel")))


def step_messages(step: Step, services: Services, settings_hours: int) -> list[Out]:
    """What the user sees for a step of the flow, in their language."""
    d = step.draft
    t = tr.for_language(d.language)
    lang = texts.for_language(d.language)
    labels = need_labels(services.needs, lang)
    out: list[Out] = []
    if step.problem:
        if step.kind is Kind.PHONE:
            plan = PHONE_PLANS.get(d.country)
            reason = t.PHONE_REASONS.get(step.problem, t.PHONE_REASON_OTHER)
            digits = "/".join(str(n) for n in sorted(plan.first_digits)) if plan else "8"
            out.append(Out(t.BAD_PHONE.format(country=texts.esc(t.country(d.country)),
                                              reason=reason, digits=digits,
                                              code=plan.code if plan else "")))  # fmt: skip
        else:
            limit = LIMITS.get(step.kind, MAX_COMMENT)
            out.append(Out(t.BAD_TEXT.get(step.problem, t.BAD_TEXT["empty"]).format(max=limit)))
    k = step.kind
    if k is Kind.NAME:
        use = Button(t.USE_NAME_BUTTON.format(name=d.first_name), callbacks.request("name"))
        first = ((use,), _cancel_row(t)) if d.first_name else (_cancel_row(t),)
        ask = t.ASK_NAME_PLAIN if step.problem else t.ASK_NAME
        return [*out, Out(ask.format(center=texts.esc(d.center_name)), first)]
    if k is Kind.PHONE:
        example = EXAMPLE_PHONES.get(d.country, "")
        return [*out, Out(t.ASK_PHONE.format(example=example), phone_keyboard=True)]
    if k is Kind.BUSINESS:
        noted = [] if step.problem else [Out(t.PHONE_NOTED, remove_keyboard=True)]
        return [*out, *noted, Out(t.ASK_BUSINESS, (_cancel_row(t, "business"),))]
    if k is Kind.NEED:
        rows: list[tuple[Button, ...]] = []
        if d.need in labels:
            rows.append((Button(t.KEEP_NEED_BUTTON.format(need=labels[d.need]),
                                callbacks.request("need", d.need)),))  # fmt: skip
        others = [Button(labels[n.slug], callbacks.request("need", n.slug))
                  for n in services.needs if n.slug != d.need]  # fmt: skip
        rows.extend(tuple(others[i : i + 2]) for i in range(0, len(others), 2))
        rows.append(_cancel_row(t, "need"))
        ask = t.ASK_NEED_KNOWN.format(need=labels[d.need]) if d.need in labels else t.ASK_NEED
        return [*out, Out(ask, tuple(rows))]
    if k is Kind.TIME:
        times = tuple(
            Button(label, callbacks.request("time", code)) for code, label in t.TIME_BUTTONS
        )
        return [*out, Out(t.ASK_TIME, (times, _cancel_row(t, "time")))]
    if k is Kind.CONFIRM:
        summary = t.SUMMARY.format(
            center=texts.esc(d.center_name),
            name=texts.esc(d.name) or t.NOT_GIVEN,
            phone=texts.esc(d.phone) or t.NOT_GIVEN,
            business=texts.esc(d.business) or t.NOT_GIVEN,
            need=texts.esc(labels.get(d.need, "")) or t.NOT_GIVEN,
            time=texts.esc(time_text(d, t)) or t.NOT_GIVEN,
            who=tr.who(t, d.center_name if d.to_staff else None, d.country),
            days=services.settings.request_retention_days,
        )
        send = (Button(t.SEND_BUTTON, callbacks.request("send")),
                Button(t.CANCEL_BUTTON, callbacks.request("cancel")))  # fmt: skip
        return [*out, Out(summary, (send,))]
    if k is Kind.SENT:
        who = tr.who(t, d.center_name if step.to_staff else None, d.country)
        text = t.SENT.format(reference=step.reference, who=who, hours=settings_hours)
        return [Out(text)]
    if k is Kind.COMMENT:
        return [
            *out,
            Out(t.ASK_COMMENT, ((Button(t.SKIP_BUTTON, callbacks.request("skip", "comment")),),)),
        ]
    plain = {
        Kind.CANCELLED: t.CANCELLED, Kind.GONE: t.GONE, Kind.NO_RECEIVER: t.NO_RECEIVER,
        Kind.TOO_MANY: t.TOO_MANY.format(count=step.count), Kind.COMMENT_SAVED: t.COMMENT_THANKS,
        Kind.COMMENT_SKIPPED: t.COMMENT_THANKS,
    }  # fmt: skip
    return [Out(plain[k], remove_keyboard=True)]


async def _show(context: BotContext, chat_id: int, step: Step) -> None:
    services = context.services
    for out in step_messages(step, services, services.settings.request_remind_hours):
        await _send(context.bot, chat_id, out, step.draft.language)
    if step.kind is Kind.SENT:
        request = await handoff_of(services).get(step.request_id)
        if request is not None:
            await handoff.notify_receivers(
                context.bot, services, request, step.receivers, tr.NEW_REQUEST
            )


async def on_draft_text(update: Update, context: BotContext) -> bool:
    """The text handler's hook when a flow takes the text: a typed answer to the request
    flow's question (True), or no draft after all (False). Private chats only."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.chat.type != Chat.PRIVATE or not message.text:
        return False
    services = context.services
    step = await flow_of(services).answer(user.id, message.text, match_need=services.matcher.match)
    if step is None:
        return False
    await _show(context, message.chat.id, step)
    return True


async def on_contact(update: Update, context: BotContext) -> None:
    """«📱 Compartir mi número» at the phone step (a contact elsewhere: the usual answer)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.contact is None:
        return
    step = await flow_of(context.services).shared_phone(user.id, message.contact.phone_number)
    if step is None:
        return  # not at the phone step: the media handler answers as before
    await _show(context, message.chat.id, step)
    raise ApplicationHandlerStop


async def requestable(context: BotContext, chat: Chat, outcome: Outcome) -> frozenset[str]:
    """The card's center when someone would receive a request for it (private chats only)."""
    if chat.type != Chat.PRIVATE or outcome.kind is not OutcomeKind.ANSWER or outcome.offset:
        return frozenset()
    if not outcome.matches:  # no center for the place: the country's coordinators, if any
        place = outcome.place
        if place is not None and await handoff_of(context.services).can_receive("", place.country):
            return frozenset({country_tag(place.country)})
        return frozenset()
    center = outcome.matches[0].center
    if await handoff_of(context.services).can_receive(center.id, center.country):
        return frozenset({center.id})
    return frozenset()


async def cancel_request_draft(update: Update, context: BotContext) -> bool:
    """For /cancelar: drop a request being written and say so; False when there was none."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return False
    flow = flow_of(context.services)
    if not await flow.cancel_draft(user.id):
        return False
    language = (await context.services.remembered(user.id)).language
    await _send(
        context.bot, chat.id, Out(tr.for_language(language).CANCELLED, remove_keyboard=True)
    )
    return True


async def on_button(update: Update, context: BotContext) -> None:
    """Every "rq:" button: the flow's, the receivers', the feedback's."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        raise ApplicationHandlerStop
    services = context.services
    action = callbacks.parse(query.data, frozenset(n.slug for n in services.needs))
    try:
        await query.answer()
    except Exception:  # too old: the answer below still goes out
        log.info("update=%s: callback not answered", update.update_id)
    if not isinstance(action, callbacks.RequestAction):
        language = (await services.remembered(user.id)).language
        await chat.send_message(texts.for_language(language).STALE_BUTTON)
        raise ApplicationHandlerStop
    if action.action in ("take", "move", "to", "close"):
        await handoff.on_receiver_button(update, context, action)
    elif action.action == "rate":
        await _rate(update, context, action)
    elif action.action in ("new", "nc"):
        if chat.type != Chat.PRIVATE:
            raise ApplicationHandlerStop
        memory = await services.remembered(user.id)
        place = memory.place
        t = tr.for_language(memory.language)
        country = action.value if action.action == "nc" else ""
        network = t.NETWORK.format(country=t.country(country)) if country else ""
        step = await flow_of(services).start(
            user.id, chat.id, user.first_name or "", "" if country else action.value,
            admin1=place.admin1 if place else "", need=memory.needs[0] if memory.needs else "",
            language=memory.language, country=country, network=network,
        )  # fmt: skip
        await _show(context, chat.id, step)
    else:
        step = await flow_of(services).press(user.id, action.action, action.value)
        if step.kind is Kind.GONE and not step.draft.center_id:
            language = (await services.remembered(user.id)).language
            step = Step(Kind.GONE, type(step.draft)(language=language))
        await _show(context, chat.id, step)
    raise ApplicationHandlerStop


async def _rate(update: Update, context: BotContext, action: callbacks.RequestAction) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None
    assert chat is not None
    services = context.services
    language = (await services.remembered(user.id)).language
    request = await handoff_of(services).get(action.number)
    if request is not None:
        language = request.language
    t = tr.for_language(language)
    verdict = await care_of(services).rate(user.id, action.number, int(action.value))
    if verdict is Verdict.DONE:
        await flow_of(services).await_comment(user.id, action.number, language)
        skip = ((Button(t.SKIP_BUTTON, callbacks.request("skip", "comment")),),)
        await chat.send_message(t.ASK_COMMENT, reply_markup=inline_markup(skip))
    elif verdict is Verdict.ALREADY_CLOSED:
        await chat.send_message(t.FEEDBACK_DONE)
    else:
        await chat.send_message(texts.for_language(language).STALE_BUTTON)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The handoff's handlers, in a group before the others (bot.app.register_handlers)."""
    new_messages = filters.UpdateType.MESSAGE
    app.add_handler(
        CommandHandler("solicitudes", handoff.cmd_requests, filters=new_messages), GROUP
    )
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^rq:"), GROUP)
    app.add_handler(
        MessageHandler(new_messages & filters.ChatType.PRIVATE & filters.CONTACT, on_contact),
        GROUP,
    )

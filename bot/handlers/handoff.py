"""Warm handoff in Telegram, the receivers' side: the request as center staff and coordinators
read it, their buttons («Atender», «Reasignar», «Cerrar»), /solicitudes, and the job that
reminds, asks for feedback and purges old personal data (one worker: the lease). Only
translation: every permission check is in bot.handoff.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot import callbacks, texts
from bot.domain.models import Match
from bot.guard import acquire_lease
from bot.handlers.context import BotContext
from bot.handlers.keyboards import inline_markup
from bot.handoff import OPEN, Handoff, Request, Target, Verdict
from bot.replies import Button
from bot.request_care import RequestCare
from bot.requests import RequestFlow
from bot.services import Services
from bot.texts import requests as tr

log = logging.getLogger(__name__)

JOB_INTERVAL = timedelta(minutes=10)
JOB_LEASE = timedelta(minutes=9)


def flow_of(services: Services) -> RequestFlow:
    return RequestFlow(services.settings, services.sessions)


def handoff_of(services: Services) -> Handoff:
    return Handoff(services.settings, services.sessions)


def care_of(services: Services) -> RequestCare:
    return RequestCare(services.settings, services.sessions)


# --- the receivers' side -------------------------------------------------------------------


def _place(services: Services, request: Request) -> str:
    country = texts.ES.country_name(request.country)
    department = services.gazetteer.department_name(request.admin1) if request.admin1 else ""
    return f"{department}, {country}" if department else country


def request_text(services: Services, request: Request, head: str) -> str:
    """A request as its receivers read it (Spanish)."""

    def value(v: str | None) -> str:
        if request.purged:
            return tr.PURGED
        return texts.esc(v) if v else tr.NOT_GIVEN

    target = request.center_name or tr.COORDINATION_OF.format(
        country=texts.ES.country_name(request.country)
    )
    status = tr.STATUS[request.status].format(name=texts.esc(request.taken_by_name or ""))
    need = texts.esc(services.need_labels.get(request.need, "")) or tr.NOT_GIVEN
    body = tr.REQUEST_BODY.format(
        target=texts.esc(target), name=value(request.name), phone=value(request.phone),
        business=value(request.business), need=need,
        time=value(request.preferred_time), place=texts.esc(_place(services, request)),
        created=f"{request.created_at:%d/%m/%Y %H:%M}",
    )  # fmt: skip
    lines = [head.format(reference=request.reference, status=status,
                         hours=services.settings.request_remind_hours), body]  # fmt: skip
    if request.language == "en":
        lines.append(tr.ENGLISH_NOTE)
    return "\n".join(lines)


def receiver_buttons(request: Request) -> tuple[tuple[Button, ...], ...]:
    row = (
        [Button(tr.TAKE_BUTTON, callbacks.request("take", request.id))]
        if request.status == OPEN
        else []
    )
    row.append(Button(tr.MOVE_BUTTON, callbacks.request("move", request.id)))
    row.append(Button(tr.CLOSE_BUTTON, callbacks.request("close", request.id)))
    return (tuple(row),)


async def notify_receivers(
    bot: Bot, services: Services, request: Request, receivers: tuple[int, ...], head: str
) -> None:
    text = request_text(services, request, head)
    markup = inline_markup(receiver_buttons(request))
    await tell_receivers(bot, receivers, text, markup, about=f"request {request.id}")


async def tell_receivers(
    bot: Bot, receivers: tuple[int, ...], text: str, markup: Any = None, *, about: str
) -> None:
    """The same message to each receiver of a request; `about` names it in the log."""
    for receiver in receivers:
        try:
            await bot.send_message(receiver, text, reply_markup=markup)
        except Exception:  # one receiver who blocked the bot must not stop the others
            log.warning("%s not delivered to a receiver", about)


async def _tell_entrepreneur(bot: Bot, request: Request, text: str, markup: Any = None) -> None:
    try:
        await bot.send_message(request.chat_id, text, reply_markup=markup)
    except Exception:
        log.warning("request %s: the entrepreneur could not be told", request.id)


def _center_label(t: type[tr.ES], request: Request) -> str:
    return texts.esc(request.center_name) if request.center_name else t.COORDINATION


async def on_receiver_button(
    update: Update, context: BotContext, action: callbacks.RequestAction
) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None
    assert chat is not None
    services, handoff = context.services, handoff_of(context.services)
    if chat.type != Chat.PRIVATE:
        await chat.send_message(tr.NOT_ALLOWED)
        return
    number = action.number
    if action.action == "take":
        name = _first_name(user.first_name)
        result = await handoff.take(user.id, name, number)
        if result.verdict is Verdict.DONE and result.request is not None:
            r = result.request
            t = tr.for_language(r.language)
            await chat.send_message(
                tr.TAKEN_OK.format(reference=r.reference, name=texts.esc(name))
            )
            taken = t.TAKEN.format(
                reference=r.reference, name=texts.esc(name), center=_center_label(t, r)
            )
            await _tell_entrepreneur(context.bot, r, taken)
            return
    elif action.action == "close":
        result = await handoff.close(user.id, number)
        if result.verdict is Verdict.DONE and result.request is not None:
            r = result.request
            t = tr.for_language(r.language)
            await chat.send_message(tr.CLOSED_OK.format(reference=r.reference))
            closed = t.CLOSED.format(reference=r.reference, center=_center_label(t, r))
            await _tell_entrepreneur(context.bot, r, closed)
            return
    elif action.action == "move":
        request, targets = await handoff.targets(user.id, number)
        if request is None:
            await chat.send_message(tr.NOT_ALLOWED)
        elif not targets:
            await chat.send_message(tr.NO_TARGETS.format(reference=request.reference))
        else:
            rows = tuple(
                (Button(_target_label(x), callbacks.request("to", number, _target_key(x))),)
                for x in targets[:12]
            )
            pick = tr.MOVE_PICK.format(reference=request.reference)
            await chat.send_message(pick, reply_markup=inline_markup(rows))
        return
    else:  # "to"
        target = "" if action.value == callbacks.TO_COORDINATORS else action.value
        result = await handoff.reassign(user.id, number, target)
        if result.verdict is Verdict.DONE and result.request is not None:
            r = result.request
            where = r.center_name or tr.COORDINATION_OF.format(
                country=texts.ES.country_name(r.country)
            )
            await chat.send_message(
                tr.MOVED_OK.format(reference=r.reference, target=texts.esc(where))
            )
            await notify_receivers(context.bot, services, r, result.receivers, tr.REASSIGNED_HEAD)
            return
        if result.verdict is Verdict.NO_TARGET and result.request is not None:
            await chat.send_message(tr.NO_TARGETS.format(reference=result.request.reference))
            return
    await chat.send_message(_refusal(result.verdict, result.request))


def _target_key(target: Target) -> str:
    return target.center_id or callbacks.TO_COORDINATORS


def _target_label(target: Target) -> str:
    if target.center_id:
        return f"🏢 {target.name}"[:60]
    return tr.COORDINATION_BUTTON


def _refusal(verdict: Verdict, request: Request | None) -> str:
    if request is not None and verdict is Verdict.ALREADY_TAKEN:
        return tr.ALREADY_TAKEN.format(
            reference=request.reference, name=texts.esc(request.taken_by_name or "")
        )
    if request is not None and verdict is Verdict.ALREADY_CLOSED:
        return tr.ALREADY_CLOSED.format(reference=request.reference)
    return tr.NOT_ALLOWED


def _first_name(value: str | None) -> str:
    from bot.requests import first_name

    return first_name(value or "") or "—"


async def cmd_requests(update: Update, context: BotContext) -> None:
    """/solicitudes: the receiver's open and taken requests, each with its buttons."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise ApplicationHandlerStop
    handoff = handoff_of(context.services)
    if chat.type != Chat.PRIVATE or not await handoff.is_receiver(user.id):
        await chat.send_message(tr.NOT_RECEIVER)
        raise ApplicationHandlerStop
    found, total = await handoff.listed(user.id)
    if not found:
        await chat.send_message(tr.LIST_EMPTY)
        raise ApplicationHandlerStop
    head = tr.LIST_HEAD.format(count=total)
    if total > len(found):
        head += "\n" + tr.LIST_MORE.format(count=total - len(found), shown=len(found))
    await chat.send_message(head)
    for request in found:
        text = request_text(context.services, request, tr.LISTED_HEAD)
        await chat.send_message(text, reply_markup=inline_markup(receiver_buttons(request)))
    raise ApplicationHandlerStop


# --- the job: reminders, the feedback question, retention ------------------------------------


async def best_contact(services: Services, request: Request, now: datetime, language: str) -> str:
    """The best contact known: the center's phone, e-mail or website, else its national
    agency's, else CENPROMYPE's (the card's own lines, from bot.texts)."""
    t = texts.for_language(language)
    center, _ = await services.open_center(request.center_id or "")  # loads the agencies too
    agency, regional = services.agency_for(request.country), services.regional_agency()
    if center is not None and (center.phone or center.email or center.website):
        match = Match(center, None, serves_area=False, offers_need=True)
        lines, _ = texts.follow_up_lines([], match, {}, agency, regional, now, lang=t)
        return "\n".join(lines)
    return texts.fallback_contact(agency, regional, now.date(), lang=t)


async def run_jobs(bot: Bot, services: Services, now: datetime) -> bool:
    """Remind, ask for feedback, purge old personal data and drafts — on one worker only
    (the lease); False when another worker holds it."""
    if not await acquire_lease(services.sessions, "handoff", JOB_LEASE):
        return False
    care = care_of(services)
    for request, receivers in await care.due_reminders(now):
        await notify_receivers(bot, services, request, receivers, tr.REMINDER_HEAD)
        t = tr.for_language(request.language)
        contact = await best_contact(services, request, now, request.language) or t.NO_CONTACT
        text = t.REMINDER.format(reference=request.reference, contact=contact)
        await _tell_entrepreneur(bot, request, text)
    for request in await care.due_feedback(now):
        t = tr.for_language(request.language)
        rates = tuple(
            Button(str(n), callbacks.request("rate", request.id, n)) for n in range(1, 6)
        )
        text = t.FEEDBACK_ASK.format(reference=request.reference, center=_center_label(t, request))
        await _tell_entrepreneur(bot, request, text, inline_markup((rates,)))
    await care.purge_personal(now)
    await flow_of(services).purge_drafts(now)
    return True


async def requests_job(context: BotContext) -> None:
    """JobQueue: every JOB_INTERVAL on each worker; the lease lets one do the work."""
    await run_jobs(context.bot, context.services, datetime.now(UTC))

"""Build the python-telegram-bot Application: handlers in order, defaults, start-up work."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import texts
from bot.config import Settings, register_secrets
from bot.handlers import common, handoff, requests, search, staff, stats
from bot.handlers.context import BotContext, BotData
from bot.intake import Intake, UserOrderedProcessor
from bot.ratelimit import ChatRateLimiter
from bot.services import Services

# Opt in now to python-telegram-bot's future time periods (RetryAfter.retry_after as a
# timedelta); otherwise every 429 from Telegram also emits a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")

DEMO_TOKEN = "1:local-demo-token"

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]

MEDIA = (
    filters.VOICE
    | filters.AUDIO
    | filters.PHOTO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.Document.ALL
    | filters.ANIMATION
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)


def build_application(
    settings: Settings,
    services: Services | None = None,
    request: BaseRequest | None = None,
    *,
    token: str | None = None,
    rate_limit: bool = False,
    schedule_jobs: bool = False,
    intake: Intake | None = None,
    updates_request: BaseRequest | None = None,
) -> BotApplication:
    """The bot. With no `services`, they are created at start-up and closed at shutdown.

    With an `intake` (production: polling or webhook), updates come in through it — stored
    before they are acknowledged, once only, flood-limited — and different users' updates are
    processed concurrently, each user's in order. Without one (the demo, most tests) updates
    are processed one at a time as they are given.
    """
    token = token or settings.telegram_bot_token
    register_secrets(token, token.partition(":")[2], settings.webhook_secret)
    builder = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if intake is not None:
        builder = builder.concurrent_updates(UserOrderedProcessor(intake))
    if rate_limit:
        # Telegram's limits (30/s overall, per chat); a 429 backs off that chat only, and
        # network errors, 5xx and timeouts are retried with backoff (bot/ratelimit.py).
        builder = builder.rate_limiter(ChatRateLimiter())  # type: ignore[arg-type]

    async def post_init(app: BotApplication) -> None:
        if services is None:
            app.bot_data.services = await Services.create(settings)
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in texts.COMMANDS])
        if app.job_queue is not None and schedule_jobs:
            # Every worker schedules them; a lease in the database lets exactly one run each time.
            app.job_queue.run_repeating(
                staff.remind_staff, interval=timedelta(hours=6), first=timedelta(minutes=1)
            )
            app.job_queue.run_repeating(
                common.maintain, interval=timedelta(hours=6), first=timedelta(minutes=2)
            )
            app.job_queue.run_repeating(  # requests: reminders, feedback, retention
                handoff.requests_job, interval=handoff.JOB_INTERVAL, first=timedelta(minutes=3)
            )

    async def post_shutdown(app: BotApplication) -> None:
        if services is None and hasattr(app.bot_data, "services"):
            await app.bot_data.services.close()

    app: BotApplication = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    if services is not None:
        app.bot_data.services = services
    if intake is not None:
        intake.attach(app)
    register_handlers(app)
    return app


def register_handlers(app: BotApplication) -> None:
    """Order matters: commands first, then locations, texts and buttons, then the catch-alls."""
    new_messages = (
        filters.UpdateType.MESSAGE
    )  # edited messages (live location updates) are ignored
    private = filters.ChatType.PRIVATE
    requests.register(app)  # the warm handoff's handlers, in a group before these
    commands = {
        "start": common.cmd_start,
        "ayuda": common.cmd_help,
        "help": common.cmd_help,
        "centros": common.cmd_centers,
        "servicios": common.cmd_services,
        "ubicacion": common.cmd_location,
        "privacidad": common.cmd_privacy,
        "olvidar": common.cmd_forget,
        # center staff and admins
        "equipo": staff.cmd_team,
        "mi_centro": staff.cmd_my_center,
        "historial": staff.cmd_history,
        "cancelar": staff.cmd_cancel,
        "invitar": staff.cmd_invite,
        "personal": staff.cmd_staff_list,
        "nuevo_centro": staff.cmd_new_center,
        "centros_id": staff.cmd_center_ids,
        "estadisticas": stats.cmd_stats,  # network admins and coordinators
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=new_messages))
    app.add_handler(
        MessageHandler(new_messages & (filters.LOCATION | filters.VENUE), search.on_location)
    )
    app.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, search.on_text))
    app.add_handler(CallbackQueryHandler(search.on_callback))
    # Unknown commands and media get help, in private chats only (groups: commands and mentions).
    app.add_handler(
        MessageHandler(new_messages & private & filters.COMMAND, common.on_unknown_command)
    )
    app.add_handler(MessageHandler(new_messages & private & MEDIA, common.on_media))
    app.add_error_handler(common.on_error)


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]

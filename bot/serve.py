"""The bot's life as a service, shared by long polling and webhook mode.

`running(...)` creates the services and the durable intake, starts the Application (job
queue, concurrent per-user processing), recovers updates left pending, and on the way out —
SIGTERM included — lets the updates in flight finish, records them as done, hands what this
worker still held to the others and closes the database.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from telegram.request import BaseRequest

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.guard import LocalGuard
from bot.intake import Inbox, Intake
from bot.services import Services


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    request: BaseRequest | None = None,
    *,
    shared: bool,
    updates_request: BaseRequest | None = None,
) -> AsyncIterator[tuple[BotApplication, Intake, Services]]:
    """The started bot.

    `shared`: several workers may share the database (webhook mode); otherwise this process is
    the only consumer (polling: flood limit in memory). Updates left pending by an earlier run
    are taken over once their lease expires. `request` replaces the Bot API connection
    (tests); without it, requests go through the per-chat rate limiter. `updates_request`, if
    given, is the one `getUpdates` goes through (polling: bot.polling.RawUpdates)."""
    services = await Services.create(settings)
    inbox = Inbox(
        services.sessions,
        shared=shared,
        lease=timedelta(seconds=settings.intake_lease_seconds),
    )
    intake = Intake(inbox, flood=None if shared else LocalGuard())
    app = build_application(
        settings,
        services,
        request,
        rate_limit=request is None,
        schedule_jobs=True,
        intake=intake,
        updates_request=updates_request,
    )
    try:
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await intake.start()
        yield app, intake, services
    finally:
        await intake.begin_close()  # nothing more taken from the database while draining
        if app.running:
            await app.stop()  # processes what is already queued, waits for the tasks in flight
        await intake.close()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
        await services.close()

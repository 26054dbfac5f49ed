"""Webhook mode: a small aiohttp server of our own around python-telegram-bot.

It serves Telegram's POSTs at the path of WEBHOOK_URL (checking the secret-token header on
every request) and a health endpoint, /healthz, for the load balancer. Each update is stored in
the database by the durable intake (`bot.intake`) before Telegram gets its 200 — if the
database refuses it, Telegram gets a 500 and delivers it again — and is then processed
concurrently with other users' updates, in order with the same user's. SIGTERM stops taking
requests, lets the updates in flight finish, then closes the Application and the database.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal

from aiohttp import web
from sqlalchemy import text
from telegram import Update
from telegram.request import BaseRequest

from bot.app import ALLOWED_UPDATES
from bot.config import Settings
from bot.intake import Intake
from bot.serve import running
from bot.services import Services
from bot.webserver import ServerLimits, new_application, start_site

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram sends small updates at once; a client that trickles, withholds or floods is not it.
LIMITS = ServerLimits(
    header_timeout=10.0,
    body_timeout=10.0,
    keepalive_timeout=30.0,
    max_connections=256,
    max_body=1024 * 1024,
)


def make_web_app(settings: Settings, intake: Intake, services: Services) -> web.Application:
    """The aiohttp application: the webhook route and /healthz."""
    secret = settings.webhook_secret.encode()

    async def on_update(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secret or not hmac.compare_digest(given, secret):
            return web.Response(status=403, text="forbidden")
        try:
            raw = (await request.read()).decode("utf-8")
            update = Update.de_json(json.loads(raw), intake.app.bot)
        except Exception:  # not JSON, not an Update: refuse without details
            return web.Response(status=400, text="bad request")
        if update is None:
            return web.Response(status=400, text="bad request")
        try:
            await intake.receive([update], [raw])
        except Exception:
            # Not stored, so not acknowledged: Telegram delivers it again later.
            log.warning("update=%s could not be stored; Telegram will retry", update.update_id)
            return web.Response(status=500, text="retry later")
        return web.Response(text="ok")

    async def health(_: web.Request) -> web.Response:
        try:
            async with services.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            log.warning("health check: database unreachable")
            return web.json_response({"status": "error", "database": "unreachable"}, status=503)
        return web.json_response({"status": "ok"})

    web_app = new_application(LIMITS)
    web_app.router.add_post(settings.webhook_path, on_update)
    web_app.router.add_get("/healthz", health)
    return web_app


async def run_webhook(
    settings: Settings,
    stop: asyncio.Event | None = None,
    request: BaseRequest | None = None,
    started: asyncio.Event | None = None,
) -> int:
    """Serve until SIGTERM/SIGINT (or `stop` is set); return an exit code.

    `request` replaces the Bot API connection and `started` is set once requests are served
    (both for tests).
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with running(settings, request, shared=True) as (app, intake, services):
            runner = web.AppRunner(make_web_app(settings, intake, services), access_log=None)
            try:
                if settings.set_webhook:
                    await app.bot.set_webhook(
                        settings.webhook_url,
                        secret_token=settings.webhook_secret,
                        allowed_updates=ALLOWED_UPDATES,
                    )
                await runner.setup()
                await start_site(runner, settings.webhook_listen, settings.webhook_port, LIMITS)
                if started is not None:
                    started.set()
                log.info(
                    "webhook server listening on %s:%s",
                    settings.webhook_listen,
                    settings.webhook_port,
                )
                await stop.wait()
                log.info("stopping: finishing the updates in flight")
            finally:
                await runner.cleanup()  # no new requests; then `running` drains the rest
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    return 0

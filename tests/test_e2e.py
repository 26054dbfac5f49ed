"""End to end: `python -m bot run` as a separate process, long polling a fake Bot API.

The test starts `tests.support.fake_bot_api.FakeBotApi` on 127.0.0.1, runs the bot as a child
process pointed at it (TELEGRAM_API_URL), talks to it as a user would (/start, a shared
location, a button, a question in free Spanish), then stops it with SIGTERM like a service
manager does. python-telegram-bot's `run_polling` turns SIGTERM (like SIGINT) into a graceful
shutdown (its signal handler raises SystemExit inside the event loop, `run_polling` catches it,
stops the updater and the application, runs post_shutdown and returns), so `run` returns 0 and
the exit code must be exactly 0: -SIGTERM would mean the signal was not handled.
Finally, the bot's whole output must not contain the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any

import pytest
from aiohttp import ClientSession, web

from bot import texts
from bot.replies import plain
from tests.conftest import PG_URL, _drop_everything
from tests.support.fake_bot_api import (
    USER_ID,
    WEBHOOK_SECRET_HEADER,
    ApiCall,
    FakeBotApi,
    inline_buttons,
)

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:E2E-secret-token"
SECRET = TOKEN.split(":", 1)[1]
TEGUCIGALPA = (14.0818, -87.20681)

STARTUP_TIMEOUT = 40.0  # imports, schema creation and seeding on a busy machine
STEP_TIMEOUT = 15.0
CONVERSATION_TIMEOUT = 48.0  # the whole conversation, start-up included
STOP_TIMEOUT = 10.0

# Variables of the parent that must not reach the bot: its settings (the test sets them all,
# so a developer's .env cannot change them either) and proxies (everything stays on loopback).
_DROPPED = ("TELEGRAM_", "DATABASE_URL", "LOG_LEVEL", "GEOCODER", "ADMIN_USER_IDS")
_PROXIES = ("http_proxy", "https_proxy", "all_proxy")


def bot_environment(database_url: str, api_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_DROPPED) and key.lower() not in _PROXIES
    }
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            "GEOCODER": "none",
            "HOME_COUNTRY": "HN",
            "MEMORY_MINUTES": "60",
            "ADMIN_USER_IDS": "",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    return env


class BotProcess:
    """`python -m bot run` as a child process, its stdout and stderr captured to files."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.stdout_path = log_dir / "bot.stdout.log"
        self.stderr_path = log_dir / "bot.stderr.log"
        self.proc: asyncio.subprocess.Process | None = None
        self._files: list[IO[bytes]] = []

    async def start(self) -> None:
        self._files = [self.stdout_path.open("wb"), self.stderr_path.open("wb")]
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=self._files[0],
            stderr=self._files[1],
        )

    def output(self) -> str:
        """Everything the bot wrote so far, stdout then stderr."""
        return "".join(
            path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
            for path in (self.stdout_path, self.stderr_path)
        )

    def tail(self, lines: int = 25) -> str:
        # Shown in failure messages: redact the token so a failure cannot leak it either.
        text = "\n".join(self.output().splitlines()[-lines:])
        return text.replace(SECRET, "<token>")

    async def expect(
        self,
        api: FakeBotApi,
        what: str,
        predicate: Callable[[list[ApiCall]], object],
        within: float = STEP_TIMEOUT,
    ) -> list[ApiCall]:
        """Wait for the API calls to satisfy `predicate`; fail early if the bot dies."""
        assert self.proc is not None
        waiter = asyncio.ensure_future(api.wait_for(predicate, within))
        exited = asyncio.ensure_future(self.proc.wait())
        try:
            await asyncio.wait({waiter, exited}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiter, exited):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
        if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
            return waiter.result()
        if exited.done() and not exited.cancelled():
            pytest.fail(f"the bot exited ({exited.result()}) before {what}:\n{self.tail()}")
        pytest.fail(f"{what}: {waiter.exception()}\n--- bot output ---\n{self.tail()}")

    async def terminate(self, within: float = STOP_TIMEOUT) -> int:
        """SIGTERM, then wait; SIGKILL and fail if it does not exit in time."""
        assert self.proc is not None
        try:
            if self.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self.proc.send_signal(signal.SIGTERM)
                try:
                    async with asyncio.timeout(within):
                        await self.proc.wait()
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        self.proc.kill()
                    await self.proc.wait()
                    pytest.fail(
                        f"the bot did not exit within {within:g} s of SIGTERM:\n{self.tail()}"
                    )
            assert self.proc.returncode is not None
            return self.proc.returncode
        finally:
            for file in self._files:
                file.close()


@pytest.fixture(params=["postgresql"] if PG_URL else ["sqlite"])
async def e2e_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database the bot process creates and seeds itself."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
        return
    await _drop_everything(PG_URL)
    yield PG_URL
    await _drop_everything(PG_URL)


def _texts(calls: list[ApiCall]) -> list[str]:
    """Plain text of the messages and venues sent to the user, in order."""
    out = []
    for method, params in calls:
        if params.get("chat_id") != USER_ID:
            continue
        if method == "sendMessage":
            out.append(plain(str(params["text"])))
        elif method == "sendVenue":
            out.append(f"{params['title']} | {params['address']}")
    return out


def _sent_text(since: int, *fragments: str) -> Callable[[list[ApiCall]], bool]:
    """A message sent after `since` contains every fragment."""
    return lambda calls: any(all(f in t for f in fragments) for t in _texts(calls[since:]))


def _buttons(calls: list[ApiCall]) -> list[tuple[str, str]]:
    return [
        b
        for c in calls
        if c.method == "sendMessage"
        for b in inline_buttons(c.params.get("reply_markup"))
    ]


def _assert_no_error_reply(calls: list[ApiCall]) -> None:
    error = plain(texts.ERROR)
    assert all(error not in t for t in _texts(calls)), _texts(calls)


async def _converse(api: FakeBotApi, bot: BotProcess) -> None:
    # Start-up: getMe, the Spanish command menu (post_init), then long polling.
    calls = await bot.expect(
        api,
        "the bot polled for updates",
        lambda calls: any(c.method == "getUpdates" for c in calls),
        STARTUP_TIMEOUT,
    )
    assert api.rejected == 0
    methods = [c.method for c in calls]
    assert methods.index("getMe") < methods.index("getUpdates")
    menu = api.of("setMyCommands")
    assert len(menu) == 1
    assert [(c["command"], c["description"]) for c in menu[0].params["commands"]] == list(
        texts.COMMANDS
    )

    # /start: the greeting, then the service menu.
    mark = api.mark()
    api.push_update(api.make_command("start"))
    calls = await bot.expect(
        api,
        "the greeting and the service menu",
        lambda calls: (
            _sent_text(mark, "Ruta MIPYME")(calls)
            and any(d.startswith("need:") for _, d in _buttons(calls[mark:]))
        ),
    )
    sent = _texts(calls[mark:])
    assert "Ruta MIPYME" in sent[0]
    assert ("Acceso a financiamiento", "need:financiamiento") in _buttons(calls[mark:])
    _assert_no_error_reply(calls[mark:])

    # A location shared in Tegucigalpa: the bot knows where, and asks which service.
    mark = api.mark()
    api.push_update(api.make_location(*TEGUCIGALPA))
    calls = await bot.expect(
        api,
        "the question about the service",
        lambda calls: (
            _sent_text(mark, "¿Qué necesita")(calls)
            and "need:financiamiento" in {d for _, d in _buttons(calls[mark:])}
        ),
    )
    _assert_no_error_reply(calls[mark:])

    # The "Acceso a financiamiento" button: the press is answered, and the card comes.
    mark = api.mark()
    press = api.push_update(api.make_callback("need:financiamiento"))
    query_id = press["callback_query"]["id"]
    assert press["callback_query"]["message"]["chat"]["id"] == USER_ID  # the menu's message
    calls = await bot.expect(
        api,
        "the Tegucigalpa card after the button",
        lambda calls: (
            any(
                c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id
                for c in calls[mark:]
            )
            and _sent_text(mark, "CDE MIPYME Tegucigalpa")(calls)
        ),
    )
    card = next(t for t in _texts(calls[mark:]) if "CDE MIPYME Tegucigalpa" in t)
    assert "✅ Acceso a financiamiento" in card
    assert "Confirme antes de ir" in card
    _assert_no_error_reply(calls[mark:])

    # A question in the user's own words names another place: that department's center.
    mark = api.mark()
    api.push_update(api.make_text("soy de Danlí y ocupo un préstamo para mi pulpería"))
    calls = await bot.expect(
        api,
        "the El Paraíso card",
        _sent_text(mark, "CDE MIPYME Región El Paraíso"),
    )
    card = next(t for t in _texts(calls[mark:]) if "CDE MIPYME Región El Paraíso" in t)
    assert "atiende su departamento" in card  # sourced or, as here, inferred
    assert "✅ Acceso a financiamiento" in card
    _assert_no_error_reply(calls[mark:])

    # Every update is confirmed (offset past it), so a restart would not answer them again.
    await bot.expect(api, "the updates confirmed", lambda calls: not api.pending_updates)


async def test_polling_bot_process_answers_and_stops_cleanly_on_sigterm(
    e2e_database_url: str, tmp_path: Path
) -> None:
    async with FakeBotApi(TOKEN) as api:
        bot = BotProcess(bot_environment(e2e_database_url, api.base_url), tmp_path)
        await bot.start()
        try:
            async with asyncio.timeout(CONVERSATION_TIMEOUT):
                await _converse(api, bot)
        finally:
            code = await bot.terminate()
    output = bot.output()
    assert code == 0, f"exit code {code} after SIGTERM (0 expected):\n{bot.tail()}"
    assert "Application started" in output  # the logs were captured: the next check means it
    leaked = SECRET in output  # not in the assert: pytest would print the matching line
    assert not leaked, "the bot token leaked into the bot's output"
    assert "Traceback" not in output, bot.tail(60)
    assert api.rejected == 0


async def test_a_rejected_token_stops_the_bot_without_printing_the_token(tmp_path: Path) -> None:
    # python-telegram-bot's InvalidToken quotes the token: the crash must not show it.
    async with FakeBotApi("654321:another-bot") as api:
        env = bot_environment(f"sqlite:///{tmp_path / 'e2e.sqlite3'}", api.base_url)
        bot = BotProcess(env, tmp_path)
        await bot.start()
        assert bot.proc is not None
        try:
            async with asyncio.timeout(STARTUP_TIMEOUT):
                code = await bot.proc.wait()
        finally:
            await bot.terminate()  # only signals a bot that is still running
    output = bot.output()
    assert code == 2, bot.tail()
    assert api.rejected >= 1
    assert not api.calls  # nothing but the rejected getMe
    assert (
        "refused TELEGRAM_BOT_TOKEN" in output
    )  # the output was captured: the next check means it
    leaked = SECRET in output
    assert not leaked, "the bot token leaked into the crash output"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_healthy(base: str, bot: BotProcess) -> None:
    async with ClientSession() as session:
        for _ in range(400):
            assert bot.proc is not None and bot.proc.returncode is None, bot.tail()
            with contextlib.suppress(OSError):
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    pytest.fail(f"/healthz never answered:\n{bot.tail()}")


async def test_webhook_bot_process_checks_the_secret_and_answers_each_update_once(
    e2e_database_url: str, tmp_path: Path
) -> None:
    hook_secret = "hook-Secret_42"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeBotApi(TOKEN) as api:
        env = bot_environment(e2e_database_url, api.base_url)
        env.update(
            {
                "WEBHOOK_URL": f"{base}/telegram/webhook",
                "WEBHOOK_SECRET": hook_secret,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(port),
            }
        )
        bot = BotProcess(env, tmp_path)
        await bot.start()
        try:
            async with asyncio.timeout(CONVERSATION_TIMEOUT):
                calls = await bot.expect(
                    api, "the webhook registered",
                    lambda calls: any(c.method == "setWebhook" for c in calls), STARTUP_TIMEOUT,
                )  # fmt: skip
                (registered,) = [c for c in calls if c.method == "setWebhook"]
                assert registered.params["secret_token"] == hook_secret
                await _wait_healthy(base, bot)

                # Without the secret (or with a wrong one): refused, nothing answered.
                stranger = api.make_text("soy de Danlí y ocupo un préstamo")
                stranger["update_id"] = 990001
                async with ClientSession() as session:
                    for headers in ({}, {WEBHOOK_SECRET_HEADER: "guess"}):
                        async with session.post(
                            f"{base}/telegram/webhook", json=stranger, headers=headers
                        ) as response:
                            assert response.status == 403

                # Telegram delivers (the fake posts to the webhook with the secret).
                mark = api.mark()
                api.push_update(api.make_command("start"))
                await bot.expect(api, "the greeting", _sent_text(mark, "Ruta MIPYME"))
                mark = api.mark()
                api.push_update(api.make_location(*TEGUCIGALPA))
                await bot.expect(api, "the service question", _sent_text(mark, "¿Qué necesita"))
                mark = api.mark()
                api.push_update(api.make_callback("need:financiamiento"))
                await bot.expect(api, "the card", _sent_text(mark, "CDE MIPYME Tegucigalpa"))

                # The same update delivered twice (a retry): answered once.
                mark = api.mark()
                repeated = api.make_text("soy de Danlí y ocupo un préstamo para mi pulpería")
                repeated["update_id"] = 990002
                async with ClientSession() as session:
                    for _ in range(2):
                        async with session.post(
                            f"{base}/telegram/webhook",
                            json=repeated,
                            headers={WEBHOOK_SECRET_HEADER: hook_secret},
                        ) as response:
                            assert response.status == 200
                await bot.expect(api, "the El Paraíso card", _sent_text(mark, "Región El Paraíso"))
                api.push_update(api.make_text("gracias"))  # a later update, to let any repeat show
                await bot.expect(api, "the thanks", _sent_text(mark, "gusto"))
                # One card in the whole run: not twice for the retry, none for the stranger.
                cards = [t for t in _texts(api.calls) if "Región El Paraíso" in t]
                assert len(cards) == 1, cards
                _assert_no_error_reply(api.calls)
        finally:
            code = await bot.terminate()
    output = bot.output()
    assert code == 0, f"exit code {code} after SIGTERM (0 expected):\n{bot.tail()}"
    assert "Application started" in output
    leaked = SECRET in output or hook_secret in output
    assert not leaked, "a secret leaked into the bot's output"
    assert "Traceback" not in output, bot.tail(60)


# ---------------------------------------------------------------------- the fake Bot API itself


async def test_fake_bot_api_speaks_json_form_and_multipart_to_a_real_bot() -> None:
    from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

    async with FakeBotApi(TOKEN) as api:
        async with Bot(TOKEN, base_url=api.base_url) as bot:  # getMe
            assert bot.username == "RutaMipymeBot"
            assert bot.id == 123456
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Sí", callback_data="ok:1")]])
            message = await bot.send_message(USER_ID, "123", reply_markup=markup)
            assert message.text == "123"  # a numeric text stays a string
            assert message.chat.id == USER_ID
            assert message.reply_markup == markup
            edited = await bot.edit_message_text("otro", USER_ID, message.message_id)
            assert isinstance(edited, type(message))
            assert edited.message_id == message.message_id
            document = await bot.send_document(USER_ID, b"id,name\n", filename="centros.csv")
            assert document.document is not None
            assert document.document.file_name == "centros.csv"
            venue = await bot.send_venue(USER_ID, 14.08, -87.2, "CDE", "Tegucigalpa")
            assert venue.venue is not None
            assert venue.venue.title == "CDE"
            assert await bot.send_chat_action(USER_ID, "typing")
        upload = api.of("sendDocument")[0].params["document"]
        assert upload.data == b"id,name\n"
        press = api.make_callback("ok:1")
        assert press["callback_query"]["message"]["message_id"] == message.message_id

        async with ClientSession() as session:
            url = f"{api.base_url}{TOKEN}/sendMessage"
            async with session.post(url, json={"chat_id": USER_ID, "text": "hola"}) as response:
                body = await response.json()
            assert body["ok"]
            assert body["result"]["text"] == "hola"
            async with session.post(f"{api.base_url}1:wrong/getMe") as response:
                assert response.status == 401
                assert await response.json() == {
                    "ok": False,
                    "error_code": 401,
                    "description": "Unauthorized",
                }
    assert api.rejected == 1


async def test_fake_bot_api_long_polls_with_offset_and_delivers_to_a_webhook() -> None:
    received: list[dict[str, object]] = []
    arrived = asyncio.Event()

    async def webhook(request: web.Request) -> web.Response:
        assert request.headers.get(WEBHOOK_SECRET_HEADER) == "s3cret"
        received.append(await request.json())
        arrived.set()
        return web.Response()

    receiver = web.Application()
    receiver.router.add_post("/hook", webhook)
    runner = web.AppRunner(receiver)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with FakeBotApi(TOKEN, max_poll_wait=5.0) as api, ClientSession() as session:
            url = f"{api.base_url}{TOKEN}"

            async def call(method: str, **params: Any) -> dict[str, Any]:
                async with session.post(f"{url}/{method}", json=params) as response:
                    return await response.json()  # type: ignore[no-any-return]

            poll = asyncio.ensure_future(call("getUpdates", offset=0, timeout=5))
            await api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), 5)
            first = api.push_update(api.make_text("hola"))
            assert (await asyncio.wait_for(poll, 5))["result"] == [first]  # woken, not timed out
            second = api.push_update(api.make_text("otra"))
            answer = await call("getUpdates", offset=first["update_id"] + 1, timeout=0)
            assert answer["result"] == [second]
            assert api.consumed(first)
            assert not api.consumed(second)

            assert (
                await call(
                    "setWebhook", url=f"http://127.0.0.1:{port}/hook", secret_token="s3cret"
                )
            )["ok"]
            conflict = await call("getUpdates", timeout=0)
            assert conflict["error_code"] == 409
            await asyncio.wait_for(arrived.wait(), 5)
            assert received == [second]
            await api.wait_for(lambda calls: not api.pending_updates, 5)
            assert (await call("deleteWebhook"))["ok"]
            assert (await call("getWebhookInfo"))["result"]["url"] == ""
    finally:
        await runner.cleanup()

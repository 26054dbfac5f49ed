"""A fake Telegram Bot API server on loopback, for tests that run the bot as a real process.

`FakeBotApi` is a small aiohttp server that speaks enough of the Bot API for the bot to run
unchanged against it (`TELEGRAM_API_URL=api.base_url`): requests arrive at
`/bot<TOKEN>/<method>`, with their parameters as a query string, form data, multipart form data
(file uploads) or a JSON body. Every authorized call is recorded in `calls`, as
`ApiCall(method, params)`, and answered like Telegram would: `getMe` returns the bot user,
`send*`/`edit*` return a Message echoing what was sent, `getUpdates` long-polls the updates
that the test queues with `push_update` (respecting `offset`, `limit`, `timeout`,
`allowed_updates`), and any other method returns `true`.

Webhook mode: after `setWebhook`, queued updates are POSTed to the webhook URL (with the
`X-Telegram-Bot-Api-Secret-Token` header when a secret was set) and `getUpdates` answers 409,
as on Telegram. `deleteWebhook` goes back to polling.

Typical use::

    api = FakeBotApi("123456:secret")
    port = await api.start()            # api.base_url == f"http://127.0.0.1:{port}/bot"
    ...start the bot with TELEGRAM_API_URL=api.base_url...
    mark = api.mark()
    api.push_update(api.make_command("start"))
    await api.wait_for(lambda calls: any(c.method == "sendMessage" for c in calls[mark:]))
    await api.stop()

Every wait is bounded: long polls last at most `max_poll_wait` seconds, `wait_for` takes a
timeout, and `stop()` wakes every pending long poll first.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from aiohttp import ClientError, ClientSession, ClientTimeout, web

USER_ID = 5550001
"""The default user (and private chat) of the update builders."""

WEBHOOK_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

# Parameters whose form-encoded value is a plain string, never JSON (python-telegram-bot sends
# strings raw and everything else JSON-encoded, so "123" as a text must stay a string).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "title",
        "address",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "description",
        "short_description",
        "name",
        "first_name",
        "last_name",
        "parse_mode",
        "action",
        "emoji",
        "query",
        "language_code",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
    }
)

_MESSAGE_METHODS = frozenset(
    {
        "sendmessage",
        "sendvenue",
        "sendlocation",
        "senddocument",
        "sendphoto",
        "sendcontact",
        "forwardmessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
        "editmessagelivelocation",
    }
)


class ApiCall(NamedTuple):
    """One recorded Bot API call: `method, params = call` works too."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class UploadedFile:
    """A file sent as multipart form data (sendDocument with a new file, sendPhoto…)."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass(frozen=True)
class WebhookDelivery:
    update_id: int
    status: int | None  # None: the connection failed


class BotApiError(Exception):
    """Raise inside a method to answer {"ok": false, …} (see `fail_next`)."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after


def bot_user(token: str, username: str = "RutaMipymeBot") -> dict[str, Any]:
    """The bot's User object; as on Telegram, its id is the token's number."""
    head = token.split(":", 1)[0]
    return {
        "id": int(head) if head.isdigit() else 7000000001,
        "is_bot": True,
        "first_name": "Ruta MIPYME",
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def update_kind(update: dict[str, Any]) -> str:
    """ "message", "callback_query"…: the field of an update besides its id."""
    return next((key for key in update if key != "update_id"), "")


def inline_buttons(markup: Any) -> list[tuple[str, str]]:
    """(label, callback_data) of each inline button of a reply_markup (a dict or JSON text)."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [(b.get("text", ""), b.get("callback_data", "")) for row in rows for b in row]


class FakeBotApi:
    """A loopback Bot API server for one bot token; see the module docstring."""

    def __init__(
        self,
        token: str,
        *,
        username: str = "RutaMipymeBot",
        max_poll_wait: float = 1.0,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.host = host
        self.max_poll_wait = max_poll_wait
        self.bot = bot_user(token, username)
        self.calls: list[ApiCall] = []
        self.method_counts: Counter[str] = Counter()
        self.rejected = 0  # requests with a wrong token (answered 401)
        self.send_delay = 0.0  # seconds each send*/edit* call waits before it is recorded
        self.last_call_at = 0.0  # time.monotonic() of the last recorded call
        self.confirmed_offset = 0  # highest getUpdates offset: updates below it are consumed
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.commands: list[dict[str, Any]] = []
        self.messages: dict[tuple[Any, int], dict[str, Any]] = {}  # (chat_id, message_id)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[BotApiError]] = {}
        self._state_changed = asyncio.Event()
        self._updates_changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._session: ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ server

    async def start(self, port: int = 0) -> int:
        """Listen on `host` (loopback) and return the port (a free one by default)."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, port)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self._port

    async def stop(self) -> None:
        """Wake pending long polls, stop webhook deliveries and close the server."""
        self._closing = True
        self._notify_updates()
        await self._stop_webhook_task()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_URL (python-telegram-bot appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    # ------------------------------------------------------------------ updates

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (its update_id is assigned here) and wake the long poll."""
        fields = {k: v for k, v in update.items() if k != "update_id"}
        queued = {"update_id": next(self._update_ids), **fields}
        self._updates.append(queued)
        self._notify_updates()
        return queued

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by the bot (nor delivered to its webhook)."""
        return list(self._updates)

    def consumed(self, update: dict[str, Any]) -> bool:
        """Whether the bot confirmed (polling) or accepted (webhook) this update."""
        return all(u["update_id"] != update["update_id"] for u in self._updates)

    def fail_next(
        self,
        method: str,
        error_code: int = 500,
        description: str = "Internal Server Error",
        *,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error (e.g. 429 with retry_after)."""
        errors = self._failures.setdefault(method.lower(), [])
        errors.extend(BotApiError(error_code, description, retry_after) for _ in range(times))

    # ------------------------------------------------------------------ update builders

    def user(self, user_id: int = USER_ID, first_name: str = "Ana") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "es"}

    def chat(self, user_id: int = USER_ID, chat_type: str = "private") -> dict[str, Any]:
        if chat_type == "private":
            return {"id": user_id, "type": "private", "first_name": "Ana"}
        return {"id": -1001234567890, "type": chat_type, "title": "Emprendedores"}

    def make_message(
        self, user_id: int = USER_ID, chat_type: str = "private", **fields: Any
    ) -> dict[str, Any]:
        """A `message` update from the user; `fields` are the Message's content."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(user_id, chat_type),
            "from": self.user(user_id),
            **fields,
        }
        return {"message": message}

    def make_text(
        self, text: str, user_id: int = USER_ID, chat_type: str = "private"
    ) -> dict[str, Any]:
        """A text message; a leading /command gets its bot_command entity."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.make_message(user_id, chat_type, **fields)

    def make_command(
        self, name: str, args: str = "", user_id: int = USER_ID, chat_type: str = "private"
    ) -> dict[str, Any]:
        """`/name args` as typed by the user."""
        text = f"/{name.lstrip('/')}" + (f" {args}" if args else "")
        return self.make_text(text, user_id, chat_type)

    def make_location(
        self, latitude: float, longitude: float, user_id: int = USER_ID, *, live: bool = False
    ) -> dict[str, Any]:
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if live:
            location["live_period"] = 900
        return self.make_message(user_id, "private", location=location)

    def make_callback(
        self, data: str, user_id: int = USER_ID, message: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A button press. The message defaults to the bot's latest one carrying that button."""
        if message is None:
            message = self.message_with_button(data, chat_id=user_id)
        if message is None:
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self.chat(user_id),
                "from": self.bot,
                "text": "…",
            }
        query = {
            "id": str(next(self._callback_ids)),
            "from": self.user(user_id),
            "chat_instance": f"ci-{user_id}",
            "data": data,
            "message": message,
        }
        return {"callback_query": query}

    # ------------------------------------------------------------------ reading the calls

    def mark(self) -> int:
        """The number of calls so far: `calls[mark:]` are the ones made after this point."""
        return len(self.calls)

    def of(self, *methods: str, since: int = 0) -> list[ApiCall]:
        """Recorded calls of these methods, in order."""
        wanted = {m.lower() for m in methods}
        return [c for c in self.calls[since:] if c.method.lower() in wanted]

    def sent(self, since: int = 0, chat_id: Any = None) -> list[ApiCall]:
        """Messages the bot sent or edited (send*/edit* except sendChatAction)."""
        return [
            c
            for c in self.calls[since:]
            if c.method.lower() in _MESSAGE_METHODS
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    def message_with_button(self, data: str, chat_id: Any = None) -> dict[str, Any] | None:
        """The latest message the bot sent (to chat_id) with an inline button of this data."""
        for (chat, _), message in reversed(self.messages.items()):
            if chat_id is not None and str(chat) != str(chat_id):
                continue
            if any(d == data for _, d in inline_buttons(message.get("reply_markup"))):
                return message
        return None

    async def wait_for(
        self,
        predicate: Callable[[list[ApiCall]], object],
        timeout: float = 10.0,  # noqa: ASYNC109 (the documented API)
    ) -> list[ApiCall]:
        """Wait until `predicate(calls)` is truthy; return the calls. TimeoutError otherwise.

        The predicate is evaluated again after each recorded call and each change of the update
        queue, so it may also look at `pending_updates`, `consumed(…)` or `webhook_deliveries`.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._state_changed
            snapshot = list(self.calls)
            if predicate(snapshot):
                return snapshot
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"the Bot API calls did not match within {timeout:g} s; last calls: "
                    + self.describe(snapshot[-12:])
                )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await changed.wait()

    @staticmethod
    def describe(calls: Iterable[ApiCall]) -> str:
        """A short human-readable list of calls, for assertion messages."""
        parts = []
        for method, params in calls:
            detail = params.get("text") or params.get("title") or params.get("offset", "")
            parts.append(f"{method}({str(detail)[:60]!r})")
        return ", ".join(parts) or "none"

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.rejected += 1
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await _read_params(request)
        except ValueError as error:
            return _error(400, f"Bad Request: {error}")
        if self.send_delay and method.lower().startswith(("send", "edit")):
            await asyncio.sleep(self.send_delay)  # a slow Telegram: answers are still in flight
        self._record(ApiCall(method, params))
        failures = self._failures.get(method.lower())
        if failures:
            failure = failures.pop(0)
            return _error(failure.error_code, failure.description, failure.retry_after)
        try:
            if method.lower() == "getupdates":
                result: Any = await self._get_updates(params)
            else:
                result = self._answer(method.lower(), params)
        except BotApiError as error:
            return _error(error.error_code, error.description, error.retry_after)
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        self.method_counts[call.method] += 1
        self.last_call_at = time.monotonic()
        self._notify_waiters()

    def _notify_waiters(self) -> None:
        """Wake `wait_for`: a call was recorded or the update queue changed."""
        self._state_changed.set()
        self._state_changed = asyncio.Event()

    def _notify_updates(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()
        self._notify_waiters()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        wait = min(max(float(params.get("timeout") or 0), 0.0), self.max_poll_wait)
        allowed = params.get("allowed_updates") or []
        if offset > 0:  # confirms (forgets) every update below the offset
            remaining_updates = [u for u in self._updates if u["update_id"] >= offset]
            self.confirmed_offset = max(self.confirmed_offset, offset)
            if len(remaining_updates) != len(self._updates):
                self._updates = remaining_updates
                self._notify_updates()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            changed = self._updates_changed
            queue = self._updates[offset:] if offset < 0 else self._updates
            ready = [
                u
                for u in queue
                if u["update_id"] >= offset and (not allowed or update_kind(u) in allowed)
            ][:limit]
            remaining = deadline - loop.time()
            if ready or self._closing or remaining <= 0:
                return ready
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await changed.wait()

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getme":
            return self.bot
        if method == "setwebhook":
            self.webhook_url = str(params.get("url") or "")
            self.webhook_secret = params.get("secret_token")
            self._start_webhook_task()
            return True
        if method == "deletewebhook":
            self.webhook_url = ""
            self.webhook_secret = None
            if _truthy(params.get("drop_pending_updates")):
                self._updates.clear()
                self._notify_updates()
            return True
        if method == "getwebhookinfo":
            return {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
        if method == "setmycommands":
            self.commands = list(params.get("commands") or [])
            return True
        if method == "getmycommands":
            return self.commands
        if method in _MESSAGE_METHODS:
            return self._message(method, params)
        return True

    def _message(self, method: str, params: dict[str, Any]) -> dict[str, Any] | bool:
        if method.startswith("edit") and "inline_message_id" in params:
            return True  # edits of inline messages return True on Telegram
        chat_id = params.get("chat_id", USER_ID)
        editing = method.startswith("edit")
        message_id = int(params["message_id"]) if editing else next(self._message_ids)
        previous = self.messages.get((chat_id, message_id), {}) if editing else {}
        message: dict[str, Any] = {
            **previous,
            "message_id": message_id,
            "date": previous.get("date", int(time.time())),
            "chat": _chat(chat_id),
            "from": self.bot,
        }
        if editing:
            message["edit_date"] = int(time.time())
        for key in ("text", "caption"):
            if key in params:
                message[key] = str(params[key])
        if "latitude" in params:
            location = {"latitude": params["latitude"], "longitude": params["longitude"]}
            message["location"] = location
            if method == "sendvenue":
                message["venue"] = {
                    "location": location,
                    "title": str(params.get("title", "")),
                    "address": str(params.get("address", "")),
                }
        if "document" in params:
            message["document"] = _file_object(params["document"], message_id)
        if "photo" in params:
            photo = _file_object(params["photo"], message_id)
            message["photo"] = [{**photo, "width": 512, "height": 512}]
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # Telegram echoes inline keyboards only
        elif method == "editmessagereplymarkup":
            message.pop("reply_markup", None)
        self.messages[(chat_id, message_id)] = message
        return message

    # ------------------------------------------------------------------ webhook mode

    def _start_webhook_task(self) -> None:
        if self.webhook_url and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_webhooks())

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_webhooks(self) -> None:
        """POST queued updates, oldest first, while a webhook is set; retry until accepted."""
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=10))
        while self.webhook_url and not self._closing:
            changed = self._updates_changed
            if not self._updates:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.max_poll_wait):
                        await changed.wait()
                continue
            update = self._updates[0]
            headers = {WEBHOOK_SECRET_HEADER: self.webhook_secret} if self.webhook_secret else {}
            status: int | None
            try:
                async with self._session.post(
                    self.webhook_url, json=update, headers=headers
                ) as response:
                    status = response.status
            except (ClientError, TimeoutError):
                status = None
            self.webhook_deliveries.append(WebhookDelivery(update["update_id"], status))
            if status is not None and 200 <= status < 300:
                with contextlib.suppress(ValueError):
                    self._updates.remove(update)
                self._notify_updates()
            else:
                await asyncio.sleep(0.2)


def _error(code: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def _form_value(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string, then the body: JSON, urlencoded or multipart form data."""
    params: dict[str, Any] = {k: _form_value(k, v) for k, v in request.query.items()}
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise ValueError("can't parse JSON object") from error
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        elif isinstance(value, str):
            params[key] = _form_value(key, value)
        else:  # bytes: a part without a filename
            params[key] = _form_value(key, bytes(value).decode("utf-8", "replace"))
    return params


def _chat(chat_id: Any) -> dict[str, Any]:
    if isinstance(chat_id, int) and chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Ana"}
    if isinstance(chat_id, int):
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Emprendedores"}
    return {"id": -1001000000000, "type": "channel", "title": str(chat_id)}


def _file_object(value: Any, message_id: int) -> dict[str, Any]:
    file_id = f"file-{message_id}"
    if isinstance(value, UploadedFile):
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": value.filename,
            "mime_type": value.content_type,
            "file_size": len(value.data),
        }
    return {"file_id": str(value), "file_unique_id": str(value)}

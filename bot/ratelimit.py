"""Rate limiting and retries for Bot API requests: one user's trouble is nobody else's.

`ChatRateLimiter` replaces python-telegram-bot's `AIORateLimiter`, which pauses *every* request
of the bot whenever any single call is answered with a 429 (`RetryAfter`), and which loses an
answer to a transient network failure.

Policy
------
Throttling (before a request is sent), so the bot stays under Telegram's flood limits:

* the whole bot: ``overall_per_second`` requests per second (30), in bursts of up to
  ``overall_burst`` (30);
* a private chat: ``private_chat_per_second`` messages per second (1), in bursts of up to
  ``private_chat_burst`` (5), so a reply of several messages goes out at once;
* a group, supergroup or channel (a negative or ``@username`` chat id):
  ``group_chat_per_minute`` messages per minute (20), in bursts of up to ``group_chat_burst`` (3).

The per-chat limits count what posts into a chat (``send*`` except ``sendChatAction``,
``edit*``, ``copy*``, ``forward*``); every request but ``getUpdates`` counts for the whole bot.
Throttling reserves slots in order (a generic cell rate algorithm), so waiting requests go out
first come, first served, and a chat's queue never delays another chat.

Flood control (429, `RetryAfter`):

* A 429 for a chat holds back *that chat* for ``retry_after``; other chats carry on. After the
  wait the chat restarts at its steady rate (no burst).
* Everyone waits only when the 429s show that the limit is the whole bot's: a 429 on a request
  without a ``chat_id``, or 429s for ``global_pause_chats`` (3) different chats within
  ``global_pause_window`` seconds (10).
* The request is retried after the wait, at most ``max_retries`` (3) times (or the request's
  ``rate_limit_args``, an int, as in `AIORateLimiter`), and only while the sum of the waits asked
  for stays within ``max_total_wait`` seconds (60); then the `RetryAfter` is re-raised.

Transient failures (`NetworkError`: timeouts, connection errors, 5xx answers, which PTB raises as
`NetworkError`) are retried up to ``network_retries`` (3) times after an exponential backoff
(``network_backoff`` * 2**n: 0.5 s, 1 s, 2 s), then re-raised. A retried ``sendMessage`` after a
read timeout may rarely arrive twice (Telegram may have got the first one): a duplicate beats a
lost answer. `BadRequest` (a `NetworkError` subclass in PTB), `Forbidden`, `InvalidToken`,
`Conflict`, `ChatMigrated` and any other error are never retried; ``getUpdates`` (a long poll)
passes straight through.

Each retry is logged at INFO with the endpoint and the chat id only (never a message's text); a
final failure is raised to the caller, which logs it.

The clock and the sleep are injectable, so tests run the policy in virtual time.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import math
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

ApiResult = bool | dict[str, Any] | list[dict[str, Any]]
ChatKey = int | str

# Errors that retrying cannot fix (BadRequest is a NetworkError subclass in PTB).
_NEVER_RETRIED: tuple[type[Exception], ...] = (
    BadRequest,
    Forbidden,
    InvalidToken,
    Conflict,
    ChatMigrated,
)
_CHAT_LIMITED_PREFIXES = ("send", "edit", "copy", "forward")
_NOT_CHAT_LIMITED = frozenset({"sendChatAction"})


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait a `RetryAfter` asks for, in seconds, whether PTB gives an int or a timedelta."""
    with warnings.catch_warnings():
        # Without PTB_TIMEDELTA, reading the attribute warns that it will become a timedelta.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return max(value.total_seconds(), 0.0)
    if isinstance(value, int | float):
        return max(float(value), 0.0)
    return 0.0


def chat_key(chat_id: object) -> ChatKey | None:
    """The chat a request is for: an int id (``"123"`` counts as 123), an ``@username``, or
    None when the request names no chat."""
    if chat_id is None or isinstance(chat_id, bool):
        return None
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id).strip()
    try:
        return int(text)
    except ValueError:
        return text or None


def is_group(chat: ChatKey) -> bool:
    """Groups, supergroups and channels have negative ids; only they have ``@usernames`` here."""
    return isinstance(chat, str) or chat < 0


def counts_for_chat(endpoint: str) -> bool:
    """Whether a request posts into its chat (and so counts against the chat's limit)."""
    return endpoint.startswith(_CHAT_LIMITED_PREFIXES) and endpoint not in _NOT_CHAT_LIMITED


@dataclass(slots=True)
class _Bucket:
    """A generic cell rate algorithm: one request per `interval`, bursts of `burst`.

    `reserve` books the next free slot and says how long to wait for it, so waiting requests
    are served in order without a lock.
    """

    interval: float
    burst: int
    tat: float = -math.inf  # theoretical arrival time of the next request at the steady rate

    @property
    def tolerance(self) -> float:
        return (self.burst - 1) * self.interval

    def reserve(self, now: float) -> float:
        tat = max(self.tat, now)
        start = max(now, tat - self.tolerance)
        self.tat = tat + self.interval
        return start - now

    def restart_at(self, when: float) -> None:
        """After a 429: nothing before `when`, then the steady rate, no burst."""
        self.tat = max(self.tat, when + self.tolerance)

    def idle(self, now: float) -> bool:
        return self.tat <= now


@dataclass(slots=True)
class _Chat:
    bucket: _Bucket
    blocked_until: float = -math.inf


class ChatRateLimiter(BaseRateLimiter[int]):
    """Throttles Bot API requests per chat and for the whole bot, backs off only the chat that
    Telegram flood-limits, and retries transient failures. See the module docstring."""

    def __init__(
        self,
        *,
        overall_per_second: float = 30.0,
        overall_burst: int = 30,
        private_chat_per_second: float = 1.0,
        private_chat_burst: int = 5,
        group_chat_per_minute: float = 20.0,
        group_chat_burst: int = 3,
        max_retries: int = 3,
        max_total_wait: float = 60.0,
        network_retries: int = 3,
        network_backoff: float = 0.5,
        global_pause_chats: int = 3,
        global_pause_window: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        rates = (overall_per_second, private_chat_per_second, group_chat_per_minute)
        bursts = (overall_burst, private_chat_burst, group_chat_burst)
        if min(rates) <= 0 or min(bursts) < 1:
            raise ValueError("rates must be positive and bursts at least 1")
        if min(max_retries, network_retries) < 0 or min(max_total_wait, network_backoff) < 0:
            raise ValueError("retry counts and waits cannot be negative")
        self._overall_interval = 1.0 / overall_per_second
        self._overall_burst = overall_burst
        self._private_interval = 1.0 / private_chat_per_second
        self._private_burst = private_chat_burst
        self._group_interval = 60.0 / group_chat_per_minute
        self._group_burst = group_chat_burst
        self._max_retries = max_retries
        self._max_total_wait = max_total_wait
        self._network_retries = network_retries
        self._network_backoff = network_backoff
        self._global_pause_chats = global_pause_chats
        self._global_pause_window = global_pause_window
        self._clock = clock
        self._sleep = sleep
        self._reset()

    def _reset(self) -> None:
        self._overall = _Bucket(self._overall_interval, self._overall_burst)
        self._chats: dict[ChatKey, _Chat] = {}
        self._prune_at = 1024
        self._paused_until = -math.inf
        self._recent_floods: dict[ChatKey, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Forget every chat's state."""
        self._reset()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, ApiResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> ApiResult:
        """Send the request when its chat and the bot may; retry as the policy says.

        `rate_limit_args`, when given, replaces `max_retries` for this request's 429s.
        """
        if endpoint == "getUpdates":  # a long poll: PTB never passes it here, but just in case
            return await callback(*args, **kwargs)
        chat = chat_key(data.get("chat_id"))
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        flood_retries = network_failures = 0
        flood_waited = 0.0
        while True:
            await self._wait_turn(endpoint, chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                self._flood(endpoint, chat, wait)
                if flood_retries >= max_retries or flood_waited + wait > self._max_total_wait:
                    raise
                flood_retries += 1
                flood_waited += wait
                log.info(
                    "429 on %s for chat %s: retry %d/%d in %.1f s",
                    endpoint,
                    chat,
                    flood_retries,
                    max_retries,
                    wait,
                )
                # The next _wait_turn waits for the chat's (or everyone's) pause to end.
            except _NEVER_RETRIED:
                raise
            except NetworkError as exc:
                if network_failures >= self._network_retries:
                    raise
                delay = self._network_backoff * 2**network_failures
                network_failures += 1
                log.info(
                    "%s on %s for chat %s: retry %d/%d in %.1f s",
                    type(exc).__name__,
                    endpoint,
                    chat,
                    network_failures,
                    self._network_retries,
                    delay,
                )
                await self._pause(delay)

    async def _wait_turn(self, endpoint: str, chat: ChatKey | None) -> None:
        """Wait out any pause for the chat or the bot, then for a slot of each limit."""
        await self._wait_pauses(chat)
        if chat is not None and counts_for_chat(endpoint):
            await self._pause(self._chat(chat).bucket.reserve(self._clock()))
        await self._pause(self._overall.reserve(self._clock()))
        await self._wait_pauses(chat)  # a pause may have begun while waiting for a slot

    async def _wait_pauses(self, chat: ChatKey | None) -> None:
        while True:
            until = self._paused_until
            if chat is not None and (state := self._chats.get(chat)) is not None:
                until = max(until, state.blocked_until)
            wait = until - self._clock()
            if wait <= 0:
                return
            await self._sleep(wait)

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)

    def _flood(self, endpoint: str, chat: ChatKey | None, wait: float) -> None:
        """Telegram asked to wait: hold back the chat, or everyone if the limit is the bot's."""
        now = self._clock()
        until = now + wait
        if chat is None:
            self._pause_everyone(until, f"429 on {endpoint} without a chat")
            return
        state = self._chat(chat)
        state.blocked_until = max(state.blocked_until, until)
        state.bucket.restart_at(until)
        horizon = now - self._global_pause_window
        self._recent_floods = {c: t for c, t in self._recent_floods.items() if t >= horizon}
        self._recent_floods[chat] = now
        if len(self._recent_floods) >= self._global_pause_chats:
            self._pause_everyone(until, f"429s for {len(self._recent_floods)} chats")

    def _pause_everyone(self, until: float, reason: str) -> None:
        if until > self._paused_until:
            log.warning(
                "Bot API flood limit for the whole bot (%s): pausing all requests %.1f s",
                reason,
                until - self._clock(),
            )
            self._paused_until = until
        self._overall.restart_at(until)

    def _chat(self, chat: ChatKey) -> _Chat:
        state = self._chats.get(chat)
        if state is None:
            if len(self._chats) >= self._prune_at:
                self._prune()
            if is_group(chat):
                bucket = _Bucket(self._group_interval, self._group_burst)
            else:
                bucket = _Bucket(self._private_interval, self._private_burst)
            state = self._chats[chat] = _Chat(bucket)
        return state

    def _prune(self) -> None:
        """Forget chats whose limits are back to full and that are not held back."""
        now = self._clock()
        self._chats = {
            c: s
            for c, s in self._chats.items()
            if not (s.bucket.idle(now) and s.blocked_until <= now)
        }
        self._prune_at = max(1024, 2 * len(self._chats))

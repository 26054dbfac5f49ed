"""ChatRateLimiter: one chat's flood control or failure is nobody else's, in virtual time.

Every wait goes through `VirtualTime`: its clock stands still while any task can run and jumps
to the next wake-up when all of them wait, so a 30 s `retry_after` takes no real time and the
tests assert the order and the virtual times of what reached Telegram.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import heapq
import itertools
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from typing import Any

import pytest
from telegram import Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application

from bot.localapi import LocalBotApi
from bot.ratelimit import ChatRateLimiter, chat_key, retry_after_seconds
from tests.conftest import TEST_TOKEN


class VirtualTime:
    """A clock and a sleep: time moves only when every task of `run` waits on `sleep`."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(delay, 0.0), next(self._order), wake))
        await wake

    async def run(self, *coros: Coroutine[Any, Any, Any]) -> list[Any]:
        """Run the coroutines together to the end: each one's result, or the exception it
        raised, in order."""
        tasks = [asyncio.ensure_future(c) for c in coros]
        try:
            while True:
                await self._settle(tasks)
                if all(t.done() for t in tasks):
                    break
                when, _, wake = heapq.heappop(self._timers)
                self.now = max(self.now, when)
                wake.set_result(None)
        finally:
            for t in tasks:
                t.cancel()
        return [t.exception() or t.result() for t in tasks]

    async def _settle(self, tasks: Sequence[asyncio.Future[Any]]) -> None:
        """Let the tasks run until each one is done or asleep."""
        for _ in range(10_000):
            asleep = sum(not wake.done() for *_, wake in self._timers)
            if asleep == sum(not t.done() for t in tasks):
                return
            await asyncio.sleep(0)
        raise AssertionError("a task waits on something other than the virtual clock")

    async def at(self, when: float, coro: Awaitable[Any]) -> Any:
        """Start `coro` at virtual time `when`."""
        await self.sleep(when - self.now)
        return await coro


STEP = 1 / 30  # the steady interval of the whole bot's limit


@pytest.fixture
def vt() -> VirtualTime:
    return VirtualTime()


def limiter_for(vt: VirtualTime, **settings: Any) -> ChatRateLimiter:
    return ChatRateLimiter(clock=vt.clock, sleep=vt.sleep, **settings)


class FakeCall:
    """A Bot API call that fails with the given errors, then succeeds; records attempt times."""

    def __init__(self, vt: VirtualTime, *failures: Exception, always: Exception | None = None):
        self.vt = vt
        self.failures = list(failures)
        self.always = always
        self.attempts: list[float] = []

    async def __call__(self, *args: Any, **kwargs: Any) -> bool:
        self.attempts.append(self.vt.now)
        if self.always is not None:
            raise self.always
        if self.failures:
            raise self.failures.pop(0)
        return True


def request(
    limiter: ChatRateLimiter,
    call: Callable[..., Coroutine[Any, Any, bool]],
    chat_id: int | str | None = None,
    endpoint: str = "sendMessage",
    rate_limit_args: int | None = None,
) -> Coroutine[Any, Any, Any]:
    data: dict[str, Any] = {"text": "a private text"}
    if chat_id is not None:
        data["chat_id"] = chat_id
    return limiter.process_request(call, (endpoint, data), {}, endpoint, data, rate_limit_args)


# --- Flood control (429) ----------------------------------------------------------------------


async def test_a_429_holds_back_only_its_chat(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    a, b, c = FakeCall(vt, RetryAfter(dtm.timedelta(seconds=30))), FakeCall(vt), FakeCall(vt)
    a_again, b_later = FakeCall(vt), FakeCall(vt)

    outcomes = await vt.run(
        request(limiter, a, 111),
        request(limiter, b, 222),
        request(limiter, c, 333),
        vt.at(1, request(limiter, a_again, 111)),
        vt.at(2, request(limiter, b_later, 222)),
    )

    assert outcomes == [True] * 5
    assert b.attempts == c.attempts == [0] and b_later.attempts == [2]
    assert a.attempts == [0, 30]  # retried after the wait Telegram asked for
    # The chat's next message waits too, and after the pause the chat restarts without a burst.
    assert a_again.attempts == [31]


async def test_a_429_without_a_chat_pauses_everyone(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    answer = FakeCall(vt, RetryAfter(10))
    send = FakeCall(vt)

    await vt.run(
        request(limiter, answer, None, endpoint="answerCallbackQuery"),
        vt.at(1, request(limiter, send, 555)),
    )

    assert answer.attempts == [0, 10]
    # After a pause for everyone the bot restarts at its steady rate (30/s), without a burst.
    assert send.attempts == pytest.approx([10 + STEP])


async def test_429s_for_three_chats_at_once_pause_everyone(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    flooded = [FakeCall(vt, RetryAfter(5)) for _ in range(3)]
    fourth = FakeCall(vt)

    await vt.run(
        *(request(limiter, call, chat) for call, chat in zip(flooded, (1, 2, 3), strict=True)),
        vt.at(1, request(limiter, fourth, 4)),
    )

    retried = [call.attempts[1] for call in flooded]
    assert [call.attempts[0] for call in flooded] == [0, 0, 0]
    assert retried == pytest.approx([5, 5 + STEP, 5 + 2 * STEP])
    assert fourth.attempts == pytest.approx([5 + 3 * STEP])  # it waited for the pause


@pytest.mark.parametrize(
    "starts",
    [(0, 0), (0, 20, 40)],
    ids=["two-chats", "three-chats-far-apart"],
)
async def test_scattered_429s_do_not_pause_everyone(
    vt: VirtualTime, starts: tuple[float, ...]
) -> None:
    limiter = limiter_for(vt)
    flooded = [FakeCall(vt, RetryAfter(5)) for _ in starts]
    others = [FakeCall(vt) for _ in starts]

    await vt.run(
        *(
            vt.at(t, request(limiter, call, i + 1))
            for i, (t, call) in enumerate(zip(starts, flooded, strict=True))
        ),
        *(
            vt.at(t + 1, request(limiter, call, 100 + i))
            for i, (t, call) in enumerate(zip(starts, others, strict=True))
        ),
    )

    assert [call.attempts for call in flooded] == [[t, t + 5] for t in starts]
    assert [call.attempts for call in others] == [[t + 1] for t in starts]


async def test_a_persistent_429_is_retried_a_bounded_number_of_times(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    short, long, once = (
        FakeCall(vt, always=RetryAfter(5)),
        FakeCall(vt, always=RetryAfter(30)),
        FakeCall(vt, always=RetryAfter(1)),
    )

    outcomes = await vt.run(
        request(limiter, short, 1),
        request(limiter, long, 2),
        request(limiter, once, 3, rate_limit_args=0),
    )

    assert all(isinstance(o, RetryAfter) for o in outcomes)
    assert short.attempts == [0, 5, 10, 15]  # 3 retries
    assert long.attempts == [0, 30, 60]  # a third wait would pass the 60 s bound
    assert once.attempts == [0]  # rate_limit_args: no retries for this request


def test_retry_after_is_read_as_int_or_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    exc = RetryAfter(30)
    assert retry_after_seconds(exc) == 30.0
    # Without the opt-in PTB gives an int and warns (an error here): the limiter reads it quietly.
    monkeypatch.setenv("PTB_TIMEDELTA", "false")
    assert retry_after_seconds(exc) == 30.0


# --- Transient failures -----------------------------------------------------------------------


async def test_network_errors_are_retried_with_exponential_backoff(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    call = FakeCall(vt, TimedOut(), NetworkError("Bad Gateway"), NetworkError("reset"))

    assert await vt.run(request(limiter, call, 7)) == [True]
    assert call.attempts == [0, 0.5, 1.5, 3.5]


async def test_a_persistent_network_error_is_raised_after_bounded_attempts(
    vt: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = limiter_for(vt)
    call = FakeCall(vt, always=TimedOut())

    with caplog.at_level(logging.DEBUG, logger="bot.ratelimit"):
        [outcome] = await vt.run(request(limiter, call, 7))

    assert isinstance(outcome, TimedOut)
    assert call.attempts == [0, 0.5, 1.5, 3.5]
    retries = [r for r in caplog.records if r.name == "bot.ratelimit"]
    assert len(retries) == 3 and all(r.levelno == logging.INFO for r in retries)
    assert all("sendMessage" in r.getMessage() and " 7" in r.getMessage() for r in retries)
    assert "a private text" not in caplog.text  # the caller logs the final failure, not us


@pytest.mark.parametrize(
    "error",
    [
        BadRequest("Bad Request: message is too long"),
        Forbidden("Forbidden: bot was blocked by the user"),
        InvalidToken(),
        Conflict("Conflict: terminated by other getUpdates request"),
        ChatMigrated(-1009),
        TelegramError("something else"),
    ],
    ids=lambda e: type(e).__name__,
)
async def test_errors_a_retry_cannot_fix_are_never_retried(
    vt: VirtualTime, error: TelegramError
) -> None:
    limiter = limiter_for(vt)
    call = FakeCall(vt, always=error)

    assert await vt.run(request(limiter, call, 7)) == [error]
    assert call.attempts == [0]


async def test_get_updates_passes_straight_through(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    polls = [FakeCall(vt, always=TimedOut()), FakeCall(vt, always=RetryAfter(5))]
    polls += [FakeCall(vt) for _ in range(40)]

    outcomes = await vt.run(*(request(limiter, p, endpoint="getUpdates") for p in polls))

    assert isinstance(outcomes[0], TimedOut) and isinstance(outcomes[1], RetryAfter)
    assert all(p.attempts == [0] for p in polls)  # not retried, not throttled


# --- Throttling -------------------------------------------------------------------------------


async def test_a_private_chat_gets_a_burst_then_one_message_a_second(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    busy = [FakeCall(vt) for _ in range(8)]
    typing = [FakeCall(vt) for _ in range(8)]
    other = FakeCall(vt)

    await vt.run(
        *(request(limiter, call, 7) for call in busy),
        *(request(limiter, call, 7, endpoint="sendChatAction") for call in typing),
        request(limiter, other, 8),
    )

    assert [c.attempts[0] for c in busy] == [0, 0, 0, 0, 0, 1, 2, 3]
    assert all(c.attempts == [0] for c in typing)  # not a message: the chat's limit ignores it
    assert other.attempts == [0]  # a busy chat delays nobody else


async def test_a_group_gets_twenty_messages_a_minute(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    group = [FakeCall(vt) for _ in range(5)]
    channel = [FakeCall(vt) for _ in range(4)]

    await vt.run(
        *(request(limiter, call, -100123) for call in group),
        *(request(limiter, call, "@canal") for call in channel),
    )

    assert [c.attempts[0] for c in group] == [0, 0, 0, 3, 6]
    assert [c.attempts[0] for c in channel] == [0, 0, 0, 3]


async def test_the_whole_bot_sends_about_thirty_requests_a_second(vt: VirtualTime) -> None:
    limiter = limiter_for(vt)
    calls = [FakeCall(vt) for _ in range(36)]

    await vt.run(*(request(limiter, call, 1000 + i) for i, call in enumerate(calls)))

    times = [c.attempts[0] for c in calls]
    assert times[:30] == [0] * 30
    assert times[30:] == pytest.approx([i / 30 for i in range(1, 7)])


def test_chat_ids_name_their_chat() -> None:
    assert chat_key(42) == 42 and chat_key("-100123") == -100123
    assert chat_key("@canal") == "@canal" and chat_key(None) is None


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="rates"):
        ChatRateLimiter(private_chat_per_second=0)
    with pytest.raises(ValueError, match="negative"):
        ChatRateLimiter(max_retries=-1)


# --- Through python-telegram-bot's own Bot and request layer ----------------------------------

Answer = tuple[int, dict[str, Any]] | Exception
PtbApp = Application[Any, Any, Any, Any, Any, Any]
TOO_MANY = (429, {"error_code": 429, "description": "Too Many Requests: retry after 30",
                  "parameters": {"retry_after": 30}})  # fmt: skip
BAD_GATEWAY = (502, {"error_code": 502, "description": "Bad Gateway"})
TOO_LONG = (400, {"error_code": 400, "description": "Bad Request: message is too long"})


def too_many(seconds: int) -> Answer:
    return (429, {"error_code": 429, "description": f"Too Many Requests: retry after {seconds}",
                  "parameters": {"retry_after": seconds}})  # fmt: skip


class ScriptedTelegram(LocalBotApi):
    """The Bot API answering locally: the first sendMessage calls of a chat get scripted
    failures (or `always` one); `log` records (virtual time, chat id, outcome) of each."""

    def __init__(self, vt: VirtualTime) -> None:
        super().__init__()
        self.vt = vt
        self.script: dict[int, list[Answer]] = {}
        self.always: dict[int, Answer] = {}
        self.log: list[tuple[float, int, str]] = []

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:  # fmt: skip
        params = dict(request_data.parameters) if request_data else {}
        if url.endswith("/sendMessage"):
            chat = int(params["chat_id"])
            queued = self.script.get(chat) or []
            answer = queued.pop(0) if queued else self.always.get(chat)
            if answer is not None:
                self.log.append((self.vt.now, chat, "failed"))
                if isinstance(answer, Exception):
                    raise answer
                status, body = answer
                return status, json.dumps({"ok": False, **body}).encode()
            self.log.append((self.vt.now, chat, "sent"))
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def sent(self) -> list[tuple[float, int]]:
        return [(t, chat) for t, chat, outcome in self.log if outcome == "sent"]


@pytest.fixture
def api(vt: VirtualTime) -> ScriptedTelegram:
    return ScriptedTelegram(vt)


@pytest.fixture
async def ptb_app(vt: VirtualTime, api: ScriptedTelegram) -> AsyncIterator[PtbApp]:
    application = (
        Application.builder()
        .token(TEST_TOKEN)
        .request(api)
        .get_updates_request(api)
        .rate_limiter(limiter_for(vt))
        .build()
    )
    async with application:
        yield application


A, B, C, D = 111, 222, 333, 444


async def test_through_the_bot_a_flooded_chat_delays_nobody_and_failures_are_delivered(
    ptb_app: PtbApp, api: ScriptedTelegram, vt: VirtualTime
) -> None:
    api.script = {A: [TOO_MANY], B: [BAD_GATEWAY], C: [TimedOut()]}

    messages = await vt.run(
        *(ptb_app.bot.send_message(chat, f"hola {chat}") for chat in (A, B, C, D))
    )

    assert all(isinstance(m, Message) for m in messages)
    assert [m.chat_id for m in messages] == [A, B, C, D]
    assert [m.text for m in messages] == [f"hola {chat}" for chat in (A, B, C, D)]
    # B's 502 and C's timeout are retried after 0.5 s; D goes at once; A waits its 30 s, last.
    assert sorted(api.log) == [
        (0, A, "failed"), (0, B, "failed"), (0, C, "failed"), (0, D, "sent"),
        (0.5, B, "sent"), (0.5, C, "sent"), (30, A, "sent"),
    ]  # fmt: skip
    assert api.sent()[-1] == (30, A)


async def test_through_the_bot_persistent_failures_raise_after_bounded_attempts(
    ptb_app: PtbApp, api: ScriptedTelegram, vt: VirtualTime
) -> None:
    api.always = {A: TOO_MANY, B: BAD_GATEWAY, C: TimedOut()}

    outcomes = await vt.run(*(ptb_app.bot.send_message(chat, "hola") for chat in (A, B, C, D)))

    assert isinstance(outcomes[0], RetryAfter)
    assert type(outcomes[1]) is NetworkError and isinstance(outcomes[2], TimedOut)
    assert isinstance(outcomes[3], Message)
    attempts = {chat: [t for t, c, _ in api.log if c == chat] for chat in (A, B, C)}
    assert attempts == {A: [0, 30, 60], B: [0, 0.5, 1.5, 3.5], C: [0, 0.5, 1.5, 3.5]}


async def test_through_the_bot_a_bad_request_is_not_retried(
    ptb_app: PtbApp, api: ScriptedTelegram, vt: VirtualTime
) -> None:
    api.always = {A: TOO_LONG}

    [outcome] = await vt.run(ptb_app.bot.send_message(A, "hola"))

    assert isinstance(outcome, BadRequest)
    assert api.log == [(0, A, "failed")]


async def test_through_the_bot_429s_for_many_chats_pause_everyone(
    ptb_app: PtbApp, api: ScriptedTelegram, vt: VirtualTime
) -> None:
    api.script = {A: [too_many(5)], B: [too_many(5)], C: [too_many(5)]}

    messages = await vt.run(
        *(ptb_app.bot.send_message(chat, "hola") for chat in (A, B, C)),
        vt.at(1, ptb_app.bot.send_message(D, "hola")),
    )

    assert all(isinstance(m, Message) for m in messages)
    # D waited for the pause; then the bot restarts at its steady rate (30/s), without a burst.
    assert [chat for _, chat in api.sent()] == [A, B, C, D]
    assert [t for t, _ in api.sent()] == pytest.approx([5 + i * STEP for i in range(4)])

"""Telegram faults: each handled and logged once, never a crash, never a lost database write."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from telegram.error import NetworkError, TimedOut

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.services import Services
from tests.conftest import TEST_TOKEN
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

BLOCKED = (403, {"error_code": 403, "description": "Forbidden: bot was blocked by the user"})
NOT_MODIFIED = (400, {"error_code": 400, "description": "Bad Request: message is not modified"})
TOO_OLD = (400, {"error_code": 400, "description": "Bad Request: query is too old and "
                 "response timeout expired or query ID is invalid"})  # fmt: skip
FLOOD = (429, {"error_code": 429, "description": "Too Many Requests: retry after 1",
               "parameters": {"retry_after": 1}})  # fmt: skip
BAD_GATEWAY = (502, {"error_code": 502, "description": "Bad Gateway"})


def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "failure",
    [BLOCKED, BAD_GATEWAY, TimedOut(), NetworkError("connection reset")],
    ids=["forbidden", "bad-gateway", "timed-out", "network-error"],
)
async def test_a_failed_send_loses_no_database_write_and_is_logged_once(
    app: BotApplication,
    telegram: FakeTelegram,
    services: Services,
    caplog: pytest.LogCaptureFixture,
    failure: object,
) -> None:
    telegram.fail("sendMessage", failure)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        await app.process_update(u.text(app.bot, "soy de Danlí"))
    memory = await services.remembered(u.USER_ID)
    assert memory.place is not None and memory.place.name == "Danlí"  # the write stands
    assert errors(caplog) == []
    fault_lines = [r for r in caplog.records if "update=" in r.getMessage()
                   and r.name == "bot.handlers.common"]  # fmt: skip
    assert len(fault_lines) == 1
    assert not [c for c in telegram.calls if c.method == "sendMessage"]  # no apology attempt


@pytest.mark.parametrize("failure", [NOT_MODIFIED, TOO_OLD], ids=["not-modified", "too-old"])
async def test_harmless_bad_requests_are_not_errors(
    app: BotApplication, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture,
    failure: tuple[int, dict[str, object]],
) -> None:  # fmt: skip
    await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo"))
    more = next(data for label, data in telegram.all_buttons() if data.startswith("more:"))
    telegram.fail("answerCallbackQuery", failure)
    with caplog.at_level(logging.INFO):
        await app.process_update(u.callback(app.bot, more))
    assert errors(caplog) == []
    assert "Más centros" in telegram.texts()[-1]  # the rest of the answer still went out


@pytest.mark.parametrize(
    "failure",
    [BAD_GATEWAY, TimedOut(), NetworkError("connection reset")],
    ids=["bad-gateway", "timed-out", "network-error"],
)
async def test_a_button_whose_spinner_cannot_be_stopped_is_still_answered_once(
    app: BotApplication, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture,
    failure: object,
) -> None:  # fmt: skip
    await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo"))
    more = next(data for label, data in telegram.all_buttons() if data.startswith("more:"))
    telegram.clear()
    telegram.fail("answerCallbackQuery", failure)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        await app.process_update(u.callback(app.bot, more))
    assert errors(caplog) == []
    answers = telegram.texts()
    assert len(answers) >= 1 and "Más centros" in answers[0]  # the answer, not an apology
    assert not any("disculpe" in t.casefold() for t in answers)
    assert [c.method for c in telegram.calls if "answerCallbackQuery" in c.method] == [
        "answerCallbackQuery!failed"
    ]


@pytest.fixture
async def limited_app(
    settings: Settings, services: Services, telegram: FakeTelegram
) -> AsyncIterator[BotApplication]:
    application = build_application(
        settings, services, request=telegram, token=TEST_TOKEN, rate_limit=True
    )
    async with application:
        yield application


async def test_retry_after_is_waited_out_and_the_message_delivered_once(
    limited_app: BotApplication, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    telegram.fail("sendMessage", FLOOD)
    await limited_app.process_update(u.text(limited_app.bot, "soy de Danlí y ocupo un préstamo"))
    assert [c.method for c in telegram.calls if "sendMessage" in c.method] == [
        "sendMessage!failed",
        "sendMessage",
    ]
    assert errors(caplog) == []


async def test_an_unexpected_error_is_logged_with_the_update_id_and_apologised_for(
    app: BotApplication, telegram: FakeTelegram, services: Services,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    async def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "on_text", broken)
    update = u.text(app.bot, "hola")
    await app.process_update(update)
    (record,) = errors(caplog)
    assert str(update.update_id) in record.getMessage()
    assert "Disculpe" in telegram.texts()[-1]

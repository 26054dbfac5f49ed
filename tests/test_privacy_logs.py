"""What reaches users and logs when something fails, and what the logs never hold.

- A database outage is apologised for once, not once per handler group.
- SQL parameters (what staff typed) never appear in a logged database error.
- With LOG_LEVEL=DEBUG, the logs hold no message text, name, phone or coordinate.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from telegram import Update
from telegram.ext import TypeHandler

from bot import texts
from bot.app import BotApplication
from bot.config import Settings, configure_logging, load_settings
from bot.db.session import make_engine
from bot.handlers.context import BotContext
from bot.services import Services
from tests.conftest import ADMIN_ID, TEST_TOKEN
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

CENTER = "hn-cde-el-paraiso"
STAFF = 301
PHONE_TYPED = "2763 4455"
PHONE_STORED = "2763-4455"


def apologies(telegram: FakeTelegram) -> list[str]:
    return [t for t in telegram.texts() if t.startswith("😔 Disculpe")]


def fail_statements(services: Services, matches: Callable[[str], bool]) -> Callable[[], None]:
    """Make the database refuse the statements `matches` picks; returns the undo."""
    dbapi_error = services.engine.dialect.loaded_dbapi.OperationalError

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if matches(statement):
            raise dbapi_error("disk I/O error")

    target = services.engine.sync_engine
    event.listen(target, "before_cursor_execute", refuse)
    return lambda: event.remove(target, "before_cursor_execute", refuse)


# --- one apology per failure ---------------------------------------------------------------------


async def read_memory_first(update: Update, context: BotContext) -> None:
    """A pre-handler that reads the database for every update (as an update guard would)."""
    if update.effective_user is not None:
        await context.services.remembered(update.effective_user.id)


@pytest.mark.parametrize(
    "body", ["soy de Danlí y ocupo un préstamo", "/olvidar"], ids=["search", "command"]
)
async def test_a_database_outage_is_apologised_for_once(
    app: BotApplication, telegram: FakeTelegram, services: Services,
    caplog: pytest.LogCaptureFixture, body: str,
) -> None:  # fmt: skip
    # Whatever runs before the handlers fails first; the update must stop there, not go on to
    # fail (and apologise) again in its handler.
    app.add_handler(TypeHandler(Update, read_memory_first), group=-1)
    undo = fail_statements(services, lambda _: True)
    try:
        with caplog.at_level(logging.INFO):
            await app.process_update(u.text(app.bot, body))
    finally:
        undo()
    assert apologies(telegram) == [texts.ERROR]
    assert len(telegram.texts()) == 1  # nothing else was answered either
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1  # and logged once

    telegram.clear()  # the database is back: the next message is answered normally
    await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo"))
    assert apologies(telegram) == [] and "CDE MIPYME" in telegram.texts()[0]


@pytest.mark.parametrize(
    "make",
    [
        lambda bot: u.text(bot, "soy de Danlí y ocupo un préstamo"),
        lambda bot: u.location(bot, 14.07, -87.19),
        lambda bot: u.callback(bot, "need:financiamiento"),
        lambda bot: u.command(bot, "olvidar"),
        lambda bot: u.command(bot, "mi_centro", STAFF),
        lambda bot: u.callback(bot, f"st:hist:{CENTER}", STAFF),
    ],
    ids=["text", "location", "button", "command", "staff-command", "staff-button"],
)
async def test_every_kind_of_update_gets_one_apology_when_the_database_fails(
    app: BotApplication, telegram: FakeTelegram, services: Services,
    make: Callable[[Any], Update],
) -> None:  # fmt: skip
    undo = fail_statements(services, lambda _: True)
    try:
        await app.process_update(make(app.bot))
    finally:
        undo()
    assert telegram.texts() == [texts.ERROR]


# --- no SQL parameters in logged errors -------------------------------------------------------


async def test_a_failed_save_logs_no_value_staff_typed(
    app: BotApplication, telegram: FakeTelegram, services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    from tests.test_staff_flows import invite, save

    await invite(app, telegram, CENTER, STAFF)
    await app.process_update(u.callback(app.bot, f"st:edit:{CENTER}:phone", STAFF))
    await app.process_update(u.text(app.bot, PHONE_TYPED, STAFF))
    undo = fail_statements(services, lambda sql: sql.lstrip().upper().startswith("UPDATE CENTERS"))
    try:
        with caplog.at_level(logging.INFO):
            await save(app, telegram, STAFF)
    finally:
        undo()
    (error,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    logged = logging.Formatter().format(error)  # the message and its traceback, as logged
    assert "UPDATE centers" in logged  # the statement is there, to debug it
    assert PHONE_STORED not in logged and "2763" not in logged  # its values are not
    assert len(apologies(telegram)) == 1
    assert (await services.staff.center_for(ADMIN_ID, CENTER)).phone == ""


async def test_engine_errors_hide_their_parameters(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(
                    text("SELECT * FROM no_such_table WHERE name = :name"),
                    {"name": "Barrio Secreto 42"},
                )
    finally:
        await engine.dispose()
    assert "no_such_table" in str(caught.value)
    assert "Barrio Secreto 42" not in str(caught.value)


# --- DEBUG logs hold no personal data -------------------------------------------------------------


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state: put it back for the other tests."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    hook = sys.excepthook
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.setLevel(levels.get(name, logging.NOTSET))
    sys.excepthook = hook


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {self.format(record)}")


@pytest.mark.usefixtures("restore_logging")
async def test_debug_logs_hold_no_message_name_phone_or_coordinate(
    app: BotApplication, telegram: FakeTelegram, database_url: str
) -> None:
    from tests.test_staff_flows import invite, save

    settings = load_settings(
        {"DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": TEST_TOKEN, "LOG_LEVEL": "DEBUG"}
    )
    configure_logging(settings)
    collect = Collect()
    logging.getLogger().addHandler(collect)

    await app.process_update(u.command(app.bot, "start"))
    await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo para mi pulpería"))
    await app.process_update(u.location(app.bot, 14.0818, -87.20681))
    await app.process_update(u.venue(app.bot, 14.0339, -86.5736, "Pulpería La Esperanza"))
    data = next(d for _, d in telegram.all_buttons() if d.startswith("more:"))
    await app.process_update(u.callback(app.bot, data))
    await invite(app, telegram, CENTER, STAFF)
    await app.process_update(u.callback(app.bot, f"st:edit:{CENTER}:phone", STAFF))
    await app.process_update(u.text(app.bot, PHONE_TYPED, STAFF))
    await save(app, telegram, STAFF)

    logged = "\n".join(collect.lines)
    assert "decision=answer" in logged  # our own lines are there, at DEBUG
    for secret in ("Danlí", "pulpería", "Pulpería", "Esperanza", "first_name", "14.0818",
                   "87.2068", "14.0339", "86.5736", "2763", "/equipo "):  # fmt: skip
        assert secret not in logged, secret
    assert not re.search(r"\bAna\b", logged)

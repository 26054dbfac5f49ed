"""Country coordinators: granted per country by admins (and the command line); they receive
the requests of centers without staff in the bot, and grant nothing themselves."""

from __future__ import annotations

import argparse
import io

import pytest

from bot import callbacks
from bot.app import BotApplication
from bot.config import Settings
from bot.coordinators import CoordinatorService, add_cli, coordinator_command
from bot.services import Services
from bot.staff import CLI_ACTOR, NotAllowed
from tests.conftest import ADMIN_ID
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

COORDINATOR, STRANGER, ANA = 401, 402, 403


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_cli(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


async def run(settings: Settings, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = await coordinator_command(settings, parse("coordinator", *argv), out)
    return code, out.getvalue()


async def test_the_command_line_grants_lists_and_revokes_per_country(
    settings: Settings, services: Services
) -> None:
    assert await run(settings, "add", str(COORDINATOR), "hn") == (
        0, f"User {COORDINATOR} is now a coordinator of HN.\n",
    )  # fmt: skip
    assert (await run(settings, "add", str(COORDINATOR), "HN"))[1].endswith(
        "was already a coordinator of HN.\n"
    )
    assert (await run(settings, "add", str(COORDINATOR), "SV"))[0] == 0
    code, listed = await run(settings, "list")
    assert code == 0 and [line.split()[:2] for line in listed.splitlines()] == [
        [str(COORDINATOR), "HN"], [str(COORDINATOR), "SV"],
    ]  # fmt: skip
    assert (await run(settings, "list", "sv"))[1].count("\n") == 1
    assert (await run(settings, "revoke", str(COORDINATOR), "HN"))[0] == 0
    assert (await run(settings, "revoke", str(COORDINATOR), "HN"))[0] == 1
    assert (await run(settings, "add", str(COORDINATOR), "MX"))[0] == 2
    service = CoordinatorService(services.settings, services.sessions)
    assert await service.countries_of(COORDINATOR) == ("SV",)


async def test_only_admins_grant_and_coordinators_grant_nothing(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    service = CoordinatorService(services.settings, services.sessions)
    with pytest.raises(NotAllowed):
        await service.add(STRANGER, COORDINATOR, "HN")
    assert await service.add(ADMIN_ID, COORDINATOR, "HN")
    with pytest.raises(NotAllowed):
        await service.add(COORDINATOR, STRANGER, "HN")
    with pytest.raises(NotAllowed):
        await service.list_coordinators(COORDINATOR)
    await app.process_update(u.text(app.bot, "/invitar hn-cde-el-paraiso", COORDINATOR))
    assert "No es posible" in telegram.texts()[-1]
    assert await service.list_coordinators(CLI_ACTOR, "HN")


async def test_a_revoked_coordinator_takes_the_button_away(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    service = CoordinatorService(services.settings, services.sessions)
    await service.add(ADMIN_ID, COORDINATOR, "HN")
    await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo", ANA))
    assert "rq:new:hn-cde-el-paraiso" in [d for _, d in telegram.all_buttons()]
    assert await service.revoke(ADMIN_ID, COORDINATOR, "HN")
    telegram.clear()
    await app.process_update(u.text(app.bot, "soy de Danlí y ocupo un préstamo", ANA))
    assert not [d for _, d in telegram.all_buttons() if d.startswith("rq:")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("rq:new:hn-cde-el-paraiso", callbacks.RequestAction("new", "hn-cde-el-paraiso")),
        ("rq:name", callbacks.RequestAction("name")),
        ("rq:skip:phone", callbacks.RequestAction("skip", "phone")),
        ("rq:need:financiamiento", callbacks.RequestAction("need", "financiamiento")),
        ("rq:time:m", callbacks.RequestAction("time", "m")),
        ("rq:take:12", callbacks.RequestAction("take", number=12)),
        ("rq:to:12:*", callbacks.RequestAction("to", "*", 12)),
        ("rq:to:12:hn-cde-tegucigalpa", callbacks.RequestAction("to", "hn-cde-tegucigalpa", 12)),
        ("rq:rate:12:5", callbacks.RequestAction("rate", "5", 12)),
        ("rq:new:HN_X", None),
        ("rq:name:x", None),
        ("rq:skip:name", None),
        ("rq:need:magia", None),
        ("rq:time:noche", None),
        ("rq:take:-1", None),
        ("rq:take:1234567890123", None),
        ("rq:to:12:<b>", None),
        ("rq:rate:12:6", None),
        ("rq:rate:x:5", None),
        ("rq:drop:1", None),
        ("rq:send:1", None),
    ],
)
def test_request_buttons_are_parsed_strictly(
    data: str, expected: callbacks.RequestAction | None
) -> None:
    assert callbacks.parse(data, frozenset({"financiamiento"})) == expected

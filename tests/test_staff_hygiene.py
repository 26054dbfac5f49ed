"""Staff data hygiene: every typed text validated, one code for one person, private buttons."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.app import BotApplication
from bot.cli import main
from bot.db.models import InviteRow, StaffLinkRow
from bot.services import Services
from bot.staff import CLI_ACTOR, InviteError, InviteProblem
from tests.conftest import ADMIN_ID
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram
from tests.test_staff_flows import CENTER, ENTREPRENEUR, STAFF, invite, last_text, press, save, say

COLLEAGUE = 206
_group_update_ids = itertools.count(900_000_000)


# --- 3. the closure message is validated like every other text ---------------------------------


async def _closure_until(app: BotApplication, days: int = 5) -> None:
    until = (datetime.now(UTC) + timedelta(days=days)).strftime("%d/%m/%Y")
    await press(app, f"st:edit:{CENTER}:closure", STAFF)
    await say(app, until, STAFF)


@pytest.mark.parametrize(
    "message",
    ["Cerrado por \u202einventario", "Cerrado\x00 por inventario", "Cerrado\x1b[31m hoy"],
    ids=["rtl-override", "nul-byte", "escape"],
)
async def test_a_closure_message_with_control_characters_is_refused_in_spanish(
    app: BotApplication, telegram: FakeTelegram, services: Services, message: str
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await _closure_until(app)
    await say(app, message, STAFF)
    answer = last_text(telegram)
    assert "no se pueden guardar" in answer and "/cancelar" in answer, answer
    assert "¿Guardamos el cambio?" not in answer
    await save(app, telegram, STAFF)  # a «Guardar» pressed anyway saves nothing
    assert (await services.staff.center_for(STAFF, CENTER)).closures == ()

    # The edit goes on: a clean message is previewed and saved, and entrepreneurs see it.
    await say(app, "Cerrado por inventario", STAFF)
    assert "¿Guardamos el cambio?" in last_text(telegram)
    await save(app, telegram, STAFF)
    (closure,) = (await services.staff.center_for(STAFF, CENTER)).closures
    assert closure.message == "Cerrado por inventario"


async def test_a_closure_message_is_tidied_like_other_texts(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await _closure_until(app)
    await say(app, "  Cerrado \u200bpor   inventario\t ", STAFF)
    await save(app, telegram, STAFF)
    (closure,) = (await services.staff.center_for(STAFF, CENTER)).closures
    assert closure.message == "Cerrado por inventario"


async def test_a_closure_message_without_words_or_too_long_is_refused(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await _closure_until(app)
    await say(app, "!!!", STAFF)
    assert "¿Guardamos el cambio?" not in last_text(telegram)
    await say(app, "Cerrado " * 40, STAFF)
    assert "200 caracteres" in last_text(telegram)
    await say(app, "-", STAFF)  # no message at all is still fine
    assert "¿Guardamos el cambio?" in last_text(telegram)
    await save(app, telegram, STAFF)
    (closure,) = (await services.staff.center_for(STAFF, CENTER)).closures
    assert closure.message == ""


async def test_the_service_layer_refuses_a_closure_message_with_control_characters(
    services: Services,
) -> None:
    from datetime import date

    from bot.domain.listings import ListingError

    with pytest.raises(ListingError):
        await services.staff.add_closure(
            CLI_ACTOR, CENTER, date(2030, 1, 1), date(2030, 1, 2), "Cerrado\x00"
        )
    assert (await services.staff.center_for(CLI_ACTOR, CENTER)).closures == ()


# --- 6. one invite, one person; unused invites can be revoked ----------------------------------


async def _links(services: Services) -> int:
    async with services.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(StaffLinkRow))
    return int(count or 0)


async def test_two_people_redeeming_one_code_at_once_link_exactly_one(services: Services) -> None:
    for _ in range(3):  # a race lost by luck once would not prove much
        code = await services.staff.create_invite(CLI_ACTOR, CENTER)
        before = await _links(services)
        results = await asyncio.gather(
            services.staff.redeem_invite(STAFF, code),
            services.staff.redeem_invite(COLLEAGUE, code),
            return_exceptions=True,
        )
        won = [r for r in results if not isinstance(r, BaseException)]
        lost = [r for r in results if isinstance(r, BaseException)]
        assert len(won) == 1, results
        assert len(lost) == 1 and isinstance(lost[0], InviteError), results
        assert lost[0].problem is InviteProblem.USED
        assert await _links(services) == before + 1
        for user_id in (STAFF, COLLEAGUE):
            await services.staff.revoke_staff(CLI_ACTOR, user_id)


async def test_an_unused_invite_can_be_revoked_and_then_no_longer_links(
    services: Services,
) -> None:
    code = await services.staff.create_invite(CLI_ACTOR, CENTER)
    (pending,) = await services.staff.open_invites(CLI_ACTOR)
    assert pending.center_id == CENTER
    revoked = await services.staff.revoke_invite(CLI_ACTOR, code)
    assert revoked is not None and revoked.id == pending.id
    with pytest.raises(InviteError) as refused:
        await services.staff.redeem_invite(STAFF, code)
    assert refused.value.problem is InviteProblem.EXPIRED
    assert await services.staff.centers_of(STAFF) == []
    assert await services.staff.open_invites(CLI_ACTOR) == []
    assert await services.staff.revoke_invite(CLI_ACTOR, code) is None  # already revoked

    used = await services.staff.create_invite(CLI_ACTOR, CENTER)
    await services.staff.redeem_invite(STAFF, used)
    assert await services.staff.revoke_invite(CLI_ACTOR, used) is None  # used: unlink instead
    assert [c.id for c in await services.staff.centers_of(STAFF)] == [CENTER]


class _Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    async def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err


async def test_cli_lists_and_revokes_unused_invites_by_code_or_id(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    cli = _Cli(capsys)
    code, out, _ = await cli("staff", "invite", CENTER)
    assert code == 0
    first = out.splitlines()[0]
    code, out, _ = await cli("staff", "invite", CENTER)
    second = out.splitlines()[0]

    code, out, _ = await cli("staff", "invites")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and all(CENTER in line for line in lines)
    assert first not in out and second not in out  # codes are never shown again
    second_id = int(lines[1].split()[0])

    code, out, err = await cli("staff", "revoke-invite", first)
    assert code == 0, err
    assert "revoked" in out
    code, out, err = await cli("staff", "revoke-invite", str(second_id))
    assert code == 0, err
    code, out, err = await cli("staff", "revoke-invite", str(second_id))
    assert code == 1
    assert "No unused invite" in err
    code, out, err = await cli("staff", "invites")
    assert (code, out) == (0, "")
    assert "No unused invites" in err
    for revoked in (first, second):
        with pytest.raises(InviteError):
            await services.staff.redeem_invite(STAFF, revoked)
    async with services.sessions() as session:  # revoked, not deleted: the trail stays
        assert await session.scalar(select(func.count()).select_from(InviteRow)) == 2


async def test_admin_revokes_a_code_from_the_bot(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, f"/invitar {CENTER}", ADMIN_ID)
    code = re.search(r"/equipo ([A-Z0-9]+)", last_text(telegram))
    assert code
    revoke = next(d for _, d in telegram.buttons() if d.startswith("st:ri:"))
    await press(app, revoke, STAFF)  # not an admin: refused
    assert "No es posible" in last_text(telegram)
    await press(app, revoke, ADMIN_ID)
    assert "anulado" in last_text(telegram)
    await say(app, f"/equipo {code.group(1)}", STAFF)
    assert "venció" in last_text(telegram)
    # /invitar alone lists the codes still open, each with its button.
    await say(app, f"/invitar {CENTER}", ADMIN_ID)
    await say(app, "/invitar", ADMIN_ID)
    assert [d for _, d in telegram.buttons() if d.startswith("st:ri:")]


# --- 7. staff buttons and commands work in private chats only ----------------------------------


def _group_callback(app: BotApplication, data: str, user_id: int) -> Update:
    message = {
        "message_id": 900,
        "date": int(time.time()),
        "chat": u.chat(user_id, "supergroup"),
        "from": u.user(user_id),
        "text": "…",
    }
    query: dict[str, Any] = {
        "id": f"group-{next(_group_update_ids)}",
        "from": u.user(user_id),
        "chat_instance": "group",
        "data": data,
        "message": message,
    }
    update = Update.de_json(
        {"update_id": next(_group_update_ids), "callback_query": query}, app.bot
    )
    assert update is not None
    return update


def _group_texts(telegram: FakeTelegram) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in telegram.sent()
        if c.params.get("chat_id") == u.GROUP_ID
    ]


async def test_a_staff_button_pressed_in_a_group_posts_nothing_of_the_center(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await press(app, f"st:edit:{CENTER}:phone", STAFF)
    await say(app, "2763-0000", STAFF)
    await save(app, telegram, STAFF)  # a history with this staff member's id
    telegram.clear()
    for data in (f"st:hist:{CENTER}", f"st:open:{CENTER}", f"st:qr:{CENTER}",
                 f"st:edit:{CENTER}:phone", f"st:ok:{CENTER}"):  # fmt: skip
        await app.process_update(_group_callback(app, data, STAFF))
    posted = _group_texts(telegram)
    assert posted, "the group should be told to use the private chat"
    assert all("privado" in text for text in posted), posted
    everything = " ".join(posted)
    assert str(STAFF) not in everything and "2763" not in everything
    assert not [c for c in telegram.calls if c.method == "sendDocument"]  # no poster either
    center = await services.staff.center_for(STAFF, CENTER)
    assert center.confirmed_at is None  # «ok» did nothing
    assert await services.staff.current_edit(STAFF) is None  # no edit began


@pytest.mark.parametrize(
    "command", ["mi_centro", "historial", "invitar " + CENTER, "personal", "equipo ABCDEFGHJK"]
)
async def test_staff_commands_in_a_group_point_to_the_private_chat(
    app: BotApplication, telegram: FakeTelegram, services: Services, command: str
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    telegram.clear()
    for user_id in (STAFF, ADMIN_ID):
        await app.process_update(u.text(app.bot, f"/{command}", user_id, kind="group"))
    posted = _group_texts(telegram)
    assert len(posted) == 2 and all("privado" in text for text in posted), posted
    assert "/equipo" not in " ".join(posted)  # no invite code is made in a group
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InviteRow)) == 1


async def test_entrepreneur_searches_in_groups_still_work(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    telegram.clear()
    await app.process_update(
        u.text(app.bot, "@RutaMipymeBot soy de Danlí y ocupo un préstamo", ENTREPRENEUR, "group")
    )
    assert any("CDE MIPYME" in text for text in _group_texts(telegram))


async def test_a_new_centers_name_is_validated_like_other_texts(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    before = len(await services.list_centers(include_unranked=True))
    await say(app, "/nuevo_centro HN.08 CDE \u202eMIPYME Prueba", ADMIN_ID)
    assert "Uso: /nuevo_centro" in last_text(telegram)
    assert len(await services.list_centers(include_unranked=True)) == before
    await say(app, "/nuevo_centro HN.08 CDE MIPYME Prueba", ADMIN_ID)
    assert len(await services.list_centers(include_unranked=True)) == before + 1

"""Staff and admin rules in the service layer: the same for the bot, the CLI and the tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.db.models import InviteRow
from bot.services import Services, local_today
from bot.staff import CLI_ACTOR, Field, InviteError, InviteProblem, NotAllowed, RateLimited

CENTER = "hn-cde-el-paraiso"
OTHER = "hn-cde-tegucigalpa"
STAFF, COLLEAGUE, STRANGER, ADMIN = 101, 102, 999, 7


async def linked(services: Services, user_id: int, center_id: str = CENTER) -> None:
    code = await services.staff.create_invite(CLI_ACTOR, center_id)
    await services.staff.redeem_invite(user_id, code)


async def test_invite_links_staff_once_and_is_stored_hashed(services: Services) -> None:
    code = await services.staff.create_invite(CLI_ACTOR, CENTER)
    center = await services.staff.redeem_invite(STAFF, code.lower())  # case does not matter
    assert center.id == CENTER
    assert [c.id for c in await services.staff.centers_of(STAFF)] == [CENTER]
    with pytest.raises(InviteError) as used:
        await services.staff.redeem_invite(COLLEAGUE, code)
    assert used.value.problem is InviteProblem.USED
    async with services.sessions() as session:
        stored = (await session.scalars(select(InviteRow.code_hash))).all()
    assert len(stored) == 1 and code not in stored[0] and len(stored[0]) == 64


async def test_expired_and_wrong_codes_are_refused(services: Services) -> None:
    code = await services.staff.create_invite(CLI_ACTOR, CENTER)
    async with services.sessions() as session, session.begin():
        past = datetime.now(UTC) - timedelta(minutes=1)
        await session.execute(update(InviteRow).values(expires_at=past))
    with pytest.raises(InviteError) as expired:
        await services.staff.redeem_invite(STAFF, code)
    assert expired.value.problem is InviteProblem.EXPIRED
    with pytest.raises(InviteError) as wrong:
        await services.staff.redeem_invite(STAFF, "NOPE-NOPE-00")
    assert wrong.value.problem is InviteProblem.WRONG
    assert await services.staff.centers_of(STAFF) == []


async def test_wrong_codes_are_rate_limited_per_user(services: Services) -> None:
    for _ in range(5):
        with pytest.raises(InviteError):
            await services.staff.redeem_invite(STRANGER, "AAAAAAAAAA")
    good = await services.staff.create_invite(CLI_ACTOR, CENTER)
    with pytest.raises(InviteError) as limited:
        await services.staff.redeem_invite(STRANGER, good)
    assert limited.value.problem is InviteProblem.TOO_MANY
    await services.staff.redeem_invite(STAFF, good)  # another user is not affected


async def test_only_admins_create_invites_and_manage_staff(services: Services) -> None:
    with pytest.raises(NotAllowed):
        await services.staff.create_invite(STRANGER, CENTER)
    await linked(services, STAFF)
    with pytest.raises(NotAllowed):
        await services.staff.create_invite(STAFF, CENTER)
    with pytest.raises(NotAllowed):
        await services.staff.list_staff(STAFF)
    await services.staff.add_admin(CLI_ACTOR, ADMIN)
    code = await services.staff.create_invite(ADMIN, OTHER)
    assert code
    assert [(m.user_id, m.center_id) for m in await services.staff.list_staff(ADMIN)] == [
        (STAFF, CENTER)
    ]
    assert await services.staff.revoke_staff(ADMIN, STAFF) == 1
    assert await services.staff.centers_of(STAFF) == []


async def test_staff_edit_reaches_the_next_entrepreneur_at_once(services: Services) -> None:
    await linked(services, STAFF)
    center = await services.staff.center_for(STAFF, CENTER)
    result = await services.staff.save(
        STAFF, CENTER, Field.PHONE, "+504 2763-0000", center.version
    )
    assert result.saved
    outcome = await services.ask("soy de Danlí y ocupo un préstamo")
    assert outcome.matches[0].center.phone == "+504 2763-0000"


@pytest.mark.parametrize("intruder", [STRANGER, COLLEAGUE])
async def test_nobody_else_can_edit_a_center(services: Services, intruder: int) -> None:
    await linked(services, STAFF)
    await linked(services, COLLEAGUE, OTHER)  # staff of another center
    with pytest.raises(NotAllowed):
        await services.staff.save(intruder, CENTER, Field.PHONE, "+504 9999-9999", 1)
    with pytest.raises(NotAllowed):
        await services.staff.add_closure(intruder, CENTER, date.today(), date.today(), "x")
    with pytest.raises(NotAllowed):
        await services.staff.start_edit(intruder, CENTER, Field.PHONE, "value")
    with pytest.raises(NotAllowed):
        await services.staff.history(intruder, CENTER)
    center = await services.staff.center_for(STAFF, CENTER)
    assert center.phone == "" and center.closures == ()


async def test_concurrent_edits_lose_nothing(services: Services) -> None:
    await linked(services, STAFF)
    await linked(services, COLLEAGUE)
    base = (await services.staff.center_for(STAFF, CENTER)).version
    first = await services.staff.save(STAFF, CENTER, Field.PHONE, "+504 2763-0001", base)
    second = await services.staff.save(COLLEAGUE, CENTER, Field.PHONE, "+504 2763-0002", base)
    assert first.saved and not second.saved
    assert second.current_value == "+504 2763-0001"
    assert (await services.staff.center_for(STAFF, CENTER)).phone == "+504 2763-0001"


async def test_every_change_is_recorded_and_an_admin_can_revert_it(services: Services) -> None:
    await linked(services, STAFF)
    version = (await services.staff.center_for(STAFF, CENTER)).version
    await services.staff.save(STAFF, CENTER, Field.EMAIL, "cde@example.org", version)
    (change, *_) = await services.staff.history(STAFF, CENTER)
    assert (change.field, change.old_value, change.new_value, change.actor_id) == (
        "email",
        "",
        "cde@example.org",
        STAFF,
    )
    with pytest.raises(NotAllowed):
        await services.staff.revert(STAFF, change.id)
    result = await services.staff.revert(CLI_ACTOR, change.id)
    assert result.saved
    assert (await services.staff.center_for(STAFF, CENTER)).email == ""
    latest = (await services.staff.history(STAFF, CENTER))[0]
    assert latest.reverts == change.id


async def test_service_area_and_services_edits(services: Services) -> None:
    await linked(services, STAFF)
    version = (await services.staff.center_for(STAFF, CENTER)).version
    saved = await services.staff.save(STAFF, CENTER, Field.SERVICE_AREA, "HN.07;HN.15", version)
    assert saved.saved
    saved = await services.staff.save(
        STAFF, CENTER, Field.SERVICES, "exportacion;asesoria", saved.version
    )
    assert saved.saved
    center = await services.staff.center_for(STAFF, CENTER)
    assert center.service_area == ("HN.07", "HN.15")
    assert center.services == ("exportacion", "asesoria")
    assert not center.service_area_inferred
    outcome = await services.ask("soy de Juticalpa, quiero exportar")
    assert outcome.matches[0].center.id == CENTER  # now serves Olancho and offers export


async def test_temporary_closure_offers_the_next_center_first(services: Services) -> None:
    await linked(services, STAFF)
    before = await services.ask("soy de Danlí y ocupo un préstamo")
    assert before.matches[0].center.id == CENTER
    today = local_today("HN")  # closures are in the center's local days
    await services.staff.add_closure(STAFF, CENTER, today, today + timedelta(days=3), "Inventario")
    after = await services.ask("soy de Danlí y ocupo un préstamo")
    assert after.matches[0].center.id != CENTER
    assert after.matches[-1].center.id == CENTER
    assert await services.staff.end_closures(STAFF, CENTER, today) == 1
    again = await services.ask("soy de Danlí y ocupo un préstamo")
    assert again.matches[0].center.id == CENTER


async def test_a_center_closed_for_good_is_no_longer_proposed(services: Services) -> None:
    with pytest.raises(NotAllowed):
        await services.staff.close_for_good(STRANGER, CENTER)
    await services.staff.close_for_good(CLI_ACTOR, CENTER)
    outcome = await services.ask("soy de Danlí y ocupo un préstamo")
    assert CENTER not in [m.center.id for m in outcome.matches]


async def test_reports_are_grouped_and_rate_limited(services: Services) -> None:
    await linked(services, STAFF)
    first = await services.staff.report(1, CENTER, "phone")
    second = await services.staff.report(2, CENTER, "phone")
    assert first.notify and not second.notify and second.count == 2
    assert STAFF in first.recipients
    for _ in range(3):
        await services.staff.report(1, CENTER, "address")
    with pytest.raises(RateLimited):
        await services.staff.report(1, CENTER, "email")


async def test_monthly_reminder_goes_once_to_staff_of_unconfirmed_listings(
    services: Services,
) -> None:
    await linked(services, STAFF)
    due = await services.staff.due_reminders()
    assert [(uid, c.id) for uid, c in due] == [(STAFF, CENTER)]
    assert await services.staff.due_reminders() == []  # not twice
    later = datetime.now(UTC) + timedelta(days=31)
    assert len(await services.staff.due_reminders(later)) == 1
    await services.staff.confirm(STAFF, CENTER)
    assert await services.staff.due_reminders(later + timedelta(days=1)) == []


async def test_edit_state_lives_in_the_database_and_expires(services: Services) -> None:
    await linked(services, STAFF)
    edit = await services.staff.start_edit(STAFF, CENTER, Field.PHONE, "value")
    assert (await services.staff.current_edit(STAFF)) == edit
    await services.staff.update_edit(STAFF, "confirm", {"value": "+504 2763-0000"})
    current = await services.staff.current_edit(STAFF)
    assert current is not None and current.step == "confirm"
    assert await services.staff.end_edit(STAFF)
    assert await services.staff.current_edit(STAFF) is None

"""Center staff keep their listing from the bot, as they would on the phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.db.models import EditSessionRow, InviteRow
from bot.services import Services, local_today
from tests.conftest import ADMIN_ID, TEST_TOKEN
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

CENTER = "hn-cde-el-paraiso"
OTHER = "hn-cde-tegucigalpa"
STAFF, COLLEAGUE, STRANGER, ENTREPRENEUR = 201, 202, 203, 204


async def say(app: BotApplication, body: str, user_id: int) -> None:
    await app.process_update(u.text(app.bot, body, user_id))


async def press(app: BotApplication, data: str, user_id: int) -> None:
    await app.process_update(u.callback(app.bot, data, user_id))


async def save(app: BotApplication, telegram: FakeTelegram, user_id: int) -> None:
    """Press «Guardar» under the last preview this user was shown."""
    await press(app, _last_button(telegram, user_id, "st:save:"), user_id)


async def done(app: BotApplication, telegram: FakeTelegram, user_id: int) -> None:
    await press(app, _last_button(telegram, user_id, "st:done:"), user_id)


def _last_button(telegram: FakeTelegram, user_id: int, prefix: str) -> str:
    for call in reversed(telegram.sent()):
        if call.params.get("chat_id") == user_id:
            for _, data in telegram.buttons(call):
                if data.startswith(prefix):
                    return data
    return prefix + "phone"  # none shown: what a stale or forged press would send


def last_text(telegram: FakeTelegram) -> str:
    return telegram.texts()[-1]


async def invite(app: BotApplication, telegram: FakeTelegram, center: str, user_id: int) -> None:
    await say(app, f"/invitar {center}", ADMIN_ID)
    code = re.search(r"/equipo ([A-Z0-9]+)", last_text(telegram))
    assert code, last_text(telegram)
    await say(app, f"/equipo {code.group(1)}", user_id)
    assert "Bienvenido al equipo" in last_text(telegram)


async def edit_field(
    app: BotApplication, telegram: FakeTelegram, user_id: int, field: str, value: str
) -> str:
    """Open the editor for a field, type the value; return what the bot answered."""
    await press(app, f"st:edit:{CENTER}:{field}", user_id)
    await say(app, value, user_id)
    return last_text(telegram)


async def entrepreneur_card(app: BotApplication, telegram: FakeTelegram) -> str:
    telegram.clear()
    await say(app, "soy de Danlí y ocupo un préstamo", ENTREPRENEUR)
    return telegram.texts()[0]


async def test_invited_staff_changes_the_phone_and_the_next_entrepreneur_sees_it(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await say(app, "/mi_centro", STAFF)
    assert "CDE MIPYME Región El Paraíso" in telegram.texts()[-1]
    assert f"t.me/RutaMipymeBot?start={CENTER}" in telegram.texts()[-1]
    assert ("📞 Teléfono", f"st:edit:{CENTER}:phone") in telegram.buttons()
    answer = await edit_field(app, telegram, STAFF, "phone", "2763 0000")
    assert "Ahora: +504 2763-0000" in answer
    await save(app, telegram, STAFF)
    assert "Guardado" in last_text(telegram)
    assert "📞 +504 2763-0000" in await entrepreneur_card(app, telegram)
    (change, *_) = await services.staff.history(ADMIN_ID, CENTER)
    assert (change.field, change.new_value, change.actor_id) == ("phone", "+504 2763-0000", STAFF)


async def test_wrong_expired_and_reused_codes(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "/equipo ZZZZZZZZZZ", STAFF)
    assert "no es válido" in last_text(telegram)
    await say(app, f"/invitar {CENTER}", ADMIN_ID)
    code = re.search(r"/equipo ([A-Z0-9]+)", last_text(telegram))
    assert code
    await say(app, f"/equipo {code.group(1)}", STAFF)
    await say(app, f"/equipo {code.group(1)}", COLLEAGUE)
    assert "ya fue usado" in last_text(telegram)
    await say(app, f"/invitar {CENTER}", ADMIN_ID)
    fresh = re.search(r"/equipo ([A-Z0-9]+)", last_text(telegram))
    assert fresh
    async with services.sessions() as session, session.begin():
        await session.execute(update(InviteRow).values(expires_at=datetime.now(UTC)))
    await say(app, f"/equipo {fresh.group(1)}", COLLEAGUE)
    assert "venció" in last_text(telegram)
    assert await services.staff.centers_of(COLLEAGUE) == []


async def test_strangers_cannot_invite_open_or_edit(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, f"/invitar {CENTER}", STRANGER)
    assert "No es posible" in last_text(telegram)
    await say(app, "/mi_centro", STRANGER)
    assert "personal de los centros" in last_text(telegram)
    await press(app, f"st:edit:{CENTER}:phone", STRANGER)
    assert "No es posible" in last_text(telegram)
    assert await services.staff.current_edit(STRANGER) is None
    await say(app, "2763-9999", STRANGER)  # no edit in progress: an ordinary search message
    await press(app, "st:save:phone", STRANGER)
    assert (await services.staff.center_for(ADMIN_ID, CENTER)).phone == ""


async def test_staff_of_another_center_cannot_edit_with_forged_buttons(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, OTHER, COLLEAGUE)
    for data in (f"st:edit:{CENTER}:phone", f"st:ok:{CENTER}", f"st:hist:{CENTER}",
                 f"st:reopen:{CENTER}", f"st:kill:{CENTER}", f"st:killok:{CENTER}",
                 f"st:open:{CENTER}", "st:rv:1", f"st:rk:{STAFF}:{CENTER}"):  # fmt: skip
        telegram.clear()
        await press(app, data, COLLEAGUE)
        assert telegram.texts() and "No es posible" in telegram.texts()[-1], data
    center = await services.staff.center_for(ADMIN_ID, CENTER)
    assert center.confirmed_at is None and not center.closed and center.version == 1


async def test_bad_values_get_a_clear_spanish_answer_and_change_nothing(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    for field, bad in (("phone", "llamar a Juan"), ("email", "no tengo"),
                       ("website", "javascript:alert(1)"), ("hours", "cuando se pueda")):  # fmt: skip
        answer = await edit_field(app, telegram, STAFF, field, bad)
        assert "/cancelar" in answer and "Ahora:" not in answer, answer
        await say(app, "/cancelar", STAFF)
    assert (await services.staff.center_for(STAFF, CENTER)).version == 1


@pytest.mark.parametrize(
    ("field", "typed", "shown"),
    [
        ("email", "CDE@Ejemplo.ORG", "CDE@ejemplo.org"),
        ("address", "Barrio El Centro, frente al parque", "Barrio El Centro, frente al parque"),
        ("city", "Danlí", "Danlí"),
        ("website", "www.cde-elparaiso.hn", "https://www.cde-elparaiso.hn"),
        ("hours", "lunes a viernes 8:00-12:00 y 13:00-17:00", "Lunes a viernes"),
    ],
)
async def test_each_text_field_is_saved_and_shown_to_entrepreneurs(
    app: BotApplication, telegram: FakeTelegram, field: str, typed: str, shown: str
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await edit_field(app, telegram, STAFF, field, typed)
    await save(app, telegram, STAFF)
    assert "Guardado" in last_text(telegram)
    assert shown in await entrepreneur_card(app, telegram)


async def test_map_position_by_sharing_a_location(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await press(app, f"st:edit:{CENTER}:location", STAFF)
    assert telegram.asks_for_location()
    await app.process_update(u.location(app.bot, 14.0339, -86.5736, user_id=STAFF))
    await save(app, telegram, STAFF)
    center = await services.staff.center_for(STAFF, CENTER)
    assert (center.lat, center.lon, center.coord_precision) == (14.0339, -86.5736, "exact")
    await entrepreneur_card(app, telegram)
    venue = next(c for c in telegram.sent() if c.method == "sendVenue")
    assert "aproximada" not in venue.params["title"]


async def test_service_area_and_services_with_toggle_buttons(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await press(app, f"st:edit:{CENTER}:service_area", STAFF)
    assert any(label.startswith("✅ El Paraíso") for label, _ in telegram.buttons())
    await press(app, "st:tg:HN.15", STAFF)  # add Olancho
    assert any(label.startswith("✅ Olancho") for label, _ in telegram.buttons())
    await press(app, "st:tg:XX.99", STAFF)  # forged: not a department of Honduras
    await done(app, telegram, STAFF)
    await save(app, telegram, STAFF)
    await press(app, f"st:edit:{CENTER}:services", STAFF)
    await press(app, "st:tg:exportacion", STAFF)
    await done(app, telegram, STAFF)
    await save(app, telegram, STAFF)
    center = await services.staff.center_for(STAFF, CENTER)
    assert center.service_area == ("HN.07", "HN.15")
    assert "exportacion" in center.services
    telegram.clear()
    await say(app, "soy de Juticalpa y quiero exportar", ENTREPRENEUR)
    assert "El Paraíso" in telegram.texts()[0]


async def test_temporary_closure_is_told_and_the_next_center_offered_first(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    until = (datetime.now(UTC) + timedelta(days=10)).strftime("%d/%m/%Y")
    await press(app, f"st:edit:{CENTER}:closure", STAFF)
    await say(app, "31/02/2026", STAFF)  # not a date
    assert "No entendí la fecha" in last_text(telegram)
    await say(app, until, STAFF)
    await say(app, "Cerrado por inventario", STAFF)
    await save(app, telegram, STAFF)
    card = await entrepreneur_card(app, telegram)
    assert "Región El Paraíso" not in card.split("\n")[0]
    await say(app, "/mi_centro", STAFF)
    assert "Cerrado temporalmente hasta" in telegram.texts()[-1]
    assert "Cerrado por inventario" in telegram.texts()[-1]
    await press(app, f"st:reopen:{CENTER}", STAFF)
    assert "Región El Paraíso" in (await entrepreneur_card(app, telegram)).split("\n")[0]


async def test_cancel_and_expiry_leave_the_listing_untouched(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await edit_field(app, telegram, STAFF, "phone", "2763-0000")
    await say(app, "/cancelar", STAFF)
    assert "cancelado" in last_text(telegram)
    await save(app, telegram, STAFF)
    assert "expiró" in last_text(telegram)
    await edit_field(app, telegram, STAFF, "phone", "2763-0000")
    async with services.sessions() as session, session.begin():
        await session.execute(update(EditSessionRow).values(expires_at=datetime.now(UTC)))
    await save(app, telegram, STAFF)
    assert "expiró" in last_text(telegram)
    assert (await services.staff.center_for(STAFF, CENTER)).phone == ""


async def test_two_staff_editing_at_once_lose_nothing(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await invite(app, telegram, CENTER, COLLEAGUE)
    await edit_field(app, telegram, STAFF, "phone", "2763-0001")
    await edit_field(app, telegram, COLLEAGUE, "phone", "2763-0002")
    await save(app, telegram, STAFF)
    await save(app, telegram, COLLEAGUE)
    assert "Otra persona del equipo" in last_text(telegram)
    assert "+504 2763-0001" in last_text(telegram)
    assert (await services.staff.center_for(STAFF, CENTER)).phone == "+504 2763-0001"


async def test_staff_of_two_centers_pick_one(app: BotApplication, telegram: FakeTelegram) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await invite(app, telegram, OTHER, STAFF)
    await say(app, "/mi_centro", STAFF)
    assert {d for _, d in telegram.buttons()} == {f"st:open:{CENTER}", f"st:open:{OTHER}"}
    await press(app, f"st:open:{OTHER}", STAFF)
    assert "CDE MIPYME Tegucigalpa" in " ".join(telegram.texts()[-2:])


async def test_history_and_admin_revert_from_the_bot(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await edit_field(app, telegram, STAFF, "email", "cde@ejemplo.org")
    await save(app, telegram, STAFF)
    await say(app, "/historial", STAFF)
    assert "cde@ejemplo.org" in last_text(telegram)
    assert not telegram.buttons()  # staff see history, only admins revert
    await say(app, f"/historial {CENTER}", ADMIN_ID)
    revert = next(d for label, d in telegram.buttons() if label.startswith("↩️"))
    await press(app, revert, ADMIN_ID)
    assert "revertido" in last_text(telegram)
    assert (await services.staff.center_for(STAFF, CENTER)).email == ""


async def test_escaped_staff_text_cannot_inject_html(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await edit_field(app, telegram, STAFF, "address", "<b>Calle</b> 5 & <a href='x'>aquí</a>")
    await save(app, telegram, STAFF)
    await entrepreneur_card(app, telegram)
    html = str(telegram.sent()[0].params["text"])
    assert "<a href" not in html and "&lt;b&gt;Calle&lt;/b&gt; 5 &amp;" in html


async def test_report_reaches_the_centers_staff_and_admins(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await entrepreneur_card(app, telegram)
    report = next(d for label, d in telegram.all_buttons() if "Reportar" in label)
    await press(app, report, ENTREPRENEUR)
    await press(app, f"rp:{CENTER}:phone", ENTREPRENEUR)
    assert "Gracias" in telegram.texts()[-3]
    notified = {
        c.params["chat_id"] for c in telegram.sent() if "reportó" in str(c.params.get("text"))
    }
    assert notified == {STAFF, ADMIN_ID}


async def test_deep_link_opens_the_centers_card_and_poster_is_a_png(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, f"/start {CENTER}", ENTREPRENEUR)
    assert "CDE MIPYME Región El Paraíso" in telegram.texts()[0]
    await invite(app, telegram, CENTER, STAFF)
    await press(app, f"st:qr:{CENTER}", STAFF)
    document = [c for c in telegram.calls if c.method == "sendDocument"]
    assert len(document) == 1


async def test_an_edit_continues_on_another_worker(
    settings: Settings, services: Services, telegram: FakeTelegram, app: BotApplication
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await press(app, f"st:edit:{CENTER}:phone", STAFF)
    other = build_application(settings, services, request=telegram, token=TEST_TOKEN)
    async with other:
        await other.process_update(u.text(other.bot, "2763-0000", STAFF))
        await other.process_update(u.callback(other.bot, "st:save:phone", STAFF))
    assert (await services.staff.center_for(STAFF, CENTER)).phone == "+504 2763-0000"


async def test_admin_lists_and_revokes_staff_in_the_bot(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await say(app, "/personal", STAFF)
    assert "No es posible" in last_text(telegram)
    await say(app, "/personal", ADMIN_ID)
    (label, data), *_ = telegram.buttons()
    assert str(STAFF) in label and data == f"st:rk:{STAFF}:{CENTER}"
    await press(app, data, ADMIN_ID)
    assert "se quitó el acceso" in last_text(telegram)
    await say(app, "/mi_centro", STAFF)
    assert "personal de los centros" in last_text(telegram)


async def test_admin_adds_a_center_and_closes_one_for_good(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "/nuevo_centro HN.03 CDE MIPYME Región Colón", STAFF)
    assert "No es posible" in last_text(telegram)
    await say(app, "/nuevo_centro HN.03 CDE MIPYME Región Colón", ADMIN_ID)
    telegram.clear()
    await say(app, "soy de Trujillo y ocupo asesoría", ENTREPRENEUR)
    assert "Región Colón" in telegram.texts()[0]
    await press(app, f"st:kill:{CENTER}", ADMIN_ID)
    await press(app, f"st:killok:{CENTER}", ADMIN_ID)
    assert "cerrado definitivamente" in last_text(telegram).casefold()
    assert "Región El Paraíso" not in await entrepreneur_card(app, telegram)


async def test_monthly_reminder_asks_staff_to_confirm(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    from bot.handlers.context import BotContext
    from bot.handlers.staff import remind_staff

    await invite(app, telegram, CENTER, STAFF)
    telegram.clear()
    await remind_staff(BotContext(application=app))
    (reminder,) = telegram.sent()
    assert reminder.params["chat_id"] == STAFF
    assert f"st:ok:{CENTER}" in [d for _, d in telegram.buttons(reminder)]
    await press(app, f"st:ok:{CENTER}", STAFF)
    assert "confirmados hoy" in last_text(telegram)
    assert "Datos confirmados por el centro hoy" in await entrepreneur_card(app, telegram)
    telegram.clear()
    await remind_staff(BotContext(application=app))
    assert telegram.sent() == []


async def test_a_holiday_closure_is_entered_as_a_period_ahead(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    from datetime import date

    await invite(app, telegram, CENTER, STAFF)
    year = datetime.now(UTC).year + 1
    await press(app, f"st:edit:{CENTER}:closure", STAFF)
    await say(app, f"26/12/{year} al 24/12/{year}", STAFF)  # backwards
    assert "No entendí la fecha" in last_text(telegram)
    await say(app, f"del 24/12/{year} al 26/12/{year}", STAFF)
    await say(app, "Feriado de Navidad", STAFF)
    await save(app, telegram, STAFF)
    center = await services.staff.center_for(STAFF, CENTER)
    (closure,) = center.closures
    assert (closure.start, closure.end, closure.message) == (
        date(year, 12, 24),
        date(year, 12, 26),
        "Feriado de Navidad",
    )
    assert "Región El Paraíso" in (await entrepreneur_card(app, telegram)).split("\n")[0]


async def test_a_colleagues_change_of_another_field_does_not_refuse_a_save(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await invite(app, telegram, CENTER, COLLEAGUE)
    await edit_field(app, telegram, STAFF, "phone", "2763-0001")
    await edit_field(app, telegram, COLLEAGUE, "email", "cde@ejemplo.org")
    await save(app, telegram, COLLEAGUE)
    await save(app, telegram, STAFF)
    assert "Guardado" in last_text(telegram)
    center = await services.staff.center_for(STAFF, CENTER)
    assert (center.phone, center.email) == ("+504 2763-0001", "cde@ejemplo.org")


async def test_fixing_a_reported_field_closes_the_report(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await press(app, f"rp:{CENTER}:phone", ENTREPRENEUR)
    await edit_field(app, telegram, STAFF, "phone", "2763-0000")
    await save(app, telegram, STAFF)
    report = await services.staff.report(ENTREPRENEUR + 1, CENTER, "phone")
    assert report.notify and report.count == 1  # a new report after the fix is news again


async def test_reopening_keeps_planned_holidays(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    from datetime import date, timedelta

    await invite(app, telegram, CENTER, STAFF)
    today = local_today("HN")  # closures are in the center's local days
    await services.staff.add_closure(STAFF, CENTER, today, today + timedelta(days=2), "")
    holiday = date(today.year + 1, 12, 25)
    await services.staff.add_closure(STAFF, CENTER, holiday, holiday, "Navidad")
    await say(app, "/mi_centro", STAFF)
    await press(app, f"st:reopen:{CENTER}", STAFF)
    assert "abierto" in last_text(telegram)
    closures = (await services.staff.center_for(STAFF, CENTER)).closures
    assert [c.message for c in closures] == ["Navidad"]
    await press(app, f"st:reopen:{CENTER}", STAFF)
    assert "no cambió nada" in last_text(telegram)


async def test_an_old_save_button_does_not_save_a_later_edit(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await invite(app, telegram, CENTER, STAFF)
    await edit_field(app, telegram, STAFF, "phone", "2763-0000")
    old_save = _last_button(telegram, STAFF, "st:save:")
    await edit_field(app, telegram, STAFF, "email", "cde@ejemplo.org")
    await press(app, old_save, STAFF)  # the phone preview's button, while editing the e-mail
    assert "ya no está vigente" in last_text(telegram)
    center = await services.staff.center_for(STAFF, CENTER)
    assert (center.phone, center.email) == ("", "")

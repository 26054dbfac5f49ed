"""Conversations through the real Application, as the user sees them on the phone."""

from __future__ import annotations

import re

import pytest

from bot import texts
from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.replies import plain
from bot.services import Services
from tests.conftest import TEST_TOKEN
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

TEGUCIGALPA = (14.0818, -87.20681)


async def say(app: BotApplication, body: str, user_id: int = u.USER_ID) -> None:
    await app.process_update(u.text(app.bot, body, user_id))


async def press(app: BotApplication, data: str, user_id: int = u.USER_ID) -> None:
    await app.process_update(u.callback(app.bot, data, user_id))


def button_data(telegram: FakeTelegram, label_part: str) -> str:
    for label, data in telegram.all_buttons():
        if label_part in label:
            return data
    raise AssertionError(f"no button {label_part!r} in {telegram.all_buttons()}")


async def test_start_greets_offers_location_button_and_service_menu(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await app.process_update(u.command(app.bot, "start"))
    first, second = telegram.sent()
    assert "Ruta MIPYME" in telegram.texts()[0]
    assert telegram.asks_for_location(first)
    labels = [label for label, _ in telegram.buttons(second)]
    assert "Acceso a financiamiento" in labels
    assert "Registro de marca y propiedad intelectual" in labels
    assert len(labels) == 13  # twelve services and "any service"


async def test_command_menu_is_set_in_spanish_at_start_up(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    assert app.post_init is not None
    await app.post_init(app)
    call = next(c for c in telegram.calls if c.method == "setMyCommands")
    commands = {c["command"] for c in call.params["commands"]}
    assert {
        "start",
        "ayuda",
        "centros",
        "servicios",
        "ubicacion",
        "privacidad",
        "olvidar",
    } <= commands


async def test_place_and_need_in_one_message_get_the_center_of_the_department(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo para mi pulpería")
    card = telegram.texts()[0]
    assert "CDE MIPYME" in card and "El Paraíso" in card
    # its service area is inferred from the region's name, and said so
    assert "Por su región, probablemente atiende su departamento (El Paraíso)" in card
    assert "✅ Atiende su departamento" not in card
    assert "✅ Acceso a financiamiento" in card
    assert "Confirme antes de ir" in card
    assert "recortes de fondos de 2025" in card  # the sourced caution
    assert "senprende.hn" in card  # the national agency, as the center has no contact
    data = [d for _, d in telegram.all_buttons()]
    assert "change:need" in data and "change:place" in data


async def test_center_with_a_city_gets_a_pin_marked_approximate(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en tegus, quiero registrar mi marca")
    venue = telegram.sent()[-1]
    assert venue.method == "sendVenue"
    assert "aproximada" in venue.params["title"]
    assert venue.params["latitude"] == pytest.approx(TEGUCIGALPA[0], abs=0.01)
    assert "CDE MIPYME Tegucigalpa" in telegram.texts()[0]
    assert telegram.buttons(venue)  # the buttons sit under the pin


async def test_place_only_asks_for_the_service_and_remembers_the_place(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en Choluteca")
    assert "Choluteca" in telegram.texts()[0]
    assert "¿Qué necesita" in telegram.texts()[0]
    financing = button_data(telegram, "Acceso a financiamiento")
    telegram.clear()
    await press(app, financing)
    card = telegram.texts()[0]
    assert "Golfo de Fonseca" in card


async def test_need_only_asks_for_the_location_then_a_shared_location_answers(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "quiero sacar el RTN de mi negocio")
    assert telegram.asks_for_location()
    assert "Formalización" in telegram.texts()[0]
    telegram.clear()
    await app.process_update(u.location(app.bot, *TEGUCIGALPA))
    card = telegram.texts()[0]
    assert "Tegucigalpa" in card
    assert "✅ Formalización y trámites" in card


async def test_later_message_reuses_the_remembered_place(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Santa Rosa de Copán y ocupo un préstamo")
    telegram.clear()
    await say(app, "¿y para exportar?")
    card = telegram.texts()[0]
    assert "Occidente" in card
    assert "✅ Exportación" in card


async def test_a_new_place_replaces_the_old_one_and_keeps_the_need(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    telegram.clear()
    await say(app, "mejor en Juticalpa")
    card = telegram.texts()[0]
    assert "Olancho" in card
    assert "✅ Acceso a financiamiento" in card


async def test_ambiguous_place_is_asked_with_a_button_per_candidate(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "ando en San Marcos y necesito un préstamo")
    *buttons, none = telegram.buttons()
    assert 2 <= len(buttons) <= 8
    assert all(data.startswith("place:") for _, data in buttons)
    assert none[0] == texts.NONE_OF_THESE_BUTTON and none[1].startswith("none:")
    assert len({label for label, _ in buttons}) == len(buttons)  # never two alike
    assert any("Ocotepeque" in label for label, _ in buttons)
    telegram.clear()
    ocotepeque = next(data for label, data in buttons if "Ocotepeque" in label)
    await press(app, ocotepeque)
    card = telegram.texts()[0]
    assert "Occidente" in card  # serves Ocotepeque
    assert "✅ Acceso a financiamiento" in card


async def test_unknown_place_says_so_and_offers_the_location_button(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Plutón")
    assert "No conozco «Plutón»" in telegram.texts()[0]
    assert "departamento" in telegram.texts()[0]
    assert telegram.asks_for_location()


async def test_short_map_link_asks_for_the_location_instead(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "aquí estoy https://maps.app.goo.gl/AbCdEf123")
    assert "enlaces cortos" in telegram.texts()[0]
    assert telegram.asks_for_location()


async def test_coordinates_typed_as_text_are_a_location(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "14.08, -87.21 ocupo capacitación")
    assert "Tegucigalpa" in telegram.texts()[0]


async def test_live_location_updates_are_not_answered_each_time(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await app.process_update(u.location(app.bot, *TEGUCIGALPA, live=True))
    answered = len(telegram.sent())
    assert answered >= 1
    await app.process_update(u.edited_location(app.bot, 14.09, -87.2))
    await app.process_update(u.edited_location(app.bot, 14.10, -87.2))
    assert len(telegram.sent()) == answered


async def test_a_shared_venue_counts_as_a_location(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await app.process_update(u.venue(app.bot, 15.5, -88.02, "Mercado"))
    assert "Cortés" in telegram.texts()[0]


@pytest.mark.parametrize("kind", ["voice", "photo", "sticker", "document"])
async def test_media_gets_a_kind_explanation(
    app: BotApplication, telegram: FakeTelegram, kind: str
) -> None:
    await app.process_update(u.media(app.bot, kind))
    assert len(telegram.texts()) == 1
    assert "solo entiendo mensajes de texto y ubicaciones" in telegram.texts()[0]


async def test_greeting_thanks_and_job_seekers_get_kind_answers(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "buenas tardes")
    await say(app, "muchas gracias")
    await say(app, "busco empleo de cajera")
    greeting, thanks, job = telegram.texts()
    assert "Hola" in greeting
    assert "gusto" in thanks
    assert "no ofrecen empleos" in job


async def test_unknown_command_gets_help(app: BotApplication, telegram: FakeTelegram) -> None:
    await say(app, "/precios")
    assert "No conozco ese comando" in telegram.texts()[0]


async def test_in_groups_only_commands_and_mentions_are_answered(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await app.process_update(
        u.text(app.bot, "soy de Danlí y ocupo un préstamo", kind="supergroup")
    )
    assert telegram.sent() == []
    await app.process_update(
        u.text(app.bot, "@RutaMipymeBot soy de Danlí y ocupo un préstamo", kind="supergroup")
    )
    assert "El Paraíso" in telegram.texts()[0]
    await app.process_update(u.text(app.bot, "/ayuda", kind="supergroup"))
    assert "Cómo usar" in telegram.texts()[-1]


async def test_forget_deletes_what_the_bot_remembered(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    await app.process_update(u.command(app.bot, "olvidar"))
    assert "borramos" in telegram.texts()[-1]
    telegram.clear()
    await say(app, "¿y para exportar?")
    assert telegram.asks_for_location()  # the place is gone
    await app.process_update(u.command(app.bot, "privacidad"))
    assert "/olvidar" in telegram.texts()[-1]


@pytest.mark.parametrize(
    "data",
    [
        "need:hackeo",
        "place:99999999",
        "more:abc",
        "more:1",
        "more:1:00000000",
        "x" * 80,
        "need:",
        "borrar:todo",
        "place:1:",
        "place:1:zzzzzzzz",
        "none:00000000",
        "none:",
        "dp:8:00000000",
        "dp:8",
        "dp:-8:00000000",
    ],
)
async def test_forged_or_stale_buttons_get_a_polite_answer_and_change_nothing(
    app: BotApplication, telegram: FakeTelegram, services: Services, data: str
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    before = await services.remembered(u.USER_ID)
    telegram.clear()
    await press(app, data)
    after = await services.remembered(u.USER_ID)
    assert before == after
    answers = telegram.answered_callbacks()
    stale = [a for a in answers if a.get("text")] + [
        {"text": t} for t in telegram.texts() if "ya no" in t.casefold()
    ]
    assert stale, "the user must be told the button is no longer valid"


async def test_more_centers_pages_through_the_ranking(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    more = button_data(telegram, "Ver más")
    telegram.clear()
    await press(app, more)
    page = telegram.texts()[0]
    assert page.startswith("Más centros (2–4)")
    assert page.count("🏢") == 3


async def test_memory_survives_a_restart_of_the_bot(
    settings: Settings, services: Services, telegram: FakeTelegram
) -> None:
    first = build_application(settings, services, request=telegram, token=TEST_TOKEN)
    async with first:
        await first.process_update(u.text(first.bot, "soy de Danlí"))
    second = build_application(settings, services, request=telegram, token=TEST_TOKEN)
    telegram.clear()
    async with second:
        await second.process_update(u.text(second.bot, "ocupo un préstamo"))
    assert "El Paraíso" in telegram.texts()[0]


async def test_users_do_not_share_memory(app: BotApplication, telegram: FakeTelegram) -> None:
    await say(app, "soy de Danlí", user_id=1)
    telegram.clear()
    await say(app, "ocupo un préstamo", user_id=2)
    assert telegram.asks_for_location()


async def test_a_failure_is_apologised_for_in_spanish(
    app: BotApplication,
    telegram: FakeTelegram,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(services, "on_text", broken)
    await say(app, "soy de Danlí")
    assert telegram.texts() == [plain(texts.ERROR)]


async def test_every_message_fits_telegram_and_escapes_html(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    for body in [
        "soy de <b>Danlí</b> & ocupo un préstamo",
        "/centros",
        "estoy en tegus",
        "x" * 5000,
        "<script>alert(1)</script>",
    ]:
        await say(app, body)
    for call in telegram.sent():
        if call.method != "sendMessage":
            continue
        body = str(call.params["text"])
        assert len(body) <= 4096
        assert "<script>" not in body and "<b>Danlí</b>" not in body
        assert re.sub(r"</?(b|i)>", "", body).count("<") == 0


async def test_thanks_after_an_answer_is_not_answered_with_the_card_again(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    telegram.clear()
    await say(app, "muchas gracias!")
    assert telegram.texts() == [plain(texts.THANKS)]


async def test_a_service_picked_first_is_remembered_until_the_place_comes(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await app.process_update(u.command(app.bot, "start"))
    await press(app, "need:exportacion")
    assert telegram.asks_for_location()
    telegram.clear()
    await say(app, "estoy en Danlí")
    card = telegram.texts()[0]
    assert "Exportación y comercio exterior" in card  # not asked for the service again
    assert "¿Qué necesita" not in card
    telegram.clear()
    await press(app, "need:capacitacion")  # «Cambiar servicio»: the new one sticks
    assert "✅ Capacitación y talleres" in telegram.texts()[0]
    telegram.clear()
    await app.process_update(u.location(app.bot, 14.0818, -87.20681))
    assert "✅ Capacitación y talleres" in telegram.texts()[0]


async def test_an_old_more_button_does_not_page_through_a_newer_search(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    old_more = button_data(telegram, "Ver más")
    await say(app, "y en Santa Rosa de Copán?")
    telegram.clear()
    await press(app, old_more)
    assert "ya no" in telegram.texts()[-1].casefold()  # not the Copán list under a Danlí card


async def test_details_button_shows_the_full_sheet_and_is_answered_once(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    details = button_data(telegram, "Detalles")
    assert details == "det:hn-cde-el-paraiso" and len(details.encode()) <= 64
    telegram.clear()
    await press(app, details)
    (sheet,) = telegram.texts()
    assert sheet.startswith("ℹ️ CDE MIPYME Región El Paraíso")
    assert "Habitual en la red, sin confirmar en este centro" in sheet
    assert "Fuentes: radioamericahn.net" in sheet
    assert "Lleve su DNI" in sheet
    assert "CENPROMYPE" in sheet
    assert len(telegram.answered_callbacks()) == 1  # the spinner stops, once
    telegram.clear()
    await press(app, "det:no-such-center")
    assert len(telegram.answered_callbacks()) == 1
    assert "ya no" in telegram.texts()[-1].casefold()


async def test_a_nicaraguan_gets_the_national_agency_cenpromype_and_no_center_abroad(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Estelí y ocupo un préstamo")
    (answer,) = telegram.texts()
    assert "Aún no tenemos registrado un centro" in answer
    assert "Ministerio para la Promoción de Emprendimientos" in answer and "MIFIC" in answer
    assert "MEFCCA" not in answer
    assert "No tenemos un contacto confirmado" in answer
    assert "CENPROMYPE" in answer and "https://www.cenpromype.org" in answer
    assert "CEFODEMIPYMES" in answer and "confirme antes de ir" in answer  # a support point
    for other in ("Honduras", "CDE MIPYME", "CDMYPE", "San Miguel"):
        assert other not in answer
    assert telegram.asks_for_location()


@pytest.mark.parametrize(
    ("message", "word", "document"),
    [
        (
            "vivo en Puntarenas y quiero formalizar mi negocio",
            "provincia",
            "su documento de identidad",
        ),
        ("estoy en Belmopan, necesito asesoría", "distrito", "su documento de identidad"),
        ("soy de Danlí y ocupo un préstamo", "departamento", "su DNI y, si lo tiene, su RTN"),
        ("soy de Ilobasco, quiero capacitación", "departamento", "su DUI"),
    ],
)
async def test_each_country_reads_its_own_division_and_documents(
    app: BotApplication, telegram: FakeTelegram, message: str, word: str, document: str
) -> None:
    await say(app, message)
    card = telegram.texts()[0]
    assert f"su {word}" in card
    assert f"Lleve {document}" in card
    if document != "su DNI y, si lo tiene, su RTN":
        assert "DNI" not in card and "RTN" not in card


async def test_a_center_that_cannot_be_placed_is_marked_so(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en Belmopan, necesito asesoría")
    card = telegram.texts()[0]
    assert "BELTRAIDE" in card
    assert "Ubicación no confirmada" in card
    assert all(call.method != "sendVenue" for call in telegram.sent())  # no pin to show


@pytest.mark.parametrize(
    ("answer", "service"),
    [("capacitacion", "Capacitación"), ("pisto", "financiamiento"), ("exportar", "Exportación")],
)
async def test_a_one_word_need_after_the_place_is_a_need_not_an_unknown_place(
    app: BotApplication, telegram: FakeTelegram, answer: str, service: str
) -> None:
    await say(app, "soy de Danlí")
    telegram.clear()
    await say(app, answer)
    reply = telegram.texts()[0]
    assert "No conozco" not in reply
    assert "CDE MIPYME Región El Paraíso" in reply and service in reply


async def test_a_lone_unknown_name_that_is_no_need_is_still_an_unknown_place(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "Xochiquetzalco")
    assert "No conozco «Xochiquetzalco»" in telegram.texts()[0]

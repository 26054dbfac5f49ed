"""Follow-up questions about the center the last card showed, through the real Application:
«¿y el teléfono?», «¿dónde queda?», «¿hay otro más cerca?»… answered from the center's data,
never with «no le entendí»."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from bot import texts, texts_en
from bot.app import BotApplication
from bot.db.models import CenterRow
from bot.db.repositories import MetaRepository
from bot.db.seed import CENTERS_VERSION_KEY
from bot.dialogue import FollowUp, SmallTalk, classify_follow_up, classify_small_talk
from bot.services import Services
from tests.support.fake_telegram import FakeTelegram
from tests.test_flows import say

DANLI = "soy de Danlí y ocupo un préstamo"
DANLI_CENTER = "CDE MIPYME Región El Paraíso"
LIBERIA = "estoy en Liberia, Guanacaste y quiero capacitación"
UNCLEAR = (texts.UNCLEAR, texts_en.UNCLEAR)


async def _card(app: BotApplication, telegram: FakeTelegram, first: str) -> str:
    await say(app, first)
    card = telegram.texts()[0]
    telegram.clear()
    return card


async def _ask(app: BotApplication, telegram: FakeTelegram, question: str) -> str:
    telegram.clear()
    await say(app, question)
    shown = "\n".join(telegram.texts())
    for unclear in UNCLEAR:
        assert "no le entendí" not in shown and "did not quite understand" not in shown
        assert unclear not in shown
    return shown


async def _set_center(services: Services, center_id: str, **values: object) -> None:
    async with services.sessions() as session, session.begin():
        await session.execute(update(CenterRow).where(CenterRow.id == center_id).values(**values))
        await MetaRepository(session).set(CENTERS_VERSION_KEY, uuid.uuid4().hex)


def test_the_classifier_reads_each_kind_in_both_languages() -> None:
    cases = {
        "y el teléfono?": FollowUp.PHONE,
        "tienen whatsapp?": FollowUp.PHONE,
        "¿tienen correo?": FollowUp.EMAIL,
        "dónde queda": FollowUp.ADDRESS,
        "cómo llego": FollowUp.ADDRESS,
        "a qué hora abren": FollowUp.HOURS,
        "¿está abierto?": FollowUp.HOURS,
        "¿atienden los sábados?": FollowUp.HOURS,
        "¿qué servicios tienen?": FollowUp.SERVICES,
        "qué llevo": FollowUp.DOCUMENTS,
        "qué necesito llevar": FollowUp.DOCUMENTS,
        "hay otro más cerca?": FollowUp.NEARER,
        "what's the phone number?": FollowUp.PHONE,
        "email?": FollowUp.EMAIL,
        "how do I get there?": FollowUp.ADDRESS,
        "is it open now?": FollowUp.HOURS,
        "what services do they have?": FollowUp.SERVICES,
        "what do I bring?": FollowUp.DOCUMENTS,
        "is there another one closer?": FollowUp.NEARER,
    }
    for text, kind in cases.items():
        assert classify_follow_up(text) == (kind,), text
    assert classify_follow_up("teléfono y correo") == (FollowUp.PHONE, FollowUp.EMAIL)
    assert classify_follow_up("¿tienen otro teléfono?") == (FollowUp.PHONE,)
    assert classify_follow_up("¿atienden a mujeres?") == ()
    assert classify_follow_up("gracias") == ()


def test_goodbyes_are_told_apart_from_thanks() -> None:
    assert classify_small_talk("adiós") is SmallTalk.BYE
    assert classify_small_talk("bye") is SmallTalk.BYE
    assert classify_small_talk("muchas gracias, adiós") is SmallTalk.THANKS


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("y el teléfono?", "No tenemos publicado un teléfono"),
        ("¿tienen correo?", "No tenemos publicado un correo"),
        ("dónde queda", "No tenemos la dirección exacta"),
        ("cómo llego", "consulte a SENPRENDE"),  # no address, no point: whom to ask
        ("a qué hora abren", "No tenemos publicado su horario"),
        ("¿está abierto?", "confirme antes de ir"),
        ("¿qué servicios tienen?", "Acceso a financiamiento"),
        ("qué llevo", "Lleve su DNI y, si lo tiene, su RTN"),
    ],
)
async def test_each_follow_up_after_a_danli_card_is_answered_from_its_data(
    app: BotApplication, telegram: FakeTelegram, question: str, expected: str
) -> None:
    card = await _card(app, telegram, DANLI)
    assert DANLI_CENTER in card
    shown = await _ask(app, telegram, question)
    assert DANLI_CENTER in shown and expected in shown
    assert shown != card  # the card is not repeated


async def test_a_missing_phone_is_said_plainly_with_the_next_step(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await _card(app, telegram, DANLI)
    shown = await _ask(app, telegram, "¿me pasa el número para llamar?")
    assert "No tenemos publicado un teléfono de este centro" in shown
    assert "SENPRENDE" in shown and "senprende.hn" in shown  # whom to ask instead
    assert "Reportar un dato incorrecto" in shown
    labels = [label for label, _ in telegram.all_buttons()]
    assert texts.REPORT_BUTTON in labels and texts.DETAILS_BUTTON in labels


async def test_known_phone_email_hours_and_address_are_given(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await _set_center(
        services,
        "hn-cde-el-paraiso",
        phone="2763-0000",
        email="cde@example.org",
        address="Barrio El Centro, Danlí",
        hours="lunes a viernes, 8:00 a 16:00",
        city="Danlí",
        lat=14.033,
        lon=-86.583,
        coord_precision="exact",
    )
    await _card(app, telegram, DANLI)
    assert "📞 2763-0000" in await _ask(app, telegram, "y el teléfono?")
    assert texts.REPORT_BUTTON not in [label for label, _ in telegram.all_buttons()]
    assert "✉️ cde@example.org" in await _ask(app, telegram, "¿tienen correo?")
    assert "lunes a viernes, 8:00 a 16:00" in await _ask(app, telegram, "horario?")
    shown = await _ask(app, telegram, "¿dónde queda?")
    assert "📍 Barrio El Centro, Danlí" in shown and "punto en el mapa." in shown
    assert telegram.sent()[-1].method == "sendVenue"  # the pin, with the buttons under it
    assert telegram.buttons()


async def test_a_follow_up_after_a_costa_rican_card(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    card = await _card(app, telegram, LIBERIA)
    assert "Liberia" in card
    shown = await _ask(app, telegram, "¿qué llevo?")
    assert "Lleve su documento de identidad" in shown and "Liberia" in shown
    shown = await _ask(app, telegram, "y el teléfono?")
    assert "No tenemos publicado un teléfono" in shown
    assert "MEIC" in shown  # Costa Rica's agency, not Honduras'
    assert "SENPRENDE" not in shown


async def test_another_one_closer_gives_the_next_center_of_the_same_country(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await _card(app, telegram, DANLI)
    shown = await _ask(app, telegram, "hay otro más cerca?")
    assert shown.startswith("Más centros (2–")
    assert DANLI_CENTER not in shown and "CDE MIPYME" in shown
    assert "Liberia" not in shown  # Honduras' centers, not another country's


async def test_a_new_place_in_a_follow_up_is_a_new_search(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await _card(app, telegram, DANLI)
    shown = await _ask(app, telegram, "¿y en Choluteca?")
    assert "Golfo de Fonseca" in shown and DANLI_CENTER not in shown
    assert "Choluteca" in shown


async def test_an_english_follow_up_for_an_english_user(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    card = await _card(app, telegram, "where can I register my business in Orange Walk")
    shown = await _ask(app, telegram, "what do I bring?")
    assert "Bring your ID document" in shown
    assert "Lleve" not in shown and card != shown
    shown = await _ask(app, telegram, "phone number?")
    assert "We have no published phone number for this center" in shown
    assert "BELTRAIDE" in shown and "Report a wrong detail" in shown
    shown = await _ask(app, telegram, "is there another one closer?")
    assert "We have no other center registered for your search" in shown  # Belize has one
    assert "CENPROMYPE" in shown


async def test_thanks_and_goodbye_after_a_card_close_politely(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await _card(app, telegram, DANLI)
    assert await _ask(app, telegram, "muchas gracias") == texts.THANKS.replace("<b>", "")
    assert await _ask(app, telegram, "adiós") == texts.BYE


async def test_a_follow_up_with_no_search_remembered_is_not_a_center_answer(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "y el teléfono?")
    assert telegram.texts() == [texts.UNCLEAR.replace("<i>", "").replace("</i>", "")] or (
        "Cuénteme dónde está" in telegram.texts()[0]
    )


def test_the_classifier_stays_linear_on_long_messages() -> None:
    import time

    for text in ("donde " * 50_000, "que hacen " * 50_000, "x" * 200_000):
        start = time.perf_counter()
        classify_follow_up(text)
        assert time.perf_counter() - start < 0.5

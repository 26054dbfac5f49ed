"""The dialogue state, through the real Application: each message is read in the light of what
the bot last asked or showed (kept in the database with the user's memory), and every list and
flow has a way out."""

from __future__ import annotations

import pytest

from bot import texts
from bot.app import BotApplication
from bot.dialogue import covers, is_none_answer, is_short_answer
from bot.domain.models import Asked
from bot.domain.needs.model import NONE_CLASS, NeedModel
from bot.domain.needs.reader import NeedReader
from bot.replies import plain
from bot.services import Services
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram
from tests.test_flows import button_data, press, say


async def _asked(services: Services, user_id: int = u.USER_ID) -> Asked:
    return (await services.remembered(user_id)).asked


@pytest.mark.parametrize(
    ("answer", "service"),
    [
        ("capacitacion", "Capacitación"),
        ("Formalización", "Formalización"),
        ("pisto", "Acceso a financiamiento"),
        ("exportar", "Exportación"),
        ("calidad", "Calidad"),  # also a misspelt «Caridad», a village: the need wins here
        ("un préstamo", "Acceso a financiamiento"),
    ],
)
async def test_a_short_answer_to_what_do_you_need_is_the_need(
    app: BotApplication, services: Services, telegram: FakeTelegram, answer: str, service: str
) -> None:
    await say(app, "estoy en Choluteca")
    assert await _asked(services) is Asked.NEED
    telegram.clear()
    await say(app, answer)
    card = telegram.texts()[0]
    assert "Golfo de Fonseca" in card  # the center of Choluteca, the place said before
    assert service in card  # offered (✅) or said plainly that it is not
    assert "No conozco" not in card and "lista de lugares" not in card


async def test_an_unknown_word_after_what_do_you_need_asks_again_with_the_menu(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en Choluteca")
    telegram.clear()
    await say(app, "zapatuflo")
    shown = telegram.texts()[0]
    assert "No reconocí «zapatuflo» como un servicio" in shown
    assert "No conozco" not in shown
    assert button_data(telegram, "Acceso a financiamiento").startswith("need:")
    assert await _asked(services) is Asked.NEED
    assert (await services.remembered(u.USER_ID)).place is not None  # Choluteca kept


async def test_a_short_answer_to_where_are_you_is_the_place(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "necesito registrar mi marca")
    assert await _asked(services) is Asked.PLACE
    telegram.clear()
    await say(app, "Marcala")  # a town of La Paz, not a trademark
    card = telegram.texts()[0]
    assert "(La Paz)" in card  # Marcala's department
    assert "Registro de marca" in card  # the need said before is kept


async def test_without_a_question_the_same_word_keeps_both_readings(
    services: Services,
) -> None:
    # Read alone (no question asked), «calidad» is both a service and a misspelt village; the
    # stateless `ask` keeps what it found, the conversation decides by what it asked.
    understanding = services.understand_offline("calidad")
    assert understanding.needs == ("calidad",)


@pytest.mark.parametrize("none", ["ninguno", "Ninguna de estas", "no es ninguno", "none"])
async def test_typing_none_under_a_list_of_places_is_the_none_of_these_button(
    app: BotApplication, telegram: FakeTelegram, none: str
) -> None:
    other = u.USER_ID + 1
    for user in (u.USER_ID, other):
        await say(app, "ando en San Marcos y necesito un préstamo", user)
    button = button_data(telegram, texts.NONE_OF_THESE_BUTTON)
    telegram.clear()
    await press(app, button, other)
    pressed = telegram.texts()
    telegram.clear()
    await say(app, none)
    assert telegram.texts() == pressed
    assert "Compartir mi ubicación" in pressed[0]  # San Marcos lies in several countries


async def test_none_of_these_under_the_departments_asks_for_the_location(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Guatemala")
    assert "¿En qué departamento de Guatemala está?" in telegram.texts()[0]
    none = button_data(telegram, texts.NONE_OF_THESE_BUTTON)
    telegram.clear()
    await press(app, none)
    assert "Compartir mi ubicación" in telegram.texts()[0]
    assert telegram.asks_for_location()
    assert await _asked(services) is Asked.PLACE
    telegram.clear()
    await say(app, "ninguno")  # no list any more: not a «none of these»
    assert "¿En qué departamento" not in "\n".join(telegram.texts())


async def test_a_card_is_remembered_as_shown_and_thanks_keep_it(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    assert await _asked(services) is Asked.CARD
    await say(app, "gracias")
    assert await _asked(services) is Asked.CARD
    telegram.clear()
    await say(app, "¿y a qué hora abren?")
    assert "Región El Paraíso" in telegram.texts()[0]


async def test_the_state_is_read_from_the_database_by_another_application(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    from bot.app import build_application
    from tests.conftest import TEST_TOKEN

    await say(app, "estoy en Choluteca")
    other = build_application(services.settings, services, request=telegram, token=TEST_TOKEN)
    await other.initialize()
    try:
        telegram.clear()
        await say(other, "capacitacion")
        assert "✅ Capacitación" in telegram.texts()[0]
    finally:
        await other.shutdown()


async def test_the_report_picker_can_be_cancelled(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    report = button_data(telegram, texts.REPORT_BUTTON)
    telegram.clear()
    await press(app, report)
    cancel = button_data(telegram, texts.REPORT_CANCEL_BUTTON)
    telegram.clear()
    await press(app, cancel)
    assert telegram.texts() == [texts.REPORT_CANCELLED]


def test_short_answers_and_names_are_told_apart() -> None:
    assert is_short_answer("un préstamo") and not is_short_answer("")
    assert not is_short_answer("quiero un préstamo para comprar más mercadería")
    assert covers("Juticalpa", "en Juticalpa") and covers("marcala", "Marcala!")
    assert not covers("Juticalpa", "Juticalpa y un préstamo")
    assert is_none_answer("Ninguno de estos") and not is_none_answer("ninguno me sirve de Tegus")


def _torn_between_fairs_and_credit(services: Services) -> None:
    """A model that reads «ferias» and «créditos» as almost equally likely (the shipped model
    changes as its corpus grows; the conversation is what is tested here)."""
    classes = [*sorted(n.slug for n in services.needs), NONE_CLASS]
    k = classes.index
    model = NeedModel(
        {
            "classes": classes,
            "bias": [0.0] * len(classes),
            "weights": {
                "w:feri": [[k("mercadeo"), 4.0]],
                "w:credit": [[k("financiamiento"), 3.6]],
            },
        }
    )
    services.reader = NeedReader(services.matcher, model)


async def test_an_uncertain_need_is_said_and_the_likeliest_other_is_one_tap_away(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    _torn_between_fairs_and_credit(services)
    await say(app, "estoy en Choluteca, me interesa lo de las ferias y los créditos")
    card = "\n".join(telegram.texts())
    assert "Entendí que busca Mercadeo y ventas" in card
    other = button_data(telegram, "🔁 Acceso a financiamiento")
    telegram.clear()
    await press(app, other)
    card = telegram.texts()[0]
    assert "Golfo de Fonseca" in card and "✅ Acceso a financiamiento" in card
    assert "Entendí que busca" not in card  # chosen: no longer uncertain


async def test_an_uncertain_need_without_a_place_offers_the_others_under_the_question(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    _torn_between_fairs_and_credit(services)
    await say(app, "me interesa lo de las ferias y los créditos")
    assert telegram.asks_for_location(telegram.sent()[0])
    assert telegram.texts()[1] == texts.OTHER_NEED_QUESTION
    other = button_data(telegram, "🔁 Acceso a financiamiento")
    telegram.clear()
    await press(app, other)
    assert "Acceso a financiamiento" in telegram.texts()[0] and telegram.asks_for_location()


async def test_a_sure_need_gets_no_other_buttons(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en Choluteca y necesito un préstamo para comprar un horno")
    assert "Entendí que busca" not in "\n".join(telegram.texts())
    assert not any(label.startswith("🔁 Acceso") for label, _ in telegram.all_buttons())


async def test_cancel_drops_the_pending_question_and_keeps_the_place(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en Choluteca")
    telegram.clear()
    await say(app, "/cancelar")
    assert telegram.texts() == [texts.QUESTION_DROPPED]
    memory = await services.remembered(u.USER_ID)
    assert memory.asked is Asked.NOTHING and memory.place is not None
    telegram.clear()
    await say(app, "/cancelar")
    assert telegram.texts() == [texts.NOTHING_TO_CANCEL]


async def test_cancel_leaves_a_list_of_places(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "ando en San Marcos y necesito un préstamo")
    button = button_data(telegram, texts.NONE_OF_THESE_BUTTON)
    await say(app, "/cancelar")
    assert (await services.remembered(u.USER_ID)).candidates == ()
    telegram.clear()
    await press(app, button)  # the list's buttons no longer act
    assert "Compartir mi ubicación" not in "\n".join(telegram.texts())


@pytest.mark.parametrize(
    "conversation",
    [
        [
            "hola buenas",
            "estoy en Quetzaltenango",
            "capacitación",
            "y el teléfono?",
            "a qué hora abren",
            "hay otro más cerca?",
            "qué llevo",
            "y en Antigua Guatemala?",
            "ok gracias",
            "adiós",
        ],
        [
            "buenas tardes",
            "ocupo sacar el RTN de mi pulpería",
            "Danlí",
            "dónde queda",
            "tienen correo?",
            "y para un préstamo?",
            "está abierto?",
            "qué servicios ofrecen",
            "muchas gracias",
            "chao",
        ],
    ],
)
async def test_a_ten_message_conversation_never_gets_i_did_not_understand(
    app: BotApplication, telegram: FakeTelegram, conversation: list[str]
) -> None:
    for message in conversation:
        telegram.clear()
        await say(app, message)
        shown = "\n".join(telegram.texts())
        assert shown, message
        assert texts.UNCLEAR not in shown and "No reconocí" not in shown, message
        assert "No conozco" not in shown, message


async def test_a_follow_up_where_no_center_serves_is_short_and_plain(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Chinandega y necesito un préstamo")
    whole = telegram.texts()[0]
    assert "Aún no tenemos registrado un centro" in whole
    for question in ("¿hay otro más cerca?", "¿y el correo?"):
        telegram.clear()
        await say(app, question)
        shown = telegram.texts()
        assert len(shown) == 1 and shown[0] != whole
        assert "Para Chinandega todavía no tenemos un centro registrado" in shown[0]
        assert "MIFIC" in shown[0]


async def test_none_typed_with_no_list_asks_where_instead_of_a_place_search(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    telegram.clear()
    await say(app, "ninguno")
    assert telegram.texts() == [plain(texts.PICK_LOCATION)]


async def test_an_unreadable_reply_to_a_question_gets_the_question_again(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "estoy en Choluteca")
    telegram.clear()
    await say(app, "no sé")
    assert "No reconocí «no sé» como un servicio" in telegram.texts()[0]
    assert button_data(telegram, "Acceso a financiamiento").startswith("need:")
    await say(app, "/olvidar")
    await say(app, "necesito un préstamo")
    telegram.clear()
    await say(app, "no sé")  # to «¿Dónde está?»
    assert "¿En qué municipio, departamento o provincia está?" in telegram.texts()[0]
    assert telegram.asks_for_location()
    assert await _asked(services) is Asked.PLACE

"""Every user reaches an answer: «Ninguno de estos», a country's departments as buttons, names
the bot does not know, places outside the region, and the English path for Belize — whole
conversations through the real Application, as the user sees them on the phone."""

from __future__ import annotations

import time

import pytest

from bot import callbacks, texts, texts_en
from bot.app import BotApplication
from bot.language import ENGLISH, SPANISH, detect, english_needs
from bot.localapi import ApiCall
from bot.replies import plain
from bot.services import Services
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram


async def say(app: BotApplication, body: str, user_id: int = u.USER_ID) -> None:
    await app.process_update(u.text(app.bot, body, user_id))


async def press(app: BotApplication, data: str, user_id: int = u.USER_ID) -> None:
    await app.process_update(u.callback(app.bot, data, user_id))


def button(buttons: list[tuple[str, str]], label_part: str) -> str:
    for label, data in buttons:
        if label_part in label:
            return data
    raise AssertionError(f"no button {label_part!r} in {buttons}")


def edits(telegram: FakeTelegram) -> list[ApiCall]:
    return [c for c in telegram.calls if c.method == "editMessageText"]


def shown(telegram: FakeTelegram) -> tuple[str, list[tuple[str, str]]]:
    """The text and buttons of the list the user has in front of them (sent or edited)."""
    call = [c for c in telegram.calls if c.method in ("sendMessage", "editMessageText")][-1]
    return plain(str(call.params["text"])), telegram.buttons(call)


def department_buttons(buttons: list[tuple[str, str]]) -> list[str]:
    return [label for label, data in buttons if data.startswith("place:")]


def assert_valid_callbacks(buttons: list[tuple[str, str]], services: Services) -> None:
    known = frozenset(n.slug for n in services.needs)
    for _, data in buttons:
        assert len(data.encode()) <= callbacks.MAX_BYTES
        assert callbacks.parse(data, known) is not None, data


# --- 1. «Ninguno de estos» -------------------------------------------------------------------


async def test_none_of_these_on_places_of_one_country_offers_its_departments(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "ando en San Marcos, Honduras y ocupo un préstamo")
    *places, none = telegram.buttons()
    assert len(places) >= 2 and all("Honduras" in label for label, _ in places)
    assert none[0] == texts.NONE_OF_THESE_BUTTON
    telegram.clear()
    await press(app, none[1])
    text, buttons = shown(telegram)
    assert "¿En qué departamento de Honduras está?" in text and "(1–8 de 18)" in text
    assert department_buttons(buttons)[:3] == ["Atlántida", "Choluteca", "Colón"]
    assert_valid_callbacks(buttons, services)
    assert len(telegram.answered_callbacks()) == 1
    telegram.clear()
    await press(app, button(buttons, "El Paraíso"))
    card = telegram.texts()[0]
    assert "CDE MIPYME Región El Paraíso" in card  # the department's center, its service area
    assert "atiende su departamento (El Paraíso)" in card
    assert "✅ Acceso a financiamiento" in card  # the need said before the lists


async def test_none_of_these_on_places_of_several_countries_asks_for_the_location(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "ando en San Marcos")
    *places, none = telegram.buttons()
    countries = {label.rsplit(" · ", 1)[-1] for label, _ in places}
    assert len(countries) > 1
    assert len({label for label, _ in places}) == len(places)  # never two alike
    telegram.clear()
    await press(app, none[1])
    (text,) = telegram.texts()
    assert "Compartir mi ubicación" in text and "departamento" in text
    assert telegram.asks_for_location()
    assert (await services.remembered(u.USER_ID)).candidates == ()
    telegram.clear()
    await press(app, places[0][1])  # the list is gone: its buttons no longer act
    assert "ya no" in telegram.texts()[-1].casefold()
    await press(app, none[1])
    assert "ya no" in telegram.texts()[-1].casefold()


def test_choice_lists_never_show_two_identical_labels() -> None:
    from bot.domain.models import Place

    twins = [
        Place(1, "San José", "HN", "HN.05", "Copán", 14.9, -88.9),
        Place(2, "San José", "HN", "HN.05", "Copán", 14.6, -88.9),
        Place(3, "San José", "HN", "HN.05", "Copán", 14.6, -88.9),  # the very same point
        Place(4, "San José", "HN", "HN.12", "La Paz", 14.2, -87.9),
    ]
    labels = texts.candidate_buttons(twins)
    assert len(set(labels)) == 4
    assert labels[0] == "San José · Copán · Honduras (al norte)"
    assert labels[3] == "San José · La Paz · Honduras"
    english = texts.candidate_buttons(twins, lang=texts.EN)
    assert english[0] == "San José · Copán · Honduras (north)" and len(set(english)) == 4


# --- 2. A country named alone: its departments, paged -------------------------------------------


async def test_a_country_alone_gets_its_departments_in_pages_and_a_press_answers(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "soy de Guatemala y necesito un préstamo")
    text, buttons = shown(telegram)
    assert "¿En qué departamento de Guatemala está?" in text and "(1–8 de 22)" in text
    first = department_buttons(buttons)
    assert first == [
        "Alta Verapaz", "Baja Verapaz", "Chimaltenango", "Chiquimula", "El Progreso",
        "Escuintla", "Guatemala", "Huehuetenango",
    ]  # fmt: skip
    assert [label for label, _ in buttons][-2:] == [
        texts.NEXT_PAGE_BUTTON,
        texts.NONE_OF_THESE_BUTTON,  # every page has the way out
    ]
    assert_valid_callbacks(buttons, services)

    telegram.clear()
    await press(app, button(buttons, texts.NEXT_PAGE_BUTTON))
    assert len(edits(telegram)) == 1  # the list turns its page in place
    assert telegram.sent() == [] and len(telegram.answered_callbacks()) == 1
    text, buttons = shown(telegram)
    assert "(9–16 de 22)" in text
    assert "Petén" in department_buttons(buttons)
    turn = [label for label, _ in buttons][-3:-1]
    assert turn == [texts.PREVIOUS_PAGE_BUTTON, texts.NEXT_PAGE_BUTTON]

    await press(app, button(buttons, texts.NEXT_PAGE_BUTTON))
    text, last = shown(telegram)
    assert "(17–22 de 22)" in text and len(department_buttons(last)) == 6
    assert [label for label, _ in last][-2] == texts.PREVIOUS_PAGE_BUTTON
    await press(app, button(last, texts.PREVIOUS_PAGE_BUTTON))
    assert "(9–16 de 22)" in shown(telegram)[0]

    telegram.clear()
    await press(app, button(buttons, "Petén"))  # answered as if in its capital
    (answer,) = telegram.texts()
    assert "Petén" in answer
    assert "Institución nacional de apoyo a la MIPYME en Guatemala" in answer
    memory = await services.remembered(u.USER_ID)
    assert memory.place is not None and memory.place.admin1 == "GT.12"
    assert memory.needs == ("financiamiento",) and memory.candidates == ()


async def test_old_buttons_of_an_earlier_list_do_not_act_on_a_newer_one(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "soy de Guatemala")
    _, guatemala = shown(telegram)
    await say(app, "mejor dicho, vivo en Panamá")
    text, panama = shown(telegram)
    assert "¿En qué provincia o comarca de Panamá está?" in text
    before = await services.remembered(u.USER_ID)
    telegram.clear()
    await press(app, button(guatemala, "Escuintla"))
    await press(app, button(guatemala, texts.NEXT_PAGE_BUTTON))
    assert [t for t in telegram.texts() if "ya no" in t.casefold()] == telegram.texts()
    assert len(telegram.texts()) == 2 and edits(telegram) == []
    assert await services.remembered(u.USER_ID) == before
    telegram.clear()
    await press(app, button(panama, "Chiriquí"))
    assert "Chiriquí" in telegram.texts()[0]


async def test_pressing_a_page_twice_is_answered_once_and_harmless(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de la República Dominicana")
    _, buttons = shown(telegram)
    more = button(buttons, texts.NEXT_PAGE_BUTTON)
    telegram.clear()
    await press(app, more)
    telegram.fail(
        "editMessageText",
        (400, {"error_code": 400, "description": "Bad Request: message is not modified"}),
    )
    await press(app, more)
    assert len(telegram.answered_callbacks()) == 2  # one answer per press
    assert telegram.sent() == []  # no duplicate page sent


async def test_a_page_that_cannot_be_edited_is_sent_instead(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Honduras")
    _, buttons = shown(telegram)
    telegram.clear()
    telegram.fail(
        "editMessageText",
        (400, {"error_code": 400, "description": "Bad Request: message to edit not found"}),
    )
    await press(app, button(buttons, texts.NEXT_PAGE_BUTTON))
    text, page = shown(telegram)
    assert "(9–16 de 18)" in text and "Olancho" in department_buttons(page)


# --- 3. A name the bot does not know -----------------------------------------------------------


async def test_an_unknown_town_with_its_country_offers_the_countrys_departments(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "soy de Xyzqwbl, Guatemala, ocupo capacitación")
    text, buttons = shown(telegram)
    assert "No conozco «Xyzqwbl»" in text
    assert "¿En qué departamento de Guatemala está?" in text
    assert len(department_buttons(buttons)) == 8
    telegram.clear()
    await press(app, button(buttons, "Escuintla"))
    answer = telegram.texts()[0]
    assert "Escuintla" in answer and "Guatemala" in answer


async def test_an_unknown_name_without_a_country_offers_the_location_button(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Plutón")
    (text,) = telegram.texts()
    assert "No conozco «Plutón»" in text
    assert "Escríbame el nombre de su departamento" in text
    assert telegram.asks_for_location()


# --- 4. Outside the region ---------------------------------------------------------------------


async def test_a_city_outside_the_region_gets_a_kind_word_and_cenpromype(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "vivo en Miami y necesito un préstamo")
    (text,) = telegram.texts()
    for country in ("Belice", "Costa Rica", "El Salvador", "Guatemala", "Honduras",
                    "Nicaragua", "Panamá", "República Dominicana"):  # fmt: skip
        assert country in text
    assert "«Miami» queda fuera" in text
    assert "CENPROMYPE" in text and "https://www.cenpromype.org" in text
    assert "CDE MIPYME" not in text
    assert telegram.asks_for_location()
    telegram.clear()
    await say(app, "bueno, mi negocio está en Danlí")  # the need was kept
    assert "✅ Acceso a financiamiento" in telegram.texts()[0]


# --- 5. English for Belize ---------------------------------------------------------------------


async def test_an_english_conversation_in_belize_reaches_a_card_in_english(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "hi")
    assert telegram.texts() == [plain(texts_en.GREETING)]
    telegram.clear()
    await say(app, "I live in Orange Walk")
    text, menu = shown(telegram)
    assert text.startswith("📍 Got it: Orange Walk")
    assert "Access to finance" in [label for label, _ in menu]
    telegram.clear()
    await press(app, button(menu, "Access to finance"))  # a button, answered in English
    card = telegram.texts()[0]
    assert "BELTRAIDE" in card
    assert "✅ Access to finance" in card
    assert "Location not confirmed" in card and "your district" in card
    assert "Bring your ID document" in card and "Confirm before you go" in card
    for spanish in ("Atiende", "Lleve", "Confirme", "Ubicación", "departamento", "Datos de"):
        assert spanish not in card
    buttons = telegram.all_buttons()
    labels = [label for label, _ in buttons]
    assert texts_en.CHANGE_NEED_BUTTON in labels and texts_en.REPORT_BUTTON in labels
    telegram.clear()
    await press(app, button(buttons, texts_en.DETAILS_BUTTON))
    (sheet,) = telegram.texts()
    assert "Data from" in sheet and "National institution" in sheet
    assert "Bring your ID document" in sheet
    assert "Fuentes" not in sheet and "Lleve" not in sheet
    assert len(telegram.answered_callbacks()) == 1
    telegram.clear()
    await press(app, button(buttons, texts_en.REPORT_BUTTON))
    text, fields = shown(telegram)
    assert text == plain(texts_en.REPORT_PICK) and "📞 Phone" in [label for label, _ in fields]


async def test_english_in_one_message_with_a_belizean_place_and_a_need(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "where can I register my business in Orange Walk")
    card = telegram.texts()[0]
    assert "✅ Registration and paperwork" in card
    telegram.clear()
    await say(app, "I live in Belize City and need a loan")
    card = telegram.texts()[0]
    assert "✅ Access to finance" in card and "Lleve" not in card


async def test_button_presses_and_start_answer_in_the_language_the_user_wrote(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "I am from Belize and I need training")
    text, buttons = shown(telegram)
    assert "Which district of Belize are you in?" in text
    assert "Cayo" in department_buttons(buttons)
    telegram.clear()
    await press(app, button(buttons, "Cayo"))
    assert "✅ Training and workshops" in telegram.texts()[0]
    telegram.clear()
    await press(app, callbacks.CHANGE_NEED)
    assert telegram.texts() == [plain(texts_en.SERVICE_MENU)]
    telegram.clear()
    await press(app, callbacks.CHANGE_PLACE)
    assert telegram.texts() == [plain(texts_en.ASK_LOCATION_ONLY)]
    assert FakeTelegram.markup(telegram.sent()[0])["keyboard"][0][0]["text"] == (
        texts_en.LOCATION_BUTTON
    )
    telegram.clear()
    await press(app, "place:1:00000000")  # stale, in English too
    assert telegram.texts() == [plain(texts_en.STALE_BUTTON)]
    telegram.clear()
    await app.process_update(u.command(app.bot, "start"))
    assert telegram.texts()[0].startswith("👋 Welcome to Ruta MIPYME")
    await app.process_update(u.command(app.bot, "ayuda"))
    assert "How to use Ruta MIPYME" in telegram.texts()[-1]


async def test_start_and_help_stay_spanish_for_everyone_else(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await app.process_update(u.command(app.bot, "start"))
    assert "Bienvenido" in telegram.texts()[0]
    await say(app, "hola, I need a loan")  # mixed: Spanish
    await app.process_update(u.command(app.bot, "help"))
    assert "Cómo usar Ruta MIPYME" in telegram.texts()[-1]


async def test_back_to_spanish_after_english(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await say(app, "hello")
    assert (await services.remembered(u.USER_ID)).language == ENGLISH
    await say(app, "Belmopan")  # a place alone says nothing of the language: still English
    assert telegram.texts()[-1].startswith("📍 Got it: Belmopan")
    telegram.clear()
    await say(app, "mejor quiero un préstamo")
    assert "✅ Acceso a financiamiento" in telegram.texts()[0]
    assert (await services.remembered(u.USER_ID)).language == SPANISH


async def test_english_fallbacks_unknown_place_and_outside_the_region(
    app: BotApplication, telegram: FakeTelegram
) -> None:
    await say(app, "hello, I need a loan")
    assert telegram.asks_for_location()
    assert "Access to finance" in telegram.texts()[-1]
    telegram.clear()
    await say(app, "Miami")
    (outside,) = telegram.texts()
    assert "Central America and the Dominican Republic" in outside
    assert "«Miami» is outside" in outside and "CENPROMYPE" in outside
    assert telegram.asks_for_location()
    telegram.clear()
    await say(app, "Xyzqwbl, Belize")
    text, buttons = shown(telegram)
    assert "I do not know «Xyzqwbl»" in text and "Which district of Belize" in text
    telegram.clear()
    await press(app, button(buttons, "Cayo"))
    assert "✅ Access to finance" in telegram.texts()[0]


def test_list_buttons_are_built_and_parsed_by_callbacks_only() -> None:
    tag = callbacks.list_tag((3601903, 3601899), ("financiamiento",))
    known = frozenset({"financiamiento"})
    assert callbacks.parse(callbacks.place(3601903, tag), known) == callbacks.PlaceChosen(
        3601903, tag
    )
    assert callbacks.parse(callbacks.none_of_these(tag), known) == callbacks.NoneOfThese(tag)
    page = callbacks.department_page(16, tag)
    assert callbacks.parse(page, known) == callbacks.DepartmentPage(16, tag)
    assert callbacks.parse("place:3601903", known) == callbacks.PlaceChosen(3601903, None)
    for forged in ("place:1:", "place:1:ABCDEF12", "none:1234567", "dp:x:" + tag, "dp:8"):
        assert callbacks.parse(forged, known) is None, forged
    assert tag != callbacks.list_tag((3601903, 3601899), ())  # another need, another list
    assert max(len(d.encode()) for d in (callbacks.place(10**12 - 1, tag), page)) <= 64


# --- The language rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("I live in Belize City and need a loan", ENGLISH),
        ("hi", ENGLISH),
        ("where can I register my business in Orange Walk", ENGLISH),
        ("Thanks!", ENGLISH),
        ("I'm from Benque Viejo del Carmen", ENGLISH),  # «del» is part of the name
        ("soy de Orange Walk", SPANISH),
        ("hola, I need a loan", SPANISH),  # mixed: Spanish
        ("I need un préstamo", SPANISH),
        ("¿dónde queda?", SPANISH),
        ("soy de Danlí y ocupo un préstamo para mi pulpería", SPANISH),
        ("me interesa", ""),  # nothing English-only, nothing Spanish-only: the earlier one
        ("Orange Walk", ""),
        ("Santa Rosa de Copán", ""),
        ("ok", ""),
        ("2", ""),
        ("", ""),
    ],
)
def test_the_language_of_a_message(message: str, language: str) -> None:
    assert detect(message) == language


def test_no_spanish_message_of_the_eval_sets_reads_as_english() -> None:
    import json
    from pathlib import Path

    sets = sorted((Path(__file__).parents[2] / "shared" / "eval").glob("*_dev.jsonl"))
    if not sets:
        pytest.skip("the eval sets are not beside the project")
    for path in sets:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            assert detect(text) != ENGLISH, text


@pytest.mark.parametrize(
    ("message", "needs"),
    [
        ("I live in Belize City and need a loan", ("financiamiento",)),
        ("where can I register my business in Orange Walk", ("formalizacion",)),
        ("I want to register my brand", ("propiedad_intelectual",)),
        ("I need training and help with my business", ("capacitacion", "asesoria")),
        ("I don't need a loan, I need a website", ("digital",)),
        ("I want to start a business", ("emprendimiento",)),
        ("I want to export cacao and sell more", ("exportacion", "mercadeo")),
        ("help with accounting and taxes", ("finanzas",)),
        ("hello", ()),
    ],
)
def test_english_business_words(message: str, needs: tuple[str, ...]) -> None:
    assert english_needs(message) == needs


@pytest.mark.parametrize("unit", ["a", "I ", "¿", "loan ", "a" * 40 + " ", "\u00e9"])
def test_the_language_rule_reads_a_bounded_part_in_linear_time(unit: str) -> None:
    def cost(size: int) -> float:
        body = (unit * size)[:size]
        start = time.perf_counter()
        for _ in range(5):
            detect(body)
            english_needs(body)
        return time.perf_counter() - start

    cost(1024)  # warm-up
    small, large = cost(1024), cost(100_000)
    assert large < max(small * 8, 0.05)  # only the first 1,024 characters are read

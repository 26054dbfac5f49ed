"""Every message template renders with sample data: no missing value, escaped, within limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import texts
from bot.catalog import load_needs
from bot.dialogue import SmallTalk
from bot.domain.models import Agency, Center, Match, Place
from bot.replies import plain, render, reply_text
from bot.services import Outcome, OutcomeKind

NEEDS = load_needs()
LABELS = {n.slug: n.label for n in NEEDS}
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
PLACE = Place(3, "Danlí", "HN", "HN.07", "El Paraíso", 14.03, -86.58, 40000)
OTHER = Place(4, "San Marcos", "HN", "HN.14", "Ocotepeque", 14.4, -89.0, 9000)
HOSTILE = "<b>Centro & Cía</b>"
FULL = Center(
    id="hn-test",
    name=HOSTILE,
    country="HN",
    operator="Universidad <i>X</i>",
    city="Danlí",
    address="Barrio El Centro, 2 cuadras al sur del parque",
    phone="2763-0000",
    email="cde@example.org",
    website="https://example.org",
    hours="lunes a viernes, 8:00 a 16:00",
    lat=14.03,
    lon=-86.58,
    coord_precision="city",
    service_area=("HN.07",),
    services=("financiamiento", "asesoria", "capacitacion"),
    services_sourced=("asesoria",),
    source_date="2025-06",
    verified=True,
)
BARE = Center(id="hn-bare", name="CDE MIPYME Región Lempa", country="HN", service_area=("HN.10",))
AGENCY = Agency("HN", "SENPRENDE", "https://senprende.hn")


def match(center: Center, **kw: object) -> Match:
    fields: dict[str, object] = {
        "distance_km": 3.2,
        "serves_area": True,
        "offers_need": True,
        "matched_needs": ("financiamiento",),
    }
    fields.update(kw)
    return Match(center=center, **fields)  # type: ignore[arg-type]


def card(m: Match, **kw: object) -> str:
    args: dict[str, object] = {
        "main_need": "financiamiento",
        "area_center": "",
        "agency": AGENCY,
        "now": NOW,
    }
    args.update(kw)
    return texts.center_card(m, PLACE, LABELS, **args)  # type: ignore[arg-type]


def test_full_card_shows_every_known_field_escaped() -> None:
    html = card(match(FULL), max_lines=None)
    shown = plain(html)
    for value in (FULL.address, FULL.phone, FULL.email, FULL.hours, FULL.website, HOSTILE):
        assert value in shown
    assert "<b>Centro" not in html and "&lt;b&gt;Centro &amp; Cía" in html
    assert "✅ Acceso a financiamiento" in shown
    assert "✅ Atiende su departamento (El Paraíso)" in shown  # a sourced service area
    assert "Confirme antes de ir" not in shown  # verified, recent, sourced area
    assert "SENPRENDE" not in shown  # the center has its own contact


def test_bare_card_leaves_out_unknown_fields_and_names_the_agency() -> None:
    shown = plain(card(match(BARE, distance_km=None)))
    assert "no disponible" not in shown.replace("dirección exacta no disponible", "")
    assert "📞" not in shown and "✉️" not in shown and "🕘" not in shown
    assert "📍 Dirección no confirmada." in shown
    assert "consulte a SENPRENDE: 🌐 https://senprende.hn" in shown
    assert "Confirme antes de ir" in shown


def test_far_and_foreign_proposals_are_said_plainly() -> None:
    far = plain(card(match(FULL, serves_area=False, distance_km=210.0)))
    assert "A unos 210 km" in far and "Queda lejos" in far
    abroad = texts.center_card(
        match(FULL, serves_area=False, same_country=False),
        Place(9, "Managua", "NI", "NI.10", "Managua", 12.1, -86.2),
        LABELS,
        main_need=None,
        area_center="",
        agency=None,
        now=NOW,
    )
    assert "No tenemos registrado un centro en Nicaragua" in plain(abroad)


def test_card_says_when_the_departments_center_lacks_the_service() -> None:
    shown = plain(
        card(match(FULL, serves_area=False), area_center="CDE Región Lempa", max_lines=None)
    )
    assert (
        "El centro de su departamento (CDE Región Lempa) no registra «Acceso a financiamiento»"
        in shown
    )


@pytest.mark.parametrize("kind", list(OutcomeKind))
def test_every_outcome_renders_in_spanish_within_limits(kind: OutcomeKind) -> None:
    outcome = Outcome(
        kind,
        place=PLACE,
        needs=("financiamiento",),
        matches=(match(FULL), match(BARE, distance_km=None)),
        candidates=(PLACE, OTHER),
        query="San <Marcos>",
        agency=AGENCY,
        small_talk=SmallTalk.GREETING,
    )
    replies = render(outcome, NEEDS, NOW)
    assert replies
    for reply in replies:
        assert len(reply.text) <= 4096
        assert "{" not in reply.text and "}" not in reply.text  # no unfilled placeholder
        for row in reply.buttons:
            for button in row:
                assert len(button.data.encode()) <= 64 and button.label
    assert "<Marcos>" not in "".join(r.text for r in replies)
    assert reply_text(replies).strip()


def test_pages_of_more_centers_and_the_end_of_the_list() -> None:
    outcome = Outcome(
        OutcomeKind.ANSWER, place=PLACE, matches=(match(FULL), match(BARE)), offset=1
    )
    (page,) = render(outcome, NEEDS, NOW)
    assert plain(page.text).startswith("Más centros (2–2)")
    (end,) = render(
        Outcome(OutcomeKind.ANSWER, place=PLACE, matches=(match(FULL),), offset=5), NEEDS
    )
    assert end.text == texts.NO_MORE


@pytest.mark.parametrize("talk", list(SmallTalk))
def test_small_talk_answers(talk: SmallTalk) -> None:
    (reply,) = render(Outcome(OutcomeKind.SMALL_TALK, small_talk=talk), NEEDS)
    assert reply.text


def test_candidate_buttons_name_place_department_and_country() -> None:
    assert texts.candidate_button(OTHER) == "San Marcos · Ocotepeque · Honduras"


def test_fixed_messages_use_usted_not_tu() -> None:
    fixed = [v for k, v in vars(texts).items() if k.isupper() and isinstance(v, str)]
    for message in fixed:
        words = set(plain(message).casefold().replace("¿", " ").replace("?", " ").split())
        assert not words & {"tú", "tienes", "quieres", "necesitas", "escríbeme", "puedes"}, message


def test_long_messages_are_split_in_order_without_breaking_html() -> None:
    from bot.handlers.keyboards import split_text

    text = "cabecera\n" + ("<b>Café &amp; pan</b> " * 400) + "\nfinal"
    parts = split_text(text, limit=500)
    assert all(len(p) <= 500 for p in parts)
    assert parts[0] == "cabecera"
    assert parts[-1].endswith("final")
    for part in parts:
        assert part.rfind("<") < part.rfind(">") or "<" not in part  # no tag cut in two
        assert "&amp" not in part.replace("&amp;", "")  # no entity cut in two
    assert (
        "".join(p.replace(" ", "") for p in parts).replace("cabecera", "", 1).startswith("<b>Café")
    )


# --- English (Belize) ------------------------------------------------------------------------

SPANISH_WORDS = (
    "Atiende", "Confirme", "Lleve", "usted", "Ubicación", "Datos de", "Escríbame", "¿",
    "Habitual", "Ofrece", "Institución", "Ninguno", "Anteriores", "Cualquier", "Cambiar",
    "Detalles", "Reportar", "Más centros", "No conozco", "departamento",
)  # fmt: skip


@pytest.mark.parametrize("kind", list(OutcomeKind))
def test_every_outcome_renders_in_english_without_spanish(kind: OutcomeKind) -> None:
    outcome = Outcome(
        kind,
        place=PLACE,
        needs=("financiamiento",),
        matches=(match(FULL), match(BARE, distance_km=None)),
        candidates=(PLACE, OTHER),
        query="San <Marcos>",
        agency=AGENCY,
        regional=Agency("SICA", "CENPROMYPE", "https://www.cenpromype.org"),
        small_talk=SmallTalk.GREETING,
        language="en",
        country="HN",
    )
    replies = render(outcome, NEEDS, NOW)
    assert replies
    data = (FULL.address, FULL.hours, "Danlí (El Paraíso)", "El Paraíso", "Ocotepeque")
    for reply in replies:
        assert "{" not in reply.text and "}" not in reply.text
        shown = plain(reply.text)
        for value in data:  # the data stays as it is; the bot's words are English
            shown = shown.replace(value, "")
        labels = " ".join(b.label for row in reply.buttons for b in row)
        for word in SPANISH_WORDS:
            assert word not in shown and word not in labels, (word, shown)
        if reply.location_keyboard:
            assert reply.language == "en"
    assert "<Marcos>" not in "".join(r.text for r in replies)


def test_the_english_texts_mirror_the_spanish_ones() -> None:
    """Every member of `Texts` exists in both languages, and each template asks for the same
    values in both (mypy checks the types; this checks the placeholders)."""
    import inspect
    from string import Formatter

    from bot import texts_en

    members = set(texts.Texts.__annotations__) | {
        name for name, _ in inspect.getmembers(texts.Texts, inspect.isfunction)
    }
    assert len(members) > 80
    for name in members:
        spanish, english = getattr(texts, name), getattr(texts_en, name)
        assert callable(spanish) == callable(english), name
        if isinstance(spanish, str):
            fields = {f for _, f, _, _ in Formatter().parse(spanish) if f}
            assert fields == {f for _, f, _, _ in Formatter().parse(english) if f}, name
        if isinstance(spanish, dict):
            assert set(spanish) == set(english) or name == "NEED_LABELS", name
    assert set(texts_en.NEED_LABELS) == {n.slug for n in NEEDS}


def test_an_english_card_reads_hours_and_dates_in_english() -> None:
    from dataclasses import replace

    from bot.domain.hours import parse_hours, to_json
    from bot.domain.models import Fact

    weekly = to_json(parse_hours("lunes a viernes 8:00-12:00 y 13:00-17:00"))
    center = replace(
        FULL,
        hours_json=weekly,
        facts=(Fact("status", "announced", source_date="2025-12-14"),),
    )
    shown = plain(card(match(center), max_lines=None, lang=texts.EN))
    assert "Monday to Friday: 8:00 a.m. – 12:00 noon and 1:00 p.m. – 5:00 p.m." in shown
    assert "⚠️ Announced in December 2025" in shown
    assert "✅ Serves your department (El Paraíso)." in shown
    assert "🎒 Bring your DNI and, if you have one, your RTN, and basic facts" in shown


def test_department_buttons_and_the_department_question() -> None:
    capitals = (
        Place(1, "Flores", "GT", "GT.12", "Petén", 16.9, -89.9),
        Place(2, "Cobán", "GT", "GT.01", "Alta Verapaz", 15.5, -90.4),
    )
    assert texts.department_buttons(capitals) == ["Petén", "Alta Verapaz"]
    twins = (capitals[0], Place(3, "San Benito", "GT", "GT.99", "Petén", 16.9, -89.9))
    assert texts.department_buttons(twins) == ["Petén (Flores)", "Petén (San Benito)"]
    assert "¿En qué provincia o comarca de Panamá está?" in texts.departments_question(
        "PA", 1, 8, 13
    )
    assert "Which district of Belize are you in?" in texts.EN.departments_question("BZ", 1, 6, 6)

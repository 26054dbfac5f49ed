"""Every message template renders with sample data: no missing value, escaped, within limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import texts
from bot.catalog import load_needs
from bot.domain.models import Agency, Center, Match, Place
from bot.replies import plain, render, reply_text
from bot.services import Outcome, OutcomeKind, SmallTalk

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

"""Honest cards: what a source says reads differently from what is inferred or assumed, every
line carries its own source's caveats, and the card stays short on a small phone."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot import callbacks, texts
from bot.catalog import load_needs
from bot.config import DATA_DIR
from bot.db.seed import read_agencies, read_center_facts
from bot.domain.models import Agency, Center, Fact, Match, Place
from bot.replies import details_view, plain, render
from bot.services import Outcome, OutcomeKind

NEEDS = load_needs()
LABELS = {n.slug: n.label for n in NEEDS}
NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
DANLI = Place(3, "Danlí", "HN", "HN.07", "El Paraíso", 14.03, -86.58, 40000)
CHOLUTECA = Place(5, "Choluteca", "HN", "HN.02", "Choluteca", 13.3, -87.19, 75000)
NACAOME = Place(6, "Nacaome", "HN", "HN.17", "Valle", 13.53, -87.49, 20000)
LIBERIA = Place(7, "Liberia", "CR", "CR.03", "Guanacaste", 10.63517, -85.43779, 45000)
BELMOPAN = Place(8, "Belmopan", "BZ", "BZ.02", "Cayo", 17.25, -88.77, 13000)
KANKINTU = Place(9, "Kankintú", "PA", "PA.12", "Ngäbe-Buglé", 8.85, -81.8, 3000)
BILWI = Place(10, "Bilwi", "NI", "NI.17", "Costa Caribe Norte", 14.03, -83.38, 60000)
SENPRENDE = Agency("HN", "SENPRENDE (Servicio Nacional de Emprendimiento)", "https://senprende.hn")
CORE = ("emprendimiento", "asesoria", "capacitacion", "financiamiento", "formalizacion")
CUTS = Fact(
    "status",
    "funding_cuts_2025",
    source_url="https://www.care.org/x",
    source_date="2025",
    confidence="third-party",
)
PARAISO = Center(
    id="hn-cde-el-paraiso",
    name="CDE MIPYME Región El Paraíso",
    country="HN",
    service_area=("HN.07",),
    service_area_inferred=True,
    services=CORE,
    services_sourced=("emprendimiento", "financiamiento"),
    source_url="http://radioamericahn.net/x",
    source_date="2017-05",
    facts=(Fact("source", source_url="http://radioamericahn.net/x", confidence="news"), CUTS),
)


def match(center: Center, **kw: object) -> Match:
    fields: dict[str, object] = {
        "distance_km": None,
        "serves_area": True,
        "offers_need": True,
        "matched_needs": ("financiamiento",),
    }
    fields.update(kw)
    return Match(center=center, **fields)  # type: ignore[arg-type]


def card(m: Match, place: Place = DANLI, **kw: object) -> str:
    args: dict[str, object] = {
        "main_need": "financiamiento",
        "area_center": m.center.name if m.serves_area else "",
        "agency": SENPRENDE,
        "now": NOW,
    }
    args.update(kw)
    return plain(texts.center_card(m, place, LABELS, **args))  # type: ignore[arg-type]


# --- service areas: sourced or inferred -----------------------------------------------------


def test_a_sourced_service_area_is_stated_an_inferred_one_is_probable() -> None:
    sourced = replace(PARAISO, service_area_inferred=False)
    assert "✅ Atiende su departamento (El Paraíso)." in card(match(sourced))
    inferred = card(match(PARAISO))
    assert "🧭 Por su región, probablemente atiende su departamento (El Paraíso)." in inferred
    assert "✅ Atiende" not in inferred


def test_a_department_a_source_names_reads_as_sourced_in_a_mixed_area() -> None:
    golfo = replace(
        PARAISO,
        service_area=("HN.02", "HN.17"),
        facts=(Fact("service_area", "HN.02", source_date="2021-01-22", confidence="news"),),
    )
    assert "✅ Atiende su departamento (Choluteca)" in card(match(golfo), CHOLUTECA)
    assert "probablemente atiende su departamento (Valle)" in card(match(golfo), NACAOME)


# --- services: offered per a source, or assumed from the network ------------------------------


def test_sourced_services_are_offered_and_the_networks_usual_ones_shown_apart() -> None:
    shown = card(match(PARAISO), max_lines=None)
    offered = next(line for line in shown.split("\n") if line.startswith("🧰"))
    usual = next(line for line in shown.split("\n") if line.startswith("🧩"))
    assert offered.startswith("🧰 Ofrece, según sus fuentes: ✅ Acceso a financiamiento")
    assert "Emprendimiento" in offered and "Capacitación" not in offered
    assert usual.startswith("🧩 Habitual en la red, sin confirmar en este centro:")
    assert "Capacitación y talleres" in usual and "financiamiento" not in usual


def test_an_assumed_need_is_marked_among_the_usual_services() -> None:
    shown = card(match(PARAISO, matched_needs=("capacitacion",)), main_need="capacitacion")
    usual = next(line for line in shown.split("\n") if line.startswith("🧩"))
    assert "✅ Capacitación y talleres" in usual


# --- cautions and each line's own source ------------------------------------------------------


def test_what_changes_what_to_do_reaches_the_card_as_a_caution() -> None:
    shown = card(match(PARAISO))
    assert "⚠️ Tras los recortes de fondos de 2025 no sabemos si sigue atendiendo" in shown
    confirmed = replace(PARAISO, confirmed_at=NOW)  # its staff confirmed the listing since
    assert "recortes" not in card(match(confirmed))
    announced = replace(PARAISO, facts=(Fact("status", "announced", source_date="2025-12-14"),))
    assert "⚠️ Anunciado en diciembre de 2025: no sabemos si ya abrió." in card(match(announced))


def test_a_contact_carries_the_label_its_source_gives() -> None:
    isa = Center(
        id="do-isa",
        name="Centro MIPYMES ISA",
        country="DO",
        phone="809-247-2000",
        email="info@isa.edu.do",
        source_date="2022",
        facts=(
            Fact("source", confidence="third-party"),
            Fact("phone", "809-247-2000", "host_switchboard", source_date="2022"),
            Fact("email", "info@isa.edu.do", "host_email", source_date="2022"),
        ),
    )
    shown = card(match(isa, serves_area=False, distance_km=4.0), main_need=None)
    assert "📞 809-247-2000 (central de la institución que lo aloja, no del centro)" in shown
    assert "✉️ info@isa.edu.do (correo general de la institución que lo aloja)" in shown
    # a value staff changed since is no longer described by that fact
    changed = replace(isa, phone="809-555-0101")
    assert "📞 809-555-0101\n" in card(match(changed, serves_area=False, distance_km=4.0)) + "\n"


def test_a_field_dated_apart_from_the_row_shows_its_own_date() -> None:
    sula = replace(
        PARAISO,
        address="Universidad Tecnológica de Honduras (UTH)",
        source_date="2020-12",
        facts=(
            Fact("source", confidence="news"),
            Fact(
                "address", "Universidad Tecnológica de Honduras (UTH)", "host_office", "", "2015"
            ),
        ),
    )
    shown = card(match(sula))
    assert (
        "📍 Universidad Tecnológica de Honduras (UTH) (allí tenía su oficina; dato de 2015: "
        "confirme)" in shown
    )


def test_third_party_and_undated_facts_come_with_a_word_of_caution() -> None:
    univo = Center(
        id="sv-univo",
        name="CDMYPE UNIVO",
        country="SV",
        phone="2661 7930",
        service_area=("SV.09",),
        source_date="2021",
        verified=True,
        facts=(
            Fact("source", confidence="news", source_date="2021"),
            Fact("phone", "2661 7930", confidence="third-party"),
        ),
    )
    san_miguel = Place(11, "San Miguel", "SV", "SV.09", "San Miguel", 13.48, -88.18)
    shown = card(match(univo), san_miguel, main_need=None)
    assert "📞 2661 7930 (fuente no oficial; sin fecha)" in shown
    creapyme = Center(
        id="cr-creapyme-liberia",
        name="Centro CREAPYME Liberia",
        country="CR",
        city="Liberia",
        lat=10.63517,
        lon=-85.43779,
        facts=(Fact("source", confidence="third-party"),),
    )
    shown = card(match(creapyme, serves_area=False, distance_km=0.2), LIBERIA, main_need=None)
    assert "🗓️ Datos de una fuente no oficial, sin fecha. Confirme antes de ir." in shown


# --- short on a small phone, the rest behind «Detalles» ---------------------------------------


def test_the_card_stays_within_ten_lines_and_the_rest_waits_behind_details() -> None:
    big = replace(
        PARAISO,
        operator="Universidad de ejemplo, con la Secretaría de Desarrollo Económico",
        address="Barrio El Centro",
        phone="2763-0000",
        email="cde@example.org",
        website="https://example.org",
    )
    shown = card(match(big))
    assert len(shown.split("\n")) <= texts.MAX_CARD_LINES
    for value in ("Barrio El Centro", "2763-0000", "cde@example.org", "https://example.org"):
        assert value in shown  # contacts always stay
    assert "recortes" in shown and "Confirme antes de ir" in shown  # so do the cautions
    (sheet,) = details_view(big, NEEDS, SENPRENDE, now=NOW)
    details = plain(sheet.text)
    assert "Universidad de ejemplo" in details
    assert "🧩 Habitual en la red, sin confirmar en este centro" in details
    assert "🎒 Lleve su DNI" in details


def test_the_answer_has_a_details_button_built_and_parsed_in_one_place() -> None:
    outcome = Outcome(OutcomeKind.ANSWER, place=DANLI, needs=("financiamiento",),
                      matches=(match(PARAISO),), agency=SENPRENDE)  # fmt: skip
    replies = render(outcome, NEEDS, NOW)
    data = [b.data for r in replies for row in r.buttons for b in row]
    assert callbacks.details(PARAISO.id) in data
    longest = "x" + "-a" * 20  # the longest id CENTER_ID allows (41 characters)
    assert len(callbacks.details(longest).encode()) <= callbacks.MAX_BYTES
    assert callbacks.parse(callbacks.details(longest), frozenset()) == callbacks.CenterDetails(
        longest
    )
    for forged in ("det:", "det:../x", "det:A-B", "det:" + "a" * 60, "det:a:b"):
        assert callbacks.parse(forged, frozenset()) is None, forged


# --- words and documents of each country --------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "word"),
    [
        (DANLI, "departamento"),
        (LIBERIA, "provincia"),
        (BELMOPAN, "distrito"),
        (KANKINTU, "comarca"),
        (BILWI, "región autónoma"),
    ],
)
def test_each_country_names_its_own_divisions(place: Place, word: str) -> None:
    center = Center(id="x", name="Centro", country=place.country, service_area=(place.admin1,))
    assert f"✅ Atiende su {word} ({place.admin_name})." in card(match(center), place)
    inferred = replace(center, service_area_inferred=True)
    assert f"probablemente atiende su {word} ({place.admin_name})" in card(match(inferred), place)
    far = card(match(center, serves_area=False, distance_km=30.0), place, area_center="")
    assert f"No consta qué centro atiende su {word} ({place.admin_name})." in far
    nowhere = card(match(Center(id="y", name="Otro", country=place.country), serves_area=False))
    assert "Ubicación no confirmada" in nowhere


@pytest.mark.parametrize(
    ("country", "document"),
    [
        ("HN", "su DNI y, si lo tiene, su RTN, y datos básicos"),
        ("SV", "su DUI y datos básicos"),
        ("DO", "su cédula y datos básicos"),
        ("GT", "su documento de identidad y datos básicos de su negocio"),
        ("NI", "su documento de identidad y datos básicos de su negocio"),
        ("CR", "su documento de identidad y datos básicos de su negocio"),
        ("PA", "su documento de identidad y datos básicos de su negocio"),
        ("BZ", "su documento de identidad y datos básicos de su negocio"),
    ],
)
def test_the_documents_to_bring_are_named_per_country(country: str, document: str) -> None:
    line = texts.what_to_bring(country)
    assert line.startswith(f"🎒 Lleve {document}")
    if country != "HN":
        assert "DNI" not in line and "RTN" not in line


# --- where no center of the country can be ranked ---------------------------------------------


def test_no_centers_names_the_agency_with_its_known_contacts_and_cenpromype() -> None:
    agencies = {a.country: a for a in read_agencies(DATA_DIR / "agencies.csv")}
    david = Place(12, "David", "PA", "PA.02", "Chiriquí", 8.43, -82.43)
    text = plain(texts.no_centers(david, agencies["PA"], agencies["SICA"], (), TODAY))
    assert "AMPYME" in text
    assert "📞 500-5500 (dato de 2011: confirme)" in text  # an old phone, said so
    assert "🌐 www.ampyme.gob.pa (dato de 2011: confirme)" in text
    assert "CENPROMYPE" in text and "🌐 https://www.cenpromype.org" in text
    assert "Calle Circunvalación No. 294, San Salvador" in text
    managua = Place(13, "Managua", "NI", "NI.10", "Managua", 12.13, -86.25)
    text = plain(texts.no_centers(managua, agencies["NI"], agencies["SICA"], (), TODAY))
    assert "Ministerio para la Promoción de Emprendimientos" in text
    assert "No tenemos un contacto confirmado" in text
    assert "MEFCCA" not in text


def test_the_data_files_read_into_agencies_with_each_fields_source() -> None:
    agencies = {a.country: a for a in read_agencies(DATA_DIR / "agencies.csv")}
    assert set(agencies) == {"HN", "SV", "GT", "NI", "CR", "PA", "DO", "BZ", "SICA"}
    cr = agencies["CR"]
    assert (cr.email, cr.city, cr.website) == ("siec@meic.go.cr", "Tibás", "")
    email = cr.fact_for("email")
    assert email is not None and email.confidence == "third-party" and email.undated
    assert agencies["SICA"].regional and not agencies["HN"].regional
    assert agencies["HN"].source_date == "2022" and agencies["HN"].confidence == "official"


def test_every_code_in_the_data_has_its_spanish() -> None:
    facts = read_center_facts(DATA_DIR / "center_facts.csv")
    for center_facts in facts.values():
        for fact in center_facts:
            if fact.field == "status":
                assert fact.value in texts.CAUTIONS, fact
            assert not fact.label or fact.label in texts.FACT_LABELS, fact
    with (DATA_DIR / "agencies.csv").open(encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            assert not record["label"] or record["label"] in texts.FACT_LABELS, record

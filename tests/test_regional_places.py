"""Places of the whole region: the eight countries read alike, whatever the case or accents.

What is known of the user comes first (a country the message names, then the remembered
country, then the home country, the tie-breaker between namesakes of comparable size); a
namesake abroad ten times larger is offered, never dropped; countries, departments and
provinces of all eight are understood; a name the gazetteer lacks is never bent into a place
that shares part of it; places outside the region get an answer of their own.
"""

from __future__ import annotations

import time

import pytest

from bot.domain.gazetteer import Gazetteer
from bot.domain.location import MAX_CANDIDATES, locate_point, resolve_location
from bot.domain.models import Place
from bot.domain.text import fold
from bot.geo import load_gazetteer
from tests.support.places import AMBIGUOUS, FOUND, MISSING, NOT_FOUND
from tests.support.places import found as _found
from tests.support.places import plain as _plain


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _unique_places(gaz: Gazetteer) -> list[Place]:
    """Places whose name means nothing else in the gazetteer (no namesake, no department)."""
    out = []
    for p in gaz.places:
        m = gaz.lookup(fold(p.name))
        if len({q.id for q in m.places}) == 1 and not m.departments and not m.country:
            out.append(p)
    return out


# ---------------------------------------------------------------- names in any case and place


@pytest.mark.parametrize(
    "template", ["soy de {}", "estoy en {}", "{}", "vivo en {} y ocupo un préstamo"]
)
def test_every_unique_name_is_found_in_lower_case(gaz: Gazetteer, template: str) -> None:
    places = _unique_places(gaz)
    assert len(places) > 1500
    missed = [
        p.name for p in places if resolve_location(template.format(_plain(p.name)), gaz).place != p
    ]
    assert len(missed) <= len(places) // 100, missed[:20]  # «gracias» alone is a thank-you


def test_names_before_the_need_are_found(gaz: Gazetteer) -> None:
    places = _unique_places(gaz)
    missed = [
        p.name
        for p in places
        if resolve_location(f"{_plain(p.name)}, quiero un crédito", gaz).place != p
    ]
    assert len(missed) <= len(places) // 100, missed[:20]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Managua, quiero un crédito", "Managua", "NI"),
        ("quiero un crédito en managua", "Managua", "NI"),
        ("soy de puerto plata", "Puerto Plata", "DO"),
        ("jinotepe necesito capacitacion", "Jinotepe", "NI"),
        ("DIRIAMBA, quiero exportar", "Diriamba", "NI"),
        ("necesito llevar mis cuentas, estoy en texistepeque", "Texistepeque", "SV"),
        ("ocupo asesoria en guayacanes", "Guayacanes", "DO"),
        ("maskall ocupo un préstamo", "Maskall", "BZ"),
        ("somos de chan pine ridge", "Chan Pine Ridge", "BZ"),
        ("aquí en Zacualpa", "Zacualpa", "GT"),
        ("vivo en san bartolome jocotenango", "San Bartolomé Jocotenango", "GT"),
        ("mi negocio está en los amates", "Los Amates", "GT"),
        ("desde rancho arriba", "Rancho Arriba", "DO"),
        ("somos de sabana del puerto", "Sabana del Puerto", "DO"),
        ("quiero vender por internet, estoy en Chigoré", "Chigoré", "PA"),
        ("me encuentro en san jose soccoths", "San Jose Soccoths", "BZ"),
    ],
)
def test_places_of_the_region_anywhere_in_the_message(
    gaz: Gazetteer, text: str, name: str, country: str
) -> None:
    place = _found(resolve_location(text, gaz))
    assert (place.name, place.country) == (name, country)


@pytest.mark.parametrize(
    "text",
    [
        "muchas gracias",
        "queremos vender juntas en la feria",
        "necesito el plan de negocios",
        "el plan de negocios",
        "necesito un préstamo para mi tienda",
        "trabajo en el banco y quiero emprender",
        "estoy en el banco haciendo fila",
        "estoy en el puerto descargando la mercadería",
        "trabajo en sociedad con mi hermano",
        "mi negocio está en progreso",
        "estamos en la etapa de idea",
        "la unión hace la fuerza, queremos una cooperativa",
        "quiero un crédito en dólares",
        "estoy en la playa con mi familia, quiero un crédito",
        "tengo esperanza en mi negocio",
        "me llamo Esperanza y quiero un crédito",
        "soy de aquí",
        "quiero exportar a guatemala",
        "quiero exportar a Miami",
        "tengo clientes en Costa Rica",
    ],
)
def test_a_place_word_in_a_sentence_about_something_else_is_not_a_place(
    gaz: Gazetteer, text: str
) -> None:
    assert resolve_location(text, gaz).status is MISSING


# ---------------------------------------------------------------- place, department or country


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Santiago, RD", "Santiago de los Caballeros", "DO.25"),
        ("soy de Santiago, R.D.", "Santiago de los Caballeros", "DO.25"),
        ("vivo en santiago rep. dom.", "Santiago de los Caballeros", "DO.25"),
        ("soy de San Cristóbal, República Dominicana", "San Cristóbal", "DO.33"),
        ("vivo en Liberia CR", "Liberia", "CR.03"),
        ("soy de Santa Cruz, Costa Rica", "Santa Cruz", "CR.03"),
        ("Catarina, guate", "Catarina", "GT.17"),
        ("soy de Santa Ana de Guate", "Santa Ana", "GT.12"),
        ("Granada, Nica", "Granada", "NI.06"),
        ("vivo en san marcos nicaragua", "San Marcos", "NI.02"),
        ("San Miguel, El Salva", "San Miguel", "SV.09"),
        ("Colón, Panamá", "Colón", "PA.04"),
        ("Orange Walk, Belize", "Orange Walk", "BZ.04"),
        ("San Ignacio, Belice", "San Ignacio", "BZ.02"),
        ("Yorito, Honduras", "Yorito", "HN.18"),
        ("soy de Santa Elena, Belice", "Santa Elena", "BZ.02"),
        ("soy de La Unión, El Salvador", "La Unión", "SV.07"),
        ("estoy en Llano Grande, provincia de Coclé", "Llano Grande", "PA.03"),
        ("ando en san jose orange walk", "San Jose", "BZ.04"),
        ("San Juan, Chiriquí", "San Juan", "PA.02"),
    ],
)
def test_place_with_its_department_or_country(
    gaz: Gazetteer, text: str, name: str, admin1: str
) -> None:
    place = _found(resolve_location(text, gaz))
    assert (place.name, place.admin1) == (name, admin1)


@pytest.mark.parametrize(
    ("text", "capital", "admin1"),
    [
        ("soy del departamento de Guatemala", "Guatemala City", "GT.07"),
        ("Guatemala, Guatemala", "Guatemala City", "GT.07"),
        ("vivo en la provincia de Panamá", "Panama City", "PA.08"),
        ("Panamá, Panamá", "Panama City", "PA.08"),
        ("Belize district", "Belize City", "BZ.01"),
        ("vivo en Cayo District", "San Ignacio", "BZ.02"),
        ("Petén", "Flores", "GT.12"),
        ("soy de peten", "Flores", "GT.12"),
        ("soy de la provincia de Chiriquí", "David", "PA.02"),
        ("vivo en la provincia de limón", "Limón", "CR.06"),
        ("somos de Chontales", "Juigalpa", "NI.04"),
        ("departamento de Chalatenango", "Chalatenango", "SV.03"),
        ("soy de Alta Verapaz", "Cobán", "GT.01"),
        ("soy de la provincia de La Altagracia", "Salvaleón de Higüey", "DO.10"),
        ("estoy en el departamento de Olancho", "Juticalpa", "HN.15"),
    ],
)
def test_departments_and_provinces_mean_their_capital(
    gaz: Gazetteer, text: str, capital: str, admin1: str
) -> None:
    place = _found(resolve_location(text, gaz))
    assert (place.name, place.admin1) == (capital, admin1)


def test_every_department_of_the_eight_countries_is_understood(gaz: Gazetteer) -> None:
    for key, name in gaz.departments().items():
        country = key.split(".")[0]
        result = resolve_location(f"estoy en el departamento de {name}", gaz)
        assert _found(result).admin1 in gaz.department_keys(name), (key, name)
        # a department shared by two countries (La Paz, Colón): the home one, or the one of
        # the country the message names
        result = resolve_location(f"departamento de {name}, {gaz.country_name(country)}", gaz)
        assert _found(result).admin1 == key, (key, name)


@pytest.mark.parametrize(
    ("text", "country", "first"),
    [
        ("soy de Guatemala", "GT", "Guatemala City"),
        ("estoy en Costa Rica", "CR", "San José"),
        ("vivo en panama", "PA", "Panama City"),
        ("somos de Nicaragua", "NI", "Managua"),
        ("soy de la República Dominicana", "DO", "Santo Domingo"),
        ("vivo en Belice", "BZ", "Belize City"),
        ("soy de El Salvador", "SV", "San Salvador"),
        ("soy de Honduras", "HN", "Tegucigalpa"),
    ],
)
def test_a_country_alone_offers_its_department_capitals(
    gaz: Gazetteer, text: str, country: str, first: str
) -> None:
    result = resolve_location(text, gaz)
    assert result.status is AMBIGUOUS
    assert result.country == country
    assert 2 <= len(result.candidates) <= MAX_CANDIDATES
    assert result.candidates[0].name == first
    assert {p.country for p in result.candidates} == {country}
    assert all(gaz.capital(p.admin1) == p for p in result.candidates)
    sizes = [p.population for p in result.candidates]
    assert sizes == sorted(sizes, reverse=True)


# ---------------------------------------------------------------- namesakes across countries


@pytest.mark.parametrize(
    ("text", "largest"),
    [
        ("Zacapa", ("Zacapa", "GT")),
        ("vivo en Villa Nueva", ("Villa Nueva", "GT")),
        ("soy de Salamá", ("Salamá", "GT")),
        ("estoy en Santa Ana", ("Santa Ana", "SV")),
        ("soy de Veracruz", ("Veracruz", "PA")),
    ],
)
def test_a_namesake_abroad_ten_times_larger_is_offered_first(
    gaz: Gazetteer, text: str, largest: tuple[str, str]
) -> None:
    result = resolve_location(text, gaz, "HN")
    assert result.status is AMBIGUOUS
    assert (result.candidates[0].name, result.candidates[0].country) == largest
    assert any(p.country == "HN" for p in result.candidates)  # the home one stays


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("soy de San Rafael", "HN.13"),  # Costa Rica's is not ten times larger
        ("vivo en Colón", "HN.03"),  # the department of Honduras
        ("soy de Armenia", "HN.18"),  # in Honduras for a Honduran deployment...
    ],
)
def test_home_country_breaks_ties_between_comparable_namesakes(
    gaz: Gazetteer, text: str, admin1: str
) -> None:
    if admin1 == "HN.18":  # ...unless the one abroad is ten times larger: Armenia, SV
        result = resolve_location(text, gaz, "HN")
        assert result.status is AMBIGUOUS
        assert result.candidates[0].country == "SV"
        return
    assert _found(resolve_location(text, gaz, "HN")).admin1 == admin1


def test_el_paraiso_stays_honduran_for_a_honduran_deployment(gaz: Gazetteer) -> None:
    result = resolve_location("soy de El Paraíso", gaz, "HN")
    chosen = [result.place] if result.place else list(result.candidates)
    assert chosen[0].country == "HN"
    assert _found(resolve_location("soy del Paraíso, El Paraíso", gaz, "HN")).admin1 == "HN.07"
    assert _found(resolve_location("soy de El Paraíso, El Salvador", gaz)).admin1 == "SV.03"


def test_the_remembered_country_comes_before_the_home_country(gaz: Gazetteer) -> None:
    result = resolve_location("ando en San Marcos", gaz, "HN", prefer_country="GT")
    assert (_found(result).name, _found(result).country) == ("San Marcos", "GT")
    result = resolve_location("estoy en Santa Ana", gaz, "HN", prefer_country="SV")
    assert _found(result).admin1 == "SV.11"
    # a country the message names comes first of all
    result = resolve_location("ando en San Marcos, Nicaragua", gaz, "HN", prefer_country="GT")
    assert _found(result).country == "NI"


def test_choice_lists_take_every_country_and_no_twin_buttons(gaz: Gazetteer) -> None:
    for text in ["ando en San Marcos", "soy de San José", "vivo en santa cruz", "San Juan"]:
        result = resolve_location(text, gaz, "HN")
        assert result.status is AMBIGUOUS, text
        assert len(result.candidates) <= MAX_CANDIDATES
        labels = [(fold(p.name), p.admin1, p.country) for p in result.candidates]
        assert len(labels) == len(set(labels)), text
        assert len({p.country for p in result.candidates}) >= 2, text
        sizes = [p.population for p in result.candidates]
        assert sizes == sorted(sizes, reverse=True)


def test_a_name_that_is_unique_abroad_is_found(gaz: Gazetteer) -> None:
    assert _found(resolve_location("somos de Bluefields", gaz, "HN")).country == "NI"
    assert _found(resolve_location("desde constanza", gaz, "HN")).country == "DO"


# ---------------------------------------------------------------- names the gazetteer lacks


@pytest.mark.parametrize(
    "text",
    [
        "me encuentro en san juan talpa",
        "ando en SAN LUIS LA HERRADURA",
        "soy de San Miguel Tepezontes",
        "vivo en Santa María Ostuma",
        "desde San Antonio Los Ranchos",
        "soy de San Luis del Carmen",
        "vivo en san francisco chinameca",
    ],
)
def test_a_longer_unknown_name_is_not_the_place_it_starts_with(gaz: Gazetteer, text: str) -> None:
    result = resolve_location(text, gaz)
    assert result.status is NOT_FOUND
    assert len(result.query.split()) >= 3  # the whole name, as written


@pytest.mark.parametrize(
    ("text", "query", "country"),
    [
        ("San Juan Talpa, El Salvador", "San Juan Talpa", "SV"),
        ("soy de San Miguel Tepezontes, departamento de La Paz", "San Miguel Tepezontes", ""),
        ("San Emigdio, El Salvador", "San Emigdio", "SV"),
        ("vivo en San Emigdio de Guatemala", "San Emigdio", "GT"),
        ("soy de Talpa, departamento de Sonsonate", "Talpa", "SV"),
        ("soy de Danlí, Guatemala", "Danlí", "GT"),  # none of that name there
    ],
)
def test_an_unknown_name_keeps_the_country_the_message_names(
    gaz: Gazetteer, text: str, query: str, country: str
) -> None:
    result = resolve_location(text, gaz)
    assert result.status is NOT_FOUND
    assert (result.query, result.country) == (query, country)


def test_a_known_name_followed_by_ordinary_words_is_still_found(gaz: Gazetteer) -> None:
    assert _found(resolve_location("vivo en San Juan Opico", gaz)).admin1 == "SV.05"
    for text in ["vivo en san luis cerca del rio", "soy de San Luis y ocupo un préstamo"]:
        assert resolve_location(text, gaz).status in (FOUND, AMBIGUOUS), text


# ---------------------------------------------------------------- outside the region


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("soy de Madrid", "Madrid"),
        ("vivo en Miami", "Miami"),
        ("Mexico City", "Mexico City"),
        ("estoy en la ciudad de México, quiero exportar", "ciudad de México"),
        ("vivo en Estados Unidos", "Estados Unidos"),
    ],
)
def test_a_place_outside_the_region_is_explained(gaz: Gazetteer, text: str, query: str) -> None:
    result = resolve_location(text, gaz)
    assert result.status is NOT_FOUND
    assert result.outside_region is True
    assert result.query == query


def test_a_region_name_wins_over_a_city_abroad(gaz: Gazetteer) -> None:
    assert _found(resolve_location("soy de Arizona", gaz)).country == "HN"  # Atlántida


@pytest.mark.parametrize(("lat", "lon"), [(40.4168, -3.7038), (25.7617, -80.1918)])
def test_a_shared_point_outside_the_region_is_explained(
    gaz: Gazetteer, lat: float, lon: float
) -> None:
    result = locate_point(lat, lon, gaz)
    assert result.status is NOT_FOUND
    assert result.outside_region is True
    typed = resolve_location(f"{lat}, {lon}", gaz)
    assert typed.outside_region is True


def test_a_point_in_the_region_is_found_in_its_country(gaz: Gazetteer) -> None:
    place = _found(locate_point(12.1364, -86.2514, gaz))  # Managua
    assert place.country == "NI"


# ---------------------------------------------------------------- typos


def test_an_exact_name_abroad_wins_over_a_typo_of_a_home_name(gaz: Gazetteer) -> None:
    assert _found(resolve_location("soy de gualaca", gaz)).country == "PA"  # not Gualaco
    assert _found(resolve_location("vivo en comasagua", gaz)).country == "SV"  # not Comayagua
    assert _found(resolve_location("soy de intipuca", gaz)).country == "SV"  # not Intibucá


def test_a_typo_never_crosses_a_country_the_message_names(gaz: Gazetteer) -> None:
    assert _found(resolve_location("vivo en Managau, Nicaragua", gaz)).name == "Managua"
    result = resolve_location("vivo en Comayagau, El Salvador", gaz)
    assert result.place is None or result.place.country == "SV"
    assert result.status is NOT_FOUND
    assert result.country == "SV"
    assert _found(resolve_location("soy de Siguatepque", gaz)).country == "HN"


# ---------------------------------------------------------------- contract and speed


def test_callers_without_the_new_argument_keep_working(gaz: Gazetteer) -> None:
    assert _found(resolve_location("soy de Danlí", gaz)).name == "Danlí"
    assert _found(resolve_location("soy de Danlí", gaz, "HN")).name == "Danlí"
    assert _found(resolve_location("soy de Danlí", gaz, "HN", "")).name == "Danlí"


def test_resolving_regional_messages_is_fast(gaz: Gazetteer) -> None:
    texts = [
        "quiero formalizar mi negocio, estoy en santa catarina ixtahuacan",
        "San Juan Talpa, El Salvador",
        "soy de Guatemala y quiero exportar a Honduras",
        "necesito el registro sanitario en las matas de farfan",
        "hola buenas tardes, tengo una pulpería y ocupo un préstamo para mi tienda",
    ] * 40
    started = time.perf_counter()
    for text in texts:
        resolve_location(text, gaz)
    assert (time.perf_counter() - started) * 1000 / len(texts) < 5

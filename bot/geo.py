"""I/O side of places: loading the gazetteer files and an optional online geocoder."""

from __future__ import annotations

import csv
import logging
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from bot.domain.gazetteer import COUNTRY_NAMES, Gazetteer
from bot.domain.models import Place
from bot.domain.text import fold

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COUNTRIES: tuple[str, ...] = tuple(COUNTRY_NAMES)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load data/places.tsv (and admin1.csv beside it); cached per resolved path."""
    return _load(Path(path or DATA_DIR / "places.tsv").resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Gazetteer:
    with path.open(encoding="utf-8", newline="") as f:
        places = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    admin1_path = path.parent / "admin1.csv"
    admin1: list[dict[str, str]] = []
    if admin1_path.exists():
        with admin1_path.open(encoding="utf-8", newline="") as f:
            admin1 = list(csv.DictReader(f))
    return Gazetteer.from_rows(places, admin1)


class Geocoder(Protocol):
    """Finds a place by name online; services call it through asyncio.to_thread."""

    def geocode(self, name: str, countries: Sequence[str]) -> Place | None: ...


class NominatimGeocoder:
    """OpenStreetMap Nominatim through geopy: rate limited (1 request/s) and cached in memory.

    ``geocoder`` may be any object with geopy's ``geocode(query, **kwargs)`` signature (tests
    inject a fake one); by default a ``geopy.geocoders.Nominatim`` with ``user_agent``.
    """

    def __init__(
        self,
        user_agent: str,
        gazetteer: Gazetteer,
        *,
        geocoder: Any | None = None,
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
    ) -> None:
        if geocoder is None:
            from geopy.geocoders import Nominatim  # type: ignore[import-untyped]

            geocoder = Nominatim(user_agent=user_agent, timeout=timeout)
        from geopy.extra.rate_limiter import RateLimiter  # type: ignore[import-untyped]

        self._gazetteer = gazetteer
        self._geocode: Callable[..., Any] = RateLimiter(
            geocoder.geocode, min_delay_seconds=min_delay_seconds, swallow_exceptions=False
        )
        self._cache: dict[tuple[str, tuple[str, ...]], Place | None] = {}
        self._lock = threading.Lock()

    def _key(self, name: str, countries: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        codes = tuple(sorted({c.upper() for c in countries} & set(COUNTRIES))) or COUNTRIES
        return fold(" ".join(name.split())), codes

    def is_cached(self, name: str, countries: Sequence[str]) -> bool:
        """Whether the answer is known already (no request, so no rate-limit slot needed)."""
        with self._lock:
            return self._key(name, countries) in self._cache

    def geocode(self, name: str, countries: Sequence[str]) -> Place | None:
        """The place Nominatim finds for this name in these countries (None when none)."""
        query = " ".join(name.split())
        key = self._key(name, countries)
        codes = key[1]
        if not key[0]:
            return None
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        try:
            found = self._geocode(
                query,
                exactly_one=True,
                country_codes=[c.lower() for c in codes],
                language="es",
                addressdetails=True,
            )
        except Exception as exc:  # network errors must not break a conversation
            log.warning("geocoder failed for %r: %s", query, exc)
            return None  # not cached: a later try may work
        place = self._to_place(found, codes)
        with self._lock:
            self._cache[key] = place
        return place

    def _to_place(self, found: Any, codes: Sequence[str]) -> Place | None:
        if found is None:
            return None
        lat, lon = float(found.latitude), float(found.longitude)
        raw: dict[str, Any] = dict(getattr(found, "raw", None) or {})
        address: dict[str, Any] = dict(raw.get("address") or {})
        country = str(address.get("country_code") or "").upper()
        near = self._gazetteer.nearest(lat, lon)
        if not country and near is not None:
            country = near.country
        if country not in codes:
            return None
        same_country = near is not None and near.country == country
        name = str(raw.get("name") or "") or str(getattr(found, "address", "")).split(",")[0]
        try:
            osm_id = int(raw.get("osm_id") or 0)
        except (TypeError, ValueError):
            osm_id = 0
        return Place(
            id=-osm_id,  # negative: not a GeoNames id
            name=name.strip(),
            country=country,
            admin1=near.admin1 if same_country and near else "",
            admin_name=near.admin_name if same_country and near else "",
            lat=lat,
            lon=lon,
            population=0,
        )

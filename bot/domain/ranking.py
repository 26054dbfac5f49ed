"""The ranking rule: which center to propose first, and then which ones.

The order is strict, not a weighted blend (see README, "Ranking"):
1. centers of the user's country before centers of other countries;
2. within the user's country, centers offering the main need before the others;
3. within each of those groups, centers whose service area holds the user's department first,
   then the others, nearest first;
4. centers of other countries follow, nearest first;
5. a center with no known location that does not serve the user's department is not ranked.
Ties break on distance, then name, then id, so the output is stable.
"""

from __future__ import annotations

from collections.abc import Iterable

from geopy.distance import geodesic

from bot.domain.models import Center, Match, SearchQuery

_FAR = float("inf")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in kilometres."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).km)


def rank_centers(query: SearchQuery, centers: Iterable[Center]) -> list[Match]:
    """Order the rankable centers for a user; the first is the one to propose."""
    main_need = query.needs[0] if query.needs else None
    ranked: list[tuple[tuple[int, int, int, float, str, str], Match]] = []
    for center in centers:
        if not center.ranked:
            continue
        distance = None
        if center.has_location and query.lat is not None and query.lon is not None:
            assert center.lat is not None and center.lon is not None
            distance = distance_km(query.lat, query.lon, center.lat, center.lon)
        same_country = center.country == query.country
        serves_area = bool(query.admin1) and query.admin1 in center.service_area
        if distance is None and not serves_area:
            continue
        offers_need = main_need is None or main_need in center.services
        matched = tuple(n for n in query.needs if n in center.services)
        key = (
            0 if same_country else 1,
            0 if (offers_need or not same_country) else 1,
            0 if serves_area and same_country else 1,
            distance if distance is not None else _FAR,
            center.name.casefold(),
            center.id,
        )
        match = Match(
            center=center,
            distance_km=distance,
            serves_area=serves_area,
            offers_need=offers_need,
            matched_needs=matched,
            same_country=same_country,
        )
        ranked.append((key, match))
    ranked.sort(key=lambda item: item[0])
    return [match for _, match in ranked]

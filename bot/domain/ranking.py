"""The ranking rule: which center to propose first, and then which ones.

The order is strict, not a weighted blend (rule version 2, see README, "Ranking"):
1. only centers of the user's country: a center abroad is never ranked (a Salvadoran center
   cannot register a Guatemalan business);
2. centers offering the main need before the others;
3. within each of those groups, centers whose service area holds the user's department first,
   then the others, nearest first;
4. the country's centers with no known location (or, without a user's point, any location)
   that do not serve the user's department follow all the others, offering the need first,
   by name: the user can still reach them, and the card says where they are not known.
Within a step, a center for which a source names the main need comes before one whose offer is
only assumed from its network: among the centers that serve the department (the rule orders
them no further) and among the unlocated ones it decides first; among the centers ranked by
distance it only breaks a tie in distance, so "nearest first" always holds.
Ties break on distance, then name, then id, so the output is stable. A center closed for good
(`closed`) is never ranked; with `closed_on=day`, the centers with a closure covering that day
follow all the others, in the same order among themselves.

How it stays fast with many centers (the order and the numbers are exactly those of sorting
every center by geodesic distance):
- an index of the centers (by country, by department served) is built once per tuple of
  centers and reused while that tuple lives; the services load a new tuple when the data
  changes, so an edit never meets a stale index;
- `rank` is lazy: it sizes the five groups of the rule at once, but orders a group only when
  a match in it is read, and makes a `Match` only for the positions read (a reply reads a few);
- inside a group, centers are ordered by a cheap spherical distance and the exact geodesic is
  computed only until the next center is certain ("filter and refine": on WGS-84 the geodesic
  is within 0.56 % of the haversine on a sphere of the mean radius, so a center whose spherical
  distance is 1 % beyond the farthest exact one cannot come before it).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import overload

from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]  # geopy's engine

from bot.domain.models import Center, Match, SearchQuery

_FAR = float("inf")

# geopy's WGS-84 in kilometres, called as geopy.distance.geodesic calls it: the same numbers,
# without geopy's per-call Point parsing.
_WGS84 = Geodesic(6378.137, 1 / 298.257223563)
_DISTANCE_ONLY = Geodesic.DISTANCE
_EARTH_KM = 6371.0088  # mean radius, for the cheap spherical distance
# geodesic / haversine lies in [0.99442, 1.00449] (ratio of the ellipsoid's radii of curvature
# to the mean radius); 0.99 leaves a margin for rounding.
_LOWER = 0.99
_INDEX_CACHE_SIZE = 4
_DISTANCE_CACHE_SIZE = 8192  # about 2 MB at most


def _valid_point(lat: float, lon: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0  # also False for NaN


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in kilometres (WGS-84), as geopy.distance.geodesic gives it."""
    if _valid_point(lat1, lon1) and _valid_point(lat2, lon2):
        return _geodesic_km(lat1, lon1, lat2, lon2)
    from geopy.distance import geodesic  # type: ignore[import-untyped]  # its normalising, errors

    return float(geodesic((lat1, lon1), (lat2, lon2)).km)


@lru_cache(maxsize=_DISTANCE_CACHE_SIZE)
def _geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The exact geodesic (about 30 µs in pure Python), remembered: users' places repeat
    (gazetteer places, a remembered place paged with "more", a changed need)."""
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, _DISTANCE_ONLY)["s12"])


def rank_centers(
    query: SearchQuery, centers: Iterable[Center], *, closed_on: date | None = None
) -> list[Match]:
    """Order the rankable centers for a user; the first is the one to propose.

    Every match, with its geodesic distance: prefer `rank`, which computes only what is read.
    """
    return list(rank(query, centers, closed_on=closed_on))


def rank(
    query: SearchQuery, centers: Iterable[Center], *, closed_on: date | None = None
) -> Sequence[Match]:
    """The same ranking as `rank_centers`, as a lazy, immutable sequence.

    Its length is known at once; a match (and its geodesic distance) is computed when read.
    Pass the same tuple of centers again to reuse its index.
    """
    index = _index_for(centers)
    if not index.valid or (
        query.lat is not None and query.lon is not None and not _valid_point(query.lat, query.lon)
    ):
        return tuple(_rank_plainly(query, index.all_centers, closed_on))
    demoted = frozenset(
        p for p in index.with_closures if closed_on and _closed(index.centers[p], closed_on)
    )
    return Ranking(query, index, demoted)


def first_need_match(matches: Sequence[Match]) -> Match | None:
    """The first match that offers the main need, wherever the rule puts it (a center that
    cannot be placed follows the located ones, offering the need or not)."""
    if isinstance(matches, Ranking):
        return matches.first_need_match()
    return next((m for m in matches if m.offers_need), None)


def first_area_match(matches: Sequence[Match]) -> Match | None:
    """The first match of the user's country whose service area holds the user's department.

    For a `Ranking` it is found from the index without computing the matches before it.
    """
    if isinstance(matches, Ranking):
        return matches.first_area_match()
    return next((m for m in matches if m.serves_area and m.same_country), None)


def _rankable(center: Center) -> bool:
    return center.ranked and not getattr(center, "closed", False)


def _assumed(center: Center, main: str | None) -> int:
    """1 when the center's offer of the main need is only assumed (no source names it)."""
    return 0 if main is None or main in center.services_sourced else 1


def _closed(center: Center, day: date) -> bool:
    """Whether a closure (holiday, temporary closure) covers that day."""
    return any(c.start <= day <= c.end for c in getattr(center, "closures", ()))


# --------------------------------------------------------------------------- the index


class _Index:
    """The rankable centers, in tie-break order (name, then id), with what the rule reads."""

    def __init__(self, centers: tuple[Center, ...]) -> None:
        self.all_centers = centers
        rankable = [c for c in centers if _rankable(c)]
        # position in this list = the tie-break (name, id; input order for full ties)
        self.centers = sorted(rankable, key=lambda c: (c.name.casefold(), c.id))
        self.valid = True
        self.located: list[bool] = []
        self.lat_r: list[float] = []
        self.lon_r: list[float] = []
        self.cos_lat: list[float] = []
        self.by_country: dict[str, list[int]] = {}
        self.by_area: dict[str, list[int]] = {}
        self.n_located = 0
        self.with_closures: list[int] = []
        for pos, c in enumerate(self.centers):
            located = c.has_location
            self.located.append(located)
            lat = lon = 0.0
            if located:
                assert c.lat is not None
                assert c.lon is not None
                if not _valid_point(c.lat, c.lon):
                    self.valid = False  # ranked the plain way, with geopy's errors
                    break
                lat, lon = math.radians(c.lat), math.radians(c.lon)
                self.n_located += 1
            self.lat_r.append(lat)
            self.lon_r.append(lon)
            self.cos_lat.append(math.cos(lat))
            self.by_country.setdefault(c.country, []).append(pos)
            if getattr(c, "closures", ()):
                self.with_closures.append(pos)
            for key in dict.fromkeys(c.service_area):
                self.by_area.setdefault(key, []).append(pos)  # ascending positions
        self._area_sets: dict[str, frozenset[int]] = {}

    def serving(self, admin1: str) -> frozenset[int]:
        """Positions of the centers whose service area holds this department."""
        found = self._area_sets.get(admin1)
        if found is None:
            found = self._area_sets[admin1] = frozenset(self.by_area.get(admin1, ()))
        return found


_indexes: dict[int, tuple[tuple[Center, ...], _Index]] = {}


def _index_for(centers: Iterable[Center]) -> _Index:
    """The index of these centers; kept for the last few tuples (immutable, so never stale)."""
    if type(centers) is not tuple:
        return _Index(tuple(centers))
    hit = _indexes.get(id(centers))
    if hit is not None and hit[0] is centers:
        return hit[1]
    index = _Index(centers)
    while len(_indexes) >= _INDEX_CACHE_SIZE:
        del _indexes[next(iter(_indexes))]
    _indexes[id(centers)] = (centers, index)  # the tuple is held, so its id is not reused
    return index


# --------------------------------------------------------------------------- the lazy ranking

# A step of the rule: (closed on the day asked, cannot be placed, does not offer the main need,
# does not serve the department, the need only assumed).
_Step = tuple[bool, bool, bool, bool, int]


class _Group:
    """Centers of one step of the rule, read in order: nearest first (exact geodesic), then
    those without a location (or without a user's point), by name."""

    __slots__ = ("_index", "_located", "_query", "_unlocated", "size")

    def __init__(
        self,
        index: _Index,
        query: SearchQuery,
        located: list[int] | Callable[[], list[int]],
        n_located: int,
        unlocated: list[int],
    ) -> None:
        self._index = index
        self._query = query
        self._located = located  # positions (or how to list them), ordered on the first read
        self._unlocated = unlocated  # positions, ascending (= by name)
        self.size = n_located + len(unlocated)

    def __iter__(self) -> Iterator[tuple[int, float | None]]:
        """(position, distance in km) in the order of the rule."""
        if self.size > len(self._unlocated):
            yield from self._nearest_first()
        for pos in self._unlocated:
            yield pos, None

    def _nearest_first(self) -> Iterator[tuple[int, float]]:
        index, lat, lon = self._index, self._query.lat, self._query.lon
        assert lat is not None
        assert lon is not None
        located = self._located if isinstance(self._located, list) else self._located()
        q_lat, q_lon = math.radians(lat), math.radians(lon)
        q_cos = math.cos(q_lat)
        lat_r, lon_r, cos_lat, sin = index.lat_r, index.lon_r, index.cos_lat, math.sin
        # the haversine term, monotonic in the distance on the sphere
        near = [
            (
                sin((lat_r[p] - q_lat) * 0.5) ** 2
                + q_cos * cos_lat[p] * sin((lon_r[p] - q_lon) * 0.5) ** 2,
                p,
            )
            for p in located
        ]
        heapq.heapify(near)
        # (km, assumed, position): at equal distance, a sourced offer of the need first
        exact: list[tuple[float, int, int]] = []
        centers, geodesic_km = index.centers, _geodesic_km
        main = self._query.needs[0] if self._query.needs else None
        heappush, heappop, asin, sqrt = heapq.heappush, heapq.heappop, math.asin, math.sqrt
        bound = _LOWER * 2 * _EARTH_KM
        while near or exact:
            # the nearest exact one is final when no center left on the sphere can reach its
            # distance (strictly: centers at the same distance are all computed first)
            if exact and (not near or exact[0][0] < bound * asin(sqrt(min(1.0, near[0][0])))):
                km, _, pos = heappop(exact)
                yield pos, km
                continue
            _, pos = heappop(near)
            c = centers[pos]
            km = geodesic_km(lat, lon, c.lat, c.lon)
            heappush(exact, (km, _assumed(c, main), pos))


class Ranking(Sequence[Match]):
    """The ranked matches for one query, computed as they are read (see `rank`).

    Not for sharing between threads: reading computes and stores the next matches.
    """

    __slots__ = ("_demoted", "_groups", "_index", "_len", "_made", "_main", "_query", "_stream")

    def __init__(self, query: SearchQuery, index: _Index, demoted: frozenset[int] = frozenset()):
        self._query = query
        self._index = index
        self._main = query.needs[0] if query.needs else None
        self._demoted = demoted  # positions closed on the day asked: after all the others
        self._groups = self._split()
        self._len = sum(g.size for _, g in self._groups)
        self._made: list[Match] = []
        self._stream = self._generate()

    def _split(self) -> list[tuple[_Step, _Group]]:
        """The steps of the rule, sized now and ordered when read: (the step's key, the
        group), in the order of the rule.

        Each position gets the key of its step: (closed on the day asked, cannot be placed,
        does not offer the need, does not serve the department, the need only assumed). The
        last part splits a step only where the rule leaves the order open: among the centers
        that serve the department and among those that cannot be placed (by name); among the
        centers ranked by distance it is the tie-break of equal distances (in `_Group`).
        """
        index, q, main, demoted = self._index, self._query, self._main, self._demoted
        has_point = q.lat is not None and q.lon is not None
        area = index.serving(q.admin1) if q.admin1 else frozenset()
        located, centers = index.located, index.centers
        steps: dict[_Step, tuple[list[int], list[int]]] = {}
        for pos in index.by_country.get(q.country, ()):
            c = centers[pos]
            serves = pos in area
            offers = main is None or main in c.services
            late = pos in demoted
            near = has_point and located[pos]
            tail = not near and not serves  # no distance, no area: after all the others
            assumed = _assumed(c, main) if offers and (serves or tail) else 0
            key = (late, tail, not offers, not serves, assumed)
            part = steps.setdefault(key, ([], []))
            part[0 if near else 1].append(pos)  # nearest first, then by name
        return [
            (key, _Group(index, q, near, len(near), by_name))
            for key, (near, by_name) in sorted(steps.items())
        ]

    def _generate(self) -> Iterator[Match]:
        q, centers, main, area = self._query, self._index.centers, self._main, self._query.admin1
        for _, group in self._groups:
            for pos, km in group:
                c = centers[pos]
                services = c.services
                yield Match(
                    c,
                    km,
                    bool(area) and area in c.service_area,
                    main is None or main in services,
                    tuple(n for n in q.needs if n in services),
                    True,
                )

    def _fill(self, count: int) -> None:
        made, stream = self._made, self._stream
        while len(made) < count:
            made.append(next(stream))

    def _first(self, wanted: Callable[[_Step], bool]) -> Match | None:
        offset = 0
        for key, group in self._groups:
            if wanted(key):
                self._fill(offset + 1)
                return self._made[offset]
            offset += group.size
        return None

    def first_area_match(self) -> Match | None:
        """The first match of the user's country that serves the user's department."""
        return self._first(lambda key: not key[3])

    def first_need_match(self) -> Match | None:
        """The first match that offers the main need (it may follow the located ones)."""
        return self._first(lambda key: not key[2])

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    @overload
    def __getitem__(self, i: int) -> Match: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Match, ...]: ...

    def __getitem__(self, i: int | slice) -> Match | tuple[Match, ...]:
        if isinstance(i, slice):
            positions = range(self._len)[i]
            if not positions:
                return ()
            self._fill(max(positions) + 1)
            return tuple(self._made[p] for p in positions)
        n = i.__index__()
        if n < 0:
            n += self._len
        if not 0 <= n < self._len:
            raise IndexError("ranking index out of range")
        self._fill(n + 1)
        return self._made[n]

    def __iter__(self) -> Iterator[Match]:
        made = self._made
        for n in range(self._len):
            if n >= len(made):
                self._fill(n + 1)
            yield made[n]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ranking | tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<Ranking of {self._len} matches, {len(self._made)} computed>"


# --------------------------------------------------------------------------- the plain way


def _rank_plainly(
    query: SearchQuery, centers: Iterable[Center], closed_on: date | None = None
) -> list[Match]:
    """Sort the country's centers by the full key: for data the index cannot take (invalid
    points), and the reference the lazy ranking is checked against."""
    main_need = query.needs[0] if query.needs else None
    ranked: list[tuple[tuple[int, int, int, int, float, int, str, str], Match]] = []
    for center in centers:
        if not _rankable(center) or center.country != query.country:
            continue
        distance = None
        if center.has_location and query.lat is not None and query.lon is not None:
            assert center.lat is not None
            assert center.lon is not None
            distance = distance_km(query.lat, query.lon, center.lat, center.lon)
        serves_area = bool(query.admin1) and query.admin1 in center.service_area
        offers_need = main_need is None or main_need in center.services
        matched = tuple(n for n in query.needs if n in center.services)
        unreachable = distance is None and not serves_area  # after all the others
        # a sourced offer of the need before an assumed one: first among the centers serving
        # the department and the unplaceable ones, a tie-break of equal distances otherwise
        assumed = _assumed(center, main_need) if offers_need else 0
        key = (
            1 if unreachable else 0,
            0 if offers_need else 1,
            0 if serves_area else 1,
            assumed if serves_area or unreachable else 0,
            distance if distance is not None else _FAR,
            assumed,
            center.name.casefold(),
            center.id,
        )
        match = Match(
            center=center,
            distance_km=distance,
            serves_area=serves_area,
            offers_need=offers_need,
            matched_needs=matched,
            same_country=True,
        )
        ranked.append((key, match))
    ranked.sort(key=lambda item: item[0])
    matches = [match for _, match in ranked]
    if closed_on is not None:
        late = [m for m in matches if _closed(m.center, closed_on)]
        matches = [m for m in matches if not _closed(m.center, closed_on)] + late
    return matches

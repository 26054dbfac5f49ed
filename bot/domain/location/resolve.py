"""Choosing where the user is: ``resolve_location`` over the mentions, and among namesakes.

What is known of the user comes first: a country the message names (a place is looked for
there, and a typo never crosses it), then the country of the place remembered for the user
(``prefer_country``), then Belize for a message in English, then the home country of the
deployment, the tie-breaker between namesakes of comparable size in different countries. A
namesake abroad about ten times larger than the preferred country's is never dropped silently:
the name is then ambiguous, largest first. Within one country the largest namesake is taken
when it is ten times larger than the next, else the name is ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.gazetteer import Gazetteer
from bot.domain.location.message import Message
from bot.domain.location.names import (
    Mention,
    exact_mentions,
    name_before,
    qualifiers,
    unknown_tail,
)
from bot.domain.location.points import URL, is_short_link, locate_point, raw_point
from bot.domain.location.typos import after_cues, short_message
from bot.domain.location.words import ENGLISH_MARKERS
from bot.domain.models import LocationResult, LocationSource, LocationStatus, Place
from bot.domain.text import clip, fold

MAX_CANDIDATES = 8
DOMINANCE = 10  # a namesake this many times larger than the next one is the one meant
# With the country named ("San Francisco, Costa Rica") and no department, the place that
# country knows by the name: its largest namesake when four times larger than the next.
DOMINANCE_IN_NAMED_COUNTRY = 4
SMALLEST = 500  # the size assumed of a listed place of unknown population (GeoNames cities500)

_ALIASES, _NAMES, _CAPITALS, _ALTERNATES = range(4)  # tiers: how a name is attached to places
_OWN = (_ALIASES, _NAMES, _CAPITALS)  # a namesake abroad counts when it bears the name itself


class _Sizes:
    """How large each place is as a meaning of one name: its population, or for a department
    named, the department's (a department is more than its capital)."""

    def __init__(self, tiers: Sequence[Sequence[Place]], gazetteer: Gazetteer) -> None:
        self._by_id: dict[int, int] = {}
        for n, tier in enumerate(tiers):
            for p in tier:
                size = p.population
                if n == _CAPITALS:
                    size = max(size, gazetteer.department_population(p.admin1))
                self._by_id[p.id] = max(self._by_id.get(p.id, 0), size)

    def __call__(self, p: Place) -> int:
        return self._by_id.get(p.id, p.population)


def _tiers(mention: Mention, gazetteer: Gazetteer) -> tuple[list[list[Place]], bool]:
    """The places a mention can mean, by tier, and whether a department named narrowed them."""
    m = mention.matches
    capitals = [c for c in (gazetteer.capital(a) for a in m.departments) if c is not None]
    if mention.departments_only:
        return [[], [], capitals, []], False
    tiers = [list(m.aliases), list(m.names), capitals, list(m.alternates)]
    if mention.admin1s:  # "San Antonio, Cortés": the department's namesakes
        keys = set(mention.admin1s)
        narrowed = [[p for p in t if p.admin1 in keys] for t in tiers]
        if any(narrowed):
            return narrowed, True
        # none in that department: its country's namesakes still, never another country's
        countries = {mention.country} if mention.country else {k.split(".")[0] for k in keys}
        return [[p for p in t if p.country in countries] for t in tiers], False
    return tiers, False


def _in(tiers: Sequence[Sequence[Place]], country: str) -> list[list[Place]]:
    return [[p for p in t if p.country == country] for t in tiers]


def _in_department(tiers: Sequence[Sequence[Place]], name: str) -> list[list[Place]]:
    """The places of the department named like their country (Panamá, Guatemala)."""
    folded = fold(name)
    return [[p for p in t if fold(p.admin_name) == folded] for t in tiers]


def _by_size(places: Iterable[Place], size: _Sizes) -> list[Place]:
    unique = {p.id: p for p in places}
    return sorted(unique.values(), key=lambda p: (-size(p), p.id))


def _distinct(places: Iterable[Place]) -> list[Place]:
    """One place per name, department and country (the first, i.e. the preferred one):
    two identical buttons could not be told apart."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in places:
        key = (fold(p.name), p.admin1, p.country)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _candidates(ranked: Iterable[Place]) -> tuple[Place, ...]:
    """At most MAX_CANDIDATES distinct places, taken in the given order, shown largest first."""
    chosen = _distinct(ranked)[:MAX_CANDIDATES]
    return tuple(sorted(chosen, key=lambda p: (-p.population, p.id)))


def _within(
    tiers: Sequence[Sequence[Place]], size: _Sizes, dominance: int = DOMINANCE
) -> tuple[Place | None, tuple[Place, ...]]:
    """Among the places of one scope: the first tier that has any decides; its largest place
    when it is the only one or ten times larger than the next, else the candidates (that
    tier's places first, then the others)."""
    for n, tier in enumerate(tiers):
        first = _by_size(tier, size)
        if not first:
            continue
        kinds = _distinct(first)  # namesakes of one department are one choice: the largest
        if len(kinds) == 1 or (
            size(kinds[0]) > 0 and size(kinds[0]) >= dominance * size(kinds[1])
        ):
            return first[0], ()
        rest = _by_size((p for t in tiers[n + 1 :] for p in t), size)
        return None, _candidates([*first, *rest])
    return None, ()


def _across(tiers: Sequence[Sequence[Place]], size: _Sizes, country: str) -> tuple[Place, ...]:
    """Candidates from every country, at most MAX_CANDIDATES: the preferred country's places
    and the namesakes abroad that bear the name itself first (the preferred country's weigh
    ten times their size), then those abroad only known by it (GeoNames alternate names)."""

    def rank(p: Place) -> tuple[int, float, int]:
        home = p.country == country
        own = home or any(p in tiers[n] for n in _OWN)
        return (0 if own else 1, -size(p) * (DOMINANCE if home else 1), p.id)

    return _candidates(sorted({p.id: p for t in tiers for p in t}.values(), key=rank))


def _choose(
    mention: Mention, gazetteer: Gazetteer, prefs: Sequence[str], named: str
) -> tuple[Place | None, tuple[Place, ...]]:
    """The place a mention means, or the candidates when it is ambiguous."""
    tiers, narrowed = _tiers(mention, gazetteer)
    size = _Sizes(tiers, gazetteer)
    country = mention.country or named
    if country:
        in_country = _in(tiers, country)
        if any(in_country) or mention.country:  # "Santa Ana, Guatemala": there only
            if narrowed:
                return _within(in_country, size)
            place, candidates = _within(in_country, size, DOMINANCE_IN_NAMED_COUNTRY)
            if place is None and candidates:  # "Llano Grande, Panamá": the province's, if any
                province = _in_department(in_country, gazetteer.country_name(country))
                if any(province):
                    return _within(province, size)
            return place, candidates
    if tiers[_ALIASES]:  # curated names (Tegus, SPS, Guate) win over their namesakes
        for c in prefs:
            if any(p.country == c for p in tiers[_ALIASES]):
                return _within([_in(tiers, c)[_ALIASES]], size)
        return _within([tiers[_ALIASES]], size)
    for c in prefs:
        in_c = _in(tiers, c)
        if not any(in_c):
            continue
        place, _ = _within(in_c, size)
        top = max(size(p) for p in next(t for t in in_c if t))
        rivals = [size(p) for n in _OWN for p in tiers[n] if p.country != c]
        if place is not None and max(rivals, default=0) < DOMINANCE * max(top, SMALLEST):
            return place, ()
        return None, _across(tiers, size, c)
    # no namesake in the preferred countries: the countries' own namesakes compete by size
    tops: dict[str, int] = {}
    for n in _OWN:
        for p in tiers[n]:
            tops[p.country] = max(tops.get(p.country, 0), size(p))
    if not tops:  # only other names of places (alternates)
        return _within(tiers, size)
    ranked = sorted(tops, key=lambda c: -tops[c])
    if len(ranked) == 1 or tops[ranked[0]] >= DOMINANCE * max(tops[ranked[1]], SMALLEST):
        place, _ = _within(_in(tiers, ranked[0]), size)
        if place is not None:
            return place, ()
    return None, _across(tiers, size, "")


# A message written in English comes most likely from Belize, the English-speaking country of
# the eight: its places come after the remembered country and before the home country.
ENGLISH_COUNTRY = "BZ"


def _english(msg: Message) -> bool:
    """Whether a message is written in English: two English words at least ("I live in")."""
    return len(ENGLISH_MARKERS.intersection(msg.folds)) >= 2


def _country_reading(mention: Mention) -> bool:
    """Whether a mention names a country ("soy de Guatemala"), not a place or department:
    "Guatemala, Guatemala", "departamento de Guatemala" and the alias "Guate" are places."""
    m = mention.matches
    return bool(m.country) and not (
        mention.departments_only or mention.admin1s or mention.country or m.aliases
    )


def resolve_location(
    text: str, gazetteer: Gazetteer, home_country: str = "HN", prefer_country: str = ""
) -> LocationResult:
    """Where the user says they are: a point, a place, candidates, or nothing.

    ``prefer_country``: the country of the place remembered for the user, read before the
    home country; a message in English reads Belize's places next (``ENGLISH_COUNTRY``).
    Only the first ``MAX_MESSAGE_CHARS`` characters are read (``bot.domain.text.clip``).
    """
    return _resolve(clip(text), gazetteer, home_country, prefer_country)


def _resolve(
    text: str, gazetteer: Gazetteer, home_country: str, prefer_country: str = ""
) -> LocationResult:
    """``resolve_location`` on the whole text, however long (linear time on any input)."""
    point = raw_point(text)
    if point is not None:  # invalid coordinates are NOT_FOUND, from locate_point
        return locate_point(point[0], point[1], gazetteer)
    if is_short_link(text):
        return LocationResult(
            LocationStatus.NOT_FOUND, source=LocationSource.COORDINATES, short_link=True
        )
    msg = Message(URL.sub(" ", text))
    if not msg.folds:
        return LocationResult(LocationStatus.MISSING)
    english = ENGLISH_COUNTRY if _english(msg) else ""
    prefs = tuple(dict.fromkeys(c for c in (prefer_country, english, home_country) if c))
    mentions = exact_mentions(msg, gazetteer, prefs)
    named = _named_country(mentions)
    mentions, unknown = after_cues(msg, gazetteer, mentions, prefs, named)
    if unknown is None and not any(m.strength for m in mentions):
        mentions, unknown = short_message(msg, gazetteer, mentions, prefs, named)
    taken = sorted((m for m in mentions if m.strength > 0), key=lambda m: (-m.strength, m.start))
    # Names the gazetteer lacks, with the department or country said after them: the
    # mentions inside are not the user's place («San Luis La Herradura, La Paz»).
    unknowns: list[_Unknown] = []
    if unknown is not None:
        unknowns.append(_Unknown.after(msg, gazetteer, *unknown))
    tails: dict[int, _Unknown] = {}
    for mention in taken:
        tail = 0 if _country_reading(mention) else unknown_tail(msg, mention, gazetteer)
        if tail:  # «San Juan Talpa»: a longer name the gazetteer lacks, not San Juan
            tails[mention.start] = _Unknown.after(msg, gazetteer, mention.start, tail)
    unknowns.extend(tails.values())
    inside = [False] * (len(msg.folds) + 1)  # tokens inside those names or their qualifiers
    for u in unknowns:  # each spans a few words (a name and its qualifiers)
        for k in range(u.start + 1, u.stop):
            inside[k] = True
    countries: list[Mention] = []
    outside: Mention | None = None
    found_unknown: _Unknown | None = unknowns[0] if unknown is not None else None
    for mention in taken:
        if inside[mention.start]:
            continue  # "La Herradura" in «San Luis La Herradura», ", La Paz" after it
        if _country_reading(mention):  # "Guatemala" is about the country, not a town
            countries.append(mention)
            continue
        if mention.matches.outside:
            outside = outside or mention
            continue
        if mention.start in tails:
            found_unknown = found_unknown or tails[mention.start]
            continue
        place, candidates = _choose(mention, gazetteer, prefs, named)
        query = msg.source(mention.start, mention.end)
        if place is not None:
            return LocationResult(
                LocationStatus.FOUND, place=place, query=query, source=LocationSource.GAZETTEER
            )
        if candidates:
            return LocationResult(
                LocationStatus.AMBIGUOUS,
                candidates=candidates,
                query=query,
                source=LocationSource.GAZETTEER,
            )
        if (mention.country or mention.admin1s) and found_unknown is None:
            # "Danlí, Guatemala": none of that name there
            country = mention.country or _one_country(mention.admin1s)
            found_unknown = _Unknown(mention.start, mention.end, mention.stop, country)
    if found_unknown is None and countries and countries[0].strength >= 2:
        before = name_before(msg, countries[0].start)  # «San Emigdio, El Salvador»
        if before is not None:
            code = countries[0].matches.country
            found_unknown = _Unknown(before[0], before[1], countries[0].stop, code)
    if found_unknown is not None:
        return LocationResult(
            LocationStatus.NOT_FOUND,
            query=msg.source(found_unknown.start, found_unknown.end),
            country=found_unknown.country or named,
        )
    if outside is not None:
        return LocationResult(
            LocationStatus.NOT_FOUND,
            query=msg.source(outside.start, outside.end),
            outside_region=True,
        )
    if countries and countries[0].strength >= 2:  # "soy de Guatemala": which department?
        code = countries[0].matches.country
        return LocationResult(
            LocationStatus.AMBIGUOUS,
            candidates=gazetteer.capitals(code)[:MAX_CANDIDATES],
            query=msg.source(countries[0].start, countries[0].end),
            source=LocationSource.GAZETTEER,
            country=code,
        )
    return LocationResult(LocationStatus.MISSING)


@dataclass(frozen=True, slots=True)
class _Unknown:
    """A name the gazetteer lacks (tokens start..end), the department or country said after
    it (up to stop), and the country that tells, if one."""

    start: int
    end: int
    stop: int
    country: str = ""

    @classmethod
    def after(cls, msg: Message, gazetteer: Gazetteer, start: int, end: int) -> _Unknown:
        stop, admin1s, country = qualifiers(msg, end, gazetteer)
        if stop == end:  # "…, departamento de La Paz" after a hard break
            stop, admin1s, country = _department_after(msg, end, gazetteer)
        return cls(start, end, stop, country or _one_country(admin1s))


def _department_after(
    msg: Message, end: int, gazetteer: Gazetteer
) -> tuple[int, tuple[str, ...], str]:
    """A department named right after an unknown name with its filler: ", depto. de Yoro"."""
    k = end
    while k < len(msg.folds) and k - end < 3 and msg.folds[k] in _DIVISION_LEAD:
        k += 1
    if k == end:
        return end, (), ""
    stop, admin1s, country = qualifiers(msg, k - 1, gazetteer)
    return (stop, admin1s, country) if stop > k - 1 else (end, (), "")


_DIVISION_LEAD = frozenset({"el", "la", "departamento", "depto", "dpto", "provincia"})


def _one_country(admin1s: Sequence[str]) -> str:
    """The country of these departments when they are all of one."""
    codes = {d.split(".")[0] for d in admin1s}
    return codes.pop() if len(codes) == 1 else ""


def _named_country(mentions: Sequence[Mention]) -> str:
    """The country the message names for the user (not as a destination), if any."""
    for m in mentions:
        if m.strength > 0 and m.country:
            return m.country
    for m in mentions:
        if m.strength >= 2 and _country_reading(m):
            return m.matches.country
    return ""

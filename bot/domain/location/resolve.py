"""Choosing where the user is: ``resolve_location`` over the mentions, and among namesakes."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.gazetteer import Gazetteer, NameMatches
from bot.domain.location.message import Message
from bot.domain.location.names import Mention, exact_mentions
from bot.domain.location.points import URL, is_short_link, locate_point, raw_point
from bot.domain.location.typos import after_cues, short_message
from bot.domain.models import LocationResult, LocationSource, LocationStatus, Place
from bot.domain.text import clip

MAX_CANDIDATES = 8
DOMINANCE = 10  # a namesake this many times larger than the next one is the one meant


def _tiers(m: NameMatches, gazetteer: Gazetteer, departments_only: bool) -> list[list[Place]]:
    capitals = [c for c in (gazetteer.capital(a) for a in m.departments) if c is not None]
    if departments_only:
        return [capitals]
    return [list(m.aliases), list(m.names), capitals, list(m.alternates)]


def _by_size(places: Iterable[Place]) -> list[Place]:
    unique = {p.id: p for p in places}
    return sorted(unique.values(), key=lambda p: (-p.population, p.id))


def _choose(
    mention: Mention, gazetteer: Gazetteer, home: str, prefer: str
) -> tuple[Place | None, tuple[Place, ...]]:
    """The place a mention means, or the candidates when it is ambiguous."""
    tiers = _tiers(mention.matches, gazetteer, mention.departments_only)
    if mention.admin1s:
        keys = set(mention.admin1s)
        narrowed = [[p for p in t if p.admin1 in keys] for t in tiers]
        if any(narrowed):
            tiers = narrowed
    country = mention.country or prefer
    scopes: list[set[str] | None] = [{country}] if country else [{home}, None]
    for scope in scopes:
        in_scope = [
            [p for p in t if (p.country in scope if scope else p.country != home)] for t in tiers
        ]
        for n, tier in enumerate(in_scope):
            if not tier:
                continue
            first = _by_size(tier)
            if len(first) == 1 or (
                first[0].population > 0 and first[0].population >= DOMINANCE * first[1].population
            ):
                return first[0], ()
            rest = [p for p in _by_size(p for t in in_scope[n + 1 :] for p in t) if p not in first]
            return None, tuple(_by_size((first + rest)[:MAX_CANDIDATES]))
    return None, ()


def resolve_location(text: str, gazetteer: Gazetteer, home_country: str = "HN") -> LocationResult:
    """Where the user says they are: a point, a place, candidates, or nothing.

    Only the first ``MAX_MESSAGE_CHARS`` characters are read (``bot.domain.text.clip``).
    """
    return _resolve(clip(text), gazetteer, home_country)


def _resolve(text: str, gazetteer: Gazetteer, home_country: str) -> LocationResult:
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
    mentions = exact_mentions(msg, gazetteer, home_country)
    mentions, unknown = after_cues(msg, gazetteer, mentions, home_country)
    if unknown is None and not any(m.strength for m in mentions):
        mentions, unknown = short_message(msg, gazetteer, mentions, home_country)
    taken = sorted((m for m in mentions if m.strength > 0), key=lambda m: (-m.strength, m.start))
    countries = [m.matches.country for m in taken if m.matches.country and m.strength >= 2]
    prefer = countries[0] if countries else ""
    for mention in taken:
        if mention.matches.country:  # "Guatemala" is about the country, not a town
            continue
        place, candidates = _choose(mention, gazetteer, home_country, prefer)
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
    if unknown is not None:
        return LocationResult(LocationStatus.NOT_FOUND, query=msg.source(*unknown))
    return LocationResult(LocationStatus.MISSING)

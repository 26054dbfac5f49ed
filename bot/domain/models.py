"""Domain types: plain, frozen values shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.domain.hours import Closure


@dataclass(frozen=True, slots=True)
class Place:
    """A populated place (or a department's capital) from the gazetteer."""

    id: int
    name: str
    country: str  # ISO 3166 alpha-2
    admin1: str  # GeoNames admin1 key, e.g. "HN.08"; "" when unknown
    admin_name: str  # the department / province name in Spanish; "" when unknown
    lat: float
    lon: float
    population: int = 0


class LocationStatus(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    MISSING = "missing"


class LocationSource(StrEnum):
    SHARED = "shared"  # a Telegram location or venue
    COORDINATES = "coordinates"  # coordinates or a map link typed as text
    GAZETTEER = "gazetteer"
    GEOCODER = "geocoder"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class LocationResult:
    """Where the user is, as far as one message tells."""

    status: LocationStatus
    place: Place | None = None
    candidates: tuple[Place, ...] = ()
    query: str = ""  # the place name as the user wrote it, when there was one
    source: LocationSource = LocationSource.NONE
    short_link: bool = False  # a maps.app.goo.gl-style link that cannot be resolved offline


@dataclass(frozen=True, slots=True)
class Need:
    """A service of the taxonomy (see data/services.csv)."""

    slug: str
    label: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Center:
    """An MSME attention center, as entrepreneurs see it."""

    id: str
    name: str
    country: str
    operator: str = ""
    network: str = ""
    city: str = ""
    admin1: str = ""  # the department of its office, when known
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""
    lat: float | None = None
    lon: float | None = None
    coord_precision: str = ""  # "city", "region" or "" (no coordinates)
    service_area: tuple[str, ...] = ()  # GeoNames admin1 keys
    service_area_inferred: bool = False
    services: tuple[str, ...] = ()  # slugs, all offered
    services_sourced: tuple[str, ...] = ()  # the subset a source names; the rest are assumed
    source_url: str = ""
    source_date: str = ""  # ISO date or year of the newest source
    verified: bool = False
    ranked: bool = True  # False for support offices not confirmed as network members
    notes: str = ""
    # Kept by the center's staff:
    hours_json: str = ""  # structured weekly hours (bot.domain.hours), "" when unknown
    timezone: str = ""  # IANA zone; "" means the country's
    closures: tuple[Closure, ...] = ()  # holidays and temporary closures
    closed: bool = False  # closed for good: never ranked
    confirmed_at: datetime | None = None  # when staff last confirmed the listing
    version: int = 1  # optimistic locking of staff edits

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    def closure_on(self, day: date) -> Closure | None:
        """The closure covering a day, if any."""
        return next((c for c in self.closures if c.start <= day <= c.end), None)


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked center for a query."""

    center: Center
    distance_km: float | None
    serves_area: bool  # the user's department is in its service area
    offers_need: bool  # it offers the main need (True when no need was asked)
    matched_needs: tuple[str, ...] = ()
    same_country: bool = True


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What the ranking needs to know about the user."""

    lat: float | None
    lon: float | None
    country: str
    admin1: str
    needs: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Agency:
    """A country's national agency for the network: the fallback contact."""

    country: str
    name: str
    website: str = ""
    source_url: str = ""


@dataclass(frozen=True, slots=True)
class Memory:
    """What the bot remembers of a user between messages."""

    place: Place | None = None
    needs: tuple[str, ...] = ()
    candidates: tuple[Place, ...] = ()

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
    # What is known without a place: the country the message names or implies (ISO code), so
    # the bot can offer its departments; and whether the point or place lies outside the eight
    # countries the bot covers.
    country: str = ""
    outside_region: bool = False


@dataclass(frozen=True, slots=True)
class Need:
    """A service of the taxonomy (see data/services.csv)."""

    slug: str
    label: str
    description: str
    keywords: tuple[str, ...] = ()


class Confidence(StrEnum):
    """The kind of source a fact comes from (how far to trust it)."""

    OFFICIAL = "official"  # the operator, the agency, a government or the network itself
    NEWS = "news"  # the press
    THIRD_PARTY = "third-party"  # guides, NGOs, partners, forums, copies of website code
    UNKNOWN = ""


@dataclass(frozen=True, slots=True)
class Fact:
    """One sourced fact about a center's or an agency's field.

    `field` is a contact field (address, city, phone, email, website), "service_area" (value:
    an admin1 key the source states), "status" (value: a caution code, see bot.texts.CAUTIONS),
    "source" (the row as a whole: its main source and kind) or, for agencies, "agency" (a
    source naming it as the country's agency). A contact fact describes one `value`: it applies
    only while the field still holds that value (staff may change it).
    """

    field: str
    value: str = ""
    label: str = ""  # how the source labels it (a code, see bot.texts.FACT_LABELS)
    source_url: str = ""
    source_date: str = ""  # ISO date or year; "" when the source is undated
    confidence: str = ""  # a Confidence value

    @property
    def undated(self) -> bool:
        return not self.source_date


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
    # Where each fact comes from (data/center_facts.csv): dates, labels and kinds of source of
    # single fields, cautions, the row's main source. Not part of a center's identity: a row
    # of centers.csv read alone has none.
    facts: tuple[Fact, ...] = field(default=(), compare=False)

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def confidence(self) -> str:
        """The kind of the row's main source ("" when not recorded)."""
        source = next((f for f in self.facts if f.field == "source"), None)
        return source.confidence if source else ""

    @property
    def source_label(self) -> str:
        """How the row's main source labels it (e.g. "agency_office")."""
        source = next((f for f in self.facts if f.field == "source"), None)
        return source.label if source else ""

    @property
    def cautions(self) -> tuple[Fact, ...]:
        """Sourced facts that change what a user should do (status after cuts, announced…)."""
        return tuple(f for f in self.facts if f.field == "status")

    def fact_for(self, name: str) -> Fact | None:
        """The fact about a contact field, while the field still holds the value it describes."""
        value = getattr(self, name, "")
        if not value:
            return None
        return next((f for f in self.facts if f.field == name and f.value == value), None)

    def area_sourced(self, admin1: str) -> bool:
        """Whether a source states that the center serves this department."""
        if admin1 not in self.service_area:
            return False
        if not self.service_area_inferred:
            return True
        return any(f.field == "service_area" and f.value == admin1 for f in self.facts)

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


REGIONAL = "SICA"  # the "country" of the regional agency (CENPROMYPE)


@dataclass(frozen=True, slots=True)
class Agency:
    """A country's national MSME agency (or, for REGIONAL, CENPROMYPE): the fallback contact.

    Each contact field has its fact (source, date, kind of source) in `facts`.
    """

    country: str
    name: str
    website: str = ""
    source_url: str = ""  # the main source naming it as the agency
    phone: str = ""
    email: str = ""
    address: str = ""
    city: str = ""
    source_date: str = ""  # the main source's date ("" undated)
    confidence: str = ""  # the main source's kind
    facts: tuple[Fact, ...] = ()

    @property
    def regional(self) -> bool:
        return self.country == REGIONAL

    def fact_for(self, name: str) -> Fact | None:
        value = getattr(self, name, "")
        if not value:
            return None
        return next((f for f in self.facts if f.field == name and f.value == value), None)


class Asked(StrEnum):
    """What the bot last asked or showed a user: how their next short message is read."""

    NOTHING = ""
    NEED = "need"  # «¿Qué necesita?»: a short answer is tried first as a need
    PLACE = "place"  # «¿Dónde está?»: a short answer is tried first as a place
    CARD = "card"  # a center's card: «¿y el teléfono?» is about that center
    LIST = "list"  # a list of places or departments: «ninguno» is «Ninguno de estos»


@dataclass(frozen=True, slots=True)
class Memory:
    """What the bot remembers of a user between messages."""

    place: Place | None = None
    needs: tuple[str, ...] = ()
    candidates: tuple[Place, ...] = ()
    language: str = "es"  # the language the user last wrote in: "es" or "en"
    asked: Asked = Asked.NOTHING

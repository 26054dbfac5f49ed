"""Points: coordinates typed as text or inside map links, and naming a point.

``parse_point`` reads a coordinate pair (decimal, degrees-minutes-seconds, labelled, or inside
a Google Maps / OpenStreetMap / geo: link); ``is_short_link`` tells a shortened maps link that
only the network can open; ``locate_point`` names a point after the nearest known place.
"""

from __future__ import annotations

import math
import re

from bot.domain.gazetteer import Gazetteer
from bot.domain.models import LocationResult, LocationSource, LocationStatus, Place
from bot.domain.ranking import distance_km
from bot.domain.text import clip

NAMELESS_KM = 100.0  # a shared point farther than this from any known place gets no name


_NUM = r"[-+\u2212]?\d{1,3}(?:[.,]\d+)?"
_URL_PAIRS = (
    re.compile(r"@(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)"),  # google .../@14.08,-87.2,15z
    re.compile(r"!3d(-?\d+(?:\.\d+)?)!4d(-?\d+(?:\.\d+)?)"),  # google data= blobs
    re.compile(
        r"[?&;](?:q|query|ll|sll|center|daddr|saddr|destination|loc)="
        r"(?:loc:)?\s*(-?\d+(?:\.\d+)?)\s*(?:,|%2C)\s*(?:\+|%20)*(-?\d+(?:\.\d+)?)",
        re.IGNORECASE,
    ),
    re.compile(r"#map=\d+(?:\.\d+)?/(-?\d+(?:\.\d+)?)/(-?\d+(?:\.\d+)?)"),  # openstreetmap
    re.compile(r"\bgeo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)", re.IGNORECASE),
)
_URL_PARAMS = tuple(  # ?mlat=…&mlon=…, ?lat=…&lon=…
    tuple(re.compile(rf"[?&;#]{key}=(-?\d+(?:\.\d+)?)", re.IGNORECASE) for key in keys)
    for keys in (("mlat", "mlon"), ("lat", "lon"), ("lat", "lng"), ("latitude", "longitude"))
)
# Latitude, optional degree sign and hemisphere, a separator (",", ";", "/" or a space),
# longitude, optional degree sign and hemisphere. Every whitespace run is possessive (``*+``)
# and each optional mark is tried once, so a long run of spaces is read once, not once per way
# of splitting it (four ``\s*`` in a row made this quartic: 20 s for "1", 300 spaces, "a").
# After the longitude, the degree sign counts only when followed by a space, a hemisphere letter
# or no word at all, as the backtracking version had it.
_DECIMAL_PAIR = re.compile(
    r"(?<![\w.,])([-+\u2212]?\d{1,2}(?:\.\d+)?)"
    r"\s*+(?:°\s*+)?(?:([NSns])\s*+)?(?:[,;/]\s*+|(?<=\s))"
    r"([-+\u2212]?\d{1,3}(?:\.\d+)?)"
    r"\s*+(?:°(?=[EWOewo](?![\w.])|(?![\w.]))\s*+)?"
    r"(?:([EWOewo])(?![\w.])|(?![\w.])|(?<=\s))"
)
_DMS = re.compile(
    r"(\d{1,2})\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['\u2032\u2019]\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|\u2033|''|\u2019\u2019)\s*)?"
    r"([NSns])\W{0,3}(\d{1,3})\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['\u2032\u2019]\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|\u2033|''|\u2019\u2019)\s*)?([EWOewo])"
)
_LABELLED = re.compile(  # "latitud: 13.3 longitud: -87.1" (one reading of each space run)
    r"\blat(?:itud)?\s*+(?:[:=]\s*+)?(" + _NUM + r")"
    r"\W{1,4}lo?ng?(?:itud)?\s*+(?:[:=]\s*+)?(" + _NUM + ")",
    re.IGNORECASE,
)
_DECIMALS = re.compile(r"\.\d\d")
_SHORT_LINK = re.compile(
    r"\b(?:maps\.app\.goo\.gl|goo\.gl/maps|g\.co/kgs|maps\.google\.[a-z.]+/\?cid=|"
    r"osm\.org/go/|waze\.com/ul/h)",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def _valid(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


def _float(text: str) -> float:
    return float(text.replace("\u2212", "-").replace(",", "."))


def _dms(deg: str, minutes: str | None, seconds: str | None) -> float:
    return _float(deg) + _float(minutes or "0") / 60 + _float(seconds or "0") / 3600


def raw_point(text: str) -> tuple[float, float] | None:
    """The first coordinate pair written in the text, valid or not."""
    for pattern in _URL_PAIRS:
        m = pattern.search(text)
        if m:
            return float(m.group(1)), float(m.group(2))
    for url in URL.findall(text):
        for lat_param, lon_param in _URL_PARAMS:
            la = lat_param.search(url)
            lo = lon_param.search(url)
            if la and lo:
                return float(la.group(1)), float(lo.group(1))
    m = _LABELLED.search(text)
    if m:
        return _float(m.group(1)), _float(m.group(2))
    m = _DMS.search(text)
    if m:
        lat = _dms(m.group(1), m.group(2), m.group(3))
        lon = _dms(m.group(5), m.group(6), m.group(7))
        lat = -lat if m.group(4).upper() == "S" else lat
        lon = -lon if m.group(8).upper() in "WO" else lon
        return lat, lon
    body = URL.sub(" ", text)
    for m in _DECIMAL_PAIR.finditer(body):
        a, ns, b, ew = m.groups()
        has_marks = bool(ns or ew or "°" in m.group(0))
        precise = bool(_DECIMALS.search(a) and _DECIMALS.search(b))
        signed = "." in a and "." in b and b[:1] in "-\u2212"
        if not (has_marks or precise or signed):
            continue
        lat, lon = _float(a), _float(b)
        if ns and ns.upper() == "S":
            lat = -abs(lat)
        if ew and ew.upper() in "WO":
            lon = -abs(lon)
        elif not ew and 5 <= lat <= 21 and 59 <= lon <= 93:  # the region is west of Greenwich
            lon = -lon
        return lat, lon
    return None


def parse_point(text: str) -> tuple[float, float] | None:
    """Coordinates typed as text or inside a Google Maps / OpenStreetMap link, if valid.

    Plain decimal pairs need two decimals each, a negative longitude, degree signs or
    hemisphere letters (so "tengo 2.5 3.5" is not a point). A pair typed without the minus
    sign of the western longitude, inside Central America's latitudes, is read as west.
    Only the first ``MAX_MESSAGE_CHARS`` characters are read.
    """
    point = raw_point(clip(text))
    return point if point is not None and _valid(*point) else None


def is_short_link(text: str) -> bool:
    """A shortened maps link (maps.app.goo.gl, goo.gl/maps…) that only the network can open.

    Only the first ``MAX_MESSAGE_CHARS`` characters are read.
    """
    return bool(_SHORT_LINK.search(clip(text)))


def locate_point(lat: float, lon: float, gazetteer: Gazetteer) -> LocationResult:
    """A point (shared or typed): FOUND at exactly that point, named after the nearest place.

    A point farther than ``NAMELESS_KM`` from every place of the eight countries (Madrid,
    Miami) is outside the region the centers serve: NOT_FOUND with ``outside_region``.
    """
    if not _valid(lat, lon):
        return LocationResult(LocationStatus.NOT_FOUND, source=LocationSource.COORDINATES)
    near = gazetteer.nearest(lat, lon)
    if near is None or distance_km(lat, lon, near.lat, near.lon) > NAMELESS_KM:
        return LocationResult(
            LocationStatus.NOT_FOUND, source=LocationSource.COORDINATES, outside_region=True
        )
    place = Place(
        id=near.id,
        name=near.name,
        country=near.country,
        admin1=near.admin1,
        admin_name=near.admin_name,
        lat=lat,
        lon=lon,
        population=near.population,
    )
    return LocationResult(LocationStatus.FOUND, place=place, source=LocationSource.COORDINATES)

"""Callback data of inline buttons: built and parsed only here.

Clients can forge callback data, so parsing validates everything and returns None for anything
that is not exactly what this module builds. Telegram allows at most 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
ANY_NEED = "*"
_SLUG = re.compile(r"^[a-z_]{2,30}$")


@dataclass(frozen=True, slots=True)
class NeedChosen:
    slug: str | None  # None: any service


@dataclass(frozen=True, slots=True)
class PlaceChosen:
    place_id: int


@dataclass(frozen=True, slots=True)
class MoreCenters:
    offset: int


@dataclass(frozen=True, slots=True)
class ChangeNeed:
    pass


@dataclass(frozen=True, slots=True)
class ChangePlace:
    pass


Callback = NeedChosen | PlaceChosen | MoreCenters | ChangeNeed | ChangePlace


def need(slug: str | None) -> str:
    return f"need:{slug or ANY_NEED}"


def place(place_id: int) -> str:
    return f"place:{place_id}"


def more(offset: int) -> str:
    return f"more:{offset}"


CHANGE_NEED = "change:need"
CHANGE_PLACE = "change:place"


def parse(data: str | None, known_needs: frozenset[str]) -> Callback | None:
    """The button a callback stands for, or None when it is unknown, stale or forged."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    prefix, _, value = data.partition(":")
    if prefix == "need":
        if value == ANY_NEED:
            return NeedChosen(None)
        return NeedChosen(value) if _SLUG.match(value) and value in known_needs else None
    if prefix in ("place", "more"):
        if not value.isdigit() or len(value) > 12:
            return None
        number = int(value)
        return PlaceChosen(number) if prefix == "place" else MoreCenters(min(number, 10_000))
    if data == CHANGE_NEED:
        return ChangeNeed()
    if data == CHANGE_PLACE:
        return ChangePlace()
    return None

"""What the place-resolver tests share: the statuses, reading a found place, typing as on a phone."""

from __future__ import annotations

import unicodedata

from bot.domain.models import LocationResult, LocationStatus, Place

FOUND = LocationStatus.FOUND
AMBIGUOUS = LocationStatus.AMBIGUOUS
NOT_FOUND = LocationStatus.NOT_FOUND
MISSING = LocationStatus.MISSING


def found(result: LocationResult) -> Place:
    assert result.status is FOUND, result
    assert result.place is not None
    return result.place


def plain(text: str) -> str:
    """Lower case without accents, as people type on a phone."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

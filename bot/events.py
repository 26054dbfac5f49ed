"""Anonymous events for the network's statistics (issue 11, `bot.stats`).

One row per search answered: where (country, department), what (the main need), which center
came first, and whether the country's network covers the department — no user id, no text.
The services call `record_search` once per answer they remember (`Services._remember`), inside
the answer's transaction; `ask` remembers nothing and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import EventRow
from bot.domain.models import Center

if TYPE_CHECKING:
    from bot.services import Outcome

SEARCH = "search"
REQUEST_OPENED = "request_opened"
REQUEST_TAKEN = "request_taken"
REQUEST_CLOSED = "request_closed"
FEEDBACK = "feedback"
KINDS = (SEARCH, REQUEST_OPENED, REQUEST_TAKEN, REQUEST_CLOSED, FEEDBACK)

# bot.services.OutcomeKind.ANSWER (a StrEnum): compared by value, as bot.services imports this
_ANSWER = "answer"


def _coverage_map(centers: Sequence[Center]) -> dict[tuple[str, str], bool]:
    """(country, department) -> whether a source states the area, for every department that
    a rankable center of that country serves (sourced or inferred)."""
    covered: dict[tuple[str, str], bool] = {}
    for center in centers:
        if not center.ranked or center.closed:
            continue  # support points and centers closed for good serve no one
        for admin1 in center.service_area:
            key = (center.country, admin1)
            covered[key] = covered.get(key, False) or center.area_sourced(admin1)
    return covered


# the map of the last tuple of centers: the services load a new tuple when the data changes,
# so the map is never stale (the tuple is held, so its id is not reused)
_last: tuple[Sequence[Center], dict[tuple[str, str], bool]] | None = None


def coverage(centers: Sequence[Center], country: str, admin1: str) -> tuple[bool, bool]:
    """(served, served_sourced): whether a center of the country serves the department, and
    whether a source states it for at least one of them (not only inferred)."""
    global _last
    if _last is None or _last[0] is not centers:
        _last = (centers, _coverage_map(centers))
    sourced = _last[1].get((country, admin1))
    return sourced is not None, bool(sourced)


def search_values(
    outcome: Outcome, centers: Sequence[Center], now: datetime | None = None
) -> dict[str, object] | None:
    """The events row for a search answer (`Outcome` of kind ANSWER with a place), or None for
    any other outcome. `centers`: every center the answer was ranked among.

    served / served_sourced are None when the place has no known department; offered_nearby
    is None when no need was asked or no center could be ranked at all.
    """
    place = outcome.place
    if outcome.kind != _ANSWER or place is None or outcome.offset:
        return None  # «¿hay otro más cerca?» pages the same search: not a new question
    need = outcome.needs[0] if outcome.needs else ""
    first = outcome.matches[0] if outcome.matches else None
    served: bool | None = None
    sourced: bool | None = None
    if place.admin1:
        served, sourced = coverage(centers, place.country, place.admin1)
        if not served:
            sourced = None
    return {
        "at": now or datetime.now(UTC),
        "kind": SEARCH,
        "country": place.country[:2],
        "admin1": place.admin1[:20],
        "need": need[:40],
        "center_id": first.center.id[:60] if first else "",
        "served": served,
        "served_sourced": sourced,
        "offered_nearby": first.offers_need if first and need else None,
        "value": None,
    }


async def record_search(
    session: AsyncSession, outcome: Outcome, centers: Sequence[Center]
) -> None:
    """Add the search event of an answer to the session's transaction (nothing for other
    outcomes)."""
    values = search_values(outcome, centers)
    if values is not None:
        await session.execute(insert(EventRow).values(**values))

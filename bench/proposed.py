"""The changes proposed for files the benchmark's owner does not own, applied in-process.

Used only by the "proposed" rows of the benchmark, to show their effect measured the same way
as the code as it is; each patch is skipped when the repository already has the change. The
exact diffs and the reasons are in README.md, "Benchmarks".

P1. bot/services.py `_rank` returns the lazy `bot.domain.ranking.rank(...)` (closed centers and
    the day's closures handled by the ranking), so a reply computes only the matches it shows.
P2. bot/db/repositories.py + bot/services.py: one statement reads the user's memory row and the
    centers' data version (two round trips before, three for a new user); the row is held for
    `save()` (the session's identity map is weak: the row read by `get()` was read again).
P3. bot/domain/gazetteer.py + bot/domain/location/typos.py `_fuzzy`: typos are looked for only
    among the names with the same first letter and a length within the edit budget.
P4. (estimate only, see `memory_and_version_in_one_read(staff_edit_too=True)`) the staff edit
    in progress read by the same statement instead of a separate session per message.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from typing import Any


def lazy_ranking_in_services(services: Any) -> bool:
    """P1 on one Services instance; False when not needed (already lazy) or not possible."""
    from bot.domain.models import Place, SearchQuery
    from bot.domain.ranking import Ranking, rank

    method = getattr(services, "_rank", None)
    if method is None:
        return False
    try:
        probe = method(Place(0, "x", "HN", "HN.08", "", 14.08, -87.2), ("financiamiento",), ())
    except Exception:
        return False
    if isinstance(probe, Ranking):
        return False
    try:
        from bot.services import local_today  # the working tree's "closed today" rule
    except ImportError:
        local_today = None

    def _rank(
        self: Any, place: Any, needs: Sequence[str], centers: Sequence[Any]
    ) -> Sequence[Any]:
        query = SearchQuery(place.lat, place.lon, place.country, place.admin1, tuple(needs))
        day = local_today(place.country) if local_today is not None else None
        return rank(query, centers, closed_on=day)

    services._rank = types.MethodType(_rank, services)
    return True


def _module_defining(name: str, candidates: Sequence[str]) -> Any:
    import importlib

    for module_name in candidates:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, name):
            return module
    return None


class _Narrowed:
    """A gazetteer seen through a shorter list of keys (everything else as the real one)."""

    def __init__(self, gazetteer: Any, keys: list[str]) -> None:
        self._gazetteer = gazetteer
        self.keys = keys

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gazetteer, name)


def bucketed_fuzzy_search(only_for: Any = None) -> Callable[[], None] | None:
    """P3, module-wide (or for one gazetteer object only, the others keeping the code as
    it is); returns how to undo it, None when not needed or not possible.

    The repository's own `_fuzzy` runs unchanged, on the keys with the query's first letter
    and a length within 3 of it (3 is the largest edit budget it uses): what `keys_like` gives.
    """
    from bot.domain.gazetteer import Gazetteer

    module = _module_defining("_fuzzy", ("bot.domain.location.typos", "bot.domain.location"))
    if hasattr(Gazetteer, "keys_like") or module is None:
        return None
    original = module._fuzzy
    buckets: dict[int, tuple[Any, dict[tuple[str, int], list[str]]]] = {}

    def keys_like(gazetteer: Any, first: str, shortest: int, longest: int) -> list[str]:
        hit = buckets.get(id(gazetteer))
        if hit is None or hit[0] is not gazetteer:
            index: dict[tuple[str, int], list[str]] = {}
            for key in gazetteer.keys:
                index.setdefault((key[:1], len(key)), []).append(key)
            hit = buckets[id(gazetteer)] = (gazetteer, index)
        found = [
            k for n in range(max(shortest, 1), longest + 1) for k in hit[1].get((first, n), ())
        ]
        found.sort()
        return found

    def _fuzzy(query: str, gazetteer: Any) -> Any:
        if (only_for is not None and gazetteer is not only_for) or not query:
            return original(query, gazetteer)
        choices = keys_like(gazetteer, query[:1], len(query) - 3, len(query) + 3)
        return original(query, _Narrowed(gazetteer, choices))

    module._fuzzy = _fuzzy

    def undo() -> None:
        module._fuzzy = original

    return undo


def memory_and_version_in_one_read(services: Any, *, staff_edit_too: bool = False) -> bool:
    """P2 on one Services instance: the user's memory row and the centers' data version
    come back in one statement (one database round trip instead of two per message), and a
    user without a row (a new conversation) is not looked up twice more; the version waits in
    `session.info` for `centers()` in the same request, so every request still sees the current
    version (any worker's edit, at once).

    staff_edit_too: an estimate of P4 (not an implementation): the same statement also
    reads the user's staff edit in progress (LEFT JOIN edit_sessions), and the handlers' separate
    `staff.current_edit` lookup is skipped; valid only for a workload without staff edits.
    """
    import json
    from dataclasses import asdict
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from bot.db import repositories
    from bot.db.models import MetaRow, UserStateRow
    from bot.db.seed import CENTERS_VERSION_KEY
    from bot.domain.models import Memory

    base = repositories.MemoryRepository
    if any(hasattr(base, name) for name in ("preload", "load")) or not all(
        hasattr(type(services), name) for name in ("_memory", "_save", "centers")
    ):
        return False  # the repository reads the memory its own (new) way: nothing to patch
    centers_method = type(services).centers

    class Repo(base):  # type: ignore[misc, valid-type]
        """MemoryRepository with the proposed `preload` (see README, "Benchmarks")."""

        async def preload(self, user_id: int, meta_key: str) -> str | None:
            statement = (
                select(MetaRow.value, UserStateRow)
                .select_from(MetaRow)
                .outerjoin(UserStateRow, UserStateRow.user_id == user_id)
                .where(MetaRow.key == meta_key)
            )
            if staff_edit_too:
                from bot.db.models import EditSessionRow

                statement = statement.add_columns(EditSessionRow).outerjoin(
                    EditSessionRow, EditSessionRow.user_id == user_id
                )
            found = (await self.session.execute(statement)).first()
            if found is None:
                return None
            # held here: the session's identity map keeps only weak references
            self.session.info[("memory_row", user_id)] = found[1]
            return found[0]

        async def _row(self, user_id: int) -> Any:
            key = ("memory_row", user_id)
            if key in self.session.info:
                return self.session.info[key]
            return await self.session.get(UserStateRow, user_id)

        async def get(self, user_id: int, now: datetime) -> Memory:
            row = await self._row(user_id)
            if row is None or repositories._aware(row.expires_at) <= now:
                return Memory()
            return await super().get(user_id, now)  # from the identity map: no statement

        async def save(
            self, user_id: int, memory: Memory, now: datetime, expires: datetime
        ) -> None:
            row = await self._row(user_id)
            if row is not None:
                return await super().save(user_id, memory, now, expires)  # identity map
            row = UserStateRow(
                user_id=user_id,
                place_json=repositories._place_json(memory.place),
                needs=",".join(memory.needs),
                candidates_json=json.dumps(
                    [asdict(c) for c in memory.candidates], ensure_ascii=False
                ),
                updated_at=now,
                expires_at=expires,
            )
            self.session.add(row)
            self.session.info[("memory_row", user_id)] = row
            return None

    async def _memory(self: Any, session: Any, user_id: int) -> Memory:
        repo = Repo(session)
        session.info[CENTERS_VERSION_KEY] = await repo.preload(user_id, CENTERS_VERSION_KEY)
        return await repo.get(user_id, datetime.now(UTC))

    async def _save(self: Any, session: Any, user_id: int, memory: Memory) -> None:
        now = datetime.now(UTC)
        expires = now + timedelta(minutes=self.settings.memory_minutes)
        await Repo(session).save(user_id, memory, now, expires)

    async def centers(self: Any, session: Any) -> Any:
        if CENTERS_VERSION_KEY not in session.info:
            return await centers_method(self, session)
        version = session.info.pop(CENTERS_VERSION_KEY)
        if version != self._centers_version or not self._centers:
            return await centers_method(self, session)  # reads it again, then reloads
        return self._centers

    services._memory = types.MethodType(_memory, services)
    services._save = types.MethodType(_save, services)
    services.centers = types.MethodType(centers, services)
    staff = getattr(services, "staff", None)
    if staff_edit_too and staff is not None and hasattr(staff, "current_edit"):

        async def current_edit(self: Any, user_id: int) -> None:
            return None  # answered by the statement above in the proposed design

        staff.current_edit = types.MethodType(current_edit, staff)
    return True

"""Repositories: take a session, return domain objects, never commit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.inline import InlineSqlite
from bot.db.models import (
    AgencyFactRow,
    AgencyRow,
    CenterAreaRow,
    CenterFactRow,
    CenterRow,
    CenterServiceRow,
    EditSessionRow,
    MetaRow,
    RequestDraftRow,
    ServiceRow,
    UserStateRow,
)
from bot.domain.hours import Closure
from bot.domain.models import Agency, Asked, Center, Fact, Memory, Need, Place


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _fact(row: CenterFactRow | AgencyFactRow) -> Fact:
    return Fact(
        field=row.field,
        value=row.value,
        label=row.label,
        source_url=row.source_url,
        source_date=row.source_date,
        confidence=row.confidence,
    )


def _fact_values(fact: Fact) -> dict[str, str]:
    return {
        "field": fact.field,
        "value": fact.value,
        "label": fact.label,
        "source_url": fact.source_url,
        "source_date": fact.source_date,
        "confidence": fact.confidence,
    }


def _center(row: CenterRow) -> Center:
    return Center(
        id=row.id,
        name=row.name,
        country=row.country,
        operator=row.operator,
        network=row.network,
        city=row.city,
        admin1=row.admin1,
        address=row.address,
        phone=row.phone,
        email=row.email,
        website=row.website,
        hours=row.hours,
        lat=row.lat,
        lon=row.lon,
        coord_precision=row.coord_precision,
        service_area=tuple(a.admin1 for a in row.areas),
        service_area_inferred=row.service_area_inferred,
        services=tuple(s.service_slug for s in row.services),
        services_sourced=tuple(s.service_slug for s in row.services if s.sourced),
        source_url=row.source_url,
        source_date=row.source_date,
        verified=row.verified,
        ranked=row.ranked,
        notes=row.notes,
        hours_json=row.hours_json,
        timezone=row.timezone,
        closures=tuple(Closure(c.start, c.end, c.message) for c in row.closures),
        closed=row.closed,
        confirmed_at=_aware(row.confirmed_at) if row.confirmed_at else None,
        version=row.version,
        facts=tuple(_fact(f) for f in row.facts),
    )


class CenterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, *, include_unranked: bool = True) -> list[Center]:
        stmt = select(CenterRow).order_by(CenterRow.position, CenterRow.id)
        if not include_unranked:
            stmt = stmt.where(CenterRow.ranked.is_(True))
        rows = (await self.session.scalars(stmt)).all()
        return [_center(row) for row in rows]

    async def get(self, center_id: str) -> Center | None:
        row = await self.session.get(CenterRow, center_id)
        return _center(row) if row else None

    async def upsert(self, center: Center, position: int) -> None:
        """Insert or replace a center with its areas and services."""
        row = await self.session.get(CenterRow, center.id)
        if row is None:
            row = CenterRow(id=center.id)
            self.session.add(row)
        for name in (
            "country", "network", "name", "operator", "city", "admin1", "address", "phone",
            "email", "website", "hours", "lat", "lon", "coord_precision",
            "service_area_inferred", "source_url", "source_date", "verified", "ranked", "notes",
        ):  # fmt: skip
            setattr(row, name, getattr(center, name))
        row.position = position
        row.areas = [CenterAreaRow(admin1=key) for key in dict.fromkeys(center.service_area)]
        sourced = set(center.services_sourced)
        row.services = [
            CenterServiceRow(service_slug=slug, position=i, sourced=slug in sourced)
            for i, slug in enumerate(dict.fromkeys(center.services))
        ]
        row.facts = [
            CenterFactRow(position=i, **_fact_values(f)) for i, f in enumerate(center.facts)
        ]

    async def set_facts(self, center_id: str, facts: Sequence[Fact]) -> None:
        """Replace the facts of a center, leaving its values alone (a fact about a value that
        staff changed since simply no longer applies)."""
        row = await self.session.get(CenterRow, center_id)
        if row is not None:
            row.facts = [CenterFactRow(position=i, **_fact_values(f)) for i, f in enumerate(facts)]


class ServiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self) -> list[Need]:
        rows = (await self.session.scalars(select(ServiceRow).order_by(ServiceRow.position))).all()
        return [
            Need(
                slug=r.slug,
                label=r.label,
                description=r.description,
                keywords=tuple(k for k in r.keywords.split("|") if k),
            )
            for r in rows
        ]

    async def upsert_all(self, needs: Sequence[Need]) -> None:
        for position, need in enumerate(needs):
            row = await self.session.get(ServiceRow, need.slug)
            if row is None:
                row = ServiceRow(slug=need.slug)
                self.session.add(row)
            row.position = position
            row.label = need.label
            row.description = need.description
            row.keywords = "|".join(need.keywords)


class AgencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self) -> list[Agency]:
        rows = (await self.session.scalars(select(AgencyRow).order_by(AgencyRow.country))).all()
        return [
            Agency(
                country=r.country,
                name=r.name,
                website=r.website,
                source_url=r.source_url,
                phone=r.phone,
                email=r.email,
                address=r.address,
                city=r.city,
                source_date=r.source_date,
                confidence=r.confidence,
                facts=tuple(_fact(f) for f in r.facts),
            )
            for r in rows
        ]

    async def replace_all(self, agencies: Sequence[Agency]) -> None:
        await self.session.execute(delete(AgencyFactRow))
        await self.session.execute(delete(AgencyRow))
        for a in agencies:
            self.session.add(
                AgencyRow(
                    country=a.country,
                    name=a.name,
                    website=a.website,
                    source_url=a.source_url,
                    phone=a.phone,
                    email=a.email,
                    address=a.address,
                    city=a.city,
                    source_date=a.source_date,
                    confidence=a.confidence,
                    facts=[
                        AgencyFactRow(position=i, **_fact_values(f)) for i, f in enumerate(a.facts)
                    ],
                )
            )


MEMORY_DECIMALS = 3  # about 100 m: a remembered point is a neighbourhood, not a doorstep


def coarse_place(place: Place | None) -> Place | None:
    """A place as it is remembered: coordinates rounded to about 100 m (MEMORY_DECIMALS).

    The answer to the message that gave the place uses the exact point; only what is stored
    between messages is coarse.
    """
    if place is None:
        return None
    lat, lon = round(place.lat, MEMORY_DECIMALS), round(place.lon, MEMORY_DECIMALS)
    return place if (lat, lon) == (place.lat, place.lon) else replace(place, lat=lat, lon=lon)


def _place_json(place: Place | None) -> str:
    coarse = coarse_place(place)
    return json.dumps(asdict(coarse), ensure_ascii=False) if coarse else ""


def _place(data: str) -> Place | None:
    return Place(**json.loads(data)) if data else None


def _memory(row: Any, now: datetime) -> Memory:
    """The memory in a row of `_MEMORY` columns (None, or expired: nothing remembered)."""
    if row is None or row.expires_at is None or _aware(row.expires_at) <= now:
        return Memory()
    candidates = tuple(Place(**c) for c in json.loads(row.candidates_json or "[]"))
    return Memory(
        place=_place(row.place_json),
        needs=tuple(n for n in row.needs.split(",") if n),
        candidates=candidates,
        language=row.language or "es",
        asked=_asked(row.asked),
    )


def _asked(value: str | None) -> Asked:
    try:
        return Asked(value or "")
    except ValueError:  # a value of a newer release, read by an older worker: nothing asked
        return Asked.NOTHING


_STATE = "user_state"  # session.info key: (_STATE, user_id) -> expiry of the row load() read

# Per-user memory runs on every message: SQLAlchemy Core statements built once (no ORM
# entity, identity map or flush on this path), executed on the session's connection.
_USERS = cast(Table, UserStateRow.__table__)
_META = cast(Table, MetaRow.__table__)
_EDITS = cast(Table, EditSessionRow.__table__)
_DRAFTS = cast(Table, RequestDraftRow.__table__)
_MEMORY = (
    _USERS.c.place_json,
    _USERS.c.needs,
    _USERS.c.candidates_json,
    _USERS.c.language,
    _USERS.c.asked,
    _USERS.c.expires_at,
)
_LOAD = (
    select(
        _META.c.value.label("centers_version"),
        *_MEMORY,
        _EDITS.c.field.label("edit_field"),
        _EDITS.c.expires_at.label("edit_expires_at"),
        _DRAFTS.c.expires_at.label("draft_expires_at"),
    )
    .select_from(_META)
    .outerjoin(_USERS, _USERS.c.user_id == bindparam("user_id"))
    .outerjoin(_EDITS, _EDITS.c.user_id == bindparam("user_id"))
    .outerjoin(_DRAFTS, _DRAFTS.c.user_id == bindparam("user_id"))
    .where(_META.c.key == bindparam("key"))
)
_GET = select(*_MEMORY).where(_USERS.c.user_id == bindparam("user_id"))
_SAVED = (
    "place_json",
    "needs",
    "candidates_json",
    "language",
    "asked",
    "updated_at",
    "expires_at",
)
_UPDATE = (
    update(_USERS)
    .where(_USERS.c.user_id == bindparam("key_user_id"))
    .values({name: bindparam(name) for name in _SAVED})
)


def _upsert(dialect: str) -> Any:
    """Insert or update in one statement: a new user's first two updates may reach two
    workers at once."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(_USERS)
    return stmt.on_conflict_do_update(
        index_elements=[_USERS.c.user_id], set_={name: stmt.excluded[name] for name in _SAVED}
    )


_UPSERT = {name: _upsert(name) for name in ("sqlite", "postgresql")}


@dataclass(frozen=True, slots=True)
class UserContext:
    """What one message needs from the database about its user, read in one statement."""

    memory: Memory
    editing: str | None  # the field of a staff edit in progress, if any
    centers_version: str | None
    drafting: bool = False  # a request being written (bot.requests), not expired


class MemoryRepository:
    """Per-user memory, with an expiry so old conversations are forgotten.

    Expiry is checked on every read: an expired memory is read as absent at once (the clean-up
    job only frees the space of users who never come back), and erase_expired() deletes it when
    the user's next message would otherwise leave it in place.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _execute(self, statement: Any, params: dict[str, Any]) -> Any:
        connection = await self.session.connection()
        return await connection.execute(statement, params)

    async def load(
        self, user_id: int, now: datetime, version_key: str, inline: InlineSqlite | None = None
    ) -> UserContext:
        """The user's memory, their edit in progress, whether they are writing a request and
        the centers' data version, at once.

        One round trip per message instead of three; whether the user has a row (and when it
        expires) is kept in session.info, so that save() updates it without reading it again.
        `inline` (SQLite in a file): the statement runs on the event loop's thread, without a
        hand-off to aiosqlite's. Only for the first statement of a session (nothing of it is
        unwritten then); pysqlite reads outside a transaction either way, so what is read is
        the same: the latest committed row.
        """
        params = {"user_id": user_id, "key": version_key}
        found = None
        try:
            found = inline.first(_LOAD, params) if inline is not None else None
        except OperationalError:  # busy at that very moment: the ordinary way
            inline = None
        if inline is None:
            found = (await self._execute(_LOAD, params)).first()
        if found is None:  # a database without its meta row: read each part on its own
            edit = await self.session.get(EditSessionRow, user_id)
            editing = edit.field if edit and _aware(edit.expires_at) > now else None
            draft = await self.session.get(RequestDraftRow, user_id)
            drafting = draft is not None and _aware(draft.expires_at) > now
            return UserContext(await self.get(user_id, now), editing, None, drafting)
        self.session.info[(_STATE, user_id)] = found.expires_at  # None: no row
        field, edit_expires = found.edit_field, found.edit_expires_at
        editing = field if field and edit_expires and _aware(edit_expires) > now else None
        draft_expires = found.draft_expires_at
        drafting = draft_expires is not None and _aware(draft_expires) > now
        return UserContext(_memory(found, now), editing, found.centers_version, drafting)

    async def get(self, user_id: int, now: datetime) -> Memory:
        row = (await self._execute(_GET, {"user_id": user_id})).first()
        self.session.info[(_STATE, user_id)] = row.expires_at if row is not None else None
        return _memory(row, now)

    async def save(self, user_id: int, memory: Memory, now: datetime, expires: datetime) -> None:
        values = {
            "place_json": _place_json(memory.place),
            "needs": ",".join(memory.needs),
            "candidates_json": json.dumps(
                [asdict(c) for c in memory.candidates], ensure_ascii=False
            ),
            "language": memory.language,
            "asked": str(memory.asked),
            "updated_at": now,
            "expires_at": expires,
        }
        if self.session.info.get((_STATE, user_id)) is not None:  # its row was read: update it
            result = await self._execute(_UPDATE, {"key_user_id": user_id, **values})
            if getattr(result, "rowcount", 0):
                self.session.info[(_STATE, user_id)] = expires
                return
        # A new user (or a row deleted meanwhile): insert or update in one statement.
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        upsert = _UPSERT["postgresql" if dialect == "postgresql" else "sqlite"]
        await self._execute(upsert, {"user_id": user_id, **values})
        self.session.info[(_STATE, user_id)] = expires

    async def erase_expired(self, user_id: int, now: datetime) -> None:
        """Delete the memory load() found expired (no statement when it was not)."""
        expires: datetime | None = self.session.info.get((_STATE, user_id))
        if expires is not None and _aware(expires) <= now:
            await self.delete(user_id)

    async def delete(self, user_id: int) -> bool:
        self.session.info.pop((_STATE, user_id), None)
        result = await self.session.execute(
            delete(UserStateRow).where(UserStateRow.user_id == user_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def purge_expired(self, now: datetime) -> None:
        await self.session.execute(delete(UserStateRow).where(UserStateRow.expires_at <= now))


class MetaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> str | None:
        row = await self.session.get(MetaRow, key)
        return row.value if row else None

    async def set(self, key: str, value: str) -> None:
        row = await self.session.get(MetaRow, key)
        if row is None:
            self.session.add(MetaRow(key=key, value=value))
        else:
            row.value = value

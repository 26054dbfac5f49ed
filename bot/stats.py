"""Numbers for the network (issue 11): what entrepreneurs ask, where, and what goes unmet.

Read from the anonymous `events` table (`bot.events`): one grouped query (`load_counts`), then
pure computation (`compute`) into a `Stats`, which `bot.stats_render` shows as text, CSV or a
PNG chart. Who may see what (`scope_for`): network admins everything, a coordinator their
countries, nobody else anything. Periods are whole days in UTC, `until` included.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import CenterRow, CoordinatorRow, EventRow, ServiceRow
from bot.domain.gazetteer import COUNTRY_NAMES, Gazetteer
from bot.events import FEEDBACK, REQUEST_CLOSED, REQUEST_OPENED, REQUEST_TAKEN, SEARCH

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.staff import StaffService

# A department's coverage in the period, the weakest seen first (see `Department.status`).
UNSERVED = "unserved"  # no center of the country serves it
INFERRED = "inferred"  # served, but only by service areas inferred (not stated by a source)
SOURCED = "sourced"  # served by a center whose service area a source states
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Period:
    since: date
    until: date | None = None  # included; None: up to now

    def bounds(self) -> tuple[datetime, datetime | None]:
        """[start, end) in UTC."""
        start = datetime.combine(self.since, time(), UTC)
        end = datetime.combine(self.until + timedelta(days=1), time(), UTC) if self.until else None
        return start, end


@dataclass(frozen=True, slots=True)
class EventCount:
    """One group of equal events (every column but the time) and how many there are."""

    kind: str
    country: str = ""
    admin1: str = ""
    need: str = ""
    center_id: str = ""
    served: bool | None = None
    served_sourced: bool | None = None
    offered_nearby: bool | None = None
    value: int | None = None
    count: int = 1


@dataclass(frozen=True, slots=True)
class Names:
    """Labels for the keys: departments (admin1 key), needs (slug), centers (id)."""

    departments: Mapping[str, str] = field(default_factory=dict)
    needs: Mapping[str, str] = field(default_factory=dict)
    centers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Department:
    country: str
    admin1: str
    label: str  # its name (with the country's code when several countries are shown)
    searches: int
    unserved: int = 0  # searches no center of the country serves
    sourced: int = 0  # served, a source states the area
    inferred: int = 0  # served, the area only inferred

    @property
    def status(self) -> str:
        """The weakest coverage seen in the period (the data may change within it)."""
        if self.unserved:
            return UNSERVED
        if self.inferred:
            return INFERRED
        return SOURCED if self.sourced else UNKNOWN


@dataclass(frozen=True, slots=True)
class Stats:
    period: Period
    countries: tuple[str, ...]  # () = every country
    searches: int = 0
    departments: tuple[Department, ...] = ()  # most asked first
    needs: tuple[Tally, ...] = ()  # key "" = no need named («cualquier servicio»)
    centers: tuple[Tally, ...] = ()  # the first-ranked center; key "" = none could be ranked
    unserved: tuple[Tally, ...] = ()  # departments with searches no center serves
    unmet_needs: tuple[Tally, ...] = ()  # needs the first-ranked center does not offer
    served_sourced: int = 0
    served_inferred: int = 0
    not_served: int = 0
    no_department: int = 0  # searches from a place with no known department
    opened: int = 0
    taken: int = 0
    closed: int = 0
    median_take_seconds: float | None = None
    take_times: int = 0  # how many takes carry their time
    rating_mean: float | None = None
    ratings: int = 0


def weighted_median(values: Iterable[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many times); None for none."""
    ordered = sorted((v, n) for v, n in values if n > 0)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}
    found: list[int] = []
    seen = 0
    for value, n in ordered:
        found.extend(value for p in sorted(wanted) if seen <= p < seen + n)
        seen += n
    return sum(found) / len(found)


def _tallies(counter: Counter[str], labels: Mapping[str, str]) -> tuple[Tally, ...]:
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0]), kv[0]))
    return tuple(Tally(k, labels.get(k, k), n) for k, n in ordered)


def compute(
    counts: Iterable[EventCount], names: Names, period: Period, countries: Sequence[str] = ()
) -> Stats:
    """The statistics of a set of grouped events (pure: no I/O)."""
    scope = set(countries)
    searches = served_sourced = served_inferred = not_served = no_department = 0
    opened = taken = closed = rating_sum = ratings = 0
    departments: dict[tuple[str, str], list[int]] = {}  # searches, unserved, sourced, inferred
    needs: Counter[str] = Counter()
    centers: Counter[str] = Counter()
    unmet: Counter[str] = Counter()
    take_times: list[tuple[int, int]] = []
    for c in counts:
        if scope and c.country not in scope:
            continue
        n = c.count
        if c.kind == SEARCH:
            searches += n
            needs[c.need] += n
            centers[c.center_id] += n
            if c.offered_nearby is False:
                unmet[c.need] += n
            if not c.admin1:
                no_department += n
                continue
            row = departments.setdefault((c.country, c.admin1), [0, 0, 0, 0])
            row[0] += n
            if c.served is False:
                row[1] += n
                not_served += n
            elif c.served:
                row[2 if c.served_sourced else 3] += n
                served_sourced += n if c.served_sourced else 0
                served_inferred += 0 if c.served_sourced else n
        elif c.kind == REQUEST_OPENED:
            opened += n
        elif c.kind == REQUEST_TAKEN:
            taken += n
            if c.value is not None and c.value >= 0:
                take_times.append((c.value, n))
        elif c.kind == REQUEST_CLOSED:
            closed += n
        elif c.kind == FEEDBACK and c.value is not None and 1 <= c.value <= 5:
            rating_sum += c.value * n
            ratings += n
    several = len(scope) != 1 and len({k[0] for k in departments}) > 1
    shown = []
    for (country, admin1), (total, unserved, sourced, inferred) in departments.items():
        label = names.departments.get(admin1) or admin1
        shown.append(
            Department(
                country,
                admin1,
                f"{label} ({country})" if several else label,
                total,
                unserved,
                sourced,
                inferred,
            )
        )
    shown.sort(key=lambda d: (-d.searches, d.label, d.admin1))
    unserved_tallies = sorted(
        (Tally(d.admin1, d.label, d.unserved) for d in shown if d.unserved),
        key=lambda t: (-t.count, t.label, t.key),
    )
    return Stats(
        period=period,
        countries=tuple(sorted(scope)),
        searches=searches,
        departments=tuple(shown),
        needs=_tallies(needs, names.needs),
        centers=_tallies(centers, names.centers),
        unserved=tuple(unserved_tallies),
        unmet_needs=_tallies(unmet, names.needs),
        served_sourced=served_sourced,
        served_inferred=served_inferred,
        not_served=not_served,
        no_department=no_department,
        opened=opened,
        taken=taken,
        closed=closed,
        median_take_seconds=weighted_median(take_times),
        take_times=sum(n for _, n in take_times),
        rating_mean=rating_sum / ratings if ratings else None,
        ratings=ratings,
    )


# --- the database --------------------------------------------------------------------------


async def load_counts(
    session: AsyncSession, period: Period, countries: Sequence[str] = ()
) -> list[EventCount]:
    """The period's events, grouped by every column but the time (one row a group)."""
    columns = (
        EventRow.kind,
        EventRow.country,
        EventRow.admin1,
        EventRow.need,
        EventRow.center_id,
        EventRow.served,
        EventRow.served_sourced,
        EventRow.offered_nearby,
        EventRow.value,
    )
    start, end = period.bounds()
    query = select(*columns, func.count()).where(EventRow.at >= start).group_by(*columns)
    if end is not None:
        query = query.where(EventRow.at < end)
    if countries:
        query = query.where(EventRow.country.in_(list(countries)))
    rows = (await session.execute(query)).all()
    return [EventCount(*row[:9], count=int(row[9])) for row in rows]


async def load_names(
    session: AsyncSession, gazetteer: Gazetteer, counts: Sequence[EventCount]
) -> Names:
    """The labels the counts need: departments (gazetteer), services and centers (database)."""
    ids = sorted({c.center_id for c in counts if c.center_id})
    centers: dict[str, str] = {}
    if ids:
        query = select(CenterRow.id, CenterRow.name).where(CenterRow.id.in_(ids))
        centers = {row.id: row.name for row in await session.execute(query)}
    labels = await session.execute(select(ServiceRow.slug, ServiceRow.label))
    needs = {row.slug: row.label for row in labels}
    return Names(gazetteer.departments(), needs, centers)


async def gather(
    sessions: async_sessionmaker[AsyncSession],
    gazetteer: Gazetteer,
    period: Period,
    countries: Sequence[str] = (),
) -> Stats:
    """The statistics of a period (and countries; () for all) from the database."""
    async with sessions() as session:
        counts = await load_counts(session, period, countries)
        names = await load_names(session, gazetteer, counts)
    return compute(counts, names, period, countries)


async def scope_for(
    staff: StaffService, user_id: int, country: str = ""
) -> tuple[str, ...] | None:
    """The countries a user may see (() = all), narrowed to `country` when given; None when
    they may see none of it: network admins see everything, a coordinator their countries."""
    if await staff.is_admin(user_id):
        return (country,) if country else ()
    async with staff.sessions() as session:
        query = select(CoordinatorRow.country).where(CoordinatorRow.user_id == user_id)
        mine = tuple(sorted(set((await session.scalars(query)).all())))
    if country:
        return (country,) if country in mine else None
    return mine or None


# --- the command line ----------------------------------------------------------------------


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in COUNTRY_NAMES:
        raise argparse.ArgumentTypeError(f"not one of {', '.join(COUNTRY_NAMES)}: {value!r}")
    return code


def add_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`python -m bot stats --since YYYY-MM-DD [--until …] [--country XX] [--format …]`."""
    stats = subparsers.add_parser(
        "stats",
        help="the network's numbers: searches, unmet demand, requests, satisfaction",
        description="Statistics of the anonymous events of a period (whole UTC days, --until "
        "included): text or CSV on standard output, or a PNG chart (default file stats.png).",
    )
    stats.add_argument("--since", type=_date, required=True, help="first day, YYYY-MM-DD")
    stats.add_argument("--until", type=_date, help="last day, included (default: today)")
    stats.add_argument("--country", type=_country, help="one country (HN, SV, …); default all")
    stats.add_argument("--format", choices=["text", "csv", "png"], default="text")
    stats.add_argument("--output", "-o", type=Path, help="a file (PNG default: stats.png)")


def run_cli(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run `stats` (see `add_cli`); the settings are read from the environment when not given."""
    if args.until is not None and args.until < args.since:
        print("--until is before --since", file=sys.stderr)
        return 2
    if settings is None:
        from bot.config import load_settings

        settings = load_settings()
    period = Period(args.since, args.until)
    stats = asyncio.run(_from_database(settings, period, (args.country,) if args.country else ()))
    from bot import stats_render

    if args.format == "png":
        output: Path = args.output or Path("stats.png")
        output.write_bytes(stats_render.render_png(stats))
        print(f"Chart written to {output}", file=sys.stderr)
        return 0
    if args.format == "csv":
        body = stats_render.render_csv(stats)
    else:
        from bot.replies import plain

        body = plain(stats_render.render_text(stats)) + "\n"
    if args.output:
        args.output.write_text(body, encoding="utf-8", newline="")
        return 0
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")  # the summary's emoji, whatever the locale
    sys.stdout.write(body)
    return 0


async def _from_database(settings: Settings, period: Period, countries: Sequence[str]) -> Stats:
    from bot.db.seed import ensure_database
    from bot.db.session import make_engine, make_sessionmaker
    from bot.geo import load_gazetteer

    engine = make_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        await ensure_database(engine, sessions)
        return await gather(sessions, load_gazetteer(), period, countries)
    finally:
        await engine.dispose()

"""Country coordinators: admins grant the role per country; coordinators receive the requests
of centers that have no staff in the bot (and see their country's statistics). They do not
import, revert or grant roles.

Use cases (`CoordinatorService`) and the command line `coordinator add|list|revoke`, which
`bot.cli` wires with `add_cli(subparsers)` and `run_cli(args)`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import COUNTRIES, Settings
from bot.db.models import CoordinatorRow
from bot.handoff import forget_receivers


@dataclass(frozen=True, slots=True)
class Coordinator:
    user_id: int
    country: str
    granted_by: int | None
    granted_at: datetime


def _country(code: str) -> str:
    country = code.strip().upper()
    if country not in COUNTRIES:
        raise ValueError(f"unknown country {code!r}: one of {', '.join(COUNTRIES)}")
    return country


class CoordinatorService:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessions = sessions
        from bot.staff import StaffService  # not at import: `python -m bot ask` starts fast

        self._staff = StaffService(settings, sessions)

    async def _require_admin(self, session: AsyncSession, actor: int) -> None:
        from bot.staff import NotAllowed

        if not await self._staff.is_admin(actor, session):
            raise NotAllowed

    async def add(self, actor: int, user_id: int, country: str) -> bool:
        """Grant the role (admins only); False when the user already had it."""
        country = _country(country)
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            if await session.get(CoordinatorRow, (user_id, country)) is not None:
                return False
            session.add(
                CoordinatorRow(
                    user_id=user_id,
                    country=country,
                    granted_by=actor,
                    granted_at=datetime.now(UTC),
                )
            )
        forget_receivers()
        return True

    async def revoke(self, actor: int, user_id: int, country: str) -> bool:
        country = _country(country)
        async with self.sessions() as session, session.begin():
            await self._require_admin(session, actor)
            result = await session.execute(
                delete(CoordinatorRow).where(
                    CoordinatorRow.user_id == user_id, CoordinatorRow.country == country
                )
            )
        forget_receivers()
        return bool(getattr(result, "rowcount", 0))

    async def list_coordinators(self, actor: int, country: str | None = None) -> list[Coordinator]:
        async with self.sessions() as session:
            await self._require_admin(session, actor)
            query = select(CoordinatorRow).order_by(CoordinatorRow.country, CoordinatorRow.user_id)
            if country:
                query = query.where(CoordinatorRow.country == _country(country))
            rows = (await session.scalars(query)).all()
        return [Coordinator(r.user_id, r.country, r.granted_by, r.granted_at) for r in rows]

    async def countries_of(self, user_id: int) -> tuple[str, ...]:
        """The countries this user coordinates (none: not a coordinator)."""
        async with self.sessions() as session:
            rows = await session.scalars(
                select(CoordinatorRow.country).where(CoordinatorRow.user_id == user_id)
            )
            return tuple(sorted(rows.all()))


# --- command line ---------------------------------------------------------------------------


def add_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`coordinator add USER_ID CC | list [CC] | revoke USER_ID CC`."""
    parser = subparsers.add_parser(
        "coordinator", help="grant, list and revoke country coordinators"
    )
    actions = parser.add_subparsers(dest="coordinator_action", required=True)
    for name, text in (
        ("add", "make a Telegram user a coordinator of a country"),
        ("revoke", "take the role away (for that country)"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("user_id", type=int)
        action.add_argument("country", help=f"one of {', '.join(COUNTRIES)}")
    actions.add_parser("list", help="the coordinators, by country").add_argument(
        "country", nargs="?", default=None
    )


def run_cli(args: argparse.Namespace, settings: Settings | None = None) -> int:
    """Run `coordinator …` (acting as the command line, an admin); the exit code."""
    if settings is None:
        from bot.config import load_settings

        settings = load_settings()
    return asyncio.run(coordinator_command(settings, args, sys.stdout))


async def coordinator_command(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from bot.db.seed import ensure_database
    from bot.db.session import make_engine, make_sessionmaker
    from bot.staff import CLI_ACTOR

    engine = make_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        await ensure_database(engine, sessions)
        service = CoordinatorService(settings, sessions)
        action = args.coordinator_action
        try:
            if action == "list":
                found = await service.list_coordinators(CLI_ACTOR, args.country)
                for c in found:
                    out.write(f"{c.user_id:<14} {c.country}  since {c.granted_at:%Y-%m-%d}\n")
                if not found:
                    print("No coordinators.", file=sys.stderr)
                return 0
            if action == "add":
                added = await service.add(CLI_ACTOR, args.user_id, args.country)
                state = "is now" if added else "was already"
                out.write(
                    f"User {args.user_id} {state} a coordinator of {_country(args.country)}.\n"
                )
                return 0
            if await service.revoke(CLI_ACTOR, args.user_id, args.country):
                out.write(
                    f"User {args.user_id} is no longer a coordinator of "
                    f"{_country(args.country)}.\n"
                )
                return 0
            print(
                f"User {args.user_id} is not a coordinator of {_country(args.country)}.",
                file=sys.stderr,
            )
            return 1
        except ValueError as error:
            print(str(error).capitalize() + ".", file=sys.stderr)
            return 2
    finally:
        await engine.dispose()

"""Command line: `python -m bot [run|demo|ask|centers|db]`."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any, TextIO

from bot.config import Settings, SettingsError, configure_logging, load_dotenv_file, load_settings
from bot.db.migrate import DatabaseOutdated

log = logging.getLogger("bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Ruta MIPYME: the bot and its tools."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot on Telegram (long polling; the default)")
    sub.add_parser("demo", help="talk to the bot in the terminal (no token, no network)")
    ask = sub.add_parser("ask", help="answer messages as JSON lines (see shared/eval/README.md)")
    ask.add_argument("text", nargs="*", help="the message; without it, one message per stdin line")
    ask.add_argument("--json", action="store_true", help="JSON output (the only format)")
    ask.add_argument("--lat", type=float, help="latitude of a location shared from the phone")
    ask.add_argument("--lon", type=float, help="longitude of a location shared from the phone")
    centers = sub.add_parser("centers", help="list the centers")
    centers.add_argument("--json", action="store_true", help="one JSON array on stdout")
    centers.add_argument("--all", action="store_true", help="include unranked support offices")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument(
        "action",
        choices=["upgrade", "seed", "revision"],
        help="upgrade: migrate to the latest schema; seed: (re)seed data/; revision: show it",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    load_dotenv_file()
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Invalid configuration: {error}", file=sys.stderr)
        return 2
    if command != "run" and not os.environ.get("LOG_LEVEL"):
        # The console tools keep the terminal for the conversation and the JSON.
        settings = replace(settings, log_level="WARNING")
    configure_logging(settings)
    try:
        return _dispatch(command, args, settings)
    except DatabaseOutdated as error:
        print(str(error), file=sys.stderr)
        return 3


def _dispatch(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "run":
        return run(settings)
    if command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(settings, sys.stdin, sys.stdout))
    if command == "ask":
        if (args.lat is None) != (args.lon is None):
            print("--lat and --lon go together", file=sys.stderr)
            return 2
        return asyncio.run(ask(settings, args.text, args.lat, args.lon, _utf8_stdin(), _stdout()))
    if command == "centers":
        return asyncio.run(list_centers(settings, _stdout(), as_json=args.json, all_=args.all))
    if command == "db":
        return asyncio.run(database(settings, args.action))
    return 2


def run(settings: Settings) -> int:
    """Long polling with the token; never reads the terminal."""
    if not settings.telegram_bot_token:
        print(
            "TELEGRAM_BOT_TOKEN is not set: put it in .env (see .env.example) to run on "
            "Telegram. To try the bot without a token: make demo",
            file=sys.stderr,
        )
        return 2
    from bot.app import ALLOWED_UPDATES, build_application

    asyncio.run(_check_database(settings))  # refuse an outdated schema before going online
    app = build_application(settings, rate_limit=True, schedule_jobs=True)
    log.info("starting long polling against the Bot API")
    app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
    return 0


async def _check_database(settings: Settings) -> None:
    from bot.db.seed import ensure_database
    from bot.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        await ensure_database(engine, make_sessionmaker(engine))
    finally:
        await engine.dispose()


def _utf8_stdin() -> TextIO:
    # Split on "\n" only: a message may contain U+2028 or a stray "\r".
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="\n")


def _stdout() -> TextIO:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    return sys.stdout


def _place_json(place: Any) -> dict[str, Any]:
    return {
        "name": place.name,
        "admin_area": place.admin_name,
        "country": place.country,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
    }


def outcome_json(query: str, outcome: Any, needs: Any) -> dict[str, Any]:
    """One answer in the scorer's format (shared/eval/README.md)."""
    from bot.replies import render, reply_text

    location = outcome.location
    status = location.status.value if location else "missing"
    loc: dict[str, Any] = {
        "status": status,
        "name": None,
        "admin_area": None,
        "country": None,
        "lat": None,
        "lon": None,
        "candidates": [],
    }
    if location is not None and location.place is not None and status == "found":
        loc.update(_place_json(location.place))
    if location is not None and status == "ambiguous":
        loc["candidates"] = [_place_json(p) for p in location.candidates[:8]]
    if location is not None and location.query and status != "found":
        loc["name"] = location.query
    centers = []
    if status == "found":
        main = outcome.needs[0] if outcome.needs else None
        centers = [
            {
                "id": m.center.id,
                "name": m.center.name,
                "country": m.center.country,
                "distance_km": round(m.distance_km, 1) if m.distance_km is not None else None,
                "serves_area": m.serves_area,
                "services": list(m.center.services),
                "matches_needs": bool(main) and m.offers_need,
            }
            for m in outcome.matches[:5]
        ]
    return {
        "query": query,
        "location": loc,
        "needs": list(outcome.needs),
        "centers": centers,
        "reply": reply_text(render(outcome, needs)),
    }


async def ask(
    settings: Settings,
    words: Sequence[str],
    lat: float | None,
    lon: float | None,
    stdin: TextIO,
    stdout: TextIO,
) -> int:
    """Answer each message on its own: one compact JSON object per line, nothing else."""
    from bot.services import Services

    services = await Services.create(settings)
    try:
        lines = [" ".join(words)] if words else (line.rstrip("\r\n") for line in stdin)
        for text in lines:
            outcome = await services.ask(text, lat, lon)
            answer = outcome_json(text, outcome, services.needs)
            stdout.write(json.dumps(answer, ensure_ascii=False, separators=(",", ":")) + "\n")
            stdout.flush()
    finally:
        await services.close()
    return 0


def center_json(center: Any) -> dict[str, Any]:
    data = asdict(center)
    data["service_area"] = list(center.service_area)
    data["services"] = list(center.services)
    data["services_sourced"] = list(center.services_sourced)
    return data


async def list_centers(settings: Settings, stdout: TextIO, *, as_json: bool, all_: bool) -> int:
    from bot.services import Services

    services = await Services.create(settings)
    try:
        centers = await services.list_centers(include_unranked=all_)
    finally:
        await services.close()
    if as_json:
        payload = [center_json(c) for c in centers]
        stdout.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
        return 0
    for c in centers:
        where = c.city or ",".join(c.service_area) or "?"
        flag = "" if c.ranked else "  [not ranked]"
        stdout.write(f"{c.id:<36} {c.country}  {where:<28} {c.name}{flag}\n")
    return 0


async def database(settings: Settings, action: str) -> int:
    """Database maintenance: upgrade the schema, re-seed data/, show the revision."""
    from bot.db import migrate
    from bot.db.seed import ensure_database, seed
    from bot.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        if action == "upgrade":
            revision = await migrate.upgrade(engine)
            print(f"Database at revision {revision}.", file=sys.stderr)
        elif action == "revision":
            print(await migrate.current_revision(engine) or "none")
        else:
            sessions = make_sessionmaker(engine)
            await ensure_database(engine, sessions)
            async with sessions() as session, session.begin():
                count = await seed(session)
            print(f"{count} centers in data/ seeded.", file=sys.stderr)
    finally:
        await engine.dispose()
    return 0

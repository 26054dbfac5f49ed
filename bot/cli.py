"""Command line: `python -m bot [run|demo|ask|centers|db|staff|admin]`."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.config import Settings, SettingsError, configure_logging, load_dotenv_file, load_settings
from bot.coordinators import add_cli as add_coordinator_cli
from bot.coordinators import run_cli as coordinator_cli
from bot.db.migrate import DatabaseOutdated
from bot.stats import add_cli as add_stats_cli
from bot.stats import run_cli as stats_cli

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.staff import StaffService

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
    centers = sub.add_parser("centers", help="list, import and export the centers")
    centers.add_argument("--json", action="store_true", help="one JSON array on stdout")
    centers.add_argument(
        "--all", action="store_true", help="include unranked support offices and closed centers"
    )
    _add_center_io(centers.add_subparsers(dest="centers_action", metavar="{import,export}"))
    _add_staff(sub.add_parser("staff", help="invite, list and unlink center staff"))
    _add_admin(sub.add_parser("admin", help="add, list and remove network admins"))
    add_coordinator_cli(sub)
    add_stats_cli(sub)
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument(
        "action",
        choices=["upgrade", "seed", "revision"],
        help="upgrade: migrate to the latest schema; seed: (re)seed data/; revision: show it",
    )
    return parser


def _add_center_io(actions: Any) -> None:
    load = actions.add_parser(
        "import",
        help="check a CSV/YAML file of centers, show the diff, and apply it with --apply",
        description="Validate every row, show the diff against the database; a dry run "
        "unless --apply, which writes everything in one transaction (or nothing).",
    )
    load.add_argument("file", help="CSV (data/centers.csv columns) or YAML/JSON; '-': stdin")
    load.add_argument("--format", choices=["csv", "yaml"], help="default: from the extension")
    load.add_argument("--apply", action="store_true", help="write the changes (default: dry run)")
    load.add_argument(
        "--close-missing",
        action="store_true",
        help="close (never delete) the centers of the database that the file lacks",
    )
    dump = actions.add_parser("export", help="every center, in the import's columns")
    dump.add_argument("--format", choices=["csv", "json", "yaml"], default="csv")
    dump.add_argument("--output", "-o", type=Path, help="a file (default: standard output)")


def _user_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a Telegram user id: {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"not a Telegram user id: {value!r}")
    return number


def _days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 1 <= number <= 365:
        raise argparse.ArgumentTypeError("between 1 and 365 days")
    return number


def _add_staff(staff: argparse.ArgumentParser) -> None:
    actions = staff.add_subparsers(dest="staff_action", required=True)
    invite = actions.add_parser("invite", help="a single-use code that links someone to a center")
    invite.add_argument("center_id")
    invite.add_argument("--days", type=_days, help="how long the code is valid (default 7)")
    listing = actions.add_parser("list", help="who keeps which center")
    listing.add_argument("center_id", nargs="?")
    revoke = actions.add_parser("revoke", help="unlink a staff member (from one center or all)")
    revoke.add_argument("user_id", type=_user_id)
    revoke.add_argument("center_id", nargs="?")
    invites = actions.add_parser("invites", help="the invites not used yet (ids, never codes)")
    invites.add_argument("center_id", nargs="?")
    cancel = actions.add_parser(
        "revoke-invite", help="make an unused invite unusable now (its code, or its id)"
    )
    cancel.add_argument("invite", metavar="CODE_OR_ID")


def _add_admin(admin: argparse.ArgumentParser) -> None:
    actions = admin.add_subparsers(dest="admin_action", required=True)
    actions.add_parser("add", help="make a Telegram user a network admin").add_argument(
        "user_id", type=_user_id
    )
    actions.add_parser("list", help="the admins (stored and ADMIN_USER_IDS)")
    actions.add_parser("remove", help="remove a stored admin").add_argument(
        "user_id", type=_user_id
    )


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
        if args.centers_action == "import":
            return asyncio.run(
                import_centers(
                    settings, args.file, args.format, apply=args.apply,
                    close_missing=args.close_missing, stdout=_stdout(),
                )
            )  # fmt: skip
        if args.centers_action == "export":
            return asyncio.run(export_centers(settings, args.format, args.output, _stdout()))
        return asyncio.run(list_centers(settings, _stdout(), as_json=args.json, all_=args.all))
    if command == "db":
        return asyncio.run(database(settings, args.action))
    if command == "staff":
        return asyncio.run(staff_command(settings, args, _stdout()))
    if command == "admin":
        return asyncio.run(admin_command(settings, args, _stdout()))
    if command == "coordinator":
        return coordinator_cli(args, settings)
    if command == "stats":
        return stats_cli(args, settings)
    return 2


def run(settings: Settings) -> int:
    """The bot on Telegram: long polling, or a webhook server when WEBHOOK_URL is set.

    Never reads the terminal. SIGTERM/SIGINT stop it cleanly (updates in flight finish, the
    database is closed).
    """
    if not settings.telegram_bot_token:
        print(
            "TELEGRAM_BOT_TOKEN is not set: put it in .env (see .env.example) to run on "
            "Telegram. To try the bot without a token: make demo",
            file=sys.stderr,
        )
        return 2
    from telegram.error import InvalidToken, NetworkError

    asyncio.run(_check_database(settings))  # refuse an outdated schema before going online
    try:
        if settings.webhook_url:
            from bot.webhook import run_webhook

            return asyncio.run(run_webhook(settings))
        from bot.polling import run_polling

        return asyncio.run(run_polling(settings))
    except InvalidToken:
        print("The Bot API refused TELEGRAM_BOT_TOKEN: check it in .env.", file=sys.stderr)
        return 2
    except NetworkError as error:
        print(
            f"Cannot reach the Bot API at TELEGRAM_API_URL: {type(error).__name__}",
            file=sys.stderr,
        )
        return 1


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
    agency = outcome.agency if status == "found" else None
    return {
        "query": query,
        "location": loc,
        "needs": list(outcome.needs),
        "need_alternatives": list(outcome.need_alternatives),
        "centers": centers,
        "agency": agency_json(agency) if agency is not None else None,
        "reply": reply_text(render(outcome, needs)),
    }


def agency_json(agency: Any) -> dict[str, Any]:
    """The national agency of the user's country, with the contact fields that are known and,
    for each, where it comes from (`sources`: url, date, kind of source)."""
    out: dict[str, Any] = {"name": agency.name, "country": agency.country}
    sources: dict[str, Any] = {}
    for field in ("website", "phone", "email", "address", "city"):
        value = getattr(agency, field, "")
        if value:
            out[field] = value
            fact = agency.fact_for(field) if hasattr(agency, "fact_for") else None
            if fact is not None:
                sources[field] = {
                    "url": fact.source_url,
                    "date": fact.source_date or None,
                    "confidence": fact.confidence or None,
                }
    if sources:
        out["sources"] = sources
    return out


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
    # Staff data: dates as ISO text, so that a confirmed or closing center stays valid JSON.
    data["closures"] = [
        {"start": c.start.isoformat(), "end": c.end.isoformat(), "message": c.message}
        for c in center.closures
    ]
    data["confirmed_at"] = center.confirmed_at.isoformat() if center.confirmed_at else None
    return data


async def list_centers(settings: Settings, stdout: TextIO, *, as_json: bool, all_: bool) -> int:
    from bot.services import Services

    services = await Services.create(settings)
    try:
        centers = await services.list_centers(include_unranked=all_)
    finally:
        await services.close()
    if not all_:  # the scorer's contract: ranked centers that are not closed for good
        centers = [c for c in centers if not c.closed]
    if as_json:
        payload = [center_json(c) for c in centers]
        stdout.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
        return 0
    for c in centers:
        where = c.city or ",".join(c.service_area) or "?"
        flag = ("" if c.ranked else "  [not ranked]") + ("  [closed]" if c.closed else "")
        stdout.write(f"{c.id:<36} {c.country}  {where:<28} {c.name}{flag}\n")
    return 0


async def database(settings: Settings, action: str) -> int:
    """Database maintenance: upgrade the schema, re-seed data/, show the revision."""
    from bot.db import migrate
    from bot.db.seed import ensure_database
    from bot.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        if action == "upgrade":
            revision = await migrate.upgrade(engine)
            await ensure_database(engine, make_sessionmaker(engine))  # and seed what changed
            print(f"Database at revision {revision}, seeded from data/.", file=sys.stderr)
        elif action == "revision":
            print(await migrate.current_revision(engine) or "none")
        else:
            count = await ensure_database(engine, make_sessionmaker(engine), force=True)
            print(f"{count} centers in data/ seeded.", file=sys.stderr)
    finally:
        await engine.dispose()
    return 0


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The database, created and seeded when new (like every other command)."""
    from bot.db.seed import ensure_database
    from bot.db.session import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        await ensure_database(engine, sessions)
        yield sessions
    finally:
        await engine.dispose()


def _read_input(path: str) -> str:
    if path == "-":  # strict, like a file: a wrong encoding must not reach the database
        return sys.stdin.buffer.read().decode("utf-8-sig")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


async def import_centers(
    settings: Settings,
    path: str,
    fmt: str | None,
    *,
    apply: bool,
    close_missing: bool,
    stdout: TextIO,
) -> int:
    """Validate a whole file, show the diff, and (with --apply) write it all or nothing."""
    from bot import center_io

    try:
        text = _read_input(path)
    except OSError as error:
        print(f"Cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"{path} is not UTF-8 text: nothing was changed.", file=sys.stderr)
        return 1
    fmt = fmt or center_io.detect_format(Path(path), text)
    try:
        rows = center_io.read_import(text, fmt, center_io.load_reference())
        async with _database(settings) as sessions:
            if apply:
                plan = await center_io.apply_import(sessions, rows, close_missing=close_missing)
            else:
                current = await center_io.current_centers(sessions)
                plan = center_io.plan_import(rows, current, close_missing=close_missing)
    except center_io.ImportFileError as error:
        for problem in error.errors:
            print(problem, file=sys.stderr)
        print(f"{len(error.errors)} error(s) in {path}: nothing was changed.", file=sys.stderr)
        return 1
    except center_io.ConcurrentChange:
        print(
            "A center changed in the database during the import: nothing was changed. "
            "Run the import again.",
            file=sys.stderr,
        )
        return 1
    stdout.write(center_io.format_plan(plan))
    closed = len(plan.missing) if plan.close_missing else 0
    if plan.writes and apply:
        stdout.write(
            f"Applied: {len(plan.added)} added, {len(plan.changed)} changed, {closed} closed.\n"
        )
    elif plan.writes:
        stdout.write("Dry run: nothing was written. Add --apply to apply these changes.\n")
    return 0


async def export_centers(settings: Settings, fmt: str, output: Path | None, stdout: TextIO) -> int:
    """Every center (unranked and closed too) in the columns that `centers import` reads."""
    from bot import center_io

    async with _database(settings) as sessions:
        centers = await center_io.current_centers(sessions)
    text = center_io.export_text(centers, fmt)
    if output is None:
        stdout.write(text)
        return 0
    try:
        await asyncio.to_thread(output.write_text, text, encoding="utf-8", newline="")
    except OSError as error:
        print(f"Cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"{len(centers)} centers written to {output}.", file=sys.stderr)
    return 0


@asynccontextmanager
async def _staff_service(settings: Settings) -> AsyncIterator[StaffService]:
    from bot.staff import StaffService

    async with _database(settings) as sessions:
        yield StaffService(settings, sessions)


async def staff_command(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    """`staff invite|list|revoke|invites|revoke-invite`, acting as CLI_ACTOR (a coordinator on
    the server)."""
    from bot.staff import CLI_ACTOR, INVITE_DAYS

    async with _staff_service(settings) as staff:
        if args.staff_action == "invites":
            pending = await staff.open_invites(CLI_ACTOR, args.center_id)
            for i in pending:
                stdout.write(
                    f"{i.id:<8} {i.center_id:<36} created {i.created_at:%Y-%m-%d %H:%M}, "
                    f"expires {i.expires_at:%Y-%m-%d %H:%M} UTC\n"
                )
            if not pending:
                print("No unused invites.", file=sys.stderr)
            return 0
        if args.staff_action == "revoke-invite":
            revoked = await staff.revoke_invite(CLI_ACTOR, args.invite)
            if revoked is None:
                print(
                    "No unused invite with that code or id (used invites stay: unlink the "
                    "person with `staff revoke USER_ID`).",
                    file=sys.stderr,
                )
                return 1
            stdout.write(f"Invite {revoked.id} for {revoked.center_id} revoked: unusable now.\n")
            return 0
        if args.staff_action == "invite":
            days = args.days or INVITE_DAYS
            try:
                code = await staff.create_invite(CLI_ACTOR, args.center_id, days)
            except KeyError:
                print(f"No center with id {args.center_id!r}.", file=sys.stderr)
                return 1
            stdout.write(
                f"{code}\n"
                f"Single use, valid {days} days. Give it to the staff member of "
                f"{args.center_id}, who sends the bot: /equipo {code}\n"
            )
            return 0
        if args.staff_action == "list":
            members = await staff.list_staff(CLI_ACTOR, args.center_id)
            for m in members:
                stdout.write(f"{m.user_id:<14} {m.center_id:<36} since {m.since:%Y-%m-%d}\n")
            if not members:
                print("No staff linked.", file=sys.stderr)
            return 0
        removed = await staff.revoke_staff(CLI_ACTOR, args.user_id, args.center_id)
        where = f" from {args.center_id}" if args.center_id else ""
        if not removed:
            print(f"User {args.user_id} keeps no center{where}.", file=sys.stderr)
            return 1
        stdout.write(f"User {args.user_id} unlinked{where} ({removed} center(s)).\n")
        return 0


async def admin_command(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    """`admin add|list|remove`, acting as CLI_ACTOR."""
    from bot.staff import CLI_ACTOR

    configured = set(settings.admin_user_ids)
    async with _staff_service(settings) as staff:
        if args.admin_action == "list":
            for user_id in await staff.list_admins(CLI_ACTOR):
                note = "  (ADMIN_USER_IDS)" if user_id in configured else ""
                stdout.write(f"{user_id}{note}\n")
            return 0
        if args.admin_action == "add":
            added = await staff.add_admin(CLI_ACTOR, args.user_id)
            state = "is now" if added else "was already"
            stdout.write(f"User {args.user_id} {state} an admin.\n")
            return 0
        if await staff.remove_admin(CLI_ACTOR, args.user_id):
            stdout.write(f"User {args.user_id} is no longer an admin.\n")
            return 0
    if args.user_id in configured:
        print(
            f"User {args.user_id} is an admin through ADMIN_USER_IDS: remove it there.",
            file=sys.stderr,
        )
    else:
        print(f"User {args.user_id} is not an admin.", file=sys.stderr)
    return 1

"""Per-update cost through the real Application, against two floors, in one process.

Three applications run side by side in one process, on the same python-telegram-bot request
layer that answers locally (bot.localapi.LocalBotApi), each with its own SQLite file in a temp
dir:

- the bot: bot.app.build_application with the real Services (database seeded from data/);
- a bare echo bot: one MessageHandler that replies with the text (the coordinates for a
  location) and one CallbackQueryHandler that answers the button and echoes its data;
- a stateful echo bot: the same, plus, per update, reading and upserting one row per user
  with SQLAlchemy async in the same kind of SQLite database (same engine settings as the bot).

The bot runs as production runs it in long polling: every update goes through the durable
intake (stored in the database with its raw JSON before it is acknowledged, the duplicate
check and the per-user flood limit on, marked done in batches) and is processed by the
concurrent, per-user ordered update processor; one update is timed from
`intake.receive([update], [its JSON])` (the JSON as getUpdates returned it, serialised inside
the timed region, as bot.polling.RawUpdates does) until the Application's queue is empty
again. The floors process each update with
`await app.process_update(update)`, their code unchanged. The outgoing rate limiter is off for
all (it waits on purpose, which would measure sleep, not work). Logging is the bot's own
set-up (INFO, one line per decision), written to /dev/null.

Each round feeds every application the same updates (fresh Update objects, built outside the
timed region), interleaved per update (update i to
each application in turn, the order rotating each round), so a noisy moment of the shared
machine falls on all of them alike; the first rounds warm up and are discarded. Every round is
new conversations (new user ids, three updates each, users interleaved), so the bot writes
its memory as it would for real users. Time per update = mean latency; the ratio to a floor is
the median over rounds of the per-round ratio.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import io
import json
import logging
import os
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, Text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bench.stats import median, summary_ms
from bench.workload import ROOT, conversation_mix, describe_mix, load_eval, update_kind

TOKEN = "123456:BENCH-token-never-sent"
USER_BASE = 810_000_000


# --------------------------------------------------------------------------- the floors


class EchoBase(DeclarativeBase):
    pass


class EchoUser(EchoBase):
    __tablename__ = "echo_users"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    last_text: Mapped[str] = mapped_column(Text, default="")
    updates: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _echo_text(update: Update) -> str:
    message = update.effective_message
    if update.callback_query is not None:
        return update.callback_query.data or ""
    if message is None:
        return ""
    if message.location is not None:
        return f"{message.location.latitude}, {message.location.longitude}"
    return message.text or ""


def build_echo(
    request: Any, remember: Callable[[int, str], Any] | None = None, concurrent: bool = False
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The floor: reply to every update with one message (and answer button presses)."""

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = _echo_text(update)
        if remember is not None and update.effective_user is not None:
            await remember(update.effective_user.id, text)
        if update.effective_chat is not None:
            await update.effective_chat.send_message(text or "…")

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await on_message(update, context)

    builder = Application.builder().token(TOKEN).request(request).get_updates_request(request)
    app = builder.concurrent_updates(concurrent).build()
    app.add_handler(MessageHandler(filters.ALL, on_message))
    app.add_handler(CallbackQueryHandler(on_button))
    return app


def user_store(sessions: async_sessionmaker[AsyncSession]) -> Callable[[int, str], Any]:
    """Read and upsert one row per user: what any bot that remembers its users must do."""

    async def remember(user_id: int, text: str) -> None:
        async with sessions() as session, session.begin():
            row = await session.get(EchoUser, user_id)
            if row is None:
                row = EchoUser(user_id=user_id, updates=0)
                session.add(row)
            row.updates += 1
            row.last_text = text[:1000]
            row.updated_at = datetime.now(UTC)

    return remember


# --------------------------------------------------------------------------- set-up


class ErrorCounter(logging.Handler):
    """Counts the errors logged (a handler that failed would make the timings meaningless)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = f"{record.name}: {record.getMessage()}"[:300]


ERRORS = ErrorCounter()


def production_logging(settings: Any) -> None:
    """The bot's own logging set-up (INFO, formatted, token filter), written to /dev/null."""
    from bot.config import configure_logging

    configure_logging(settings)
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    logging.getLogger().addHandler(ERRORS)


def pressed(data: dict[str, Any], api: Any) -> dict[str, Any]:
    """The update with a «Ver más» press resolved to the button the bot last sent that user."""
    query = data.get("callback_query")
    if not query or not str(query.get("data", "")).startswith("more:"):
        return data
    user = query["from"]["id"]
    for call in reversed(getattr(api, "calls", [])):
        if call.params.get("chat_id") != user:
            continue
        markup = call.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        for row in rows:
            for button in row:
                if str(button.get("callback_data", "")).startswith("more:"):
                    return {**data, "callback_query": {**query, "data": button["callback_data"]}}
    return data


async def make_contenders(
    tmp: Path, concurrent_floors: bool = False
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Feed], Callable[[], Any]]:
    """The bot, the stateful echo and the bare echo, started; how to feed each one an update
    and wait until it is answered; and how to close them."""
    from bot.app import build_application
    from bot.config import load_settings
    from bot.db.session import make_engine, make_sessionmaker
    from bot.guard import LocalGuard
    from bot.intake import Inbox, Intake
    from bot.localapi import LocalBotApi
    from bot.services import Services

    def settings_for(name: str) -> Any:
        url = f"sqlite:///{tmp / (name + '.sqlite3')}"
        return load_settings(
            {"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": TOKEN, "GEOCODER": "none"}
        )

    settings = settings_for("bot")
    production_logging(settings)
    apis = {name: LocalBotApi() for name in CONTENDERS}
    services = await Services.create(settings)
    # As `python -m bot run` polls: durable intake, flood limit, concurrent per-user processing
    # (bot/serve.py); the outgoing rate limiter waits on purpose: off here.
    intake = Intake(Inbox(services.sessions, shared=False), flood=LocalGuard())
    apps: dict[str, Any] = {
        "bot": build_application(
            settings, services, request=apis["bot"], token=TOKEN, rate_limit=False, intake=intake
        )
    }
    engine: AsyncEngine = make_engine(settings_for("echo").database_url)
    async with engine.begin() as conn:
        await conn.run_sync(EchoBase.metadata.create_all)
    apps["stateful"] = build_echo(
        apis["stateful"], user_store(make_sessionmaker(engine)), concurrent_floors
    )
    STATEFUL_ENGINE["engine"] = engine
    STATEFUL_ENGINE["bot_inbox"] = intake.inbox
    if intake.inbox.inline is not None:  # the intake's own SQLite connection counts too
        STATEFUL_ENGINE["bot_intake"] = intake.inbox.inline.engine
    apps["echo"] = build_echo(apis["echo"], concurrent=concurrent_floors)
    for app in apps.values():
        await app.initialize()
        await app.start()
    await intake.start()

    async def through_intake(updates: list[Update]) -> None:
        # as `run` polls: each update's JSON as getUpdates returned it (bot.polling.RawUpdates
        # serialises the parsed dicts again; here, inside the timed region, the same)
        raws = [json.dumps(RAW.pop(u.update_id), ensure_ascii=False) for u in updates]
        await intake.receive(updates, raws)
        await apps["bot"].update_queue.join()

    def direct(app: Any) -> Feed:
        async def feed(updates: list[Update]) -> None:
            if len(updates) == 1:
                await app.process_update(updates[0])
                return
            for update in updates:
                await app.update_queue.put(update)
            await app.update_queue.join()

        return feed

    feeds: dict[str, Feed] = {
        "bot": through_intake,
        "stateful": direct(apps["stateful"]),
        "echo": direct(apps["echo"]),
    }

    async def close() -> None:
        for app in apps.values():
            await app.stop()
        await intake.close()
        for app in apps.values():
            await app.shutdown()
        await services.close()
        await engine.dispose()

    return apps, apis, feeds, close


Feed = Callable[[list[Update]], Awaitable[None]]

# The JSON each update was built from, by update id: what getUpdates returned (the bot stores it)
RAW: dict[int, dict[str, Any]] = {}


def parsed(data: dict[str, Any], bot: Any) -> Update:
    """The Update python-telegram-bot builds from getUpdates' JSON (outside the timed region),
    the JSON kept for the bot's intake."""
    RAW[data["update_id"]] = data
    return Update.de_json(data, bot)


CONTENDERS = ("bot", "stateful", "echo")
FLOORS = ("stateful", "echo")


async def run(quick: bool, profile_path: Path | None) -> dict[str, Any]:
    ev = load_eval()
    users = 40 if quick else 120
    warmup, rounds = (1, 4) if quick else (2, 10)
    perf, cpu_clock = time.perf_counter, time.process_time
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        apps, apis, feeds, close = await make_contenders(Path(tmp))
        names = list(apps)
        samples: dict[str, list[float]] = {n: [] for n in names}
        cpu: dict[str, list[float]] = {n: [] for n in names}
        round_p50: dict[str, list[float]] = {n: [] for n in names}
        round_mean: dict[str, list[float]] = {n: [] for n in names}
        by_kind: dict[str, dict[str, list[float]]] = {n: {} for n in names}
        sent: dict[str, int] = {n: 0 for n in names}
        mix: list[dict[str, Any]] = []
        for r in range(warmup + rounds):
            # every update goes to each application in turn (the order rotates each round), so
            # a noisy moment of the shared machine falls on all of them alike
            order = names[r % len(names) :] + names[: r % len(names)]
            # new conversations each round (new users, whose memory is written as it would
            # be), the same messages: every round does the same work
            mix = conversation_mix(ev, users, first_user=USER_BASE + r * users)
            lat: dict[str, list[float]] = {n: [] for n in names}
            gc.collect()
            for i in range(len(mix)):
                for name in order:
                    # built before the clock starts: a «Ver más» press carries the data of the
                    # button the bot sent this user (it names the search it belongs to)
                    update = parsed(pressed(mix[i], apis[name]), apps[name].bot)
                    t, c = perf(), cpu_clock()
                    await feeds[name]([update])
                    lat[name].append(perf() - t)
                    if r >= warmup:
                        cpu[name].append(cpu_clock() - c)
            kinds = [update_kind(d) for d in mix]
            for name in names:
                calls = apis[name].calls
                if r >= warmup:
                    for kind, value in zip(kinds, lat[name], strict=True):
                        by_kind[name].setdefault(kind, []).append(value)
                    samples[name].extend(lat[name])
                    round_p50[name].append(median(lat[name]))
                    round_mean[name].append(sum(lat[name]) / len(lat[name]))
                    sent[name] += sum(c.method in ("sendMessage", "sendVenue") for c in calls)
                calls.clear()
            RAW.clear()  # the floors leave theirs (the bot takes its own)
        # not timed: SQL statements per update, by kind of update
        statements = await _count_statements(
            apps, feeds, conversation_mix(ev, users, first_user=USER_BASE + 10_000_000)
        )
        profile = None
        if profile_path is not None:
            last = conversation_mix(ev, users, first_user=USER_BASE + (warmup + rounds) * users)
            profile = await _profile(apps["bot"], feeds["bot"], last, apis["bot"], profile_path)
        await close()

    result: dict[str, Any] = {
        "updates_per_round": len(mix),
        "users_per_round": users,
        "mix": describe_mix(mix),
        "warmup_rounds": warmup,
        "rounds": rounds,
        "interleaving": "per update, order rotated each round; new users each round",
        "rate_limiter": "off (all contenders)",
        "bot_path": (
            "production polling path: durable intake (stored before processing, duplicate "
            "check, flood limit on), concurrent per-user ordered processing, done in batches"
        ),
        "errors_logged": ERRORS.count,
        "first_error": ERRORS.first,
        "contenders": {},
        "ratios": {},
    }
    for name in names:
        total = sum(samples[name])
        result["contenders"][name] = {
            **summary_ms(samples[name]),
            "updates_per_s": round(len(samples[name]) / total, 1) if total else None,
            "cpu_ms_per_update": round(sum(cpu[name]) / max(1, len(cpu[name])) * 1e3, 4),
            "messages_sent_per_update": round(sent[name] / max(1, len(samples[name])), 2),
            "mean_ms_by_kind": {
                k: round(sum(v) / len(v) * 1e3, 3) for k, v in sorted(by_kind[name].items())
            },
            "sql_statements_per_update": statements.get(name),
        }
    result["ratios"]["bot"] = {}
    for floor in FLOORS:
        by_mean = [b / f for b, f in zip(round_mean["bot"], round_mean[floor], strict=True)]
        by_p50 = [b / f for b, f in zip(round_p50["bot"], round_p50[floor], strict=True)]
        cb, cf = result["contenders"]["bot"], result["contenders"][floor]
        result["ratios"]["bot"][floor] = {
            # time per update = the mean (1 / throughput); median over the rounds
            "per_update_time": round(median(by_mean), 3),
            "per_update_time_rounds": [round(x, 3) for x in by_mean],
            "p50": round(median(by_p50), 3),
            "cpu": round(cb["cpu_ms_per_update"] / cf["cpu_ms_per_update"], 3),
        }
    if profile is not None:
        result["profile"] = profile
    result["throughput"] = await throughput(quick)
    return result


def folded(name: str) -> int:
    """The intake's rows the bot wrote through the driver inside its processing's commit (no
    SQLAlchemy cursor event sees them): one statement each."""
    inbox = STATEFUL_ENGINE.get("bot_inbox") if name == "bot" else None
    return int(getattr(inbox, "folded", 0))


async def _count_statements(
    apps: dict[str, Any], feeds: dict[str, Feed], mix: list[dict[str, Any]]
) -> dict[str, Any]:
    """SQL statements each application runs per update (all, and by kind of update); the
    bot's batched «done» marks are flushed and counted in the total."""
    from sqlalchemy import event

    out: dict[str, Any] = {}
    for name, app in apps.items():
        services = getattr(app.bot_data, "services", None) if name != "stateful" else None
        engine = services.engine if services is not None else STATEFUL_ENGINE.get("engine")
        if engine is None:
            continue
        count = [0]

        def on_execute(*_: Any, _count: list[int] = count) -> None:
            _count[0] += 1

        engines = [engine.sync_engine]
        if name == "bot" and "bot_intake" in STATEFUL_ENGINE:
            engines.append(STATEFUL_ENGINE["bot_intake"])
        inline = getattr(services, "inline", None)
        if inline is not None:  # the memory read on the event loop's thread: counted too
            engines.append(inline.engine)
        for each in engines:
            event.listen(each, "before_cursor_execute", on_execute)
        per_kind: dict[str, list[int]] = {}
        folded_before = folded(name)
        try:
            for d in mix:
                before = count[0] + folded(name)
                await feeds[name]([parsed(pressed(d, app.bot.request), app.bot)])
                after = count[0] + folded(name)
                per_kind.setdefault(update_kind(d), []).append(after - before)
            await asyncio.sleep(0.05)  # let a pending batch of «done» marks be written
        finally:
            for each in engines:
                event.remove(each, "before_cursor_execute", on_execute)
        app_calls = getattr(app.bot.request, "calls", None)  # LocalBotApi
        if isinstance(app_calls, list):
            app_calls.clear()
        total = count[0] + folded(name) - folded_before
        out[name] = {
            "all": round(total / len(mix), 2),
            **{k: round(sum(v) / len(v), 2) for k, v in sorted(per_kind.items())},
        }
    return out


async def throughput(quick: bool) -> dict[str, Any]:
    """Many users at once: every update of a round handed over together (the bot: in batches
    of 100, as `getUpdates` returns them), updates per second until all are answered."""
    ev = load_eval()
    users = 100 if quick else 300
    rounds = 2 if quick else 4
    rates: dict[str, list[float]] = {n: [] for n in CONTENDERS}
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        apps, apis, feeds, close = await make_contenders(Path(tmp), concurrent_floors=True)
        for r in range(rounds + 1):
            mix = conversation_mix(ev, users, first_user=USER_BASE + 50_000_000 + r * users)
            # first, second and third messages of every user: a user's updates stay in order
            for name in CONTENDERS:
                batch = [parsed(pressed(d, apis[name]), apps[name].bot) for d in mix]
                t = time.perf_counter()
                for start in range(0, len(batch), 100):
                    await feeds[name](batch[start : start + 100])
                if r:  # the first round warms up
                    rates[name].append(len(batch) / (time.perf_counter() - t))
                apis[name].calls.clear()
                RAW.clear()
        await close()
    return {
        "users": users,
        "updates_per_round": len(mix),
        "rounds": rounds,
        "updates_per_s": {n: round(median(v), 1) for n, v in rates.items()},
        "bot_vs_stateful": round(median(rates["bot"]) / median(rates["stateful"]), 3),
    }


STATEFUL_ENGINE: dict[str, Any] = {}


# --------------------------------------------------------------------------- profile


_COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    (
        "bot: place resolution (location, gazetteer)",
        ("bot/domain/location", "bot/domain/gazetteer.py", "bot/domain/text.py", "bot/geo.py"),
    ),
    ("bot: needs matcher", ("bot/domain/needs", "bot/catalog.py")),
    ("bot: ranking + geodesic", ("bot/domain/ranking.py", "geographiclib/", "geopy/")),
    ("bot: services, replies, texts, handlers", ("bot/",)),
    ("SQLAlchemy ORM/core", ("sqlalchemy/",)),
    ("aiosqlite + greenlet (main-thread side)", ("aiosqlite/", "greenlet", "concurrent/futures")),
    ("python-telegram-bot", ("telegram/",)),
    ("json (Bot API payloads)", ("json/", "_json")),
    (
        "asyncio + waiting for the DB thread",
        ("asyncio/", "selectors.py", "epoll", "select.", "threading.py", "queue.py"),
    ),
    ("rapidfuzz", ("rapidfuzz",)),
    ("regex (re)", ("re/", "_sre", "re.Pattern", "'re.")),
    (
        "dataclasses, typing, copy, logging",
        ("dataclasses.py", "typing.py", "copy.py", "logging/", "enum.py"),
    ),
]


def _component(key: tuple[str, int, str]) -> str:
    path, _, func = key
    text = f"{path}:{func}"
    if "bench/" in path or "bot/localapi.py" in path:
        return "benchmark harness + LocalBotApi"
    for label, needles in _COMPONENTS:
        if any(n in text for n in needles):
            return label
    return "other (builtins, stdlib)"


async def _profile(
    app: Any, feed: Feed, raw: list[dict[str, Any]], api: Any, path: Path
) -> dict[str, Any]:
    """cProfile of one round of the bot (main thread; aiosqlite runs SQLite in its own thread,
    which shows here as time waiting in the event loop's selector)."""
    updates = raw
    gc.collect()
    profiler = cProfile.Profile()
    for d in raw:
        update = parsed(pressed(d, api), app.bot)
        profiler.enable()
        await feed([update])
        profiler.disable()
    api.calls.clear()
    stats = pstats.Stats(profiler)
    raw_stats: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw_stats.values())
    by_component: dict[str, float] = {}
    for key, value in raw_stats.items():
        if key[0] == "~" and value[4]:  # a builtin: its time goes to the code that called it
            for caller, timing in value[4].items():
                label = _component(caller) if caller[0] != "~" else "other (builtins, stdlib)"
                by_component[label] = by_component.get(label, 0.0) + timing[2]
            continue
        label = _component(key)
        by_component[label] = by_component.get(label, 0.0) + value[2]
    shares = {
        k: round(100 * v / total, 1)
        for k, v in sorted(by_component.items(), key=lambda kv: -kv[1])
    }
    out = io.StringIO()
    out.write(f"cProfile of one round ({len(updates)} updates) of the bot through its intake\n")
    out.write(
        f"total profiled time {total:.3f} s ({total / len(updates) * 1e3:.3f} ms per update, "
        "inflated by the profiler)\n\nshare of own time (tottime) by component:\n"
    )
    for k, v in shares.items():
        out.write(f"  {v:5.1f} %  {k}\n")
    for order in ("tottime", "cumulative"):
        out.write(f"\n--- top 30 by {order} ---\n")
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(30)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")  # noqa: ASYNC240
    top = sorted(raw_stats.items(), key=lambda kv: -kv[1][3])
    top_cum = [
        {
            "function": f"{Path(k[0]).name}:{k[1]}({k[2]})",
            "cum_ms_per_update": round(v[3] / len(updates) * 1e3, 4),
        }
        for k, v in top
        if "bot/" in k[0] and "localapi" not in k[0]
    ][:12]
    return {
        "updates": len(updates),
        "profiled_ms_per_update": round(total / len(updates) * 1e3, 4),
        "share_by_component_pct": shares,
        "bot_functions_by_cumulative": top_cum,
        "file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
    }

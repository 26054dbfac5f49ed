"""Numbers for the network (issue 11): search events, the statistics, their text, CSV and
chart, `python -m bot stats` and /estadisticas."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from telegram.ext import CommandHandler

from bot import stats_render, texts
from bot.app import BotApplication
from bot.db.models import CoordinatorRow, EventRow
from bot.events import search_values
from bot.handlers.stats import cmd_stats, parse_request
from bot.replies import plain
from bot.services import Outcome, OutcomeKind, Services
from bot.stats import (
    INFERRED,
    SOURCED,
    UNSERVED,
    Department,
    EventCount,
    Names,
    Period,
    Stats,
    add_cli,
    compute,
    gather,
    run_cli,
    weighted_median,
)
from bot.texts import stats as texts_stats
from tests.conftest import ADMIN_ID
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

DAY = date(2026, 11, 10)
NOON = datetime(2026, 11, 10, 12, tzinfo=UTC)
COORDINATOR = 8100
STRANGER = 8200


class PhotoTelegram(FakeTelegram):
    """Also keeps the files sent (sendPhoto's multipart body)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[bytes] = []

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:  # fmt: skip
        if request_data is not None and request_data.contains_files:
            for part in request_data.multipart_data.values():
                self.files.append(part[1])
        return await super().do_request(url, method, request_data, *args, **kwargs)


@pytest.fixture
def telegram() -> PhotoTelegram:
    return PhotoTelegram()


def event(kind: str = "search", at: datetime = NOON, **values: Any) -> dict[str, Any]:
    """The columns of an events row (a fresh row is made from them at each insert)."""
    return {"at": at, "kind": kind, **values}


# A known set: Honduras (sourced, inferred and unserved departments; a need the first center
# lacks), El Salvador, requests and ratings; and events outside the period.
KNOWN = [
    *[event(country="HN", admin1="HN.05", need="financiamiento", center_id="hn-cde-occidente",
            served=True, served_sourced=True, offered_nearby=True) for _ in range(4)],
    *[event(country="HN", admin1="HN.07", need="capacitacion", center_id="hn-cde-el-paraiso",
            served=True, served_sourced=False, offered_nearby=True) for _ in range(3)],
    *[event(country="HN", admin1="HN.09", need="financiamiento",
            center_id="hn-cde-valles-de-olancho", served=False, offered_nearby=True)
      for _ in range(2)],
    event(country="HN", admin1="HN.02", need="propiedad_intelectual",
          center_id="hn-cde-golfo-de-fonseca", served=True, served_sourced=True,
          offered_nearby=False),
    event(country="SV", admin1="SV.03", need="", center_id="sv-cdmype-cayaguanca", served=True,
          served_sourced=True),
    event(country="GT", admin1="GT.01", need="financiamiento", center_id="", served=False),
    event("request_opened", country="HN"),
    event("request_opened", country="HN"),
    event("request_opened", country="SV"),
    event("request_taken", country="HN", value=600),
    event("request_taken", country="HN", value=3600),
    event("request_taken", country="SV", value=120),
    event("request_closed", country="HN"),
    event("feedback", country="HN", value=5),
    event("feedback", country="HN", value=4),
    event("feedback", country="SV", value=2),
    # outside the period (10 to 12 November): the day before and the day after
    event(at=datetime(2026, 11, 9, 23, 59, tzinfo=UTC), country="HN", admin1="HN.04",
          need="financiamiento", center_id="hn-cde-tegucigalpa", served=False),
    event(at=datetime(2026, 11, 13, 0, 0, tzinfo=UTC), country="HN", admin1="HN.04",
          need="financiamiento", center_id="hn-cde-tegucigalpa", served=False),
    # the last minute of the last day is in
    event("request_closed", at=datetime(2026, 11, 12, 23, 59, tzinfo=UTC), country="HN"),
]  # fmt: skip
PERIOD = Period(DAY, date(2026, 11, 12))


async def insert(services: Services, rows: Sequence[dict[str, Any]]) -> None:
    async with services.sessions() as session, session.begin():
        await session.execute(delete(EventRow))
        session.add_all([EventRow(**row) for row in rows])


async def stored_events(services: Services) -> list[EventRow]:
    await services.events.flush()  # written in batches: what /estadisticas would read
    async with services.sessions() as session:
        return list((await session.scalars(select(EventRow).order_by(EventRow.id))).all())


async def known_stats(services: Services, countries: Sequence[str] = ()) -> Stats:
    await insert(services, KNOWN)
    return await gather(services.sessions, services.gazetteer, PERIOD, countries)


def tally(items: Sequence[Any]) -> dict[str, int]:
    return {x.key: x.count for x in items}


# --- the statistics ---------------------------------------------------------------------------


async def test_statistics_of_a_known_set_of_events(services: Services) -> None:
    stats = await known_stats(services)
    assert stats.searches == 12  # the two searches outside the period are not counted
    by_department = {d.admin1: d for d in stats.departments}
    assert by_department["HN.05"].searches == 4
    assert by_department["HN.05"].label == "Copán (HN)"  # several countries: with the code
    assert stats.departments[0].admin1 == "HN.05"  # most asked first
    assert "HN.04" not in by_department
    assert tally(stats.needs) == {
        "financiamiento": 7,
        "capacitacion": 3,
        "propiedad_intelectual": 1,
        "": 1,
    }
    assert {x.key: x.label for x in stats.needs}["financiamiento"] == "Acceso a financiamiento"
    centers = {x.key: x for x in stats.centers}
    assert centers["hn-cde-occidente"].count == 4
    assert centers["hn-cde-occidente"].label == "CDE MIPYME Región Occidente"
    assert centers[""].count == 1  # no center could be ranked (Guatemala)
    # unmet demand: departments no center serves, needs the first center does not offer
    assert tally(stats.unserved) == {"HN.09": 2, "GT.01": 1}
    assert [x.label for x in stats.unserved] == ["Gracias a Dios (HN)", "Alta Verapaz (GT)"]
    assert tally(stats.unmet_needs) == {"propiedad_intelectual": 1}
    # «serves», sourced apart from inferred
    assert (stats.served_sourced, stats.served_inferred, stats.not_served) == (6, 3, 3)
    assert by_department["HN.05"].status == SOURCED
    assert by_department["HN.07"].status == INFERRED
    assert by_department["HN.09"].status == UNSERVED
    # requests, time to take (median of 120, 600, 3600), satisfaction
    assert (stats.opened, stats.taken, stats.closed) == (3, 3, 2)
    assert stats.median_take_seconds == 600
    assert stats.take_times == 3
    assert stats.rating_mean == pytest.approx(11 / 3)
    assert stats.ratings == 3


async def test_statistics_of_one_country(services: Services) -> None:
    stats = await known_stats(services, ["HN"])
    assert stats.countries == ("HN",)
    assert stats.searches == 10
    assert {d.admin1 for d in stats.departments} == {"HN.05", "HN.07", "HN.09", "HN.02"}
    assert stats.departments[0].label == "Copán"  # one country: no code
    assert tally(stats.unserved) == {"HN.09": 2}
    assert (stats.opened, stats.taken, stats.closed) == (2, 2, 2)
    assert stats.median_take_seconds == 2100  # (600 + 3600) / 2
    assert stats.rating_mean == 4.5


async def test_an_open_period_counts_up_to_now(services: Services) -> None:
    await insert(services, KNOWN)
    stats = await gather(services.sessions, services.gazetteer, Period(DAY))
    assert stats.searches == 13  # the search of 13 November too


def test_weighted_median() -> None:
    assert weighted_median([]) is None
    assert weighted_median([(5, 1)]) == 5
    assert weighted_median([(60, 2), (3600, 1)]) == 60
    assert weighted_median([(1, 1), (10, 1)]) == 5.5
    assert weighted_median([(30, 3), (10, 1), (20, 0)]) == 30


def test_a_department_is_marked_by_the_weakest_coverage_seen() -> None:
    counts = [
        EventCount("search", "HN", "HN.08", served=True, served_sourced=True, count=5),
        EventCount("search", "HN", "HN.08", served=False),
        EventCount("search", "HN", "HN.07", served=True, served_sourced=False),
        EventCount("search", "HN", "HN.07", served=True, served_sourced=True),
    ]
    stats = compute(counts, Names(), PERIOD)
    statuses = {d.admin1: d.status for d in stats.departments}
    assert statuses == {"HN.08": UNSERVED, "HN.07": INFERRED}
    assert stats.departments[0].label == "HN.08"  # no name known: the key


# --- the search events -------------------------------------------------------------------------


async def say(app: BotApplication, body: str, user_id: int = u.USER_ID) -> None:
    await app.process_update(u.text(app.bot, body, user_id))


async def test_a_conversation_writes_one_event_per_search_answered(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, "soy de Danlí y ocupo un préstamo")
    await say(app, "¿y el teléfono?")  # a follow-up about the same card: no new search
    telegram.clear()
    await say(app, "estoy en Comayagua", 2)  # asks for the need: no search yet
    assert await stored_events(services) != [] and len(await stored_events(services)) == 1
    for label, data in telegram.all_buttons():
        if label == "Formalización y trámites":
            await app.process_update(u.callback(app.bot, data, 2))
            break
    else:
        raise AssertionError("no service button")
    await say(app, "soy de Cobán, Guatemala y ocupo un préstamo")
    await say(app, "soy de Choluteca y quiero registrar mi marca")
    await say(app, "soy de Santa Rosa de Copán y quiero exportar")
    rows = await stored_events(services)
    got = [
        (r.kind, r.country, r.admin1, r.need, r.center_id, r.served, r.served_sourced,
         r.offered_nearby, r.value)
        for r in rows
    ]  # fmt: skip
    assert got == [
        # an inferred service area
        ("search", "HN", "HN.07", "financiamiento", "hn-cde-el-paraiso", True, False, True,
         None),
        # no center of Honduras serves Comayagua: the nearest one is proposed
        ("search", "HN", "HN.04", "formalizacion", "hn-cde-tegucigalpa", False, None, True,
         None),
        # no center of Guatemala can be ranked at all
        ("search", "GT", "GT.01", "financiamiento", "", False, None, None, None),
        # the center serving Choluteca does not offer the need
        ("search", "HN", "HN.02", "propiedad_intelectual", "hn-cde-golfo-de-fonseca", True,
         True, False, None),
        # a sourced service area
        ("search", "HN", "HN.05", "exportacion", "hn-cde-occidente", True, True, True, None),
    ]  # fmt: skip
    now = datetime.now(UTC)
    assert all(abs(r.at.replace(tzinfo=UTC) - now) < timedelta(minutes=5) for r in rows)


async def written_events(services: Services) -> int:
    """The rows in the table now, without flushing what waits."""
    async with services.sessions() as session:
        return len((await session.scalars(select(EventRow.id))).all())


async def test_search_events_are_written_in_batches_soon_without_being_asked(
    app: BotApplication, services: Services
) -> None:
    services.events.delay = 0.05  # the timer that writes them (a second in production)
    for user in (1, 2, 3):
        await say(app, "soy de Danlí y ocupo un préstamo", user)
    for _ in range(200):  # a bounded wait: the order is what is asserted, not the time
        if await written_events(services) == 3:
            break
        await asyncio.sleep(0.05)
    assert await written_events(services) == 3


async def test_an_answer_rolled_back_counts_nothing_and_a_clean_stop_writes_what_waits(
    services: Services,
) -> None:
    services.events.delay = 3600.0  # no timer in this test: only the stop writes
    answer = await services.ask("soy de Danlí y ocupo un préstamo")
    centers = await services.list_centers(include_unranked=True)
    async with services.sessions() as session, session.begin():
        services.events.search(session, answer, centers)
        await session.rollback()
    async with services.sessions() as session, session.begin():
        services.events.search(session, answer, centers)  # committed: waits for its batch
    assert await written_events(services) == 0
    await services.events.close()
    assert await written_events(services) == 1


async def test_statistics_wait_for_a_batch_being_written_and_a_savepoint_drops_nothing(
    services: Services,
) -> None:
    services.events.delay = 0.0  # the timer's write starts at the next turn of the loop
    answer = await services.ask("soy de Danlí y ocupo un préstamo")
    centers = await services.list_centers(include_unranked=True)
    async with services.sessions() as session, session.begin():
        services.events.search(session, answer, centers)
        savepoint = await session.begin_nested()  # rolled back inside the answer
        await session.execute(delete(EventRow).where(EventRow.id < 0))
        await savepoint.rollback()
    for _ in range(5):
        await asyncio.sleep(0)  # the timer fired: its write took the row and is under way
    await services.events.flush()  # what /estadisticas does before reading
    assert await written_events(services) == 1


async def test_ask_writes_no_event(services: Services) -> None:
    outcome = await services.ask("soy de Danlí y ocupo un préstamo")
    assert outcome.kind is OutcomeKind.ANSWER
    assert await stored_events(services) == []


async def test_only_a_new_search_answer_makes_an_event(services: Services) -> None:
    answer = await services.ask("soy de Danlí y ocupo un préstamo")
    centers = await services.list_centers(include_unranked=True)
    assert search_values(answer, centers) is not None
    assert search_values(Outcome(OutcomeKind.FOLLOW_UP, place=answer.place), centers) is None
    assert search_values(Outcome(OutcomeKind.ASK_NEED, place=answer.place), centers) is None
    assert search_values(Outcome(OutcomeKind.ANSWER), centers) is None  # no place
    nearer = Outcome(OutcomeKind.ANSWER, place=answer.place, offset=1)  # «¿otro más cerca?»
    assert search_values(nearer, centers) is None


# --- text, CSV, chart -------------------------------------------------------------------------


async def test_text_summary_is_short_spanish_and_escaped(services: Services) -> None:
    stats = await known_stats(services)
    text = stats_render.render_text(stats)
    shown = plain(text)
    assert "Consultas: 12" in shown
    assert "Departamentos sin centro que los atienda: Gracias a Dios (HN) 2" in shown
    assert "Alta Verapaz (GT) 1" in shown
    assert "Servicios que el primer centro propuesto no ofrece" in shown
    assert "área confirmada por una fuente 6 · área inferida 3 · sin centro 3" in shown
    assert "3 abiertas · 3 tomadas · 2 cerradas" in shown
    assert "Tiempo mediano hasta que las toma un centro: 10 min" in shown
    assert "3,7 de 5 (3 opiniones)" in shown
    assert len(text) < 4096
    tricky = Stats(
        PERIOD,
        (),
        searches=1,
        departments=(Department("HN", "HN.08", "<b>Fco</b> & Co", 1, sourced=1),),
    )
    assert "&lt;b&gt;Fco&lt;/b&gt; &amp; Co" in stats_render.render_text(tricky)


def test_durations_read_in_spanish() -> None:
    assert stats_render.duration(45) == "45 s"
    assert stats_render.duration(600) == "10 min"
    assert stats_render.duration(2 * 3600 + 300) == "2 h 5 min"
    assert stats_render.duration(3 * 86400 + 4 * 3600) == "3 d 4 h"


async def test_csv_parses_into_metric_key_label_value(services: Services) -> None:
    stats = await known_stats(services)
    rows = list(csv.reader(io.StringIO(stats_render.render_csv(stats))))
    assert rows[0] == ["metric", "key", "label", "value"]
    assert all(len(r) == 4 for r in rows)
    table = {(m, k): v for m, k, _, v in rows[1:]}
    assert table["period", "since"] == "2026-11-10"
    assert table["period", "until"] == "2026-11-12"
    assert table["searches", ""] == "12"
    assert table["searches_by_department", "HN.05"] == "4"
    assert table["unserved_by_department", "HN.09"] == "2"
    assert table["unmet_need", "propiedad_intelectual"] == "1"
    assert table["coverage", "inferred"] == "3"
    assert table["requests", "closed"] == "2"
    assert table["median_take_seconds", ""] == "600"
    assert float(table["satisfaction", "mean"]) == pytest.approx(3.67, abs=0.01)
    labels = {k: label for m, k, label, _ in rows[1:] if m == "searches_by_department"}
    assert labels["HN.09"] == "Gracias a Dios (HN)"


def test_csv_cells_are_safe_in_a_spreadsheet() -> None:
    stats = Stats(PERIOD, (), searches=1, departments=(Department("HN", "HN.08", "=1+1", 1),))
    rows = list(csv.reader(io.StringIO(stats_render.render_csv(stats))))
    assert ["searches_by_department", "HN.08", "'=1+1", "1"] in rows


async def test_chart_marks_the_unserved_departments(services: Services) -> None:
    from matplotlib.colors import to_hex

    stats = await known_stats(services)
    figure = stats_render.chart_figure(stats)
    axes = figure.axes[0]
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    colours = {
        label: to_hex(bar.get_facecolor()) for label, bar in zip(labels, axes.patches, strict=True)
    }
    unserved = stats_render.COLOURS[UNSERVED]
    assert colours["Gracias a Dios (HN)"] == unserved
    assert colours["Alta Verapaz (GT)"] == unserved
    assert colours["Copán (HN)"] == stats_render.COLOURS[SOURCED]
    assert colours["El Paraíso (HN)"] == stats_render.COLOURS[INFERRED]
    assert list(colours.values()).count(unserved) == 2
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert texts_stats.LEGEND_UNSERVED in legend
    png = stats_render.render_png(stats)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


def test_chart_of_an_empty_period_still_renders() -> None:
    png = stats_render.render_png(Stats(PERIOD, ()))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


# --- the command line --------------------------------------------------------------------------


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_cli(parser.add_subparsers(dest="command"))
    return parser.parse_args(["stats", *argv])


async def test_command_line_text_csv_and_png(
    services: Services, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    await insert(services, KNOWN)
    settings = services.settings
    capsys.readouterr()
    args = parse("--since", "2026-11-10", "--until", "2026-11-12", "--country", "hn")
    assert await asyncio.to_thread(run_cli, args, settings) == 0
    out = capsys.readouterr().out
    assert "Consultas: 10" in out and "<b>" not in out and "Honduras" in out
    args = parse("--since", "2026-11-10", "--until", "2026-11-12", "--format", "csv")
    assert await asyncio.to_thread(run_cli, args, settings) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert ["searches", "", "", "12"] in rows
    output = tmp_path / "chart.png"
    args = parse("--since", "2026-11-10", "--format", "png", "--output", str(output))
    assert await asyncio.to_thread(run_cli, args, settings) == 0
    assert output.read_bytes().startswith(b"\x89PNG")
    args = parse("--since", "2026-11-12", "--until", "2026-11-10")
    assert await asyncio.to_thread(run_cli, args, settings) == 2
    with pytest.raises(SystemExit):
        parse("--since", "10/11/2026")
    with pytest.raises(SystemExit):
        parse("--since", "2026-11-10", "--country", "MX")


# --- /estadisticas ----------------------------------------------------------------------------


def test_the_command_reads_days_a_first_day_and_a_country() -> None:
    today = date(2026, 12, 5)
    assert parse_request([], today) == (Period(date(2026, 11, 6)), "")
    assert parse_request(["7", "sv"], today) == (Period(date(2026, 11, 29)), "SV")
    assert parse_request(["HN", "2026-11-01"], today) == (Period(date(2026, 11, 1)), "HN")
    assert parse_request(["ayer"], today) is None
    assert parse_request(["2026-13-01"], today) is None
    assert parse_request(["2027-01-01"], today) is None  # in the future


@pytest.fixture
async def stats_app(app: BotApplication, services: Services) -> BotApplication:
    """The app with a coordinator of El Salvador and the known events, dated now."""
    now = datetime.now(UTC) - timedelta(hours=1)
    rows = [row | {"at": now} for row in KNOWN if row["at"] == NOON]
    await insert(services, rows)
    async with services.sessions() as session, session.begin():
        session.add(CoordinatorRow(user_id=COORDINATOR, country="SV", granted_at=now))
    return app


async def test_the_command_is_registered_but_not_in_the_public_menu(app: BotApplication) -> None:
    handlers = [h for group in app.handlers.values() for h in group]
    found = [h for h in handlers if isinstance(h, CommandHandler) and "estadisticas" in h.commands]
    assert len(found) == 1 and found[0].callback is cmd_stats
    assert "estadisticas" not in {name for name, _ in texts.COMMANDS}


def photos(telegram: FakeTelegram) -> list[Any]:
    return [c for c in telegram.calls if c.method == "sendPhoto"]


async def test_an_admin_sees_every_country_with_the_chart(
    stats_app: BotApplication, telegram: PhotoTelegram
) -> None:
    await say(stats_app, "/estadisticas", ADMIN_ID)
    summary = telegram.texts()[0]
    assert "Números de la red" in summary and "todos los países" in summary
    assert "Consultas: 12" in summary
    assert "Gracias a Dios (HN) 2" in summary and "Alta Verapaz (GT) 1" in summary
    assert len(photos(telegram)) == 1
    assert telegram.files and telegram.files[0].startswith(b"\x89PNG")
    telegram.clear()
    await say(stats_app, "/estadisticas 7 HN", ADMIN_ID)
    assert "Consultas: 10" in telegram.texts()[0]


async def test_a_coordinator_sees_their_country_only(
    stats_app: BotApplication, telegram: PhotoTelegram
) -> None:
    await say(stats_app, "/estadisticas", COORDINATOR)
    summary = telegram.texts()[0]
    assert "El Salvador" in summary
    assert "Consultas: 1\n" in summary
    assert "Chalatenango" in summary
    assert "Honduras" not in summary and "Gracias a Dios" not in summary
    assert "1 abiertas · 1 tomadas · 0 cerradas" in summary
    assert len(photos(telegram)) == 1
    telegram.clear()
    await say(stats_app, "/estadisticas HN", COORDINATOR)  # another country: refused
    assert telegram.texts() == [plain(texts_stats.REFUSED)]
    assert photos(telegram) == []


async def test_anyone_else_is_refused_kindly(
    stats_app: BotApplication, telegram: PhotoTelegram
) -> None:
    await say(stats_app, "/estadisticas", STRANGER)
    assert telegram.texts() == [plain(texts_stats.REFUSED)]
    assert photos(telegram) == []
    telegram.clear()
    await say(stats_app, "/estadisticas 7 HN", STRANGER)
    assert telegram.texts() == [plain(texts_stats.REFUSED)]


async def test_statistics_stay_out_of_groups(
    stats_app: BotApplication, telegram: PhotoTelegram
) -> None:
    await stats_app.process_update(u.text(stats_app.bot, "/estadisticas", ADMIN_ID, "group"))
    assert len(telegram.texts()) == 1
    assert "chat privado" in telegram.texts()[0]
    assert "Consultas" not in telegram.texts()[0]
    assert photos(telegram) == []


async def test_a_wrong_word_gets_the_usage(
    stats_app: BotApplication, telegram: PhotoTelegram
) -> None:
    await say(stats_app, "/estadisticas ayer", ADMIN_ID)
    assert telegram.texts() == [plain(texts_stats.USAGE)]

"""Opening hours: parsing staff phrasings, JSON storage, open/closed status, Spanish texts."""
# ruff: noqa: RUF003 - the Spanish texts use en dashes (8:00 a. m. – 12:00 m.)

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import texts as staff_texts
from bot.domain.hours import (
    Closure,
    HoursError,
    HoursErrorCode,
    OpeningStatus,
    StatusKind,
    TimeRange,
    WeeklyHours,
    from_json,
    parse_hours,
    status_at,
    timezone_for,
    to_json,
)
from bot.texts import format_hours, format_status, hours_error

HN = "America/Tegucigalpa"
SV = "America/El_Salvador"
DO = "America/Santo_Domingo"
NY = "America/New_York"  # has DST: wall-clock times must survive the switch

MON_FRI = "0-4"


def week(*parts: tuple[str, str]) -> tuple[str, ...]:
    """Expected days as stored in JSON, e.g. week(("0-4", "08:00-16:00"), ("5", "08:00-12:00"))."""
    days = [""] * 7
    for span, ranges in parts:
        first, _, last = span.partition("-")
        for day in range(int(first), int(last or first) + 1):
            days[day] = ranges
    return tuple(days)


def stored(hours: WeeklyHours) -> tuple[str, ...]:
    return tuple(json.loads(to_json(hours))["days"])


# -- parsing -----------------------------------------------------------------------------------

L_V_8_16 = week((MON_FRI, "08:00-16:00"))
SPLIT = "08:00-12:00,13:00-17:00"

PARSED = [
    ("lunes a viernes 8:00-16:00", L_V_8_16),
    ("Lunes a Viernes, 8:00 a 16:00", L_V_8_16),
    ("LUNES A VIERNES 8:00 - 16:00 HRS", L_V_8_16),
    ("Horario: lunes a viernes de 8:00 a 16:00 h.", L_V_8_16),
    ("de lunes a viernes de 8 a 16", L_V_8_16),
    ("lunes al viernes 8-16", L_V_8_16),
    ("lunes hasta viernes 8 hasta 16", L_V_8_16),
    ("8:00 a 16:00 de lunes a viernes", L_V_8_16),
    ("lun-vie 8-16", L_V_8_16),
    ("lun. a vie. 8.00 a 16.00", L_V_8_16),
    ("Lu-Vi 0800-1600", L_V_8_16),
    ("L-V 8h-16h", L_V_8_16),
    ("entre semana 8-16", L_V_8_16),
    ("días hábiles de 8 a 16", L_V_8_16),
    ("lunes a viernes 8 am a 4 pm", L_V_8_16),
    ("lunes a viernes 8-4 pm", L_V_8_16),
    ("lunes a viernes 8:00 AM - 4:00 PM", L_V_8_16),
    ("lunes a viernes de 8 de la mañana a 4 de la tarde", L_V_8_16),
    ("lunes a vienres 8 a 16", L_V_8_16),  # one typo in a day name
    ("lunes a biernes 8 a 16", L_V_8_16),
    ("Lúnes a Viérnes 8 a 16", L_V_8_16),
    (
        "lun-vie 8 a 12 y 13:30 a 17; sáb 8-12",
        week((MON_FRI, "08:00-12:00,13:30-17:00"), ("5", "08:00-12:00")),
    ),
    ("L-V 8am-5pm, sábados 8:00 a 12:00", week((MON_FRI, "08:00-17:00"), ("5", "08:00-12:00"))),
    ("de lunes a viernes de 7:30 a. m. a 4:30 p. m.", week((MON_FRI, "07:30-16:30"))),
    ("todos los días 9-17", week(("0-6", "09:00-17:00"))),
    ("diario de 9 a 17", week(("0-6", "09:00-17:00"))),
    ("lunes a domingo 9-17", week(("0-6", "09:00-17:00"))),
    (
        "lunes a viernes de 8:00 a. m. a 12:00 m. y de 1:00 p. m. a 5:00 p. m.",
        week((MON_FRI, SPLIT)),
    ),
    ("lunes a viernes 8 a 12 md y 1 a 5 pm", week((MON_FRI, SPLIT))),
    ("L a V 8 a 12 y 1 a 5 p.m.", week((MON_FRI, SPLIT))),
    ("lunes a viernes de 8 a mediodía y de 13 a 17", week((MON_FRI, SPLIT))),
    ("lunes a viernes 8-12, 13-17", week((MON_FRI, SPLIT))),
    ("lunes a viernes 8 a 12 / 13 a 17", week((MON_FRI, SPLIT))),
    ("lun-vie 8-12; lun-vie 13-17", week((MON_FRI, SPLIT))),  # two groups add up
    ("lunes a viernes 8-12 y 12-17", week((MON_FRI, "08:00-17:00"))),  # touching ranges join
    (
        "Lun a Vie: 8:00am – 4:00pm / Sáb: 8:00am – 12:00md",
        week((MON_FRI, "08:00-16:00"), ("5", "08:00-12:00")),
    ),
    (
        "- lunes a viernes 8-16\n- sábado 8-12",
        week((MON_FRI, "08:00-16:00"), ("5", "08:00-12:00")),
    ),
    (
        "lunes, miércoles y viernes 8-12",
        week(("0", "08:00-12:00"), ("2", "08:00-12:00"), ("4", "08:00-12:00")),
    ),
    ("lu, mi y vi 8-12", week(("0", "08:00-12:00"), ("2", "08:00-12:00"), ("4", "08:00-12:00"))),
    ("martes y jueves de 14 a 18", week(("1", "14:00-18:00"), ("3", "14:00-18:00"))),
    ("jueves a domingo 10-18", week(("3-6", "10:00-18:00"))),
    ("viernes a lunes 9-13", week(("0", "09:00-13:00"), ("4-6", "09:00-13:00"))),  # wraps
    ("L-V 8-16, S 8-12, D cerrado", week((MON_FRI, "08:00-16:00"), ("5", "08:00-12:00"))),
    ("sábado y domingo cerrado; lunes a viernes 8-16", L_V_8_16),
    (
        "entre semana 8-16 y fines de semana 9-12",
        week((MON_FRI, "08:00-16:00"), ("5-6", "09:00-12:00")),
    ),
    ("sábados 8 a 12", week(("5", "08:00-12:00"))),
    ("24/7", week(("0-6", "00:00-24:00"))),
    ("lunes a viernes 24 horas", week((MON_FRI, "00:00-24:00"))),
    ("todos los días 0:00 a 24:00", week(("0-6", "00:00-24:00"))),
    ("lunes 12-5pm", week(("0", "12:00-17:00"))),
    ("lunes a viernes 7-3pm", week((MON_FRI, "07:00-15:00"))),
    ("lunes a viernes 6 a 14", week((MON_FRI, "06:00-14:00"))),
    ("lunes a viernes 5 am a 1 pm", week((MON_FRI, "05:00-13:00"))),
    ("sábado 12 a. m. a 6 a. m.", week(("5", "00:00-06:00"))),
    ("viernes 6 pm a medianoche", week(("4", "18:00-24:00"))),
    ("sábado medianoche a 6 am", week(("5", "00:00-06:00"))),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_hours(text: str, expected: tuple[str, ...]) -> None:
    hours = parse_hours(text, HN)
    assert stored(hours) == expected
    assert hours.timezone == HN


REJECTED = [
    ("", HoursErrorCode.EMPTY, ""),
    ("   \n ", HoursErrorCode.EMPTY, ""),
    ("lunes a viernes 8-16 " * 50, HoursErrorCode.TOO_LONG, ""),
    ("8-16", HoursErrorCode.MISSING_DAYS, "8 - 16"),
    ("de 8:00 a 16:00", HoursErrorCode.MISSING_DAYS, "8:00 a 16:00"),
    ("lunes a viernes", HoursErrorCode.MISSING_TIMES, "lunes a viernes"),
    ("lunes a viernes 8-16, sábado", HoursErrorCode.MISSING_TIMES, "sabado"),
    ("lunes a viernes 8-16 sábado 8-12 domingo", HoursErrorCode.MISSING_TIMES, "domingo"),
    ("8-16 lunes a viernes, sábado 8-12", HoursErrorCode.MISSING_DAYS, "8 - 12"),
    ("lunes a viernes 8 a 5", HoursErrorCode.AMBIGUOUS_TIME, "8 a 5"),
    ("lun-vie 8 a 12 y 1 a 5", HoursErrorCode.AMBIGUOUS_TIME, "1 a 5"),
    ("lunes a viernes 7:30 a 4:30", HoursErrorCode.AMBIGUOUS_TIME, "7:30 a 4:30"),
    ("lunes a viernes 9 a 7", HoursErrorCode.AMBIGUOUS_TIME, "9 a 7"),
    ("lunes a viernes 7-9pm", HoursErrorCode.AMBIGUOUS_TIME, "7 a 9 p. m."),  # 7-21 or 19-21?
    ("lunes a viernes 8am-5", HoursErrorCode.AMBIGUOUS_TIME, "8 a. m. a 5"),
    ("lunes a viernes 5pm-8am", HoursErrorCode.END_BEFORE_START, "5 p. m. a 8 a. m."),
    ("lunes a viernes 16:00-8:00", HoursErrorCode.AMBIGUOUS_TIME, "16:00 a 8:00"),
    ("lunes a viernes 16:00-14:00", HoursErrorCode.END_BEFORE_START, "16:00 a 14:00"),
    ("lunes 14:00-14:00", HoursErrorCode.END_BEFORE_START, "14:00 a 14:00"),
    ("lunes 8:00-8:00", HoursErrorCode.AMBIGUOUS_TIME, "8:00 a 8:00"),
    ("lunes a viernes 8 am a 12 am", HoursErrorCode.AMBIGUOUS_TIME, "12 a. m."),
    ("lunes a viernes 25:00-26:00", HoursErrorCode.BAD_TIME, "25:00"),
    ("lunes a viernes 8:75-16", HoursErrorCode.BAD_TIME, "8:75"),
    ("lunes a viernes 8:7-16", HoursErrorCode.BAD_TIME, "8:7"),
    ("lunes a viernes 800-1600", HoursErrorCode.BAD_TIME, "800"),
    ("lunes a viernes 13 pm a 17 pm", HoursErrorCode.BAD_TIME, "13 p. m."),
    ("lunes a viernes 8 m a 12", HoursErrorCode.BAD_TIME, "8 m."),
    ("lunes a viernes 8 a", HoursErrorCode.BAD_TIME, "8 a …"),
    ("lunes a viernes 8 am 5 pm", HoursErrorCode.BAD_TIME, "8 a. m."),
    ("lunes a viernes 8-12-16", HoursErrorCode.BAD_TIME, "-"),
    ("M-J 8-12", HoursErrorCode.BAD_DAY, "m"),
    ("lnes a vrnes 8-16", HoursErrorCode.BAD_DAY, "lnes"),
    ("lunes a 8-12", HoursErrorCode.BAD_DAY, "lunes a …"),
    ("lunes a lunes 8-12", HoursErrorCode.BAD_DAY, "lunes a lunes"),
    ("todos los días a viernes 8-12", HoursErrorCode.BAD_DAY, "todos los días a viernes"),
    ("lunes a viernes 8-16 excepto feriados", HoursErrorCode.BAD_FORMAT, "excepto"),
    ("feriados cerrado", HoursErrorCode.BAD_FORMAT, "feriados"),
    ("lunes a viernes 8-16 <script>", HoursErrorCode.BAD_FORMAT, "<"),
    ("lunes a viernes 8-16 🙂", HoursErrorCode.BAD_FORMAT, "🙂"),
    ("lunes cerrado 8-12", HoursErrorCode.BAD_FORMAT, "cerrado 8 - 12"),
    ("lunes a viernes 8-12; lunes 11-13", HoursErrorCode.OVERLAP, "lunes"),
    ("lunes 8-12 y 10-14", HoursErrorCode.OVERLAP, "lunes"),
    ("lunes a viernes 8-16; viernes 8-12", HoursErrorCode.OVERLAP, "viernes"),
    ("sábado 8-12; sábado cerrado", HoursErrorCode.DUPLICATE_DAY, "sabado"),
    ("sábado cerrado; lunes a sábado 8-12", HoursErrorCode.DUPLICATE_DAY, "sabado"),
    ("lunes 8-9 y 10-11 y 12-13 y 14-15 y 16-17", HoursErrorCode.TOO_MANY_RANGES, "lunes"),
    ("todos los días cerrado", HoursErrorCode.NO_OPEN_DAYS, ""),
]


@pytest.mark.parametrize(("text", "code", "fragment"), REJECTED)
def test_parse_hours_rejects(text: str, code: HoursErrorCode, fragment: str) -> None:
    with pytest.raises(HoursError) as caught:
        parse_hours(text, HN)
    assert caught.value.code is code
    assert caught.value.fragment == fragment
    assert isinstance(caught.value, ValueError)


def test_parse_keeps_time_zone() -> None:
    assert parse_hours("lunes 8-12", DO).timezone == DO
    assert timezone_for("SV") == SV
    assert timezone_for("XX") == HN
    with pytest.raises(ValueError, match="time zone"):
        parse_hours("lunes 8-12", "Mars/Olympus_Mons")


# -- types and JSON ----------------------------------------------------------------------------


def test_value_types_check_themselves() -> None:
    with pytest.raises(ValueError, match="range"):
        TimeRange(600, 600)
    with pytest.raises(ValueError, match="range"):
        TimeRange(0, 1441)
    with pytest.raises(ValueError, match="7 days"):
        WeeklyHours(((),) * 6)
    with pytest.raises(ValueError, match="disjoint"):
        WeeklyHours(((TimeRange(600, 720), TimeRange(480, 660)),) + ((),) * 6)
    with pytest.raises(ValueError, match="closure"):
        Closure(date(2025, 1, 2), date(2025, 1, 1))


def test_json_is_compact_and_stable() -> None:
    hours = parse_hours("lun-vie 8 a 12 y 13:30 a 17; sáb 8-12", SV)
    text = to_json(hours)
    assert text == (
        '{"v":1,"tz":"America/El_Salvador","days":["08:00-12:00,13:30-17:00",'
        '"08:00-12:00,13:30-17:00","08:00-12:00,13:30-17:00","08:00-12:00,13:30-17:00",'
        '"08:00-12:00,13:30-17:00","08:00-12:00",""]}'
    )
    assert from_json(text) == hours
    assert to_json(from_json(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '{"v":2,"tz":"America/Tegucigalpa","days":["","","","","","",""]}',
        '{"v":1,"tz":"America/Tegucigalpa","days":["","","","","",""]}',
        '{"v":1,"tz":"America/Tegucigalpa","days":["8:00-12:00","","","","","",""]}',
        '{"v":1,"tz":"America/Tegucigalpa","days":["08:00-07:00","","","","","",""]}',
        '{"v":1,"tz":"America/Tegucigalpa","days":["08:99-12:00","","","","","",""]}',
        '{"v":1,"tz":"Nowhere/Land","days":["","","","","","",""]}',
        '{"v":1,"tz":"America/Tegucigalpa","days":[1,"","","","","",""]}',
    ],
)
def test_from_json_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError is fine
        from_json(text)


@st.composite
def weekly_hours(draw: st.DrawFn) -> WeeklyHours:
    days = []
    for _ in range(7):
        # from 1:00: "12:00 a. m. – 12:30 a. m." is refused as ambiguous (noon or midnight?)
        marks = sorted(draw(st.sets(st.integers(60, 1440), max_size=8)))
        pairs = [TimeRange(a, b) for a, b in zip(marks[::2], marks[1::2], strict=False)]
        days.append(tuple(pairs))
    zone = draw(st.sampled_from([HN, SV, DO, "America/Panama", "America/Belize"]))
    return WeeklyHours(tuple(days), zone)


@given(weekly_hours())
def test_json_round_trip(hours: WeeklyHours) -> None:
    assert from_json(to_json(hours)) == hours


@given(weekly_hours())
def test_staff_can_paste_the_formatted_hours_back(hours: WeeklyHours) -> None:
    """format_hours' output is itself a valid input, read back to the same hours."""
    merged = parse_or_none(format_hours(hours), hours.timezone)
    if hours.is_closed_all_week:
        assert merged is None
        return
    assert merged is not None
    for day, ranges in enumerate(hours.days):
        assert _minutes_open(merged.days[day]) == _minutes_open(ranges)


def parse_or_none(text: str, zone: str) -> WeeklyHours | None:
    return parse_hours(text, zone) if text else None  # "" for hours closed all week


def _minutes_open(ranges: tuple[TimeRange, ...]) -> set[int]:
    return {m for r in ranges for m in range(r.start, r.end)}


# -- status ------------------------------------------------------------------------------------

OFFICE = "lunes a viernes 8 a 12 y 13 a 17; sábado 8 a 12"
# 2025-01-06 is a Monday.
NEW_YEAR = Closure(date(2024, 12, 21), date(2025, 1, 5), "Vacaciones de fin de año")
HOLIDAY = Closure(date(2025, 1, 6), date(2025, 1, 6), "Feriado")
NEXT_MONDAY_OFF = Closure(date(2025, 1, 13), date(2025, 1, 13))


def local(zone: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


STATUS = [
    # id, zone, hours, closures, now (local ISO or aware), kind, closes/opens (local ISO)
    ("before opening", HN, OFFICE, (), "2025-01-07 07:59", StatusKind.CLOSED, "2025-01-07 08:00"),
    ("at opening", HN, OFFICE, (), "2025-01-07 08:00", StatusKind.OPEN, "2025-01-07 12:00"),
    ("morning", HN, OFFICE, (), "2025-01-07 10:15", StatusKind.OPEN, "2025-01-07 12:00"),
    ("at lunch", HN, OFFICE, (), "2025-01-07 12:00", StatusKind.CLOSED, "2025-01-07 13:00"),
    ("lunch", HN, OFFICE, (), "2025-01-07 12:30", StatusKind.CLOSED, "2025-01-07 13:00"),
    ("afternoon", HN, OFFICE, (), "2025-01-07 16:59", StatusKind.OPEN, "2025-01-07 17:00"),
    ("evening", HN, OFFICE, (), "2025-01-07 17:00", StatusKind.CLOSED, "2025-01-08 08:00"),
    ("friday night", HN, OFFICE, (), "2025-01-10 17:30", StatusKind.CLOSED, "2025-01-11 08:00"),
    ("saturday", HN, OFFICE, (), "2025-01-11 11:00", StatusKind.OPEN, "2025-01-11 12:00"),
    ("saturday noon", HN, OFFICE, (), "2025-01-11 12:00", StatusKind.CLOSED, "2025-01-13 08:00"),
    ("sunday", HN, OFFICE, (), "2025-01-12 10:00", StatusKind.CLOSED, "2025-01-13 08:00"),
    (
        "friday to monday",
        SV,
        "L-V 8-16",
        (),
        "2025-01-10 16:00",
        StatusKind.CLOSED,
        "2025-01-13 08:00",
    ),
    (
        "monday off ahead",
        SV,
        "L-V 8-16",
        (NEXT_MONDAY_OFF,),
        "2025-01-10 18:00",
        StatusKind.CLOSED,
        "2025-01-14 08:00",
    ),
    (
        "holiday",
        HN,
        OFFICE,
        (HOLIDAY,),
        "2025-01-06 09:00",
        StatusKind.CLOSURE,
        "2025-01-07 08:00",
    ),
    (
        "temporary closure",
        HN,
        OFFICE,
        (NEW_YEAR,),
        "2024-12-24 10:00",
        StatusKind.CLOSURE,
        "2025-01-06 08:00",
    ),
    (
        "closures back to back",
        HN,
        OFFICE,
        (NEW_YEAR, HOLIDAY),
        "2024-12-24 10:00",
        StatusKind.CLOSURE,
        "2025-01-07 08:00",
    ),
    (
        "day after closure",
        HN,
        OFFICE,
        (NEW_YEAR,),
        "2025-01-06 07:00",
        StatusKind.CLOSED,
        "2025-01-06 08:00",
    ),
    (
        "santo domingo",
        DO,
        "lunes a viernes 8:00 a. m. a 5:00 p. m.",
        (),
        "2025-01-07 17:01",
        StatusKind.CLOSED,
        "2025-01-08 08:00",
    ),
    ("all day", HN, "24/7", (), "2025-01-07 03:00", StatusKind.OPEN, None),
    (
        "till midnight",
        HN,
        "todos los días 8-24",
        (),
        "2025-01-07 23:00",
        StatusKind.OPEN,
        "2025-01-08 00:00",
    ),
    (
        "night into day",
        HN,
        "lunes 18-24; martes 0-6",
        (),
        "2025-01-06 20:00",
        StatusKind.OPEN,
        "2025-01-07 06:00",
    ),
]


@pytest.mark.parametrize(
    ("zone", "text", "closures", "now", "kind", "when"),
    [row[1:] for row in STATUS],
    ids=[row[0] for row in STATUS],
)
def test_status_at(
    zone: str,
    text: str,
    closures: tuple[Closure, ...],
    now: str,
    kind: StatusKind,
    when: str | None,
) -> None:
    status = status_at(local(zone, now), parse_hours(text, zone), closures)
    assert status.kind is kind
    moment = status.closes_at if kind is StatusKind.OPEN else status.opens_at
    expected = local(zone, when) if when else None
    assert moment == expected
    if moment is not None:
        assert moment.tzinfo == ZoneInfo(zone)


def test_status_of_a_closure_says_until_when_and_why() -> None:
    hours = parse_hours(OFFICE, HN)
    status = status_at(local(HN, "2024-12-24 10:00"), hours, (NEW_YEAR, HOLIDAY))
    assert status.closure == NEW_YEAR
    assert status.closed_until == date(2025, 1, 6)
    assert status.opens_at == local(HN, "2025-01-07 08:00")


def test_status_is_computed_in_the_centers_time_zone() -> None:
    instant = datetime(2025, 1, 7, 13, 30, tzinfo=UTC)  # 7:30 in Tegucigalpa, 9:30 in S. D.
    text = "lunes a viernes 8-16"
    honduras = status_at(instant, parse_hours(text, HN), ())
    dominicana = status_at(instant, parse_hours(text, DO), ())
    assert honduras.kind is StatusKind.CLOSED
    assert honduras.now == local(HN, "2025-01-07 07:30")
    assert dominicana.kind is StatusKind.OPEN
    assert dominicana.closes_at == local(DO, "2025-01-07 16:00")
    late = datetime(2025, 1, 8, 1, 0, tzinfo=UTC)  # still Tuesday 19:00 in El Salvador
    salvador = status_at(late, parse_hours(text, SV), ())
    assert salvador.now.date() == date(2025, 1, 7)
    assert salvador.opens_at == local(SV, "2025-01-08 08:00")


def test_status_keeps_wall_clock_times_across_dst() -> None:
    saturday = local(NY, "2025-03-08 20:00")  # DST starts on Sunday the 9th
    status = status_at(saturday, parse_hours("lunes 9-17", NY), ())
    assert status.opens_at is not None
    assert (status.opens_at.hour, status.opens_at.minute) == (9, 0)
    assert status.opens_at.utcoffset() == timedelta(hours=-4)


def test_status_without_hours() -> None:
    now = local(HN, "2025-01-06 09:00")
    assert status_at(now, None, ()).kind is StatusKind.UNKNOWN
    closed = status_at(now, None, (HOLIDAY,))
    assert closed.kind is StatusKind.CLOSURE
    assert closed.opens_at is None
    utc_evening = datetime(2025, 1, 7, 2, 0, tzinfo=UTC)  # still Monday the 6th in Honduras
    assert status_at(utc_evening, None, (HOLIDAY,), timezone=HN).kind is StatusKind.CLOSURE
    assert status_at(utc_evening, None, (HOLIDAY,)).kind is StatusKind.UNKNOWN


def test_status_with_no_open_day_and_naive_now() -> None:
    never = WeeklyHours(((),) * 7)
    status = status_at(local(HN, "2025-01-06 09:00"), never, ())
    assert status.kind is StatusKind.CLOSED
    assert status.opens_at is None
    with pytest.raises(ValueError, match="aware"):
        status_at(datetime(2025, 1, 6, 9, 0), never, ())


# -- Spanish texts -----------------------------------------------------------------------------

FORMATTED = [
    (
        "lunes a viernes 8-12 y 13-17; sábado 8-12",
        "Lunes a viernes: 8:00 a. m. – 12:00 m. y 1:00 p. m. – 5:00 p. m.\n"
        "Sábado: 8:00 a. m. – 12:00 m.",
    ),
    ("todos los días 9-17", "Todos los días: 9:00 a. m. – 5:00 p. m."),
    ("24/7", "Todos los días: 24 horas"),
    ("sábado y domingo 9:30-12:30", "Sábado y domingo: 9:30 a. m. – 12:30 p. m."),
    (
        "lunes, miércoles y viernes 8-12",
        "Lunes: 8:00 a. m. – 12:00 m.\nMiércoles: 8:00 a. m. – 12:00 m.\n"
        "Viernes: 8:00 a. m. – 12:00 m.",
    ),
    (
        "lunes a miércoles 8-16; jueves y viernes 8-12",
        "Lunes a miércoles: 8:00 a. m. – 4:00 p. m.\nJueves y viernes: 8:00 a. m. – 12:00 m.",
    ),
    ("martes 12:30 a 13:30", "Martes: 12:30 p. m. – 1:30 p. m."),
    ("sábado 12 a. m. a 1:30 a. m.", "Sábado: 12:00 a. m. – 1:30 a. m."),
    ("viernes 18 a 24", "Viernes: 6:00 p. m. – medianoche"),
    (
        "lunes 8-9 y 10-11 y 12-13",
        "Lunes: 8:00 a. m. – 9:00 a. m., 10:00 a. m. – 11:00 a. m. y 12:00 m. – 1:00 p. m.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FORMATTED)
def test_format_hours(text: str, expected: str) -> None:
    assert format_hours(parse_hours(text, HN)) == expected


def status(kind: StatusKind, now: str, **kw: object) -> OpeningStatus:
    return OpeningStatus(kind, local(HN, now), **kw)  # type: ignore[arg-type]


TUE = "2025-01-07 10:00"  # a Tuesday
STATUS_TEXTS = [
    (
        status(StatusKind.OPEN, TUE, closes_at=local(HN, "2025-01-07 17:00")),
        "Abierto ahora · cierra a las 5:00 p. m.",
    ),
    (
        status(StatusKind.OPEN, TUE, closes_at=local(HN, "2025-01-07 12:00")),
        "Abierto ahora · cierra a las 12:00 m.",
    ),
    (
        status(StatusKind.OPEN, TUE, closes_at=local(HN, "2025-01-07 13:00")),
        "Abierto ahora · cierra a la 1:00 p. m.",
    ),
    (
        status(StatusKind.OPEN, TUE, closes_at=local(HN, "2025-01-08 00:00")),
        "Abierto ahora · cierra a la medianoche",
    ),
    (
        status(StatusKind.OPEN, TUE, closes_at=local(HN, "2025-01-08 06:00")),
        "Abierto ahora · cierra mañana a las 6:00 a. m.",
    ),
    (status(StatusKind.OPEN, TUE), "Abierto ahora"),
    (
        status(StatusKind.CLOSED, TUE, opens_at=local(HN, "2025-01-07 13:00")),
        "Cerrado · abre hoy a la 1:00 p. m.",
    ),
    (
        status(StatusKind.CLOSED, TUE, opens_at=local(HN, "2025-01-07 14:30")),
        "Cerrado · abre hoy a las 2:30 p. m.",
    ),
    (
        status(StatusKind.CLOSED, TUE, opens_at=local(HN, "2025-01-08 08:00")),
        "Cerrado · abre mañana a las 8:00 a. m.",
    ),
    (
        status(StatusKind.CLOSED, "2025-01-10 18:00", opens_at=local(HN, "2025-01-13 08:00")),
        "Cerrado · abre el lunes a las 8:00 a. m.",
    ),
    (
        status(StatusKind.CLOSED, "2024-12-20 18:00", opens_at=local(HN, "2025-01-06 07:30")),
        "Cerrado · abre el lunes 6 de enero de 2025 a las 7:30 a. m.",
    ),
    (status(StatusKind.CLOSED, TUE), "Cerrado"),
    (
        status(
            StatusKind.CLOSURE, "2024-12-24 10:00", closure=NEW_YEAR, closed_until=date(2025, 1, 5)
        ),
        "Cerrado temporalmente hasta el 5 de enero de 2025 · Vacaciones de fin de año",
    ),
    (
        status(
            StatusKind.CLOSURE, "2025-01-02 10:00", closure=NEW_YEAR, closed_until=date(2025, 1, 5)
        ),
        "Cerrado temporalmente hasta el 5 de enero · Vacaciones de fin de año",
    ),
    (
        status(
            StatusKind.CLOSURE, "2025-01-06 10:00", closure=HOLIDAY, closed_until=date(2025, 1, 6)
        ),
        "Cerrado hoy · Feriado",
    ),
    (
        status(
            StatusKind.CLOSURE,
            "2025-01-13 10:00",
            closure=NEXT_MONDAY_OFF,
            closed_until=date(2025, 1, 13),
        ),
        "Cerrado hoy",
    ),
    (
        status(
            StatusKind.CLOSURE,
            "2025-03-01 10:00",
            closure=Closure(date(2025, 3, 1), date(2025, 3, 3), "Inventario <anual> & más"),
            closed_until=date(2025, 3, 3),
        ),
        "Cerrado temporalmente hasta el 3 de marzo · Inventario &lt;anual&gt; &amp; más",
    ),
    (status(StatusKind.UNKNOWN, TUE), ""),
]


@pytest.mark.parametrize(("value", "expected"), STATUS_TEXTS)
def test_format_status(value: OpeningStatus, expected: str) -> None:
    assert format_status(value, value.now.date()) == expected
    assert format_status(value) == expected  # today defaults to the center's local date


def test_format_status_end_to_end() -> None:
    hours = parse_hours(OFFICE, HN)
    friday = status_at(local(HN, "2025-01-10 17:30"), hours, ())
    assert format_status(friday) == "Cerrado · abre mañana a las 8:00 a. m."
    saturday = status_at(local(HN, "2025-01-11 12:30"), hours, ())
    assert format_status(saturday) == "Cerrado · abre el lunes a las 8:00 a. m."
    lunch = status_at(local(HN, "2025-01-07 12:10"), hours, ())
    assert format_status(lunch) == "Cerrado · abre hoy a la 1:00 p. m."


@pytest.mark.parametrize("code", list(HoursErrorCode))
def test_every_hours_error_has_a_kind_message(code: HoursErrorCode) -> None:
    text = hours_error(HoursError(code, "<b>x</b>"))
    assert text.startswith("🤔 ")
    assert "Por ejemplo: <i>" in text
    assert "<b>" not in text
    assert "{" not in text
    assert len(text) < 500


def test_hours_error_messages_for_real_mistakes() -> None:
    def message(text: str) -> str:
        with pytest.raises(HoursError) as caught:
            parse_hours(text, HN)
        return hours_error(caught.value)

    assert "«1 a 5»" in message("lun-vie 8 a 12 y 1 a 5")
    assert "a. m. o p. m." in message("lun-vie 8 a 12 y 1 a 5")
    assert "sábado" in message("sábado 8-12; sábado cerrado")
    assert "cierres temporales" in message("lunes a viernes 8-16 excepto feriados")


def test_hours_understood_shows_the_parsed_hours() -> None:
    text = staff_texts.hours_understood(parse_hours("L-V 8-16", HN))
    assert "Lunes a viernes: 8:00 a. m. – 4:00 p. m." in text


_WORDS = st.sampled_from(
    [
        "lunes",
        "a",
        "viernes",
        "8",
        "12",
        "y",
        "13:30",
        "17",
        ";",
        "-",
        ",",
        "sáb",
        "de",
        "pm",
        "a. m.",
        "m.",
        "cerrado",
        "24 horas",
        "todos los días",
        "L",
        "V",
        "M",
        "0800",
        "medianoche",
        "mediodía",
        "hasta",
        "/",
        "\n",
        "5",
        "1",
        "9:00",
        "de la tarde",
        "🙂",
        "<",
        ":",
    ]
)


@given(st.lists(_WORDS, max_size=12) | st.lists(st.text(max_size=8), max_size=6))
def test_parse_hours_only_ever_raises_hours_error(parts: list[str]) -> None:
    with contextlib.suppress(HoursError):
        parse_hours(" ".join(parts), HN)

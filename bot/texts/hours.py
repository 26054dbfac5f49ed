"""Opening hours and status in Spanish: days, months, times, «Abierto ahora…»."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain.hours import DAY_MINUTES, OpeningStatus, StatusKind, TimeRange, WeeklyHours
from bot.texts.common import _cap, esc

# --- Staff: listing fields, hours and opening status ----------------------------------------

WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
EN_DASH = "\u2013"
_FOLDED_DAYS = {"miercoles": "miércoles", "sabado": "sábado"}

# -- hours and status --------------------------------------------------------------------------


def format_time(minutes: int) -> str:
    """8:00 a. m., 12:00 m. (noon), 1:30 p. m., 12:00 a. m. (midnight)."""
    hour, minute = divmod(minutes % DAY_MINUTES, 60)
    if (hour, minute) == (12, 0):
        return "12:00 m."
    suffix = "a. m." if hour < 12 else "p. m."
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {suffix}"


def format_range(r: TimeRange) -> str:
    """Format a range as "8:00 a. m. - 12:00 m." (en dash); 24:00 is "medianoche"."""
    if (r.start, r.end) == (0, DAY_MINUTES):
        return "24 horas"
    end = "medianoche" if r.end == DAY_MINUTES else format_time(r.end)
    return f"{format_time(r.start)} {EN_DASH} {end}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " y " + parts[-1]


def _days_label(first: int, last: int) -> str:
    if last - first == 6:
        return "Todos los días"
    if first == last:
        return _cap(WEEKDAYS[first])
    link = " y " if last == first + 1 else " a "
    return _cap(WEEKDAYS[first]) + link + WEEKDAYS[last]


def format_hours(hours: WeeklyHours) -> str:
    """One line per run of consecutive days with the same hours; closed days are left out."""
    lines = []
    day = 0
    while day < 7:
        ranges = hours.days[day]
        last = day
        while last + 1 < 7 and hours.days[last + 1] == ranges:
            last += 1
        if ranges:
            times = _join([format_range(r) for r in ranges])
            lines.append(f"{_days_label(day, last)}: {times}")
        day = last + 1
    return "\n".join(lines)


def format_date(day: date, today: date) -> str:
    """Format a date as "5 de enero", with the year when it is not this year's."""
    text = f"{day.day} de {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} de {day.year}"


def _at_time(moment: datetime) -> str:
    minutes = moment.hour * 60 + moment.minute
    article = "a la" if moment.hour in (1, 13) else "a las"  # "a la 1:00 p. m."
    return f"{article} {format_time(minutes)}"


def _when(moment: datetime, today: date) -> str:
    """Say when: "hoy a las 8:00 a. m.", "mañana…", "el lunes…", "el lunes 6 de enero…"."""
    day = moment.date()
    ahead = (day - today).days
    if ahead == 0:
        label = "hoy"
    elif ahead == 1:
        label = "mañana"
    elif 1 < ahead < 7:
        label = f"el {WEEKDAYS[day.weekday()]}"
    else:
        label = f"el {WEEKDAYS[day.weekday()]} {format_date(day, today)}"
    return f"{label} {_at_time(moment)}"


def format_status(status: OpeningStatus, today: date | None = None) -> str:
    """One line: "Abierto ahora · cierra a las 5:00 p. m.", "Cerrado · abre mañana a las…"…

    `today` defaults to the date in the center's time zone (`status.now`); "" when unknown.
    """
    today = today or status.now.date()
    if status.kind is StatusKind.OPEN:
        closes = status.closes_at
        if closes is None:
            return "Abierto ahora"
        if closes.date() == today:
            return f"Abierto ahora · cierra {_at_time(closes)}"
        if closes.date() == today + timedelta(days=1) and (closes.hour, closes.minute) == (0, 0):
            return "Abierto ahora · cierra a la medianoche"
        return f"Abierto ahora · cierra {_when(closes, today)}"
    if status.kind is StatusKind.CLOSED:
        if status.opens_at is None:
            return "Cerrado"
        return f"Cerrado · abre {_when(status.opens_at, today)}"
    if status.kind is StatusKind.CLOSURE:
        until = status.closed_until
        if until is None or until == today:
            text = "Cerrado hoy"
        else:
            text = f"Cerrado temporalmente hasta el {format_date(until, today)}"
        message = status.closure.message.strip() if status.closure else ""
        return f"{text} · {esc(message)}" if message else text
    return ""

"""Structured opening hours: parse what staff type, store as JSON, tell whether a center is open.

Pure domain code (stdlib and zoneinfo only). Times are minutes since local midnight in the
center's IANA time zone; a range never crosses midnight (24:00 = 1440 may end a range).

The parser is deliberately strict: it reads common Spanish phrasings ("lunes a viernes 8:00 a
16:00", "L-V 8am-5pm", "lun-vie 8 a 12 y 13:30 a 17; sáb 8-12") and raises `HoursError` on
anything it cannot read with certainty (e.g. "8 a 5": five in the morning or the afternoon?).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "America/Tegucigalpa"
MAX_TEXT = 1000  # characters staff may type for the hours (a pasted week fits)
MAX_RANGES_PER_DAY = 4
DAY_MINUTES = 24 * 60
SEARCH_DAYS = 400  # how far ahead to look for the next opening (closures may be long)

COUNTRY_TIMEZONES = {
    "HN": "America/Tegucigalpa",
    "SV": "America/El_Salvador",
    "GT": "America/Guatemala",
    "NI": "America/Managua",
    "CR": "America/Costa_Rica",
    "PA": "America/Panama",
    "BZ": "America/Belize",
    "DO": "America/Santo_Domingo",
}


def timezone_for(country: str) -> str:
    """The IANA time zone of a country of the network (Honduras' when unknown)."""
    return COUNTRY_TIMEZONES.get(country, DEFAULT_TIMEZONE)


# -- types -------------------------------------------------------------------------------------


class HoursErrorCode(StrEnum):
    """Why a text could not be read as opening hours (each has a Spanish message)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_FORMAT = "bad_format"  # a word or sign that is neither a day nor a time
    BAD_DAY = "bad_day"  # an unknown or ambiguous day ("M"), or "lunes a" with no end day
    MISSING_DAYS = "missing_days"  # times with no days
    MISSING_TIMES = "missing_times"  # days with no times
    BAD_TIME = "bad_time"  # "25:00", "8:7", "13 p. m.", "8 a" with no end
    AMBIGUOUS_TIME = "ambiguous_time"  # "8 a 5", "1 a 5": morning or afternoon?
    END_BEFORE_START = "end_before_start"
    OVERLAP = "overlap"  # two ranges of one day cross
    DUPLICATE_DAY = "duplicate_day"  # a day said both closed and open
    TOO_MANY_RANGES = "too_many_ranges"
    NO_OPEN_DAYS = "no_open_days"  # every day closed


class HoursError(ValueError):
    """Text that cannot be read as opening hours with certainty."""

    def __init__(self, code: HoursErrorCode, fragment: str = "") -> None:
        super().__init__(f"{code.value}: {fragment}" if fragment else code.value)
        self.code = code
        self.fragment = fragment  # the part that failed, as folded text ("" when not useful)


@dataclass(frozen=True, slots=True)
class TimeRange:
    """From `start` to `end`, minutes since local midnight (0 <= start < end <= 1440)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end <= DAY_MINUTES):
            raise ValueError(f"bad time range {self.start}-{self.end}")

    def __contains__(self, minute: object) -> bool:
        return isinstance(minute, int) and self.start <= minute < self.end


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Opening ranges per weekday (Monday = 0), sorted and disjoint, in `timezone`."""

    days: tuple[tuple[TimeRange, ...], ...]
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        days = tuple(tuple(day) for day in self.days)
        object.__setattr__(self, "days", days)
        if len(days) != 7:
            raise ValueError("WeeklyHours needs 7 days")
        for day in days:
            for before, after in pairwise(day):
                if after.start < before.end:
                    raise ValueError("ranges of a day must be sorted and disjoint")
        _zone(self.timezone)

    @property
    def is_closed_all_week(self) -> bool:
        return not any(self.days)


@dataclass(frozen=True, slots=True)
class Closure:
    """Days (inclusive) when the center is closed whatever its weekly hours say."""

    start: date
    end: date
    message: str = ""  # staff's own words, e.g. "Feriado de Semana Santa" (escape at display)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a closure cannot end before it starts")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class StatusKind(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CLOSURE = "closure"  # closed by a holiday or temporary closure
    UNKNOWN = "unknown"  # no structured hours


@dataclass(frozen=True, slots=True)
class OpeningStatus:
    """Whether a center is open at an instant; all datetimes are in the center's time zone."""

    kind: StatusKind
    now: datetime  # the instant asked about, in the center's time zone
    closes_at: datetime | None = None  # OPEN: end of the current range (None: never closes)
    opens_at: datetime | None = None  # CLOSED/CLOSURE: next opening (None: none ahead)
    closure: Closure | None = None  # CLOSURE: the closure covering today
    closed_until: date | None = None  # CLOSURE: last closed day of back-to-back closures

    @property
    def is_open(self) -> bool:
        return self.kind is StatusKind.OPEN


# -- parsing -----------------------------------------------------------------------------------

_DAY_NAMES = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")
_LONGEST_DAY = max(map(len, _DAY_NAMES))
_DAY_LETTERS = {"l": 0, "x": 2, "j": 3, "v": 4, "s": 5, "d": 6}
_AMBIGUOUS_DAYS = frozenset({"m"})  # martes or miércoles?
_RANGE_WORDS = frozenset({"a", "al", "hasta"})
_LIST_WORDS = frozenset({"y", "e"})
_FROM_WORDS = frozenset({"de", "del", "desde"})
_CLOSED_WORDS = frozenset({"cerrado", "cerrados", "cerrada", "cerradas"})
_FILLER_WORDS = frozenset(
    {
        "horario",
        "horarios",
        "atencion",
        "publico",
        "los",
        "las",
        "el",
        "la",
        "dias",
        "dia",
        "en",
        "jornada",
        "continua",
        "continuo",
        "corrido",
        "corrida",
        "abierto",
        "abierta",
        "abiertos",
        "abrimos",
        "atendemos",
        "solo",
        "solamente",
    }
)
_DAYSETS = {"ALL": tuple(range(7)), "WEEKDAYS": tuple(range(5)), "WEEKEND": (5, 6)}
_DAYSET_TEXT = {"ALL": "todos los días", "WEEKDAYS": "entre semana", "WEEKEND": "fin de semana"}
_MERIDIEM_TEXT = {"AM": "a. m.", "PM": "p. m.", "NOON": "m."}

# Rewrites on folded text: set phrases become upper-case markers the user cannot type
# (the text is case-folded first), so the tokenizer sees them as single tokens.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.MULTILINE), repl)
    for pattern, repl in (
        (r"^[ \t]*[-*][ \t]+", " "),  # list bullets
        (r"[•·]", ","),
        (r"\b24\s*/\s*7\b", " ALL H24 "),
        (r"\b(?:las\s+)?24\s*(?:horas|hrs?|h)\b\.?", " H24 "),
        (r"\btodos?\s+(?:los\s+)?dias\b", " ALL "),
        (r"\btoda\s+la\s+semana\b", " ALL "),
        (r"\b(?:a\s+)?diari(?:o|amente)\b", " ALL "),
        (r"\bfin(?:es)?\s+de\s+semana\b", " WEEKEND "),
        (r"\bentre\s+semana\b", " WEEKDAYS "),
        (r"\bdias\s+(?:habiles|laborables|de\s+semana)\b", " WEEKDAYS "),
        (r"(?<=\d)\s*(?:del?\s+)?medio\s*dia\b", " NOON "),
        (r"\bmedio\s*dia\b", " 12 NOON "),
        (r"\b(?:la\s+)?media\s*noche\b", " 24:00 "),  # 0:00 when it starts a range
        (r"(?<=\d)\s*(?:de|en|por)\s+la\s+manana\b", " AM "),
        (r"(?<=\d)\s*(?:de|en|por)\s+la\s+(?:tarde|noche)\b", " PM "),
        # "a. m.": each space run read once (possessive), whatever its length
        (r"(?<=\d)\s*+a\s*+(?:\.\s*+)?m\b\.?", " AM "),
        (r"(?<=\d)\s*+p\s*+(?:\.\s*+)?m\b\.?", " PM "),
        (r"(?<=\d)\s*+m\s*+(?:\.\s*+)?d\b\.?", " NOON "),
        (r"(?<=\d)\s*m\b\.?", " NOON "),
        (r"(?<=\d)\s*(?:horas|hrs?|h)\b\.?", " "),
    )
)
_TOKEN = re.compile(
    r"(?P<time>\d+(?:[:.h]\d+)?)(?:\s*(?P<mer>AM|PM|NOON)\b)?"
    r"|(?P<marker>ALL|WEEKDAYS|WEEKEND|H24|AM|PM|NOON)\b"
    r"|(?P<word>[a-z]+)\.?"
    r"|(?P<dash>-)"
    r"|(?P<sep>[,;/|&+\n]|\.)"
    r"|(?P<skip>[\s:()\[\]\"'!]+)"
    r"|(?P<other>.)",
)


class _Kind(StrEnum):
    DAYS = "days"
    TIME = "time"
    H24 = "h24"
    CLOSED = "closed"
    RANGE = "range"
    LIST = "list"
    FROM = "from"


@dataclass(frozen=True, slots=True)
class _RawTime:
    hour: int
    minute: int
    meridiem: str  # "", "AM", "PM" or "NOON"
    text: str

    @property
    def shown(self) -> str:
        suffix = _MERIDIEM_TEXT.get(self.meridiem, "")
        return f"{self.text} {suffix}".strip()


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str
    days: tuple[int, ...] = ()
    time: _RawTime | None = None


@dataclass(slots=True)
class _Group:
    days: list[int] = field(default_factory=list)
    ranges: list[TimeRange] = field(default_factory=list)
    closed: bool = False


_DASHES = re.compile(r"[\u2010-\u2015\u2212~]")
_TIME_SEPARATOR = re.compile(r"[:.h]")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DASHES.sub("-", stripped).replace("\r", "\n")


def _damerau1(a: str, b: str) -> bool:
    """Whether a and b differ by at most one edit (insert, delete, substitute, transpose)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _day_of(word: str) -> int | None:
    """The weekday a word names: full name, plural, unique prefix, letter, or one typo."""
    if word in _DAY_LETTERS:
        return _DAY_LETTERS[word]
    if word in _AMBIGUOUS_DAYS or len(word) < 2:
        return None
    singular = word[:-1] if word.endswith("s") and word[:-1] in _DAY_NAMES else word
    found = [i for i, name in enumerate(_DAY_NAMES) if name.startswith(singular)]
    if len(found) == 1:
        return found[0]
    if len(word) >= 5:
        close = [i for i, name in enumerate(_DAY_NAMES) if _damerau1(singular, name)]
        if len(close) == 1:
            return close[0]
    return None


def _raw_time(text: str, meridiem: str) -> _RawTime:
    hour_text, minute_text = (
        _TIME_SEPARATOR.split(text) if _TIME_SEPARATOR.search(text) else (text, "")
    )
    if not minute_text and len(hour_text) == 4:  # "0800"
        hour_text, minute_text = hour_text[:2], hour_text[2:]
    if len(hour_text) > 2 or (minute_text and len(minute_text) != 2):
        raise HoursError(HoursErrorCode.BAD_TIME, text)
    hour, minute = int(hour_text), int(minute_text or "0")
    shown = f"{hour}:{minute_text}" if minute_text else str(hour)
    raw = _RawTime(hour, minute, meridiem, shown)
    if minute > 59 or hour > 24 or (hour == 24 and (minute or meridiem)):
        raise HoursError(HoursErrorCode.BAD_TIME, raw.shown)
    if meridiem in ("AM", "PM") and not 1 <= hour <= 12:
        raise HoursError(HoursErrorCode.BAD_TIME, raw.shown)
    if meridiem == "NOON" and (hour, minute) != (12, 0):
        raise HoursError(HoursErrorCode.BAD_TIME, raw.shown)
    return raw


def _tokenize(text: str) -> list[_Token]:
    folded = _fold(text)
    for pattern, repl in _REWRITES:
        folded = pattern.sub(repl, folded)
    tokens: list[_Token] = []
    for m in _TOKEN.finditer(folded):
        kind = "time" if m.group("time") else m.lastgroup
        value = m.group(0).strip()
        if kind == "time":
            raw = _raw_time(m.group("time"), m.group("mer") or "")
            tokens.append(_Token(_Kind.TIME, raw.shown, time=raw))
        elif kind == "marker":
            if value in _DAYSETS:
                tokens.append(_Token(_Kind.DAYS, _DAYSET_TEXT[value], days=_DAYSETS[value]))
            elif value == "H24":
                tokens.append(_Token(_Kind.H24, "24 horas"))
            else:  # a meridiem with no time before it
                raise HoursError(HoursErrorCode.BAD_TIME, _MERIDIEM_TEXT[value])
        elif kind == "word":
            tokens.extend(_word_token(m.group("word")))
        elif kind == "dash":
            tokens.append(_Token(_Kind.RANGE, "-"))
        elif kind == "sep":
            tokens.append(_Token(_Kind.LIST, value or "\n"))
        elif kind == "other":
            raise HoursError(HoursErrorCode.BAD_FORMAT, value)
    return tokens


def _word_token(word: str) -> list[_Token]:
    if word in _RANGE_WORDS:
        return [_Token(_Kind.RANGE, word)]
    if word in _LIST_WORDS:
        return [_Token(_Kind.LIST, word)]
    if word in _FROM_WORDS:
        return [_Token(_Kind.FROM, word)]
    if word in _CLOSED_WORDS:
        return [_Token(_Kind.CLOSED, word)]
    if word in _FILLER_WORDS:
        return []
    day = _day_of(word)
    if day is not None:
        return [_Token(_Kind.DAYS, word, days=(day,))]
    if word in _AMBIGUOUS_DAYS or _looks_like_day(word):
        raise HoursError(HoursErrorCode.BAD_DAY, word)
    raise HoursError(HoursErrorCode.BAD_FORMAT, word)


def _looks_like_day(word: str) -> bool:
    """Two typos away from a day name: report a bad day rather than an unknown word."""
    if not 4 <= len(word) <= _LONGEST_DAY + 2:  # a longer word is more than two typos away
        return False
    return any(
        _damerau1(word[:i] + word[i + 1 :], name) or _damerau1(word, name[:j] + name[j + 1 :])
        for name in _DAY_NAMES
        for i in range(len(word))
        for j in range(len(name))
    )


def _runs(tokens: list[_Token]) -> list[list[_Token]]:
    """Split tokens into alternating runs of days and of times, keeping inner connectors."""
    runs: list[list[_Token]] = []
    pending: list[_Token] = []
    current: str = ""
    for token in tokens:
        if token.kind in (_Kind.RANGE, _Kind.LIST, _Kind.FROM):
            pending.append(token)
            continue
        side = "days" if token.kind is _Kind.DAYS else "times"
        if side == current:
            runs[-1].extend(pending)
        else:
            dangling = [t for t in pending if t.kind is _Kind.RANGE]
            if dangling:
                _dangling_range(runs, token)
            runs.append([])
            current = side
        runs[-1].append(token)
        pending = []
    if any(t.kind is _Kind.RANGE for t in pending):
        _dangling_range(runs, None)
    return runs


def _dangling_range(runs: list[list[_Token]], after: _Token | None) -> None:
    """A range word with no second end ("lunes a", "8 a") or joining a day to a time."""
    last = runs[-1][-1] if runs else after
    if last is not None and last.kind is _Kind.DAYS:
        raise HoursError(HoursErrorCode.BAD_DAY, f"{last.text} a …")
    if last is not None:
        raise HoursError(HoursErrorCode.BAD_TIME, f"{last.text} a …")
    raise HoursError(HoursErrorCode.BAD_FORMAT, "-")


def _parse_days(run: list[_Token]) -> list[int]:
    days: list[int] = []
    items = [t for t in run if t.kind in (_Kind.DAYS, _Kind.RANGE)]
    i = 0
    while i < len(items):
        first = items[i]
        if first.kind is _Kind.RANGE:
            raise HoursError(HoursErrorCode.BAD_DAY, first.text)
        if i + 1 < len(items) and items[i + 1].kind is _Kind.RANGE:
            if i + 2 >= len(items) or items[i + 2].kind is not _Kind.DAYS:
                raise HoursError(HoursErrorCode.BAD_DAY, f"{first.text} a …")
            last = items[i + 2]
            if len(first.days) != 1 or len(last.days) != 1 or first.days == last.days:
                raise HoursError(HoursErrorCode.BAD_DAY, f"{first.text} a {last.text}")
            span = (last.days[0] - first.days[0]) % 7
            days.extend((first.days[0] + k) % 7 for k in range(span + 1))
            i += 3
        else:
            days.extend(first.days)
            i += 1
    return days


def _parse_times(run: list[_Token]) -> tuple[list[TimeRange], bool]:
    """The ranges of a run of times, and whether it says the days are closed."""
    items = [t for t in run if t.kind is not _Kind.FROM and t.kind is not _Kind.LIST]
    kinds = {t.kind for t in items}
    if _Kind.CLOSED in kinds or _Kind.H24 in kinds:
        if len(items) != 1:
            raise HoursError(HoursErrorCode.BAD_FORMAT, " ".join(t.text for t in items))
        if items[0].kind is _Kind.CLOSED:
            return [], True
        return [TimeRange(0, DAY_MINUTES)], False
    ranges: list[TimeRange] = []
    i = 0
    while i < len(items):
        start = items[i]
        if start.time is None:
            raise HoursError(HoursErrorCode.BAD_TIME, start.text)
        if i + 2 >= len(items) or items[i + 1].kind is not _Kind.RANGE:
            raise HoursError(HoursErrorCode.BAD_TIME, start.time.shown)
        end = items[i + 2]
        if end.time is None:
            raise HoursError(HoursErrorCode.BAD_TIME, f"{start.time.shown} a {end.text}")
        ranges.append(_resolve(start.time, end.time))
        i += 3
    return ranges, False


def _minutes(raw: _RawTime, meridiem: str) -> int:
    if meridiem == "NOON":
        return 12 * 60
    hour = raw.hour
    if meridiem == "PM" and hour != 12:
        hour += 12
    elif meridiem == "AM" and hour == 12:
        hour = 0
    return hour * 60 + raw.minute


def _unsure(raw: _RawTime) -> bool:
    """1:00 to 5:59 with no a. m./p. m.: few offices open then, most people mean p. m."""
    return not raw.meridiem and 1 <= raw.hour <= 5


def _resolve(start: _RawTime, end: _RawTime) -> TimeRange:
    fragment = f"{start.shown} a {end.shown}"
    if end.meridiem == "AM" and end.hour == 12:  # "8 a 12 a. m.": noon or midnight?
        raise HoursError(HoursErrorCode.AMBIGUOUS_TIME, end.shown)
    begin = _minutes(start, start.meridiem) % DAY_MINUTES  # "24:00 a 6:00" starts at 0:00
    finish = _minutes(end, end.meridiem)
    if not start.meridiem and end.meridiem in ("AM", "PM") and 1 <= start.hour <= 12:
        # "1-5 p. m." is 13-17; "8-5 p. m." is 8-17; "7-9 p. m." could be either.
        inherited = _minutes(start, end.meridiem)
        if inherited < finish:
            if inherited != begin and begin < finish and not _unsure(start):
                raise HoursError(HoursErrorCode.AMBIGUOUS_TIME, fragment)
            begin = inherited
            start = _RawTime(start.hour, start.minute, end.meridiem, start.text)
    if _unsure(start) or _unsure(end):
        raise HoursError(HoursErrorCode.AMBIGUOUS_TIME, fragment)
    if finish <= begin:
        if not end.meridiem and end.hour < 12 and finish + 12 * 60 > begin:
            raise HoursError(HoursErrorCode.AMBIGUOUS_TIME, fragment)
        raise HoursError(HoursErrorCode.END_BEFORE_START, fragment)
    return TimeRange(begin, finish)


def _add(day: list[TimeRange], new: TimeRange, name: str) -> None:
    """Insert a range into a day's sorted ranges, joining ranges that touch."""
    for old in day:
        if new.start < old.end and old.start < new.end:
            raise HoursError(HoursErrorCode.OVERLAP, name)
    day.append(new)
    day.sort(key=lambda r: r.start)
    merged: list[TimeRange] = []
    for r in day:
        if merged and merged[-1].end == r.start:
            merged[-1] = TimeRange(merged[-1].start, r.end)
        else:
            merged.append(r)
    day[:] = merged


def parse_hours(text: str, timezone: str = DEFAULT_TIMEZONE) -> WeeklyHours:
    """Read opening hours as staff type them in Spanish; raise `HoursError` when unsure."""
    if not text or not text.strip():
        raise HoursError(HoursErrorCode.EMPTY)
    if len(text) > MAX_TEXT:
        raise HoursError(HoursErrorCode.TOO_LONG)
    return _parse(text, timezone)


def _parse(text: str, timezone: str) -> WeeklyHours:
    """``parse_hours`` past its length check: linear in the text, however long."""
    runs = _runs(_tokenize(text))
    if not runs:
        raise HoursError(HoursErrorCode.EMPTY)
    days_first = runs[0][0].kind is _Kind.DAYS
    if len(runs) % 2:
        code = HoursErrorCode.MISSING_TIMES if days_first else HoursErrorCode.MISSING_DAYS
        raise HoursError(code, " ".join(t.text for t in runs[-1]))
    groups: list[_Group] = []
    for k in range(0, len(runs), 2):
        day_run, time_run = (runs[k], runs[k + 1]) if days_first else (runs[k + 1], runs[k])
        ranges, closed = _parse_times(time_run)
        group = _Group(_parse_days(day_run), ranges, closed)
        groups.append(group)
    week: list[list[TimeRange]] = [[] for _ in range(7)]
    closed_days: set[int] = set()
    for group in groups:
        for day in dict.fromkeys(group.days):
            name = _DAY_NAMES[day]
            if group.closed:
                if week[day]:
                    raise HoursError(HoursErrorCode.DUPLICATE_DAY, name)
                closed_days.add(day)
                continue
            if day in closed_days:
                raise HoursError(HoursErrorCode.DUPLICATE_DAY, name)
            for r in group.ranges:
                _add(week[day], r, name)
            if len(week[day]) > MAX_RANGES_PER_DAY:
                raise HoursError(HoursErrorCode.TOO_MANY_RANGES, name)
    if not any(week):
        raise HoursError(HoursErrorCode.NO_OPEN_DAYS)
    return WeeklyHours(tuple(tuple(day) for day in week), timezone)


# -- storage -----------------------------------------------------------------------------------

_JSON_RANGE = re.compile(r"(\d\d):(\d\d)-(\d\d):(\d\d)")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def to_json(hours: WeeklyHours) -> str:
    """Compact, stable JSON: {"v":1,"tz":…,"days":["08:00-12:00,13:00-17:00",…]}."""
    days = [",".join(f"{_hhmm(r.start)}-{_hhmm(r.end)}" for r in day) for day in hours.days]
    payload = {"v": 1, "tz": hours.timezone, "days": days}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True)


def from_json(text: str) -> WeeklyHours:
    """The hours `to_json` stored; raise ValueError on anything else."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("v") != 1:
        raise ValueError("not stored opening hours (version 1)")
    tz, days = data.get("tz"), data.get("days")
    if not isinstance(tz, str) or not isinstance(days, list) or len(days) != 7:
        raise ValueError("stored opening hours need a time zone and 7 days")
    week: list[tuple[TimeRange, ...]] = []
    for day in days:
        if not isinstance(day, str):
            raise ValueError("a stored day must be a string")
        ranges = []
        for part in day.split(",") if day else []:
            m = _JSON_RANGE.fullmatch(part)
            if not m:
                raise ValueError(f"bad stored range {part!r}")
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            if m1 > 59 or m2 > 59:
                raise ValueError(f"bad stored range {part!r}")
            ranges.append(TimeRange(h1 * 60 + m1, h2 * 60 + m2))
        week.append(tuple(ranges))
    return WeeklyHours(tuple(week), tz)


# -- status ------------------------------------------------------------------------------------


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def _at(day: date, minute: int, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), zone) + timedelta(minutes=minute)


def _closure_on(day: date, closures: Sequence[Closure]) -> Closure | None:
    return next((c for c in closures if c.covers(day)), None)


def _next_opening(
    hours: WeeklyHours, closures: Sequence[Closure], day: date, after: int, zone: tzinfo
) -> datetime | None:
    """The first range start later than minute `after` of `day`, skipping closure days."""
    for offset in range(SEARCH_DAYS):
        current = day + timedelta(days=offset)
        if _closure_on(current, closures):
            continue
        for r in hours.days[current.weekday()]:
            if offset or r.start > after:
                return _at(current, r.start, zone)
    return None


def _closing(
    hours: WeeklyHours, closures: Sequence[Closure], day: date, end: int, zone: tzinfo
) -> datetime | None:
    """When a range ending at `end` really closes: ranges ending at 24:00 run into the next day."""
    for _ in range(8):
        if end < DAY_MINUTES:
            return _at(day, end, zone)
        following = day + timedelta(days=1)
        first = hours.days[following.weekday()][:1]
        if _closure_on(following, closures) or not first or first[0].start != 0:
            return _at(following, 0, zone)
        day, end = following, first[0].end
    return None  # open around the clock


def status_at(
    now: datetime,
    hours: WeeklyHours | None,
    closures: Sequence[Closure] = (),
    *,
    timezone: str | None = None,
) -> OpeningStatus:
    """Open, closed (and when it opens), closed for a closure, or unknown, at `now`.

    Computed in the hours' time zone; when `hours` is None, in `timezone` (default: `now`'s
    own), so that a closure still shows for a center without structured hours.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    name = hours.timezone if hours is not None else timezone
    zone = _zone(name) if name else now.tzinfo
    local = now.astimezone(zone)
    today = local.date()
    minute = local.hour * 60 + local.minute
    closure = _closure_on(today, closures)
    if closure is not None:
        until = closure.end
        while (later := _closure_on(until + timedelta(days=1), closures)) is not None:
            until = later.end
        opens = None
        if hours is not None:
            opens = _next_opening(hours, closures, until + timedelta(days=1), -1, zone)
        return OpeningStatus(
            StatusKind.CLOSURE, local, opens_at=opens, closure=closure, closed_until=until
        )
    if hours is None:
        return OpeningStatus(StatusKind.UNKNOWN, local)
    for r in hours.days[today.weekday()]:
        if minute in r:
            closes = _closing(hours, closures, today, r.end, zone)
            return OpeningStatus(StatusKind.OPEN, local, closes_at=closes)
    opens = _next_opening(hours, closures, today, minute, zone)
    return OpeningStatus(StatusKind.CLOSED, local, opens_at=opens)

"""Coordinators' bulk tools: import centers from a CSV/YAML file, export them, diff and apply.

The pure part parses a file into rows that remember their line numbers, validates every row
(nothing is written when any row is bad), and plans the import as a diff against the centers in
the database: added, changed (field by field) and missing centers. The async part applies a plan
in one transaction — history rows, optimistic-locking versions, the centers cache version — and
exports every center in the format that the import reads back.

A column (CSV) or key (YAML) that a file leaves out keeps the center's current value, so a file
with only `id,name,country,phone` updates phones; an empty value clears the field.

Files are hostile input, and an export is opened in spreadsheets:

- CSV injection (OWASP): a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
  return may run as a formula. The CSV export writes such a cell with a single quote `'` in
  front (a spreadsheet then shows it as text) — and, so that the scheme is unambiguous, also a
  cell that starts with `'` itself. The CSV import removes exactly one leading `'` from every
  cell that has one. So `+504 2222-3333` is exported as `'+504 2222-3333`, `'abc` as `''abc`,
  and both import back unchanged; a hand-written `+504 2222-3333` (no quote) imports as
  written. In a hand-written CSV, a value that really starts with `'` is written `''…`.
  JSON and YAML exports are not changed (no spreadsheet evaluates them).
- YAML anchors and aliases (`&name`, `*name`, merge keys `<<: *name`) are refused with the
  line of the first one, before anything is built: an alias of a whole center would silently
  repeat it, and nested aliases ("billion laughs") expand exponentially.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # (no types-PyYAML in the venv)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.config import COUNTRIES
from bot.db.models import CenterRow
from bot.db.repositories import CenterRepository, MetaRepository
from bot.db.seed import CENTERS_VERSION_KEY
from bot.domain.hours import from_json, to_json
from bot.domain.listings import (
    ListingError,
    ListingField,
    validate_email,
    validate_phone,
    validate_text,
    validate_url,
)
from bot.domain.models import Center
from bot.staff import CLI_ACTOR, Field, StaffService

# The columns of data/centers.csv, in its order; an export adds `closed` and `hours_json`.
CSV_COLUMNS: tuple[str, ...] = (
    "id", "country", "network", "name", "operator", "city", "admin1", "address", "phone",
    "email", "website", "hours", "lat", "lon", "coord_precision", "service_area",
    "service_area_basis", "services", "services_sourced", "source_url", "source_date",
    "verified", "ranked", "notes",
)  # fmt: skip
EXPORT_COLUMNS: tuple[str, ...] = (*CSV_COLUMNS, "closed", "hours_json")
REQUIRED_COLUMNS = ("id", "name", "country")
LIST_COLUMNS = frozenset({"service_area", "services", "services_sourced"})
BOOL_COLUMNS = {"verified": False, "ranked": True, "closed": False}  # column -> default
PRECISIONS = ("city", "region", "exact")
AREA_BASES = ("", "sourced", "inferred")

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
SOURCE_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Column -> Center attribute (the basis column holds a flag on the domain object).
_ATTRIBUTE = {c: c for c in EXPORT_COLUMNS} | {"service_area_basis": "service_area_inferred"}
# Fields whose stored value is normalized: an equivalent legacy value in the database is kept.
_NORMALIZED = ("phone", "email", "website", "address", "city", "hours_json")
# History field names where the staff tools already use one (`hours` there is the structured
# hours); the other columns are recorded under their own names.
_HISTORY_FIELD = {"hours": "hours_text", "hours_json": Field.HOURS.value}
_DISPLAY_WIDTH = 100


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row (by its line in the file) cannot be imported."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class ImportFileError(Exception):
    """The file has bad rows (or cannot be read as centers); nothing was changed."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = tuple(sorted(errors, key=lambda e: e.line))


class ConcurrentChange(Exception):
    """A center changed in the database while the import was being applied; nothing written."""


@dataclass(frozen=True, slots=True)
class RawRow:
    """One record of the file as read: its first line and its values by column."""

    line: int
    values: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A valid record: the Center attributes it sets (normalized), by attribute name."""

    line: int
    id: str
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # the column name ("location" for lat and lon together)
    old: str
    new: str

    @property
    def history_field(self) -> str:
        return _HISTORY_FIELD.get(self.field, self.field)


@dataclass(frozen=True, slots=True)
class CenterChange:
    before: Center
    after: Center
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import does to the database."""

    added: tuple[Center, ...] = ()
    changed: tuple[CenterChange, ...] = ()
    missing: tuple[Center, ...] = ()  # open centers in the database that the file lacks
    close_missing: bool = False

    @property
    def writes(self) -> bool:
        return bool(self.added or self.changed or (self.close_missing and self.missing))


@dataclass(frozen=True, slots=True)
class Reference:
    """What values may be: each country's department keys and the service slugs."""

    departments: Mapping[str, frozenset[str]]
    services: frozenset[str]
    column_lengths: Mapping[str, int] = field(default_factory=dict)


def load_reference() -> Reference:
    """The gazetteer's departments, the twelve services and the database column lengths."""
    from bot.catalog import load_needs
    from bot.geo import load_gazetteer

    gazetteer = load_gazetteer()
    lengths = {
        column.name: int(getattr(column.type, "length", 0) or 0)
        for column in CenterRow.__table__.columns
    }
    return Reference(
        departments={c: frozenset(gazetteer.departments(c)) for c in COUNTRIES},
        services=frozenset(n.slug for n in load_needs()),
        column_lengths=lengths,
    )


# --- parsing ------------------------------------------------------------------------------------


def detect_format(path: Path, text: str) -> str:
    """`csv` or `yaml` (JSON is read as YAML) from the extension, else from the content."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".yaml", ".yml", ".json"):
        return "yaml"
    head = text.lstrip("\ufeff \t\r\n")[:1]
    return "yaml" if head in ("-", "[", "#") else "csv"


def parse_csv(text: str) -> tuple[list[RawRow], list[RowError]]:
    """Records of a CSV with a header row, and the records that cannot be read.

    A bad header (unknown, repeated or missing columns) raises ImportFileError at once.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip() for h in next(reader, [])]
    if header_errors := _header_errors(header, 1):
        raise ImportFileError(header_errors)
    rows: list[RawRow] = []
    errors: list[RowError] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # e.g. an unclosed quote: the rest cannot be trusted
            errors.append(RowError(start, "", f"unreadable CSV ({error})"))
            break
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            reason = f"{len(record)} cells where the header has {len(header)}"
            errors.append(RowError(start, "", reason))
            continue
        cells = [csv_unescape(cell) for cell in record]
        rows.append(RawRow(start, dict(zip(header, cells, strict=True))))
    return rows, errors


# A spreadsheet may evaluate a cell that starts with one of these (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CSV_QUOTE = "'"


def csv_escape(value: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: `'` before a risky first character,
    and before a leading `'` (so that csv_unescape can always remove exactly one)."""
    if value.startswith((*FORMULA_PREFIXES, _CSV_QUOTE)):
        return _CSV_QUOTE + value
    return value


def csv_unescape(cell: str) -> str:
    """The value of a CSV cell written by csv_escape: one leading `'` removed, if any."""
    return cell[1:] if cell.startswith(_CSV_QUOTE) else cell


class _LineLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader that remembers where each mapping starts and refuses anchors and aliases.

    The check runs while the document is composed, event by event, so an alias is refused
    before any node refers to another (nothing is expanded).
    """

    def compose_node(self, parent: object, index: object) -> object:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not accepted; "
                "write each value out", event.start_mark,
            )  # fmt: skip
        return super().compose_node(parent, index)


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[object, object]:
    mapping: dict[object, object] = loader.construct_mapping(node, deep=True)
    mapping[_LINE_KEY] = node.start_mark.line + 1
    return mapping


_LINE_KEY = object()
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def parse_yaml(text: str) -> tuple[list[RawRow], list[RowError]]:
    """A YAML (or JSON) list of mappings with the CSV's keys; lists allowed for list columns."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ImportFileError([RowError(line, "", f"unreadable YAML ({problem})")]) from None
    if not isinstance(data, list):
        raise ImportFileError([RowError(0, "", "expected a list of centers")])
    rows: list[RawRow] = []
    errors: list[RowError] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(0, "", f"item {index} is not a mapping"))
            continue
        line = int(item.pop(_LINE_KEY))
        values = {str(k): v for k, v in item.items()}
        found = _header_errors(list(values), line)
        if found:
            errors.extend(found)
            continue
        rows.append(RawRow(line, values))
    return rows, errors


def _header_errors(keys: Sequence[str], line: int) -> list[RowError]:
    errors: list[RowError] = []
    unknown = [k for k in keys if k not in EXPORT_COLUMNS]
    if unknown:
        errors.append(RowError(line, "", f"unknown column(s): {', '.join(unknown)}"))
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        errors.append(RowError(line, "", f"repeated column(s): {', '.join(repeated)}"))
    missing = [k for k in REQUIRED_COLUMNS if k not in keys]
    if missing:
        errors.append(RowError(line, "", f"missing column(s): {', '.join(missing)}"))
    return errors


def parse_text(text: str, fmt: str) -> tuple[list[RawRow], list[RowError]]:
    """The records of a file (`csv` or `yaml`) and the ones that cannot be read."""
    rows, errors = parse_csv(text) if fmt == "csv" else parse_yaml(text)
    if not rows and not errors:
        raise ImportFileError([RowError(0, "", "no centers in the file")])
    return rows, errors


# --- validation ---------------------------------------------------------------------------------


class _Bad(ValueError):
    """One field's reason for refusal."""


def _scalar_text(value: object) -> str:
    """A scalar as text; YAML turns unquoted dates and numbers into other types."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _Bad("expected text, got a boolean (quote it)")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return str(value).strip()
    raise _Bad(f"expected text, got {type(value).__name__}")


def _plain_text(value: object, column: str, ref: Reference) -> str:
    text = _scalar_text(value)
    if any(
        (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r") or ch in _BIDI_CONTROLS
        for ch in text
    ):
        raise _Bad("control characters")
    limit = ref.column_lengths.get(column)
    if limit and len(text) > limit:
        raise _Bad(f"longer than {limit} characters")
    return text


def _list(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        items = [_scalar_text(v) for v in value]
    else:
        items = _scalar_text(value).split(";")
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def _bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = _scalar_text(value).lower()
    if not text:
        return default
    if text in ("yes", "true", "1", "si", "sí"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise _Bad(f"expected yes or no, got {text!r}")


def _coordinate(value: object, limit: float) -> float | None:
    if isinstance(value, bool):
        raise _Bad("expected a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _scalar_text(value)
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise _Bad(f"not a number: {text!r}") from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise _Bad(f"out of range (±{limit:g})")
    return number


def _listing(check: Callable[[str], str]) -> Callable[[str], str]:
    """A listings validator that lets an empty value through (it clears the field)."""

    def run(text: str) -> str:
        if not text:
            return ""
        try:
            return check(text)
        except ListingError as error:
            raise _Bad(error.code.value) from None

    return run


def _hours_json(text: str) -> str:
    if not text:
        return ""
    try:
        return to_json(from_json(text))
    except (ValueError, TypeError):
        raise _Bad("not stored opening hours (see bot.domain.hours.to_json)") from None


def validate_row(row: RawRow, ref: Reference) -> tuple[ImportRow | None, list[RowError]]:
    """Every problem of one record, or the attributes it sets (normalized)."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}
    raw = row.values

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(row.line, column, reason))

    def text(column: str) -> str:
        try:
            return _plain_text(raw.get(column), column, ref)
        except _Bad as error:
            bad(column, str(error))
            return ""

    center_id = text("id")
    if not center_id:
        bad("id", "required")
    elif not ID_PATTERN.fullmatch(center_id):
        bad("id", "not a lowercase slug (a-z, 0-9, '-', at most 41 characters)")
    name = text("name")
    if not name:
        bad("name", "required")
    country = text("country").upper()
    if not country:
        bad("country", "required")
    elif country not in COUNTRIES:
        bad("country", f"not one of {' '.join(COUNTRIES)}")
        country = ""
    values.update(id=center_id, name=name, country=country)

    checks: dict[str, Callable[[str], str]] = {
        "phone": _listing(lambda v: validate_phone(v, country)),
        "email": _listing(validate_email),
        "website": _listing(validate_url),
        "address": _listing(lambda v: validate_text(ListingField.ADDRESS, v)),
        "city": _listing(lambda v: validate_text(ListingField.CITY, v)),
        "hours_json": _hours_json,
    }
    for column in ("network", "operator", "admin1", "hours", "source_url", "notes", *checks):
        if column not in raw or (column == "phone" and not country):
            continue
        value = text(column)
        try:
            values[column] = checks[column](value) if column in checks else value
        except _Bad as error:
            bad(column, str(error))

    departments = ref.departments.get(country, frozenset())
    if values.get("admin1") and country and values["admin1"] not in departments:
        bad("admin1", f"{values['admin1']!r} is not a department of {country}")

    if "source_date" in raw:
        source_date = text("source_date")
        if source_date and not SOURCE_DATE.fullmatch(source_date):
            bad("source_date", "expected YYYY, YYYY-MM or YYYY-MM-DD")
        values["source_date"] = source_date

    _validate_location(raw, values, bad)

    for column in sorted(LIST_COLUMNS & raw.keys()):
        try:
            values[column] = _list(raw[column])
        except _Bad as error:
            bad(column, str(error))
    if "service_area" in values:  # stored as a set: the database lists it sorted
        values["service_area"] = tuple(sorted(values["service_area"]))
    for key in values.get("service_area", ()):
        if country and key not in departments:
            bad("service_area", f"{key!r} is not a department of {country}")
    for column in ("services", "services_sourced"):
        unknown = [s for s in values.get(column, ()) if s not in ref.services]
        if unknown:
            bad(column, f"unknown service(s): {', '.join(unknown)}")
    if "services" in values and "services_sourced" in values:
        extra = [s for s in values["services_sourced"] if s not in values["services"]]
        if extra:
            bad("services_sourced", f"not among the services: {', '.join(extra)}")

    if "service_area_basis" in raw:
        basis = text("service_area_basis").lower()
        if basis not in AREA_BASES:
            bad("service_area_basis", "expected sourced, inferred or empty")
        values["service_area_inferred"] = basis == "inferred"
    for column, default in BOOL_COLUMNS.items():
        if column in raw:
            try:
                values[column] = _bool(raw[column], default)
            except _Bad as error:
                bad(column, str(error))

    if errors:
        return None, errors
    return ImportRow(row.line, center_id, values), []


def _validate_location(
    raw: Mapping[str, object], values: dict[str, Any], bad: Callable[[str, str], None]
) -> None:
    """lat and lon both or neither, in range; a precision with them, none without."""
    if "lat" not in raw and "lon" not in raw:
        if "coord_precision" in raw:
            bad("coord_precision", "given without the lat and lon columns")
        return
    coordinates: dict[str, float | None] = {}
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        try:
            coordinates[column] = _coordinate(raw.get(column), limit)
        except _Bad as error:
            bad(column, str(error))
            return
    lat, lon = coordinates["lat"], coordinates["lon"]
    if (lat is None) != (lon is None):
        bad("lat" if lat is None else "lon", "lat and lon go together (both or neither)")
        return
    try:
        precision = _scalar_text(raw.get("coord_precision")).lower()
    except _Bad as error:
        bad("coord_precision", str(error))
        return
    if lat is not None and precision not in PRECISIONS:
        bad("coord_precision", f"expected one of {', '.join(PRECISIONS)} with coordinates")
        return
    if lat is None and precision:
        bad("coord_precision", "given without coordinates")
        return
    values.update(lat=lat, lon=lon, coord_precision=precision)


def validate_rows(
    rows: Iterable[RawRow], ref: Reference, errors: Sequence[RowError] = ()
) -> list[ImportRow]:
    """Every row, valid; else ImportFileError with every bad row's reasons (and `errors`)."""
    valid: list[ImportRow] = []
    found = list(errors)
    first_line: dict[str, int] = {}
    for row in rows:
        imported, problems = validate_row(row, ref)
        found.extend(problems)
        center_id = imported.id if imported else _scalar_id(row)
        if center_id in first_line:
            found.append(RowError(row.line, "id", f"duplicate of line {first_line[center_id]}"))
        elif center_id:
            first_line[center_id] = row.line
        if imported is not None:
            valid.append(imported)
    if found:
        raise ImportFileError(found)
    return valid


def _scalar_id(row: RawRow) -> str:
    value = row.values.get("id")
    return str(value).strip() if isinstance(value, str | int) else ""


def read_import(text: str, fmt: str, ref: Reference) -> list[ImportRow]:
    """Parse and validate a whole file (ImportFileError lists every problem)."""
    rows, errors = parse_text(text, fmt)
    return validate_rows(rows, ref, errors)


# --- the diff -----------------------------------------------------------------------------------


def _normalize_quiet(column: str, value: str, country: str) -> str | None:
    """A database value in its normalized form, or None when it does not validate."""
    try:
        if column == "phone":
            return validate_phone(value, country)
        if column == "email":
            return validate_email(value)
        if column == "website":
            return validate_url(value)
        if column == "address":
            return validate_text(ListingField.ADDRESS, value)
        if column == "city":
            return validate_text(ListingField.CITY, value)
        return to_json(from_json(value))
    except (ValueError, TypeError):
        return None


def merge(row: ImportRow, current: Center | None) -> Center:
    """The center an imported row describes: given values over the current ones (or defaults)."""
    base = current or Center(id=row.id, name="", country="")
    values = dict(row.values)
    if current is not None:
        for column in _NORMALIZED:
            old, new = getattr(current, column), values.get(column)
            same = column in values and old and new != old
            if same and _normalize_quiet(column, old, values["country"]) == new:
                values[column] = old  # the same value, stored before normalization
    center = replace(base, **values)
    # Stored as a flag per service: the database lists the sourced ones in the services' order.
    sourced = tuple(s for s in center.services if s in set(center.services_sourced))
    if center.lat is None:
        center = replace(center, lon=None, coord_precision="")
    return replace(center, services_sourced=sourced)


def _display(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _location(center: Center) -> str:
    return "" if center.lat is None else f"{center.lat},{center.lon}"


def center_changes(before: Center, after: Center) -> tuple[FieldChange, ...]:
    """Field-level differences, in column order (lat and lon as one `location`)."""
    changes: list[FieldChange] = []
    for column in EXPORT_COLUMNS:
        if column == "lon":
            continue
        if column == "lat":
            old, new = _location(before), _location(after)
            name = "location"
        elif column == "service_area_basis":
            old, new = _basis(before), _basis(after)
            name = column
        else:
            attribute = _ATTRIBUTE[column]
            old, new = _display(getattr(before, attribute)), _display(getattr(after, attribute))
            name = column
        if old != new:
            changes.append(FieldChange(name, old, new))
    return tuple(changes)


def _basis(center: Center) -> str:
    if center.service_area_inferred:
        return "inferred"
    return "sourced" if center.service_area else ""


def plan_import(
    rows: Sequence[ImportRow], current: Sequence[Center], *, close_missing: bool = False
) -> ImportPlan:
    """Added, changed and missing centers if these rows were imported (nothing is written)."""
    by_id = {c.id: c for c in current}
    added: list[Center] = []
    changed: list[CenterChange] = []
    errors: list[RowError] = []
    for row in rows:
        before = by_id.get(row.id)
        after = merge(row, before)
        keys = (after.admin1, *after.service_area)
        if foreign := [k for k in keys if k and _country(k) != after.country]:
            reason = f"{after.country}, but the center's departments are {', '.join(foreign)}"
            errors.append(RowError(row.line, "country", reason))
        if before is None:
            added.append(after)
        elif changes := center_changes(before, after):
            changed.append(CenterChange(before, after, changes))
    if errors:
        raise ImportFileError(errors)
    listed = {row.id for row in rows}
    missing = tuple(c for c in current if c.id not in listed and not c.closed)
    return ImportPlan(tuple(added), tuple(changed), missing, close_missing)


def _country(admin1: str) -> str:
    return admin1.split(".", 1)[0]


def _short(value: str) -> str:
    text = " ".join(value.split())
    return repr(text if len(text) <= _DISPLAY_WIDTH else text[: _DISPLAY_WIDTH - 1] + "…")


def format_plan(plan: ImportPlan) -> str:
    """The diff for the operator, one center (and one changed field) a line."""
    lines: list[str] = []
    if plan.added:
        lines.append(f"Added ({len(plan.added)}):")
        lines += [f"  + {c.id}  {c.country}  {c.name}" for c in plan.added]
    if plan.changed:
        lines.append(f"Changed ({len(plan.changed)}):")
        for change in plan.changed:
            lines.append(f"  ~ {change.after.id}  {change.after.country}  {change.after.name}")
            lines += [
                f"      {c.field}: {_short(c.old)} → {_short(c.new)}" for c in change.changes
            ]
    if plan.missing:
        what = (
            "closed by --close-missing"
            if plan.close_missing
            else ("kept open; --close-missing closes them")
        )
        lines.append(f"In the database but not in the file ({len(plan.missing)}, {what}):")
        lines += [f"  - {c.id}  {c.country}  {c.name}" for c in plan.missing]
    if not plan.writes:
        lines.append("No changes.")
    return "\n".join(lines) + "\n"


# --- the database -------------------------------------------------------------------------------


async def current_centers(sessions: async_sessionmaker[AsyncSession]) -> list[Center]:
    async with sessions() as session:
        return await CenterRepository(session).list()


async def apply_import(
    sessions: async_sessionmaker[AsyncSession],
    rows: Sequence[ImportRow],
    *,
    close_missing: bool = False,
) -> ImportPlan:
    """Plan against the database and apply it in one transaction (all or nothing).

    Every changed field is recorded in the history (actor "cli"), every changed center's
    version goes up by one (a staff edit begun before is refused, not overwritten), and the
    centers cache version changes so that running bots reload. Raises ImportFileError when the
    merged centers are inconsistent, ConcurrentChange when a center changed meanwhile.
    """
    try:
        async with sessions() as session, session.begin():
            repo = CenterRepository(session)
            plan = plan_import(rows, await repo.list(), close_missing=close_missing)
            if not plan.writes:
                return plan
            await _write(session, repo, plan)
    except StaleDataError as error:
        raise ConcurrentChange(str(error)) from error
    return plan


async def _write(session: AsyncSession, repo: CenterRepository, plan: ImportPlan) -> None:
    record = StaffService.record_change
    position = int(await session.scalar(select(func.max(CenterRow.position))) or 0) + 1
    for center in plan.added:
        await repo.upsert(center, position)
        position += 1
        row = await session.get(CenterRow, center.id)
        assert row is not None
        row.hours_json, row.closed = center.hours_json, center.closed
    await session.flush()  # the history rows refer to the new centers
    for center in plan.added:
        record(session, center.id, CLI_ACTOR, Field.CREATED, "", center.name)
    for change in plan.changed:
        row = await session.get(CenterRow, change.after.id)
        assert row is not None
        await repo.upsert(change.after, row.position)
        row.hours_json, row.closed = change.after.hours_json, change.after.closed
        row.version = change.before.version + 1
        for c in change.changes:
            record(session, change.after.id, CLI_ACTOR, c.history_field, c.old, c.new)
    if plan.close_missing:
        for center in plan.missing:
            row = await session.get(CenterRow, center.id)
            assert row is not None
            row.closed = True
            row.version = center.version + 1
            record(session, center.id, CLI_ACTOR, Field.CLOSED, "no", "yes")
    await MetaRepository(session).set(CENTERS_VERSION_KEY, uuid.uuid4().hex)
    await session.flush()


# --- export -------------------------------------------------------------------------------------


def center_record(center: Center) -> dict[str, Any]:
    """One center in the export columns, with typed values (lists, numbers, booleans)."""
    record: dict[str, Any] = {}
    for column in EXPORT_COLUMNS:
        if column == "service_area_basis":
            record[column] = _basis(center)
        elif column in LIST_COLUMNS:
            record[column] = list(getattr(center, column))
        else:
            record[column] = getattr(center, _ATTRIBUTE[column])
    return record


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


def export_text(centers: Sequence[Center], fmt: str) -> str:
    """Every center in CSV (the columns of data/centers.csv; cells neutralised for spreadsheets,
    see the module docstring), JSON or YAML."""
    records = [center_record(c) for c in centers]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        dumped: str = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
        return dumped
    if fmt != "csv":
        raise ValueError(fmt)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([csv_escape(_csv_cell(r[c])) for c in EXPORT_COLUMNS] for r in records)
    return out.getvalue()

"""What the staff use cases speak of: fields, refusals, invites, changes, edits, reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from bot.domain.models import Center

CLI_ACTOR = 0  # the command line: a coordinator with shell access
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed by hand
INVITE_LENGTH = 10
INVITE_DAYS = 7
WRONG_CODES_PER_HOUR = 5
REPORTS_PER_DAY = 4
EDIT_MINUTES = 15
REMINDER_DAYS = 30
# What every center of an SBDC-model network offers (see data/SOURCES.md).
CORE_SERVICES = ("emprendimiento", "asesoria", "capacitacion", "financiamiento", "formalizacion",
                 "finanzas", "mercadeo")  # fmt: skip


class Field(StrEnum):
    """What a change touches (listing fields and whole-center actions)."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    CITY = "city"
    WEBSITE = "website"
    HOURS = "hours"
    LOCATION = "location"
    SERVICE_AREA = "service_area"
    SERVICES = "services"
    CLOSURE = "closure"
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    CREATED = "created"
    STAFF = "staff"


TEXT_FIELDS = (Field.PHONE, Field.EMAIL, Field.ADDRESS, Field.CITY, Field.WEBSITE)


class NotAllowed(Exception):
    """The user may not do this; the bot answers with a neutral refusal and changes nothing."""


class InviteProblem(StrEnum):
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY = "too_many"


class InviteError(Exception):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class RateLimited(Exception):
    """Too many attempts of this kind by this user for now."""


@dataclass(frozen=True, slots=True)
class StaffMember:
    user_id: int
    center_id: str
    since: datetime


@dataclass(frozen=True, slots=True)
class OpenInvite:
    """An invite nobody used yet (its code is not known: only its hash is stored)."""

    id: int
    center_id: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    center_id: str
    actor_id: int | None
    at: datetime
    field: str
    old_value: str
    new_value: str
    reverts: int | None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """A saved edit, or the value someone else saved in the meantime (nothing overwritten)."""

    saved: bool
    current_value: str
    version: int


@dataclass(frozen=True, slots=True)
class EditSession:
    user_id: int
    center_id: str
    field: str
    step: str
    draft: dict[str, object]
    base_version: int


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """Who to tell about a report; `notify` is False when it joins an open group."""

    center: Center
    field: str
    count: int
    notify: bool
    recipients: tuple[int, ...]


def hash_code(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def field_value(center: Center, field: str) -> str:
    """A field's value as stored in the history (lists joined, location as "lat,lon")."""
    if field == Field.HOURS:
        return center.hours_json
    if field == Field.LOCATION:
        return "" if center.lat is None else f"{center.lat:.5f},{center.lon:.5f}"
    if field == Field.SERVICE_AREA:
        return ";".join(center.service_area)
    if field == Field.SERVICES:
        return ";".join(center.services)
    if field == Field.CLOSURE:
        return ";".join(f"{c.start}|{c.end}|{c.message}" for c in center.closures)
    if field == Field.CLOSED:
        return "yes" if center.closed else "no"
    return str(getattr(center, field, ""))


REVERTIBLE = {f.value for f in (*TEXT_FIELDS, Field.HOURS, Field.LOCATION, Field.SERVICE_AREA,
                                 Field.SERVICES)}  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)

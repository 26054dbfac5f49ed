"""Callback data of inline buttons: built and parsed only here.

Clients can forge callback data, so parsing validates everything and returns None for anything
that is not exactly what this module builds. Telegram allows at most 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
ANY_NEED = "*"
_SLUG = re.compile(r"^[a-z_]{2,30}$")
_TAG = re.compile(r"^[0-9a-f]{8}$")


@dataclass(frozen=True, slots=True)
class NeedChosen:
    slug: str | None  # None: any service


@dataclass(frozen=True, slots=True)
class PlaceChosen:
    """A place of a choice list: a candidate for an ambiguous name, or a department's capital
    from a department list."""

    place_id: int
    tag: str | None = None  # the list it belongs to (list_tag); None on buttons made before


@dataclass(frozen=True, slots=True)
class NoneOfThese:
    """«Ninguno de estos» under a list of places."""

    tag: str


@dataclass(frozen=True, slots=True)
class DepartmentPage:
    """«Más» / «Anteriores» in a department list: the page starting at `offset`."""

    offset: int
    tag: str


@dataclass(frozen=True, slots=True)
class MoreCenters:
    offset: int
    search: str  # which search the button belongs to (see search_tag)


@dataclass(frozen=True, slots=True)
class CenterDetails:
    """«Detalles»: the full sheet of a center."""

    center_id: str


@dataclass(frozen=True, slots=True)
class ChangeNeed:
    pass


@dataclass(frozen=True, slots=True)
class ChangePlace:
    pass


@dataclass(frozen=True, slots=True)
class StaffAction:
    """A staff or admin button: `action` on a center (or change/user), maybe with a value.

    Callback data are only hints: the service layer checks that the user may do the action.
    """

    action: str
    center_id: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class ReportAction:
    """An entrepreneur reports a wrong field of a center (field "" opens the picker)."""

    center_id: str
    field: str = ""


@dataclass(frozen=True, slots=True)
class RequestAction:
    """A button of the warm handoff (bot.requests, bot.handoff): the entrepreneur's flow
    ("new", "name", "skip", "need", "time", "send", "cancel", "rate") or a receiver's
    ("take", "move", "to", "close") on request `number`. Only hints: the use cases check
    that the user may do it."""

    action: str
    value: str = ""
    number: int = 0


Callback = (
    NeedChosen | PlaceChosen | NoneOfThese | DepartmentPage | MoreCenters | CenterDetails
    | ChangeNeed | ChangePlace | StaffAction | ReportAction | RequestAction
)  # fmt: skip

CENTER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
STAFF_FIELDS = frozenset(
    {"phone", "email", "address", "city", "location", "hours", "website", "service_area",
     "services", "closure"}
)  # fmt: skip
_TOGGLE = re.compile(r"^([A-Z]{2}\.[0-9A-Z]{1,3}|[a-z_]{2,30})$")
# action -> what follows it: "c" a center id, "cf" center id + field, "v" a toggle value,
# "f" the field of the edit in progress, "n" a number, "uc" user id + center id, "" nothing
STAFF_ACTIONS = {
    "open": "c", "edit": "cf", "save": "f", "cancel": "", "tg": "v", "done": "f", "ok": "c",
    "hist": "c", "rv": "n", "qr": "c", "reopen": "c", "kill": "c", "killok": "c", "rk": "uc",
    "ri": "n",  # revoke an unused invite, by its id
}  # fmt: skip


def staff(action: str, *parts: object) -> str:
    return ":".join(["st", action, *(str(p) for p in parts)])


def details(center_id: str) -> str:
    """«Detalles» of a center: "det:" and its id (at most 45 bytes)."""
    return f"det:{center_id}"


REPORT_CANCEL = "cancel"  # the field of «Cancelar» under the report picker


def report(center_id: str, field: str = "") -> str:
    return f"rp:{center_id}:{field}" if field else f"rp:{center_id}"


def _staff(rest: list[str]) -> StaffAction | None:
    if not rest or rest[0] not in STAFF_ACTIONS:
        return None
    action, args = rest[0], rest[1:]
    shape = STAFF_ACTIONS[action]
    if shape == "" and not args:
        return StaffAction(action)
    if shape == "c" and len(args) == 1 and CENTER_ID.match(args[0]):
        return StaffAction(action, args[0])
    if shape == "cf" and len(args) == 2 and CENTER_ID.match(args[0]) and args[1] in STAFF_FIELDS:
        return StaffAction(action, args[0], args[1])
    if shape == "f" and len(args) == 1 and args[0] in STAFF_FIELDS:
        return StaffAction(action, value=args[0])  # the field of the edit it belongs to
    if shape == "v" and len(args) == 1 and _TOGGLE.match(args[0]):
        return StaffAction(action, value=args[0])
    if shape == "n" and len(args) == 1 and args[0].isdigit() and len(args[0]) <= 12:
        return StaffAction(action, value=args[0])
    if (
        shape == "uc"
        and len(args) == 2
        and args[0].isdigit()
        and len(args[0]) <= 15
        and CENTER_ID.match(args[1])
    ):
        return StaffAction(action, args[1], args[0])
    return None


REQUEST_SKIPPABLE = frozenset({"phone", "business", "need", "time", "comment"})
REQUEST_TIMES = frozenset({"m", "t", "a"})
TO_COORDINATORS = "*"


def request(action: str, *parts: object) -> str:
    """A warm-handoff button: "rq:" action and its parts (at most 61 bytes)."""
    return ":".join(["rq", action, *(str(p) for p in parts)])


def _number(value: str) -> bool:
    return value.isdigit() and len(value) <= 12


# the countries whose coordinators a request may be addressed to (bot.config.COUNTRIES)
REQUEST_COUNTRIES = frozenset(("HN", "SV", "GT", "NI", "CR", "PA", "DO", "BZ"))


def _request(rest: list[str], known_needs: frozenset[str]) -> RequestAction | None:
    action, args = rest[0], rest[1:]
    if action in ("name", "send", "cancel") and not args:
        return RequestAction(action)
    if len(args) == 1:
        (arg,) = args
        valid = (
            (action == "new" and CENTER_ID.match(arg))
            or (action == "nc" and arg in REQUEST_COUNTRIES)  # to a country's coordinators
            or (action == "skip" and arg in REQUEST_SKIPPABLE)
            or (action == "need" and _SLUG.match(arg) and arg in known_needs)
            or (action == "time" and arg in REQUEST_TIMES)
        )
        if valid:
            return RequestAction(action, arg)
        if action in ("take", "move", "close") and _number(arg):
            return RequestAction(action, number=int(arg))
        return None
    if len(args) == 2 and _number(args[0]):
        number, arg = int(args[0]), args[1]
        if action == "to" and (arg == TO_COORDINATORS or CENTER_ID.match(arg)):
            return RequestAction(action, arg, number)
        if action == "rate" and arg in ("1", "2", "3", "4", "5"):
            return RequestAction(action, arg, number)
    return None


def need(slug: str | None) -> str:
    return f"need:{slug or ANY_NEED}"


def list_tag(place_ids: tuple[int, ...], needs: tuple[str, ...]) -> str:
    """A short fingerprint of a list of places offered to the user (and the needs it was
    offered for), so that a button of an older list cannot act on a newer one."""
    import hashlib

    key = f"{','.join(map(str, place_ids))}|{','.join(needs)}"
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def place(place_id: int, tag: str) -> str:
    """A place of a list: "place:" id ":" tag (at most 27 bytes)."""
    return f"place:{place_id}:{tag}"


def none_of_these(tag: str) -> str:
    return f"none:{tag}"


def department_page(offset: int, tag: str) -> str:
    return f"dp:{offset}:{tag}"


def search_tag(place_id: int, lat: float, lon: float, needs: tuple[str, ...]) -> str:
    """A short fingerprint of a search, so that an old «Ver más» button cannot page through a
    newer search.

    Coordinates count to 3 decimals, the precision a place is remembered with
    (bot.db.repositories.MEMORY_DECIMALS): a button built from an answer at the exact shared
    point matches the remembered search it pages through.
    """
    import hashlib

    key = f"{place_id}|{lat:.3f}|{lon:.3f}|{','.join(needs)}"
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def more(offset: int, search: str) -> str:
    return f"more:{offset}:{search}"


CHANGE_NEED = "change:need"
CHANGE_PLACE = "change:place"


def parse(data: str | None, known_needs: frozenset[str]) -> Callback | None:
    """The button a callback stands for, or None when it is unknown, stale or forged."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    prefix, _, value = data.partition(":")
    if prefix == "need":
        if value == ANY_NEED:
            return NeedChosen(None)
        return NeedChosen(value) if _SLUG.match(value) and value in known_needs else None
    if prefix == "more":
        offset, _, search = value.partition(":")
        if not offset.isdigit() or len(offset) > 6 or not _TAG.match(search):
            return None
        return MoreCenters(int(offset), search)
    if prefix == "place":
        place_id, tagged, tag = value.partition(":")
        if not place_id.isdigit() or len(place_id) > 12 or (tagged and not _TAG.match(tag)):
            return None
        return PlaceChosen(int(place_id), tag if tagged else None)
    if prefix == "none":
        return NoneOfThese(value) if _TAG.match(value) else None
    if prefix == "dp":
        offset, _, tag = value.partition(":")
        if not offset.isdigit() or len(offset) > 4 or not _TAG.match(tag):
            return None
        return DepartmentPage(int(offset), tag)
    if prefix == "st":
        return _staff(value.split(":"))
    if prefix == "rq":
        return _request(value.split(":"), known_needs)
    if prefix == "det":
        return CenterDetails(value) if CENTER_ID.match(value) else None
    if prefix == "rp":
        center_id, _, field = value.partition(":")
        known = not field or field in STAFF_FIELDS or field == REPORT_CANCEL
        if CENTER_ID.match(center_id) and known:
            return ReportAction(center_id, field)
        return None
    if data == CHANGE_NEED:
        return ChangeNeed()
    if data == CHANGE_PLACE:
        return ChangePlace()
    return None

"""Which listing fields center staff may edit, and how their values are validated and normalized.

Pure domain code. Every validator returns the value to store (normalized for display) or raises
`ListingError(field, code)`; the Spanish message for each code is in bot/texts.py.

Hostile input: `<` and `>` are rejected in phones, e-mails and URLs (they never belong there, and
a URL may end up in a link). Addresses and cities keep them as plain text: they are stored
verbatim and escaped with `esc()` wherever they are shown, like every other value.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

MAX_EMAIL = 120
MAX_URL = 200
MAX_PHONE_INPUT = 40
MAX_TEXT = {"address": 200, "city": 80, "closure": 200}  # closure: a temporary closure's message


class ListingField(StrEnum):
    """A listing field; the values are the `Center` attribute names."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    CITY = "city"
    WEBSITE = "website"
    HOURS = "hours"  # parsed by bot.domain.hours.parse_hours
    LOCATION = "location"  # validated elsewhere
    SERVICE_AREA = "service_area"  # validated elsewhere
    SERVICES = "services"  # validated elsewhere
    CLOSURE = "closure"  # dates parsed elsewhere; the message by validate_text


EDITABLE_FIELDS: tuple[ListingField, ...] = (
    ListingField.PHONE,
    ListingField.EMAIL,
    ListingField.ADDRESS,
    ListingField.CITY,
    ListingField.WEBSITE,
    ListingField.HOURS,
)


class ListingErrorCode(StrEnum):
    """Why a value was refused (each has a Spanish message)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_CHARACTERS = "bad_characters"  # control characters, or < > in phone/e-mail/URL
    MULTIPLE = "multiple"  # two phones / addresses in one field
    PHONE_LETTERS = "phone_letters"
    PHONE_LENGTH = "phone_length"
    PHONE_PREFIX = "phone_prefix"  # a first digit (or DO area code) the country does not use
    WRONG_COUNTRY = "wrong_country"  # another country's calling code
    BAD_EXTENSION = "bad_extension"
    UNSUPPORTED_COUNTRY = "unsupported_country"
    BAD_EMAIL = "bad_email"
    BAD_SCHEME = "bad_scheme"  # javascript:, data:, ftp:… (only http and https)
    BAD_URL = "bad_url"
    ONLY_SYMBOLS = "only_symbols"  # no letter at all
    PLACEHOLDER = "placeholder"  # "N/A", "no tiene", "-"…


class ListingError(ValueError):
    """A value staff typed that cannot be stored in a listing field."""

    def __init__(self, field: ListingField, code: ListingErrorCode) -> None:
        super().__init__(f"{field.value}: {code.value}")
        self.field = field
        self.code = code


# -- phones ------------------------------------------------------------------------------------


class _Plan:
    """A country's numbering: calling code, national lengths and allowed first digits."""

    def __init__(self, code: str, first_digits: dict[int, str]) -> None:
        self.code = code
        self.first_digits = first_digits  # national length -> allowed leading characters

    def prefix_ok(self, national: str) -> bool:
        return national[:1] in self.first_digits.get(len(national), "")


PHONE_PLANS: dict[str, _Plan] = {
    "HN": _Plan("504", {8: "2389"}),  # fixed 2, mobile 3/8/9
    "SV": _Plan("503", {8: "267"}),  # fixed 2, mobile 6/7
    "GT": _Plan("502", {8: "234567"}),
    "NI": _Plan("505", {8: "2345678"}),
    "CR": _Plan("506", {8: "245678"}),
    "PA": _Plan("507", {7: "2345789", 8: "6"}),  # fixed 7 digits, mobile 6xxx-xxxx
    "BZ": _Plan("501", {7: "2345678"}),
    "DO": _Plan("1", {10: "8"}),  # area code 809/829/849 + 7 digits
}
DO_AREA_CODES = frozenset({"809", "829", "849"})
_CALLING_CODES = frozenset(p.code for p in PHONE_PLANS.values() if len(p.code) == 3)
# " ext. 136" at the end. The match starts where its run of separators starts (lookbehind) and
# reads each run of spaces once (possessive), so a search stays linear on a long run.
_EXTENSION = re.compile(
    r"(?<![\s,;])[\s,;]*+(?:ext(?:ensi[oó]n)?|anexo|x)\s*+(?:[.:#]\s*+)?(?P<ext>[0-9]*+)\s*+$",
    re.IGNORECASE,
)
_MULTIPLE_PHONES = re.compile(r"[/,;|&]|\b(?:y|o|u|e)\b", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"[0-9\s().\-+]*")
_NON_DIGITS = re.compile(r"\D+")


def _format_national(country: str, digits: str) -> str:
    if country == "DO":
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return f"{digits[:-4]}-{digits[-4:]}"


def _national_digits(plan: _Plan, number: str, field: ListingField) -> str:
    """The national number, with any leading calling code (+504, 504, 00504) removed."""
    digits = _NON_DIGITS.sub("", number)
    lengths = plan.first_digits.keys()
    stripped = number.lstrip()
    international = stripped.startswith("+") or (
        digits.startswith("00") and len(digits) - 2 - len(plan.code) in lengths
    )
    if digits.startswith("00"):
        digits = digits[2:]
    if international:
        if not digits.startswith(plan.code):
            raise ListingError(field, ListingErrorCode.WRONG_COUNTRY)
        if len(digits) - len(plan.code) in lengths:
            return digits[len(plan.code) :]
        raise ListingError(field, ListingErrorCode.PHONE_LENGTH)
    if len(digits) in lengths:
        return digits
    if digits.startswith(plan.code) and len(digits) - len(plan.code) in lengths:
        return digits[len(plan.code) :]
    other = [c for c in _CALLING_CODES if c != plan.code and digits.startswith(c)]
    if any(len(digits) - len(c) in lengths for c in other):
        raise ListingError(field, ListingErrorCode.WRONG_COUNTRY)
    raise ListingError(field, ListingErrorCode.PHONE_LENGTH)


def validate_phone(value: str, country: str) -> str:
    """One phone number of the center's country, as "+504 2763-0000" (" ext. 136")."""
    field = ListingField.PHONE
    plan = PHONE_PLANS.get(country)
    if plan is None:
        raise ListingError(field, ListingErrorCode.UNSUPPORTED_COUNTRY)
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise ListingError(field, ListingErrorCode.EMPTY)
    if len(text) > MAX_PHONE_INPUT:
        raise ListingError(field, ListingErrorCode.TOO_LONG)
    if _has_control(text) or "<" in text or ">" in text:
        raise ListingError(field, ListingErrorCode.BAD_CHARACTERS)
    extension = ""
    if m := _EXTENSION.search(text):
        extension = m.group("ext")
        if not extension or len(extension) > 6:
            raise ListingError(field, ListingErrorCode.BAD_EXTENSION)
        text = text[: m.start()].strip()
    if _MULTIPLE_PHONES.search(text):
        raise ListingError(field, ListingErrorCode.MULTIPLE)
    if any(ch.isalpha() for ch in text):
        raise ListingError(field, ListingErrorCode.PHONE_LETTERS)
    if not _PHONE_CHARS.fullmatch(text) or "+" in text.lstrip("+ ") or text.count("+") > 1:
        raise ListingError(field, ListingErrorCode.BAD_CHARACTERS)
    digits = _NON_DIGITS.sub("", text)
    if not digits:
        raise ListingError(field, ListingErrorCode.EMPTY)
    if len(digits) >= 2 * min(plan.first_digits):
        raise ListingError(field, ListingErrorCode.MULTIPLE)
    national = _national_digits(plan, text, field)
    if not plan.prefix_ok(national) or (country == "DO" and national[:3] not in DO_AREA_CODES):
        raise ListingError(field, ListingErrorCode.PHONE_PREFIX)
    normalized = f"+{plan.code} {_format_national(country, national)}"
    return f"{normalized} ext. {extension}" if extension else normalized


# -- e-mail and web ----------------------------------------------------------------------------

_EMAIL = re.compile(  # used whole (fullmatch); the lookbehind keeps a search linear too
    r"(?<![a-z0-9_%+.-])(?P<local>[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*)"
    r"@(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})",
    re.IGNORECASE,
)
_TLD_TYPOS = frozenset({"con", "cpm", "cmo", "ocm", "vom", "xom", "comm", "coom"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DOTTED = re.compile(r"\w\.\w")  # "www.ejemplo.org": a second address, not a typo


def validate_email(value: str) -> str:
    """One e-mail address, with its domain lower-cased."""
    field = ListingField.EMAIL
    text = unicodedata.normalize("NFKC", value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    if not text:
        raise ListingError(field, ListingErrorCode.EMPTY)
    if len(text) > MAX_EMAIL:
        raise ListingError(field, ListingErrorCode.TOO_LONG)
    if _has_control(text) or "<" in text or ">" in text:
        raise ListingError(field, ListingErrorCode.BAD_CHARACTERS)
    if text.count("@") > 1:
        raise ListingError(field, ListingErrorCode.MULTIPLE)
    m = _EMAIL.fullmatch(text)
    if not m:
        raise ListingError(field, ListingErrorCode.BAD_EMAIL)
    domain = m.group("domain").lower()
    if domain.rsplit(".", 1)[1] in _TLD_TYPOS:
        raise ListingError(field, ListingErrorCode.BAD_EMAIL)
    return f"{m.group('local')}@{domain}"


def validate_url(value: str) -> str:
    """An http(s) address with a dotted host; "https://" is added when no scheme is given."""
    field = ListingField.WEBSITE
    text = unicodedata.normalize("NFKC", value).strip().rstrip(".")  # "www.ejemplo.org."
    if not text:
        raise ListingError(field, ListingErrorCode.EMPTY)
    if len(text) > MAX_URL:
        raise ListingError(field, ListingErrorCode.TOO_LONG)
    if _has_control(text) or any(ch in text for ch in "<>\"'`\\"):
        raise ListingError(field, ListingErrorCode.BAD_CHARACTERS)
    if any(ch.isspace() for ch in text):
        several = all(_DOTTED.search(part) for part in text.split())
        raise ListingError(
            field, ListingErrorCode.MULTIPLE if several else ListingErrorCode.BAD_URL
        )
    scheme = _SCHEME.match(text)
    if scheme and (text[scheme.end() :].startswith("//") or "." not in scheme.group(1)):
        if scheme.group(1).lower() not in ("http", "https"):
            raise ListingError(field, ListingErrorCode.BAD_SCHEME)
    elif text.startswith("//"):
        text = "https:" + text
    else:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ListingError(field, ListingErrorCode.BAD_URL) from exc
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None or not _good_host(host):
        raise ListingError(field, ListingErrorCode.BAD_URL)
    netloc = host if port is None else f"{host}:{port}"
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
    if len(url) > MAX_URL:
        raise ListingError(field, ListingErrorCode.TOO_LONG)
    return url


def _good_host(host: str) -> bool:
    """A dotted DNS name with an alphabetic top-level domain (no bare IPs, no "localhost")."""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return False
    labels = ascii_host.lower().split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return False
    tld = labels[-1]
    return (tld.isalpha() and len(tld) >= 2) or tld.startswith("xn--")


# -- free text ---------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"))
_LINE_SPACE = re.compile(r"[\t\r\n\v\f]")
_PLACEHOLDERS = frozenset(
    {
        "n/a",
        "na",
        "n/d",
        "nd",
        "no",
        "ninguno",
        "ninguna",
        "no tiene",
        "no hay",
        "sin datos",
        "pendiente",
        "x",
        "xx",
        "xxx",
        "null",
        "none",
    }
)


def _has_control(text: str) -> bool:
    """Control, format (bidi overrides…), surrogate, private or unassigned characters."""
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ch != "\u200d"
        for ch in text
    )


def validate_text(field: ListingField, value: str) -> str:
    """An address (≤ 200 characters), a city (≤ 80) or a closure message (≤ 200): trimmed,
    one space between words."""
    if field.value not in MAX_TEXT:
        raise ValueError(f"{field} is not a free-text field")
    text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    text = " ".join(_LINE_SPACE.sub(" ", text).split())
    if not text:
        raise ListingError(field, ListingErrorCode.EMPTY)
    if _has_control(text):
        raise ListingError(field, ListingErrorCode.BAD_CHARACTERS)
    if len(text) > MAX_TEXT[field.value]:
        raise ListingError(field, ListingErrorCode.TOO_LONG)
    if text.casefold().strip(" .") in _PLACEHOLDERS:
        raise ListingError(field, ListingErrorCode.PLACEHOLDER)
    if not any(ch.isalpha() for ch in text):
        raise ListingError(field, ListingErrorCode.ONLY_SYMBOLS)
    return text


def validate_field(field: ListingField, value: str, country: str) -> str:
    """Validate a value for one of the plain listing fields (not hours, location…)."""
    if field is ListingField.PHONE:
        return validate_phone(value, country)
    if field is ListingField.EMAIL:
        return validate_email(value)
    if field is ListingField.WEBSITE:
        return validate_url(value)
    if field in (ListingField.ADDRESS, ListingField.CITY):
        return validate_text(field, value)
    raise ValueError(f"{field} is validated elsewhere")

"""How sure the data is: source kinds and labels, sourced cautions, dates, the card's data
note and the staff's confirmation (freshness)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import urlsplit

from bot.domain.models import Center, Confidence, Fact
from bot.texts.common import esc
from bot.texts.hours import MONTHS
from bot.texts.languages import ES, Texts

STALE_YEARS = 2
# The kind of a source (bot.domain.models.Confidence), as a card says it.
SOURCE_KINDS: Mapping[str, str] = {
    Confidence.OFFICIAL: "una fuente oficial",
    Confidence.NEWS: "prensa",
    Confidence.THIRD_PARTY: "una fuente no oficial",
}
THIRD_PARTY = Confidence.THIRD_PARTY
UNOFFICIAL = "fuente no oficial"
UNDATED = "sin fecha"
FACT_YEAR = "dato de {year}"
FACT_YEAR_OLD = "dato de {year}: confirme"

# How a source labels a contact (data/center_facts.csv, data/agencies.csv `label`).
FACT_LABELS: Mapping[str, str] = {
    "host_switchboard": "central de la institución que lo aloja, no del centro",
    "host_email": "correo general de la institución que lo aloja",
    "host_campus": "campus de la institución que lo aloja",
    "host_office": "allí tenía su oficina",
    "delegation": "una de sus oficinas, no la sede",
    "agency_office": "oficina de la institución nacional",
}

# Sourced facts that change what a user should do (field "status" of data/center_facts.csv).
CAUTIONS: Mapping[str, str] = {
    "funding_cuts_2025": (
        "⚠️ Tras los recortes de fondos de 2025 no sabemos si sigue atendiendo: confirme "
        "antes de ir."
    ),
    "announced": "⚠️ Anunciado en {when}: no sabemos si ya abrió.",
    "status_unknown": "⚠️ No sabemos si sigue funcionando: confirme antes de ir.",
}


def _year(value: str) -> int | None:
    head = value[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def month_year(value: str) -> str:
    """ "2025-12-14" -> "diciembre de 2025"; "2011" -> "2011"; "" -> "fecha desconocida"."""
    year = _year(value)
    if year is None:
        return "fecha desconocida"
    month = value[5:7]
    if month.isdigit() and 1 <= int(month) <= 12:
        return f"{MONTHS[int(month) - 1]} de {year}"
    return str(year)


def fact_note(
    fact: Fact | None,
    *,
    row_date: str,
    row_confidence: str,
    today: date,
    lang: Texts | None = None,
) -> str:
    """What a line says of its own source, in brackets: the source's label, «fuente no
    oficial» when the line's source is not the card's, and the line's date when it differs
    from the card's (or «sin fecha»); "" when there is nothing to add."""
    if fact is None:
        return ""
    t = lang or ES
    parts = []
    if fact.label in t.FACT_LABELS:
        parts.append(t.FACT_LABELS[fact.label])
    if fact.confidence == THIRD_PARTY and row_confidence != THIRD_PARTY:
        parts.append(t.UNOFFICIAL)
    year = _year(fact.source_date)
    if year is None:
        if row_date or fact.confidence == THIRD_PARTY:
            parts.append(t.UNDATED)
    elif fact.source_date[:4] != row_date[:4]:
        old = today.year - year >= STALE_YEARS
        parts.append((t.FACT_YEAR_OLD if old else t.FACT_YEAR).format(year=year))
    return f" ({'; '.join(parts)})" if parts else ""


def caution_lines(center: Center, *, lang: Texts | None = None) -> list[str]:
    """The sourced cautions of a center (none once its staff have confirmed the listing)."""
    if center.confirmed_at is not None:
        return []
    t = lang or ES
    lines = []
    for fact in center.cautions:
        template = t.CAUTIONS.get(fact.value)
        if template:
            lines.append(template.format(when=esc(t.month_year(fact.source_date))))
    return lines


def _source_year(center: Center) -> int | None:
    return _year(center.source_date)


def data_note(center: Center, today: date, *, lang: Texts | None = None) -> str:
    """The card's date and kind of source, with «Confirme antes de ir» when the data is old,
    undated, from a third party, unverified or the service area is inferred."""
    t = lang or ES
    year = _source_year(center)
    old = year is None or today.year - year >= STALE_YEARS
    kind = t.SOURCE_KINDS.get(center.confidence)
    doubtful = (
        center.service_area_inferred or not center.verified or center.confidence == THIRD_PARTY
    )
    what = t.DATA_FROM.format(kind=kind) if kind else t.DATA_PUBLIC
    when = t.DATA_YEAR.format(year=year) if year else (t.DATA_UNDATED if kind else "")
    if old or doubtful:
        return t.DATA_NOTE_CONFIRM.format(what=what, when=when)
    return t.DATA_NOTE.format(what=what, when=when)


def sources_line(center: Center, *, lang: Texts | None = None) -> str:
    """ "📚 Fuentes: laprensa.hn · eldiario.hn" (the sites the data comes from)."""
    sites = []
    for url in center.source_url.split(" | "):
        host = urlsplit(url.strip()).netloc.removeprefix("www.")
        if host and host not in sites:
            sites.append(host)
    if not sites:
        return ""
    return (lang or ES).SOURCES + " · ".join(esc(s) for s in sites)


def freshness(confirmed_at: datetime | None, now: datetime) -> str:
    if confirmed_at is None:
        return "🗓️ El centro aún no ha confirmado estos datos."
    days = (now - confirmed_at).days
    when = "hoy" if days <= 0 else "ayer" if days == 1 else f"hace {days} días"
    return f"🗓️ Datos confirmados por el centro {when}."

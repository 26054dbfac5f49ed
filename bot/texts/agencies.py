"""The national agencies and CENPROMYPE: their contacts, and whom to ask when a center
has none."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.models import Agency
from bot.texts.common import esc
from bot.texts.languages import ES, Texts
from bot.texts.sources import STALE_YEARS, THIRD_PARTY, _year

CONTACT_VIA = "☎️ Para contactarlos, consulte a {agency}: {contact}"
NO_CONTACT_CENPROMYPE = "☎️ Sin contacto publicado: consulte a CENPROMYPE: {website}."
NO_CONTACT_ASK = "☎️ Sin contacto publicado: pregunte a {agency}"
NO_CONTACT_REGION = " o, en la región, a CENPROMYPE: {website}"


def _short_name(agency: Agency) -> str:
    """ "SENPRENDE (Servicio…)" -> "SENPRENDE", "…Mediana Empresa (AMPYME)" -> "AMPYME",
    "…(MEIC), …(DIGEPYME)" -> "MEIC-DIGEPYME"; the full name when it has no acronym."""
    lead = re.match(r"([A-ZÁÉÍÓÚÑ]{3,}) \(", agency.name)
    if lead:
        return lead[1]
    acronyms = re.findall(r"\(([A-ZÁÉÍÓÚÑ]{3,})\)", agency.name)
    if acronyms and agency.name.endswith(")"):
        return "-".join(acronyms)
    return agency.name


def _agency_fact_note(agency: Agency, name: str, today: date, t: Texts) -> str:
    fact = agency.fact_for(name)
    if fact is None:
        return ""
    year = _year(fact.source_date)
    parts = [t.FACT_LABELS[fact.label]] if fact.label in t.FACT_LABELS else []
    if fact.confidence == THIRD_PARTY:
        parts.append(t.UNOFFICIAL)
    if year is None:
        parts.append(t.UNDATED)
    elif today.year - year >= STALE_YEARS:
        parts.append(t.FACT_YEAR_OLD.format(year=year))
    return f" ({'; '.join(parts)})" if parts else ""


def agency_contact_lines(agency: Agency, today: date, *, lang: Texts | None = None) -> list[str]:
    """The agency's known contacts, one a line, each with its source's caveats."""
    t = lang or ES
    icons = (("website", "🌐"), ("phone", "📞"), ("email", "✉️"), ("address", "📍"))
    lines = []
    for name, icon in icons:
        value = getattr(agency, name)
        if value:
            lines.append(f"{icon} {esc(value)}{_agency_fact_note(agency, name, today, t)}")
    if agency.city and agency.city not in agency.address:
        lines.append(f"🏙️ {esc(agency.city)}{_agency_fact_note(agency, 'city', today, t)}")
    return lines


def agency_contact(agency: Agency, today: date, *, lang: Texts | None = None) -> str:
    """The agency's first known contact, for one line: "" when none is known."""
    lines = agency_contact_lines(agency, today, lang=lang)
    return lines[0] if lines else ""


def fallback_contact(
    agency: Agency | None, regional: Agency | None, today: date, *, lang: Texts | None = None
) -> str:
    """Whom to ask when a center has no contact of its own."""
    t = lang or ES
    if agency is None:
        if regional is None or not regional.website:
            return ""
        return t.NO_CONTACT_CENPROMYPE.format(website=esc(regional.website))
    contact = agency_contact(agency, today, lang=t)
    if contact:
        return t.CONTACT_VIA.format(agency=esc(_short_name(agency)), contact=contact)
    text = t.NO_CONTACT_ASK.format(agency=esc(_short_name(agency)))
    if regional is not None and regional.website:
        text += t.NO_CONTACT_REGION.format(website=esc(regional.website))
    return text + "."

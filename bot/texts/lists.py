"""Fallbacks and lists: «Ver más centros», no center for a place (agencies, support
points), the directory of a country's centers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.models import Agency, Center, Match, Place
from bot.texts.agencies import agency_contact_lines
from bot.texts.card import unlocated
from bot.texts.common import country_name, esc, place_label
from bot.texts.languages import ES, Texts
from bot.texts.sources import _year

NO_MORE = "No hay más centros para mostrarle en esta búsqueda."
CENTERS_TITLE = "🏢 <b>Centros de atención MIPYME en {country}</b>"
CENTERS_EMPTY = "Aún no tenemos centros registrados en {country}."
CENTERS_FOOTER = "Dígame dónde está y qué necesita, y le indico cuál le corresponde."


CENTER_LINE_KM = "a {km} km"
CENTER_LINE_SERVES = "atiende su {division}"
CENTER_LINE_SERVES_INFERRED = "probablemente atiende su {division}"
CENTER_LINE_ASSUMED = " (habitual en la red, sin confirmar)"
NO_CENTER = "😔 Aún no tenemos registrado un centro de atención MIPYME que atienda {place}."
NATIONAL_AGENCY_OF = "🏛️ Institución nacional de apoyo a la MIPYME en {country}:"
NO_AGENCY_CONTACT = "No tenemos un contacto confirmado (teléfono, correo o web)."
REGIONAL_AGENCY = "🌎 En la región (SICA): <b>{name}</b>"
SUPPORT_POINTS = (
    "📌 Otros puntos de apoyo en su {division}, no confirmados como centros de la red:"
)
SUPPORT_SOURCE_YEAR = "fuente de {year}"
SUPPORT_SOURCE_UNDATED = "fuente sin fecha"
SUPPORT_POINT = "• {name}{where} ({when}: confirme antes de ir)"


def center_line(
    match: Match,
    labels: Mapping[str, str],
    place: Place | None = None,
    *,
    lang: Texts | None = None,
) -> str:
    """A compact entry for "Ver más centros"."""
    t = lang or ES
    c = match.center
    parts = [f"🏢 <b>{esc(c.name)}</b>"]
    where = [c.city] if c.city else []
    if match.distance_km is not None:
        where.append(t.CENTER_LINE_KM.format(km=t.km(match.distance_km)))
    if match.serves_area and match.same_country:
        word = t.division(place.country, place.admin1) if place else t.division("", "")
        sure = place is not None and c.area_sourced(place.admin1)
        template = t.CENTER_LINE_SERVES if sure else t.CENTER_LINE_SERVES_INFERRED
        where.append(template.format(division=word))
    if unlocated(match):
        where.append(t.UNLOCATED_SHORT)
    if where:
        parts.append(esc(" · ".join(where)))
    if c.phone:
        parts.append(f"📞 {esc(c.phone)}")
    if match.matched_needs:
        main = match.matched_needs[0]
        assumed = main not in c.services_sourced
        names = ", ".join(esc(labels.get(s, s)) for s in match.matched_needs)
        parts.append(f"✅ {names}" + (t.CENTER_LINE_ASSUMED if assumed else ""))
    return "\n".join(parts)


def more_centers(lines: list[str], shown_from: int) -> str:
    return f"Más centros ({shown_from + 1}–{shown_from + len(lines)}):\n\n" + "\n\n".join(lines)


def no_centers(
    place: Place,
    agency: Agency | None,
    regional: Agency | None = None,
    support: tuple[Center, ...] = (),
    today: date | None = None,
    *,
    lang: Texts | None = None,
) -> str:
    """None of the country's centers can be ranked: the national agency with what is known of
    its contact, CENPROMYPE, and the support points of the user's division, with caveats."""
    t = lang or ES
    today = today or date.today()
    country = esc(t.country_name(place.country))
    lines = [t.NO_CENTER.format(place=place_label(place, lang=t))]
    if agency is not None:
        lines.append(t.NATIONAL_AGENCY_OF.format(country=country))
        lines.append(f"<b>{esc(agency.name)}</b>")
        contacts = agency_contact_lines(agency, today, lang=t)
        lines.extend(contacts or [t.NO_AGENCY_CONTACT])
    if regional is not None:
        lines.append(t.REGIONAL_AGENCY.format(name=esc(regional.name)))
        lines.extend(agency_contact_lines(regional, today, lang=t))
    if support:
        lines.append(t.SUPPORT_POINTS.format(division=t.division(place.country, place.admin1)))
        for c in support:
            where = f", {esc(c.city)}" if c.city and c.city not in c.name else ""
            year = _year(c.source_date)
            when = t.SUPPORT_SOURCE_YEAR.format(year=year) if year else t.SUPPORT_SOURCE_UNDATED
            lines.append(t.SUPPORT_POINT.format(name=esc(c.name), where=where, when=when))
    return "\n".join(lines)


def centers_directory(country: str, centers: list[Center]) -> str:
    title = CENTERS_TITLE.format(country=esc(country_name(country)))
    if not centers:
        return CENTERS_EMPTY.format(country=esc(country_name(country)))
    lines = [title, ""]
    for c in centers:
        where = f" — {esc(c.city)}" if c.city else ""
        lines.append(f"• {esc(c.name)}{where}")
    lines += ["", CENTERS_FOOTER]
    return "\n".join(lines)

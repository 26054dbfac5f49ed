"""The card of a center and its «Detalles»: why this center, honesty notes, contacts,
services, opening hours, what to bring, the map venue."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from bot.domain.models import Agency, Center, Match, Place
from bot.texts.agencies import agency_contact, fallback_contact
from bot.texts.common import esc
from bot.texts.languages import ES, Texts
from bot.texts.sources import caution_lines, data_note, fact_note, sources_line

FAR_KM = 150.0

UNLOCATED = (
    "📌 Ubicación no confirmada: no sabemos a qué distancia queda de usted, y no consta que "
    "atienda su {division}."
)
UNLOCATED_SHORT = "ubicación no confirmada"
NO_ADDRESS = "📍 Dirección no confirmada."
CITY_ONLY = "📍 {city} (dirección exacta no disponible){note}"
MAX_CARD_LINES = 10  # beyond this, details wait behind «Detalles» (a small phone's screen)
DETAILS_BUTTON = "ℹ️ Detalles"

# Why a center was chosen, and what the card says plainly about it.
SERVES_SOURCED = "✅ Atiende su {division}{name}."
SERVES_INFERRED = "🧭 Por su región, probablemente atiende su {division}{name}."
UNDER_1_KM = "menos de 1"
ABOUT_KM = "unos {km}"
DISTANCE = "📏 A {far} km de usted."
NO_AREA_CENTER = " No consta qué centro atiende su {division}{name}."
ABROAD = (
    "⚠️ No tenemos registrado un centro en {country} que le pueda atender; este es el más "
    "cercano, en {center_country}."
)
NEED_ELSEWHERE = (
    "⚠️ Este centro no registra «{need}»; {center} sí lo registra{where}: véalo en «Ver más "
    "centros»."
)
NEED_ELSEWHERE_UNPLACED = ", pero no consta dónde queda"
NEED_NOWHERE = (
    "⚠️ Ningún centro registrado de su país indica «{need}»; le mostramos el que le "
    "corresponde: pregúnteles, le pueden orientar."
)
AREA_CENTER_LACKS = (
    "ℹ️ El centro de su {division} ({center}) no registra «{need}»; este sí lo ofrece."
)
FAR = "🚌 Queda lejos de usted: llame o escriba antes de viajar."
SERVICES_SOURCED = "🧰 Ofrece, según sus fuentes: "
SERVICES_ASSUMED = "🧩 Habitual en la red, sin confirmar en este centro: "
DATA_FROM = "Datos de {kind}"
DATA_PUBLIC = "Datos de fuentes públicas"
DATA_YEAR = " de {year}"
DATA_UNDATED = ", sin fecha"
DATA_NOTE = "🗓️ {what}{when}."
DATA_NOTE_CONFIRM = "🗓️ {what}{when}. <b>Confirme antes de ir.</b>"
NATIONAL_AGENCY = "🏛️ Institución nacional: {name}"
NO_CONFIRMED_CONTACT = " (sin contacto confirmado)"
IN_THE_REGION = "🌎 En la región: {name}"
SOURCES = "📚 Fuentes: "
APPROXIMATE = " (ubicación aproximada)"
CITY_CENTER = "{place} — centro de la ciudad, no la oficina"


def why_chosen(
    match: Match, place: Place, *, area_known: bool = True, lang: Texts | None = None
) -> str:
    """Why this center: its service area holds the user's division (sourced or inferred), or
    its distance — saying so when no center is known to serve the division (`area_known`)."""
    t = lang or ES
    word = t.division(place.country, place.admin1)
    name = f" ({esc(place.admin_name)})" if place.admin_name else ""
    if match.serves_area and match.same_country:
        if match.center.area_sourced(place.admin1):
            return t.SERVES_SOURCED.format(division=word, name=name)
        return t.SERVES_INFERRED.format(division=word, name=name)
    if match.distance_km is None:
        return ""
    far = t.UNDER_1_KM if match.distance_km < 1 else t.ABOUT_KM.format(km=t.km(match.distance_km))
    text = t.DISTANCE.format(far=far)
    if not area_known and place.admin1 and match.same_country:
        text += t.NO_AREA_CENTER.format(division=word, name=name)
    return text


def unlocated(match: Match) -> bool:
    """A center of the country that follows the located ones: no place, no area of the user's."""
    return not match.serves_area and match.distance_km is None and not match.center.has_location


def _service_names(slugs: list[str], labels: Mapping[str, str], matched: tuple[str, ...]) -> str:
    marked = [f"✅ {esc(labels.get(s, s))}" for s in slugs if s in matched]
    others = [esc(labels.get(s, s)) for s in slugs if s not in matched]
    return " · ".join(marked + others)


def services_lines(
    center: Center,
    labels: Mapping[str, str],
    matched: tuple[str, ...],
    *,
    lang: Texts | None = None,
) -> list[str]:
    """What a source names as offered, and, apart, the network's usual services assumed."""
    t = lang or ES
    sourced = [s for s in center.services if s in center.services_sourced]
    assumed = [s for s in center.services if s not in center.services_sourced]
    lines = []
    if sourced:
        lines.append(t.SERVICES_SOURCED + _service_names(sourced, labels, matched))
    if assumed:
        lines.append(t.SERVICES_ASSUMED + _service_names(assumed, labels, matched))
    return lines


def services_line(center: Center, labels: Mapping[str, str], matched: tuple[str, ...]) -> str:
    return "\n".join(services_lines(center, labels, matched))


def honesty_notes(
    match: Match,
    place: Place,
    main_need: str | None,
    labels: Mapping[str, str],
    area_center: str,
    need_match: Match | None = None,
    *,
    lang: Texts | None = None,
) -> list[str]:
    """Say plainly when the proposal is far, abroad, or not the center of the department, or
    does not offer the need (and which center further down does: `need_match`)."""
    t = lang or ES
    notes = []
    word = t.division(place.country, place.admin1)
    need = esc(labels.get(main_need, main_need)) if main_need else ""
    if not match.same_country:
        notes.append(
            t.ABROAD.format(
                country=esc(t.country_name(place.country)),
                center_country=esc(t.country_name(match.center.country)),
            )
        )
    elif main_need and not match.offers_need and need_match is not None:
        where = t.NEED_ELSEWHERE_UNPLACED if unlocated(need_match) else ""
        notes.append(
            t.NEED_ELSEWHERE.format(need=need, center=esc(need_match.center.name), where=where)
        )
    elif main_need and not match.offers_need:
        notes.append(t.NEED_NOWHERE.format(need=need))
    elif main_need and area_center and not match.serves_area:
        notes.append(t.AREA_CENTER_LACKS.format(division=word, center=esc(area_center), need=need))
    if (
        match.same_country
        and not match.serves_area
        and match.distance_km is not None
        and match.distance_km > FAR_KM
    ):
        notes.append(t.FAR)
    return notes


def _value_note(c: Center, name: str, today: date, t: Texts) -> str:
    """What the source of one of a center's values says of it, when that differs from the
    card's ("" once staff have confirmed the listing: their values, no old notes)."""
    if c.confirmed_at is not None:
        return ""
    fact = c.fact_for(name)
    return fact_note(
        fact, row_date=c.source_date, row_confidence=c.confidence, today=today, lang=t
    )


def _address_line(c: Center, today: date, t: Texts) -> str:
    if c.address:
        return f"📍 {esc(c.address)}{_value_note(c, 'address', today, t)}"
    if c.city:
        return t.CITY_ONLY.format(city=esc(c.city), note=_value_note(c, "city", today, t))
    return t.NO_ADDRESS


def _contact_lines(c: Center, now: datetime, t: Texts) -> list[str]:
    """Address (or city), phone, e-mail, opening status and hours, website: each with what its
    source says of it (label, kind, date) when that differs from the card's."""
    today = now.date()
    lines = [_address_line(c, today, t)]
    if c.phone:
        lines.append(f"📞 {esc(c.phone)}{_value_note(c, 'phone', today, t)}")
    if c.email:
        lines.append(f"✉️ {esc(c.email)}{_value_note(c, 'email', today, t)}")
    lines.extend(opening_lines(c, now, lang=t))
    if c.website:
        lines.append(f"🌐 {esc(c.website)}{_value_note(c, 'website', today, t)}")
    return lines


def center_card(
    match: Match,
    place: Place,
    labels: Mapping[str, str],
    *,
    main_need: str | None,
    area_center: str,
    agency: Agency | None,
    now: datetime,
    regional: Agency | None = None,
    max_lines: int | None = MAX_CARD_LINES,
    ranked: bool = True,
    need_match: Match | None = None,
    lang: Texts | None = None,
) -> str:
    """The card of the proposed center, short enough for a small phone.

    `ranked`: the card answers a search (False: a center shown on its own, by a deep link).

    What a user must know is always on it: why this center, the cautions, its contacts, how
    sure the data is and whom to ask when it has no contact. The services, the operator and
    what to bring follow while the card stays within `max_lines` (None: no limit); the full
    sheet is behind «Detalles» (`center_details`).
    """
    t = lang or ES
    c = match.center
    today = now.date()
    matched = match.matched_needs
    # (display order, priority: 0 always shown, then the lower first while there is room)
    lines: list[tuple[int, int, str]] = [(0, 0, f"🏢 <b>{esc(c.name)}</b>")]
    if c.operator:
        lines.append((1, 4, f"<i>{esc(c.operator)}</i>"))
    reason = why_chosen(match, place, area_known=bool(area_center), lang=t)
    if reason:
        lines.append((2, 0, reason))
    notes = honesty_notes(match, place, main_need, labels, area_center, need_match, lang=t)
    lines.extend((3, 0, n) for n in notes)
    lines.extend((4, 0, n) for n in caution_lines(c, lang=t))
    if ranked and unlocated(match):
        word = t.division(place.country, place.admin1)
        lines.append((5, 0, t.UNLOCATED.format(division=word)))
    lines.extend((6, 0, line) for line in _contact_lines(c, now, t))
    for line in services_lines(c, labels, matched, lang=t):
        priority = 1 if any(f"✅ {esc(labels.get(s, s))}" in line for s in matched) else 3
        lines.append((7, priority, line))
    lines.append((8, 2, t.what_to_bring(c.country)))
    if c.confirmed_at is not None:
        lines.append((9, 0, t.freshness(c.confirmed_at, now)))
    else:
        lines.append((9, 0, data_note(c, today, lang=t)))
    if not (c.phone or c.email or c.website):
        contact = fallback_contact(agency, regional, today, lang=t)
        if contact:
            lines.append((10, 0, contact))
    ordered = [(order, n, priority, text) for n, (order, priority, text) in enumerate(lines)]
    shown = [line for line in ordered if line[2] == 0]
    room = None if max_lines is None else max_lines - sum(x.count("\n") + 1 for *_, x in shown)
    for extra in sorted((x for x in ordered if x[2] > 0), key=lambda x: x[2]):
        height = extra[3].count("\n") + 1
        if room is None or height <= room:
            shown.append(extra)
            room = None if room is None else room - height
    return "\n".join(text for *_, text in sorted(shown))


def center_details(
    center: Center,
    labels: Mapping[str, str],
    agency: Agency | None,
    regional: Agency | None,
    now: datetime,
    *,
    lang: Texts | None = None,
) -> str:
    """«Detalles»: the full sheet of a center, the same whoever asks (operator, every
    service, cautions, what to bring, sources, whom else to ask)."""
    t = lang or ES
    today = now.date()
    lines = [f"ℹ️ <b>{esc(center.name)}</b>"]
    if center.operator:
        lines.append(f"🏛️ {esc(center.operator)}")
    lines.extend(services_lines(center, labels, (), lang=t))
    lines.extend(caution_lines(center, lang=t))
    lines.append(t.what_to_bring(center.country))
    sources = sources_line(center, lang=t)
    if sources:
        lines.append(sources)
    lines.append(data_note(center, today, lang=t))
    if agency is not None:
        contact = agency_contact(agency, today, lang=t)
        lines.append(
            t.NATIONAL_AGENCY.format(name=esc(agency.name))
            + (f" — {contact}" if contact else t.NO_CONFIRMED_CONTACT)
        )
    if regional is not None:
        contact = agency_contact(regional, today, lang=t)
        lines.append(
            t.IN_THE_REGION.format(name=esc(regional.name)) + (f" — {contact}" if contact else "")
        )
    return "\n".join(lines)


def opening_lines(center: Center, now: datetime, *, lang: Texts | None = None) -> list[str]:
    """Hours, whether it is open now, and any temporary closure (in the center's time zone)."""
    from bot.domain import hours as hours_mod

    t = lang or ES
    weekly = None
    if center.hours_json:
        try:
            weekly = hours_mod.from_json(center.hours_json)
        except ValueError:
            weekly = None
    zone = center.timezone or hours_mod.timezone_for(center.country)
    status = hours_mod.status_at(now, weekly, center.closures, timezone=zone)
    lines = []
    state = t.format_status(status)
    if state:
        icon = (
            "⛔"
            if status.kind is hours_mod.StatusKind.CLOSURE
            else "🟢"
            if status.is_open
            else "🔴"
        )
        lines.append(f"{icon} {state}")
    if weekly is not None:
        lines.append("🕘 " + esc(t.format_hours(weekly)).replace("\n", "\n     "))
    elif center.hours:
        lines.append(f"🕘 {esc(center.hours)}")
    return lines


# The identity document a country's law establishes, named only where the card has a basis
# for it (the Honduran DNI and, for formalities, the RTN; El Salvador's DUI; the Dominican
# cédula); elsewhere the card says «documento de identidad».
DOCUMENTS: Mapping[str, str] = {
    "HN": "su DNI y, si lo tiene, su RTN",
    "SV": "su DUI",
    "DO": "su cédula",
}
ANY_DOCUMENT = "su documento de identidad"
WHAT_TO_BRING = "🎒 Lleve {document} datos básicos de su negocio (qué vende, ventas del mes)."


def what_to_bring(country: str) -> str:
    """General advice on what to take to a first visit (not a fact about one center)."""
    document = DOCUMENTS.get(country, ANY_DOCUMENT)
    joined = f"{document}, y" if "," in document else f"{document} y"
    return WHAT_TO_BRING.format(document=joined)


def venue_title(center: Center, *, lang: Texts | None = None) -> str:
    suffix = (lang or ES).APPROXIMATE if center.coord_precision != "exact" else ""
    return (center.name[: 100 - len(suffix)] + suffix).strip()


def venue_address(center: Center, *, lang: Texts | None = None) -> str:
    if center.address:
        return center.address[:200]
    t = lang or ES
    city = center.city or ""
    return t.CITY_CENTER.format(place=f"{city}, {t.country_name(center.country)}".lstrip(", "))

"""Answers to a question about the center just shown (its phone, hours, services…)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from bot.domain.models import Agency, Center, Match, Place
from bot.texts.agencies import agency_contact_lines, fallback_contact
from bot.texts.card import (
    _address_line,
    _contact_lines,
    _value_note,
    opening_lines,
    services_lines,
)
from bot.texts.common import esc, place_label
from bot.texts.languages import ES, Texts

FOLLOW_UP_NO_CENTER = (
    "Para {place} todavía no tenemos un centro registrado, así que no tengo ese dato."
)
FOLLOW_UP_ASK_AGENCY = "🏛️ Lo más cercano que conozco es <b>{name}</b>:"
FOLLOW_UP_NO_PHONE = "📞 No tenemos publicado un teléfono de este centro."
FOLLOW_UP_NO_EMAIL = "✉️ No tenemos publicado un correo de este centro."
FOLLOW_UP_NO_ADDRESS = "📍 No tenemos la dirección exacta de este centro."
FOLLOW_UP_NO_HOURS = "🕘 No tenemos publicado su horario: confirme antes de ir."
FOLLOW_UP_NO_SERVICES = "🧰 No tenemos publicados los servicios de este centro."
FOLLOW_UP_NO_OTHER = "🏢 No tenemos registrado otro centro para su búsqueda."
FOLLOW_UP_MAP = "🗺️ Abajo le dejo el punto en el mapa{approximate}."
FOLLOW_UP_ASK_CENTER = "Puede consultarlo al centro: {contact}"
FOLLOW_UP_REPORT = "Si conoce el dato correcto, toque «🚩 Reportar un dato incorrecto»."


def follow_up_lines(
    asked: Sequence[str],
    match: Match,
    labels: Mapping[str, str],
    agency: Agency | None,
    regional: Agency | None,
    now: datetime,
    *,
    lang: Texts | None = None,
) -> tuple[list[str], bool]:
    """The answer to questions about the center of the last card (bot.services.FollowUp
    values, in the order asked; none: its contacts), from its data. Where the data lacks the
    answer it says so and names the next step: the center's other contacts, else the agency
    or CENPROMYPE, and the report button. Also whether the answer invites a report."""
    t = lang or ES
    c = match.center
    today = now.date()
    lines = [f"🏢 <b>{esc(c.name)}</b>"]
    lacking = False
    for kind in asked or ("contacts",):
        if kind == "phone":
            if c.phone:
                lines.append(f"📞 {esc(c.phone)}{_value_note(c, 'phone', today, t)}")
            else:
                lines.append(t.FOLLOW_UP_NO_PHONE)
                lacking = True
        elif kind == "email":
            if c.email:
                lines.append(f"✉️ {esc(c.email)}{_value_note(c, 'email', today, t)}")
            else:
                lines.append(t.FOLLOW_UP_NO_EMAIL)
                lacking = True
        elif kind == "address":
            if not c.address:
                lines.append(t.FOLLOW_UP_NO_ADDRESS)
                lacking = True
            if c.address or c.city:
                lines.append(_address_line(c, today, t))
            if c.has_location:
                precise = c.coord_precision == "exact"
                lines.append(t.FOLLOW_UP_MAP.format(approximate="" if precise else t.APPROXIMATE))
        elif kind == "hours":
            opening = opening_lines(c, now, lang=t)
            if not (c.hours or c.hours_json):
                opening = [line for line in opening if not line.startswith("🕘")]
                opening.append(t.FOLLOW_UP_NO_HOURS)
                lacking = True
            lines.extend(opening)
        elif kind == "services":
            services = services_lines(c, labels, match.matched_needs, lang=t)
            lines.extend(services or [t.FOLLOW_UP_NO_SERVICES])
            lacking = lacking or not services
        elif kind == "documents":
            lines.append(t.what_to_bring(c.country))
        elif kind == "nearer":  # only when the ranking has no other center
            lines.append(t.FOLLOW_UP_NO_OTHER)
            step = fallback_contact(agency, regional, today, lang=t)
            lines.extend([step] if step else [])
        else:
            lines.extend(_contact_lines(c, now, t))
    if lacking:
        lines.extend(_next_step(c, agency, regional, today, t))
    return lines, lacking


def _next_step(
    c: Center, agency: Agency | None, regional: Agency | None, today: date, t: Texts
) -> list[str]:
    """Whom to ask for what the center's data lacks: the center's own contacts when it has
    any, else its agency or CENPROMYPE; then the report button."""
    own = [
        f"{icon} {esc(value)}"
        for icon, value in (("📞", c.phone), ("✉️", c.email), ("🌐", c.website))
        if value
    ]
    if own:
        step = t.FOLLOW_UP_ASK_CENTER.format(contact=" · ".join(own))
    else:
        step = fallback_contact(agency, regional, today, lang=t)
    return [line for line in (step, t.FOLLOW_UP_REPORT) if line]


def follow_up_no_center(
    place: Place, agency: Agency | None, today: date, *, lang: Texts | None = None
) -> str:
    """A question about «the center» when no center could be shown: said plainly, short,
    with the national agency's contact (the whole answer was just given)."""
    t = lang or ES
    lines = [t.FOLLOW_UP_NO_CENTER.format(place=place_label(place, lang=t))]
    if agency is not None:
        lines.append(t.FOLLOW_UP_ASK_AGENCY.format(name=esc(agency.name)))
        lines.extend(agency_contact_lines(agency, today, lang=t) or [t.NO_AGENCY_CONTACT])
    return "\n".join(lines)

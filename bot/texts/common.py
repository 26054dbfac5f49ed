"""Formatting helpers every area uses: `esc`, country names and divisions, place labels and
the labels of choice buttons."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.domain.gazetteer import COUNTRY_NAMES
from bot.domain.models import Place
from bot.texts.languages import ES, Texts


def esc(value: object) -> str:
    """Escape a value for Telegram's HTML parse mode."""
    return escape(str(value), quote=False)


# Country names in Spanish come with the gazetteer (the same names people type).
def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def place_label(place: Place, *, lang: Texts | None = None) -> str:
    """ "Danlí (El Paraíso)", with the country when it is not the usual one."""
    parts = [place.name] if place.name else []
    if place.admin_name and place.admin_name != place.name:
        parts.append(f"({place.admin_name})")
    return esc(" ".join(parts) or (lang or ES).YOUR_LOCATION)


def candidate_button(place: Place, *, lang: Texts | None = None) -> str:
    """Place · department · country, for a button (plain text, no HTML)."""
    parts = [place.name, place.admin_name, (lang or ES).country_name(place.country)]
    return " · ".join(p for p in parts if p)[:MAX_BUTTON_LABEL]


MAX_BUTTON_LABEL = 60  # what a phone shows of a button on one line, roughly
_COMPASS = ("norte", "noreste", "este", "sureste", "sur", "suroeste", "oeste", "noroeste")


def candidate_buttons(places: Sequence[Place], *, lang: Texts | None = None) -> list[str]:
    """The labels of a choice list, never two alike: places that read the same (place,
    department, country) are told apart by where each lies from the others («al norte»), and
    as a last resort by their number in the list."""
    t = lang or ES
    labels = [candidate_button(p, lang=t) for p in places]
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    for label, members in groups.items():
        if len(members) < 2:
            continue
        lat = sum(places[i].lat for i in members) / len(members)
        lon = sum(places[i].lon for i in members) / len(members)
        for i in members:
            side = t.COMPASS[_bearing(lat, lon, places[i].lat, places[i].lon)]
            suffix = f" ({t.TO_THE.format(side=side)})"
            labels[i] = label[: MAX_BUTTON_LABEL - len(suffix)] + suffix
    seen: set[str] = set()
    for i, label in enumerate(labels):
        if label in seen:
            suffix = f" ({i + 1})"
            labels[i] = label[: MAX_BUTTON_LABEL - len(suffix)] + suffix
        seen.add(labels[i])
    return labels


def department_buttons(places: Sequence[Place]) -> list[str]:
    """The labels of a page of a department list (the capitals stand for their departments):
    each department's name, with its capital's when two read alike."""
    names = [p.admin_name or p.name for p in places]
    return [
        (f"{name} ({p.name})" if names.count(name) > 1 else name)[:MAX_BUTTON_LABEL]
        for name, p in zip(names, places, strict=True)
    ]


def _bearing(lat: float, lon: float, to_lat: float, to_lon: float) -> int:
    """The compass point (0 north … 7 northwest) of a point seen from another."""
    import math

    angle = math.degrees(math.atan2(to_lon - lon, to_lat - lat)) % 360
    return round(angle / 45) % 8


def km(distance: float) -> str:
    return f"{distance:.0f}" if distance >= 10 else f"{distance:.1f}".replace(".", ",")


# --- Divisions, sources and cautions --------------------------------------------------------

# The word each country uses for its first-level divisions (GeoNames admin1), and the units
# that are named otherwise: Panamá's comarcas, Nicaragua's autonomous regions, Santo Domingo's
# Distrito Nacional. Belize's districts are «distritos» in Spanish.
DIVISIONS = {
    "HN": "departamento",
    "GT": "departamento",
    "SV": "departamento",
    "NI": "departamento",
    "CR": "provincia",
    "PA": "provincia",
    "DO": "provincia",
    "BZ": "distrito",
}
DIVISIONS_BY_KEY = {
    "NI.17": "región autónoma",
    "NI.18": "región autónoma",
    "PA.09": "comarca",
    "PA.11": "comarca",
    "PA.12": "comarca",
    "DO.34": "distrito",
}


def division(country: str, admin1: str = "") -> str:
    """«departamento», «provincia», «comarca», «región autónoma» or «distrito»."""
    return DIVISIONS_BY_KEY.get(admin1) or DIVISIONS.get(country, "departamento")


YOUR_LOCATION = "su ubicación"
TO_THE = "al {side}"
COMPASS: tuple[str, ...] = _COMPASS


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]

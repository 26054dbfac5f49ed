"""The search: its buttons, the questions about the place and the need, a place not found
or outside the region."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.models import Agency, Place
from bot.texts.agencies import agency_contact_lines
from bot.texts.common import country_name, division, esc, place_label

LOCATION_BUTTON = "📍 Compartir mi ubicación"
ANY_SERVICE_BUTTON = "🔎 Cualquier servicio"
MORE_BUTTON = "➕ Ver más centros"
CHANGE_NEED_BUTTON = "🔁 Cambiar servicio"
CHANGE_PLACE_BUTTON = "📍 Cambiar ubicación"
NONE_OF_THESE_BUTTON = "🤷 Ninguno de estos"
PREVIOUS_PAGE_BUTTON = "⬅️ Anteriores"
NEXT_PAGE_BUTTON = "Más ➡️"

SERVICE_MENU = "¿Qué necesita para su negocio? Elija una opción o escríbalo con sus palabras:"
ASK_LOCATION_ONLY = (
    "📍 ¿En qué municipio, departamento o provincia está? Escríbalo o toque "
    "<b>Compartir mi ubicación</b>."
)


def ambiguous(query: str) -> str:
    name = f"«{esc(query)}»" if query else "ese nombre"
    return f"🤔 Hay varios lugares llamados {name}. ¿Cuál es el suyo?"


def not_found(query: str) -> str:
    """A name the bot does not know, and no country to offer the departments of."""
    name = f"«{esc(query)}»" if query else "ese lugar"
    return (
        f"🔍 No conozco {name}: no está en mi lista de lugares. Escríbame el nombre de su "
        "departamento o provincia, o toque <b>📍 Compartir mi ubicación</b>."
    )


def not_found_in(query: str, country: str) -> str:
    """A name the bot does not know, in a country it knows: its departments follow."""
    name = f"«{esc(query)}»" if query else "ese lugar"
    return f"🔍 No conozco {name}: no está en mi lista de lugares de {esc(country_name(country))}."


# What to pick in each country's list of divisions (Panamá's comarcas, Nicaragua's
# autonomous regions and Santo Domingo's Distrito Nacional are in the lists too).
DIVISION_QUESTIONS = {
    "PA": "provincia o comarca",
    "NI": "departamento o región autónoma",
    "DO": "provincia",
}


def departments_question(country: str, first: int, last: int, total: int) -> str:
    """The ask above a page of a country's departments (`first`, `last`: 1-based)."""
    word = DIVISION_QUESTIONS.get(country) or division(country)
    where = esc(country_name(country))
    return (
        f"🗺️ ¿En qué {word} de {where} está? Elija el suyo ({first}–{last} de {total}); "
        "le indico el centro que lo atiende. También puede escribirme el nombre de su "
        "municipio."
    )


PICK_LOCATION = (
    "Entendido. 📍 Toque <b>Compartir mi ubicación</b> o escríbame el nombre de su "
    "departamento o provincia (y, si quiere, el de su municipio)."
)

# The eight countries, as a sentence says them.
REGION_COUNTRIES = (
    "Belice, Costa Rica, El Salvador, Guatemala, Honduras, Nicaragua, Panamá y "
    "República Dominicana"
)


def outside_region(query: str, regional: Agency | None, today: date) -> str:
    """A place or point outside the eight countries: what the bot covers, kindly, and the
    regional contact (CENPROMYPE)."""
    where = f"«{esc(query)}» queda" if query else "Ese lugar queda"
    lines = [
        "🌎 Ruta MIPYME orienta a quienes tienen o quieren iniciar un negocio en Centroamérica "
        f"y República Dominicana: {REGION_COUNTRIES}. {where} fuera de esos países, así que "
        "no tengo un centro que le corresponda."
    ]
    if regional is not None:
        lines.append(
            "Puede consultar al organismo regional de apoyo a la MIPYME, "
            f"<b>{esc(regional.name)}</b>:"
        )
        lines.extend(agency_contact_lines(regional, today))
    lines.append(
        "Si su negocio está en uno de esos países, dígame en qué municipio o departamento, "
        "o comparta su ubicación. 🙏"
    )
    return "\n".join(lines)


def ask_location(need_labels: list[str]) -> str:
    what = f" con <b>{esc(need_labels[0])}</b>" if need_labels else ""
    return f"👍 Con gusto le ayudo{what}. {ASK_LOCATION_ONLY}"


def ask_need(place: Place) -> str:
    return f"📍 Entendido: {place_label(place)}.\n{SERVICE_MENU}"


def understood_need(label: str) -> str:
    return f"🔎 Entendí que busca <b>{esc(label)}</b>. Si era otra cosa, tóquela abajo."


OTHER_NEED_QUESTION = "¿O buscaba otra de estas cosas? Tóquela:"


def unclear_need(answer: str) -> str:
    return (
        f"No reconocí «{esc(answer[:60])}» como un servicio. "
        "Elija el que más se parezca, o cuénteme con otras palabras qué necesita su negocio:"
    )


# Service labels come from the database in Spanish (data/services.csv): nothing to replace.
NEED_LABELS: Mapping[str, str] = {}

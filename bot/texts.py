"""Every Spanish string a user sees, and small render helpers.

All values that come from the database or from the user go through `esc` (HTML parse mode).
The register is "usted", as Honduran public services and advisors use.

The entrepreneur's path is also written in English, for Belize (`bot.texts_en`): the members
of `Texts` exist, with the same names, in both modules, and the render helpers here take the
language's module as `lang` (Spanish when None). `for_language` picks the module. Staff tools
and commands other than /start and /help stay in Spanish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from html import escape
from typing import Protocol
from urllib.parse import urlsplit

from bot import texts as _spanish  # this very module, as the Spanish `Texts`
from bot import texts_en as _english
from bot.domain.gazetteer import COUNTRY_NAMES
from bot.domain.hours import (
    DAY_MINUTES,
    MAX_RANGES_PER_DAY,
    HoursError,
    HoursErrorCode,
    OpeningStatus,
    StatusKind,
    TimeRange,
    WeeklyHours,
)
from bot.domain.listings import (
    MAX_EMAIL,
    MAX_PHONE_INPUT,
    MAX_TEXT,
    MAX_URL,
    PHONE_PLANS,
    ListingError,
    ListingErrorCode,
    ListingField,
)
from bot.domain.models import Agency, Center, Confidence, Fact, Match, Place

FAR_KM = 150.0
STALE_YEARS = 2


class Texts(Protocol):
    """The entrepreneur's path in one language. This module (Spanish) and bot.texts_en
    (English) each provide every member; mypy checks it where `ES` and `EN` are bound."""

    # buttons
    LOCATION_BUTTON: str
    ANY_SERVICE_BUTTON: str
    MORE_BUTTON: str
    CHANGE_NEED_BUTTON: str
    CHANGE_PLACE_BUTTON: str
    DETAILS_BUTTON: str
    REPORT_BUTTON: str
    NONE_OF_THESE_BUTTON: str
    PREVIOUS_PAGE_BUTTON: str
    NEXT_PAGE_BUTTON: str
    # messages
    WELCOME: str
    SERVICE_MENU: str
    HELP: str
    ASK_LOCATION_ONLY: str
    THANKS: str
    BYE: str
    GREETING: str
    JOB: str
    UNCLEAR: str
    SHORT_LINK: str
    STALE_BUTTON: str
    NO_MORE: str
    PICK_LOCATION: str
    REPORT_PICK: str
    REPORT_CANCEL_BUTTON: str
    OTHER_NEED_QUESTION: str
    QUESTION_DROPPED: str
    NOTHING_TO_CANCEL: str
    REPORT_CANCELLED: str
    REPORT_THANKS: str
    REPORT_TOO_MANY: str
    REPORT_FIELD_LABELS: Mapping[str, str]
    NEED_LABELS: Mapping[str, str]  # service labels by slug ({}: the database's, Spanish)
    # the card and its lines
    SOURCE_KINDS: Mapping[str, str]
    UNOFFICIAL: str
    UNDATED: str
    FACT_YEAR: str
    FACT_YEAR_OLD: str
    FACT_LABELS: Mapping[str, str]
    CAUTIONS: Mapping[str, str]
    UNLOCATED: str
    UNLOCATED_SHORT: str
    NO_ADDRESS: str
    CITY_ONLY: str
    YOUR_LOCATION: str
    TO_THE: str
    COMPASS: tuple[str, ...]
    SERVES_SOURCED: str
    SERVES_INFERRED: str
    UNDER_1_KM: str
    ABOUT_KM: str
    DISTANCE: str
    NO_AREA_CENTER: str
    ABROAD: str
    NEED_ELSEWHERE: str
    NEED_ELSEWHERE_UNPLACED: str
    NEED_NOWHERE: str
    AREA_CENTER_LACKS: str
    FAR: str
    SERVICES_SOURCED: str
    SERVICES_ASSUMED: str
    DATA_FROM: str
    DATA_PUBLIC: str
    DATA_YEAR: str
    DATA_UNDATED: str
    DATA_NOTE: str
    DATA_NOTE_CONFIRM: str
    CONTACT_VIA: str
    NO_CONTACT_CENPROMYPE: str
    NO_CONTACT_ASK: str
    NO_CONTACT_REGION: str
    NATIONAL_AGENCY: str
    NO_CONFIRMED_CONTACT: str
    IN_THE_REGION: str
    SOURCES: str
    CENTER_LINE_KM: str
    CENTER_LINE_SERVES: str
    CENTER_LINE_SERVES_INFERRED: str
    CENTER_LINE_ASSUMED: str
    NO_CENTER: str
    FOLLOW_UP_NO_CENTER: str
    FOLLOW_UP_ASK_AGENCY: str
    NATIONAL_AGENCY_OF: str
    NO_AGENCY_CONTACT: str
    REGIONAL_AGENCY: str
    SUPPORT_POINTS: str
    SUPPORT_SOURCE_YEAR: str
    SUPPORT_SOURCE_UNDATED: str
    SUPPORT_POINT: str
    APPROXIMATE: str
    CITY_CENTER: str
    # answers to a question about the center just shown
    FOLLOW_UP_NO_PHONE: str
    FOLLOW_UP_NO_EMAIL: str
    FOLLOW_UP_NO_ADDRESS: str
    FOLLOW_UP_NO_HOURS: str
    FOLLOW_UP_NO_SERVICES: str
    FOLLOW_UP_NO_OTHER: str
    FOLLOW_UP_MAP: str
    FOLLOW_UP_ASK_CENTER: str
    FOLLOW_UP_REPORT: str

    # what depends on the language's grammar
    def country_name(self, code: str) -> str: ...
    def division(self, country: str, admin1: str = "") -> str: ...
    def km(self, distance: float) -> str: ...
    def month_year(self, value: str) -> str: ...
    def format_status(self, status: OpeningStatus, today: date | None = None) -> str: ...
    def format_hours(self, hours: WeeklyHours) -> str: ...
    def freshness(self, confirmed_at: datetime | None, now: datetime) -> str: ...
    def what_to_bring(self, country: str) -> str: ...
    def ambiguous(self, query: str) -> str: ...
    def not_found(self, query: str) -> str: ...
    def not_found_in(self, query: str, country: str) -> str: ...
    def departments_question(self, country: str, first: int, last: int, total: int) -> str: ...
    def outside_region(self, query: str, regional: Agency | None, today: date) -> str: ...
    def ask_location(self, need_labels: list[str]) -> str: ...
    def ask_need(self, place: Place) -> str: ...
    def unclear_need(self, answer: str) -> str: ...
    def understood_need(self, label: str) -> str: ...
    def more_centers(self, lines: list[str], shown_from: int) -> str: ...


# Country names in Spanish come with the gazetteer (the same names people type).

LOCATION_BUTTON = "📍 Compartir mi ubicación"
ANY_SERVICE_BUTTON = "🔎 Cualquier servicio"
MORE_BUTTON = "➕ Ver más centros"
CHANGE_NEED_BUTTON = "🔁 Cambiar servicio"
CHANGE_PLACE_BUTTON = "📍 Cambiar ubicación"
NONE_OF_THESE_BUTTON = "🤷 Ninguno de estos"
PREVIOUS_PAGE_BUTTON = "⬅️ Anteriores"
NEXT_PAGE_BUTTON = "Más ➡️"

COMMANDS = (
    ("start", "Empezar"),
    ("ayuda", "Cómo usar el bot"),
    ("centros", "Ver los centros de atención"),
    ("servicios", "Elegir el servicio que necesita"),
    ("ubicacion", "Compartir su ubicación"),
    ("privacidad", "Qué datos guardamos"),
    ("olvidar", "Borrar sus datos"),
    ("mi_centro", "Personal de centros: revisar y editar su centro"),
)

WELCOME = (
    "👋 ¡Bienvenido a <b>Ruta MIPYME</b>!\n"
    "Le ayudo a encontrar el centro de atención a la MIPYME más cercano que ofrece lo que su "
    "negocio necesita: asesoría, capacitación, préstamos, trámites, ventas y más. "
    "La atención de los centros es gratuita o de bajo costo.\n\n"
    "Escríbame con sus palabras, por ejemplo: <i>«soy de Danlí y ocupo un préstamo»</i>, "
    "o toque <b>📍 Compartir mi ubicación</b>."
)
SERVICE_MENU = "¿Qué necesita para su negocio? Elija una opción o escríbalo con sus palabras:"
HELP = (
    "ℹ️ <b>Cómo usar Ruta MIPYME</b>\n"
    "• Dígame dónde está (municipio, aldea, departamento o provincia) o comparta su "
    "ubicación.\n"
    "• Dígame qué necesita: un préstamo, formalizar su negocio, registrar su marca, vender "
    "más…\n"
    "• Le respondo con el centro que le corresponde, su contacto y cómo llegar.\n\n"
    "Comandos: /servicios para elegir un servicio, /ubicacion para compartir su ubicación, "
    "/centros para ver los centros, /privacidad y /olvidar para sus datos."
)
ASK_LOCATION_ONLY = (
    "📍 ¿En qué municipio, departamento o provincia está? Escríbalo o toque "
    "<b>Compartir mi ubicación</b>."
)
PRIVACY = (
    "🔒 <b>Sus datos</b>\n"
    "Guardamos solo lo necesario para responderle: el lugar que nos indicó (si comparte su "
    "ubicación, redondeada a unos 100 metros), el servicio que busca y el idioma en que nos "
    "escribe, durante {minutes} minutos, para no preguntarle dos veces; y, por dos días, "
    "los números de sus mensajes (no su texto), para no responder dos veces ni recibir "
    "abusos. "
    "Cada mensaje que nos llega se guarda tal como llegó (texto, nombre, ubicación) solo "
    "hasta que lo respondemos, normalmente unos segundos, para no perderlo si el servicio "
    "se reinicia; luego se borra. "
    "No guardamos su nombre, su número ni sus mensajes después de responder. Con /olvidar "
    "borramos todo, también lo que aún no hayamos respondido de antes."
)
FORGOTTEN = "🗑️ Listo: borramos todo lo que teníamos guardado sobre usted."
NOTHING_TO_FORGET = "No teníamos nada guardado sobre usted. 👍"
THANKS = "¡Con mucho gusto! 😊 Si necesita algo más para su negocio, aquí estoy."
BYE = "¡Hasta pronto! 👋 Mucho éxito con su negocio. Escríbame cuando me necesite."
GREETING = (
    "¡Hola! 👋 Cuénteme dónde está y qué necesita para su negocio, "
    "por ejemplo: <i>«estoy en Choluteca y quiero registrar mi negocio»</i>."
)
JOB = (
    "Los centros de atención MIPYME apoyan a personas que tienen o quieren iniciar un negocio; "
    "no ofrecen empleos. Si quiere emprender, cuénteme su idea y dónde está, y le indico dónde "
    "le pueden orientar."
)
UNCLEAR = (
    "Disculpe, no le entendí bien. 🙏 Cuénteme dónde está y qué necesita para su negocio, "
    "o toque /servicios para ver las opciones."
)
MEDIA = (
    "Por ahora solo entiendo mensajes de texto y ubicaciones. 🙏 Escríbame dónde está y qué "
    "necesita, o comparta su ubicación con el botón 📍."
)
SHORT_LINK = (
    "No puedo abrir enlaces cortos de mapas. 🙏 Toque <b>📍 Compartir mi ubicación</b> "
    "o escríbame el nombre de su municipio."
)
STALE_BUTTON = "Ese botón ya no está vigente. Escríbame de nuevo dónde está y qué necesita. 🙏"
UNKNOWN_COMMAND = "No conozco ese comando. " + HELP
ERROR = "😔 Disculpe, tuve un problema al responderle. Por favor, intente de nuevo en un momento."
FLOOD = (
    "🙏 Está enviando muchos mensajes seguidos. Espere un minuto y escríbame de nuevo, "
    "con gusto le respondo."
)
NO_MORE = "No hay más centros para mostrarle en esta búsqueda."
DEMO_INTRO = (
    "Ruta MIPYME — demostración en la terminal (sin Telegram, sin internet).\n"
    "Escriba como lo haría en Telegram. «/ubicacion 14.07 -87.19» comparte una ubicación;\n"
    "un número pulsa el botón con ese número; /start para empezar; Ctrl+D para salir.\n"
)
DEMO_BYE = "\n¡Hasta pronto!\n"
DEMO_LOCATION_HINT = f"   [{LOCATION_BUTTON}: escriba /ubicacion LATITUD LONGITUD]"
CENTERS_TITLE = "🏢 <b>Centros de atención MIPYME en {country}</b>"
CENTERS_EMPTY = "Aún no tenemos centros registrados en {country}."
CENTERS_FOOTER = "Dígame dónde está y qué necesita, y le indico cuál le corresponde."


def esc(value: object) -> str:
    """Escape a value for Telegram's HTML parse mode."""
    return escape(str(value), quote=False)


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
UNLOCATED = (
    "📌 Ubicación no confirmada: no sabemos a qué distancia queda de usted, y no consta que "
    "atienda su {division}."
)
UNLOCATED_SHORT = "ubicación no confirmada"
NO_ADDRESS = "📍 Dirección no confirmada."
CITY_ONLY = "📍 {city} (dirección exacta no disponible){note}"
MAX_CARD_LINES = 10  # beyond this, details wait behind «Detalles» (a small phone's screen)
DETAILS_BUTTON = "ℹ️ Detalles"
YOUR_LOCATION = "su ubicación"
TO_THE = "al {side}"
COMPASS: tuple[str, ...] = _COMPASS

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
CONTACT_VIA = "☎️ Para contactarlos, consulte a {agency}: {contact}"
NO_CONTACT_CENPROMYPE = "☎️ Sin contacto publicado: consulte a CENPROMYPE: {website}."
NO_CONTACT_ASK = "☎️ Sin contacto publicado: pregunte a {agency}"
NO_CONTACT_REGION = " o, en la región, a CENPROMYPE: {website}"
NATIONAL_AGENCY = "🏛️ Institución nacional: {name}"
NO_CONFIRMED_CONTACT = " (sin contacto confirmado)"
IN_THE_REGION = "🌎 En la región: {name}"
SOURCES = "📚 Fuentes: "
CENTER_LINE_KM = "a {km} km"
CENTER_LINE_SERVES = "atiende su {division}"
CENTER_LINE_SERVES_INFERRED = "probablemente atiende su {division}"
CENTER_LINE_ASSUMED = " (habitual en la red, sin confirmar)"
NO_CENTER = "😔 Aún no tenemos registrado un centro de atención MIPYME que atienda {place}."
FOLLOW_UP_NO_CENTER = (
    "Para {place} todavía no tenemos un centro registrado, así que no tengo ese dato."
)
FOLLOW_UP_ASK_AGENCY = "🏛️ Lo más cercano que conozco es <b>{name}</b>:"
NATIONAL_AGENCY_OF = "🏛️ Institución nacional de apoyo a la MIPYME en {country}:"
NO_AGENCY_CONTACT = "No tenemos un contacto confirmado (teléfono, correo o web)."
REGIONAL_AGENCY = "🌎 En la región (SICA): <b>{name}</b>"
SUPPORT_POINTS = (
    "📌 Otros puntos de apoyo en su {division}, no confirmados como centros de la red:"
)
SUPPORT_SOURCE_YEAR = "fuente de {year}"
SUPPORT_SOURCE_UNDATED = "fuente sin fecha"
SUPPORT_POINT = "• {name}{where} ({when}: confirme antes de ir)"
APPROXIMATE = " (ubicación aproximada)"
CITY_CENTER = "{place} — centro de la ciudad, no la oficina"
FOLLOW_UP_NO_PHONE = "📞 No tenemos publicado un teléfono de este centro."
FOLLOW_UP_NO_EMAIL = "✉️ No tenemos publicado un correo de este centro."
FOLLOW_UP_NO_ADDRESS = "📍 No tenemos la dirección exacta de este centro."
FOLLOW_UP_NO_HOURS = "🕘 No tenemos publicado su horario: confirme antes de ir."
FOLLOW_UP_NO_SERVICES = "🧰 No tenemos publicados los servicios de este centro."
FOLLOW_UP_NO_OTHER = "🏢 No tenemos registrado otro centro para su búsqueda."
FOLLOW_UP_MAP = "🗺️ Abajo le dejo el punto en el mapa{approximate}."
FOLLOW_UP_ASK_CENTER = "Puede consultarlo al centro: {contact}"
FOLLOW_UP_REPORT = "Si conoce el dato correcto, toque «🚩 Reportar un dato incorrecto»."
# Service labels come from the database in Spanish (data/services.csv): nothing to replace.
NEED_LABELS: Mapping[str, str] = {}


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


def venue_title(center: Center, *, lang: Texts | None = None) -> str:
    suffix = (lang or ES).APPROXIMATE if center.coord_precision != "exact" else ""
    return (center.name[: 100 - len(suffix)] + suffix).strip()


def venue_address(center: Center, *, lang: Texts | None = None) -> str:
    if center.address:
        return center.address[:200]
    t = lang or ES
    city = center.city or ""
    return t.CITY_CENTER.format(place=f"{city}, {t.country_name(center.country)}".lstrip(", "))


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


# --- Center staff ---------------------------------------------------------------------------

STAFF_FIELD_LABELS = {
    "phone": "📞 Teléfono",
    "email": "✉️ Correo",
    "address": "📍 Dirección",
    "city": "🏙️ Ciudad",
    "location": "📌 Ubicación en el mapa",
    "hours": "🕘 Horario",
    "website": "🌐 Sitio web",
    "service_area": "🗺️ Departamentos que atiende",
    "services": "🧰 Servicios",
    "closure": "⛔ Cierre temporal",
}
STAFF_ASK = {
    "phone": "Escriba el nuevo teléfono del centro (un solo número), por ejemplo: 2763-0000.",
    "email": "Escriba el correo del centro, por ejemplo: cde@ejemplo.org.",
    "address": "Escriba la dirección del centro como la daría a un visitante.",
    "city": "Escriba la ciudad o municipio donde está la oficina.",
    "location": (
        "Comparta la ubicación exacta del centro: toque 📎 y luego «Ubicación», "
        "o el botón de abajo si está en el centro ahora."
    ),
    "hours": (
        "Escriba el horario de atención, por ejemplo: «lunes a viernes 8:00-12:00 y 13:00-17:00; "
        "sábado 8:00-12:00»."
    ),
    "website": "Escriba la dirección del sitio web o página del centro, por ejemplo: https://ejemplo.org.",
    "closure_until": (
        "¿Hasta qué día estará cerrado el centro? Escriba la fecha así: 24/12/2026 (cerrado "
        "desde hoy), o un período para un feriado: 24/12/2026 al 26/12/2026."
    ),
    "closure_message": (
        "Escriba un mensaje corto para quienes lo busquen (por ejemplo, «Cerrado por "
        "inventario»), o «-» para ninguno."
    ),
}
STAFF_CANCEL_HINT = "\n\nPuede escribir /cancelar en cualquier momento."
STAFF_NOT_STAFF = (
    "Esta opción es para el personal de los centros. Si trabaja en uno, pida un código de "
    "invitación a la coordinación de la red y envíelo así: /equipo CÓDIGO."
)
STAFF_REFUSED = "No es posible hacer eso. 🙏"
STAFF_PICK_CENTER = "¿Qué centro desea revisar?"
STAFF_EDIT_MENU = "¿Qué dato desea cambiar?"
STAFF_SAVE_BUTTON = "💾 Guardar"
STAFF_CANCEL_BUTTON = "✖️ Cancelar"
STAFF_DONE_BUTTON = "✅ Listo"
STAFF_EDIT_BUTTON = "✏️ Editar"
STAFF_CONFIRM_BUTTON = "✅ Mis datos están al día"
STAFF_HISTORY_BUTTON = "🧾 Historial"
STAFF_POSTER_BUTTON = "🔳 Cartel con código QR"
STAFF_REOPEN_BUTTON = "🔓 Reabrir ya"
STAFF_CLOSE_FOREVER_BUTTON = "🚫 Cerrar el centro definitivamente"
STAFF_CLOSE_FOREVER_CONFIRM = (
    "¿Seguro que desea cerrar este centro definitivamente? Ya no se propondrá a nadie."
)
STAFF_CLOSED_FOREVER = "Centro cerrado definitivamente. Ya no se propone a los emprendedores."
STAFF_CANCELLED = "Cambio cancelado. No se modificó nada."
QUESTION_DROPPED = (
    "Listo, lo dejamos ahí. Cuando quiera, escríbame dónde está y qué necesita su negocio."
)
NOTHING_TO_CANCEL = "No hay nada pendiente. Escríbame dónde está y qué necesita su negocio."
STAFF_NOTHING_TO_CANCEL = "No hay ningún cambio en curso."
STAFF_EXPIRED = "Ese cambio ya expiró. Empiece de nuevo con /mi_centro."
STAFF_CONFIRMED = "✅ ¡Gracias! Marcamos los datos de su centro como confirmados hoy."
STAFF_REOPENED = "🔓 Listo: el centro aparece de nuevo como abierto."
STAFF_NOT_CLOSED = "El centro no tiene un cierre vigente hoy; no cambió nada."
STAFF_NEED_LOCATION = "Para este dato necesito que comparta una ubicación (📎 → Ubicación)."
STAFF_BAD_DATE = (
    "No entendí la fecha. Escríbala así: 24/12/2026 (día/mes/año), o un período: "
    "24/12/2026 al 26/12/2026. Las fechas deben ser de hoy en adelante."
)
STAFF_PICK_TOGGLES = "Toque para marcar o desmarcar, y luego «Listo»:"
STAFF_EMPTY_SELECTION = "Marque al menos una opción antes de «Listo»."
STAFF_INVITE_USAGE = "Envíe el código así: /equipo CÓDIGO"
STAFF_INVITE_PROBLEMS = {
    "wrong": "Ese código no es válido. Revise que esté bien escrito.",
    "expired": "Ese código ya venció. Pida uno nuevo a la coordinación de la red.",
    "used": "Ese código ya fue usado. Pida uno nuevo a la coordinación de la red.",
    "too_many": "Demasiados intentos. Espere una hora e inténtelo de nuevo.",
}
STAFF_HISTORY_EMPTY = "Todavía no hay cambios registrados para este centro."
STAFF_REVERT_BUTTON = "↩️ Revertir #{id}"
STAFF_REVERTED = "↩️ Cambio revertido."
STAFF_CONFLICT = (
    "⚠️ Otra persona del equipo cambió este dato mientras usted editaba. Valor actual: "
    "<b>{current}</b>. Si aún desea cambiarlo, empiece de nuevo desde /mi_centro."
)
ADMIN_INVITE_USAGE = "Uso: /invitar ID_DEL_CENTRO (vea los ID con /centros_id)"
ADMIN_UNKNOWN_CENTER = "No encontré un centro con ese ID."
ADMIN_NEW_CENTER_USAGE = "Uso: /nuevo_centro HN.08 Nombre del centro (departamento y nombre)"
ADMIN_NO_STAFF = "No hay personal registrado."
ADMIN_REVOKE_BUTTON = "Quitar {user} de {center}"
ADMIN_REVOKED = "Listo: se quitó el acceso."
ADMIN_INVITE_REVOKE_BUTTON = "🗑️ Anular este código"
ADMIN_OPEN_INVITE_BUTTON = "🗑️ Anular #{id} · {center} · vence {expires:%d/%m}"
ADMIN_OPEN_INVITES = "Códigos de invitación sin usar (toque uno para anularlo):"
ADMIN_INVITE_REVOKED = "🗑️ Código anulado: ya no sirve para unirse al equipo."
ADMIN_INVITE_NOT_OPEN = "Ese código ya fue usado, venció o fue anulado; no cambió nada."
STAFF_PRIVATE_ONLY = (
    "🔒 Las opciones del personal de los centros funcionan solo en el chat privado conmigo: "
    "t.me/{bot}"
)
STAFF_CODE_IN_GROUP = (
    "🔒 Envíe su código solo en el chat privado conmigo (t.me/{bot}), nunca en un grupo. "
    "Como este ya se vio aquí, pida uno nuevo a la coordinación de la red."
)
REPORT_BUTTON = "🚩 Reportar un dato incorrecto"
REPORT_PICK = "¿Qué dato de este centro está mal? Se lo haremos saber al centro."
REPORT_CANCEL_BUTTON = "✖️ Cancelar"
REPORT_CANCELLED = "De acuerdo, no enviamos ningún reporte. Puede seguir preguntando cuando guste."
REPORT_THANKS = "🙏 ¡Gracias! Avisamos al centro para que lo revise."
REPORT_TOO_MANY = "Ya recibimos varios reportes suyos hoy. ¡Gracias por su ayuda!"
REPORT_FIELDS = ("phone", "email", "address", "hours", "location", "services", "closure")
REPORT_FIELD_LABELS: Mapping[str, str] = STAFF_FIELD_LABELS
POSTER_HEADLINE = "¿Tiene un negocio?\nLe orientamos gratis"
POSTER_INSTRUCTIONS = "Escanee con la cámara de su teléfono para abrir Ruta MIPYME en Telegram"
POSTER_CAPTION = "Imprima este cartel y colóquelo en la puerta del centro. 🖨️"
REMINDER = (
    "👋 Hola. Es hora de revisar los datos de <b>{center}</b> en Ruta MIPYME. ¿Siguen correctos?"
)
REPORT_NOTICE = (
    "🚩 Un emprendedor reportó que el dato «{field}» de <b>{center}</b> podría estar "
    "incorrecto ({count} reporte(s)). Revíselo con /mi_centro."
)


def staff_deep_link(link: str) -> str:
    return f"🔗 Enlace directo a su centro (compártalo): {esc(link)}"


def staff_preview(field: str, old: str, new: str) -> str:
    label = STAFF_FIELD_LABELS.get(field, field)
    before = esc(old) if old else "<i>(vacío)</i>"
    return f"{label}\nAntes: {before}\nAhora: <b>{esc(new)}</b>\n\n¿Guardamos el cambio?"


def staff_saved(field: str) -> str:
    return (
        f"✅ Guardado: {STAFF_FIELD_LABELS.get(field, field)}. Los emprendedores ya ven el cambio."
    )


def staff_linked(center: str) -> str:
    return (
        f"🤝 ¡Bienvenido al equipo de <b>{esc(center)}</b>! Revise y actualice los datos del "
        "centro con /mi_centro."
    )


def staff_invite(center: str, code: str, days: int) -> str:
    return (
        f"Código de invitación para <b>{esc(center)}</b> (un solo uso, vence en {days} días):\n"
        f"<code>{esc(code)}</code>\nLa persona debe enviarle al bot: /equipo {esc(code)}"
    )


def freshness(confirmed_at: datetime | None, now: datetime) -> str:
    if confirmed_at is None:
        return "🗓️ El centro aún no ha confirmado estos datos."
    days = (now - confirmed_at).days
    when = "hoy" if days <= 0 else "ayer" if days == 1 else f"hace {days} días"
    return f"🗓️ Datos confirmados por el centro {when}."


def history_line(change_id: int, at: datetime, field: str, old: str, new: str) -> str:
    label = STAFF_FIELD_LABELS.get(field, field)
    old_s = esc(old[:60]) if old else "—"
    new_s = esc(new[:60]) if new else "—"
    return f"#{change_id} · {at:%d/%m/%Y %H:%M} · {label}: {old_s} → {new_s}"


def center_ids(centers: list[Center]) -> str:
    return "\n".join(f"<code>{esc(c.id)}</code> — {esc(c.name)}" for c in centers)


# --- Staff: listing fields, hours and opening status ----------------------------------------

WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
EN_DASH = "\u2013"
_FOLDED_DAYS = {"miercoles": "miércoles", "sabado": "sábado"}

# -- examples ----------------------------------------------------------------------------------

HOURS_EXAMPLE = "lunes a viernes 8:00 a 12:00 y 13:00 a 17:00; sábado 8:00 a 12:00"
EMAIL_EXAMPLE = "centro@ejemplo.org"
WEBSITE_EXAMPLE = "www.ejemplo.org"
ADDRESS_EXAMPLE = "Barrio El Centro, 2 cuadras al sur del parque central"
PHONE_EXAMPLES = {
    "HN": "2763-0000",
    "SV": "2661-0000",
    "GT": "2234-0000",
    "NI": "2255-0000",
    "CR": "2222-0000",
    "PA": "223-0000 o 6123-0000",
    "BZ": "822-0000",
    "DO": "809-247-0000",
}
CITY_EXAMPLES = {
    "HN": "Danlí",
    "SV": "San Miguel",
    "GT": "Quetzaltenango",
    "NI": "León",
    "CR": "Cartago",
    "PA": "David",
    "BZ": "Belmopan",
    "DO": "Santiago de los Caballeros",
}
PHONE_RULES = {
    "HN": "tienen 8 dígitos: los fijos empiezan con 2 y los celulares con 3, 8 o 9",
    "SV": "tienen 8 dígitos: los fijos empiezan con 2 y los celulares con 6 o 7",
    "GT": "tienen 8 dígitos",
    "NI": "tienen 8 dígitos",
    "CR": "tienen 8 dígitos",
    "PA": "tienen 7 dígitos los fijos y 8 los celulares, que empiezan con 6",
    "BZ": "tienen 7 dígitos",
    "DO": "tienen 10 dígitos y empiezan con el código de área 809, 829 u 849",
}

# -- fields ------------------------------------------------------------------------------------

FIELD_NAMES = {  # with their article, for sentences
    ListingField.PHONE: "el teléfono",
    ListingField.EMAIL: "el correo electrónico",
    ListingField.ADDRESS: "la dirección",
    ListingField.CITY: "la ciudad",
    ListingField.WEBSITE: "el sitio web",
    ListingField.HOURS: "el horario",
    ListingField.LOCATION: "la ubicación en el mapa",
    ListingField.SERVICE_AREA: "la zona que atiende",
    ListingField.SERVICES: "los servicios",
    ListingField.CLOSURE: "el cierre temporal",
}
FIELD_BUTTONS = {
    ListingField.PHONE: "📞 Teléfono",
    ListingField.EMAIL: "✉️ Correo",
    ListingField.ADDRESS: "📍 Dirección",
    ListingField.CITY: "🏙️ Ciudad",
    ListingField.WEBSITE: "🌐 Sitio web",
    ListingField.HOURS: "🕘 Horario",
    ListingField.LOCATION: "🗺️ Ubicación",
    ListingField.SERVICE_AREA: "🧭 Zona que atiende",
    ListingField.SERVICES: "🧰 Servicios",
    ListingField.CLOSURE: "🚧 Cierre temporal",
}
_MAX_LENGTHS = {
    ListingField.PHONE: MAX_PHONE_INPUT,
    ListingField.EMAIL: MAX_EMAIL,
    ListingField.WEBSITE: MAX_URL,
    ListingField.ADDRESS: MAX_TEXT["address"],
    ListingField.CITY: MAX_TEXT["city"],
    ListingField.CLOSURE: MAX_TEXT["closure"],
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def field_example(field: ListingField, country: str) -> str:
    """A valid sample value for a field (plain text, already safe)."""
    examples = {
        ListingField.PHONE: PHONE_EXAMPLES.get(country, PHONE_EXAMPLES["HN"]),
        ListingField.EMAIL: EMAIL_EXAMPLE,
        ListingField.WEBSITE: WEBSITE_EXAMPLE,
        ListingField.ADDRESS: ADDRESS_EXAMPLE,
        ListingField.CITY: CITY_EXAMPLES.get(country, CITY_EXAMPLES["HN"]),
        ListingField.HOURS: HOURS_EXAMPLE,
    }
    return examples.get(field, "")


def ask_value(field: ListingField, country: str) -> str:
    """Ask staff for the new value of a field."""
    example = field_example(field, country)
    hint = f", por ejemplo: <i>{esc(example)}</i>" if example else ""
    text = f"✏️ Escriba {FIELD_NAMES[field]} del centro{hint}."
    if field is ListingField.HOURS:
        text += (
            "\nPuede usar a. m. y p. m. o el formato de 24 horas. "
            "Los feriados y cierres temporales se registran aparte."
        )
    return text


def field_saved(field: ListingField) -> str:
    return f"✅ Listo: guardamos {FIELD_NAMES[field]}. ¡Gracias por mantener los datos al día!"


def hours_understood(hours: WeeklyHours) -> str:
    """Show the parsed hours back before saving them."""
    return f"🕘 Entendí este horario:\n{format_hours(hours)}\n\n¿Es correcto?"


# -- error messages ----------------------------------------------------------------------------

HOURS_ERRORS: dict[HoursErrorCode, str] = {
    HoursErrorCode.EMPTY: "Escriba el horario de atención del centro.",
    HoursErrorCode.TOO_LONG: "El horario es muy largo. Escríbalo de forma breve.",
    HoursErrorCode.BAD_FORMAT: (
        "No entendí «{fragment}». Escriba solo los días y las horas; "
        "los feriados y cierres temporales se registran aparte."
    ),
    HoursErrorCode.BAD_DAY: (
        "No reconocí el día «{fragment}». Escriba el nombre del día (lunes, martes, "
        "miércoles…) o su abreviatura (lun, mar, mié, jue, vie, sáb, dom)."
    ),
    HoursErrorCode.MISSING_DAYS: "Me faltan los días: ¿qué días atienden en ese horario?",
    HoursErrorCode.MISSING_TIMES: (
        "Me faltan las horas de «{fragment}»: ¿a qué hora abren y cierran?"
    ),
    HoursErrorCode.BAD_TIME: (
        "La hora «{fragment}» no es válida. Escríbala así: 8:00, 13:30 o 4:30 p. m."
    ),
    HoursErrorCode.AMBIGUOUS_TIME: (
        "En «{fragment}», ¿las horas son de la mañana o de la tarde? Agregue a. m. o p. m., "
        "o use el formato de 24 horas (por ejemplo, 8:00 a 17:00)."
    ),
    HoursErrorCode.END_BEFORE_START: (
        "En «{fragment}», la hora de cierre es antes de la hora de apertura. Revise las horas."
    ),
    HoursErrorCode.OVERLAP: (
        "Los horarios del {fragment} se cruzan. Escriba cada tramo una sola vez, "
        "por ejemplo: 8:00 a 12:00 y 13:00 a 17:00."
    ),
    HoursErrorCode.DUPLICATE_DAY: (
        "El {fragment} aparece como cerrado y también con horario. Escríbalo una sola vez."
    ),
    HoursErrorCode.TOO_MANY_RANGES: (
        f"El {{fragment}} tiene demasiados tramos. Escriba como máximo {MAX_RANGES_PER_DAY} "
        "por día."
    ),
    HoursErrorCode.NO_OPEN_DAYS: (
        "Ese horario no tiene ningún día abierto. Si el centro va a cerrar por un tiempo, "
        "registre mejor un cierre temporal."
    ),
}


def hours_error(error: HoursError) -> str:
    """What is wrong with the hours staff typed, kindly, with a valid example."""
    fragment = _FOLDED_DAYS.get(error.fragment, error.fragment) or "eso"
    message = HOURS_ERRORS[error.code].format(fragment=esc(fragment))
    return f"🤔 {message}\nPor ejemplo: <i>{esc(HOURS_EXAMPLE)}</i>"


def _too_long(field: ListingField) -> str:
    limit = _MAX_LENGTHS.get(field, 0)
    return f"Es demasiado largo: {FIELD_NAMES[field]} admite hasta {limit} caracteres."


_MULTIPLE = {
    ListingField.PHONE: "Escriba un solo número: el principal del centro.",
    ListingField.EMAIL: "Escriba una sola dirección de correo: la principal del centro.",
    ListingField.WEBSITE: "Escriba una sola dirección web: la principal del centro.",
}


def _listing_message(field: ListingField, code: ListingErrorCode, country: str) -> str:
    where = country_name(country)
    name = FIELD_NAMES[field]
    rule = PHONE_RULES.get(country, "")
    code_text = PHONE_PLANS[country].code if country in PHONE_PLANS else ""
    messages = {
        ListingErrorCode.EMPTY: f"No recibí {name}. Escríbalo, por favor.",
        ListingErrorCode.BAD_CHARACTERS: (
            f"{_cap(name)} tiene signos que no se pueden guardar (como &lt; o &gt;, o caracteres "
            "invisibles). Escríbalo de nuevo, sin esos signos."
        ),
        ListingErrorCode.MULTIPLE: _MULTIPLE.get(field, f"Escriba solo {name}."),
        ListingErrorCode.PHONE_LETTERS: (
            "Escriba solo los números del teléfono, sin palabras. Si tiene extensión, "
            "agréguela al final con «ext.»."
        ),
        ListingErrorCode.PHONE_LENGTH: (
            f"A ese número le faltan o le sobran dígitos. En {esc(where)} los números {rule}."
        ),
        ListingErrorCode.PHONE_PREFIX: (
            f"Ese número no parece de {esc(where)}: los números {rule}."
        ),
        ListingErrorCode.WRONG_COUNTRY: (
            f"Ese número tiene el código de otro país. El centro está en {esc(where)} "
            f"(+{code_text}): escriba un número de {esc(where)}."
        ),
        ListingErrorCode.BAD_EXTENSION: "No entendí la extensión. Escríbala así: «ext. 136».",
        ListingErrorCode.UNSUPPORTED_COUNTRY: (
            "Por ahora no podemos guardar teléfonos de este país. Por favor, avise al equipo "
            "de Ruta MIPYME."
        ),
        ListingErrorCode.BAD_EMAIL: "Ese correo no parece válido. Revise cómo está escrito.",
        ListingErrorCode.BAD_SCHEME: (
            "Solo podemos guardar direcciones web que empiecen con http:// o https://."
        ),
        ListingErrorCode.BAD_URL: (
            "Esa dirección web no parece válida. Escríbala completa, con su punto y dominio "
            "(.hn, .org, .com…); también sirve la página de Facebook del centro."
        ),
        ListingErrorCode.ONLY_SYMBOLS: (
            f"{_cap(name)} debe tener letras, no solo signos o números."
        ),
        ListingErrorCode.PLACEHOLDER: (
            f"Escriba {name} real. Si no lo tiene, deje este dato como está."
        ),
    }
    if code is ListingErrorCode.TOO_LONG:
        return _too_long(field)
    return messages[code]


def listing_error(error: ListingError, country: str) -> str:
    """What is wrong with a listing value, kindly, with a valid example for the country."""
    message = _listing_message(error.field, error.code, country)
    example = field_example(error.field, country)
    if error.code in (ListingErrorCode.BAD_EXTENSION, ListingErrorCode.PHONE_LETTERS):
        example = example.split(" o ")[0] + " ext. 136"
    if error.code is ListingErrorCode.UNSUPPORTED_COUNTRY:
        example = ""
    tail = f"\nPor ejemplo: <i>{esc(example)}</i>" if example else ""
    return f"🤔 {message}{tail}"


_CLOSURE_MESSAGE_ERRORS = {
    ListingErrorCode.BAD_CHARACTERS: (
        "El mensaje tiene caracteres invisibles o de control que no se pueden guardar. "
        "Escríbalo de nuevo, sin ellos."
    ),
    ListingErrorCode.TOO_LONG: (
        f"El mensaje es demasiado largo: admite hasta {MAX_TEXT['closure']} caracteres. "
        "Escríbalo más corto."
    ),
    ListingErrorCode.ONLY_SYMBOLS: "El mensaje debe tener palabras, no solo signos o números.",
}


def closure_message_error(error: ListingError) -> str:
    """What is wrong with the message of a temporary closure (or «-» for none)."""
    fallback = _CLOSURE_MESSAGE_ERRORS[ListingErrorCode.BAD_CHARACTERS]
    message = _CLOSURE_MESSAGE_ERRORS.get(error.code, fallback)
    return f"🤔 {message}\nO escriba «-» para no dejar ningún mensaje."


# -- hours and status --------------------------------------------------------------------------


def format_time(minutes: int) -> str:
    """8:00 a. m., 12:00 m. (noon), 1:30 p. m., 12:00 a. m. (midnight)."""
    hour, minute = divmod(minutes % DAY_MINUTES, 60)
    if (hour, minute) == (12, 0):
        return "12:00 m."
    suffix = "a. m." if hour < 12 else "p. m."
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {suffix}"


def format_range(r: TimeRange) -> str:
    """Format a range as "8:00 a. m. - 12:00 m." (en dash); 24:00 is "medianoche"."""
    if (r.start, r.end) == (0, DAY_MINUTES):
        return "24 horas"
    end = "medianoche" if r.end == DAY_MINUTES else format_time(r.end)
    return f"{format_time(r.start)} {EN_DASH} {end}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " y " + parts[-1]


def _days_label(first: int, last: int) -> str:
    if last - first == 6:
        return "Todos los días"
    if first == last:
        return _cap(WEEKDAYS[first])
    link = " y " if last == first + 1 else " a "
    return _cap(WEEKDAYS[first]) + link + WEEKDAYS[last]


def format_hours(hours: WeeklyHours) -> str:
    """One line per run of consecutive days with the same hours; closed days are left out."""
    lines = []
    day = 0
    while day < 7:
        ranges = hours.days[day]
        last = day
        while last + 1 < 7 and hours.days[last + 1] == ranges:
            last += 1
        if ranges:
            times = _join([format_range(r) for r in ranges])
            lines.append(f"{_days_label(day, last)}: {times}")
        day = last + 1
    return "\n".join(lines)


def format_date(day: date, today: date) -> str:
    """Format a date as "5 de enero", with the year when it is not this year's."""
    text = f"{day.day} de {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} de {day.year}"


def _at_time(moment: datetime) -> str:
    minutes = moment.hour * 60 + moment.minute
    article = "a la" if moment.hour in (1, 13) else "a las"  # "a la 1:00 p. m."
    return f"{article} {format_time(minutes)}"


def _when(moment: datetime, today: date) -> str:
    """Say when: "hoy a las 8:00 a. m.", "mañana…", "el lunes…", "el lunes 6 de enero…"."""
    day = moment.date()
    ahead = (day - today).days
    if ahead == 0:
        label = "hoy"
    elif ahead == 1:
        label = "mañana"
    elif 1 < ahead < 7:
        label = f"el {WEEKDAYS[day.weekday()]}"
    else:
        label = f"el {WEEKDAYS[day.weekday()]} {format_date(day, today)}"
    return f"{label} {_at_time(moment)}"


def format_status(status: OpeningStatus, today: date | None = None) -> str:
    """One line: "Abierto ahora · cierra a las 5:00 p. m.", "Cerrado · abre mañana a las…"…

    `today` defaults to the date in the center's time zone (`status.now`); "" when unknown.
    """
    today = today or status.now.date()
    if status.kind is StatusKind.OPEN:
        closes = status.closes_at
        if closes is None:
            return "Abierto ahora"
        if closes.date() == today:
            return f"Abierto ahora · cierra {_at_time(closes)}"
        if closes.date() == today + timedelta(days=1) and (closes.hour, closes.minute) == (0, 0):
            return "Abierto ahora · cierra a la medianoche"
        return f"Abierto ahora · cierra {_when(closes, today)}"
    if status.kind is StatusKind.CLOSED:
        if status.opens_at is None:
            return "Cerrado"
        return f"Cerrado · abre {_when(status.opens_at, today)}"
    if status.kind is StatusKind.CLOSURE:
        until = status.closed_until
        if until is None or until == today:
            text = "Cerrado hoy"
        else:
            text = f"Cerrado temporalmente hasta el {format_date(until, today)}"
        message = status.closure.message.strip() if status.closure else ""
        return f"{text} · {esc(message)}" if message else text
    return ""


# --- Languages ------------------------------------------------------------------------------

ES: Texts = _spanish
EN: Texts = _english


def for_language(language: str) -> Texts:
    """The texts of a language code (bot.language): English for "en", else Spanish."""
    return EN if language == "en" else ES

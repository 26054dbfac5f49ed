"""Every Spanish string a user sees, and small render helpers.

All values that come from the database or from the user go through `esc` (HTML parse mode).
The register is "usted", as Honduran public services and advisors use.
"""

from __future__ import annotations

from datetime import date
from html import escape

from bot.domain.models import Agency, Center, Match, Place

FAR_KM = 150.0
STALE_YEARS = 2

COUNTRY_NAMES = {
    "HN": "Honduras",
    "SV": "El Salvador",
    "GT": "Guatemala",
    "NI": "Nicaragua",
    "CR": "Costa Rica",
    "PA": "Panamá",
    "BZ": "Belice",
    "DO": "República Dominicana",
}

LOCATION_BUTTON = "📍 Compartir mi ubicación"
ANY_SERVICE_BUTTON = "🔎 Cualquier servicio"
MORE_BUTTON = "➕ Ver más centros"
CHANGE_NEED_BUTTON = "🔁 Cambiar servicio"
CHANGE_PLACE_BUTTON = "📍 Cambiar ubicación"

COMMANDS = (
    ("start", "Empezar"),
    ("ayuda", "Cómo usar el bot"),
    ("centros", "Ver los centros de atención"),
    ("servicios", "Elegir el servicio que necesita"),
    ("ubicacion", "Compartir su ubicación"),
    ("privacidad", "Qué datos guardamos"),
    ("olvidar", "Borrar sus datos"),
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
    "• Dígame dónde está (municipio, aldea o departamento) o comparta su ubicación.\n"
    "• Dígame qué necesita: un préstamo, sacar el RTN, registrar su marca, vender más…\n"
    "• Le respondo con el centro que le corresponde, su contacto y cómo llegar.\n\n"
    "Comandos: /servicios para elegir un servicio, /ubicacion para compartir su ubicación, "
    "/centros para ver los centros, /privacidad y /olvidar para sus datos."
)
ASK_LOCATION_ONLY = (
    "📍 ¿En qué municipio o departamento está? Escríbalo o toque <b>Compartir mi ubicación</b>."
)
PRIVACY = (
    "🔒 <b>Sus datos</b>\n"
    "Guardamos solo lo necesario para responderle: el lugar que nos indicó y el servicio que "
    "busca, durante {minutes} minutos, para no preguntarle dos veces. No guardamos su nombre, "
    "su número ni sus mensajes. Puede borrar todo con /olvidar."
)
FORGOTTEN = "🗑️ Listo: borramos todo lo que teníamos guardado sobre usted."
NOTHING_TO_FORGET = "No teníamos nada guardado sobre usted. 👍"
THANKS = "¡Con mucho gusto! 😊 Si necesita algo más para su negocio, aquí estoy."
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
NOT_REMEMBERED = "Ya no recuerdo su búsqueda. Escríbame dónde está y qué necesita, por favor."
UNKNOWN_COMMAND = "No conozco ese comando. " + HELP
ERROR = "😔 Disculpe, tuve un problema al responderle. Por favor, intente de nuevo en un momento."
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


def place_label(place: Place) -> str:
    """"Danlí (El Paraíso)", with the country when it is not the usual one."""
    parts = [place.name] if place.name else []
    if place.admin_name and place.admin_name != place.name:
        parts.append(f"({place.admin_name})")
    return esc(" ".join(parts) or "su ubicación")


def candidate_button(place: Place) -> str:
    """Place · department · country, for a button (plain text, no HTML)."""
    parts = [place.name, place.admin_name, country_name(place.country)]
    return " · ".join(p for p in parts if p)[:60]


def km(distance: float) -> str:
    return f"{distance:.0f}" if distance >= 10 else f"{distance:.1f}".replace(".", ",")


def ambiguous(query: str) -> str:
    name = f"«{esc(query)}»" if query else "ese nombre"
    return f"🤔 Hay varios lugares llamados {name}. ¿Cuál es el suyo?"


def not_found(query: str) -> str:
    name = f"«{esc(query)}»" if query else "ese lugar"
    return (
        f"🔍 No encontré {name} en mi lista de lugares. Escríbame el nombre de su municipio o "
        "departamento, o toque <b>📍 Compartir mi ubicación</b>."
    )


def ask_location(need_labels: list[str]) -> str:
    what = f" con <b>{esc(need_labels[0])}</b>" if need_labels else ""
    return f"👍 Con gusto le ayudo{what}. {ASK_LOCATION_ONLY}"


def ask_need(place: Place) -> str:
    return f"📍 Entendido: {place_label(place)}.\n{SERVICE_MENU}"


def why_chosen(match: Match, place: Place) -> str:
    if match.serves_area and match.same_country:
        area = f" ({esc(place.admin_name)})" if place.admin_name else ""
        return f"✅ Atiende su departamento{area}."
    if match.distance_km is not None:
        return f"📏 A unos {km(match.distance_km)} km de usted."
    return ""


def _source_year(center: Center) -> int | None:
    head = center.source_date[:4]
    return int(head) if head.isdigit() else None


def data_note(center: Center, today: date) -> str:
    year = _source_year(center)
    old = year is None or today.year - year >= STALE_YEARS
    inferred = center.service_area_inferred or not center.verified
    when = f"Datos de fuentes públicas de {year}" if year else "Datos de fuentes públicas"
    if old or inferred:
        return f"🗓️ {when}. <b>Confirme antes de ir.</b>"
    return f"🗓️ {when}."


def services_line(center: Center, labels: dict[str, str], matched: tuple[str, ...]) -> str:
    marked = [f"✅ {esc(labels.get(s, s))}" for s in center.services if s in matched]
    others = [esc(labels.get(s, s)) for s in center.services if s not in matched]
    return "🧰 Servicios: " + " · ".join(marked + others) if marked or others else ""


def honesty_notes(
    match: Match, place: Place, main_need: str | None, labels: dict[str, str], area_center: str
) -> list[str]:
    """Say plainly when the proposal is far, abroad, or not the center of the department."""
    notes = []
    if not match.same_country:
        notes.append(
            f"⚠️ No tenemos registrado un centro en {esc(country_name(place.country))} que le "
            f"pueda atender; este es el más cercano, en {esc(country_name(match.center.country))}."
        )
    elif main_need and not match.offers_need:
        notes.append(
            f"⚠️ Ningún centro registrado de su país indica «{esc(labels.get(main_need, main_need))}»; "
            "le mostramos el que le corresponde: pregúnteles, le pueden orientar."
        )
    elif main_need and area_center and not match.serves_area:
        notes.append(
            f"ℹ️ El centro de su departamento ({esc(area_center)}) no registra "
            f"«{esc(labels.get(main_need, main_need))}»; este sí lo ofrece."
        )
    if (
        match.same_country
        and not match.serves_area
        and match.distance_km is not None
        and match.distance_km > FAR_KM
    ):
        notes.append("🚌 Queda lejos de usted: llame o escriba antes de viajar.")
    return notes


def center_card(
    match: Match,
    place: Place,
    labels: dict[str, str],
    *,
    main_need: str | None,
    area_center: str,
    agency: Agency | None,
    today: date,
) -> str:
    """The full card of the proposed center."""
    c = match.center
    lines = [f"🏢 <b>{esc(c.name)}</b>"]
    if c.operator:
        lines.append(f"<i>{esc(c.operator)}</i>")
    reason = why_chosen(match, place)
    if reason:
        lines.append(reason)
    lines.extend(honesty_notes(match, place, main_need, labels, area_center))
    if c.address:
        lines.append(f"📍 {esc(c.address)}")
    elif c.city:
        lines.append(f"📍 {esc(c.city)} (dirección exacta no disponible)")
    if c.phone:
        lines.append(f"📞 {esc(c.phone)}")
    if c.email:
        lines.append(f"✉️ {esc(c.email)}")
    if c.hours:
        lines.append(f"🕘 {esc(c.hours)}")
    if c.website:
        lines.append(f"🌐 {esc(c.website)}")
    services = services_line(c, labels, match.matched_needs)
    if services:
        lines.append(services)
    lines.append(what_to_bring(c.country))
    lines.append(data_note(c, today))
    if agency and not (c.phone or c.email or c.website):
        contact = f"{esc(agency.name)}"
        if agency.website:
            contact += f" — {esc(agency.website)}"
        lines.append(f"☎️ Para contactarlos, consulte a {contact}.")
    return "\n".join(lines)


def what_to_bring(country: str) -> str:
    """General advice on what to take to a first visit (not a fact about one center)."""
    ids = {"HN": "su DNI y, si lo tiene, su RTN", "SV": "su DUI", "DO": "su cédula"}
    document = ids.get(country, "su documento de identidad")
    return f"🎒 Lleve {document}, y datos básicos de su negocio (qué vende, ventas del mes)."


def center_line(match: Match, labels: dict[str, str]) -> str:
    """A compact entry for "Ver más centros"."""
    c = match.center
    parts = [f"🏢 <b>{esc(c.name)}</b>"]
    where = c.city or ""
    if match.distance_km is not None:
        where = f"{where} · a {km(match.distance_km)} km" if where else f"a {km(match.distance_km)} km"
    if match.serves_area and match.same_country:
        where = f"{where} · atiende su departamento" if where else "atiende su departamento"
    if where:
        parts.append(esc(where))
    if c.phone:
        parts.append(f"📞 {esc(c.phone)}")
    if match.matched_needs:
        parts.append("✅ " + ", ".join(esc(labels.get(s, s)) for s in match.matched_needs))
    return "\n".join(parts)


def more_centers(lines: list[str], shown_from: int) -> str:
    return f"Más centros ({shown_from + 1}–{shown_from + len(lines)}):\n\n" + "\n\n".join(lines)


def no_centers(place: Place, agency: Agency | None) -> str:
    text = f"😔 Aún no tenemos un centro registrado que atienda {place_label(place)}."
    if agency:
        text += f" Puede consultar a {esc(agency.name)}"
        text += f": {esc(agency.website)}" if agency.website else "."
    return text


def venue_title(center: Center) -> str:
    suffix = " (ubicación aproximada)" if center.coord_precision != "exact" else ""
    return (center.name[: 100 - len(suffix)] + suffix).strip()


def venue_address(center: Center) -> str:
    if center.address:
        return center.address[:200]
    city = center.city or ""
    return f"{city}, {country_name(center.country)} — centro de la ciudad, no la oficina".strip(", ")


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

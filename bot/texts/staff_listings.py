"""Center staff: the listing editor (fields, prompts, examples, preview, save, history)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.hours import WeeklyHours
from bot.domain.listings import ListingField
from bot.texts.common import esc
from bot.texts.hours import format_hours

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
STAFF_HISTORY_EMPTY = "Todavía no hay cambios registrados para este centro."
STAFF_REVERT_BUTTON = "↩️ Revertir #{id}"
STAFF_REVERTED = "↩️ Cambio revertido."
STAFF_CONFLICT = (
    "⚠️ Otra persona del equipo cambió este dato mientras usted editaba. Valor actual: "
    "<b>{current}</b>. Si aún desea cambiarlo, empiece de nuevo desde /mi_centro."
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


def history_line(change_id: int, at: datetime, field: str, old: str, new: str) -> str:
    label = STAFF_FIELD_LABELS.get(field, field)
    old_s = esc(old[:60]) if old else "—"
    new_s = esc(new[:60]) if new else "—"
    return f"#{change_id} · {at:%d/%m/%Y %H:%M} · {label}: {old_s} → {new_s}"


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

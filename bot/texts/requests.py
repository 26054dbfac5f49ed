"""Texts of the warm handoff (appointment requests, issue 11), to be folded into bot/texts.py.

The entrepreneur's side is in Spanish (usted) and in English for users whose language is "en"
(`for_language`); what center staff and coordinators read is in Spanish, like the rest of the
staff tools. Values people typed are escaped with `esc` wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from bot.texts import esc


class ES:
    """The entrepreneur's path, in Spanish."""

    REQUEST_BUTTON = "📨 Solicitar una cita"
    NETWORK = "la red MIPYME de {country}"
    COUNTRY_OFFER = (
        "🤝 Aunque no tengamos un centro registrado para su zona, una persona de {network} puede "
        "contactarle. ¿Quiere dejarle sus datos?"
    )
    CANCEL_BUTTON = "✖️ Cancelar"
    SKIP_BUTTON = "⏭️ Omitir"
    SEND_BUTTON = "✅ Enviar"
    USE_NAME_BUTTON = "✅ Usar “{name}”"
    SHARE_PHONE_BUTTON = "📱 Compartir mi número"
    KEEP_NEED_BUTTON = "✅ {need}"
    TIME_BUTTONS = (("m", "🌅 Mañana"), ("t", "🌇 Tarde"), ("a", "🕘 Cualquier hora"))
    TIME_LABELS: ClassVar[Mapping[str, str]] = {
        "m": "por la mañana",
        "t": "por la tarde",
        "a": "a cualquier hora",
    }
    SKIP_WORDS = frozenset({"omitir", "saltar", "ninguno", "no"})
    CANCEL_WORDS = frozenset({"cancelar", "cancela", "salir"})

    ASK_NAME = (
        "📨 <b>Solicitud de cita con {center}</b>\n"
        "Le haré cinco preguntas cortas y, antes de enviar nada, le mostraré el resumen. "
        "Puede cancelar en cualquier momento.\n\n"
        "1️⃣ ¿A nombre de quién hacemos la solicitud? Escriba su nombre o use el de Telegram."
    )
    ASK_NAME_PLAIN = "1️⃣ ¿A nombre de quién hacemos la solicitud? Escriba su nombre."
    ASK_PHONE = (
        "2️⃣ ¿A qué número le pueden llamar o escribir? Toque «📱 Compartir mi número» o "
        "escríbalo (por ejemplo {example}). Si prefiere no darlo, toque «Omitir»: le avisaré "
        "aquí cuando alguien atienda su solicitud."
    )
    PHONE_NOTED = "✅ Anotado."
    ASK_BUSINESS = (
        "3️⃣ ¿A qué se dedica su negocio? En una o dos frases, por ejemplo: "
        "<i>«vendo ropa por catálogo»</i>."
    )
    ASK_NEED = "4️⃣ ¿Qué necesita del centro? Elija una opción."
    ASK_NEED_KNOWN = "4️⃣ ¿Qué necesita del centro? Entendí: <b>{need}</b>. ¿Es eso u otra cosa?"
    ASK_TIME = (
        "5️⃣ ¿Cuándo prefiere que le contacten? Elija o escríbalo, por ejemplo "
        "<i>«martes por la tarde»</i>."
    )
    SUMMARY = (
        "📋 <b>Revise su solicitud a {center}</b>\n"
        "👤 {name}\n📞 {phone}\n🏪 {business}\n🎯 {need}\n🕘 {time}\n\n"
        "🔒 Estos datos los verá solo {who}, en su chat con este bot, para contactarle. "
        "Se guardan {days} días. ¿Los enviamos?"
    )
    NOT_GIVEN = "(no lo indicó)"
    WHO_STAFF = "el personal de {center}"
    WHO_COORDINATORS = "la coordinación de la red de centros en {country}"
    SENT = (
        "✅ <b>Solicitud enviada.</b> Su referencia es <b>{reference}</b>.\n"
        "La recibió ahora mismo {who}. Cuando alguien la atienda le avisaré aquí con su "
        "nombre. Si en {hours} horas nadie la ha tomado, le daré el mejor contacto que conozco "
        "para que usted se comunique directamente."
    )
    CANCELLED = "Solicitud cancelada: no se envió nada. Escríbame cuando la necesite."
    GONE = (
        "Esa solicitud ya no está en curso (se canceló o pasó más de una hora). Puede "
        "empezarla de nuevo con «📨 Solicitar una cita» en la ficha del centro."
    )
    TOO_MANY = (
        "Ya tiene {count} solicitudes abiertas, el máximo por ahora. 🙏 Cuando alguna se "
        "atienda o se cierre podrá hacer otra; mientras tanto puede usar los contactos de la "
        "ficha del centro."
    )
    NO_RECEIVER = (
        "Por ahora nadie recibe solicitudes de ese centro por este bot. Use los contactos de "
        "su ficha, por favor."
    )
    BAD_TEXT: ClassVar[Mapping[str, str]] = {
        "empty": "No recibí texto. Escríbalo de nuevo, por favor.",
        "too_long": "Es demasiado largo (máximo {max} caracteres). Escríbalo más corto.",
        "bad_characters": "Tiene caracteres que no puedo guardar. Escríbalo de nuevo, por favor.",
        "only_symbols": "No encontré letras en su respuesta. Escríbala de nuevo, por favor.",
        "pick": "Elija una de las opciones de arriba, por favor.",
    }
    BAD_PHONE = (
        "Ese número no parece válido en {country}: {reason}. Escríbalo de nuevo ({digits} "
        "dígitos, con o sin +{code}), toque «📱 Compartir mi número» u «Omitir»."
    )
    PHONE_REASONS: ClassVar[Mapping[str, str]] = {
        "phone_length": "no tiene los dígitos de un número de allí",
        "phone_prefix": "no empieza como un número de allí",
        "wrong_country": "es de otro país",
        "phone_letters": "tiene letras",
        "multiple": "escriba un solo número",
        "too_long": "es demasiado largo",
    }
    PHONE_REASON_OTHER = "no lo pude leer"
    TAKEN = (
        "🤝 Su solicitud <b>{reference}</b> ya la atiende <b>{name}</b>, de {center}. Le "
        "contactarán pronto."
    )
    CLOSED = "Su solicitud <b>{reference}</b> con {center} quedó cerrada. ¡Éxitos con su negocio!"
    REMINDER = (
        "⏳ Su solicitud <b>{reference}</b> aún no ha sido atendida; ya les enviamos un "
        "recordatorio. Si prefiere, comuníquese directamente:\n{contact}"
    )
    NO_CONTACT = "No tenemos un contacto confirmado; escriba /centros para ver otros centros."
    FEEDBACK_ASK = (
        "👋 Hace unos días se cerró su solicitud <b>{reference}</b> con {center}. "
        "¿Le fue útil? Elija de 1 (nada) a 5 (mucho)."
    )
    ASK_COMMENT = (
        "¡Gracias! ¿Quiere añadir un comentario? Escríbalo en un solo mensaje, o toque «Omitir»."
    )
    COMMENT_THANKS = "¡Gracias por su comentario! Nos ayuda a mejorar. 🙌"
    FEEDBACK_DONE = "Gracias, ya recibimos su respuesta."
    COORDINATION = "la coordinación nacional"

    @classmethod
    def country(cls, code: str) -> str:
        from bot import texts

        return texts.ES.country_name(code)


class EN(ES):
    """The entrepreneur's path, in English (Belize)."""

    REQUEST_BUTTON = "📨 Request an appointment"
    NETWORK = "the small-business network of {country}"
    COUNTRY_OFFER = (
        "🤝 Although we have no registered center for your area, someone from {network} can "
        "contact you. Would you like to leave your details?"
    )
    CANCEL_BUTTON = "✖️ Cancel"
    SKIP_BUTTON = "⏭️ Skip"
    SEND_BUTTON = "✅ Send"
    USE_NAME_BUTTON = "✅ Use “{name}”"
    SHARE_PHONE_BUTTON = "📱 Share my number"
    TIME_BUTTONS = (("m", "🌅 Morning"), ("t", "🌇 Afternoon"), ("a", "🕘 Any time"))
    TIME_LABELS: ClassVar[Mapping[str, str]] = {
        "m": "in the morning",
        "t": "in the afternoon",
        "a": "any time",
    }
    SKIP_WORDS = frozenset({"skip", "omitir", "none", "no"})
    CANCEL_WORDS = frozenset({"cancel", "cancelar", "stop"})

    ASK_NAME = (
        "📨 <b>Appointment request to {center}</b>\n"
        "I'll ask five short questions and show you a summary before anything is sent. You "
        "can cancel at any moment.\n\n"
        "1️⃣ Whose name should the request be under? Write your name or use your Telegram one."
    )
    ASK_NAME_PLAIN = "1️⃣ Whose name should the request be under? Write your name."
    ASK_PHONE = (
        "2️⃣ What number can they call or text? Tap «📱 Share my number» or type it (for "
        "example {example}). If you'd rather not, tap «Skip»: I'll tell you here when someone "
        "takes your request."
    )
    PHONE_NOTED = "✅ Noted."
    ASK_BUSINESS = (
        "3️⃣ What does your business do? One or two sentences, for example: "
        "<i>«I sell clothes from a catalogue»</i>."
    )
    ASK_NEED = "4️⃣ What do you need from the center? Pick an option."
    ASK_NEED_KNOWN = (
        "4️⃣ What do you need from the center? I understood: <b>{need}</b>. Is that it, or "
        "something else?"
    )
    ASK_TIME = (
        "5️⃣ When would you like them to contact you? Pick or type it, for example "
        "<i>«Tuesday afternoon»</i>."
    )
    SUMMARY = (
        "📋 <b>Check your request to {center}</b>\n"
        "👤 {name}\n📞 {phone}\n🏪 {business}\n🎯 {need}\n🕘 {time}\n\n"
        "🔒 Only {who} will see these details, in their chat with this bot, to contact you. "
        "They are kept {days} days. Shall we send them?"
    )
    NOT_GIVEN = "(not given)"
    WHO_STAFF = "the staff of {center}"
    WHO_COORDINATORS = "the coordinators of the centers' network in {country}"
    SENT = (
        "✅ <b>Request sent.</b> Your reference is <b>{reference}</b>.\n"
        "It was received just now by {who}. When someone takes it I'll tell you here, with their "
        "name. If nobody has taken it in {hours} hours, I'll give you the best contact I know "
        "so you can reach them directly."
    )
    CANCELLED = "Request cancelled: nothing was sent. Write to me whenever you need."
    GONE = (
        "That request is no longer in progress (it was cancelled or more than an hour went "
        "by). You can start again with «📨 Request an appointment» on the center's card."
    )
    TOO_MANY = (
        "You already have {count} open requests, the most for now. 🙏 When one is taken or "
        "closed you can make another; meanwhile you can use the contacts on the center's card."
    )
    NO_RECEIVER = (
        "Nobody receives requests for that center through this bot yet. Please use the "
        "contacts on its card."
    )
    BAD_TEXT: ClassVar[Mapping[str, str]] = {
        "empty": "I got no text. Please write it again.",
        "too_long": "That is too long (at most {max} characters). Please write it shorter.",
        "bad_characters": "It has characters I cannot store. Please write it again.",
        "only_symbols": "I found no letters in your answer. Please write it again.",
        "pick": "Please pick one of the options above.",
    }
    BAD_PHONE = (
        "That number does not look valid in {country}: {reason}. Type it again ({digits} "
        "digits, with or without +{code}), tap «📱 Share my number» or «Skip»."
    )
    PHONE_REASONS: ClassVar[Mapping[str, str]] = {
        "phone_length": "it does not have the digits of a number there",
        "phone_prefix": "it does not start like a number there",
        "wrong_country": "it is from another country",
        "phone_letters": "it has letters",
        "multiple": "please type a single number",
        "too_long": "it is too long",
    }
    PHONE_REASON_OTHER = "I could not read it"
    TAKEN = (
        "🤝 <b>{name}</b>, of {center}, has taken your request <b>{reference}</b>. They will "
        "contact you soon."
    )
    CLOSED = (
        "Your request <b>{reference}</b> to {center} is closed. All the best with your business!"
    )
    REMINDER = (
        "⏳ Your request <b>{reference}</b> has not been taken yet; we sent them a reminder. "
        "If you prefer, contact them directly:\n{contact}"
    )
    NO_CONTACT = "We have no confirmed contact; send /centros to see other centers."
    FEEDBACK_ASK = (
        "👋 Your request <b>{reference}</b> to {center} was closed a few days ago. "
        "Was it useful? Pick from 1 (not at all) to 5 (very)."
    )
    ASK_COMMENT = (
        "Thank you! Would you like to add a comment? Write it in one message, or tap «Skip»."
    )
    COMMENT_THANKS = "Thank you for your comment! It helps us improve. 🙌"
    FEEDBACK_DONE = "Thank you, we already have your answer."
    COORDINATION = "the national coordinators"

    @classmethod
    def country(cls, code: str) -> str:
        from bot import texts

        return texts.EN.country_name(code)


def for_language(language: str) -> type[ES]:
    return EN if language == "en" else ES


# --- center staff and coordinators (Spanish) ------------------------------------------------

NEW_REQUEST = "📨 <b>Nueva solicitud de cita</b> · <b>{reference}</b>"
REMINDER_HEAD = (
    "⏰ <b>Solicitud sin atender desde hace más de {hours} horas</b> · <b>{reference}</b>"
)
REASSIGNED_HEAD = "↪️ <b>Solicitud reasignada a ustedes</b> · <b>{reference}</b>"
LISTED_HEAD = "<b>{reference}</b> · {status}"
REQUEST_BODY = (
    "🏢 Para: {target}\n👤 {name}\n📞 {phone}\n🏪 {business}\n🎯 {need}\n🕘 {time}\n"
    "📍 Buscó en: {place}\n🗓️ Recibida el {created} (UTC)"
)
STATUS = {
    "open": "🟡 sin atender",
    "taken": "🟢 la atiende {name}",
    "closed": "⚪ cerrada",
    "cancelled": "⚪ cancelada",
}
PURGED = "(borrado)"
NOT_GIVEN = "(no lo indicó)"
ENGLISH_NOTE = "🇬🇧 La persona escribe en inglés."
TAKE_BUTTON = "🤝 Atender"
MOVE_BUTTON = "↪️ Reasignar"
CLOSE_BUTTON = "✅ Cerrar"
COORDINATION_BUTTON = "🏛️ Coordinación nacional"
COORDINATION_OF = "Coordinación de la red en {country}"
TAKEN_OK = (
    "🤝 Usted atiende la solicitud <b>{reference}</b>. Ya le avisé a la persona que le "
    "contactará {name}."
)
ALREADY_TAKEN = "La solicitud <b>{reference}</b> ya la atiende {name}."
CLOSED_OK = "✅ Solicitud <b>{reference}</b> cerrada. Gracias."
ALREADY_CLOSED = "La solicitud <b>{reference}</b> ya está cerrada."
WITHDRAWN = (
    "🗑️ La persona que envió la solicitud <b>{reference}</b> la retiró y pidió borrar sus "
    "datos (/olvidar): ya no hace falta contactarla. Por favor, borre también lo que haya "
    "guardado de ella fuera del bot."
)
NOT_ALLOWED = (
    "No es posible: esa solicitud no le corresponde o ya no está vigente. Escriba /solicitudes "
    "para ver las suyas."
)
MOVE_PICK = "¿A quién pasa la solicitud <b>{reference}</b>?"
MOVED_OK = "↪️ Solicitud <b>{reference}</b> pasada a {target}. Ya se la envié."
NO_TARGETS = (
    "No hay otro centro del país con personal en el bot, ni coordinación: la solicitud "
    "<b>{reference}</b> sigue con ustedes."
)
LIST_HEAD = "📬 <b>Solicitudes abiertas y en curso</b> ({count}):"
LIST_EMPTY = "📭 No hay solicitudes abiertas ni en curso para usted."
LIST_MORE = "… y {count} más (se muestran las {shown} más antiguas)."
NOT_RECEIVER = (
    "Esta orden es para el personal de los centros y la coordinación de la red. Para buscar un "
    "centro, escríbame dónde está y qué necesita."
)


def who(t: type[ES], center_name: str | None, country: str) -> str:
    """Who receives a request: the center's staff, or the country's coordinators."""
    if center_name:
        return t.WHO_STAFF.format(center=f"<b>{esc(center_name)}</b>")
    return t.WHO_COORDINATORS.format(country=esc(t.country(country)))


# --- /privacidad ----------------------------------------------------------------------------

PRIVACY_ES = (
    "📨 <b>Solicitudes de cita.</b> Si usted pide una cita, guardamos lo que nos da — nombre, "
    "teléfono, a qué se dedica su negocio, qué necesita, el horario que prefiere y, si lo deja, "
    "su comentario — con el centro, el departamento buscado y las fechas. Lo ven solo el "
    "personal de ese centro o, si el centro no está en el bot, la coordinación de la red de su "
    "país, y los administradores. Los datos personales se borran a los {days} días (quedan "
    "solo cifras sin nombres para las estadísticas). /olvidar los borra antes y cancela sus "
    "solicitudes abiertas, pero no puede recuperar lo que el personal ya recibió en sus chats."
)
PRIVACY_EN = (
    "📨 <b>Appointment requests.</b> If you request an appointment, we keep what you give us — "
    "name, phone, what your business does, what you need, the time you prefer and your "
    "comment, if any — with the center, the department searched and the dates. Only that "
    "center's staff see it or, if the center is not on the bot, the coordinators of the "
    "network in your country, and the admins. Personal details are deleted after {days} days "
    "(only figures without names stay, for statistics). /olvidar deletes them sooner and "
    "cancels your open requests, but cannot recall what staff already received in their chats."
)


FORGOTTEN_REQUESTS_ES = (
    "📨 También borramos sus datos de las solicitudes de cita y cancelamos las abiertas. Lo que "
    "el personal del centro ya recibió en sus chats de Telegram no lo podemos recuperar."
)
FORGOTTEN_REQUESTS_EN = (
    "📨 We also deleted your details from your appointment requests and cancelled the open "
    "ones. What the center's staff already received in their Telegram chats cannot be recalled."
)


def forgotten_requests(language: str) -> str:
    """What /olvidar adds when the user had requests."""
    return FORGOTTEN_REQUESTS_EN if language == "en" else FORGOTTEN_REQUESTS_ES


def privacy(language: str, retention_days: int) -> str:
    """The paragraph about requests for /privacidad."""
    text = PRIVACY_EN if language == "en" else PRIVACY_ES
    return text.format(days=retention_days)

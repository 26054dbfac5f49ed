"""What is wrong with a value staff typed (hours, phone, e-mail, web, texts, the closure
message), kindly, with a valid example."""

from __future__ import annotations

from bot.domain.hours import MAX_RANGES_PER_DAY, HoursError, HoursErrorCode
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
from bot.texts.common import _cap, country_name, esc
from bot.texts.hours import _FOLDED_DAYS
from bot.texts.staff_listings import FIELD_NAMES, HOURS_EXAMPLE, PHONE_RULES, field_example

_MAX_LENGTHS = {
    ListingField.PHONE: MAX_PHONE_INPUT,
    ListingField.EMAIL: MAX_EMAIL,
    ListingField.WEBSITE: MAX_URL,
    ListingField.ADDRESS: MAX_TEXT["address"],
    ListingField.CITY: MAX_TEXT["city"],
    ListingField.CLOSURE: MAX_TEXT["closure"],
}

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

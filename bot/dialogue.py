"""Reading a message in the light of the conversation: small talk, follow-up questions about
the center just shown, and short answers to the bot's own last question (`Asked`).

Pure functions over folded words (bot.domain.text), linear in the message's length.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.models import Asked
from bot.domain.text import clip, fold, tokens


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    BYE = "bye"
    JOB = "job"
    UNCLEAR = "unclear"


_THANKS = (
    "gracias", "muy amable", "excelente", "perfecto", "ok", "oki", "listo", "vale",
    "thanks", "thank you", "thx", "great", "cheers", "okay",
)  # fmt: skip
_GREETINGS = (
    "hola", "buenas", "buenos dias", "buenas tardes", "buenas noches", "saludos", "hey",
    "hi", "hello", "good morning", "good afternoon", "good evening",
)  # fmt: skip
_BYES = (
    "adios", "chao", "chau", "hasta luego", "hasta pronto", "nos vemos", "hasta manana",
    "bye", "goodbye", "good bye", "see you", "see ya",
)  # fmt: skip
_JOB = (
    "empleo", "trabajo", "vacante", "plaza de", "curriculum", "hoja de vida",
    "job", "employment", "vacancy", "hiring",
)  # fmt: skip
_LOOKING = (" busco ", " necesito ", " looking ", " need ", " want ")


def classify_small_talk(text: str) -> SmallTalk:
    """Tell a thank-you, a greeting and a job search apart, for a kinder answer."""
    folded = f" {fold(text)} "
    if any(f" {w} " in folded for w in _JOB) and any(w in folded for w in _LOOKING):
        return SmallTalk.JOB
    if any(f" {w} " in folded for w in _THANKS):
        return SmallTalk.THANKS
    if any(f" {w} " in folded for w in _BYES):
        return SmallTalk.BYE
    if any(f" {w} " in folded for w in _GREETINGS):
        return SmallTalk.GREETING
    return SmallTalk.UNCLEAR


class FollowUp(StrEnum):
    """What a follow-up question asks about the center of the last card."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    HOURS = "hours"
    SERVICES = "services"
    DOCUMENTS = "documents"
    NEARER = "nearer"  # another center: the next of the same ranking


# Folded words and phrases (Spanish and English) of each kind, as token tuples.
_FOLLOW_UP_PHRASES: dict[tuple[str, ...], FollowUp] = {
    tuple(phrase.split()): kind
    for kind, phrases in {
        FollowUp.PHONE: (
            "telefono, telefonos, tel, numero, llamar, llamarlos, llamo, whatsapp, wasap, cel, "
            "celular, phone, telephone, number, call, cell"
        ),
        FollowUp.EMAIL: "correo, correos, email, e mail, mail, emails",
        FollowUp.ADDRESS: (
            "direccion, donde queda, donde quedan, donde esta, donde estan, donde es, "
            "como llego, como llegar, como llegamos, ubicacion exacta, mapa, address, "
            "where is it, where is that, where is the, get there, directions, map"
        ),
        FollowUp.HOURS: (
            "hora, horas, horario, horarios, abren, cierran, abierto, abierta, abre, cierra, "
            "hours, open, opening, closes, closing, what time"
        ),
        FollowUp.SERVICES: (
            "servicios, que ofrecen, que hacen, ofrecen, services, offer, what do they do"
        ),
        FollowUp.DOCUMENTS: (
            "llevo, llevar, documentos, requisitos, papeles, bring, documents, requirements, "
            "papers"
        ),
        FollowUp.NEARER: (
            "otro, otra, otros, otras, mas cerca, otra opcion, otro centro, another, closer, "
            "nearer, other one, other center, other centre, other option"
        ),
    }.items()
    for phrase in (p.strip() for p in phrases.split(","))
}
_FOLLOW_UP_LONGEST = max(len(p) for p in _FOLLOW_UP_PHRASES)
# «atienden» asks for the hours only with a word of time («¿atienden los sábados?»)
_ATTEND = frozenset({"atienden", "atiende"})
_TIME_WORDS = frozenset(
    (
        "hoy", "manana", "tarde", "noche", "dia", "dias", "lunes", "martes", "miercoles",
        "jueves", "viernes", "sabado", "sabados", "domingo", "domingos", "semana", "feriado",
        "feriados",
    )
)  # fmt: skip


def classify_follow_up(text: str) -> tuple[FollowUp, ...]:
    """What a message asks about the center just shown, in the order it asks (linear time:
    each word starts at most a few phrase look-ups). «Another» only when nothing else is
    asked («¿tienen otro teléfono?» asks for the phone)."""
    words = tokens(clip(text))
    found: list[FollowUp] = []
    attend = timed = False
    k = 0
    while k < len(words):
        attend = attend or words[k] in _ATTEND
        timed = timed or words[k] in _TIME_WORDS
        step = 1
        for length in range(min(_FOLLOW_UP_LONGEST, len(words) - k), 0, -1):
            kind = _FOLLOW_UP_PHRASES.get(tuple(words[k : k + length]))
            if kind is not None:
                if kind not in found:
                    found.append(kind)
                step = length
                break
        k += step
    if attend and timed and FollowUp.HOURS not in found:
        found.append(FollowUp.HOURS)
    if len(found) > 1 and FollowUp.NEARER in found:
        found.remove(FollowUp.NEARER)
    return tuple(found)


# «ninguno» typed under a list of places: the same as the «Ninguno de estos» button
_NONE_ANSWERS = frozenset(
    (
        "ninguno", "ninguna", "ningun", "ninguno de estos", "ninguna de estas",
        "ninguno de esos", "ninguna de esas", "no es ninguno", "no es ninguna", "otro lugar",
        "ninguno de ellos", "none", "none of these", "none of them", "neither",
        "no esta en la lista", "no aparece", "no sale",
    )
)  # fmt: skip
SHORT_ANSWER_WORDS = 4  # a reply of at most this many words answers the bot's last question


def is_none_answer(text: str) -> bool:
    """«ninguno», «ninguna de estas», «none»: no place of the list the bot offered."""
    return " ".join(tokens(clip(text))) in _NONE_ANSWERS


def is_short_answer(text: str) -> bool:
    """A reply of a few words («capacitación», «en Juticalpa», «un préstamo»): read first as
    the answer to what the bot last asked."""
    return 0 < len(tokens(clip(text))) <= SHORT_ANSWER_WORDS


def covers(name: str, text: str) -> bool:
    """Whether the message is nothing but `name` (a place's name as the user wrote it), with
    at most a leading «en», «de» or «soy de»."""
    words = tokens(clip(text))
    named = tokens(name)
    while words and words[0] in _NAME_LEADS and words != named:
        words = words[1:]
    return bool(named) and words == named


_NAME_LEADS = frozenset(("en", "de", "soy", "estoy", "vivo", "desde", "in", "from", "im"))


__all__ = [
    "Asked",
    "FollowUp",
    "SmallTalk",
    "classify_follow_up",
    "classify_small_talk",
    "covers",
    "is_none_answer",
    "is_short_answer",
]

"""Which language a message is written in, and what an English message asks for.

The bot speaks Spanish; Belize's entrepreneurs often write in English, and get the
entrepreneur's path in English. The rule is small on purpose and runs in linear time:

* a message is English when it has at least one English-only word (a function word such as
  «I», «my», «the», «where», or a common business word such as «loan», «register») and no
  Spanish-only word (and no «¿» or «¡»);
* a message with Spanish words is Spanish, mixed ones too («hola, I need a loan»);
* a message with neither (a place name alone, «ok», «2») says nothing: the language the user
  wrote in before stays.

Words that Central American place names are made of («de», «la», «el», «san», «city»,
«walk», «creek») count for neither language: «I live in Benque Viejo del Carmen» is English
and «soy de Orange Walk» Spanish.

The needs matcher (bot.domain.needs) understands Spanish only: an English message is read with
a small table of English business words instead (`english_needs`), one service slug each.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.text import clip, tokens

SPANISH = "es"
ENGLISH = "en"
LANGUAGES = (SPANISH, ENGLISH)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# English-only words (folded; «I'm» folds to «i m», «don't» to «don t»). None is a Spanish
# word or a usual part of a place name of the region.
ENGLISH_WORDS = _words(
    """
    i my mine myself you your we our us they their she his her it its this that these
    those there here the an and or but if so because to of in on at for from with without
    about into near nearest closest where what how who which when why can could would should
    will shall may might must want wants wanted need needs needed have having do does did
    doing is are am was were be been being get getting got looking look find please thanks
    thank thx hi hello hiya good morning afternoon evening live living work working any some
    just also not dont don doesn didn isn cant won yes yeah okay sure help
    business businesses loan loans credit financing finance funding money register
    registration registering license licence permit training course courses workshop
    workshops export exports exporting sell selling sales customers clients accounting
    accountant bookkeeping taxes tax advice advisor adviser consulting mentoring start
    starting website shop store company small owner entrepreneur
    entrepreneurs office center centre support government agency
    """
)

# Spanish-only words (folded). Articles and prepositions that are part of place names («de»,
# «del», «la», «las», «el», «los», «san», «santa») are left out on purpose.
SPANISH_WORDS = _words(
    """
    soy somos estoy estamos vivo vivimos ando tengo tenemos quiero queremos quisiera necesito
    necesitamos ocupo ocupamos busco buscamos deseo puedo podemos puede pueden hay es
    esta estan este esto eso esa ese mi mis tu su sus un una unos unas y que para por con sin
    como donde cuando cual cuales porque pero muy mas al lo le les se nos usted ustedes
    hola gracias buenas buenos dias tardes noches negocio negocios empresa emprendimiento
    prestamo credito ayuda ayudar informacion necesita tiene hacer abrir vender registrar
    sacar capacitacion capacitaciones curso cursos quisieramos aqui alla ahi tambien desde
    encuentro hoy jaja
    """
)

_SPANISH_MARKS = ("¿", "¡")


def detect(text: str) -> str:
    """ENGLISH, SPANISH, or "" when the message says nothing about its language."""
    head = clip(text)
    english = spanish = 0
    for word in tokens(head):
        if word in SPANISH_WORDS:
            spanish += 1
        elif word in ENGLISH_WORDS:
            english += 1
    if spanish or any(mark in head for mark in _SPANISH_MARKS):
        return SPANISH
    return ENGLISH if english else ""


# --- What an English message asks for ---------------------------------------------------------

# English words and phrases (folded, as token tuples) and the service slug each means
# (data/services.csv). Only English messages are read with this table.
_NEED_PHRASES: Mapping[tuple[str, ...], str] = {
    tuple(phrase.split()): slug
    for slug, phrases in {
        "financiamiento": (
            "loan, loans, credit, microcredit, financing, finance, funding, funds, capital, "
            "money, grant, grants, investment, investor, seed capital"
        ),
        "formalizacion": (
            "register, registering, registration, license, licence, licensing, permit, "
            "permits, formalize, formalise, legalize, legalise, incorporate, paperwork"
        ),
        "propiedad_intelectual": "trademark, trademarks, patent, copyright, brand, logo",
        "capacitacion": (
            "training, train, course, courses, workshop, workshops, class, classes, seminar, "
            "learn, learning"
        ),
        "exportacion": "export, exports, exporting, exporter, import, importing, foreign trade",
        "mercadeo": (
            "marketing, sell, selling, sales, customers, clients, advertising, advertise, "
            "promote, promotion, market my"
        ),
        "finanzas": (
            "accounting, accountant, bookkeeping, taxes, tax, budget, cash flow, costs, finances"
        ),
        "asesoria": (
            "advice, advisor, adviser, advisory, consulting, consultant, mentoring, mentor, "
            "coaching, diagnosis, help with my business, grow my business, "
            "improve my business, manage my business"
        ),
        "emprendimiento": (
            "start a business, start my business, start a small business, starting a business, "
            "open a business, open my business, new business, business idea, idea, startup, "
            "business plan, entrepreneurship, incubator"
        ),
        "digital": (
            "website, web page, online, internet, social media, facebook, instagram, "
            "ecommerce, e commerce, digital, app"
        ),
        "calidad": "quality, certification, certify, standards, iso, food safety, haccp",
        "asociatividad": "cooperative, coop, association, cluster, value chain, partnership",
    }.items()
    for phrase in (p.strip() for p in phrases.split(","))
}
_LONGEST = max(len(p) for p in _NEED_PHRASES)
_NEGATIONS = frozenset({"not", "no", "dont", "don", "doesn", "didn", "without"})
_NEGATION_REACH = 4  # «I don't need a loan»: the negation is at most this many words before
# «register my brand» is a trademark, not a business registration
_REGISTER = frozenset({"register", "registering", "registration"})
_REGISTER_REACH = 3


def english_needs(text: str) -> tuple[str, ...]:
    """The services an English message asks for, in the order it names them (not negated)."""
    words = tokens(clip(text))
    found: list[str] = []
    negated_until = -1
    k = 0
    while k < len(words):
        if words[k] in _NEGATIONS:
            negated_until = k + _NEGATION_REACH
        slug, length = _need_at(words, k)
        if slug and k > negated_until and slug not in found:
            found.append(slug)
        k += max(length, 1)
    return tuple(found)


def _need_at(words: list[str], k: int) -> tuple[str, int]:
    """The longest phrase of the table starting at word k: (slug, words) or ("", 0)."""
    for length in range(min(_LONGEST, len(words) - k), 0, -1):
        slug = _NEED_PHRASES.get(tuple(words[k : k + length]))
        if slug is None:
            continue
        if words[k] in _REGISTER:
            ahead = words[k + 1 : k + 1 + _REGISTER_REACH]
            if any(_NEED_PHRASES.get((w,)) == "propiedad_intelectual" for w in ahead):
                return "", 1  # the brand that follows is what is asked for
        return slug, length
    return "", 0

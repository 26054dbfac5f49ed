"""Finding place names in a message: exact gazetteer names, their cues and qualifiers.

Each name found is a ``Mention`` with a strength: how sure we are that it says where the user
is, from the cue before it ("soy de", "I live in", "vender en"), a department or country after
it ("de Yoro", ", Cortés"), a larger place nearby after it ("San Vito de Coto Brus"), its
capital letters, and whether it is made of ordinary words. A name is found as written, or by
its first words when they begin one place's name only ("Benque Viejo").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bot.domain.gazetteer import Gazetteer, NameMatches, haversine_km
from bot.domain.location.message import ARTICLES, HARD_BREAK, Message
from bot.domain.location.words import (
    CHAT,
    CLAUSE_VERBS,
    COMMON_PHRASES,
    DEPT_AFTER,
    DEPT_FILLERS,
    DEST_PHRASES,
    DEST_VERBS,
    DEST_WORDS,
    FILLERS,
    GIVEN_NAMES,
    NAME_CUES,
    NAME_STARTERS,
    NOT_NAME,
    ORDINARY,
    ORIGIN_CUES,
    ORIGIN_VERBS,
    PLACE_AFTER,
    QUALIFIER_LEAD,
    SITUATION_CUES,
    SOFT_DEPT_FILLERS,
    SOURCE_VERBS,
    SPAN_STOP,
    TO_DEST_VERBS,
    WEAK_CUES,
    Phrase,
)
from bot.domain.models import Place

ORIGIN = frozenset({"origin", "situation"})  # cues saying where the user is
_MAX_SPAN = 8  # longest place name (in words) looked up in free text
_DIVISION_WORDS = frozenset({"provincia", "departamento", "depto", "dpto", "municipio", "comarca"})
_WHOLE = frozenset({"en", "de", "desde", "por", "aqui", "aca", "in", "from", "at", "on"})


def _by_last_word(phrases: Sequence[Phrase]) -> Mapping[str, tuple[Phrase, ...]]:
    """The phrases by their last word, in their order: only those can end before a token."""
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        index.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


_DEPT_FILLERS = _by_last_word(DEPT_FILLERS)
_SOFT_DEPT_FILLERS = _by_last_word(SOFT_DEPT_FILLERS)
_FILLERS = _by_last_word(FILLERS)
_CUES = tuple(
    (kind, _by_last_word(phrases))
    for kind, phrases in (
        ("dest", DEST_PHRASES),  # first: "vender en" is not "en"
        ("origin", ORIGIN_CUES),
        ("situation", SITUATION_CUES),
        ("dest", DEST_WORDS),
        ("name", NAME_CUES),
        ("weak", WEAK_CUES),
    )
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place, department or country name found in a message, and how sure we are of it."""

    start: int  # token index
    end: int  # token index after the name
    stop: int  # token index after the name and its qualifiers
    key: str
    matches: NameMatches
    strength: int  # 3 said to be where the user is / whole message / qualified, 2, 1
    admin1s: tuple[str, ...] = ()  # department qualifier
    country: str = ""  # country qualifier
    departments_only: bool = False  # "el departamento de X"
    nearby: bool = False  # narrowed by a larger place named after it ("San Vito de Coto Brus")


class Cue(NamedTuple):
    """What the words before a name say about it."""

    kind: str  # origin ("soy de"), situation ("estoy en"), weak, dest, name or ""
    division: str  # "strict" ("el departamento de"), "soft" ("distrito de") or ""
    lead: int  # the token where the fillers between the cue and the name begin


def _skip_back(msg: Message, k: int, phrases: Mapping[str, tuple[Phrase, ...]]) -> int:
    for _ in range(3):
        for p in phrases.get(msg.folds[k - 1], ()) if k > 0 else ():
            if msg.ends_with(k, p):
                k -= len(p)
                break
        else:
            return k
    return k


def cue_before(msg: Message, i: int) -> Cue:
    """The kind of words before token i: origin ("soy de", "I'm from"), situation ("estoy
    en", "based in"), weak, dest, name or ""; whether a department is said ("el departamento
    de": strictly; "distrito de", "región": a department of that name first, else a place);
    and where the fillers after the cue begin ("centro de", "la ciudad de")."""
    k = _skip_back(msg, i, _DEPT_FILLERS)
    division = "strict" if k != i else ""
    if not division:
        k = _skip_back(msg, i, _SOFT_DEPT_FILLERS)
        division = "soft" if k != i else ""
    k = _skip_back(msg, k, _FILLERS)
    if k > 1 and msg.folds[k - 1] in ARTICLES - {"de", "del"} and not msg.broken(k - 1, k + 1):
        k -= 1  # "en la Ciudad de Guatemala": the article is not part of the name here
    last = msg.folds[k - 1] if k > 0 else ""
    for kind, phrases in _CUES:
        if any(msg.ends_with(k, p) for p in phrases.get(last, ())):
            verbs = SOURCE_VERBS if last == "from" else DEST_VERBS
            if kind == "weak" and _selling_clause(msg, k, verbs):
                # "quiero vender mi café en Tegucigalpa", "I buy my supplies from Mexico"
                return Cue("dest", division, k)
            return Cue(kind, division, k)
    return Cue("weak" if division else "", division, k)


def _selling_clause(msg: Message, k: int, verbs: frozenset[str] = DEST_VERBS) -> bool:
    """Whether the clause before token k is about selling or sending somewhere (or, with
    ``SOURCE_VERBS``, buying from somewhere)."""
    for j in range(k - 1, max(-1, k - 8), -1):
        if msg.folds[j] in verbs:
            return True
        if (
            verbs is DEST_VERBS
            and msg.folds[j] in TO_DEST_VERBS
            and j
            and msg.folds[j - 1] == "to"
        ):
            return True  # "I want to sell my bread in Belmopan"
        if msg.folds[j] in ORIGIN_VERBS or HARD_BREAK.search(msg.gap(j)):
            return False
    return False


def wordlike(key: str) -> bool:
    return all(w in ORDINARY for w in key.split())


def qualifiers(msg: Message, j: int, gazetteer: Gazetteer) -> tuple[int, tuple[str, ...], str]:
    """Department / country named right after a place: ", Cortés", "de Yoro", "depto. de X"."""
    admin1s: tuple[str, ...] = ()
    country = ""
    stop = j
    for _ in range(2):
        k = stop
        while k < len(msg.folds) and msg.folds[k] in QUALIFIER_LEAD and k - stop < 3:
            k += 1
        found = None
        for length in range(min(5, len(msg.folds) - k), 0, -1):
            key = " ".join(msg.folds[k : k + length])
            m = gazetteer.lookup(key)
            if (m.departments or m.country) and not msg.broken(k, k + length):
                found = (k + length, m)
                break
        if found is None:
            break
        end, m = found
        if m.country and not country:
            country = m.country
        elif m.departments and not admin1s:
            admin1s = m.departments
        else:
            break
        stop = end
    return stop, admin1s, country


def cue_span(msg: Message, k: int) -> int:
    """End (exclusive) of the words after a cue that could be a place name."""
    j = k
    while j < len(msg.folds) and j - k < 5:
        if msg.folds[j] in SPAN_STOP or (j > k and msg.broken(j - 1, j + 1)):
            break
        j += 1
    return j


def looks_like_name(msg: Message, i: int, j: int) -> bool:
    """Whether words the gazetteer lacks look like a place's name ("Narnia", "San Emigdio")."""
    words = [w for w in msg.folds[i:j] if w not in {"la", "el", "los", "las"}]
    if not words or not words[0].isalpha() or len(words[0]) < 3:
        return False
    first = words[0]
    if first in CHAT or first in SPAN_STOP or first in NOT_NAME:
        return False
    if first in ORDINARY and not (
        first in NAME_STARTERS and any(_namelike(msg, k) for k in range(i + 1, j))
    ):
        return False
    return len(msg.folds) <= 4 or msg.capitalised(i, j)


def _prefs(countries: str | Sequence[str]) -> tuple[str, ...]:
    """The preferred countries, as a tuple (a single home country is accepted)."""
    return (countries,) if isinstance(countries, str) else tuple(countries)


def exact_mentions(
    msg: Message, gazetteer: Gazetteer, prefs: str | Sequence[str]
) -> list[Mention]:
    """Every place, department or country name in the message, with how sure we are.

    ``prefs``: the countries whose places are read first (the remembered one, the home one).
    """
    countries = _prefs(prefs)
    out: list[Mention] = []
    n = len(msg.folds)
    longest = min(_MAX_SPAN, gazetteer.max_key_tokens)
    # the words that are not small talk: a name is the whole message when it holds them all
    content = [k for k, w in enumerate(msg.folds) if w not in CHAT and w not in _WHOLE]
    # last_content[k]: the last word before token k that is not small talk (-1: none)
    last_content = [-1] * (n + 1)
    for k, w in enumerate(msg.folds):
        last_content[k + 1] = last_content[k] if w in CHAT or w in _WHOLE else k
    i = 0
    while i < n:
        hit = _name_at(msg, gazetteer, i, longest)
        begun = _beginning_at(msg, gazetteer, i, longest, hit[0] if hit else i, countries)
        if begun is not None:
            hit = begun  # "Flores Costa": Flores Costa Cuca, not Flores
        if hit is None:
            i += 1
            continue
        end, key, m = hit
        after = end
        if (
            after < n
            and m.places
            and msg.folds[after] in PLACE_AFTER
            and not msg.broken(after - 1, after + 1)
        ):
            after += 1  # "Liberia centro", "Corozal Town"
        stop, admin1s, country = qualifiers(msg, after, gazetteer)
        cue = cue_before(msg, i)
        departments_only = cue.division == "strict" or (
            cue.division == "soft" and bool(m.departments)
        )
        if (
            m.departments
            and stop == end
            and end < n
            and msg.folds[end] in DEPT_AFTER
            and not msg.broken(end - 1, end + 1)
        ):
            departments_only, stop = True, end + 1  # "Belize District"
        nearby = False
        if (
            m.places
            and not (departments_only or m.country or country)
            and (stop == after or not any(p.admin1 in admin1s for p in m.places))
        ):
            # no qualifier, or a department none of the namesakes is in: «El Carmen de San
            # Miguel» is El Carmen (La Unión) near the city, not one of San Miguel's department
            near = _near_larger_place(msg, gazetteer, key, m, after, longest)
            if near is not None:  # "San Vito de Coto Brus"
                stop, admin1s, country, m = near
                nearby = True
        lead = cue.lead
        whole = not content or (lead <= content[0] and content[-1] < stop)
        clause = last_content[lead] < msg.clause_start[i] and _ends_clause_or_verb(msg, stop)
        qualified = bool(admin1s or country or nearby)
        strength = _strength(
            msg, i, end, key, m, cue.kind, qualified, departments_only, countries, whole, clause
        )
        if (
            begun is not None
            and (" " not in key or wordlike(key))
            and not (cue.kind in ORIGIN or whole or clause or qualified)
        ):
            strength = 0  # "I speak Spanish" is not Spanish Lookout
        out.append(
            Mention(i, end, stop, key, m, strength, admin1s, country, departments_only, nearby)
        )
        i = stop
    return out


def _name_at(
    msg: Message, gazetteer: Gazetteer, i: int, longest: int
) -> tuple[int, str, NameMatches] | None:
    """The longest name of the gazetteer that starts at token i: (end, key, matches)."""
    n = len(msg.folds)
    for length in range(min(longest, n - i), 0, -1):
        if length > 1 and msg.broken(i, i + length):
            continue
        key = " ".join(msg.folds[i : i + length])
        if i > 0 and msg.folds[i - 1] == "del" and not msg.broken(i - 1, i + 1):
            # "soy del Porvenir" is "soy de El Porvenir"
            m = gazetteer.lookup("el " + key)
            if m and not m.country and not m.outside:
                return i + length, "el " + key, m
        if len(key) < 3 and key not in gazetteer:
            continue
        if length > 1 and msg.folds[i] in _DIVISION_WORDS:
            continue  # "provincia de Limón": the filler is read as one, then the name
        m = gazetteer.lookup(key)
        if m:
            return i + length, key, m
    return None


def _beginning_at(
    msg: Message,
    gazetteer: Gazetteer,
    i: int,
    longest: int,
    shortest: int,
    prefs: Sequence[str],
) -> tuple[int, str, NameMatches] | None:
    """The first words of one place's longer name, starting at token i and longer than any
    name found there (ending after token ``shortest``): "Benque Viejo" for Benque Viejo el
    Carmen. The place must be the only one so begun in the region, else the only one in the
    country or department named after it, or in the first preferred country that has any."""
    n = len(msg.folds)
    for length in range(min(longest - 1, n - i), max(shortest - i, 0), -1):
        if length > 1 and msg.broken(i, i + length):
            continue
        key = " ".join(msg.folds[i : i + length])
        places = gazetteer.completions(key)
        if not places:
            continue
        first = msg.folds[i]
        if first in NOT_NAME or first in SPAN_STOP or first in CHAT:
            return None
        if not _name_ends(msg, i + length):
            continue  # "la ciudad de Guatemala", "Cochea Abajo": the name goes on
        if wordlike(key) and sum(w not in ARTICLES for w in key.split()) < 2:
            return None  # "orange", "la ciudad": ordinary words begin many names
        place = _one_place(msg, gazetteer, places, i + length, prefs)
        return None if place is None else (i + length, key, NameMatches(names=(place,)))
    return None


def _name_ends(msg: Message, end: int) -> bool:
    """Whether a name stops before token ``end``: the clause ends, or a word follows that
    goes on with no name ("y", "need", "quiero")."""
    if _ends_clause(msg, end):
        return True
    word = msg.folds[end]
    return word not in ARTICLES and (
        word in SPAN_STOP or word in NOT_NAME or word in CLAUSE_VERBS or word in CHAT
    )


def _one_place(
    msg: Message, gazetteer: Gazetteer, places: Sequence[Place], end: int, prefs: Sequence[str]
) -> Place | None:
    """The one place among these: alone, or alone in the department or country named after
    them, or in the first preferred country that has any."""
    _, admin1s, country = qualifiers(msg, end, gazetteer)
    if admin1s or country:
        kept = [p for p in places if p.admin1 in admin1s or p.country == country]
        return kept[0] if len(kept) == 1 else None
    if len(places) == 1:
        return places[0]
    for c in prefs:
        kept = [p for p in places if p.country == c]
        if kept:
            return kept[0] if len(kept) == 1 else None
    return None


NEARBY_KM = 40.0  # "Lugar de Subdivisión": how far the larger place may be...
NEARBY_SMALLEST = 1000  # ...and how large at least (and twice the place it locates)


def _near_larger_place(
    msg: Message, gazetteer: Gazetteer, key: str, m: NameMatches, end: int, longest: int
) -> tuple[int, tuple[str, ...], str, NameMatches] | None:
    """A larger place named right after a place ("San Vito de Coto Brus", "La Fortuna,
    San Carlos", "Agua Buena Puerto Armuelles"): the namesakes of the first within
    ``NEARBY_KM`` of the second, with the end of the second name and its own qualifiers.

    The second place is twice as large as the one it locates at least (a municipality's
    seat, a canton): «San José del Potrero» is no San José near a hamlet El Potrero. Without
    "de" or a comma, the first name must not begin longer names: «San José Villanueva» is a
    municipality the gazetteer lacks, not a San José near Villanueva. When the second name
    has namesakes, its largest meaning that has any of the first nearby decides («El Carmen
    de San Miguel»: near San Miguel, El Salvador, not near a village of Panamá called so).
    """
    n = len(msg.folds)
    k = end
    if k >= n or msg.gap(k).strip() not in ("", ",", "-", "/"):
        return None
    linked = bool(msg.gap(k).strip())
    if msg.folds[k] in ("de", "del") and not msg.broken(k, k + 1):
        if (*key.split(), "de") in FILLERS:
            return None  # "el centro de Maimón" is Maimón
        linked, k = True, k + 1
    found = _name_at(msg, gazetteer, k, longest) if k < n else None
    if found is None:
        return None
    b_end, _, b = found
    if b.country or b.outside or not b.places:
        return None
    same = {p.id for p in b.places}
    if any(a.id in same for a in m.places):  # "San Pedro, Ambergris Caye": one place
        stop, admin1s, country = qualifiers(msg, b_end, gazetteer)
        return (
            stop,
            admin1s,
            country,
            NameMatches(names=tuple(a for a in m.places if a.id in same)),
        )
    if not linked and gazetteer.begins_longer_names(key):
        return None  # «San José Villanueva»: a longer name the gazetteer lacks
    near: dict[int, list[Place]] = {}  # by the second name's place: the first's nearby
    for p in b.places:
        for a in m.places:
            if p.id == a.id or p.population < max(2 * a.population, NEARBY_SMALLEST):
                continue
            if abs(p.lat - a.lat) > 0.4 or abs(p.lon - a.lon) > 0.4:
                continue  # about 44 km: too far, without computing the distance
            if haversine_km(a.lat, a.lon, p.lat, p.lon) <= NEARBY_KM:
                near.setdefault(p.id, []).append(a)
    if not near:
        return None
    size = {p.id: p.population for p in b.places}
    largest = max(near, key=lambda pid: (size[pid], -pid))
    stop, admin1s, country = qualifiers(msg, b_end, gazetteer)
    places = tuple(sorted(near[largest], key=lambda p: (-p.population, p.id)))
    return stop, admin1s, country, NameMatches(names=places)


def _ends_clause_or_verb(msg: Message, stop: int) -> bool:
    """Whether a name that starts its clause also fills it: "Managua, quiero un crédito",
    "Patzité quiero vender", "necesito capacitación, Chichigalpa" (small talk and "aquí en"
    may go before it)."""
    if _ends_clause(msg, stop) or msg.folds[stop] in CLAUSE_VERBS:
        return True
    # "Managua y quiero un crédito"
    after = msg.folds[stop + 1] if stop + 1 < len(msg.folds) else ""
    return msg.folds[stop] in ("y", "pero") and after in CLAUSE_VERBS


def _ends_clause(msg: Message, stop: int) -> bool:
    """Whether the clause ends at token ``stop`` (punctuation or the end of the message)."""
    return stop >= len(msg.folds) or msg.clause_end[stop - 1] == stop


def _phrase_goes_on(msg: Message, end: int, home: bool) -> bool:
    """Whether ordinary words go on into a phrase: "el plan de negocios", "trabajo en sociedad
    con mi hermano" (a department or country after "de" was read as a qualifier before)."""
    if end >= len(msg.folds) or msg.broken(end - 1, end + 1):
        return False
    follower = msg.folds[end]
    return follower in ("de", "del") or (not home and follower in _PHRASE_LINKS)


_PHRASE_LINKS = frozenset({"con", "para", "sin", "que", "a", "al"})


def _strength(
    msg: Message,
    i: int,
    end: int,
    key: str,
    m: NameMatches,
    cue: str,
    qualified: bool,  # a department, country or larger place nearby said after the name
    departments_only: bool,
    prefs: Sequence[str],
    whole: bool,  # the message says nothing but the name (and small talk)
    clause: bool,  # the name fills its clause ("Managua, quiero un crédito")
) -> int:
    """3: surely where the user is; 2: probably a place; 1: a bare name; 0: not taken."""
    if cue in ("dest", "name"):
        return 0
    if departments_only and not m.departments:
        return 0
    if m.outside:  # "vivo en Miami": said to be where the user is, or nothing
        return 3 if cue in ORIGIN or whole or clause else 0
    caps = msg.capitalised(i, end)
    home = any(p.country in prefs for p in (*m.aliases, *m.names)) or any(
        d.split(".")[0] in prefs for d in m.departments
    )
    own = bool(m.aliases or m.names or m.departments or m.country)
    plain = wordlike(key) and not qualified and not caps
    if plain and not (home or own):
        return 0  # "estoy en el centro": an alternate name of a foreign village
    if plain and _phrase_goes_on(msg, end, home):
        return 0  # "mi negocio está en el plan de expansión"
    if plain and not home and key in COMMON_PHRASES and cue != "origin" and not whole:
        # "estoy en el banco haciendo fila", "está en progreso": an ordinary phrase names a
        # place abroad only alone in its clause ("ando en la cruz", "la unión, quiero…"),
        # an ordinary word never
        alone = clause or (cue == "situation" and _ends_clause(msg, end))
        if " " not in key or not alone:
            return 0
    if cue in ORIGIN or departments_only:
        return 3
    if whole:
        return 0 if key in CHAT and not qualified else 3
    if clause and not (plain and key in GIVEN_NAMES):  # "Victoria, quiero…": a person
        return 3
    if qualified:
        return 2 if wordlike(key) else 3
    if m.country:  # "tengo una tienda en Guatemala"
        return 2 if cue == "weak" or caps else 0
    if wordlike(key):  # "quiero un crédito en buena vista": a name ending the sentence
        ends = cue == "weak" and msg.folds[i - 1] in ("en", "in") and _ends_clause(msg, end)
        return 2 if caps or (ends and key not in COMMON_PHRASES) else 0
    if cue == "weak" or caps:
        return 2
    # a bare lower-case word in a sentence: only a name of the home country's places
    return 1 if home else 0


def unknown_tail(msg: Message, mention: Mention, gazetteer: Gazetteer) -> int:
    """The end of a longer name the gazetteer lacks that a found name only starts, else 0.

    «San Juan Talpa» is not San Juan and «San Luis La Herradura» not San Luis: a name that
    begins longer names («San Juan del Sur», «San Luis Jilotepeque») followed, in the same
    clause, by a word that looks like a name («Talpa») or by another place's name («La
    Herradura»). A department or country after it was read as a qualifier already.
    """
    end = mention.end
    n = len(msg.folds)
    if mention.stop != end or end >= n or msg.broken(end - 1, end + 1):
        return 0
    if not gazetteer.begins_longer_names(mention.key):
        return 0
    k = end
    while k < n and k - end < 2 and msg.folds[k] in ARTICLES and not msg.broken(k, k + 1):
        k += 1
    if k >= n or msg.broken(end - 1, k + 1):
        return 0
    for length in range(min(4, n - k), 0, -1):  # another place's name: "La Herradura"
        key = " ".join(msg.folds[end : k + length])
        if key.startswith("del "):
            key = "el " + key[4:]  # «San Luis del Carmen»: El Carmen
        found = gazetteer.lookup(key)
        if found.places and not msg.broken(end, k + length):
            return k + length
    j = k
    while j < n and j - k < 3 and _namelike(msg, j) and not msg.broken(j - 1, j + 1):
        j += 1
    return j if j > k else 0


def _namelike(msg: Message, k: int) -> bool:
    """Whether a word after a place name looks like more of a name (not a common word)."""
    word = msg.folds[k]
    if len(word) < 3 or not word.isalpha():
        return False
    if word in ORDINARY or word in CHAT or word in SPAN_STOP or word in NOT_NAME:
        return False
    if word in QUALIFIER_LEAD or word in ARTICLES or word in CLAUSE_VERBS:
        return False
    if word.endswith(_VERB_ENDINGS):
        return False  # "vendiendo", "trabajamos"
    return not msg.case_informative or msg.toks[k].text[:1].isupper()


_VERB_ENDINGS = ("ando", "iendo", "yendo", "amos", "emos", "imos")


def name_before(msg: Message, i: int) -> tuple[int, int] | None:
    """Name-like words right before a country named after them, that the gazetteer lacks:
    «San Emigdio, El Salvador», «soy de Talpa de Guatemala»."""
    end = i
    while end > 0 and i - end < 1 and msg.folds[end - 1] in ("de", "del", "en", "in", "from"):
        end -= 1
    k = end
    while k > 0 and end - k < 4:
        word = msg.folds[k - 1]
        if word in SPAN_STOP or word in CHAT or (k < end and msg.broken(k - 1, k + 1)):
            break
        if msg.clause_start[k - 1] == k - 1:
            k -= 1
            break
        k -= 1
        if cue_before(msg, k)[0]:
            break
    if k == end or not (msg.clause_start[k] == k or cue_before(msg, k)[0] in ORIGIN):
        return None
    return (k, end) if looks_like_name(msg, k, end) else None

"""Finding place names in a message: exact gazetteer names, their cues and qualifiers.

Each name found is a ``Mention`` with a strength: how sure we are that it says where the user
is, from the cue before it ("soy de", "vender en"), a department or country after it ("de
Yoro", ", Cortés"), its capital letters, and whether it is made of ordinary words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.gazetteer import Gazetteer, NameMatches
from bot.domain.location.message import ARTICLES, HARD_BREAK, Message
from bot.domain.location.words import (
    CHAT,
    DEPT_FILLERS,
    DEST_PHRASES,
    DEST_VERBS,
    DEST_WORDS,
    FILLERS,
    NAME_CUES,
    ORDINARY,
    ORIGIN_CUES,
    ORIGIN_VERBS,
    QUALIFIER_LEAD,
    SPAN_STOP,
    WEAK_CUES,
    Phrase,
)

_MAX_SPAN = 8  # longest place name (in words) looked up in free text
_WHOLE = frozenset({"en", "de", "desde", "por", "aqui", "aca"})  # with CHAT: a name alone


def _by_last_word(phrases: Sequence[Phrase]) -> Mapping[str, tuple[Phrase, ...]]:
    """The phrases by their last word, in their order: only those can end before a token."""
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        index.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


_DEPT_FILLERS = _by_last_word(DEPT_FILLERS)
_FILLERS = _by_last_word(FILLERS)
_CUES = tuple(
    (kind, _by_last_word(phrases))
    for kind, phrases in (
        ("dest", DEST_PHRASES),  # first: "vender en" is not "en"
        ("origin", ORIGIN_CUES),
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


def _skip_back(msg: Message, k: int, phrases: Mapping[str, tuple[Phrase, ...]]) -> int:
    for _ in range(3):
        for p in phrases.get(msg.folds[k - 1], ()) if k > 0 else ():
            if msg.ends_with(k, p):
                k -= len(p)
                break
        else:
            return k
    return k


def cue_before(msg: Message, i: int) -> tuple[str, bool]:
    """The kind of words before token i: origin, weak, dest, name or ""; and 'department'."""
    k = _skip_back(msg, i, _DEPT_FILLERS)
    departments_only = k != i
    k = _skip_back(msg, k, _FILLERS)
    if k > 1 and msg.folds[k - 1] in ARTICLES - {"de", "del"} and not msg.broken(k - 1, k + 1):
        k -= 1  # "en la Ciudad de Guatemala": the article is not part of the name here
    last = msg.folds[k - 1] if k > 0 else ""
    for kind, phrases in _CUES:
        if any(msg.ends_with(k, p) for p in phrases.get(last, ())):
            if kind == "weak" and _selling_clause(msg, k):
                return "dest", departments_only  # "quiero vender mi café en Tegucigalpa"
            return kind, departments_only
    if departments_only:
        return "weak", True
    return "", departments_only


def _selling_clause(msg: Message, k: int) -> bool:
    """Whether the clause before token k is about selling or sending somewhere."""
    for j in range(k - 1, max(-1, k - 8), -1):
        if msg.folds[j] in DEST_VERBS:
            return True
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
    words = [w for w in msg.folds[i:j] if w not in {"la", "el", "los", "las"}]
    if not words or not words[0].isalpha() or len(words[0]) < 3:
        return False
    if any(w in ORDINARY or w in CHAT or w in SPAN_STOP for w in words[:1]):
        return False
    return len(msg.folds) <= 4 or msg.capitalised(i, j)


def exact_mentions(msg: Message, gazetteer: Gazetteer, home_country: str) -> list[Mention]:
    """Every place, department or country name in the message, with how sure we are."""
    out: list[Mention] = []
    n = len(msg.folds)
    longest = min(_MAX_SPAN, gazetteer.max_key_tokens)
    # the words that are not small talk: a name is the whole message when it holds them all
    content = [k for k, w in enumerate(msg.folds) if w not in CHAT and w not in _WHOLE]
    i = 0
    while i < n:
        hit = None
        for length in range(min(longest, n - i), 0, -1):
            if length > 1 and msg.broken(i, i + length):
                continue
            key = " ".join(msg.folds[i : i + length])
            if i > 0 and msg.folds[i - 1] == "del" and not msg.broken(i - 1, i + 1):
                # "soy del Porvenir" is "soy de El Porvenir"
                m = gazetteer.lookup("el " + key)
                if m and not m.country:
                    hit = (i + length, "el " + key, m)
                    break
            if len(key) < 3 and key not in gazetteer:
                continue
            m = gazetteer.lookup(key)
            if m:
                hit = (i + length, key, m)
                break
        if hit is None:
            i += 1
            continue
        end, key, m = hit
        stop, admin1s, country = qualifiers(msg, end, gazetteer)
        cue, departments_only = cue_before(msg, i)
        whole = not content or (i <= content[0] and content[-1] < stop)
        strength = _strength(
            msg, i, end, key, m, cue, admin1s, country, departments_only, home_country, whole
        )
        out.append(Mention(i, end, stop, key, m, strength, admin1s, country, departments_only))
        i = stop
    return out


def _strength(
    msg: Message,
    i: int,
    end: int,
    key: str,
    m: NameMatches,
    cue: str,
    admin1s: tuple[str, ...],
    country: str,
    departments_only: bool,
    home_country: str,
    whole: bool,  # the message says nothing but the name (and small talk)
) -> int:
    """3: surely where the user is; 2: probably a place; 1: a bare name; 0: not taken."""
    if cue in ("dest", "name"):
        return 0
    if departments_only and not m.departments:
        return 0
    home = [p for p in (*m.aliases, *m.names) if p.country == home_country]
    home_departments = [d for d in m.departments if d.split(".")[0] == home_country]
    if (
        wordlike(key)
        and not (home or home_departments or admin1s or country)
        and not msg.capitalised(i, end)
    ):
        return 0  # "estoy en el centro": an alternate name of a foreign village
    if cue == "origin" or departments_only:
        return 3
    if whole:
        return 0 if key in CHAT and not (admin1s or country) else 3
    if (admin1s or country) and not wordlike(key):
        return 3
    if wordlike(key) or m.country:
        return 2 if msg.capitalised(i, end) else 0
    if cue == "weak" or msg.capitalised(i, end):
        return 2
    # a bare lower-case word in a sentence: only a name of the home country's places
    return 1 if home or home_departments else 0

"""Misspelled and unknown place names: fuzzy gazetteer lookups after cues and in short messages.

A name typed right after "soy de", "I live in"… or a message of a few words is looked up within
a small edit distance (rapidfuzz, OSA) when it is not found exactly, in the whole region ("soy
de guapilez": Guápiles, Costa Rica) with the preferences of exact names; a name abroad needs
``ABROAD_TYPO_LETTERS`` letters and one slip (two in a long name). Failing that, a word that
looks like a name is reported as an unknown place.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.gazetteer import Gazetteer, NameMatches
from bot.domain.location.message import ARTICLES, Message
from bot.domain.location.names import (
    ORIGIN,
    Mention,
    cue_before,
    cue_span,
    looks_like_name,
    qualifiers,
    wordlike,
)
from bot.domain.location.words import CHAT, ORDINARY, SPAN_STOP
from bot.domain.models import Place


def _wordwise(query: str, key: str) -> bool:
    """Whether each word of a name of as many words is only slightly misspelled.

    The edits of a long name must not pile up in one word: "villa ficticia" is not a typo of
    "villa victoria" (three slips in one word of eight letters).
    """
    typed = [w for w in query.split() if w not in ARTICLES]
    known = [w for w in key.split() if w not in ARTICLES]
    if len(typed) != len(known):
        return True
    return all(_close_word(a, b) for a, b in zip(typed, known, strict=True))


def _close_word(typed: str, known: str) -> bool:
    """One slip per word, two from eight letters when the word still ends the same way; an
    ordinary word is no slip of another ("este" is not "oeste")."""
    if typed in ORDINARY and typed != known:
        return False
    edits = OSA.distance(typed, known)
    if edits <= 1:
        return True
    return edits <= len(known) // 4 and typed[-1:] == known[-1:]


# Letters of a misspelled name that may stand for a place abroad with no country named: a short
# name is typed as it is, or is another (unlisted) place ("soy de Utila" is not Utirá, Panamá).
ABROAD_TYPO_LETTERS = 6
# Slips allowed in a name abroad with no country named: one, two from this many letters.
ABROAD_TWO_SLIPS_LETTERS = 12


def _fuzzy(
    query: str, gazetteer: Gazetteer, country: str = "", prefs: Sequence[str] = ()
) -> NameMatches | None:
    """The names within a small edit distance of query (typos), merged; None when none.

    With ``country`` (a country the message names), only that country's places and
    departments: a typo never crosses a country the user named. Else the closest names
    anywhere in the region, when one is of a preferred country (``prefs``) or the slip is
    plausible abroad (``_plausible_abroad``); failing that, the closest names of the
    preferred countries.
    """
    n = len("".join(w for w in query.split() if w not in ARTICLES))
    if n < 4:
        return None
    max_edits = 1 if n <= 7 else 2 if n <= 12 else 3
    # An edit changes the length by one at most: only names of the same initial and a length
    # within the budget can match (a few dozen instead of the whole gazetteer).
    choices = gazetteer.keys_like(query[:1], len(query) - max_edits, len(query) + max_edits)
    hits = process.extract(query, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=20)
    hits = [h for h in hits if len(h[0]) >= 4 and _wordwise(query, h[0])]
    if country:
        hits = [h for h in hits if _in_country(gazetteer.lookup(h[0]), country)]
    if not hits:
        return None
    best = min(h[1] for h in hits)
    found = _merged(gazetteer, [h[0] for h in hits if h[1] == best], country)
    if country or _preferred(found, prefs) or _plausible_abroad(n, best, found):
        return found
    home = [h for h in hits if _preferred(gazetteer.lookup(h[0]), prefs)]
    if not home:
        return None
    best = min(h[1] for h in home)
    return _merged(gazetteer, [h[0] for h in home if h[1] == best], country)


def _merged(gazetteer: Gazetteer, keys: Sequence[str], country: str) -> NameMatches:
    """What these names mean together (only in ``country`` when one is given)."""
    found = [gazetteer.lookup(k) for k in keys]

    def kept(places: tuple[Place, ...]) -> tuple[Place, ...]:
        return tuple(p for p in places if not country or p.country == country)

    return NameMatches(
        aliases=tuple(p for m in found for p in kept(m.aliases)),
        names=tuple(p for m in found for p in kept(m.names)),
        alternates=tuple(p for m in found for p in kept(m.alternates)),
        departments=tuple(
            d for m in found for d in m.departments if not country or d.startswith(country + ".")
        ),
        country=next((m.country for m in found if m.country), ""),
    )


def _preferred(found: NameMatches, prefs: Sequence[str]) -> bool:
    """Whether the names found hold a place or department of a preferred country."""
    return any(p.country in prefs for p in found.places) or any(
        d.split(".")[0] in prefs for d in found.departments
    )


def _plausible_abroad(letters: int, edits: int, found: NameMatches) -> bool:
    """Whether a slip may stand for names abroad with no country named: a name of
    ``ABROAD_TYPO_LETTERS`` letters or more, one slip (two in a long name), and places that
    bear the name itself (a GeoNames alternate name is too loose a target)."""
    if letters < ABROAD_TYPO_LETTERS or edits > (1 if letters < ABROAD_TWO_SLIPS_LETTERS else 2):
        return False
    return bool(found.aliases or found.names or found.departments)


def _in_country(m: NameMatches, country: str) -> bool:
    return any(p.country == country for p in m.places) or any(
        d.startswith(country + ".") for d in m.departments
    )


def _fuzzy_mention(
    msg: Message,
    gazetteer: Gazetteer,
    k: int,
    j: int,
    shortest: int,
    division: str,
    prefs: Sequence[str],
    named: str,
) -> Mention | None:
    """The longest span k..end (shortest < end <= j) that is a misspelled name, if any;
    ``division``: the division word before it ("strict", "soft" or "", see ``cue_before``)."""
    for end in range(j, max(k, shortest), -1):
        key = " ".join(msg.folds[k:end])
        if wordlike(key):
            continue  # "desde la casa" is not a typo of a town
        found = _fuzzy(key, gazetteer, named, prefs)
        if found:
            stop, admin1s, country = qualifiers(msg, end, gazetteer)
            departments_only = division == "strict" or bool(division and found.departments)
            return Mention(k, end, stop, key, found, 3, admin1s, country, departments_only)
    return None


def after_cues(
    msg: Message,
    gazetteer: Gazetteer,
    mentions: list[Mention],
    prefs: str | Sequence[str],
    named: str = "",
) -> tuple[list[Mention], tuple[int, int] | None]:
    """Typos and unknown names right after "soy de", "estoy en"...

    A name found exactly but shorter than the words after the cue may be the start of a
    misspelled longer name ("san juan d eflores"): the longer fuzzy match then wins.
    ``named``: a country the message names (typos are looked up there only).
    """
    countries = (prefs,) if isinstance(prefs, str) else tuple(prefs)
    out = list(mentions)
    unknown: tuple[int, int] | None = None
    at = {m.start: n for n, m in enumerate(out)}  # mentions start at distinct tokens
    size = len(msg.folds)
    next_start = [size] * (size + 1)  # next_start[p]: the first mention starting at p or after
    for p in range(size - 1, -1, -1):
        next_start[p] = p if p in at else next_start[p + 1]
    reach = 0  # the furthest stop of the mentions that start before token k
    for k in range(len(msg.folds)):
        if k - 1 in at:
            reach = max(reach, out[at[k - 1]].stop)
        cue = cue_before(msg, k)
        if cue.kind not in ORIGIN and not cue.division:
            continue
        if reach > k:  # inside a name found before
            continue
        j = cue_span(msg, k)
        if k in at:
            exact = out[at[k]]
            if j > exact.stop:
                longer = _fuzzy_mention(
                    msg, gazetteer, k, j, exact.stop, cue.division, countries, named
                )
                if longer is not None:
                    out[at[k]] = longer
            continue
        found = _fuzzy_mention(msg, gazetteer, k, j, k, cue.division, countries, named)
        if found is not None:
            at[k] = len(out)
            out.append(found)
        elif (
            unknown is None
            and j > k
            and next_start[k + 1] >= j  # "la ciudad de Guatemala": a name follows
            and looks_like_name(msg, k, j)
        ):
            # the name stops where its department or country begins: "Talpa de Sonsonate"
            end = next((p for p in range(k + 1, j) if qualifiers(msg, p, gazetteer)[0] > p), j)
            unknown = (k, end)
    return out, unknown


def short_message(
    msg: Message,
    gazetteer: Gazetteer,
    mentions: list[Mention],
    prefs: str | Sequence[str],
    named: str = "",
) -> tuple[list[Mention], tuple[int, int] | None]:
    """A message of a few words that is only a (misspelled or unknown) name."""
    countries = (prefs,) if isinstance(prefs, str) else tuple(prefs)
    words = msg.folds
    known = [w in CHAT or w in SPAN_STOP or w in ORDINARY for w in words]
    if len(words) > 4 or all(known) or any(w in CHAT for w in words):
        return mentions, None
    found = _fuzzy(" ".join(words), gazetteer, named, countries)
    if found:
        return [*mentions, Mention(0, len(words), len(words), " ".join(words), found, 3)], None
    if len(words) <= 2 and not any(known) and looks_like_name(msg, 0, len(words)):
        return mentions, (0, len(words))
    return mentions, None

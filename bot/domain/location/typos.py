"""Misspelled and unknown place names: fuzzy gazetteer lookups after cues and in short messages.

A name typed right after "soy de", "estoy en"… or a message of a few words is looked up within
a small edit distance (rapidfuzz, OSA) when it is not found exactly; failing that, a word that
looks like a name is reported as an unknown place.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.gazetteer import Gazetteer, NameMatches
from bot.domain.location.message import ARTICLES, Message
from bot.domain.location.names import (
    Mention,
    cue_before,
    cue_span,
    looks_like_name,
    qualifiers,
    wordlike,
)
from bot.domain.location.words import CHAT, ORDINARY, SPAN_STOP


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
    """One slip per word, two from eight letters when the word still ends the same way."""
    edits = OSA.distance(typed, known)
    if edits <= 1:
        return True
    return edits <= len(known) // 4 and typed[-1:] == known[-1:]


def _fuzzy(query: str, gazetteer: Gazetteer) -> NameMatches | None:
    """The names within a small edit distance of query (typos), merged; None when none."""
    n = len("".join(w for w in query.split() if w not in ARTICLES))
    if n < 4:
        return None
    max_edits = 1 if n <= 7 else 2 if n <= 12 else 3
    # An edit changes the length by one at most: only names of the same initial and a length
    # within the budget can match (a few dozen instead of the whole gazetteer).
    choices = gazetteer.keys_like(query[:1], len(query) - max_edits, len(query) + max_edits)
    hits = process.extract(query, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=20)
    hits = [h for h in hits if len(h[0]) >= 4 and _wordwise(query, h[0])]
    if not hits:
        return None
    best = min(h[1] for h in hits)
    keys = [h[0] for h in hits if h[1] == best]
    found = [gazetteer.lookup(k) for k in keys]
    return NameMatches(
        aliases=tuple(p for m in found for p in m.aliases),
        names=tuple(p for m in found for p in m.names),
        alternates=tuple(p for m in found for p in m.alternates),
        departments=tuple(d for m in found for d in m.departments),
        country=next((m.country for m in found if m.country), ""),
    )


def _fuzzy_mention(
    msg: Message,
    gazetteer: Gazetteer,
    k: int,
    j: int,
    shortest: int,
    departments_only: bool,
    home: str,
    names_country: Callable[[], bool],
) -> Mention | None:
    """The longest span k..end (shortest < end <= j) that is a misspelled name, if any."""
    for end in range(j, max(k, shortest), -1):
        key = " ".join(msg.folds[k:end])
        if wordlike(key):
            continue  # "desde la casa" is not a typo of a town
        found = _fuzzy(key, gazetteer)
        if found and _plausible_typo(found, home, names_country):
            stop, admin1s, country = qualifiers(msg, end, gazetteer)
            return Mention(k, end, stop, key, found, 3, admin1s, country, departments_only)
    return None


def _plausible_typo(found: NameMatches, home: str, names_country: Callable[[], bool]) -> bool:
    """A misspelling stands for a place abroad only when the message names a country.

    "soy de Utila" (a Honduran island missing from the gazetteer) is not Utirá in Panamá.
    """
    if any(p.country == home for p in (*found.aliases, *found.names, *found.alternates)):
        return True
    if any(d.split(".")[0] == home for d in found.departments):
        return True
    return names_country()


def _country_named(msg: Message, gazetteer: Gazetteer) -> Callable[[], bool]:
    """Whether the message names a country anywhere: read once, when first asked (a message
    with many typos abroad is not scanned once per typo)."""
    known: list[bool] = []

    def names_country() -> bool:
        if not known:
            n = len(msg.folds)
            known.append(
                any(
                    gazetteer.lookup(" ".join(msg.folds[i : i + length])).country
                    for i in range(n)
                    for length in (1, 2, 3)
                    if i + length <= n
                )
            )
        return known[0]

    return names_country


def after_cues(
    msg: Message, gazetteer: Gazetteer, mentions: list[Mention], home: str
) -> tuple[list[Mention], tuple[int, int] | None]:
    """Typos and unknown names right after "soy de", "estoy en"...

    A name found exactly but shorter than the words after the cue may be the start of a
    misspelled longer name ("san juan d eflores"): the longer fuzzy match then wins.
    """
    out = list(mentions)
    unknown: tuple[int, int] | None = None
    names_country = _country_named(msg, gazetteer)
    at = {m.start: n for n, m in enumerate(out)}  # mentions start at distinct tokens
    reach = 0  # the furthest stop of the mentions that start before token k
    for k in range(len(msg.folds)):
        if k - 1 in at:
            reach = max(reach, out[at[k - 1]].stop)
        cue, departments_only = cue_before(msg, k)
        if cue != "origin" and not departments_only:
            continue
        if reach > k:  # inside a name found before
            continue
        j = cue_span(msg, k)
        if k in at:
            exact = out[at[k]]
            if j > exact.stop:
                longer = _fuzzy_mention(
                    msg, gazetteer, k, j, exact.stop, departments_only, home, names_country
                )
                if longer is not None:
                    out[at[k]] = longer
            continue
        found = _fuzzy_mention(msg, gazetteer, k, j, k, departments_only, home, names_country)
        if found is not None:
            at[k] = len(out)
            out.append(found)
        elif unknown is None and j > k and looks_like_name(msg, k, j):
            unknown = (k, j)
    return out, unknown


def short_message(
    msg: Message, gazetteer: Gazetteer, mentions: list[Mention], home: str
) -> tuple[list[Mention], tuple[int, int] | None]:
    """A message of a few words that is only a (misspelled or unknown) name."""
    words = msg.folds
    known = [w in CHAT or w in SPAN_STOP or w in ORDINARY for w in words]
    if len(words) > 4 or all(known) or any(w in CHAT for w in words):
        return mentions, None
    found = _fuzzy(" ".join(words), gazetteer)
    if found and _plausible_typo(found, home, _country_named(msg, gazetteer)):
        return [*mentions, Mention(0, len(words), len(words), " ".join(words), found, 3)], None
    if len(words) <= 2 and not any(known) and looks_like_name(msg, 0, len(words)):
        return mentions, (0, len(words))
    return mentions, None

"""Word normalisation for the needs matcher: light stems, sound-alike keys and typo correction.

Typos: a word that is not in the vocabulary is replaced by the vocabulary word that sounds the
same in Spanish ("capasitasion", "esportar", "contavilidad"), or whose stem sounds like the
word's stem (an inflection: "capasitarme" is "capacitar"), or, from five letters on, that is
one slip away (a letter missing, added or swapped; one wrong letter only in long words), found
with rapidfuzz among the words with the same first letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_SOUND_LENGTH = 4  # shorter words must be spelled right
MIN_STEM_SOUND_LENGTH = 6  # a misspelt inflection is matched by the sound of its stem
MIN_FUZZY_LENGTH = 5  # one slip (a letter missing, added or swapped) from this length on
MIN_SUBSTITUTION_LENGTH = 10  # one wrong letter only in long words ("escolar" is no "escalar")
_CACHE_LIMIT = 20_000

# Light Spanish suffixes, longest first; the stem keeps at least four letters.
_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        [
            *("aciones", "iciones", "amientos", "imientos", "amiento", "imiento"),
            *("acion", "icion", "ables", "ibles", "able", "ible"),
            *("ando", "iendo", "aron", "ieron", "ados", "idos", "adas"),
            *("idas", "eres", "oras", "ores", "ora", "ado", "ido", "ada", "ida", "ar", "er"),
            *("ir", "or", "an", "en", "as", "es", "os", "is", "a", "e", "o", "s"),
        ],
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 4


# Object pronouns glued to an infinitive ("evaluarla"); "-nos" and "-se" stay, since
# "organizarnos" (to band together) is not "organizar" (to put in order).
_ENCLITIC = re.compile(r"(?<=[aei]r)(?:la|las|lo|los|le|les|me|te)$")


def stem(word: str) -> str:
    """A light stem: plural, gender, enclitic pronouns and common endings removed."""
    if len(word) <= _MIN_STEM:
        return word
    word = _ENCLITIC.sub("", word) if len(word) > _MIN_STEM + 3 else word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


_SOUNDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ch", "1"),  # keep "ch" apart from "c" and "h"
        (r"qu(?=[ei])", "k"),
        (r"gu(?=[ei])", "2"),  # the hard g of "guerra", apart from the j sound of "gente"
        (r"c(?=[ei])", "s"),
        (r"g(?=[ei])", "j"),
        (r"[cq]", "k"),
        (r"ks", "s"),
        (r"[zx]", "s"),
        (r"v", "b"),
        (r"ll", "y"),
        (r"h", ""),
        (r"(.)\1+", r"\1"),
    )
)


def sound(word: str) -> str:
    """How a folded Spanish word sounds: "capasitacion" and "capacitación" sound the same."""
    for pattern, replacement in _SOUNDS:
        word = pattern.sub(replacement, word)
    return word


class TypoFixer:
    """Replaces a misspelt word by the vocabulary word it stands for (see the module doc).

    ``vocabulary`` holds the words typos are corrected to; ``known`` and ``known_stems`` the
    words (and stems) that are never corrected; a word starting with one of ``prefixes`` (the
    ``prest*`` of a pattern) is not corrected either.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        known: Iterable[str],
        known_stems: Iterable[str],
        prefixes: Iterable[str],
    ) -> None:
        self._known_words = frozenset(known)
        self._known_stems = frozenset(known_stems)
        self._prefixes = frozenset(prefixes)
        self._prefix_lengths = sorted({len(prefix) for prefix in self._prefixes})
        # Bucketed by first letter: typos rarely hit the first letter, and it keeps it fast.
        buckets: dict[str, list[str]] = {}
        sounds: dict[str, str] = {}
        stem_sounds: dict[str, str] = {}
        for word in sorted(vocabulary):
            if len(word) >= MIN_SOUND_LENGTH:
                sounds.setdefault(sound(word), word)
            if len(stem(word)) >= MIN_STEM_SOUND_LENGTH:
                stem_sounds.setdefault(sound(stem(word)), word)
            if len(word) >= MIN_FUZZY_LENGTH - 1:
                buckets.setdefault(word[0], []).append(word)
        self._sounds = sounds
        self._stem_sounds = stem_sounds
        self._fuzzy_buckets = buckets
        self._fix_cache: dict[str, str] = {}

    def fix(self, word: str) -> str:
        """The vocabulary word a misspelt word stands for, or the word itself."""
        cached = self._fix_cache.get(word)
        if cached is not None:
            return cached
        fixed = word
        if (
            len(word) >= MIN_SOUND_LENGTH
            and word.isalpha()
            and word not in self._known_words
            and stem(word) not in self._known_stems
            and not self._has_prefix_pattern(word)
        ):
            fixed = (
                self._sounds.get(sound(word))
                or self._sound_of_stem(word)
                or self._one_slip(word)
                or word
            )
        if len(self._fix_cache) < _CACHE_LIMIT:
            self._fix_cache[word] = fixed
        return fixed

    def _sound_of_stem(self, word: str) -> str | None:
        """A vocabulary word whose stem sounds like this word's ("capasitarme": capacitar)."""
        word_stem = stem(word)
        if word_stem == word or len(word_stem) < MIN_STEM_SOUND_LENGTH:
            return None
        return self._stem_sounds.get(sound(word_stem))

    def _one_slip(self, word: str) -> str | None:
        """A vocabulary word one keyboard slip away: a letter missing, added or swapped."""
        if len(word) < MIN_FUZZY_LENGTH:
            return None
        choices = self._fuzzy_buckets.get(word[0], [])
        for candidate, _, _ in process.extract(
            word, choices, scorer=OSA.distance, score_cutoff=1, limit=5
        ):
            if abs(len(candidate) - len(word)) == 1:
                return candidate
            if len(candidate) == len(word) and (
                sorted(candidate) == sorted(word) or len(word) >= MIN_SUBSTITUTION_LENGTH
            ):
                return candidate
        return None

    def _has_prefix_pattern(self, word: str) -> bool:
        return any(word[:length] in self._prefixes for length in self._prefix_lengths)

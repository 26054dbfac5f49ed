"""Map what an entrepreneur writes to the service slugs of the taxonomy.

The matcher is pure: it receives the needs (``data/services.csv``) and the extra rules
(``data/needs_rules.csv``) already parsed, and precomputes everything once.

Pattern language (both the ``keywords`` of a need and the ``pattern`` of a rule):

* A pattern is a sequence of terms separated by spaces. Consecutive terms may have up to
  ``MAX_GAP`` other words between them (``permiso operacion`` matches "permiso de operación");
  terms joined with ``+`` must be adjacent (``mi+taller``); a term marked with ``~`` may
  stand up to ``WIDE_GAP`` words after the previous one (``@moverse ~en+@pais``: "vender mis
  artesanías de barro en Costa Rica"). Terms never match across punctuation.
* A term is one or more alternatives separated by ``/``. An alternative is a word (it matches
  the same folded word or any word with the same light stem: "préstamos" matches ``prestamo``),
  a prefix ending in ``*`` (``prest*`` matches "prestar", "préstamo", "preste"), an exact word
  starting with ``=`` (``=registros``: no stemming), or ``@name``, a word group defined in the
  rules (its entries may be exact too: ``=florida``, so that "flores" is no Florida). Words
  joined by ``_`` form one alternative of several adjacent words (``caja_rural``).
* Keywords of a need are natural phrases: their stop words (``@stopword``) are dropped and each
  remaining word is a term, with weight ``KEYWORD_WEIGHT``. When a rule of the same slug matches
  the whole keyword, the keyword is left out and the rule's weight applies ("marca" is weak).

Rule kinds (the ``slug`` column of the rules):

* a taxonomy slug: a cue with a weight, 1 (weak: only used when nothing better is found),
  2 (normal) or 3 (strong).
* ``_mask``: the words it matches are no cue at all ("mi taller" is a repair shop, not a
  workshop). Longer matches win the words they cover, so a mask or a two-word cue silences the
  single-word cues inside it. A mask may carry a weight: it then also wins the words of a cue
  of the same length and that weight ("estoy en Nicaragua" is no market to sell to).
* ``_none``: a message about something else (a job seeker, spam); only strong cues survive.
* ``@name``: defines a word group. Some groups drive the code: ``@stopword``; for negation
  ``@negator`` ("no"), ``@filler`` (words allowed between it and the verb), ``@want`` (verbs of
  asking), ``@copula`` ("es"), ``@that`` ("que"), ``@contrast`` ("sino", "lo que") and
  ``@already`` ("ya tengo"), ``@clitic`` (pronouns allowed in "ya me registré"), ``@done``
  (the verbs of "… ya lo tengo"); for ordering ``@ask`` (verbs and question openers that
  introduce the ask: "ocupo", "quiero", "cómo hago"), ``@ask_lead`` (interrogatives a few
  words before the ask verb that open the ask: "qué papeles ocupo") and ``@stage`` (slugs
  whose cues stay main even before the ask verb); ``@name_intro`` ("de", "en": see
  ``_is_name``); for pronouns ``@referent`` (the nouns a pronoun may stand for: "marca") and
  ``@pronoun_lead`` ("cómo" in "¿cómo la registro?", see ``_link_pronouns``). Entries of two
  words ("lo que", "cómo hago") are matched as a pair.
* ``_alias``: ``from/other=to`` rewrites chat spellings ("q=que", "pa=para").
* ``_keep``: words that are never corrected as typos (common words close to a cue word).

Typos: a word that is not in the vocabulary is replaced by the vocabulary word that sounds the
same in Spanish ("capasitasion", "esportar", "contavilidad"), or whose stem sounds like the
word's stem (an inflection: "capasitarme" is "capacitar"), or, from five letters on, that is
one slip away (a letter missing, added or swapped; one wrong letter only in long words), found
with rapidfuzz among the words with the same first letter.

Negation: "no necesito/quiero/ocupo …" and "no es … lo que ocupo" cancel the cues that follow,
up to the next ask verb, contrast word or punctuation; "ya tengo …" cancels in the same way
(up to a new "no" as well; "ya me registré …" too), and "… ya lo tengo" cancels what came
before it in its clause.
"no quiero que me copien" is not a refusal (unless a contrast follows).

Pronouns: an object pronoun glued to a verb ("registrarla") or led by "cómo"/"dónde" ("¿cómo la
registro?") is followed, in the words matched, by the nearest earlier ``@referent`` noun that
agrees with it ("mi marca de salsas …, quiero registrarla" reads "registrarla marca").

Ordering: weak cues make no need when a normal or strong one exists, but a need found by a
normal cue is placed by its first cue of any weight ("aprender a administrar mi negocio en un
curso" asks for the course, told by "aprender"). The needs are ordered by that first cue,
except that cues told before the first ask verb or question (``@ask``, or an ``@ask_lead``
word just before it) are context and follow the ones after it ("vendo en la feria y ocupo el
registro sanitario" asks for the registration), unless their slug is a ``@stage`` one ("tengo
la idea de una panadería y me falta el capital" is about starting a business first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.models import Need
from bot.domain.text import fold

MAX_GAP = 3  # words allowed between two consecutive terms of a pattern
WIDE_GAP = 6  # the same before a term marked with "~" ("vender mis artesanías de barro en …")
KEYWORD_WEIGHT = 2
WEAK = 1
STRONG = 3
NEGATION_SCOPE = 8  # words after the negated ask verb that the negation covers
ASK_LEAD_WINDOW = 4  # words an interrogative may stand before the ask verb ("qué papeles ocupo")
REFERENT_WINDOW = 12  # words back a pronoun looks for its noun ("mi marca … quiero registrarla")

MIN_SOUND_LENGTH = 4  # shorter words must be spelled right
MIN_STEM_SOUND_LENGTH = 6  # a misspelt inflection is matched by the sound of its stem
MIN_FUZZY_LENGTH = 5  # one slip (a letter missing, added or swapped) from this length on
MIN_SUBSTITUTION_LENGTH = 10  # one wrong letter only in long words ("escolar" is no "escalar")
_CACHE_LIMIT = 20_000

MASK = "_mask"
NONE = "_none"
ALIAS = "_alias"
KEEP = "_keep"
GROUP_PREFIX = "@"
EXACT = "="
WIDE = "~"

# Sentence punctuation: a pattern never spans it and it ends a negation's scope.
_CLAUSE_BREAK = re.compile(r"[.,;:!?¿¡()\[\]\n\r\t\"“”]+")

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
# A direct-object pronoun glued to an infinitive or a gerund ("registrarla", "protegiéndolo").
_ENCLITIC_OBJECT = re.compile(r"(?:[aei]r|ando|iendo)(la|las|lo|los)$")
_OBJECT_PRONOUNS = frozenset({"la", "las", "lo", "los"})


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


@dataclass(frozen=True, slots=True)
class NeedRule:
    """One row of data/needs_rules.csv (see the module docstring for the kinds)."""

    slug: str
    weight: int
    pattern: str


@dataclass(frozen=True, slots=True)
class _Tokens:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    clauses: tuple[int, ...]  # the punctuation-delimited clause of each word
    proper: tuple[bool, ...] = ()  # part of a capitalised name ("Puerto Plata", "San Marcos")


_Atom = tuple[str, str | None]  # (word, its stem), (exact word, "") or (prefix, None)


@dataclass(frozen=True, slots=True)
class _Term:
    words: frozenset[str]  # every single-word alternative
    exact: frozenset[str]  # the ones that match only as written ("=registros")
    stems: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[_Atom, ...], ...]  # alternatives of several words ("caja_rural")
    adjacent: bool  # must follow the previous term directly
    gap: int = MAX_GAP  # words allowed between the previous term and this one (when not adjacent)

    def length_at(self, tokens: _Tokens, index: int) -> int:
        """How many words this term matches from ``index`` (0: no match)."""
        best = 0
        for phrase in self.phrases:
            end = index + len(phrase)
            if (
                end <= len(tokens.words)
                and tokens.clauses[end - 1] == tokens.clauses[index]
                and all(
                    _atom_matches(atom, tokens.words[index + k], tokens.stems[index + k])
                    for k, atom in enumerate(phrase)
                )
            ):
                best = max(best, len(phrase))
        if best:
            return best
        word = tokens.words[index]
        if word in self.words or tokens.stems[index] in self.stems:
            return 1
        return 1 if any(word.startswith(prefix) for prefix in self.prefixes) else 0


def _atom_matches(atom: _Atom, word: str, word_stem: str) -> bool:
    text, atom_stem = atom
    if atom_stem is None:
        return word.startswith(text)
    return word == text or (bool(atom_stem) and word_stem == atom_stem)


def _atom(text: str) -> _Atom:
    if text.endswith("*"):
        return (text[:-1], None)
    if text.startswith(EXACT):
        return (text[len(EXACT) :], "")
    return (text, stem(text))


@dataclass(frozen=True, slots=True)
class _Pattern:
    slug: str
    weight: int
    terms: tuple[_Term, ...]


@dataclass(frozen=True, slots=True)
class _Hit:
    pattern: _Pattern
    positions: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.positions[0]


class NeedMatcher:
    """Finds the needs in a message; build it once, call ``match`` per message."""

    def __init__(self, needs: Sequence[Need], rules: Iterable[NeedRule] = ()) -> None:
        rules = tuple(rules)
        self._slugs = tuple(need.slug for need in needs)
        known = set(self._slugs)
        self._groups: dict[str, frozenset[str]] = {}
        self._aliases: dict[str, str] = {}
        keep: set[str] = set()
        for rule in rules:
            if rule.slug.startswith(GROUP_PREFIX):
                words = {  # "=florida" stays exact in a group too ("flores" is no Florida)
                    (EXACT if alt.strip().startswith(EXACT) else "") + fold(alt)
                    for alt in rule.pattern.split("/")
                    if fold(alt)
                }
                name = rule.slug[len(GROUP_PREFIX) :]
                self._groups[name] = self._groups.get(name, frozenset()) | frozenset(words)
            elif rule.slug == ALIAS:
                sources, _, target = rule.pattern.partition("=")
                for source in sources.split("/"):
                    if fold(source):
                        self._aliases[fold(source)] = fold(target)
            elif rule.slug == KEEP:
                keep.update(fold(rule.pattern).split())

        self._stopwords = self._groups.get("stopword", frozenset())
        # Rules first; a keyword that a rule of its slug matches whole takes the rule's weight.
        rule_patterns: dict[tuple[str, str], int] = {}
        for rule in rules:
            if rule.slug in known or rule.slug in (MASK, NONE):
                spec = self._rule_spec(rule.pattern)
                if spec:
                    rule_patterns[(rule.slug, spec)] = rule.weight
            elif not rule.slug.startswith(GROUP_PREFIX) and rule.slug not in (ALIAS, KEEP):
                raise ValueError(f"unknown slug in needs rules: {rule.slug!r}")
        compiled = [
            _Pattern(slug, weight, self._compile(spec))
            for (slug, spec), weight in rule_patterns.items()
        ]
        keyword_specs: dict[tuple[str, str], None] = {}
        for need in needs:
            for keyword in need.keywords:
                spec = self._keyword_spec(keyword)
                if spec and not self._ruled(need.slug, keyword, compiled):
                    keyword_specs[(need.slug, spec)] = None
        compiled += [
            _Pattern(slug, KEYWORD_WEIGHT, self._compile(spec)) for slug, spec in keyword_specs
        ]
        self._patterns = tuple(compiled)
        # Index the patterns by what their first term accepts.
        self._by_word: dict[str, list[_Pattern]] = {}
        self._by_stem: dict[str, list[_Pattern]] = {}
        self._by_prefix: dict[str, list[_Pattern]] = {}
        for pattern in self._patterns:
            first = pattern.terms[0]
            starts: list[_Atom] = [(word, stem(word)) for word in first.words - first.exact]
            starts += [(word, "") for word in first.exact]
            starts += [(prefix, None) for prefix in first.prefixes]
            starts += [phrase[0] for phrase in first.phrases]
            for text, text_stem in starts:
                if text_stem is None:
                    self._by_prefix.setdefault(text, []).append(pattern)
                else:
                    self._by_word.setdefault(text, []).append(pattern)
                    if text_stem:
                        self._by_stem.setdefault(text_stem, []).append(pattern)
        self._prefix_lengths = sorted({len(prefix) for prefix in self._by_prefix})

        # Vocabulary for typo correction: every literal word of a pattern, bucketed by its
        # first letter (typos rarely hit the first letter, and the buckets keep it fast).
        vocabulary: set[str] = {
            word
            for need in needs
            for keyword in need.keywords
            for word in fold(keyword).split()
            if word not in self._stopwords
        }
        for pattern in self._patterns:
            for term in pattern.terms:
                vocabulary.update(term.words)
                vocabulary.update(
                    text for phrase in term.phrases for text, text_stem in phrase if text_stem
                )
        group_words = {word for words in self._groups.values() for word in words}
        self._known_words = frozenset(vocabulary | keep | group_words | set(self._aliases))
        self._known_stems = frozenset(stem(word) for word in vocabulary | keep)
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

        self._want = self._groups.get("want", frozenset())
        contrast = self._groups.get("contrast", frozenset())
        self._contrast = frozenset(word for word in contrast if " " not in word)
        self._contrast_pairs = self._pairs("contrast")
        self._negators = self._groups.get("negator", frozenset({"no"}))
        self._already = self._pairs("already")
        ask = self._groups.get("ask", frozenset())
        self._ask = frozenset(word for word in ask if " " not in word)
        self._ask_pairs = self._pairs("ask")
        self._ask_lead = self._groups.get("ask_lead", frozenset())
        self._clitics = self._groups.get("clitic", frozenset())
        self._done = self._groups.get("done", frozenset())
        self._stage = self._groups.get("stage", frozenset())
        self._copula = self._groups.get("copula", frozenset())
        self._that = self._groups.get("that", frozenset())
        self._filler = self._groups.get("filler", frozenset())
        self._name_intro = self._groups.get("name_intro", frozenset())
        self._referents = self._groups.get("referent", frozenset())
        self._pronoun_lead = self._groups.get("pronoun_lead", frozenset())

    def _pairs(self, group: str) -> frozenset[tuple[str, str]]:
        """The two-word entries of a word group ("lo que", "ya tengo")."""
        pairs = (entry.split() for entry in self._groups.get(group, frozenset()))
        return frozenset((pair[0], pair[1]) for pair in pairs if len(pair) == 2)

    def _ruled(self, slug: str, keyword: str, patterns: Sequence[_Pattern]) -> bool:
        """Whether a rule of ``slug`` matches every content word of ``keyword``."""
        words = tuple(self._aliases.get(word, word) for word in fold(keyword).split())
        tokens = _Tokens(words, tuple(stem(word) for word in words), (0,) * len(words))
        content = {index for index, word in enumerate(words) if word not in self._stopwords}
        for pattern in patterns:
            if pattern.slug != slug:
                continue
            for start in range(len(words)):
                positions = self._extend(pattern, tokens, start)
                if positions is not None and content <= set(positions):
                    return True
        return False

    # -- compiling -----------------------------------------------------------------------

    def _keyword_spec(self, keyword: str) -> str:
        words = fold(keyword).split()
        content = [word for word in words if word not in self._stopwords]
        return " ".join(content or words)

    @staticmethod
    def _rule_spec(pattern: str) -> str:
        """Fold a rule's pattern but keep its operators (``/ * + @ _``)."""

        def fold_alt(alt: str) -> str:
            if alt.startswith(GROUP_PREFIX):
                return GROUP_PREFIX + fold(alt[1:]).replace(" ", "_")
            words = [fold(word) for word in alt.split("_")]
            return "_".join(
                (EXACT if raw.startswith(EXACT) else "")
                + word
                + ("*" if raw.endswith("*") else "")
                for raw, word in zip(alt.split("_"), words, strict=True)
                if word
            )

        parts = []
        for raw in pattern.split():
            wide = raw.startswith(WIDE)
            raw = raw[len(WIDE) :] if wide else raw
            joined = []
            for piece in raw.split("+"):
                alternatives = [fold_alt(alt) for alt in piece.split("/")]
                alternatives = [alt for alt in alternatives if alt.strip("_*")]
                if alternatives:
                    joined.append("/".join(alternatives))
            if joined:
                parts.append((WIDE if wide else "") + "+".join(joined))
        return " ".join(parts)

    def _compile(self, spec: str) -> tuple[_Term, ...]:
        terms: list[_Term] = []
        for chunk in spec.split():
            wide = chunk.startswith(WIDE)
            chunk = chunk[len(WIDE) :] if wide else chunk
            for index, piece in enumerate(chunk.split("+")):
                alternatives: list[str] = []
                for alt in piece.split("/"):
                    if alt.startswith(GROUP_PREFIX):
                        name = alt[len(GROUP_PREFIX) :]
                        if name not in self._groups:
                            raise ValueError(f"unknown word group in needs rules: {alt!r}")
                        alternatives.extend(word.replace(" ", "_") for word in self._groups[name])
                    else:
                        alternatives.append(alt)
                single = [alt for alt in alternatives if "_" not in alt and not alt.endswith("*")]
                exact = {alt[len(EXACT) :] for alt in single if alt.startswith(EXACT)}
                words = {alt for alt in single if not alt.startswith(EXACT)}
                prefixes = tuple(
                    alt[:-1] for alt in alternatives if "_" not in alt and alt.endswith("*")
                )
                phrases = tuple(
                    tuple(_atom(word) for word in alt.split("_") if word)
                    for alt in alternatives
                    if "_" in alt
                )
                terms.append(
                    _Term(
                        words=frozenset(words | exact),
                        exact=frozenset(exact),
                        stems=frozenset(stem(word) for word in words),
                        prefixes=prefixes,
                        phrases=phrases,
                        adjacent=index > 0,
                        gap=WIDE_GAP if wide and index == 0 else MAX_GAP,
                    )
                )
        return tuple(terms)

    # -- matching ------------------------------------------------------------------------

    def _fix_typo(self, word: str) -> str:
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
        return any(word[:length] in self._by_prefix for length in self._prefix_lengths)

    def _tokenize(self, text: str) -> _Tokens:
        words: list[str] = []
        clauses: list[int] = []
        proper: list[bool] = []
        for clause, part in enumerate(_CLAUSE_BREAK.split(text)):
            previous = ""  # the previous word as written; "" at the start of a clause
            previous_name = False
            for written in part.split():
                name = self._is_name(written, previous, previous_name)
                for raw in fold(written).split():
                    alias = self._aliases.get(raw, raw)
                    words.append(alias if name else self._fix_typo(alias))
                    clauses.append(clause)
                    proper.append(name)
                previous, previous_name = written, name
        self._link_pronouns(words, clauses, proper)
        return _Tokens(
            tuple(words), tuple(stem(word) for word in words), tuple(clauses), tuple(proper)
        )

    def _link_pronouns(self, words: list[str], clauses: list[int], proper: list[bool]) -> None:
        """Write the noun an object pronoun stands for after its verb, in place.

        "mi marca de salsas …, quiero registrarla" reads "… registrarla marca"; so does
        "¿cómo la registro?" ("registro marca"). Only the nouns of ``@referent`` are linked,
        the nearest one before the pronoun that agrees with it in gender and number.
        """
        if not self._referents:
            return
        index = 0
        while index < len(words):
            word = words[index]
            glued = _ENCLITIC_OBJECT.search(word)
            pronoun, verb = (glued.group(1), index) if glued else (None, index)
            if pronoun is None and word in _OBJECT_PRONOUNS and index + 1 < len(words):
                previous = words[index - 1] if index else ""
                if previous in self._pronoun_lead and clauses[index + 1] == clauses[index]:
                    pronoun, verb = word, index + 1  # "¿cómo la registro?"
            if pronoun is not None:
                referent = self._referent_before(words, index, pronoun)
                if referent is not None:
                    words.insert(verb + 1, referent)
                    clauses.insert(verb + 1, clauses[verb])
                    proper.insert(verb + 1, False)
                    index = verb + 1
            index += 1

    def _referent_before(self, words: Sequence[str], index: int, pronoun: str) -> str | None:
        """The nearest ``@referent`` noun before ``index`` that agrees with ``pronoun``."""
        feminine, plural = pronoun.startswith("la"), pronoun.endswith("s")
        for position in range(index - 1, max(-1, index - 1 - REFERENT_WINDOW), -1):
            noun = words[position]
            if noun not in self._referents:
                continue
            singular = noun[:-1] if noun.endswith("s") else noun
            if singular.endswith("a") == feminine and noun.endswith("s") == plural:
                return noun
        return None

    def _is_name(self, written: str, previous: str, previous_name: bool) -> bool:
        """A capitalised word after "de", "en", "desde" or another name, as in place names.

        Such words are not corrected as typos and give no weak or normal cue on their own:
        "soy de Puerto Plata" asks for no money, "ando en San Marcos" registers no brand.
        """
        if not previous or not written[:1].isupper() or written.isupper():
            return False
        return previous_name or fold(previous) in self._name_intro

    def _candidates(self, word: str, word_stem: str) -> list[_Pattern]:
        found: list[_Pattern] = []
        found.extend(self._by_word.get(word, ()))
        found.extend(self._by_stem.get(word_stem, ()))
        for length in self._prefix_lengths:
            if length > len(word):
                break
            found.extend(self._by_prefix.get(word[:length], ()))
        return found

    @staticmethod
    def _extend(pattern: _Pattern, tokens: _Tokens, start: int) -> tuple[int, ...] | None:
        """The positions of the words ``pattern`` matches from ``start``, or None."""
        length = pattern.terms[0].length_at(tokens, start)
        if not length:
            return None
        positions = list(range(start, start + length))
        for term in pattern.terms[1:]:
            previous = positions[-1]
            last = previous + 1 if term.adjacent else previous + 1 + term.gap
            found: list[int] = []
            for index in range(previous + 1, min(last + 1, len(tokens.words))):
                if tokens.clauses[index] != tokens.clauses[start]:
                    break
                length = term.length_at(tokens, index)
                if length:
                    found = list(range(index, index + length))
                    break
            if not found:
                return None
            positions.extend(found)
        return tuple(positions)

    def _hits(self, tokens: _Tokens) -> list[_Hit]:
        hits: list[_Hit] = []
        for index, (word, word_stem) in enumerate(zip(tokens.words, tokens.stems, strict=True)):
            seen: set[int] = set()
            for pattern in self._candidates(word, word_stem):
                if id(pattern) in seen:
                    continue
                seen.add(id(pattern))
                positions = self._extend(pattern, tokens, index)
                if positions is not None:
                    hits.append(_Hit(pattern, positions))
        return hits

    def _negated(self, tokens: _Tokens) -> set[int]:
        """Positions covered by "no necesito …", "no es … lo que ocupo" or "ya tengo …"."""
        words = tokens.words
        negated: set[int] = set()
        for index, word in enumerate(words):
            scope_start: int | None = None
            following = words[index + 1] if index + 1 < len(words) else ""
            if word in self._negators:
                scope_start = self._negated_ask(words, index)
            elif (word, following) in self._already:
                scope_start = index + 2
            elif (
                word == "ya"
                and following in self._clitics
                and index + 2 < len(words)
                and (word, words[index + 2]) in self._already
            ):
                scope_start = index + 3  # "ya me registré en la Cámara, ahora …"
            elif word == "ya" and self._done_after(words, index):
                # "el préstamo ya lo tengo": what came before in the clause is done
                start = index
                while start > 0 and tokens.clauses[start - 1] == tokens.clauses[index]:
                    start -= 1
                negated.update(range(max(start, index - NEGATION_SCOPE), index))
                continue
            if scope_start is None:
                continue
            end = min(len(words), scope_start + NEGATION_SCOPE)
            for position in range(scope_start, end):
                if tokens.clauses[position] != tokens.clauses[index]:
                    break
                if position > scope_start and (
                    words[position] in self._want
                    or self._is_contrast(words, position)
                    or words[position] in self._negators  # "ya tiene sucursales y no sabe…"
                ):
                    break
                negated.add(position)
        return negated

    def _ask_start(self, tokens: _Tokens) -> int | None:
        """Where the ask starts: the first ask verb ("ocupo") or pair ("cómo hago").

        An interrogative shortly before the verb opens the ask ("qué papeles ocupo").
        """
        words = tokens.words
        for index, word in enumerate(words):
            following = words[index + 1] if index + 1 < len(words) else ""
            if word in self._ask or (word, following) in self._ask_pairs:
                for lead in range(max(0, index - ASK_LEAD_WINDOW), index):
                    if words[lead] in self._ask_lead and all(
                        tokens.clauses[k] == tokens.clauses[index] for k in range(lead, index)
                    ):
                        return lead
                return index
        return None

    def _done_after(self, words: Sequence[str], index: int) -> bool:
        """ "ya lo tengo", "ya la saqué": an object pronoun and a verb of having it done."""
        pronoun = words[index + 1] if index + 1 < len(words) else ""
        verb = words[index + 2] if index + 2 < len(words) else ""
        return pronoun in ("lo", "la", "los", "las") and verb in self._done

    def _is_contrast(self, words: Sequence[str], index: int) -> bool:
        """ "sino", "pero", "lo que", "es que": the start of what the user does want."""
        if words[index] in self._contrast:
            return True
        following = words[index + 1] if index + 1 < len(words) else ""
        return (words[index], following) in self._contrast_pairs

    def _negated_ask(self, words: Sequence[str], index: int) -> int | None:
        """Where the negation of "no <ask verb>" starts, or None when it negates no ask."""
        position = index + 1
        while position < len(words) and words[position] in self._filler:
            position += 1
        if position >= len(words):
            return None
        has_contrast = any(
            self._is_contrast(words, later) for later in range(position + 1, len(words))
        )
        if words[position] in self._copula:
            # "no es plata lo que ocupo": only with a contrast that names the real need.
            return position + 1 if has_contrast else None
        if words[position] not in self._want:
            return None
        after = words[position + 1] if position + 1 < len(words) else ""
        if after in self._that and not has_contrast:
            return None  # "no quiero que me copien la marca" is a need, not a refusal
        return position + 1

    def match(self, text: str) -> list[str]:
        """Slugs of the needs in ``text``, the main ask first; [] when it has none."""
        tokens = self._tokenize(text)
        if not tokens.words:
            return []
        hits = [
            hit
            for hit in self._hits(tokens)
            if hit.pattern.weight >= STRONG
            or hit.pattern.slug == MASK
            or not all(tokens.proper[position] for position in hit.positions)
        ]
        if not hits:
            return []
        # The longest (then the heaviest; a mask before a cue of its weight) match takes its
        # words; overlapping ones are dropped, except those of the slug that holds the words
        # ("papeles para importar" keeps "importar de China"). Between equal matches, the slug
        # with more normal or strong cues in the message wins ("mejorar el empaque para que dure
        # más" is about shelf life, not image).
        support: dict[str, int] = {}
        for hit in hits:  # weak cues give no support ("inscribir" is no vote for a paper)
            if hit.pattern.weight > WEAK:
                support[hit.pattern.slug] = support.get(hit.pattern.slug, 0) + 1
        hits.sort(
            key=lambda hit: (
                -len(hit.positions),
                -hit.pattern.weight,
                hit.pattern.slug != MASK,
                -support.get(hit.pattern.slug, 0),
                hit.start,
                -hit.positions[-1],
            )
        )
        taken: dict[int, str] = {}
        kept: list[_Hit] = []
        for hit in hits:
            slug = hit.pattern.slug
            if all(taken.get(position, slug) == slug for position in hit.positions):
                taken.update(dict.fromkeys(hit.positions, slug))
                kept.append(hit)
        negated = self._negated(tokens)
        kept = [hit for hit in kept if negated.isdisjoint(hit.positions)]
        if any(hit.pattern.slug == NONE for hit in kept):
            kept = [hit for hit in kept if hit.pattern.weight >= STRONG]
        cues = [hit for hit in kept if hit.pattern.slug not in (MASK, NONE)]
        if not cues:
            return []
        floor = max(hit.pattern.weight for hit in cues)
        floor = WEAK if floor <= WEAK else WEAK + 1
        # A weak cue makes no need on its own, but it tells where a need found otherwise was
        # first asked for: "aprender a administrar mi negocio en un curso" asks for the course.
        present = {hit.pattern.slug for hit in cues if hit.pattern.weight >= floor}
        # What follows the first ask verb ("ocupo", "quiero") is the ask; the clauses before
        # it are mostly context ("gasté los ahorros del negocio, ocupo que me presten").
        ask = self._ask_start(tokens)
        first: dict[str, tuple[int, int, int]] = {}
        for hit in cues:
            if hit.pattern.slug not in present:
                continue
            context = int(
                ask is not None and hit.start < ask and hit.pattern.slug not in self._stage
            )
            key = (context, hit.start, -hit.pattern.weight)
            slug = hit.pattern.slug
            if slug not in first or key < first[slug]:
                first[slug] = key
        return sorted(first, key=lambda slug: first[slug])

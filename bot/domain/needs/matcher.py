"""``NeedMatcher``: the needs in a message, the main ask first.

Ordering: weak cues make no need when a normal or strong one exists, but a need found by a
normal cue is placed by its first cue of any weight ("aprender a administrar mi negocio en un
curso" asks for the course, told by "aprender"). The needs are ordered by that first cue,
except that cues told before the first ask verb or question (``@ask``, or an ``@ask_lead``
word just before it) are context and follow the ones after it ("vendo en la feria y ocupo el
registro sanitario" asks for the registration), unless their slug is a ``@stage`` one ("tengo
la idea de una panadería y me falta el capital" is about starting a business first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.models import Need
from bot.domain.needs.asks import AskReader
from bot.domain.needs.normalize import TypoFixer
from bot.domain.needs.patterns import Hit, PatternIndex, Tokens
from bot.domain.needs.rules import MASK, NONE, STRONG, WEAK, NeedRule, RuleBook
from bot.domain.needs.tokens import Tokenizer
from bot.domain.text import clip


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules read in one message: its words, what they negate, where the ask starts,
    and the needs their cues name, the main ask first."""

    tokens: Tokens
    negated: frozenset[int] = frozenset()
    ask: int | None = None
    slugs: tuple[str, ...] = ()
    refused: frozenset[str] = frozenset()  # needs whose cues are all negated («no busco …»)


class NeedMatcher:
    """Finds the needs in a message; build it once, call ``match`` per message."""

    def __init__(self, needs: Sequence[Need], rules: Iterable[NeedRule] = ()) -> None:
        book = RuleBook(needs, rules)
        self._slugs = book.slugs
        self._index = PatternIndex(book.patterns)
        typos = TypoFixer(
            book.vocabulary, book.known_words(), book.known_stems(), self._index.by_prefix
        )
        self._tokenizer = Tokenizer(
            book.aliases,
            typos.fix,
            name_intro=book.group("name_intro"),
            referents=book.group("referent"),
            pronoun_lead=book.group("pronoun_lead"),
        )
        self._asks = AskReader(book)
        self._stage = book.group("stage")

    def match(self, text: str) -> list[str]:
        """Slugs of the needs in ``text``, the main ask first; [] when it has none.

        Only the first ``MAX_MESSAGE_CHARS`` characters are read (``bot.domain.text.clip``).
        """
        return list(self.read(text).slugs)

    def read(self, text: str, names: Sequence[str] = ()) -> Reading:
        """The rules' reading of ``text`` (its first ``MAX_MESSAGE_CHARS`` characters).

        ``names``: place names the message was found to contain, as written ("santa rosa de
        copan"): their words are names, however they are typed, and give no weak or normal cue.
        """
        return self._read(clip(text), names)

    def _match(self, text: str) -> list[str]:
        """``match`` on the whole text, however long (linear time on any input)."""
        return list(self._read(text).slugs)

    def _read(self, text: str, names: Sequence[str] = ()) -> Reading:
        tokens = self._tokenizer.tokenize(text, names)
        if not tokens.words:
            return Reading(tokens)
        negated = frozenset(self._asks.negated(tokens))
        ask = self._asks.ask_start(tokens)
        hits = [
            hit
            for hit in self._index.hits(tokens)
            if hit.pattern.weight >= STRONG
            or hit.pattern.slug == MASK
            or not all(tokens.proper[position] for position in hit.positions)
        ]
        if not hits:
            return Reading(tokens, negated, ask)
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
        kept: list[Hit] = []
        for hit in hits:
            slug = hit.pattern.slug
            if all(taken.get(position, slug) == slug for position in hit.positions):
                taken.update(dict.fromkeys(hit.positions, slug))
                kept.append(hit)
        refused = {hit.pattern.slug for hit in kept if not negated.isdisjoint(hit.positions)}
        kept = [hit for hit in kept if negated.isdisjoint(hit.positions)]
        refused -= {hit.pattern.slug for hit in kept}
        if any(hit.pattern.slug == NONE for hit in kept):
            kept = [hit for hit in kept if hit.pattern.weight >= STRONG]
        cues = [hit for hit in kept if hit.pattern.slug not in (MASK, NONE)]
        refused -= {MASK, NONE}
        if not cues:
            return Reading(tokens, negated, ask, refused=frozenset(refused))
        floor = max(hit.pattern.weight for hit in cues)
        floor = WEAK if floor <= WEAK else WEAK + 1
        # A weak cue makes no need on its own, but it tells where a need found otherwise was
        # first asked for: "aprender a administrar mi negocio en un curso" asks for the course.
        present = {hit.pattern.slug for hit in cues if hit.pattern.weight >= floor}
        # What follows the first ask verb ("ocupo", "quiero") is the ask; the clauses before
        # it are mostly context ("gasté los ahorros del negocio, ocupo que me presten").
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
        slugs = tuple(sorted(first, key=lambda slug: first[slug]))
        return Reading(tokens, negated, ask, slugs, frozenset(refused))

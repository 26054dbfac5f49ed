"""The compiled pattern language of the needs rules, and matching patterns against words.

A pattern's text (a rule's ``pattern`` or a need's keyword, see ``bot.domain.needs``) is first
folded into a *spec* (``rule_spec``, ``keyword_spec``) and then compiled into terms
(``compile_spec``). ``PatternIndex`` finds every match of the compiled patterns in a tokenised
message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.needs.normalize import stem
from bot.domain.text import fold

MAX_GAP = 3  # words allowed between two consecutive terms of a pattern
WIDE_GAP = 6  # the same before a term marked with "~" ("vender mis artesanías de barro en …")

GROUP_PREFIX = "@"
EXACT = "="
WIDE = "~"

# Sentence punctuation: a pattern never spans it and it ends a negation's scope.
CLAUSE_BREAK = re.compile(r"[.,;:!?¿¡()\[\]\n\r\t\"“”]+")


@dataclass(frozen=True, slots=True)
class Tokens:
    """A message as the matcher sees it: folded, aliased and typo-corrected words."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    clauses: tuple[int, ...]  # the punctuation-delimited clause of each word
    proper: tuple[bool, ...] = ()  # part of a capitalised name ("Puerto Plata", "San Marcos")


Atom = tuple[str, str | None]  # (word, its stem), (exact word, "") or (prefix, None)


@dataclass(frozen=True, slots=True)
class Term:
    words: frozenset[str]  # every single-word alternative
    exact: frozenset[str]  # the ones that match only as written ("=registros")
    stems: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[Atom, ...], ...]  # alternatives of several words ("caja_rural")
    adjacent: bool  # must follow the previous term directly
    gap: int = MAX_GAP  # words allowed between the previous term and this one (when not adjacent)
    # What the first word of a phrase may be (a word, a stem or a prefix): most words are none
    # of them, and then no phrase is tried.
    heads: frozenset[str] = field(init=False, repr=False, compare=False)
    head_stems: frozenset[str] = field(init=False, repr=False, compare=False)
    head_prefixes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        firsts = [phrase[0] for phrase in self.phrases]
        object.__setattr__(self, "heads", frozenset(t for t, s in firsts if s is not None))
        object.__setattr__(self, "head_stems", frozenset(s for _, s in firsts if s))
        object.__setattr__(self, "head_prefixes", tuple(t for t, s in firsts if s is None))

    def length_at(self, tokens: Tokens, index: int) -> int:
        """How many words this term matches from ``index`` (0: no match)."""
        best = 0
        word, word_stem = tokens.words[index], tokens.stems[index]
        phrases = self.phrases
        if phrases and not (
            word in self.heads
            or word_stem in self.head_stems
            or word.startswith(self.head_prefixes)
        ):
            phrases = ()  # no phrase can start with this word
        for phrase in phrases:
            end = index + len(phrase)
            if (
                end <= len(tokens.words)
                and _atom_matches(phrase[0], word, word_stem)
                and tokens.clauses[end - 1] == tokens.clauses[index]
                and all(
                    _atom_matches(atom, tokens.words[index + k], tokens.stems[index + k])
                    for k, atom in enumerate(phrase)
                )
            ):
                best = max(best, len(phrase))
        if best:
            return best
        if word in self.words or word_stem in self.stems:
            return 1
        return 1 if word.startswith(self.prefixes) else 0


def _atom_matches(atom: Atom, word: str, word_stem: str) -> bool:
    text, atom_stem = atom
    if atom_stem is None:
        return word.startswith(text)
    return word == text or (bool(atom_stem) and word_stem == atom_stem)


def _atom(text: str) -> Atom:
    if text.endswith("*"):
        return (text[:-1], None)
    if text.startswith(EXACT):
        return (text[len(EXACT) :], "")
    return (text, stem(text))


@dataclass(frozen=True, slots=True)
class Pattern:
    slug: str
    weight: int
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    pattern: Pattern
    positions: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.positions[0]


# -- compiling -----------------------------------------------------------------------


def keyword_spec(keyword: str, stopwords: Collection[str]) -> str:
    """A need's keyword as a spec: its folded words, stop words dropped."""
    words = fold(keyword).split()
    content = [word for word in words if word not in stopwords]
    return " ".join(content or words)


def rule_spec(pattern: str) -> str:
    """Fold a rule's pattern but keep its operators (``/ * + @ _``)."""

    def fold_alt(alt: str) -> str:
        if alt.startswith(GROUP_PREFIX):
            return GROUP_PREFIX + fold(alt[1:]).replace(" ", "_")
        words = [fold(word) for word in alt.split("_")]
        return "_".join(
            (EXACT if raw.startswith(EXACT) else "") + word + ("*" if raw.endswith("*") else "")
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


def compile_spec(spec: str, groups: Mapping[str, frozenset[str]]) -> tuple[Term, ...]:
    """The terms of a spec; ``@name`` alternatives are expanded from ``groups``."""
    terms: list[Term] = []
    for chunk in spec.split():
        wide = chunk.startswith(WIDE)
        chunk = chunk[len(WIDE) :] if wide else chunk
        for index, piece in enumerate(chunk.split("+")):
            alternatives: list[str] = []
            for alt in piece.split("/"):
                if alt.startswith(GROUP_PREFIX):
                    name = alt[len(GROUP_PREFIX) :]
                    if name not in groups:
                        raise ValueError(f"unknown word group in needs rules: {alt!r}")
                    alternatives.extend(word.replace(" ", "_") for word in groups[name])
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
                Term(
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


def extend(pattern: Pattern, tokens: Tokens, start: int) -> tuple[int, ...] | None:
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


class PatternIndex:
    """The patterns indexed by what their first term accepts; finds their matches."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.by_word: dict[str, list[Pattern]] = {}
        self.by_stem: dict[str, list[Pattern]] = {}
        self.by_prefix: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            first = pattern.terms[0]
            starts: list[Atom] = [(word, stem(word)) for word in first.words - first.exact]
            starts += [(word, "") for word in first.exact]
            starts += [(prefix, None) for prefix in first.prefixes]
            starts += [phrase[0] for phrase in first.phrases]
            for text, text_stem in starts:
                if text_stem is None:
                    self.by_prefix.setdefault(text, []).append(pattern)
                else:
                    self.by_word.setdefault(text, []).append(pattern)
                    if text_stem:
                        self.by_stem.setdefault(text_stem, []).append(pattern)
        self.prefix_lengths = sorted({len(prefix) for prefix in self.by_prefix})

    def candidates(self, word: str, word_stem: str) -> list[Pattern]:
        """The patterns that may start at a word (with repeats)."""
        found: list[Pattern] = []
        found.extend(self.by_word.get(word, ()))
        found.extend(self.by_stem.get(word_stem, ()))
        for length in self.prefix_lengths:
            if length > len(word):
                break
            found.extend(self.by_prefix.get(word[:length], ()))
        return found

    def hits(self, tokens: Tokens) -> list[Hit]:
        """Every match of every pattern, by start position."""
        hits: list[Hit] = []
        for index, (word, word_stem) in enumerate(zip(tokens.words, tokens.stems, strict=True)):
            seen: set[int] = set()
            for pattern in self.candidates(word, word_stem):
                if id(pattern) in seen:
                    continue
                seen.add(id(pattern))
                positions = extend(pattern, tokens, index)
                if positions is not None:
                    hits.append(Hit(pattern, positions))
        return hits


def matches_whole(
    patterns: Sequence[Pattern], slug: str, tokens: Tokens, content: set[int]
) -> bool:
    """Whether a pattern of ``slug`` matches every position of ``content`` at once."""
    for pattern in patterns:
        if pattern.slug != slug:
            continue
        for start in range(len(tokens.words)):
            positions = extend(pattern, tokens, start)
            if positions is not None and content <= set(positions):
                return True
    return False

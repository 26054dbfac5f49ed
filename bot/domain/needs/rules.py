"""The needs rules (data/needs_rules.csv) and keywords, read into word groups and patterns.

``RuleBook`` sorts the rows by kind (see ``bot.domain.needs`` for the kinds and the pattern
language): word groups, aliases and words to keep as they are; then it compiles the rules'
patterns and the needs' keywords, a keyword that a rule of its slug matches whole giving way
to the rule, and gathers the vocabulary that typos are corrected to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.models import Need
from bot.domain.needs.normalize import stem
from bot.domain.needs.patterns import (
    EXACT,
    GROUP_PREFIX,
    Pattern,
    Tokens,
    compile_spec,
    keyword_spec,
    matches_whole,
    rule_spec,
)
from bot.domain.text import fold

KEYWORD_WEIGHT = 2
WEAK = 1
STRONG = 3

MASK = "_mask"
NONE = "_none"
ALIAS = "_alias"
KEEP = "_keep"


@dataclass(frozen=True, slots=True)
class NeedRule:
    """One row of data/needs_rules.csv (see ``bot.domain.needs`` for the kinds)."""

    slug: str
    weight: int
    pattern: str


class RuleBook:
    """The rules and keywords of the needs, parsed and compiled once."""

    def __init__(self, needs: Sequence[Need], rules: Iterable[NeedRule] = ()) -> None:
        rules = tuple(rules)
        self.slugs = tuple(need.slug for need in needs)
        known = set(self.slugs)
        self.groups: dict[str, frozenset[str]] = {}
        self.aliases: dict[str, str] = {}
        keep: set[str] = set()
        for rule in rules:
            if rule.slug.startswith(GROUP_PREFIX):
                words = {  # "=florida" stays exact in a group too ("flores" is no Florida)
                    (EXACT if alt.strip().startswith(EXACT) else "") + fold(alt)
                    for alt in rule.pattern.split("/")
                    if fold(alt)
                }
                name = rule.slug[len(GROUP_PREFIX) :]
                self.groups[name] = self.groups.get(name, frozenset()) | frozenset(words)
            elif rule.slug == ALIAS:
                sources, _, target = rule.pattern.partition("=")
                for source in sources.split("/"):
                    if fold(source):
                        self.aliases[fold(source)] = fold(target)
            elif rule.slug == KEEP:
                keep.update(fold(rule.pattern).split())
        self.keep = frozenset(keep)

        self.stopwords = self.group("stopword")
        # Rules first; a keyword that a rule of its slug matches whole takes the rule's weight.
        rule_patterns: dict[tuple[str, str], int] = {}
        for rule in rules:
            if rule.slug in known or rule.slug in (MASK, NONE):
                spec = rule_spec(rule.pattern)
                if spec:
                    rule_patterns[(rule.slug, spec)] = rule.weight
            elif not rule.slug.startswith(GROUP_PREFIX) and rule.slug not in (ALIAS, KEEP):
                raise ValueError(f"unknown slug in needs rules: {rule.slug!r}")
        compiled = [
            Pattern(slug, weight, compile_spec(spec, self.groups))
            for (slug, spec), weight in rule_patterns.items()
        ]
        keyword_specs: dict[tuple[str, str], None] = {}
        for need in needs:
            for keyword in need.keywords:
                spec = keyword_spec(keyword, self.stopwords)
                if spec and not self._ruled(need.slug, keyword, compiled):
                    keyword_specs[(need.slug, spec)] = None
        compiled += [
            Pattern(slug, KEYWORD_WEIGHT, compile_spec(spec, self.groups))
            for slug, spec in keyword_specs
        ]
        self.patterns = tuple(compiled)

        # Vocabulary for typo correction: every literal word of a pattern or a keyword.
        vocabulary: set[str] = {
            word
            for need in needs
            for keyword in need.keywords
            for word in fold(keyword).split()
            if word not in self.stopwords
        }
        for pattern in self.patterns:
            for term in pattern.terms:
                vocabulary.update(term.words)
                vocabulary.update(
                    text for phrase in term.phrases for text, text_stem in phrase if text_stem
                )
        self.vocabulary = frozenset(vocabulary)

    def group(self, name: str, default: frozenset[str] = frozenset()) -> frozenset[str]:
        """The words of the group ``@name``; ``default`` when the rules do not define it."""
        return self.groups.get(name, default)

    def words_of(self, group: str) -> frozenset[str]:
        """The one-word entries of a word group."""
        return frozenset(word for word in self.group(group) if " " not in word)

    def pairs(self, group: str) -> frozenset[tuple[str, str]]:
        """The two-word entries of a word group ("lo que", "ya tengo")."""
        pairs = (entry.split() for entry in self.group(group))
        return frozenset((pair[0], pair[1]) for pair in pairs if len(pair) == 2)

    def known_words(self) -> frozenset[str]:
        """Words never corrected as typos: the vocabulary, ``_keep``, groups and aliases."""
        group_words = {word for words in self.groups.values() for word in words}
        return frozenset(self.vocabulary | self.keep | group_words | set(self.aliases))

    def known_stems(self) -> frozenset[str]:
        """Stems whose words are never corrected as typos."""
        return frozenset(stem(word) for word in self.vocabulary | self.keep)

    def _ruled(self, slug: str, keyword: str, patterns: Sequence[Pattern]) -> bool:
        """Whether a rule of ``slug`` matches every content word of ``keyword``."""
        words = tuple(self.aliases.get(word, word) for word in fold(keyword).split())
        tokens = Tokens(words, tuple(stem(word) for word in words), (0,) * len(words))
        content = {index for index, word in enumerate(words) if word not in self.stopwords}
        return matches_whole(patterns, slug, tokens, content)

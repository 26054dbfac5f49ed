"""Turning a message into the words the needs patterns are matched against.

Each written word is folded, its chat spelling aliased ("q" is "que") and its typo corrected,
except in capitalised names ("soy de Puerto Plata"). Clauses are cut at punctuation.

Pronouns: an object pronoun glued to a verb ("registrarla") or led by "cómo"/"dónde" ("¿cómo la
registro?") is followed, in the words matched, by the nearest earlier ``@referent`` noun that
agrees with it ("mi marca de salsas …, quiero registrarla" reads "registrarla marca").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence

from bot.domain.needs.normalize import stem
from bot.domain.needs.patterns import CLAUSE_BREAK, Tokens
from bot.domain.text import fold

REFERENT_WINDOW = 12  # words back a pronoun looks for its noun ("mi marca … quiero registrarla")

# A direct-object pronoun glued to an infinitive or a gerund ("registrarla", "protegiéndolo").
_ENCLITIC_OBJECT = re.compile(r"(?:[aei]r|ando|iendo)(la|las|lo|los)$")
_OBJECT_PRONOUNS = frozenset({"la", "las", "lo", "los"})


class Tokenizer:
    """Tokenises messages with the aliases, typo fixer and word groups of the rules."""

    def __init__(
        self,
        aliases: Mapping[str, str],
        fix_typo: Callable[[str], str],
        name_intro: Collection[str],
        referents: Collection[str],
        pronoun_lead: Collection[str],
    ) -> None:
        self._aliases = aliases
        self._fix_typo = fix_typo
        self._name_intro = name_intro
        self._referents = referents
        self._pronoun_lead = pronoun_lead

    def tokenize(self, text: str, names: Sequence[str] = ()) -> Tokens:
        """The words of ``text`` with their stems, clauses and whether they are names.

        ``names``: place names known to be in the text, as written ("santa rosa de copan"):
        their words are names however they are typed (never "corrected": "copan" is no
        "copian").
        """
        words: list[str] = []
        clauses: list[int] = []
        proper: list[bool] = []
        parts = CLAUSE_BREAK.split(text)
        named = _named_positions([fold(w) for p in parts for w in p.split()], names)
        position = 0
        for clause, part in enumerate(parts):
            previous = ""  # the previous word as written; "" at the start of a clause
            previous_name = False
            for written in part.split():
                name = position in named or self._is_name(written, previous, previous_name)
                position += 1
                for raw in fold(written).split():
                    alias = self._aliases.get(raw, raw)
                    words.append(alias if name else self._fix_typo(alias))
                    clauses.append(clause)
                    proper.append(name)
                previous, previous_name = written, name
        self._link_pronouns(words, clauses, proper)
        return Tokens(
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
        # Written anew rather than inserted into (one pass, whatever the number of pronouns).
        linked: list[str] = []
        linked_clauses: list[int] = []
        linked_proper: list[bool] = []
        index = 0
        while index < len(words):
            word = words[index]
            glued = _ENCLITIC_OBJECT.search(word)
            pronoun, verb = (glued.group(1), index) if glued else (None, index)
            if pronoun is None and word in _OBJECT_PRONOUNS and index + 1 < len(words):
                previous = linked[-1] if linked else ""
                if previous in self._pronoun_lead and clauses[index + 1] == clauses[index]:
                    pronoun, verb = word, index + 1  # "¿cómo la registro?"
            referent = None
            if pronoun is not None:
                referent = self._referent_before(linked, len(linked), pronoun)
            last = verb if referent is not None else index
            linked.extend(words[index : last + 1])
            linked_clauses.extend(clauses[index : last + 1])
            linked_proper.extend(proper[index : last + 1])
            if referent is not None:
                linked.append(referent)
                linked_clauses.append(clauses[verb])
                linked_proper.append(False)
            index = last + 1
        words[:] = linked
        clauses[:] = linked_clauses
        proper[:] = linked_proper

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


MAX_NAME_WORDS = 8  # longer "names" are not looked for (no place name is that long)


def _named_positions(written: Sequence[str], names: Sequence[str]) -> frozenset[int]:
    """The positions of the written (folded) words that spell one of ``names``."""
    out: set[int] = set()
    for name in names:
        wanted = fold(name).split()
        if not 0 < len(wanted) <= MAX_NAME_WORDS:
            continue
        for start in range(len(written) - len(wanted) + 1):
            if written[start : start + len(wanted)] == wanted:
                out.update(range(start, start + len(wanted)))
    return frozenset(out)

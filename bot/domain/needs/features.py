"""The features of a message for the learned needs model (``model``): the same function at
training time (``scripts/train_needs.py``) and at run time, over the rules' own reading of the
message (``matcher.Reading``: folded, aliased and typo-corrected words, names, negation and
where the ask starts).

Features are strings, each present once (binary):

* ``w:stem``: a word's light stem; ``b:stem_stem``: two adjacent words of one clause;
* ``c:gram``: the character 4-grams of a word padded with spaces (typos and unseen forms of a
  known word share most of them: "prestamito", "prestamo");
* ``a:stem``: a word at or after the start of the ask ("ocupo …"): the ask outweighs its context;
* ``n:stem``: a negated word ("no busco préstamo"): learned apart, never as the word itself;
* ``r:slug`` / ``rm:slug``: a need the rules found / their main one (the rules' knowledge is one
  more voice the model weighs, not a verdict).

Words of capitalised names ("Santa Rosa de Copán", "Marca Hermanos") give no word feature, so a
place or a business name is not read as a need. Linear in the message's length.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.needs.matcher import Reading

CHAR_GRAM = 4
MIN_GRAM_WORD = 4  # shorter words give only their word feature


def features(reading: Reading) -> set[str]:
    """The features of one message, as the rules read it."""
    tokens = reading.tokens
    out: set[str] = set()
    previous = ""
    previous_clause = -1
    for index, (word, stem) in enumerate(zip(tokens.words, tokens.stems, strict=True)):
        clause = tokens.clauses[index]
        if tokens.proper and tokens.proper[index]:
            previous, previous_clause = "", clause
            continue
        if index in reading.negated:
            out.add(f"n:{stem}")
            previous, previous_clause = "", clause
            continue
        out.add(f"w:{stem}")
        if reading.ask is not None and index >= reading.ask:
            out.add(f"a:{stem}")
        if previous and previous_clause == clause:
            out.add(f"b:{previous}_{stem}")
        if len(word) >= MIN_GRAM_WORD:
            out.update(_grams(word))
        previous, previous_clause = stem, clause
    out.update(f"r:{slug}" for slug in reading.slugs)
    if reading.slugs:
        out.add(f"rm:{reading.slugs[0]}")
    return out


def _grams(word: str) -> Iterable[str]:
    padded = f" {word} "
    return (f"c:{padded[i : i + CHAR_GRAM]}" for i in range(len(padded) - CHAR_GRAM + 1))

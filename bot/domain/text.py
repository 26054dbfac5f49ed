"""Text folding shared by the place and needs matchers."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents (ñ becomes n) and turn punctuation into single spaces.

    People type "Danli", "DANLÍ" and "danlí" for the same town, and rapidfuzz's default
    processor keeps accents, so every comparison happens on folded text.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    folded = fold(text)
    return folded.split() if folded else []

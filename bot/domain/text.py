"""Text folding shared by the place and needs matchers, and the bound on what they read.

``MAX_MESSAGE_CHARS``: the place finder (``bot.domain.location.resolve_location``,
``parse_point``, ``is_short_link``) and the needs matcher (``NeedMatcher.match``) read only the
first 1,024 characters of a message (``clip``). Telegram allows 4,096, but people say where they
are and what they need in a sentence or two: the longest message of the evaluation sets has
under 150 characters, and 1,024 hold a long paragraph (some 170 words). Reading no further keeps
the work per message small and bounded (a quarter of a full Telegram message) whatever is sent.
Every pattern and loop behind these entry points also runs in linear time on any input, so the
bound is a budget, not the only defence (tests/test_linear_time.py measures both).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_MESSAGE_CHARS = 1024  # characters of a message the place finder and needs matcher read

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CUT_WORD_CHARS = 32  # a word cut at the bound is dropped when it is at most this long


def clip(text: str) -> str:
    """The first ``MAX_MESSAGE_CHARS`` characters of a message, without a word cut in two.

    A word that the bound cuts is dropped ("… soy de Tegucigal" is not read as a typo), unless
    the whole tail is one long run with no space to cut at.
    """
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    head = text[:MAX_MESSAGE_CHARS]
    if text[MAX_MESSAGE_CHARS].isspace():
        return head
    tail = head[-_CUT_WORD_CHARS:]
    for k in range(len(tail) - 1, -1, -1):
        if tail[k].isspace():
            return head[: len(head) - len(tail) + k]
    return head


def fold(text: str) -> str:
    """Lower-case, strip accents (ñ becomes n) and turn punctuation into single spaces.

    People type "Danli", "DANLÍ" and "danlí" for the same town, and rapidfuzz's default
    processor keeps accents, so every comparison happens on folded text. The matchers fold
    the same words again and again: a word (up to ``_WORD_CACHE_CHARS``) is folded once.
    """
    if len(text) <= _WORD_CACHE_CHARS:
        return _fold_word(text)
    return _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


_WORD_CACHE_CHARS = 24  # bounded keys: at most 8,192 of them, some kilobytes whatever is sent
_fold_word = lru_cache(maxsize=8192)(_fold)


def tokens(text: str) -> list[str]:
    """The folded words of a text."""
    folded = fold(text)
    return folded.split() if folded else []

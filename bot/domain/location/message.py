"""A message tokenised for the place finder: folded words, their offsets, punctuation and case."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.location.words import Phrase
from bot.domain.text import fold


@dataclass(frozen=True, slots=True)
class _Tok:
    fold: str
    start: int
    end: int
    text: str


ARTICLES = frozenset({"la", "el", "los", "las", "de", "del"})
_WORD = re.compile(r"[^\W_]+")
HARD_BREAK = re.compile(r"[,;:!?¿¡()\[\]\n]|\.(?:\s|$)")
_SENTENCE_BREAK = re.compile(r"[.!?¿¡\n]")


# Abbreviations people write in place names: "Pto. Cortés", "Sta. Rosa", "Fco. Morazán".
_ABBREVIATIONS = {
    "pto": "puerto",
    "sta": "santa",
    "sto": "santo",
    "sn": "san",
    "cd": "ciudad",
    "fco": "francisco",
    "nva": "nueva",
    "nvo": "nuevo",
}


_ABBREVIATED = frozenset({*_ABBREVIATIONS, "depto", "dpto", "dep", "mun", "st", "mt", "r", "rep"})


def _tokenize(text: str) -> list[_Tok]:
    out = []
    for m in _WORD.finditer(text):
        for piece in fold(m.group()).split():
            out.append(_Tok(_ABBREVIATIONS.get(piece, piece), m.start(), m.end(), m.group()))
    return out


class Message:
    """One tokenised message and what is known about its words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.folds = [t.fold for t in self.toks]
        letters = [ch for ch in text if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters)
        # capital letters tell something only in mixed-case text
        self.case_informative = 0 < upper < len(letters) and upper / max(len(letters), 1) < 0.6
        # breaks[k]: punctuation between token k-1 and token k, read once per message
        self._breaks = [False] + [self._breaks_at(k) for k in range(1, len(self.toks))]
        # _before[k]: how many breaks come before token k (broken() in constant time)
        self._before = [0]
        for b in self._breaks:
            self._before.append(self._before[-1] + b)
        # clause_start[k] / clause_end[k]: the tokens of token k's clause (between punctuation)
        n = len(self.toks)
        self.clause_start = [0] * n
        for k in range(1, n):
            self.clause_start[k] = k if self._breaks[k] else self.clause_start[k - 1]
        self.clause_end = [n] * n
        for k in range(n - 2, -1, -1):
            self.clause_end[k] = k + 1 if self._breaks[k + 1] else self.clause_end[k + 1]

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i (the start of the text for i == 0)."""
        if i <= 0:
            return self.text[: self.toks[0].start] if self.toks else self.text
        if i >= len(self.toks):
            return self.text[self.toks[-1].end :]
        return self.text[self.toks[i - 1].end : self.toks[i].start]

    def broken(self, i: int, j: int) -> bool:
        """Whether punctuation separates tokens i..j-1 (the dot of "Pto. Cortés" does not)."""
        n = len(self._breaks)
        if i >= 0 and j <= n:
            return j > i + 1 and self._before[j] - self._before[i + 1] > 0
        breaks = self._breaks
        return any(breaks[k] if 0 < k < n else self._breaks_at(k) for k in range(i + 1, j))

    def _breaks_at(self, k: int) -> bool:
        gap = self.gap(k)
        if not HARD_BREAK.search(gap):
            return False
        return not (gap.strip() == "." and self.toks[k - 1].text.casefold() in _ABBREVIATED)

    def ends_with(self, k: int, phrase: Phrase) -> bool:
        n = len(phrase)
        if k - n < 0 or (n > 1 and self.folds[k - 2] != phrase[-2]):
            return False  # the word before the last one tells most phrases apart
        return tuple(self.folds[k - n : k]) == phrase and not self.broken(k - n, k)

    def source(self, i: int, j: int) -> str:
        return self.text[self.toks[i].start : self.toks[j - 1].end] if j > i else ""

    def capitalised(self, i: int, j: int) -> bool:
        """Written with a capital (not only because it starts a sentence)."""
        if not self.case_informative:
            return False
        words = [t for t in self.toks[i:j] if t.fold not in {"la", "el", "los", "las", "de"}]
        caps = [t.text[:1].isupper() for t in words]
        if not any(caps):
            return False
        sentence_start = i == 0 or bool(_SENTENCE_BREAK.search(self.gap(i)))
        return not sentence_start or sum(caps) >= 2

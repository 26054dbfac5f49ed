"""What a message asks for and what it refuses: negation scopes and the start of the ask.

Negation: "no necesito/quiero/ocupo …" and "no es … lo que ocupo" cancel the cues that follow,
up to the next ask verb, contrast word or punctuation; "ya tengo …" cancels in the same way
(up to a new "no" as well; "ya me registré …" too), and "… ya lo tengo" cancels what came
before it in its clause.
"no quiero que me copien" is not a refusal (unless a contrast follows).

The ask starts at the first ask verb or question (``@ask``), or at an ``@ask_lead`` word a
few words before it ("qué papeles ocupo").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.needs.patterns import Tokens
from bot.domain.needs.rules import RuleBook

NEGATION_SCOPE = 8  # words after the negated ask verb that the negation covers
ASK_LEAD_WINDOW = 4  # words an interrogative may stand before the ask verb ("qué papeles ocupo")
SHORT_REFUSAL = 3  # words a clause closed by "no" may hold to be refused ("capacitación no, …")
NI = "ni"


class AskReader:
    """Reads negations and the ask in tokenised messages, with the word groups of the rules."""

    def __init__(self, book: RuleBook) -> None:
        self._want = book.group("want")
        self._contrast = book.words_of("contrast")
        self._contrast_pairs = book.pairs("contrast")
        self._negators = book.group("negator", frozenset({"no"}))
        self._already = book.pairs("already")
        self._ask = book.words_of("ask")
        self._ask_pairs = book.pairs("ask")
        self._ask_lead = book.group("ask_lead")
        self._clitics = book.group("clitic")
        self._done = book.group("done")
        self._copula = book.group("copula")
        self._that = book.group("that")
        self._filler = book.group("filler")

    def negated(self, tokens: Tokens) -> set[int]:
        """Positions covered by "no necesito …", "no es … lo que ocupo" or "ya tengo …"."""
        words = tokens.words
        negated: set[int] = set()
        # Read once, backwards, for all the negations (not once per "no"): whether a contrast
        # word stands at or after each position, and the first word after each run of fillers.
        contrast_after: list[bool] = []
        past_fillers: list[int] = []
        for index, word in enumerate(words):
            scope_start: int | None = None
            following = words[index + 1] if index + 1 < len(words) else ""
            if word in self._negators and self._after_in_short_clause(tokens, index):
                # "capacitación no, crédito sí": the short clause before the "no" is refused
                start = index
                while start > 0 and tokens.clauses[start - 1] == tokens.clauses[index]:
                    start -= 1
                negated.update(range(start, index))
                continue
            if word in self._negators:
                if not contrast_after:
                    contrast_after = [False] * (len(words) + 1)
                    past_fillers = list(range(len(words) + 1))
                    for later in range(len(words) - 1, -1, -1):
                        contrast_after[later] = (
                            contrast_after[later + 1]
                            or self._is_contrast(words, later)
                            or self._restates(tokens, later)
                        )
                        if words[later] in self._filler:
                            past_fillers[later] = past_fillers[later + 1]
                scope_start = self._negated_ask(words, index, contrast_after, past_fillers)
            elif word == NI and self._paired_ni(tokens, index):
                scope_start = index + 1  # "ni préstamo ni curso, lo que quiero es …"
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
                floor = max(0, index - NEGATION_SCOPE)
                while start > floor and tokens.clauses[start - 1] == tokens.clauses[index]:
                    start -= 1
                negated.update(range(start, index))
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
                    or words[position] == NI
                ):
                    break
                negated.add(position)
        return negated

    def ask_start(self, tokens: Tokens) -> int | None:
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

    def _restates(self, tokens: Tokens, index: int) -> bool:
        """A clause that starts with "es"/"son" after a negated one: "no es un logo, es la
        etiqueta" names the real need."""
        return (
            index > 0
            and tokens.words[index] in self._copula
            and tokens.clauses[index] != tokens.clauses[index - 1]
        )

    @staticmethod
    def _paired_ni(tokens: Tokens, index: int) -> bool:
        """ "ni" that refuses: opening its clause, or one of a pair in it ("ni … ni …"), not
        "no sé ni cómo empezar"."""
        clause = tokens.clauses[index]
        if index == 0 or tokens.clauses[index - 1] != clause:
            return True
        window = range(
            max(0, index - NEGATION_SCOPE), min(len(tokens.words), index + NEGATION_SCOPE)
        )
        return any(
            k != index and tokens.words[k] == NI and tokens.clauses[k] == clause for k in window
        )

    @staticmethod
    def _after_in_short_clause(tokens: Tokens, index: int) -> bool:
        """ "no" closing a short clause of its own ("préstamo no, …"), after its noun."""
        clause = tokens.clauses[index]
        if index == 0 or tokens.clauses[index - 1] != clause:
            return False
        if index + 1 < len(tokens.words) and tokens.clauses[index + 1] == clause:
            return False  # the clause goes on: "préstamo no tengo"
        start = index
        while start > 0 and tokens.clauses[start - 1] == clause:
            start -= 1
        return index - start <= SHORT_REFUSAL and index + 1 < len(tokens.words)

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

    def _negated_ask(
        self,
        words: Sequence[str],
        index: int,
        contrast_after: Sequence[bool],
        past_fillers: Sequence[int],
    ) -> int | None:
        """Where the negation of "no <ask verb>" starts, or None when it negates no ask.

        ``contrast_after[p]``: whether a contrast word stands at position p or after it;
        ``past_fillers[p]``: the first position from p on that is no filler ("no me …").
        """
        position = past_fillers[index + 1]
        if position >= len(words):
            return None
        has_contrast = contrast_after[position + 1]
        if words[position] in self._copula:
            # "no es plata lo que ocupo": only with a contrast that names the real need.
            return position + 1 if has_contrast else None
        if words[position] not in self._want:
            return None
        after = words[position + 1] if position + 1 < len(words) else ""
        if after in self._that and not has_contrast:
            return None  # "no quiero que me copien la marca" is a need, not a refusal
        return position + 1

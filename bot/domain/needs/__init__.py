"""Map what an entrepreneur writes to the service slugs of the taxonomy.

The matcher is pure: it receives the needs (``data/services.csv``) and the extra rules
(``data/needs_rules.csv``) already parsed, and precomputes everything once. ``match`` reads the
first ``MAX_MESSAGE_CHARS`` (1,024) characters of a message (``bot.domain.text``), in linear
time on any input: the rules compile to word patterns, never to regular expressions, and no
loop over the words looks at them all again for each word.

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
  ``tokens``); for pronouns ``@referent`` (the nouns a pronoun may stand for: "marca") and
  ``@pronoun_lead`` ("cómo" in "¿cómo la registro?", see ``tokens``). Entries of two
  words ("lo que", "cómo hago") are matched as a pair.
* ``_alias``: ``from/other=to`` rewrites chat spellings ("q=que", "pa=para").
* ``_keep``: words that are never corrected as typos (common words close to a cue word).

The rest lives in the modules of this package:

* ``normalize``: light stems (``stem``), sound-alike keys (``sound``) and typo correction;
* ``patterns``: the compiled pattern language and matching a pattern against words;
* ``rules``: ``NeedRule`` and the rules and keywords read into word groups and patterns;
* ``tokens``: a message as words (aliases, typos, names) and pronouns linked to their nouns;
* ``asks``: negation ("no necesito …", "ya tengo …") and where the ask starts;
* ``matcher``: ``NeedMatcher``, which weighs the matches and orders the needs, main ask first.
"""

from __future__ import annotations

from bot.domain.needs.asks import ASK_LEAD_WINDOW, NEGATION_SCOPE
from bot.domain.needs.matcher import NeedMatcher
from bot.domain.needs.normalize import (
    MIN_FUZZY_LENGTH,
    MIN_SOUND_LENGTH,
    MIN_STEM_SOUND_LENGTH,
    MIN_SUBSTITUTION_LENGTH,
    sound,
    stem,
)
from bot.domain.needs.patterns import EXACT, GROUP_PREFIX, MAX_GAP, WIDE, WIDE_GAP
from bot.domain.needs.rules import ALIAS, KEEP, KEYWORD_WEIGHT, MASK, NONE, STRONG, WEAK, NeedRule
from bot.domain.needs.tokens import REFERENT_WINDOW

__all__ = [
    "ALIAS",
    "ASK_LEAD_WINDOW",
    "EXACT",
    "GROUP_PREFIX",
    "KEEP",
    "KEYWORD_WEIGHT",
    "MASK",
    "MAX_GAP",
    "MIN_FUZZY_LENGTH",
    "MIN_SOUND_LENGTH",
    "MIN_STEM_SOUND_LENGTH",
    "MIN_SUBSTITUTION_LENGTH",
    "NEGATION_SCOPE",
    "NONE",
    "REFERENT_WINDOW",
    "STRONG",
    "WEAK",
    "WIDE",
    "WIDE_GAP",
    "NeedMatcher",
    "NeedRule",
    "sound",
    "stem",
]

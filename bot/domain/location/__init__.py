"""Where is the user? Coordinates, map links and place names in free Spanish or English text
(pure core).

* ``points``: coordinates typed as text or in map links, short links, naming a point;
* ``words``: the cue phrases and ordinary words the place finder knows, Spanish and English;
* ``message``: a message tokenised with its offsets, punctuation and capital letters;
* ``names``: place names found in a message (exactly, or by the first words of one place's
  longer name), with their cues, division words and qualifiers (a department, a country, a
  larger place nearby: "San Vito de Coto Brus");
* ``typos``: misspelled and unknown names after cues and in short messages, anywhere in the
  region (a short name must be typed as it is);
* ``resolve``: ``resolve_location``, choosing among the mentions and their namesakes of the
  eight countries (a country the message names first, then ``prefer_country``, the country
  remembered for the user, then Belize for a message in English, then the home country), a
  country named alone (its department capitals as candidates), names the gazetteer lacks and
  places outside the region.

``resolve_location``, ``parse_point`` and ``is_short_link`` read the first ``MAX_MESSAGE_CHARS``
(1,024) characters of a message (``bot.domain.text``), and every pattern and loop behind them
runs in linear time on any input (tests/test_linear_time.py).
"""

from __future__ import annotations

from bot.domain.location.points import NAMELESS_KM, is_short_link, locate_point, parse_point
from bot.domain.location.resolve import DOMINANCE, MAX_CANDIDATES, resolve_location

__all__ = [
    "DOMINANCE",
    "MAX_CANDIDATES",
    "NAMELESS_KM",
    "is_short_link",
    "locate_point",
    "parse_point",
    "resolve_location",
]

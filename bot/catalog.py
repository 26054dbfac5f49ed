"""Load the service catalogue (data/services.csv) and the needs rules (data/needs_rules.csv).

``services.csv`` is a plain UTF-8 CSV with the header ``slug,label,description,keywords``: one
row per slug of the taxonomy, in its order. ``keywords`` holds the words and phrases people use
for that service, separated by ``|``; each is matched with accent folding, light stemming and
typo tolerance (see ``bot.domain.needs``), with a normal weight.

``needs_rules.csv`` adds what flat keywords cannot say. Lines starting with ``#`` are comments;
the header is ``slug,weight,pattern``. ``slug`` is a taxonomy slug (a cue: ``weight`` 1 weak,
2 normal, 3 strong), ``_mask`` (words that are no cue), ``_none`` (a message about something
else), ``@group`` (a word group, alternatives separated by ``/``), ``_alias`` (``from=to``) or
``_keep`` (words never corrected as typos). The pattern syntax is described in
``bot.domain.needs``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from bot.domain.models import Need
from bot.domain.needs import NeedMatcher, NeedRule

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SERVICES_PATH = DATA_DIR / "services.csv"
NEEDS_RULES_PATH = DATA_DIR / "needs_rules.csv"


def load_needs(path: Path | None = None) -> tuple[Need, ...]:
    """The services of the taxonomy, in the order of the file."""
    with (path or SERVICES_PATH).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    needs: list[Need] = []
    for row in rows:
        slug = (row.get("slug") or "").strip()
        if not slug:
            continue
        keywords = tuple(
            keyword.strip()
            for keyword in (row.get("keywords") or "").split("|")
            if keyword.strip()
        )
        needs.append(
            Need(
                slug=slug,
                label=(row.get("label") or "").strip(),
                description=(row.get("description") or "").strip(),
                keywords=keywords,
            )
        )
    return tuple(needs)


def load_need_rules(path: Path | None = None) -> tuple[NeedRule, ...]:
    """The extra matching rules, comments skipped."""
    with (path or NEEDS_RULES_PATH).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    rules: list[NeedRule] = []
    for row in csv.DictReader(lines):
        slug = (row.get("slug") or "").strip()
        pattern = (row.get("pattern") or "").strip()
        if not slug or not pattern:
            continue
        weight = (row.get("weight") or "").strip()
        rules.append(NeedRule(slug=slug, weight=int(weight) if weight else 0, pattern=pattern))
    return tuple(rules)


def load_need_matcher(
    services_path: Path | None = None, rules_path: Path | None = None
) -> NeedMatcher:
    """A matcher built from both data files (the way the bot should build it)."""
    return NeedMatcher(load_needs(services_path), load_need_rules(rules_path))

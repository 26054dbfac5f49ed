"""Every parser of user text in bot/domain runs in linear time, whatever it is sent.

A message of a digit, some 300 spaces and a letter once kept the bot busy for 20 seconds: a
regular expression with four ``\\s*`` in a row backtracked with quartic cost. These tests feed
each parser runs of every kind of character (digits, spaces, punctuation, letters, emoji, each
pattern's own alphabet, repeated cue phrases) at growing lengths, 16 to 4,096 characters, and
assert that the cost grows about linearly: from one length to four times it, the time may grow
by less than ``GROWTH_LIMIT`` (linear is about 4, quadratic 16, quartic 256). No absolute time
is asserted: each ratio is measured in one run (processor time of this thread), as the best of a
few repetitions when it looks high, with enough calls per measurement to be well above the
clock's resolution.

Messages are cut to ``MAX_MESSAGE_CHARS`` before being understood, so the parsers' uncut
internals (``_resolve``, ``NeedMatcher._match``, ``hours._parse``) and every compiled pattern of
bot/domain are measured on the long inputs; the cut itself is tested too.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import itertools
import math
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

import bot.domain
from bench.adversarial import CASES, Case, adversarial_text, label
from bot.catalog import load_need_matcher
from bot.domain import hours, listings
from bot.domain.gazetteer import Gazetteer
from bot.domain.location import is_short_link, parse_point, resolve_location
from bot.domain.location.points import raw_point
from bot.domain.location.resolve import _resolve
from bot.domain.models import LocationStatus
from bot.domain.needs import NeedMatcher
from bot.domain.text import MAX_MESSAGE_CHARS, clip, fold
from bot.geo import load_gazetteer
from bot.services import Services

SIZES = (16, 64, 256, 1024, 4096)  # each four times the one before
# The inputs (bench/adversarial.py times the same ones at 4,096 characters through the services):
# runs of each kind of character (digits, spaces, newlines, tabs, punctuation, letters, accented
# letters, emoji), of each pattern's own alphabet ("1 ", "1.", "° ", "lat ", "N 1 "…) and of cue
# phrases ("soy de ", "no necesito ", "en ", "de "…), alone or between the characters that make
# a pattern try the run to its end ("1", spaces, "a").
GROWTH_LIMIT = 10.0  # time(4n) / time(n): linear ~4, quadratic ~16, quartic ~256
# From 16 to 64 characters a message changes in kind (a few words, then many) and its cost may
# jump more than in proportion: that first step only stops a run that would hang (quartic).
FIRST_STEP_LIMIT = 4 * GROWTH_LIMIT
RESOLUTION_S = 0.0001  # calls are repeated until a measurement takes at least this long
CAREFUL_RESOLUTION_S = 0.003
CAREFUL_REPEATS = 5


def _seconds(parse: Callable[[str], object], text: str, calls: int) -> float:
    """The processor time of one call, averaged over ``calls`` calls.

    The thread's own processor time (``time.thread_time``), not the wall clock
    (``time.perf_counter``): on a busy machine the wall clock also counts the time other
    processes run, which made a ratio of a few milliseconds jump now and then.
    """
    started = time.thread_time()
    for _ in range(calls):
        with contextlib.suppress(ValueError):  # a validator refusing the text, bad hours
            parse(text)
    return (time.thread_time() - started) / calls


def _ratio(parse: Callable[[str], object], small: str, large: str, *, careful: bool) -> float:
    """time(large) / time(small), with enough calls per measurement for the clock; when
    careful, the best of a few repetitions (alternating sizes, so a busy moment hits both)."""
    resolution = CAREFUL_RESOLUTION_S if careful else RESOLUTION_S
    calls = max(1, math.ceil(resolution / max(_seconds(parse, small, 1), 1e-7)))
    best = math.inf
    for _ in range(CAREFUL_REPEATS if careful else 1):
        best = min(best, _seconds(parse, large, calls) / _seconds(parse, small, calls))
        if best < GROWTH_LIMIT / 2:
            break
    return best


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage collection while measuring (a collection would land on one size only)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _growth(
    parse: Callable[[str], object], case: Case, sizes: tuple[int, ...] = SIZES
) -> tuple[int, float]:
    """The largest growth over the fourfold steps of ``sizes``, and the size where it is; stops at
    the first step that grows too much (so that a quartic parser fails fast, not slowly)."""
    with _no_collection():
        worst = (0, 0.0)
        for step, (small, large) in enumerate(itertools.pairwise(sizes)):
            limit = FIRST_STEP_LIMIT if step == 0 and small < 64 else GROWTH_LIMIT
            a, b = adversarial_text(case, small), adversarial_text(case, large)
            ratio = _ratio(parse, a, b, careful=False)
            if ratio >= GROWTH_LIMIT / 2:  # measure again, more carefully, before judging
                ratio = min(ratio, _ratio(parse, a, b, careful=True))
            if ratio >= limit:
                return large, ratio
            if small >= 64 and ratio > worst[1]:
                worst = (large, ratio)
        return worst


def _too_slow(name: str, parse: Callable[[str], object], case: Case) -> str | None:
    size, ratio = _growth(parse, case)
    if ratio < GROWTH_LIMIT:
        return None
    return f"{name} on {label(case)}: ×{ratio:.0f} from {size // 4} to {size} characters"


def _assert_linear(parsers: dict[str, Callable[[str], object]]) -> None:
    slow = [
        found
        for name, parse in parsers.items()
        for case in CASES
        if (found := _too_slow(name, parse, case))
    ]
    assert not slow, "superlinear:\n" + "\n".join(slow)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def matcher() -> NeedMatcher:
    return load_need_matcher()


# ---------------------------------------------------------------- the cut


def test_messages_are_cut_to_the_maximum_length(gaz: Gazetteer, matcher: NeedMatcher) -> None:
    assert 140 < MAX_MESSAGE_CHARS <= 4096  # longer than any real ask, at most Telegram's
    filler = "bueno pues le escribo " * 60
    assert len(filler) > MAX_MESSAGE_CHARS
    said_first = "soy de Danlí y necesito un préstamo. " + filler
    said_late = filler + "soy de Danlí y necesito un préstamo."
    found = resolve_location(said_first, gaz)
    assert found.status is LocationStatus.FOUND and found.place is not None
    assert found.place.name == "Danlí"
    assert resolve_location(said_late, gaz).status is LocationStatus.MISSING
    assert matcher.match(said_first) == ["financiamiento"]
    assert matcher.match(said_late) == []
    point = "14.0818, -87.2068"
    assert parse_point(point + " " + filler) is not None
    assert parse_point(filler + point) is None
    assert not is_short_link(filler + "https://maps.app.goo.gl/abc")


def test_the_cut_drops_a_word_cut_in_two() -> None:
    assert clip("hola") == "hola"
    assert clip("a" * MAX_MESSAGE_CHARS) == "a" * MAX_MESSAGE_CHARS
    text = "x" * (MAX_MESSAGE_CHARS - 6) + " Tegucigalpa"
    assert clip(text) == "x" * (MAX_MESSAGE_CHARS - 6)
    assert clip("y" * 5000) == "y" * MAX_MESSAGE_CHARS  # no space to cut at
    assert len(clip("a " * 3000)) <= MAX_MESSAGE_CHARS


async def test_the_bot_and_ask_read_the_cut_message(services: Services) -> None:
    filler = "bueno pues le escribo " * 60
    first = services.understand_offline("soy de Danlí y necesito un préstamo. " + filler)
    assert first.location.status is LocationStatus.FOUND
    assert first.needs == ("financiamiento",)
    late = services.understand_offline(filler + "soy de Danlí y necesito un préstamo.")
    assert late.location.status is LocationStatus.MISSING
    assert late.needs == ()


def test_listing_values_and_hours_are_refused_when_too_long() -> None:
    with pytest.raises(hours.HoursError):
        hours.parse_hours("lunes a viernes 8:00 a 16:00 " * 200)
    for validate in (
        lambda text: listings.validate_phone(text, "HN"),
        listings.validate_email,
        listings.validate_url,
        lambda text: listings.validate_text(listings.ListingField.ADDRESS, text),
    ):
        with pytest.raises(listings.ListingError):
            validate("9" * 4096)


# ---------------------------------------------------------------- linear time


def test_place_finding_is_linear(gaz: Gazetteer) -> None:
    _assert_linear(
        {
            "raw_point": raw_point,  # URL pairs, labelled, DMS and decimal coordinates
            "place finder (uncut)": lambda text: _resolve(text, gaz, "HN"),
        }
    )


def test_needs_matching_is_linear(matcher: NeedMatcher) -> None:
    _assert_linear({"needs matcher (uncut)": matcher._match, "fold": fold})


def test_hours_and_listing_validators_are_linear() -> None:
    _assert_linear(
        {
            "hours (uncut)": lambda text: hours._parse(text, hours.DEFAULT_TIMEZONE),
            "validate_phone": lambda text: listings.validate_phone(text, "HN"),
            "validate_email": listings.validate_email,
            "validate_url": listings.validate_url,
            "validate_text": lambda text: listings.validate_text(
                listings.ListingField.ADDRESS, text
            ),
        }
    )


# ---------------------------------------------------------------- every pattern


def _domain_modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(bot.domain.__path__, "bot.domain."):
        yield importlib.import_module(info.name)


def _patterns(value: object) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _patterns(item)


DOMAIN_PATTERNS = {
    f"{module.__name__}.{name}[{k}]": pattern  # type: ignore[attr-defined]
    for module in _domain_modules()
    for name, value in vars(module).items()
    for k, pattern in enumerate(_patterns(value))
}


def test_every_pattern_is_compiled_where_this_test_finds_it() -> None:
    """No ``re.search(r"…", …)`` in bot/domain: a pattern compiled inside a function would
    escape the test below."""
    calls = []
    for path in Path(bot.domain.__path__[0]).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr != "compile"
            ):
                calls.append(f"{path.name}:{node.lineno} re.{node.func.attr}")
    assert not calls
    assert len(DOMAIN_PATTERNS) > 40


def _scan(patterns: list[re.Pattern[str]], text: str) -> None:
    for pattern in patterns:
        for _ in pattern.finditer(text):
            pass


def test_every_pattern_scans_in_linear_time() -> None:
    """Searching anywhere in the text (the most demanding use) grows linearly, for every
    compiled pattern of bot/domain.

    All the patterns are first run together over the growing sizes (so that no single run can
    hang the test), then each alone from 1,024 to 4,096 characters.
    """
    patterns = sorted(DOMAIN_PATTERNS.items())
    slow: list[str] = []
    for case in CASES:
        together = _too_slow("all patterns", partial(_scan, [p for _, p in patterns]), case)
        small, large = adversarial_text(case, 1024), adversarial_text(case, 4096)
        found: list[str] = []
        for name, pattern in patterns:
            alone = partial(_scan, [pattern])
            if together:  # which one: each over the growing sizes, as far as it goes
                found += filter(None, [_too_slow(name, alone, case)])
                continue
            with _no_collection():
                ratio = _ratio(alone, small, large, careful=False)
                if ratio >= GROWTH_LIMIT / 2:
                    ratio = min(ratio, _ratio(alone, small, large, careful=True))
            if ratio >= GROWTH_LIMIT:
                found.append(f"{name} on {label(case)}: ×{ratio:.0f} from 1024 to 4096 characters")
        slow += found or ([together] if together else [])
    assert not slow, "superlinear:\n" + "\n".join(slow)

"""Turn a service Outcome into the messages the user will see (no Telegram here).

Handlers send these with python-telegram-bot; `ask` joins their text; the console demo prints
them through the real Application. Buttons carry callback data built by bot.callbacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from bot import callbacks, texts
from bot.domain.models import Agency, Center, Match, Need, Place
from bot.domain.ranking import first_area_match, first_need_match
from bot.services import Outcome, OutcomeKind, SmallTalk

PAGE_SIZE = 3
MAX_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Venue:
    lat: float
    lon: float
    title: str
    address: str


@dataclass(frozen=True, slots=True)
class Reply:
    text: str = ""  # HTML
    buttons: tuple[tuple[Button, ...], ...] = ()
    location_keyboard: bool = False  # a reply keyboard whose button requests the location
    venue: Venue | None = None


def need_menu(needs: tuple[Need, ...]) -> tuple[tuple[Button, ...], ...]:
    """The service picker: two services a row, then "any service"."""
    buttons = [Button(n.label, callbacks.need(n.slug)) for n in needs]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append((Button(texts.ANY_SERVICE_BUTTON, callbacks.need(None)),))
    return tuple(rows)


def _answer_buttons(
    outcome: Outcome, has_more: bool, offset: int, center_id: str = ""
) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    first: list[Button] = []
    if has_more and outcome.place is not None:
        place = outcome.place
        search = callbacks.search_tag(place.id, place.lat, place.lon, outcome.needs)
        first.append(Button(texts.MORE_BUTTON, callbacks.more(offset, search)))
    if center_id:
        first.append(Button(texts.DETAILS_BUTTON, callbacks.details(center_id)))
    if first:
        rows.append(tuple(first))
    rows.append(
        (
            Button(texts.CHANGE_NEED_BUTTON, callbacks.CHANGE_NEED),
            Button(texts.CHANGE_PLACE_BUTTON, callbacks.CHANGE_PLACE),
        )
    )
    if center_id:
        rows.append((Button(texts.REPORT_BUTTON, callbacks.report(center_id)),))
    return tuple(rows)


def render(outcome: Outcome, needs: tuple[Need, ...], now: datetime | None = None) -> list[Reply]:
    """The messages for one outcome, in order."""
    now = now or datetime.now(UTC)
    labels = {n.slug: n.label for n in needs}
    kind = outcome.kind
    if kind is OutcomeKind.SMALL_TALK:
        text = {
            SmallTalk.GREETING: texts.GREETING,
            SmallTalk.THANKS: texts.THANKS,
            SmallTalk.JOB: texts.JOB,
            SmallTalk.UNCLEAR: texts.UNCLEAR,
        }[outcome.small_talk]
        return [Reply(text)]
    if kind is OutcomeKind.ASK_LOCATION:
        need_labels = [labels.get(s, s) for s in outcome.needs]
        return [Reply(texts.ask_location(need_labels), location_keyboard=True)]
    if kind is OutcomeKind.AMBIGUOUS:
        rows = tuple(
            (Button(texts.candidate_button(p), callbacks.place(p.id)),)
            for p in outcome.candidates[:MAX_CANDIDATES]
        )
        return [Reply(texts.ambiguous(outcome.query), buttons=rows)]
    if kind is OutcomeKind.NOT_FOUND:
        return [Reply(texts.not_found(outcome.query), location_keyboard=True)]
    if kind is OutcomeKind.SHORT_LINK:
        return [Reply(texts.SHORT_LINK, location_keyboard=True)]
    assert outcome.place is not None
    if kind is OutcomeKind.ASK_NEED:
        return [Reply(texts.ask_need(outcome.place), buttons=need_menu(needs))]
    return _render_answer(outcome, labels, now)


def _render_answer(outcome: Outcome, labels: dict[str, str], now: datetime) -> list[Reply]:
    place = outcome.place
    assert place is not None
    matches = outcome.matches
    if not matches:
        text = texts.no_centers(
            place, outcome.agency, outcome.regional, outcome.support, now.date()
        )
        return [Reply(text, location_keyboard=True)]
    if outcome.offset > 0:
        page = matches[outcome.offset : outcome.offset + PAGE_SIZE]
        if not page:
            return [Reply(texts.NO_MORE)]
        lines = [texts.center_line(m, labels, place) for m in page]
        next_offset = outcome.offset + len(page)
        return [
            Reply(
                texts.more_centers(lines, outcome.offset),
                buttons=_answer_buttons(outcome, next_offset < len(matches), next_offset),
            )
        ]
    top = matches[0]
    area = first_area_match(matches)  # from the ranking's index, not a scan of the matches
    area_center = area.center.name if area else ""
    main_need = outcome.needs[0] if outcome.needs else None
    # a center offering the need that the rule puts further down (it cannot be placed)
    need_match = first_need_match(matches) if main_need and not top.offers_need else None
    card = texts.center_card(
        top,
        place,
        labels,
        main_need=main_need,
        area_center=area_center,
        agency=outcome.agency,
        now=now,
        regional=outcome.regional,
        need_match=need_match,
    )
    buttons = _answer_buttons(outcome, len(matches) > 1, 1, top.center.id)
    c = top.center
    if c.lat is None or c.lon is None:
        return [Reply(card, buttons=buttons)]
    # The buttons go under the pin, the last message, where the thumb is.
    venue = Venue(c.lat, c.lon, texts.venue_title(c), texts.venue_address(c))
    return [Reply(card), Reply(venue=venue, buttons=buttons)]


def center_view(
    center: Center,
    needs: tuple[Need, ...],
    agency: Agency | None,
    *,
    staff: bool = False,
    now: datetime | None = None,
    regional: Agency | None = None,
) -> list[Reply]:
    """One center's card on its own (a deep link, or staff looking at their listing: the
    whole card, with no line left for «Detalles»)."""
    now = now or datetime.now(UTC)
    labels = {n.slug: n.label for n in needs}
    match = Match(center, None, serves_area=False, offers_need=True)
    here = Place(0, center.city, center.country, center.admin1, "", 0.0, 0.0)
    card = texts.center_card(
        match,
        here,
        labels,
        main_need=None,
        area_center="",
        agency=agency,
        now=now,
        regional=regional,
        max_lines=None if staff else texts.MAX_CARD_LINES,
        ranked=False,
    )
    if staff:
        card = f"{card}\n\n{texts.STAFF_EDIT_MENU}"
        buttons: tuple[tuple[Button, ...], ...] = ()
    else:
        buttons = (
            (Button(texts.DETAILS_BUTTON, callbacks.details(center.id)),),
            (Button(texts.REPORT_BUTTON, callbacks.report(center.id)),),
            (Button(texts.CHANGE_PLACE_BUTTON, callbacks.CHANGE_PLACE),),
        )
    if center.lat is None or center.lon is None:
        return [Reply(card, buttons=buttons)]
    venue = Venue(center.lat, center.lon, texts.venue_title(center), texts.venue_address(center))
    return [Reply(card), Reply(venue=venue, buttons=buttons)]


def details_view(
    center: Center,
    needs: tuple[Need, ...],
    agency: Agency | None,
    regional: Agency | None = None,
    now: datetime | None = None,
) -> list[Reply]:
    """«Detalles»: the full sheet of a center."""
    now = now or datetime.now(UTC)
    labels = {n.slug: n.label for n in needs}
    return [Reply(texts.center_details(center, labels, agency, regional, now))]


_TAG = re.compile(r"<[^>]+>")


def plain(html_text: str) -> str:
    """HTML message text as the user reads it."""
    return unescape(_TAG.sub("", html_text))


def reply_text(replies: list[Reply]) -> str:
    """All the text of a list of replies, for `ask` (a venue reads as its title)."""
    parts = []
    for r in replies:
        if r.text:
            parts.append(plain(r.text))
        if r.venue:
            parts.append(f"📍 {r.venue.title}: {r.venue.address}")
    return "\n\n".join(parts)

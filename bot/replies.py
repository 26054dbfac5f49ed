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
from bot.dialogue import SmallTalk
from bot.domain.models import Agency, Center, Match, Need, Place
from bot.domain.ranking import first_area_match, first_need_match
from bot.services import Outcome, OutcomeKind
from bot.texts import Texts

PAGE_SIZE = 3
MAX_CANDIDATES = 8
DEPARTMENTS_PAGE = 8  # department buttons per page (two a row), then «Anteriores» / «Más»


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
    language: str = "es"  # of the location keyboard's button (bot.language)


def need_labels(needs: tuple[Need, ...], lang: Texts | None = None) -> dict[str, str]:
    """Service labels by slug, in the language of `lang` (Spanish: the database's)."""
    t = lang or texts.ES
    return {n.slug: t.NEED_LABELS.get(n.slug, n.label) for n in needs}


def need_menu(
    needs: tuple[Need, ...], *, lang: Texts | None = None
) -> tuple[tuple[Button, ...], ...]:
    """The service picker: two services a row, then "any service"."""
    t = lang or texts.ES
    labels = need_labels(needs, t)
    buttons = [Button(labels[n.slug], callbacks.need(n.slug)) for n in needs]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append((Button(t.ANY_SERVICE_BUTTON, callbacks.need(None)),))
    return tuple(rows)


def _alternative_rows(outcome: Outcome, labels: dict[str, str]) -> list[tuple[Button, ...]]:
    """One button a row for each of the likeliest other needs (the main one was uncertain)."""
    return [
        (Button(f"🔁 {labels[slug]}", callbacks.need(slug)),)
        for slug in outcome.need_alternatives
        if slug in labels
    ]


def country_tag(country: str) -> str:
    """How `requestable` names a country whose coordinators receive requests (no center)."""
    return f"@{country}"


def _answer_buttons(
    outcome: Outcome,
    has_more: bool,
    offset: int,
    t: Texts,
    center_id: str = "",
    labels: dict[str, str] | None = None,
    requestable: bool = False,
) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    if center_id and requestable:  # someone receives requests for it (bot.handoff)
        from bot.texts.requests import for_language as request_texts

        label = request_texts(outcome.language).REQUEST_BUTTON
        rows.append((Button(label, callbacks.request("new", center_id)),))
    first: list[Button] = []
    if has_more and outcome.place is not None:
        place = outcome.place
        search = callbacks.search_tag(place.id, place.lat, place.lon, outcome.needs)
        first.append(Button(t.MORE_BUTTON, callbacks.more(offset, search)))
    if center_id:
        first.append(Button(t.DETAILS_BUTTON, callbacks.details(center_id)))
    if first:
        rows.append(tuple(first))
    if labels is not None:
        rows.extend(_alternative_rows(outcome, labels))
    rows.append(
        (
            Button(t.CHANGE_NEED_BUTTON, callbacks.CHANGE_NEED),
            Button(t.CHANGE_PLACE_BUTTON, callbacks.CHANGE_PLACE),
        )
    )
    if center_id:
        rows.append((Button(t.REPORT_BUTTON, callbacks.report(center_id)),))
    return tuple(rows)


def render(
    outcome: Outcome,
    needs: tuple[Need, ...],
    now: datetime | None = None,
    *,
    requestable: frozenset[str] = frozenset(),
) -> list[Reply]:
    """The messages for one outcome, in order, in the outcome's language. A card of a center
    in `requestable` (someone receives its requests) gets «📨 Solicitar una cita»."""
    now = now or datetime.now(UTC)
    language = outcome.language
    t = texts.for_language(language)
    labels = need_labels(needs, t)
    kind = outcome.kind
    if kind is OutcomeKind.SMALL_TALK:
        text = {
            SmallTalk.GREETING: t.GREETING,
            SmallTalk.THANKS: t.THANKS,
            SmallTalk.BYE: t.BYE,
            SmallTalk.JOB: t.JOB,
            SmallTalk.UNCLEAR: t.UNCLEAR,
        }[outcome.small_talk]
        return [Reply(text)]
    if kind is OutcomeKind.ASK_LOCATION:
        asked = [labels.get(s, s) for s in outcome.needs]
        where = Reply(t.ask_location(asked), location_keyboard=True, language=language)
        if not outcome.need_alternatives:
            return [where]
        others = tuple(_alternative_rows(outcome, labels))
        return [where, Reply(t.OTHER_NEED_QUESTION, buttons=others)]
    if kind is OutcomeKind.AMBIGUOUS:
        return [_places_list(outcome, t)]
    if kind is OutcomeKind.DEPARTMENTS:
        return [_departments_list(outcome, t)]
    if kind is OutcomeKind.NOT_FOUND:
        if outcome.candidates:  # the country is known: its departments
            head = t.not_found_in(outcome.query, outcome.country) if outcome.query else ""
            return [_departments_list(outcome, t, head)]
        return [Reply(t.not_found(outcome.query), location_keyboard=True, language=language)]
    if kind is OutcomeKind.OUTSIDE:
        text = t.outside_region(outcome.query, outcome.regional, now.date())
        return [Reply(text, location_keyboard=True, language=language)]
    if kind is OutcomeKind.PICK_LOCATION:
        return [Reply(t.PICK_LOCATION, location_keyboard=True, language=language)]
    if kind is OutcomeKind.SHORT_LINK:
        return [Reply(t.SHORT_LINK, location_keyboard=True, language=language)]
    assert outcome.place is not None
    if kind is OutcomeKind.FOLLOW_UP:
        if outcome.matches:
            return _follow_up(outcome, labels, now, t)
        text = texts.follow_up_no_center(outcome.place, outcome.agency, now.date(), lang=t)
        return [Reply(text)]
    if kind is OutcomeKind.ASK_NEED:
        ask = t.unclear_need(outcome.query) if outcome.unclear else t.ask_need(outcome.place)
        return [Reply(ask, buttons=need_menu(needs, lang=t))]
    return _render_answer(outcome, labels, now, t, requestable)


def _list_tag(outcome: Outcome) -> str:
    """The tag of the list an outcome offers, as the services will remember it."""
    return callbacks.list_tag(tuple(p.id for p in outcome.candidates), outcome.needs)


def _places_list(outcome: Outcome, t: Texts) -> Reply:
    """Places that share a name: one button each (place · department · country, never two
    alike), then «Ninguno de estos»."""
    tag = _list_tag(outcome)
    shown = outcome.candidates[:MAX_CANDIDATES]
    labels = texts.candidate_buttons(shown, lang=t)
    rows = [
        (Button(label, callbacks.place(p.id, tag)),)
        for p, label in zip(shown, labels, strict=True)
    ]
    rows.append((Button(t.NONE_OF_THESE_BUTTON, callbacks.none_of_these(tag)),))
    return Reply(t.ambiguous(outcome.query), buttons=tuple(rows))


def _departments_list(outcome: Outcome, t: Texts, head: str = "") -> Reply:
    """A page of a country's departments (their capitals stand for them), two a row, with
    «Anteriores» and «Más» when there are other pages."""
    places = outcome.candidates
    tag = _list_tag(outcome)
    start = min(outcome.offset, max(len(places) - 1, 0)) // DEPARTMENTS_PAGE * DEPARTMENTS_PAGE
    page = places[start : start + DEPARTMENTS_PAGE]
    buttons = [
        Button(label, callbacks.place(p.id, tag))
        for p, label in zip(page, texts.department_buttons(page), strict=True)
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    turn = []
    if start > 0:
        turn.append(
            Button(
                t.PREVIOUS_PAGE_BUTTON, callbacks.department_page(start - DEPARTMENTS_PAGE, tag)
            )
        )
    if start + DEPARTMENTS_PAGE < len(places):
        turn.append(
            Button(t.NEXT_PAGE_BUTTON, callbacks.department_page(start + DEPARTMENTS_PAGE, tag))
        )
    if turn:
        rows.append(tuple(turn))
    rows.append((Button(t.NONE_OF_THESE_BUTTON, callbacks.none_of_these(tag)),))
    country = outcome.country or (places[0].country if places else "")
    text = t.departments_question(country, start + 1, start + len(page), len(places))
    return Reply(f"{head}\n{text}" if head else text, buttons=tuple(rows))


def _render_answer(
    outcome: Outcome,
    labels: dict[str, str],
    now: datetime,
    t: Texts,
    requestable: frozenset[str] = frozenset(),
) -> list[Reply]:
    place = outcome.place
    assert place is not None
    matches = outcome.matches
    if not matches:
        text = texts.no_centers(
            place, outcome.agency, outcome.regional, outcome.support, now.date(), lang=t
        )
        answer = Reply(text, location_keyboard=True, language=outcome.language)
        if country_tag(place.country) not in requestable:
            return [answer]
        # nobody to send them to nearby, but the country's coordinators receive requests
        from bot.texts.requests import for_language as request_texts

        rt = request_texts(outcome.language)
        offer = rt.COUNTRY_OFFER.format(
            network=rt.NETWORK.format(country=texts.esc(rt.country(place.country)))
        )
        button = Button(rt.REQUEST_BUTTON, callbacks.request("nc", place.country))
        return [answer, Reply(offer, buttons=((button,),))]
    if outcome.offset > 0:
        page = matches[outcome.offset : outcome.offset + PAGE_SIZE]
        if not page:
            return [Reply(t.NO_MORE)]
        lines = [texts.center_line(m, labels, place, lang=t) for m in page]
        next_offset = outcome.offset + len(page)
        return [
            Reply(
                t.more_centers(lines, outcome.offset),
                buttons=_answer_buttons(outcome, next_offset < len(matches), next_offset, t),
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
        lang=t,
    )
    if outcome.need_alternatives and main_need in labels:
        card = f"{card}\n{t.understood_need(labels[main_need])}"
    buttons = _answer_buttons(
        outcome, len(matches) > 1, 1, t, top.center.id, labels, top.center.id in requestable
    )
    c = top.center
    if c.lat is None or c.lon is None:
        return [Reply(card, buttons=buttons)]
    # The buttons go under the pin, the last message, where the thumb is.
    venue = Venue(c.lat, c.lon, texts.venue_title(c, lang=t), texts.venue_address(c, lang=t))
    return [Reply(card), Reply(venue=venue, buttons=buttons)]


def _follow_up(outcome: Outcome, labels: dict[str, str], now: datetime, t: Texts) -> list[Reply]:
    """The answer about the center of the last card (its first match): the values asked for,
    or, where its data lacks them, whom to ask and the report button; the pin when the
    address is asked for. Not the card again."""
    top = outcome.matches[0]
    c = top.center
    asked = [str(kind) for kind in outcome.follow_ups]
    lines, lacking = texts.follow_up_lines(
        asked, top, labels, outcome.agency, outcome.regional, now, lang=t
    )
    rows: list[tuple[Button, ...]] = [(Button(t.DETAILS_BUTTON, callbacks.details(c.id)),)]
    if lacking:
        rows.append((Button(t.REPORT_BUTTON, callbacks.report(c.id)),))
    buttons = tuple(rows)
    text = "\n".join(lines)
    if "address" not in asked or c.lat is None or c.lon is None:
        return [Reply(text, buttons=buttons)]
    venue = Venue(c.lat, c.lon, texts.venue_title(c, lang=t), texts.venue_address(c, lang=t))
    return [Reply(text), Reply(venue=venue, buttons=buttons)]


def center_view(
    center: Center,
    needs: tuple[Need, ...],
    agency: Agency | None,
    *,
    staff: bool = False,
    now: datetime | None = None,
    regional: Agency | None = None,
    language: str = "es",
) -> list[Reply]:
    """One center's card on its own (a deep link, or staff looking at their listing: the
    whole card, with no line left for «Detalles»). Staff see it in Spanish."""
    now = now or datetime.now(UTC)
    t = texts.ES if staff else texts.for_language(language)
    labels = need_labels(needs, t)
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
        lang=t,
    )
    if staff:
        card = f"{card}\n\n{texts.STAFF_EDIT_MENU}"
        buttons: tuple[tuple[Button, ...], ...] = ()
    else:
        buttons = (
            (Button(t.DETAILS_BUTTON, callbacks.details(center.id)),),
            (Button(t.REPORT_BUTTON, callbacks.report(center.id)),),
            (Button(t.CHANGE_PLACE_BUTTON, callbacks.CHANGE_PLACE),),
        )
    if center.lat is None or center.lon is None:
        return [Reply(card, buttons=buttons)]
    title, address = texts.venue_title(center, lang=t), texts.venue_address(center, lang=t)
    return [
        Reply(card),
        Reply(venue=Venue(center.lat, center.lon, title, address), buttons=buttons),
    ]


def details_view(
    center: Center,
    needs: tuple[Need, ...],
    agency: Agency | None,
    regional: Agency | None = None,
    now: datetime | None = None,
    language: str = "es",
) -> list[Reply]:
    """«Detalles»: the full sheet of a center."""
    now = now or datetime.now(UTC)
    t = texts.for_language(language)
    labels = need_labels(needs, t)
    return [Reply(texts.center_details(center, labels, agency, regional, now, lang=t))]


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

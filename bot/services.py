"""Use cases: each opens a session, calls repositories and the domain core, and commits.

Nothing here knows Telegram: the handlers, the console demo and the CLI call the same methods.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.callbacks import list_tag, search_tag
from bot.catalog import load_need_rules
from bot.config import COUNTRIES, Settings
from bot.db.inline import InlineSqlite
from bot.db.models import ProcessedUpdateRow, RateEventRow
from bot.db.repositories import (
    AgencyRepository,
    CenterRepository,
    MemoryRepository,
    MetaRepository,
    ServiceRepository,
    UserContext,
    coarse_place,
)
from bot.db.seed import CENTERS_VERSION_KEY, ensure_database
from bot.db.session import make_engine, make_sessionmaker
from bot.dialogue import (
    FollowUp,
    SmallTalk,
    classify_follow_up,
    classify_small_talk,
    covers,
    is_none_answer,
    is_short_answer,
)
from bot.domain.gazetteer import Gazetteer
from bot.domain.hours import timezone_for
from bot.domain.location import locate_point, resolve_location
from bot.domain.models import (
    REGIONAL,
    Agency,
    Asked,
    Center,
    LocationResult,
    LocationSource,
    LocationStatus,
    Match,
    Memory,
    Need,
    Place,
    SearchQuery,
)
from bot.domain.needs import NeedMatcher
from bot.domain.needs.model import NeedModel
from bot.domain.needs.reader import NeedReader, place_names
from bot.domain.ranking import rank
from bot.domain.text import fold
from bot.events import EventLog
from bot.geo import Geocoder, load_gazetteer
from bot.guard import acquire_lease
from bot.language import ENGLISH, SPANISH, detect, english_needs
from bot.staff import StaffService

log = logging.getLogger(__name__)
GEOCODER_SLOT = timedelta(seconds=1)  # Nominatim's usage policy: at most 1 request/s
KEEP_EVENTS = timedelta(days=2)  # rate limits look back one day at most
MAX_SUPPORT = 3  # support points named when no center can be ranked


class OutcomeKind(StrEnum):
    ANSWER = "answer"  # centers for a known place (and need, if any)
    ASK_NEED = "ask_need"  # the place is known, the need is not
    ASK_LOCATION = "ask_location"  # the need is known, the place is not
    AMBIGUOUS = "ambiguous"  # the place name fits several places
    NOT_FOUND = "not_found"  # a place was named but not recognised
    SHORT_LINK = "short_link"  # a shortened map link: ask for the location instead
    SMALL_TALK = "small_talk"  # neither place nor need
    DEPARTMENTS = "departments"  # a country named alone, or «Ninguno de estos»: its departments
    OUTSIDE = "outside_region"  # a place or point outside the eight countries
    PICK_LOCATION = "pick_location"  # «Ninguno de estos» on places of several countries
    FOLLOW_UP = "follow_up"  # a question about the center of the last card (`follow_ups`)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the bot decided for one message; bot.replies turns it into messages, in Spanish
    or English (`language`), with bot.texts and bot.texts_en."""

    kind: OutcomeKind
    place: Place | None = None
    needs: tuple[str, ...] = ()
    matches: Sequence[Match] = ()  # lazy (bot.domain.ranking.rank): computed when read
    candidates: tuple[Place, ...] = ()
    query: str = ""
    agency: Agency | None = None  # the national MSME agency of the user's country
    regional: Agency | None = None  # CENPROMYPE, the regional contact
    support: tuple[Center, ...] = ()  # with no center to rank: other support points near
    offset: int = 0
    small_talk: SmallTalk = SmallTalk.UNCLEAR
    location: LocationResult | None = None
    language: str = SPANISH  # the language to answer in (bot.language)
    # DEPARTMENTS, and NOT_FOUND when the country is known: the country whose departments are
    # offered (`candidates` then holds their capitals, by department name)
    country: str = ""
    # FOLLOW_UP: what is asked about the first of `matches` (none: its contacts)
    follow_ups: tuple[FollowUp, ...] = ()
    # ASK_NEED again: the reply to «¿Qué necesita?» (`query`) named no service the bot knows
    unclear: bool = False
    # the main need (needs[0]) was uncertain: the likeliest others, offered as buttons
    need_alternatives: tuple[str, ...] = ()


def local_today(country: str) -> date:
    """Today's date where the user is (closures are entered in local days)."""
    return datetime.now(ZoneInfo(timezone_for(country))).date()


@dataclass(frozen=True, slots=True)
class Understanding:
    location: LocationResult
    needs: tuple[str, ...]
    language: str = ""  # bot.language.detect: "" when the message does not tell
    # when the main need is uncertain: the likeliest others, offered as buttons
    alternatives: tuple[str, ...] = ()
    # a short message that is a place's name, read as words instead («calidad», not the
    # village of Caridad): for the answer to «¿Qué necesita?»
    as_words: tuple[str, ...] = ()


class Services:
    """The bot's use cases over one database, one gazetteer and one needs matcher."""

    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        gazetteer: Gazetteer,
        needs: Sequence[Need],
        geocoder: Geocoder | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = sessions
        self.gazetteer = gazetteer
        self.needs = tuple(needs)
        self.need_labels = {n.slug: n.label for n in self.needs}
        self.matcher = NeedMatcher(self.needs, load_need_rules())
        self.reader = NeedReader(self.matcher, NeedModel.load())
        self.geocoder = geocoder
        self.geocoder_wait = 3.0  # seconds a message may wait for the geocoder's next slot
        self.staff = StaffService(settings, sessions)
        # SQLite in a file: the user's memory is read on the event loop's thread (bot.db.inline)
        self.inline = InlineSqlite(engine.url) if InlineSqlite.usable(engine) else None
        self.events = EventLog(sessions)  # the searches answered, written in batches
        self._centers: tuple[Center, ...] = ()
        self._agencies: dict[str, Agency] = {}
        self._centers_version: str | None = None
        self._department_lists: dict[str, tuple[Place, ...]] = {}

    @classmethod
    async def create(cls, settings: Settings, geocoder: Geocoder | None = None) -> Services:
        """Open the database (creating and seeding it when new) and load the reference data."""
        engine = make_engine(settings.database_url)
        sessions = make_sessionmaker(engine)
        await ensure_database(engine, sessions)
        async with sessions() as session:
            needs = await ServiceRepository(session).list()
        if geocoder is None and settings.geocoder == "nominatim":
            from bot.geo import NominatimGeocoder

            geocoder = NominatimGeocoder(settings.geocoder_user_agent, load_gazetteer())
        return cls(settings, engine, sessions, load_gazetteer(), needs, geocoder)

    async def close(self) -> None:
        await self.events.close()
        if self.inline is not None:
            self.inline.close()
        await self.engine.dispose()

    # --- reference data -------------------------------------------------------------------

    async def centers(self, session: AsyncSession) -> tuple[Center, ...]:
        """All centers, cached until the data version in the database changes (any worker).

        The version is read once per request: with the user's context, or here.
        """
        if session.info.get(CENTERS_VERSION_KEY) is not None:
            version = session.info.pop(CENTERS_VERSION_KEY)
        else:
            version = await MetaRepository(session).get(CENTERS_VERSION_KEY)
        if version != self._centers_version or not self._centers:
            self._centers = tuple(await CenterRepository(session).list())
            self._agencies = {a.country: a for a in await AgencyRepository(session).list()}
            self._centers_version = version
        return self._centers

    async def list_centers(self, *, include_unranked: bool = False) -> list[Center]:
        """The centers entrepreneurs can be sent to (with `include_unranked`: every row)."""
        async with self.sessions() as session:
            centers = await self.centers(session)
        return [c for c in centers if include_unranked or (c.ranked and not c.closed)]

    # --- understanding ----------------------------------------------------------------------

    async def understand(self, text: str) -> Understanding:
        """Place and needs of one message; the online geocoder only for unknown names."""
        understanding = self.understand_offline(text)
        return replace(understanding, location=await self.geocode_unknown(understanding.location))

    def understand_offline(self, text: str, prefer_country: str = "") -> Understanding:
        """Place (gazetteer only), needs and language of one message: no I/O.

        `prefer_country`: the country of the place remembered for the user, which wins over
        HOME_COUNTRY between namesakes. The needs matcher reads Spanish; an English message is
        read with the English table.
        """
        language = detect(text)
        if language == ENGLISH and not prefer_country:
            prefer_country = "BZ"  # of the eight countries, English is Belize's language
        location = resolve_location(
            text, self.gazetteer, self.settings.home_country, prefer_country
        )
        found = english_needs(text) if language == ENGLISH else None
        named = place_names(location)
        read = self.reader.read(text, found, named)
        as_words = read.needs
        if named and is_short_answer(text):
            as_words = self.reader.read(text, found).needs
        if read.needs and _only_an_unknown_name(location, text):
            # «capacitación», «pisto», «exportar» alone: a need, not a place the bot lacks.
            location = LocationResult(LocationStatus.MISSING)
        return Understanding(location, read.needs, language, read.alternatives, as_words)

    def _wants_geocoder(self, location: LocationResult) -> bool:
        return (
            location.status is LocationStatus.NOT_FOUND
            and bool(location.query)
            and not location.short_link
            and self.geocoder is not None
        )

    async def geocode_unknown(self, location: LocationResult) -> LocationResult:
        """A name the gazetteer lacks, looked up online when a geocoder is configured."""
        if not self._wants_geocoder(location):
            return location
        place = await self._geocode(location.query)
        if place is None:
            return location
        return LocationResult(
            LocationStatus.FOUND, place, query=location.query, source=LocationSource.GEOCODER
        )

    async def _geocode(self, name: str) -> Place | None:
        assert self.geocoder is not None
        is_cached = getattr(self.geocoder, "is_cached", None)
        if not (is_cached and is_cached(name, COUNTRIES)) and not await self._geocoder_slot():
            log.info("online geocoder busy: the name stays unknown")
            return None
        try:
            return await asyncio.to_thread(self.geocoder.geocode, name, COUNTRIES)
        except Exception:  # a geocoder outage must not break the answer
            log.warning("online geocoder failed", exc_info=True)
            return None

    async def _geocoder_slot(self) -> bool:
        """Nominatim allows 1 request/s for the whole bot, all workers together: a one-second
        lease in the database is the ticket. Waits a little for it, then gives up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.geocoder_wait
        while True:
            if await acquire_lease(self.sessions, "geocoder", GEOCODER_SLOT, uuid.uuid4().hex):
                return True
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.2)

    def locate(self, lat: float, lon: float) -> LocationResult:
        result = locate_point(lat, lon, self.gazetteer)
        return replace(result, source=LocationSource.SHARED)

    def _rank(
        self, place: Place, needs: Sequence[str], centers: Sequence[Center]
    ) -> Sequence[Match]:
        """The ranking rule over open centers; those closed today (local day) come last.

        Lazy: a match, and its geodesic distance, is computed only when a reply reads it.
        """
        query = SearchQuery(place.lat, place.lon, place.country, place.admin1, tuple(needs))
        return rank(query, centers, closed_on=local_today(place.country))

    def department_capitals(self, country: str) -> tuple[Place, ...]:
        """One place per department of a country, its capital, by department name: the
        buttons of a department list (a capital's Place carries its department)."""
        found = self._department_lists.get(country)
        if found is None:
            capitals = []
            for key, name in self.gazetteer.departments(country).items():
                capital = self.gazetteer.capital(key)
                if capital is not None and capital.admin1 == key:
                    capitals.append(
                        capital if capital.admin_name else replace(capital, admin_name=name)
                    )
            found = tuple(sorted(capitals, key=lambda p: (fold(p.admin_name), p.admin1)))
            self._department_lists[country] = found
        return found

    def _country_alone(self, location: LocationResult) -> str:
        """The country a message names alone («soy de Guatemala»): the resolver's AMBIGUOUS
        with the country's capitals as candidates; "" for any other list of places."""
        country = location.country
        if location.status is not LocationStatus.AMBIGUOUS or country not in COUNTRIES:
            return ""
        if not location.query or self.gazetteer.country_code(location.query) == country:
            return country
        capitals = {p.id for p in self.department_capitals(country)}
        if location.candidates and all(p.id in capitals for p in location.candidates):
            return country
        return ""

    def agency_for(self, country: str) -> Agency | None:
        return self._agencies.get(country)

    def regional_agency(self) -> Agency | None:
        """CENPROMYPE (SICA), named with each country's agency."""
        return self._agencies.get(REGIONAL)

    @staticmethod
    def support_points(place: Place, centers: Sequence[Center]) -> tuple[Center, ...]:
        """Where no center of the country can be ranked: the unranked support points of the
        user's department (not the agency's own offices, named with the agency)."""
        return tuple(
            c
            for c in centers
            if c.country == place.country
            and not c.ranked
            and not c.closed
            and c.source_label != "agency_office"
            and bool(place.admin1)
            and (c.admin1 == place.admin1 or place.admin1 in c.service_area)
        )[:MAX_SUPPORT]

    # --- one stateless question (the `ask` command) ------------------------------------------

    async def ask(self, text: str, lat: float | None = None, lon: float | None = None) -> Outcome:
        """Answer one message on its own, without memory."""
        if lat is not None and lon is not None:  # a shared point: no name to look up online
            understanding = self.understand_offline(text)
            location = self.locate(lat, lon)
        else:
            understanding = await self.understand(text)
            location = understanding.location
        language = understanding.language or SPANISH
        async with self.sessions() as session:
            outcome = await self._decide(
                session, text, location, understanding.needs, Memory(), language
            )
        return _with_alternatives(outcome, understanding)

    # --- the conversation -------------------------------------------------------------------

    async def on_text(self, user_id: int, text: str, *, flows: bool = True) -> Outcome | None:
        """A typed message: combine it with what the user told us before.

        None when `flows` (a private chat) and the user is in the middle of a flow: writing a
        request (bot.requests) or a staff member editing their listing. The text is then an
        answer to that flow, not a search; the same statement that loads the memory tells.
        """
        understanding = self.understand_offline(text)
        if self._wants_geocoder(understanding.location) and not _asks_about_center(
            understanding.location, understanding.needs
        ):
            # Rare: look the name up online, but never with what a staff member types as a
            # value, and never inside a transaction.
            async with self.sessions() as session:
                if flows and _in_flow(await self._context(session, user_id)):
                    return None
            location = await self.geocode_unknown(understanding.location)
            understanding = replace(understanding, location=location)
        async with self.sessions() as session, session.begin():
            context = await self._context(session, user_id)
            if flows and _in_flow(context):
                return None
            memory = context.memory
            remembered = memory.place.country if memory.place is not None else ""
            if remembered and remembered != self.settings.home_country:
                # Namesakes are read in the light of where the user said they were before.
                location = self.understand_offline(text, remembered).location
                if location.status is not LocationStatus.NOT_FOUND:
                    understanding = replace(understanding, location=location)
            language = understanding.language or memory.language
            understanding = self._in_light_of(memory, text, understanding)
            if memory.asked is Asked.LIST and is_none_answer(text):
                outcome = replace(self._none_of_these(memory), language=language)
            elif is_none_answer(text):  # «ninguno» with no list shown: where, then?
                outcome = Outcome(OutcomeKind.PICK_LOCATION, needs=memory.needs, language=language)
            elif self._unknown_need(memory, text, understanding):
                # «¿Qué necesita?» answered with a word the bot does not know: ask again
                outcome = _need_asked_again(memory, text, language)
            else:
                outcome = await self._decide(
                    session, text, understanding.location, understanding.needs, memory, language
                )
                outcome = _with_alternatives(self._ask_again(outcome, memory, text), understanding)
            await self._remember(session, user_id, outcome, memory)
        return outcome

    @staticmethod
    def _ask_again(outcome: Outcome, memory: Memory, text: str) -> Outcome:
        """A reply the bot cannot read («no sé», «mmm») to its own question: the question
        again, with its buttons, instead of «no le entendí»."""
        unclear = (
            outcome.kind is OutcomeKind.SMALL_TALK and outcome.small_talk is SmallTalk.UNCLEAR
        )
        if not unclear:
            return outcome
        if memory.asked is Asked.NEED and memory.place is not None:
            return _need_asked_again(memory, text, outcome.language)
        if memory.asked is Asked.PLACE:
            return Outcome(OutcomeKind.ASK_LOCATION, needs=memory.needs, language=outcome.language)
        return outcome

    def _in_light_of(
        self, memory: Memory, text: str, understanding: Understanding
    ) -> Understanding:
        """A short reply read first as the answer to what the bot last asked: after «¿Qué
        necesita?» a need («calidad» is no misspelt «Caridad»), after «¿Dónde está?» a place
        («Marcala» is no trademark)."""
        location, needs = understanding.location, understanding.needs
        if not is_short_answer(text) or memory.asked not in (Asked.NEED, Asked.PLACE):
            return understanding
        named = location.status is not LocationStatus.MISSING and covers(location.query, text)
        if memory.asked is Asked.NEED and understanding.as_words and named:
            missing = LocationResult(LocationStatus.MISSING)
            return replace(understanding, location=missing, needs=understanding.as_words)
        placed = location.status in (LocationStatus.FOUND, LocationStatus.AMBIGUOUS)
        if memory.asked is Asked.PLACE and needs and placed and named:
            return replace(understanding, needs=())
        return understanding

    @staticmethod
    def _unknown_need(memory: Memory, text: str, understanding: Understanding) -> bool:
        """Whether a short reply to «¿Qué necesita?» is neither a need nor a known place."""
        location = understanding.location
        return (
            memory.asked is Asked.NEED
            and memory.place is not None
            and not understanding.needs
            and is_short_answer(text)
            and _only_an_unknown_name(location, text)
        )

    async def on_location(
        self, user_id: int, lat: float, lon: float, *, staff_edits: bool = True
    ) -> Outcome | None:
        """A location shared from the phone (or a venue); None when it is a staff member's
        new map position for their center (an edit of the location in progress)."""
        location = self.locate(lat, lon)
        async with self.sessions() as session, session.begin():
            context = await self._context(session, user_id)
            if staff_edits and context.editing == "location":
                return None
            memory = context.memory
            outcome = await self._decide(session, "", location, (), memory, memory.language)
            await self._remember(session, user_id, outcome, memory)
        return outcome

    async def on_need_chosen(self, user_id: int, slug: str | None) -> Outcome:
        """A service picked from the menu; None means "any service"."""
        needs = (slug,) if slug else ()
        async with self.sessions() as session, session.begin():
            memory = await self._memory(session, user_id)
            if memory.place is None:
                outcome = Outcome(OutcomeKind.ASK_LOCATION, needs=needs, language=memory.language)
            else:
                outcome = await self._answer(session, memory.place, needs, memory.language)
            await self._remember(session, user_id, outcome, memory)
        return outcome

    async def on_place_chosen(
        self, user_id: int, place_id: int, tag: str | None = None
    ) -> Outcome | None:
        """One of the places of a choice list (candidates for an ambiguous name, or the
        capital of a department picked from a department list); None if stale.

        `tag` names the list the button belongs to (bot.callbacks.list_tag): a button of an
        older list does not act on a newer one. (None: a button from before tags, which only
        needs its place to be among the remembered candidates.)
        """
        async with self.sessions() as session, session.begin():
            memory = await self._memory(session, user_id)
            if tag is not None and tag != remembered_list_tag(memory):
                return None
            place = next((p for p in memory.candidates if p.id == place_id), None)
            if place is None:
                return None
            location = LocationResult(LocationStatus.FOUND, place, source=LocationSource.GAZETTEER)
            unlisted = replace(memory, candidates=())
            outcome = await self._decide(session, "", location, (), unlisted, memory.language)
            await self._remember(session, user_id, outcome, memory)
        return outcome

    async def on_none_of_these(self, user_id: int, tag: str) -> Outcome | None:
        """«Ninguno de estos» under a list of places: the departments of their country, or,
        when they lie in several countries, a plain ask for the location; None if stale."""
        async with self.sessions() as session, session.begin():
            memory = await self._memory(session, user_id)
            if not memory.candidates or tag != remembered_list_tag(memory):
                return None
            outcome = self._none_of_these(memory)
            await self._remember(session, user_id, outcome, memory)
        return outcome

    def _none_of_these(self, memory: Memory) -> Outcome:
        """Places of one country: its departments; a country's departments already, or places
        of several countries: a plain ask for the location."""
        countries = {p.country for p in memory.candidates}
        if len(countries) == 1:
            country = countries.pop()
            departments = self.department_capitals(country)
            if memory.candidates != departments:
                return Outcome(
                    OutcomeKind.DEPARTMENTS,
                    needs=memory.needs,
                    candidates=departments,
                    country=country,
                    language=memory.language,
                )
        return Outcome(OutcomeKind.PICK_LOCATION, needs=memory.needs, language=memory.language)

    async def department_page(self, user_id: int, offset: int, tag: str) -> Outcome | None:
        """Another page of the department list the user has («Más» / «Anteriores»); None
        when the list is forgotten or the button belongs to an older list."""
        async with self.sessions() as session:
            memory = await self._memory(session, user_id)
        if not memory.candidates or tag != remembered_list_tag(memory):
            return None
        return Outcome(
            OutcomeKind.DEPARTMENTS,
            needs=memory.needs,
            candidates=memory.candidates,
            country=memory.candidates[0].country,
            offset=max(0, min(offset, len(memory.candidates) - 1)),
            language=memory.language,
        )

    async def more_centers(self, user_id: int, offset: int, search: str) -> Outcome | None:
        """The next page of centers for the remembered search; None when it is forgotten or
        the button belongs to an older search."""
        async with self.sessions() as session:
            memory = await self._memory(session, user_id)
            place = memory.place
            if place is None or search != search_tag(place.id, place.lat, place.lon, memory.needs):
                return None
            outcome = await self._answer(session, place, memory.needs, memory.language)
        return replace(outcome, offset=max(0, min(offset, len(outcome.matches))))

    async def remembered(self, user_id: int) -> Memory:
        async with self.sessions() as session:
            return await self._memory(session, user_id)

    async def open_center(
        self, center_id: str, user_id: int | None = None
    ) -> tuple[Center | None, str]:
        """A center that is not closed for good (ranked or not), by id, and the language of
        the user who asks (their memory and the centers' version are read in one statement)."""
        language = SPANISH
        async with self.sessions() as session:
            if user_id is not None:
                language = (await self._memory(session, user_id)).language
            centers = await self.centers(session)
        center = next((c for c in centers if c.id == center_id and not c.closed), None)
        return center, language

    async def drop_question(self, user_id: int) -> tuple[bool, str]:
        """/cancelar: forget the question or list last put to the user (the place and need
        stay); whether there was one, and the user's language."""
        async with self.sessions() as session, session.begin():
            memory = await self._memory(session, user_id)
            pending = memory.asked in (Asked.NEED, Asked.PLACE, Asked.LIST)
            if pending or memory.candidates:
                await self._save(
                    session, user_id, replace(memory, asked=Asked.NOTHING, candidates=())
                )
        return pending or bool(memory.candidates), memory.language

    async def forget_place(self, user_id: int) -> str:
        """«Cambiar ubicación»: forget the place (and any list); returns the user's language."""
        async with self.sessions() as session, session.begin():
            memory = await self._memory(session, user_id)
            await self._save(session, user_id, replace(memory, place=None, candidates=()))
        return memory.language

    async def purge_expired(self) -> None:
        """Forget expired memories and old rate-limit events (ignored already; frees space)."""
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            await MemoryRepository(session).purge_expired(now)
            await session.execute(delete(RateEventRow).where(RateEventRow.at < now - KEEP_EVENTS))

    async def forget(self, user_id: int, before_update: int | None = None) -> bool:
        """Delete everything stored about a user (/olvidar): their memory, and the traces the
        flood limit and the duplicate check keep (update ids, rate-limit events).

        The user's messages still waiting to be answered: those sent before `before_update`
        (the /olvidar itself; normally none, as one user's updates are processed in order)
        are dropped with their text; those sent after it are the user's next questions, which
        are answered and then cleared as usual.
        """
        async with self.sessions() as session, session.begin():
            forgotten = await MemoryRepository(session).delete(user_id)
            await session.execute(delete(RateEventRow).where(RateEventRow.user_id == user_id))
            mine = ProcessedUpdateRow.user_id == user_id
            await session.execute(
                delete(ProcessedUpdateRow).where(mine, ProcessedUpdateRow.done_at.is_not(None))
            )
            if before_update is not None:
                await session.execute(
                    update(ProcessedUpdateRow)
                    .where(mine, ProcessedUpdateRow.update_id < before_update)
                    .values(payload=None, done_at=datetime.now(UTC), holder=None)
                )
        return forgotten

    # --- internals --------------------------------------------------------------------------

    async def _decide(
        self,
        session: AsyncSession,
        text: str,
        location: LocationResult,
        needs: tuple[str, ...],
        memory: Memory,
        language: str = SPANISH,
    ) -> Outcome:
        outcome = await self._decide_kind(session, text, location, needs, memory)
        return outcome if outcome.language == language else replace(outcome, language=language)

    async def _decide_kind(
        self,
        session: AsyncSession,
        text: str,
        location: LocationResult,
        needs: tuple[str, ...],
        memory: Memory,
    ) -> Outcome:
        if location.outside_region:  # no center can serve it: the regional contact
            await self.centers(session)
            return Outcome(
                OutcomeKind.OUTSIDE,
                needs=needs or memory.needs,
                query=location.query,
                location=location,
                regional=self.regional_agency(),
            )
        if memory.place is not None and _asks_about_center(location, needs):
            # «¿y el teléfono?», «¿tienen correo?» after a card: about the center it showed
            follow_ups = classify_follow_up(text)
            if follow_ups:
                return await self._follow_up(session, memory, follow_ups)
        if location.status is LocationStatus.MISSING and not needs:
            # Nothing new (a thank-you, a greeting): answer that, do not repeat the last card.
            return Outcome(
                OutcomeKind.SMALL_TALK, small_talk=classify_small_talk(text), location=location
            )
        needs = needs or memory.needs
        country = self._country_alone(location)
        if country:  # «soy de Guatemala»: its departments, to pick from
            return Outcome(
                OutcomeKind.DEPARTMENTS,
                needs=needs,
                candidates=self.department_capitals(country),
                query=location.query,
                location=location,
                country=country,
            )
        if location.status is LocationStatus.AMBIGUOUS:
            return Outcome(
                OutcomeKind.AMBIGUOUS,
                needs=needs,
                candidates=location.candidates,
                query=location.query,
                location=location,
            )
        if location.status is LocationStatus.NOT_FOUND:
            if location.short_link:
                return Outcome(
                    OutcomeKind.SHORT_LINK, needs=needs, query=location.query, location=location
                )
            # a name the bot does not know: the departments of its country, when known
            known = location.country if location.country in COUNTRIES else ""
            return Outcome(
                OutcomeKind.NOT_FOUND,
                needs=needs,
                query=location.query,
                location=location,
                country=known,
                candidates=self.department_capitals(known) if known else (),
            )
        place = location.place if location.status is LocationStatus.FOUND else memory.place
        if place is None:
            if needs:
                return Outcome(OutcomeKind.ASK_LOCATION, needs=needs, location=location)
            return Outcome(
                OutcomeKind.SMALL_TALK, small_talk=classify_small_talk(text), location=location
            )
        outcome = await self._answer(session, place, needs)
        if not needs and location.status is LocationStatus.FOUND:
            outcome = replace(outcome, kind=OutcomeKind.ASK_NEED)
        return replace(outcome, location=location)

    async def _follow_up(
        self, session: AsyncSession, memory: Memory, follow_ups: tuple[FollowUp, ...]
    ) -> Outcome:
        """The answer about the center the last card showed: derived again from the remembered
        place and needs with the same ranking (the first match), or, for «another one», the
        next centers of that ranking (as «Ver más»)."""
        assert memory.place is not None
        outcome = await self._answer(session, memory.place, memory.needs)
        if not outcome.matches:  # no center to ask about: said plainly, with the agency
            return replace(outcome, kind=OutcomeKind.FOLLOW_UP, follow_ups=follow_ups)
        if follow_ups == (FollowUp.NEARER,) and len(outcome.matches) > 1:
            return replace(outcome, offset=1)
        return replace(outcome, kind=OutcomeKind.FOLLOW_UP, follow_ups=follow_ups)

    async def _answer(
        self,
        session: AsyncSession,
        place: Place,
        needs: Sequence[str],
        language: str = SPANISH,
    ) -> Outcome:
        centers = await self.centers(session)
        matches = self._rank(place, needs, centers)
        return Outcome(
            OutcomeKind.ANSWER,
            place=place,
            needs=tuple(needs),
            matches=matches,
            agency=self.agency_for(place.country),
            regional=self.regional_agency(),
            support=() if matches else self.support_points(place, centers),
            language=language,
        )

    async def _context(self, session: AsyncSession, user_id: int) -> UserContext:
        """The user's memory, edit in progress and the centers' version, in one statement; the
        version waits in session.info for centers() in this request."""
        context = await MemoryRepository(session).load(
            user_id, datetime.now(UTC), CENTERS_VERSION_KEY, self.inline
        )
        session.info[CENTERS_VERSION_KEY] = context.centers_version
        return context

    async def _memory(self, session: AsyncSession, user_id: int) -> Memory:
        return (await self._context(session, user_id)).memory

    async def _remember(
        self, session: AsyncSession, user_id: int, outcome: Outcome, memory: Memory
    ) -> None:
        self.events.search(session, outcome, self._centers)  # a search answered: its event
        place = outcome.place or memory.place
        if outcome.kind in _PLACE_KEPT:
            place = memory.place
        place = coarse_place(place)  # remembered to about 100 m; this answer used the exact point
        # a list of places or departments: its buttons act while it is the latest list
        candidates = outcome.candidates if outcome.kind in _LISTS else ()
        new = Memory(
            place=place,
            needs=outcome.needs or memory.needs,
            candidates=candidates,
            language=outcome.language,
            asked=_ASKED_AFTER.get(outcome.kind, memory.asked),
        )
        if outcome.kind is OutcomeKind.ANSWER or outcome.kind is OutcomeKind.ASK_NEED:
            new = replace(new, needs=outcome.needs)
        if new == memory or (new == Memory() and memory == Memory()):
            # Nothing to remember: an expired memory (read as absent) is not left behind either.
            await MemoryRepository(session).erase_expired(user_id, datetime.now(UTC))
            return
        await self._save(session, user_id, new)

    async def _save(self, session: AsyncSession, user_id: int, memory: Memory) -> None:
        now = datetime.now(UTC)
        expires = now + timedelta(minutes=self.settings.memory_minutes)
        await MemoryRepository(session).save(user_id, memory, now, expires)


# Outcomes that leave the remembered place as it was, and those that offer a list of places.
_PLACE_KEPT = frozenset(
    {OutcomeKind.NOT_FOUND, OutcomeKind.SHORT_LINK, OutcomeKind.OUTSIDE, OutcomeKind.FOLLOW_UP}
)
_LISTS = frozenset({OutcomeKind.AMBIGUOUS, OutcomeKind.DEPARTMENTS, OutcomeKind.NOT_FOUND})
# What each answer asks or shows, remembered to read the next message (small talk and the
# ones absent here leave it as it was: «gracias» after a card, then «¿y el teléfono?»).
_ASKED_AFTER = {
    OutcomeKind.ANSWER: Asked.CARD,
    OutcomeKind.FOLLOW_UP: Asked.CARD,
    OutcomeKind.ASK_NEED: Asked.NEED,
    OutcomeKind.ASK_LOCATION: Asked.PLACE,
    OutcomeKind.SHORT_LINK: Asked.PLACE,
    OutcomeKind.PICK_LOCATION: Asked.PLACE,
    OutcomeKind.OUTSIDE: Asked.PLACE,
    OutcomeKind.AMBIGUOUS: Asked.LIST,
    OutcomeKind.DEPARTMENTS: Asked.LIST,
    OutcomeKind.NOT_FOUND: Asked.LIST,
}


def _need_asked_again(memory: Memory, text: str, language: str) -> Outcome:
    """«¿Qué necesita?» again, saying the reply (`text`) named no service the bot knows."""
    return Outcome(
        OutcomeKind.ASK_NEED, place=memory.place, query=text.strip(), language=language,
        unclear=True,
    )  # fmt: skip


def _with_alternatives(outcome: Outcome, understanding: Understanding) -> Outcome:
    """The likeliest other needs, when this answer is about the uncertain need just read."""
    alternatives = understanding.alternatives
    if not alternatives or outcome.needs[:1] != understanding.needs[:1]:
        return outcome
    if outcome.kind not in (OutcomeKind.ANSWER, OutcomeKind.ASK_LOCATION):
        return outcome
    return replace(outcome, need_alternatives=alternatives)


def remembered_list_tag(memory: Memory) -> str:
    """The tag of the list of places the user was last offered (bot.callbacks.list_tag)."""
    return list_tag(tuple(p.id for p in memory.candidates), memory.needs)


def _only_an_unknown_name(location: LocationResult, text: str) -> bool:
    """Whether the message is nothing but a name the gazetteer does not know (no «soy de», no
    country): then, when it reads as a need, it is the need."""
    return (
        location.status is LocationStatus.NOT_FOUND
        and not location.country
        and not location.outside_region
        and bool(location.query)
        and fold(location.query) == fold(text)
    )


def _in_flow(context: UserContext) -> bool:
    """Whether the user's text answers a flow in progress rather than being a search."""
    return context.drafting or context.editing is not None


def _asks_about_center(location: LocationResult, needs: tuple[str, ...]) -> bool:
    """Whether a message may be a follow-up about the last card: no new need and no new place
    (no place at all, or only an unknown «name» made of follow-up words: «¿tienen correo?»)."""
    if needs or location.outside_region:
        return False
    if location.status is LocationStatus.MISSING:
        return True
    return (
        location.status is LocationStatus.NOT_FOUND
        and not location.short_link
        and not location.country
        and bool(location.query)
        and bool(classify_follow_up(location.query))
    )

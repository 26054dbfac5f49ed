"""Use cases beneath the handlers: the online geocoder fallback and the stateless `ask`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.db.models import RequestDraftRow
from bot.domain.models import LocationSource, LocationStatus, Place
from bot.services import OutcomeKind, Services
from tests.conftest import _drop_everything

KENNEDY = Place(0, "Colonia Kennedy", "HN", "HN.08", "Francisco Morazán", 14.05, -87.18, 0)


class FakeGeocoder:
    """Stands in for Nominatim: knows one neighbourhood, records what it was asked."""

    def __init__(self, fail: bool = False) -> None:
        self.asked: list[str] = []
        self.fail = fail

    def geocode(self, name: str, countries: Sequence[str]) -> Place | None:
        self.asked.append(name)
        if self.fail:
            raise TimeoutError("no network")
        return KENNEDY if "kennedy" in name.casefold() else None


@pytest.fixture
async def geocoded(settings: Settings) -> AsyncIterator[tuple[Services, FakeGeocoder]]:
    await _drop_everything(settings.database_url)  # whatever an earlier test left there
    geocoder = FakeGeocoder()
    svc = await Services.create(settings, geocoder=geocoder)
    yield svc, geocoder
    await svc.close()
    await _drop_everything(settings.database_url)


async def test_geocoder_finds_names_the_gazetteer_lacks(
    geocoded: tuple[Services, FakeGeocoder],
) -> None:
    services, geocoder = geocoded
    outcome = await services.ask("vivo en la colonia Kennedy y ocupo un préstamo")
    assert outcome.location is not None
    assert outcome.location.status is LocationStatus.FOUND
    assert outcome.location.source is LocationSource.GEOCODER
    assert outcome.matches[0].center.id == "hn-cde-tegucigalpa"
    assert geocoder.asked


async def test_geocoder_is_not_asked_for_known_places(
    geocoded: tuple[Services, FakeGeocoder],
) -> None:
    services, geocoder = geocoded
    outcome = await services.ask("soy de Danlí y ocupo un préstamo")
    assert outcome.kind is OutcomeKind.ANSWER
    assert geocoder.asked == []


async def test_geocoder_outage_leaves_an_honest_not_found(settings: Settings) -> None:
    await _drop_everything(settings.database_url)
    services = await Services.create(settings, geocoder=FakeGeocoder(fail=True))
    try:
        outcome = await services.ask("vivo en la colonia Kennedy")
    finally:
        await services.close()
        await _drop_everything(settings.database_url)
    assert outcome.kind is OutcomeKind.NOT_FOUND


async def test_ask_keeps_no_memory(services: Services) -> None:
    await services.ask("soy de Danlí")
    outcome = await services.ask("ocupo un préstamo")
    assert outcome.kind is OutcomeKind.ASK_LOCATION
    assert (await services.remembered(0)).place is None


async def test_shared_point_far_from_any_town_is_still_answered(services: Services) -> None:
    outcome = await services.ask("", lat=15.9, lon=-84.0)  # Caribbean coast, La Mosquitia
    assert outcome.kind is OutcomeKind.ASK_NEED
    assert outcome.matches


async def test_what_staff_type_during_an_edit_never_reaches_the_geocoder(
    geocoded: tuple[Services, FakeGeocoder],
) -> None:
    services, geocoder = geocoded
    code = await services.staff.create_invite(0, "hn-cde-el-paraiso")
    await services.staff.redeem_invite(55, code)
    await services.staff.start_edit(55, "hn-cde-el-paraiso", "address", "value")
    assert await services.on_text(55, "vivo en la colonia Kennedy, casa 5") is None
    assert geocoder.asked == []
    assert await services.on_text(56, "vivo en la colonia Kennedy") is not None  # not staff
    assert geocoder.asked


async def test_what_is_typed_while_writing_a_request_is_not_a_search(
    geocoded: tuple[Services, FakeGeocoder],
) -> None:
    """A draft in progress takes the private text (the business, the preferred time…): no
    search, no geocoder; in a group, or once the draft has expired, the text is a search."""
    services, geocoder = geocoded
    now = datetime.now(UTC)
    async with services.sessions() as session, session.begin():
        session.add(RequestDraftRow(user_id=57, step="business", data_json="{}",
                                    expires_at=now + timedelta(minutes=30)))  # fmt: skip
        session.add(RequestDraftRow(user_id=58, step="business", data_json="{}",
                                    expires_at=now - timedelta(minutes=1)))  # fmt: skip
    assert await services.on_text(57, "vendo tortillas en la colonia Kennedy") is None
    assert geocoder.asked == []
    assert await services.on_text(57, "soy de Danlí", flows=False) is not None  # a group
    expired = await services.on_text(58, "soy de Danlí y ocupo un préstamo")
    assert expired is not None and expired.kind is OutcomeKind.ANSWER


async def test_the_geocoder_slot_is_shared_by_all_workers(
    geocoded: tuple[Services, FakeGeocoder],
) -> None:
    from datetime import timedelta

    from bot.guard import acquire_lease

    services, geocoder = geocoded
    services.geocoder_wait = 0.3
    # Another worker has just used the one request per second.
    assert await acquire_lease(services.sessions, "geocoder", timedelta(seconds=30), "other")
    outcome = await services.ask("vivo en la colonia Kennedy")
    assert outcome.kind is OutcomeKind.NOT_FOUND  # honest: not looked up, not guessed
    assert geocoder.asked == []


# --- the remembered place: coarse, and gone when /privacidad says ------------------------------

SHARED = (14.071234, -87.194567)  # a point shared from the phone, in Tegucigalpa


async def _stored_place(services: Services, user_id: int) -> str | None:
    from bot.db.models import UserStateRow

    async with services.sessions() as session:
        row = await session.get(UserStateRow, user_id)
        return None if row is None else row.place_json


async def test_a_shared_point_is_answered_exactly_but_remembered_to_about_100_m(
    services: Services,
) -> None:
    import json

    outcome = await services.on_location(42, *SHARED)
    assert outcome is not None and outcome.place is not None
    assert (outcome.place.lat, outcome.place.lon) == SHARED  # this answer: the exact point
    stored = await _stored_place(services, 42)
    assert stored is not None
    assert "14.071234" not in stored and "87.194567" not in stored
    data = json.loads(stored)
    assert (data["lat"], data["lon"]) == (14.071, -87.195)
    memory = await services.remembered(42)
    assert memory.place is not None and (memory.place.lat, memory.place.lon) == (14.071, -87.195)
    assert memory.place.name == outcome.place.name  # still the same town

    later = await services.on_need_chosen(42, "financiamiento")  # answered from the memory
    assert later.kind is OutcomeKind.ANSWER and later.place == memory.place


async def test_more_centers_still_pages_a_search_answered_from_the_exact_point(
    services: Services,
) -> None:
    from bot.callbacks import search_tag

    await services.on_text(43, "ocupo un préstamo")  # the need first, then the location
    outcome = await services.on_location(43, *SHARED)
    assert outcome is not None and outcome.place is not None
    assert outcome.kind is OutcomeKind.ANSWER
    place = outcome.place  # the «Ver más» button is built from this answer's (exact) place
    tag = search_tag(place.id, place.lat, place.lon, outcome.needs)
    more = await services.more_centers(43, 3, tag)
    assert more is not None and more.offset == 3


async def test_an_expired_memory_is_absent_and_erased_when_the_user_comes_back(
    services: Services,
) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from bot.db.models import UserStateRow

    await services.on_text(44, "soy de Danlí y ocupo un préstamo")
    assert "Danl" in (await _stored_place(services, 44) or "")
    async with services.sessions() as session, session.begin():
        past = datetime.now(UTC) - timedelta(seconds=1)
        await session.execute(update(UserStateRow).values(expires_at=past))

    assert (await services.remembered(44)).place is None  # absent at once, no job needed
    outcome = await services.on_text(44, "hola")  # changes nothing of the (empty) memory
    assert outcome is not None and outcome.kind is OutcomeKind.SMALL_TALK
    assert "Danl" not in (await _stored_place(services, 44) or "")  # erased, not kept for hours
    asked = await services.on_need_chosen(44, "capacitacion")
    assert asked.kind is OutcomeKind.ASK_LOCATION  # the old place is not used


async def test_a_namesake_is_read_in_the_country_the_user_said_before(services: Services) -> None:
    # «El Pino» is a village in Atlántida (Honduras, the home country) and one in Dajabón.
    await services.on_text(9301, "vivo en Dajabón, República Dominicana")
    outcome = await services.on_text(9301, "perdón, estoy en el pino")
    assert outcome is not None and outcome.place is not None
    assert (outcome.place.country, outcome.place.admin_name) == ("DO", "Dajabón")
    fresh = await services.on_text(9302, "estoy en el pino")  # nothing remembered: home first
    assert fresh is not None and fresh.place is not None and fresh.place.country == "HN"


async def test_a_namesake_in_an_english_message_is_read_as_belizean(services: Services) -> None:
    # San Ignacio: Cayo (Belize) and a village of Francisco Morazán (Honduras, the home country).
    english = services.understand_offline("I live in San Ignacio and need a loan")
    spanish = services.understand_offline("vivo en san ignacio y necesito un préstamo")
    assert english.location.place is not None and english.location.place.country == "BZ"
    assert spanish.location.place is not None and spanish.location.place.country == "HN"

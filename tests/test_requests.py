"""Warm handoff (issue 11): an entrepreneur asks a center for an appointment from its card, and
the center's staff (or the country's coordinators) receive, take, reassign and close it —
whole conversations through the real Application, with a clock the tests control for the jobs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import BotApplication
from bot.coordinators import CoordinatorService
from bot.db.models import (
    EventRow,
    HandoffRequestRow,
    RequestDraftRow,
    RequestHistoryRow,
    StaffLinkRow,
)
from bot.handlers import handoff as hq
from bot.handlers import requests as rq
from bot.request_care import RequestCare
from bot.services import Services
from bot.staff import CLI_ACTOR
from tests.conftest import ADMIN_ID
from tests.support import updates as u
from tests.support.fake_telegram import FakeTelegram

CENTER = "hn-cde-el-paraiso"  # Danlí's center
OTHER = "hn-cde-tegucigalpa"
ANA, STAFF, COLLEAGUE, COORDINATOR, STRANGER = 301, 302, 303, 304, 305
SEARCH = "soy de Danlí y ocupo un préstamo"


async def say(app: BotApplication, body: str, user_id: int = ANA) -> None:
    await app.process_update(u.text(app.bot, body, user_id))


async def press(app: BotApplication, data: str, user_id: int = ANA) -> None:
    await app.process_update(u.callback(app.bot, data, user_id))


async def share_contact(app: BotApplication, phone: str, user_id: int = ANA) -> None:
    contact = {"phone_number": phone, "first_name": "Ana", "user_id": user_id}
    message = u._message(user_id, "private", contact=contact)
    await app.process_update(u._update(app.bot, message=message))


def texts_to(telegram: FakeTelegram, chat_id: int) -> list[str]:
    from bot.replies import plain

    return [
        plain(str(c.params["text"]))
        for c in telegram.sent()
        if c.method == "sendMessage" and c.params.get("chat_id") == chat_id
    ]


def buttons_to(telegram: FakeTelegram, chat_id: int) -> list[tuple[str, str]]:
    return [
        b
        for c in telegram.sent()
        if c.params.get("chat_id") == chat_id
        for b in telegram.buttons(c)
    ]


def last_to(telegram: FakeTelegram, chat_id: int) -> str:
    return texts_to(telegram, chat_id)[-1]


async def link_staff(services: Services, user_id: int, center_id: str) -> None:
    async with services.sessions() as session, session.begin():
        session.add(
            StaffLinkRow(user_id=user_id, center_id=center_id, created_at=datetime.now(UTC))
        )


async def card_buttons(
    app: BotApplication, telegram: FakeTelegram, text: str = SEARCH
) -> list[str]:
    telegram.clear()
    await say(app, text)
    assert any("CDE MIPYME" in t for t in telegram.texts()), telegram.texts()
    return [data for _, data in telegram.all_buttons()]


async def start_request(app: BotApplication, telegram: FakeTelegram) -> None:
    """The card of Danlí's center, and «Solicitar una cita» on it: the flow's first step."""
    await card_buttons(app, telegram)
    await press(app, f"rq:new:{CENTER}")


async def fill_request(
    app: BotApplication, telegram: FakeTelegram, *, phone: str = "9999-1234"
) -> str:
    """From the card to the summary, answering every step; returns the summary."""
    assert f"rq:new:{CENTER}" in await card_buttons(app, telegram)
    await press(app, f"rq:new:{CENTER}")
    assert "1️⃣" in last_to(telegram, ANA)
    assert ("✅ Usar “Ana”", "rq:name") in telegram.buttons()
    await press(app, "rq:name")
    assert "2️⃣" in last_to(telegram, ANA)
    markup = telegram.markup(telegram.sent()[-1])
    assert markup["keyboard"][0][0].get("request_contact") is True
    await say(app, phone)
    assert "3️⃣" in last_to(telegram, ANA)
    await say(app, "Tengo una pulpería en el barrio")
    assert "4️⃣" in last_to(telegram, ANA) and "Entendí: Acceso a financiamiento" in last_to(
        telegram, ANA
    )
    await press(app, "rq:need:financiamiento")
    assert "5️⃣" in last_to(telegram, ANA)
    await press(app, "rq:time:t")
    return last_to(telegram, ANA)


async def send(app: BotApplication, telegram: FakeTelegram) -> str:
    """«Enviar»; returns the reference."""
    await press(app, "rq:send")
    found = re.search(r"RM-[A-Z0-9]{4}", last_to(telegram, ANA))
    assert found, last_to(telegram, ANA)
    return found.group(0)


async def the_request(services: Services, reference: str) -> HandoffRequestRow:
    async with services.sessions() as session:
        row = await session.scalar(
            select(HandoffRequestRow).where(HandoffRequestRow.reference == reference)
        )
    assert row is not None
    return row


async def history(services: Services, request_id: int) -> list[tuple[str, int | None]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(RequestHistoryRow.action, RequestHistoryRow.actor_user_id)
            .where(RequestHistoryRow.request_id == request_id)
            .order_by(RequestHistoryRow.id)
        )
        return [(a, b) for a, b in rows.all()]


async def events(services: Services) -> list[tuple[str, int | None, str]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(EventRow.kind, EventRow.value, EventRow.country)
            .where(EventRow.kind != "search")  # the searches' events are another feature's
            .order_by(EventRow.id)
        )
        return [(k, v, c) for k, v, c in rows.all()]


# --- the flow ------------------------------------------------------------------------------


async def test_a_request_reaches_the_centers_staff_who_take_it(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    summary = await fill_request(app, telegram)
    assert "Ana" in summary and "+504 9999-1234" in summary and "pulpería" in summary
    assert "Acceso a financiamiento" in summary and "por la tarde" in summary
    assert "el personal de CDE MIPYME Región El Paraíso" in summary
    assert ("✅ Enviar", "rq:send") in telegram.buttons()
    assert texts_to(telegram, STAFF) == []  # nothing is sent before «Enviar»
    reference = await send(app, telegram)
    assert "Solicitud enviada" in last_to(telegram, ANA)
    (notice,) = texts_to(telegram, STAFF)
    for part in (reference, "Ana", "+504 9999-1234", "pulpería", "Acceso a financiamiento",
                 "por la tarde", "El Paraíso, Honduras"):  # fmt: skip
        assert part in notice, part
    row = await the_request(services, reference)
    assert ("🤝 Atender", f"rq:take:{row.id}") in buttons_to(telegram, STAFF)
    assert (row.center_id, row.status, row.admin1) == (CENTER, "open", "HN.07")
    await press(app, f"rq:take:{row.id}", STAFF)
    assert "Usted atiende la solicitud" in last_to(telegram, STAFF)
    told = last_to(telegram, ANA)
    assert reference in told and "ya la atiende Ana, de CDE MIPYME Región El Paraíso" in told
    row = await the_request(services, reference)
    assert (row.status, row.taken_by, row.taken_by_name) == ("taken", STAFF, "Ana")
    assert await history(services, row.id) == [("opened", ANA), ("taken", STAFF)]
    kinds = await events(services)
    assert [k for k, _, _ in kinds] == ["request_opened", "request_taken"]
    assert kinds[1][1] is not None and 0 <= kinds[1][1] < 60 and kinds[0][2] == "HN"
    async with services.sessions() as session:
        assert await session.get(RequestDraftRow, ANA) is None


async def test_a_center_without_staff_sends_it_to_the_countrys_coordinators(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    assert await CoordinatorService(services.settings, services.sessions).add(
        CLI_ACTOR, COORDINATOR, "hn"
    )
    summary = await fill_request(app, telegram)
    assert "la coordinación de la red de centros en Honduras" in summary
    reference = await send(app, telegram)
    assert reference in last_to(telegram, COORDINATOR)
    assert "Coordinación de la red en Honduras" in last_to(telegram, COORDINATOR)
    row = await the_request(services, reference)
    assert row.center_id is None and row.country == "HN"
    await press(app, f"rq:take:{row.id}", COORDINATOR)
    assert "la coordinación nacional" in last_to(telegram, ANA)


async def test_no_button_when_nobody_can_receive_the_request(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    buttons = await card_buttons(app, telegram)
    assert not [b for b in buttons if b.startswith("rq:")]
    await link_staff(services, STAFF, OTHER)  # another center's staff change nothing here
    assert not [b for b in await card_buttons(app, telegram) if b.startswith("rq:")]
    await press(app, f"rq:new:{CENTER}")  # a forged start
    assert "nadie recibe solicitudes" in last_to(telegram, ANA)
    async with services.sessions() as session:
        assert await session.get(RequestDraftRow, ANA) is None


async def test_a_skipped_phone_and_a_shared_contact(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await start_request(app, telegram)
    await say(app, "María José López")
    await say(app, "⏭️ Omitir")  # the reply keyboard's button
    assert "3️⃣" in last_to(telegram, ANA)
    await press(app, "rq:skip:business")
    await press(app, "rq:skip:need")
    await say(app, "los martes temprano")
    summary = last_to(telegram, ANA)
    assert "María José López" in summary and summary.count("(no lo indicó)") == 3
    assert "los martes temprano" in summary
    reference = await send(app, telegram)
    row = await the_request(services, reference)
    assert (row.name, row.phone, row.business, row.need) == ("María José López", None, None, "")
    assert row.preferred_time == "los martes temprano"
    # a shared contact is the phone, normalized for the country
    await start_request(app, telegram)
    await press(app, "rq:name")
    await share_contact(app, "50499887766")
    assert "3️⃣" in last_to(telegram, ANA)
    async with services.sessions() as session:
        draft = await session.get(RequestDraftRow, ANA)
    assert draft is not None and "+504 9988-7766" in draft.data_json


async def test_an_invalid_phone_is_asked_again(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await start_request(app, telegram)
    await press(app, "rq:name")
    for wrong, reason in (("12345", "dígitos"), ("+503 7000-0000", "otro país"),
                          ("llámeme", "letras"), ("\u202e99991234", "")):  # fmt: skip
        await say(app, wrong)
        asked = texts_to(telegram, ANA)[-2:]
        assert "no parece válido en Honduras" in asked[0] and reason in asked[0], wrong
        assert "2️⃣" in asked[1]
    await say(app, "+504 3344 5566")
    assert "3️⃣" in last_to(telegram, ANA)
    await say(app, "x" * 301)  # too long for what the business does
    assert "máximo 300" in texts_to(telegram, ANA)[-2]


async def test_cancel_at_a_step_sends_nothing_and_the_search_goes_on(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await start_request(app, telegram)
    await press(app, "rq:name")
    await say(app, "9999-1234")
    await press(app, "rq:cancel")
    assert "Solicitud cancelada" in last_to(telegram, ANA)
    await press(app, "rq:skip:business")  # a button of the cancelled draft
    assert "ya no está en curso" in last_to(telegram, ANA)
    telegram.clear()
    await say(app, "soy de Danlí")  # a search again, not an answer to the flow
    assert any("CDE MIPYME" in t for t in telegram.texts())
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HandoffRequestRow)) == 0
    assert texts_to(telegram, STAFF) == []
    # typed «cancelar», and cancel_draft (for /cancelar)
    await press(app, f"rq:new:{CENTER}")
    await say(app, "Cancelar")
    assert "Solicitud cancelada" in last_to(telegram, ANA)
    await press(app, f"rq:new:{CENTER}")
    assert await rq.flow_of(services).cancel_draft(ANA)
    assert not await rq.flow_of(services).cancel_draft(ANA)


async def test_at_most_three_open_requests(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    for _ in range(3):
        await fill_request(app, telegram)
        await send(app, telegram)
    await start_request(app, telegram)
    assert "Ya tiene 3 solicitudes abiertas" in last_to(telegram, ANA)
    async with services.sessions() as session:
        first = await session.scalar(select(func.min(HandoffRequestRow.id)))
    await press(app, f"rq:close:{first}", STAFF)
    await press(app, f"rq:new:{CENTER}")
    assert "1️⃣" in last_to(telegram, ANA)


async def test_reassignment_to_another_center_and_to_the_coordinators(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await link_staff(services, COLLEAGUE, OTHER)
    await CoordinatorService(services.settings, services.sessions).add(ADMIN_ID, COORDINATOR, "HN")
    await fill_request(app, telegram)
    reference = await send(app, telegram)
    row = await the_request(services, reference)
    await press(app, f"rq:take:{row.id}", STAFF)
    await press(app, f"rq:move:{row.id}", STAFF)
    targets = [d for _, d in telegram.buttons()]
    assert targets == [f"rq:to:{row.id}:{OTHER}", f"rq:to:{row.id}:*"]
    await press(app, f"rq:to:{row.id}:{OTHER}", STAFF)
    assert "pasada a CDE MIPYME" in last_to(telegram, STAFF)
    notice = last_to(telegram, COLLEAGUE)
    assert "reasignada" in notice and reference in notice
    row = await the_request(services, reference)
    assert (row.center_id, row.status, row.taken_by) == (OTHER, "open", None)
    await press(app, f"rq:take:{row.id}", STAFF)  # no longer theirs
    assert "No es posible" in last_to(telegram, STAFF)
    await press(app, f"rq:to:{row.id}:*", COLLEAGUE)
    assert "reasignada" in last_to(telegram, COORDINATOR)
    row = await the_request(services, reference)
    assert row.center_id is None
    actions = [a for a, _ in await history(services, row.id)]
    assert actions == ["opened", "taken", "reassigned", "reassigned"]


async def test_forged_buttons_of_a_non_receiver_are_refused(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await link_staff(services, COLLEAGUE, OTHER)
    await fill_request(app, telegram)
    reference = await send(app, telegram)
    row = await the_request(services, reference)
    for user in (STRANGER, COLLEAGUE, ANA):
        for data in (f"rq:take:{row.id}", f"rq:close:{row.id}", f"rq:move:{row.id}",
                     f"rq:to:{row.id}:{OTHER}", f"rq:to:{row.id}:*"):  # fmt: skip
            telegram.clear()
            await press(app, data, user)
            assert "No es posible" in last_to(telegram, user), (user, data)
    await press(app, "rq:take:999999", STAFF)  # no such request
    assert "No es posible" in last_to(telegram, STAFF)
    await press(app, "rq:take:1x", STAFF)  # malformed
    assert "ya no está vigente" in last_to(telegram, STAFF)
    row = await the_request(services, reference)
    assert (row.status, row.center_id) == ("open", CENTER)
    assert await history(services, row.id) == [("opened", ANA)]


async def test_the_reminder_and_the_feedback_question_on_a_clock(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await fill_request(app, telegram)
    reference = await send(app, telegram)
    row = await the_request(services, reference)
    now = datetime.now(UTC)
    telegram.clear()
    assert await hq.run_jobs(app.bot, services, now + timedelta(hours=23))
    assert telegram.sent() == []  # not yet
    assert await hq.run_jobs(app.bot, services, now + timedelta(hours=25))
    assert "sin atender desde hace más de 24 horas" in last_to(telegram, STAFF)
    reminder = last_to(telegram, ANA)
    assert reference in reminder and "aún no ha sido atendida" in reminder
    assert "SENPRENDE" in reminder or "CENPROMYPE" in reminder  # the center has no contact
    telegram.clear()
    await hq.run_jobs(app.bot, services, now + timedelta(hours=30))
    assert telegram.sent() == []  # once
    assert [a for a, _ in await history(services, row.id)] == [
        "opened",
        "reminded",
        "contact_sent",
    ]
    await press(app, f"rq:close:{row.id}", STAFF)
    assert "quedó cerrada" in last_to(telegram, ANA)
    telegram.clear()
    await hq.run_jobs(app.bot, services, now + timedelta(days=2))
    assert telegram.sent() == []
    await hq.run_jobs(app.bot, services, now + timedelta(days=3, hours=1))
    assert "¿Le fue útil?" in last_to(telegram, ANA)
    assert [d for _, d in telegram.buttons()] == [f"rq:rate:{row.id}:{n}" for n in range(1, 6)]
    telegram.clear()
    await hq.run_jobs(app.bot, services, now + timedelta(days=4))
    assert telegram.sent() == []  # asked once
    await press(app, f"rq:rate:{row.id}:4", STRANGER)  # not theirs
    await press(app, f"rq:rate:{row.id}:4")
    assert "comentario" in last_to(telegram, ANA)
    await say(app, "Me atendieron muy bien, gracias")
    assert "Gracias por su comentario" in last_to(telegram, ANA)
    await press(app, f"rq:rate:{row.id}:1")
    assert "ya recibimos su respuesta" in last_to(telegram, ANA)
    row = await the_request(services, reference)
    assert (row.rating, row.comment) == (4, "Me atendieron muy bien, gracias")
    kinds = await events(services)
    assert [k for k, _, _ in kinds] == ["request_opened", "request_closed", "feedback"]
    assert kinds[-1][1] == 4


async def test_a_request_reassigned_after_its_reminder_is_reminded_to_its_new_receivers(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await link_staff(services, COLLEAGUE, OTHER)
    await fill_request(app, telegram)
    row = await the_request(services, await send(app, telegram))
    now = datetime.now(UTC)
    await hq.run_jobs(app.bot, services, now + timedelta(hours=25))  # the first receivers'
    assert "sin atender" in last_to(telegram, STAFF)
    moved = await hq.handoff_of(services).reassign(STAFF, row.id, OTHER, now + timedelta(hours=26))
    assert moved.verdict.name == "DONE"
    telegram.clear()
    await hq.run_jobs(app.bot, services, now + timedelta(hours=26 + 23))
    assert texts_to(telegram, COLLEAGUE) == []  # not yet: a day after the reassignment
    await hq.run_jobs(app.bot, services, now + timedelta(hours=26 + 25))
    assert "sin atender" in last_to(telegram, COLLEAGUE)
    assert texts_to(telegram, STAFF) == []  # no longer theirs
    telegram.clear()
    await hq.run_jobs(app.bot, services, now + timedelta(hours=26 + 30))
    assert telegram.sent() == []  # once for these receivers too


async def test_another_worker_holding_the_lease_does_not_remind(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    from bot.guard import acquire_lease

    assert await acquire_lease(services.sessions, "handoff", timedelta(minutes=9), "other")
    assert not await hq.run_jobs(app.bot, services, datetime.now(UTC) + timedelta(days=2))


async def test_each_receiver_lists_only_their_requests(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, OTHER)
    await CoordinatorService(services.settings, services.sessions).add(ADMIN_ID, COORDINATOR, "HN")
    await fill_request(app, telegram)  # El Paraíso has no staff: the coordinators'
    to_coordinators = await send(app, telegram)
    await link_staff(services, COLLEAGUE, CENTER)
    await fill_request(app, telegram)
    to_staff = await send(app, telegram)
    telegram.clear()
    await say(app, "/solicitudes", COLLEAGUE)
    listed = "\n".join(texts_to(telegram, COLLEAGUE))
    assert to_staff in listed and to_coordinators not in listed
    await say(app, "/solicitudes", COORDINATOR)
    listed = "\n".join(texts_to(telegram, COORDINATOR))
    assert to_coordinators in listed and to_staff not in listed
    await say(app, "/solicitudes", STAFF)
    assert "No hay solicitudes" in last_to(telegram, STAFF)
    await say(app, "/solicitudes", ADMIN_ID)
    listed = "\n".join(texts_to(telegram, ADMIN_ID))
    assert to_staff in listed and to_coordinators in listed
    await say(app, "/solicitudes", STRANGER)
    assert "personal de los centros" in last_to(telegram, STRANGER)


async def test_forget_requests_and_purge_personal(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    handoff = RequestCare(services.settings, services.sessions)
    for _ in range(2):
        await fill_request(app, telegram)
        await send(app, telegram)
    await press(app, f"rq:new:{CENTER}")  # a draft too
    touched, withdrawn = await handoff.forget_requests(ANA)
    assert touched == 2
    assert [told for _, told in withdrawn] == [(STAFF,), (STAFF,)]  # both open: staff is told
    async with services.sessions() as session:
        rows = (await session.scalars(select(HandoffRequestRow))).all()
        assert await session.get(RequestDraftRow, ANA) is None
    assert {r.status for r in rows} == {"cancelled"}
    assert all(r.name is r.phone is r.business is r.preferred_time is None for r in rows)
    assert all(r.personal_purged_at is not None and r.need == "financiamiento" for r in rows)
    # retention: personal fields of old requests go, the rows (the counts) stay
    await fill_request(app, telegram)
    reference = await send(app, telegram)
    now = datetime.now(UTC)
    assert await handoff.purge_personal(now, 180) == 0
    assert await handoff.purge_personal(now + timedelta(days=181), 180) == 1
    row = await the_request(services, reference)
    assert (row.name, row.phone, row.business, row.status) == (None, None, None, "open")
    assert row.personal_purged_at is not None
    assert await handoff.purge_personal(now + timedelta(days=400), 180) == 0
    await press(app, f"rq:take:{row.id}", STAFF)
    assert "(borrado)" not in last_to(telegram, ANA)
    await say(app, "/solicitudes", STAFF)
    assert "(borrado)" in last_to(telegram, STAFF)
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HandoffRequestRow)) == 3


async def test_the_flow_speaks_english_with_an_english_user(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, "bz-sbdc-beltraide")
    await say(app, "I live in Belize City and need a loan")
    buttons = dict((d, label) for label, d in telegram.all_buttons())
    start = next((d for d in buttons if d.startswith("rq:new:")), None)
    assert start is not None and buttons[start] == "📨 Request an appointment"
    await press(app, start)
    assert "Whose name" in last_to(telegram, ANA)
    await press(app, "rq:name")
    await say(app, "Skip")
    assert "What does your business do" in last_to(telegram, ANA)


def _drafts_expire(services: Services) -> Any:
    async def expire() -> None:
        from sqlalchemy import update

        async with services.sessions() as session, session.begin():
            await session.execute(
                update(RequestDraftRow).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )

    return expire()


async def test_an_expired_draft_lets_the_search_answer(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await start_request(app, telegram)
    await _drafts_expire(services)
    telegram.clear()
    await say(app, "soy de Danlí")
    assert any("CDE MIPYME" in t for t in telegram.texts())
    await press(app, "rq:name")
    assert "ya no está en curso" in last_to(telegram, ANA)


def test_the_handoff_settings_are_read_and_checked() -> None:
    from bot.config import SettingsError, load_settings

    defaults = load_settings({})
    assert (defaults.request_remind_hours, defaults.feedback_days) == (24, 3)
    assert (defaults.request_retention_days, defaults.max_open_requests) == (180, 3)
    custom = load_settings({"REQUEST_REMIND_HOURS": "6", "MAX_OPEN_REQUESTS": "1"})
    assert (custom.request_remind_hours, custom.max_open_requests) == (6, 1)
    for name, value in (("REQUEST_REMIND_HOURS", "0"), ("FEEDBACK_DAYS", "tres"),
                        ("REQUEST_RETENTION_DAYS", "-1"), ("MAX_OPEN_REQUESTS", "99")):  # fmt: skip
        with pytest.raises(SettingsError, match=name):
            load_settings({name: value})


async def test_a_draft_is_never_read_from_a_group(
    app: BotApplication, telegram: FakeTelegram, services: Services
) -> None:
    await link_staff(services, STAFF, CENTER)
    await start_request(app, telegram)
    telegram.clear()
    await app.process_update(u.text(app.bot, "@RutaMipymeBot soy de Danlí", ANA, kind="group"))
    assert any("CDE MIPYME" in t for t in telegram.texts())  # a search, in the group
    assert not [d for _, d in telegram.all_buttons() if d.startswith("rq:")]  # no request there
    async with services.sessions() as session:
        draft = await session.get(RequestDraftRow, ANA)
    assert draft is not None and draft.step == "name"


# --- the commands everyone has: /cancelar, /olvidar, /privacidad ----------------------------


async def test_cancel_command_drops_a_request_being_written(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await link_staff(services, STAFF, CENTER)
    await start_request(app, telegram)
    await press(app, "rq:name")
    telegram.clear()
    await say(app, "/cancelar")
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(RequestDraftRow)) == 0
    assert texts_to(telegram, STAFF) == []  # nothing was sent to the center
    telegram.clear()
    await say(app, "9999-1234")  # no longer a step of the request: a search
    assert not any("3️⃣" in t for t in texts_to(telegram, ANA))


async def test_forget_command_erases_the_personal_fields_of_a_request(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await link_staff(services, STAFF, CENTER)
    await fill_request(app, telegram)
    await send(app, telegram)
    telegram.clear()
    await say(app, "/olvidar")
    assert "borramos todo" in last_to(telegram, ANA)
    assert "ya recibió en sus chats de Telegram no lo podemos recuperar" in last_to(telegram, ANA)
    async with services.sessions() as session:
        row = await session.scalar(select(HandoffRequestRow))
        assert row is not None
        assert (row.name, row.phone, row.business, row.preferred_time) == (None,) * 4
        assert row.status == "cancelled"  # an open request of someone who left is withdrawn
    told = last_to(telegram, STAFF)  # the staff stop waiting on it, and delete their copy
    assert row.reference in told and "retiró" in told and "borre" in told


async def test_a_taken_request_withdrawn_is_told_to_whoever_took_it_only(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    colleague = STAFF + 1
    await link_staff(services, STAFF, CENTER)
    await link_staff(services, colleague, CENTER)
    await fill_request(app, telegram)
    reference = await send(app, telegram)
    row = await the_request(services, reference)
    await press(app, f"rq:take:{row.id}", STAFF)
    telegram.clear()
    await say(app, "/olvidar")
    assert reference in last_to(telegram, STAFF) and "retiró" in last_to(telegram, STAFF)
    assert texts_to(telegram, colleague) == []


async def test_privacy_says_what_a_request_stores_and_for_how_long(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    telegram.clear()
    await say(app, "/privacidad")
    shown = "\n".join(telegram.texts())
    days = services.settings.request_retention_days
    assert "solicitud" in shown.casefold() and str(days) in shown


# --- where no center can be offered: the country's coordinators -----------------------------

XELA = "soy de Quetzaltenango y necesito un préstamo"  # Guatemala: no center can be ranked


async def test_where_no_center_serves_the_coordinators_of_the_country_can_be_asked(
    app: BotApplication, services: Services, telegram: FakeTelegram
) -> None:
    await say(app, XELA)
    assert not any(d.startswith("rq:") for _, d in telegram.all_buttons())  # nobody receives
    await CoordinatorService(services.settings, services.sessions).add(ADMIN_ID, COORDINATOR, "GT")
    telegram.clear()
    await say(app, XELA)
    assert "Aún no tenemos registrado un centro" in telegram.texts()[0]
    assert "una persona de la red MIPYME de Guatemala puede contactarle" in telegram.texts()[1]
    assert ("📨 Solicitar una cita", "rq:nc:GT") in telegram.all_buttons()
    await press(app, "rq:nc:GT")
    assert "Solicitud de cita con la red MIPYME de Guatemala" in last_to(telegram, ANA)
    await press(app, "rq:name")
    await say(app, "5555 1234")  # a Guatemalan number
    await press(app, "rq:skip:business")
    await press(app, "rq:need:financiamiento")
    await press(app, "rq:time:a")
    assert "coordinación de la red de centros en Guatemala" in last_to(telegram, ANA)
    reference = await send(app, telegram)
    received = "\n".join(texts_to(telegram, COORDINATOR))
    assert reference in received and "Quetzaltenango" in received
    async with services.sessions() as session:
        row = await session.scalar(select(HandoffRequestRow))
        assert row is not None and row.center_id is None and row.country == "GT"


def test_a_country_request_button_names_one_of_the_eight_countries() -> None:
    from bot import callbacks

    assert callbacks.parse("rq:nc:GT", frozenset()) is not None
    for forged in ("rq:nc:US", "rq:nc:gt", "rq:nc:", "rq:nc:GT:1"):
        assert callbacks.parse(forged, frozenset()) is None

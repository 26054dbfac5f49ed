"""Arbitrary and broken updates through the real Application (property-based).

Whatever arrives — huge or empty texts, control, zero-width and right-to-left characters, emoji,
SQL and HTML injection, absurd coordinates, forged or oversized callback data, edited messages,
channel posts, unknown update types — the bot must not raise, every message it sends must be
valid for Telegram, and nothing in the database may change beyond that user's own state.
"""

from __future__ import annotations

import asyncio
import logging
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from telegram import Update

from bot.app import build_application
from bot.config import load_settings
from bot.db.models import Base
from bot.services import Services
from tests.conftest import ADMIN_ID, TEST_TOKEN, _drop_everything
from tests.support.fake_telegram import FakeTelegram

ALLOWED_TAGS = {"b", "i", "code", "a"}
# A user's own traces; a report of a wrong field is the one shared thing anyone may add
# (rate-limited per user, grouped per field); a search answered adds an anonymous event.
OWN_TABLES = {"user_states", "processed_updates", "rate_events", "reports", "events"}
NASTY = [
    "'; DROP TABLE centers; --", "<script>alert(1)</script>", "<b>negrita", "&amp;&lt;&",
    "\u202edanli\u202c", "\u200b\u200c\u200d", "\x00\x01\x1b[31m", "🏳️‍🌈👩🏽‍🌾🇭🇳" * 50,
    "soy de " + "Danlí " * 400, "/start " + "x" * 300, "/equipo ' OR 1=1 --", "/mi_centro ../../",
    "st:edit:hn-cde-el-paraiso:phone", "@RutaMipymeBot ocupo un préstamo", "14.08, -87.21",
    "999, 999", "https://maps.app.goo.gl/x", "https://www.google.com/maps/@91,181,5z", "",
]  # fmt: skip
user_ids = st.sampled_from([11, 12, 13, ADMIN_ID + 1])
texts = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=300), st.text(min_size=4000, max_size=6000)
)
coordinates = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from([90.0, -180.0, 0.0]),
)
callback_data = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["need:financiamiento", "need:*", "more:1", "more:99999:abcdef12", "place:1",
                     "change:need", "change:place", "st:save:phone", "st:tg:HN.01", "st:done:services",
                     "st:edit:hn-cde-el-paraiso:phone", "st:killok:hn-cde-el-paraiso",
                     "st:rv:1", "st:rk:11:hn-cde-el-paraiso", "rp:hn-cde-el-paraiso:phone",
                     "ct:hn-cde-el-paraiso", "st:qr:hn-cde-el-paraiso", "x" * 64]),
)  # fmt: skip


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    uid = draw(user_ids)
    chat_type = draw(st.sampled_from(["private", "private", "group", "supergroup"]))
    chat = {"id": uid if chat_type == "private" else -1001, "type": chat_type}
    base = {"message_id": draw(st.integers(1, 10**6)), "date": 1_700_000_000, "chat": chat,
            "from": {"id": uid, "is_bot": False, "first_name": draw(st.text(max_size=20))}}  # fmt: skip
    kind = draw(st.sampled_from(["text", "text", "command", "location", "venue", "callback",
                                 "edited", "channel", "unknown", "sticker"]))  # fmt: skip
    if kind in ("text", "command", "edited"):
        body = draw(texts)
        message = {**base, "text": body or "·"}
        if kind == "command" or body.startswith("/"):
            length = draw(st.integers(0, len(body) + 5))
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if kind == "edited":
            return {"edited_message": {**message, "edit_date": 1_700_000_100}}
        return {"message": message}
    if kind in ("location", "venue"):
        loc = {"latitude": draw(coordinates), "longitude": draw(coordinates)}
        message = {**base, "location": loc}
        if kind == "venue":
            message["venue"] = {"location": loc, "title": draw(texts)[:100] or "x", "address": "y"}
        return {"message": message}
    if kind == "callback":
        query = {"id": "q1", "from": base["from"], "chat_instance": "ci", "data": draw(callback_data),
                 "message": {**base, "text": "…"}}  # fmt: skip
        return {"callback_query": query}
    if kind == "channel":
        post = {
            **base,
            "chat": {"id": -100999, "type": "channel", "title": "Canal"},
            "text": draw(texts) or "x",
        }
        post.pop("from")
        return {"channel_post": post}
    if kind == "sticker":
        sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
                   "is_animated": False, "is_video": False}  # fmt: skip
        return {"message": {**base, "sticker": sticker}}
    return {draw(st.sampled_from(["something_new", "future_kind_of_update"])): {"id": "1"}}


class TelegramHtml(HTMLParser):
    """Fails on tags Telegram does not accept, unbalanced tags or stray characters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced {tag}")

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.problems.append(f"entity {name}")


def check_outgoing(telegram: FakeTelegram) -> None:
    for call in telegram.calls:
        params = call.params
        if "text" in params and call.method in ("sendMessage", "editMessageText"):
            body = str(params["text"])
            assert 0 < len(body) <= 4096, call.method
            parser = TelegramHtml()
            parser.feed(body)
            parser.close()
            assert not parser.problems and not parser.stack, (parser.problems, body[:200])
        for row in FakeTelegram.markup(call).get("inline_keyboard", []):
            for button in row:
                assert button["text"] and len(button["callback_data"].encode()) <= 64
        if call.method == "sendVenue":
            assert -90 <= params["latitude"] <= 90 and -180 <= params["longitude"] <= 180
            assert 0 < len(params["title"]) <= 256
        if call.method == "answerCallbackQuery" and params.get("text"):
            assert len(params["text"]) <= 200


async def snapshot(services: Services, uid: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, except this user's own traces."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in OWN_TABLES:
                continue
            result = await session.execute(select(table))
            rows[table.name] = sorted(map(tuple, result.all()), key=repr)
        others = await session.execute(
            text("SELECT user_id, needs FROM user_states WHERE user_id <> :u ORDER BY user_id"),
            {"u": uid},
        )
        rows["other users"] = [tuple(r) for r in others.all()]
    return rows


def test_no_update_crashes_the_bot_or_touches_others_data(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    loop = asyncio.new_event_loop()
    telegram = FakeTelegram()
    config = load_settings({"DATABASE_URL": database_url, "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
                            "ADMIN_USER_IDS": str(ADMIN_ID)})  # fmt: skip
    loop.run_until_complete(_drop_everything(config.database_url))
    services = loop.run_until_complete(Services.create(config))
    app = build_application(config, services, request=telegram, token=TEST_TOKEN)
    loop.run_until_complete(app.initialize())

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
    @given(payload=updates())
    def one(payload: dict[str, Any]) -> None:
        update = Update.de_json({"update_id": 1, **payload}, app.bot)
        assert update is not None
        uid = update.effective_user.id if update.effective_user else 0
        before = loop.run_until_complete(snapshot(services, uid))
        telegram.clear()
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            loop.run_until_complete(app.process_update(update))
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], payload
        check_outgoing(telegram)
        assert loop.run_until_complete(snapshot(services, uid)) == before, payload

    try:
        one()
    finally:
        loop.run_until_complete(app.shutdown())
        loop.run_until_complete(services.close())
        loop.run_until_complete(_drop_everything(config.database_url))
        loop.close()

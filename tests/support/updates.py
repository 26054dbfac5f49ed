"""Build real Update objects (as Telegram sends them) for the Application under test."""

from __future__ import annotations

import itertools
import time
from typing import Any

from telegram import Bot, Update

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)

USER_ID = 5550001
GROUP_ID = -100777


def user(user_id: int = USER_ID) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "es"}


def chat(user_id: int = USER_ID, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": user_id, "type": "private", "first_name": "Ana"}
    return {"id": GROUP_ID, "type": kind, "title": "Emprendedores"}


def _message(user_id: int, kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat(user_id, kind),
        "from": user(user_id),
        **fields,
    }


def _update(bot: Bot, **fields: Any) -> Update:
    update = Update.de_json({"update_id": next(_update_ids), **fields}, bot)
    assert update is not None
    return update


def text(bot: Bot, body: str, user_id: int = USER_ID, kind: str = "private") -> Update:
    fields: dict[str, Any] = {"text": body}
    if body.startswith("/"):
        command = body.split()[0]
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return _update(bot, message=_message(user_id, kind, **fields))


def command(bot: Bot, name: str, user_id: int = USER_ID, kind: str = "private") -> Update:
    return text(bot, f"/{name}", user_id, kind)


def location(
    bot: Bot, lat: float, lon: float, user_id: int = USER_ID, live: bool = False
) -> Update:
    loc: dict[str, Any] = {"latitude": lat, "longitude": lon}
    if live:
        loc["live_period"] = 900
    return _update(bot, message=_message(user_id, "private", location=loc))


def edited_location(bot: Bot, lat: float, lon: float, user_id: int = USER_ID) -> Update:
    loc = {"latitude": lat, "longitude": lon, "live_period": 900}
    message = _message(user_id, "private", location=loc, edit_date=int(time.time()))
    return _update(bot, edited_message=message)


def venue(bot: Bot, lat: float, lon: float, title: str, user_id: int = USER_ID) -> Update:
    loc = {"latitude": lat, "longitude": lon}
    v = {"location": loc, "title": title, "address": "Calle principal"}
    return _update(bot, message=_message(user_id, "private", location=loc, venue=v))


def media(bot: Bot, kind: str, user_id: int = USER_ID) -> Update:
    payloads: dict[str, Any] = {
        "voice": {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3}},
        "photo": {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]},
        "sticker": {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        "document": {"document": {"file_id": "d1", "file_unique_id": "d1"}},
    }
    return _update(bot, message=_message(user_id, "private", **payloads[kind]))


def callback(bot: Bot, data: str, user_id: int = USER_ID) -> Update:
    query = {
        "id": str(next(_update_ids)),
        "from": user(user_id),
        "chat_instance": "ci",
        "data": data,
        "message": _message(user_id, "private", text="…"),
    }
    return _update(bot, callback_query=query)

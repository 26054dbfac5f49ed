"""A Bot API that answers locally: the console demo's and the tests' request layer.

It subclasses python-telegram-bot's BaseRequest, so the real Application, Bot and handlers run
unchanged; every call is recorded and answered with a plausible result (sent messages are
echoed back as Message objects), and nothing reaches the network.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Ruta MIPYME",
    "username": "RutaMipymeBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any] = field(default_factory=dict)


class LocalBotApi(BaseRequest):
    """Records Bot API calls and answers them without a network."""

    def __init__(self, on_call: Callable[[ApiCall], None] | None = None) -> None:
        self.calls: list[ApiCall] = []
        self._on_call = on_call
        self._message_ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        call = ApiCall(api_method, params)
        self.calls.append(call)
        if self._on_call:
            self._on_call(call)
        result = self.result_for(call)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def result_for(self, call: ApiCall) -> Any:
        """What the Bot API would return for this call."""
        method, params = call.method, call.params
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return []
        if (method.startswith("send") and method != "sendChatAction") or method.startswith("edit"):
            return self._message(params)
        return True

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id", 1)
        message: dict[str, Any] = {
            "message_id": params.get("message_id") or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"},
            "from": BOT_USER,
        }
        if "text" in params:
            message["text"] = params["text"]
        if "caption" in params:
            message["caption"] = params["caption"]
        if "latitude" in params:
            location = {"latitude": params["latitude"], "longitude": params["longitude"]}
            if "title" in params:
                message["venue"] = {
                    "location": location,
                    "title": params["title"],
                    "address": params.get("address", ""),
                }
            message["location"] = location
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message
